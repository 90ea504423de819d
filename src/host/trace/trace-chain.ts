/**
 * XDV-071 §3 trace: one TraceEntry per event, written as canonical JSON Lines and chained
 * with SHA-256 so that altering, dropping or reordering any entry breaks every hash after it.
 *
 * hash = SHA-256(canonical JSON of the entry without its `hash` field), and the entry's
 * `prev_hash` is the previous entry's `hash` (64 zeros for the first). Because the encoding
 * is canonical, a trace is a byte string: "the replay reproduced the trace" is a byte
 * comparison, and a hash can be recomputed by anyone from the line alone.
 */
import type { DomainTag } from "#runtime/abi.js";
import { canonicalJson, sha256Hex, type JsonValue } from "./canonical-json.js";

export const TRACE_FORMAT = "xdv-071/1";
export const GENESIS_HASH = "0".repeat(64);

export type TraceEventType =
  | "run_start"
  | "run_end"
  | "lifecycle"
  | "context_switch"
  | "capability_issue"
  | "capability_check"
  | "capability_revoke"
  | "contract_acquire"
  | "contract_release"
  | "contract_expire"
  | "contract_invalidate"
  | "domain_enter"
  | "domain_exit"
  | "q_result"
  | "phi_stability"
  | "phi_result"
  | "ipc_send"
  | "ipc_receive"
  | "runtime_event"
  | "metric"
  | "k_log"
  | "clock_wait"
  | "fault";

/** Metadata as the kernel builds it; bigints become decimal strings on encoding. */
export type MetaValue = null | boolean | number | bigint | string | readonly MetaValue[] | { readonly [key: string]: MetaValue };
export type Metadata = { readonly [key: string]: MetaValue };

export interface TraceEventInput {
  readonly domain: DomainTag;
  readonly process: bigint;
  readonly vhm: bigint;
  readonly capability: bigint | null;
  readonly contract: bigint | null;
  readonly event_type: TraceEventType;
  readonly metadata: Metadata;
}

/** An entry as it stands in the file: ids and times are decimal strings. */
export interface TraceEntry {
  readonly event_id: string;
  readonly domain: string;
  readonly process: string;
  readonly vhm: string;
  readonly capability: string | null;
  readonly contract: string | null;
  readonly event_type: string;
  readonly metadata: { readonly [key: string]: JsonValue };
  readonly logical_ts: string;
  readonly prev_hash: string;
  readonly hash: string;
}

export type AppendObserver = (index: number, line: string, entry: TraceEntry) => void;

export class TraceChain {
  readonly #lines: string[] = [];
  readonly #entries: TraceEntry[] = [];
  #lastHash = GENESIS_HASH;
  #bytes = 0;
  readonly #observer: AppendObserver | undefined;

  /** The observer sees each entry before it is kept; replay uses it to compare and halt. */
  constructor(observer?: AppendObserver) {
    this.#observer = observer;
  }

  get length(): number {
    return this.#entries.length;
  }

  /** The latest hash: publishing it anchors the whole chain against a rewrite from any point. */
  get head(): string {
    return this.#lastHash;
  }

  /** UTF-8 bytes of the JSON Lines form, newlines included. */
  get byteLength(): number {
    return this.#bytes;
  }

  append(input: TraceEventInput, logicalTs: bigint): TraceEntry {
    const index = this.#entries.length;
    const body = {
      event_id: String(index),
      domain: input.domain,
      process: input.process.toString(),
      vhm: input.vhm.toString(),
      capability: input.capability === null ? null : input.capability.toString(),
      contract: input.contract === null ? null : input.contract.toString(),
      event_type: input.event_type,
      metadata: JSON.parse(canonicalJson(input.metadata)) as { [key: string]: JsonValue },
      logical_ts: logicalTs.toString(),
      prev_hash: this.#lastHash,
    };
    const hash = sha256Hex(canonicalJson(body));
    const entry: TraceEntry = { ...body, hash };
    const line = canonicalJson(entry);
    this.#observer?.(index, line, entry);
    this.#entries.push(entry);
    this.#lines.push(line);
    this.#lastHash = hash;
    this.#bytes += Buffer.byteLength(line, "utf8") + 1;
    return entry;
  }

