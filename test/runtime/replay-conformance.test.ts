/**
 * XDV-084 §9 replay conformance through the CLI, as a user runs it: `dplc run --record T`,
 * then `dplc run --replay T --record T2`.
 *
 *  - Replay equivalence (§9.1): the replay prints the same lines and writes T2 byte for byte
 *    equal to T (and the same telemetry), with no `--seed`: the seed, the argv, the Q
 *    outcomes and the Φ readings all come from the trace.
 *  - Tamper detection (XDV-071 §8): an altered, dropped or reordered entry fails the hash
 *    chain before the program starts; a trace re-chained by someone who changed it
 *    diverges from the run, and the run stops at the first bad entry. Either way: one line
 *    on stderr naming the entry, exit status 1, no stack trace.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalJson, sha256Hex } from "../../src/host/trace/canonical-json.js";
import { GENESIS_HASH } from "../../src/host/trace/trace-chain.js";
import { runDplc } from "../helpers.js";
import { FIXTURES, entriesOf, expectStdout, runTraced, runtimeEvents, scratchFile, type TracedRun } from "./harness.js";

const PROGRAM = join(FIXTURES, "replay_equivalence.ds");

let recorded: TracedRun | undefined;
function record(): TracedRun {
  recorded ??= runTraced(PROGRAM, ["--seed", "11"]);
  expect(recorded.status, recorded.stderr).toBe(0);
  return recorded;
}

function replay(traceText: string, extra: readonly string[] = []) {
  const input = scratchFile("input.jsonl");
  writeFileSync(input, traceText);
  return runTraced(PROGRAM, ["--replay", input, ...extra]);
}

/** Re-hashes a list of entries into a valid chain, as a forger who edited them would. */
function rechain(entries: Record<string, unknown>[]): string {
  let prev = GENESIS_HASH;
  const lines: string[] = [];
  entries.forEach((entry, i) => {
    const { hash: _old, ...body } = { ...entry, event_id: String(i), prev_hash: prev };
    const hash = sha256Hex(canonicalJson(body));
    lines.push(canonicalJson({ ...body, hash }));
    prev = hash;
  });
  return lines.join("\n") + "\n";
}

const parseLines = (text: string): Record<string, unknown>[] =>
  text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

function expectOneLineError(r: { status: number; stderr: string }, pattern: RegExp): void {
  expect(r.status).toBe(1);
  const lines = r.stderr.split("\n").filter(Boolean);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at |Error:|node:internal/);
}

describe("XDV-084 §9.1 replay equivalence", () => {
  it("the recorded run prints its expected output, with Q, Φ and IPC entries in the trace", () => {
    const r = record();
    expectStdout(PROGRAM, r.stdout);
    for (const type of ["q_result", "phi_stability", "phi_result", "ipc_send", "capability_revoke", "contract_release", "runtime_event"]) {
      expect(entriesOf(r.trace, type).length, type).toBeGreaterThan(0);
    }
    expect(runtimeEvents(r.trace, "CapabilityRefused")).toHaveLength(1);
  });

  it("the replay prints the same, and writes a byte-identical trace and the same telemetry", () => {
    const r = record();
    const again = replay(r.traceText);
    expect(again.stderr).toBe("");
    expect(again.status).toBe(0);
    expect(again.stdout).toBe(r.stdout);
    expect(again.traceText).toBe(r.traceText);
    expect(again.telemetryText).toBe(r.telemetryText);
  });

  it("the seed matters, and the replay takes it from the trace", () => {
    const r = record();
    const other = runTraced(PROGRAM, ["--seed", "12"]);
    expect(other.stdout).not.toBe(r.stdout);
    expect(entriesOf(other.trace, "run_start")[0]!.metadata["seed"]).toBe("12");
    expect(entriesOf(r.trace, "run_start")[0]!.metadata["seed"]).toBe("11");
    const mixed = runDplc(["run", PROGRAM, "--replay", r.tracePath, "--seed", "12"]);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toMatch(/^error: `--seed` cannot be used with `--replay`/);
  });

  it("the recorded argv is the replay's input: other arguments diverge at the header", () => {
    const r = record();
    const input = scratchFile("argv.jsonl");
    writeFileSync(input, r.traceText);
    const other = runDplc(["run", PROGRAM, "--replay", input, "--", "extra"]);
    expectOneLineError(other, /^error: replay stopped at trace entry 0: recorded 'run_start' differs in metadata\.argv/);
  });
});

