import { type MitreTactic, mitreTactics } from "@xdr-relay/core";

/**
 * What synthetic alerts are made of: plausible titles and ATT&CK techniques per category, and the
 * Defender products that raise them. Static data only; `alert-traits.ts` picks from it.
 */

/** Defender's own categories, besides the twelve tactics. */
export const defenderCategories = ["Malware", "SuspiciousActivity", "Ransomware", "UnwantedSoftware"] as const;
export type AlertCategory = MitreTactic | (typeof defenderCategories)[number];

/** Share of alerts whose category is a MITRE tactic; the rest get a Defender category. */
export const tacticShare = 0.85;

export interface CategoryProfile {
  readonly titles: readonly string[];
  readonly techniques: readonly string[];
}

/**
 * Three lines per category: its name, its titles, its techniques (`; ` between items). Kept as a
 * text table because it is one: data to read and extend, not code.
 */
const profileTable = `
InitialAccess
  Suspicious email link clicked; Phishing email delivered to inbox; Sign-in from an anonymous IP address
  Phishing (T1566); Spearphishing Link (T1566.002); Valid Accounts (T1078); Exploit Public-Facing Application (T1190)
Execution
  Suspicious PowerShell command line; Malicious script executed; Suspicious process launched by an Office application
  PowerShell (T1059.001); Command and Scripting Interpreter (T1059); Windows Command Shell (T1059.003); User Execution (T1204)
Persistence
  Suspicious scheduled task created; New service installed from a temporary folder; Registry run key modified
  Scheduled Task (T1053.005); Registry Run Keys / Startup Folder (T1547.001); Windows Service (T1543.003)
PrivilegeEscalation
  Process injection into a privileged process; Suspicious access token manipulation; UAC bypass attempt
  Process Injection (T1055); Access Token Manipulation (T1134); Bypass User Account Control (T1548.002)
DefenseEvasion
  Attempt to turn off Microsoft Defender Antivirus; File masquerading as a system binary; Event log was cleared
  Impair Defenses (T1562); Masquerading (T1036); Clear Windows Event Logs (T1070.001); Obfuscated Files or Information (T1027)
CredentialAccess
  Suspicious access to LSASS service; Credential dumping tool detected; Password spray attack
  OS Credential Dumping (T1003); LSASS Memory (T1003.001); Password Spraying (T1110.003); Brute Force (T1110)
Discovery
  Anomalous account lookups; Network reconnaissance with net.exe; Suspicious LDAP query
  Account Discovery (T1087); Domain Trust Discovery (T1482); Remote System Discovery (T1018); Permission Groups Discovery (T1069)
LateralMovement
  Suspicious remote service execution; Pass-the-hash attempt; Remote desktop session from an unusual host
  Remote Services (T1021); SMB/Windows Admin Shares (T1021.002); Use Alternate Authentication Material (T1550); Remote Desktop Protocol (T1021.001)
Collection
  Mass file access on a file share; Suspicious archive created; Email collection from a mailbox
  Data from Local System (T1005); Archive Collected Data (T1560); Email Collection (T1114)
CommandAndControl
  Connection to a known command-and-control server; Suspicious DNS tunneling; Beaconing network traffic
  Application Layer Protocol (T1071); Ingress Tool Transfer (T1105); DNS (T1071.004); Encrypted Channel (T1573)
Exfiltration
  Large upload to cloud storage; Data exfiltration over an alternative protocol; Unusual volume of file downloads
  Exfiltration Over Web Service (T1567); Exfiltration Over Alternative Protocol (T1048); Automated Exfiltration (T1020)
Impact
  Ransomware behavior detected; File encryption activity; Shadow copies deleted
  Data Encrypted for Impact (T1486); Inhibit System Recovery (T1490); Service Stop (T1489)
Malware
  Malware was detected; Malware was prevented; An active malware process was detected
  User Execution (T1204); Ingress Tool Transfer (T1105)
SuspiciousActivity
  Suspicious activity on a device; Unusual sign-in activity; Suspicious inbox manipulation rule
  Valid Accounts (T1078); Email Hiding Rules (T1564.008)
Ransomware
  Ransomware payload detected; Human-operated ransomware activity
  Data Encrypted for Impact (T1486); Inhibit System Recovery (T1490)
UnwantedSoftware
  Potentially unwanted application detected; Browser modifier installed
  User Execution (T1204)
`;

