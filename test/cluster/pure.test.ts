import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { place, type MemberRecord } from "../../src/cluster/placement.js";
import { allocate, type PoolRequest } from "../../src/cluster/allocation.js";
import { CHAIN_GENESIS, evaluateQuorum, sealDecision, verifyDecisionChain, type DecisionRecord } from "../../src/cluster/decision-chain.js";

const name = fc.constantFrom("n1", "n2", "n3", "alpha", "beta", "Z", "é");
const member: fc.Arbitrary<MemberRecord> = fc.record({
  name,
  domains: fc.subarray(["K", "Q", "Φ"] as const, { minLength: 1 }),
  q: fc.option(fc.record({ qubits: fc.integer({ min: 1, max: 32 }), decoherence_budget: fc.integer({ min: 1, max: 100 }), shot_budget: fc.integer({ min: 1, max: 1000 }) }), { nil: null }),
  phi: fc.option(fc.record({ windows: fc.integer({ min: 0, max: 4 }) }), { nil: null }),
  tenant: fc.option(fc.constantFrom("1", "2"), { nil: null }),
});
const members = fc.uniqueArray(member, { selector: (m) => m.name, maxLength: 6 });
const request: fc.Arbitrary<PoolRequest> = fc.record({
  node: name,
  pid: fc.constantFrom("1", "2", "3"),
  seq: fc.integer({ min: 0, max: 5 }),
  priority: fc.integer({ min: 0, max: 3 }),
  logical_ts: fc.integer({ min: 0, max: 50 }),
  qubits: fc.integer({ min: 1, max: 12 }),
});

describe("placement", () => {
  it("does not depend on the order members were listed in", () => {
    fc.assert(
      fc.property(members, fc.integer({ min: 1, max: 32 }), fc.constantFrom("1", "2"), fc.option(name, { nil: undefined }), (ms, qubits, tenant, prefer) => {
        const r = { domain: "Q" as const, qubits, tenant, from: "client" };
        const hint = prefer === undefined ? {} : { prefer };
        const a = place(ms, r, hint);
        expect(place([...ms].reverse(), r, hint)).toEqual(a);
        expect(place([...ms].sort(() => 0).slice(1).concat(ms.slice(0, 1)), r, hint)).toEqual(a);
      }),
    );
  });

  it("only ever chooses a node that serves the domain, has the capacity and accepts the tenant", () => {
    fc.assert(
      fc.property(members, fc.integer({ min: 1, max: 32 }), fc.constantFrom("1", "2"), (ms, qubits, tenant) => {
        const r = place(ms, { domain: "Q", qubits, tenant, from: "client" });
        if (!r.ok) return;
        const m = ms.find((x) => x.name === r.node)!;
        expect(m.domains).toContain("Q");
        expect(m.q!.qubits).toBeGreaterThanOrEqual(qubits);
        expect(m.tenant === null || m.tenant === tenant).toBe(true);
      }),
    );
  });

  const q = (name: string, qubits: number, tenant: string | null = null): MemberRecord => ({ name, domains: ["K", "Q"], q: { qubits, decoherence_budget: 100, shot_budget: 1000 }, phi: null, tenant });

  it("breaks ties between equal capacities by node name, prefers the local node, and honours an eligible hint", () => {
    expect(place([q("n3", 8), q("n2", 8)], { domain: "Q", qubits: 2, tenant: "1", from: "c" })).toEqual({ ok: true, node: "n2", why: "rule" });
    expect(place([q("n3", 8), q("c", 4)], { domain: "Q", qubits: 2, tenant: "1", from: "c" })).toEqual({ ok: true, node: "c", why: "local" });
    expect(place([q("n2", 8), q("n3", 4)], { domain: "Q", qubits: 2, tenant: "1", from: "c" }, { prefer: "n3" })).toEqual({ ok: true, node: "n3", why: "hint" });
    // A hint for a node that cannot take the call is advisory only.
    expect(place([q("n2", 8), q("n3", 1)], { domain: "Q", qubits: 2, tenant: "1", from: "c" }, { prefer: "n3" })).toEqual({ ok: true, node: "n2", why: "rule" });
  });

  it("refuses a tenant every serving node belongs to another tenant", () => {
    const r = place([q("n2", 8, "2")], { domain: "Q", qubits: 2, tenant: "1", from: "c" });
    expect(r).toMatchObject({ ok: false, reason: "cross-tenant" });
    expect(place([q("n2", 1)], { domain: "Q", qubits: 2, tenant: "1", from: "c" })).toMatchObject({ ok: false, reason: "no-eligible-node" });
  });
});

