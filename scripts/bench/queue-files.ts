import { copyFileSync, existsSync } from "node:fs";
import { runChild } from "./child-process.ts";

/** A preloaded queue file, filled once per bench and copied for every trial (a copy takes a second; a preload, a minute). */
export interface PreloadedQueue {
  readonly path: string;
  readonly rows: number;
  readonly ms: number;
}

export async function preloadQueue(path: string, rows: number): Promise<PreloadedQueue> {
  const done = (await runChild("preload-child.ts", [path, String(rows)])) as { rows: number; ms: number };
  return { path, ...done };
}

export function copyQueue(from: string, to: string): string {
  for (const suffix of ["", "-wal", "-shm"]) if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix);
  return to;
}