export const categoryProfiles = parseProfiles(profileTable);

function parseProfiles(table: string): Readonly<Record<AlertCategory, CategoryProfile>> {
  const lines = table.trim().split("\n");
  const profiles: Partial<Record<string, CategoryProfile>> = {};
  for (let i = 0; i + 2 < lines.length; i += 3) {
    const items = (line: string | undefined) => (line ?? "").trim().split("; ");
    profiles[(lines[i] ?? "").trim()] = { titles: items(lines[i + 1]), techniques: items(lines[i + 2]) };
  }
  const missing = [...mitreTactics, ...defenderCategories].filter((c) => !profiles[c]);
  if (missing.length > 0) throw new Error(`alert catalog: no profile for ${missing.join(", ")}`);
  return profiles as Record<AlertCategory, CategoryProfile>;
}

export const allCategories: readonly AlertCategory[] = [...mitreTactics, ...defenderCategories];

export const threatFamilies = ["Emotet", "Qakbot", "CobaltStrike", "Mimikatz", "LockBit", "AgentTesla", "IcedID"] as const;

export const severities = ["Informational", "Low", "Medium", "High"] as const;
/** Cumulative weights for `severities`: most alerts are Low or Medium. */
export const severityWeights = [0.1, 0.45, 0.85, 1] as const;

/** The product behind an alert, how often it raises one, and the detection sources it reports. */
export interface ServiceProfile {
  readonly name: string;
  /** Cumulative share of alerts up to and including this service. */
  readonly upTo: number;
  readonly detectionSources: readonly string[];
  /** Entity types of its evidence; the first one is the alert's primary, impacted entity. */
  readonly entityTypes: readonly EntityType[];
}

export type EntityType =
  | "Machine"
  | "File"
  | "Process"
  | "User"
  | "Ip"
  | "Url"
  | "MailMessage"
  | "Mailbox"
  | "RegistryValue"
  | "CloudApplication"
  | "AzureResource";

export const serviceProfiles: readonly ServiceProfile[] = [
  {
    name: "Microsoft Defender for Endpoint",
    upTo: 0.55,
    detectionSources: ["EDR", "Antivirus", "Custom TI", "Automated investigation"],
    entityTypes: ["Machine", "File", "Process", "User", "Ip", "Url", "RegistryValue"],
  },
  {
    name: "Microsoft Defender for Office 365",
    upTo: 0.7,
    detectionSources: ["Microsoft Defender for Office 365"],
    entityTypes: ["MailMessage", "Mailbox", "Url", "User", "File"],
  },
  {
    name: "Microsoft Defender for Identity",
    upTo: 0.8,
    detectionSources: ["Microsoft Defender for Identity"],
    entityTypes: ["User", "Machine", "Ip"],
  },
  {
    name: "Microsoft Defender for Cloud Apps",
    upTo: 0.88,
    detectionSources: ["Microsoft Defender for Cloud Apps", "App governance"],
    entityTypes: ["CloudApplication", "User", "Ip"],
  },
  {
    name: "Microsoft Defender XDR",
    upTo: 0.96,
    detectionSources: ["Microsoft Defender XDR", "Custom detection"],
    entityTypes: ["User", "Machine", "Ip", "File"],
  },
  {
    name: "Microsoft Defender for Cloud",
    upTo: 1,
    detectionSources: ["Microsoft Defender for Cloud"],
    entityTypes: ["AzureResource", "Ip"],
  },
];
