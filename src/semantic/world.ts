/**
 * Worlds and their module trees.
 *
 * A world is a set of modules checked together: the stdlib (built once per process and
 * cached, see stdlib-world.ts) or the user's modules of one check run. The user world
 * reads the stdlib world's definitions but never changes them.
 *
 * File modules: `mod m;` in `dir/x.ds` is `dir/m.ds` or `dir/m/mod.ds`. A file that the
 * run was given and that another given file also declares with `mod` is checked once,
 * as that submodule, not a second time as a root of its own.
 */
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join, resolve as resolvePath } from "node:path";
import type * as A from "../syntax/ast.js";
import type { SourceFile, Span } from "../syntax/source.js";
import type { Profile } from "../compiler/options.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { loadSource, parseLoaded } from "../compiler/sources.js";
import type { ImplDef, ModuleDef, PreludeScope } from "./defs.js";

export interface ParsedFile {
  readonly source: SourceFile;
  readonly ast: A.Module;
  readonly syntaxDiagnostics: readonly Diagnostic[];
}

export interface World {
  readonly kind: "stdlib" | "user";
  /** Every module, in a deterministic order (parents before children). */
  readonly modules: ModuleDef[];
  readonly impls: ImplDef[];
  readonly diagnostics: Diagnostic[];
  /** Modules by the real path of their file, so that a file is loaded once. */
  readonly byPath: Map<string, ModuleDef>;
}

export function newWorld(kind: World["kind"]): World {
  return { kind, modules: [], impls: [], diagnostics: [], byPath: new Map() };
}

export interface ModuleInit {
  readonly name: string;
  readonly parent: ModuleDef | null;
  readonly source: SourceFile | null;
  readonly filePath: string | null;
  readonly dirPath: string | null;
  readonly items: readonly A.Item[];
  readonly profile: Profile;
  readonly isStdlib: boolean;
  readonly isTrusted: boolean;
  readonly isPrelude: boolean;
  readonly prelude: PreludeScope | null;
  readonly outer?: ModuleDef | null;
  readonly nameSpan: Span | null;
  readonly docs: readonly string[];
}

export function createModule(world: World, init: ModuleInit): ModuleDef {
  const m: ModuleDef = {
    kind: "module",
    name: init.name,
    path: init.parent ? [...init.parent.path, init.name] : init.isStdlib ? [init.name] : [],
    parent: init.parent,
    root: undefined as unknown as ModuleDef,
    source: init.source,
    filePath: init.filePath,
    dirPath: init.dirPath,
    items: init.items,
    types: new Map(),
    values: new Map(),
    globs: [],
    children: new Map(),
    outer: init.outer ?? null,
    prelude: init.prelude,
    profile: init.profile,
    isStdlib: init.isStdlib,
    isTrusted: init.isTrusted,
    isPrelude: init.isPrelude,
    nameSpan: init.nameSpan,
    docs: init.docs,
  };
  m.root = init.parent ? init.parent.root : m;
  world.modules.push(m);
  if (init.filePath && !world.byPath.has(init.filePath)) world.byPath.set(init.filePath, m);
  return m;
}

/** The user's name for a module in messages: `a::b`, or the file stem for a root. */
export function moduleDisplayName(m: ModuleDef): string {
  if (m.path.length > 0) return m.path.join("::");
  return m.name;
}

// ---------------------------------------------------------------------------
// File lookup for `mod m;`

export function realPathOf(source: SourceFile): string {
  return resolvePath(process.cwd(), source.name);
}

export function moduleFileCandidates(dir: string, name: string): string[] {
  return [join(dir, `${name}.ds`), join(dir, name, "mod.ds")];
}

/** Where `mod m;` in this module looks (Rust's rule for inline modules: one folder per level). */
export function childDir(m: ModuleDef, name: string): string | null {
  return m.dirPath === null ? null : join(m.dirPath, name);
}

export function dirOfFile(filePath: string): string {
  return dirname(filePath);
}

/** A `.../m/mod.ds` file is module `m`; any other file is its stem. */
export function moduleNameOfFile(filePath: string): string {
  const base = basename(filePath);
  if (base === "mod.ds") return basename(dirname(filePath));
  return base.replace(/\.(ds|md)$/i, "");
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Read and parse a module file from disk (for `mod m;` targets the run was not given). */
export function parseFileFromDisk(path: string, shownName: string): ParsedFile | null {
  if (!existsSync(path)) return null;
  // The same reading as the CLI's: never blocks on a FIFO, reports bytes that are not UTF-8.
  const loaded = loadSource(path, {}, shownName);
  if (!loaded.ok) return null;
  const r = parseLoaded(loaded.source);
  return { source: loaded.source, ast: r.module, syntaxDiagnostics: r.diagnostics };
}

/**
 * Collect the real paths that `mod m;` declarations of the given files point at, so a
 * given file that is someone's submodule is not also checked as a root.
 */
export function claimedPaths(files: readonly { readonly path: string; readonly ast: A.Module }[]): Set<string> {
  const claimed = new Set<string>();
  const visit = (items: readonly A.Item[], dir: string): void => {
    for (const it of items) {
      if (it.kind !== "ModItem") continue;
      if (it.items === null) {
        for (const c of moduleFileCandidates(dir, it.name.name)) claimed.add(c);
      } else visit(it.items, join(dir, it.name.name));
    }
  };
  for (const f of files) visit(f.ast.items, dirOfFile(f.path));
  return claimed;
}
