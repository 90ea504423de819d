/**
 * The state of emitting one function body (or constant initializer, or closure): its
 * locals' TypeScript names, temporaries, enclosing loops, and the writer its statements
 * go to.
 *
 * DPL is expression-oriented and TypeScript is not, so an expression that needs
 * statements (a `match` used as a value, a `?`, a block with `let`s) is emitted as
 * statements that come first, writing a temporary, and the expression becomes that
 * temporary. Operands to its left that have effects are spilled into temporaries first,
 * so evaluation order stays DPL's (left to right).
 */
import type * as A from "../syntax/ast.js";
import { chainLeft, chainSpine, isChain } from "../syntax/chains.js";
import type { FnDef, GenericParamDef, LocalDef, TraitDef } from "../semantic/defs.js";
import type { ReadonlyTables } from "../semantic/tables.js";
import { ERROR, type Ty } from "../semantic/types.js";
import { NameScope } from "./names.js";
import { NO_PLAN, type HybridPlan } from "./hybrid-locals.js";
import type { ModuleCtx } from "./module-ctx.js";
import { tsType } from "./ts-types.js";
import { TracedWriter, e as mkE, isNode, type E, type Frag } from "./writer.js";

/** Where the value of an expression emitted in statement position goes. */
export type Dest =
  | { readonly kind: "discard" }
  | { readonly kind: "return" }
  | { readonly kind: "assign"; readonly target: string };

export const DISCARD: Dest = { kind: "discard" };
export const RETURN: Dest = { kind: "return" };

export interface LoopFrame {
  /** The DPL label (`'outer`), without the quote. */
  readonly label: string | null;
  /** The JavaScript label put on the statement, when a `break`/`continue` needs one. */
  jsLabel: string | null;
  /** `loop` and labelled blocks with a value: the temporary `break value` assigns. */
  readonly result: string | null;
  readonly kind: "loop" | "while" | "for" | "block";
}

export interface FnFrame {
  readonly retTy: Ty;
  /** The function returns a `Result`/`Option` (what `?` needs to return early). */
  readonly fn: FnDef | null;
}

export class Body {
  readonly names: NameScope;
  /** Generic parameters in scope, and the descriptor parameter each has (null: none passed). */
  readonly descriptorParams = new Map<GenericParamDef, string | null>();
  private readonly locals = new Map<LocalDef, string>();
  readonly loops: LoopFrame[] = [];
  readonly frames: FnFrame[] = [];
  w: TracedWriter;

  constructor(
    readonly m: ModuleCtx,
    readonly tables: ReadonlyTables,
    w: TracedWriter,
    fn: FnDef | null,
    retTy: Ty,
    names?: NameScope,
  ) {
    this.w = w;
    this.names = names ?? new NameScope();
    this.frames.push({ retTy, fn });
  }

  /** u64/i64 locals and expressions held as number-or-bigint (hybrid-locals.ts). */
  hybrid: HybridPlan = NO_PLAN;
  /** usize loop counters held as JavaScript numbers (see index-math.ts). */
  readonly numberLocals = new Set<LocalDef>();
  /** Links of a long chain already emitted (exprs.ts `emitChainBelow`), for their parent. */
  readonly chainDone = new Map<A.Expr, E>();
  /** Immutable usize locals used in index arithmetic, and the names of their number twins. */
  wantsShadow: ReadonlySet<LocalDef> = new Set();
  readonly numberShadows = new Map<LocalDef, string>();
  /** Dictionary parameters in scope, by generic parameter and trait. */
  readonly dictParams = new Map<GenericParamDef, Map<TraitDef, string>>();

  descriptorOf(g: GenericParamDef): string | null {
    return this.descriptorParams.get(g) ?? null;
  }

  dictOf(g: GenericParamDef, trait: TraitDef): string | null {
    return this.dictParams.get(g)?.get(trait) ?? null;
  }

  get frame(): FnFrame {
    return this.frames[this.frames.length - 1]!;
  }

  /** The zonked type the checker recorded for an expression. */
  typeOf(e: A.Expr): Ty {
    // The checker stores fully resolved types once a body is done (semantic/tables.ts).
    return this.tables.exprTypes.get(e) ?? ERROR;
  }

  ts(t: Ty): string {
    return tsType(t, this.m);
  }

  // ---------------------------------------------------------------------------
  // Locals and temporaries

  /** Declare a local: a fresh TypeScript name unique in the whole function (DPL shadows freely). */
  declare(l: LocalDef): string {
    const n = this.names.fresh(l.name === "self" ? "self" : l.name);
    this.locals.set(l, n);
    return n;
  }

  nameOf(l: LocalDef): string {
    const n = this.locals.get(l);
    if (n) return n;
    // A local captured from an enclosing body that was declared before this one started.
    return this.declare(l);
  }

