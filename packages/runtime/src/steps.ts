/**
 * Run limits, as emitted code meets them: every function call and every loop iteration
 * calls `step()`. A step is one decrement; every `POLL` steps the slow path looks at the
 * limits the runner set (`setRunLimits`): the fuel left (`--fuel`), the deadline
 * (`--timeout`), the stop flag another thread raises (SIGINT/SIGTERM, or the timeout seen
 * from outside), and the heap (a program about to exhaust memory is stopped while it can
 * still report where it was). A limit reached throws `RunStopped` from inside the program,
 * so the run unwinds normally: output flushed, trace closed with how it ended.
 *
 * Steps count the same way on every run of the same program, so `--fuel N` stops a
 * program at the same point every time; the deadline, the flag and the heap do not.
 */
import { getHeapStatistics } from "node:v8";

export type StopReason = "fuel" | "timeout" | "interrupted" | "terminated" | "out-of-memory";

/** Values of the shared stop flag (index 0 of an Int32Array over a SharedArrayBuffer). */
export const STOP_FLAG: Readonly<Record<"none" | "timeout" | "interrupted" | "terminated", number>> = { none: 0, timeout: 1, interrupted: 2, terminated: 3 };

export class RunStopped extends Error {
  constructor(
    readonly reason: StopReason,
    readonly steps: number,
  ) {
    super(`run stopped: ${reason}`);
    this.name = "RunStopped";
  }
}

const POLL = 1 << 16;

let budget = POLL;
let window = POLL;
let used = 0;
let fuel = Infinity;
let deadline = Infinity;
let flag: Int32Array | null = null;
let heapLimit = Infinity;

export interface RunLimits {
  /** Steps the run may take. */
  readonly fuel?: number;
  /** `performance.now()` value after which the run stops. */
  readonly deadline?: number;
  readonly stopFlag?: Int32Array;
  /** Stop as out of memory once the heap holds this many bytes. */
  readonly heapLimitBytes?: number;
}

export function setRunLimits(limits: RunLimits): void {
  fuel = limits.fuel ?? Infinity;
  deadline = limits.deadline ?? Infinity;
  flag = limits.stopFlag ?? null;
  heapLimit = limits.heapLimitBytes ?? Infinity;
  used = 0;
  window = Math.max(1, Math.min(POLL, fuel));
  budget = window;
}

export function step(): void {
  if (--budget <= 0) refill();
}

/**
 * Steps for a run of iterations of a counting loop whose body takes no step itself
 * (src/emit/leaf-loops.ts): the loop may run its counter from `from` up to (not including)
 * the value returned, at most `to`, each iteration counted as one step. Exactly the
 * iterations whose `step()` would not have reached the slow path are handed out together;
 * the one that would is taken through `step()`, alone, so limits are checked on the same
 * step as with a `step()` per iteration.
 */
export function stepSpan(from: number, to: number): number {
  if (budget > 1) {
    const k = Math.min(to - from, budget - 1);
    budget -= k;
    return from + k;
  }
  step();
  return from + 1;
}

/**
 * The same for a `while` loop whose condition and body take no step themselves: the loop
 * holds the steps it took (`stepTake`) in a local, counts them down, takes the one that
 * would reach the slow path through `stepOne` (which takes the next run), and gives back
 * what it did not use when it ends (`stepGive`).
 */
export function stepTake(): number {
  if (budget <= 1) return 0;
  const k = budget - 1;
  budget = 1;
  return k;
}

export function stepOne(): number {
  step();
  return stepTake();
}

export function stepGive(k: number): void {
  budget += k;
}

/** Steps taken so far. */
export function stepsUsed(): number {
  return used + (window - Math.max(budget, 0));
}

function refill(): void {
  used += window;
  window = 0;
  budget = 0;
  if (flag !== null) {
    const f = Atomics.load(flag, 0);
    if (f !== STOP_FLAG.none) throw new RunStopped(f === STOP_FLAG.timeout ? "timeout" : f === STOP_FLAG.terminated ? "terminated" : "interrupted", used);
  }
  if (deadline !== Infinity && performance.now() >= deadline) throw new RunStopped("timeout", used);
  if (heapLimit !== Infinity && getHeapStatistics().used_heap_size >= heapLimit) throw new RunStopped("out-of-memory", used);
  const left = fuel - used;
  if (left <= 0) throw new RunStopped("fuel", used);
  window = Math.min(POLL, left);
  budget = window;
}
