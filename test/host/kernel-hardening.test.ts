/**
 * Issue 9, kernel side: integers never pass u64::MAX, refused calls are attributed to the
 * process that made them, nondeterministic host inputs are recorded and replayed, and a
 * replay refuses recorded Q results the circuit could not have produced.
 */
import { describe, expect, test } from "vitest";
import { HostHalt } from "#runtime/abi.js";
import { createKernel, createReplayKernel, parseTrace, type EmbeddedKernel } from "../../src/host/index.js";
import { canonicalJson, sha256Hex } from "../../src/host/trace/canonical-json.js";
import { HOST_BINDINGS } from "#runtime/host-bindings.js";
import { BELL, bootedKernel, qSetup, qasm, unwrap } from "./helpers.js";

const U64_MAX = (1n << 64n) - 1n;

function faults(kernel: EmbeddedKernel): Record<string, unknown>[] {
  return kernel.telemetryLines().map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r["kind"] === "fault");
}

describe("u64 bounds", () => {
  test("a contract's lifetime saturates at u64::MAX instead of passing it", () => {
    const kernel = bootedKernel();
    const { contract } = qSetup(kernel, { lifetime: U64_MAX });
    const status = unwrap(kernel.contractStatus(contract));
    expect(status.valid_until).toBe(U64_MAX);
    for (const line of kernel.traceLines()) {
      for (const m of line.matchAll(/"(\d{20,})"/g)) expect(BigInt(m[1]!) <= U64_MAX).toBe(true);
    }
  });

  test("after k_wait_until(u64::MAX) the clock never reads past u64::MAX and the trace still closes", () => {
    const kernel = bootedKernel();
    unwrap(kernel.waitUntil(U64_MAX));
    expect(kernel.now() <= U64_MAX).toBe(true);
    kernel.kLog("after the wait");
    expect(kernel.now() <= U64_MAX).toBe(true);
    kernel.shutdown(0);
    const parsed = parseTrace(kernel.traceJsonl());
    expect(parsed.ok).toBe(true);
    for (const e of parsed.ok ? parsed.trace.entries : []) expect(BigInt(e.logical_ts) <= U64_MAX).toBe(true);
  });
});

describe("telemetry attribution", () => {
  test("a supervisor's refused call on its guest is the supervisor's fault, in the supervisor's tenant", () => {
    const kernel = bootedKernel();
    const guest = unwrap(kernel.spawnGuest());
    // Created -> Active skips two steps: refused.
    expect(kernel.transition(guest, "Active").ok).toBe(false);
    const [fault] = faults(kernel);
    expect(fault).toMatchObject({ process: "1", tenant: "1", reason: "illegal-transition", subject_process: String(guest), subject_tenant: "2" });
  });
});

describe("nondeterministic host inputs", () => {
  test("wall_clock, random_u64 and env_var are recorded and fed back on replay", () => {
    const call = (k: EmbeddedKernel, name: string, args: unknown[] = []): unknown => HOST_BINDINGS.get(name)!(k, args);
    const kernel = bootedKernel();
    process.env["DPLC_TEST_HOST_INPUT"] = "recorded";
    const recorded = [call(kernel, "random_u64"), call(kernel, "wall_clock"), call(kernel, "env_var", ["DPLC_TEST_HOST_INPUT"])];
    kernel.shutdown(0);
    expect(kernel.traceLines().filter((l) => l.includes('"host_input"'))).toHaveLength(3);
    process.env["DPLC_TEST_HOST_INPUT"] = "changed";
    const r = createReplayKernel(kernel.traceJsonl());
    if (!r.ok) throw new Error(r.error.message);
    r.kernel.boot({ argv: [] });
    const replayed = [call(r.kernel, "random_u64"), call(r.kernel, "wall_clock"), call(r.kernel, "env_var", ["DPLC_TEST_HOST_INPUT"])];
    r.kernel.shutdown(0);
    delete process.env["DPLC_TEST_HOST_INPUT"];
    expect(replayed).toEqual(recorded);
    expect(r.kernel.traceJsonl()).toBe(kernel.traceJsonl());
  });
});

