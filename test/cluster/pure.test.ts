import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { place, type MemberRecord } from "../../src/cluster/placement.js";
import { allocate, type PoolRequest } from "../../src/cluster/allocation.js";
import { poolId, settleRound, type RoundRequest } from "../../src/cluster/workload.js";
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

describe("workload rounds (epoch allocation)", () => {
  const target = fc.constantFrom("qpu1", "qpu2", "phi1");
  const roundRequest: fc.Arbitrary<RoundRequest> = fc
    .record({
      node: name,
      pid: fc.constantFrom("1", "2"),
      seq: fc.integer({ min: 0, max: 3 }),
      priority: fc.integer({ min: 0, max: 2 }),
      logical_ts: fc.integer({ min: 0, max: 40 }),
      qubits: fc.integer({ min: 1, max: 12 }),
      target,
      domain: fc.constantFrom("Q" as const, "Φ" as const),
      tenant: fc.constant("1"),
    })
    .map((r) => ({ ...r, contract: `${r.node}-${r.pid}-${r.seq}` }));
  const requests = fc.uniqueArray(roundRequest, { selector: (r) => `${r.node}/${r.pid}/${r.seq}`, maxLength: 10 });
  const releases = fc.array(fc.record({ target, domain: fc.constantFrom("Q" as const, "Φ" as const), units: fc.integer({ min: 0, max: 12 }) }), { maxLength: 4 });
  const capacity = (id: string): number => (id.endsWith("/Q") ? 16 : 4);
  // A ledger never holds more than a pool's capacity: it starts full and releases are capped.
  const ledger = fc
    .dictionary(fc.constantFrom("qpu1/Q", "qpu2/Q", "phi1/Phi", "qpu1/Phi"), fc.integer({ min: 0, max: 16 }))
    .map((d) => Object.fromEntries(Object.entries(d).map(([id, v]) => [id, Math.min(v, capacity(id))])));

  it("does not depend on the order requests and releases arrive in", () => {
    fc.assert(
      fc.property(ledger, requests, releases, fc.integer(), (l, reqs, rels, shift) => {
        const a = settleRound(l, capacity, reqs, rels);
        const k = reqs.length === 0 ? 0 : Math.abs(shift) % reqs.length;
        const b = settleRound(l, capacity, [...reqs.slice(k), ...reqs.slice(0, k)].reverse(), [...rels].reverse());
        expect(b.granted.map((g) => g.contract).sort()).toEqual(a.granted.map((g) => g.contract).sort());
        expect(b.ledger).toEqual(a.ledger);
      }),
    );
  });

  it("never over-allocates a pool nor lets it exceed its capacity", () => {
    fc.assert(
      fc.property(ledger, requests, releases, (l, reqs, rels) => {
        const out = settleRound(l, capacity, reqs, rels);
        for (const [id, free] of Object.entries(out.ledger)) {
          expect(free).toBeGreaterThanOrEqual(0);
          expect(free).toBeLessThanOrEqual(capacity(id));
        }
        for (const id of new Set(reqs.map((r) => poolId(r.target, r.domain)))) {
          const before = Math.min(capacity(id), (l[id] ?? capacity(id)) + rels.filter((r) => poolId(r.target, r.domain) === id).reduce((n, r) => n + r.units, 0));
          const taken = out.granted.filter((g) => poolId(g.target, g.domain) === id).reduce((n, g) => n + g.qubits, 0);
          expect(taken).toBeLessThanOrEqual(before);
          expect(out.ledger[id]).toBe(before - taken);
        }
        expect(out.granted.length + out.denied.length).toBe(reqs.length);
      }),
    );
  });
});
