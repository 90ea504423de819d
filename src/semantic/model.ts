/**
 * The analysis model: the read-only result of checking a program, which the emitter and
 * the language server read and never recompute. It wraps the checker's tables (types per
 * expression, resolution per path, field and method call, per call the callee with its
 * full substitution and chosen impl, closure captures, shorthand fields, macro captures)
 * of both worlds (the user's and the stdlib's) and answers the questions later stages ask
 * about definitions: signatures, where a definition is declared (with the file's real
 * path, so an editor can open a stdlib file whatever its working folder), the impl of a
 * trait for a type, the members of a type.
 *
 * Error-tolerant by construction: a module with errors still has its well-typed parts in
 * the tables; a node the checker could not type reads as the error type.
 */
import type * as A from "../syntax/ast.js";
import type { Span } from "../syntax/source.js";
import type { CheckedProgram, CheckedWorld } from "./program.js";
import type { AdtDef, ConstDef, Def, FieldDef, FnDef, FnSig, GenericParamDef, ImplDef, LocalDef, ModuleDef, StructDef, TraitDef, TraitRef, VariantDef } from "./defs.js";
import type { Sema } from "./context.js";
import type { CallRes, ReadonlyTables } from "./tables.js";
import { ERROR, type Ty } from "./types.js";
import { constType, fnSig, structFields, traitSupers, variantFields } from "./lower.js";
import { implOfTrait, peel } from "./call-res.js";
import { Infer } from "./infer.js";
import { matchImpl } from "./impls.js";
import { ITER_DEF, RANGE_DEF, VEC_DEF } from "./builtins.js";
import { intrinsicMethodsOf, preludeDefs, type IntrinsicCtx, type IntrinsicSig } from "./intrinsics.js";
import { scopeRanges, type ScopeRanges } from "./scope-ranges.js";

/** Where a definition is declared: the file (absolute, when it has one) and the span of its name. */
export interface DefinitionSite {
  /** The file's path on disk; null for a buffer that was never saved or a builtin. */
  readonly path: string | null;
  readonly span: Span;
}

export interface ImplMatch {
  readonly impl: ImplDef;
  /** The impl's generic parameters, bound for the type asked about. */
  readonly subst: ReadonlyMap<GenericParamDef, Ty>;
}

/** What a value of some type offers after `.`. */
export interface Members {
  readonly fields: readonly FieldDef[];
  readonly methods: readonly FnDef[];
  /** Compiler-provided methods (`String.len`, `Vec.push`, `u64.pow`, ...). */
  readonly intrinsic: readonly IntrinsicSig[];
}

/** A world (the user's program or the stdlib) as later stages see it: its modules and read-only tables. */
export interface ModelWorld {
  /** File and inline modules (not the modules of items declared inside blocks). */
  readonly modules: readonly ModuleDef[];
  readonly tables: ReadonlyTables;
}

/**
 * What the emitter and the language server may ask of the analysis: read-only by type.
 * They are given this interface, never the checker's `Sema` or its mutable `Tables`
 * (test/architecture/readonly-model.test.ts holds them to it); the compiler stage, which
 * hands the checked program on to `dplc doc` and `dplc test`, has the class.
 */
export interface ReadonlyModel {
  readonly user: ModelWorld;
  readonly stdlib: ModelWorld;
  tablesOf(m: ModuleDef): ReadonlyTables;
  typeOf(e: A.Expr): Ty;
  callOf(node: A.CallExpr | A.MethodCallExpr | A.PathExpr): CallRes | undefined;
  signature(f: FnDef): FnSig;
  structFields(d: StructDef): readonly FieldDef[];
  variantFields(v: VariantDef): readonly FieldDef[];
  constType(c: ConstDef): Ty;
  traitSupers(t: TraitDef): readonly TraitRef[];
  /** The stdlib's top-level modules by name (`core`, `runtime`, ...). */
  stdlibRoots(): ReadonlyMap<string, ModuleDef>;
  pathOfFile(name: string): string | null;
  definitionSite(def: Def | FieldDef): DefinitionSite | null;
  implOf(t: Ty, trait: TraitDef, from?: ModuleDef | null): ImplMatch | null;
  /** The impls of a struct or enum that the world of `from` sees (its own and the stdlib's). */
  implsOfDef(d: AdtDef, from: ModuleDef): readonly ImplDef[];
  /** Every impl block, the user's then the stdlib's. */
  allImpls(): readonly ImplDef[];
  moduleOfFile(name: string): ModuleDef | null;
  scopesOf(name: string): ScopeRanges | null;
  moduleAt(name: string, offset: number): ModuleDef | null;
  localsAt(name: string, offset: number): LocalDef[];
  itemsInScope(m: ModuleDef): Def[];
  membersOf(t: Ty): Members;
}

/** The modules of a checked program (the stdlib's first) that are files: a source and a path. */
export function fileModulesOf(program: CheckedProgram): ModuleDef[] {
  const out: ModuleDef[] = [];
  for (const w of [program.stdlib, program as CheckedWorld]) for (const m of w.world.modules) if (m.source && m.filePath) out.push(m);
  return out;
}

