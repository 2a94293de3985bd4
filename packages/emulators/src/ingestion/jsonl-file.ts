import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";

/**
 * A JSONL file that only grows by whole lines. A crash can leave a last line without its newline
 * (a torn write): readers never count or yield it, and the writer cuts it before appending again.
 */
const newline = 0x0a;

export function isMissing(e: unknown): boolean {
  return (e as NodeJS.ErrnoException).code === "ENOENT";
}

/** Complete lines from byte `start` on, each with the offset just past its newline. */
export async function* completeLines(path: string, start = 0): AsyncGenerator<{ line: Buffer; end: number }> {
  let pending = Buffer.alloc(0);
  let offset = start;
  try {
    for await (const chunk of createReadStream(path, { start }) as AsyncIterable<Buffer>) {
      let data = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      for (let at = data.indexOf(newline); at !== -1; at = data.indexOf(newline)) {
        offset += at + 1;
        yield { line: data.subarray(0, at), end: offset };
        data = data.subarray(at + 1);
      }
      pending = Buffer.from(data);
    }
  } catch (e) {
    if (!isMissing(e)) throw e;
  }
}

/**
 * Appends whole lines. Once this resolves they survive the process dying (the kernel holds them);
 * `fsync` also makes them survive the machine dying, at ~10 ms a call here.
 */
export async function appendLines(path: string, text: string, fsync: boolean): Promise<void> {
  const file = await open(path, "a");
  try {
    await file.writeFile(text, "utf8");
    if (fsync) await file.datasync();
  } finally {
    await file.close();
  }
}

/** Cuts a torn last line (one with no newline) left by a crash mid-write. */
export async function cutTornTail(path: string): Promise<void> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(path, "r+");
  } catch (e) {
    if (isMissing(e)) return;
    throw e;
  }
  try {
    const { size } = await file.stat();
    const block = Buffer.alloc(64 * 1024);
    for (let end = size; end > 0; ) {
      const start = Math.max(0, end - block.length);
      const { bytesRead } = await file.read(block, 0, end - start, start);
      const at = block.subarray(0, bytesRead).lastIndexOf(newline);
      if (at !== -1) {
        const keep = start + at + 1;
        if (keep < size) await file.truncate(keep);
        return;
      }
      end = start;
    }
    if (size > 0) await file.truncate(0);
  } finally {
    await file.close();
  }
}
