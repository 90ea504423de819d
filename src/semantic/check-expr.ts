/**
 * Expressions: every expression gets a type, recorded in the tables. `expected` is a
 * hint that flows down (so `let x: u8 = 5` types the literal as `u8` and a closure
 * passed to `map` learns its parameter types); the coercion to an expected type, with
 * its diagnostic, happens in `checkExpect`, which pushes the expectation into the
 * branches of `if`, `match` and blocks so that a mismatch points at the offending branch.
 */
import { Duplication } from "../diagnostics/messages/ownership.js";
import { TypeMismatch } from "../diagnostics/messages/type-mismatch.js";
import type * as A from "../syntax/ast.js";
import type { BodyChecker } from "./checker.js";
import { coerce, type Expectation } from "./infer.js";
import { coerceToDyn } from "./dyn.js";
import { checkCall, checkMethodCall, checkPathExpr, checkStructLit } from "./check-call.js";
import { checkField, checkIndex, requireMutablePlace } from "./check-place.js";
import { checkAssign, checkBinary, checkCast, checkUnary, leftOperandExpectation } from "./check-ops.js";
import { chainLeft, chainSpine, isChain, type ChainExpr } from "../syntax/chains.js";
import { checkMacro } from "./macros.js";
import { checkBlockExpr, checkBreak, checkClosure, checkFor, checkIf, checkLoop, checkMatch, checkWhile, findLoop } from "./check-flow.js";
import { rangeOf, optionOf } from "./intrinsics.js";
import { isPreludeEnum, printTy, shallow, zonk, ERROR, NEVER, UNIT, BOOL, USIZE, INT_NAMES, prim, tuple, type Ty, type AdtTy, ref, isQuiet, isBuiltin, domainOf, inDomain } from "./types.js";
import { isCopyType, isNoncopy } from "./impls.js";

export function checkExpr(c: BodyChecker, e: A.Expr, expected: Ty | null = null): Ty {
  const done = c.chainDone.get(e);
  if (done !== undefined) {
    c.chainDone.delete(e);
    return done;
  }
  const left = chainLeft(e);
  if (left !== null && isChain(left) && !c.chainDone.has(left)) checkChainBelow(c, e, expected);
  return c.record(e, exprType(c, e, expected));
}

/**
 * A chain (`1 + 2 + … + n`, `s.f().g()…`) is checked bottom-up with a loop: each link below
 * `e` is checked first, deepest first, with the expectation its parent would give it, and its
 * type is kept in `chainDone` where the parent's own check finds it instead of recursing. So
 * checking a chain of any length costs the stack of one link.
 */
function checkChainBelow(c: BodyChecker, e: A.Expr, expected: Ty | null): void {
  const spine = chainSpine(e);
  const expectations: (Ty | null)[] = [expected];
  for (let i = 1; i < spine.length; i++) expectations.push(leftExpectation(spine[i - 1]!, expectations[i - 1]!));
  for (let i = spine.length - 1; i >= 1; i--) {
    const link = spine[i]!;
    const t = c.record(link, exprType(c, link, expectations[i]!));
    c.chainDone.set(link, t);
  }
}

/**
 * What a link's check passes down to its left operand (it must agree with the checks:
 * check-ops.ts `checkBinary`, check-call.ts `checkMethodCall`, check-place.ts, `checkCast`,
 * `checkTry`).
 */
function leftExpectation(link: ChainExpr, expected: Ty | null): Ty | null {
  if (link.kind !== "BinaryExpr") return null;
  return leftOperandExpectation(link.op, expected);
}

const LITERALS = new Set<A.Expr["kind"]>(["IntLit", "FloatLit", "BoolLit", "CharLit", "StrLit"]);
const INT_NAME_SET: ReadonlySet<string> = new Set(INT_NAMES);

/**
 * A literal is a constant, materialized in the domain of the code that evaluates it: in a
 * Φ function `env.phases[0] = 5` stores a Φ value. A literal flowing into another domain
 * than the code's own is still an implicit coercion (`let q: Q<u64> = 5;` in K code).
 */
function literalIn(c: BodyChecker, e: A.Expr, expected: Ty | null): Ty | null {
  if (!expected || !LITERALS.has(e.kind)) return null;
  const h = shallow(expected);
  if (h.k !== "dom" || h.domain !== c.domain) return null;
  const inner = exprType(c, e, h.inner);
  return inDomain(h.domain, inner);
}

