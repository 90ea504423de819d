/**
 * The per-body checker: the state of checking one function (or constant) body, and the
 * operations every expression rule uses: local scopes, recording types, and coercing a
 * found type to an expected one with the right diagnostic (see `coerce` in infer.ts).
 *
 * The rules themselves live in check-expr.ts, check-flow.ts, check-call.ts,
 * check-place.ts, check-ops.ts, patterns.ts and macros.ts; they take the checker as their
 * first argument.
 */
import { TypeMismatch } from "../diagnostics/messages/type-mismatch.js";
import { raise, type Message, type RaiseInit } from "../diagnostics/messages/message.js";
import type * as A from "../syntax/ast.js";
import type { Span } from "../syntax/source.js";
import type { ConstDef, Domain, FnDef, LocalDef, ModuleDef } from "./defs.js";
import type { Sema, TypeScope } from "./context.js";
import { Infer } from "./infer.js";
import type { IntrinsicCtx, PreludeDefs } from "./intrinsics.js";
import { ERROR, adt, domainOf, shallow, zonk, type Ty } from "./types.js";
import { implementsDisplay } from "./impls.js";
import { lowerType } from "./lower.js";
import { mayHoldMove } from "./ownership.js";
import type { GenericParamDef } from "./defs.js";
import { callResolverOf } from "./call-res.js";

export interface LoopCtx {
  readonly label: string | null;
  readonly kind: "loop" | "while" | "for" | "block";
  /** The type of `break value` for `loop` (and labelled blocks); null for while/for. */
  readonly breakTy: Ty | null;
  hasBreak: boolean;
}

export interface ClosureCtx {
  readonly node: A.ClosureExpr;
  /** Locals with an id below this were declared outside the closure: uses are captures. */
  readonly firstLocalId: number;
  readonly captures: LocalDef[];
  readonly ret: Ty;
}

let localIds = 0;

/**
 * The next local id, and a floor for it: a world read back from the stdlib cache holds the
 * ids of its locals, and the user's locals must come after them as they do without the cache.
 */
export function localIdCounter(): number {
  return localIds;
}
export function reserveLocalIds(next: number): void {
  if (next > localIds) localIds = next;
}

/** The integer types, with the largest literal each holds (and holds negated, for signed ones). */
const INT_RANGES = new Map<string, { readonly bits: number; readonly signed: boolean; readonly max: bigint; readonly maxNegated: bigint }>(
  (["u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize"] as const).map((name) => {
    const bits = name.endsWith("size") ? 64 : Number(name.slice(1));
    const signed = name.startsWith("i");
    const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
    return [name, { bits, signed, max, maxNegated: signed ? 1n << BigInt(bits - 1) : max }];
  }),
);

/**
 * The nodes one body typed (BodyChecker.recorded): the first `nExprs`/`nPats` entries of
 * lists that are reused by the next body, so they are filled by index and emptied by count
 * (setting `length` to 0 would give their room back).
 */
interface Recorded {
  readonly exprs: (A.Expr | null)[];
  readonly pats: (A.Pattern | null)[];
  nExprs: number;
  nPats: number;
}

/** Lists of finished bodies, kept for the next body (bodies nest: a function declared in a block). */
const freeRecorded: Recorded[] = [];

function takeRecorded(): Recorded {
  return freeRecorded.pop() ?? { exprs: [], pats: [], nExprs: 0, nPats: 0 };
}

function giveRecorded(r: Recorded): void {
  // Nothing of a finished body stays reachable from the lists (the editor drops old trees).
  r.exprs.fill(null, 0, r.nExprs);
  r.pats.fill(null, 0, r.nPats);
  r.nExprs = 0;
  r.nPats = 0;
  if (freeRecorded.length < 8) freeRecorded.push(r);
}

export class BodyChecker {
  readonly inf = new Infer();
  /** Local scopes, innermost last; null for a scope that has declared nothing yet (most blocks). */
  private readonly scopes: (Map<string, LocalDef> | null)[] = [];
  readonly loops: LoopCtx[] = [];
  readonly closures: ClosureCtx[] = [];
  readonly params: LocalDef[] = [];
  selfLocal: LocalDef | null = null;
  /**
   * The nodes this body typed, in record order: their types go into the tables as they are
   * recorded (so the tables list nodes in the order they were first typed, nested bodies
   * included) and are zonked there when the body is done. Two lists, reused from body to
   * body, instead of a map per body that grew with it.
   */
  private readonly recorded = takeRecorded();
  private readonly recordedLocals: LocalDef[] = [];
  private readonly loweredTypes: A.Type[] = [];
  /** Generic arguments recorded for calls and constructors, resolved in place when the body is done. */
  private readonly typeArgLists: Ty[][] = [];
  unsafeDepth = 0;
  /** Some local of this body holds Φ state: only such bodies need the aliasing pass. */
  touchesPhi = false;
  /** Some local of this body could have (part of) its value moved: only such bodies need the move pass. */
  mayMove = false;
  /** Integer literals, checked against their final type once inference is done. */
  readonly intLits: A.IntLit[] = [];
  readonly negatedLits = new Set<A.IntLit>();
  /** Chain links already checked bottom-up, waiting for their parent's check (check-expr.ts). */
  readonly chainDone = new Map<A.Expr, Ty>();
  readonly ictx: IntrinsicCtx;

