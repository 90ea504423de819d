/**
 * `dplc run FILE.ds [--seed N] [--record TRACE] [--replay TRACE] [--telemetry FILE]
 *   [--timeout S] [--fuel N] [--max-memory MB] [--trace-key FILE] [--trust-unsigned] [-- args]`.
 *
 * Check errors are printed (stderr) and exit 1; a program that runs exits with its own
 * status: 0 after `fn main()`, `_entry`'s value, 101 after a runtime fault (Rust's panic
 * status), 1 when the host had to stop the run (a replay that diverged from its trace, or a
 * trace that fails its hash chain). Usage and I/O problems exit 2.
 *
 * `--replay T --record T2` writes the replayed run's own trace to T2: byte-identical to T
 * when the replay succeeds (XDV-084 §9.1), the matching prefix when it stopped.
 */
import { statSync } from "node:fs";
import type { SourceFile } from "../syntax/source.js";
import { listDs } from "../workspace/files.js";
import { surfaceOf } from "../syntax/parse.js";
import { displayName, loadSource } from "../compiler/sources.js";
import { resolveTarget } from "./project-target.js";
import { runProgram } from "../compiler/run.js";
import { TextRenderer } from "../diagnostics/render/text.js";
import { UsageError } from "./usage-error.js";
import { useColor } from "./color.js";
import { runPathsProblem } from "./run-paths.js";
import { safeLine } from "../diagnostics/render/escape.js";

export interface RunCommandOptions {
  readonly seed?: string;
  readonly record?: string;
  readonly replay?: string;
  readonly telemetry?: string;
  readonly timeout?: string;
  readonly fuel?: string;
  readonly maxMemory?: string;
  readonly traceKey?: string;
  readonly trustUnsigned?: boolean;
  readonly color: boolean;
  /** Distributed execution (src/cluster/): etcd endpoints and this run's node name. */
  readonly cluster?: string;
  readonly node?: string;
  readonly tenant?: string;
  readonly allocation?: string;
  readonly workload?: string;
  readonly peers?: string;
  readonly barrierTimeout?: string;
}

/** A limit flag's value: a positive number (an integer unless `fraction`), within `max`. */
function parseLimit(flag: string, text: string | undefined, max: number, fraction = false): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text.replace(/_/g, ""));
  const shape = fraction ? /^[0-9_]+(\.[0-9]+)?$/ : /^[0-9_]+$/;
  if (!shape.test(text) || !Number.isFinite(v) || v <= 0 || v > max) {
    throw new UsageError(`\`${flag}\` takes a positive ${fraction ? "number" : "integer"} up to ${max}, not \`${text}\``);
  }
  return v;
}

export function parseSeed(text: string | undefined): bigint {
  if (text === undefined) return 0n;
  try {
    // Decimal digits only: `BigInt` alone would take "" and " " as 0, and hex, octal, binary.
    if (!/^[0-9][0-9_]*$/.test(text)) throw new RangeError();
    const v = BigInt(text.replace(/_/g, ""));
    if (v < 0n || v >= 1n << 64n) throw new RangeError();
    return v;
  } catch {
    throw new UsageError(`\`--seed\` takes an integer between 0 and 2^64-1, not \`${text}\``);
  }
}

/**
 * What `dplc run PATH` runs: a file, or a folder's `.ds` files as one program (the dustlang
 * files of a folder, whose forges are one namespace each: docs/language.md).
 */
function programSources(path: string): { source: SourceFile; companions: SourceFile[] } {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    // Reading it says what is wrong.
  }
  if (!isDir) {
    const loaded = loadSource(path);
    if (!loaded.ok) throw new UsageError(loaded.error);
    return { source: loaded.source, companions: [] };
  }
  const files = listDs(path).files;
  if (files.length === 0) throw new UsageError(`\`${displayName(path)}\` has no .ds file to run`);
  const sources = files.map((f) => {
    const loaded = loadSource(f);
    if (!loaded.ok) throw new UsageError(loaded.error);
    return loaded.source;
  });
  const notDust = sources.find((s) => surfaceOf(s.text) !== "dust");
  if (notDust) throw new UsageError(`\`${notDust.name}\` is not a dustlang file: \`dplc run\` takes a folder of dustlang files (one program, its forges shared), or one .ds file`);
  return { source: sources[0]!, companions: sources.slice(1) };
}

