/**
 * A dustlang Q process runs on the embedded kernel's simulated QPU (docs/language.md, "Q
 * and Φ processes on the providers"): each `observe r` of a register is one single-shot job
 * through the hybrid runtime, recorded in the trace as an XDV program's job is, and a replay
 * of that trace prints the same. fixtures/run/dustlang/v01_qpu.ds pins the output itself.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { REPO_ROOT, runDplc } from "../helpers.js";
import { entriesOf, runTraced } from "../runtime/harness.js";

const FIXTURE = join(REPO_ROOT, "fixtures", "run", "dustlang", "v01_qpu.ds");

describe("dustlang Q processes on the simulated QPU", () => {
  it("records one single-shot Q job per observed register, and a replay prints the same", () => {
    const r = runTraced(FIXTURE);
    expect(r.status, r.stderr).toBe(0);
    const jobs = entriesOf(r.trace, "q_result");
    // bell (2 qubits), read(flips()) (3), ghz(4): one shot each, the circuit's outcome.
    expect(jobs.map((j) => (j.metadata["per_shot"] as string[]).length)).toEqual([1, 1, 1]);
    const shots = jobs.map((j) => (j.metadata["per_shot"] as string[])[0]);
    expect(["00", "11"]).toContain(shots[0]);
    expect(shots[1]).toBe("011");
    expect(["0000", "1111"]).toContain(shots[2]);
    const replay = runDplc(["run", FIXTURE, "--replay", r.tracePath]);
    expect(replay.stderr).toBe("");
    expect(replay.stdout).toBe(r.stdout);
  });
});
