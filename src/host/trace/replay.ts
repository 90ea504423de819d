/**
 * Deterministic replay (XDV-071 §5): the same kernel, fed from a recorded trace.
 *
 * `ReplaySession` plays two roles. As the trace chain's observer it compares every entry the
 * replayed run produces with the recorded entry at the same index, byte for byte, and stops
 * the run at the first difference with the fields that differ. As the domain oracle it
 * answers Q measurements and Φ readings from the recorded entry the kernel is about to
 * write, so nothing is re-sampled (§5.3, §5.4) and the providers are never consulted.
 */
import { QSimulationFault } from "../q/provider.js";
import { ERROR_CODES, HostHalt, type BitstringCount, type ErrorCode, type FaultReason, type HostInputPrimitive } from "#runtime/abi.js";
import { outcomePossible, parseBitstring } from "../q/possible-outcomes.js";
import type { DomainOracle, PhiContractPlacement, PhiProjectionOutcome, PhiReadingOutcome, QContractPlacement, QJobOutcome, QJobRun, RemoteFault } from "../kernel/oracle.js";
import type { EnvelopeWindow } from "../phi/provider.js";
import type { JsonValue } from "./canonical-json.js";
import { ORDERLY_ENDS, type Metadata, type ParsedTrace, type TraceEntry } from "./trace-chain.js";

export interface RecordedRun {
  readonly seed: bigint;
  readonly argv: readonly string[];
  readonly format: string | null;
  /** SHA-256 of the program's sources, when the recording kept it. */
  readonly program: string | null;
  /** How the recorded run ended (its final `run_end`), or null for a trace cut off before it. */
  readonly ended: string | null;
  /** For a run stopped from outside (timeout, signal): the step it was stopped at, when known. */
  readonly stoppedAtStep: number | null;
}

/** Reads the run parameters from the trace header (entry 0, `run_start`). */
export function recordedRun(trace: ParsedTrace): RecordedRun | string {
  const head = trace.entries[0];
  if (!head) return "the trace is empty";
  if (head.event_type !== "run_start") return `trace entry 0 is '${head.event_type}', expected 'run_start'`;
  const seed = head.metadata["seed"];
  const argv = head.metadata["argv"];
  if (typeof seed !== "string" || !/^[0-9]+$/.test(seed)) return "the run_start entry has no seed";
  if (!Array.isArray(argv) || !argv.every((a) => typeof a === "string")) return "the run_start entry has no argv";
  const format = head.metadata["trace_format"];
  const program = head.metadata["program_sha256"];
  const last = trace.entries[trace.entries.length - 1]!;
  const ended = last.event_type !== "run_end" ? null : typeof last.metadata["ended"] === "string" ? last.metadata["ended"] : "returned";
  const steps = last.metadata["steps"];
  const stoppedAtStep = ended !== null && !ORDERLY_ENDS.includes(ended) && typeof steps === "number" && Number.isSafeInteger(steps) && steps > 0 ? steps : null;
  return { seed: BigInt(seed), argv: argv as string[], format: typeof format === "string" ? format : null, program: typeof program === "string" ? program : null, ended, stoppedAtStep };
}

function render(value: JsonValue | undefined): string {
  return value === undefined ? "<absent>" : JSON.stringify(value);
}

/** Field-level differences between a recorded and a replayed entry, metadata keys included. */
export function diffEntries(recorded: TraceEntry, replayed: TraceEntry): { field: string; recorded: string; replayed: string }[] {
  const out: { field: string; recorded: string; replayed: string }[] = [];
  const top = ["event_type", "domain", "process", "vhm", "capability", "contract", "logical_ts", "prev_hash"] as const;
  for (const key of top) {
    if (recorded[key] !== replayed[key]) out.push({ field: key, recorded: render(recorded[key]), replayed: render(replayed[key]) });
  }
  const keys = [...new Set([...Object.keys(recorded.metadata), ...Object.keys(replayed.metadata)])].sort();
  for (const key of keys) {
    const a = render(recorded.metadata[key]);
    const b = render(replayed.metadata[key]);
    if (a !== b) out.push({ field: `metadata.${key}`, recorded: a, replayed: b });
  }
  if (out.length === 0) out.push({ field: "hash", recorded: recorded.hash, replayed: replayed.hash });
  return out;
}

