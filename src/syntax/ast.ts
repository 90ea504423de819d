/**
 * The typed syntax tree. Every node carries a `kind` tag and its `span`; the tree is
 * separate from chevrotain (the parser builds it directly, no CST in between) so that
 * later stages and the editor never depend on parser internals.
 *
 * Error recovery leaves `Error*` nodes where the parser gave up on a piece of input; the
 * checker treats them as "already reported" and stays quiet about them.
 */
import type { Span } from "./source.js";

export interface Node {
  readonly span: Span;
}

export interface Ident extends Node {
  readonly kind: "Ident";
  readonly name: string;
}

// ---------------------------------------------------------------------------
// Module and items

export interface Module extends Node {
  readonly kind: "Module";
  readonly file: string;
  readonly items: Item[];
  /** Inner doc comments (`//!`) at the top of the module. */
  readonly docs: string[];
}

export type Item =
  | UseItem
  | ModItem
  | ConstItem
  | StructItem
  | EnumItem
  | FnItem
  | ImplItem
  | TraitItem
  | TypeAliasItem
  | ErrorItem;

export interface Annotation extends Node {
  readonly kind: "Annotation";
  readonly name: Ident;
  /** `@domain(K)` has args; `@noncopy` has `null`. */
  readonly args: Expr[] | null;
}

export interface ItemBase extends Node {
  readonly annotations: Annotation[];
  readonly isPub: boolean;
  /** Outer doc comments (`///`), one entry per line, without the slashes. */
  readonly docs: string[];
}

export interface UseItem extends ItemBase {
  readonly kind: "UseItem";
  readonly tree: UseTree;
}

export interface UseTree extends Node {
  readonly kind: "UseTree";
  readonly path: Ident[];
  /** `a::b` (with optional `as c`), `a::*`, or `a::{...}`. */
  readonly shape: { readonly kind: "simple"; readonly alias: Ident | null } | { readonly kind: "glob" } | { readonly kind: "group"; readonly items: UseTree[] };
}

export interface ModItem extends ItemBase {
  readonly kind: "ModItem";
  readonly name: Ident;
  /** `mod m;` has `null`: its items live in `m.ds` or `m/mod.ds`. */
  readonly items: Item[] | null;
  /** A dustlang v0.1 `forge` (lowered to this module): its `bind` declarations. */
  readonly forge?: DustForge;
}

// ---------------------------------------------------------------------------
// The dustlang v0.1 surface's extra facts, which the XDV tree has no node for: the checker's
// dustlang pass (semantic/dustlang.ts) reads them; every other stage sees the lowered items.

export type Regime = "K" | "Q" | "Φ";

export interface DustForge {
  readonly binds: DustBind[];
}

/** `bind A -> B contract { .. }`; each end is `R::name` or a bare `name`. */
export interface DustBind extends Node {
  readonly from: DustProcRef;
  readonly to: DustProcRef;
  readonly clauses: DustContractClause[];
}

export interface DustProcRef extends Node {
  readonly regime: Regime | null;
  readonly name: Ident;
}

/** `latency_us < 5000;` — also the sketches' `latency < 2ms` and `record = "sealed"`. */
export interface DustContractClause extends Node {
  readonly attribute: Ident;
  readonly op: "==" | "=" | "<" | "<=" | ">" | ">=";
  readonly value: Expr;
}

/** `uses Console(device="stdout")`: declared, recorded, not enforced (docs/language.md). */
export interface DustUses extends Node {
  readonly resource: Ident;
  readonly args: Expr[];
}

/** A v0.1 statement the lowering turned into ordinary ones, kept for the dustlang rules. */
export interface DustStmt extends Node {
  readonly kind: "emit" | "observe" | "seal" | "constrain" | "prove";
  /** The effect's or constraint's operand; `prove w from e` has `e`. */
  readonly operand: Expr;
  /** `prove w from e`: the witness. */
  readonly witness: Ident | null;
  /** The lowered statement (its identity is what the rules look for). */
  readonly lowered: Stmt;
}

/** A v0.1 `proc R::name(..) uses .. -> T linear { .. }` (lowered to this function). */
export interface DustProc {
  readonly regime: Regime;
  readonly linear: boolean;
  readonly uses: DustUses[];
  readonly stmts: DustStmt[];
  /** Processes this one may call across regimes: both ends of its `bind`s (names in the forge). */
  readonly bound: Set<string>;
  /** The process a file of dust-by-example fragments is lowered to (parse-blocks.ts, `fragmentModule`). */
  readonly fragment?: boolean;
}

