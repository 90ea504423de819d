import { describe, expect, test } from "vitest";
import { SYS, type PhiTransformDescriptor } from "#runtime/abi.js";
import type { EmbeddedKernel } from "../../src/host/index.js";
import { BELL, bootedKernel, expectErr, phiSetup, qasm, qSetup, unwrap } from "./helpers.js";

function bellJob(contract: bigint, extra: Partial<{ qubit_count: number; shots: number; circuit: string }> = {}) {
  return { contract_id: contract, qubit_count: 2, circuit: BELL, shots: 100, ...extra };
}

function traceTypes(kernel: EmbeddedKernel): string[] {
  return kernel.traceLines().map((l) => (JSON.parse(l) as { event_type: string }).event_type);
}

function lastFault(kernel: EmbeddedKernel): Record<string, unknown> {
  const faults = kernel.traceLines().map((l) => JSON.parse(l) as { event_type: string; metadata: Record<string, unknown> }).filter((e) => e.event_type === "fault");
  return faults[faults.length - 1]?.metadata ?? {};
}

function faultEvents(kernel: EmbeddedKernel): Record<string, unknown>[] {
  return kernel.telemetryLines().map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r["kind"] === "fault");
}

describe("DOMAIN_UNAUTHORIZED", () => {
  test("an id never issued is rejected, logged, and mutates nothing", () => {
    const kernel = bootedKernel();
    const { contract } = qSetup(kernel);
    const before = kernel.traceLines().length;
    expectErr(kernel.xdvCall("K", "Q", bellJob(contract), 0n), "DOMAIN_UNAUTHORIZED", "capability-unknown");
    expect(kernel.traceLines().length).toBe(before + 1);
    expect(lastFault(kernel)).toMatchObject({ code: "DOMAIN_UNAUTHORIZED", reason: "capability-unknown" });
    expect(faultEvents(kernel)).toHaveLength(1);
    expect(unwrap(kernel.contractStatus(contract)).used).toBe(0n);
    expect(traceTypes(kernel)).not.toContain("domain_enter");
  });

  test("a forged id (a real id with one bit flipped) is unknown", () => {
    const kernel = bootedKernel();
    const { cap, contract } = qSetup(kernel);
    expectErr(kernel.xdvCall("K", "Q", bellJob(contract), cap ^ 1n), "DOMAIN_UNAUTHORIZED", "capability-unknown");
    unwrap(kernel.xdvCall("K", "Q", bellJob(contract), cap));
  });

  test("a revoked capability stays invalid, even after new ones are issued", () => {
    const kernel = bootedKernel();
    const { cap, contract } = qSetup(kernel);
    unwrap(kernel.revokeCapability(cap));
    expectErr(kernel.xdvCall("K", "Q", bellJob(contract), cap), "DOMAIN_UNAUTHORIZED", "capability-revoked");
    const fresh = unwrap(kernel.requestCapability("Q")).raw_id;
    expect(fresh).not.toBe(cap);
    unwrap(kernel.xdvCall("K", "Q", bellJob(contract), fresh));
    expectErr(kernel.xdvCall("K", "Q", bellJob(contract), cap), "DOMAIN_UNAUTHORIZED", "capability-revoked");
    expectErr(kernel.revokeCapability(cap), "DOMAIN_UNAUTHORIZED", "capability-revoked");
    expectErr(kernel.validateCapability(cap, "Q"), "DOMAIN_UNAUTHORIZED", "capability-revoked");
  });

  test("a capability is scoped to its domain", () => {
    const kernel = bootedKernel();
    const { contract } = qSetup(kernel);
    const phiCap = unwrap(kernel.requestCapability("Φ")).raw_id;
    expectErr(kernel.xdvCall("K", "Q", bellJob(contract), phiCap), "DOMAIN_UNAUTHORIZED", "capability-wrong-domain");
  });

  test("a capability issued to another process of the same tenant is refused", () => {
    const kernel = bootedKernel();
    const { cap, contract } = qSetup(kernel);
    const child = unwrap(kernel.spawnProcess());
    unwrap(kernel.transition(child, "Initialized"));
    unwrap(kernel.transition(child, "DomainBound", ["Q"]));
    unwrap(kernel.transition(child, "Active"));
    unwrap(kernel.switchTo(child));
    expectErr(kernel.xdvCall("K", "Q", bellJob(contract), cap), "DOMAIN_UNAUTHORIZED", "capability-wrong-process");
    expectErr(kernel.revokeCapability(cap), "DOMAIN_UNAUTHORIZED", "capability-wrong-process");
  });

  test("a capability of another tenant is refused before anything else is looked at", () => {
    const kernel = bootedKernel();
    const { cap, contract } = qSetup(kernel);
    const other = kernel.createProcess({ tenant_id: 2n, vhm_id: 2n, activate: ["Q"] });
    unwrap(kernel.schedule(other.pid));
    expect(kernel.self().tenant_id).toBe(2n);
    expectErr(kernel.xdvCall("K", "Q", bellJob(contract), cap), "DOMAIN_UNAUTHORIZED", "capability-wrong-tenant");
    // Tenant 2 can neither see tenant 1's processes nor switch to them.
    expectErr(kernel.switchTo(1n), "DOMAIN_UNAUTHORIZED", "process-cross-tenant");
    expectErr(kernel.processInfo(1n), "DOMAIN_UNAUTHORIZED", "process-cross-tenant");
    const faults = faultEvents(kernel);
    expect(faults[0]).toMatchObject({ tenant: "2", reason: "capability-wrong-tenant" });
  });

  test("calls need an Active caller, a K source and a bound target domain", () => {
    const kernel = bootedKernel();
    const { cap, contract } = qSetup(kernel);
    expectErr(kernel.xdvCall("Φ" as "K", "Q", bellJob(contract), cap), "DOMAIN_UNAUTHORIZED", "source-not-k");
    const child = unwrap(kernel.spawnProcess());
    unwrap(kernel.transition(child, "Initialized"));
    unwrap(kernel.transition(child, "DomainBound", ["Φ"]));
    unwrap(kernel.transition(child, "Active"));
    unwrap(kernel.switchTo(child));
    expectErr(kernel.requestCapability("Q"), "DOMAIN_UNAUTHORIZED", "domain-not-bound");
    unwrap(kernel.switchTo(1n));
    unwrap(kernel.transition(1n, "Suspended"));
    expectErr(kernel.xdvCall("K", "Q", bellJob(contract), cap), "DOMAIN_UNAUTHORIZED", "process-not-active");
    unwrap(kernel.transition(1n, "Active"));
    unwrap(kernel.xdvCall("K", "Q", bellJob(contract), cap));
  });

  test("checks run in a fixed order: a bad capability wins over a bad contract", () => {
    const kernel = bootedKernel();
    expectErr(kernel.xdvCall("K", "Q", bellJob(999n), 12345n), "DOMAIN_UNAUTHORIZED", "capability-unknown");
  });
});

