import { describe, expect, test } from "vitest";
import type { LifecycleState } from "#runtime/abi.js";
import { createKernel, type EmbeddedKernel } from "../../src/host/index.js";
import { bootedKernel, expectErr, phiSetup, qSetup, unwrap } from "./helpers.js";

interface Entry {
  event_type: string;
  process: string;
  capability: string | null;
  contract: string | null;
  metadata: Record<string, unknown>;
}

function entries(kernel: EmbeddedKernel): Entry[] {
  return kernel.traceLines().map((l) => JSON.parse(l) as Entry);
}

function lifecycleOf(kernel: EmbeddedKernel, pid: bigint): string[] {
  return entries(kernel)
    .filter((e) => e.event_type === "lifecycle" && e.process === String(pid))
    .map((e) => `${String(e.metadata["from"])}→${String(e.metadata["to"])}`);
}

function activeChild(kernel: EmbeddedKernel, domains: ("K" | "Q" | "Φ")[] = ["K"]): bigint {
  const pid = unwrap(kernel.spawnProcess());
  unwrap(kernel.transition(pid, "Initialized"));
  unwrap(kernel.transition(pid, "DomainBound", domains));
  unwrap(kernel.transition(pid, "Active"));
  return pid;
}

describe("process lifecycle (XDV-081 §4.2)", () => {
  test("boot takes the root process through every state up to Active, each step logged", () => {
    const kernel = bootedKernel();
    expect(kernel.self()).toMatchObject({ pid: 1n, tenant_id: 1n, state: "Active", domains: ["K", "Q", "Φ"] });
    expect(lifecycleOf(kernel, 1n)).toEqual(["null→Created", "Created→Initialized", "Initialized→DomainBound", "DomainBound→Active"]);
  });

  test("the legal path, including Suspended ⇄ Active, succeeds and is logged in order", () => {
    const kernel = bootedKernel();
    const pid = unwrap(kernel.spawnProcess());
    const path: LifecycleState[] = ["Initialized", "DomainBound", "Active", "Suspended", "Active", "Suspended", "Terminated"];
    for (const to of path) expect(unwrap(kernel.transition(pid, to, to === "DomainBound" ? ["Φ", "K"] : undefined))).toBe(to);
    expect(lifecycleOf(kernel, pid)).toEqual([
      "null→Created",
      "Created→Initialized",
      "Initialized→DomainBound",
      "DomainBound→Active",
      "Active→Suspended",
      "Suspended→Active",
      "Active→Suspended",
      "Suspended→Terminated",
    ]);
    const bound = entries(kernel).find((e) => e.process === String(pid) && e.metadata["to"] === "DomainBound");
    expect(bound?.metadata["domains"]).toEqual(["K", "Φ"]);
  });

  test.each<[LifecycleState[], LifecycleState]>([
    [[], "Active"],
    [[], "DomainBound"],
    [[], "Suspended"],
    [["Initialized"], "Active"],
    [["Initialized", "DomainBound"], "Suspended"],
    [["Initialized", "DomainBound", "Active"], "Initialized"],
    [["Initialized", "DomainBound", "Active"], "Active"],
    [["Terminated"], "Active"],
    [["Terminated"], "Terminated"],
  ])("after %j, going to %s is an illegal transition, logged and refused", (before, to) => {
    const kernel = bootedKernel();
    const pid = unwrap(kernel.spawnProcess());
    for (const s of before) unwrap(kernel.transition(pid, s, s === "DomainBound" ? ["K"] : undefined));
    const stateBefore = unwrap(kernel.processInfo(pid)).state;
    const r = kernel.transition(pid, to);
    expectErr(r, "DOMAIN_PANIC", "illegal-transition");
    if (!r.ok) expect(r.fault.details).toEqual({ from: stateBefore, to });
    expect(unwrap(kernel.processInfo(pid)).state).toBe(stateBefore);
    const fault = entries(kernel).at(-1);
    expect(fault).toMatchObject({ event_type: "fault", process: String(pid), metadata: { reason: "illegal-transition", from: stateBefore, to } });
  });

  test("termination releases contracts in order, revokes capabilities, and they stay dead", () => {
    const kernel = bootedKernel();
    const q = qSetup(kernel);
    const phi = phiSetup(kernel);
    const before = entries(kernel).length;
    unwrap(kernel.transition(1n, "Terminated"));
    const tail = entries(kernel).slice(before);
    expect(tail.map((e) => e.event_type)).toEqual(["contract_release", "contract_release", "capability_revoke", "capability_revoke", "lifecycle"]);
    expect(tail.slice(0, 2).map((e) => e.contract)).toEqual([String(q.contract), String(phi.contract)]);
    expect(tail.slice(0, 2).every((e) => e.metadata["cause"] === "termination")).toBe(true);
    expect(tail.slice(2, 4).map((e) => e.capability)).toEqual([String(q.cap), String(phi.cap)]);
    // The terminated caller can do nothing more.
    expectErr(kernel.requestCapability("Q"), "DOMAIN_UNAUTHORIZED", "process-not-active");
    expectErr(kernel.transition(1n, "Active"), "DOMAIN_UNAUTHORIZED", "process-not-active");
  });

  test("shutdown terminates children before parents and records the exit status", () => {
    const kernel = bootedKernel();
    const child = activeChild(kernel);
    const summary = kernel.shutdown(3);
    expect(summary.exit_status).toBe(3);
    const terminations = entries(kernel).filter((e) => e.event_type === "lifecycle" && e.metadata["to"] === "Terminated").map((e) => e.process);
    expect(terminations).toEqual([String(child), "1"]);
    expect(entries(kernel).at(-1)).toMatchObject({ event_type: "run_end", metadata: { exit_status: 3 } });
    expect(summary.trace_entries).toBe(kernel.traceLines().length);
  });

  test("nothing can happen before boot or after shutdown, and the summary anchors the chain", () => {
    const fresh = createKernel({ seed: 1n });
    expect(() => fresh.requestCapability("Q")).toThrow(/not booted/);
    fresh.boot({ argv: [] });
    const summary = fresh.shutdown(0);
    const last = JSON.parse(fresh.traceLines().at(-1) ?? "{}") as { hash: string };
    expect(summary.trace_head).toBe(last.hash);
    expect(() => fresh.kLog("late")).toThrow(/shut down/);
    expect(() => fresh.shutdown(0)).toThrow(/not running/);
  });

  test("logical time only moves forward, one tick per event, or to a requested time", () => {
    const kernel = bootedKernel();
    const t0 = kernel.now();
    kernel.kLog("a");
    expect(kernel.now()).toBe(t0 + 1n);
    expect(unwrap(kernel.waitUntil(t0 + 100n))).toBe(t0 + 100n);
    expect(unwrap(kernel.waitUntil(t0 + 50n))).toBe(t0 + 101n);
    const stamps = entries(kernel).map((e) => BigInt((e as unknown as { logical_ts: string }).logical_ts));
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! > stamps[i - 1]!).toBe(true);
  });
});

