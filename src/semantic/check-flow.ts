/**
 * Control flow: blocks and statements (`let`, with a type, without an initializer, or
 * with `else`; items declared inside a block), `if` / `if let`, `match` (exhaustiveness
 * is checked once the arms are typed, DPL2006), loops with labels and `break` values, and
 * closures, whose captured locals are recorded for the ownership pass.
 *
 * A block's value is its tail expression, `()`, or `!` when a statement always leaves it.
 */
import { Warnings } from "../diagnostics/messages/warnings.js";
import { Unresolved } from "../diagnostics/messages/unresolved.js";
import { TypeMismatch } from "../diagnostics/messages/type-mismatch.js";
import type * as A from "../syntax/ast.js";
import type { BodyChecker, LoopCtx } from "./checker.js";
import { coerce, type Expectation } from "./infer.js";
import { checkExpect, checkExpr } from "./check-expr.js";
import { bindPattern } from "./patterns.js";
import { enterBlockItems } from "./bodies.js";
import { checkMatchExhaustive } from "./exhaustiveness.js";
import { BOOL, ERROR, NEVER, UNIT, fnTy, isQuiet, printTy, ref, shallow, substitute, zonk, type Ty } from "./types.js";
import { findMethodOn } from "./impls.js";
import type { FnDef } from "./defs.js";
import { fnSig, lowerType, scopeOf } from "./lower.js";
import { qpuObserve } from "./qpu.js";
import { noteCall } from "./check-call.js";

/**
 * Check a block. With `expected` and `exp`, the block's value is coerced to `expected`
 * at its tail (or at the block when it has none). `abiTail` is the `xdv_call(...);`
 * statement that the tail rule makes the block's value (language.md §8).
 */
export function checkBlock(c: BodyChecker, b: A.Block, expected: Ty | null, exp: Expectation | null, abiTail: A.ExprStmt | null = null): Ty {
  c.pushScope();
  const savedModule = c.module;
  if (b.stmts.some((st) => st.kind === "ItemStmt")) c.module = enterBlockItems(c, b);
  // The first statement that always leaves the block; code after it is unreachable (DPL8003).
  let leftBy: A.Stmt | null = null;
  let reported = false;
  let value: Ty | null = null;
  try {
    for (const st of b.stmts) {
      if (leftBy && !reported && st.kind !== "ItemStmt" && st.kind !== "EmptyStmt") {
        reportUnreachable(c, st, "statement", leftBy);
        reported = true;
      }
      let t: Ty | null = null;
      switch (st.kind) {
        case "LetStmt":
          checkLet(c, st);
          if (st.init) t = c.typeOf(st.init);
          break;
        case "ExprStmt":
          if (st === abiTail && expected && exp) {
            c.s.tables.abiTailStmts.add(st);
            t = value = checkExpect(c, st.expr, expected, exp);
          } else if (st.hasSemi) t = checkExpr(c, st.expr);
          else t = checkExpect(c, st.expr, UNIT, { site: "other" });
          break;
        case "ItemStmt":
        case "EmptyStmt":
          break;
      }
      if (t && !leftBy && shallow(t).k === "never") leftBy = st;
    }
    if (b.tail) {
      if (leftBy && !reported) reportUnreachable(c, b.tail, "expression", leftBy);
      return expected && exp ? checkExpect(c, b.tail, expected, exp) : checkExpr(c, b.tail, expected);
    }
    if (value) return value;
    if (leftBy) return NEVER;
    if (expected && exp) coerce(c, b.span, UNIT, expected, exp);
    return UNIT;
  } finally {
    c.module = savedModule;
    c.popScope();
  }
}

/** DPL8003, once per block, at the first statement (or the tail) after one that always leaves it. */
function reportUnreachable(c: BodyChecker, next: A.Node, what: string, leftBy: A.Stmt): void {
  c.raise(next.span, Warnings.unreachable(what), { related: [{ span: leftBy.span, message: Warnings.leavesBlock() }] });
}

