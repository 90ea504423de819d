/**
 * Editor figures beyond edit → diagnostics (lsp-latency.ts), through the server's own
 * pipeline and feature modules, in-process:
 *
 *  - hover and completion on the 5,000-line module: p50/p95 of single requests once the
 *    module is checked, and of the first request after an edit (which pays for reading
 *    the new analysis);
 *  - the workspace model: from `initialize` (the folder walk) to the diagnostics of every
 *    file of a 100-file workspace, then references to a function used in all of them;
 *  - memory with a 100,000-line workspace loaded and checked (heap and RSS growth).
 *
 * `npm run bench` calls `benchLspWorkspace`; `node dist/bench/lsp-workspace.js` runs it alone.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { launcherNodeFlags } from "./launcher-flags.js";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DocumentPipeline } from "../lsp/documents.js";
import { analyze } from "../compiler/analyze.js";
import { semanticsOf } from "../lsp/model-semantics.js";
import { hover } from "../lsp/hover.js";
import { completion } from "../lsp/completion.js";
import { references } from "../lsp/references.js";
import { scanWorkspace } from "../lsp/workspace.js";
import { generateLatencyModule } from "./lsp-latency.js";

export interface WorkspaceBenchResult {
  readonly hover: Quantiles;
  readonly hoverAfterEdit: Quantiles;
  readonly completion: Quantiles;
  readonly workspace: WorkspaceFigures;
  /** The same in a fresh process: the stdlib is loaded and checked too, as when an editor starts the server. */
  readonly coldWorkspace: WorkspaceFigures | null;
  readonly memory: { readonly files: number; readonly lines: number; readonly heapMB: number; readonly rssMB: number; readonly peakRssMB?: number };
}

export interface WorkspaceFigures {
  readonly files: number;
  readonly lines: number;
  readonly firstDiagnosticsMs: number;
  /** CPU time (user + system) of the same span: what the wall time is on an idle machine, roughly. */
  readonly firstDiagnosticsCpuMs: number;
  readonly referencesMs: number;
  readonly references: number;
}

export interface Quantiles {
  readonly n: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

function quantiles(samples: readonly number[]): Quantiles {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => Math.round((s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? 0) * 100) / 100;
  return { n: s.length, p50Ms: at(0.5), p95Ms: at(0.95) };
}

const OPTIONS = { check: { profile: "user" as const, allBlocks: false }, debounceMs: 0, analyze };

async function editorRequests(): Promise<Pick<WorkspaceBenchResult, "hover" | "hoverAfterEdit" | "completion">> {
  const { text, literals } = generateLatencyModule(5000);
  const uri = "untitled:requests-bench.ds";
  const pipeline = new DocumentPipeline(OPTIONS, () => undefined);
  const doc = pipeline.open(uri, "dpl", 1, text);
  await pipeline.flush();
  const lines = text.split("\n");
  // Hover on `r` in `total + r.score(k)` and on `score`; complete after `r.` at the same spots.
  const spots: { line: number; character: number }[] = [];
  lines.forEach((l, i) => {
    const c = l.indexOf("r.score(k)");
    if (c >= 0) spots.push({ line: i, character: c + 2 });
  });
  const hovers: number[] = [];
  const completions: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const p of spots) {
      let t = performance.now();
      hover(doc, semanticsOf(pipeline, doc), p);
      hovers.push(performance.now() - t);
      t = performance.now();
      completion(doc, semanticsOf(pipeline, doc), { line: p.line, character: p.character }, { snippets: false });
      completions.push(performance.now() - t);
    }
  }
  // The first hover after each of 20 edits (type a digit, check, hover elsewhere).
  const afterEdit: number[] = [];
  let version = 1;
  for (let i = 0; i < 20; i++) {
    const line = literals[(i * 7) % literals.length]!;
    const col = lines[line]!.indexOf(";");
    pipeline.change(uri, ++version, [{ range: { start: { line, character: col }, end: { line, character: col } }, text: i % 2 === 0 ? "7" : "" }]);
    if (i % 2 === 1) pipeline.change(uri, ++version, [{ range: { start: { line, character: col }, end: { line, character: col + 1 } }, text: "" }]);
    await pipeline.flush();
    const p = spots[(i * 13) % spots.length]!;
    const t = performance.now();
    hover(doc, semanticsOf(pipeline, doc), p);
    afterEdit.push(performance.now() - t);
  }
  pipeline.dispose();
  return { hover: quantiles(hovers), hoverAfterEdit: quantiles(afterEdit), completion: quantiles(completions) };
}

/**
 * A workspace of `files` modules of about `linesEach` lines under a `main.ds` that declares
 * them all; each module calls `util::shared`, so references to it span every file.
 */
function writeWorkspace(files: number, linesEach: number): { root: string; lines: number } {
  const root = mkdtempSync(join(tmpdir(), "dplc-bench-ws-"));
  mkdirSync(root, { recursive: true });
  let lines = 0;
  const module = generateLatencyModule(linesEach).text;
  const names = Array.from({ length: files - 2 }, (_, i) => `m${i}`);
  const main = `${["util", ...names].map((n) => `mod ${n};`).join("\n")}\nfn main() -> u64 {\n    util::shared(1)\n}\n`;
  writeFileSync(join(root, "main.ds"), main);
  writeFileSync(join(root, "util.ds"), "pub fn shared(n: u64) -> u64 {\n    n + 1\n}\n");
  lines += main.split("\n").length + 3;
  for (const n of names) {
    const text = `use crate::util::shared;\npub fn entry(n: u64) -> u64 {\n    shared(n)\n}\n${module}`;
    writeFileSync(join(root, `${n}.ds`), text);
    lines += text.split("\n").length - 1;
  }
  return { root, lines };
}