describe("CONTRACT_INVALID", () => {
  test("no contract, someone else's contract, and a contract of the wrong domain", () => {
    const kernel = bootedKernel();
    const { cap, contract } = qSetup(kernel);
    expectErr(kernel.xdvCall("K", "Q", bellJob(999n), cap), "CONTRACT_INVALID", "contract-unknown");
    const phi = phiSetup(kernel);
    expectErr(kernel.xdvCall("K", "Q", bellJob(phi.contract), cap), "CONTRACT_INVALID", "contract-wrong-domain");
    const child = unwrap(kernel.spawnProcess());
    unwrap(kernel.transition(child, "Initialized"));
    unwrap(kernel.transition(child, "DomainBound", ["Q"]));
    unwrap(kernel.transition(child, "Active"));
    unwrap(kernel.switchTo(child));
    const childCap = unwrap(kernel.requestCapability("Q")).raw_id;
    expectErr(kernel.xdvCall("K", "Q", bellJob(contract), childCap), "CONTRACT_INVALID", "contract-wrong-owner");
    expectErr(kernel.releaseContract(contract), "CONTRACT_INVALID", "contract-wrong-owner");
  });

  test("an expired contract is refused, and the expiry is logged once", () => {
    const kernel = bootedKernel();
    const { cap, contract } = qSetup(kernel, { lifetime: 5n });
    unwrap(kernel.xdvCall("K", "Q", bellJob(contract), cap));
    unwrap(kernel.waitUntil(kernel.now() + 50n));
    expect(unwrap(kernel.contractStatus(contract)).state).toBe("Expired");
    expectErr(kernel.xdvCall("K", "Q", bellJob(contract), cap), "CONTRACT_INVALID", "contract-expired");
    expectErr(kernel.xdvCall("K", "Q", bellJob(contract), cap), "CONTRACT_INVALID", "contract-expired");
    expect(traceTypes(kernel).filter((t) => t === "contract_expire")).toHaveLength(1);
  });

  test("a released contract cannot be used or released again", () => {
    const kernel = bootedKernel();
    const { cap, contract } = qSetup(kernel);
    unwrap(kernel.releaseContract(contract));
    expectErr(kernel.xdvCall("K", "Q", bellJob(contract), cap), "CONTRACT_INVALID", "contract-released");
    expectErr(kernel.releaseContract(contract), "CONTRACT_INVALID", "contract-released");
  });
});

