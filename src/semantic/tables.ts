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
import type { ConstDef, FieldDef, FnDef, GenericParamDef, ImplDef, LocalDef, ModuleDef, StructDef, TraitDef, VariantDef, Def } from "./defs.js";
import { shallow, type Ty } from "./types.js";
import { ScopedMap } from "./scoped-map.js";

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
  /** `userIter`: the receiver is a type with `impl Iterator`, pulled through its `next` (`counter.map(..)`), of elements `item`. */
  | ({ readonly kind: "intrinsic"; readonly name: string; readonly userIter?: { readonly next: FnDef; readonly item: Ty } } & ReceiverAdjust);

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
  /** The ids of the locals declared while checking it, `[first, end)`. */
  readonly localIds: readonly [number, number];
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

/**
 * Calls as the checker recorded them, resolved on first read: the editor re-checks a file
 * on every keystroke and reads few calls (or none) of it, so resolving every call's
 * substitution and impl up front is work thrown away (issue 10's per-edit check time).
 * The inference variables a raw substitution holds are bound for good once the body is
 * finished, so resolving later gives the same answer as resolving then.
 */
/** Set while `Tables.withScopes` builds a Tables: its maps are then ScopedMaps. */
let buildingScoped = false;

function newMap<K, V>(): Map<K, V> {
  return buildingScoped ? new ScopedMap<K, V>() : new Map<K, V>();
}

export class CallTable implements CallLookup {
  private readonly raw = newMap<A.CallExpr | A.MethodCallExpr | A.PathExpr, RawCall>();
  private readonly resolved = newMap<A.CallExpr | A.MethodCallExpr | A.PathExpr, CallRes>();

  /** Record a call; `resolve` turns it into its CallRes when someone asks. */
  note(node: A.CallExpr | A.MethodCallExpr | A.PathExpr, fn: FnDef, subst: ReadonlyMap<GenericParamDef, Ty>, resolve: CallResolver): void {
    this.raw.set(node, { fn, subst, resolve });
    this.resolved.delete(node);
  }

  get(node: A.CallExpr | A.MethodCallExpr | A.PathExpr): CallRes | undefined {
    const hit = this.resolved.get(node);
    if (hit) return hit;
    const r = this.raw.get(node);
    if (!r) return undefined;
    const res = r.resolve(r.fn, r.subst);
    this.resolved.set(node, res);
    this.raw.delete(node);
    return res;
  }

  has(node: A.CallExpr | A.MethodCallExpr | A.PathExpr): boolean {
    return this.raw.has(node) || this.resolved.has(node);
  }

  get size(): number {
    return this.raw.size + this.resolved.size;
  }

  /** Its maps, for `Tables.scopedMaps`. */
  maps(): readonly Map<unknown, unknown>[] {
    return [this.raw, this.resolved] as Map<unknown, unknown>[];
  }

  /** Drop a call (its body is being checked again, recheck.ts). */
  forget(node: A.CallExpr | A.MethodCallExpr | A.PathExpr): void {
    this.raw.delete(node);
    this.resolved.delete(node);
  }

  /** The call now has another node (the same text, re-parsed; recheck.ts). */
  rekey(from: A.CallExpr | A.MethodCallExpr | A.PathExpr, to: A.CallExpr | A.MethodCallExpr | A.PathExpr): void {
    const raw = this.raw.get(from);
    if (raw) {
      this.raw.set(to, raw);
      this.raw.delete(from);
    }
    const res = this.resolved.get(from);
    if (res) {
      this.resolved.set(to, res);
      this.resolved.delete(from);
    }
  }

  /**
   * Resolve every call now: a table that is stored (the checked stdlib's snapshot,
   * stdlib-snapshot.ts) holds data only, not the resolver closures of the checker.
   */
  settle(): void {
    for (const node of [...this.raw.keys()]) this.get(node);
  }
}

export type CallResolver = (fn: FnDef, subst: ReadonlyMap<GenericParamDef, Ty>) => CallRes;

interface RawCall {
  readonly fn: FnDef;
  readonly subst: ReadonlyMap<GenericParamDef, Ty>;
  readonly resolve: CallResolver;
}

/** The read side of a call table: what the emitter and the language server may ask. */
export interface CallLookup {
  get(node: A.CallExpr | A.MethodCallExpr | A.PathExpr): CallRes | undefined;
  has(node: A.CallExpr | A.MethodCallExpr | A.PathExpr): boolean;
}

