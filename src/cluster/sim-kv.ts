/**
 * The in-process test double of the coordination store (FoundationDB-style simulation, brief
 * §6): one authoritative map with a global revision, and a seeded scheduler that decides in
 * which order the pending operations of all clients reach it. It is not a consensus
 * implementation and is never used outside tests and benchmarks' dry runs; it exists so that
 * the cluster layer's contract tests run fast and reproducibly, and then unchanged on etcd.
 *
 * Faults: `partition(client)` makes a client's operations fail as unreachable and stops its
 * lease keep-alive; `advance(ms)` moves the simulated clock, expiring leases not kept alive.
 */
import { Xoshiro128StarStar } from "../host/random/prng.js";
import type { Kv, KvCompare, KvEntry, KvEvent, KvOp, KvTxnResult, KvWatch } from "./kv.js";
import { KvUnavailable } from "./kv.js";

interface Lease {
  readonly id: string;
  readonly ttlMs: number;
  expiresAt: number;
  readonly owner: SimKv;
  readonly onLost: (why: string) => void;
}

interface Watcher {
  readonly prefix: string;
  readonly onEvent: (e: KvEvent) => void;
  closed: boolean;
  readonly owner: SimKv;
}

export class SimCluster {
  readonly #rng: Xoshiro128StarStar;
  readonly #data = new Map<string, KvEntry>();
  readonly #history: { revision: number; event: KvEvent }[] = [];
  readonly #leases = new Map<string, Lease>();
  readonly #watchers: Watcher[] = [];
  readonly #pending: (() => void)[] = [];
  readonly #partitioned = new Set<SimKv>();
  #revision = 1;
  #nextLease = 1;
  #now = 0;
  #pumping = false;

  constructor(seed: bigint) {
    this.#rng = new Xoshiro128StarStar(seed);
  }

  get revision(): number {
    return this.#revision;
  }

  client(): SimKv {
    return new SimKv(this);
  }

  partition(c: SimKv): void {
    this.#partitioned.add(c);
  }

  heal(c: SimKv): void {
    this.#partitioned.delete(c);
  }

  isPartitioned(c: SimKv): boolean {
    return this.#partitioned.has(c);
  }

