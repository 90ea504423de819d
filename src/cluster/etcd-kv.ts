/**
 * `Kv` on etcd v3 through the `etcd3` client.
 *
 * The client's automatic retries are off (a retried non-idempotent write could apply twice,
 * brief §3.1); every call carries a deadline, so an unreachable cluster is an error after the
 * deadline, never a hang. Revisions are JavaScript numbers: a cluster would need 2^53 writes
 * before that loses precision.
 */
import { Etcd3, type Lease, type IKeyValue } from "etcd3";
import type { Kv, KvCompare, KvEntry, KvEvent, KvOp, KvTxnResult, KvWatch } from "./kv.js";
import { KvUnavailable } from "./kv.js";

export interface EtcdKvOptions {
  readonly endpoints: readonly string[];
  /** Per-call deadline in ms. */
  readonly deadlineMs?: number;
}

// A policy that runs the call once; async so that a synchronous throw becomes a rejection
// (etcd3 marks a failed host by executing a throwing function through this policy).
const noRetry = { execute: async <T>(fn: () => Promise<T> | T) => fn() } as unknown;

function entry(kv: IKeyValue): KvEntry {
  return {
    key: kv.key.toString(),
    value: kv.value.toString(),
    modRevision: Number(kv.mod_revision),
    createRevision: Number(kv.create_revision),
    lease: String(kv.lease ?? "0"),
  };
}

export class EtcdKv implements Kv {
  readonly #client: Etcd3;
  readonly #deadline: number;
  #lease: Lease | null = null;
  #leaseId: string | null = null;

  constructor(options: EtcdKvOptions) {
    this.#deadline = options.deadlineMs ?? 3000;
    this.#client = new Etcd3({
      hosts: [...options.endpoints],
      dialTimeout: this.#deadline,
      defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + this.#deadline }),
      faultHandling: { global: noRetry as never, host: () => noRetry as never },
    });
  }

  /**
   * Runs one call with a deadline. A call refused before any connection was established never
   * reached etcd, so it is tried again (another member may be up), a bounded number of times;
   * anything else is reported as is, since a write may have applied.
   */
  async #guard<T>(what: string, make: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#once(what, make());
      } catch (e) {
        const notSent = e instanceof KvUnavailable && /No connection established|ECONNREFUSED/.test(e.message);
        if (!notSent || attempt >= 6) throw e;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  }

  async #once<T>(what: string, p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        p,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new KvUnavailable(`${what}: no answer from etcd within ${this.#deadline} ms`)), this.#deadline + 200);
        }),
      ]);
    } catch (e) {
      if (e instanceof KvUnavailable) throw e;
      throw new KvUnavailable(`${what}: ${(e as Error).message.split("\n")[0]}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async get(key: string): Promise<{ entry: KvEntry | null; revision: number }> {
    const r = await this.#guard("get", () => this.#client.get(key).exec());
    return { entry: r.kvs[0] ? entry(r.kvs[0]) : null, revision: Number(r.header.revision) };
  }

  async range(prefix: string): Promise<{ entries: KvEntry[]; revision: number }> {
    const r = await this.#guard("range", () => this.#client.getAll().prefix(prefix).sort("Key", "Ascend").exec());
    return { entries: r.kvs.map(entry), revision: Number(r.header.revision) };
  }

  async txn(compares: readonly KvCompare[], ops: readonly KvOp[]): Promise<KvTxnResult> {
    if (ops.some((o) => "put" in o && o.withLease) && this.#leaseId === null) throw new KvUnavailable("txn: no lease granted");
    const requestOps = ops.map((o) =>
      "put" in o
        ? { request_put: { key: Buffer.from(o.put), value: Buffer.from(o.value), ...(o.withLease ? { lease: this.#leaseId! } : {}) } }
        : { request_delete_range: { key: Buffer.from(o.del) } },
    );
    const r = await this.#guard(
      "txn",
      () => this.#client.kv.txn({
        compare: compares.map((c) => ({ key: Buffer.from(c.key), target: "Mod" as never, result: "Equal" as never, mod_revision: String(c.modRevision) })),
        success: requestOps,
        failure: [],
      }),
    );
    return { succeeded: r.succeeded, revision: Number(r.header.revision) };
  }

  async grantLease(ttlSeconds: number, onLost: (why: string) => void): Promise<string> {
    // A lease object whose grant failed is spent: a retry needs a new one.
    for (let attempt = 1; ; attempt++) {
      const lease = this.#client.lease(ttlSeconds);
      let lost = false;
      lease.on("lost", (err) => {
        if (lost || this.#lease !== lease) return;
        lost = true;
        onLost(err?.message ?? "lease lost");
      });
      try {
        this.#lease = lease;
        this.#leaseId = await this.#once("lease grant", lease.grant());
        this.#watchdog(lease, ttlSeconds, (why) => {
          if (lost || this.#lease !== lease) return;
          lost = true;
          onLost(why);
        });
        return this.#leaseId;
      } catch (e) {
        this.#lease = null;
        lease.release();
        // A lease whose grant answer was lost only expires unused: retrying is harmless.
        if (!(e instanceof KvUnavailable) || attempt >= 6) throw e;
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  }

  /**
   * etcd3 reports a lost lease only after twice its TTL without a keep-alive; by then the
   * majority may have expired it and given our contracts away. A node that has had no
   * keep-alive acknowledged for one TTL must assume it is cut off and stop serving.
   */
  #watchdog(lease: Lease, ttlSeconds: number, lostNow: (why: string) => void): void {
    let last = Date.now();
    lease.on("keepaliveSucceeded", () => (last = Date.now()));
    const timer = setInterval(() => {
      if (this.#lease !== lease) return clearInterval(timer);
      if (Date.now() - last > ttlSeconds * 1000) {
        clearInterval(timer);
        lostNow(`no keep-alive acknowledged for ${ttlSeconds} s: cut off from the etcd quorum`);
      }
    }, 200);
    timer.unref();
  }

  async revokeLease(): Promise<void> {
    const lease = this.#lease;
    this.#lease = null;
    this.#leaseId = null;
    if (lease) await this.#guard("lease revoke", () => lease.revoke());
  }

  async watch(prefix: string, fromRevision: number, onEvent: (e: KvEvent) => void): Promise<KvWatch> {
    const w = await this.#guard("watch", () => this.#client.watch().prefix(prefix).startRevision(String(fromRevision)).create());
    w.on("put", (kv) => onEvent({ type: "put", key: kv.key.toString(), value: kv.value.toString(), modRevision: Number(kv.mod_revision) }));
    w.on("delete", (kv) => onEvent({ type: "delete", key: kv.key.toString(), value: "", modRevision: Number(kv.mod_revision) }));
    w.on("error", () => {});
    return { close: () => w.cancel() };
  }

  async close(): Promise<void> {
    this.#lease?.release();
    this.#client.close();
  }
}