/**
 * The tables as later stages see them (through the analysis model): read-only by type,
 * so the emitter and the language server cannot change what the checker decided.
 */
export interface ReadonlyTables {
  readonly exprTypes: ReadonlyMap<A.Expr, Ty>;
  readonly typeRes: ReadonlyMap<A.Type, Ty>;
  readonly valueRes: ReadonlyMap<A.PathExpr, ValueRes>;
  readonly methodRes: ReadonlyMap<A.MethodCallExpr, MethodRes>;
  readonly fieldRes: ReadonlyMap<A.FieldExpr, FieldRes>;
  readonly patRes: ReadonlyMap<A.Pattern, PatRes>;
  readonly patTypes: ReadonlyMap<A.Pattern, Ty>;
  readonly closureCaptures: ReadonlyMap<A.ClosureExpr, readonly LocalDef[]>;
  readonly bindings: ReadonlyMap<A.Node, LocalDef>;
  readonly structLits: ReadonlyMap<A.StructLitExpr, StructDef | VariantDef>;
  readonly itemDefs: ReadonlyMap<A.Item | A.Variant, Def | ImplDef>;
  readonly abiTailStmts: ReadonlySet<A.ExprStmt>;
  readonly bodies: readonly BodyInfo[];
  readonly abiCalls: readonly { readonly call: A.CallExpr; readonly kind: "xdv_call" | "syscall"; readonly fn: FnDef | null }[];
  readonly explicitStaticBorrows: ReadonlySet<A.PathExpr>;
  readonly staticMutUses: readonly { readonly path: A.PathExpr; readonly module: ModuleDef }[];
  readonly writeTargets: ReadonlySet<A.PathExpr>;
  readonly unsafeBlocks: readonly { readonly expr: A.BlockExpr; readonly fn: FnDef | null; readonly module: ModuleDef }[];
  readonly calls: readonly CallEdge[];
  readonly letInits: ReadonlyMap<LocalDef, A.Expr>;
  readonly localUses: ReadonlyMap<LocalDef, readonly A.Expr[]>;
  readonly shorthandFields: ReadonlyMap<A.FieldInit, A.PathExpr>;
  readonly macroCaptures: ReadonlyMap<A.MacroCallExpr, readonly A.PathExpr[]>;
  readonly forIterators: ReadonlyMap<A.Expr, FnDef>;
  readonly dynCoercions: ReadonlyMap<A.Expr, { readonly trait: TraitDef; readonly from: Ty }>;
  readonly segmentRes: ReadonlyMap<A.Ident, Def>;
  readonly callRes: CallLookup;
  readonly externalCalls: ReadonlyMap<A.CallExpr, ExternalCall>;
  /** `observe r;` of a QPU register in a dustlang Q process: the `std::qpu::observe` it runs (qpu.ts). */
  readonly qpuObserves: ReadonlyMap<A.LetStmt, FnDef>;
  typeOf(e: A.Expr): Ty | undefined;
}

/**
 * A call, in a dustlang v0.1 process that declares `uses` resources, of an operation the
 * program does not define: an operation of those external resources (docs/language.md).
 */
export interface ExternalCall {
  /** As written: `sense::position`. */
  readonly name: string;
  readonly proc: string;
  /** The process's `uses` clauses as written: `clock(1kHz), io(motor_bus)`. */
  readonly uses: string;  /** A `q::op` of a Q process that `std::qpu` does not have (semantic/qpu.ts). */
  readonly qpu: boolean;
}

export class Tables implements ReadonlyTables {
  /**
   * Tables whose maps (all but `itemDefs`) can hold a scope (scoped-map.ts): what one item's
   * bodies record is kept apart and dropped when the item is done (release.ts).
   */
  static withScopes(): Tables {
    buildingScoped = true;
    try {
      return new Tables();
    } finally {
      buildingScoped = false;
    }
  }

  /** The maps that hold a scope (none unless made by `withScopes`). */
  scopedMaps(): ScopedMap<unknown, unknown>[] {
    const out: ScopedMap<unknown, unknown>[] = [];
    for (const v of [...Object.values(this), ...this.callRes.maps()]) if (v instanceof ScopedMap) out.push(v as ScopedMap<unknown, unknown>);
    return out;
  }

