import { afterEach, describe, expect, test, vi } from "vitest";
import { HostHalt } from "#runtime/abi.js";
import { createKernel, createReplayKernel, parseTrace, type TraceEntry } from "../../src/host/index.js";
import { PhiProvider } from "../../src/host/phi/provider.js";
import { QProvider } from "../../src/host/q/provider.js";
import { canonicalJson, sha256Hex } from "../../src/host/trace/canonical-json.js";
import { ReplaySession } from "../../src/host/trace/replay.js";
import { hybridProgram, type ProgramOptions } from "./programs.js";

interface Recorded {
  trace: string;
  telemetry: string;
  stdout: string;
  exit: number;
}

function record(seed: bigint, argv: string[] = ["x"], options: ProgramOptions = {}): Recorded {
  let stdout = "";
  const kernel = createKernel({ seed, stdout: (s) => (stdout += s) });
  kernel.boot({ argv });
  const { exit } = hybridProgram(kernel, options);
  kernel.shutdown(exit);
  return { trace: kernel.traceJsonl(), telemetry: kernel.telemetryJsonl(), stdout, exit };
}

function replay(trace: string, argv: string[] = ["x"], options: ProgramOptions = {}): Recorded {
  let stdout = "";
  const made = createReplayKernel(trace, { stdout: (s) => (stdout += s) });
  if (!made.ok) throw new Error(made.error.message);
  const kernel = made.kernel;
  kernel.boot({ argv });
  const { exit } = hybridProgram(kernel, options);
  kernel.shutdown(exit);
  return { trace: kernel.traceJsonl(), telemetry: kernel.telemetryJsonl(), stdout, exit };
}

function parsedEntries(trace: string): readonly TraceEntry[] {
  const parsed = parseTrace(trace);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.trace.entries;
}

function halt(fn: () => unknown): HostHalt {
  try {
    fn();
  } catch (e) {
    if (e instanceof HostHalt) return e;
    throw e;
  }
  throw new Error("expected the run to halt");
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("record and replay", () => {
  test("a run is a function of the seed: recording twice gives the same bytes", () => {
    const a = record(77n);
    const b = record(77n);
    expect(a.trace).toBe(b.trace);
    expect(a.telemetry).toBe(b.telemetry);
    expect(record(78n).trace).not.toBe(a.trace);
  });

  test("replay reproduces the trace byte for byte, with the same output and exit status", () => {
    const original = record(2024n);
    const again = replay(original.trace);
    expect(again.trace).toBe(original.trace);
    expect(again.telemetry).toBe(original.telemetry);
    expect(again.stdout).toBe(original.stdout);
    expect(again.exit).toBe(original.exit);
    // The run exercised every part of the recording format.
    const types = new Set(parsedEntries(original.trace).map((e) => e.event_type));
    for (const t of ["q_result", "phi_stability", "phi_result", "fault", "ipc_send", "ipc_receive", "contract_invalidate", "capability_revoke", "runtime_event", "metric", "k_log", "lifecycle", "context_switch"]) {
      expect(types.has(t), t).toBe(true);
    }
  });

  test("replay never consults the providers: measurements and readings come from the trace", () => {
    const original = record(5n);
    const execute = vi.spyOn(QProvider.prototype, "execute");
    const probe = vi.spyOn(PhiProvider.prototype, "probe");
    const transform = vi.spyOn(PhiProvider.prototype, "transform");
    expect(replay(original.trace).trace).toBe(original.trace);
    expect(execute).not.toHaveBeenCalled();
    expect(probe).not.toHaveBeenCalled();
    expect(transform).not.toHaveBeenCalled();
  });

  test("replay follows recorded outcomes even when they are not what the seed would give", () => {
    // Rewrite the first Bell result (re-chaining the hashes, as a faithful recorder with
    // different hardware would have) and check that the replayed program sees the new counts.
    const original = record(9n);
    const lines = original.trace.trimEnd().split("\n");
    const index = lines.findIndex((l) => l.includes('"event_type":"q_result"'));
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown> & { metadata: Record<string, unknown>; hash: string; prev_hash: string });
    const bell = entries[index]!;
    const perShot = Array.from({ length: 500 }, (_, i) => (i < 400 ? "00" : "11"));
    bell.metadata = { ...bell.metadata, counts: { "00": 400, "11": 100 }, per_shot: perShot };
    let prev = entries[index - 1]!.hash;
    for (let i = index; i < entries.length; i++) {
      const e = entries[i]!;
      e.prev_hash = prev;
      const { hash: _old, ...body } = e;
      e.hash = sha256Hex(canonicalJson(body));
      prev = e.hash;
    }
    const forged = entries.map((e) => canonicalJson(e)).join("\n") + "\n";
    // The program now logs 00=400, which the rest of the trace did not record: it diverges
    // exactly at that k_log, proving the replayed program used the trace's counts.
    const stop = halt(() => replay(forged));
    const logIndex = entries.findIndex((e, i) => i > index && e["event_type"] === "k_log");
    expect(stop.reason.entry_index).toBe(logIndex);
    expect(stop.reason.differences).toContainEqual({ field: "metadata.message", recorded: JSON.stringify(`bell 00=${(original.stdout.match(/bell 00=(\d+)/) ?? [])[1]}`), replayed: JSON.stringify("bell 00=400") });
  });
});

