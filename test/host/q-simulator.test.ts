import { describe, expect, test } from "vitest";
import { splitmix64, Xoshiro128StarStar } from "../../src/host/random/prng.js";
import { BELL, countsOf, qasm, simulate } from "./helpers.js";

function ghz(n: number): string {
  const cx = Array.from({ length: n - 1 }, (_, i) => `cx q[${i}],q[${i + 1}];`).join("\n");
  return qasm(`qreg q[${n}];\ncreg c[${n}];\nh q[0];\n${cx}\nmeasure q -> c;`);
}

/** QFT in the little-endian convention: QFT|x> = Σ_k e^{2πi xk/N}|k> / √N. */
function qftBody(n: number): string {
  const lines: string[] = [];
  for (let j = n - 1; j >= 0; j--) {
    lines.push(`h q[${j}];`);
    for (let k = j - 1; k >= 0; k--) lines.push(`cu1(pi/${2 ** (j - k)}) q[${k}],q[${j}];`);
  }
  for (let i = 0; i < Math.floor(n / 2); i++) lines.push(`swap q[${i}],q[${n - 1 - i}];`);
  return lines.join("\n");
}

function inverseQftBody(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < Math.floor(n / 2); i++) lines.push(`swap q[${i}],q[${n - 1 - i}];`);
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) lines.push(`cu1(-pi/${2 ** (j - k)}) q[${k}],q[${j}];`);
    lines.push(`h q[${j}];`);
  }
  return lines.join("\n");
}

function basisPrep(n: number, x: number): string {
  return Array.from({ length: n }, (_, i) => ((x >> i) & 1 ? `x q[${i}];` : "")).join("\n");
}

function bits(n: number, x: number): string {
  return x.toString(2).padStart(n, "0");
}

describe("known states", () => {
  test("Bell pair over 1000 shots gives only 00 and 11, roughly balanced", () => {
    const counts = countsOf(simulate(BELL, 1000));
    expect(Object.keys(counts).sort()).toEqual(["00", "11"]);
    expect((counts["00"] ?? 0) + (counts["11"] ?? 0)).toBe(1000);
    // σ ≈ 15.8; 100 is over six σ.
    expect(Math.abs((counts["00"] ?? 0) - 500)).toBeLessThan(100);
  });

  test.each([3, 5])("GHZ on %i qubits gives only all-zeros and all-ones", (n) => {
    const counts = countsOf(simulate(ghz(n), 2000));
    expect(Object.keys(counts).sort()).toEqual(["0".repeat(n), "1".repeat(n)]);
    expect(Math.abs((counts["0".repeat(n)] ?? 0) - 1000)).toBeLessThan(150);
  });

  test("QFT of a basis state is uniform over all outcomes", () => {
    const n = 3;
    const counts = countsOf(simulate(qasm(`qreg q[${n}];\ncreg c[${n}];\n${basisPrep(n, 5)}\n${qftBody(n)}\nmeasure q -> c;`), 8000));
    expect(Object.keys(counts)).toHaveLength(8);
    let chi2 = 0;
    for (let x = 0; x < 8; x++) {
      const observed = counts[bits(n, x)] ?? 0;
      expect(Math.abs(observed - 1000)).toBeLessThan(150);
      chi2 += (observed - 1000) ** 2 / 1000;
    }
    // 7 degrees of freedom: P(χ² > 29) < 0.0002.
    expect(chi2).toBeLessThan(29);
  });

  test.each([0, 3, 6, 11])("inverse QFT reads back the phase ramp of basis state %i exactly", (x) => {
    // Prepare QFT|x> in product form, qubit j carrying e^{2πi x 2^j / N}; the inverse QFT
    // must return |x> with certainty, which fails if any controlled phase is off.
    const n = 4;
    const prep = Array.from({ length: n }, (_, j) => `h q[${j}];\nu1(${(2 * Math.PI * x * 2 ** j) / 2 ** n}) q[${j}];`).join("\n");
    const counts = countsOf(simulate(qasm(`qreg q[${n}];\ncreg c[${n}];\n${prep}\n${inverseQftBody(n)}\nmeasure q -> c;`), 200));
    expect(counts).toEqual({ [bits(n, x)]: 200 });
  });

  test("QFT followed by a deterministic product-state check matches the ramp", () => {
    // QFT|x> then undoing the per-qubit phases and Hadamards must give |0...0>.
    const n = 3;
    const x = 6;
    const undo = Array.from({ length: n }, (_, j) => `u1(${-(2 * Math.PI * x * 2 ** j) / 2 ** n}) q[${j}];\nh q[${j}];`).join("\n");
    const counts = countsOf(simulate(qasm(`qreg q[${n}];\ncreg c[${n}];\n${basisPrep(n, x)}\n${qftBody(n)}\n${undo}\nmeasure q -> c;`), 100));
    expect(counts).toEqual({ "000": 100 });
  });
});