/** Locals declared without an initializer may be assigned once later (`let x; x = 5;`). */
export const deferredInit = new WeakSet<object>();

function checkLet(c: BodyChecker, st: A.LetStmt): void {
  const declared = st.type ? c.lower(st.type) : null;
  let t: Ty;
  if (st.init) {
    if (declared) {
      checkExpect(c, st.init, declared, { site: "let", origin: st.type!.span, originMessage: "expected because of this type" });
      t = declared;
    } else t = checkExpr(c, st.init, null);
  } else t = declared ?? c.fresh();
  if (st.elseBlock) {
    const bt = checkBlock(c, st.elseBlock, null, null);
    if (shallow(bt).k !== "never") {
      c.raise(st.elseBlock.span, TypeMismatch.letElseMustDiverge());
    }
  }
  if (st.init && st.pattern.kind === "WildcardPattern") {
    const observe = qpuObserve(c, st, t);
    if (observe) {
      c.s.tables.qpuObserves.set(st, observe);
      noteCall(c, observe, st.init);
    }
  }
  const bound = bindPattern(c, st.pattern, t, "let", st.elseBlock === null);
  if (!st.init) for (const l of bound) deferredInit.add(l);
  else if (st.pattern.kind === "BindingPattern" && bound.length === 1) c.s.tables.letInits.set(bound[0]!, st.init);
}

// ---------------------------------------------------------------------------
// Conditionals and loops

export function checkBlockExpr(c: BodyChecker, e: A.BlockExpr, expected: Ty | null, exp: Expectation | null): Ty {
  if (e.isUnsafe) {
    c.unsafeDepth++;
    c.s.tables.unsafeBlocks.push({ expr: e, fn: c.fn, module: c.module });
  }
  try {
    if (e.label) {
      const ctx = { label: e.label.name, kind: "block" as const, breakTy: expected ?? c.fresh(), hasBreak: false };
      c.loops.push(ctx);
      const t = checkBlock(c, e.block, ctx.breakTy, { site: "branch" });
      c.loops.pop();
      return ctx.hasBreak ? ctx.breakTy : t;
    }
    return checkBlock(c, e.block, expected, exp);
  } finally {
    if (e.isUnsafe) c.unsafeDepth--;
  }
}

function checkCondition(c: BodyChecker, cond: A.Expr): void {
  if (cond.kind === "LetCondExpr") {
    checkLetCond(c, cond);
    return;
  }
  checkExpect(c, cond, BOOL, { site: "condition" });
}

export function checkIf(c: BodyChecker, e: A.IfExpr, expected: Ty | null, exp: Expectation | null): Ty {
  c.pushScope();
  checkCondition(c, e.condition);
  if (e.else === null) {
    checkBlock(c, e.then, UNIT, { site: "branch" });
    c.popScope();
    return UNIT;
  }
  // Without an outer expectation the branches must agree with each other.
  const target = expected ?? c.fresh();
  const e2: Expectation = exp ?? { site: "branch" };
  const tThen = checkBlock(c, e.then, target, e2);
  c.popScope();
  const tElse = e.else.kind === "IfExpr" ? checkExpect(c, e.else, target, e2) : checkBlock(c, e.else, target, e2);
  if (shallow(tThen).k === "never" && shallow(tElse).k === "never") return NEVER;
  return target;
}

export function checkWhile(c: BodyChecker, e: A.WhileExpr): Ty {
  c.pushScope();
  checkCondition(c, e.condition);
  c.loops.push({ label: e.label?.name ?? null, kind: "while", breakTy: null, hasBreak: false });
  checkBlock(c, e.body, UNIT, { site: "branch" });
  c.loops.pop();
  c.popScope();
  return UNIT;
}

