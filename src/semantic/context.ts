/**
 * The state shared by every stage of checking one world: its resolver, diagnostics,
 * result tables and impl index. One `Sema` per world; the user world's `Sema` also holds
 * the stdlib world's, whose definitions and impls it reads.
 */
import type { Span } from "../syntax/source.js";
import { diagnostic } from "../diagnostics/diagnostic.js";
import type { GenericParamDef, ModuleDef } from "./defs.js";
import type { Reporter } from "./annotations.js";
import type { Resolver } from "./resolve.js";
import type { Tables } from "./tables.js";
import type { Ty } from "./types.js";
import type { World } from "./world.js";
import type { ImplIndex } from "./impls.js";

export interface Sema {
  readonly world: World;
  readonly resolver: Resolver;
  readonly report: Reporter;
  readonly tables: Tables;
  readonly impls: ImplIndex;
  /** Diagnostics at the same place with the same code are kept once. */
  readonly reported: Set<string>;
  /** Files with syntax errors: recovery may have dropped code, so no unused-binding warnings there. */
  readonly syntaxErrorFiles: Set<string>;
}

/** The names a type can mention at some point: module items, generic parameters, `Self`. */
export interface TypeScope {
  readonly module: ModuleDef;
  readonly generics: ReadonlyMap<string, GenericParamDef>;
  readonly selfTy: Ty | null;
  /** What `_` and omitted generic arguments stand for: `any` in signatures, a fresh variable in bodies. */
  readonly hole: () => Ty;
  /**
   * The signature of a dustlang v0.1 process that declares `uses` resources: a type name the
   * program does not define is one of those external resources' types (docs/language.md),
   * `any` to the checker, instead of DPL2001.
   */
  readonly external?: boolean;
  /**
   * The signature of a dustlang Q process: `qbit`, `qbit[N]` and `Qubit`, when the program
   * defines no such type, are this module's `Register` (`std::qpu`, semantic/qpu.ts).
   */
  readonly qpu?: ModuleDef | null;
}

export function spanKey(code: string, span: Span): string {
  return `${code}\0${span.file}\0${(span as { startOffset?: number }).startOffset ?? span.start.offset}`;
}

/** A world's reporter: every diagnostic into the world's bag. */
export function worldReporter(world: World): Reporter {
  return (code, span, message, init) => {
    world.diagnostics.push(diagnostic(code, span, message, init));
  };
}

/** A world's reporter that keeps a diagnostic with the same code at the same place once. */
export function dedupingReporter(world: World, reported: Set<string>): Reporter {
  return (code, span, message, init) => {
    const key = spanKey(code, span);
    if (reported.has(key)) return;
    reported.add(key);
    world.diagnostics.push(diagnostic(code, span, message, init));
  };
}
