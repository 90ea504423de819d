/**
 * `dplc trace merge T1 T2 …`: one cluster-wide order from per-node traces (XDV-071 §7.1,
 * XDV-041 §7 "cross-node verification").
 *
 * Inputs are run traces (`dplc run --record`, clustered or not) and node logs (`dplc node
 * --record`). Each is verified first (its hash chain, and cluster revisions that never go
 * backwards within it). Entries that crossed the cluster carry the etcd revision they
 * committed at; the merge orders those by (revision, node, position) and keeps every other
 * entry where its own node put it: right after the cluster entry before it. The result does
 * not depend on the order the files are given in.
 */
import { parseTrace } from "../host/trace/trace-chain.js";
import { canonicalJson, type JsonValue } from "../host/trace/canonical-json.js";
import { parseNodeLog, NODE_LOG_FORMAT } from "./node-log.js";
import { compareNames } from "./placement.js";

export interface MergeInput {
  readonly name: string;
  readonly text: string;
}

interface Item {
  readonly node: string;
  readonly seq: number;
  readonly rev: number | null;
  readonly event: string;
  readonly hash: string;
}

export type MergeResult = { readonly ok: true; readonly lines: string[]; readonly heads: { node: string; head: string; entries: number }[] } | { readonly ok: false; readonly message: string };

function revOf(meta: { readonly [k: string]: JsonValue } | undefined): number | null {
  const direct = meta?.["cluster_rev"];
  if (typeof direct === "number") return direct;
  const remote = meta?.["remote"];
  if (remote && typeof remote === "object" && !Array.isArray(remote)) {
    const r = (remote as { [k: string]: JsonValue })["cluster_rev"];
    if (typeof r === "number") return r;
  }
  return null;
}

function readInput(input: MergeInput): Item[] | string {
  const first = input.text.split("\n", 1)[0] ?? "";
  if (first.includes(`"format":"${NODE_LOG_FORMAT}"`)) {
    const log = parseNodeLog(input.text);
    if (!log.ok) return `${input.name}: line ${log.line}: ${log.message}`;
    return log.entries.map((e) => ({ node: e.node, seq: e.seq, rev: revOf(e.data), event: e.op, hash: e.hash }));
  }
  const t = parseTrace(input.text);
  if (!t.ok) return `${input.name}: ${t.error.message}`;
  // A run trace names its node in its remote records; a trace with none is a single-node run.
  let node: string | null = null;
  for (const e of t.trace.entries) {
    const remote = e.metadata["remote"];
    if (remote && typeof remote === "object" && !Array.isArray(remote) && typeof (remote as { [k: string]: JsonValue })["from"] === "string") {
      node = (remote as { [k: string]: JsonValue })["from"] as string;
      break;
    }
  }
  const label = node ?? input.name;
  return t.trace.entries.map((e, i) => ({ node: label, seq: i, rev: revOf(e.metadata), event: e.event_type, hash: e.hash }));
}

export function mergeTraces(inputs: readonly MergeInput[]): MergeResult {
  const streams: Item[][] = [];
  const heads: { node: string; head: string; entries: number }[] = [];
  for (const input of inputs) {
    const items = readInput(input);
    if (typeof items === "string") return { ok: false, message: items };
    let last = 0;
    for (const it of items) {
      if (it.rev === null) continue;
      if (it.rev < last) return { ok: false, message: `${input.name}: entry ${it.seq} (${it.event}) has cluster revision ${it.rev} after revision ${last}: the node's order contradicts the cluster's` };
      last = it.rev;
    }
    if (streams.some((s) => s[0] && items[0] && s[0].node === items[0].node)) return { ok: false, message: `${input.name}: a second trace of node ${items[0]!.node}` };
    streams.push(items);
    heads.push({ node: items[0]?.node ?? input.name, head: items[items.length - 1]?.hash ?? "", entries: items.length });
  }
  // Segments: each ends at a cluster entry (or at the end of the stream).
  const pos = streams.map(() => 0);
  const nextRev = (i: number): Item | null => {
    const s = streams[i]!;
    for (let k = pos[i]!; k < s.length; k++) if (s[k]!.rev !== null) return s[k]!;
    return null;
  };
  const out: string[] = [];
  const emit = (it: Item): void => {
    out.push(canonicalJson({ node: it.node, seq: it.seq, cluster_rev: it.rev, event: it.event, hash: it.hash }));
  };
  for (;;) {
    let best = -1;
    let bestItem: Item | null = null;
    for (let i = 0; i < streams.length; i++) {
      const it = nextRev(i);
      if (!it) continue;
      if (!bestItem || it.rev! < bestItem.rev! || (it.rev === bestItem.rev && (compareNames(it.node, bestItem.node) < 0 || (it.node === bestItem.node && it.seq < bestItem.seq)))) {
        best = i;
        bestItem = it;
      }
    }
    if (best < 0) break;
    const s = streams[best]!;
    while (pos[best]! < s.length) {
      const it = s[pos[best]!++]!;
      emit(it);
      if (it === bestItem) break;
    }
  }
  // Tails without cluster entries, node by node.
  const order = streams.map((_, i) => i).sort((a, b) => compareNames(streams[a]![0]?.node ?? "", streams[b]![0]?.node ?? ""));
  for (const i of order) while (pos[i]! < streams[i]!.length) emit(streams[i]![pos[i]!++]!);
  heads.sort((a, b) => compareNames(a.node, b.node));
  return { ok: true, lines: out, heads };
}
