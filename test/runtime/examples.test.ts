/**
 * The programs in examples/: each runs through `bin/dplc run` with the command its own
 * header gives, prints what `NAME.stdout` holds, exits 0, and leaves a trace that verifies;
 * its stdout, trace and telemetry hold no amplitude and no raw phase (raw-state.ts). A
 * folder with a `main.ds` (examples/phase_estimation/) is one program of several modules,
 * with `main.stdout` beside it. Beyond the golden output, each test states the property the
 * example exists to show, so a re-blessed output that broke it still fails. Each example is
 * run once per test process and every test reads that run. (test/emit/tsc-strict.test.ts
 * builds every example and type-checks the emitted TypeScript under `tsc --strict`.)
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers.js";
import { exampleFiles } from "../emit/emitted-tree.js";
import { EXAMPLES, FIXTURES, entriesOf, expectStdout, faults, lineValue, runTraced, runtimeEvents, type TracedRun } from "./harness.js";
import { computesWithFloats, leaks } from "./raw-state.js";

/** The flags after `bin/dplc run examples/NAME.ds` in the example's header comment. */
function headerFlags(file: string): string[] {
  const text = readFileSync(join(EXAMPLES, file), "utf8");
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(`^//\\s+bin/dplc run examples/${escaped}(.*)$`, "m").exec(text);
  return m ? m[1]!.trim().split(/\s+/).filter(Boolean) : [];
}

const runs = new Map<string, TracedRun>();
function run(file: string): TracedRun {
  let r = runs.get(file);
  if (!r) {
    r = runTraced(join(EXAMPLES, file), headerFlags(file));
    runs.set(file, r);
  }
  return r;
}

/** Paths relative to examples/: `NAME.ds`, and `DIR/main.ds` for a program of several files. */
const EXAMPLE_FILES = exampleFiles();

describe("every example", () => {
  for (const file of EXAMPLE_FILES) {
    it(`${file} says what it shows, runs, and prints its expected output`, () => {
      const text = readFileSync(join(EXAMPLES, file), "utf8");
      expect(text.startsWith("// "), `${file} needs a comment header`).toBe(true);
      const r = run(file);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expectStdout(join(EXAMPLES, file), r.stdout);
      expect(entriesOf(r.trace, "run_end")).toHaveLength(1);
      expect(leaks(r, file, computesWithFloats(join(EXAMPLES, file)))).toEqual([]);
    });
  }

  it("covers every program in examples/, and there was state to leak: qubits measured, envelopes transformed", () => {
    expect(EXAMPLE_FILES.length).toBeGreaterThanOrEqual(27);
    expect(EXAMPLE_FILES).toContain("phase_estimation/main.ds");
    for (const f of EXAMPLE_FILES) expect(existsSync(join(EXAMPLES, f.replace(/\.ds$/, ".stdout"))), f).toBe(true);
    const all = EXAMPLE_FILES.map(run);
    expect(all.flatMap((r) => entriesOf(r.trace, "q_result")).length).toBeGreaterThan(50);
    expect(all.flatMap((r) => entriesOf(r.trace, "phi_result")).length).toBeGreaterThan(10);
  });
});

