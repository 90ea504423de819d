/**
 * Figures for the emitter (for `npm run bench`): how long `dplc build` takes on a corpus,
 * and how fast emitted code runs against the same algorithm written directly in
 * TypeScript. Figures, not pass/fail.
 *
 * The compute benchmark is `fixtures/run/bench/compute_heavy.ds`: a prime sieve (usize,
 * Vec<bool>), Collatz chains (u64) and a float matrix product (f64, Vec<f64>). The
 * baseline below is what a TypeScript programmer would write for the same algorithm:
 * `number` everywhere, plain arrays, no overflow checks.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildProgram, writeBuild } from "../compiler/build.js";
import { sourceFromText } from "../compiler/sources.js";
import type { SourceFile } from "../syntax/source.js";
import { PACKAGE_ROOT } from "../compiler/stdlib.js";

export interface BenchRow {
  readonly what: string;
  readonly value: string;
}

function sieveCount(n: number): number {
  const composite = new Array<boolean>(n + 1).fill(false);
  let count = 0;
  for (let i = 2; i <= n; i++) {
    if (!composite[i]) {
      count++;
      for (let j = i * i; j <= n; j += i) composite[j] = true;
    }
  }
  return count;
}

function longestCollatz(limit: number): [number, number] {
  let best = 0;
  let bestStart = 1;
  for (let start = 1; start < limit; start++) {
    let n = start;
    let steps = 0;
    while (n !== 1) {
      n = n % 2 === 0 ? n / 2 : 3 * n + 1;
      steps++;
    }
    if (steps > best) {
      best = steps;
      bestStart = start;
    }
  }
  return [bestStart, best];
}

function matrixTrace(size: number, rounds: number): number {
  let a = new Array<number>(size * size).fill(0);
  const b = new Array<number>(size * size).fill(0);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      a[i * size + j] = ((i + j) % 7) * 0.5;
      b[i * size + j] = ((i * j) % 5) - 1;
    }
  }
  let trace = 0;
  for (let r = 0; r < rounds; r++) {
    const c = new Array<number>(size * size).fill(0);
    for (let i = 0; i < size; i++) {
      for (let k = 0; k < size; k++) {
        const aik = a[i * size + k]!;
        for (let j = 0; j < size; j++) c[i * size + j]! += aik * b[k * size + j]!;
      }
    }
    for (let i = 0; i < size; i++) trace += c[i * size + i]!;
    a = c;
  }
  return trace;
}

/** The sieve as the fixture builds its table (a push per element), for comparison. */
function sieveCountPushed(n: number): number {
  const composite: boolean[] = [];
  for (let i = 0; i <= n; i++) composite.push(false);
  let count = 0;
  for (let i = 2; i <= n; i++) {
    if (!composite[i]) {
      count++;
      for (let j = i * i; j <= n; j += i) composite[j] = true;
    }
  }
  return count;
}

/** CPU time of one call, in ms (less disturbed than wall time on a loaded machine). */
function cpuMs(f: () => void): number {
  const t = process.cpuUsage();
  f();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Medians of `runs` interleaved runs of each function (after one warm-up run each). */
function interleaved(runs: number, fs: (() => void)[]): number[] {
  for (const f of fs) f();
  const times = fs.map((): number[] => []);
  for (let r = 0; r < runs; r++) fs.forEach((f, i) => times[i]!.push(cpuMs(f)));
  return times.map(median);
}

interface Emitted {
  sieve_count(n: number): number;
  longest_collatz(limit: number): readonly [number, number];
  matrix_trace(size: number, rounds: number): number;
}

/** CPU time of the compute fixture's three kernels, emitted vs hand-written (medians of `runs` interleaved runs, warm). */
export async function computeBench(runs = 11): Promise<BenchRow[]> {
  const file = join(PACKAGE_ROOT, "fixtures", "run", "bench", "compute_heavy.ds");
  const dir = mkdtempSync(join(tmpdir(), "dplc-compute-"));
  try {
    const r = await buildProgram([sourceFromText("compute_heavy.ds", readFileSync(file, "utf8"))], { profile: "user", allBlocks: false, js: true, outDir: dir });
    if (r.diagnostics.some((d) => d.severity === "error")) return [{ what: "compute benchmark", value: "the fixture does not check" }];
    const w = writeBuild(dir, r.files, [file]);
    if (!w.ok) return [{ what: "compute benchmark", value: w.error }];
    const m = (await import(pathToFileURL(join(dir, "compute_heavy.js")).href)) as Emitted;
    const rows: BenchRow[] = [];
    // The matrix at 100x100, 10 rounds (was 60x60, 3: ~5 ms, too short to time under load).
    const pairs: [string, () => void, () => void][] = [
      ["sieve below 10^6 (usize, Vec<bool>)", () => void m.sieve_count(1_000_000), () => void sieveCount(1_000_000)],
      ["Collatz below 10^5 (u64)", () => void m.longest_collatz(100_000), () => void longestCollatz(100_000)],
      ["100x100 matrix product x10 (f64)", () => void m.matrix_trace(100, 10), () => void matrixTrace(100, 10)],
    ];
    let te = 0;
    let tt = 0;
    for (const [what, emitted, ts] of pairs) {
      const [e, t] = interleaved(runs, [emitted, ts]) as [number, number];
      te += e;
      tt += t;
      rows.push({ what: `run: ${what}`, value: `emitted ${e.toFixed(1)} ms, TypeScript ${t.toFixed(1)} ms, ${(e / t).toFixed(2)}x` });
    }
    rows.push({ what: "run: compute fixture, total", value: `emitted ${te.toFixed(1)} ms, TypeScript ${tt.toFixed(1)} ms, ${(te / tt).toFixed(2)}x (goal: within 1.3x)` });
    // The fixture builds the sieve's table with a push per element, the TypeScript above with
    // one fill: the same table built the fixture's way, for what is left of the difference.
    const [e, t] = interleaved(runs, [() => void m.sieve_count(1_000_000), () => void sieveCountPushed(1_000_000)]) as [number, number];
    rows.push({ what: "run: sieve, TypeScript pushing as the fixture does", value: `emitted ${e.toFixed(1)} ms, TypeScript ${t.toFixed(1)} ms, ${(e / t).toFixed(2)}x` });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `dplc build` of a corpus in memory (check, emit, source maps; nothing written). */
export async function buildBench(sources: readonly SourceFile[], lines: number): Promise<BenchRow[]> {
  const t = performance.now();
  const r = await buildProgram(sources, { profile: "user", allBlocks: false, js: false, outDir: join(tmpdir(), "dplc-bench-build") });
  const ms = performance.now() - t;
  const ts = r.files.filter((f) => f.path.endsWith(".ts") && !f.path.startsWith("_dplc/")).length;
  return [{ what: "dplc build (check + emit + maps)", value: `${ms.toFixed(0)} ms for ${lines} lines, ${((lines / ms) * 1000 / 1000).toFixed(0)}k lines/s, ${ts} modules` }];
}