  hasLocal(l: LocalDef): boolean {
    return this.locals.has(l);
  }

  temp(base = "t"): string {
    return this.names.fresh(`$${base}`);
  }

  /** Write `const $t = <value>;` and return the temporary. */
  spill(value: E, ty: Ty | null, base = "t", span: A.Node["span"] | null = null): E {
    const t = this.temp(base);
    this.w.write(`const ${t}${ty ? `: ${this.ts(ty)}` : ""} = `, span);
    this.w.writeFrag(value.f).writeLine(";");
    return mkE(t);
  }

  /** A writer for a nested body (closure) whose text goes inside an expression. */
  subWriter(): TracedWriter {
    return new TracedWriter(this.w.indentDepth, true);
  }

  withWriter<T>(w: TracedWriter, body: () => T): T {
    const saved = this.w;
    this.w = w;
    try {
      return body();
    } finally {
      this.w = saved;
    }
  }

  /** Run `body` for a nested function frame (a closure): `return` and `?` refer to it. */
  inFrame<T>(frame: FnFrame, body: () => T): T {
    const savedLoops = this.loops.splice(0, this.loops.length);
    this.frames.push(frame);
    try {
      return body();
    } finally {
      this.frames.pop();
      this.loops.push(...savedLoops);
    }
  }

  // ---------------------------------------------------------------------------
  // Loops

  findLoop(label: A.Ident | null): LoopFrame | undefined {
    for (let i = this.loops.length - 1; i >= 0; i--) {
      const f = this.loops[i]!;
      if (label === null ? f.kind !== "block" : f.label === label.name) return f;
    }
    return undefined;
  }

  /** The JavaScript label of a frame, created on first use. */
  jsLabelOf(f: LoopFrame): string {
    if (!f.jsLabel) f.jsLabel = this.names.fresh(f.label ? `${f.label}` : "$loop");
    return f.jsLabel;
  }
}

/** A statement-level write of `value` to `dest`. */
export function writeToDest(b: Body, dest: Dest, value: E | null, span: A.Node["span"] | null): void {
  const w = b.w;
  switch (dest.kind) {
    case "discard":
      if (value && !isTrivial(value.f)) w.write("", span).writeFrag(value.f).writeLine(";");
      return;
    case "return":
      if (value) w.write("return ", span).writeFrag(value.f).writeLine(";");
      else w.writeLine("return;", span);
      return;
    case "assign":
      if (value) w.write(`${dest.target} = `, span).writeFrag(value.f).writeLine(";");
      return;
  }
}

/** Code that has no effect when evaluated and discarded. */
export function isTrivial(f: Frag): boolean {
  if (typeof f === "string") return /^(\$?[\p{L}_][\p{L}\p{N}_$]*(\.[\p{L}_$][\p{L}\p{N}_$]*)*|undefined|true|false|-?\d[\d_.n]*|"[^"]*")$/u.test(f);
  if (!isNode(f)) return false;
  return f.parts.length === 1 && isTrivial(f.parts[0]!);
}

// ---------------------------------------------------------------------------
// Which expressions need statements to be emitted as values. TypeScript expressions cover
// DPL's operators, calls, literals and closures; a block with statements, a `match`, a
// loop, a `?`, `return`/`break`/`continue` and an `if` whose branches are not plain
// expressions need statements, written before the statement that uses the value.
//
// Closures are not looked into: their bodies are emitted on their own.
const cache = new WeakMap<A.Expr, boolean>();

export function needsStmts(e: A.Expr): boolean {
  let r = cache.get(e);
  if (r === undefined) {
    // A chain is answered bottom-up with a loop, so each link finds its left operand cached.
    const left = chainLeft(e);
    if (left !== null && isChain(left) && !cache.has(left)) {
      const spine = chainSpine(left);
      for (let i = spine.length - 1; i >= 0; i--) cache.set(spine[i]!, compute(spine[i]!));
    }
    r = compute(e);
    cache.set(e, r);
  }
  return r;
}

// ---------------------------------------------------------------------------
// Long chains. `1 + 2 + … + n`, `x as T as U …` and `v.f().g()…` are emitted with a
// temporary every `CHAIN_SPILL` links (`const $c = <32 links>; const $c2 = $c + …;`), so
// neither the emitted text nor the fragments that build it nest deeper than that: the
// emitter, tsc and Node all read it without recursing once per link. Such a chain needs
// statements, which puts it where statements may be written (see `emitExpr`).
export const CHAIN_SPILL = 32;

