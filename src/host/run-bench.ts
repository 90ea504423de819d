/**
 * The runtime's figures measured through `dplc run`, as a user runs programs: Q jobs per
 * second for a 2-qubit and a 16-qubit circuit (timed inside a DPL program, so the DPL
 * runtime, the ABI bridge and the kernel are all in the path), replay time against record
 * time for a deterministic workload, and trace bytes per event.
 *
 * `src/host/bench.ts` measures the same things on the host layer alone; the two together
 * show what the DPL runtime costs on top of the kernel. Process start-up (loading the
 * compiler, the compile cache and the emitted program) is the same for every run and is
 * reported once, as the time of a program that does nothing but log a line, so that the
 * record and replay times can be read with and without it.
 *
 *   node dist/host/run-bench.js [--repeats N]
 *
 * Like every benchmark here, this reads the wall clock; nothing it measures feeds back
 * into a run.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { PACKAGE_ROOT } from "../workspace/stdlib.js";

const DPLC = join(PACKAGE_ROOT, "bin", "dplc");
const HELLO = join(PACKAGE_ROOT, "examples", "hello.ds");
const THROUGHPUT = join(PACKAGE_ROOT, "fixtures", "runtime", "bench", "q_throughput.ds");
const WORKLOAD = join(PACKAGE_ROOT, "fixtures", "runtime", "bench", "workload.ds");

export interface RunBenchOptions {
  /** Timed runs per measurement; the median is reported. */
  readonly repeats?: number;
  /** Also run the Q throughput program (a few seconds). */
  readonly throughput?: boolean;
}

export interface RunBenchReport {
  /** `dplc run examples/hello.ds`: start-up and a single k_log. */
  readonly startupMs: number;
  /** The lines the throughput program printed, one per circuit size. */
  readonly throughput: readonly string[];
  readonly recordMs: number;
  readonly replayMs: number;
  readonly identical: boolean;
  readonly events: number;
  readonly traceBytes: number;
  readonly bytesPerEvent: number;
}

function dplc(args: readonly string[]): { ms: number; stdout: string } {
  const start = performance.now();
  const r = spawnSync(process.execPath, [DPLC, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`dplc ${args.join(" ")} exited with ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timed(repeats: number, args: () => readonly string[]): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) times.push(dplc(args()).ms);
  return median(times);
}

export function runDplcBench(options: RunBenchOptions = {}): RunBenchReport {
  const repeats = Math.max(1, options.repeats ?? 3);
  const dir = mkdtempSync(join(tmpdir(), "dplc-run-bench-"));
  try {
    // A first run fills the compile cache; every timed run after it finds the program compiled.
    dplc(["run", HELLO]);
    dplc(["run", WORKLOAD]);
    const startupMs = timed(repeats, () => ["run", HELLO]);
    const throughput = options.throughput === false ? [] : dplc(["run", THROUGHPUT]).stdout.split("\n").filter(Boolean);

    const trace = join(dir, "trace.jsonl");
    const again = join(dir, "replayed.jsonl");
    const recordMs = timed(repeats, () => ["run", WORKLOAD, "--record", trace]);
    const replayMs = timed(repeats, () => ["run", WORKLOAD, "--replay", trace, "--record", again]);
    const recorded = readFileSync(trace, "utf8");
    const events = recorded.split("\n").filter(Boolean).length;
    const traceBytes = Buffer.byteLength(recorded, "utf8");
    return {
      startupMs,
      throughput,
      recordMs,
      replayMs,
      identical: recorded === readFileSync(again, "utf8"),
      events,
      traceBytes,
      bytesPerEvent: traceBytes / events,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatRunBench(r: RunBenchReport): string {
  const row = (name: string, value: string): string => `  ${name.padEnd(52)}${value}`;
  const ms = (n: number): string => `${n.toFixed(0)} ms`;
  const net = (n: number): number => Math.max(0, n - r.startupMs);
  return [
    "through dplc run (DPL runtime + ABI bridge + embedded kernel)",
    ...r.throughput.map((line) => row("Q jobs/s, " + line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2))),
    row("start-up (hello.ds)", ms(r.startupMs)),
    row(`record, ${r.events} events (without start-up)`, `${ms(r.recordMs)} (${ms(net(r.recordMs))})`),
    row("replay (without start-up)", `${ms(r.replayMs)} (${ms(net(r.replayMs))})${r.identical ? ", byte-identical trace" : ", DIVERGED"}`),
    row("replay / record (without start-up)", (net(r.replayMs) / Math.max(1, net(r.recordMs))).toFixed(2)),
    row("trace bytes per event", r.bytesPerEvent.toFixed(1)),
  ].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf("--repeats");
  const repeats = at > 0 ? Number(process.argv[at + 1]) : 3;
  process.stdout.write(formatRunBench(runDplcBench({ repeats })) + "\n");
}
