import type { EntityType } from "./alert-catalog.ts";
import type { AlertTraits } from "./alert-traits.ts";
import type { AlertEvidenceRow, EvidenceSlot } from "./evidence-row.ts";
import { guidAt, hashAt, hexAt, pickAt } from "./prng.ts";
import { remoteIpAt, type TenantDirectory } from "./tenant-directory.ts";

const subjects = ["Invoice overdue", "Your password expires today", "Shared document: Q3 results", "Voicemail received"];
const apps = [
  ["Microsoft Exchange Online", 20893],
  ["Microsoft SharePoint Online", 20892],
  ["Microsoft Teams", 28375],
  ["Dropbox", 11627],
] as const;
const urlHosts = ["login-micros0ft", "cdn-update", "files-share", "invoice-portal"];
const salt = { file: 202, ip: 206, url: 207, mail: 208, app: 209, oauth: 210 } as const;

export interface FillContext {
  readonly key: number;
  readonly traits: AlertTraits;
  readonly slot: EvidenceSlot;
  readonly directory: TenantDirectory;
}

/**
 * Fills in the columns this kind of evidence has; the others stay "" or null. Devices, accounts and
 * files come from the tenant's directory, so the same ones recur across alerts as in real data.
 */
export function fillEntity(row: AlertEvidenceRow, entity: EntityType, c: FillContext): void {
  const { key, slot } = c;
  const i = slot.index;
  switch (entity) {
    case "Machine":
      fillDevice(row, c);
      return;
    case "File":
    case "Process": {
      const file = c.directory.fileOf(hashAt(key, i, salt.file));
      row.FileName = file.name;
      row.FolderPath = file.folder;
      row.SHA1 = file.sha1;
      row.SHA256 = file.sha256;
      row.FileSize = file.size;
      row.ThreatFamily = c.traits.threatFamily;
      if (entity === "Process") row.ProcessCommandLine = file.commandLine;
      fillDevice(row, c);
      return;
    }
    case "User":
    case "Mailbox":
      fillAccount(row, c);
      return;
    case "Ip":
      row.RemoteIP = remoteIpAt(key, i, salt.ip);
      row.EvidenceDirection = hashAt(key, i, salt.ip) & 1 ? "Source" : "Destination";
      return;
    case "Url":
      row.RemoteUrl = `https://${pickAt(urlHosts, key, i, salt.url)}-${hexAt(key, i, salt.url, 1).slice(0, 4)}.example.net/login`;
      row.EvidenceDirection = "Destination";
      return;
    case "MailMessage":
      row.NetworkMessageId = guidAt(key, i, salt.mail);
      row.EmailSubject = pickAt(subjects, key, i, salt.mail);
      row.AccountUpn = c.directory.accountOf(slot.alertIndex).upn;
      return;
    case "RegistryValue":
      row.RegistryKey = "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run";
      row.RegistryValueName = "Updater";
      row.RegistryValueData = "C:\\Users\\Public\\svchost.exe";
      fillDevice(row, c);
      return;
    case "CloudApplication": {
      const [application, applicationId] = pickAt(apps, key, i, salt.app);
      row.Application = application;
      row.ApplicationId = applicationId;
      row.OAuthApplicationId = guidAt(key, i, salt.oauth);
      return;
    }
    case "AzureResource": {
      const subscription = guidAt(key, 0, 211);
      const vm = `vm-web-${hashAt(key, slot.alertIndex, 212) % 8}`;
      row.CloudResource = vm;
      row.CloudPlatform = "Azure";
      row.ResourceType = "Virtual Machine";
      row.SubscriptionId = subscription;
      row.ResourceID = `/subscriptions/${subscription}/resourceGroups/rg-prod/providers/Microsoft.Compute/virtualMachines/${vm}`;
      return;
    }
  }
}

function fillDevice(row: AlertEvidenceRow, c: FillContext): void {
  const device = c.directory.deviceOf(c.slot.alertIndex);
  row.DeviceId = device.id;
  row.DeviceName = device.name;
  row.LocalIP = device.localIp;
}

function fillAccount(row: AlertEvidenceRow, c: FillContext): void {
  const account = c.directory.accountOf(c.slot.alertIndex);
  row.AccountName = account.name;
  row.AccountDomain = account.domain;
  row.AccountSid = account.sid;
  row.AccountObjectId = account.objectId;
  row.AccountUpn = account.upn;
}