describe("what each example shows", () => {
  it("bell_pair: the two measurements of a Bell pair always agree", () => {
    const r = run("bell_pair.ds");
    expect(lineValue(r.stdout, "01 or 10 measured")).toBe("0 times");
    expect(r.stdout).toContain("both qubits agree in 1000 of 1000 shots\n");
    const result = entriesOf(r.trace, "q_result")[0]!;
    const shots = result.metadata["per_shot"] as string[];
    expect(shots).toHaveLength(1000);
    expect(shots.every((s) => s === "00" || s === "11")).toBe(true);
    // Entangled, not constant: both outcomes occur, in roughly equal numbers.
    const zeros = shots.filter((s) => s === "00").length;
    expect(zeros).toBeGreaterThan(400);
    expect(zeros).toBeLessThan(600);
  });

  it("bell_pair: the root process binds Q explicitly, walking the whole lifecycle up to Active", () => {
    const r = run("bell_pair.ds");
    const steps = entriesOf(r.trace, "lifecycle").filter((e) => e.process === "1").map((e) => `${String(e.metadata["from"])}->${String(e.metadata["to"])}`);
    expect(steps).toEqual(["null->Created", "Created->Initialized", "Initialized->DomainBound", "DomainBound->Active", "Active->Terminated"]);
    const bound = entriesOf(r.trace, "lifecycle").find((e) => e.metadata["to"] === "DomainBound")!;
    expect(bound.metadata["domains"]).toEqual(["K", "Q"]);
  });

  it("ghz_job: five qubits measure all-zeros or all-ones, and the job costs its depth", () => {
    const r = run("ghz_job.ds");
    const counts = entriesOf(r.trace, "q_result")[0]!.metadata["counts"] as Record<string, number>;
    expect(Object.keys(counts).sort()).toEqual(["00000", "11111"]);
    expect(counts["00000"]! + counts["11111"]!).toBe(2048);
    expect(lineValue(r.stdout, "decoherence")).toBe("used 6, left 14");
  });

  it("phi_window: inside the window the transform runs; before it, the envelope is lost for good", () => {
    const r = run("phi_window.ds");
    expect(lineValue(r.stdout, "transform 3 before window B")).toBe("COHERENCE_VIOLATION");
    expect(lineValue(r.stdout, "envelope B")).toBe("Invalidated");
    expect(lineValue(r.stdout, "transform 3 inside window B, after the violation")).toBe("CONTRACT_INVALID");
    expect(faults(r.trace).map((f) => f.reason)).toEqual(["window-outside"]);
    expect(entriesOf(r.trace, "phi_result")).toHaveLength(1);
  });

  it("revoked_capability: a copy kept from before the revocation is refused by runtime and kernel", () => {
    const r = run("revoked_capability.ds");
    expect(lineValue(r.stdout, "job 3 with the revoked copy")).toBe("DOMAIN_UNAUTHORIZED");
    expect(lineValue(r.stdout, "job 3 straight to the kernel")).toBe("DOMAIN_UNAUTHORIZED");
    expect(faults(r.trace).map((f) => f.reason)).toEqual(["capability-revoked"]);
    expect(entriesOf(r.trace, "q_result")).toHaveLength(3);
  });

  it("decoherence_budget: the job over budget never runs and costs the contract", () => {
    const r = run("decoherence_budget.ds");
    expect(lineValue(r.stdout, "job of depth 10")).toBe("DECOHERENCE_EXCEEDED");
    expect(faults(r.trace).map((f) => `${f.code}/${f.reason}`)).toEqual(["DECOHERENCE_EXCEEDED/budget-decoherence"]);
    expect(entriesOf(r.trace, "contract_invalidate")).toHaveLength(1);
    // Three jobs ran: two on the first contract, one on the replacement.
    expect(entriesOf(r.trace, "q_result")).toHaveLength(3);
  });

  it("ipc_workers: K → Q requests and Q → K results, numbered by one global counter, delivered in order", () => {
    const r = run("ipc_workers.ds");
    const sends = entriesOf(r.trace, "ipc_send").map((e) => `${e.process}->${String(e.metadata["receiver"])} ${String(e.metadata["source_domain"])}>${String(e.metadata["target_domain"])}`);
    expect(sends).toEqual(["1->2 K>Q", "1->2 K>Q", "2->1 Q>K", "2->1 Q>K"]);
    // Each route was authorised by a Q capability of the sending process.
    const issued = new Map(entriesOf(r.trace, "capability_issue").map((e) => [e.capability, `${e.process} ${e.domain}`]));
    expect(entriesOf(r.trace, "ipc_send").map((e) => issued.get(e.capability))).toEqual(["1 Q", "1 Q", "2 Q", "2 Q"]);
    const received = entriesOf(r.trace, "ipc_receive").map((e) => `${e.process}:${String(e.metadata["seq"])}`);
    expect(received).toEqual(["2:1", "2:2", "1:3", "1:4"]);
    expect(entriesOf(r.trace, "context_switch").map((e) => `${String(e.metadata["from"])}->${String(e.metadata["to"])}`)).toEqual(["1->2", "2->1"]);
    // Each process ran its Q job under its own capability and contract.
    expect(new Set(entriesOf(r.trace, "q_result").map((e) => e.process))).toEqual(new Set(["2"]));
    expect(runtimeEvents(r.trace, "IpcSent")).toHaveLength(4);
  });
});