export function checkLoop(c: BodyChecker, e: A.LoopExpr, expected: Ty | null): Ty {
  const ctx = { label: e.label?.name ?? null, kind: "loop" as const, breakTy: expected ?? c.fresh(), hasBreak: false };
  c.loops.push(ctx);
  checkBlock(c, e.body, UNIT, { site: "branch" });
  c.loops.pop();
  if (!ctx.hasBreak) return NEVER;
  // A `loop` whose breaks carry no value has type `()`.
  const b = shallow(ctx.breakTy);
  if (b.k === "var" && b.v.binding === null) c.inf.unify(b, UNIT);
  return ctx.breakTy;
}

/** The element type a `for` loop binds, from what it iterates over. */
export function iterationElement(t: Ty): Ty | null {
  const s = shallow(t);
  if (isQuiet(s)) return ERROR;
  if (s.k === "adt" && s.def.kind === "struct" && s.def.builtin) {
    if (s.def.builtin === "Vec" || s.def.builtin === "Range" || s.def.builtin === "Iter") return s.args[0] ?? ERROR;
  }
  if (s.k === "array" || s.k === "slice") return s.elem;
  if (s.k === "ref") {
    const inner = shallow(s.inner);
    if ((inner.k === "adt" && inner.def.kind === "struct" && inner.def.builtin === "Vec") || inner.k === "array" || inner.k === "slice") {
      const el = inner.k === "adt" ? inner.args[0]! : inner.elem;
      return ref(el, s.mut);
    }
    if (inner.k === "adt" && inner.def.kind === "struct" && inner.def.builtin === "Iter") return inner.args[0]!;
  }
  return null;
}

/**
 * `for x in counter` / `for x in &mut counter` over a type with an `impl Iterator`: the
 * element is what its `next` returns inside `Some`. Only non-generic impls for now.
 */
function userIteratorElement(c: BodyChecker, e: A.ForExpr, t: Ty): Ty | null {
  const found = userIteratorNext(c, t);
  if (found === "generic") {
    let s = shallow(t);
    while (s.k === "ref") s = shallow(s.inner);
    c.raise(e.iterable.span, TypeMismatch.genericIteratorLoop(printTy(zonk(s))));
    return ERROR;
  }
  if (!found) return null;
  c.s.tables.forIterators.set(e.iterable, found.next);
  return found.el;
}

/**
 * The `next` of a type's (non-generic) `impl Iterator` and its element type; "generic"
 * for a generic impl, which is not supported yet.
 */
export function userIteratorNext(c: BodyChecker, t: Ty): { readonly next: FnDef; readonly el: Ty } | "generic" | null {
  let s = shallow(t);
  while (s.k === "ref") s = shallow(s.inner);
  if (s.k !== "adt") return null;
  const cand = findMethodOn(c.s, c.inf, s, "next");
  const tr = cand?.impl?.trait?.trait;
  if (!cand || !tr || tr.name !== "Iterator" || !tr.module.isPrelude) return null;
  if (cand.fn.generics.length > 0 || (cand.impl?.generics.length ?? 0) > 0) return "generic";
  const ret = shallow(substitute(fnSig(c.s, cand.fn).ret, cand.subst));
  if (ret.k !== "adt" || ret.args.length !== 1) return null;
  let el = shallow(ret.args[0]!);
  // `Option<Self::Item>`: the impl's `type Item = ...;`.
  const item = cand.impl?.assocTypes.get("Item");
  if ((el.k === "any" || el.k === "error") && item?.type) el = lowerType(c.s, item.type, scopeOf(cand.impl!.module, [], s));
  return { next: cand.fn, el };
}

export function checkFor(c: BodyChecker, e: A.ForExpr): Ty {
  const it = checkExpr(c, e.iterable);
  const el = iterationElement(it) ?? userIteratorElement(c, e, it);
  if (!el) {
    c.raise(e.iterable.span, TypeMismatch.notIterable(printTy(zonk(it))));
  }
  c.pushScope();
  bindPattern(c, e.pattern, el ?? ERROR, "let", true);
  c.loops.push({ label: e.label?.name ?? null, kind: "for", breakTy: null, hasBreak: false });
  checkBlock(c, e.body, UNIT, { site: "branch" });
  c.loops.pop();
  c.popScope();
  return UNIT;
}