describe("gate semantics", () => {
  const single = (body: string, shots = 64): Record<string, number> => countsOf(simulate(qasm(body), shots));

  test("phase gates compose: H S S H is X, H T T T T H is X, H Sdg S H is identity", () => {
    expect(single("qreg q[1];\ncreg c[1];\nh q[0];\ns q[0];\ns q[0];\nh q[0];\nmeasure q -> c;")).toEqual({ "1": 64 });
    expect(single("qreg q[1];\ncreg c[1];\nh q[0];\nt q[0];\nt q[0];\nt q[0];\nt q[0];\nh q[0];\nmeasure q -> c;")).toEqual({ "1": 64 });
    expect(single("qreg q[1];\ncreg c[1];\nh q[0];\nsdg q[0];\ns q[0];\nh q[0];\nmeasure q -> c;")).toEqual({ "0": 64 });
  });

  test("rotations: rx(pi), ry(pi), u3(pi,0,pi) and U(pi,0,pi) flip; sx twice is x", () => {
    for (const g of ["rx(pi)", "ry(pi)", "u3(pi,0,pi)", "U(pi,0,pi)", "u(pi,0,pi)"]) {
      expect(single(`qreg q[1];\ncreg c[1];\n${g} q[0];\nmeasure q -> c;`)).toEqual({ "1": 64 });
    }
    expect(single("qreg q[1];\ncreg c[1];\nsx q[0];\nsx q[0];\nmeasure q -> c;")).toEqual({ "1": 64 });
    expect(single("qreg q[1];\ncreg c[1];\nsx q[0];\nsxdg q[0];\nmeasure q -> c;")).toEqual({ "0": 64 });
  });

  test("controlled phases kick back onto the control: cu1(pi), cz, crz(pi), cu3(0,0,pi)", () => {
    for (const g of ["cu1(pi) q[0],q[1];", "cz q[0],q[1];", "cp(pi) q[0],q[1];", "cu3(0,0,pi) q[0],q[1];"]) {
      expect(single(`qreg q[2];\ncreg c[1];\nx q[1];\nh q[0];\n${g}\nh q[0];\nmeasure q[0] -> c[0];`)).toEqual({ "1": 64 });
    }
    // crz(pi) on a |1> target is diag(-i, i) relative to the control: a phase of i, not -1.
    const crz = single("qreg q[2];\ncreg c[1];\nx q[1];\nh q[0];\ncrz(pi) q[0],q[1];\nh q[0];\nmeasure q[0] -> c[0];", 4000);
    expect(Math.abs((crz["0"] ?? 0) - 2000)).toBeLessThan(250);
    // The same kick-back through crz(2*pi) is exactly -1.
    expect(single("qreg q[2];\ncreg c[1];\nx q[1];\nh q[0];\ncrz(2*pi) q[0],q[1];\nh q[0];\nmeasure q[0] -> c[0];")).toEqual({ "1": 64 });
  });

  test("ccx, cswap and swap follow their truth tables", () => {
    expect(single("qreg q[3];\ncreg c[3];\nx q[0];\nx q[1];\nccx q[0],q[1],q[2];\nmeasure q -> c;")).toEqual({ "111": 64 });
    expect(single("qreg q[3];\ncreg c[3];\nx q[0];\nccx q[0],q[1],q[2];\nmeasure q -> c;")).toEqual({ "001": 64 });
    expect(single("qreg q[2];\ncreg c[2];\nx q[0];\nswap q[0],q[1];\nmeasure q -> c;")).toEqual({ "10": 64 });
    expect(single("qreg q[3];\ncreg c[3];\nx q[0];\nx q[1];\ncswap q[0],q[1],q[2];\nmeasure q -> c;")).toEqual({ "101": 64 });
    expect(single("qreg q[3];\ncreg c[3];\nx q[1];\ncswap q[0],q[1],q[2];\nmeasure q -> c;")).toEqual({ "010": 64 });
  });

  test("ch, cy, crx, cry act only when the control is set", () => {
    expect(single("qreg q[2];\ncreg c[2];\nch q[0],q[1];\ncy q[0],q[1];\ncrx(pi) q[0],q[1];\ncry(pi) q[0],q[1];\nmeasure q -> c;")).toEqual({ "00": 64 });
    expect(single("qreg q[2];\ncreg c[2];\nx q[0];\ncy q[0],q[1];\nmeasure q -> c;")).toEqual({ "11": 64 });
    expect(single("qreg q[2];\ncreg c[2];\nx q[0];\ncrx(pi) q[0],q[1];\nmeasure q -> c;")).toEqual({ "11": 64 });
    const ch = single("qreg q[2];\ncreg c[2];\nx q[0];\nch q[0],q[1];\nmeasure q -> c;", 2000);
    expect(Object.keys(ch).sort()).toEqual(["01", "11"]);
  });

  test("rzz is a parity phase: between Hadamards it flips both qubits at pi", () => {
    expect(single("qreg q[2];\ncreg c[2];\nh q[0];\nh q[1];\nrzz(pi) q[0],q[1];\nh q[0];\nh q[1];\nmeasure q -> c;")).toEqual({ "11": 64 });
  });

  test("user gate definitions inline with their parameters, and broadcast over registers", () => {
    const source = qasm(`
gate flip(theta) a { u3(theta, -pi/2, pi/2) a; }
gate bell a, b { h a; cx a, b; }
gate double_flip(t) a, b { flip(t) a; flip(t) b; }
qreg q[2];
qreg r[2];
creg c[2];
creg d[2];
double_flip(pi) q[0], q[1];
bell r[0], r[1];
measure q -> c;
measure r -> d;
`);
    const counts = countsOf(simulate(source, 400));
    expect(Object.keys(counts).sort()).toEqual(["00 11", "11 11"]);
  });

  test("register broadcasting applies a gate elementwise", () => {
    expect(countsOf(simulate(qasm("qreg a[3];\nqreg b[3];\ncreg c[3];\nx a;\ncx a, b;\nmeasure b -> c;"), 32))).toEqual({ "111": 32 });
  });

  test("bitstrings put the last creg leftmost, highest bit first", () => {
    expect(countsOf(simulate(qasm("qreg q[3];\ncreg lo[1];\ncreg hi[2];\nx q[0];\nx q[2];\nmeasure q[0] -> lo[0];\nmeasure q[1] -> hi[0];\nmeasure q[2] -> hi[1];"), 8))).toEqual({ "10 1": 8 });
  });
});