describe("what the issue-11 programs show", () => {
  /** The figures on every line of `stdout` that starts with `prefix`, as numbers. */
  const figures = (stdout: string, prefix: string, pattern: RegExp): number[] =>
    stdout
      .split("\n")
      .filter((l) => l.startsWith(prefix))
      .map((l) => Number(pattern.exec(l)![1]));

  it("teleport_feedforward: every case within four standard errors of theory; feed-forward really branches", () => {
    const r = run("teleport_feedforward.ds");
    expect(r.stdout).toContain("8 of 8 cases agree with theory\n");
    const counts = entriesOf(r.trace, "q_result").map((e) => e.metadata["counts"] as Record<string, number>);
    expect(counts).toHaveLength(8);
    // Three registers, receiver first; all four sender outcomes occur in every job.
    for (const c of counts) expect(new Set(Object.keys(c).map((k) => k.slice(2)))).toEqual(new Set(["0 0", "0 1", "1 0", "1 1"]));
  });

  it("deutsch_jozsa, bernstein_vazirani, qft_roundtrip, native_gate_sets: the exact answers are exact", () => {
    expect(run("deutsch_jozsa.ds").stdout).toContain("6 of 6 oracles classified correctly with one query each\n");
    const bv = run("bernstein_vazirani.ds");
    expect(bv.stdout).toContain("5 of 5 secrets recovered exactly\n");
    expect(entriesOf(bv.trace, "q_result").map((e) => Object.keys(e.metadata["counts"] as object).length)).toEqual([1, 1, 1, 1, 1]);
    expect(run("qft_roundtrip.ds").stdout).toContain("4 of 4 round trips exact");
    expect(run("native_gate_sets.ds").stdout).toContain("3 of 3 compilations measure only 100 and 011");
  });

  it("variational_sweep and phase_estimation land near the analytic optimum and distribution", () => {
    const best = figures(run("variational_sweep.ds").stdout, "best θ", /best θ = ([\d.]+)°/);
    expect(Math.abs(best[0]! - 270)).toBeLessThanOrEqual(15);
    const qpe = run("phase_estimation/main.ds");
    expect(figures(qpe.stdout, "φ = ", /total variation ([\d.]+)/).every((d) => d < 0.05)).toBe(true);
    expect(figures(qpe.stdout, "φ = 0.300", /estimate ([\d.]+)/)).toEqual([0.25]);
    expect(figures(run("linalg_predict.ds").stdout, "  total variation", /total variation ([\d.]+)/).every((d) => d < 0.03)).toBe(true);
  });

  it("phi_window_planner: windows never overlap, every transform runs inside its own window", () => {
    const r = run("phi_window_planner.ds");
    expect(lineValue(r.stdout, "plan")).toBe("4 windows, 0 overlapping pairs");
    expect(r.stdout).not.toContain("in window: false");
    expect(entriesOf(r.trace, "phi_result")).toHaveLength(8);
    expect(faults(r.trace)).toEqual([]);
  });

  it("priority_scheduler: every task's child process ends Terminated after Active/Suspended rounds", () => {
    const r = run("priority_scheduler.ds");
    expect(lineValue(r.stdout, "gantt")).toHaveLength(12);
    for (const pid of ["2", "3", "4", "5"]) {
      const steps = entriesOf(r.trace, "lifecycle").filter((e) => e.process === pid).map((e) => String(e.metadata["to"]));
      expect(steps.at(-1)).toBe("Terminated");
      expect(steps.filter((s) => s === "Suspended").length).toBeGreaterThanOrEqual(1);
    }
  });

  it("angle_calculator and shot_statistics: parsed angles rotate as predicted; per-shot results are all there", () => {
    expect(run("angle_calculator.ds").stdout).toContain("5 of 5 angles agree with sin²(θ/2)\n");
    const shots = run("shot_statistics.ds");
    expect((entriesOf(shots.trace, "q_result")[0]!.metadata["per_shot"] as string[]).length).toBe(3000);
    expect(shots.stdout).toContain("histogram total 3000 = shots 3000: true\n");
  });

  it("error_recovery, contract_bank, calibration_state_machine: the refusals come from the kernel's rules", () => {
    const e = run("error_recovery.ds");
    expect(e.stdout).toContain("6 of 7 jobs completed\n");
    expect(faults(e.trace).map((f) => f.code)).toContain("DECOHERENCE_EXCEEDED");
    const bank = run("contract_bank.ds");
    expect(lineValue(bank.stdout, "job on the lapsed short contract")).toBe("CONTRACT_INVALID");
    expect(bank.stdout).toContain("4 of 4 ledgers agree with the kernel's shot count\n");
    const sm = run("calibration_state_machine.ds");
    expect(faults(sm.trace).map((f) => f.code)).toEqual(["DECOHERENCE_EXCEEDED", "DECOHERENCE_EXCEEDED"]);
    expect(sm.stdout).toContain("final state Idle: 14 transitions applied, 4 events refused\n");
  });

  it("supervisor_guest: lifecycle crosses the tenant boundary; messages and capabilities do not", () => {
    const r = run("supervisor_guest.ds");
    expect(lineValue(r.stdout, "message to the worker")).toBe("accepted");
    expect(lineValue(r.stdout, "message to the guest")).toBe("refused (DOMAIN_UNAUTHORIZED)");
    expect(lineValue(r.stdout, "guest using the supervisor's capability")).toBe("refused (DOMAIN_UNAUTHORIZED)");
    expect(lineValue(r.stdout, "reviving the terminated guest")).toBe("refused (DOMAIN_PANIC)");
    const guest = entriesOf(r.trace, "lifecycle").filter((e) => e.process === "3").map((e) => String(e.metadata["to"]));
    expect(guest.slice(-3)).toEqual(["Suspended", "Active", "Terminated"]);
  });
});

