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

/** The trace's entries, without the signature line that closes it. */
const parseLines = (text: string): Record<string, unknown>[] =>
  text
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith('{"trace_signature"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/**
 * A forged (re-chained) trace no longer carries a valid signature: it is refused with one
 * line, and only `--trust-unsigned` (which warns) gets it as far as the replay's own checks.
 */
function replayForged(traceText: string): { status: number; stderr: string; stdout: string } {
  const refused = replay(traceText);
  expectOneLineError(refused, /^error: cannot replay `.*`: the (trace is not signed|signature covers another chain).*--trust-unsigned replays it anyway\)$/);
  const t = replay(traceText, ["--trust-unsigned"]);
  const [warning, ...rest] = t.stderr.split("\n");
  expect(warning).toMatch(/^warning: replaying `.*` although .*--trust-unsigned\)$/);
  return { ...t, stderr: rest.join("\n") };
}

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
    const t = replayForged(rechain(entries));
    // The replay takes the reading from the trace, then recomputes the checksum sealed over
    // it: the recorded checksum no longer matches, and the run stops right there.
    expectOneLineError(t, new RegExp(`^error: replay stopped at trace entry ${index}: recorded 'phi_stability' differs in metadata\\.integrity_checksum$`));
  });

  it("a re-chained trace under another seed diverges at the first capability it issued", () => {
    const r = record();
    const entries = parseLines(r.traceText);
    (entries[0]!["metadata"] as Record<string, unknown>)["seed"] = "12";
    const index = entries.findIndex((e) => e["event_type"] === "capability_issue");
    const t = replayForged(rechain(entries));
    expectOneLineError(t, new RegExp(`^error: replay stopped at trace entry ${index}: recorded 'capability_issue' differs in capability`));
  });

  it("a truncated trace replays up to its end and says it is incomplete; a trace of another program is refused at entry 0", () => {
    const r = record();
    const lines = r.traceText.split("\n").filter(Boolean);
    const cut = lines.slice(0, 40).join("\n") + "\n";
    expectOneLineError(replayForged(cut), /^error: replay stopped at trace entry 40: the trace is incomplete: it ends after 40 entries without a final entry \(the recording was cut off\); the replay reproduced every recorded entry up to there$/);
    const other = runTraced(join(FIXTURES, "no_contract.ds"));
    const t = replay(other.traceText);
    expectOneLineError(t, /^error: cannot replay `.*`: trace entry 0: the trace was recorded from another program \(program_sha256 [0-9a-f]{16}…, this program is [0-9a-f]{16}…\)$/);
    expect(t.stdout).toBe("");
  });

  it("a missing trace file is a usage error", () => {
    const r = runDplc(["run", PROGRAM, "--replay", join(FIXTURES, "no-such-trace.jsonl")]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^error: cannot read the trace `.*no-such-trace\.jsonl`$/);
  });

  it("the replayed trace of a stopped run is the prefix that matched, closed with how it ended", () => {
    const r = record();
    const lines = r.traceText.split("\n").filter(Boolean);
    const t = replay(lines.slice(0, 40).join("\n") + "\n", ["--trust-unsigned"]);
    const own = t.traceText.split("\n").filter(Boolean);
    expect(own.slice(0, 40)).toEqual(lines.slice(0, 40));
    expect(JSON.parse(own[40]!)).toMatchObject({ event_id: "40", event_type: "run_end", process: "0", metadata: { ended: "replay-stopped", exit_status: 1 } });
    expect(own[41]).toMatch(/^\{"trace_signature":/);
    expect(own).toHaveLength(42);
    expect(readFileSync(t.tracePath, "utf8")).toBe(t.traceText);
  });
});
