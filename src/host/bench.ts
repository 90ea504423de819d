/**
 * Host-layer benchmark: Q job throughput through the whole ABI path (capability and contract
 * checks, simulation, sampling, trace hashing, telemetry) for a 2-qubit and a 16-qubit
 * circuit, the cost of replaying a run against recording it, and trace bytes per event.
 *
 * This file reads the wall clock, which the kernel never does: timing is what it measures,
 * and nothing it measures feeds back into a run. `npm run bench` prints `formatHostBench`.
 */
import { performance } from "node:perf_hooks";
import type { HybridAbi, QJobResult } from "#runtime/abi.js";
import { createKernel, createReplayKernel, type EmbeddedKernel } from "./index.js";

export interface HostBenchOptions {
  readonly jobs2q?: number;
  readonly jobs16q?: number;
  readonly shots?: number;
  /** Jobs and Φ transforms in the record/replay workload. */
  readonly workloadJobs?: number;
  readonly seed?: bigint;
}

export interface ThroughputResult {
  readonly qubits: number;
  readonly depth: number;
  readonly jobs: number;
  readonly shots: number;
  readonly seconds: number;
  readonly jobsPerSecond: number;
}

export interface HostBenchReport {
  readonly twoQubit: ThroughputResult;
  readonly sixteenQubit: ThroughputResult;
  readonly record: { readonly seconds: number; readonly events: number; readonly traceBytes: number };
  readonly replay: { readonly seconds: number; readonly identical: boolean };
  readonly replayOverRecord: number;
  readonly traceBytesPerEvent: number;
}

const HEADER = 'OPENQASM 2.0;\ninclude "qelib1.inc";\n';
/** The embedded Φ provider's longest window; the workload's events all fit inside it. */
const WINDOW = 1_000_000n;

function bell(): string {
  return HEADER + "qreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n";
}

/** Sixteen qubits, entangled in a ladder with rotations between layers: a dense state. */
function wide(n = 16, layers = 4): string {
  const lines = [`qreg q[${n}];`, `creg c[${n}];`, "h q;"];
  for (let l = 0; l < layers; l++) {
    for (let i = 0; i + 1 < n; i += 2) lines.push(`cx q[${i}],q[${i + 1}];`);
    for (let i = 1; i + 1 < n; i += 2) lines.push(`cx q[${i}],q[${i + 1}];`);
    for (let i = 0; i < n; i++) lines.push(`rz(${((l + 1) * (i + 1)) % 7}*pi/8) q[${i}];`, `ry(pi/${l + 3}) q[${i}];`);
  }
  lines.push("measure q -> c;");
  return HEADER + lines.join("\n") + "\n";
}

function unwrap<T>(r: { ok: true; value: T } | { ok: false; code: string; fault: { message: string } }): T {
  if (!r.ok) throw new Error(`benchmark setup failed: ${r.code}: ${r.fault.message}`);
  return r.value;
}

function throughput(circuit: string, qubits: number, jobs: number, shots: number, seed: bigint): ThroughputResult {
  const kernel = createKernel({ seed, q: { maxQubits: Math.max(24, qubits) } });
  kernel.boot({ argv: ["bench"] });
  const cap = unwrap(kernel.requestCapability("Q")).raw_id;
  const contract = unwrap(
    kernel.acquireQContract({ capability: cap, qubits, decoherence_budget: 1n << 40n, shot_budget: 1n << 40n, lifetime: 1n << 40n }),
  ).id;
  let depth = 0;
  const start = performance.now();
  for (let j = 0; j < jobs; j++) {
    depth = unwrap(kernel.xdvCall("K", "Q", { contract_id: contract, qubit_count: qubits, circuit, shots }, cap)).depth;
  }
  const seconds = (performance.now() - start) / 1000;
  kernel.shutdown(0);
  return { qubits, depth, jobs, shots, seconds, jobsPerSecond: jobs / seconds };
}

