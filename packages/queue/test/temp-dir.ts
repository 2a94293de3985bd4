import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";

/** A fresh directory for one test's SQLite files; `remove()` deletes it with its contents. */
export function makeTempDir(prefix = "xdr-relay-queue-"): { path: string; file(name: string): string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file: (name) => join(path, name),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/**
 * Per test: a temp directory, and the resources opened in it, closed (in reverse order) before
 * the directory is removed. Call at the top of a `describe`.
 */
export function useTempDir(): { file(name: string): string; track<T extends { close(): unknown }>(resource: T): T } {
  let dir: ReturnType<typeof makeTempDir> | undefined;
  const open: { close(): unknown }[] = [];
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(async () => {
    for (const resource of open.splice(0).reverse()) await resource.close();
    dir?.remove();
  });
  return {
    file: (name) => {
      if (dir === undefined) throw new Error("useTempDir: file() is only available inside a test");
      return dir.file(name);
    },
    track: (resource) => {
      open.push(resource);
      return resource;
    },
  };
}