/** Rewrites one entry's metadata and recomputes the hash chain, as a forger would. */
function forge(trace: string, type: string, edit: (meta: Record<string, unknown>) => void): string {
  const lines = trace.trimEnd().split("\n");
  let prev = "0".repeat(64);
  const out: string[] = [];
  for (const line of lines) {
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (entry["event_type"] === type) edit(entry["metadata"] as Record<string, unknown>);
    entry["prev_hash"] = prev;
    delete entry["hash"];
    const hash = sha256Hex(canonicalJson(entry as never));
    out.push(canonicalJson({ ...entry, hash } as never));
    prev = hash;
  }
  return out.join("\n") + "\n";
}

function bellRun(kernel: EmbeddedKernel, circuit = BELL, shots = 100): void {
  const { cap, contract } = qSetup(kernel);
  unwrap(kernel.xdvCall("K", "Q", { contract_id: contract, qubit_count: 2, circuit, shots, per_shot: true }, cap));
}

function recordBell(circuit = BELL): string {
  const kernel = createKernel({ seed: 5n });
  kernel.boot({ argv: [] });
  bellRun(kernel, circuit);
  kernel.shutdown(0);
  return kernel.traceJsonl();
}

function replayHalt(trace: string, circuit = BELL): HostHalt {
  const r = createReplayKernel(trace);
  if (!r.ok) throw new Error(r.error.message);
  r.kernel.boot({ argv: [] });
  try {
    bellRun(r.kernel, circuit);
    r.kernel.shutdown(0);
  } catch (e) {
    if (e instanceof HostHalt) return e;
    throw e;
  }
  throw new Error("the forged trace replayed cleanly");
}

describe("replay validates recorded Q results against the circuit", () => {
  test("an untouched trace replays", () => {
    const trace = recordBell();
    const r = createReplayKernel(trace);
    if (!r.ok) throw new Error(r.error.message);
    r.kernel.boot({ argv: [] });
    bellRun(r.kernel);
    r.kernel.shutdown(0);
    expect(r.kernel.traceJsonl()).toBe(trace);
  });

  const forgeries: [string, (m: Record<string, unknown>) => void, RegExp][] = [
    ["Bell pairs measuring 01", (m) => {
      m["counts"] = { "00": 50, "01": 50 };
      m["per_shot"] = [...Array(50).fill("00"), ...Array(50).fill("01")];
    }, /01.*cannot produce|probability 0/],
    ["a bitstring that is not one", (m) => {
      m["counts"] = { hello: 100 };
      m["per_shot"] = Array(100).fill("hello");
    }, /not a bitstring of the circuit's 2 classical bits/],
    ["a bitstring of the wrong width", (m) => {
      m["counts"] = { "000": 100 };
      m["per_shot"] = Array(100).fill("000");
    }, /not a bitstring of the circuit's 2 classical bits/],
    ["a negative count", (m) => {
      m["counts"] = { "00": 150, "11": -50 };
    }, /count .* not a positive integer/],
    ["per-shot results that disagree with the counts", (m) => {
      m["per_shot"] = Array(100).fill("00");
    }, /per-shot results that do not tally/],
  ];
  for (const [name, edit, message] of forgeries) {
    test(`refuses ${name}, even with a recomputed chain`, () => {
      const halt = replayHalt(forge(recordBell(), "q_result", edit));
      expect(halt.reason.kind).toBe("replay-invalid-result");
      expect(halt.message).toMatch(message);
    });
  }

  test("outcomes of circuits with mid-circuit measurement and conditions are checked too", () => {
    // q[1] copies q[0] through a classical condition: only 00 and 11 can come out.
    const circuit = qasm(`
qreg q[2];
creg a[1];
creg b[1];
h q[0];
measure q[0] -> a[0];
if (a == 1) x q[1];
measure q[1] -> b[0];
`);
    const trace = recordBell(circuit);
    const forged = forge(trace, "q_result", (m) => {
      m["counts"] = { "0 1": 100 };
      m["per_shot"] = Array(100).fill("0 1");
    });
    expect(replayHalt(forged, circuit).message).toMatch(/cannot produce/);
  });
});
