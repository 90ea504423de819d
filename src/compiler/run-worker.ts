/**
 * The worker thread `dplc run` executes a program in (see run-execute.ts for why). Output
 * goes to the process's descriptors synchronously, so nothing waits in a buffer of this
 * thread if it is stopped.
 */
import { getHeapStatistics } from "node:v8";
import { parentPort, workerData } from "node:worker_threads";
import { executeJob, FdSink, type RunJob } from "./run-execute.js";
import { writeFully } from "./run-output.js";

const data = workerData as { job: RunJob; stopFlag: Int32Array };
// The program is stopped at its limit (`--max-memory`, else three quarters of the heap V8
// gives this thread) while there is room left to unwind, report and close the trace; the
// thread's hard limit is set above it (run.ts) for allocations made between two checks.
const mb = data.job.maxMemoryMb;
const heapLimitBytes = mb !== undefined ? mb * 1024 * 1024 : getHeapStatistics().heap_size_limit * 0.75;
const end = await executeJob(data.job, { stdout: new FdSink(1), stderr: (text) => writeFully(2, text), stopFlag: data.stopFlag, heapLimitBytes });
parentPort?.postMessage(end);
