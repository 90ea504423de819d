/**
 * `dplc build`: check the program, then emit one `.ts` (and `.ts.map`) per `.ds` module,
 * the stdlib's modules under `_dplc/std/`, and the runtime package (JavaScript and
 * declarations) under `_dplc/runtime/`; with `js`, each file's `.js` and a `.js.map`
 * chained to the `.ds`.
 *
 * Output is deterministic (XDV-050 §4.1): the same sources and compiler version give the
 * same bytes. Nothing in it is absolute or time-dependent; the order of every list is
 * fixed. Nothing here prints or exits: the CLI does.
 */
import { dirname, join, resolve, relative } from "node:path";
import { checkOutDir, writeOwnedTree, type OutDirCheck } from "./write-file.js";
import { displayName } from "./sources.js";
import type { SourceFile, Span } from "../syntax/source.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { CheckedProgram } from "../semantic/program.js";
import type { FnDef } from "../semantic/defs.js";
import { analyzeSources, frameSources, type FrameSources } from "./analyze.js";
import type { CheckOptions } from "./options.js";
import { VERSION } from "./version.js";
import { STDLIB_ROOT } from "./stdlib.js";
import { emitUnits, mapFor, stdlibUnits, userUnits, type EmittedFile, type EmittedModule } from "../emit/program.js";
import type { EmitUnit } from "../emit/symbols.js";
import { runtimeFiles, transpile } from "../emit/tree.js";
import { chainSourceMaps, type RawSourceMap } from "../emit/writer.js";
import { toPosix } from "../emit/names.js";
import { urlComment } from "../emit/escape.js";

export interface BuildOptions extends CheckOptions {
  /** Also write `.js` and `.js.map` files. */
  readonly js: boolean;
  /** Where the tree will be written: source maps name the `.ds` files relative to it. */
  readonly outDir: string;
  /** A folder of the tree for the user's files (default: the root). */
  readonly userPrefix?: string;
}

export interface HostWarning {
  readonly name: string;
  readonly span: Span;
}

export interface BuildResult {
  /** Check diagnostics (sorted); when any is an error, nothing was emitted. */
  readonly diagnostics: readonly Diagnostic[];
  readonly files: readonly EmittedFile[];
  /** Host-bound declarations with no host implementation yet (each a warning). */
  readonly hostWarnings: readonly HostWarning[];
  readonly checked: CheckedProgram | null;
  /** The texts the diagnostics' code frames show (compiler/analyze.ts, frameSources). */
  readonly frames: FrameSources;
}

