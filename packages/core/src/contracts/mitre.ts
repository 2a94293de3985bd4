/** The twelve MITRE ATT&CK enterprise tactics as Defender spells them in `AlertInfo.Category`. */
export const mitreTactics = [
  "InitialAccess",
  "Execution",
  "Persistence",
  "PrivilegeEscalation",
  "DefenseEvasion",
  "CredentialAccess",
  "Discovery",
  "LateralMovement",
  "Collection",
  "CommandAndControl",
  "Exfiltration",
  "Impact",
] as const;
export type MitreTactic = (typeof mitreTactics)[number];
