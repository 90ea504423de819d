/**
 * `dplc test [paths...] [--seed N] [--seeds K] [--filter S] [--exact] [--format text|json|junit] [--record DIR]`.
 *
 * Check the program (errors: rendered on stderr, exit 1, nothing runs), then run every test
 * under every seed of the ensemble. Text output: one line per test as it finishes, the
 * failures with their output, seed and replay command, then the summary line
 * `N passed, N failed, N skipped` alone on its line. Exit 1 when any test failed.
 */
import { mkdirSync } from "node:fs";
import { StreamedFile } from "../compiler/run-output.js";
import { join } from "node:path";
import { analyzeSources, frameSources } from "../compiler/analyze.js";
import { ensembleSeeds, planTests, RecordError, type RunTestsOptions, type TestCase, type TestOutcome, type TestPlan } from "../compiler/tests.js";
import { displayName } from "../compiler/sources.js";
import type { Profile } from "../compiler/options.js";
import { TextRenderer } from "../diagnostics/render/text.js";
import { loadSources } from "./build-command.js";
import { resolveTarget } from "./project-target.js";
import { UsageError } from "./usage-error.js";
import { useColor } from "./color.js";
import { parseSeed } from "./run-command.js";
import { safeLine } from "../diagnostics/render/escape.js";

export interface TestCommandOptions {
  readonly seed?: string;
  readonly seeds?: string;
  readonly filter?: string;
  readonly exact: boolean;
  readonly format: "text" | "json" | "junit";
  readonly record?: string;
  readonly profile?: Profile;
  readonly timeout?: string;
  readonly color: boolean;
}

function parseCount(text: string | undefined, flag: string, max: number, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) throw new UsageError(`\`${flag}\` takes a whole number from 1 to ${max}, not \`${text}\``);
  return Number(text);
}

/** Quote a command-line word for a POSIX shell when it needs it. */
function shellWord(w: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

export async function runTest(paths: readonly string[], opts: TestCommandOptions): Promise<number> {
  const base = parseSeed(opts.seed);
  const seedCount = parseCount(opts.seeds, "--seeds", 10000, 1);
  const timeoutS = parseCount(opts.timeout, "--timeout", 86400, 60);
  const target = resolveTarget(paths, opts.profile);
  const sources = loadSources(target.paths);
  const analysis = analyzeSources(sources, { profile: target.profile, allBlocks: false, dependencies: target.dependencies });
  const { model, diagnostics } = analysis;
  const checked = model?.program ?? null;
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (diagnostics.length > 0) {
    const renderer = new TextRenderer(frameSources(analysis), { color: useColor(opts.color, process.stderr) });
    for (const d of diagnostics) process.stderr.write(renderer.render(d));
  }
  if (!checked || errors.length > 0) {
    process.stderr.write(`error: could not test: ${errors.length} error${errors.length === 1 ? "" : "s"}\n`);
    return 1;
  }
  const plan = planTests(checked);
  const depRoots = [...target.dependencies.values()];
  // The tests of the project itself, not those of its dependencies.
  const own = (t: TestCase): boolean => !depRoots.includes(t.unit.root.root.filePath ?? "");
  const matches = (t: TestCase): boolean => own(t) && (opts.filter === undefined || (opts.exact ? t.id === opts.filter : t.id.includes(opts.filter)));
  const selected = plan.tests.filter(matches);
  const seeds = ensembleSeeds(base, seedCount);
  // The exact command that replays one failing run: the same files, the test, the seed.
  const replay = (t: TestCase, seed: bigint): string =>
    ["dplc", "test", ...paths, "--exact", "--filter", t.id, "--seed", String(seed), ...(opts.profile ? ["--profile", opts.profile] : [])].map(shellWord).join(" ");
  const text = opts.format === "text";
  if (text) {
    const ens = seedCount > 1 ? `${seedCount} seeds from ${base}` : `seed ${base}`;
    process.stdout.write(`running ${selected.length} test${selected.length === 1 ? "" : "s"} (${ens})\n`);
  }
  // The trace folder must be writable before anything runs (as for `dplc run --record`).
  if (opts.record !== undefined) checkRecordDir(opts.record);
  const outcomes = await runPlan(plan, matches, {
    seeds,
    ...(opts.record !== undefined ? { record: { dir: opts.record } } : {}),
    timeoutMs: timeoutS * 1000,
    onResult: (o) => {
      if (text) process.stdout.write(testLine(o, seedCount));
    },
  });
  const recorded = recordedTraces(outcomes);
  const count = (s: TestOutcome["status"]): number => outcomes.filter((o) => o.status === s).length;
  const summary = `${count("passed")} passed, ${count("failed")} failed, ${count("skipped")} skipped`;
  if (opts.format === "text") process.stdout.write(failureReport(outcomes, replay, recorded) + summary + "\n");
  else if (opts.format === "json") process.stdout.write(JSON.stringify(jsonReport(outcomes, base, seeds, replay, recorded), null, 2) + "\n");
  else process.stdout.write(junitReport(outcomes, replay));
  return count("failed") > 0 ? 1 : 0;
}

function testLine(o: TestOutcome, seedCount: number): string {
  const head = `test ${o.test.id} ... `;
  if (o.status === "skipped") return `${head}ignored\n`;
  const expect = o.test.shouldFail ? " (failed as expected)" : "";
  if (o.status === "passed") return `${head}ok${expect}${seedCount > 1 ? ` (${o.runs.length} seeds)` : ""}\n`;
  if (o.test.invalid) return `${head}FAILED (${o.test.invalid})\n`;
  const bad = o.runs.filter((r) => !r.passed);
  const which = seedCount > 1 ? ` (${bad.length} of ${o.runs.length} seeds failed: ${bad.map((r) => String(r.seed)).join(", ")})` : "";
  return `${head}FAILED${which}\n`;
}

function failureText(t: TestCase, r: TestOutcome["runs"][number]): string {
  if (t.shouldFail && r.result.outcome === "returned") return "the test was expected to fail (@should_fail) but it returned normally";
  return r.result.message;
}

function failureReport(outcomes: readonly TestOutcome[], replay: (t: TestCase, seed: bigint) => string, recorded: ReadonlyMap<string, string>): string {
  const failed = outcomes.filter((o) => o.status === "failed");
  if (failed.length === 0) return "\n";
  let out = "\nfailures:\n";
  for (const o of failed) {
    for (const r of o.runs.filter((x) => !x.passed)) {
      out += `\n---- ${o.test.id} (${o.test.file}:${o.test.line}) seed ${r.seed} ----\n`;
      if (r.result.output !== "") out += r.result.output.endsWith("\n") ? r.result.output : r.result.output + "\n";
      out += failureText(o.test, r) + "\n";
      const trace = recorded.get(traceKey(o.test, r.seed));
      if (trace) out += `trace: ${trace}\n`;
      out += `replay: ${replay(o.test, r.seed)}\n`;
    }
  }
  return out + "\n";
}

function traceKey(t: TestCase, seed: bigint): string {
  return `${t.id}@${seed}`;
}

/** The signed traces of the failing runs (streamed and closed by compiler/tests.ts). */
function recordedTraces(outcomes: readonly TestOutcome[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of outcomes) {
    for (const r of o.runs) {
      if (r.tracePath === undefined) continue;
      if (r.traceWarning) process.stderr.write(`warning: ${safeLine(r.traceWarning)}\n`);
      out.set(traceKey(o.test, r.seed), displayName(r.tracePath));
    }
  }
  return out;
}

/** `--record DIR`: created if missing, and writable, or a usage error before any test runs. */
function checkRecordDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`cannot write traces to \`${displayName(dir)}\`: ${(e as Error).message}`);
  }
  const probe = StreamedFile.open(join(dir, ".dplc-record-check"));
  if (typeof probe === "string") throw new UsageError(`cannot write traces to \`${displayName(dir)}\`: ${probe}`);
  probe.discard();
}

