/**
 * XDV-084 §4–§6 as DPL programs (fixtures/runtime/) run through `bin/dplc run`: contracts
 * required before every domain call (§4.2, XDV-081 §6), decoherence budgets (§5.2),
 * calibration expiry (§5.3), coherence windows (§6.1), stability breaches (§6.2), and the
 * lifecycle's legal transitions (XDV-081 §4.2).
 *
 * Each test checks the code the program printed (its `NAME.stdout`), the refusal in the
 * trace (runtime event and/or kernel fault, with the entry's domain and contract), the
 * fault's XDV-070 telemetry, and that the refused call changed nothing it was not specified
 * to change (a budget fault costs its contract, XDV-084 §5.2; nothing else moves).
 */
import { describe, expect, it } from "vitest";
import { entriesOf, faults, lineValue, runConformance, runtimeEvents, type TracedRun } from "./harness.js";

const run = runConformance;

const kernelFaults = (r: TracedRun): string[] => faults(r.trace).map((f) => `${f.domain} ${f.code} ${f.reason} ${f.contract ?? "-"}`);
const refusals = (r: TracedRun): string[] => runtimeEvents(r.trace, "CallRefused").map((e) => `${e.domain} ${e.detail} ${e.contract ?? "-"}`);

/** A status line without its state word: "used 4, left 4, shots 10". */
const figures = (status: string): string => status.replace(/^\S+ \S+, /, "");

function faultTelemetry(r: TracedRun): { code: string; severity: string }[] {
  return r.telemetry.filter((t) => t["kind"] === "fault").map((t) => ({ code: String(t["code"]), severity: String(t["severity"]) }));
}

describe("XDV-084 §4.2 / XDV-081 §6 domain call without a contract", () => {
  it("a contract never acquired, or of the wrong domain, is CONTRACT_INVALID in runtime and kernel", () => {
    const r = run("no_contract");
    expect(lineValue(r.stdout, "Q job under contract 77 (runtime)")).toBe("CONTRACT_INVALID");
    expect(lineValue(r.stdout, "Q job under contract 77 (kernel)")).toBe("CONTRACT_INVALID");
    expect(lineValue(r.stdout, "Φ transform under the Q contract (runtime)")).toBe("CONTRACT_INVALID");
    expect(lineValue(r.stdout, "Φ transform under the Q contract (kernel)")).toBe("CONTRACT_INVALID");
    expect(refusals(r)).toEqual(["Q contract-not-held CONTRACT_INVALID 77", "Φ contract-wrong-domain CONTRACT_INVALID 1"]);
    expect(kernelFaults(r)).toEqual(["Q CONTRACT_INVALID contract-unknown 77", "Φ CONTRACT_INVALID contract-wrong-domain 1"]);
    expect(faultTelemetry(r)).toEqual([{ code: "CONTRACT_INVALID", severity: "error" }, { code: "CONTRACT_INVALID", severity: "error" }]);
    // Nothing ran and nothing was created by the refused calls: one contract, the one acquired.
    expect(entriesOf(r.trace, "domain_enter")).toEqual([]);
    expect(entriesOf(r.trace, "contract_acquire")).toHaveLength(1);
    expect(lineValue(r.stdout, "contracts held before")).toBe("0");
    expect(lineValue(r.stdout, "contracts held after")).toBe("1");
    expect(lineValue(r.stdout, "Q contract")).toBe("Active, used 0");
  });
});