async function loadWorkspace(root: string): Promise<{ pipeline: DocumentPipeline; ms: number; cpuMs: number; files: number }> {
  const published = new Set<string>();
  let expected = Infinity;
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  const pipeline = new DocumentPipeline(OPTIONS, (uri) => {
    published.add(uri);
    if (published.size >= expected) done();
  });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const scan = scanWorkspace([root], false);
  expected = scan.files.length;
  pipeline.loadAll(scan.files);
  await all;
  const cpu = process.cpuUsage(cpu0);
  return { pipeline, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, files: scan.files.length };
}

async function workspaceModel(): Promise<WorkspaceFigures> {
  const { root, lines } = writeWorkspace(100, 40);
  try {
    const { pipeline, ms, cpuMs, files } = await loadWorkspace(root);
    const util = pipeline.get(pathToFileURL(join(root, "util.ds")).href)!;
    const t = performance.now();
    const refs = references(pipeline, util, semanticsOf(pipeline, util), { line: 0, character: 8 }, true);
    const referencesMs = performance.now() - t;
    pipeline.dispose();
    return { files, lines, firstDiagnosticsMs: Math.round(ms), firstDiagnosticsCpuMs: Math.round(cpuMs), referencesMs: Math.round(referencesMs), references: refs.length };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function memory(): Promise<WorkspaceBenchResult["memory"]> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const { root, lines } = writeWorkspace(100, 1000);
  try {
    const { pipeline, files } = await loadWorkspace(root);
    gc?.();
    const after = process.memoryUsage();
    pipeline.dispose();
    return { files, lines, heapMB: Math.round((after.heapUsed - before.heapUsed) / 1e6), rssMB: Math.round(after.rss / 1e6), peakRssMB: Math.round((process.resourceUsage().maxRSS * 1024) / 1e6) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Memory of a fresh process that loads and checks the 100k-line workspace, as the language
 * server does when an editor opens it: measured in this process it would include the other
 * benches' leftovers. `--expose-gc` so the figure is what stays, not garbage not yet collected.
 */
function freshMemory(): WorkspaceBenchResult["memory"] | null {
  const r = spawnSync(process.execPath, [...launcherNodeFlags(), "--expose-gc", fileURLToPath(import.meta.url), "--memory-only"], { encoding: "utf8", timeout: 300_000 });
  try {
    return JSON.parse(r.stdout) as WorkspaceBenchResult["memory"];
  } catch {
    return null;
  }
}

/** The workspace figures of a fresh process (this file run with `--workspace-only`). */
function coldWorkspaceModel(): WorkspaceFigures | null {
  const r = spawnSync(process.execPath, [...launcherNodeFlags(), fileURLToPath(import.meta.url), "--workspace-only"], { encoding: "utf8", timeout: 300_000 });
  try {
    return JSON.parse(r.stdout) as WorkspaceFigures;
  } catch {
    return null;
  }
}

export async function benchLspWorkspace(): Promise<WorkspaceBenchResult> {
  const coldWorkspace = coldWorkspaceModel();
  const requests = await editorRequests();
  const workspace = await workspaceModel();
  const mem = freshMemory() ?? (await memory());
  return { ...requests, workspace, coldWorkspace, memory: mem };
}

export function formatLspWorkspace(r: WorkspaceBenchResult): { what: string; value: string }[] {
  return [
    { what: "editor: hover, 5,000-line module (checked)", value: `p50 ${r.hover.p50Ms} ms, p95 ${r.hover.p95Ms} ms (${r.hover.n} requests)` },
    { what: "editor: first hover after an edit, 5,000-line module", value: `p50 ${r.hoverAfterEdit.p50Ms} ms, p95 ${r.hoverAfterEdit.p95Ms} ms (${r.hoverAfterEdit.n} edits)` },
    { what: "editor: completion after `.`, 5,000-line module", value: `p50 ${r.completion.p50Ms} ms, p95 ${r.completion.p95Ms} ms (${r.completion.n} requests)` },
    { what: `editor: workspace load → diagnostics of all ${r.workspace.files} files (${r.workspace.lines} lines, stdlib already loaded)`, value: `${r.workspace.firstDiagnosticsMs} ms (CPU ${r.workspace.firstDiagnosticsCpuMs} ms)` },
    ...(r.coldWorkspace ? [{ what: `editor: workspace load → diagnostics of all ${r.coldWorkspace.files} files, fresh process (stdlib loaded too)`, value: `${r.coldWorkspace.firstDiagnosticsMs} ms (CPU ${r.coldWorkspace.firstDiagnosticsCpuMs} ms)` }] : []),
    { what: `editor: references across the ${r.workspace.files}-file workspace`, value: `${r.workspace.referencesMs} ms (${r.workspace.references} locations)` },
    { what: `editor: memory, ${r.memory.files}-file workspace of ${r.memory.lines} lines checked`, value: `heap +${r.memory.heapMB} MB, RSS ${r.memory.rssMB} MB${r.memory.peakRssMB === undefined ? "" : ` (peak ${r.memory.peakRssMB} MB)`}` },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv.includes("--memory-only")) {
  process.stdout.write(JSON.stringify(await memory()));
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv.includes("--workspace-only")) {
  process.stdout.write(JSON.stringify(await workspaceModel()));
} else if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of formatLspWorkspace(await benchLspWorkspace())) process.stdout.write(`${row.what}: ${row.value}\n`);
}
