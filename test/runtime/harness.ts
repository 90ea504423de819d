/**
 * Running DPL programs as a user does (`bin/dplc run`, spawned) and reading what they left
 * behind: stdout, the exit status, the `--record` trace (verified: canonical bytes, event
 * ids, logical clock, hash chain) and the `--telemetry` records.
 *
 * Expected outputs live beside each program (`NAME.stdout`); `DPLC_BLESS=1` rewrites them
 * when a change is intended, so a review reads the diff of the outputs.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { parseTrace, type TraceEntry } from "../../src/host/index.js";
import { REPO_ROOT, runDplc, type RunResult } from "../helpers.js";

export const EXAMPLES = join(REPO_ROOT, "examples");
export const FIXTURES = join(REPO_ROOT, "fixtures", "runtime");
const BLESS = process.env["DPLC_BLESS"] === "1";

export interface TracedRun extends RunResult {
  readonly tracePath: string;
  readonly traceText: string;
  readonly trace: readonly TraceEntry[];
  readonly telemetryText: string;
  readonly telemetry: readonly Record<string, unknown>[];
}

let scratch: string | undefined;

/** A fresh file name in this test process's scratch folder. */
export function scratchFile(name: string): string {
  scratch ??= mkdtempSync(join(tmpdir(), "dplc-runtime-"));
  let n = 0;
  let path = join(scratch, name);
  while (existsSync(path)) path = join(scratch, `${++n}-${name}`);
  return path;
}

/** `dplc run FILE --record T --telemetry M [extra...]`, with T verified before it is returned. */
export function runTraced(file: string, extra: readonly string[] = []): TracedRun {
  const tracePath = scratchFile("trace.jsonl");
  const telemetryPath = scratchFile("telemetry.jsonl");
  const r = runDplc(["run", file, "--record", tracePath, "--telemetry", telemetryPath, ...extra]);
  const traceText = existsSync(tracePath) ? readFileSync(tracePath, "utf8") : "";
  const parsed = parseTrace(traceText);
  if (!parsed.ok) throw new Error(`the trace of ${file} does not verify: ${parsed.error.message}\n${r.stderr}`);
  const telemetryText = existsSync(telemetryPath) ? readFileSync(telemetryPath, "utf8") : "";
  const telemetry = telemetryText
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { ...r, tracePath, traceText, trace: parsed.trace.entries, telemetryText, telemetry };
}

/** Compares with `NAME.stdout` beside the program, or `expected` (written instead under DPLC_BLESS=1). */
export function expectStdout(program: string, stdout: string, expected = program.replace(/\.ds$/, ".stdout")): void {
  if (BLESS) {
    writeFileSync(expected, stdout);
    return;
  }
  expect(existsSync(expected), `${expected} is missing: run with DPLC_BLESS=1 to create it`).toBe(true);
  expect(stdout).toBe(readFileSync(expected, "utf8"));
}

export interface Fault {
  readonly index: number;
  readonly code: string;
  readonly reason: string;
  readonly domain: string;
  readonly capability: string | null;
  readonly contract: string | null;
}

/** The kernel's fault entries, in trace order. */
export function faults(trace: readonly TraceEntry[]): Fault[] {
  return trace
    .map((e, index) => ({ e, index }))
    .filter(({ e }) => e.event_type === "fault")
    .map(({ e, index }) => ({
      index,
      code: String(e.metadata["code"]),
      reason: String(e.metadata["reason"]),
      domain: e.domain,
      capability: e.capability,
      contract: e.contract,
    }));
}

export interface RuntimeEventEntry {
  readonly index: number;
  readonly kind: string;
  readonly detail: string;
  readonly domain: string;
  readonly capability: string | null;
  readonly contract: string | null;
}

/** The runtime's own `record_event` entries (XDV-081 §9.1), optionally of one kind. */
export function runtimeEvents(trace: readonly TraceEntry[], kind?: string): RuntimeEventEntry[] {
  const out: RuntimeEventEntry[] = [];
  trace.forEach((e, index) => {
    if (e.event_type !== "runtime_event") return;
    const k = String(e.metadata["kind"]);
    if (kind !== undefined && k !== kind) return;
    const data = e.metadata["data"] as Record<string, unknown>;
    out.push({ index, kind: k, detail: String(data["detail"] ?? ""), domain: e.domain, capability: e.capability, contract: e.contract });
  });
  return out;
}

export function entriesOf(trace: readonly TraceEntry[], type: string): TraceEntry[] {
  return trace.filter((e) => e.event_type === type);
}

/** The text after `label: ` on the line that starts with it. */
export function lineValue(stdout: string, label: string): string {
  const line = stdout.split("\n").find((l) => l.startsWith(`${label}: `));
  if (line === undefined) throw new Error(`no line '${label}: ...' in:\n${stdout}`);
  return line.slice(label.length + 2);
}

const conformanceRuns = new Map<string, TracedRun>();

/**
 * Run a conformance program of `fixtures/runtime/` once per test process, asserting that
 * it ran cleanly and printed its `.stdout`; later calls reuse the run.
 */
export function runConformance(name: string): TracedRun {
  let r = conformanceRuns.get(name);
  if (!r) {
    const file = join(FIXTURES, `${name}.ds`);
    r = runTraced(file);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expectStdout(file, r.stdout);
    conformanceRuns.set(name, r);
  }
  return r;
}