describe("RESOURCE_EXHAUSTED", () => {
  test("qubits beyond the contract, the descriptor, or the provider", () => {
    const kernel = bootedKernel();
    const { cap, contract } = qSetup(kernel, { qubits: 2 });
    expectErr(kernel.xdvCall("K", "Q", bellJob(contract, { qubit_count: 3 }), cap), "RESOURCE_EXHAUSTED", "budget-qubits");
    const three = qasm("qreg q[3];\ncreg c[3];\nh q[0];\nmeasure q -> c;");
    expectErr(kernel.xdvCall("K", "Q", bellJob(contract, { circuit: three }), cap), "RESOURCE_EXHAUSTED", "budget-qubits");
    expectErr(kernel.acquireQContract({ capability: cap, qubits: 31, decoherence_budget: 10n, shot_budget: 10n, lifetime: 10n }), "RESOURCE_EXHAUSTED", "provider-capacity");
  });

  test("a job whose simulation would cost more than the provider allows is refused before it runs", () => {
    const kernel = bootedKernel({ q: { maxWork: 50_000 } });
    const { cap, contract } = qSetup(kernel);
    // Terminal measurements: one pass per operation, whatever the shot count.
    unwrap(kernel.xdvCall("K", "Q", bellJob(contract, { shots: 10_000 }), cap));
    // A mid-circuit measurement forces shot-by-shot simulation: cost grows with shots.
    const midCircuit = qasm("qreg q[2];\ncreg c[2];\nh q[0];\nmeasure q[0] -> c[0];\ncx q[0],q[1];\nmeasure q[1] -> c[1];");
    unwrap(kernel.xdvCall("K", "Q", bellJob(contract, { circuit: midCircuit, shots: 100 }), cap));
    expectErr(kernel.xdvCall("K", "Q", bellJob(contract, { circuit: midCircuit, shots: 10_000 }), cap), "RESOURCE_EXHAUSTED", "provider-capacity");
  });

  test("the shot budget is spent across jobs", () => {
    const kernel = bootedKernel();
    const { cap, contract } = qSetup(kernel, { shot_budget: 250n });
    unwrap(kernel.xdvCall("K", "Q", bellJob(contract, { shots: 200 }), cap));
    expectErr(kernel.xdvCall("K", "Q", bellJob(contract, { shots: 100 }), cap), "RESOURCE_EXHAUSTED", "budget-shots");
    unwrap(kernel.xdvCall("K", "Q", bellJob(contract, { shots: 50 }), cap));
  });

  test("a process holds a bounded number of active contracts", () => {
    const kernel = bootedKernel({ limits: { contractsPerProcess: 2 } });
    const { cap } = qSetup(kernel);
    unwrap(kernel.acquireQContract({ capability: cap, qubits: 1, decoherence_budget: 1n, shot_budget: 1n, lifetime: 1n }));
    expectErr(kernel.acquireQContract({ capability: cap, qubits: 1, decoherence_budget: 1n, shot_budget: 1n, lifetime: 1n }), "RESOURCE_EXHAUSTED", "budget-contracts");
  });

  test("Φ windows may not overlap, and transforms are budgeted", () => {
    const kernel = bootedKernel();
    const phi = phiSetup(kernel, { offset: 1n, duration: 100n, budget: 1n, tolerance: 0 });
    expectErr(
      kernel.acquirePhiContract({ capability: phi.cap, window_start: phi.start + 50n, window_duration: 100n, stability_tolerance: 0, transform_budget: 1n }),
      "RESOURCE_EXHAUSTED",
      "window-unavailable",
    );
    const t: PhiTransformDescriptor = { contract_id: phi.contract, transform_id: 1, coherence_start: phi.start, duration: phi.duration, stability_tolerance: 0 };
    unwrap(kernel.waitUntil(phi.start));
    unwrap(kernel.xdvCall("K", "Φ", t, phi.cap));
    expectErr(kernel.xdvCall("K", "Φ", t, phi.cap), "RESOURCE_EXHAUSTED", "budget-transforms");
  });
});

