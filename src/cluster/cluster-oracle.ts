/**
 * The domain oracle of a clustered run (`dplc run --cluster`): Q contracts are placed on the
 * member that serves Q and granted there by an etcd transaction, and Q jobs run on that
 * member. What the program sees is what the embedded kernel would have given it: the job's
 * sampling stream is derived from the run seed and the job id here, and only its seed
 * travels, so the counts do not depend on which node ran the job (XDV-081 §11 "Distributed
 * logic SHALL remain deterministic"). Φ contracts are placed the same way; their envelope is
 * opened on the serving node from seeds derived here, and probes and transforms run there.
 *
 * Each answer carries where it ran and the etcd revisions, recorded as `remote` metadata;
 * `--replay` reads them back from the trace and never contacts a cluster.
 */
import { createHash } from "node:crypto";
import type { DomainOracle, LiveOracle, QContractPlacement, QJobOutcome, QJobRun, RemoteFault } from "../host/index.js";
import type { PhiContractPlacement, PhiProjectionOutcome, PhiReadingOutcome } from "../host/kernel/oracle.js";
import { envelopeSeeds, type EnvelopeWindow, type PhiReading } from "../host/phi/provider.js";
import type { Metadata } from "../host/trace/trace-chain.js";
import type { BridgeReply } from "./bridge-protocol.js";
import type { PhiAnswer, RemotePhiCall } from "./coordinator.js";
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