  /** Moves simulated time: leases of reachable clients are kept alive, the others expire. */
  advance(ms: number): void {
    this.#now += ms;
    for (const l of [...this.#leases.values()]) {
      if (!this.#partitioned.has(l.owner)) l.expiresAt = this.#now + l.ttlMs;
      else if (l.expiresAt <= this.#now) {
        this.#dropLease(l.id);
        l.onLost("lease expired");
      }
    }
  }

  /** Queues an operation; the scheduler applies queued operations in a seeded order. */
  submit<T>(from: SimKv, op: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push(() => {
        if (this.#partitioned.has(from)) reject(new KvUnavailable("simulated partition: store unreachable"));
        else {
          try {
            resolve(op());
          } catch (e) {
            reject(e);
          }
        }
      });
      this.#schedulePump();
    });
  }

  #schedulePump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    setImmediate(() => {
      this.#pumping = false;
      while (this.#pending.length > 0) {
        const i = this.#rng.nextBelow(this.#pending.length);
        const [op] = this.#pending.splice(i, 1);
        op!();
      }
    });
  }

  #emit(event: KvEvent): void {
    this.#history.push({ revision: event.modRevision, event });
    for (const w of this.#watchers) {
      if (!w.closed && event.key.startsWith(w.prefix) && !this.#partitioned.has(w.owner)) {
        // Delivered on a later turn, in revision order per watcher.
        queueMicrotask(() => !w.closed && w.onEvent(event));
      }
    }
  }

  #dropLease(id: string): void {
    this.#leases.delete(id);
    const doomed = [...this.#data.values()].filter((e) => e.lease === id);
    if (doomed.length === 0) return;
    this.#revision++;
    for (const e of doomed) {
      this.#data.delete(e.key);
      this.#emit({ type: "delete", key: e.key, value: "", modRevision: this.#revision });
    }
  }

  // ---- operations, applied by the scheduler ------------------------------------------------

  get(key: string): { entry: KvEntry | null; revision: number } {
    return { entry: this.#data.get(key) ?? null, revision: this.#revision };
  }

  range(prefix: string): { entries: KvEntry[]; revision: number } {
    const entries = [...this.#data.values()].filter((e) => e.key.startsWith(prefix)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { entries, revision: this.#revision };
  }

  txn(compares: readonly KvCompare[], ops: readonly KvOp[], lease: string | null): KvTxnResult {
    const holds = compares.every((c) => (this.#data.get(c.key)?.modRevision ?? 0) === c.modRevision);
    if (!holds || ops.length === 0) return { succeeded: holds, revision: this.#revision };
    if (ops.some((o) => "put" in o && o.withLease) && (lease === null || !this.#leases.has(lease))) throw new KvUnavailable("txn: lease not found");
    this.#revision++;
    const rev = this.#revision;
    for (const o of ops) {
      if ("put" in o) {
        const prev = this.#data.get(o.put);
        this.#data.set(o.put, { key: o.put, value: o.value, modRevision: rev, createRevision: prev?.createRevision ?? rev, lease: o.withLease ? lease! : "0" });
        this.#emit({ type: "put", key: o.put, value: o.value, modRevision: rev });
      } else if (this.#data.delete(o.del)) this.#emit({ type: "delete", key: o.del, value: "", modRevision: rev });
    }
    return { succeeded: true, revision: rev };
  }

  grant(owner: SimKv, ttlMs: number, onLost: (why: string) => void): string {
    const id = String(this.#nextLease++);
    this.#leases.set(id, { id, ttlMs, expiresAt: this.#now + ttlMs, owner, onLost });
    return id;
  }

  revoke(id: string): void {
    this.#dropLease(id);
  }

  watch(owner: SimKv, prefix: string, fromRevision: number, onEvent: (e: KvEvent) => void): Watcher {
    const w: Watcher = { prefix, onEvent, closed: false, owner };
    for (const h of this.#history) if (h.revision >= fromRevision && h.event.key.startsWith(prefix)) queueMicrotask(() => !w.closed && onEvent(h.event));
    this.#watchers.push(w);
    return w;
  }
}

export class SimKv implements Kv {
  readonly #sim: SimCluster;
  #lease: string | null = null;

  constructor(sim: SimCluster) {
    this.#sim = sim;
  }

  get(key: string): Promise<{ entry: KvEntry | null; revision: number }> {
    return this.#sim.submit(this, () => this.#sim.get(key));
  }

  range(prefix: string): Promise<{ entries: readonly KvEntry[]; revision: number }> {
    return this.#sim.submit(this, () => this.#sim.range(prefix));
  }

  txn(compares: readonly KvCompare[], ops: readonly KvOp[]): Promise<KvTxnResult> {
    return this.#sim.submit(this, () => this.#sim.txn(compares, ops, this.#lease));
  }

  grantLease(ttlSeconds: number, onLost: (why: string) => void): Promise<string> {
    return this.#sim.submit(this, () => (this.#lease = this.#sim.grant(this, ttlSeconds * 1000, onLost)));
  }

  revokeLease(): Promise<void> {
    const id = this.#lease;
    this.#lease = null;
    return this.#sim.submit(this, () => {
      if (id !== null) this.#sim.revoke(id);
    });
  }

  watch(prefix: string, fromRevision: number, onEvent: (e: KvEvent) => void): Promise<KvWatch> {
    return this.#sim.submit(this, () => {
      const w = this.#sim.watch(this, prefix, fromRevision, onEvent);
      return {
        close: async () => {
          w.closed = true;
        },
      };
    });
  }

  async close(): Promise<void> {}
}
