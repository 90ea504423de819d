/**
 * One compiled program, several ABI implementations (XDV-081 §2.6, §9.2).
 *
 * The program is compiled once (`dplc build --js`) and its module loaded once. It then
 * runs against the embedded kernel, against `RecordingAbi` wrapped around a second kernel,
 * and against the replay kernel: switching is a `bindAbi` call on the built tree's own
 * bridge, never a recompilation. The wrapper changes nothing observable (same output, same
 * trace, byte for byte), sees every call the program makes, and the replay consults
 * neither the Q nor the Φ provider: measurements and readings come from the trace.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createKernel, createReplayKernel, type EmbeddedKernel, type HybridAbi } from "../../src/host/index.js";
import { RecordingAbi } from "../../src/host/recording-abi.js";
import { QProvider } from "../../src/host/q/provider.js";
import { PhiProvider } from "../../src/host/phi/provider.js";
import { REPO_ROOT, runDplc } from "../helpers.js";
import { FIXTURES, scratchFile } from "./harness.js";

type DplResult = { readonly $tag: string; readonly _0?: unknown };
interface Bridge {
  bindAbi(abi: HybridAbi | null): HybridAbi | null;
}

const PROGRAM = join(FIXTURES, "replay_equivalence.ds");
const SEED = 11n;
let tree: string;
let bridge: Bridge;
let main: () => DplResult;

beforeAll(async () => {
  tree = scratchFile("built");
  const r = runDplc(["build", PROGRAM, "--out-dir", tree, "--js"]);
  expect(r.status, r.stderr).toBe(0);
  bridge = (await import(pathToFileURL(join(tree, "_dplc", "runtime", "host-bridge.js")).href)) as Bridge;
  main = ((await import(pathToFileURL(join(tree, "replay_equivalence.js")).href)) as { main: () => DplResult }).main;
}, 60_000);

afterEach(() => {
  bridge.bindAbi(null);
  vi.restoreAllMocks();
});

interface Outcome {
  readonly stdout: string;
  readonly trace: string;
  readonly telemetry: string;
  readonly result: string;
}

/** Runs the loaded program once against `abi`, which fronts `kernel`, as `dplc run` does. */
function runOn(kernel: EmbeddedKernel, abi: HybridAbi, out: string[]): Outcome {
  kernel.boot({ argv: [PROGRAM], autoActivate: false });
  bridge.bindAbi(abi);
  const result = main();
  bridge.bindAbi(null);
  kernel.shutdown(0);
  return { stdout: out.join(""), trace: kernel.traceJsonl(), telemetry: kernel.telemetryJsonl(), result: result.$tag };
}

function embedded(wrap: (k: EmbeddedKernel) => HybridAbi = (k) => k): Outcome {
  const out: string[] = [];
  const kernel = createKernel({ seed: SEED, stdout: (s) => out.push(s) });
  return runOn(kernel, wrap(kernel), out);
}

