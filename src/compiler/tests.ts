/**
 * `dplc test`: find the functions marked `@test` / `#[test]` in a checked program and run
 * each one, under each seed, in its own worker thread (test-worker.ts) on a fresh embedded
 * kernel. Nothing here prints or exits: the CLI renders the results.
 *
 * Tests live beside the code. `dplc build` and `dplc run` emit them like any function but
 * never call them: a test is only ever the entry of a `dplc test` run.
 */
import { Worker } from "node:worker_threads";
import { createHash } from "node:crypto";
import type * as A from "../syntax/ast.js";
import type { ModuleDef } from "../semantic/defs.js";
import type { CheckedProgram } from "../semantic/program.js";
import { SymbolTable, type EmitUnit } from "../emit/symbols.js";
import { join } from "node:path";
import { compileToCache, programSha256 } from "./run.js";
import { finishTrace, StreamedFile } from "./run-output.js";
import type { TestJob, TestRunResult } from "./test-worker.js";

export interface TestCase {
  /** `file_stem::module::name`, what `--filter` matches. */
  readonly id: string;
  readonly file: string;
  readonly line: number;
  /** `@should_fail` / `#[should_panic]`: passes only when the run faults. */
  readonly shouldFail: boolean;
  /** `@ignore` / `#[ignore]`: listed as skipped, never run. */
  readonly ignored: boolean;
  /** Why the function cannot be a test (it takes parameters, or is generic); it then fails. */
  readonly invalid: string | null;
  readonly unit: EmitUnit;
  readonly exportName: string;
}

export interface SeedRun {
  readonly seed: bigint;
  readonly passed: boolean;
  readonly result: TestRunResult;
  /** The signed trace of a failing run, with `--record`. */
  readonly tracePath?: string;
  /** Why that trace is not signed, if it is not. */
  readonly traceWarning?: string;
}

export interface TestOutcome {
  readonly test: TestCase;
  readonly status: "passed" | "failed" | "skipped";
  readonly runs: readonly SeedRun[];
}

function hasMark(it: A.FnItem, names: readonly string[]): boolean {
  return it.annotations.some((a) => names.includes(a.name.name));
}

/** Every test function of the program's own modules (never the stdlib's), in source order. */
export function discoverTests(units: readonly EmitUnit[], symbols: SymbolTable): TestCase[] {
  const out: TestCase[] = [];
  for (const u of units) {
    const walk = (items: readonly A.Item[], m: ModuleDef): void => {
      for (const it of items) {
        if (it.kind === "ModItem" && it.items !== null) {
          const child = m.children.get(it.name.name);
          if (child) walk(it.items, child);
          continue;
        }
        if (it.kind !== "FnItem" || !hasMark(it, ["test"])) continue;
        const def = u.tables.itemDefs.get(it);
        const sym = def && def.kind === "fn" ? symbols.symbol(def) : undefined;
        if (!sym) continue;
        const invalid =
          it.params.length > 0 || it.selfParam !== null
            ? "a test function takes no parameters"
            : it.generics.length > 0
              ? "a test function cannot be generic"
              : it.body.kind !== "block"
                ? "a test function needs a body"
                : null;
        out.push({
          id: [m.root.name, ...m.path, it.name.name].join("::"),
          file: u.source.name,
          line: it.name.span.start.line,
          shouldFail: hasMark(it, ["should_fail", "should_panic"]),
          ignored: hasMark(it, ["ignore"]),
          invalid,
          unit: u,
          exportName: sym.name,
        });
      }
    };
    walk(u.root.items, u.root);
  }
  return out;
}

/**
 * The seeds of an ensemble: the base seed first, then seeds derived from it by SHA-256
 * (`dplc-test-seed:<base>:<i>`, the first 8 bytes, big-endian), so `--seed N --seeds K`
 * gives the same K seeds on every machine and each one can be replayed with `--seed`.
 */
export function ensembleSeeds(base: bigint, count: number): bigint[] {
  const out: bigint[] = [base];
  for (let i = 1; i < count; i++) {
    const h = createHash("sha256").update(`dplc-test-seed:${base}:${i}`).digest();
    out.push(h.readBigUInt64BE(0));
  }
  return out;
}

