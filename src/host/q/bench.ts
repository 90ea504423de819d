/**
 * Simulator benchmark: random and QFT circuits at 16–26 qubits, timed three ways in the same
 * run on the same gate list:
 *
 *  - dplc: the provider's passes (fusion, diagonal runs, subspace kernels);
 *  - a plain-JS reference: one loop per gate over the whole index range, testing the
 *    controls on every index, as a straightforward simulator does;
 *  - a C reference with the same loops, compiled with `cc -O2` when a C compiler exists.
 *
 * Effective bandwidth is the state bytes the gates must read and write (16 bytes per
 * amplitude, each way) over the time; the machine's figure is measured here too, as an
 * in-place read-modify-write of a state-sized pair of arrays (what a gate pass is).
 *
 * This file reads the wall clock, which the simulator never does: timing is what it
 * measures, and nothing it measures feeds back into a run.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { planGates, runPasses, unfusedPasses, type GateOp, type Pass } from "./plan.js";
import { QProvider } from "./provider.js";
import { compileQasm, type CompiledCircuit, type Op } from "./qasm-compile.js";
import { maskQubits, StateVector } from "./statevector.js";
import { SeedKeys, Xoshiro128StarStar } from "../random/prng.js";

export interface QSimCase {
  readonly name: string;
  readonly qubits: number;
  readonly gates: number;
  /** Passes over the state after fusion, and before (one per gate primitive). */
  readonly passes: number;
  readonly unfusedPasses: number;
  readonly dplcSeconds: number;
  readonly jsSeconds: number;
  readonly cSeconds: number | null;
  /** GB/s of state traffic the gates require one by one, at dplc's speed. */
  readonly dplcGBps: number;
  /** GB/s dplc's own (fused) passes actually move. */
  readonly dplcPassGBps: number;
  readonly cGBps: number | null;
}

/** A circuit with mid-circuit measurement, reset or `if`: every shot follows its own history. */
export interface PerShotCase {
  readonly name: string;
  readonly qubits: number;
  readonly shots: number;
  readonly dplcSeconds: number;
  /** The same shots one at a time from a copy of the unitary prefix, gate by gate. */
  readonly referenceSeconds: number;
}

export interface QSimBenchReport {
  readonly cases: readonly QSimCase[];
  readonly perShot: readonly PerShotCase[];
  /** In-place read-modify-write over two Float64Arrays of 2^24 entries, best of 3. */
  readonly machineGBps: number;
  readonly compiler: string | null;
}

const HEADER = 'OPENQASM 2.0;\ninclude "qelib1.inc";\n';

