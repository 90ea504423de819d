/**
 * `dplc build [paths...] --out-dir DIR [--js]`: check, emit, write. Diagnostics go to
 * stderr (stdout stays free for tools), then one summary line. Exit 1 when the program has
 * errors (nothing is written), 2 for usage or I/O problems, 0 otherwise.
 *
 * Host-bound declarations that the runtime does not implement yet are listed as warnings:
 * calling one is a structured `DOMAIN_PANIC` at run time.
 */
import { collectFiles, loadSource, displayName } from "../compiler/sources.js";
import type { SourceFile } from "../syntax/source.js";
import type { Profile } from "../compiler/options.js";
import { buildProgram, writeBuild, type HostWarning } from "../compiler/build.js";
import { TextRenderer } from "../diagnostics/render/text.js";
import { UsageError } from "./usage-error.js";
import { useColor } from "./color.js";
import { resolveTarget } from "./project-target.js";
import { checkEmittedTree } from "../emit/tree.js";
import { RUNTIME_DIR } from "../emit/names.js";
import { resolve } from "node:path";

export interface BuildCommandOptions {
  readonly outDir?: string;
  readonly js: boolean;
  /** Type-check the written tree with TypeScript (--strict): a failure is a compiler bug. */
  readonly check: boolean;
  readonly profile?: Profile;
  readonly color: boolean;
}

export function loadSources(paths: readonly string[]): SourceFile[] {
  const { files, errors } = collectFiles(paths.length > 0 ? paths : ["."]);
  if (errors.length > 0) throw new UsageError(errors[0]!);
  if (files.length === 0) throw new UsageError("no .ds files to build");
  return files.map((f) => {
    const r = loadSource(f);
    if (!r.ok) throw new UsageError(r.error);
    return r.source;
  });
}

function hostWarningText(w: HostWarning): string {
  return `warning: \`${w.name}\` is implemented by the host, which has no implementation of it yet; calling it is a DOMAIN_PANIC\n  --> ${w.span.file}:${w.span.start.line}:${w.span.start.column}\n`;
}

export async function runBuild(paths: readonly string[], opts: BuildCommandOptions): Promise<number> {
  if (!opts.outDir) throw new UsageError("`dplc build` needs `--out-dir DIR`");
  const t0 = performance.now();
  const target = resolveTarget(paths, opts.profile);
  const sources = loadSources(target.paths);
  const result = await buildProgram(sources, { profile: target.profile, dependencies: target.dependencies, allBlocks: false, js: opts.js, outDir: opts.outDir });
  const color = useColor(opts.color, process.stderr);
  const byName = new Map(sources.map((s) => [s.name, s.displayText]));
  const renderer = new TextRenderer({ text: (f) => byName.get(f) }, { color });
  for (const d of result.diagnostics) process.stderr.write(renderer.render(d));
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 0) {
    process.stderr.write(`build failed: ${errors} error${errors === 1 ? "" : "s"}; nothing was written\n`);
    return 1;
  }
  for (const w of result.hostWarnings) process.stderr.write(hostWarningText(w));
  try {
    writeBuild(opts.outDir, result.files);
  } catch (e) {
    throw new UsageError(`cannot write to \`${displayName(opts.outDir)}\`: ${(e as Error).message}`);
  }
  const modules = result.files.filter((f) => f.path.endsWith(".ts") && !f.path.startsWith(`${RUNTIME_DIR}/`)).length;
  if (opts.check) {
    const errors = await checkEmittedTree(resolve(opts.outDir), result.files.filter((f) => f.path.endsWith(".ts")).map((f) => f.path));
    for (const e of errors) {
      const at = e.origin ? ` (from ${e.origin.source}:${e.origin.line})` : "";
      process.stderr.write(`error: internal error in dplc: the emitted ${e.file}:${e.line}:${e.column} does not type-check${at}: ${e.message}\n`);
    }
    if (errors.length > 0) {
      process.stderr.write(`build check failed: ${errors.length} TypeScript error${errors.length === 1 ? "" : "s"} in emitted code (please report this)\n`);
      return 1;
    }
  }
  const ms = Math.round(performance.now() - t0);
  const checked = opts.check ? ", type-checked" : "";
  process.stderr.write(`built ${modules} module${modules === 1 ? "" : "s"} into ${displayName(opts.outDir)}${checked} (${result.hostWarnings.length} host warning${result.hostWarnings.length === 1 ? "" : "s"}, ${ms} ms)\n`);
  return 0;
}
