/**
 * One test run of `dplc test`, inside its own worker thread: a fresh module graph (so a
 * `static mut` of the program or of the stdlib starts from its initial value) and a freshly
 * booted embedded kernel with its own process, capabilities and contracts. The parent
 * (compiler/tests.ts) sends `TestJob`s one at a time and gets one `TestRunResult` per job.
 */
import { parentPort, workerData } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { DplFault, FAULT_EXIT_STATUS, formatFault, setStderr, setStdout, type OutputSink } from "#runtime";
import { bindAbi } from "#runtime/host-bridge.js";
import { createKernel, HostHalt } from "../host/index.js";
import { ORDERLY_ENDS } from "../host/trace/trace-chain.js";
import { lineTo } from "./run-output.js";

export interface TestJob {
  /** The cached `.js` module that defines the test. */
  readonly modulePath: string;
  /** The test function's exported name in it. */
  readonly exportName: string;
  readonly seed: string;
  readonly argv0: string;
  /**
   * Stream the run's trace to this descriptor (for `--record`): a temporary file that the
   * parent signs and puts in place, or drops when the run passed (run-output.ts).
   */
  readonly traceFd?: number;
  /** The program's SHA-256, named by the trace's `run_start`. */
  readonly programHash?: string;
}

export interface TestRunResult {
  /** `fault`: a runtime fault (a panic, an assertion); `err`: the test returned `Err`; `halt`: the host stopped the run. */
  readonly outcome: "returned" | "fault" | "err" | "halt" | "internal";
  /** What the program printed (stdout and stderr, interleaved as written). */
  readonly output: string;
  /** The failure report: the fault with its `.ds` position, or the error. */
  readonly message: string;
  /** How the run ended, in the words of a trace's `run_end` (see trace-chain.ts). */
  readonly ended?: string;
  readonly status?: number;
}

class StringSink implements OutputSink {
  text = "";
  write(text: string): void {
    this.text += text;
  }
}

const texts = (workerData as { texts: Record<string, string> }).texts;

async function runJob(job: TestJob): Promise<TestRunResult> {
  const sink = new StringSink();
  setStdout(sink);
  setStderr(sink);
  const kernel = createKernel({ seed: BigInt(job.seed), stdout: (s) => sink.write(s), ...(job.traceFd !== undefined ? { traceSink: lineTo(job.traceFd) } : {}) });
  bindAbi(kernel);
  let outcome: TestRunResult["outcome"] = "returned";
  let message = "";
  let status = 0;
  let ended = "returned";
  try {
    kernel.boot({ argv: [job.argv0], autoActivate: false, ...(job.programHash !== undefined ? { program: job.programHash } : {}) });
    const mod = (await import(pathToFileURL(job.modulePath).href)) as Record<string, unknown>;
    const fn = mod[job.exportName] as () => unknown;
    const result = fn() as { $tag?: string; _0?: unknown } | undefined;
    if (result !== null && typeof result === "object" && result.$tag === "Err") {
      outcome = "err";
      message = `the test returned Err(${describe(result._0)})`;
      status = 1;
      ended = "error";
    }
  } catch (e) {
    status = FAULT_EXIT_STATUS;
    ended = "fault";
    if (e instanceof DplFault) {
      outcome = "fault";
      const source = texts[e.site.file];
      message = formatFault(e, source === undefined ? {} : { source });
    } else if (e instanceof HostHalt) {
      outcome = "halt";
      message = `error: ${e.message}`;
      ended = "internal-error";
    } else if (e instanceof RangeError && /call stack/i.test(e.message)) {
      outcome = "fault";
      message = "the test overflowed its stack";
      ended = "stack-overflow";
    } else {
      outcome = "internal";
      message = `internal error in the emitted program: ${(e as Error)?.message ?? String(e)} (please report this)`;
      ended = "internal-error";
    }
  }
  // Only an orderly end shuts the kernel down (its `run_end` closes the trace); after any
  // other the parent closes the trace, as `dplc run` does.
  if (ORDERLY_ENDS.includes(ended)) {
    try {
      kernel.shutdown(status, ended);
    } catch (e) {
      if (!(e instanceof HostHalt)) throw e;
    }
  }
  return { outcome, output: sink.text, message: message.replace(/\n+$/, ""), ended, status };
}

/** A best-effort rendering of an `Err` payload (its DPL type is not known here). */
function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint" || typeof v === "number" || typeof v === "boolean") return String(v);
  if (v && typeof v === "object" && "$tag" in v) return String((v as { $tag: unknown }).$tag);
  return "..";
}

parentPort!.on("message", (job: TestJob) => {
  runJob(job).then(
    (r) => parentPort!.postMessage(r),
    (e) => parentPort!.postMessage({ outcome: "internal", output: "", message: `internal error in dplc test: ${(e as Error)?.message ?? String(e)}` } satisfies TestRunResult),
  );
});
