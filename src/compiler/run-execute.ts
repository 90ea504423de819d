/**
 * One run of a compiled program on the embedded kernel: the part of `dplc run` that executes
 * user code. It runs in a worker thread (src/compiler/run-worker.ts), so the thread that
 * started it stays free to notice SIGINT/SIGTERM and timeouts and to close the outputs when
 * the program cannot (out of memory); embedders that pass their own ABI run it in-process.
 *
 * Trace and telemetry lines go to the descriptors the runner opened (src/compiler/run-output.ts)
 * as they are produced. An orderly end (main returned, `Err` from main, a runtime fault, a
 * stack overflow) shuts the kernel down, which writes the final `run_end`; any other end
 * (a limit, a signal, a replay that stopped) leaves the final entry to the runner, which
 * writes it after the last line that reached the file.
 */
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { MapChain } from "../emit/writer.js";
import { DplFault, FAULT_EXIT_STATUS, formatFault, mainStatus, BufferedSink, setStdout, setStderr, Vec, debugOf, RunStopped, setRunLimits, stepsUsed, type OutputSink, type Ty } from "#runtime";
import { bindAbi } from "#runtime/host-bridge.js";
import { setProgramArgs } from "#runtime/host-bindings.js";
import { createKernel, createReplayKernel, HostHalt, type EmbeddedKernel, type HybridAbi, type KernelOptions } from "../host/index.js";
import { lineTo, writeFully } from "./run-output.js";
import { safeLine } from "../diagnostics/render/escape.js";

export interface RunJob {
  /** file: URL of the compiled entry module. */
  readonly moduleUrl: string;
  readonly entry: { readonly name: string; readonly kind: "main" | "_entry" };
  /** Decimal u64. */
  readonly seed: string;
  readonly args: readonly string[];
  /** The program as argv[0] names it. */
  readonly program: string;
  readonly programHash: string;
  /** `.ds` texts by file, for quoting the line of a fault. */
  readonly texts: readonly (readonly [string, string])[];
  /** A trace already verified by the runner (signature, format, program). */
  readonly replayText?: string;
  /**
   * The replayed recording was stopped from outside at this step: the replay stops at the
   * same step (steps count identically on every run of a program) instead of running on.
   */
  readonly replayStopStep?: number;
  readonly traceFd?: number;
  readonly telemetryFd?: number;
  readonly fuel?: number;
  readonly timeoutSeconds?: number;
  /** For messages: the heap limit in MB (`--max-memory`), when one was set. */
  readonly maxMemoryMb?: number;
}

export interface RunEnd {
  readonly status: number;
  /** How the run ended, as the final trace entry says it (see ORDERLY_ENDS). */
  readonly ended: string;
  /** Steps taken (function calls and loop iterations), for the final entry. */
  readonly steps: number;
  /** A replay that stopped (divergence, impossible result, end of an incomplete trace). */
  readonly halted: boolean;
}

export interface RunIo {
  readonly stdout: OutputSink;
  readonly stderr: (text: string) => void;
  readonly stopFlag?: Int32Array;
  readonly abi?: (kernel: EmbeddedKernel) => HybridAbi;
  /** Recording runs: replaces the domain oracle (a clustered run, `src/cluster/`). */
  readonly oracle?: KernelOptions["oracle"];
  /** Stop the program, as out of memory, once its heap holds this much (see run.ts). */
  readonly heapLimitBytes?: number;
}

/** Exit statuses of runs stopped from outside the program. */
export const LIMIT_EXIT_STATUS = 124;
export const SIGNAL_EXIT_STATUS: Readonly<Record<"interrupted" | "terminated", number>> = { interrupted: 130, terminated: 143 };

/** Writes to a file descriptor synchronously: nothing is left in a buffer when a worker stops. */
export class FdSink implements OutputSink {
  constructor(private readonly fd: number) {}
  write(text: string): void {
    writeFully(this.fd, text);
  }
}