export async function buildProgram(sources: readonly SourceFile[], options: BuildOptions): Promise<BuildResult> {
  const analysis = analyzeSources(sources, options);
  const { model, diagnostics } = analysis;
  const checked = model?.program ?? null;
  const frames = frameSources(analysis);
  if (!model || !checked || diagnostics.some((d) => d.severity === "error")) return { diagnostics, files: [], hostWarnings: [], checked, frames };
  const std = stdlibUnits(model);
  const user = userUnits(model, "relative", options.userPrefix ?? "");
  const all = [...std, ...user];
  const modules = emitUnits(all, all, { version: VERSION });
  const outAbs = resolve(options.outDir);
  // A map names its `.ds` file relative to the map itself, so editors and debuggers find it.
  // The stdlib's sources travel with the tree (`_dplc/stdlib/`): its maps never point into
  // the compiler's installation, which is somewhere else on every machine.
  const sourcePath = (u: EmitUnit): string => {
    const mapDir = dirname(join(outAbs, ...u.outPath.split("/")));
    const target = u.isStdlib ? join(outAbs, ...stdlibSourcePath(u).split("/")) : u.root.filePath!;
    return toPosix(relative(mapDir, target));
  };
  const files: EmittedFile[] = [];
  for (const mod of modules) {
    const map = mapFor(mod, sourcePath);
    files.push({ path: mod.unit.outPath, text: withMapComment(mod.text, mod.unit.outPath) });
    files.push({ path: `${mod.unit.outPath}.map`, text: JSON.stringify(map) + "\n" });
    if (options.js) files.push(...(await jsFiles(mod.unit.outPath, mod.text, map)));
  }
  for (const u of std) files.push({ path: stdlibSourcePath(u), text: u.source.displayText });
  files.push(...runtimeFiles());
  // ES modules: what `node` needs to run a `--js` tree, and what `tsc` needs to check it as one.
  files.push({ path: "package.json", text: '{ "private": true, "type": "module" }\n' });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { diagnostics, files, hostWarnings: hostWarningsOf(modules, checked, sources), checked, frames };
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

function withMapComment(text: string, path: string): string {
  return `${text}//# sourceMappingURL=${urlComment(`${basename(path)}.map`)}\n`;
}

function withJsMapComment(js: string, tsPath: string): string {
  return `${js.endsWith("\n") ? js : js + "\n"}//# sourceMappingURL=${urlComment(basename(tsPath).replace(/\.ts$/, ".js.map"))}\n`;
}

async function jsFiles(tsPath: string, text: string, tsMap: RawSourceMap): Promise<EmittedFile[]> {
  const t = transpile(text, basename(tsPath));
  const jsName = basename(tsPath).replace(/\.ts$/, ".js");
  const chained = await chainSourceMaps(t.map, tsMap, jsName);
  return [
    { path: tsPath.replace(/\.ts$/, ".js"), text: withJsMapComment(t.js, tsPath) },
    { path: tsPath.replace(/\.ts$/, ".js.map"), text: JSON.stringify(chained) + "\n" },
  ];
}

/** Where a stdlib module's `.ds` text is kept in a built tree. */
function stdlibSourcePath(u: EmitUnit): string {
  return `_dplc/stdlib/${toPosix(relative(STDLIB_ROOT, u.root.filePath!))}`;
}

/**
 * One warning per host-bound declaration without an implementation that the program can
 * reach: declared in its own modules, or a stdlib one its functions call, directly or
 * through other stdlib functions. The stdlib's kernel modules declare many such functions
 * that a user program never calls; warning about those would drown the ones that matter.
 */
export function hostWarningsOf(modules: readonly EmittedModule[], checked: CheckedProgram, sources: readonly SourceFile[]): HostWarning[] {
  const reached = reachableFns(checked);
  // Building the stdlib's own files (`dplc build stdlib`) makes their declarations the program's.
  const own = new Set(sources.map((s) => s.name));
  const out: HostWarning[] = [];
  for (const m of modules) for (const h of m.unboundHost) if (!m.unit.isStdlib || reached.has(h.fn) || own.has(h.span.file)) out.push({ name: h.name, span: h.span });
  return out.sort((a, b) => (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : a.span.start.line - b.span.start.line));
}

/** The functions the user's code calls, and everything those call, across the stdlib. */
function reachableFns(checked: CheckedProgram): Set<FnDef> {
  const edges = new Map<FnDef, FnDef[]>();
  for (const e of [...checked.stdlib.tables.calls, ...checked.tables.calls]) {
    let l = edges.get(e.caller);
    if (!l) edges.set(e.caller, (l = []));
    l.push(e.callee);
  }
  const seen = new Set<FnDef>();
  const queue = checked.tables.calls.map((e) => e.caller);
  for (const f of queue) seen.add(f);
  for (let i = 0; i < queue.length; i++) {
    for (const g of edges.get(queue[i]!) ?? []) {
      if (seen.has(g)) continue;
      seen.add(g);
      queue.push(g);
    }
  }
  return seen;
}

/** Whether a build reading `sourceRoots` may write into `outDir` (asked before any work, and again when writing). */
export function outDirCheck(outDir: string, sourceRoots: readonly string[]): OutDirCheck {
  return checkOutDir(outDir, [...sourceRoots, STDLIB_ROOT], (p) => displayName(p));
}

/**
 * Write a build's files under `outDir`, which must be a folder dplc owns (new, empty, or
 * marked by an earlier build) and apart from every source root: the folders and files the
 * build read, and the stdlib. Never overwrites a file dplc did not write; every file is
 * written atomically. A refusal is one line for the user.
 */
export function writeBuild(outDir: string, files: readonly EmittedFile[], sourceRoots: readonly string[]): { ok: true } | { ok: false; error: string } {
  const check = outDirCheck(outDir, sourceRoots);
  if (!check.ok) return check;
  return writeOwnedTree(outDir, check.owned, files, (p) => displayName(p));
}