describe("epoch allocation", () => {
  it("permuting arrival order changes nothing", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.array(request, { maxLength: 20 }).chain((rs) => fc.tuple(fc.constant(rs), fc.shuffledSubarray(rs, { minLength: rs.length, maxLength: rs.length }))), (free, [rs, shuffled]) => {
        expect(allocate(free, shuffled)).toEqual(allocate(free, rs));
      }),
    );
  });

  it("never over-allocates, and denies only what did not fit at its turn", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.array(request, { maxLength: 20 }), (free, rs) => {
        const a = allocate(free, rs);
        const used = a.granted.reduce((n, r) => n + r.qubits, 0);
        expect(used).toBeLessThanOrEqual(free);
        expect(a.free_after).toBe(free - used);
        for (const d of a.denied) expect(d.qubits).toBeGreaterThan(a.free_after);
      }),
    );
  });

  it("grants by priority, then logical time, then node name", () => {
    const base = { pid: "1", seq: 0, qubits: 4 };
    const a = allocate(8, [
      { ...base, node: "n3", priority: 0, logical_ts: 1 },
      { ...base, node: "n2", priority: 0, logical_ts: 1 },
      { ...base, node: "n1", priority: 0, logical_ts: 2 },
      { ...base, node: "n9", priority: 1, logical_ts: 9 },
    ]);
    expect(a.granted.map((r) => r.node)).toEqual(["n9", "n2"]);
    expect(a.denied.map((r) => r.node)).toEqual(["n3", "n1"]);
  });

  it("counts a request submitted twice (a retry) once", () => {
    const r = { node: "n1", pid: "1", seq: 0, priority: 0, logical_ts: 0, qubits: 3 };
    expect(allocate(10, [r, r]).granted).toHaveLength(1);
  });
});

describe("quorum and decision chain", () => {
  it("quorum evaluation ignores proposal order and non-members", () => {
    fc.assert(
      fc.property(fc.uniqueArray(name, { maxLength: 6 }), fc.array(name, { maxLength: 8 }), (ms, ps) => {
        const a = evaluateQuorum(ms, ps);
        expect(evaluateQuorum([...ms].reverse(), [...ps].reverse())).toEqual(a);
        expect(a.participants.every((p) => ms.includes(p))).toBe(true);
        expect(a.met).toBe(ms.length > 0 && a.participants.length > ms.length / 2);
      }),
    );
  });

  function chain(n: number): DecisionRecord[] {
    const out: DecisionRecord[] = [];
    let prev = CHAIN_GENESIS;
    for (let e = 0; e < n; e++) {
      const r = sealDecision({ epoch: e, participants: ["n1", "n2"], quorum: 2, inputs_sha256: "ab", decision: { granted: [e] }, faults: [], prev_hash: prev });
      out.push(r);
      prev = r.hash;
    }
    return out;
  }

  it("verifies an intact chain and names the first altered, dropped or reordered record", () => {
    const c = chain(4);
    expect(verifyDecisionChain(c)).toEqual({ ok: true, head: c[3]!.hash });
    expect(verifyDecisionChain([c[0]!, { ...c[1]!, decision: { granted: [9] } }, c[2]!])).toMatchObject({ ok: false, index: 1 });
    expect(verifyDecisionChain([c[0]!, c[2]!])).toMatchObject({ ok: false, index: 1 });
    expect(verifyDecisionChain([c[1]!, c[0]!])).toMatchObject({ ok: false, index: 0 });
  });
});
