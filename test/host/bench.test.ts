import { expect, test } from "vitest";
import { formatHostBench, runHostBench } from "../../src/host/bench.js";

test("the host benchmark runs end to end on a small workload and replays identically", () => {
  const report = runHostBench({ jobs2q: 20, jobs16q: 2, shots: 64, workloadJobs: 20 });
  expect(report.replay.identical).toBe(true);
  expect(report.twoQubit.jobsPerSecond).toBeGreaterThan(0);
  expect(report.sixteenQubit.depth).toBeGreaterThan(4);
  expect(report.traceBytesPerEvent).toBeGreaterThan(100);
  expect(formatHostBench(report)).toMatch(/Q jobs\/s, 16 qubits/);
});