async function runPlan(plan: TestPlan, matches: (t: TestCase) => boolean, options: RunTestsOptions): Promise<TestOutcome[]> {
  try {
    return await plan.run(matches, options);
  } catch (e) {
    if (e instanceof RecordError) throw new UsageError(e.message);
    throw e;
  }
}

function jsonReport(outcomes: readonly TestOutcome[], base: bigint, seeds: readonly bigint[], replay: (t: TestCase, seed: bigint) => string, recorded: ReadonlyMap<string, string>): unknown {
  const count = (s: TestOutcome["status"]): number => outcomes.filter((o) => o.status === s).length;
  return {
    seed: String(base),
    seeds: seeds.map(String),
    tests: outcomes.map((o) => ({
      name: o.test.id,
      file: o.test.file,
      line: o.test.line,
      status: o.status,
      shouldFail: o.test.shouldFail,
      failedSeeds: o.runs.filter((r) => !r.passed).map((r) => String(r.seed)),
      runs: o.runs.map((r) => ({
        seed: String(r.seed),
        passed: r.passed,
        outcome: r.result.outcome,
        ...(r.passed ? {} : { message: failureText(o.test, r), replay: replay(o.test, r.seed) }),
        output: r.result.output,
        ...(recorded.has(traceKey(o.test, r.seed)) ? { trace: recorded.get(traceKey(o.test, r.seed)) } : {}),
      })),
    })),
    summary: { passed: count("passed"), failed: count("failed"), skipped: count("skipped") },
  };
}

function xml(s: string): string {
  // XML 1.0 has no escape for most control characters: drop them.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** JUnit XML: one `<testsuite>` per file, one `<testcase>` per test (its failing seeds in the failure). */
function junitReport(outcomes: readonly TestOutcome[], replay: (t: TestCase, seed: bigint) => string): string {
  const byFile = new Map<string, TestOutcome[]>();
  for (const o of outcomes) {
    const l = byFile.get(o.test.file) ?? [];
    l.push(o);
    byFile.set(o.test.file, l);
  }
  const n = (l: readonly TestOutcome[], s: TestOutcome["status"]): number => l.filter((o) => o.status === s).length;
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="dplc test" tests="${outcomes.length}" failures="${n(outcomes, "failed")}" skipped="${n(outcomes, "skipped")}">\n`;
  for (const [file, list] of byFile) {
    out += `  <testsuite name="${xml(file)}" tests="${list.length}" failures="${n(list, "failed")}" skipped="${n(list, "skipped")}">\n`;
    for (const o of list) {
      const cls = o.test.id.split("::").slice(0, -1).join("::");
      const name = o.test.id.split("::").pop()!;
      out += `    <testcase classname="${xml(cls)}" name="${xml(name)}" file="${xml(o.test.file)}" line="${o.test.line}"`;
      if (o.status === "passed") {
        out += "/>\n";
        continue;
      }
      out += ">\n";
      if (o.status === "skipped") out += "      <skipped/>\n";
      else {
        const bad = o.runs.filter((r) => !r.passed);
        const body = bad.map((r) => `seed ${r.seed}:\n${r.result.output}${failureText(o.test, r)}\nreplay: ${replay(o.test, r.seed)}`).join("\n\n");
        out += `      <failure message="${xml(`failed under seed${bad.length === 1 ? "" : "s"} ${bad.map((r) => String(r.seed)).join(", ")}`)}">${xml(body)}</failure>\n`;
      }
      out += "    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  return out + "</testsuites>\n";
}
