/**
 * `dplc build [paths...] --out-dir DIR [--js]`: check, emit, write. Diagnostics go to
 * stderr (stdout stays free for tools), then one summary line. Exit 1 when the program has
 * errors (nothing is written), 2 for usage or I/O problems, 0 otherwise.
 *
 * Host-bound declarations that the runtime does not implement yet are listed as warnings:
 * calling one is a structured `DOMAIN_PANIC` at run time.
 */
import { collectFiles, loadSource, displayName, ioReason } from "../compiler/sources.js";
import type { SourceFile } from "../syntax/source.js";
import type { Profile } from "../compiler/options.js";
import { buildProgram, outDirCheck, writeBuild, type HostWarning } from "../compiler/build.js";
import { TextRenderer } from "../diagnostics/render/text.js";
import { UsageError } from "./usage-error.js";
import { useColor } from "./color.js";
import { resolveTarget } from "./project-target.js";
import { checkEmittedTree } from "../emit/tree.js";
import { RUNTIME_DIR } from "../emit/names.js";
import { resolve } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { sortAndDedupe } from "../diagnostics/order.js";
import { safeLine } from "../diagnostics/render/escape.js";

export interface BuildCommandOptions {
  readonly outDir?: string;
  readonly js: boolean;
  /** Type-check the written tree with TypeScript (--strict): a failure is a compiler bug. */
  readonly check: boolean;
  readonly profile?: Profile;
  readonly color: boolean;
}

/** The sources of `paths` (see `loadSourcesAndWalk`, which also returns what the folder walk reported). */
export function loadSources(paths: readonly string[]): SourceFile[] {
  return loadSourcesAndWalk(paths).sources;
}

export function loadSourcesAndWalk(paths: readonly string[]): { sources: SourceFile[]; walkDiagnostics: readonly Diagnostic[] } {
  const { files, errors, diagnostics } = collectFiles(paths.length > 0 ? paths : ["."]);
  if (errors.length > 0) throw new UsageError(errors[0]!);
  if (files.length === 0) throw new UsageError(diagnostics.length > 0 ? `no .ds files to build (${diagnostics[0]!.message})` : "no .ds files to build");
  const sources = files.map((f) => {
    const r = loadSource(f);
    if (!r.ok) throw new UsageError(r.error);
    return r.source;
  });
  return { sources, walkDiagnostics: diagnostics };
}

function hostWarningText(w: HostWarning): string {
  return `warning: \`${w.name}\` is implemented by the host, which has no implementation of it yet; calling it is a DOMAIN_PANIC\n  --> ${w.span.file}:${w.span.start.line}:${w.span.start.column}\n`;
}

export async function runBuild(paths: readonly string[], opts: BuildCommandOptions): Promise<number> {
  if (!opts.outDir) throw new UsageError("`dplc build` needs `--out-dir DIR`");
  const t0 = performance.now();
  const target = resolveTarget(paths, opts.profile);
  // Source roots: what the build reads (the paths, a project's src/, its path dependencies).
  const roots = [...target.paths, ...target.dependencies.values()];
  const where = outDirCheck(opts.outDir, roots);
  if (!where.ok) throw new UsageError(where.error);
  const { sources, walkDiagnostics } = loadSourcesAndWalk(target.paths);
  const built = await buildProgram(sources, { profile: target.profile, dependencies: target.dependencies, allBlocks: false, js: opts.js, outDir: opts.outDir });
  const result = { ...built, diagnostics: sortAndDedupe([...built.diagnostics, ...walkDiagnostics]) };
  const color = useColor(opts.color, process.stderr);
  const renderer = new TextRenderer(built.frames, { color });
  for (const d of result.diagnostics) process.stderr.write(renderer.render(d));
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  if (errors > 0) {
    process.stderr.write(`build failed: ${errors} error${errors === 1 ? "" : "s"}; nothing was written\n`);
    return 1;
  }
  let written;
  try {
    written = writeBuild(opts.outDir, result.files, roots);
  } catch (e) {
    throw new UsageError(`cannot write to \`${displayName(opts.outDir)}\`: ${ioReason(e)}`);
  }
  if (!written.ok) throw new UsageError(written.error);
  for (const w of result.hostWarnings) process.stderr.write(hostWarningText(w));
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
  process.stderr.write(`built ${modules} module${modules === 1 ? "" : "s"} into ${safeLine(displayName(opts.outDir))}${checked} (${result.hostWarnings.length} host warning${result.hostWarnings.length === 1 ? "" : "s"}, ${ms} ms)\n`);
  return 0;
}
