/**
 * Deterministic contract allocation for a workload of runs (`dplc run --allocation epoch`,
 * XDV-084 §8.1, XDV-041 §5.3): running the same workload twice grants the same contracts,
 * whatever the timing.
 *
 * A workload is a named set of runs (its peers). Each run's contract requests are numbered
 * in program order; the k-th requests of all peers form round k (the logical epoch). Round k
 * is settled only when every peer has proposed its k-th request or ended with fewer, by a
 * pure function of the proposals: per pool, priority → logical time → node → process
 * (`allocate`, allocation.ts), against a ledger carried from round to round in the decision
 * records. Contracts given back between a run's (k−1)-th and k-th requests return to the
 * ledger at round k, so what is free at a round does not depend on when releases reached
 * etcd. Since a run's requests, releases and their numbering follow from its program and
 * seed, every input of every round is fixed, and so is every decision.
 *
 * When every peer has ended, the closing round (no requests, only the releases made at the
 * end) is settled too, so a finished workload leaves its pools as full as it found them.
 *
 * Keys under `/dplc/<cluster>/workload/<W>/`, values canonical JSON:
 *
 *   round/<k>/<node>                 the node's k-th request (null: placement found no node)
 *   done/<node>                      { rounds: n }: the run ended after n requests
 *   release/<k>/<node>/<contract>    units that return to the ledger at round k
 *   decision/<k>                     the settled round, hash-chained (XDV-042 §7)
 *
 * The workload owns the pools it uses while it runs: the settled decisions are also applied
 * to the live pools, and a round whose grants the live pool cannot cover (someone outside the
 * workload took the units) is not settled; its waiters fail at the barrier deadline.
 */
import { canonicalJson, sha256Hex, type JsonValue } from "../host/trace/canonical-json.js";
import { allocate, requestKey, type PoolRequest } from "./allocation.js";
import type { Coordinator, PoolDomain, RemoteContract } from "./coordinator.js";
import { CHAIN_GENESIS, sealDecision, type DecisionRecord } from "./decision-chain.js";
import type { KvCompare, KvOp } from "./kv.js";
import { compareNames } from "./placement.js";

export interface RoundRequest extends PoolRequest {
  readonly target: string;
  readonly domain: PoolDomain;
  readonly contract: string;
  readonly tenant: string;
}

export interface RoundRelease {
  readonly target: string;
  readonly domain: PoolDomain;
  readonly units: number;
}

/** Free units per pool (`<node>/Q`, `<node>/Phi`), carried from decision to decision. */
export type Ledger = Readonly<Record<string, number>>;

export interface RoundOutcome {
  readonly granted: readonly RoundRequest[];
  readonly denied: readonly RoundRequest[];
  readonly ledger: Ledger;
}

export function poolId(target: string, domain: PoolDomain): string {
  return `${target}/${domain === "Q" ? "Q" : "Phi"}`;
}

/**
 * The pure core: releases return first (never above capacity), then each pool's requests
 * are allocated with `allocate`. The order of `requests` and `releases` does not matter.
 */
export function settleRound(ledger: Ledger, capacity: (pool: string) => number, requests: readonly RoundRequest[], releases: readonly RoundRelease[]): RoundOutcome {
  const next: Record<string, number> = { ...ledger };
  const free = (id: string): number => next[id] ?? capacity(id);
  for (const r of releases) {
    const id = poolId(r.target, r.domain);
    next[id] = Math.min(capacity(id), free(id) + Math.max(0, r.units));
  }
  const byPool = new Map<string, RoundRequest[]>();
  for (const r of requests) {
    const id = poolId(r.target, r.domain);
    byPool.set(id, [...(byPool.get(id) ?? []), r]);
  }
  const granted: RoundRequest[] = [];
  const denied: RoundRequest[] = [];
  for (const id of [...byPool.keys()].sort(compareNames)) {
    const reqs = byPool.get(id)!;
    const a = allocate(free(id), reqs);
    const keyed = new Map(reqs.map((r) => [requestKey(r), r]));
    granted.push(...a.granted.map((g) => keyed.get(requestKey(g))!));
    denied.push(...a.denied.map((d) => keyed.get(requestKey(d))!));
    next[id] = a.free_after;
  }
  const sorted: Record<string, number> = {};
  for (const id of Object.keys(next).sort(compareNames)) sorted[id] = next[id]!;
  return { granted, denied, ledger: sorted };
}