export interface ConstItem extends ItemBase {
  readonly kind: "ConstItem";
  readonly name: Ident;
  readonly storage: "const" | "static" | "static mut";
  readonly type: Type | null;
  readonly value: Expr | null;
}

export interface GenericParam extends Node {
  readonly kind: "GenericParam";
  readonly name: Ident;
  readonly bounds: PathType[];
}

export interface FieldDecl extends Node {
  readonly kind: "FieldDecl";
  readonly isPub: boolean;
  /** `null` for tuple-struct fields. */
  readonly name: Ident | null;
  readonly type: Type;
  readonly docs: string[];
}

/**
 * `named`/`tuple`/`unit` are ordinary structs; `opaque` is both `struct S { ... }` and a
 * struct with no body at all: a type whose representation DPL code never sees.
 */
export type StructBody =
  | { readonly kind: "named"; readonly fields: FieldDecl[] }
  | { readonly kind: "tuple"; readonly fields: FieldDecl[] }
  | { readonly kind: "unit" }
  | { readonly kind: "opaque"; readonly form: "ellipsis" | "none" };

export interface StructItem extends ItemBase {
  readonly kind: "StructItem";
  readonly name: Ident;
  readonly generics: GenericParam[];
  readonly body: StructBody;
}

export interface Variant extends Node {
  readonly kind: "Variant";
  readonly name: Ident;
  readonly shape: "unit" | "tuple" | "struct";
  readonly fields: FieldDecl[];
  readonly discriminant: Expr | null;
  readonly docs: string[];
}

export interface EnumItem extends ItemBase {
  readonly kind: "EnumItem";
  readonly name: Ident;
  readonly generics: GenericParam[];
  readonly variants: Variant[];
}

export interface Param extends Node {
  readonly kind: "Param";
  readonly pattern: Pattern;
  readonly type: Type;
}

export interface SelfParam extends Node {
  readonly kind: "SelfParam";
  /** `self`, `mut self`, `&self` or `&mut self`. */
  readonly mode: "value" | "mutValue" | "ref" | "refMut";
  readonly type: Type | null;
}

/**
 * A function's body: a block, the literal `{ ... }` of the corpus, or nothing at all
 * (`fn f() -> T` followed by the next item, or `;` in traits). The last two declare a
 * function implemented by the host.
 */
export type FnBody = { readonly kind: "block"; readonly block: Block } | { readonly kind: "ellipsis"; readonly span: Span } | { readonly kind: "none" };

export interface FnItem extends ItemBase {
  readonly kind: "FnItem";
  readonly name: Ident;
  readonly isUnsafe: boolean;
  readonly generics: GenericParam[];
  readonly selfParam: SelfParam | null;
  readonly params: Param[];
  readonly returnType: Type | null;
  readonly where: WherePredicate[];
  readonly body: FnBody;
  /** A dustlang v0.1 process: its regime, `linear`, `uses` and effect statements. */
  readonly proc?: DustProc;
  /** The entry `fn main()` that dplc adds to a v0.1 file to run its K entry process. */
  readonly synthetic?: true;
}

export interface WherePredicate extends Node {
  readonly kind: "WherePredicate";
  readonly type: Type;
  readonly bounds: PathType[];
}

export interface ImplItem extends ItemBase {
  readonly kind: "ImplItem";
  readonly generics: GenericParam[];
  readonly trait: PathType | null;
  readonly selfType: Type;
  readonly items: Item[];
}

export interface TraitItem extends ItemBase {
  readonly kind: "TraitItem";
  readonly name: Ident;
  readonly generics: GenericParam[];
  readonly supertraits: PathType[];
  readonly items: Item[];
}

export interface TypeAliasItem extends ItemBase {
  readonly kind: "TypeAliasItem";
  readonly name: Ident;
  readonly generics: GenericParam[];
  /** `null` for an associated type declaration in a trait (`type Output;`). */
  readonly type: Type | null;
}

export interface ErrorItem extends ItemBase {
  readonly kind: "ErrorItem";
}

// ---------------------------------------------------------------------------
// Types

export type Type = PathType | RefType | TupleType | ArrayType | SliceType | FnType | DynType | InferType | ErrorType;

export interface PathSegment extends Node {
  readonly kind: "PathSegment";
  readonly name: Ident;
  /** Generic arguments; `null` when the segment has none written. */
  readonly args: Type[] | null;
}

