/**
 * Deterministic contract allocation over a shared pool (XDV-041 §5.3, XDV-023 §5.2/§6,
 * XDV-042 §4.2, XDV-084 §8.1).
 *
 * The requests of one logical epoch are collected from every node, canonicalised, and then
 * granted by this pure function: priority (higher first) → logical time → node name →
 * process id → per-process sequence. A request that does not fit in what is left is denied
 * and the next one is tried, so the outcome depends only on the set of requests, never on
 * the order they reached etcd. The result is what the settling node writes in one
 * transaction guarded on the pool's revision.
 */
import { compareNames } from "./placement.js";

export interface PoolRequest {
  readonly node: string;
  readonly pid: string;
  readonly seq: number;
  readonly priority: number;
  readonly logical_ts: number;
  readonly qubits: number;
}

export interface Allocation {
  readonly granted: readonly PoolRequest[];
  readonly denied: readonly PoolRequest[];
  readonly free_after: number;
}

export function requestKey(r: PoolRequest): string {
  return `${r.node}/${r.pid}/${r.seq}`;
}

export function compareRequests(a: PoolRequest, b: PoolRequest): number {
  return (
    b.priority - a.priority ||
    a.logical_ts - b.logical_ts ||
    compareNames(a.node, b.node) ||
    compareNames(a.pid, b.pid) ||
    a.seq - b.seq ||
    a.qubits - b.qubits
  );
}

/** Canonical order with duplicates (same node/pid/seq, e.g. a retried submission) removed. */
export function canonicalRequests(requests: readonly PoolRequest[]): PoolRequest[] {
  const seen = new Set<string>();
  const out: PoolRequest[] = [];
  for (const r of [...requests].sort(compareRequests)) {
    const k = requestKey(r);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(r);
  }
  return out;
}

export function allocate(free: number, requests: readonly PoolRequest[]): Allocation {
  let left = Math.max(0, free);
  const granted: PoolRequest[] = [];
  const denied: PoolRequest[] = [];
  for (const r of canonicalRequests(requests)) {
    if (r.qubits >= 1 && r.qubits <= left) {
      granted.push(r);
      left -= r.qubits;
    } else denied.push(r);
  }
  return { granted, denied, free_after: left };
}