/** Layers of random single-qubit rotations, each followed by CXs on a random pairing. */
export function randomCircuit(n: number, layers: number, seed = 1n): string {
  const rng = new Xoshiro128StarStar(seed);
  const a = (): string => (rng.nextDouble() * 2 * Math.PI).toFixed(6);
  const lines = [`qreg q[${n}];`];
  for (let l = 0; l < layers; l++) {
    for (let q = 0; q < n; q++) lines.push(`u3(${a()},${a()},${a()}) q[${q}];`);
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.nextBelow(i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (let i = 0; i + 1 < n; i += 2) lines.push(`cx q[${order[i]}],q[${order[i + 1]}];`);
  }
  return HEADER + lines.join("\n") + "\n";
}

/** The textbook QFT: H and controlled phases per qubit, then the reversing swaps. */
export function qftCircuit(n: number): string {
  const lines = [`qreg q[${n}];`, "x q[0];"];
  for (let j = n - 1; j >= 0; j--) {
    lines.push(`h q[${j}];`);
    for (let k = j - 1; k >= 0; k--) lines.push(`cu1(pi/${2 ** (j - k)}) q[${k}],q[${j}];`);
  }
  for (let i = 0; i < Math.floor(n / 2); i++) lines.push(`swap q[${i}],q[${n - 1 - i}];`);
  return HEADER + lines.join("\n") + "\n";
}

function gatesOf(source: string): { qubits: number; gates: GateOp[] } {
  const c = compileQasm(source, { maxOps: 10_000_000 });
  return { qubits: c.qubits, gates: c.ops.filter((op) => op.kind === "gate") as GateOp[] };
}

/** Amplitudes a pass must read and write, whatever the order it visits them in. */
function touched(p: Pass, n: number): number {
  const controls = (mask: number): number => maskQubits(mask).length;
  switch (p.kind) {
    case "unitary": {
      const k = controls(p.mask);
      const diagonal = p.matrix[2] === 0 && p.matrix[3] === 0 && p.matrix[4] === 0 && p.matrix[5] === 0;
      if (!diagonal) return 2 ** (n - k);
      const one = (re: number, im: number): number => (re === 1 && im === 0 ? 0 : 2 ** (n - k - 1));
      return one(p.matrix[0] as number, p.matrix[1] as number) + one(p.matrix[6] as number, p.matrix[7] as number);
    }
    case "swap":
      return 2 ** (n - 1 - controls(p.mask));
    case "parity-phase":
      return 2 ** (n - 1);
    case "xx-rotation":
    case "unitary2":
    case "diagonal-run":
      return 2 ** n;
  }
}

const trafficBytes = (passes: readonly Pass[], n: number): number => passes.reduce((sum, p) => sum + touched(p, n) * 32, 0);

/** The plain-JS reference: every gate a loop over all pairs, controls tested per index. */
function referenceRun(n: number, passes: readonly Pass[]): void {
  const size = 2 ** n;
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  re[0] = 1;
  for (const p of passes) {
    if (p.kind === "unitary") {
      const m = p.matrix;
      const bit = 1 << p.target;
      for (let i = 0; i < size; i++) {
        if ((i & bit) !== 0 || (i & p.mask) !== p.value) continue;
        const j = i | bit;
        const xr = re[i] as number, xi = im[i] as number, yr = re[j] as number, yi = im[j] as number;
        re[i] = (m[0] as number) * xr - (m[1] as number) * xi + (m[2] as number) * yr - (m[3] as number) * yi;
        im[i] = (m[0] as number) * xi + (m[1] as number) * xr + (m[2] as number) * yi + (m[3] as number) * yr;
        re[j] = (m[4] as number) * xr - (m[5] as number) * xi + (m[6] as number) * yr - (m[7] as number) * yi;
        im[j] = (m[4] as number) * xi + (m[5] as number) * xr + (m[6] as number) * yi + (m[7] as number) * yr;
      }
    } else if (p.kind === "swap") {
      const ba = 1 << p.a;
      const bb = 1 << p.b;
      for (let i = 0; i < size; i++) {
        if ((i & ba) === 0 || (i & bb) !== 0 || (i & p.mask) !== p.mask) continue;
        const j = (i & ~ba) | bb;
        const tr = re[i] as number, ti = im[i] as number;
        re[i] = re[j] as number;
        im[i] = im[j] as number;
        re[j] = tr;
        im[j] = ti;
      }
    } else {
      throw new Error(`the reference loop has no ${p.kind}`);
    }
  }
}

/** The same loops in C; timed inside the program, so process start-up is not counted. */
const C_SOURCE = String.raw`
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
int main(int argc, char **argv) {
  FILE *f = fopen(argv[1], "r");
  int n, count;
  if (fscanf(f, "%d %d", &n, &count) != 2) return 2;
  long size = 1L << n;
  char *kind = malloc(count); long *a = malloc(count * sizeof(long)), *b = malloc(count * sizeof(long));
  long *mask = malloc(count * sizeof(long)), *value = malloc(count * sizeof(long));
  double *m = malloc(count * 8 * sizeof(double));
  for (int g = 0; g < count; g++) {
    char k;
    if (fscanf(f, " %c %ld %ld %ld %ld", &k, &a[g], &b[g], &mask[g], &value[g]) != 5) return 2;
    kind[g] = k;
    for (int e = 0; e < 8; e++) if (fscanf(f, "%lf", &m[g * 8 + e]) != 1) return 2;
  }
  double *re = calloc(size, sizeof(double)), *im = calloc(size, sizeof(double));
  re[0] = 1;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int g = 0; g < count; g++) {
    const double *u = &m[g * 8];
    if (kind[g] == 'U') {
      long bit = 1L << a[g];
      for (long i = 0; i < size; i++) {
        if ((i & bit) || (i & mask[g]) != value[g]) continue;
        long j = i | bit;
        double xr = re[i], xi = im[i], yr = re[j], yi = im[j];
        re[i] = u[0] * xr - u[1] * xi + u[2] * yr - u[3] * yi;
        im[i] = u[0] * xi + u[1] * xr + u[2] * yi + u[3] * yr;
        re[j] = u[4] * xr - u[5] * xi + u[6] * yr - u[7] * yi;
        im[j] = u[4] * xi + u[5] * xr + u[6] * yi + u[7] * yr;
      }
    } else {
      long ba = 1L << a[g], bb = 1L << b[g];
      for (long i = 0; i < size; i++) {
        if (!(i & ba) || (i & bb) || (i & mask[g]) != mask[g]) continue;
        long j = (i & ~ba) | bb;
        double tr = re[i], ti = im[i];
        re[i] = re[j]; im[i] = im[j]; re[j] = tr; im[j] = ti;
      }
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double check = 0;
  for (long i = 0; i < size; i++) check += re[i] * re[i] + im[i] * im[i];
  printf("%.6f %.12f\n", (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, check);
  return 0;
}
`;

interface CReference {
  readonly compiler: string;
  run(n: number, passes: readonly Pass[]): number;
}

function cReference(dir: string): CReference | null {
  const src = join(dir, "qref.c");
  const exe = join(dir, "qref");
  writeFileSync(src, C_SOURCE);
  for (const cc of ["cc", "gcc", "clang"]) {
    const built = spawnSync(cc, ["-O2", "-march=native", "-o", exe, src], { encoding: "utf8" });
    if (built.status !== 0) continue;
    const version = spawnSync(cc, ["--version"], { encoding: "utf8" }).stdout.split("\n")[0] ?? cc;
    return {
      compiler: `${version.trim()} -O2 -march=native`,
      run(n, passes) {
        const lines = [`${n} ${passes.length}`];
        for (const p of passes) {
          if (p.kind === "unitary") lines.push(`U ${p.target} 0 ${p.mask} ${p.value} ${Array.from(p.matrix).join(" ")}`);
          else if (p.kind === "swap") lines.push(`S ${p.a} ${p.b} ${p.mask} ${p.mask} 0 0 0 0 0 0 0 0`);
          else throw new Error(`the C reference has no ${p.kind}`);
        }
        const list = join(dir, "gates.txt");
        writeFileSync(list, lines.join("\n") + "\n");
        const r = spawnSync(exe, [list], { encoding: "utf8" });
        if (r.status !== 0) throw new Error(`C reference failed: ${r.stderr}`);
        const [seconds, norm] = r.stdout.trim().split(" ").map(Number);
        if (!(Math.abs((norm as number) - 1) < 1e-9)) throw new Error(`C reference lost the norm: ${norm}`);
        return seconds as number;
      },
    };
  }
  return null;
}

/** QASMBench medium circuits with mid-circuit measurement, shipped as test data. */
const PER_SHOT_DIR = new URL("../../../test/data/qasm/qasmbench-medium/", import.meta.url);

/** The straightforward per-shot simulator: copy the prefix state, run the rest gate by gate. */
function perShotReference(circuit: CompiledCircuit, shots: number, seed: bigint): void {
  const rng = new SeedKeys(seed).stream("q-job", 1n);
  let split = 0;
  while (split < circuit.ops.length && (circuit.ops[split] as Op).kind === "gate") split++;
  const prefix = new StateVector(circuit.qubits);
  runPasses(prefix, unfusedPasses(circuit.ops.slice(0, split) as GateOp[]));
  const rest = circuit.ops.slice(split);
  const compiled = new Map<Op, Pass[]>();
  const passesOf = (op: Op): Pass[] => {
    let p = compiled.get(op);
    if (!p) compiled.set(op, (p = unfusedPasses([op as GateOp])));
    return p;
  };
  const sv = new StateVector(circuit.qubits);
  const bits = new Uint8Array(circuit.clbits);
  const run = (op: Op): void => {
    if (op.kind === "gate") runPasses(sv, passesOf(op));
    else if (op.kind === "measure") bits[op.clbit] = sv.measure(op.qubit, rng.nextDouble());
    else if (op.kind === "reset") sv.reset(op.qubit, rng.nextDouble());
    else if (op.kind === "cond") {
      let value = 0n;
      for (let b = op.size - 1; b >= 0; b--) value = value * 2n + BigInt(bits[op.offset + b] as number);
      if (value === op.value) op.ops.forEach(run);
    }
  };
  for (let s = 0; s < shots; s++) {
    sv.copyFrom(prefix);
    bits.fill(0);
    rest.forEach(run);
  }
}

function perShotCases(shots: number): PerShotCase[] {
  const out: PerShotCase[] = [];
  for (const name of ["seca_n11", "cc_n12"]) {
    const file = new URL(`${name}.qasm`, PER_SHOT_DIR);
    if (!existsSync(file)) continue;
    const provider = new QProvider({ maxQubits: 30 });
    const compiled = provider.compile(readFileSync(file, "utf8"));
    if (!compiled.ok) throw new Error(`${name}: ${compiled.message}`);
    const circuit = compiled.circuit;
    let t = performance.now();
    provider.execute(circuit, shots, new SeedKeys(1n).stream("q-job", 1n), false);
    const dplcSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    perShotReference(circuit, shots, 1n);
    const referenceSeconds = (performance.now() - t) / 1000;
    out.push({ name, qubits: circuit.qubits, shots, dplcSeconds, referenceSeconds });
  }
  return out;
}

function machineBandwidth(): number {
  const size = 2 ** 24;
  const re = new Float64Array(size).fill(1);
  const im = new Float64Array(size).fill(0.5);
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    for (let i = 0; i < size; i++) {
      const x = re[i] as number;
      const y = im[i] as number;
      re[i] = x * 0.6 - y * 0.8;
      im[i] = x * 0.8 + y * 0.6;
    }
    best = Math.min(best, performance.now() - t);
  }
  return (size * 32) / (best / 1000) / 1e9;
}

