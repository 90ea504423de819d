/**
 * The cluster's coordination protocol over a `Kv` (etcd in production, the simulation in
 * unit tests). Key layout under `/dplc/<cluster>/`, all values canonical JSON:
 *
 *   members/<node>            MemberRecord, attached to the node's lease (membership, failure detection)
 *   pool/<node>/Q             { capacity, free } in qubits: changed only by revision-guarded txns
 *   pool/<node>/Phi           the same in coherence windows
 *   drc/<node>/<contract>     an R-DRC (XDV-041 §4.2) granted on <node>'s pool
 *   released/<contract>       why and when a remote contract was given back
 *   call/<node>/<callId>      a remote invocation, create-if-absent
 *   result/<callId>           its result, create-if-absent, fenced on the server's membership
 *   epoch/<node>/<E>/<from>   a node's canonicalised pool requests for logical epoch E
 *   decision/<node>/<E>       the settled allocation of epoch E, hash-chained (XDV-042 §7)
 *
 * Every method returns the etcd revision its write committed at; callers put it in the
 * trace (`cluster_rev`), which is how node traces are merged into one order later.
 */
import { canonicalJson, sha256Hex, type JsonValue } from "../host/trace/canonical-json.js";
import { allocate, canonicalRequests, requestKey, type PoolRequest } from "./allocation.js";
import { CHAIN_GENESIS, evaluateQuorum, sealDecision, type DecisionRecord } from "./decision-chain.js";
import type { Kv, KvCompare, KvEntry, KvEvent, KvWatch } from "./kv.js";
import { KvUnavailable } from "./kv.js";
import type { MemberRecord } from "./placement.js";

export type PoolDomain = "Q" | "Φ";

export interface Pool {
  readonly capacity: number;
  readonly free: number;
}

/** XDV-041 §4.2 R-DRC, as stored; the capability itself never leaves its node. */
export interface RemoteContract {
  readonly contract: string;
  readonly requesting_node: string;
  readonly target_node: string;
  readonly domain: "Q" | "Φ";
  /** Units of the pool: qubits for Q, coherence windows (always 1) for Φ. */
  readonly qubits: number;
  readonly tenant: string;
  readonly pid: string;
  readonly logical_ts: number;
}

export interface RemoteQCall {
  readonly domain?: "Q";
  readonly call_id: string;
  readonly from: string;
  readonly contract: string;
  readonly tenant: string;
  readonly qubits: number;
  readonly circuit: string;
  readonly shots: number;
  readonly per_shot: boolean;
  /** The job's sampling stream seed, derived from the run seed and the job id (decimal u64). */
  readonly stream_seed: string;
}

/**
 * One operation on a remote Φ envelope. The envelope is opened on the serving node from the
 * three stream seeds the caller derived from its run seed (decimal u64s), so the node's
 * readings and projections are the ones the embedded provider would give; the phases never
 * leave the serving node.
 */
export interface RemotePhiCall {
  readonly domain: "Φ";
  readonly call_id: string;
  readonly from: string;
  readonly contract: string;
  readonly tenant: string;
  readonly envelope: { readonly id: string; readonly seeds: { readonly init: string; readonly noise: string; readonly stability: string } };
  readonly op:
    | { readonly kind: "probe"; readonly window_start: string; readonly window_duration: string; readonly at: string }
    | { readonly kind: "transform"; readonly transform_id: number; readonly stability_level: number; readonly noise_index: number };
}

export type RemoteCall = RemoteQCall | RemotePhiCall;

export type PhiAnswer = { readonly stability_level: number; readonly noise_index: number } | { readonly dominant_mode: number; readonly coherence_index: number };

export type RemoteResult =
  | { readonly ok: true; readonly node: string; readonly counts: readonly { readonly bitstring: string; readonly count: number }[]; readonly per_shot: readonly string[] | null }
  | { readonly ok: true; readonly node: string; readonly phi: PhiAnswer }
  | { readonly ok: false; readonly node: string; readonly code: "CONTRACT_INVALID" | "DOMAIN_UNAUTHORIZED" | "RESOURCE_EXHAUSTED" | "DOMAIN_PANIC"; readonly reason: string; readonly message: string };

export type GrantOutcome =
  | { readonly ok: true; readonly revision: number; readonly attempts: number }
  | { readonly ok: false; readonly reason: "pool-exhausted" | "node-unreachable" | "cross-tenant" | "contention"; readonly message: string; readonly revision: number };

