/**
 * What a node does for the others (`dplc node`, and the Q/Φ side of any member): hold its
 * membership lease, watch `call/<self>/`, check each call on its own side (tenant, and an
 * R-DRC granted on this node's pool to the calling node, large enough for the job), run a Q
 * job on its own Q provider with the stream seed the caller derived from the run seed and
 * the job id, or a Φ probe/transform on an envelope opened from the caller's seeds, and
 * publish the result create-if-absent, fenced on its membership.
 *
 * Only descriptors (circuit text, counts of shots and qubits) arrive and only counts and
 * bitstrings leave; the state vector never leaves `QProvider`. A node that loses its lease
 * (killed etcd quorum, partition, pause longer than the TTL) stops serving at once, and any
 * result it computed cannot commit because the fence fails.
 *
 * Every cluster event the node takes part in goes into its own hash-chained log with the
 * etcd revision it committed at (`cluster_rev`), for `dplc trace merge`.
 */
import { PhiProvider } from "../host/phi/provider.js";
import { QProvider } from "../host/q/provider.js";
import { Xoshiro128StarStar } from "../host/random/prng.js";
import type { Metadata } from "../host/trace/trace-chain.js";
import type { Coordinator, RemoteCall, RemotePhiCall, RemoteResult } from "./coordinator.js";
import type { KvWatch } from "./kv.js";
import type { MemberRecord } from "./placement.js";

export interface NodeLog {
  event(op: string, data: Metadata): void;
}

export interface NodeServerOptions {
  readonly ttlSeconds: number;
  readonly log?: NodeLog;
  /** Called once when the node stops serving on its own (lease lost); the reason is one line. */
  readonly onStopped?: (why: string) => void;
}

export class NodeServer {
  readonly coord: Coordinator;
  readonly member: MemberRecord;
  readonly #options: NodeServerOptions;
  readonly #q = new QProvider();
  /** Φ envelopes served here, by contract key; dropped when the contract goes. */
  readonly #envelopes = new Map<string, PhiProvider>();
  #serving = false;
  #watches: KvWatch[] = [];
  #queue: Promise<void> = Promise.resolve();
  /** Calls handled here, so a watch replay after reconnect does not run a job twice. */
  readonly #seen = new Set<string>();
  served = 0;

  constructor(coord: Coordinator, member: MemberRecord, options: NodeServerOptions) {
    this.coord = coord;
    this.member = member;
    this.#options = options;
  }

  get serving(): boolean {
    return this.#serving;
  }

  async start(): Promise<{ ok: true; revision: number } | { ok: false; message: string }> {
    const joined = await this.coord.join(this.member, this.#options.ttlSeconds, (why) => void this.#lost(why));
    if (!joined.ok) return joined;
    this.#serving = true;
    this.#options.log?.event("node_join", { node: this.member.name, domains: [...this.member.domains], tenant: this.member.tenant, cluster_rev: joined.revision });
    const callPrefix = this.coord.key("call", this.member.name) + "/";
    this.#watches.push(
      await this.coord.kv.watch(callPrefix, joined.revision, (e) => {
        if (e.type !== "put" || !this.#serving) return;
        const call = JSON.parse(e.value) as RemoteCall;
        this.#queue = this.#queue.then(() => this.#handle(call, e.modRevision)).catch(() => undefined);
      }),
    );
    // A released contract's envelope goes with it (the phases are discarded, XDV-061).
    const drcPrefix = this.coord.key("drc", this.member.name) + "/";
    this.#watches.push(
      await this.coord.kv.watch(drcPrefix, joined.revision, (e) => {
        if (e.type === "delete") this.#envelopes.delete(e.key.slice(drcPrefix.length));
      }),
    );
    // A requesting node that dies leaves contracts on our pool: give them back (XDV-041 §6.3).
    this.#watches.push(
      await this.coord.watchMembers(joined.revision, (e, node) => {
        if (e.type !== "delete" || node === this.member.name || !this.#serving) return;
        this.#queue = this.#queue.then(() => this.#releaseFor(node, "requester-lost", e.modRevision)).catch(() => undefined);
      }),
    );
    return joined;
  }