/**
 * The texts code frames show for the files a check loaded (a `mod` child's, a stdlib
 * file's), by the name their spans carry: what a diagnostics-only check keeps of its
 * program (compiler/analyze.ts).
 */
export function displayTextsOf(program: CheckedProgram): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of fileModulesOf(program)) if (!out.has(m.source!.name)) out.set(m.source!.name, m.source!.displayText);
  return out;
}

export class AnalysisModel implements ReadonlyModel {
  private readonly pathsByName = new Map<string, string>();
  private readonly fileModules = new Map<string, ModuleDef>();
  private readonly scopes = new Map<string, ScopeRanges>();
  private ictx: IntrinsicCtx | null = null;
  private readonly implCache = new Map<Sema, Map<TraitDef, Map<Ty, ImplMatch | null>>>();

  constructor(readonly program: CheckedProgram) {
    for (const m of fileModulesOf(program)) {
      this.pathsByName.set(m.source!.name, m.filePath!);
      if (!this.fileModules.has(m.source!.name)) this.fileModules.set(m.source!.name, m);
    }
  }

  get user(): ModelWorld {
    return this.program;
  }

  get stdlib(): ModelWorld {
    return this.program.stdlib;
  }

  /** The tables of the world a module belongs to. */
  tablesOf(m: ModuleDef): ReadonlyTables {
    return m.isStdlib ? this.program.stdlib.tables : this.program.tables;
  }

  allImpls(): readonly ImplDef[] {
    return [...this.program.world.impls, ...this.program.stdlib.world.impls];
  }

  implsOfDef(d: AdtDef, from: ModuleDef): readonly ImplDef[] {
    return this.semaOf(from).impls.implsOfDef(d);
  }

  private semaOf(m: ModuleDef): Sema {
    return m.isStdlib ? this.program.stdlib.sema : this.program.sema;
  }

  /** The type of an expression of the user's program or the stdlib; the error type when it has none. */
  typeOf(e: A.Expr): Ty {
    return this.program.tables.exprTypes.get(e) ?? this.program.stdlib.tables.exprTypes.get(e) ?? ERROR;
  }

  /** What a call (or a function used as a value) resolved to: callee, substitution, impl. */
  callOf(node: A.CallExpr | A.MethodCallExpr | A.PathExpr): CallRes | undefined {
    return this.program.tables.callRes.get(node) ?? this.program.stdlib.tables.callRes.get(node);
  }

  /** A function's signature as declared (generic parameters unsubstituted). */
  signature(f: FnDef): FnSig {
    return f.sig ?? fnSig(this.semaOf(f.module), f);
  }

  structFields(d: StructDef): readonly FieldDef[] {
    return structFields(this.semaOf(d.module), d);
  }

  variantFields(v: VariantDef): readonly FieldDef[] {
    return variantFields(this.semaOf(v.enumDef.module), v);
  }

  constType(c: ConstDef): Ty {
    return constType(this.semaOf(c.module), c);
  }

  traitSupers(t: TraitDef): readonly TraitRef[] {
    return traitSupers(this.semaOf(t.module), t);
  }

  stdlibRoots(): ReadonlyMap<string, ModuleDef> {
    return this.program.sema.resolver.stdlibRoots;
  }

  /** The real path of a checked file, by the name its spans carry. */
  pathOfFile(name: string): string | null {
    return this.pathsByName.get(name) ?? null;
  }

  /** Where a definition (or field) is declared; null for builtins, which have no file. */
  definitionSite(def: Def | FieldDef): DefinitionSite | null {
    // A module of its own file is declared by that file (`mod geom;` leads to geom.ds).
    if ("kind" in def && def.kind === "module" && def.filePath && def.source && def.source.name !== def.parent?.source?.name) return { path: def.filePath, span: def.source.span(0, 0) };
    const span = "nameSpan" in def ? def.nameSpan : "span" in def ? def.span : null;
    if (!span || span.file.startsWith("<")) return null;
    return { path: this.pathOfFile(span.file), span };
  }

  /**
   * The impl of `trait` for a concrete type, with the impl's generics bound; the checker's
   * impl index decides, as it did when the program was checked.
   */
  implOf(t: Ty, trait: TraitDef, from: ModuleDef | null = null): ImplMatch | null {
    const sema = from ? this.semaOf(from) : this.program.sema;
    let byTrait = this.implCache.get(sema);
    if (!byTrait) this.implCache.set(sema, (byTrait = new Map()));
    let byTy = byTrait.get(trait);
    if (!byTy) byTrait.set(trait, (byTy = new Map()));
    const hit = byTy.get(t);
    if (hit !== undefined) return hit;
    const found = implOfTrait(sema, t, trait);
    byTy.set(t, found);
    return found;
  }

  /** The text a checked file's code frames show (a `mod` child's, a stdlib file's), by the name its spans carry. */
  displayTextOf(name: string): string | undefined {
    return this.fileModules.get(name)?.source?.displayText;
  }

