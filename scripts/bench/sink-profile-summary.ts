import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * `tsx scripts/bench/sink-profile-summary.ts <profDir> [top=25]`: for each `.cpuprofile` in the
 * directory, the share of samples that were idle, GC or program, and the functions with the most
 * self time (grouped by function, file and line), so the two processes of a sink trial can be compared.
 */
interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: number[];
}
interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
  readonly startTime: number;
  readonly endTime: number;
}

const [dir = ".", topArg = "25"] = process.argv.slice(2);
for (const file of readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))) {
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    if (node === undefined) return;
    total += dt;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url.replace(/^.*\/(node_modules|packages|scripts)\//, "$1/");
    const key = `${functionName || "(anonymous)"} ${where}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + dt);
  });
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  console.log(`\n== ${file}: ${(total / 1e6).toFixed(1)} s sampled`);
  for (const [pkg, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${pct(us)}  ${pkg}`);
  console.log("-- self time");
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg))) console.log(`${pct(us)}  ${key}`);
}

function packageOf(url: string, functionName: string): string {
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  const pnpm = /node_modules\/\.pnpm\/([^/]+)\//.exec(url);
  if (pnpm) return (pnpm[1] as string).replace(/@[\d.]+.*$/, "");
  const own = /\/(packages\/[^/]+|scripts\/[^/]+)\//.exec(url);
  if (own) return own[1] as string;
  if (url.startsWith("node:")) return url.split("/")[0] as string;
  return url;
}
