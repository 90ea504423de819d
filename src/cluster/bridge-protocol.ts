/** Messages between a clustered run's main thread and its cluster worker (sync-bridge.ts). */
import type { MessagePort } from "node:worker_threads";
import type { PhiAnswer, RemoteCall } from "./coordinator.js";
import type { PlacementHint } from "./placement.js";

export interface BridgeInit {
  readonly endpoints: readonly string[];
  readonly cluster: string;
  readonly node: string;
  readonly tenant: string | null;
  readonly ttlSeconds: number;
  readonly port: MessagePort;
  readonly flag: Int32Array;
  /** Per-operation deadline towards etcd, ms. */
  readonly deadlineMs: number;
  /** Deterministic allocation for a workload of runs (workload.ts); null: immediate grants. */
  readonly allocation: EpochAllocation | null;
}

export interface EpochAllocation {
  readonly workload: string;
  readonly peers: readonly string[];
  /** The longest a request waits for the other peers to reach its round, ms. */
  readonly barrierMs: number;
}

export type JoinReply = { readonly ok: true; readonly revision: number } | { readonly ok: false; readonly message: string };

export type BridgeRequest =
  | { readonly op: "place"; readonly domain: "Q" | "Φ"; readonly contract: string; readonly qubits: number; readonly tenant: string; readonly pid: string; readonly logical_ts: number; readonly hint: PlacementHint; readonly round: number }
  | { readonly op: "call"; readonly target: string; readonly call: RemoteCall }
  | { readonly op: "release"; readonly target: string; readonly contract: string; readonly cause: string; readonly round: number }
  /** The run ended after `rounds` placements (epoch mode: later rounds settle without it). */
  | { readonly op: "done"; readonly rounds: number };

export type BridgeReply =
  | { readonly kind: "placed"; readonly node: string; readonly why: string; readonly members_rev: number; readonly cluster_rev: number; readonly epoch?: { readonly round: number; readonly decision: string } }
  | { readonly kind: "refused"; readonly code: "RESOURCE_EXHAUSTED" | "DOMAIN_UNAUTHORIZED" | "CONTRACT_INVALID" | "DOMAIN_PANIC"; readonly reason: string; readonly message: string; readonly node: string }
  | { readonly kind: "result"; readonly node: string; readonly counts: readonly { bitstring: string; count: number }[]; readonly per_shot: readonly string[] | null; readonly call_rev: number; readonly cluster_rev: number }
  | { readonly kind: "phi-result"; readonly node: string; readonly phi: PhiAnswer; readonly call_rev: number; readonly cluster_rev: number }
  | { readonly kind: "released"; readonly released: boolean; readonly cluster_rev: number }
  | { readonly kind: "done" }
  | { readonly kind: "unreachable"; readonly message: string };