describe("XDV-084 §5.2 decoherence budget enforcement", () => {
  it("the job over budget is refused before execution, invalidates the contract and escalates", () => {
    const r = run("decoherence_exceeded");
    expect(lineValue(r.stdout, "depth 6, 4 left")).toBe("DECOHERENCE_EXCEEDED");
    expect(lineValue(r.stdout, "runtime handle valid")).toBe("false");
    expect(lineValue(r.stdout, "depth 1 on the invalidated contract (runtime)")).toBe("CONTRACT_INVALID");
    expect(lineValue(r.stdout, "depth 1 on the invalidated contract (kernel)")).toBe("CONTRACT_INVALID");
    expect(kernelFaults(r)).toEqual(["Q DECOHERENCE_EXCEEDED budget-decoherence 1", "Q CONTRACT_INVALID contract-invalidated 1"]);
    const fault = faults(r.trace)[0]!;
    // Deterministic rejection: the fault, then the contract's invalidation, in both layers.
    expect(r.trace[fault.index + 1]!.event_type).toBe("contract_invalidate");
    expect(runtimeEvents(r.trace, "ContractInvalidated").map((e) => e.contract)).toEqual(["1"]);
    expect(refusals(r)).toEqual(["Q contract-not-valid CONTRACT_INVALID 1"]);
    // Fault escalation: an error-severity FaultEvent from the kernel and a fault metric from the runtime.
    expect(faultTelemetry(r)[0]).toEqual({ code: "DECOHERENCE_EXCEEDED", severity: "error" });
    const metric = r.telemetry.find((t) => t["metric"] === "fault")!;
    expect(metric).toMatchObject({ source: "program", severity: "error", value: "4", domain: "Q" });
    // Only the first job ran; the budget and shots it left are exactly what the fault left.
    expect(entriesOf(r.trace, "q_result")).toHaveLength(1);
    expect(lineValue(r.stdout, "before")).toBe("contract Active, used 4, left 4, shots 10");
    expect(figures(lineValue(r.stdout, "after"))).toBe(figures(lineValue(r.stdout, "before")));
    expect(lineValue(r.stdout, "finally")).toBe(lineValue(r.stdout, "after"));
  });
});

describe("XDV-084 §5.3 expired calibration contract", () => {
  it("a job after the contract's calibration lapsed is rejected before execution", () => {
    const r = run("expired_contract");
    expect(lineValue(r.stdout, "job after the calibration lapsed")).toBe("CONTRACT_INVALID");
    expect(lineValue(r.stdout, "another job (runtime refuses)")).toBe("CONTRACT_INVALID");
    const expire = entriesOf(r.trace, "contract_expire");
    expect(expire).toHaveLength(1);
    expect(BigInt(expire[0]!.logical_ts)).toBeGreaterThan(BigInt(String(expire[0]!.metadata["valid_until"])));
    expect(kernelFaults(r)).toEqual(["Q CONTRACT_INVALID contract-expired 1"]);
    expect(refusals(r)).toEqual(["Q contract-not-valid CONTRACT_INVALID 1"]);
    expect(entriesOf(r.trace, "q_result")).toHaveLength(1);
    expect(lineValue(r.stdout, "after")).toBe("contract Expired, used 2, shots 10");
    expect(figures(lineValue(r.stdout, "after"))).toBe(figures(lineValue(r.stdout, "before")));
  });
});

describe("XDV-084 §6.1 coherence window enforcement", () => {
  it("a transform before the window is COHERENCE_VIOLATION and the envelope is invalidated", () => {
    const r = run("window_outside");
    expect(lineValue(r.stdout, "window open now")).toBe("false");
    expect(lineValue(r.stdout, "transform before the window")).toBe("COHERENCE_VIOLATION");
    expect(lineValue(r.stdout, "transform inside the window, envelope invalidated (runtime)")).toBe("CONTRACT_INVALID");
    expect(lineValue(r.stdout, "transform inside the window, envelope invalidated (kernel)")).toBe("CONTRACT_INVALID");
    expect(kernelFaults(r)).toEqual(["Φ COHERENCE_VIOLATION window-outside 1", "Φ CONTRACT_INVALID contract-invalidated 1"]);
    const fault = r.trace[faults(r.trace)[0]!.index]!;
    expect(BigInt(String(fault.metadata["at"]))).toBeLessThan(BigInt(String(fault.metadata["window_start"])));
    expect(fault.metadata["provider_code"]).toBe("PHI_ERR_COHERENCE_TIMEOUT");
    expect(entriesOf(r.trace, "contract_invalidate")).toHaveLength(1);
    // Execution rejected: the envelope was never read or transformed.
    expect(entriesOf(r.trace, "phi_stability")).toEqual([]);
    expect(entriesOf(r.trace, "phi_result")).toEqual([]);
    expect(lineValue(r.stdout, "after")).toBe("envelope Invalidated, transforms used 0, left 3");
    expect(figures(lineValue(r.stdout, "after"))).toBe(figures(lineValue(r.stdout, "before")));
    expect(lineValue(r.stdout, "finally")).toBe(lineValue(r.stdout, "after"));
  });
});

