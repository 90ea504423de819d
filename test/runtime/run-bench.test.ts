/**
 * The `dplc run` benchmark (src/host/run-bench.ts) on its record/replay half: it must time
 * a replay that really reproduced the recording, or its figures mean nothing.
 */
import { expect, it } from "vitest";
import { formatRunBench, runDplcBench } from "../../src/host/run-bench.js";

it("times a record and a byte-identical replay of the workload through dplc run", () => {
  const r = runDplcBench({ repeats: 1, throughput: false });
  expect(r.identical).toBe(true);
  expect(r.events).toBeGreaterThan(2000);
  expect(r.bytesPerEvent).toBeGreaterThan(100);
  expect(r.recordMs).toBeGreaterThan(0);
  expect(formatRunBench(r)).toMatch(/replay \/ record \(without start-up\)\s+\d+\.\d\d/);
}, 120_000);