export async function executeJob(job: RunJob, io: RunIo): Promise<RunEnd> {
  const mod = (await import(job.moduleUrl)) as Record<string, unknown>;
  const texts = new Map(job.texts);
  const out = new BufferedSink(io.stdout);
  const err = new BufferedSink({ write: io.stderr });
  const prevOut = setStdout(out);
  const prevErr = setStderr(err);
  const stdout = (s: string): void => out.write(s);
  const sinks = {
    ...(job.traceFd !== undefined ? { traceSink: lineTo(job.traceFd) } : {}),
    ...(job.telemetryFd !== undefined ? { telemetrySink: lineTo(job.telemetryFd) } : {}),
  };
  let kernel: EmbeddedKernel;
  let argv = [job.program, ...job.args];
  if (job.replayText !== undefined) {
    const r = createReplayKernel(job.replayText, { stdout, ...sinks });
    if (!r.ok) {
      setStdout(prevOut);
      setStderr(prevErr);
      io.stderr(`error: cannot replay the trace: ${r.error.message}\n`);
      return { status: 1, ended: "replay-stopped", steps: 0, halted: true };
    }
    kernel = r.kernel;
    // XDV-071 §4.1: a replay runs on the recorded inputs. Arguments given anyway must be
    // the recorded ones, or the trace's first entry diverges and says so.
    if (job.args.length === 0) argv = [...r.argv];
  } else kernel = createKernel({ seed: BigInt(job.seed), stdout, ...sinks, ...(io.oracle ? { oracle: io.oracle } : {}) });
  let status = 0;
  let ended = "returned";
  let halted = false;
  let steps = 0;
  const previousAbi = bindAbi(io.abi ? io.abi(kernel) : kernel);
  const fuel = job.replayStopStep !== undefined ? Math.min(job.fuel ?? Infinity, job.replayStopStep) : job.fuel;
  setRunLimits({
    ...(fuel !== undefined ? { fuel } : {}),
    ...(job.timeoutSeconds !== undefined ? { deadline: performance.now() + job.timeoutSeconds * 1000 } : {}),
    ...(io.stopFlag ? { stopFlag: io.stopFlag } : {}),
    ...(io.heapLimitBytes !== undefined ? { heapLimitBytes: io.heapLimitBytes } : {}),
  });
  try {
    // XDV-052 §3.1: the process is not implicitly bound to Q or Φ. It starts Created, and
    // the program declares its domains by walking the lifecycle (`bring_up`).
    kernel.boot({ argv, autoActivate: false, program: job.programHash });
    setProgramArgs(argv);
    const fn = mod[job.entry.name] as (...a: unknown[]) => unknown;
    if (job.entry.kind === "main") {
      const result = fn() as { $tag?: string; _0?: unknown } | undefined;
      // `fn main() -> Result<(), E>` returning `Err(e)`: Rust's `Error: {e:?}` and status 1.
      const errTy = mod["main$error$ty"] as Ty | undefined;
      if (errTy && result?.$tag === "Err") {
        out.flush();
        io.stderr(`Error: ${debugOf(result._0, errTy)}\n`);
        status = 1;
        ended = "error";
      } else status = mainStatus(result);
    } else status = Number(fn(argv.length, Vec.from(argv)) ?? 0);
    status = ((status % 256) + 256) % 256;
  } catch (e) {
    out.flush();
    err.flush();
    const failure =
      e instanceof RunStopped && e.reason === "fuel" && job.replayStopStep !== undefined && e.steps >= job.replayStopStep
        ? { report: `error: the trace is incomplete: the recorded run was stopped at step ${job.replayStopStep} (its final entry says how); the replay reproduced it up to there\n`, status: 1, ended: "replay-stopped", halted: true }
        : classify(e, texts, job);
    io.stderr(failure.report);
    status = failure.status;
    ended = failure.ended;
    halted = failure.halted;
  } finally {
    steps = stepsUsed();
    setRunLimits({});
    out.flush();
    err.flush();
    setStdout(prevOut);
    setStderr(prevErr);
    bindAbi(previousAbi);
  }
  // Only an orderly end shuts the kernel down; after any other the runner closes the trace.
  if (["returned", "error", "fault", "stack-overflow"].includes(ended)) {
    try {
      kernel.shutdown(status, ended);
    } catch (e) {
      if (!(e instanceof HostHalt)) throw e;
      io.stderr(`error: ${safeLine(e.message)}\n`);
      return { status: 1, ended: "replay-stopped", steps, halted: true };
    }
  }
  return { status, ended, steps, halted };
}

