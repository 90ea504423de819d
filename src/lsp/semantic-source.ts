/**
 * The one place the editor features get meaning from: what an identifier refers to, the
 * type and domain of a value, the names in scope at a position, the members of a type.
 *
 * Hover, definition, completion and semantic tokens only talk to `DocumentSemantics`,
 * which `createSemanticSource` below assembles from two layers:
 * - syntax trees (`syntax-resolver.ts`): declarations by name in scope, in the file,
 *   across open files and in the stdlib; types as declarations write them;
 * - the semantic checker's `CheckedProgram` from the last completed check
 *   (`checker-semantics.ts`): resolved definitions and inferred expression types, keyed
 *   by syntax node, which override the first layer wherever they have an answer.
 */
import type * as A from "../syntax/ast.js";
import type { Span } from "../syntax/source.js";
import type { OpenDocument } from "./documents.js";
import type { CheckedProgram } from "../semantic/index.js";
import { SyntacticSource, type DocSemantics, type SyntacticOptions } from "./syntax-resolver.js";
import { CheckedSemantics } from "./checker-semantics.js";

export type Domain = "K" | "Q" | "Φ";

export type SymKind =
  | "module"
  | "struct"
  | "enum"
  | "variant"
  | "trait"
  | "alias"
  | "typeParam"
  | "function"
  | "method"
  | "const"
  | "static"
  | "field"
  | "param"
  | "self"
  | "local"
  | "builtin"
  | "macro"
  | "annotation";

/** A declaration: an item, member, binding or builtin. */
export interface Sym {
  readonly name: string;
  readonly kind: SymKind;
  /** The declaring identifier, where "go to definition" lands; null for builtins. */
  readonly decl: Span | null;
  /** The declaration node (item, field, variant, pattern), for ranges and signatures. */
  readonly node: A.Node | null;
  readonly docs: readonly string[];
  readonly mutable: boolean;
  /** Members and `self` know the item that owns them (a struct, enum, trait or impl type). */
  readonly owner: Sym | null;
}

/** A type as the editor shows it, with its domain and (when it names one) its declaration. */
export interface TypeInfo {
  readonly text: string;
  readonly domain: Domain | null;
  /** The struct, enum, trait or alias the type names (after `&`, and inside `K<..>`/`Q<..>`/`Φ<..>`). */
  readonly def: Sym | null;
}

/** An identifier occurrence: a declaration or a use, with what it means. */
export interface Ref {
  readonly start: number;
  readonly end: number;
  readonly sym: Sym;
  readonly isDecl: boolean;
  /** The syntax node whose resolution this is (a path, method call, field access, pattern, item). */
  readonly node?: A.Node;
}

export interface DocumentSemantics {
  /** Every identifier the source could resolve, sorted by offset. */
  readonly refs: readonly Ref[];
  refAt(offset: number): Ref | undefined;
  /** The type of the value a symbol denotes (a function's: its return type). */
  typeOf(sym: Sym): TypeInfo | null;
  domainOf(sym: Sym): Domain | null;
  /** The type of the innermost expression around `offset`, when known. */
  typeAt(offset: number): TypeInfo | null;
  /** The type of the expression ending at `offset` (the receiver of a `.` being typed). */
  typeOfExpressionBefore(offset: number): TypeInfo | null;
  /** Names visible at `offset`, innermost first, shadowed ones left out. */
  scopeAt(offset: number): Sym[];
  /** Fields and methods of values of a type (looking through `&` and domain wrappers). */
  membersOf(type: TypeInfo): Sym[];
  /** What `a::b::` offers: variants, associated functions and constants, module items. */
  pathMembers(path: readonly string[], offset: number): Sym[];
  /** The signature line(s) of a declaration, as DPL source. */
  signature(sym: Sym): string;
}

export interface SemanticSource {
  forDocument(doc: OpenDocument): DocumentSemantics;
}

/**
 * Syntax-based meaning for every document, upgraded with the checker's tables when the
 * last completed check read the document's current version (`programFor`).
 */
export function createSemanticSource(
  docs: () => readonly OpenDocument[],
  options: SyntacticOptions,
  programFor: (doc: OpenDocument) => { readonly program: CheckedProgram; readonly current: boolean } | undefined = () => undefined,
): SemanticSource {
  const syntactic = new SyntacticSource(docs, options);
  const checked = new WeakMap<DocumentSemantics, { program: CheckedProgram; sem: CheckedSemantics }>();
  return {
    forDocument(doc) {
      const base = syntactic.forDocument(doc) as DocSemantics;
      const p = programFor(doc);
      if (!p) return base;
      const hit = checked.get(base);
      if (hit && hit.program === p.program) return hit.sem;
      const sem = new CheckedSemantics(base, p.program, p.current);
      checked.set(base, { program: p.program, sem });
      return sem;
    },
  };
}
