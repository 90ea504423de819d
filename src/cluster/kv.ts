/**
 * The coordination store as the cluster layer uses it: a linearizable key-value map with one
 * global revision, multi-key transactions guarded on revisions, a lease per client for
 * membership, and ordered watches. etcd gives exactly this (`etcd-kv.ts`); `sim-kv.ts` is the
 * in-process test double with seeded delivery. Everything above this interface is written
 * once and runs against both.
 *
 * Rules that keep retries safe (brief §5.3): every write is create-if-absent or guarded on a
 * mod revision; nothing relies on etcd's locks or elections; reads that feed a decision are
 * linearizable.
 */

export interface KvEntry {
  readonly key: string;
  readonly value: string;
  /** Revision of the last write to this key; 0 for an absent key. */
  readonly modRevision: number;
  readonly createRevision: number;
  /** The lease the key is attached to ("0" for none). */
  readonly lease: string;
}

/** A guard: the key's mod revision must be `modRevision` (0 = the key is absent). */
export interface KvCompare {
  readonly key: string;
  readonly modRevision: number;
}

export type KvOp = { readonly put: string; readonly value: string; readonly withLease?: boolean } | { readonly del: string };

export interface KvTxnResult {
  readonly succeeded: boolean;
  /** The store revision after the transaction (the commit revision when it wrote). */
  readonly revision: number;
}

export interface KvEvent {
  readonly type: "put" | "delete";
  readonly key: string;
  readonly value: string;
  readonly modRevision: number;
}

export interface KvWatch {
  close(): Promise<void>;
}

export interface Kv {
  get(key: string): Promise<{ readonly entry: KvEntry | null; readonly revision: number }>;
  range(prefix: string): Promise<{ readonly entries: readonly KvEntry[]; readonly revision: number }>;
  /** All compares hold → every op applies atomically at one revision; else nothing. */
  txn(compares: readonly KvCompare[], ops: readonly KvOp[]): Promise<KvTxnResult>;
  /** Grants this client's lease; `onLost` fires once if the store says it expired or cannot be reached for a TTL. */
  grantLease(ttlSeconds: number, onLost: (why: string) => void): Promise<string>;
  /** Revokes the lease: every key attached to it is deleted at one revision. */
  revokeLease(): Promise<void>;
  /** Events for keys under `prefix` from `fromRevision` on, in revision order. */
  watch(prefix: string, fromRevision: number, onEvent: (e: KvEvent) => void): Promise<KvWatch>;
  close(): Promise<void>;
}

/** Thrown when the store cannot be reached or did not answer within the deadline. */
export class KvUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KvUnavailable";
  }
}