export function findLoop(c: BodyChecker, label: A.Ident | null, at: A.Expr, isContinue: boolean): LoopCtx | undefined {
  for (let i = c.loops.length - 1; i >= 0; i--) {
    const l = c.loops[i]!;
    if (label === null ? l.kind !== "block" : l.label === label.name) {
      if (isContinue && l.kind === "block") break;
      return l;
    }
  }
  if (label) {
    c.raise(label.span, Unresolved.undeclaredLabel(label.name));
  } else {
    c.raise(at.span, TypeMismatch.outsideLoop(isContinue ? "continue" : "break"));
  }
  return undefined;
}

export function checkBreak(c: BodyChecker, e: A.BreakExpr): Ty {
  const l = findLoop(c, e.label, e, false);
  if (!l) {
    if (e.value) checkExpr(c, e.value);
    return NEVER;
  }
  l.hasBreak = true;
  if (e.value) {
    if (l.breakTy === null) {
      c.raise(e.value.span, TypeMismatch.breakValueOutsideLoop(l.kind));
      checkExpr(c, e.value);
    } else checkExpect(c, e.value, l.breakTy, { site: "branch" });
  } else if (l.breakTy !== null) {
    coerce(c, e.span, UNIT, l.breakTy, { site: "branch" });
  }
  return NEVER;
}

// ---------------------------------------------------------------------------
// `match`, `if let`, `while let`

export function checkMatch(c: BodyChecker, m: A.MatchExpr, expected: Ty | null, exp: Expectation | null): Ty {
  const st = checkExpr(c, m.scrutinee);
  const target = expected ?? c.fresh();
  const armExp: Expectation = exp ?? { site: "branch" };
  let allNever = true;
  for (const arm of m.arms) {
    c.pushScope();
    bindPattern(c, arm.pattern, st, "pattern", false);
    if (arm.guard) checkExpect(c, arm.guard, BOOL, { site: "condition" });
    const t = checkExpect(c, arm.body, target, armExp);
    if (shallow(t).k !== "never") allNever = false;
    c.popScope();
  }
  checkMatchExhaustive(c, m, st);
  return allNever ? NEVER : target;
}

/** The `let PAT = EXPR` of `if let` / `while let`: bindings go into the current scope. */
function checkLetCond(c: BodyChecker, e: A.LetCondExpr): void {
  const t = checkExpr(c, e.value);
  bindPattern(c, e.pattern, t, "pattern", false);
  c.record(e, BOOL);
}

// ---------------------------------------------------------------------------
// Closures

export function checkClosure(c: BodyChecker, e: A.ClosureExpr, expected: Ty | null): Ty {
  const h = expected ? shallow(expected) : null;
  const hint = h && h.k === "fn" && h.params.length === e.params.length ? h : null;
  const firstLocalId = c.nextLocalId();
  c.pushScope();
  const params = e.params.map((p, i) => {
    const declared = p.type ? c.lower(p.type) : null;
    const t = declared ?? hint?.params[i] ?? c.fresh();
    if (declared && hint) c.inf.unify(hint.params[i]!, declared);
    return t;
  });
  e.params.forEach((p, i) => bindPattern(c, p.pattern, params[i]!, "closure-param", true));
  const ret = e.returnType ? c.lower(e.returnType) : (hint?.ret ?? c.fresh());
  const ctx = { node: e, firstLocalId, captures: [], ret };
  c.closures.push(ctx);
  checkExpect(c, e.body, ret, { site: "return" });
  c.closures.pop();
  c.popScope();
  c.s.tables.closureCaptures.set(e, ctx.captures);
  return fnTy(params, ret);
}