describe("divergence stops the run at the first differing entry", () => {
  test("a changed log message is named with its entry index and field", () => {
    const original = record(11n);
    const stop = halt(() => replay(original.trace, ["x"], { logSuffix: "!" }));
    const entries = parsedEntries(original.trace);
    const expected = entries.findIndex((e) => e.event_type === "k_log" && String(e.metadata["message"]).startsWith("bell"));
    expect(stop.reason.kind).toBe("replay-divergence");
    expect(stop.reason.entry_index).toBe(expected);
    expect(stop.reason.differences.map((d) => d.field)).toEqual(["metadata.message"]);
    expect(stop.message).toMatch(new RegExp(`trace entry ${expected}`));
  });

  test("a different job shape diverges where the job is submitted", () => {
    const original = record(12n);
    const stop = halt(() => replay(original.trace, ["x"], { bellShots: 400 }));
    const entries = parsedEntries(original.trace);
    expect(stop.reason.entry_index).toBe(entries.findIndex((e) => e.event_type === "domain_enter"));
    expect(stop.reason.differences.map((d) => d.field)).toContain("metadata.shots");
  });

  test("different arguments diverge at the header", () => {
    const original = record(13n, ["a"]);
    const stop = halt(() => replay(original.trace, ["b"]));
    expect(stop.reason.entry_index).toBe(0);
    expect(stop.reason.differences).toEqual([{ field: "metadata.argv", recorded: '["a"]', replayed: '["b"]' }]);
  });

  test("a run that ends early is incomplete, named by the first unreproduced entry", () => {
    const original = record(14n);
    const stop = halt(() => replay(original.trace, ["x"], { stopEarly: true }));
    // Shutdown's own entries differ from the recorded continuation, so that is where it stops.
    expect(stop.reason.kind).toBe("replay-divergence");
    const entries = parsedEntries(original.trace);
    expect(entries[stop.reason.entry_index]?.event_type).not.toBe("run_end");
  });

  test("a replay whose entries all matched but stopped short reports replay-incomplete", () => {
    const original = record(15n);
    const parsed = parseTrace(original.trace);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const session = new ReplaySession(parsed.trace);
    parsed.trace.entries.slice(0, 12).forEach((e, i) => session.observe(i, parsed.trace.lines[i]!, e));
    const stop = halt(() => session.finish(12));
    expect(stop.reason.kind).toBe("replay-incomplete");
    expect(stop.reason.entry_index).toBe(12);
    expect(stop.reason.message).toContain(`'${parsed.trace.entries[12]!.event_type}'`);
    expect(() => session.finish(parsed.trace.entries.length)).not.toThrow();
  });
});

describe("the hash chain detects tampering and names the entry", () => {
  const original = record(21n);
  const lines = original.trace.trimEnd().split("\n");

  function verify(text: string): { entry_index: number; reason: string } {
    const r = parseTrace(text);
    if (r.ok) throw new Error("tampering went unnoticed");
    return r.error;
  }

  test("the untouched trace verifies", () => {
    expect(parseTrace(original.trace).ok).toBe(true);
  });

  test("an altered value fails at that entry", () => {
    const i = lines.findIndex((l) => l.includes('"event_type":"q_result"'));
    const altered = lines.map((l, k) => (k === i ? l.replace(/"00":(\d+)/, (_m, n: string) => `"00":${Number(n) + 1}`) : l));
    expect(altered[i]).not.toBe(lines[i]);
    expect(verify(altered.join("\n") + "\n")).toEqual(expect.objectContaining({ entry_index: i, reason: "hash" }));
    const made = createReplayKernel(altered.join("\n") + "\n");
    expect(made.ok).toBe(false);
    if (!made.ok) expect(made.error.message).toMatch(new RegExp(`trace entry ${i} \\(line ${i + 1}\\)`));
  });

  test("an altered entry with a recomputed hash breaks the link from the next entry", () => {
    const i = 6;
    const e = JSON.parse(lines[i]!) as Record<string, unknown> & { metadata: Record<string, unknown> };
    e.metadata = { ...e.metadata, injected: true };
    const { hash: _h, ...body } = e;
    e.hash = sha256Hex(canonicalJson(body));
    const altered = [...lines];
    altered[i] = canonicalJson(e);
    expect(verify(altered.join("\n"))).toEqual(expect.objectContaining({ entry_index: i + 1, reason: "prev-hash" }));
  });

  test("a deleted or reordered entry fails at its position", () => {
    const deleted = lines.filter((_, k) => k !== 9);
    expect(verify(deleted.join("\n"))).toEqual(expect.objectContaining({ entry_index: 9, reason: "event-id" }));
    const swapped = [...lines];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    expect(verify(swapped.join("\n"))).toEqual(expect.objectContaining({ entry_index: 3 }));
  });

  test("non-canonical bytes and malformed lines are refused", () => {
    const spaced = [...lines];
    spaced[2] = JSON.stringify(JSON.parse(lines[2]!), null, 1).replace(/\n/g, "");
    expect(verify(spaced.join("\n"))).toEqual(expect.objectContaining({ entry_index: 2, reason: "not-canonical" }));
    const broken = [...lines];
    broken[4] = broken[4]!.slice(0, 20);
    expect(verify(broken.join("\n"))).toEqual(expect.objectContaining({ entry_index: 4, reason: "malformed" }));
  });
});
