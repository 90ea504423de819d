/**
 * XDV-081 §5.2, §5.3, §13 and XDV-070 §4: no output of the runtime ever holds a Q amplitude
 * or a raw Φ phase. Every example and every conformance program runs through `bin/dplc run`
 * with `--record` and `--telemetry`, and all three outputs (stdout, trace, telemetry) are
 * searched.
 *
 * The rule that makes the search decisive: amplitudes and phases are real numbers, and
 * nothing the runtime emits is one. Counts, ids, logical times, depths and stability
 * figures are integers (basis points where a fraction would be natural), so a single
 * fractional number anywhere, as a JSON number or as digits inside a string, is a leak.
 * Field names that would carry such state are searched for as well.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLES, FIXTURES, entriesOf, runTraced, type TracedRun } from "./harness.js";

const PROGRAMS = [
  ...readdirSync(EXAMPLES)
    .filter((f) => f.endsWith(".ds"))
    .map((f) => join(EXAMPLES, f)),
  ...readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".ds"))
    .map((f) => join(FIXTURES, f)),
].sort();

/** A decimal fraction (0.7071, 1.5707963, 3.1e-4) that is not part of a hex digest or an identifier. */
const FRACTION = /(?<![0-9a-zA-Z_.])-?\d+(?:\.\d+(?:e[+-]?\d+)?|e-\d+)(?![0-9a-zA-Z_])/i;
const STATE_WORDS = /amplitude|statevector|state_vector|phase_vector|phases|\bket\b|\bimag\b/i;

interface Leak {
  readonly where: string;
  readonly what: string;
}

function scanValue(value: unknown, where: string, out: Leak[]): void {
  if (typeof value === "number") {
    if (!Number.isInteger(value)) out.push({ where, what: String(value) });
  } else if (typeof value === "string") {
    const m = FRACTION.exec(value);
    if (m) out.push({ where, what: m[0] });
  } else if (Array.isArray(value)) value.forEach((v, i) => scanValue(v, `${where}[${i}]`, out));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (STATE_WORDS.test(k)) out.push({ where: `${where}.${k}`, what: `field ${k}` });
      scanValue(v, `${where}.${k}`, out);
    }
  }
}

/**
 * A program that computes with `f32`/`f64` prints its own fractions (expected probabilities,
 * means): its stdout is searched for state words only. What the runtime writes (trace,
 * telemetry) is searched in full for every program, and no ABI result hands a program an
 * amplitude or a phase to print (counts and readings are integers).
 */
function computesWithFloats(file: string): boolean {
  return /\bf(?:32|64)\b/.test(readFileSync(file, "utf8"));
}

function leaks(r: TracedRun, name: string, floats: boolean): Leak[] {
  const out: Leak[] = [];
  r.stdout.split("\n").forEach((line, i) => {
    const m = floats ? null : FRACTION.exec(line);
    if (m) out.push({ where: `${name} stdout line ${i + 1}`, what: m[0] });
    if (STATE_WORDS.test(line)) out.push({ where: `${name} stdout line ${i + 1}`, what: line });
  });
  r.trace.forEach((e, i) => scanValue(e, `${name} trace[${i}]`, out));
  r.telemetry.forEach((t, i) => scanValue(t, `${name} telemetry[${i}]`, out));
  // The raw text too: a JSON number such as 0.5 parses to a fraction, but 1e-3 style or
  // padded forms are caught here as well.
  for (const [what, text] of [
    ["trace", r.traceText],
    ["telemetry", r.telemetryText],
  ] as const) {
    for (const m of text.matchAll(/:(-?\d+\.\d+(?:e[+-]?\d+)?)[,}\]]/gi)) out.push({ where: `${name} ${what} text`, what: m[1]! });
  }
  return out;
}

const runs = new Map<string, TracedRun>();
function run(file: string): TracedRun {
  let r = runs.get(file);
  if (!r) {
    r = runTraced(file);
    runs.set(file, r);
  }
  return r;
}

describe("no amplitude and no raw phase in any output of the runtime", () => {
  for (const file of PROGRAMS) {
    const name = file.slice(file.lastIndexOf("/", file.lastIndexOf("/") - 1) + 1);
    it(`${name}: stdout, trace and telemetry hold no fractional value and no state field`, () => {
      const r = run(file);
      expect(r.status, r.stderr).toBe(0);
      expect(leaks(r, name, computesWithFloats(file))).toEqual([]);
    });
  }

  it("the search would see a leak: the scanner flags amplitudes and phases in every form they could take", () => {
    const planted: Leak[] = [];
    scanValue({ counts: { "00": 0.5 } }, "a", planted);
    scanValue({ detail: "amp=0.7071067811865476" }, "b", planted);
    scanValue({ note: "phase 1.5707963267948966 rad" }, "c", planted);
    scanValue({ amplitudes: [1, 0] }, "d", planted);
    scanValue({ value: "1e-3" }, "e", planted);
    expect(planted.map((l) => l.where)).toEqual(["a.counts.00", "b.detail", "c.note", "d.amplitudes", "e.value"]);
    // Hashes, ids and bitstrings are not mistaken for fractions.
    const clean: Leak[] = [];
    scanValue({ hash: "e7b47cc1b0695a287e716581a6053492bb49fee0b5d8420b12169f1b4af4a019", id: "9873.0x", bits: "101 011" }, "f", clean);
    expect(clean).toEqual([]);
  });

  it("there was state to leak: the programs measured qubits and transformed envelopes", () => {
    const all = PROGRAMS.map(run);
    const results = all.flatMap((r) => [...entriesOf(r.trace, "q_result"), ...entriesOf(r.trace, "phi_result")]);
    expect(results.filter((e) => e.event_type === "q_result").length).toBeGreaterThan(10);
    expect(results.filter((e) => e.event_type === "phi_result").length).toBeGreaterThanOrEqual(2);
  });
});