  constructor(
    readonly s: Sema,
    public module: ModuleDef,
    readonly fn: FnDef | null,
    readonly constDef: ConstDef | null,
    readonly domain: Domain,
    readonly tscope: TypeScope,
    readonly retTy: Ty,
    readonly prelude: PreludeDefs,
  ) {
    const inf = this.inf;
    this.ictx = {
      prelude,
      fresh: () => inf.fresh(),
      // `x.to_string()` of a user type exists when it implements the prelude's `Display`.
      // (Non-generic types only: the emitted descriptor calls a non-generic `fmt`, items.ts.)
      hasDisplay: (def) => def.generics.length === 0 && implementsDisplay(s, adt(def, [])),
    };
  }

  /** The return type of the innermost function or closure. */
  get returnTy(): Ty {
    const c = this.closures[this.closures.length - 1];
    return c ? c.ret : this.retTy;
  }

  // ---------------------------------------------------------------------------
  // Diagnostics

  report(code: string, span: Span, message: string, init?: Parameters<Sema["report"]>[3]): void {
    this.s.report(code, span, message, init);
  }

  /** Report a message built by its code family's constructor (diagnostics/messages/). */
  raise(span: Span, m: Message, init?: RaiseInit): void {
    raise(this.s.report, span, m, init);
  }

  // ---------------------------------------------------------------------------
  // Types

  fresh(): Ty {
    return this.inf.fresh();
  }

  record(e: A.Expr, t: Ty): Ty {
    this.s.tables.exprTypes.set(e, t);
    const r = this.recorded;
    r.exprs[r.nExprs++] = e;
    return t;
  }

  /** Keep a list of generic arguments (stored in the tables) resolved once inference is done. */
  noteTypeArgs(args: Ty[]): Ty[] {
    this.typeArgLists.push(args);
    return args;
  }

  /**
   * Record what a call (or a function used as a value) resolved to; its substitution is
   * resolved and its impl chosen when a later stage reads it (call-res.ts, CallTable).
   */
  noteCallRes(node: A.CallExpr | A.MethodCallExpr | A.PathExpr, fn: FnDef, subst: ReadonlyMap<GenericParamDef, Ty>): void {
    this.s.tables.callRes.note(node, fn, subst, callResolverOf(this.s));
  }

  recordPattern(p: A.Pattern, t: Ty): void {
    this.s.tables.patTypes.set(p, t);
    const r = this.recorded;
    r.pats[r.nPats++] = p;
  }

  typeOf(e: A.Expr): Ty {
    return this.s.tables.exprTypes.get(e) ?? ERROR;
  }

  /** Lower a type written inside a body: `_` becomes an inference variable. */
  lower(t: A.Type): Ty {
    this.loweredTypes.push(t);
    return lowerType(this.s, t, this.typeScope());
  }

  private scopeHere: TypeScope | null = null;

  /** The type scope at the current point: the body's, in the module of the innermost block with items. */
  typeScope(): TypeScope {
    let sc = this.scopeHere;
    if (sc === null || sc.module !== this.module) this.scopeHere = sc = { ...this.tscope, module: this.module };
    return sc;
  }

  resolved(t: Ty): Ty {
    return shallow(t);
  }

  /** A literal that does not fit its type (`let x: u8 = 300;`, `-1` as `u64`) is a type error. */
  private checkLiteralRanges(): void {
    for (const lit of this.intLits) {
      const t = shallow(this.typeOf(lit));
      if (t.k !== "prim") continue;
      const range = INT_RANGES.get(t.name);
      if (!range) continue;
      const { bits, signed } = range;
      const neg = this.negatedLits.has(lit);
      if (neg && !signed) {
        this.raise(lit.span, TypeMismatch.cannotNegateUnsigned(t.name));
        continue;
      }
      if (lit.value > (neg ? range.maxNegated : range.max)) {
        const range = `${signed ? `-${(1n << BigInt(bits - 1)).toString()}` : "0"}..=${((signed ? 1n << BigInt(bits - 1) : 1n << BigInt(bits)) - 1n).toString()}`;
        this.raise(lit.span, TypeMismatch.literalOutOfRange(`${neg ? "-" : ""}${lit.raw}`, t.name, range));
      }
    }
  }

