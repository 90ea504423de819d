/**
 * The coordinator's contract, run twice: against the in-process simulation (seeded delivery)
 * and against a real 3-member etcd on loopback (skipped, with the reason, when etcd is not
 * installed).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Coordinator, type RemoteContract, type RemotePhiCall } from "../../src/cluster/coordinator.js";
import { PhiProvider, envelopeSeeds } from "../../src/host/phi/provider.js";
import { SeedKeys } from "../../src/host/random/prng.js";
import { EtcdKv } from "../../src/cluster/etcd-kv.js";
import type { Kv } from "../../src/cluster/kv.js";
import { NodeServer } from "../../src/cluster/node-server.js";
import { SimCluster } from "../../src/cluster/sim-kv.js";
import { verifyDecisionChain } from "../../src/cluster/decision-chain.js";
import { Workload, type RoundRequest } from "../../src/cluster/workload.js";
import type { MemberRecord } from "../../src/cluster/placement.js";
import { etcdAvailable, startEtcd, type EtcdCluster } from "../../src/cluster/local-etcd.js";

interface Env {
  kv(): Kv;
  /** Makes a client's lease expire (sim: partition + time; etcd: revoke without cleanup). */
  expire(kv: Kv): Promise<void>;
  cluster: string;
}

const qNode = (name: string, qubits: number, tenant: string | null = null): MemberRecord => ({ name, domains: ["K", "Q"], q: { qubits, decoherence_budget: 100, shot_budget: 1000 }, phi: null, tenant });
const phiNode = (name: string, windows: number): MemberRecord => ({ name, domains: ["K", "Φ"], q: null, phi: { windows }, tenant: null });
const kNode = (name: string): MemberRecord => ({ name, domains: ["K"], q: null, phi: null, tenant: null });
const drc = (contract: string, from: string, target: string, qubits: number): RemoteContract => ({ contract, requesting_node: from, target_node: target, domain: "Q", qubits, tenant: "1", pid: "1", logical_ts: 0 });

