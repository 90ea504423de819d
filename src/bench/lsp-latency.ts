/**
 * Editor latency: how long from a keystroke to the diagnostics for it, through the
 * server's own document pipeline (in-process, no stdio). A generated module of about
 * 5,000 lines receives 100 keystroke-sized edits, one at a time; each is timed from
 * `didChange` to the publication of diagnostics for that version. The debounce is set to
 * zero here: it is deliberate waiting, not work (the server adds its 150 ms on top).
 *
 * `npm run bench` calls `benchLspLatency`; `node dist/bench/lsp-latency.js [lines] [edits]` runs it alone.
 */
import { pathToFileURL } from "node:url";
import { DocumentPipeline } from "../lsp/documents.js";
import { analyze } from "../compiler/analyze.js";

export interface LatencyOptions {
  readonly lines?: number;
  readonly edits?: number;
}

export interface LatencyResult {
  readonly lines: number;
  readonly edits: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
  /** The first check of the whole module (cold parse, stdlib load), for context. */
  readonly openMs: number;
  /** Medians of the phases of one edit: incremental parse, semantic check, conversion and publishing. */
  readonly parseP50Ms: number;
  readonly checkP50Ms: number;
  readonly publishP50Ms: number;
  /**
   * CPU time of the process per edit (all threads, the collector's included): on a loaded
   * machine wall time mostly measures the wait for a core, this the work done.
   */
  readonly cpuP50Ms: number;
  readonly cpuP95Ms: number;
  /** Checks that re-typed only the edited item, and checks of the whole program. */
  readonly itemChecks: number;
  readonly fullChecks: number;
}

/** A deterministic module of about `lines` lines: domain-annotated structs, impls, functions. */
export function generateLatencyModule(lines: number): { text: string; literals: number[] } {
  const out: string[] = ["//! Generated for the language server latency benchmark.", ""];
  /** Line numbers (0-based) of `let ... = N;` lines whose literal the edits change. */
  const literals: number[] = [];
  for (let i = 0; out.length < lines; i++) {
    const domain = i % 7 === 3 ? "Q" : "K";
    out.push(`/// Record ${i}: ${domain === "Q" ? "opaque quantum state" : "classical metadata"}.`);
    if (domain === "Q") {
      out.push("@domain(Q)", "@noncopy", `pub struct State${i} { ... }`, "");
      continue;
    }
    out.push(`pub struct Record${i} {`, "    id: u64,", "    weight: u64,", "    active: bool,", "}", "");
    out.push(`impl Record${i} {`);
    out.push(`    pub fn new(id: u64) -> Record${i} {`, `        Record${i} { id: id, weight: id * 2, active: true }`, "    }", "");
    out.push("    pub fn score(&self, bias: u64) -> u64 {");
    literals.push(out.length);
    out.push("        let base = 10;");
    out.push("        if self.active { self.weight + bias + base } else { bias }", "    }", "}", "");
    out.push(`fn step${i}(n: u64) -> u64 {`);
    out.push(`    let r = Record${i}::new(n);`);
    literals.push(out.length);
    out.push("    let mut total = 1;");
    out.push("    let mut k = 0;", "    while k < n {", "        total = total + r.score(k);", "        k = k + 1;", "    }");
    out.push(i > 0 && (i - 1) % 7 !== 3 ? `    total + step${i - 1}(n)` : "    total", "}", "");
  }
  return { text: out.join("\n") + "\n", literals };
}

function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;
const median = (xs: readonly number[]): number => percentile([...xs].sort((a, b) => a - b), 0.5);

export async function benchLspLatency(options: LatencyOptions = {}): Promise<LatencyResult> {
  const lines = options.lines ?? 5000;
  const edits = options.edits ?? 100;
  const { text, literals } = generateLatencyModule(lines);
  const uri = "untitled:latency-bench.ds";
  let waiting: { version: number; resolve: () => void } | undefined;
  const pipeline = new DocumentPipeline({ check: { profile: "user", allBlocks: false }, debounceMs: 0, analyze }, (u, version) => {
    if (u === uri && waiting && version === waiting.version) waiting.resolve();
  });
  const published = (version: number): Promise<void> => new Promise((resolve) => (waiting = { version, resolve }));

  let t0 = performance.now();
  const opened = published(1);
  pipeline.open(uri, "dpl", 1, text);
  await opened;
  const openMs = performance.now() - t0;

  const samples: number[] = [];
  const cpu: number[] = [];
  const phases = { parse: [] as number[], check: [] as number[], publish: [] as number[] };
  // Type a digit after a literal, then delete it: every other edit restores the text.
  const spots = literals.filter((_, i) => i % Math.max(1, Math.floor(literals.length / 50)) === 0);
  for (let i = 0; i < edits; i++) {
    const line = spots[Math.floor(i / 2) % spots.length]!;
    const lineText = text.split("\n", line + 1)[line]!;
    const col = lineText.indexOf(";");
    const version = i + 2;
    const change =
      i % 2 === 0
        ? { range: { start: { line, character: col }, end: { line, character: col } }, text: "7" }
        : { range: { start: { line, character: col }, end: { line, character: col + 1 } }, text: "" };
    const done = published(version);
    t0 = performance.now();
    const c0 = process.cpuUsage();
    pipeline.change(uri, version, [change]);
    await done;
    samples.push(performance.now() - t0);
    const c1 = process.cpuUsage(c0);
    cpu.push((c1.user + c1.system) / 1000);
    const t = pipeline.lastTimings;
    if (t) {
      phases.parse.push(t.parseMs);
      phases.check.push(t.checkMs);
      phases.publish.push(t.publishMs);
    }
  }
  pipeline.dispose();
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    lines: text.split("\n").length - 1,
    edits,
    p50Ms: round(percentile(sorted, 0.5)),
    p95Ms: round(percentile(sorted, 0.95)),
    maxMs: round(sorted[sorted.length - 1] ?? 0),
    meanMs: round(samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length)),
    openMs: round(openMs),
    parseP50Ms: round(median(phases.parse)),
    checkP50Ms: round(median(phases.check)),
    publishP50Ms: round(median(phases.publish)),
    cpuP50Ms: round(median(cpu)),
    cpuP95Ms: round(percentile([...cpu].sort((a, b) => a - b), 0.95)),
    itemChecks: pipeline.session.itemChecks,
    fullChecks: pipeline.session.fullChecks,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [lines, edits] = process.argv.slice(2).map(Number);
  const r = await benchLspLatency({ ...(lines ? { lines } : {}), ...(edits ? { edits } : {}) });
  process.stdout.write(
    `lsp latency (edit → diagnostics, ${r.lines} lines, ${r.edits} edits): p50 ${r.p50Ms} ms, p95 ${r.p95Ms} ms, max ${r.maxMs} ms, mean ${r.meanMs} ms (first check ${r.openMs} ms)\n` +
      `  per edit (p50): parse ${r.parseP50Ms} ms, check ${r.checkP50Ms} ms, publish ${r.publishP50Ms} ms; CPU time per edit p50 ${r.cpuP50Ms} ms, p95 ${r.cpuP95Ms} ms\n` +
      `  checks: ${r.itemChecks} re-typed the edited item only, ${r.fullChecks} the whole module\n`,
  );
}
