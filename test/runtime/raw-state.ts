/**
 * The search of XDV-081 §5.2, §5.3, §13 and XDV-070 §4 over one run's outputs: no output of
 * the runtime may hold a Q amplitude or a raw Φ phase. Used by no-raw-state.test.ts (the
 * conformance programs) and examples.test.ts (every example, on the run it already makes).
 *
 * The rule that makes the search decisive: amplitudes and phases are real numbers, and
 * nothing the runtime emits is one. Counts, ids, logical times, depths and stability
 * figures are integers (basis points where a fraction would be natural), so a single
 * fractional number anywhere, as a JSON number or as digits inside a string, is a leak.
 * Field names that would carry such state are searched for as well.
 */
import { readFileSync } from "node:fs";
import type { TracedRun } from "./harness.js";

/** A decimal fraction (0.7071, 1.5707963, 3.1e-4) that is not part of a hex digest or an identifier. */
export const FRACTION = /(?<![0-9a-zA-Z_.])-?\d+(?:\.\d+(?:e[+-]?\d+)?|e-\d+)(?![0-9a-zA-Z_])/i;
export const STATE_WORDS = /amplitude|statevector|state_vector|phase_vector|phases|\bket\b|\bimag\b/i;

export interface Leak {
  readonly where: string;
  readonly what: string;
}

export function scanValue(value: unknown, where: string, out: Leak[]): void {
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
export function computesWithFloats(file: string): boolean {
  return /\bf(?:32|64)\b/.test(readFileSync(file, "utf8"));
}

export function leaks(r: TracedRun, name: string, floats: boolean): Leak[] {
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
