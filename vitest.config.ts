import { defineConfig } from "vitest/config";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most of the suite waits on child processes (bin/dplc, etcd, Neovim, Chromium): two test
    // files at a time keep both cores of a 2-core CI machine busy
    // (vitest's default, cores − 1, leaves one idle there).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Recorded traces are signed with a key of the test run's own, never the user's.
    env: { DPLC_TRACE_KEY: join(tmpdir(), `dplc-test-trace-key-${process.pid}`, "trace-key.json") },
  },
});