let uniq = 0;
function suite(name: string, env: () => Env): void {
  describe(name, () => {
    it("a contended pool is never over-allocated: 8 requesters, 10 qubits, 2 each → exactly 5 grants", async () => {
      const e = env();
      const cluster = `${e.cluster}-pool-${uniq++}`;
      const server = new Coordinator(e.kv(), cluster, "qpu");
      expect((await server.join(qNode("qpu", 10), 5, () => {})).ok).toBe(true);
      const clients = Array.from({ length: 8 }, (_, i) => new Coordinator(e.kv(), cluster, `c${i}`));
      const outcomes = await Promise.all(clients.map((c, i) => c.grant(drc(`k${i}`, `c${i}`, "qpu", 2))));
      expect(outcomes.filter((o) => o.ok)).toHaveLength(5);
      expect(outcomes.filter((o) => !o.ok).every((o) => !o.ok && o.reason === "pool-exhausted")).toBe(true);
      expect((await server.pool("qpu")).pool).toEqual({ capacity: 10, free: 0 });
      expect(await server.contractsOn("qpu")).toHaveLength(5);
      // Releasing gives the qubits back, once.
      const granted = outcomes.map((o, i) => (o.ok ? i : -1)).filter((i) => i >= 0);
      expect((await clients[granted[0]!]!.release("qpu", `k${granted[0]}`, "request")).released).toBe(true);
      expect((await clients[granted[0]!]!.release("qpu", `k${granted[0]}`, "request")).released).toBe(false);
      expect((await server.pool("qpu")).pool).toEqual({ capacity: 10, free: 2 });
      await server.leave();
    });

    it("a call and its result are recorded exactly once (create-if-absent, first result wins)", async () => {
      const e = env();
      const cluster = `${e.cluster}-call-${uniq++}`;
      const server = new Coordinator(e.kv(), cluster, "qpu");
      await server.join(qNode("qpu", 4), 5, () => {});
      const client = new Coordinator(e.kv(), cluster, "app");
      const call = { call_id: "abc", from: "app", contract: "k", tenant: "1", qubits: 1, circuit: "", shots: 1, per_shot: false, stream_seed: "1" };
      const first = await client.submitCall("qpu", call);
      const again = await client.submitCall("qpu", call);
      expect(first.created).toBe(true);
      expect(again.created).toBe(false);
      const a = await server.publishResult("abc", { ok: true, node: "qpu", counts: [{ bitstring: "0", count: 1 }], per_shot: null });
      const b = await server.publishResult("abc", { ok: true, node: "qpu", counts: [{ bitstring: "1", count: 1 }], per_shot: null });
      expect([a.created, b.created]).toEqual([true, false]);
      expect((await client.result("abc"))?.result).toMatchObject({ counts: [{ bitstring: "0", count: 1 }] });
      await server.leave();
    });

    it("a node whose lease is gone leaves the membership and can no longer publish results", async () => {
      const e = env();
      const cluster = `${e.cluster}-fence-${uniq++}`;
      const kv = e.kv();
      const server = new Coordinator(kv, cluster, "qpu");
      await server.join(qNode("qpu", 4), 2, () => {});
      const observer = new Coordinator(e.kv(), cluster, "obs");
      expect((await observer.members()).members.map((m) => m.name)).toEqual(["qpu"]);
      await e.expire(kv);
      expect((await observer.members()).members).toEqual([]);
      const p = await server.publishResult("late", { ok: true, node: "qpu", counts: [], per_shot: null }).catch(() => ({ created: false }));
      expect(p.created).toBe(false);
      expect(await observer.result("late")).toBeNull();
    });

    it("a requesting node that dies has its contracts released by the serving node, and recorded", async () => {
      const e = env();
      const cluster = `${e.cluster}-dead-${uniq++}`;
      const events: string[] = [];
      const server = new NodeServer(new Coordinator(e.kv(), cluster, "qpu"), qNode("qpu", 6), { ttlSeconds: 5, log: { event: (op, d) => events.push(`${op}:${String(d["cause"] ?? "")}`) } });
      expect((await server.start()).ok).toBe(true);
      const appKv = e.kv();
      const app = new Coordinator(appKv, cluster, "app");
      await app.join(kNode("app"), 2, () => {});
      expect((await app.grant(drc("c1", "app", "qpu", 4))).ok).toBe(true);
      await e.expire(appKv);
      for (let i = 0; i < 100 && (await server.coord.contractsOn("qpu")).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await server.coord.contractsOn("qpu")).toEqual([]);
      expect((await server.coord.pool("qpu")).pool).toEqual({ capacity: 6, free: 6 });
      expect(events).toContain("contract_released:requester-lost");
      expect((await server.coord.kv.get(server.coord.key("released", "c1"))).entry).not.toBeNull();
      await server.stop();
    });

    it("a Φ envelope served by another node gives exactly the embedded provider's readings and projections, and its window returns to the pool", async () => {
      const e = env();
      const cluster = `${e.cluster}-phi-${uniq++}`;
      const server = new NodeServer(new Coordinator(e.kv(), cluster, "phi1"), phiNode("phi1", 2), { ttlSeconds: 5 });
      expect((await server.start()).ok).toBe(true);
      const app = new Coordinator(e.kv(), cluster, "app");
      await app.join(kNode("app"), 5, () => {});
      const phiDrc = (contract: string): RemoteContract => ({ ...drc(contract, "app", "phi1", 1), domain: "Φ" });
      expect((await app.grant(phiDrc("w1"))).ok).toBe(true);
      expect((await app.grant(phiDrc("w2"))).ok).toBe(true);
      expect(await app.grant(phiDrc("w3"))).toMatchObject({ ok: false, reason: "pool-exhausted" });
      expect((await app.pool("phi1", "Φ")).pool).toEqual({ capacity: 2, free: 0 });

      // The embedded provider of a run with seed 9, envelope 1: the reference answers.
      const keys = new SeedKeys(9n);
      const local = new PhiProvider(keys);
      local.open(1n);
      const seeds = envelopeSeeds(keys, 1n);
      const envelope = { id: "1", seeds: { init: seeds.init.toString(), noise: seeds.noise.toString(), stability: seeds.stability.toString() } };
      const window = { envelope_id: 1n, window_start: 10n, window_duration: 100n };
      const call = async (id: string, op: RemotePhiCall["op"], contract = "w1"): Promise<unknown> => {
        const c: RemotePhiCall = { domain: "Φ", call_id: id, from: "app", contract, tenant: "1", envelope, op };
        const sent = await app.submitCall("phi1", c);
        const r = await app.awaitResult("phi1", id, sent.revision, 10_000);
        return "result" in r ? r.result : r;
      };
      for (let i = 0; i < 3; i++) {
        const at = 20n + BigInt(i) * 10n;
        const want = local.probe(window, at);
        expect(await call(`p${i}`, { kind: "probe", window_start: "10", window_duration: "100", at: at.toString() })).toEqual({ ok: true, node: "phi1", phi: want });
        const projection = local.transform(1n, 3 + i, want);
        expect(await call(`t${i}`, { kind: "transform", transform_id: 3 + i, stability_level: want.stability_level, noise_index: want.noise_index })).toEqual({ ok: true, node: "phi1", phi: projection });
      }
      // A Φ call on another node's contract is refused by the serving node itself.
      expect(await call("x", { kind: "probe", window_start: "10", window_duration: "100", at: "20" }, "nope")).toMatchObject({ ok: false, code: "CONTRACT_INVALID" });
      expect((await app.release("phi1", "w1", "request")).released).toBe(true);
      expect((await app.pool("phi1", "Φ")).pool).toEqual({ capacity: 2, free: 1 });
      await server.stop();
      await app.leave();
    });

    it("a workload's rounds grant the same contracts whatever the timing, carry releases to the next round, and do not wait for a peer that ended", async () => {
      const e = env();
      const execute = async (workloadName: string, order: readonly number[]): Promise<unknown[]> => {
        const cluster = `${e.cluster}-wl-${uniq++}`;
        const server = new Coordinator(e.kv(), cluster, "qpu");
        await server.join(qNode("qpu", 24), 5, () => {});
        const peers = ["a", "b", "c"];
        const ws = peers.map((n) => new Workload(new Coordinator(e.kv(), cluster, n), workloadName, peers));
        const req = (i: number, round: number, qubits: number): RoundRequest => ({
          node: peers[i]!, pid: "1", seq: round, priority: 0, logical_ts: 5 * round + i, qubits, target: "qpu", domain: "Q", contract: `${workloadName}-${peers[i]}-${round}`, tenant: "1",
        });
        // Round 0: 10 qubits each on 24 → two grants. Round 1: 6 each on 4 left → none.
        for (const round of [0, 1]) {
          for (const i of order) await ws[i]!.propose(round, req(i, round, round === 0 ? 10 : 6));
          const settled = await Promise.all(order.map((i) => ws[i]!.await(round, 10_000)));
          expect(new Set(settled.map((s) => ("decision" in s ? s.decision.hash : "timeout"))).size).toBe(1);
        }
        // Round 2: the round-0 grants come back first; c has ended and is not waited for.
        const d0 = (await ws[0]!.await(0, 1000)) as { decision: { decision: { granted: string[] } } };
        for (const i of order) {
          if (i === 2) continue;
          const key = `${peers[i]}/1/0`;
          if (d0.decision.decision.granted.includes(key)) expect((await ws[i]!.release(2, "qpu", `${workloadName}-${peers[i]}-0`, "request")).released).toBe(true);
        }
        await ws[2]!.finish(2);
        for (const i of order.filter((i) => i !== 2)) await ws[i]!.propose(2, req(i, 2, 12));
        const last = await ws[order.find((i) => i !== 2)!]!.await(2, 10_000);
        expect("decision" in last).toBe(true);
        // The live pool followed the ledger.
        expect((await server.pool("qpu")).pool?.free).toBe(0);
        // a and b end holding their round-2 grants, given back at the end: the closing round
        // (3, settled by the last to end) returns them, and the pool is full again.
        for (const i of order.filter((i) => i !== 2)) {
          expect((await ws[i]!.release(3, "qpu", `${workloadName}-${peers[i]}-2`, "termination")).released).toBe(true);
          await ws[i]!.finish(3);
        }
        const chain = await ws[0]!.decisions();
        expect(chain.map((d) => d.epoch)).toEqual([0, 1, 2, 3]);
        expect(verifyDecisionChain(chain).ok).toBe(true);
        expect((await server.pool("qpu")).pool).toEqual({ capacity: 24, free: 24 });
        await server.leave();
        return chain.map((d) => ({ ...d }));
      };
      const first = await execute("w-one", [0, 1, 2]);
      const second = await execute("w-two", [2, 1, 0]);
      expect(second).toEqual(first);
      expect((first[0] as { decision: { granted: string[] } }).decision.granted).toEqual(["a/1/0", "b/1/0"]);
      expect((first[1] as { decision: { granted: string[] } }).decision.granted).toEqual([]);
      expect((first[2] as { decision: { granted: string[]; ledger: Record<string, number> } }).decision).toMatchObject({ granted: ["a/1/2", "b/1/2"], ledger: { "qpu/Q": 0 } });
    });

    it("a round waits for a peer that has not reached it, and says which", async () => {
      const e = env();
      const cluster = `${e.cluster}-wlwait-${uniq++}`;
      const server = new Coordinator(e.kv(), cluster, "qpu");
      await server.join(qNode("qpu", 8), 5, () => {});
      const w = new Workload(new Coordinator(e.kv(), cluster, "a"), "w", ["a", "slow"]);
      await w.propose(0, { node: "a", pid: "1", seq: 0, priority: 0, logical_ts: 0, qubits: 2, target: "qpu", domain: "Q", contract: "w-a-0", tenant: "1" });
      expect(await w.await(0, 300)).toEqual({ timeout: ["slow"] });
      await server.leave();
    });

    it("a node name held by a live member is refused", async () => {
      const e = env();
      const cluster = `${e.cluster}-name-${uniq++}`;
      const a = new Coordinator(e.kv(), cluster, "n1");
      expect((await a.join(kNode("n1"), 5, () => {})).ok).toBe(true);
      const b = new Coordinator(e.kv(), cluster, "n1");
      expect(await b.join(kNode("n1"), 5, () => {})).toMatchObject({ ok: false });
      await a.leave();
    });

    it("epochs settle to the same hash-chained decisions whatever order requests arrive in, and twice over", async () => {
      const e = env();
      const runOnce = async (order: readonly number[]): Promise<unknown[]> => {
        const cluster = `${e.cluster}-epoch-${uniq++}`;
        const server = new Coordinator(e.kv(), cluster, "qpu");
        await server.join(qNode("qpu", 8), 5, () => {});
        const nodes = ["n1", "n2", "n3"].map((n) => new Coordinator(e.kv(), cluster, n));
        for (let epoch = 0; epoch < 3; epoch++) {
          await Promise.all(
            order.map((i) =>
              nodes[i]!.submitEpoch("qpu", epoch, [
                { node: `n${i + 1}`, pid: "1", seq: 0, priority: i === 2 ? 1 : 0, logical_ts: 10 * epoch + i, qubits: 2 + i },
                { node: `n${i + 1}`, pid: "2", seq: 0, priority: 0, logical_ts: 10 * epoch, qubits: 1 },
              ]),
            ),
          );
          // Every node tries to settle; exactly one write lands and all see the same record.
          const settled = await Promise.all(nodes.map((n) => n.settleEpoch("qpu", epoch, ["n1", "n2", "n3"])));
          const hashes = settled.map((s) => ("decision" in s ? s.decision.hash : "pending"));
          expect(new Set(hashes).size).toBe(1);
        }
        const chain = await server.decisions("qpu");
        expect(verifyDecisionChain(chain).ok).toBe(true);
        await server.leave();
        return chain.map((d) => ({ ...d }));
      };
      const a = await runOnce([0, 1, 2]);
      const b = await runOnce([2, 0, 1]);
      expect(b).toEqual(a);
      expect(a).toHaveLength(3);
    });
  });
}

// ---- the simulation ---------------------------------------------------------------------

let sim: SimCluster;
suite("coordinator on the simulated store (seeded delivery)", () => {
  sim ??= new SimCluster(42n);
  return {
    cluster: "sim",
    kv: () => sim.client(),
    expire: async (kv) => {
      sim.partition(kv as never);
      sim.advance(60_000);
    },
  };
});

// ---- real etcd ------------------------------------------------------------------------------

const missing = etcdAvailable();
let etcd: EtcdCluster | null = null;
const clients: EtcdKv[] = [];
describe.skipIf(missing !== null)(`coordinator on a 3-member etcd${missing ? ` (skipped: ${missing})` : ""}`, () => {
  beforeAll(async () => {
    etcd = await startEtcd();
  }, 40_000);
  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await etcd?.stop();
  });
  suite("contract", () => ({
    cluster: `etcd-${process.pid}`,
    kv: () => {
      const c = new EtcdKv({ endpoints: etcd!.endpoints, deadlineMs: 3000 });
      clients.push(c);
      return c;
    },
    // Stop keep-alives and wait out the TTL: the lease expires as it would for a dead node.
    expire: async (kv) => {
      await kv.close();
      await new Promise((r) => setTimeout(r, 6500));
    },
  }));
});