describe("tamper detection (XDV-071 §8)", () => {
  it("an altered Q result fails the hash chain at that entry; the program never starts", () => {
    const r = record();
    const lines = r.traceText.split("\n");
    const index = r.trace.findIndex((e) => e.event_type === "q_result");
    lines[index] = lines[index]!.replace(/"111"/, '"101"');
    expect(lines[index]).not.toBe(r.traceText.split("\n")[index]);
    const t = replay(lines.join("\n"));
    expectOneLineError(t, new RegExp(`^error: cannot replay \`.*\`: trace entry ${index} \\(line ${index + 1}\\): hash does not match`));
    expect(t.stdout).toBe("");
  });

  it("a dropped entry and two swapped entries are named", () => {
    const r = record();
    const lines = r.traceText.split("\n").filter(Boolean);
    const dropped = [...lines.slice(0, 20), ...lines.slice(21)];
    expectOneLineError(replay(dropped.join("\n") + "\n"), /^error: cannot replay `.*`: trace entry 20 \(line 21\): event_id is 21, expected 20$/);
    const swapped = [...lines];
    [swapped[30], swapped[31]] = [swapped[31]!, swapped[30]!];
    expectOneLineError(replay(swapped.join("\n") + "\n"), /^error: cannot replay `.*`: trace entry 30 \(line 31\): /);
  });

  it("a re-chained trace with an altered Φ reading passes the chain and diverges at that entry", () => {
    const r = record();
    const entries = parseLines(r.traceText);
    const index = entries.findIndex((e) => e["event_type"] === "phi_stability");
    const meta = entries[index]!["metadata"] as Record<string, unknown>;
    meta["stability_level"] = Number(meta["stability_level"]) - 1;
    const t = replay(rechain(entries));
    // The replay takes the reading from the trace, then recomputes the checksum sealed over
    // it: the recorded checksum no longer matches, and the run stops right there.
    expectOneLineError(t, new RegExp(`^error: replay stopped at trace entry ${index}: recorded 'phi_stability' differs in metadata\\.integrity_checksum$`));
  });

  it("a re-chained trace under another seed diverges at the first capability it issued", () => {
    const r = record();
    const entries = parseLines(r.traceText);
    (entries[0]!["metadata"] as Record<string, unknown>)["seed"] = "12";
    const index = entries.findIndex((e) => e["event_type"] === "capability_issue");
    const t = replay(rechain(entries));
    expectOneLineError(t, new RegExp(`^error: replay stopped at trace entry ${index}: recorded 'capability_issue' differs in capability`));
  });

  it("a truncated trace is a divergence past its end, and a trace of another program diverges", () => {
    const r = record();
    const lines = r.traceText.split("\n").filter(Boolean);
    const cut = lines.slice(0, 40).join("\n") + "\n";
    expectOneLineError(replay(cut), /^error: replay stopped at trace entry 40: the replayed run produced '.*' past the end of the recorded trace \(40 entries\)$/);
    const other = runTraced(join(FIXTURES, "no_contract.ds"));
    const t = replay(other.traceText);
    expectOneLineError(t, /^error: replay stopped at trace entry \d+: /);
  });

  it("a missing trace file is a usage error", () => {
    const r = runDplc(["run", PROGRAM, "--replay", join(FIXTURES, "no-such-trace.jsonl")]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^error: cannot read the trace `.*no-such-trace\.jsonl`$/);
  });

  it("the replayed trace of a stopped run is the prefix that matched", () => {
    const r = record();
    const lines = r.traceText.split("\n").filter(Boolean);
    const t = replay(lines.slice(0, 40).join("\n") + "\n");
    expect(t.traceText).toBe(lines.slice(0, 40).join("\n") + "\n");
    expect(readFileSync(t.tracePath, "utf8")).toBe(t.traceText);
  });
});
