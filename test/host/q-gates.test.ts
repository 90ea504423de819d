import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { lookupGate, supportedGateNames } from "../../src/host/q/gates.js";
import { planGates, runPasses, unfusedPasses, type GateOp } from "../../src/host/q/plan.js";
import { compileQasm } from "../../src/host/q/qasm-compile.js";
import { StateVector } from "../../src/host/q/statevector.js";
import { Xoshiro128StarStar } from "../../src/host/random/prng.js";

/** Qiskit's qelib1.inc, shipped as test data with its licence (test/data/qasm/README.md). */
const ORIGINAL_QELIB1 = readFileSync(new URL("../data/qasm/qiskit/qelib1.inc", import.meta.url), "utf8");
/** Qiskit's later corrections of c3sqrtx and c4x, which that copy still has wrong. */
const CORRECTIONS = readFileSync(new URL("../data/qasm/qiskit/qelib1-corrections.inc", import.meta.url), "utf8");

/** A gate's definition with the comment line above it. */
function gateBlock(name: string): RegExp {
  return new RegExp(`(// [^\\n]*\\n)?gate ${name} [^{]*\\{[^}]*\\}`);
}

function corrected(library: string): string {
  let out = library;
  for (const name of ["c3sqrtx", "c4x"]) {
    const fixed = CORRECTIONS.match(gateBlock(name));
    if (!fixed) throw new Error(`no corrected ${name}`);
    out = out.replace(gateBlock(name), fixed[0]);
  }
  return out;
}

const QELIB1 = corrected(ORIGINAL_QELIB1);

/** Layers of random U rotations and a CX ladder built only from the two built-in gates. */
function randomPrep(n: number, rng: Xoshiro128StarStar): string {
  const angle = (): string => ((rng.nextDouble() * 2 - 1) * Math.PI).toFixed(15);
  const lines: string[] = [];
  for (let layer = 0; layer < 3; layer++) {
    for (let q = 0; q < n; q++) lines.push(`U(${angle()},${angle()},${angle()}) q[${q}];`);
    for (let q = 0; q + 1 < n; q++) lines.push(`CX q[${(q + layer) % n}],q[${(q + layer + 1) % n}];`);
  }
  return lines.join("\n");
}

function finalState(source: string): StateVector {
  const c = compileQasm(source);
  const sv = new StateVector(c.qubits);
  const gates = c.ops.filter((op): op is Extract<typeof op, { kind: "gate" }> => op.kind === "gate") as GateOp[];
  runPasses(sv, planGates(gates));
  return sv;
}

/**
 * The native gate and the qelib1.inc definition (inlined down to U and CX, since without
 * the include the file's gates are ordinary user gates) applied to the same random state.
 */
function fidelityAgainstDefinition(name: string, seed: bigint, library = QELIB1): number {
  const spec = lookupGate(name);
  if (!spec) throw new Error(`no gate ${name}`);
  const rng = new Xoshiro128StarStar(seed);
  const n = spec.qubits + 1;
  const params = Array.from({ length: spec.params }, () => ((rng.nextDouble() * 4 - 2) * Math.PI).toFixed(15));
  // Arguments in a scrambled order over a register one qubit wider than the gate.
  const order = Array.from({ length: n }, (_, i) => i).sort(() => rng.nextDouble() - 0.5).slice(0, spec.qubits);
  const call = `${name}${params.length ? `(${params.join(",")})` : ""} ${order.map((q) => `q[${q}]`).join(",")};`;
  const prep = randomPrep(n, rng);
  const native = finalState(`OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[${n}];\n${prep}\n${call}\n`);
  const reference = finalState(`OPENQASM 2.0;\n${library}\nqreg q[${n}];\n${prep}\n${call}\n`);
  return native.fidelity(reference);
}

const NEW_GATES = ["csx", "cu", "rxx", "rccx", "rc3x", "c3x", "c3sqrtx", "c4x"];

describe("every qelib1 gate agrees with its qelib1.inc definition on random states", () => {
  test.each(NEW_GATES)("%s (added for Qiskit's current qelib1.inc)", (name) => {
    for (const seed of [1n, 2n, 3n]) expect(fidelityAgainstDefinition(name, seed)).toBeCloseTo(1, 12);
  });

  const defined = [...QELIB1.matchAll(/^gate\s+(\w+)/gm)].map((m) => m[1] as string);
  test.each(defined.filter((g) => !NEW_GATES.includes(g)))("%s", (name) => {
    expect(fidelityAgainstDefinition(name, 11n)).toBeCloseTo(1, 12);
  });

  test("the corrections matter: the uncorrected c3sqrtx and c4x definitions are other unitaries", () => {
    expect(QELIB1).not.toBe(ORIGINAL_QELIB1);
    for (const name of ["c3sqrtx", "c4x"]) {
      expect(fidelityAgainstDefinition(name, 1n, ORIGINAL_QELIB1)).toBeLessThan(0.99);
    }
  });

  test("the provider declares every gate qelib1.inc defines", () => {
    const names = new Set(supportedGateNames());
    for (const g of defined) expect(names.has(g), g).toBe(true);
  });

  test("a wrong gate is caught: fidelity of x against h's definition is not 1", () => {
    // Guards the check itself: the comparison must be able to fail.
    const rng = new Xoshiro128StarStar(5n);
    const prep = randomPrep(2, rng);
    const a = finalState(`OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\n${prep}\nx q[0];\n`);
    const b = finalState(`OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\n${prep}\nh q[0];\n`);
    expect(a.fidelity(b)).toBeLessThan(0.999);
  });
});

describe("fusion changes the passes, never the state", () => {
  /** Random circuits over every gate, on random qubits: fused and gate-by-gate agree. */
  function randomCircuit(n: number, length: number, rng: Xoshiro128StarStar): string {
    const names = supportedGateNames().filter((g) => (lookupGate(g)?.qubits ?? 9) <= n);
    const lines: string[] = [];
    for (let i = 0; i < length; i++) {
      const spec = lookupGate(names[rng.nextBelow(names.length)] as string);
      if (!spec) continue;
      const qubits = Array.from({ length: n }, (_, q) => q).sort(() => rng.nextDouble() - 0.5).slice(0, spec.qubits);
      const params = Array.from({ length: spec.params }, () => (rng.nextDouble() * 6 - 3).toFixed(12));
      lines.push(`${spec.name}${params.length ? `(${params.join(",")})` : ""} ${qubits.map((q) => `q[${q}]`).join(",")};`);
    }
    return `OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[${n}];\n${lines.join("\n")}\n`;
  }

  test.each([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n])("seed %s", (seed) => {
    const rng = new Xoshiro128StarStar(seed);
    const n = 2 + rng.nextBelow(5);
    const c = compileQasm(randomCircuit(n, 60, rng));
    const gates = c.ops.filter((op) => op.kind === "gate") as GateOp[];
    const fused = new StateVector(n);
    runPasses(fused, planGates(gates));
    const plain = new StateVector(n);
    runPasses(plain, unfusedPasses(gates));
    expect(planGates(gates).length).toBeLessThan(unfusedPasses(gates).length);
    expect(fused.fidelity(plain)).toBeCloseTo(1, 12);
    expect(fused.normSquared()).toBeCloseTo(1, 12);
  });
});