interface Failure {
  readonly report: string;
  readonly status: number;
  readonly ended: string;
  readonly halted: boolean;
}

/** What a thrown value means for the run: the report, the exit status and how the trace says it ended. */
function classify(e: unknown, texts: ReadonlyMap<string, string>, job: RunJob): Failure {
  if (e instanceof DplFault) {
    const source = texts.get(e.site.file);
    return { report: formatFault(e, source === undefined ? {} : { source }), status: FAULT_EXIT_STATUS, ended: "fault", halted: false };
  }
  if (e instanceof HostHalt) {
    const replay = e.reason.kind.startsWith("replay");
    return { report: `error: ${safeLine(e.message)}\n`, status: 1, ended: replay ? "replay-stopped" : e.reason.kind, halted: replay };
  }
  const at = (err: unknown): string => {
    const where = mapStack((err as Error)?.stack ?? "")[0];
    return where ? ` at ${where}` : "";
  };
  if (e instanceof RunStopped) return stopped(e.reason, at(e), job);
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    // What a Rust program does when its stack runs out: an abort, not a panic.
    return { report: "\nthread 'main' has overflowed its stack\nfatal runtime error: stack overflow\n", status: 134, ended: "stack-overflow", halted: false };
  }
  if (e instanceof RangeError && /invalid (typed )?array length|invalid string length|array buffer allocation failed|allocation failed/i.test(e.message)) {
    // An allocation no heap can hold (`vec![0; 10^12]`): the program's fault, like Rust's
    // "memory allocation failed", not dplc's.
    return stopped("out-of-memory", at(e), job, `: ${e.message}`);
  }
  // Not a DPL fault: a bug in dplc or its runtime. Name the `.ds` positions, not the JavaScript.
  const err = e as Error;
  const where = mapStack(err?.stack ?? "");
  return {
    report: `error: internal error in the emitted program: ${err?.message ?? String(e)}\n${where.map((w) => `  at ${w}\n`).join("")}(please report this)\n`,
    status: FAULT_EXIT_STATUS,
    ended: "internal-error",
    halted: false,
  };
}

/** The report of a run stopped by a limit, a signal or memory; `at` is " at file.ds:line" or "". */
export function stopped(reason: string, at: string, job: Pick<RunJob, "fuel" | "timeoutSeconds" | "maxMemoryMb">, detail = ""): Failure {
  switch (reason) {
    case "fuel":
      return { report: `error: the program used up its fuel (--fuel ${job.fuel} steps)${at}\n`, status: LIMIT_EXIT_STATUS, ended: "fuel", halted: false };
    case "timeout":
      return { report: `error: the program reached its time limit (--timeout ${job.timeoutSeconds} s)${at}\n`, status: LIMIT_EXIT_STATUS, ended: "timeout", halted: false };
    case "interrupted":
    case "terminated":
      return { report: `error: the run was ${reason} (${reason === "interrupted" ? "SIGINT" : "SIGTERM"})${at}\n`, status: SIGNAL_EXIT_STATUS[reason], ended: reason, halted: false };
    default: {
      const limit = job.maxMemoryMb !== undefined ? ` (--max-memory ${job.maxMemoryMb} MB)` : "";
      return { report: `error: the program ran out of memory${limit}${at}${detail}\n`, status: FAULT_EXIT_STATUS, ended: "out-of-memory", halted: false };
    }
  }
}

const chains = new Map<string, MapChain | null>();

/** The `.ds` positions of a JavaScript stack's frames in emitted modules (through both maps). */
export function mapStack(stack: string): string[] {
  const out: string[] = [];
  for (const m of stack.matchAll(/(file:\/\/[^\s)]+\.js):(\d+):(\d+)/g)) {
    const path = fileURLToPath(m[1]!);
    if (!chains.has(path)) {
      try {
        chains.set(path, new MapChain([JSON.parse(readFileSync(`${path}.map`, "utf8")), JSON.parse(readFileSync(path.replace(/\.js$/, ".ts.map"), "utf8"))]));
      } catch {
        chains.set(path, null);
      }
    }
    const hit = chains.get(path)?.lookup(Number(m[2]), Number(m[3]));
    if (hit) out.push(`${hit.source}:${hit.line}`);
  }
  return out;
}