export interface PathType extends Node {
  readonly kind: "PathType";
  readonly segments: PathSegment[];
}

export interface RefType extends Node {
  readonly kind: "RefType";
  readonly isMut: boolean;
  readonly inner: Type;
}

export interface TupleType extends Node {
  readonly kind: "TupleType";
  /** Empty for the unit type `()`. */
  readonly elements: Type[];
}

export interface ArrayType extends Node {
  readonly kind: "ArrayType";
  readonly element: Type;
  readonly length: Expr;
}

export interface SliceType extends Node {
  readonly kind: "SliceType";
  readonly element: Type;
}

export interface FnType extends Node {
  readonly kind: "FnType";
  readonly params: Type[];
  readonly returnType: Type | null;
}

/** A trait object: `dyn Shape` or `dyn Shape + Send` (the first bound is the trait). */
export interface DynType extends Node {
  readonly kind: "DynType";
  readonly bounds: PathType[];
}

export interface InferType extends Node {
  readonly kind: "InferType";
}

export interface ErrorType extends Node {
  readonly kind: "ErrorType";
}

// ---------------------------------------------------------------------------
// Patterns

export type Pattern =
  | WildcardPattern
  | BindingPattern
  | LiteralPattern
  | RangePattern
  | TuplePattern
  | PathPattern
  | TupleStructPattern
  | StructPattern
  | OrPattern
  | RefPattern
  | RestPattern
  | ErrorPattern;

export interface WildcardPattern extends Node {
  readonly kind: "WildcardPattern";
}

/** A plain name; whether it binds or names a unit variant/constant is the resolver's call. */
export interface BindingPattern extends Node {
  readonly kind: "BindingPattern";
  readonly name: Ident;
  readonly isMut: boolean;
  readonly isRef: boolean;
  readonly subpattern: Pattern | null;
  /** A dustlang `prove w from ..` witness: evidence, which need not be read (no DPL8002). */
  readonly witness?: true;
}

export interface LiteralPattern extends Node {
  readonly kind: "LiteralPattern";
  /** A literal, possibly negated (`-1`). */
  readonly value: Expr;
}

export interface RangePattern extends Node {
  readonly kind: "RangePattern";
  readonly start: Expr | null;
  readonly end: Expr | null;
  readonly inclusive: boolean;
}

export interface TuplePattern extends Node {
  readonly kind: "TuplePattern";
  readonly elements: Pattern[];
}

export interface PathPattern extends Node {
  readonly kind: "PathPattern";
  readonly path: PathExpr;
}

export interface TupleStructPattern extends Node {
  readonly kind: "TupleStructPattern";
  readonly path: PathExpr;
  readonly elements: Pattern[];
}

export interface FieldPattern extends Node {
  readonly kind: "FieldPattern";
  readonly name: Ident;
  /** `null` for shorthand `{ x }`. */
  readonly pattern: Pattern | null;
}

export interface StructPattern extends Node {
  readonly kind: "StructPattern";
  readonly path: PathExpr;
  readonly fields: FieldPattern[];
  readonly hasRest: boolean;
}

export interface OrPattern extends Node {
  readonly kind: "OrPattern";
  readonly alternatives: Pattern[];
}

export interface RefPattern extends Node {
  readonly kind: "RefPattern";
  readonly isMut: boolean;
  readonly inner: Pattern;
}

export interface RestPattern extends Node {
  readonly kind: "RestPattern";
}

export interface ErrorPattern extends Node {
  readonly kind: "ErrorPattern";
}

// ---------------------------------------------------------------------------
// Statements and blocks

export type Stmt = LetStmt | ExprStmt | ItemStmt | EmptyStmt;

export interface LetStmt extends Node {
  readonly kind: "LetStmt";
  readonly pattern: Pattern;
  readonly type: Type | null;
  readonly init: Expr | null;
  readonly elseBlock: Block | null;
}

export interface ExprStmt extends Node {
  readonly kind: "ExprStmt";
  readonly expr: Expr;
  readonly hasSemi: boolean;
}

export interface ItemStmt extends Node {
  readonly kind: "ItemStmt";
  readonly item: Item;
}

export interface EmptyStmt extends Node {
  readonly kind: "EmptyStmt";
}

export interface Block extends Node {
  readonly kind: "Block";
  readonly stmts: Stmt[];
  /** The final expression without `;`, which is the block's value. */
  readonly tail: Expr | null;
}