  async #releaseFor(node: string, cause: string, memberRev: number): Promise<void> {
    for (const c of await this.coord.contractsOn(this.member.name)) {
      if (c.requesting_node !== node) continue;
      const r = await this.coord.release(this.member.name, c.contract, cause);
      if (r.released) this.#options.log?.event("contract_released", { contract: c.contract, requesting_node: node, cause, member_rev: memberRev, cluster_rev: r.revision });
    }
  }

  async #check(call: RemoteCall): Promise<RemoteResult | null> {
    const node = this.member.name;
    if (this.member.tenant !== null && call.tenant !== this.member.tenant) {
      return { ok: false, node, code: "DOMAIN_UNAUTHORIZED", reason: "node-cross-tenant", message: `node ${node} serves tenant ${this.member.tenant}; the call is from tenant ${call.tenant}` };
    }
    const c = await this.coord.contract(node, call.contract);
    if (!c || c.requesting_node !== call.from || c.tenant !== call.tenant) {
      return { ok: false, node, code: "CONTRACT_INVALID", reason: "remote-refused", message: `node ${node} holds no contract ${call.contract} for ${call.from}` };
    }
    if ((call.domain ?? "Q") !== c.domain) {
      return { ok: false, node, code: "CONTRACT_INVALID", reason: "remote-refused", message: `contract ${call.contract} on ${node} is a ${c.domain} contract, the call is for ${call.domain ?? "Q"}` };
    }
    if (call.domain === "Φ") return null;
    if (call.qubits > c.qubits) {
      return { ok: false, node, code: "RESOURCE_EXHAUSTED", reason: "budget-qubits", message: `job declares ${call.qubits} qubits, contract ${call.contract} reserves ${c.qubits} on ${node}` };
    }
    return null;
  }

  #execute(call: RemoteCall): RemoteResult {
    const node = this.member.name;
    if (call.domain === "Φ") return this.#executePhi(call);
    const compiled = this.#q.compile(call.circuit);
    if (!compiled.ok) return { ok: false, node, code: "DOMAIN_PANIC", reason: compiled.category, message: `OpenQASM line ${compiled.line}: ${compiled.message}` };
    if (compiled.circuit.qubits > call.qubits) return { ok: false, node, code: "RESOURCE_EXHAUSTED", reason: "budget-qubits", message: "circuit larger than the job descriptor" };
    const out = this.#q.execute(compiled.circuit, call.shots, new Xoshiro128StarStar(BigInt(call.stream_seed)), call.per_shot);
    return { ok: true, node, counts: out.counts, per_shot: out.per_shot };
  }

  /**
   * The envelope lives here for the contract's lifetime, opened on its first call from the
   * seeds the caller sent; calls for one contract arrive in order (the caller waits for each).
   */
  #executePhi(call: RemotePhiCall): RemoteResult {
    const node = this.member.name;
    const id = BigInt(call.envelope.id);
    let provider = this.#envelopes.get(call.contract);
    if (!provider) {
      provider = new PhiProvider(null);
      const s = call.envelope.seeds;
      provider.openSeeded(id, { init: BigInt(s.init), noise: BigInt(s.noise), stability: BigInt(s.stability) });
      this.#envelopes.set(call.contract, provider);
    }
    const op = call.op;
    if (op.kind === "probe") {
      return { ok: true, node, phi: provider.probe({ envelope_id: id, window_start: BigInt(op.window_start), window_duration: BigInt(op.window_duration) }, BigInt(op.at)) };
    }
    if (!provider.supports(op.transform_id)) {
      return { ok: false, node, code: "DOMAIN_PANIC", reason: "transform-unsupported", message: `transform ${op.transform_id} is not in node ${node}'s transform set` };
    }
    return { ok: true, node, phi: provider.transform(id, op.transform_id, { stability_level: op.stability_level, noise_index: op.noise_index }) };
  }

  async #handle(call: RemoteCall, callRev: number): Promise<void> {
    if (this.#seen.has(call.call_id) || !this.#serving) return;
    this.#seen.add(call.call_id);
    // Already answered (by an earlier incarnation of this node): the first result stands.
    if (await this.coord.result(call.call_id)) return;
    const result = (await this.#check(call)) ?? this.#execute(call);
    if (!this.#serving) return;
    const r = await this.coord.publishResult(call.call_id, result);
    if (r.created) this.served++;
    this.#options.log?.event("call_served", {
      call_id: call.call_id,
      from: call.from,
      contract: call.contract,
      status: result.ok ? "OK" : result.code,
      published: r.created,
      call_rev: callRev,
      cluster_rev: r.revision,
    });
  }

  async #lost(why: string): Promise<void> {
    if (!this.#serving) return;
    this.#serving = false;
    this.#options.log?.event("node_lost", { node: this.member.name, why });
    // Said before closing the watches: closing may wait on a cluster that is not there.
    this.#options.onStopped?.(`node ${this.member.name} lost its cluster membership (${why}); it stopped serving`);
    void this.#closeWatches();
  }

  async #closeWatches(): Promise<void> {
    const ws = this.#watches;
    this.#watches = [];
    await Promise.allSettled(ws.map((w) => w.close()));
  }

  /** Leaves cleanly: stops taking calls, releases the contracts on its pool, revokes its lease. */
  async stop(): Promise<void> {
    const wasServing = this.#serving;
    this.#serving = false;
    await this.#closeWatches();
    await this.#queue.catch(() => undefined);
    if (!wasServing) return;
    for (const c of await this.coord.contractsOn(this.member.name)) {
      const r = await this.coord.release(this.member.name, c.contract, "server-left");
      if (r.released) this.#options.log?.event("contract_released", { contract: c.contract, requesting_node: c.requesting_node, cause: "server-left", cluster_rev: r.revision });
    }
    await this.coord.leave();
    this.#options.log?.event("node_leave", { node: this.member.name });
  }
}