export interface RoundDecision {
  /** `node/pid/round` of each request (`requestKey`). */
  readonly granted: readonly string[];
  readonly denied: readonly string[];
  readonly ledger: Ledger;
}

function json(v: unknown): string {
  return canonicalJson(v as JsonValue);
}

export class Workload {
  readonly coord: Coordinator;
  readonly name: string;
  readonly peers: readonly string[];

  constructor(coord: Coordinator, name: string, peers: readonly string[]) {
    this.coord = coord;
    this.name = name;
    this.peers = [...new Set(peers)].sort(compareNames);
  }

  key(...parts: readonly (string | number)[]): string {
    return this.coord.key("workload", this.name, ...parts);
  }

  /** This node's k-th request (null when placement found no node: it still takes part). */
  propose(round: number, request: RoundRequest | null): Promise<{ created: boolean; revision: number }> {
    return this.coord.createOnce(this.key("round", round, this.coord.self), json({ request }));
  }

  /**
   * The run ended after `rounds` requests. The last peer to end also settles the closing
   * round (the highest count), which no one requests and which returns the releases made at
   * the end; two peers ending at once both write before they read, so one of them sees all.
   */
  async finish(rounds: number): Promise<void> {
    await this.coord.createOnce(this.key("done", this.coord.self), json({ rounds }));
    const done = (await this.coord.list(this.key("done") + "/")).entries.map((e) => [e.key.slice(e.key.lastIndexOf("/") + 1), (JSON.parse(e.value) as { rounds: number }).rounds] as const);
    if (!this.peers.every((p) => done.some(([n]) => n === p))) return;
    const closing = Math.max(...done.filter(([n]) => this.peers.includes(n)).map(([, r]) => r));
    for (let attempt = 0; attempt < 5 && "pending" in (await this.settle(closing)); attempt++) await new Promise((r) => setTimeout(r, 50));
  }

