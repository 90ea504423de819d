/**
 * The speed table of issue 16, in one run: `dplc check` against `tsc --noEmit --strict`
 * and tsgo (`@typescript/native-preview`) on comparable TypeScript at several sizes, a
 * one-line file cold, peak memory, `dplc build` against tsc's and tsgo's emit, the compute
 * fixture against hand-written TypeScript, and editor latency at several module sizes.
 *
 * Every process figure is a median over interleaved runs (dplc, tsc, tsgo, dplc, ...), so
 * a change of machine load hits all tools alike; times are the process's CPU time (user +
 * system, from GNU time when it is installed, else wall-clock time) and memory its peak
 * resident set. Figures, not pass/fail: on a shared machine, read the ratios.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { generateCorpus } from "./corpus.js";
import { generateTsModule } from "./corpus-ts.js";
import { computeBench } from "./compute.js";
import { benchLspLatency } from "./lsp-latency.js";
import { PACKAGE_ROOT } from "../compiler/stdlib.js";

export interface SpeedOptions {
  /** Corpus sizes in lines (default 10,000 and 100,000; 400,000 with `--sizes`). */
  readonly sizes: readonly number[];
  /** Interleaved runs per tool and size (the median is reported). */
  readonly runs: number;
  /** Module sizes for the editor latency rows. */
  readonly editorLines: readonly number[];
}

export interface SpeedRow {
  readonly what: string;
  readonly value: string;
}

interface Sample {
  readonly cpuMs: number;
  readonly rssMB: number;
  readonly status: number;
}

const GNU_TIME = ["/usr/bin/time", "/bin/time"].find((p) => existsSync(p));
const DPLC = join(PACKAGE_ROOT, "bin", "dplc");
const TSC = join(PACKAGE_ROOT, "node_modules", "typescript", "bin", "tsc");
const TSGO = join(PACKAGE_ROOT, "node_modules", ".bin", "tsgo");

/** Run a command once: its CPU time and peak memory (wall time and no memory without GNU time). */
function measure(cmd: string, args: readonly string[], env: Record<string, string> = {}): Sample {
  const fullEnv = { ...process.env, ...env };
  if (GNU_TIME) {
    const out = join(tmpdir(), `dplc-bench-time-${process.pid}.txt`);
    const r = spawnSync(GNU_TIME, ["-f", "%U %S %M", "-o", out, cmd, ...args], { encoding: "utf8", maxBuffer: 1 << 28, env: fullEnv });
    const [u, s, m] = readFileSync(out, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
    rmSync(out, { force: true });
    return { cpuMs: (u! + s!) * 1000, rssMB: m! / 1024, status: r.status ?? -1 };
  }
  const t = performance.now();
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 28, env: fullEnv });
  return { cpuMs: performance.now() - t, rssMB: NaN, status: r.status ?? -1 };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Run each tool `runs` times, interleaved; the medians of each. */
function interleaved(runs: number, tools: Record<string, () => Sample>): Record<string, { cpuMs: number; rssMB: number; status: number }> {
  const samples: Record<string, Sample[]> = {};
  for (let i = 0; i < runs; i++) for (const [name, run] of Object.entries(tools)) (samples[name] ??= []).push(run());
  const out: Record<string, { cpuMs: number; rssMB: number; status: number }> = {};
  for (const [name, s] of Object.entries(samples)) out[name] = { cpuMs: median(s.map((x) => x.cpuMs)), rssMB: Math.max(...s.map((x) => x.rssMB)), status: s[s.length - 1]!.status };
  return out;
}