export async function runRun(given: string | undefined, args: readonly string[], opts: RunCommandOptions): Promise<number> {
  const seed = parseSeed(opts.seed);
  const target = resolveTarget(given === undefined ? [] : [given], undefined);
  if (given === undefined && !target.project) throw new UsageError("`dplc run` needs a .ds file (or a project: a `Dust.toml` in this folder or above)");
  const file = given ?? displayName(target.project!.entry);
  if (opts.replay !== undefined && !isReadableFile(opts.replay)) throw new UsageError(`cannot read the trace \`${opts.replay}\``);
  if (opts.replay !== undefined && opts.seed !== undefined) throw new UsageError("`--seed` cannot be used with `--replay`: a replay runs with the seed its trace recorded");
  const pathProblem = runPathsProblem({ program: file, ...(opts.replay !== undefined ? { replay: opts.replay } : {}), ...(opts.record !== undefined ? { record: opts.record } : {}), ...(opts.telemetry !== undefined ? { telemetry: opts.telemetry } : {}) });
  if (pathProblem !== null) throw new UsageError(pathProblem);
  const { source, companions } = programSources(file);
  const timeoutSeconds = parseLimit("--timeout", opts.timeout, 31 * 24 * 3600, true);
  const fuel = parseLimit("--fuel", opts.fuel, Number.MAX_SAFE_INTEGER);
  const maxMemoryMb = parseLimit("--max-memory", opts.maxMemory, 1 << 20);
  const limits = { ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}), ...(fuel !== undefined ? { fuel } : {}), ...(maxMemoryMb !== undefined ? { maxMemoryMb } : {}) };
  // Without --cluster nothing of the cluster layer is even loaded: no network, same trace.
  if (opts.cluster === undefined && [opts.allocation, opts.workload, opts.peers, opts.barrierTimeout].some((o) => o !== undefined)) {
    throw new UsageError("`--allocation`, `--workload`, `--peers` and `--barrier-timeout` are for runs on a cluster (`--cluster`, `--node`)");
  }
  const cluster = opts.cluster === undefined && opts.node === undefined ? null : await joinCluster(opts);
  let outcome;
  try {
    outcome = await runProgram(source, {
      ...(companions.length > 0 ? { companions } : {}),
      seed,
      args,
      limits,
      profile: target.profile,
      dependencies: target.dependencies,
      ...(opts.record ? { record: opts.record } : {}),
      ...(opts.replay ? { replay: opts.replay } : {}),
      ...(opts.telemetry ? { telemetry: opts.telemetry } : {}),
      ...(opts.traceKey ? { traceKey: opts.traceKey } : {}),
      ...(opts.trustUnsigned ? { trustUnsigned: true } : {}),
      ...cluster?.runOptions,
    });
  } finally {
    await cluster?.finish(opts.telemetry);
  }
  if (outcome.kind === "usage") throw new UsageError(outcome.message);
  const errors = outcome.diagnostics.filter((d) => d.severity === "error");
  if (outcome.kind === "diagnostics") {
    const renderer = new TextRenderer(outcome.frames, { color: useColor(opts.color, process.stderr) });
    for (const d of outcome.diagnostics) process.stderr.write(renderer.render(d));
    process.stderr.write(`error: could not run \`${safeLine(file)}\`: ${errors.length} error${errors.length === 1 ? "" : "s"}\n`);
    return 1;
  }
  return outcome.status;
}

async function joinCluster(opts: RunCommandOptions): Promise<import("../cluster/cluster-run.js").ClusterSession> {
  if (opts.cluster === undefined || opts.node === undefined) throw new UsageError("`--cluster ENDPOINTS` and `--node NAME` go together");
  if (opts.replay !== undefined) throw new UsageError("`--replay` runs without a cluster: drop `--cluster` and `--node`");
  const { joinForRun } = await import("../cluster/cluster-run.js");
  const session = await joinForRun({ endpoints: opts.cluster, node: opts.node, ...(opts.tenant !== undefined ? { tenant: opts.tenant } : {}), ...epochAllocation(opts) });
  if (typeof session === "string") throw new UsageError(session);
  return session;
}

/** `--allocation epoch --workload W --peers a,b,c [--barrier-timeout S]`; immediate by default. */
function epochAllocation(opts: RunCommandOptions): { allocation?: import("../cluster/bridge-protocol.js").EpochAllocation } {
  const mode = opts.allocation ?? "immediate";
  if (mode !== "immediate" && mode !== "epoch") throw new UsageError(`\`--allocation\` is \`immediate\` or \`epoch\`, not \`${mode}\``);
  if (mode === "immediate") {
    if (opts.workload !== undefined || opts.peers !== undefined) throw new UsageError("`--workload` and `--peers` go with `--allocation epoch`");
    return {};
  }
  if (opts.workload === undefined || opts.peers === undefined) throw new UsageError("`--allocation epoch` needs `--workload NAME` and `--peers NODE,...`");
  const seconds = opts.barrierTimeout === undefined ? 30 : Number(opts.barrierTimeout);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) throw new UsageError(`\`--barrier-timeout\` takes seconds between 1 and 3600, not \`${opts.barrierTimeout}\``);
  const peers = opts.peers.split(",").map((p) => p.trim()).filter((p) => p.length > 0);
  return { allocation: { workload: opts.workload, peers, barrierMs: seconds * 1000 } };
}

function isReadableFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