describe("DECOHERENCE_EXCEEDED", () => {
  test("a circuit deeper than the remaining budget is rejected and the contract invalidated", () => {
    const kernel = bootedKernel();
    const { cap, contract } = qSetup(kernel, { decoherence_budget: 5n });
    unwrap(kernel.xdvCall("K", "Q", bellJob(contract), cap)); // depth 3
    const r = kernel.xdvCall("K", "Q", bellJob(contract), cap);
    expectErr(r, "DECOHERENCE_EXCEEDED", "budget-decoherence");
    if (!r.ok) expect(r.fault.details).toMatchObject({ depth: 3, remaining: 2n });
    expect(unwrap(kernel.contractStatus(contract)).state).toBe("Invalidated");
    expectErr(kernel.xdvCall("K", "Q", bellJob(contract, { circuit: qasm("qreg q[1];\ncreg c[1];\nmeasure q -> c;") }), cap), "CONTRACT_INVALID", "contract-invalidated");
    const types = traceTypes(kernel);
    expect(types.slice(types.lastIndexOf("fault") - 1)).toEqual(["contract_invalidate", "fault"]);
    expect(faultEvents(kernel).map((f) => f["code"])).toEqual(["DECOHERENCE_EXCEEDED", "CONTRACT_INVALID"]);
  });
});

describe("COHERENCE_VIOLATION", () => {
  function transform(phi: { contract: bigint; start: bigint; duration: bigint }, tolerance = 0): PhiTransformDescriptor {
    return { contract_id: phi.contract, transform_id: 3, coherence_start: phi.start, duration: phi.duration, stability_tolerance: tolerance };
  }

  test("a transform before its window opens is rejected and the envelope invalidated", () => {
    const kernel = bootedKernel();
    const phi = phiSetup(kernel, { offset: 100n });
    expectErr(kernel.xdvCall("K", "Φ", transform(phi), phi.cap), "COHERENCE_VIOLATION", "window-outside");
    expect(unwrap(kernel.contractStatus(phi.contract)).state).toBe("Invalidated");
    unwrap(kernel.waitUntil(phi.start));
    expectErr(kernel.xdvCall("K", "Φ", transform(phi), phi.cap), "CONTRACT_INVALID", "contract-invalidated");
  });

  test("a transform after its window closed is rejected", () => {
    const kernel = bootedKernel();
    const phi = phiSetup(kernel, { offset: 1n, duration: 20n });
    unwrap(kernel.waitUntil(phi.start + 20n));
    expectErr(kernel.xdvCall("K", "Φ", transform(phi), phi.cap), "COHERENCE_VIOLATION", "window-outside");
  });

  test("a requested span reaching outside the envelope is rejected even at a valid time", () => {
    const kernel = bootedKernel();
    const phi = phiSetup(kernel, { offset: 1n, duration: 20n });
    unwrap(kernel.waitUntil(phi.start));
    expectErr(kernel.xdvCall("K", "Φ", { ...transform(phi), duration: 21n }, phi.cap), "COHERENCE_VIOLATION", "window-outside");
  });

  test("stability below tolerance halts the transform, invalidates the envelope, and records the reading", () => {
    const kernel = bootedKernel();
    const phi = phiSetup(kernel, { offset: 1n, tolerance: 0 });
    unwrap(kernel.waitUntil(phi.start));
    // Noise is at least 1 bp, so no reading can meet a tolerance of 10000.
    const r = kernel.xdvCall("K", "Φ", transform(phi, 10000), phi.cap);
    expectErr(r, "COHERENCE_VIOLATION", "stability-breach");
    const types = traceTypes(kernel);
    expect(types.slice(-5)).toEqual(["domain_enter", "phi_stability", "fault", "contract_invalidate", "domain_exit"]);
    expect(types).not.toContain("phi_result");
    expect(unwrap(kernel.contractStatus(phi.contract)).state).toBe("Invalidated");
  });

  test("monitoring detects a breach on its own", () => {
    const kernel = bootedKernel();
    const phi = phiSetup(kernel, { offset: 1n, tolerance: 10000 });
    expectErr(kernel.phiStability(phi.contract, phi.cap), "COHERENCE_VIOLATION", "stability-breach");
  });
});