  /** The module a checked file declares (by the name its spans carry). */
  moduleOfFile(name: string): ModuleDef | null {
    return this.fileModules.get(name) ?? null;
  }

  /** Scope ranges and expressions of a checked file, computed once. */
  scopesOf(name: string): ScopeRanges | null {
    const hit = this.scopes.get(name);
    if (hit) return hit;
    const m = this.fileModules.get(name);
    if (!m) return null;
    const r = scopeRanges(this.tablesOf(m), m.items);
    this.scopes.set(name, r);
    return r;
  }

  /** The module whose names are visible at an offset of a file (an inline module, a block with items). */
  moduleAt(name: string, offset: number): ModuleDef | null {
    const sc = this.scopesOf(name);
    let best: { from: number; to: number; module: ModuleDef } | null = null;
    for (const r of sc?.modules ?? []) if (r.from <= offset && offset <= r.to && (!best || r.from >= best.from)) best = r;
    return best?.module ?? this.moduleOfFile(name);
  }

  /** Locals visible at an offset, innermost first; a shadowed name appears once. */
  localsAt(name: string, offset: number): LocalDef[] {
    const sc = this.scopesOf(name);
    if (!sc) return [];
    const visible = sc.locals.filter((r) => r.from <= offset && offset <= r.to).sort((a, b) => b.from - a.from || b.local.id - a.local.id);
    const seen = new Set<string>();
    const out: LocalDef[] = [];
    for (const r of visible) {
      if (seen.has(r.local.name)) continue;
      seen.add(r.local.name);
      out.push(r.local);
    }
    return out;
  }

  /** Items a module sees by name: its own and imported ones, enclosing scopes', the prelude's. */
  itemsInScope(m: ModuleDef): Def[] {
    const out: Def[] = [];
    const seen = new Set<string>();
    const add = (name: string, d: Def | null | undefined, ns: string): void => {
      if (!d || seen.has(`${ns}:${name}`)) return;
      seen.add(`${ns}:${name}`);
      out.push(d);
    };
    for (let x: ModuleDef | null = m; x; x = x.outer) {
      for (const [n, b] of x.types) add(n, b.def ?? b.import?.type, "t");
      for (const [n, b] of x.values) add(n, b.def ?? b.import?.value, "v");
      if (!x.outer) for (const [n, c] of x.children) add(n, c, "t");
    }
    if (m.prelude) {
      for (const [n, d] of m.prelude.types) add(n, d, "t");
      for (const [n, d] of m.prelude.values) add(n, d, "v");
    }
    return out;
  }

  /** Fields and methods of a value of type `t`, through references and domain wrappers. */
  membersOf(t: Ty): Members {
    const st = peel(t);
    const sema = this.program.sema;
    const fields: FieldDef[] = st.k === "adt" && st.def.kind === "struct" ? structFields(this.semaOf(st.def.module), st.def) : [];
    const methods: FnDef[] = [];
    const seen = new Set<string>(fields.map((f) => f.name));
    const addFn = (f: FnDef): void => {
      if (seen.has(f.name)) return;
      seen.add(f.name);
      methods.push(f);
    };
    const addTrait = (tr: TraitDef, visited = new Set<TraitDef>()): void => {
      if (visited.has(tr)) return;
      visited.add(tr);
      for (const f of tr.methods.values()) addFn(f);
      for (const sup of traitSupers(this.semaOf(tr.module), tr)) addTrait(sup.trait, visited);
    };
    if (st.k === "param") for (const b of st.def.bounds) addTrait(b.trait);
    else if (st.k !== "error" && st.k !== "var" && st.k !== "any") {
      const inf = new Infer();
      for (const impl of sema.impls.candidates(st)) {
        if (!implOfTraitOrInherent(sema, inf, impl, st)) continue;
        for (const f of impl.methods.values()) addFn(f);
        if (impl.trait) addTrait(impl.trait.trait);
      }
    }
    // A declared struct or enum offers what its impls declare; `.clone()`/`.ptr()` that the
    // compiler allows on every such type would only crowd the list.
    const declared = st.k === "adt" && st.def !== VEC_DEF && st.def !== ITER_DEF && st.def !== RANGE_DEF;
    return { fields, methods, intrinsic: st.k === "error" || st.k === "var" || declared ? [] : intrinsicMethodsOf(this.intrinsicCtx(), st).filter((m) => !seen.has(m.name.slice(m.name.lastIndexOf(".") + 1))) };
  }

  private intrinsicCtx(): IntrinsicCtx {
    if (!this.ictx) {
      const prelude = this.program.modules.find((m) => m.prelude)?.prelude ?? null;
      const inf = new Infer();
      this.ictx = { prelude: preludeDefs(prelude?.types ?? new Map()), fresh: () => inf.fresh() };
    }
    return this.ictx;
  }
}

function implOfTraitOrInherent(s: Sema, inf: Infer, impl: ImplDef, t: Ty): boolean {
  const snap = inf.snapshot();
  const ok = matchImpl(s, inf, impl, t) !== null;
  inf.rollback(snap);
  return ok;
}