/** Check `e` against `expected`, reporting a mismatch at the most precise place. */
export function checkExpect(c: BodyChecker, e: A.Expr, expected: Ty, exp: Expectation): Ty {
  switch (e.kind) {
    case "ParenExpr":
      return c.record(e, checkExpect(c, e.inner, expected, exp));
    case "BlockExpr":
      if (e.label === null) return c.record(e, checkBlockExpr(c, e, expected, exp));
      break;
    case "IfExpr":
      if (e.else !== null) return c.record(e, checkIf(c, e, expected, exp));
      break;
    case "MatchExpr":
      return c.record(e, checkMatch(c, e, expected, exp));
    default:
      break;
  }
  const t = checkExpr(c, e, expected);
  if (c.inf.probe(expected, t)) coerce(c, e.span, t, expected, exp);
  else if (coerceToDyn(c, e, t, expected)) return expected;
  else coerce(c, e.span, t, expected, exp);
  return t;
}

function exprType(c: BodyChecker, e: A.Expr, expected: Ty | null): Ty {
  const lit = literalIn(c, e, expected);
  if (lit) return lit;
  switch (e.kind) {
    case "IntLit":
      c.intLits.push(e);
      return e.suffix ? prim(e.suffix) : literalHint(c, expected, "int");
    case "FloatLit":
      return e.suffix ? prim(e.suffix) : literalHint(c, expected, "float");
    case "StrLit":
      return stringLiteral(expected);
    case "CharLit":
      return prim("char");
    case "BoolLit":
      return BOOL;
    case "PathExpr":
      return checkPathExpr(c, e, expected);
    case "UnaryExpr":
      return checkUnary(c, e, expected);
    case "RefExpr":
      return checkRef(c, e, expected);
    case "BinaryExpr":
      return checkBinary(c, e, expected);
    case "AssignExpr":
      return checkAssign(c, e);
    case "CallExpr":
      return checkCall(c, e, expected);
    case "MethodCallExpr":
      return checkMethodCall(c, e, expected);
    case "MacroCallExpr":
      return checkMacro(c, e, expected);
    case "FieldExpr":
      return checkField(c, e);
    case "IndexExpr":
      return checkIndex(c, e);
    case "CastExpr":
      return checkCast(c, e);
    case "TryExpr":
      return checkTry(c, e);
    case "StructLitExpr":
      return checkStructLit(c, e, expected);
    case "TupleExpr":
      return checkTuple(c, e, expected);
    case "ParenExpr":
      return checkExpr(c, e.inner, expected);
    case "ArrayExpr":
      return checkArray(c, e, expected);
    case "ArrayRepeatExpr":
      return checkRepeat(c, e, expected);
    case "RangeExpr":
      return checkRange(c, e, expected);
    case "BlockExpr":
      return checkBlockExpr(c, e, expected, null);
    case "IfExpr":
      return checkIf(c, e, expected, null);
    case "LetCondExpr":
      c.raise(e.span, TypeMismatch.letConditionMisplaced());
      checkExpr(c, e.value);
      return BOOL;
    case "MatchExpr":
      return checkMatch(c, e, expected, null);
    case "WhileExpr":
      return checkWhile(c, e);
    case "LoopExpr":
      return checkLoop(c, e, expected);
    case "ForExpr":
      return checkFor(c, e);
    case "BreakExpr":
      return checkBreak(c, e);
    case "ContinueExpr":
      if (!findLoop(c, e.label, e, true)) return NEVER;
      return NEVER;
    case "ReturnExpr":
      if (e.value) checkExpect(c, e.value, c.returnTy, { site: "return" });
      else coerce(c, e.span, UNIT, c.returnTy, { site: "return" });
      return NEVER;
    case "ClosureExpr":
      return checkClosure(c, e, expected);
    case "ErrorExpr":
      return ERROR;
  }
}

/**
 * String literals are `String` (language.md §2); where a `&str` is expected a literal is
 * that `&str`, so Rust-style `fn f(name: &str)` can be called as `f("bolt")`.
 */
function stringLiteral(expected: Ty | null): Ty {
  const h = expected ? shallow(expected) : null;
  if (h && h.k === "ref" && !h.mut) {
    const inner = shallow(h.inner);
    if (inner.k === "prim" && inner.name === "str") return h;
  }
  return prim("String");
}

/** An unsuffixed literal takes an integer/float type from context when there is one. */
function literalHint(c: BodyChecker, expected: Ty | null, kind: "int" | "float"): Ty {
  const h = expected ? shallow(expected) : null;
  if (h && h.k === "prim") {
    if (kind === "int" && INT_NAME_SET.has(h.name)) return h;
    if (kind === "float" && (h.name === "f32" || h.name === "f64")) return h;
  }
  return c.inf.fresh(kind);
}