/** A mixed program: Q jobs whose next circuit depends on the last outcome, and Φ transforms. */
function workload(abi: HybridAbi, jobs: number, shots: number): void {
  const qCap = unwrap(abi.requestCapability("Q")).raw_id;
  const phiCap = unwrap(abi.requestCapability("Φ")).raw_id;
  const contract = unwrap(abi.acquireQContract({ capability: qCap, qubits: 6, decoherence_budget: 1n << 40n, shot_budget: 1n << 40n, lifetime: 1n << 40n })).id;
  const ghz = HEADER + "qreg q[6];\ncreg c[6];\nh q[0];\n" + [1, 2, 3, 4, 5].map((i) => `cx q[${i - 1}],q[${i}];`).join("\n") + "\nmeasure q -> c;\n";
  const start = abi.now() + 1n;
  const envelope = unwrap(abi.acquirePhiContract({ capability: phiCap, window_start: start, window_duration: WINDOW, stability_tolerance: 0, transform_budget: 1n << 40n })).id;
  abi.waitUntil(start);
  let useGhz = false;
  for (let j = 0; j < jobs; j++) {
    const r: QJobResult = unwrap(abi.xdvCall("K", "Q", { contract_id: contract, qubit_count: 6, circuit: useGhz ? ghz : bell(), shots }, qCap));
    useGhz = (r.counts[0]?.count ?? 0) % 2 === 0;
    unwrap(abi.xdvCall("K", "Φ", { contract_id: envelope, transform_id: (j % 16) + 1, coherence_start: start, duration: WINDOW, stability_tolerance: 0 }, phiCap));
    if (j % 10 === 0) abi.kLog(`job ${j}`);
  }
}

export function runHostBench(options: HostBenchOptions = {}): HostBenchReport {
  const seed = options.seed ?? 1n;
  const shots = options.shots ?? 1024;
  const twoQubit = throughput(bell(), 2, options.jobs2q ?? 500, shots, seed);
  const sixteenQubit = throughput(wide(), 16, options.jobs16q ?? 20, shots, seed);

  const jobs = options.workloadJobs ?? 300;
  const recorder: EmbeddedKernel = createKernel({ seed });
  let t = performance.now();
  recorder.boot({ argv: ["bench"] });
  workload(recorder, jobs, shots);
  const summary = recorder.shutdown(0);
  const recordSeconds = (performance.now() - t) / 1000;
  const trace = recorder.traceJsonl();

  t = performance.now();
  const made = createReplayKernel(trace);
  if (!made.ok) throw new Error(`benchmark trace failed verification: ${made.error.message}`);
  made.kernel.boot({ argv: ["bench"] });
  workload(made.kernel, jobs, shots);
  made.kernel.shutdown(0);
  const replaySeconds = (performance.now() - t) / 1000;

  return {
    twoQubit,
    sixteenQubit,
    record: { seconds: recordSeconds, events: summary.trace_entries, traceBytes: summary.trace_bytes },
    replay: { seconds: replaySeconds, identical: made.kernel.traceJsonl() === trace },
    replayOverRecord: replaySeconds / recordSeconds,
    traceBytesPerEvent: summary.trace_bytes / summary.trace_entries,
  };
}

export function formatHostBench(r: HostBenchReport): string {
  const row = (name: string, value: string): string => `  ${name.padEnd(48)}${value}`;
  const fixed = (n: number, d = 1): string => n.toFixed(d);
  return [
    "host layer (embedded kernel)",
    row(`Q jobs/s, ${r.twoQubit.qubits} qubits, depth ${r.twoQubit.depth}, ${r.twoQubit.shots} shots`, fixed(r.twoQubit.jobsPerSecond)),
    row(`Q jobs/s, ${r.sixteenQubit.qubits} qubits, depth ${r.sixteenQubit.depth}, ${r.sixteenQubit.shots} shots`, fixed(r.sixteenQubit.jobsPerSecond)),
    row("record time (s)", fixed(r.record.seconds, 3)),
    row("replay time (s)", `${fixed(r.replay.seconds, 3)}${r.replay.identical ? " (byte-identical)" : " (DIVERGED)"}`),
    row("replay / record", fixed(r.replayOverRecord, 2)),
    row("trace events", String(r.record.events)),
    row("trace bytes per event", fixed(r.traceBytesPerEvent)),
  ].join("\n");
}
