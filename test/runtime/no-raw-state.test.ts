/**
 * XDV-081 §5.2, §5.3, §13 and XDV-070 §4: no output of the runtime ever holds a Q amplitude
 * or a raw Φ phase. Every conformance program runs through `bin/dplc run` with `--record`
 * and `--telemetry`, and all three outputs (stdout, trace, telemetry) are searched
 * (raw-state.ts says how). The examples get the same search in examples.test.ts, on the run
 * that test already makes, so no example is run twice.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, entriesOf, runTraced, type TracedRun } from "./harness.js";
import { computesWithFloats, leaks, scanValue, type Leak } from "./raw-state.js";

const PROGRAMS = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".ds"))
  .map((f) => join(FIXTURES, f))
  .sort();

const runs = new Map<string, TracedRun>();
function run(file: string): TracedRun {
  let r = runs.get(file);
  if (!r) {
    r = runTraced(file);
    runs.set(file, r);
  }
  return r;
}

describe("no amplitude and no raw phase in any output of the runtime", () => {
  for (const file of PROGRAMS) {
    const name = file.slice(file.lastIndexOf("/", file.lastIndexOf("/") - 1) + 1);
    it(`${name}: stdout, trace and telemetry hold no fractional value and no state field`, () => {
      const r = run(file);
      expect(r.status, r.stderr).toBe(0);
      expect(leaks(r, name, computesWithFloats(file))).toEqual([]);
    });
  }

  it("the search would see a leak: the scanner flags amplitudes and phases in every form they could take", () => {
    const planted: Leak[] = [];
    scanValue({ counts: { "00": 0.5 } }, "a", planted);
    scanValue({ detail: "amp=0.7071067811865476" }, "b", planted);
    scanValue({ note: "phase 1.5707963267948966 rad" }, "c", planted);
    scanValue({ amplitudes: [1, 0] }, "d", planted);
    scanValue({ value: "1e-3" }, "e", planted);
    expect(planted.map((l) => l.where)).toEqual(["a.counts.00", "b.detail", "c.note", "d.amplitudes", "e.value"]);
    // Hashes, ids and bitstrings are not mistaken for fractions.
    const clean: Leak[] = [];
    scanValue({ hash: "e7b47cc1b0695a287e716581a6053492bb49fee0b5d8420b12169f1b4af4a019", id: "9873.0x", bits: "101 011" }, "f", clean);
    expect(clean).toEqual([]);
  });

  it("there was state to leak: the programs measured qubits and transformed envelopes", () => {
    const all = PROGRAMS.map(run);
    const results = all.flatMap((r) => [...entriesOf(r.trace, "q_result"), ...entriesOf(r.trace, "phi_result")]);
    expect(results.filter((e) => e.event_type === "q_result").length).toBeGreaterThan(5);
    expect(results.filter((e) => e.event_type === "phi_result").length).toBeGreaterThanOrEqual(1);
  });
});