describe("the same compiled program on different ABI implementations", () => {
  it("runs on the embedded kernel as `dplc run` runs it", () => {
    const o = embedded();
    expect(o.result).toBe("Ok");
    expect(o.stdout).toBe(readFileSync(PROGRAM.replace(/\.ds$/, ".stdout"), "utf8"));
  });

  it("runs unchanged behind a recording wrapper, which sees every call and alters none", () => {
    const direct = embedded();
    let recorder: RecordingAbi | undefined;
    const wrapped = embedded((k) => (recorder = new RecordingAbi(k)));
    expect(wrapped).toEqual(direct);
    const calls = recorder!.calls;
    const ops = new Set(calls.map((c) => c.op));
    for (const op of ["self", "transition", "requestCapability", "acquireQContract", "xdvCall", "acquirePhiContract", "phiStability", "spawnProcess", "ipcSend", "revokeCapability", "recordEvent", "emitMetric"]) {
      expect(ops.has(op as never), op).toBe(true);
    }
    // The wrapper saw what the program asked for, in the program's terms: the Q job went out
    // as XDV-052's descriptor, measurement spec and all, and came back as counts.
    const job = calls.find((c) => c.op === "xdvCall" && c.args.includes('"Q"'))!;
    expect(JSON.parse(job.args)[2]).toMatchObject({ qubit_count: 3, measurement_spec: { shots: 16, per_shot: true } });
    expect(job.outcome.ok && JSON.parse(job.outcome.value)).toMatchObject({ shots: 16, depth: 4 });
    expect(recorder!.logText().split("\n").filter(Boolean)).toHaveLength(calls.length);
  });

  it("replays on the replay kernel without consulting the Q or Φ provider", () => {
    const recorded = embedded();
    const execute = vi.spyOn(QProvider.prototype, "execute");
    const probe = vi.spyOn(PhiProvider.prototype, "probe");
    const transform = vi.spyOn(PhiProvider.prototype, "transform");
    const out: string[] = [];
    const made = createReplayKernel(recorded.trace, { stdout: (s) => out.push(s) });
    if (!made.ok) throw new Error(made.error.message);
    const replayed = runOn(made.kernel, made.kernel, out);
    expect(replayed).toEqual(recorded);
    expect(execute).not.toHaveBeenCalled();
    expect(probe).not.toHaveBeenCalled();
    expect(transform).not.toHaveBeenCalled();
  });

  it("the recording run does use the providers, so the spies would have seen them", () => {
    const execute = vi.spyOn(QProvider.prototype, "execute");
    const probe = vi.spyOn(PhiProvider.prototype, "probe");
    embedded();
    expect(execute).toHaveBeenCalledTimes(1);
    expect(probe.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  it("a replay behind the recording wrapper is still byte-identical", () => {
    const recorded = embedded();
    const out: string[] = [];
    const made = createReplayKernel(recorded.trace, { stdout: (s) => out.push(s) });
    if (!made.ok) throw new Error(made.error.message);
    const recorder = new RecordingAbi(made.kernel);
    expect(runOn(made.kernel, recorder, out)).toEqual(recorded);
    expect(recorder.calls.length).toBeGreaterThan(50);
  });
});

describe("`runProgram`'s `abi` option (what `dplc run` itself runs on)", () => {
  it("puts a wrapper between the program and the kernel without changing the run", async () => {
    // The built compiler, as bin/dplc loads it, so that the run compiles and loads the
    // program exactly as the CLI does.
    const dist = join(REPO_ROOT, "dist");
    const { runProgram } = (await import(pathToFileURL(join(dist, "compiler", "run.js")).href)) as typeof import("../../src/compiler/run.js");
    const { loadSource } = (await import(pathToFileURL(join(dist, "compiler", "sources.js")).href)) as typeof import("../../src/compiler/sources.js");
    const loaded = loadSource(PROGRAM);
    if (!loaded.ok) throw new Error(loaded.error);
    const viaCli = scratchFile("cli.jsonl");
    expect(runDplc(["run", PROGRAM, "--seed", String(SEED), "--record", viaCli]).status).toBe(0);

    const wrapped = scratchFile("wrapped.jsonl");
    let recorder: RecordingAbi | undefined;
    const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    const outcome = await runProgram(loaded.source, { seed: SEED, args: [], record: wrapped, abi: (k) => (recorder = new RecordingAbi(k)) });
    write.mockRestore();
    expect(outcome.kind).toBe("ran");
    expect(outcome.kind === "ran" && outcome.status).toBe(0);
    // The Q job and the Φ transform; the job with the revoked capability never left the runtime.
    expect(recorder!.calls.filter((c) => c.op === "xdvCall").map((c) => JSON.parse(c.args)[1])).toEqual(["Q", "Φ"]);
    // Same program, same seed, same argv: the trace is the CLI's, byte for byte.
    expect(readFileSync(wrapped, "utf8")).toBe(readFileSync(viaCli, "utf8"));
  });
});
