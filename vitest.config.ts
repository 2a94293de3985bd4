import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    // Emulators, SQLite files and child processes: give slow machines room, never hang CI.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