function json(v: unknown): string {
  return canonicalJson(v as JsonValue);
}

export class Coordinator {
  readonly kv: Kv;
  readonly root: string;
  readonly self: string;
  /** Revision at which our membership key was created: results are fenced on it. */
  joinRevision = 0;

  constructor(kv: Kv, cluster: string, self: string) {
    this.kv = kv;
    this.root = `/dplc/${cluster}/`;
    this.self = self;
  }

  key(...parts: readonly (string | number)[]): string {
    return this.root + parts.join("/");
  }

  // ---- retries ---------------------------------------------------------------------------
  // A call may fail while etcd elects a leader or a member dies. Reads are simply retried;
  // a write whose outcome is unknown is resolved by reading back the key it guards (every
  // write is create-if-absent or revision-guarded, so it applied once or not at all).

  async #retry<T>(f: () => Promise<T>, attempts = 6): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await f();
      } catch (e) {
        if (!(e instanceof KvUnavailable) || attempt >= attempts) throw e;
        await new Promise((r) => setTimeout(r, 150 * attempt));
      }
    }
  }

  #get(key: string): Promise<{ readonly entry: KvEntry | null; readonly revision: number }> {
    return this.#retry(() => this.kv.get(key));
  }

  #range(prefix: string): Promise<{ readonly entries: readonly KvEntry[]; readonly revision: number }> {
    return this.#retry(() => this.kv.range(prefix));
  }

  /** A read that is retried while etcd elects a leader (for the workload ledger, workload.ts). */
  read(key: string): Promise<{ readonly entry: KvEntry | null; readonly revision: number }> {
    return this.#get(key);
  }

  list(prefix: string): Promise<{ readonly entries: readonly KvEntry[]; readonly revision: number }> {
    return this.#range(prefix);
  }

  createOnce(key: string, value: string): Promise<{ created: boolean; revision: number }> {
    return this.#createOnce(key, value);
  }

  /** Create-if-absent with an unknown outcome resolved by reading the key back. */
  async #createOnce(key: string, value: string, extra: readonly KvCompare[] = []): Promise<{ created: boolean; revision: number }> {
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await this.kv.txn([{ key, modRevision: 0 }, ...extra], [{ put: key, value }]);
        return { created: r.succeeded, revision: r.revision };
      } catch (e) {
        if (!(e instanceof KvUnavailable) || attempt >= 6) throw e;
        await new Promise((r) => setTimeout(r, 150 * attempt));
        const now = (await this.#get(key)).entry;
        if (now && now.value === value) return { created: true, revision: now.modRevision };
      }
    }
  }

  // ---- membership ----------------------------------------------------------------------

  /**
   * Joins on a fresh lease. A name already held by a live member is refused (two processes
   * must never serve as one node). The node's Q pool is created, or reset to full when the
   * previous incarnation left contracts behind (they are recorded as released).
   */
  async join(member: MemberRecord, ttlSeconds: number, onLost: (why: string) => void): Promise<{ ok: true; revision: number } | { ok: false; message: string }> {
    const lease = await this.kv.grantLease(ttlSeconds, onLost);
    const mk = this.key("members", member.name);
    let r: { succeeded: boolean; revision: number } | null = null;
    for (let attempt = 1; r === null; attempt++) {
      try {
        r = await this.kv.txn([{ key: mk, modRevision: 0 }], [{ put: mk, value: json(member), withLease: true }]);
      } catch (e) {
        if (!(e instanceof KvUnavailable) || attempt >= 6) throw e;
        await new Promise((res) => setTimeout(res, 150 * attempt));
        const now = (await this.#get(mk)).entry;
        if (now && now.lease === lease) r = { succeeded: true, revision: now.createRevision };
      }
    }
    if (!r.succeeded) {
      await this.kv.revokeLease();
      return { ok: false, message: `node name \`${member.name}\` is already a live member of the cluster` };
    }
    this.joinRevision = r.revision;
    const pools: [PoolDomain, number][] = [];
    if (member.q) pools.push(["Q", member.q.qubits]);
    if (member.phi) pools.push(["Φ", member.phi.windows]);
    if (pools.length > 0) await this.#resetPools(member.name, pools);
    return { ok: true, revision: r.revision };
  }

  /** `pool/<node>/Q` (qubits) and `pool/<node>/Phi` (coherence windows). */
  poolKey(node: string, domain: PoolDomain): string {
    return this.key("pool", node, domain === "Q" ? "Q" : "Phi");
  }

  async #resetPools(node: string, pools: readonly [PoolDomain, number][]): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const current = await Promise.all(pools.map(([d]) => this.#get(this.poolKey(node, d))));
      const stale = (await this.#range(this.key("drc", node) + "/")).entries;
      const ops = [
        ...pools.map(([d, capacity]) => ({ put: this.poolKey(node, d), value: json({ capacity, free: capacity }) })),
        ...stale.flatMap((e) => [{ del: e.key }, { put: this.key("released", JSON.parse(e.value).contract), value: json({ cause: "server-restart", node }) }]),
      ];
      const guards = [...pools.map(([d], i) => ({ key: this.poolKey(node, d), modRevision: current[i]!.entry?.modRevision ?? 0 })), ...stale.map((e) => ({ key: e.key, modRevision: e.modRevision }))];
      const r = await this.kv.txn(guards, ops);
      if (r.succeeded) return;
    }
    throw new KvUnavailable(`could not reset the pool of ${node}: too much contention`);
  }

  async leave(): Promise<void> {
    await this.kv.revokeLease();
  }

  async members(): Promise<{ members: MemberRecord[]; revision: number }> {
    const r = await this.#range(this.key("members") + "/");
    return { members: r.entries.map((e) => JSON.parse(e.value) as MemberRecord), revision: r.revision };
  }

  async isMember(node: string): Promise<KvEntry | null> {
    return (await this.#get(this.key("members", node))).entry;
  }

  watchMembers(fromRevision: number, onEvent: (e: KvEvent, node: string) => void): Promise<KvWatch> {
    const prefix = this.key("members") + "/";
    return this.kv.watch(prefix, fromRevision, (e) => onEvent(e, e.key.slice(prefix.length)));
  }

  // ---- contracts (immediate mode) ------------------------------------------------------

  async pool(node: string, domain: PoolDomain = "Q"): Promise<{ pool: Pool | null; modRevision: number }> {
    const e = (await this.#get(this.poolKey(node, domain))).entry;
    return { pool: e ? (JSON.parse(e.value) as Pool) : null, modRevision: e?.modRevision ?? 0 };
  }

  /**
   * One R-DRC on `c.target_node`'s pool: a single txn guarded on the pool's revision, the
   * target's membership (it must be alive) and the contract key's absence. A lost race is
   * retried against the new pool state, a bounded number of times.
   */
  async grant(c: RemoteContract, maxAttempts = 50): Promise<GrantOutcome> {
    let revision = 0;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const member = await this.isMember(c.target_node);
      if (!member) return { ok: false, reason: "node-unreachable", message: `node ${c.target_node} is not a live member`, revision };
      const m = JSON.parse(member.value) as MemberRecord;
      if (m.tenant !== null && m.tenant !== c.tenant) return { ok: false, reason: "cross-tenant", message: `node ${c.target_node} serves tenant ${m.tenant} only`, revision };
      const { pool, modRevision } = await this.pool(c.target_node, c.domain);
      const unit = c.domain === "Q" ? "qubits" : "coherence windows";
      if (!pool || pool.free < c.qubits) return { ok: false, reason: "pool-exhausted", message: `node ${c.target_node} has ${pool?.free ?? 0} of ${pool?.capacity ?? 0} ${unit} free, ${c.qubits} asked`, revision: modRevision };
      const dk = this.key("drc", c.target_node, c.contract);
      let r: { succeeded: boolean; revision: number };
      try {
        r = await this.kv.txn(
          [
            { key: this.poolKey(c.target_node, c.domain), modRevision },
            { key: this.key("members", c.target_node), modRevision: member.modRevision },
            { key: dk, modRevision: 0 },
          ],
          [
            { put: this.poolKey(c.target_node, c.domain), value: json({ capacity: pool.capacity, free: pool.free - c.qubits }) },
            { put: dk, value: json(c) },
          ],
        );
      } catch (e) {
        if (!(e instanceof KvUnavailable) || attempt >= maxAttempts) throw e;
        await new Promise((res) => setTimeout(res, 150 * Math.min(attempt, 6)));
        const mine = (await this.#get(dk)).entry;
        if (mine && mine.value === json(c)) return { ok: true, revision: mine.modRevision, attempts: attempt };
        continue;
      }
      revision = r.revision;
      if (r.succeeded) return { ok: true, revision: r.revision, attempts: attempt };
    }
    return { ok: false, reason: "contention", message: `no grant after ${maxAttempts} attempts`, revision };
  }

  /** Gives a contract's qubits back to its pool and records why; absent contracts are a no-op. */
  async release(target: string, contract: string, cause: string): Promise<{ released: boolean; revision: number }> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const drc = (await this.#get(this.key("drc", target, contract))).entry;
      if (!drc) return { released: false, revision: 0 };
      const c = JSON.parse(drc.value) as RemoteContract;
      const { pool, modRevision } = await this.pool(target, c.domain);
      const ops = [
        { del: drc.key },
        { put: this.key("released", contract), value: json({ cause, node: target, by: this.self }) },
        ...(pool ? [{ put: this.poolKey(target, c.domain), value: json({ capacity: pool.capacity, free: Math.min(pool.capacity, pool.free + c.qubits) }) }] : []),
      ];
      const r = await this.kv.txn([{ key: drc.key, modRevision: drc.modRevision }, { key: this.poolKey(target, c.domain), modRevision }], ops);
      if (r.succeeded) return { released: true, revision: r.revision };
    }
    throw new KvUnavailable(`could not release ${contract}: too much contention`);
  }

  async contractsOn(target: string): Promise<RemoteContract[]> {
    return (await this.#range(this.key("drc", target) + "/")).entries.map((e) => JSON.parse(e.value) as RemoteContract);
  }

  async contract(target: string, contract: string): Promise<RemoteContract | null> {
    const e = (await this.#get(this.key("drc", target, contract))).entry;
    return e ? (JSON.parse(e.value) as RemoteContract) : null;
  }

  // ---- remote invocation -----------------------------------------------------------------

  /** Create-if-absent: a retried call with the same deterministic id is the same call. */
  async submitCall(target: string, call: RemoteCall): Promise<{ created: boolean; revision: number }> {
    return this.#createOnce(this.key("call", target, call.call_id), json(call));
  }

  /**
   * The first result wins (create-if-absent), and only while the server is still the member
   * it was when it joined: a node cut off from the quorum cannot commit, so it cannot serve.
   */
  async publishResult(callId: string, result: RemoteResult): Promise<{ created: boolean; revision: number }> {
    return this.#createOnce(this.key("result", callId), json(result), [{ key: this.key("members", this.self), modRevision: this.joinRevision }]);
  }

  /**
   * Waits for the result of a call, or for proof that it will not come: the serving node's
   * membership key deleted (lease expired or revoked), or `timeoutMs` passed (cluster
   * unreachable). Never longer than `timeoutMs`. Two long-lived watches (results, members)
   * serve every waiting call; a watch per call would cost a round trip each.
   */
  async awaitResult(target: string, callId: string, _fromRevision: number, timeoutMs: number): Promise<{ result: RemoteResult; revision: number } | { unreachable: string }> {
    type Outcome = { result: RemoteResult; revision: number } | { unreachable: string };
    return new Promise<Outcome>((resolve) => {
      let done = false;
      const finish = (v: Outcome): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.#waiting.delete(callId);
        resolve(v);
      };
      const timer = setTimeout(() => finish({ unreachable: `no answer from node ${target} within ${timeoutMs} ms` }), timeoutMs);
      this.#waiting.set(callId, { target, finish });
      void (async () => {
        await this.#ensureWaitWatches();
        // Anything committed before the watches started is read directly.
        const r = await this.result(callId);
        if (r) return finish(r);
        if (!(await this.isMember(target))) finish({ unreachable: `node ${target} is not a live member` });
      })().catch((e: unknown) => finish({ unreachable: `cluster unreachable: ${(e as Error).message}` }));
    });
  }

  readonly #waiting = new Map<string, { target: string; finish: (v: { result: RemoteResult; revision: number } | { unreachable: string }) => void }>();
  #waitWatches: Promise<void> | null = null;

  #ensureWaitWatches(): Promise<void> {
    this.#waitWatches ??= (async () => {
      const { revision } = await this.#get(this.key("members", this.self));
      const resultPrefix = this.key("result") + "/";
      await this.kv.watch(resultPrefix, revision + 1, (e) => {
        if (e.type !== "put") return;
        this.#waiting.get(e.key.slice(resultPrefix.length))?.finish({ result: JSON.parse(e.value) as RemoteResult, revision: e.modRevision });
      });
      await this.watchMembers(revision + 1, (e, node) => {
        if (e.type !== "delete") return;
        for (const w of [...this.#waiting.values()]) if (w.target === node) w.finish({ unreachable: `node ${node} left the cluster (membership deleted at revision ${e.modRevision})` });
      });
    })().catch((e: unknown) => {
      this.#waitWatches = null;
      throw e;
    });
    return this.#waitWatches;
  }

  async result(callId: string): Promise<{ result: RemoteResult; revision: number } | null> {
    const e = (await this.#get(this.key("result", callId))).entry;
    return e ? { result: JSON.parse(e.value) as RemoteResult, revision: e.modRevision } : null;
  }

  // ---- deterministic epochs ----------------------------------------------------------------

  async submitEpoch(target: string, epoch: number, requests: readonly PoolRequest[]): Promise<{ revision: number }> {
    const k = this.key("epoch", target, epoch, this.self);
    const r = await this.kv.txn([{ key: k, modRevision: 0 }], [{ put: k, value: json(canonicalRequests(requests)) }]);
    return { revision: r.revision };
  }

  /**
   * Settles epoch E of `target`'s pool once a quorum of the committed membership proposed:
   * every node computes the same record from the same committed inputs, and the txn (guarded
   * on the pool revision, the previous decision and this decision's absence) lets exactly
   * one write land. Returns the decision in force, whoever wrote it.
   */
  async settleEpoch(target: string, epoch: number, participants: readonly string[]): Promise<{ decision: DecisionRecord; revision: number } | { pending: string[] }> {
    const existing = (await this.#get(this.key("decision", target, epoch))).entry;
    if (existing) return { decision: JSON.parse(existing.value) as DecisionRecord, revision: existing.modRevision };
    const proposals = (await this.#range(this.key("epoch", target, epoch) + "/")).entries;
    const prefix = this.key("epoch", target, epoch) + "/";
    const byNode = new Map(proposals.map((e) => [e.key.slice(prefix.length), JSON.parse(e.value) as PoolRequest[]]));
    const q = evaluateQuorum(participants, [...byNode.keys()]);
    if (q.missing.length > 0) return { pending: q.missing };
    const prev = epoch === 0 ? null : (await this.#get(this.key("decision", target, epoch - 1))).entry;
    if (epoch > 0 && !prev) return { pending: [`decision ${epoch - 1}`] };
    const { pool, modRevision } = await this.pool(target);
    if (!pool) return { pending: [`pool of ${target}`] };
    const inputs = q.participants.flatMap((n) => byNode.get(n) ?? []);
    const a = allocate(pool.free, inputs);
    const record = sealDecision({
      epoch,
      participants: q.participants,
      quorum: q.quorum,
      inputs_sha256: sha256Hex(json(canonicalRequests(inputs))),
      decision: { granted: a.granted.map(requestKey), denied: a.denied.map(requestKey), free_before: pool.free, free_after: a.free_after } as JsonValue,
      faults: [],
      prev_hash: prev ? (JSON.parse(prev.value) as DecisionRecord).hash : CHAIN_GENESIS,
    });
    const dk = this.key("decision", target, epoch);
    const r = await this.kv.txn(
      [
        { key: dk, modRevision: 0 },
        { key: this.poolKey(target, "Q"), modRevision },
        ...(prev ? [{ key: prev.key, modRevision: prev.modRevision }] : []),
      ],
      [
        { put: dk, value: json(record) },
        { put: this.poolKey(target, "Q"), value: json({ capacity: pool.capacity, free: a.free_after }) },
        ...a.granted.map((g) => ({
          put: this.key("drc", target, `e${epoch}-${requestKey(g).replace(/\//g, "-")}`),
          value: json({ contract: `e${epoch}-${requestKey(g).replace(/\//g, "-")}`, requesting_node: g.node, target_node: target, domain: "Q", qubits: g.qubits, tenant: "", pid: g.pid, logical_ts: g.logical_ts } satisfies RemoteContract),
        })),
      ],
    );
    if (r.succeeded) return { decision: record, revision: r.revision };
    // Someone else settled it (or the pool moved): read what is in force.
    const won = (await this.#get(dk)).entry;
    if (won) return { decision: JSON.parse(won.value) as DecisionRecord, revision: won.modRevision };
    return { pending: ["pool changed; retry"] };
  }

  async decisions(target: string): Promise<DecisionRecord[]> {
    const prefix = this.key("decision", target) + "/";
    const all = (await this.#range(prefix)).entries.map((e) => JSON.parse(e.value) as DecisionRecord);
    return all.sort((a, b) => a.epoch - b.epoch);
  }
}