interface PlacedEnvelope extends Placed {
  readonly contractId: bigint;
  readonly seeds: RemotePhiCall["envelope"]["seeds"];
  /** Operations sent so far: the next call's id is derived from it. */
  calls: number;
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
  /** Φ envelopes served by other nodes, by envelope id. */
  readonly #envelopes = new Map<bigint, PlacedEnvelope>();
  /** Placements asked so far: the number of this run's next round in epoch mode (workload.ts). */
  #rounds = 0;
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
      { op: "place", domain: "Q", contract: key, qubits: req.qubits, tenant: String(req.tenant), pid: String(req.pid), logical_ts: Number(req.logical_ts), hint: this.hint, round: this.#rounds++ },
      this.#options.callTimeoutMs,
    );
    if (r.kind === "refused" || r.kind === "unreachable") return refusal(r);
    if (r.kind !== "placed") return { fault: { code: "DOMAIN_PANIC", reason: "remote-refused", message: `unexpected answer '${r.kind}' to a placement`, details: {} } };
    this.#placed.set(req.contract_id, { node: r.node, key, tenant: String(req.tenant) });
    return { remote: { from: this.#options.node, node: r.node, contract: key, placement: r.why, members_rev: r.members_rev, cluster_rev: r.cluster_rev, ...(r.epoch ? { round: r.epoch.round, decision: r.epoch.decision } : {}) } };
  }

  placePhiContract(req: PhiContractPlacement): { remote: Metadata | null } | RemoteFault {
    const key = this.#contractKey(req.contract_id);
    const r = this.#bridge.request(
      { op: "place", domain: "Φ", contract: key, qubits: 1, tenant: String(req.tenant), pid: String(req.pid), logical_ts: Number(req.logical_ts), hint: this.hint, round: this.#rounds++ },
      this.#options.callTimeoutMs,
    );
    if (r.kind === "refused" || r.kind === "unreachable") return refusal(r);
    if (r.kind !== "placed") return { fault: { code: "DOMAIN_PANIC", reason: "remote-refused", message: `unexpected answer '${r.kind}' to a placement`, details: {} } };
    const seeds = envelopeSeeds(this.#live.keys, req.envelope_id);
    const placed: PlacedEnvelope = {
      node: r.node,
      key,
      tenant: String(req.tenant),
      contractId: req.contract_id,
      seeds: { init: seeds.init.toString(), noise: seeds.noise.toString(), stability: seeds.stability.toString() },
      calls: 0,
    };
    this.#placed.set(req.contract_id, placed);
    this.#envelopes.set(req.envelope_id, placed);
    return { remote: { from: this.#options.node, node: r.node, contract: key, placement: r.why, members_rev: r.members_rev, cluster_rev: r.cluster_rev, ...(r.epoch ? { round: r.epoch.round, decision: r.epoch.decision } : {}) } };
  }

  /** After the program ended and gave its contracts back: later rounds need not wait for it. */
  finish(): void {
    this.#bridge.request({ op: "done", rounds: this.#rounds }, this.#options.callTimeoutMs);
  }

  releaseContract(contractId: bigint, cause: string): Metadata | null {
    const p = this.#placed.get(contractId);
    if (!p) return null;
    this.#placed.delete(contractId);
    for (const [envelope, e] of this.#envelopes) if (e.contractId === contractId) this.#envelopes.delete(envelope);
    const r = this.#bridge.request({ op: "release", target: p.node, contract: p.key, cause, round: this.#rounds }, this.#options.callTimeoutMs);
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
        this.#placed.delete(job.contract_id);
        Object.assign(details, this.#voidContract(p, f.fault.reason));
      }
      return { fault: { ...f.fault, details } };
    }
    if (r.kind !== "result") return { fault: { code: "DOMAIN_PANIC", reason: "remote-refused", message: `unexpected answer '${r.kind}' to a call`, details: {} } };
    return { counts: r.counts, per_shot: job.per_shot ? r.per_shot : null, remote: { from: this.#options.node, node: r.node, call_id: callId, call_rev: r.call_rev, cluster_rev: r.cluster_rev } };
  }

  // A remote envelope is opened on its node by its first call and discarded there when its
  // contract is released; only envelopes kept here touch the local provider.
  openEnvelope(envelopeId: bigint): void {
    if (!this.#envelopes.has(envelopeId)) this.#live.openEnvelope(envelopeId);
  }

  closeEnvelope(envelopeId: bigint): void {
    if (!this.#envelopes.has(envelopeId)) this.#live.closeEnvelope(envelopeId);
  }

  probePhi(window: EnvelopeWindow, at: bigint): PhiReadingOutcome | RemoteFault {
    const e = this.#envelopes.get(window.envelope_id);
    if (!e) return this.#live.probePhi(window, at);
    const r = this.#phiCall(e, window.envelope_id, { kind: "probe", window_start: window.window_start.toString(), window_duration: window.window_duration.toString(), at: at.toString() });
    if ("fault" in r) return r;
    const { phi, remote } = r;
    if (!("stability_level" in phi)) return { fault: { code: "DOMAIN_PANIC", reason: "remote-refused", message: "a Φ probe was answered with a projection", details: {} } };
    return { stability_level: phi.stability_level, noise_index: phi.noise_index, remote };
  }

  applyPhi(envelopeId: bigint, transformId: number, reading: PhiReading): PhiProjectionOutcome | RemoteFault {
    const e = this.#envelopes.get(envelopeId);
    if (!e) return this.#live.applyPhi(envelopeId, transformId, reading);
    const r = this.#phiCall(e, envelopeId, { kind: "transform", transform_id: transformId, stability_level: reading.stability_level, noise_index: reading.noise_index });
    if ("fault" in r) return r;
    const { phi, remote } = r;
    if (!("dominant_mode" in phi)) return { fault: { code: "DOMAIN_PANIC", reason: "remote-refused", message: "a Φ transform was answered with a reading", details: {} } };
    return { dominant_mode: phi.dominant_mode, coherence_index: phi.coherence_index, remote };
  }

  #phiCall(e: PlacedEnvelope, envelopeId: bigint, op: RemotePhiCall["op"]): { phi: PhiAnswer; remote: Metadata } | RemoteFault {
    const seq = e.calls++;
    const callId = createHash("sha256").update(`${this.#options.runId}\0${this.#options.node}\0phi\0${e.key}\0${seq}`).digest("hex").slice(0, 32);
    const call: RemotePhiCall = { domain: "Φ", call_id: callId, from: this.#options.node, contract: e.key, tenant: e.tenant, envelope: { id: envelopeId.toString(), seeds: e.seeds }, op };
    const r = this.#bridge.request({ op: "call", target: e.node, call }, this.#options.callTimeoutMs);
    if (r.kind === "refused" || r.kind === "unreachable") {
      const f = refusal(r);
      const details: Record<string, string | number | boolean> = { ...f.fault.details, node: e.node, call_id: callId };
      if (f.fault.code === "CONTRACT_INVALID") {
        this.#placed.delete(e.contractId);
        this.#envelopes.delete(envelopeId);
        Object.assign(details, this.#voidContract(e, f.fault.reason));
      }
      return { fault: { ...f.fault, details } };
    }
    if (r.kind !== "phi-result") return { fault: { code: "DOMAIN_PANIC", reason: "remote-refused", message: `unexpected answer '${r.kind}' to a Φ call`, details: {} } };
    return { phi: r.phi, remote: { from: this.#options.node, node: r.node, call_id: callId, call_rev: r.call_rev, cluster_rev: r.cluster_rev } };
  }

  /** XDV-041 §6.1/§6.3: a contract whose node failed is void; give its units back now and say so. */
  #voidContract(p: Placed, cause: string): Record<string, number | boolean> {
    const rel = this.#bridge.request({ op: "release", target: p.node, contract: p.key, cause, round: this.#rounds }, this.#options.callTimeoutMs);
    return rel.kind === "released" ? { remote_released: rel.released, release_rev: rel.cluster_rev } : { remote_released: false };
  }
}
