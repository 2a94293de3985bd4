import { type ChildProcess, spawn } from "node:child_process";
import { createInterface, type Interface } from "node:readline";

/**
 * A bench helper script run in its own Node process (`node --import tsx`), so its CPU and memory do
 * not count against the code under test. The child speaks JSON lines on stdout; `request` writes a
 * line on its stdin and resolves with its next stdout line.
 */
export interface BenchChild {
  readonly first: unknown;
  request(line: string): Promise<unknown>;
  /** Resolves with the child's last JSON line once it exits. */
  close(): Promise<void>;
}

const here = import.meta.dirname;

export async function startChild(script: string, args: readonly string[]): Promise<BenchChild> {
  const child = spawn(process.execPath, ["--import", "tsx", `${here}/${script}`, ...args], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout as NonNullable<ChildProcess["stdout"]> });
  const first = await nextLine(lines, child);
  return {
    first,
    async request(line) {
      child.stdin?.write(`${line}\n`);
      return nextLine(lines, child);
    },
    async close() {
      child.stdin?.end();
      if (child.exitCode === null) await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

/** Runs a child to completion and returns its single JSON answer. */
export async function runChild(script: string, args: readonly string[]): Promise<unknown> {
  const child = await startChild(script, args);
  await child.close();
  return child.first;
}

function nextLine(lines: Interface, child: ChildProcess): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`bench child exited (${code}) before answering`));
    child.once("exit", onExit);
    lines.once("line", (line) => {
      child.off("exit", onExit);
      resolve(JSON.parse(line));
    });
  });
}