  /**
   * Gives a workload contract back: its R-DRC goes at once (the serving node stops taking its
   * calls), its units return to the ledger at `round`.
   */
  async release(round: number, target: string, contract: string, cause: string): Promise<{ released: boolean; revision: number }> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const drc = (await this.coord.read(this.coord.key("drc", target, contract))).entry;
      if (!drc) return { released: false, revision: 0 };
      const c = JSON.parse(drc.value) as RemoteContract;
      const r = await this.coord.kv.txn(
        [{ key: drc.key, modRevision: drc.modRevision }],
        [
          { del: drc.key },
          { put: this.coord.key("released", contract), value: json({ cause, node: target, by: this.coord.self, workload: this.name, round }) },
          { put: this.key("release", round, this.coord.self, contract), value: json({ target, domain: c.domain, units: c.qubits } satisfies RoundRelease) },
        ],
      );
      if (r.succeeded) return { released: true, revision: r.revision };
    }
    return { released: false, revision: 0 };
  }

  /** Peers that have neither proposed round k nor ended before it. */
  async #missing(round: number): Promise<string[]> {
    const proposed = new Set((await this.coord.list(this.key("round", round) + "/")).entries.map((e) => e.key.slice(e.key.lastIndexOf("/") + 1)));
    const done = new Map((await this.coord.list(this.key("done") + "/")).entries.map((e) => [e.key.slice(e.key.lastIndexOf("/") + 1), (JSON.parse(e.value) as { rounds: number }).rounds]));
    return this.peers.filter((p) => !proposed.has(p) && !((done.get(p) ?? Infinity) <= round));
  }

  /** The decision of round k, settling it when every peer is there; or who is still missing. */
  async settle(round: number): Promise<{ decision: DecisionRecord; revision: number } | { pending: string[] }> {
    const dk = this.key("decision", round);
    const existing = (await this.coord.read(dk)).entry;
    if (existing) return { decision: JSON.parse(existing.value) as DecisionRecord, revision: existing.modRevision };
    const missing = await this.#missing(round);
    if (missing.length > 0) return { pending: missing };
    const prev = round === 0 ? null : (await this.coord.read(this.key("decision", round - 1))).entry;
    if (round > 0 && !prev) return { pending: [`decision ${round - 1}`] };
    const prevRecord = prev ? (JSON.parse(prev.value) as DecisionRecord) : null;
    const ledger = prevRecord ? (prevRecord.decision as unknown as RoundDecision).ledger : {};

    const requests = (await this.coord.list(this.key("round", round) + "/")).entries
      .map((e) => (JSON.parse(e.value) as { request: RoundRequest | null }).request)
      .filter((r): r is RoundRequest => r !== null && this.peers.includes(r.node));
    const releases = (await this.coord.list(this.key("release", round) + "/")).entries.map((e) => JSON.parse(e.value) as RoundRelease);
    const pools = new Map<string, { target: string; domain: PoolDomain }>();
    for (const r of [...requests, ...releases]) pools.set(poolId(r.target, r.domain), { target: r.target, domain: r.domain });
    const live = new Map<string, { capacity: number; free: number; modRevision: number }>();
    for (const [id, p] of pools) {
      const { pool, modRevision } = await this.coord.pool(p.target, p.domain);
      live.set(id, { capacity: pool?.capacity ?? 0, free: pool?.free ?? 0, modRevision });
    }
    const out = settleRound(ledger, (id) => live.get(id)?.capacity ?? 0, requests, releases);

    // The live pools follow the ledger's movements; they must be able to.
    const guards: KvCompare[] = [{ key: dk, modRevision: 0 }, ...(prev ? [{ key: prev.key, modRevision: prev.modRevision }] : [])];
    const ops: KvOp[] = [];
    for (const [id, p] of pools) {
      const l = live.get(id)!;
      const returned = releases.filter((r) => poolId(r.target, r.domain) === id).reduce((n, r) => n + r.units, 0);
      const taken = out.granted.filter((g) => poolId(g.target, g.domain) === id).reduce((n, g) => n + g.qubits, 0);
      const free = Math.min(l.capacity, l.free + returned) - taken;
      if (free < 0) return { pending: [`pool ${id} (used outside workload ${this.name})`] };
      guards.push({ key: this.coord.poolKey(p.target, p.domain), modRevision: l.modRevision });
      ops.push({ put: this.coord.poolKey(p.target, p.domain), value: json({ capacity: l.capacity, free }) });
    }
    for (const g of out.granted) {
      const c: RemoteContract = { contract: g.contract, requesting_node: g.node, target_node: g.target, domain: g.domain, qubits: g.qubits, tenant: g.tenant, pid: g.pid, logical_ts: g.logical_ts };
      ops.push({ put: this.coord.key("drc", g.target, g.contract), value: json(c) });
    }
    // Requests are named by node/pid/round, not by contract key, so two executions of one
    // workload write identical records (contract keys carry the workload's name).
    const decision: RoundDecision = { granted: out.granted.map(requestKey), denied: out.denied.map(requestKey), ledger: out.ledger };
    const inputs = {
      requests: requests.map(({ contract: _c, ...r }) => r).sort((a, b) => compareNames(requestKey(a), requestKey(b))),
      releases: releases.map((r) => ({ ...r })).sort((a, b) => compareNames(poolId(a.target, a.domain), poolId(b.target, b.domain)) || a.units - b.units),
    };
    const record = sealDecision({
      epoch: round,
      participants: [...this.peers],
      quorum: this.peers.length,
      inputs_sha256: sha256Hex(json(inputs)),
      decision: decision as unknown as JsonValue,
      faults: [],
      prev_hash: prevRecord ? prevRecord.hash : CHAIN_GENESIS,
    });
    ops.unshift({ put: dk, value: json(record) });
    const r = await this.coord.kv.txn(guards, ops);
    if (r.succeeded) return { decision: record, revision: r.revision };
    const won = (await this.coord.read(dk)).entry;
    if (won) return { decision: JSON.parse(won.value) as DecisionRecord, revision: won.modRevision };
    return { pending: ["a pool changed while settling; retry"] };
  }

  /** Waits (polling, bounded by `timeoutMs`) for round k's decision. */
  async await(round: number, timeoutMs: number): Promise<{ decision: DecisionRecord; revision: number } | { timeout: string[] }> {
    const deadline = Date.now() + timeoutMs;
    let wait = 10;
    for (;;) {
      const s = await this.settle(round);
      if ("decision" in s) return s;
      if (Date.now() + wait > deadline) return { timeout: s.pending };
      await new Promise((res) => setTimeout(res, wait));
      wait = Math.min(200, wait * 2);
    }
  }

  async decisions(): Promise<DecisionRecord[]> {
    const all = (await this.coord.list(this.key("decision") + "/")).entries.map((e) => JSON.parse(e.value) as DecisionRecord);
    return all.sort((a, b) => a.epoch - b.epoch);
  }
}
