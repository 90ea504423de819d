/**
 * Entry point of the host layer: build a recording kernel or a replay kernel.
 *
 *   const kernel = createKernel({ seed, stdout: (s) => process.stdout.write(s) });
 *   kernel.boot({ argv });
 *   const status = runProgram(kernel);          // emitted code calls the HybridAbi methods
 *   kernel.shutdown(status);
 *   writeFileSync(tracePath, kernel.traceJsonl());
 *   writeFileSync(telemetryPath, kernel.telemetryJsonl());
 *
 *   const replay = createReplayKernel(readFileSync(tracePath, "utf8"), { stdout });
 *   if (!replay.ok) report(replay.error);        // tampered or malformed trace: entry named
 *   else { replay.kernel.boot({ argv }); ... }   // same program; HostHalt on divergence
 *
 * The replay kernel takes its seed from the trace header and answers Q and Φ from the
 * recorded entries, so it needs no `--seed`.
 */
import { PhiProvider, type PhiProviderConfig } from "./phi/provider.js";
import { QProvider, type QProviderConfig } from "./q/provider.js";
import { SeedKeys } from "./random/prng.js";
import { recordedRun, ReplaySession } from "./trace/replay.js";
import { parseTrace, TraceChain, type TraceIntegrityError } from "./trace/trace-chain.js";
import { Telemetry } from "./telemetry/telemetry.js";
import { DEFAULT_LIMITS, KernelCore, type KernelLimits } from "./kernel/core.js";
import { EmbeddedKernel } from "./kernel/embedded-kernel.js";
import { LiveOracle } from "./kernel/oracle.js";

export * from "#runtime/abi.js";
export { EmbeddedKernel, type BootOptions, type RunSummary } from "./kernel/embedded-kernel.js";
export { RecordingAbi, type AbiCall } from "./recording-abi.js";
export type { KernelLimits } from "./kernel/core.js";
export { parseTrace, type TraceEntry, type TraceIntegrityError } from "./trace/trace-chain.js";
export type { MetricRecord, FaultEvent, TelemetryRecord } from "./telemetry/telemetry.js";

export interface KernelOptions {
  /** The run seed (`--seed`): fixes capability ids, Q shot sampling and Φ readings. */
  readonly seed: bigint;
  /** Where `k_log` output goes; discarded when absent. */
  readonly stdout?: (text: string) => void;
  /** Tenant of the root process. */
  readonly rootTenant?: bigint;
  readonly limits?: Partial<KernelLimits>;
  readonly q?: Partial<QProviderConfig>;
  readonly phi?: Partial<PhiProviderConfig>;
  /** Receives each telemetry line as it is produced (for streaming to a file). */
  readonly telemetrySink?: (line: string) => void;
}

export type ReplayOptions = Omit<KernelOptions, "seed">;

function build(seed: bigint, options: ReplayOptions, replay?: ReplaySession): EmbeddedKernel {
  const keys = new SeedKeys(seed);
  const q = new QProvider(options.q);
  const phi = new PhiProvider(keys, options.phi);
  const trace = new TraceChain(replay?.observe);
  const telemetry = new Telemetry(options.telemetrySink);
  const oracle = replay ?? new LiveOracle(keys, q, phi);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const core = new KernelCore(keys, trace, telemetry, oracle, q, phi, limits, options.stdout ?? (() => {}));
  return new EmbeddedKernel(core, options.rootTenant ?? 1n, replay);
}

export function createKernel(options: KernelOptions): EmbeddedKernel {
  return build(options.seed, options);
}

export type ReplayKernelResult =
  | { readonly ok: true; readonly kernel: EmbeddedKernel; readonly argv: readonly string[] }
  | { readonly ok: false; readonly error: TraceIntegrityError };

/**
 * Verifies the trace (hash chain, canonical bytes, ordering) and builds a kernel that
 * replays it. `argv` is the recorded argument list, for runners that want to reuse it.
 * Provider and limit options must match the recording run, or the header entry diverges.
 */
export function createReplayKernel(traceText: string, options: ReplayOptions = {}): ReplayKernelResult {
  const parsed = parseTrace(traceText);
  if (!parsed.ok) return parsed;
  const run = recordedRun(parsed.trace);
  if (typeof run === "string") return { ok: false, error: { entry_index: 0, reason: "malformed", message: `trace entry 0 (line 1): ${run}` } };
  const session = new ReplaySession(parsed.trace);
  // The default qubit limit follows the recording machine's memory; replay under that limit.
  const recordedQ = parsed.trace.entries[0]?.metadata["q_provider"];
  const recordedMax = recordedQ !== null && typeof recordedQ === "object" && !Array.isArray(recordedQ) ? (recordedQ as Record<string, unknown>)["max_logical_qubits"] : undefined;
  const q = typeof recordedMax === "number" && options.q?.maxQubits === undefined ? { ...options.q, maxQubits: recordedMax } : options.q;
  return { ok: true, kernel: build(run.seed, { ...options, ...(q ? { q } : {}) }, session), argv: run.argv };
}
