/**
 * The typed result of checking: what later stages (the TypeScript emitter, the language
 * server) ask about the program. Keyed by syntax node, so a stage holding a node can
 * ask for its type and what it refers to without re-resolving anything.
 *
 * All types stored here are fully resolved (no inference variables) once a function body
 * has been checked.
 */
import type * as A from "../syntax/ast.js";
import type { Span } from "../syntax/source.js";
import type { ConstDef, FieldDef, FnDef, GenericParamDef, ImplDef, LocalDef, ModuleDef, StructDef, VariantDef, Def } from "./defs.js";
import type { Ty } from "./types.js";

export type ValueRes =
  | { readonly kind: "local"; readonly def: LocalDef }
  | { readonly kind: "fn"; readonly def: FnDef; readonly typeArgs: readonly Ty[] }
  | { readonly kind: "const"; readonly def: ConstDef }
  | { readonly kind: "variant"; readonly def: VariantDef; readonly typeArgs: readonly Ty[] }
  | { readonly kind: "struct"; readonly def: StructDef; readonly typeArgs: readonly Ty[] }
  /** Compiler-provided functions and constructors: `xdv_call`, `syscall`, `Vec::new`, ... */
  | { readonly kind: "intrinsic"; readonly name: string }
  | { readonly kind: "error" };

/** How a method receiver is adjusted before the call: `derefs` auto-derefs, then an auto-ref. */
export interface ReceiverAdjust {
  readonly derefs: number;
  readonly autoref: "none" | "ref" | "refMut";
}

export type MethodRes =
  | ({ readonly kind: "fn"; readonly def: FnDef; readonly typeArgs: readonly Ty[] } & ReceiverAdjust)
  | ({ readonly kind: "intrinsic"; readonly name: string } & ReceiverAdjust);

export interface FieldRes {
  readonly field: FieldDef | null;
  /** The struct or variant declaring the field; null for tuple elements. */
  readonly owner: StructDef | VariantDef | null;
  readonly index: number;
  readonly derefs: number;
}

export type PatRes = { readonly kind: "variant"; readonly def: VariantDef } | { readonly kind: "struct"; readonly def: StructDef } | { readonly kind: "const"; readonly def: ConstDef };

/** A checked function body (or constant initializer), for the passes that run after typing. */
export interface BodyInfo {
  readonly fn: FnDef | null;
  readonly const: ConstDef | null;
  readonly module: ModuleDef;
  readonly body: A.Block | A.Expr;
  readonly params: readonly LocalDef[];
  /** The local that `self` binds, for methods. */
  readonly selfLocal: LocalDef | null;
  /** Some local holds Φ state (the Φ aliasing rule only looks at such bodies). */
  readonly touchesPhi: boolean;
}

export interface CallEdge {
  readonly caller: FnDef;
  readonly callee: FnDef;
  /** The call (or the function used as a value, e.g. `sort_by(stable_order)`). */
  readonly span: Span;
  /** Inside an `unsafe` block: for the kernel-profile audit rule. */
  readonly node: A.Expr;
}

/**
 * A call of a DPL function (or a function used as a value): the callee, every generic
 * parameter it is generic over bound at this call (its impl's or trait's and `Self`, then
 * its own), and for a trait method whose `Self` is a concrete type, the impl that applies.
 */
export interface CallRes {
  readonly fn: FnDef;
  readonly subst: ReadonlyMap<GenericParamDef, Ty>;
  /** `Self` of a trait method, as the call bound it; null for other functions. */
  readonly selfTy: Ty | null;
  /** The impl of the trait for `selfTy` (null when `Self` is a type parameter or no impl applies). */
  readonly impl: { readonly impl: ImplDef; readonly subst: ReadonlyMap<GenericParamDef, Ty> } | null;
}

export class Tables {
  readonly exprTypes = new Map<A.Expr, Ty>();
  readonly typeRes = new Map<A.Type, Ty>();
  readonly valueRes = new Map<A.PathExpr, ValueRes>();
  readonly methodRes = new Map<A.MethodCallExpr, MethodRes>();
  readonly fieldRes = new Map<A.FieldExpr, FieldRes>();
  readonly patRes = new Map<A.Pattern, PatRes>();
  /** The type each pattern matches (after default binding modes peeled references). */
  readonly patTypes = new Map<A.Pattern, Ty>();
  /** The locals a closure captures from its enclosing body. */
  readonly closureCaptures = new Map<A.ClosureExpr, readonly LocalDef[]>();
  /** Binding patterns, parameters, `self` and closure parameters to the locals they bind. */
  readonly bindings = new Map<A.Node, LocalDef>();
  readonly structLits = new Map<A.StructLitExpr, StructDef | VariantDef>();
  readonly itemDefs = new Map<A.Item | A.Variant, Def | ImplDef>();
  /** `xdv_call(...);` / `syscall(...);` statements that are a body's result (language.md §8). */
  readonly abiTailStmts = new Set<A.ExprStmt>();
  readonly bodies: BodyInfo[] = [];
  /** `xdv_call` and `syscall` calls, with the body they are in, for the capability rules. */
  readonly abiCalls: { readonly call: A.CallExpr; readonly kind: "xdv_call" | "syscall"; readonly fn: FnDef | null }[] = [];
  /** `&mut NAME` borrows of statics: the explicit form the kernel profile allows (DPL6003). */
  readonly explicitStaticBorrows = new Set<A.PathExpr>();
  /** Every use of a `static mut`, with the module it occurs in. */
  readonly staticMutUses: { readonly path: A.PathExpr; readonly module: ModuleDef }[] = [];
  /** Paths that are assignment targets (written, not read). */
  readonly writeTargets = new Set<A.PathExpr>();
  /** `unsafe { }` blocks and the function around them (DPL6004). */
  readonly unsafeBlocks: { readonly expr: A.BlockExpr; readonly fn: FnDef | null; readonly module: ModuleDef }[] = [];
  readonly calls: CallEdge[] = [];
  /** The initializer of each local bound by a plain `let x = init;`. */
  readonly letInits = new Map<LocalDef, A.Expr>();
  /** Every use of a local, for unused-binding warnings and borrow liveness. */
  readonly localUses = new Map<LocalDef, A.Expr[]>();
  /** The path a shorthand field `S { x }` stands for (checked like `S { x: x }`). */
  readonly shorthandFields = new Map<A.FieldInit, A.PathExpr>();
  /** The names a format string reads (`"{x}"`), as paths checked in the macro's scope. */
  readonly macroCaptures = new Map<A.MacroCallExpr, readonly A.PathExpr[]>();
  /** `for x in value` over a type that implements `Iterator`: its `next`, by the loop's iterable. */
  readonly forIterators = new Map<A.Expr, FnDef>();
  /** Path prefixes and `use` leaves: what each resolved segment names (a module, type, enum...). */
  readonly segmentRes = new Map<A.Ident, Def>();
  /** Calls of DPL functions (by call, method call, or path of a function used as a value). */
  readonly callRes = new Map<A.CallExpr | A.MethodCallExpr | A.PathExpr, CallRes>();

  typeOf(e: A.Expr): Ty | undefined {
    return this.exprTypes.get(e);
  }
}
