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
import { HostHalt, type BitstringCount } from "#runtime/abi.js";
import type { DomainOracle, QJobOutcome, QJobRun } from "../kernel/oracle.js";
import type { EnvelopeWindow, PhiProjection, PhiReading } from "../phi/provider.js";
import type { JsonValue } from "./canonical-json.js";
import type { ParsedTrace, TraceEntry } from "./trace-chain.js";

export interface RecordedRun {
  readonly seed: bigint;
  readonly argv: readonly string[];
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
  return { seed: BigInt(seed), argv: argv as string[] };
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

  constructor(recorded: ParsedTrace) {
    this.#recorded = recorded;
  }

  get recordedLength(): number {
    return this.#recorded.entries.length;
  }

  /** Trace-chain observer: halts the run at the first entry that is not byte-identical. */
  readonly observe = (index: number, line: string, entry: TraceEntry): void => {
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

  runQJob(job: QJobRun): QJobOutcome {
    // A job the simulator failed (its state lost its norm) was recorded as that fault: fail
    // it the same way, and the kernel writes the identical fault entry.
    const failed = this.#recorded.entries[this.#position];
    if (failed?.event_type === "fault" && failed.metadata["reason"] === "simulation-invalid") {
      throw new QSimulationFault(String(failed.metadata["message"]));
    }
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
    return { counts: list, per_shot: job.per_shot ? shots : null };
  }

  openEnvelope(): void {}

  closeEnvelope(): void {}

  probePhi(_window: EnvelopeWindow, _at: bigint): PhiReading {
    const entry = this.#expect("phi_stability");
    return { stability_level: this.#integer(entry, "stability_level"), noise_index: this.#integer(entry, "noise_index") };
  }

  applyPhi(): PhiProjection {
    const entry = this.#expect("phi_result");
    return { dominant_mode: this.#integer(entry, "dominant_mode"), coherence_index: this.#integer(entry, "coherence_index") };
  }
}