describe("multi-tenant isolation", () => {
  test("processes carry tenant and VHM, and capabilities do not cross tenants", () => {
    const kernel = bootedKernel();
    const t1Cap = unwrap(kernel.requestCapability("K")).raw_id;
    const other = kernel.createProcess({ tenant_id: 7n, vhm_id: 3n, activate: ["K", "Q"] });
    expect(other).toMatchObject({ tenant_id: 7n, vhm_id: 3n, state: "Active", domains: ["K", "Q"] });
    unwrap(kernel.schedule(other.pid));
    expectErr(kernel.validateCapability(t1Cap, "K"), "DOMAIN_UNAUTHORIZED", "capability-wrong-tenant");
    const own = unwrap(kernel.requestCapability("K")).raw_id;
    expectErr(kernel.ipcSend({ receiver: 1n, source_domain: "K", target_domain: "K", capability: own, payload: "hi" }), "DOMAIN_UNAUTHORIZED", "process-cross-tenant");
    // A child inherits its parent's tenant and VHM.
    const child = unwrap(kernel.spawnProcess());
    expect(unwrap(kernel.processInfo(child))).toMatchObject({ tenant_id: 7n, vhm_id: 3n, parent: other.pid });
  });
});

describe("cross-domain IPC (XDV-021)", () => {
  test("messages are delivered FIFO with deterministic sequence numbers, logged by digest", () => {
    const kernel = bootedKernel();
    const cap = unwrap(kernel.requestCapability("K")).raw_id;
    const child = activeChild(kernel);
    const seqs = [1, 2, 3].map((n) => unwrap(kernel.ipcSend({ receiver: child, source_domain: "K", target_domain: "K", capability: cap, payload: { n: BigInt(n), note: "secret-payload" } })));
    expect(seqs).toEqual([1n, 2n, 3n]);
    unwrap(kernel.switchTo(child));
    const got = [1, 2, 3].map(() => unwrap(kernel.ipcReceive()));
    expect(got.map((m) => m?.seq)).toEqual([1n, 2n, 3n]);
    expect(got.map((m) => (m?.payload as { n: bigint }).n)).toEqual([1n, 2n, 3n]);
    expect(got[0]).toMatchObject({ sender: 1n, receiver: child, source_domain: "K", target_domain: "K" });
    expect(unwrap(kernel.ipcReceive())).toBeNull();
    const sends = entries(kernel).filter((e) => e.event_type === "ipc_send");
    expect(sends).toHaveLength(3);
    expect(sends[0]?.metadata["payload_sha256"]).toMatch(/^[0-9a-f]{64}$/);
    expect(kernel.traceJsonl()).not.toContain("secret-payload");
  });

  test("payloads are copied at the boundary: no aliasing between sender and receiver", () => {
    const kernel = bootedKernel();
    const cap = unwrap(kernel.requestCapability("K")).raw_id;
    const child = activeChild(kernel);
    const payload = { list: [1, 2], inner: { x: "a" } };
    unwrap(kernel.ipcSend({ receiver: child, source_domain: "K", target_domain: "K", capability: cap, payload }));
    payload.list.push(3);
    payload.inner.x = "changed";
    unwrap(kernel.switchTo(child));
    const received = unwrap(kernel.ipcReceive())?.payload as { list: number[]; inner: { x: string } };
    expect(received).toEqual({ list: [1, 2], inner: { x: "a" } });
    expect(Object.isFrozen(received.list)).toBe(true);
  });

  test("routes, payload kinds, receivers and queue depth are all enforced", () => {
    const kernel = bootedKernel({ limits: { ipcQueue: 2 } });
    const kCap = unwrap(kernel.requestCapability("K")).raw_id;
    const qCap = unwrap(kernel.requestCapability("Q")).raw_id;
    const child = activeChild(kernel, ["K", "Q"]);
    expectErr(kernel.ipcSend({ receiver: child, source_domain: "Q", target_domain: "Φ", capability: qCap, payload: 1 }), "DOMAIN_UNAUTHORIZED", "ipc-route-forbidden");
    expectErr(kernel.ipcSend({ receiver: child, source_domain: "K", target_domain: "Q", capability: kCap, payload: 1 }), "DOMAIN_UNAUTHORIZED", "capability-wrong-domain");
    unwrap(kernel.ipcSend({ receiver: child, source_domain: "K", target_domain: "Q", capability: qCap, payload: 1 }));
    class Opaque {
      readonly handle = 1;
    }
    expectErr(kernel.ipcSend({ receiver: child, source_domain: "K", target_domain: "K", capability: kCap, payload: new Opaque() as never }), "DOMAIN_PANIC", "descriptor-malformed");
    expectErr(kernel.ipcSend({ receiver: 99n, source_domain: "K", target_domain: "K", capability: kCap, payload: 1 }), "DOMAIN_UNAUTHORIZED", "process-unknown");
    unwrap(kernel.ipcSend({ receiver: child, source_domain: "K", target_domain: "K", capability: kCap, payload: 2 }));
    expectErr(kernel.ipcSend({ receiver: child, source_domain: "K", target_domain: "K", capability: kCap, payload: 3 }), "RESOURCE_EXHAUSTED", "ipc-receiver-unavailable");
    const phiOnly = activeChild(kernel, ["Φ"]);
    expectErr(kernel.ipcSend({ receiver: phiOnly, source_domain: "K", target_domain: "Q", capability: qCap, payload: 1 }), "DOMAIN_UNAUTHORIZED", "domain-not-bound");
    unwrap(kernel.transition(child, "Terminated"));
    expectErr(kernel.ipcSend({ receiver: child, source_domain: "K", target_domain: "K", capability: kCap, payload: 1 }), "DOMAIN_PANIC", "ipc-receiver-unavailable");
    const dropped = entries(kernel).find((e) => e.process === String(child) && e.metadata["to"] === "Terminated");
    expect(dropped?.metadata["undelivered_messages"]).toBe(2);
  });
});
