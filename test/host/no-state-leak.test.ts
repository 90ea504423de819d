/**
 * XDV-052 §4.2/§11, XDV-070 §4, XDV-071 §3.3: no amplitude or phase value may leave the
 * providers. Every number the host emits is an integer by construction (counts, ids, logical
 * times, basis points), so one fractional number anywhere in a run's outputs would be a leak.
 */
import { describe, expect, test } from "vitest";
import { createKernel } from "../../src/host/index.js";
import { QProvider } from "../../src/host/q/provider.js";
import { StateVector } from "../../src/host/q/statevector.js";
import { canonicalJson, CanonicalJsonError } from "../../src/host/trace/canonical-json.js";
import { BELL, simulate } from "./helpers.js";
import { hybridProgram } from "./programs.js";

/** Every number in a JSON-like value, bigints included, with where it was found. */
function numbers(value: unknown, path: string, out: { path: string; value: number }[]): void {
  if (typeof value === "number") out.push({ path, value });
  else if (typeof value === "bigint") out.push({ path, value: Number(value) });
  else if (typeof value === "string") {
    // Decimal strings stand for bigints; a fractional literal inside text would be a leak too.
    const frac = value.match(/(^|[^0-9a-f])-?\d+\.\d+(e[+-]?\d+)?/i);
    if (frac) out.push({ path, value: Number.parseFloat(frac[0].replace(/^[^-\d]/, "")) });
  } else if (Array.isArray(value)) value.forEach((v, i) => numbers(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) numbers(v, `${path}.${k}`, out);
  }
}

const FORBIDDEN_KEYS = /amplitude|statevector|state_vector|phase_vector|phases|real|imag|^re$|^im$/i;

function keys(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) value.forEach((v) => keys(v, out));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      keys(v, out);
    }
  }
}

describe("no raw Q or Φ state in any output of a run", () => {
  test("trace, telemetry, stdout and every ABI result of a full hybrid run hold only integers", () => {
    let stdout = "";
    const kernel = createKernel({ seed: 31337n, stdout: (s) => (stdout += s) });
    kernel.boot({ argv: ["leak-check"] });
    const { results, exit } = hybridProgram(kernel);
    kernel.shutdown(exit);

    const outputs: Record<string, unknown> = {
      trace: kernel.traceLines().map((l) => JSON.parse(l)),
      telemetry: kernel.telemetryLines().map((l) => JSON.parse(l)),
      results,
      stdout,
    };
    const found: { path: string; value: number }[] = [];
    numbers(outputs, "run", found);
    expect(found.length).toBeGreaterThan(100);
    const fractional = found.filter((n) => !Number.isInteger(n.value));
    expect(fractional).toEqual([]);

    const names = new Set<string>();
    keys(outputs, names);
    expect([...names].filter((k) => FORBIDDEN_KEYS.test(k))).toEqual([]);

    // The run really did simulate and measure: there is something to leak.
    expect(kernel.traceJsonl()).toContain('"event_type":"q_result"');
    expect(kernel.traceJsonl()).toContain('"event_type":"phi_result"');
  });

  test("the simulator has no way to hand out its amplitudes", () => {
    const sv = new StateVector(3);
    expect(Object.keys(sv)).toEqual(["qubits"]);
    expect(JSON.stringify(sv)).toBe('{"qubits":3}');
    expect((sv as unknown as { toJSON?: unknown }).toJSON).toBeUndefined();
    const proto = Object.getOwnPropertyNames(StateVector.prototype).sort();
    // Every method either changes the state or returns classical numbers (an outcome, a
    // probability, a norm, an overlap, sampled indices); none returns amplitudes.
    expect(proto).toEqual([
      "basisProbabilities",
      "collapse",
      "constructor",
      "copyFrom",
      "diagonalRun",
      "fidelity",
      "flipToZero",
      "measure",
      "normSquared",
      "outcomeProbabilities",
      "parityPhase",
      "reset",
      "sample",
      "swap",
      "unitary",
      "unitary2",
      "xxRotation",
    ]);
  });

  test("provider results are counts and bitstrings only", () => {
    const outcome = simulate(BELL, 50, 1n, true);
    expect(Object.keys(outcome).sort()).toEqual(["counts", "per_shot"]);
    for (const c of outcome.counts) expect(Object.keys(c).sort()).toEqual(["bitstring", "count"]);
    expect(Object.keys(new QProvider().capabilities())).not.toContain("amplitudes");
  });

  test("the canonical encoder refuses fractional numbers, so a leak cannot be written", () => {
    expect(() => canonicalJson({ counts: { "00": 0.5 } })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(CanonicalJsonError);
    expect(canonicalJson({ b: 1n, a: [true, null, "x"] })).toBe('{"a":[true,null,"x"],"b":"1"}');
    expect(canonicalJson({ f: 0.25 }, { allowFractions: true })).toBe('{"f":0.25}');
  });
});