describe("DOMAIN_PANIC and never a throw", () => {
  test("malformed descriptors, arguments and targets are Errs", () => {
    const kernel = bootedKernel();
    const { cap, contract } = qSetup(kernel);
    const call = kernel.xdvCall.bind(kernel) as (...a: unknown[]) => ReturnType<EmbeddedKernel["syscall"]>;
    expectErr(call("K", "Q", undefined, cap), "DOMAIN_PANIC", "descriptor-malformed");
    expectErr(call("K", "Q", { ...bellJob(contract), shots: 0 }, cap), "DOMAIN_PANIC", "descriptor-malformed");
    expectErr(call("K", "Q", { ...bellJob(contract), contract_id: 1 }, cap), "DOMAIN_PANIC", "descriptor-malformed");
    expectErr(call("K", "Q", bellJob(contract), 5), "DOMAIN_PANIC", "descriptor-malformed");
    expectErr(call("K", "K", bellJob(contract), cap), "DOMAIN_PANIC", "target-not-domain");
    const phiCap = unwrap(kernel.requestCapability("Φ")).raw_id;
    expectErr(call("K", "Φ", { contract_id: contract, transform_id: 1.5 }, cap), "DOMAIN_UNAUTHORIZED", "capability-wrong-domain");
    expectErr(call("K", "Φ", { contract_id: contract, transform_id: 1.5 }, phiCap), "DOMAIN_PANIC", "descriptor-malformed");
    expectErr((kernel.kLog as (m: unknown) => unknown).call(kernel, 7) as never, "DOMAIN_PANIC");
    expectErr(kernel.recordEvent({ kind: "x", data: { ratio: 0.5 } }), "DOMAIN_PANIC", "descriptor-malformed");
  });

  test("unsupported Φ transforms are refused by the provider's transform set", () => {
    const kernel = bootedKernel();
    const phi = phiSetup(kernel, { offset: 1n });
    unwrap(kernel.waitUntil(phi.start));
    expectErr(kernel.xdvCall("K", "Φ", { contract_id: phi.contract, transform_id: 99, coherence_start: phi.start, duration: phi.duration, stability_tolerance: 0 }, phi.cap), "DOMAIN_PANIC", "transform-unsupported");
  });

  test("syscalls decode their arguments and refuse unknown numbers", () => {
    let out = "";
    const kernel = bootedKernel({ stdout: (s) => (out += s) });
    expect(unwrap(kernel.syscall(SYS.LOG, "hello"))).toBeTypeOf("bigint");
    unwrap(kernel.syscall(SYS.LOG, { message: "world" }));
    expect(out).toBe("hello\nworld\n");
    const cap = unwrap(kernel.syscall(SYS.CAP_REQUEST, { domain: "Phi" }));
    expect(unwrap(kernel.syscall(SYS.CAP_VALIDATE, { capability: cap, domain: "Φ" }))).toBe(cap);
    expect(unwrap(kernel.syscall(SYS.CLOCK_NOW, null))).toBe(kernel.now());
    expectErr(kernel.syscall(999n, null), "DOMAIN_PANIC", "syscall-unknown");
    expectErr(kernel.syscall(SYS.LOG, 42), "DOMAIN_PANIC", "descriptor-malformed");
    expectErr(kernel.syscall(SYS.PROCESS_TRANSITION, { pid: 1n, to: "Flying" }), "DOMAIN_PANIC", "descriptor-malformed");
    expectErr(kernel.syscall(SYS.PROCESS_TRANSITION, { pid: 1n, to: "Initialized" }), "DOMAIN_PANIC", "illegal-transition");
    unwrap(kernel.syscall(SYS.CAP_REVOKE, { capability: cap }));
    expectErr(kernel.syscall(SYS.CAP_VALIDATE, { capability: cap, domain: "Φ" }), "DOMAIN_UNAUTHORIZED", "capability-revoked");
  });
});
