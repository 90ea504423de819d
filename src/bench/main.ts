/**
 * `npm run bench`: generate the benchmark corpus deterministically, then measure and print
 * a table. Figures, not pass/fail: nothing here asserts a timing.
 *
 *   --lines N      corpus size (default 100000)
 *   --only NAME    run one section (speed, memory, parse, fmt, check, tsc, build, compute, lsp, runtime, host, qsim, cluster)
 *   --mem-sizes L  memory: sizes of the one large file checked, in MiB (default 1,4,8; 8 is
 *                  the DPL1005 limit)
 *   --sizes L      speed: corpus sizes in lines, comma-separated (default 10000,100000; the
 *                  issue-16 table's third size is 400000)
 *   --runs N       speed: interleaved runs per tool (default 3)
 *   --editor-lines L  speed: editor module sizes (default 1000,5000,20000)
 *   --q-widths L   qubit counts for the qsim section, comma-separated (default 16,20,24)
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { generateCorpus } from "./corpus.js";
import { generateTsModule } from "./corpus-ts.js";
import { lex, parseText } from "../syntax/parse.js";
import { PACKAGE_ROOT } from "../compiler/stdlib.js";
import { runHostBench } from "../host/bench.js";
import { formatQSimBench, runQSimBench } from "../host/q/bench.js";
import { runRuntimeBench } from "./runtime-library.js";
import { benchLspLatency } from "./lsp-latency.js";
import { benchLspWorkspace, formatLspWorkspace } from "./lsp-workspace.js";
import { computeBench } from "./compute.js";
import { formatText } from "../format/format.js";

interface Row {
  readonly what: string;
  readonly value: string;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const totalLines = Number(arg("--lines") ?? 100_000);
const only = arg("--only");
const rows: Row[] = [];
const fmt = (n: number, d = 1) => n.toFixed(d);

const list = (name: string, fallback: readonly number[]): number[] => arg(name)?.split(",").map(Number) ?? [...fallback];

function printTable(title: string, table: readonly Row[]): void {
  const width = Math.max(...table.map((r) => r.what.length));
  process.stdout.write(`${title}\n`);
  for (const r of table) process.stdout.write(`${r.what.padEnd(width)}  ${r.value}\n`);
}

if (!only || only === "speed") {
  const { speedBench } = await import("./speed.js");
  const speed = await speedBench({ sizes: list("--sizes", [10_000, 100_000]), runs: Number(arg("--runs") ?? 3), editorLines: list("--editor-lines", [1000, 5000, 20_000]) });
  printTable(`dplc ${process.version} speed (issue 16)`, speed);
  if (only === "speed") process.exit(0);
  process.stdout.write("\n");
}

if (!only || only === "memory") {
  const { measureMemory } = await import("./memory.js");
  const table: Row[] = [];
  // A first run after a build makes the stdlib cache (and holds more while it does): not measured.
  measureMemory(0.05);
  for (const mib of list("--mem-sizes", [1, 4, 8])) {
    const m = measureMemory(mib);
    if ("error" in m) table.push({ what: `check of one ${mib} MiB file`, value: `failed: ${m.error}` });
    else
      table.push({
        what: `check of one ${mib} MiB file (${m.lines} lines)`,
        value: `peak heap ${fmt(m.peakPerByte)} B per source byte (goal < 60), retained ${fmt(m.retainedPerByte)} B/byte, max RSS ${fmt(m.maxRssMB, 0)} MB, ${fmt(m.ms / 1000, 1)} s, ${m.diagnostics} diagnostics`,
      });
  }
  printTable("memory per source byte (issue 9)", table);
  if (only === "memory") process.exit(0);
  process.stdout.write("\n");
}

const t0 = performance.now();
const corpus = generateCorpus(totalLines);
const dir = join(tmpdir(), `dplc-bench-${corpus.lines}`);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
for (const f of corpus.files) writeFileSync(join(dir, f.name), f.text);
rows.push({ what: "corpus", value: `${corpus.files.length} files, ${corpus.lines} lines, ${fmt(corpus.bytes / 1e6, 2)} MB (generated in ${fmt(performance.now() - t0, 0)} ms) at ${dir}` });

function bestOf<T>(runs: number, f: () => T): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    f();
    best = Math.min(best, performance.now() - s);
  }
  return best;
}

if (!only || only === "parse") {
  // Warm: one untimed pass so the JIT and chevrotain's caches are ready.
  for (const f of corpus.files) parseText(f.name, f.text);
  const lexMs = bestOf(3, () => corpus.files.forEach((f) => lex(f.text)));
  const parseMs = bestOf(3, () => corpus.files.forEach((f) => parseText(f.name, f.text)));
  const mb = corpus.bytes / 1e6;
  rows.push({ what: "lex (warm, best of 3)", value: `${fmt(lexMs, 0)} ms, ${fmt(mb / (lexMs / 1000))} MB/s` });
  rows.push({ what: "lex+parse to AST (warm, best of 3)", value: `${fmt(parseMs, 0)} ms, ${fmt(mb / (parseMs / 1000))} MB/s, ${fmt(corpus.lines / (parseMs / 1000) / 1000, 0)}k lines/s` });
}

if (!only || only === "fmt") {
  // The whole formatter as the API runs it: parse, lay out, check the tokens of the result.
  let changed = 0;
  for (const f of corpus.files) formatText(f.name, f.text);
  const warm = bestOf(3, () => {
    changed = 0;
    for (const f of corpus.files) {
      const r = formatText(f.name, f.text);
      if (r.ok && r.changed) changed++;
    }
  });
  rows.push({ what: "fmt in process (warm, best of 3)", value: `${fmt(warm, 0)} ms, ${fmt(corpus.lines / (warm / 1000) / 1000, 0)}k lines/s (${changed} of ${corpus.files.length} files would change)` });
  const times: number[] = [];
  let status = -1;
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    const r = spawnSync(join(PACKAGE_ROOT, "bin", "dplc"), ["fmt", "--check", dir], { encoding: "utf8", maxBuffer: 1 << 28 });
    times.push(performance.now() - s);
    status = r.status ?? -1;
  }
  const best = Math.min(...times);
  rows.push({ what: "dplc fmt --check, cold process (best of 3)", value: `${fmt(best, 0)} ms, ${fmt(corpus.lines / (best / 1000) / 1000, 0)}k lines/s (exit ${status})` });
}

if (!only || only === "check") {
  // Cold: a fresh process, as a user's `dplc check` is.
  const times: number[] = [];
  let status = -1;
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    const r = spawnSync(join(PACKAGE_ROOT, "bin", "dplc"), ["check", "--format", "json", dir], { encoding: "utf8", maxBuffer: 1 << 28 });
    times.push(performance.now() - s);
    status = r.status ?? -1;
  }
  const best = Math.min(...times);
  rows.push({ what: "dplc check, cold process (best of 3)", value: `${fmt(best, 0)} ms, ${fmt(corpus.lines / (best / 1000) / 1000, 0)}k lines/s (exit ${status})` });
  // Peak memory of the check itself, measured inside a child process.
  const probe = `
    const { checkSources } = await import(${JSON.stringify(join(PACKAGE_ROOT, "dist", "compiler", "check.js"))});
    const { collectFiles, loadSource } = await import(${JSON.stringify(join(PACKAGE_ROOT, "dist", "compiler", "sources.js"))});
    const files = collectFiles([${JSON.stringify(dir)}]).files;
    const sources = files.map((f) => loadSource(f).source);
    const s = performance.now();
    const r = checkSources(sources, { profile: "user", allBlocks: false });
    const ms = performance.now() - s;
    console.log(JSON.stringify({ ms, rssMB: process.resourceUsage().maxRSS / 1024, diagnostics: r.diagnostics.length }));
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", probe], { encoding: "utf8" });
  try {
    const m = JSON.parse(r.stdout) as { ms: number; rssMB: number; diagnostics: number };
    rows.push({ what: "check in process (parse + analyze)", value: `${fmt(m.ms, 0)} ms, ${fmt(corpus.lines / (m.ms / 1000) / 1000, 0)}k lines/s, ${m.diagnostics} diagnostics` });
    rows.push({ what: "peak memory (max RSS of that process)", value: `${fmt(m.rssMB, 0)} MB` });
  } catch {
    rows.push({ what: "check in process", value: `failed: ${r.stderr.split("\n")[0]}` });
  }
}

let checkColdMs: number | undefined;
if (!only || only === "check" || only === "tsc" || only === "build") {
  // Cold: a fresh process, as a user's `dplc check` is.
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    spawnSync(join(PACKAGE_ROOT, "bin", "dplc"), ["check", "--format", "json", dir], { encoding: "utf8", maxBuffer: 1 << 28 });
    times.push(performance.now() - s);
  }
  checkColdMs = Math.min(...times);
}

if (!only || only === "tsc") {
  // The yardstick: tsc --noEmit --strict on comparable hand-written TypeScript.
  const tsDir = join(tmpdir(), `dplc-bench-ts-${corpus.lines}`);
  rmSync(tsDir, { recursive: true, force: true });
  mkdirSync(tsDir, { recursive: true });
  corpus.files.forEach((f, i) => writeFileSync(join(tsDir, f.name.replace(/\.ds$/, ".ts")), generateTsModule(i, 1000)));
  const tsc = join(PACKAGE_ROOT, "node_modules", "typescript", "bin", "tsc");
  const s = performance.now();
  const tsconfig = { compilerOptions: { strict: true, noEmit: true, target: "es2022", module: "es2022", skipLibCheck: true, types: [] }, include: ["*.ts"] };
  writeFileSync(join(tsDir, "tsconfig.json"), JSON.stringify(tsconfig));
  const r = spawnSync(process.execPath, [tsc, "-p", tsDir], { encoding: "utf8" });
  const tscMs = performance.now() - s;
  rows.push({ what: "tsc --noEmit --strict, comparable TypeScript", value: `${fmt(tscMs, 0)} ms (exit ${r.status}${r.status ? `: ${r.stdout.split("\n")[0]}` : ""})` });
  if (checkColdMs !== undefined) rows.push({ what: "ratio tsc / dplc check (cold processes)", value: `${fmt(tscMs / checkColdMs, 2)}×` });
}

if (!only || only === "build") {
  // `dplc build` of the same corpus, then tsc --noEmit --strict on what it emitted.
  const outDir = join(tmpdir(), `dplc-bench-out-${corpus.lines}`);
  rmSync(outDir, { recursive: true, force: true });
  const s = performance.now();
  const b = spawnSync(join(PACKAGE_ROOT, "bin", "dplc"), ["build", "--out-dir", outDir, dir], { encoding: "utf8", maxBuffer: 1 << 28 });
  const buildMs = performance.now() - s;
  rows.push({ what: "dplc build, cold process", value: `${fmt(buildMs, 0)} ms, ${fmt(corpus.lines / (buildMs / 1000) / 1000, 0)}k lines/s (exit ${b.status})` });
  const tsc = join(PACKAGE_ROOT, "node_modules", "typescript", "bin", "tsc");
  const strict = {
    compilerOptions: { strict: true, noEmit: true, target: "ES2022", lib: ["ES2022"], module: "NodeNext", moduleResolution: "NodeNext", types: ["node"], typeRoots: [join(PACKAGE_ROOT, "node_modules", "@types")], skipLibCheck: true },
    include: ["**/*.ts"],
  };
  writeFileSync(join(outDir, "tsconfig.json"), JSON.stringify(strict));
  const t = performance.now();
  const r = spawnSync(process.execPath, [tsc, "-p", join(outDir, "tsconfig.json")], { encoding: "utf8", cwd: outDir });
  const tscMs = performance.now() - t;
  rows.push({ what: "tsc --noEmit --strict on the emitted TypeScript", value: `${fmt(tscMs, 0)} ms (exit ${r.status})` });
  if (checkColdMs !== undefined) rows.push({ what: "ratio tsc (emitted TS) / dplc check", value: `${fmt(tscMs / checkColdMs, 2)}×` });
}