export class ReplaySession implements DomainOracle {
  readonly #recorded: ParsedTrace;
  #position = 0;
  /**
   * Where the replay must stop because the recording stopped there: the end of a trace cut
   * off before its final entry, or the final entry of a run that was interrupted. -1: none.
   */
  readonly #stopAt: number;
  readonly #stopWhy: string;

  constructor(recorded: ParsedTrace) {
    this.#recorded = recorded;
    const n = recorded.entries.length;
    const last = recorded.entries[n - 1];
    const ended = last?.event_type === "run_end" ? last.metadata["ended"] : undefined;
    if (last && last.event_type !== "run_end") {
      this.#stopAt = n;
      this.#stopWhy = "without a final entry (the recording was cut off)";
    } else if (typeof ended === "string" && !ORDERLY_ENDS.includes(ended)) {
      this.#stopAt = n - 1;
      this.#stopWhy = `where the recorded run was stopped (${ended})`;
    } else {
      this.#stopAt = -1;
      this.#stopWhy = "";
    }
  }

  /** Whether the recorded run reached an orderly end; a replay of any other stops where it stopped. */
  get complete(): boolean {
    return this.#stopAt < 0;
  }

  get recordedLength(): number {
    return this.#recorded.entries.length;
  }

  /** Trace-chain observer: halts the run at the first entry that is not byte-identical. */
  readonly observe = (index: number, line: string, entry: TraceEntry): void => {
    this.#checkEnd(index);
    const expected = this.#recorded.lines[index];
    const recordedEntry = this.#recorded.entries[index];
    if (expected === undefined || recordedEntry === undefined) {
      throw new HostHalt({
        kind: "replay-divergence",
        entry_index: index,
        message: `the replayed run produced '${entry.event_type}' past the end of the recorded trace (${this.#recorded.entries.length} entries)`,
        differences: [{ field: "event_type", recorded: "<end of trace>", replayed: entry.event_type }],
      });
    }
    if (expected !== line) {
      const differences = diffEntries(recordedEntry, entry);
      throw new HostHalt({
        kind: "replay-divergence",
        entry_index: index,
        message: `recorded '${recordedEntry.event_type}' differs in ${differences.map((d) => d.field).join(", ")}`,
        differences,
      });
    }
    this.#position = index + 1;
  };

  #checkEnd(index: number): void {
    if (index !== this.#stopAt) return;
    throw new HostHalt({
      kind: "replay-end-of-trace",
      entry_index: index,
      message: `the trace is incomplete: it ends after ${index} entries ${this.#stopWhy}; the replay reproduced every recorded entry up to there`,
      differences: [],
    });
  }

  /** After the program ended: a recorded tail that was never reproduced is a divergence too. */
  finish(producedEntries: number): void {
    if (producedEntries < this.#recorded.entries.length) {
      const next = this.#recorded.entries[producedEntries];
      throw new HostHalt({
        kind: "replay-incomplete",
        entry_index: producedEntries,
        message: `the replayed run ended after ${producedEntries} entries; the recorded trace continues with '${next?.event_type}'`,
        differences: [{ field: "event_type", recorded: next?.event_type ?? "<end>", replayed: "<end of run>" }],
      });
    }
  }

