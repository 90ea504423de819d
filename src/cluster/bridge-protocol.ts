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
}

export type JoinReply = { readonly ok: true; readonly revision: number } | { readonly ok: false; readonly message: string };

export type BridgeRequest =
  | { readonly op: "place"; readonly domain: "Q" | "Φ"; readonly contract: string; readonly qubits: number; readonly tenant: string; readonly pid: string; readonly logical_ts: number; readonly hint: PlacementHint }
  | { readonly op: "call"; readonly target: string; readonly call: RemoteCall }
  | { readonly op: "release"; readonly target: string; readonly contract: string; readonly cause: string };

export type BridgeReply =
  | { readonly kind: "placed"; readonly node: string; readonly why: string; readonly members_rev: number; readonly cluster_rev: number }
  | { readonly kind: "refused"; readonly code: "RESOURCE_EXHAUSTED" | "DOMAIN_UNAUTHORIZED" | "CONTRACT_INVALID" | "DOMAIN_PANIC"; readonly reason: string; readonly message: string; readonly node: string }
  | { readonly kind: "result"; readonly node: string; readonly counts: readonly { bitstring: string; count: number }[]; readonly per_shot: readonly string[] | null; readonly call_rev: number; readonly cluster_rev: number }
  | { readonly kind: "phi-result"; readonly node: string; readonly phi: PhiAnswer; readonly call_rev: number; readonly cluster_rev: number }
  | { readonly kind: "released"; readonly released: boolean; readonly cluster_rev: number }
  | { readonly kind: "unreachable"; readonly message: string };
