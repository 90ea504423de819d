/**
 * The cluster worker of a clustered run: owns the etcd client, holds the run node's
 * membership, and answers the main thread's requests (sync-bridge.ts).
 */
import { parentPort } from "node:worker_threads";
import type { BridgeInit, BridgeReply, BridgeRequest, JoinReply } from "./bridge-protocol.js";
import { Coordinator } from "./coordinator.js";
import { EtcdKv } from "./etcd-kv.js";
import { NodeServer } from "./node-server.js";
import { place } from "./placement.js";

let server: NodeServer | null = null;
let coord: Coordinator | null = null;
let init: BridgeInit | null = null;

async function handle(req: BridgeRequest): Promise<BridgeReply> {
  const c = coord!;
  try {
    switch (req.op) {
      case "place": {
        const { members, revision } = await c.members();
        const p = place(members, { domain: req.domain, qubits: req.qubits, tenant: req.tenant, from: c.self }, req.hint);
        if (!p.ok) {
          return p.reason === "cross-tenant"
            ? { kind: "refused", code: "DOMAIN_UNAUTHORIZED", reason: "node-cross-tenant", message: p.message, node: "" }
            : { kind: "refused", code: "RESOURCE_EXHAUSTED", reason: "no-eligible-node", message: p.message, node: "" };
        }
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
        const r = await c.release(req.target, req.contract, req.cause);
        return { kind: "released", released: r.released, cluster_rev: r.revision };
      }
    }
  } catch (e) {
    return { kind: "unreachable", message: (e as Error).message };
  }
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
