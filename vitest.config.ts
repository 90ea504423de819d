import { defineConfig } from "vitest/config";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Recorded traces are signed with a key of the test run's own, never the user's.
    env: { DPLC_TRACE_KEY: join(tmpdir(), `dplc-test-trace-key-${process.pid}`, "trace-key.json") },
  },
});