if (!only || only === "compute") {
  for (const row of await computeBench()) rows.push(row);
}

if (!only || only === "lsp") {
  const r = await benchLspLatency({ lines: 5000, edits: 100 });
  rows.push({ what: `editor: edit → diagnostics, ${r.lines}-line module, ${r.edits} edits`, value: `p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms (max ${r.maxMs} ms; per edit p50: parse ${r.parseP50Ms} ms, check ${r.checkP50Ms} ms; CPU per edit p50 ${r.cpuP50Ms} ms, p95 ${r.cpuP95Ms} ms; ${r.itemChecks} item re-checks, ${r.fullChecks} full)` });
  for (const row of formatLspWorkspace(await benchLspWorkspace())) rows.push(row);
}

if (!only || only === "runtime") {
  const r = runRuntimeBench();
  for (const c of r.cases) rows.push({ what: `runtime: ${c.name} (vs ${c.baseline})`, value: `${fmt(c.ratio, 2)}× (${fmt(c.checkedMs, 0)} ms vs ${fmt(c.plainMs, 0)} ms)` });
  rows.push({ what: "runtime: geometric mean of ratios", value: `${fmt(r.geomean, 2)}×` });
}

if (!only || only === "host") {
  const h = runHostBench();
  rows.push({ what: `Q jobs/s, ${h.twoQubit.qubits} qubits (depth ${h.twoQubit.depth}, ${h.twoQubit.shots} shots)`, value: fmt(h.twoQubit.jobsPerSecond) });
  rows.push({ what: `Q jobs/s, ${h.sixteenQubit.qubits} qubits (depth ${h.sixteenQubit.depth}, ${h.sixteenQubit.shots} shots)`, value: fmt(h.sixteenQubit.jobsPerSecond) });
  rows.push({ what: "replay time / record time", value: `${fmt(h.replayOverRecord, 2)} (${fmt(h.replay.seconds * 1000, 0)} ms vs ${fmt(h.record.seconds * 1000, 0)} ms, ${h.replay.identical ? "byte-identical trace" : "DIVERGED"})` });
  rows.push({ what: "trace bytes per event", value: `${fmt(h.traceBytesPerEvent, 0)} (${h.record.events} events)` });
}

if (!only || only === "qsim") {
  const widths = arg("--q-widths")?.split(",").map(Number);
  for (const row of formatQSimBench(runQSimBench(widths ? { widths } : {}))) rows.push(row);
}

if (!only || only === "cluster") {
  const { runClusterBench } = await import("../cluster/bench.js");
  for (const row of await runClusterBench()) rows.push(row);
}

printTable(`dplc ${process.version} benchmark, ${corpus.lines} lines`, rows);