// ---------------------------------------------------------------------------
// Expressions

export type Expr =
  | IntLit
  | FloatLit
  | StrLit
  | CharLit
  | BoolLit
  | PathExpr
  | UnaryExpr
  | RefExpr
  | BinaryExpr
  | AssignExpr
  | CallExpr
  | MethodCallExpr
  | MacroCallExpr
  | FieldExpr
  | IndexExpr
  | CastExpr
  | TryExpr
  | StructLitExpr
  | TupleExpr
  | ParenExpr
  | ArrayExpr
  | ArrayRepeatExpr
  | RangeExpr
  | BlockExpr
  | IfExpr
  | LetCondExpr
  | MatchExpr
  | WhileExpr
  | LoopExpr
  | ForExpr
  | BreakExpr
  | ContinueExpr
  | ReturnExpr
  | ClosureExpr
  | ErrorExpr;

export type IntSuffix = "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128" | "isize";
export type FloatSuffix = "f32" | "f64";

export interface IntLit extends Node {
  readonly kind: "IntLit";
  readonly value: bigint;
  readonly suffix: IntSuffix | null;
  /** The literal as written, for printing (`0xFF_u8`). */
  readonly raw: string;
  /** A dustlang quantity (`2ms`, `1kHz`): `value` is in this base unit (literals.ts). */
  readonly quantity?: "ns" | "Hz";
}

export interface FloatLit extends Node {
  readonly kind: "FloatLit";
  readonly value: number;
  readonly suffix: FloatSuffix | null;
  readonly raw: string;
}

export interface StrLit extends Node {
  readonly kind: "StrLit";
  readonly value: string;
  readonly raw: string;
}

export interface CharLit extends Node {
  readonly kind: "CharLit";
  readonly value: string;
  readonly raw: string;
}

export interface BoolLit extends Node {
  readonly kind: "BoolLit";
  readonly value: boolean;
}

export interface PathExprSegment extends Node {
  readonly kind: "PathExprSegment";
  readonly name: Ident;
  /** Turbofish arguments `::<T>`, or `null`. */
  readonly args: Type[] | null;
}

/** `x`, `self`, `Self`, `a::b::C`, `Vec::<u8>::new`. */
export interface PathExpr extends Node {
  readonly kind: "PathExpr";
  readonly segments: PathExprSegment[];
}

export type UnaryOp = "!" | "-" | "*";

export interface UnaryExpr extends Node {
  readonly kind: "UnaryExpr";
  readonly op: UnaryOp;
  readonly operand: Expr;
}

export interface RefExpr extends Node {
  readonly kind: "RefExpr";
  readonly isMut: boolean;
  readonly operand: Expr;
}

export type BinaryOp =
  | "||"
  | "&&"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "|"
  | "^"
  | "&"
  | "<<"
  | ">>"
  | "+"
  | "-"
  | "*"
  | "/"
  | "%";

export interface BinaryExpr extends Node {
  readonly kind: "BinaryExpr";
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}

export type AssignOp = "=" | "+=" | "-=" | "*=" | "/=" | "%=" | "^=" | "&=" | "|=" | "<<=" | ">>=";

export interface AssignExpr extends Node {
  readonly kind: "AssignExpr";
  readonly op: AssignOp;
  readonly target: Expr;
  readonly value: Expr;
}

export interface CallExpr extends Node {
  readonly kind: "CallExpr";
  readonly callee: Expr;
  readonly args: Expr[];
  /**
   * The dustlang surface's named arguments (`encode(r, basis: "phase")`): the name written
   * before each argument, null for a positional one; absent when no argument is named.
   */
  readonly argNames?: readonly (Ident | null)[];
}

export interface MethodCallExpr extends Node {
  readonly kind: "MethodCallExpr";
  readonly receiver: Expr;
  readonly method: Ident;
  readonly typeArgs: Type[] | null;
  readonly args: Expr[];
}

/** `println!(...)`, `vec![...]`, `format!(...)`, `assert!(...)`, `panic!(...)`. */
export interface MacroCallExpr extends Node {
  readonly kind: "MacroCallExpr";
  readonly name: Ident;
  readonly delimiter: "(" | "[" | "{";
  /** `vec![value; count]`: `args` is `[value, count]`. */
  readonly isRepeat: boolean;
  readonly args: Expr[];
}

export interface FieldExpr extends Node {
  readonly kind: "FieldExpr";
  readonly object: Expr;
  /** A name, or a tuple index (`t.0`) written as its digits. */
  readonly field: Ident;
}

