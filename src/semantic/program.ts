/**
 * Checking a program: the stdlib world (cached), then the user's modules against it.
 *
 *   parsed files → module trees (world.ts, collect.ts) → imports and signatures (decls.ts)
 *   → bodies (bodies.ts, check-*.ts) → rule passes (rules.ts: ownership, Φ aliasing,
 *   capabilities, determinism, unused bindings) → a `CheckedProgram`.
 *
 * `checkProgram` returns the typed tables as well as the diagnostics; `analyze`
 * (compiler/analyze.ts) wraps them in the analysis model (model.ts) that the emitter and
 * the language server read.
 */
import { raise } from "../diagnostics/messages/message.js";
import { Unresolved } from "../diagnostics/messages/unresolved.js";
import { mergeDirectoryForges, linkForgeBinds } from "./forges.js";
import { checkDustlang } from "./dustlang.js";
import { LINEAR_NEVER_CONSUMED } from "../diagnostics/messages/dustlang.js";
import { UNUSED_BINDING } from "../diagnostics/messages/warnings.js";
import { join } from "node:path";
import type * as A from "../syntax/ast.js";
import type { CheckOptions } from "../workspace/options.js";
import { displayName } from "../workspace/sources.js";
import { parseFileFromDisk } from "../workspace/files.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { ImplDef, ModuleDef } from "./defs.js";
import type { Sema } from "./context.js";
import { dedupingReporter, spanKey } from "./context.js";
import { collectItems, type CollectHost } from "./collect.js";
import { declareWorld } from "./decls.js";
import { checkItemBodies, checkModuleBodies, type BodyHost } from "./bodies.js";
import { hasDeferredBodies, releaseItemBodies } from "./release.js";
import { ImplIndex } from "./impls.js";
import { preludeDefs } from "./intrinsics.js";
import { Tables } from "./tables.js";
import { isUnderStdlib, stdlibWorld, type StdlibWorld } from "./stdlib-world.js";
import { bodyMarks, emptyRuleCache, judgeBodiesNow, runRulePasses, type RuleCache } from "./rules.js";
import type { MoveDiagnostics } from "./ownership.js";
import { restatedPreludeType } from "./collect.js";
import {
  claimedPaths,
  createModule,
  dirOfFile,
  moduleFileCandidates,
  moduleNameOfFile,
  newWorld,
  realPathOf,
  type ParsedFile,
  type World,
} from "./world.js";

export interface CheckedWorld {
  readonly world: World;
  readonly sema: Sema;
  readonly tables: Tables;
  /** File and inline modules (not the modules of items declared inside blocks). */
  readonly modules: readonly ModuleDef[];
}

export interface CheckedProgram extends CheckedWorld {
  readonly stdlib: CheckedWorld;
  /** The run's diagnostics, unsorted (the compiler API sorts and de-duplicates them). */
  readonly diagnostics: readonly Diagnostic[];
  readonly options: CheckOptions;
  /** What the editor's re-check of one item needs (recheck.ts); the user world only. */
  readonly recheck: RecheckState;
}

/**
 * The user world's diagnostics split by where they came from: collection and declaration,
 * and the bodies of each item, so that re-checking one item replaces that item's share.
 */
export interface RecheckState {
  readonly host: BodyHost;
  readonly stdlibTables: Tables;
  /** The user's files, in the order given (the dustlang rules read their syntax trees). */
  files: readonly ParsedFile[];
  readonly hasOverrides: boolean;
  /** The modules whose bodies were checked, in order (not those of items inside blocks). */
  readonly bodyModules: readonly ModuleDef[];
  declDiagnostics: Diagnostic[];
  readonly bodyDiagnostics: Map<A.Item, Diagnostic[]>;
  /** The move pass's diagnostics by body. */
  readonly moves: MoveDiagnostics;
  /** The other per-body verdicts of the rule passes (rules.ts). */
  readonly rules: RuleCache;
}

function makeSema(world: World, stdlibRoots: ReadonlyMap<string, ModuleDef>, parentImpls: ImplIndex | null, scoped = false): Sema {
  const reported = new Set<string>();
  const report = dedupingReporter(world, reported);
  const tables = scoped ? Tables.withScopes() : new Tables();
  return { world, resolver: { report, stdlibRoots, segments: tables.segmentRes }, report, tables, impls: new ImplIndex(parentImpls), reported, syntaxErrorFiles: new Set() };
}