  // ---------------------------------------------------------------------------
  // Scopes

  pushScope(): void {
    this.scopes.push(null);
  }

  popScope(): void {
    this.scopes.pop();
  }

  declareLocal(name: A.Ident, ty: Ty, mutable: boolean, origin: LocalDef["origin"], byRef = false, node?: A.Node): LocalDef {
    const l = { kind: "local", name: name.name, span: name.span, mutable, ty, origin, byRef, id: localIds++, def: null } as unknown as { -readonly [K in keyof LocalDef]: LocalDef[K] };
    l.def = l;
    const top = this.scopes.length - 1;
    let scope = this.scopes[top];
    if (!scope) this.scopes[top] = scope = new Map();
    scope.set(name.name, l);
    this.recordedLocals.push(l);
    if (node) this.s.tables.bindings.set(node, l);
    return l;
  }

  lookupLocal(name: string): LocalDef | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const l = this.scopes[i]?.get(name);
      if (l) return l;
    }
    return undefined;
  }

  /** Names of locals in scope, innermost first, for suggestions. */
  localNames(): string[] {
    const out: string[] = [];
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const scope = this.scopes[i];
      if (scope) out.push(...scope.keys());
    }
    return out;
  }

  /** Record a read of a local (and a capture, inside a closure). */
  useLocal(l: LocalDef, at: A.Expr): void {
    const uses = this.s.tables.localUses.get(l);
    // A literal rather than `[]` + push: most locals are used once or twice, and an array
    // that grows from empty keeps room for 16.
    if (!uses) this.s.tables.localUses.set(l, [at]);
    else uses.push(at);
    for (const c of this.closures) {
      if (l.id < c.firstLocalId && !c.captures.includes(l)) c.captures.push(l);
    }
  }

  nextLocalId(): number {
    return localIds;
  }

  // ---------------------------------------------------------------------------
  // Finishing a body

  /** Default literal types and resolve every recorded type. */
  finish(): void {
    this.inf.defaultLiterals();
    this.checkLiteralRanges();
    const types = this.s.tables.exprTypes;
    const patTypes = this.s.tables.patTypes;
    const { exprs, pats, nExprs, nPats } = this.recorded;
    // A node recorded twice is zonked twice: cheaper than a set of the nodes seen.
    for (let i = 0; i < nExprs; i++) {
      const e = exprs[i]!;
      types.set(e, zonk(types.get(e)!));
    }
    const localUses = this.s.tables.localUses;
    for (const l of this.recordedLocals) {
      l.ty = zonk(l.ty);
      // A list grown by `push` keeps room for 16 more; the body is done, so keep its uses
      // in a list of their exact length (a third of the tables' size in the editor's model).
      const uses = localUses.get(l);
      if (uses !== undefined && uses.length > 1) localUses.set(l, uses.slice());
      if (!this.touchesPhi && domainOf(l.ty) === "Φ") this.touchesPhi = true;
      if (!this.mayMove && mayHoldMove(l.ty)) this.mayMove = true;
    }
    for (const args of this.typeArgLists) for (let i = 0; i < args.length; i++) args[i] = zonk(args[i]!);
    for (let i = 0; i < nPats; i++) {
      const p = pats[i]!;
      patTypes.set(p, zonk(patTypes.get(p)!));
    }
    giveRecorded(this.recorded);
    const typeRes = this.s.tables.typeRes;
    const walk = (t: A.Type): void => {
      const ty = typeRes.get(t);
      if (ty) typeRes.set(t, zonk(ty));
      switch (t.kind) {
        case "PathType":
          for (const seg of t.segments) for (const a of seg.args ?? []) walk(a);
          break;
        case "RefType":
          walk(t.inner);
          break;
        case "DynType":
          t.bounds.forEach(walk);
          break;
        case "TupleType":
          t.elements.forEach(walk);
          break;
        case "ArrayType":
        case "SliceType":
          walk(t.element);
          break;
        case "FnType":
          t.params.forEach(walk);
          if (t.returnType) walk(t.returnType);
          break;
        default:
          break;
      }
    };
    this.loweredTypes.forEach(walk);
  }
}