const ms = (x: number): string => `${x.toFixed(0)} ms`;
const mb = (x: number): string => (Number.isNaN(x) ? "n/a" : `${x.toFixed(0)} MiB`);
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`;

/** A DPL corpus and its TypeScript twin, written to temporary folders. */
function corpora(lines: number): { ds: string; ts: string; lines: number } {
  const corpus = generateCorpus(lines);
  const ds = join(tmpdir(), `dplc-speed-ds-${lines}`);
  const ts = join(tmpdir(), `dplc-speed-ts-${lines}`);
  for (const d of [ds, ts]) {
    rmSync(d, { recursive: true, force: true });
    mkdirSync(d, { recursive: true });
  }
  corpus.files.forEach((f, i) => {
    writeFileSync(join(ds, f.name), f.text);
    writeFileSync(join(ts, f.name.replace(/\.ds$/, ".ts")), generateTsModule(i, 1000));
  });
  const options = { strict: true, target: "es2022", module: "es2022", skipLibCheck: true, types: [] };
  writeFileSync(join(ts, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...options, noEmit: true }, include: ["*.ts"] }));
  writeFileSync(join(ts, "tsconfig.emit.json"), JSON.stringify({ compilerOptions: { ...options, outDir: join(ts, "out") }, include: ["*.ts"] }));
  return { ds, ts, lines: corpus.lines };
}

export async function speedBench(options: SpeedOptions): Promise<SpeedRow[]> {
  const rows: SpeedRow[] = [];
  const hasTsgo = existsSync(TSGO);
  const node = process.execPath;
  rows.push({ what: "how", value: `medians of ${options.runs} interleaved runs; ${GNU_TIME ? "CPU time (user+sys) and peak RSS from GNU time" : "wall time (GNU time not installed)"}; ${hasTsgo ? "" : "tsgo not installed (npm install); "}load at start: ${readLoad()}` });

  // A one-line file, cold: a fresh process each time (the stdlib cache warmed by a first run).
  const one = join(tmpdir(), "dplc-speed-one");
  rmSync(one, { recursive: true, force: true });
  mkdirSync(one, { recursive: true });
  writeFileSync(join(one, "one.ds"), "fn main() {}\n");
  writeFileSync(join(one, "one.ts"), "export function main(): void {}\n");
  writeFileSync(join(one, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ["one.ts"] }));
  measure(DPLC, ["check", join(one, "one.ds")]);
  const cold = interleaved(Math.max(options.runs, 5), {
    dplc: () => measure(DPLC, ["check", join(one, "one.ds")]),
    "dplc, no start-up cache": () => measure(DPLC, ["check", join(one, "one.ds")], { DPLC_NO_STARTUP_CACHE: "1" }),
    tsc: () => measure(node, [TSC, "-p", one]),
    ...(hasTsgo ? { tsgo: () => measure(TSGO, ["-p", one]) } : {}),
  });
  rows.push({
    what: "one-line file, cold process",
    value: `dplc ${ms(cold["dplc"]!.cpuMs)} (goal 150 ms: ${ratio(cold["dplc"]!.cpuMs, 150)}; without the start-up cache ${ms(cold["dplc, no start-up cache"]!.cpuMs)}), tsc ${ms(cold["tsc"]!.cpuMs)}${hasTsgo ? `, tsgo ${ms(cold["tsgo"]!.cpuMs)}` : ""}`,
  });
  rmSync(one, { recursive: true, force: true });

  for (const size of options.sizes) {
    const c = corpora(size);
    const check = interleaved(options.runs, {
      dplc: () => measure(DPLC, ["check", "--format", "json", c.ds]),
      tsc: () => measure(node, [TSC, "-p", c.ts]),
      ...(hasTsgo ? { tsgo: () => measure(TSGO, ["-p", c.ts]) } : {}),
    });
    const d = check["dplc"]!;
    const t = check["tsc"]!;
    const g = check["tsgo"];
    rows.push({
      what: `check, ${c.lines} lines`,
      value: `dplc ${ms(d.cpuMs)}, tsc ${ms(t.cpuMs)} (dplc ${ratio(t.cpuMs, d.cpuMs)} faster; goal ≥3×)${g ? `, tsgo ${ms(g.cpuMs)} (dplc ${ratio(d.cpuMs, g.cpuMs)} slower; goal 1×)` : ""}`,
    });
    rows.push({ what: `peak memory, check of ${c.lines} lines`, value: `dplc ${mb(d.rssMB)}, tsc ${mb(t.rssMB)}${g ? `, tsgo ${mb(g.rssMB)} (dplc/tsgo ${ratio(d.rssMB, g.rssMB)}; goal ≤1×)` : ""}` });
    if (size === options.sizes[Math.min(1, options.sizes.length - 1)]) {
      const out = join(tmpdir(), `dplc-speed-out-${size}`);
      const build = interleaved(options.runs, {
        dplc: () => {
          rmSync(out, { recursive: true, force: true });
          return measure(DPLC, ["build", "--out-dir", out, c.ds]);
        },
        tsc: () => measure(node, [TSC, "-p", join(c.ts, "tsconfig.emit.json")]),
        ...(hasTsgo ? { tsgo: () => measure(TSGO, ["-p", join(c.ts, "tsconfig.emit.json")]) } : {}),
      });
      const bd = build["dplc"]!;
      const bt = build["tsc"]!;
      const bg = build["tsgo"];
      rows.push({
        what: `build (emit), ${c.lines} lines`,
        value: `dplc build ${ms(bd.cpuMs)}, tsc emit ${ms(bt.cpuMs)} (dplc ${ratio(bt.cpuMs, bd.cpuMs)} faster)${bg ? `, tsgo emit ${ms(bg.cpuMs)} (dplc ${ratio(bd.cpuMs, bg.cpuMs)} slower; goal 1×)` : ""}`,
      });
      rmSync(out, { recursive: true, force: true });
    }
    rmSync(c.ds, { recursive: true, force: true });
    rmSync(c.ts, { recursive: true, force: true });
  }

  for (const row of await computeBench()) rows.push(row);

  for (const lines of options.editorLines) {
    const r = await benchLspLatency({ lines, edits: lines > 10_000 ? 30 : 100 });
    rows.push({ what: `editor: edit → diagnostics, ${r.lines} lines, ${r.edits} edits`, value: `p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms (goal p95 ≤30 ms: ${ratio(r.p95Ms, 30)}; per edit p50: parse ${r.parseP50Ms} ms, check ${r.checkP50Ms} ms)` });
  }
  rows.push({ what: "load at end", value: readLoad() });
  return rows;
}

function readLoad(): string {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "n/a";
  }
}
