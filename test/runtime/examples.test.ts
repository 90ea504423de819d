/**
 * The programs in examples/: each runs through `bin/dplc run` with the command its own
 * header gives, prints what `NAME.stdout` holds, exits 0, and leaves a trace that verifies.
 * Beyond the golden output, each test states the property the example exists to show, so
 * a re-blessed output that broke it still fails.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers.js";
import { EXAMPLES, FIXTURES, entriesOf, expectStdout, faults, lineValue, runTraced, runtimeEvents, type TracedRun } from "./harness.js";

/** The flags after `bin/dplc run examples/NAME.ds` in the example's header comment. */
function headerFlags(file: string): string[] {
  const text = readFileSync(join(EXAMPLES, file), "utf8");
  const m = new RegExp(`^//\\s+bin/dplc run examples/${file.replace(".", "\\.")}(.*)$`, "m").exec(text);
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

const EXAMPLE_FILES = readdirSync(EXAMPLES).filter((f) => f.endsWith(".ds")).sort();

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
    });
  }
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
