import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The dependency rules of ARCHITECTURE.md, enforced rather than hoped for: the stages never import
// each other, Azure SDKs only at the named edges, core depends on zod alone.
const allowed: Record<string, readonly string[]> = {
  core: ["zod"],
  scheduler: ["@xdr-relay/core"],
  fetcher: ["@xdr-relay/core", "@azure/identity", "zod"],
  sink: ["@xdr-relay/core", "@azure/monitor-ingestion", "@azure/core-rest-pipeline", "@azure/identity", "zod"],
  queue: ["@xdr-relay/core", "libsql", "@azure/service-bus", "@azure/storage-blob"],
  emulators: ["@xdr-relay/core", "zod"],
  cli: [
    "@xdr-relay/core",
    "@xdr-relay/queue",
    "@xdr-relay/emulators",
    "@xdr-relay/scheduler",
    "@xdr-relay/fetcher",
    "@xdr-relay/sink",
    "tsx",
    // The composition root builds the container client that the queue package's BlobCheckpointStore takes.
    "@azure/storage-blob",
    // Loaded with require(), which the import scan below does not see; listed so the rule says it.
    "@kusto/language-service-next",
  ],
};

const root = join(import.meta.dirname, "..", "packages");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")
        ? [join(dir, e.name)]
        : [],
  );
}

/** The bare package a source file imports, e.g. `@azure/identity` or `zod`; node built-ins excluded. */
function importedPackages(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const statements = /^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|^\s*import\s+"([^"]+)"|\bimport\(\s*"([^"]+)"\s*\)/gm;
  const specifiers = [...text.matchAll(statements)].map((m) => (m[1] ?? m[2] ?? m[3]) as string);
  return specifiers
    .filter((s) => !s.startsWith(".") && !s.startsWith("node:"))
    .map((s) => (s.startsWith("@") ? s.split("/").slice(0, 2).join("/") : (s.split("/")[0] as string)));
}

describe("package boundaries", () => {
  for (const [pkg, permitted] of Object.entries(allowed)) {
    it(`${pkg} imports only ${permitted.join(", ")}`, () => {
      const offending = sourceFiles(join(root, pkg, "src")).flatMap((file) =>
        importedPackages(file)
          .filter((p) => !permitted.includes(p))
          .map((p) => `${file.slice(root.length + 1)} imports ${p}`),
      );
      expect(offending).toEqual([]);
    });
  }

  it("every package is covered by a rule", () => {
    const packages = readdirSync(root).filter((d) => !d.startsWith("."));
    expect(packages.sort()).toEqual(Object.keys(allowed).sort());
  });
});