  /** The recorded entry the kernel is about to write, which must be of `type`. */
  #expect(type: string): TraceEntry {
    const index = this.#position;
    this.#checkEnd(index);
    const entry = this.#recorded.entries[index];
    if (!entry || entry.event_type !== type) {
      throw new HostHalt({
        kind: "replay-divergence",
        entry_index: index,
        message: `the replayed run needs a recorded '${type}' here, the trace has ${entry ? `'${entry.event_type}'` : "no more entries"}`,
        differences: [{ field: "event_type", recorded: entry?.event_type ?? "<end of trace>", replayed: type }],
      });
    }
    return entry;
  }

  #integer(entry: TraceEntry, key: string): number {
    const v = entry.metadata[key];
    if (typeof v !== "number" || !Number.isSafeInteger(v)) {
      throw new HostHalt({
        kind: "replay-divergence",
        entry_index: this.#position,
        message: `recorded '${entry.event_type}' has no integer '${key}'`,
        differences: [{ field: `metadata.${key}`, recorded: render(v), replayed: "<integer>" }],
      });
    }
    return v;
  }

  /** The recorded `remote` metadata of an entry (a clustered run), or null. */
  #remote(entry: TraceEntry): Metadata | null {
    const r = entry.metadata["remote"];
    return r !== undefined && r !== null && typeof r === "object" && !Array.isArray(r) ? (r as Metadata) : null;
  }

  /** A fault the remote side answered with, read back from its recorded entry. */
  #recordedFault(): RemoteFault | null {
    const entry = this.#recorded.entries[this.#position];
    if (!entry || entry.event_type !== "fault") return null;
    const { code, reason, message, ...details } = entry.metadata;
    if (typeof code !== "string" || !(ERROR_CODES as readonly string[]).includes(code) || typeof reason !== "string" || typeof message !== "string") return null;
    const flat: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(details)) if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") flat[k] = v;
    return { fault: { code: code as ErrorCode, reason: reason as FaultReason, message, details: flat } };
  }

  placeQContract(_request: QContractPlacement): { remote: Metadata | null } | RemoteFault {
    return this.#recordedFault() ?? { remote: this.#remote(this.#expect("contract_acquire")) };
  }

  placePhiContract(_request: PhiContractPlacement): { remote: Metadata | null } | RemoteFault {
    return this.#recordedFault() ?? { remote: this.#remote(this.#expect("contract_acquire")) };
  }

  releaseContract(): Metadata | null {
    return this.#remote(this.#expect("contract_release"));
  }

  runQJob(job: QJobRun): QJobOutcome | RemoteFault {
    // A job the simulator failed (its state lost its norm) was recorded as that fault: fail
    // it the same way, and the kernel writes the identical fault entry.
    const recorded = this.#recorded.entries[this.#position];
    if (recorded?.event_type === "fault" && recorded.metadata["reason"] === "simulation-invalid") {
      throw new QSimulationFault(String(recorded.metadata["message"]));
    }
    const failed = this.#recordedFault();
    if (failed) return failed;
    const entry = this.#expect("q_result");
    const counts = entry.metadata["counts"];
    const perShot = entry.metadata["per_shot"];
    const list: BitstringCount[] = [];
    if (counts !== null && typeof counts === "object" && !Array.isArray(counts)) {
      for (const bitstring of Object.keys(counts).sort()) {
        const count = (counts as Record<string, JsonValue>)[bitstring];
        if (typeof count === "number") list.push({ bitstring, count });
      }
    }
    const shots = Array.isArray(perShot) && perShot.every((s) => typeof s === "string") ? (perShot as string[]) : null;
    this.#validateQ(job, entry, shots);
    // A recorded result for a different job shape diverges here rather than later.
    const total = list.reduce((n, c) => n + c.count, 0);
    if (total !== job.shots || (job.per_shot && shots === null)) {
      throw new HostHalt({
        kind: "replay-divergence",
        entry_index: this.#position,
        message: `recorded q_result holds ${total} shots, the replayed job asks for ${job.shots}${job.per_shot ? " with per-shot results" : ""}`,
        differences: [{ field: "metadata.shots", recorded: String(total), replayed: String(job.shots) }],
      });
    }
    const remote = this.#remote(entry);
    return { counts: list, per_shot: job.per_shot ? shots : null, ...(remote ? { remote } : {}) };
  }

  /**
   * A recorded result must be one the provider could have given for this circuit: every
   * bitstring of the circuit's classical width and register layout, counts positive
   * integers summing to the shots, per-shot results that tally to the counts, and no
   * outcome of probability zero. The hash chain proves the trace was not edited after it
   * was written; this proves what was written is physically possible.
   */
  #validateQ(job: QJobRun, entry: TraceEntry, perShot: readonly string[] | null): void {
    const bad = (message: string): never => {
      throw new HostHalt({ kind: "replay-invalid-result", entry_index: this.#position, message: `recorded q_result of job ${job.job_id} ${message}`, differences: [] });
    };
    const counts = entry.metadata["counts"];
    if (counts === null || typeof counts !== "object" || Array.isArray(counts)) return bad("has no counts");
    const { circuit } = job;
    let total = 0;
    for (const [bitstring, count] of Object.entries(counts)) {
      if (typeof count !== "number" || !Number.isSafeInteger(count) || count < 1) bad(`gives \`${bitstring}\` a count of ${JSON.stringify(count)}, not a positive integer`);
      total += count as number;
    }
    if (total !== job.shots) bad(`holds ${total} shots, the job ran ${job.shots}`);
    const parsed = new Map<string, Uint8Array>();
    for (const bitstring of Object.keys(counts)) {
      const bits = parseBitstring(bitstring, circuit.cregs, circuit.clbits);
      if (!bits) bad(`holds \`${bitstring}\`, which is not a bitstring of the circuit's ${circuit.clbits} classical bits (${circuit.cregs.map((r) => `${r.name}[${r.size}]`).join(", ")})`);
      parsed.set(bitstring, bits as Uint8Array);
    }
    if (perShot !== null) {
      const tally = new Map<string, number>();
      for (const s of perShot) tally.set(s, (tally.get(s) ?? 0) + 1);
      const agrees = perShot.length === job.shots && tally.size === parsed.size && [...tally].every(([b, n]) => (counts as Record<string, JsonValue>)[b] === n);
      if (!agrees) bad("has per-shot results that do not tally to its counts");
    }
    for (const [bitstring, bits] of parsed) {
      if (outcomePossible(circuit, bits) === "impossible") bad(`holds \`${bitstring}\`, which the circuit cannot produce (probability 0)`);
    }
  }

  /** The recorded value of a nondeterministic host input (`wall_clock()`, `random_u64()`, `env_var`). */
  hostInput(primitive: HostInputPrimitive, key: string): string | null {
    const entry = this.#expect("host_input");
    const m = entry.metadata;
    const value = m["value"];
    const shaped = primitive === "env_var" ? value === null || typeof value === "string" : typeof value === "string" && /^(0|[1-9][0-9]*)$/.test(value) && BigInt(value) < 1n << 64n;
    if (m["primitive"] !== primitive || m["key"] !== key || !shaped) {
      throw new HostHalt({
        kind: "replay-divergence",
        entry_index: this.#position,
        message: `the replayed run asks for ${primitive}(${key}), the trace recorded ${render(m["primitive"])}(${render(m["key"])}) = ${render(value)}`,
        differences: [{ field: "metadata.primitive", recorded: render(m["primitive"]), replayed: JSON.stringify(primitive) }],
      });
    }
    return value as string | null;
  }

  openEnvelope(): void {}

  closeEnvelope(): void {}

  probePhi(_window: EnvelopeWindow, _at: bigint): PhiReadingOutcome | RemoteFault {
    const failed = this.#recordedFault();
    if (failed) return failed;
    const entry = this.#expect("phi_stability");
    const remote = this.#remote(entry);
    return { stability_level: this.#integer(entry, "stability_level"), noise_index: this.#integer(entry, "noise_index"), ...(remote ? { remote } : {}) };
  }

  applyPhi(): PhiProjectionOutcome | RemoteFault {
    const failed = this.#recordedFault();
    if (failed) return failed;
    const entry = this.#expect("phi_result");
    const remote = this.#remote(entry);
    return { dominant_mode: this.#integer(entry, "dominant_mode"), coherence_index: this.#integer(entry, "coherence_index"), ...(remote ? { remote } : {}) };
  }
}