describe("the Q simulator through dplc run", () => {
  it("a Bell pair agrees shot by shot under every seed, and the seed changes the sample", () => {
    const samples = new Set<string>();
    for (const seed of ["1", "2", "3", "4"]) {
      const r = runTraced(join(EXAMPLES, "bell_pair.ds"), ["--seed", seed]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain("01 or 10 measured: 0 times\n");
      expect(r.stdout).toContain("both qubits agree in 1000 of 1000 shots\n");
      const counts = entriesOf(r.trace, "q_result")[0]!.metadata["counts"] as Record<string, number>;
      expect(Object.keys(counts).sort()).toEqual(["00", "11"]);
      // 1000 fair coin flips: 4.5 standard deviations either side of 500.
      expect(Math.abs(counts["00"]! - 500)).toBeLessThan(72);
      samples.add(JSON.stringify(counts));
    }
    expect(samples.size).toBeGreaterThan(1);
  });
});

describe("the stdlib README's example (test/stdlib/fixtures/hybrid_example.ds)", () => {
  it("runs end to end: lifecycle, Bell pair, Φ transform, message, revocation", () => {
    const program = join(REPO_ROOT, "test", "stdlib", "fixtures", "hybrid_example.ds");
    const r = runTraced(program);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expectStdout(program, r.stdout, join(FIXTURES, "hybrid_example.stdout"));
    expect(lineValue(r.stdout, "Terminated -> Active refused")).toBe("DOMAIN_PANIC");
    const child = entriesOf(r.trace, "lifecycle").filter((e) => e.process === "2").map((e) => String(e.metadata["to"]));
    expect(child).toEqual(["Created", "Initialized", "DomainBound", "Active", "Suspended", "Active", "Terminated"]);
  });

  it("prints what stdlib/README.md says it prints", () => {
    const readme = readFileSync(join(REPO_ROOT, "stdlib", "README.md"), "utf8");
    const shown = /hybrid_example\.ds` prints \(seed 0\):\n\n```text\n([\s\S]*?)```\n/.exec(readme);
    expect(shown, "stdlib/README.md no longer shows the example's output").not.toBeNull();
    expect(shown![1]).toBe(readFileSync(join(FIXTURES, "hybrid_example.stdout"), "utf8"));
  });
});