  entries(): readonly TraceEntry[] {
    return this.#entries;
  }

  lines(): readonly string[] {
    return this.#lines;
  }

  toJsonLines(): string {
    return this.#lines.length === 0 ? "" : this.#lines.join("\n") + "\n";
  }
}

export type TraceIntegrityReason = "malformed" | "not-canonical" | "event-id" | "prev-hash" | "hash" | "clock";

export interface TraceIntegrityError {
  /** 0-based entry index; the file line is entry_index + 1. */
  readonly entry_index: number;
  readonly reason: TraceIntegrityReason;
  readonly message: string;
}

export interface ParsedTrace {
  readonly entries: readonly TraceEntry[];
  readonly lines: readonly string[];
}

export type TraceParseResult = { readonly ok: true; readonly trace: ParsedTrace } | { readonly ok: false; readonly error: TraceIntegrityError };

const ENTRY_KEYS = ["capability", "contract", "domain", "event_id", "event_type", "hash", "logical_ts", "metadata", "prev_hash", "process", "vhm"];

function isDecimal(value: unknown): value is string {
  return typeof value === "string" && /^(0|[1-9][0-9]*)$/.test(value);
}

function shapeProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a JSON object";
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  if (keys.join(",") !== ENTRY_KEYS.join(",")) return `fields are [${keys.join(", ")}], expected [${ENTRY_KEYS.join(", ")}]`;
  for (const key of ["event_id", "process", "vhm", "logical_ts"]) {
    if (!isDecimal(record[key])) return `${key} is not a decimal integer string`;
  }
  for (const key of ["capability", "contract"]) {
    if (record[key] !== null && !isDecimal(record[key])) return `${key} is neither null nor a decimal integer string`;
  }
  if (typeof record["domain"] !== "string" || typeof record["event_type"] !== "string") return "domain or event_type is not a string";
  const meta = record["metadata"];
  if (typeof meta !== "object" || meta === null || Array.isArray(meta)) return "metadata is not an object";
  for (const key of ["prev_hash", "hash"]) {
    const h = record[key];
    if (typeof h !== "string" || !/^[0-9a-f]{64}$/.test(h)) return `${key} is not a SHA-256 hex digest`;
  }
  return undefined;
}

/**
 * Parses and verifies a JSON Lines trace: every line canonical, event ids consecutive,
 * logical time strictly increasing, and the hash chain intact. The first broken entry is
 * named; nothing after it is trusted.
 */
export function parseTrace(text: string): TraceParseResult {
  const lines = text.split("\n");
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const entries: TraceEntry[] = [];
  let prevHash = GENESIS_HASH;
  let prevTs = -1n;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? "";
    const fail = (reason: TraceIntegrityReason, message: string): TraceParseResult => ({
      ok: false,
      error: { entry_index: index, reason, message: `trace entry ${index} (line ${index + 1}): ${message}` },
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return fail("malformed", "not valid JSON");
    }
    const problem = shapeProblem(parsed);
    if (problem !== undefined) return fail("malformed", problem);
    const entry = parsed as TraceEntry;
    let canonical: string;
    try {
      canonical = canonicalJson(entry);
    } catch (e) {
      return fail("malformed", e instanceof Error ? e.message : String(e));
    }
    if (canonical !== line) return fail("not-canonical", "bytes differ from the canonical encoding of the entry");
    if (entry.event_id !== String(index)) return fail("event-id", `event_id is ${entry.event_id}, expected ${index}`);
    const ts = BigInt(entry.logical_ts);
    if (ts <= prevTs) return fail("clock", `logical_ts ${ts} does not advance past ${prevTs}`);
    if (entry.prev_hash !== prevHash) return fail("prev-hash", "prev_hash does not match the previous entry's hash");
    const { hash, ...body } = entry;
    const expected = sha256Hex(canonicalJson(body));
    if (hash !== expected) return fail("hash", "hash does not match the entry's contents (entry altered)");
    entries.push(entry);
    prevHash = hash;
    prevTs = ts;
  }
  return { ok: true, trace: { entries, lines } };
}
