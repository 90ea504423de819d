/**
 * The domain oracle of a clustered run (`dplc run --cluster`): Q contracts are placed on the
 * member that serves Q and granted there by an etcd transaction, and Q jobs run on that
 * member. What the program sees is what the embedded kernel would have given it: the job's
 * sampling stream is derived from the run seed and the job id here, and only its seed
 * travels, so the counts do not depend on which node ran the job (XDV-081 §11 "Distributed
 * logic SHALL remain deterministic"). Φ stays on the local provider (not distributed yet).
 *
 * Each answer carries where it ran and the etcd revisions, recorded as `remote` metadata;
 * `--replay` reads them back from the trace and never contacts a cluster.
 */
import { createHash } from "node:crypto";
import type { DomainOracle, LiveOracle, QContractPlacement, QJobOutcome, QJobRun, RemoteFault } from "../host/index.js";
import type { EnvelopeWindow, PhiProjection, PhiReading } from "../host/phi/provider.js";
import type { Metadata } from "../host/trace/trace-chain.js";
import type { BridgeReply } from "./bridge-protocol.js";
import type { PlacementHint } from "./placement.js";
import type { SyncBridge } from "./sync-bridge.js";

export interface ClusterOracleOptions {
  readonly node: string;
  /** Unique per run: keeps the keys of two runs (or an aborted one) apart. */
  readonly runId: string;
  /** The longest a call may block: the lease TTL plus the time to notice. */
  readonly callTimeoutMs: number;
}

interface Placed {
  readonly node: string;
  readonly key: string;
  readonly tenant: string;
}

function refusal(r: BridgeReply & { kind: "refused" | "unreachable" }): RemoteFault {
  if (r.kind === "unreachable") return { fault: { code: "CONTRACT_INVALID", reason: "node-unreachable", message: r.message, details: {} } };
  return { fault: { code: r.code, reason: r.reason as RemoteFault["fault"]["reason"], message: r.message, details: r.node ? { node: r.node } : {} } };
}

export class ClusterOracle implements DomainOracle {
  readonly #live: LiveOracle;
  readonly #bridge: SyncBridge;
  readonly #options: ClusterOracleOptions;
  readonly #placed = new Map<bigint, Placed>();
  /** Advisory, from the program (see `HintingAbi`); read at the next placement. */
  hint: PlacementHint = {};

  constructor(live: LiveOracle, bridge: SyncBridge, options: ClusterOracleOptions) {
    this.#live = live;
    this.#bridge = bridge;
    this.#options = options;
  }

  #contractKey(id: bigint): string {
    return `${this.#options.runId}-${this.#options.node}-c${id}`;
  }

  placeQContract(req: QContractPlacement): { remote: Metadata | null } | RemoteFault {
    const key = this.#contractKey(req.contract_id);
    const r = this.#bridge.request(
      { op: "place", contract: key, qubits: req.qubits, tenant: String(req.tenant), pid: String(req.pid), logical_ts: Number(req.logical_ts), hint: this.hint },
      this.#options.callTimeoutMs,
    );
    if (r.kind === "refused" || r.kind === "unreachable") return refusal(r);
    if (r.kind !== "placed") return { fault: { code: "DOMAIN_PANIC", reason: "remote-refused", message: `unexpected answer '${r.kind}' to a placement`, details: {} } };
    this.#placed.set(req.contract_id, { node: r.node, key, tenant: String(req.tenant) });
    return { remote: { from: this.#options.node, node: r.node, contract: key, placement: r.why, members_rev: r.members_rev, cluster_rev: r.cluster_rev } };
  }

  releaseQContract(contractId: bigint, cause: string): Metadata | null {
    const p = this.#placed.get(contractId);
    if (!p) return null;
    this.#placed.delete(contractId);
    const r = this.#bridge.request({ op: "release", target: p.node, contract: p.key, cause }, this.#options.callTimeoutMs);
    if (r.kind !== "released") return { from: this.#options.node, node: p.node, released: false, error: r.kind === "unreachable" ? r.message : r.kind };
    return { from: this.#options.node, node: p.node, released: r.released, cluster_rev: r.cluster_rev };
  }

  runQJob(job: QJobRun): QJobOutcome | RemoteFault {
    const p = this.#placed.get(job.contract_id);
    if (!p) return this.#live.runQJob(job);
    const streamSeed = this.#live.keys.u64("q-job", job.job_id);
    const callId = createHash("sha256").update(`${this.#options.runId}\0${this.#options.node}\0${job.job_id}`).digest("hex").slice(0, 32);
    const r = this.#bridge.request(
      {
        op: "call",
        target: p.node,
        call: { call_id: callId, from: this.#options.node, contract: p.key, tenant: p.tenant, qubits: job.circuit.qubits, circuit: job.source, shots: job.shots, per_shot: job.per_shot, stream_seed: streamSeed.toString() },
      },
      this.#options.callTimeoutMs,
    );
    if (r.kind === "refused" || r.kind === "unreachable") {
      const f = refusal(r);
      const details: Record<string, string | number | boolean> = { ...f.fault.details, node: p.node, call_id: callId };
      if (f.fault.code === "CONTRACT_INVALID") {
        // XDV-041 §6.1/§6.3: the contract is void; give its qubits back now and record it.
        this.#placed.delete(job.contract_id);
        const rel = this.#bridge.request({ op: "release", target: p.node, contract: p.key, cause: f.fault.reason }, this.#options.callTimeoutMs);
        details["remote_released"] = rel.kind === "released" && rel.released;
        if (rel.kind === "released") details["release_rev"] = rel.cluster_rev;
      }
      return { fault: { ...f.fault, details } };
    }
    if (r.kind !== "result") return { fault: { code: "DOMAIN_PANIC", reason: "remote-refused", message: `unexpected answer '${r.kind}' to a call`, details: {} } };
    return { counts: r.counts, per_shot: job.per_shot ? r.per_shot : null, remote: { from: this.#options.node, node: r.node, call_id: callId, call_rev: r.call_rev, cluster_rev: r.cluster_rev } };
  }

  openEnvelope(envelopeId: bigint): void {
    this.#live.openEnvelope(envelopeId);
  }

  closeEnvelope(envelopeId: bigint): void {
    this.#live.closeEnvelope(envelopeId);
  }

  probePhi(window: EnvelopeWindow, at: bigint): PhiReading {
    return this.#live.probePhi(window, at);
  }

  applyPhi(envelopeId: bigint, transformId: number, reading: PhiReading): PhiProjection {
    return this.#live.applyPhi(envelopeId, transformId, reading);
  }
}
