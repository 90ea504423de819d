/**
 * The cluster worker of a clustered run: owns the etcd client, holds the run node's
 * membership, and answers the main thread's requests (sync-bridge.ts).
 */
import { parentPort } from "node:worker_threads";
import type { BridgeInit, BridgeReply, BridgeRequest, JoinReply } from "./bridge-protocol.js";
import { Coordinator } from "./coordinator.js";
import { EtcdKv } from "./etcd-kv.js";
import { NodeServer } from "./node-server.js";
import { requestKey } from "./allocation.js";
import { place, type PlacementResult } from "./placement.js";
import { Workload, type RoundDecision, type RoundRequest } from "./workload.js";

let server: NodeServer | null = null;
let coord: Coordinator | null = null;
let init: BridgeInit | null = null;
let workload: Workload | null = null;

async function handle(req: BridgeRequest): Promise<BridgeReply> {
  const c = coord!;
  try {
    switch (req.op) {
      case "place": {
        const { members, revision } = await c.members();
        const p = place(members, { domain: req.domain, qubits: req.qubits, tenant: req.tenant, from: c.self }, req.hint);
        if (workload) return placeInRound(workload, req, p, revision);
        if (!p.ok) return placementRefusal(p);
        const g = await c.grant({ contract: req.contract, requesting_node: c.self, target_node: p.node, domain: req.domain, qubits: req.qubits, tenant: req.tenant, pid: req.pid, logical_ts: req.logical_ts });
        if (g.ok) return { kind: "placed", node: p.node, why: p.why, members_rev: revision, cluster_rev: g.revision };
        const code = g.reason === "cross-tenant" ? "DOMAIN_UNAUTHORIZED" : g.reason === "node-unreachable" ? "CONTRACT_INVALID" : "RESOURCE_EXHAUSTED";
        const reason = g.reason === "cross-tenant" ? "node-cross-tenant" : g.reason === "node-unreachable" ? "node-unreachable" : "cluster-pool-exhausted";
        return { kind: "refused", code, reason, message: g.message, node: p.node };
      }
      case "call": {
        const sent = await c.submitCall(req.target, req.call);
        const r = await c.awaitResult(req.target, req.call.call_id, sent.revision, init!.ttlSeconds * 1000 + 2000);
        if ("unreachable" in r) return { kind: "unreachable", message: r.unreachable };
        if (!r.result.ok) return { kind: "refused", code: r.result.code, reason: r.result.reason, message: r.result.message, node: r.result.node };
        if ("phi" in r.result) return { kind: "phi-result", node: r.result.node, phi: r.result.phi, call_rev: sent.revision, cluster_rev: r.revision };
        return { kind: "result", node: r.result.node, counts: r.result.counts, per_shot: r.result.per_shot, call_rev: sent.revision, cluster_rev: r.revision };
      }
      case "release": {
        const r = workload ? await workload.release(req.round, req.target, req.contract, req.cause) : await c.release(req.target, req.contract, req.cause);
        return { kind: "released", released: r.released, cluster_rev: r.revision };
      }
      case "done": {
        await workload?.finish(req.rounds);
        return { kind: "done" };
      }
    }
  } catch (e) {
    return { kind: "unreachable", message: (e as Error).message };
  }
}

function placementRefusal(p: PlacementResult & { ok: false }): BridgeReply {
  return p.reason === "cross-tenant"
    ? { kind: "refused", code: "DOMAIN_UNAUTHORIZED", reason: "node-cross-tenant", message: p.message, node: "" }
    : { kind: "refused", code: "RESOURCE_EXHAUSTED", reason: "no-eligible-node", message: p.message, node: "" };
}

/**
 * Epoch mode: this run's k-th request joins round k of the workload (even when placement
 * found no node, so the others need not wait for it), and the answer is the round's decision.
 */
async function placeInRound(w: Workload, req: BridgeRequest & { op: "place" }, p: PlacementResult, membersRev: number): Promise<BridgeReply> {
  const request: RoundRequest | null = p.ok
    ? { node: w.coord.self, pid: req.pid, seq: req.round, priority: 0, logical_ts: req.logical_ts, qubits: req.qubits, target: p.node, domain: req.domain, contract: req.contract, tenant: req.tenant }
    : null;
  await w.propose(req.round, request);
  if (!p.ok) return placementRefusal(p);
  const d = await w.await(req.round, init!.allocation!.barrierMs);
  if ("timeout" in d) {
    return { kind: "refused", code: "RESOURCE_EXHAUSTED", reason: "epoch-barrier-timeout", message: `round ${req.round} of workload ${w.name} was not settled within ${init!.allocation!.barrierMs} ms (waiting for ${d.timeout.join(", ")})`, node: p.node };
  }
  const decision = d.decision.decision as unknown as RoundDecision;
  if (!decision.granted.includes(requestKey(request!))) {
    return { kind: "refused", code: "RESOURCE_EXHAUSTED", reason: "cluster-pool-exhausted", message: `round ${req.round} of workload ${w.name} did not grant ${req.qubits} ${req.domain === "Q" ? "qubits" : "coherence window"} on ${p.node} (decision ${d.decision.hash.slice(0, 16)})`, node: p.node };
  }
  return { kind: "placed", node: p.node, why: p.why, members_rev: membersRev, cluster_rev: d.revision, epoch: { round: req.round, decision: d.decision.hash } };
}

parentPort!.on("message", (m: BridgeInit | { close: true }) => {
  if ("close" in m) {
    void (async () => {
      try {
        await server?.stop();
      } catch {
        // Leaving is best effort: the lease expires on its own.
      }
      await coord?.kv.close().catch(() => undefined);
      parentPort!.postMessage({ closed: true });
    })();
    return;
  }
  init = m;
  const kv = new EtcdKv({ endpoints: m.endpoints, deadlineMs: m.deadlineMs });
  coord = new Coordinator(kv, m.cluster, m.node);
  workload = m.allocation ? new Workload(coord, m.allocation.workload, m.allocation.peers) : null;
  server = new NodeServer(coord, { name: m.node, domains: ["K"], q: null, phi: null, tenant: m.tenant }, { ttlSeconds: m.ttlSeconds });
  const port = m.port;
  port.on("message", (req: BridgeRequest) => {
    void handle(req).then((reply) => {
      port.postMessage(reply);
      Atomics.store(m.flag, 0, 1);
      Atomics.notify(m.flag, 0);
    });
  });
  void server
    .start()
    .then((r) => parentPort!.postMessage(r satisfies JoinReply))
    .catch((e: unknown) => parentPort!.postMessage({ ok: false, message: (e as Error).message } satisfies JoinReply));
});
