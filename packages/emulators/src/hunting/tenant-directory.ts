import { guidAt, hashAt, hexAt, pickAt } from "./prng.ts";

/**
 * The people, machines and addresses of one synthetic tenant. Alerts keep hitting the same few
 * hundred devices and users, as in a real tenant, so evidence rows repeat entities across alerts.
 */
export interface Device {
  readonly id: string;
  readonly name: string;
  readonly localIp: string;
}

export interface FileFacts {
  readonly name: string;
  readonly folder: string;
  /** The command line when the file runs as a process. */
  readonly commandLine: string;
  readonly sha1: string;
  readonly sha256: string;
  readonly size: number;
}

export interface Account {
  readonly name: string;
  readonly domain: string;
  readonly sid: string;
  readonly objectId: string;
  readonly upn: string;
}

const deviceCount = 256;
const fileCount = 512;
const accountCount = 128;
const firstNames = [
  "adele",
  "alex",
  "diego",
  "grady",
  "henrietta",
  "isaiah",
  "johanna",
  "joni",
  "lee",
  "lidia",
  "megan",
  "nestor",
];
const lastNames = ["vance", "wilber", "siciliani", "archie", "mueller", "henderson", "lauer", "sherman", "gu", "holloway"];
const devicePrefixes = ["desktop", "laptop", "srv", "ws"];
const fileShapes = [
  [
    "powershell.exe",
    "C:\\Windows\\System32\\WindowsPowerShell\\v1.0",
    "powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA",
  ],
  ["rundll32.exe", "C:\\Windows\\System32", "rundll32.exe C:\\Users\\Public\\libcurl.dll,Start"],
  ["invoice_0423.docm", "C:\\Users\\Public\\Downloads", "WINWORD.EXE /n C:\\Users\\Public\\Downloads\\invoice_0423.docm"],
  ["mimikatz.exe", "C:\\ProgramData\\tmp", "mimikatz.exe privilege::debug sekurlsa::logonpasswords exit"],
  ["svchost.exe", "C:\\Users\\Public", "svchost.exe -k netsvcs"],
  ["update.ps1", "C:\\Windows\\Temp", "powershell.exe -ExecutionPolicy Bypass -File C:\\Windows\\Temp\\update.ps1"],
] as const;

/** A tenant's directory, built on first use from its key; entities are small and few, so they are cached. */
export class TenantDirectory {
  readonly dnsDomain: string;
  private readonly netbios: string;
  private readonly devices: Device[] = [];
  private readonly accounts: Account[] = [];
  private readonly files: FileFacts[] = [];

  constructor(
    private readonly key: number,
    tenantId: string,
  ) {
    const label = tenantId.toLowerCase().replace(/[^a-z0-9-]/g, "-");
    this.dnsDomain = `${label}.example`;
    this.netbios = label.replace(/-/g, "").slice(0, 15).toUpperCase() || "CORP";
  }

  /** The device alert `alertIndex` is about. */
  deviceOf(alertIndex: number): Device {
    const n = hashAt(this.key, alertIndex, 101) % deviceCount;
    this.devices[n] ??= {
      id: hexAt(this.key, n, 102, 5),
      name: `${pickAt(devicePrefixes, this.key, n, 103)}-${hexAt(this.key, n, 104, 1).slice(0, 6)}.${this.dnsDomain}`,
      localIp: `10.${hashAt(this.key, n, 105) % 32}.${hashAt(this.key, n, 106) % 256}.${1 + (hashAt(this.key, n, 107) % 254)}`,
    };
    return this.devices[n];
  }

  /** File number `pick` (any integer) of the tenant's few hundred distinct files. */
  fileOf(pick: number): FileFacts {
    const n = pick % fileCount;
    if (!this.files[n]) {
      const [name, folder, commandLine] = pickAt(fileShapes, this.key, n, 121);
      const [sha1, sha256] = [hexAt(this.key, n, 122, 5), hexAt(this.key, n, 123, 8)];
      this.files[n] = { name, folder, commandLine, sha1, sha256, size: 4_096 + (hashAt(this.key, n, 124) % 8_000_000) };
    }
    return this.files[n];
  }

  /** The account alert `alertIndex` is about. */
  accountOf(alertIndex: number): Account {
    const n = hashAt(this.key, alertIndex, 111) % accountCount;
    if (!this.accounts[n]) {
      const name = `${pickAt(firstNames, this.key, n, 112)}.${pickAt(lastNames, this.key, n, 113)}${n}`;
      const domainSid = [114, 115, 116].map((s) => hashAt(this.key, 0, s)).join("-");
      this.accounts[n] = {
        name,
        domain: this.netbios,
        sid: `S-1-5-21-${domainSid}-${1100 + n}`,
        objectId: guidAt(this.key, n, 117),
        upn: `${name}@${this.dnsDomain}`,
      };
    }
    return this.accounts[n];
  }
}

/** A public-looking IPv4 address for (key, index, salt), avoiding 0.x, 10.x and 127.x. */
export function remoteIpAt(key: number, index: number, salt: number): string {
  const h = hashAt(key, index, salt);
  return `${20 + (h % 180)}.${(h >>> 8) & 255}.${(h >>> 16) & 255}.${1 + ((h >>> 24) % 254)}`;
}
