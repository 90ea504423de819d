/**
 * A node's own log of the cluster events it took part in (`dplc node --record FILE`): JSON
 * Lines, canonical, SHA-256-chained like a run trace (XDV-041 §7 "maintain local trace log,
 * export cryptographically chained logs"), each entry with the etcd revision it committed at.
 * Lines are appended as events happen, so a node killed mid-run leaves a valid prefix.
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { canonicalJson, sha256Hex, type JsonValue } from "../host/trace/canonical-json.js";
import type { Metadata } from "../host/trace/trace-chain.js";
import type { NodeLog } from "./node-server.js";

export const NODE_LOG_FORMAT = "dplc-node-log/1";
const GENESIS = "0".repeat(64);

export interface NodeLogEntry {
  readonly format: string;
  readonly seq: number;
  readonly node: string;
  readonly op: string;
  readonly data: { readonly [k: string]: JsonValue };
  readonly prev_hash: string;
  readonly hash: string;
}

export class NodeLogFile implements NodeLog {
  readonly #file: string | undefined;
  readonly #node: string;
  #seq = 0;
  #prev = GENESIS;
  readonly lines: string[] = [];

  constructor(node: string, file?: string) {
    this.#node = node;
    this.#file = file;
    if (file) writeFileSync(file, "");
  }

  event(op: string, data: Metadata): void {
    const body = { format: NODE_LOG_FORMAT, seq: this.#seq++, node: this.#node, op, data: JSON.parse(canonicalJson(data)) as JsonValue, prev_hash: this.#prev };
    const hash = sha256Hex(canonicalJson(body));
    const line = canonicalJson({ ...body, hash });
    this.#prev = hash;
    this.lines.push(line);
    if (this.#file) appendFileSync(this.#file, line + "\n");
  }
}

export type NodeLogCheck = { readonly ok: true; readonly entries: NodeLogEntry[] } | { readonly ok: false; readonly line: number; readonly message: string };

export function parseNodeLog(text: string): NodeLogCheck {
  const entries: NodeLogEntry[] = [];
  let prev = GENESIS;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.length === 0) continue;
    let e: NodeLogEntry;
    try {
      e = JSON.parse(l) as NodeLogEntry;
    } catch {
      return { ok: false, line: i + 1, message: "not JSON" };
    }
    if (e.format !== NODE_LOG_FORMAT) return { ok: false, line: i + 1, message: `format is not ${NODE_LOG_FORMAT}` };
    const { hash, ...body } = e;
    if (canonicalJson(e as unknown as JsonValue) !== l) return { ok: false, line: i + 1, message: "entry is not in canonical form" };
    if (e.prev_hash !== prev || e.seq !== entries.length) return { ok: false, line: i + 1, message: "chain broken (entry dropped, reordered or inserted)" };
    if (sha256Hex(canonicalJson(body as unknown as JsonValue)) !== hash) return { ok: false, line: i + 1, message: "hash does not match the entry" };
    prev = hash;
    entries.push(e);
  }
  return { ok: true, entries };
}
