/**
 * Consensus records (XDV-042 §7): one record per settled epoch, hash-chained to the one
 * before, and the deterministic quorum rule (XDV-042 §5.2, §5.4).
 *
 * A decision is final only when proposals from a quorum of the membership committed at the
 * barrier are present; which proposals count, and the decision itself, are pure functions
 * of the committed inputs, so every node computes the same record and only the first write
 * of it (create-if-absent) lands. etcd's Raft orders the writes; it never decides.
 */
import { canonicalJson, sha256Hex, type JsonValue } from "../host/trace/canonical-json.js";
import { compareNames } from "./placement.js";

export const CHAIN_GENESIS = "0".repeat(64);

export interface DecisionRecord {
  readonly epoch: number;
  readonly participants: readonly string[];
  readonly quorum: number;
  readonly inputs_sha256: string;
  readonly decision: JsonValue;
  readonly faults: readonly string[];
  readonly prev_hash: string;
  readonly hash: string;
}

/** Majority of the committed membership: ⌊n/2⌋ + 1. */
export function quorumSize(members: number): number {
  return Math.floor(members / 2) + 1;
}

/**
 * Which committed members proposed, and whether they are a quorum. Members are taken in
 * name order; a proposal from a non-member does not count (it left, or never joined).
 */
export function evaluateQuorum(members: readonly string[], proposers: readonly string[]): { readonly met: boolean; readonly participants: string[]; readonly quorum: number; readonly missing: string[] } {
  const sorted = [...new Set(members)].sort(compareNames);
  const set = new Set(proposers);
  const participants = sorted.filter((m) => set.has(m));
  const missing = sorted.filter((m) => !set.has(m));
  const quorum = quorumSize(sorted.length);
  return { met: sorted.length > 0 && participants.length >= quorum, participants, quorum, missing };
}

function body(r: Omit<DecisionRecord, "hash">): string {
  return canonicalJson({
    epoch: r.epoch,
    participants: [...r.participants],
    quorum: r.quorum,
    inputs_sha256: r.inputs_sha256,
    decision: r.decision,
    faults: [...r.faults],
    prev_hash: r.prev_hash,
  } as JsonValue);
}

export function sealDecision(r: Omit<DecisionRecord, "hash">): DecisionRecord {
  return { ...r, hash: sha256Hex(body(r)) };
}

export type ChainCheck = { readonly ok: true; readonly head: string } | { readonly ok: false; readonly index: number; readonly message: string };

/** Epochs consecutive from the first, each `prev_hash` the previous hash, each hash recomputed. */
export function verifyDecisionChain(records: readonly DecisionRecord[]): ChainCheck {
  let prev = CHAIN_GENESIS;
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (i > 0 && r.epoch !== records[i - 1]!.epoch + 1) return { ok: false, index: i, message: `epoch ${r.epoch} follows epoch ${records[i - 1]!.epoch}` };
    if (r.prev_hash !== prev) return { ok: false, index: i, message: `epoch ${r.epoch}: prev_hash does not match the previous record` };
    const { hash, ...rest } = r;
    if (sha256Hex(body(rest)) !== hash) return { ok: false, index: i, message: `epoch ${r.epoch}: hash does not match the record` };
    prev = hash;
  }
  return { ok: true, head: prev };
}
