/**
 * `dplc run FILE.ds [--seed N] [--record TRACE] [--replay TRACE] [--telemetry FILE] [-- args]`.
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
import { displayName, loadSource } from "../compiler/sources.js";
import { resolveTarget } from "./project-target.js";
import { runProgram } from "../compiler/run.js";
import { TextRenderer } from "../diagnostics/render/text.js";
import { UsageError } from "./usage-error.js";
import { useColor } from "./color.js";
import { runPathsProblem } from "./run-paths.js";

export interface RunCommandOptions {
  readonly seed?: string;
  readonly record?: string;
  readonly replay?: string;
  readonly telemetry?: string;
  readonly color: boolean;
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

export async function runRun(given: string | undefined, args: readonly string[], opts: RunCommandOptions): Promise<number> {
  const seed = parseSeed(opts.seed);
  const target = resolveTarget(given === undefined ? [] : [given], undefined);
  if (given === undefined && !target.project) throw new UsageError("`dplc run` needs a .ds file (or a project: a `Dust.toml` in this folder or above)");
  const file = given ?? displayName(target.project!.entry);
  if (opts.replay !== undefined && !isReadableFile(opts.replay)) throw new UsageError(`cannot read the trace \`${opts.replay}\``);
  if (opts.replay !== undefined && opts.seed !== undefined) throw new UsageError("`--seed` cannot be used with `--replay`: a replay runs with the seed its trace recorded");
  const pathProblem = runPathsProblem({ program: file, ...(opts.replay !== undefined ? { replay: opts.replay } : {}), ...(opts.record !== undefined ? { record: opts.record } : {}), ...(opts.telemetry !== undefined ? { telemetry: opts.telemetry } : {}) });
  if (pathProblem !== null) throw new UsageError(pathProblem);
  const loaded = loadSource(file);
  if (!loaded.ok) throw new UsageError(loaded.error);
  const outcome = await runProgram(loaded.source, { seed, args, profile: target.profile, dependencies: target.dependencies, ...(opts.record ? { record: opts.record } : {}), ...(opts.replay ? { replay: opts.replay } : {}), ...(opts.telemetry ? { telemetry: opts.telemetry } : {}) });
  if (outcome.kind === "usage") throw new UsageError(outcome.message);
  const errors = outcome.diagnostics.filter((d) => d.severity === "error");
  if (outcome.kind === "diagnostics") {
    const renderer = new TextRenderer({ text: (f) => (f === loaded.source.name ? loaded.source.displayText : undefined) }, { color: useColor(opts.color, process.stderr) });
    for (const d of outcome.diagnostics) process.stderr.write(renderer.render(d));
    process.stderr.write(`error: could not run \`${file}\`: ${errors.length} error${errors.length === 1 ? "" : "s"}\n`);
    return 1;
  }
  return outcome.status;
}

function isReadableFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