function checkWorld(s: Sema, modules: readonly ModuleDef[], impls: readonly ImplDef[], host: BodyHost, stdlibTables: Tables | null): void {
  declareWorld(s, modules, impls);
  for (const m of modules) checkModuleBodies(s, host, m);
  runRulePasses(s, stdlibTables);
}

function checkedStdlib(overrides: ReadonlyMap<string, ParsedFile>): { std: StdlibWorld; checked: CheckedWorld } {
  const std = stdlibWorld(overrides, (w) => {
    const s = makeSema(w.world, w.roots, null);
    // Keep the resolver's reports in the same bag as everything else of the stdlib world.
    const modules = [...w.world.modules];
    checkWorld(s, modules, w.impls, { prelude: preludeDefs(w.preludes.base.types) }, null);
    w.checked = { world: w.world, sema: s, tables: s.tables, modules } satisfies CheckedWorld;
  });
  return { std, checked: std.checked as CheckedWorld };
}

export function checkProgram(files: readonly ParsedFile[], options: CheckOptions): CheckedProgram {
  const overrides = new Map<string, ParsedFile>();
  const userFiles: { path: string; file: ParsedFile }[] = [];
  for (const f of files) {
    const path = realPathOf(f.source);
    if (isUnderStdlib(path)) overrides.set(path, f);
    else userFiles.push({ path, file: f });
  }
  const { std, checked: stdChecked } = checkedStdlib(overrides);
  const world = newWorld("user");
  // Path dependencies are roots like the stdlib's (`util::x`); their modules join below.
  const roots = new Map(std.roots);
  // Items with deferred bodies record into scopes of the tables, dropped item by item
  // (release.ts). A `mod m;` file read below may have them: a diagnostics-only check's
  // tables can always hold scopes (which costs nothing measurable when none is open).
  const s = makeSema(world, roots, stdChecked.sema.impls, options.diagnosticsOnly === true || files.some((f) => f.ast.items.some(hasDeferredBodies)));
  for (const f of files) if (f.syntaxDiagnostics.some((d) => d.severity === "error")) s.syntaxErrorFiles.add(f.source.name);
  const prelude = options.profile === "kernel" ? std.preludes.kernel : std.preludes.user;
  const impls: ImplDef[] = [];
  const given = new Map(userFiles.map((u) => [u.path, u.file]));
  const claimed = claimedPaths(userFiles.map((u) => ({ path: u.path, ast: u.file.ast })));

  const fileModule = (path: string, file: ParsedFile, parent: ModuleDef | null, name: string, nameSpan: A.Ident["span"] | null): ModuleDef => {
    const m = createModule(world, {
      name,
      parent,
      source: file.source,
      filePath: path,
      dirPath: path.endsWith("mod.ds") ? dirOfFile(path) : dirOfFile(path),
      items: file.ast.items,
      profile: options.profile,
      isStdlib: false,
      isTrusted: false,
      isPrelude: false,
      prelude,
      nameSpan,
      docs: file.ast.docs,
    });
    impls.push(...collectItems(host, m, file.ast.items));
    return m;
  };

  const host: CollectHost = {
    world,
    report: s.report,
    restates: (_m, item) => restatedPreludeType(item, prelude.types),
    childModule(parent, item) {
      const name = item.name.name;
      if (item.items !== null) {
        const child = createModule(world, {
          name,
          parent,
          source: parent.source,
          filePath: null,
          dirPath: parent.dirPath ? join(parent.dirPath, name) : null,
          items: item.items,
          profile: options.profile,
          isStdlib: false,
          isTrusted: false,
          isPrelude: false,
          prelude,
          nameSpan: item.name.span,
          docs: item.docs,
        });
        parent.children.set(name, child);
        impls.push(...collectItems(host, child, item.items));
        return child;
      }
      const cands = parent.dirPath ? moduleFileCandidates(parent.dirPath, name) : [];
      for (const cand of cands) {
        const existing = world.byPath.get(cand);
        if (existing) return existing;
        const file = given.get(cand) ?? parseFileFromDisk(cand, displayName(cand), options);
        if (!file) continue;
        if (!given.has(cand)) world.diagnostics.push(...file.syntaxDiagnostics);
        if (file.syntaxDiagnostics.length > 0) s.syntaxErrorFiles.add(file.source.name);
        const child = fileModule(cand, file, parent, name, item.name.span);
        parent.children.set(name, child);
        return child;
      }
      raise(s.report, item.name.span, Unresolved.moduleFileMissing(name, cands.map((f) => displayName(f))));
      return null;
    },
  };

  for (const [name, path] of options.dependencies ?? []) {
    const file = given.get(path) ?? parseFileFromDisk(path, displayName(path), options);
    if (!file) continue;
    if (!given.has(path)) world.diagnostics.push(...file.syntaxDiagnostics);
    roots.set(name, world.byPath.get(path) ?? fileModule(path, file, null, name, null));
  }
  for (const u of userFiles) {
    if (claimed.has(u.path) || world.byPath.has(u.path)) continue;
    fileModule(u.path, u.file, null, moduleNameOfFile(u.path), null);
  }
  // A set of files that only declare each other (`a` has `mod b;`, `b` has `mod a;`).
  for (const u of userFiles) if (!world.byPath.has(u.path)) fileModule(u.path, u.file, null, moduleNameOfFile(u.path), null);

  // dustlang forges are namespaces across the files of their directory (semantic/forges.ts).
  mergeDirectoryForges(userFiles.map((u) => world.byPath.get(u.path)).filter((m): m is ModuleDef => m !== undefined && m.parent === null));
  linkForgeBinds(userFiles.map((u) => u.file.ast));
  const modules = [...world.modules];
  declareWorld(s, modules, impls);
  const declDiagnostics = world.diagnostics.slice();
  const bodyDiagnostics = new Map<A.Item, Diagnostic[]>();
  const bodyHost: BodyHost = { prelude: preludeDefs(std.preludes.base.types) };
  const moves: MoveDiagnostics = { byBody: new Map() };
  const rules = emptyRuleCache();
  for (const m of modules) {
    if (!m.items.some(hasDeferredBodies)) {
      checkModuleBodies(s, bodyHost, m, bodyDiagnostics);
      continue;
    }
    // Deferred bodies (a diagnostics-only check of a large file): typed, judged and let go
    // one item at a time (release.ts).
    const diags = world.diagnostics;
    for (const it of m.items) {
      const from = diags.length;
      const marks = hasDeferredBodies(it) ? bodyMarks(s.tables) : null;
      if (marks) for (const table of s.tables.scopedMaps()) table.open();
      checkItemBodies(s, bodyHost, it);
      if (diags.length > from) bodyDiagnostics.set(it, diags.slice(from));
      if (marks) {
        judgeBodiesNow(s, marks, moves, rules);
        releaseItemBodies(s, it, marks);
      }
    }
  }
  const recheck: RecheckState = {
    host: bodyHost,
    stdlibTables: stdChecked.tables,
    files: userFiles.map((u) => u.file),
    hasOverrides: overrides.size > 0,
    bodyModules: modules,
    declDiagnostics,
    bodyDiagnostics,
    moves,
    rules,
  };
  const diagnostics = finishUserWorld(s, recheck, stdChecked, overrides);
  return { world, sema: s, tables: s.tables, modules, stdlib: stdChecked, diagnostics, options, recheck };
}