export interface QSimBenchOptions {
  /** Widths to run; the default stops at 24 qubits (a 256 MiB state). */
  readonly widths?: readonly number[];
  readonly randomLayers?: number;
  readonly withC?: boolean;
  /** Shots for the per-shot circuits. */
  readonly shots?: number;
}

export function runQSimBench(options: QSimBenchOptions = {}): QSimBenchReport {
  const widths = options.widths ?? [16, 20, 24];
  const layers = options.randomLayers ?? 10;
  const dir = mkdtempSync(join(tmpdir(), "dplc-qsim-bench-"));
  try {
    const c = options.withC === false ? null : cReference(dir);
    const cases: QSimCase[] = [];
    const machineGBps = machineBandwidth();
    // Warm-up: every kernel compiled by the JIT before anything is timed.
    for (const source of [randomCircuit(12, 3), qftCircuit(12)]) {
      const { qubits, gates } = gatesOf(source);
      runPasses(new StateVector(qubits), planGates(gates));
      referenceRun(qubits, unfusedPasses(gates));
    }
    for (const n of widths) {
      for (const [name, source] of [
        [`random, ${layers} layers`, randomCircuit(n, layers)],
        ["QFT", qftCircuit(n)],
      ] as const) {
        const { qubits, gates } = gatesOf(source);
        const reference = unfusedPasses(gates);
        let t = performance.now();
        const passes = planGates(gates);
        const sv = new StateVector(qubits);
        runPasses(sv, passes);
        const dplcSeconds = (performance.now() - t) / 1000;
        const norm = sv.normSquared();
        if (!(Math.abs(norm - 1) < 1e-9)) throw new Error(`benchmark state lost its norm: ${norm}`);
        t = performance.now();
        referenceRun(qubits, reference);
        const jsSeconds = (performance.now() - t) / 1000;
        const cSeconds = c ? c.run(qubits, reference) : null;
        const bytes = trafficBytes(reference, qubits);
        cases.push({
          name,
          qubits,
          gates: gates.length,
          passes: passes.length,
          unfusedPasses: reference.length,
          dplcSeconds,
          jsSeconds,
          cSeconds,
          dplcGBps: bytes / dplcSeconds / 1e9,
          dplcPassGBps: trafficBytes(passes, qubits) / dplcSeconds / 1e9,
          cGBps: cSeconds === null ? null : bytes / cSeconds / 1e9,
        });
      }
    }
    return { cases, perShot: perShotCases(options.shots ?? 8192), machineGBps, compiler: c?.compiler ?? null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatQSimBench(r: QSimBenchReport): { what: string; value: string }[] {
  const f = (x: number, d = 2): string => x.toFixed(d);
  const rows = [{ what: "Q simulator: machine bandwidth (in-place pass)", value: `${f(r.machineGBps, 1)} GB/s` }];
  for (const c of r.cases) {
    const vsC = c.cSeconds === null ? "no C compiler" : `C ${f(c.cSeconds)} s (dplc/C ${f(c.dplcSeconds / c.cSeconds)}×, C ${f(c.cGBps ?? 0, 1)} GB/s)`;
    rows.push({
      what: `Q simulator: ${c.name}, ${c.qubits} qubits (${c.gates} gates → ${c.passes} passes)`,
      value: `dplc ${f(c.dplcSeconds)} s, ${f(c.dplcGBps, 1)} GB/s effective (gate-by-gate traffic), passes move ${f(c.dplcPassGBps, 1)} GB/s (${f((100 * c.dplcPassGBps) / r.machineGBps, 0)}% of machine); plain JS ${f(c.jsSeconds)} s (dplc/JS ${f(c.dplcSeconds / c.jsSeconds)}×); ${vsC}`,
    });
  }
  for (const c of r.perShot) {
    rows.push({
      what: `Q simulator: ${c.name} (QASMBench, mid-circuit measurement), ${c.qubits} qubits, ${c.shots} shots`,
      value: `dplc ${f(c.dplcSeconds, 3)} s (branch sampling); shot-by-shot reference ${f(c.referenceSeconds, 2)} s (${f(c.referenceSeconds / c.dplcSeconds, 0)}× slower)`,
    });
  }
  if (r.compiler) rows.push({ what: "Q simulator: C reference compiler", value: r.compiler });
  return rows;
}
