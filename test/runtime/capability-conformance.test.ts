/**
 * XDV-084 §4.2 capability enforcement, and the tenant isolation of XDV-043 §5 / XDV-081 §13,
 * as DPL programs (fixtures/runtime/) run through `bin/dplc run`.
 *
 * For every refused call, three facts: the structured error code reaches DPL code (the
 * program prints it; its expected output is `NAME.stdout`), the refusal is in the trace
 * (the runtime's event when the runtime refused, the kernel's fault entry when the call
 * went to the kernel), and nothing changed (the program prints the state before and after,
 * and the trace shows no job and no budget movement between them).
 */
import { describe, expect, it } from "vitest";
import { entriesOf, faults, lineValue, runConformance, runtimeEvents, type TracedRun } from "./harness.js";

const run = runConformance;

/** Every kernel fault is also an XDV-070 FaultEvent that points back at its trace entry. */
function expectFaultTelemetry(r: TracedRun): void {
  const events = r.telemetry.filter((t) => t["kind"] === "fault");
  expect(events.map((t) => Number(t["event_id"]))).toEqual(faults(r.trace).map((f) => f.index));
  for (const t of events) expect(t["tenant"]).toBeDefined();
}

/** No Q job ran between two trace positions. */
function noJobBetween(r: TracedRun, from: number, to: number): void {
  const jobs = r.trace.slice(from, to + 1).filter((e) => e.event_type === "q_result" || e.event_type === "domain_enter");
  expect(jobs).toEqual([]);
}

describe("XDV-084 §4.2 unauthorized domain call", () => {
  it("a K capability does not authorise a Q job, and an unbound domain gets no capability", () => {
    const r = run("unauthorized_call");
    for (const label of ["Q job with the K capability (runtime)", "Q job with the K capability (kernel)", "Φ capability without binding Φ (runtime)", "Φ capability without binding Φ (kernel)"]) {
      expect(lineValue(r.stdout, label)).toBe("DOMAIN_UNAUTHORIZED");
    }
    // The runtime refused the first and third itself; the kernel refused what bypassed it.
    const refusedCap = runtimeEvents(r.trace, "CapabilityRefused");
    expect(refusedCap.map((e) => `${e.domain} ${e.detail}`)).toEqual(["Q DOMAIN_UNAUTHORIZED"]);
    expect(runtimeEvents(r.trace, "CallRefused").map((e) => `${e.domain} ${e.detail}`)).toEqual(["Φ unbound DOMAIN_UNAUTHORIZED"]);
    expect(faults(r.trace).map((f) => `${f.domain} ${f.code} ${f.reason}`)).toEqual(["Q DOMAIN_UNAUTHORIZED capability-wrong-domain", "Φ DOMAIN_UNAUTHORIZED domain-not-bound"]);
    expectFaultTelemetry(r);
    // No state changed: same contract figures, no Φ capability, no job until the legitimate one.
    expect(lineValue(r.stdout, "after")).toBe(lineValue(r.stdout, "before"));
    expect(lineValue(r.stdout, "capabilities held")).toBe("K 1, Q 1, Φ 0");
    noJobBetween(r, refusedCap[0]!.index, faults(r.trace)[1]!.index);
    expect(entriesOf(r.trace, "capability_issue").map((e) => e.domain)).toEqual(["K", "Q"]);
  });
});

describe("XDV-084 §4.2 forged capability", () => {
  it("a rewritten capability id is refused by the runtime and, bypassing it, by the kernel", () => {
    const r = run("forged_capability");
    expect(lineValue(r.stdout, "job with the forged id (runtime)")).toBe("DOMAIN_UNAUTHORIZED");
    expect(lineValue(r.stdout, "job with the forged id (kernel)")).toBe("DOMAIN_UNAUTHORIZED");
    expect(lineValue(r.stdout, "confirming the forged id")).toBe("DOMAIN_UNAUTHORIZED");
    const issued = entriesOf(r.trace, "capability_issue")[0]!.capability!;
    const refused = runtimeEvents(r.trace, "CapabilityRefused");
    expect(refused).toHaveLength(2);
    const forged = refused[0]!.capability!;
    expect(forged).not.toBe(issued);
    expect(BigInt(forged) ^ BigInt(issued)).toBe(0x5a5a5a5an);
    // The kernel names the id it never issued.
    expect(faults(r.trace)).toEqual([expect.objectContaining({ code: "DOMAIN_UNAUTHORIZED", reason: "capability-unknown", capability: forged })]);
    expectFaultTelemetry(r);
    expect(lineValue(r.stdout, "after")).toBe(lineValue(r.stdout, "before"));
    expect(lineValue(r.stdout, "Q capabilities held")).toBe("1");
    noJobBetween(r, refused[0]!.index, refused[1]!.index);
    expect(entriesOf(r.trace, "q_result")).toHaveLength(1);
  });
});