/**
 * The user world's passes after typing (ownership, capabilities, determinism, unused
 * bindings, the dustlang rules) and the program's diagnostics. `world.diagnostics` holds the
 * declaration and body diagnostics when it is called; the editor's re-check of one item
 * (recheck.ts) puts them back together and calls it again.
 */
export function finishUserWorld(s: Sema, state: RecheckState, stdChecked: CheckedWorld, overrides: ReadonlyMap<string, ParsedFile>): Diagnostic[] {
  const world = s.world;
  runRulePasses(s, state.stdlibTables, state.moves, state.rules);
  // A file with syntax errors lost parts of its declarations to recovery (a `linear` after a
  // broken return type): its v0.1 rules would report cascades of those errors.
  checkDustlang(state.files.filter((f) => !s.syntaxErrorFiles.has(f.source.name)).map((f) => f.ast), s.report);
  // A linear value never consumed (DPL4010) is not also an unused binding (DPL8002).
  const dropped = new Set(world.diagnostics.filter((d) => d.code === LINEAR_NEVER_CONSUMED).map((d) => spanKey("", d.span)));
  if (dropped.size > 0) world.diagnostics.splice(0, world.diagnostics.length, ...world.diagnostics.filter((d) => d.code !== UNUSED_BINDING || !dropped.has(spanKey("", d.span))));

  const overrideNames = new Set([...overrides.values()].map((f) => f.source.name));
  // A file with syntax errors gets no warnings: recovery may have dropped the code that
  // would have used a binding or made a statement reachable.
  const shown = (d: Diagnostic): boolean => d.severity !== "warning" || !s.syntaxErrorFiles.has(d.span.file);
  return [...world.diagnostics.filter(shown), ...stdChecked.world.diagnostics.filter((d) => overrideNames.has(d.span.file) && shown(d))];
}