describe("mid-circuit measurement, reset and conditions", () => {
  test("reset returns a qubit to |0> whatever its state", () => {
    expect(countsOf(simulate(qasm("qreg q[1];\ncreg c[1];\nh q[0];\nreset q[0];\nmeasure q -> c;"), 200))).toEqual({ "0": 200 });
  });

  test("if(c==1) applies the correction only on the branch it names", () => {
    const source = qasm("qreg q[2];\ncreg c[1];\ncreg d[1];\nh q[0];\nmeasure q[0] -> c[0];\nif(c==1) x q[1];\nmeasure q[1] -> d[0];");
    const counts = countsOf(simulate(source, 1000));
    expect(Object.keys(counts).sort()).toEqual(["0 0", "1 1"]);
  });

  test("measuring twice gives the same answer: the state collapsed", () => {
    const counts = countsOf(simulate(qasm("qreg q[1];\ncreg c[2];\nh q[0];\nmeasure q[0] -> c[0];\nmeasure q[0] -> c[1];"), 500));
    expect(Object.keys(counts).sort()).toEqual(["00", "11"]);
  });
});

describe("determinism", () => {
  test("the same seed gives identical counts and per-shot outcomes", () => {
    const a = simulate(ghz(4), 1000, 99n, true);
    const b = simulate(ghz(4), 1000, 99n, true);
    expect(a).toEqual(b);
    expect(a.per_shot).toHaveLength(1000);
  });

  test("different seeds give different shot sequences", () => {
    const outcomes = [1n, 2n, 3n].map((seed) => simulate(BELL, 1000, seed, true));
    expect(outcomes[0]?.per_shot).not.toEqual(outcomes[1]?.per_shot);
    expect(outcomes[1]?.per_shot).not.toEqual(outcomes[2]?.per_shot);
    const distinctCounts = new Set(outcomes.map((o) => JSON.stringify(o.counts)));
    expect(distinctCounts.size).toBeGreaterThan(1);
  });

  test("per-shot outcomes agree with the counts", () => {
    const o = simulate(BELL, 300, 5n, true);
    const tally: Record<string, number> = {};
    for (const s of o.per_shot ?? []) tally[s] = (tally[s] ?? 0) + 1;
    expect(tally).toEqual(countsOf(o));
  });
});

describe("pseudo-random generators match their reference definitions", () => {
  test("SplitMix64 from state 0", () => {
    let state = 0n;
    const outputs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const step = splitmix64(state);
      state = step.state;
      outputs.push(step.output.toString(16).padStart(16, "0"));
    }
    expect(outputs).toEqual(["e220a8397b1dcdaf", "6e789e6aa1b965f4", "06c45d188009454f"]);
  });

  test("xoshiro128** seeded through SplitMix64 matches a C build of the reference", () => {
    const take = (seed: bigint): number[] => {
      const g = new Xoshiro128StarStar(seed);
      return Array.from({ length: 5 }, () => g.nextUint32());
    };
    expect(take(42n)).toEqual([1776835114, 4165204688, 17111135, 2317295270, 2792088233]);
    expect(take(0xdeadbeefcafebaben)).toEqual([2306019369, 2612752571, 2283903557, 601034383, 1745798403]);
  });

  test("nextDouble stays in [0, 1) and nextBelow has no bias at a small bound", () => {
    const g = new Xoshiro128StarStar(7n);
    const hist = [0, 0, 0];
    for (let i = 0; i < 30000; i++) {
      const d = g.nextDouble();
      expect(d >= 0 && d < 1).toBe(true);
      hist[g.nextBelow(3)]! += 1;
    }
    for (const h of hist) expect(Math.abs(h - 10000)).toBeLessThan(400);
  });
});
