/**
 * Micro-benchmark: compute-heavy loops written the way the emitter will emit them (checked
 * runtime arithmetic, `Vec` with usize indices) against the same loops hand-written in
 * plain TypeScript. The ratio checked/plain is what the "within 3× of hand-written
 * TypeScript" target is about. `npm run bench` prints `formatRuntimeBench(runRuntimeBench())`.
 *
 * Each pair computes the same answer; `runRuntimeBench` checks that, so a broken runtime
 * cannot produce a flattering number.
 */
import { type Site, site, i32, u32, u64, usize, Vec } from "#runtime";

const S: Site = site("bench.ds", 1, 1);

// ---- collatz: u64 arithmetic (mul, add, div, rem) in a data-dependent loop ----

function collatzChecked(limit: bigint): bigint {
  let best = 0n;
  for (let n = 1n; n < limit; n = u64.add(n, 1n, S)) {
    let x = n;
    let steps = 0n;
    while (x !== 1n) {
      x = u64.rem(x, 2n, S) === 0n ? u64.div(x, 2n, S) : u64.add(u64.mul(x, 3n, S), 1n, S);
      steps = u64.add(steps, 1n, S);
    }
    if (steps > best) best = steps;
  }
  return best;
}

function collatzPlainBigint(limit: bigint): bigint {
  let best = 0n;
  for (let n = 1n; n < limit; n += 1n) {
    let x = n;
    let steps = 0n;
    while (x !== 1n) {
      x = x % 2n === 0n ? x / 2n : x * 3n + 1n;
      steps += 1n;
    }
    if (steps > best) best = steps;
  }
  return best;
}

function collatzPlainNumber(limit: number): number {
  let best = 0;
  for (let n = 1; n < limit; n++) {
    let x = n;
    let steps = 0;
    while (x !== 1) {
      x = x % 2 === 0 ? x / 2 : x * 3 + 1;
      steps++;
    }
    if (steps > best) best = steps;
  }
  return best;
}

// ---- sieve: Vec<bool> indexed by usize ----

function sieveChecked(limit: usize): usize {
  const marks = Vec.from_elem(true, limit);
  let count: usize = 0;
  for (let i: usize = 2; i < limit; i = usize.add(i, 1, S)) {
    if (marks.at(i, S)) {
      count = usize.add(count, 1, S);
      for (let j = usize.mul(i, i, S); j < limit; j = usize.add(j, i, S)) marks.set(j, false, S);
    }
  }
  return count;
}

/** The same DPL loop after the emitter narrows range-bounded indices to numbers. */
function sieveNarrowed(limit: usize): usize {
  const marks = Vec.from_elem(true, limit);
  const n = Number(limit);
  let count: usize = 0;
  for (let i = 2; i < n; i++) {
    if (marks.atN(i, S)) {
      count = usize.add(count, 1, S);
      for (let j = i * i; j < n; j += i) marks.setN(j, false, S);
    }
  }
  return count;
}

function sievePlain(limit: number): number {
  const marks = new Array<boolean>(limit).fill(true);
  let count = 0;
  for (let i = 2; i < limit; i++) {
    if (marks[i]) {
      count++;
      for (let j = i * i; j < limit; j += i) marks[j] = false;
    }
  }
  return count;
}

// ---- mix: i32/u32 arithmetic, shifts and wrapping multiplication ----

function mixChecked(rounds: number): number {
  let h = 0x811c9dc5;
  let acc = 0;
  for (let i = 0; i < rounds; i = i32.add(i, 1, S)) {
    h = u32.wrapping_mul(u32.xor(h, u32.wrap(i)), 0x01000193);
    const v = i32.rem(i32.wrap(h), 1000, S);
    acc = i32.rem(i32.add(i32.mul(acc, 31, S), v, S), 1_000_003, S);
  }
  return acc;
}

function mixPlain(rounds: number): number {
  let h = 0x811c9dc5;
  let acc = 0;
  for (let i = 0; i < rounds; i++) {
    h = Math.imul(h ^ i, 0x01000193) >>> 0;
    const v = (h | 0) % 1000;
    acc = (acc * 31 + v) % 1_000_003;
  }
  return acc;
}

export interface RuntimeBenchCase {
  readonly name: string;
  /** What the checked version is compared with. */
  readonly baseline: string;
  readonly checkedMs: number;
  readonly plainMs: number;
  /** checkedMs / plainMs. */
  readonly ratio: number;
}

export interface RuntimeBenchReport {
  readonly cases: readonly RuntimeBenchCase[];
  /** Geometric mean of the ratios. */
  readonly geomean: number;
}

export interface RuntimeBenchOptions {
  /** Multiplies every workload's size (default 1: about a second in total). */
  readonly scale?: number;
  /** Timed runs per side; the fastest counts (default 3). */
  readonly repeat?: number;
}

function fastest(run: () => unknown, repeat: number): { ms: number; result: unknown } {
  let result = run(); // warm-up, and the answer to compare
  let ms = Infinity;
  for (let k = 0; k < repeat; k++) {
    const start = performance.now();
    result = run();
    ms = Math.min(ms, performance.now() - start);
  }
  return { ms, result };
}

export function runRuntimeBench(options: RuntimeBenchOptions = {}): RuntimeBenchReport {
  const scale = options.scale ?? 1;
  const repeat = options.repeat ?? 3;
  const collatzN = Math.round(100_000 * scale);
  const sieveN = Math.round(1_000_000 * scale);
  const mixN = Math.round(3_000_000 * scale);
  const pairs: [string, string, () => unknown, () => unknown][] = [
    ["collatz u64", "plain bigint", () => collatzChecked(BigInt(collatzN)), () => collatzPlainBigint(BigInt(collatzN))],
    ["collatz u64", "plain number", () => collatzChecked(BigInt(collatzN)), () => BigInt(collatzPlainNumber(collatzN))],
    ["sieve Vec[usize]", "plain number[]", () => sieveChecked(sieveN), () => sievePlain(sieveN)],
    ["sieve Vec.atN (narrowed)", "plain number[]", () => sieveNarrowed(sieveN), () => sievePlain(sieveN)],
    ["mix i32/u32", "plain number", () => mixChecked(mixN), () => mixPlain(mixN)],
  ];
  const cases: RuntimeBenchCase[] = [];
  for (const [name, baseline, checked, plain] of pairs) {
    const c = fastest(checked, repeat);
    const p = fastest(plain, repeat);
    if (c.result !== p.result) throw new Error(`bench ${name}: checked gave ${String(c.result)}, plain gave ${String(p.result)}`);
    cases.push({ name, baseline, checkedMs: c.ms, plainMs: p.ms, ratio: c.ms / p.ms });
  }
  const geomean = Math.exp(cases.reduce((s, c) => s + Math.log(c.ratio), 0) / cases.length);
  return { cases, geomean };
}

export function formatRuntimeBench(report: RuntimeBenchReport): string {
  const rows = report.cases.map((c) => [c.name, c.baseline, c.checkedMs.toFixed(1), c.plainMs.toFixed(1), `${c.ratio.toFixed(2)}×`]);
  const header = ["runtime workload", "baseline", "checked ms", "plain ms", "ratio"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ");
  return [line(header), ...rows.map(line), `geometric mean ratio: ${report.geomean.toFixed(2)}×`].join("\n") + "\n";
}