describe("XDV-084 §6.2 stability threshold breach", () => {
  it("a report below tolerance terminates the envelope, escalates, and is logged", () => {
    const r = run("stability_breach");
    expect(lineValue(r.stdout, "early in the window")).toBe("within tolerance true");
    expect(lineValue(r.stdout, "late in the window")).toBe("COHERENCE_VIOLATION");
    expect(lineValue(r.stdout, "transform on the breached envelope")).toBe("CONTRACT_INVALID");
    const readings = entriesOf(r.trace, "phi_stability").map((e) => Number(e.metadata["stability_level"]));
    expect(readings).toHaveLength(2);
    expect(readings[0]).toBeGreaterThanOrEqual(9000);
    expect(readings[1]).toBeLessThan(9000);
    expect(kernelFaults(r)).toEqual(["Φ COHERENCE_VIOLATION stability-breach 1"]);
    expect(r.trace[faults(r.trace)[0]!.index + 1]!.event_type).toBe("contract_invalidate");
    expect(refusals(r)).toEqual(["Φ contract-not-valid CONTRACT_INVALID 1"]);
    expect(faultTelemetry(r)).toEqual([{ code: "COHERENCE_VIOLATION", severity: "error" }]);
    expect(r.telemetry.filter((t) => t["metric"] === "phi_stability").map((t) => t["severity"])).toEqual(["info", "error"]);
    expect(entriesOf(r.trace, "phi_result")).toEqual([]);
    expect(figures(lineValue(r.stdout, "after"))).toBe(figures(lineValue(r.stdout, "before")));
  });
});

describe("XDV-081 §4.2 illegal lifecycle transition", () => {
  it("is DOMAIN_PANIC in the runtime and in the kernel, logged, and leaves the state as it was", () => {
    const r = run("illegal_transition");
    for (const label of ["Created -> Active (runtime)", "Created -> Active (kernel)", "Active -> Initialized", "Suspended -> DomainBound", "Terminated -> Initialized"]) {
      expect(lineValue(r.stdout, label)).toBe("DOMAIN_PANIC");
    }
    expect(runtimeEvents(r.trace, "TransitionRefused").map((e) => e.detail)).toEqual([
      "Created->Active DOMAIN_PANIC",
      "Active->Initialized DOMAIN_PANIC",
      "Suspended->DomainBound DOMAIN_PANIC",
      "Terminated->Initialized DOMAIN_PANIC",
    ]);
    const fault = faults(r.trace);
    expect(fault.map((f) => `${f.code} ${f.reason}`)).toEqual(["DOMAIN_PANIC illegal-transition"]);
    expect(r.trace[fault[0]!.index]!.process).toBe("2");
    expect(faultTelemetry(r)).toEqual([{ code: "DOMAIN_PANIC", severity: "critical" }]);
    // The kernel's view agrees with the runtime's records: nothing moved.
    expect(lineValue(r.stdout, "child is Created (runtime record")).toBe("Created)");
    expect(lineValue(r.stdout, "process is Suspended (runtime record")).toBe("Suspended)");
    // Every accepted transition is a legal step, and each is in the trace once.
    const steps = entriesOf(r.trace, "lifecycle").map((e) => `${e.process}:${String(e.metadata["from"])}->${String(e.metadata["to"])}`);
    expect(steps).toEqual([
      "1:null->Created",
      "1:Created->Initialized",
      "1:Initialized->DomainBound",
      "1:DomainBound->Active",
      "2:null->Created",
      "1:Active->Suspended",
      "1:Suspended->Active",
      "2:Created->Terminated",
      "1:Active->Terminated",
    ]);
  });
});

describe("XDV-081 §12 a malformed circuit: the code, and the kernel's account for the program", () => {
  it("DOMAIN_PANIC reaches the program with the fault's message, reason, line and column", () => {
    const r = run("malformed_circuit");
    const bad = faults(r.trace).filter((f) => f.reason === "circuit-invalid");
    expect(bad.map((f) => `${f.domain} ${f.code}`)).toEqual(["Q DOMAIN_PANIC", "Q DOMAIN_PANIC"]);
    // The program prints the sentence the trace recorded, and the position it names.
    const message = String(r.trace[bad[0]!.index]!.metadata["message"]);
    expect(message).toMatch(/^OpenQASM line 5, column 7: expected ';'/);
    expect(lineValue(r.stdout, "runtime message")).toBe(message);
    expect(lineValue(r.stdout, "kernel message")).toBe(message);
    expect(lineValue(r.stdout, "kernel at")).toBe(`line ${r.trace[bad[0]!.index]!.metadata["line"]}, column ${r.trace[bad[0]!.index]!.metadata["column"]}`);
    // The code is still only the code, and a code the program made has no detail.
    expect(lineValue(r.stdout, "is DOMAIN_PANIC")).toBe("true");
    expect(lineValue(r.stdout, "made message")).toBe("none");
  });
});
