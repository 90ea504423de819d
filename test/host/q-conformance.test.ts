/**
 * Public OpenQASM 2.0 circuits (test/data/qasm/, see its README for sources and licences):
 * every one compiles, and its seeded sampled counts agree with the exact distribution of its
 * outcomes within shot noise: no impossible outcome, every outcome within 5σ of its
 * expectation, and a χ² over the well-populated outcomes below its 5σ bound.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { exactDistribution, QProvider } from "../../src/host/q/provider.js";
import { SeedKeys } from "../../src/host/random/prng.js";

const ROOT = new URL("../data/qasm/", import.meta.url);
const FOLDERS = ["openqasm-2.0", "qasmbench-small", "qasmbench-medium"];
const SHOTS = 4000;

/** Files in the corpus that are not valid OpenQASM 2.0, and the located error each must get. */
const INVALID: Record<string, RegExp> = {
  // Starts with a `\\` line where a `//` comment was meant.
  "openqasm-2.0/ibmqx2_Deutsch_Algorithm.qasm": /^line 1:1: unexpected character '\\'/,
  // Measure a register `q` (into `c`) that these files never declare.
  "qasmbench-small/vqe_uccsd_n4.qasm": /^line 225:9: unknown register 'q'/,
  "qasmbench-small/vqe_uccsd_n4_transpiled.qasm": /^line 242:9: unknown register 'q'/,
  "qasmbench-small/vqe_uccsd_n6.qasm": /^line 2286:9: unknown register 'q'/,
  "qasmbench-small/vqe_uccsd_n6_transpiled.qasm": /^line 2128:9: unknown register 'q'/,
};

const circuits = FOLDERS.flatMap((folder) =>
  readdirSync(new URL(`${folder}/`, ROOT))
    .filter((f) => f.endsWith(".qasm"))
    .sort()
    .map((file) => ({ name: `${folder}/${file}`, source: readFileSync(new URL(`${folder}/${file}`, ROOT), "utf8") })),
);

describe("public OpenQASM 2.0 circuits: sampled counts match the exact distribution", () => {
  test("the corpus is there", () => {
    expect(circuits.length).toBeGreaterThan(80);
  });

  test.each(Object.entries(INVALID))("%s is refused with a located error", (name, message) => {
    const source = circuits.find((c) => c.name === name)?.source;
    expect(source).toBeDefined();
    const compiled = new QProvider().compile(source ?? "");
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(`line ${compiled.line}:${compiled.column}: ${compiled.message}`).toMatch(message);
  });

  test.each(circuits.filter((c) => !(c.name in INVALID)).map((c) => [c.name, c.source] as const))("%s", (_name, source) => {
    const provider = new QProvider();
    const compiled = provider.compile(source);
    if (!compiled.ok) throw new Error(`line ${compiled.line}:${compiled.column}: ${compiled.message}`);
    const circuit = compiled.circuit;
    const exact = exactDistribution(circuit);
    const total = [...exact.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 9);

    const outcome = provider.execute(circuit, SHOTS, new SeedKeys(17n).stream("q-job", 1n), false);
    const observed = new Map(outcome.counts.map((c) => [c.bitstring, c.count]));
    expect([...observed.values()].reduce((a, b) => a + b, 0)).toBe(SHOTS);
    for (const [bits, count] of observed) {
      const p = exact.get(bits) ?? 0;
      expect(p, `outcome ${bits} has probability 0 but was drawn ${count} times`).toBeGreaterThan(1e-12);
    }
    let chi2 = 0;
    let dof = -1;
    for (const [bits, p] of exact) {
      const expected = SHOTS * p;
      const count = observed.get(bits) ?? 0;
      const sigma = Math.sqrt(SHOTS * p * Math.max(0, 1 - p));
      expect(Math.abs(count - expected), `outcome ${bits}: ${count} drawn, ${expected.toFixed(1)} expected`).toBeLessThanOrEqual(5 * sigma + 1);
      if (expected >= 5) {
        chi2 += (count - expected) ** 2 / expected;
        dof++;
      }
    }
    if (dof > 0) expect(chi2).toBeLessThan(dof + 5 * Math.sqrt(2 * dof));
  });
});
