import { afterEach, beforeEach, vi } from "vitest";

/**
 * For a command's test file: the lines the command prints with `console.log`, collected afresh
 * for each test (and not printed). Call at the top of the file; empty the array to start over.
 */
export function printedLines(): string[] {
  const lines: string[] = [];
  beforeEach(() => {
    lines.length = 0;
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return lines;
}
