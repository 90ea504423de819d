/**
 * The per-body checker: the state of checking one function (or constant) body, and the
 * operations every expression rule uses: local scopes, recording types, and coercing a
 * found type to an expected one with the right diagnostic (see `coerce` in infer.ts).
 *
 * The rules themselves live in check-expr.ts, check-flow.ts, check-call.ts,
 * check-place.ts, check-ops.ts, patterns.ts and macros.ts; they take the checker as their
 * first argument.
 */
import type * as A from "../syntax/ast.js";
import type { Span } from "../syntax/source.js";
import type { ConstDef, Domain, FnDef, LocalDef, ModuleDef } from "./defs.js";
import type { Sema, TypeScope } from "./context.js";
import { Infer } from "./infer.js";
import type { IntrinsicCtx, PreludeDefs } from "./intrinsics.js";
import { ERROR, domainOf, shallow, zonk, type Ty } from "./types.js";
import { lowerType } from "./lower.js";

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

export class BodyChecker {
  readonly inf = new Infer();
  readonly scopes: Map<string, LocalDef>[] = [];
  readonly loops: LoopCtx[] = [];
  readonly closures: ClosureCtx[] = [];
  readonly params: LocalDef[] = [];
  selfLocal: LocalDef | null = null;
  /** Types recorded in this body, zonked into the tables when the body is done. */
  private readonly recorded: A.Expr[] = [];
  private readonly recordedLocals: LocalDef[] = [];
  private readonly loweredTypes: A.Type[] = [];
  /** Generic arguments recorded for calls and constructors, resolved in place when the body is done. */
  private readonly typeArgLists: Ty[][] = [];
  private readonly patterns: A.Pattern[] = [];
  unsafeDepth = 0;
  /** Some local of this body holds Φ state: only such bodies need the aliasing pass. */
  touchesPhi = false;
  /** Integer literals, checked against their final type once inference is done. */
  readonly intLits: A.IntLit[] = [];
  readonly negatedLits = new Set<A.IntLit>();
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
    this.ictx = { prelude, fresh: () => inf.fresh() };
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

  // ---------------------------------------------------------------------------
  // Types

  fresh(): Ty {
    return this.inf.fresh();
  }

  record(e: A.Expr, t: Ty): Ty {
    this.s.tables.exprTypes.set(e, t);
    this.recorded.push(e);
    return t;
  }

  /** Keep a list of generic arguments (stored in the tables) resolved once inference is done. */
  noteTypeArgs(args: Ty[]): Ty[] {
    this.typeArgLists.push(args);
    return args;
  }

  recordPattern(p: A.Pattern, t: Ty): void {
    this.s.tables.patTypes.set(p, t);
    this.patterns.push(p);
  }

  typeOf(e: A.Expr): Ty {
    return this.s.tables.exprTypes.get(e) ?? ERROR;
  }

  /** Lower a type written inside a body: `_` becomes an inference variable. */
  lower(t: A.Type): Ty {
    this.loweredTypes.push(t);
    return lowerType(this.s, t, { ...this.tscope, module: this.module });
  }

  resolved(t: Ty): Ty {
    return shallow(t);
  }

  /** A literal that does not fit its type (`let x: u8 = 300;`, `-1` as `u64`) is a type error. */
  private checkLiteralRanges(): void {
    for (const lit of this.intLits) {
      const t = shallow(this.typeOf(lit));
      if (t.k !== "prim") continue;
      const m = /^(u|i)(8|16|32|64|128|size)$/.exec(t.name);
      if (!m) continue;
      const bits = m[2] === "size" ? 64 : Number(m[2]);
      const signed = m[1] === "i";
      const neg = this.negatedLits.has(lit);
      if (neg && !signed) {
        this.report("DPL2003", lit.span, `cannot apply unary \`-\` to a value of type \`${t.name}\``, { help: "unsigned integers cannot be negative" });
        continue;
      }
      const max = signed ? (1n << BigInt(bits - 1)) - (neg ? 0n : 1n) : (1n << BigInt(bits)) - 1n;
      if (lit.value > max) {
        this.report("DPL2003", lit.span, `the literal \`${neg ? "-" : ""}${lit.raw}\` does not fit in \`${t.name}\``, {
          help: `the range of \`${t.name}\` is ${signed ? `-${(1n << BigInt(bits - 1)).toString()}` : "0"}..=${((signed ? 1n << BigInt(bits - 1) : 1n << BigInt(bits)) - 1n).toString()}`,
        });
      }
    }
  }

  // ---------------------------------------------------------------------------
  // Scopes

  pushScope(): void {
    this.scopes.push(new Map());
  }

  popScope(): void {
    this.scopes.pop();
  }

  declareLocal(name: A.Ident, ty: Ty, mutable: boolean, origin: LocalDef["origin"], byRef = false, node?: A.Node): LocalDef {
    const l: LocalDef = { kind: "local", name: name.name, span: name.span, mutable, ty, origin, byRef, id: localIds++ };
    this.scopes[this.scopes.length - 1]!.set(name.name, l);
    this.recordedLocals.push(l);
    if (node) this.s.tables.bindings.set(node, l);
    return l;
  }

  lookupLocal(name: string): LocalDef | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const l = this.scopes[i]!.get(name);
      if (l) return l;
    }
    return undefined;
  }

  /** Names of locals in scope, innermost first, for suggestions. */
  localNames(): string[] {
    const out: string[] = [];
    for (let i = this.scopes.length - 1; i >= 0; i--) out.push(...this.scopes[i]!.keys());
    return out;
  }

  /** Record a read of a local (and a capture, inside a closure). */
  useLocal(l: LocalDef, at: A.Expr): void {
    let uses = this.s.tables.localUses.get(l);
    if (!uses) this.s.tables.localUses.set(l, (uses = []));
    uses.push(at);
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
    for (const e of this.recorded) types.set(e, zonk(types.get(e)!));
    for (const l of this.recordedLocals) {
      l.ty = zonk(l.ty);
      if (!this.touchesPhi && domainOf(l.ty) === "Φ") this.touchesPhi = true;
    }
    for (const args of this.typeArgLists) for (let i = 0; i < args.length; i++) args[i] = zonk(args[i]!);
    const patTypes = this.s.tables.patTypes;
    for (const p of this.patterns) patTypes.set(p, zonk(patTypes.get(p)!));
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