export interface IndexExpr extends Node {
  readonly kind: "IndexExpr";
  readonly object: Expr;
  readonly index: Expr;
}

export interface CastExpr extends Node {
  readonly kind: "CastExpr";
  readonly expr: Expr;
  readonly type: Type;
}

export interface TryExpr extends Node {
  readonly kind: "TryExpr";
  readonly expr: Expr;
}

export interface FieldInit extends Node {
  readonly kind: "FieldInit";
  readonly name: Ident;
  /** `null` for shorthand `S { x }`. */
  readonly value: Expr | null;
}

export interface StructLitExpr extends Node {
  readonly kind: "StructLitExpr";
  readonly path: PathExpr;
  readonly fields: FieldInit[];
  readonly base: Expr | null;
}

export interface TupleExpr extends Node {
  readonly kind: "TupleExpr";
  /** Empty for the unit value `()`. */
  readonly elements: Expr[];
}

export interface ParenExpr extends Node {
  readonly kind: "ParenExpr";
  readonly inner: Expr;
}

export interface ArrayExpr extends Node {
  readonly kind: "ArrayExpr";
  readonly elements: Expr[];
}

export interface ArrayRepeatExpr extends Node {
  readonly kind: "ArrayRepeatExpr";
  readonly value: Expr;
  readonly count: Expr;
}

export interface RangeExpr extends Node {
  readonly kind: "RangeExpr";
  readonly start: Expr | null;
  readonly end: Expr | null;
  readonly inclusive: boolean;
}

export interface BlockExpr extends Node {
  readonly kind: "BlockExpr";
  readonly block: Block;
  readonly isUnsafe: boolean;
  readonly label: Ident | null;
}

export interface IfExpr extends Node {
  readonly kind: "IfExpr";
  /** A boolean expression, or a `LetCondExpr` for `if let`. */
  readonly condition: Expr;
  readonly then: Block;
  readonly else: Block | IfExpr | null;
}

/** The `let PAT = EXPR` of `if let` / `while let`; only valid in those positions. */
export interface LetCondExpr extends Node {
  readonly kind: "LetCondExpr";
  readonly pattern: Pattern;
  readonly value: Expr;
}

export interface MatchArm extends Node {
  readonly kind: "MatchArm";
  readonly pattern: Pattern;
  readonly guard: Expr | null;
  readonly body: Expr;
}

export interface MatchExpr extends Node {
  readonly kind: "MatchExpr";
  readonly scrutinee: Expr;
  readonly arms: MatchArm[];
  /** Written `matches!(scrutinee, pattern if guard)`: the arms are `pattern => true, _ => false`. */
  readonly fromMatches?: true;
}

export interface WhileExpr extends Node {
  readonly kind: "WhileExpr";
  readonly label: Ident | null;
  readonly condition: Expr;
  readonly body: Block;
}

export interface LoopExpr extends Node {
  readonly kind: "LoopExpr";
  readonly label: Ident | null;
  readonly body: Block;
}

export interface ForExpr extends Node {
  readonly kind: "ForExpr";
  readonly label: Ident | null;
  readonly pattern: Pattern;
  readonly iterable: Expr;
  readonly body: Block;
}

export interface BreakExpr extends Node {
  readonly kind: "BreakExpr";
  readonly label: Ident | null;
  readonly value: Expr | null;
}

export interface ContinueExpr extends Node {
  readonly kind: "ContinueExpr";
  readonly label: Ident | null;
}

export interface ReturnExpr extends Node {
  readonly kind: "ReturnExpr";
  readonly value: Expr | null;
}

export interface ClosureParam extends Node {
  readonly kind: "ClosureParam";
  readonly pattern: Pattern;
  readonly type: Type | null;
}

export interface ClosureExpr extends Node {
  readonly kind: "ClosureExpr";
  readonly isMove: boolean;
  readonly params: ClosureParam[];
  readonly returnType: Type | null;
  readonly body: Expr;
}

export interface ErrorExpr extends Node {
  readonly kind: "ErrorExpr";
}

/** Expressions that end in a block and so need no `;` as statements (Rust's rule). */
export function isBlockLike(e: Expr): boolean {
  switch (e.kind) {
    case "BlockExpr":
    case "IfExpr":
    case "MatchExpr":
    case "WhileExpr":
    case "LoopExpr":
    case "ForExpr":
      return true;
    default:
      return false;
  }
}
