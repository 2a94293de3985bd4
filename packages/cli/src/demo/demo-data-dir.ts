import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../commands/usage-error.ts";

/** The file that marks a directory as the demo's own, so a later demo may empty it. */
export const demoMarker = ".xdr-relay-demo";

/**
 * Makes `dir` an empty directory for a demo run. Each run starts afresh, so the last run's data
 * goes, but only data the demo made: a directory without the demo's marker (a real relay's data
 * directory given to `--data-dir` by mistake, say) is refused unless it is empty, never emptied.
 * The default directory (`ownDir`: `.xdr-relay/demo`, which only the demo uses) is emptied as
 * before, as earlier releases left it without the marker.
 */
export function claimDemoDataDir(dir: string, options: { ownDir: boolean }): void {
  const problem = notADirectory(dir);
  if (problem) throw new UsageError(`--data-dir ${JSON.stringify(dir)} ${problem}; give it a new or empty directory`);
  if (!options.ownDir && existsSync(dir) && !existsSync(join(dir, demoMarker)) && readdirSync(dir).length > 0) {
    throw new UsageError(
      `--data-dir ${dir} holds data the demo did not make; the demo empties its directory on every run, ` +
        "so give it a new or empty one (a relay's data directory is never used for the demo)",
    );
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, demoMarker), "made by `xdr-relay demo`, which empties this directory on every run\n");
}

/**
 * Why `dir` can never be a directory, in words: an empty path, an existing file, or a path through
 * a file. Said here, as a usage error, because the fs calls below would only say ENOENT or ENOTDIR.
 */
function notADirectory(dir: string): string | undefined {
  if (dir === "") return "is empty";
  try {
    const found = statSync(dir, { throwIfNoEntry: false });
    return found && !found.isDirectory() ? "is a file, not a directory" : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR") return "lies under a file, not a directory";
    throw error;
  }
}