/** Chain links whose left operand is emitted as a value (never as a place). */
export function isValueLink(e: A.Expr): e is A.BinaryExpr | A.CastExpr | A.MethodCallExpr {
  return e.kind === "BinaryExpr" || e.kind === "CastExpr" || e.kind === "MethodCallExpr";
}

function valueLeft(e: A.Expr): A.Expr | null {
  if (!isValueLink(e)) return null;
  const l = chainLeft(e)!;
  return isValueLink(l) ? l : null;
}

const linkDepths = new WeakMap<A.Expr, number>();

/** How many value links `e` is from the start of its chain (1 for the first link). */
export function valueLinkDepth(e: A.Expr): number {
  if (!isValueLink(e)) return 0;
  const known = linkDepths.get(e);
  if (known !== undefined) return known;
  const spine: A.Expr[] = [];
  let x: A.Expr | null = e;
  while (x !== null && !linkDepths.has(x)) {
    spine.push(x);
    x = valueLeft(x);
  }
  let d = x === null ? 0 : linkDepths.get(x)!;
  for (let i = spine.length - 1; i >= 0; i--) linkDepths.set(spine[i]!, ++d);
  return d;
}

/** The value links below `e` (deepest first) that are emitted before it, or [] for a short chain. */
export function valueLinksBelow(e: A.Expr): A.Expr[] {
  if (valueLinkDepth(e) <= CHAIN_SPILL) return [];
  const out: A.Expr[] = [];
  for (let x = valueLeft(e); x !== null; x = valueLeft(x)) out.push(x);
  return out.reverse();
}

/** A block whose value is a plain expression: no statements, a tail that needs none. */
function isSimpleBlock(b: A.Block): boolean {
  return b.stmts.every((s) => s.kind === "EmptyStmt" || s.kind === "ItemStmt") && (b.tail === null || !needsStmts(b.tail));
}

function compute(e: A.Expr): boolean {
  switch (e.kind) {
    case "TryExpr":
    case "MatchExpr":
    case "WhileExpr":
    case "LoopExpr":
    case "ForExpr":
    case "BreakExpr":
    case "ContinueExpr":
    case "ReturnExpr":
    case "LetCondExpr":
      return true;
    case "BlockExpr":
      return e.label !== null || !isSimpleBlock(e.block);
    case "IfExpr":
      if (e.condition.kind === "LetCondExpr" || needsStmts(e.condition)) return true;
      if (!isSimpleBlock(e.then) || e.then.tail === null) return true;
      if (e.else === null) return true;
      if (e.else.kind === "Block") return !isSimpleBlock(e.else) || e.else.tail === null;
      return needsStmts(e.else);
    case "ClosureExpr":
      return false;
    case "UnaryExpr":
      return needsStmts(e.operand);
    case "RefExpr":
      return needsStmts(e.operand);
    case "BinaryExpr":
      return valueLinkDepth(e) > CHAIN_SPILL || needsStmts(e.left) || needsStmts(e.right);
    case "AssignExpr":
      return needsStmts(e.target) || needsStmts(e.value);
    case "CallExpr":
      return needsStmts(e.callee) || e.args.some(needsStmts);
    case "MethodCallExpr":
      return valueLinkDepth(e) > CHAIN_SPILL || needsStmts(e.receiver) || e.args.some(needsStmts);
    case "MacroCallExpr":
      return e.args.some(needsStmts);
    case "FieldExpr":
      return needsStmts(e.object);
    case "IndexExpr":
      return needsStmts(e.object) || needsStmts(e.index);
    case "CastExpr":
      return valueLinkDepth(e) > CHAIN_SPILL || needsStmts(e.expr);
    case "StructLitExpr":
      return e.fields.some((f) => f.value !== null && needsStmts(f.value)) || (e.base !== null && needsStmts(e.base));
    case "TupleExpr":
    case "ArrayExpr":
      return e.elements.some(needsStmts);
    case "ArrayRepeatExpr":
      return needsStmts(e.value) || needsStmts(e.count);
    case "ParenExpr":
      return needsStmts(e.inner);
    case "RangeExpr":
      return (e.start !== null && needsStmts(e.start)) || (e.end !== null && needsStmts(e.end));
    default:
      return false;
  }
}

/** Evaluating the expression twice, or out of order, changes nothing observable. */
export function isPure(e: A.Expr): boolean {
  switch (e.kind) {
    case "IntLit":
    case "FloatLit":
    case "StrLit":
    case "CharLit":
    case "BoolLit":
    case "PathExpr":
    case "ClosureExpr":
      return true;
    case "ParenExpr":
      return isPure(e.inner);
    case "UnaryExpr":
      return e.op !== "*" ? false : isPure(e.operand);
    case "RefExpr":
      return isPure(e.operand);
    case "FieldExpr":
      return isPure(e.object);
    default:
      return false;
  }
}