export interface RunTestsOptions {
  readonly seeds: readonly bigint[];
  /**
   * `--record DIR`: each run's trace is streamed to a temporary file in DIR as the run goes;
   * a failing run's is closed, signed with the trace key and put in place (as `dplc run
   * --record` does), a passing run's is dropped.
   */
  readonly record?: { readonly dir: string; readonly traceKey?: string };
  /** Stop a run that takes longer than this (a test that never ends fails instead of hanging). */
  readonly timeoutMs: number;
  readonly onResult?: (outcome: TestOutcome) => void;
}

const WORKER_URL = new URL("./test-worker.js", import.meta.url);

/** Run one test under one seed in a fresh worker. */
function runInWorker(job: TestJob, texts: Record<string, string>, timeoutMs: number): Promise<TestRunResult> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_URL, { workerData: { texts }, stdout: true, stderr: true });
    let done = false;
    const finish = (r: TestRunResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // Stopped before the result is used: a stopped worker writes no more trace lines.
      worker.terminate().then(
        () => resolve(r),
        () => resolve(r),
      );
    };
    const timer = setTimeout(() => finish({ outcome: "halt", output: "", message: `the test did not finish within ${timeoutMs / 1000} s and was stopped`, ended: "timeout", status: 124 }), timeoutMs);
    worker.on("message", (r: TestRunResult) => finish(r));
    worker.on("error", (e) => finish({ outcome: "internal", output: "", message: `internal error in dplc test: ${e.message}`, ended: "internal-error", status: 1 }));
    worker.on("exit", () => finish({ outcome: "internal", output: "", message: "internal error in dplc test: the test's worker stopped without a result", ended: "internal-error", status: 1 }));
    worker.postMessage(job);
  });
}

/** A trace of `--record DIR` could not be written there. */
export class RecordError extends Error {}

/** The file a failing run's trace is kept in: the test's path and the seed. */
export function traceFileName(id: string, seed: bigint): string {
  return `${id.replace(/::/g, ".").replace(/[^A-Za-z0-9_.-]/g, "_")}.seed-${seed}.trace`;
}

function passedRun(test: TestCase, r: TestRunResult): boolean {
  if (test.shouldFail) return r.outcome === "fault";
  return r.outcome === "returned";
}

export interface TestPlan {
  readonly tests: readonly TestCase[];
  run(filter: (t: TestCase) => boolean, options: RunTestsOptions): Promise<TestOutcome[]>;
}

/** Compile a checked program for testing (into the run cache) and list its tests. */
export function planTests(checked: CheckedProgram): TestPlan {
  const cached = compileToCache(checked);
  const symbols = new SymbolTable(cached.all);
  const tests = discoverTests(cached.user, symbols);
  const texts = Object.fromEntries(cached.texts);
  const programHash = programSha256(cached.all);
  return {
    tests,
    async run(filter, options) {
      const outcomes: TestOutcome[] = [];
      for (const test of tests.filter(filter)) {
        const runs: SeedRun[] = [];
        if (!test.ignored) {
          for (const seed of options.seeds) {
            if (test.invalid) {
              runs.push({ seed, passed: false, result: { outcome: "internal", output: "", message: `${test.invalid}: \`${test.id}\` (${test.file}:${test.line})` } });
              break;
            }
            let trace: StreamedFile | undefined;
            if (options.record) {
              const f = StreamedFile.open(join(options.record.dir, traceFileName(test.id, seed)));
              if (typeof f === "string") throw new RecordError(f);
              trace = f;
            }
            const job: TestJob = { modulePath: cached.jsPath(test.unit), exportName: test.exportName, seed: String(seed), argv0: test.file, programHash, ...(trace ? { traceFd: trace.fd } : {}) };
            const result = await runInWorker(job, texts, options.timeoutMs);
            const passed = passedRun(test, result);
            if (trace && passed) trace.discard();
            if (trace && !passed) {
              const { warning } = finishTrace(trace, { ended: result.ended ?? "internal-error", status: result.status ?? 1 }, options.record?.traceKey);
              trace.commit();
              runs.push({ seed, passed, result, tracePath: trace.target, ...(warning ? { traceWarning: warning } : {}) });
            } else runs.push({ seed, passed, result });
          }
        }
        const status = test.ignored ? "skipped" : runs.every((r) => r.passed) ? "passed" : "failed";
        const outcome: TestOutcome = { test, status, runs };
        options.onResult?.(outcome);
        outcomes.push(outcome);
      }
      return outcomes;
    },
  };
}