function checkRef(c: BodyChecker, e: A.RefExpr, expected: Ty | null): Ty {
  const h = expected ? shallow(expected) : null;
  const inner = checkExpr(c, e.operand, h && h.k === "ref" ? h.inner : null);
  if (e.isMut) {
    requireMutablePlace(c, e.operand, "borrow");
    // `&mut NAME` (or a part of it) is the explicit way to reach a `static mut` (DPL6003).
    let base: A.Expr = e.operand;
    while (base.kind === "ParenExpr" || base.kind === "FieldExpr" || base.kind === "IndexExpr") base = base.kind === "ParenExpr" ? base.inner : base.object;
    if (base.kind === "PathExpr") c.s.tables.explicitStaticBorrows.add(base);
  }
  return ref(inner, e.isMut);
}


function checkTry(c: BodyChecker, e: A.TryExpr): Ty {
  const t = shallow(checkExpr(c, e.expr));
  if (isQuiet(t)) return t;
  const ret = shallow(c.returnTy);
  if (isPreludeEnum(t, "Option")) {
    const want = optionOf(c.ictx, c.fresh());
    if (c.inf.unify(ret, want) !== null) {
      c.raise(e.span, TypeMismatch.questionOnOptionNeedsOption(printTy(zonk(ret))));
    }
    return (t as AdtTy).args[0] ?? ERROR;
  }
  if (isPreludeEnum(t, "Result")) {
    const r = shallow(ret);
    if (isPreludeEnum(r, "Result")) {
      coerce(c, e.span, (t as AdtTy).args[1]!, (r as AdtTy).args[1]!, { site: "other" });
    } else if (!isQuiet(r) && r.k !== "var") {
      c.raise(e.span, TypeMismatch.questionOnResultNeedsResult(printTy(zonk(ret))));
    } else if (r.k === "var") c.inf.unify(r, t);
    return (t as AdtTy).args[0] ?? ERROR;
  }
  c.raise(e.expr.span, TypeMismatch.questionOnOther(printTy(zonk(t))));
  return ERROR;
}

function checkTuple(c: BodyChecker, e: A.TupleExpr, expected: Ty | null): Ty {
  const h = expected ? shallow(expected) : null;
  const hints = h && h.k === "tuple" && h.elems.length === e.elements.length ? h.elems : null;
  return tuple(e.elements.map((x, i) => checkExpr(c, x, hints ? hints[i]! : null)));
}

function checkArray(c: BodyChecker, e: A.ArrayExpr, expected: Ty | null): Ty {
  const h = expected ? shallow(expected) : null;
  let elem: Ty = h && (h.k === "array" || h.k === "slice") ? h.elem : c.fresh();
  let first = true;
  for (const x of e.elements) {
    if (first) {
      const t = checkExpr(c, x, elem);
      coerce(c, x.span, t, elem, { site: "element" });
      first = false;
    } else checkExpect(c, x, elem, { site: "element" });
  }
  elem = shallow(elem);
  return { k: "array", elem, len: e.elements.length };
}

function checkRepeat(c: BodyChecker, e: A.ArrayRepeatExpr, expected: Ty | null): Ty {
  const h = expected ? shallow(expected) : null;
  const elem = checkExpr(c, e.value, h && h.k === "array" ? h.elem : null);
  checkExpect(c, e.count, USIZE, { site: "other" });
  reportRepeatDuplication(c, e.value, elem);
  const len = e.count.kind === "IntLit" ? Number(e.count.value) : null;
  return { k: "array", elem, len };
}

/** `[q; 3]` copies its value: impossible for Q state and `@noncopy` types (DPL4001). */
export function reportRepeatDuplication(c: BodyChecker, value: A.Expr, elem: Ty): void {
  const t = zonk(elem);
  if (isQuiet(t) || isCopyType(t)) return;
  const isQ = domainOf(t) === "Q";
  if (isQ || isNoncopy(t)) {
    c.raise(value.span, Duplication.arrayRepeat(printTy(t), isQ));
  }
}

function checkRange(c: BodyChecker, e: A.RangeExpr, expected: Ty | null): Ty {
  const h = expected ? shallow(expected) : null;
  const elem: Ty = h && isBuiltin(h, "Range") ? (h as AdtTy).args[0]! : c.inf.fresh("general");
  if (e.start) checkExpect(c, e.start, elem, { site: "other" });
  if (e.end) checkExpect(c, e.end, elem, { site: "other" });
  return rangeOf(elem);
}


