  readonly exprTypes = newMap<A.Expr, Ty>();
  readonly typeRes = newMap<A.Type, Ty>();
  readonly valueRes = newMap<A.PathExpr, ValueRes>();
  readonly externalCalls = newMap<A.CallExpr, ExternalCall>();
  readonly qpuObserves = newMap<A.LetStmt, FnDef>();
  readonly methodRes = newMap<A.MethodCallExpr, MethodRes>();
  readonly fieldRes = newMap<A.FieldExpr, FieldRes>();
  readonly patRes = newMap<A.Pattern, PatRes>();
  /** The type each pattern matches (after default binding modes peeled references). */
  readonly patTypes = newMap<A.Pattern, Ty>();
  /** The locals a closure captures from its enclosing body. */
  readonly closureCaptures = newMap<A.ClosureExpr, readonly LocalDef[]>();
  /** Binding patterns, parameters, `self` and closure parameters to the locals they bind. */
  readonly bindings = newMap<A.Node, LocalDef>();
  readonly structLits = newMap<A.StructLitExpr, StructDef | VariantDef>();
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
  readonly letInits = newMap<LocalDef, A.Expr>();

  /**
   * `let sep = ", ";`: an immutable, unannotated binding of a string literal. A literal is
   * `String` in DPL and also stands for `&str` (language.md); such a binding does too, so
   * it is copied, not moved, and passes where a `&str` is expected, as Rust's `&'static str`.
   */
  isLiteralStr(l: LocalDef): boolean {
    if (l.mutable || l.origin !== "let") return false;
    const init = this.letInits.get(l);
    if (init === undefined || !yieldsOnlyStrLits(init)) return false;
    const t = shallow(this.exprTypes.get(init) ?? l.ty);
    return t.k === "prim" && t.name === "String";
  }
  /** Every use of a local, for unused-binding warnings and borrow liveness. */
  readonly localUses = newMap<LocalDef, A.Expr[]>();
  /** The path a shorthand field `S { x }` stands for (checked like `S { x: x }`). */
  readonly shorthandFields = newMap<A.FieldInit, A.PathExpr>();
  /** The names a format string reads (`"{x}"`), as paths checked in the macro's scope. */
  readonly macroCaptures = newMap<A.MacroCallExpr, readonly A.PathExpr[]>();
  /** `for x in value` over a type that implements `Iterator`: its `next`, by the loop's iterable. */
  readonly forIterators = newMap<A.Expr, FnDef>();
  /** Expressions coerced to a trait object (`Box<Circle>` to `Box<dyn Shape>`): the trait and the concrete type. */
  readonly dynCoercions = newMap<A.Expr, { readonly trait: TraitDef; from: Ty }>();
  /** Path prefixes and `use` leaves: what each resolved segment names (a module, type, enum...). */
  readonly segmentRes = newMap<A.Ident, Def>();
  /** Calls of DPL functions (by call, method call, or path of a function used as a value). */
  readonly callRes = new CallTable();

  typeOf(e: A.Expr): Ty | undefined {
    return this.exprTypes.get(e);
  }
}

/**
 * Whether every value `e` can produce is a string literal: a literal, or an `if`/`match`/
 * block whose every branch ends in one (`if flag { "a" } else { "b" }` is `&'static str` in
 * Rust). A branch that diverges (`return`, `panic!`) produces no value, but is not followed
 * here: such an initializer is simply not a literal binding.
 */
function yieldsOnlyStrLits(e: A.Expr): boolean {
  switch (e.kind) {
    case "StrLit":
      return true;
    case "ParenExpr":
      return yieldsOnlyStrLits(e.inner);
    case "BlockExpr":
      return !e.isUnsafe && e.label === null && blockYieldsOnlyStrLits(e.block);
    case "IfExpr":
      if (e.else === null) return false;
      return blockYieldsOnlyStrLits(e.then) && (e.else.kind === "IfExpr" ? yieldsOnlyStrLits(e.else) : blockYieldsOnlyStrLits(e.else));
    case "MatchExpr":
      return e.arms.length > 0 && e.arms.every((arm) => yieldsOnlyStrLits(arm.body));
    default:
      return false;
  }
}

function blockYieldsOnlyStrLits(b: A.Block): boolean {
  return b.tail !== null && yieldsOnlyStrLits(b.tail);
}