describe("XDV-084 §4.2 revoked capability reuse", () => {
  it("a copy of a revoked handle stays invalid in the runtime and in the kernel", () => {
    const r = run("revoked_capability");
    expect(lineValue(r.stdout, "job with the revoked copy (runtime)")).toBe("DOMAIN_UNAUTHORIZED");
    expect(lineValue(r.stdout, "job with the revoked copy (kernel)")).toBe("DOMAIN_UNAUTHORIZED");
    expect(lineValue(r.stdout, "revoking it again")).toBe("DOMAIN_UNAUTHORIZED");
    const revoke = entriesOf(r.trace, "capability_revoke")[0]!;
    const cap = revoke.capability;
    expect(revoke.metadata["cause"]).toBe("request");
    expect(runtimeEvents(r.trace, "CapabilityRefused").map((e) => e.capability)).toEqual([cap, cap]);
    expect(faults(r.trace)).toEqual([expect.objectContaining({ reason: "capability-revoked", capability: cap })]);
    expectFaultTelemetry(r);
    expect(lineValue(r.stdout, "after")).toBe(lineValue(r.stdout, "before"));
    expect(lineValue(r.stdout, "Q capabilities held")).toBe("0");
    // Exactly one revocation of that id, before any refusal, and only the first job ran.
    expect(entriesOf(r.trace, "capability_revoke").filter((e) => e.capability === cap && e.metadata["cause"] === "request")).toHaveLength(1);
    expect(entriesOf(r.trace, "q_result")).toHaveLength(1);
    expect(r.trace.indexOf(entriesOf(r.trace, "q_result")[0]!)).toBeLessThan(r.trace.indexOf(revoke));
  });
});

describe("XDV-043 §5 cross-tenant capability", () => {
  it("a guest tenant's capability is refused for the host process, and IPC does not cross tenants", () => {
    const r = run("cross_tenant");
    expect(lineValue(r.stdout, "tenants")).toBe("host 1, guest 2");
    expect(lineValue(r.stdout, "host job with the guest's capability (runtime)")).toBe("DOMAIN_UNAUTHORIZED");
    expect(lineValue(r.stdout, "host job with the guest's capability (kernel)")).toBe("DOMAIN_UNAUTHORIZED");
    expect(lineValue(r.stdout, "message to the guest")).toBe("DOMAIN_UNAUTHORIZED");
    // The guest got its own VHM and tenant, and its capability was issued to it.
    const guestCreated = entriesOf(r.trace, "lifecycle").find((e) => e.process === "2" && e.metadata["to"] === "Created")!;
    expect(guestCreated.metadata["tenant"]).toBe("2");
    expect(guestCreated.vhm).toBe("2");
    const guestCap = entriesOf(r.trace, "capability_issue").find((e) => e.process === "2")!;
    expect(guestCap.metadata["tenant"]).toBe("2");
    expect(faults(r.trace).map((f) => `${f.reason} ${f.capability ?? "-"}`)).toEqual([`capability-wrong-tenant ${guestCap.capability}`, "process-cross-tenant -"]);
    expect(runtimeEvents(r.trace, "CapabilityRefused").map((e) => e.capability)).toEqual([guestCap.capability]);
    expectFaultTelemetry(r);
    // The tenant line held: no message was queued, the host's contract is untouched.
    expect(entriesOf(r.trace, "ipc_send")).toEqual([]);
    expect(lineValue(r.stdout, "host contract")).toBe("Active, used 0");
    expect(lineValue(r.stdout, "host Q capabilities")).toBe("1");
    // Telemetry is stamped per tenant: the guest's records carry its own tenant.
    // (The closing record says how the run ended; it belongs to no process.)
    const tenants = new Set(r.telemetry.filter((t) => t["kind"] !== "run_end").map((t) => `${String(t["process"])}:${String(t["tenant"])}`));
    expect([...tenants].every((t) => t === "1:1" || t === "2:2")).toBe(true);
  });

  it("the guest cannot be reached for anything but lifecycle and scheduling", () => {
    const r = run("cross_tenant");
    const switches = entriesOf(r.trace, "context_switch").map((e) => `${String(e.metadata["from"])}->${String(e.metadata["to"])}`);
    expect(switches).toEqual(["1->2", "2->1"]);
    expect(entriesOf(r.trace, "contract_acquire").every((e) => e.process === "1")).toBe(true);
  });
});
