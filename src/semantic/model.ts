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
import type { Def, FieldDef, FnDef, FnSig, GenericParamDef, ImplDef, ModuleDef, TraitDef } from "./defs.js";
import type { Sema } from "./context.js";
import type { CallRes, Tables } from "./tables.js";
import { ERROR, type Ty } from "./types.js";
import { fnSig } from "./lower.js";
import { implOfTrait } from "./call-res.js";

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

export class AnalysisModel {
  private readonly pathsByName = new Map<string, string>();
  private readonly implCache = new Map<Sema, Map<TraitDef, Map<Ty, ImplMatch | null>>>();

  constructor(readonly program: CheckedProgram) {
    for (const w of [program.stdlib, program as CheckedWorld]) {
      for (const m of w.world.modules) if (m.source && m.filePath) this.pathsByName.set(m.source.name, m.filePath);
    }
  }

  get user(): CheckedWorld {
    return this.program;
  }

  get stdlib(): CheckedWorld {
    return this.program.stdlib;
  }

  /** The tables of the world a module belongs to. */
  tablesOf(m: ModuleDef): Tables {
    return m.isStdlib ? this.program.stdlib.tables : this.program.tables;
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

  /** The real path of a checked file, by the name its spans carry. */
  pathOfFile(name: string): string | null {
    return this.pathsByName.get(name) ?? null;
  }

  /** Where a definition (or field) is declared; null for builtins, which have no file. */
  definitionSite(def: Def | FieldDef): DefinitionSite | null {
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
}
