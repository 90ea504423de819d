/**
 * Operators: unary, binary, assignment and `as` casts. Integer types never convert
 * implicitly (language.md §2); `+` also concatenates strings. Arithmetic on a Q or Φ
 * number stays in its domain; mixing it with a K value (other than a literal) is an
 * implicit domain coercion (DPL3001).
 */
import { dynTraitOf } from "./dyn.js";
import { DynCompat } from "../diagnostics/messages/dyn.js";
import { Capabilities } from "../diagnostics/messages/capabilities.js";
import { Coercion, Exposure } from "../diagnostics/messages/domains.js";
import { TypeMismatch } from "../diagnostics/messages/type-mismatch.js";
import type * as A from "../syntax/ast.js";
import type { BodyChecker } from "./checker.js";
import { coerce } from "./infer.js";
import { checkExpect, checkExpr } from "./check-expr.js";
import { checkPlaceForWrite, requireMutablePlace } from "./check-place.js";
import { isCapabilityDef } from "./intrinsics.js";
import { BOOL, ERROR, STRING, domainOf, exposedDomain, inDomain, isFloat, isInt, isQuiet, printTy, shallow, someNode, stripDomain, zonk, type Ty } from "./types.js";

type NumKind = "int" | "float" | null;

function numKind(t: Ty): NumKind {
  const s = shallow(t);
  if (s.k === "var") return s.v.kind === "int" ? "int" : s.v.kind === "float" ? "float" : null;
  if (isInt(s)) return "int";
  if (isFloat(s)) return "float";
  return null;
}

/** Peel shared references to copy values: `&u64 + u64` works as in Rust. */
function derefOperand(t: Ty): Ty {
  let s = shallow(t);
  while (s.k === "ref") s = shallow(s.inner);
  return s;
}

function isStringLike(t: Ty): boolean {
  const s = derefOperand(t);
  return s.k === "prim" && (s.name === "String" || s.name === "str" || s.name === "char");
}

function isUnboundLiteral(t: Ty): boolean {
  const s = shallow(t);
  return s.k === "var" && s.v.kind !== "general" && s.v.binding === null;
}

export function checkUnary(c: BodyChecker, e: A.UnaryExpr, expected: Ty | null): Ty {
  if (e.op === "*") {
    const t = shallow(checkExpr(c, e.operand));
    if (isQuiet(t)) return ERROR;
    if (t.k === "ref") return t.inner;
    // `*boxed` of a `Box<dyn Trait>`: `Box<T>` is `T`, so the deref is the value itself.
    if (dynTraitOf(stripDomain(t))) return t;
    c.raise(e.span, TypeMismatch.cannotDeref(printTy(zonk(t))));
    return ERROR;
  }
  const t = checkExpr(c, e.operand, expected);
  const base = stripDomain(derefOperand(t));
  if (isQuiet(base) || (base.k === "var" && base.v.kind === "general")) return t;
  if (e.op === "!") {
    if (base.k === "prim" && base.name === "bool") return t;
    if (numKind(base) === "int") return t;
    c.raise(e.span, TypeMismatch.cannotNot(printTy(zonk(t))));
    return ERROR;
  }
  if (base.k === "prim" && /^u/.test(base.name)) {
    c.raise(e.span, TypeMismatch.cannotNegateUnsigned(base.name));
    return t;
  }
  if (numKind(base) !== null) {
    if (e.operand.kind === "IntLit") c.negatedLits.add(e.operand);
    return t;
  }
  c.raise(e.span, TypeMismatch.cannotNegate(printTy(zonk(t))));
  return ERROR;
}

const ARITH = new Set(["+", "-", "*", "/", "%"]);
const BITS = new Set(["&", "|", "^"]);
const SHIFTS = new Set(["<<", ">>"]);
const COMPARE = new Set(["==", "!=", "<", "<=", ">", ">="]);

/** The expectation `checkBinary` gives the left operand (check-expr.ts checks chains with it). */
export function leftOperandExpectation(op: A.BinaryOp, expected: Ty | null): Ty | null {
  if (op === "&&" || op === "||") return BOOL;
  return ARITH.has(op) ? expected : null;
}

export function checkBinary(c: BodyChecker, e: A.BinaryExpr, expected: Ty | null): Ty {
  if (e.op === "&&" || e.op === "||") {
    checkExpect(c, e.left, leftOperandExpectation(e.op, expected)!, { site: "condition" });
    checkExpect(c, e.right, BOOL, { site: "condition" });
    return BOOL;
  }
  if (COMPARE.has(e.op)) {
    const lt = checkExpr(c, e.left, leftOperandExpectation(e.op, expected));
    const rt = checkExpr(c, e.right, lt);
    compareOperands(c, e, lt, rt);
    return BOOL;
  }
  const lt = checkExpr(c, e.left, leftOperandExpectation(e.op, expected));
  const rt = checkExpr(c, e.right, SHIFTS.has(e.op) ? null : lt);
  return binaryResult(c, e.op, e.left, e.right, lt, rt, e.span);
}

function compareOperands(c: BodyChecker, e: A.BinaryExpr, lt: Ty, rt: Ty): void {
  const l = shallow(lt);
  const r = shallow(rt);
  if (isQuiet(l) || isQuiet(r)) return;
  const dynSide = [l, r].find((x) => someNode(zonk(x), (n) => dynTraitOf(n) !== null));
  if (dynSide) {
    c.raise(e.span, DynCompat.compared(e.op, printTy(zonk(dynSide))));
    return;
  }
  // The answer to `q == r` is a K bit computed from Q or Φ state: a read of that state.
  const exposed = c.domain === "K" ? [exposedDomain(zonk(l)), exposedDomain(zonk(r))].find((d) => d !== "K") : undefined;
  if (exposed) {
    c.raise(e.span, Exposure.compare(exposed, e.op));
    return;
  }
  // `&a == &b`, `a == b`: both sides the same type; strings compare with string slices.
  if (isStringLike(l) && isStringLike(r)) return;
  const ld = derefOperand(l);
  const rd = derefOperand(r);
  if (l.k === "ref" && r.k !== "ref") coerce(c, e.right.span, rd === r ? r : rt, ld, { site: "other" });
  else if (r.k === "ref" && l.k !== "ref") coerce(c, e.right.span, rd, l, { site: "other" });
  else coerce(c, e.right.span, rt, lt, { site: "other" });
}

/** The type of `left op right` for arithmetic, bit and shift operators (also for `op=`). */
function binaryResult(c: BodyChecker, op: string, left: A.Expr, right: A.Expr, lt: Ty, rt: Ty, at: A.Node["span"]): Ty {
  const l = derefOperand(lt);
  const r = derefOperand(rt);
  if (isQuiet(l) || isQuiet(r)) return ERROR;
  if (op === "+" && l.k === "prim" && (l.name === "String" || l.name === "str")) {
    if (!isStringLike(r)) {
      c.raise(right.span, TypeMismatch.expectedConcatString(printTy(zonk(rt))));
    }
    return STRING;
  }
  // Domains: Q/Φ numbers combine with numbers of the same domain, or with literals.
  const ld = l.k === "dom" ? l.domain : null;
  const rd = r.k === "dom" ? r.domain : null;
  const li = stripDomain(l);
  const ri = stripDomain(r);
  const lk = numKind(li);
  const rk = numKind(ri);
  const okKinds = ARITH.has(op) ? lk !== null : BITS.has(op) ? lk === "int" || (li.k === "prim" && li.name === "bool") : lk === "int";
  if (!okKinds) {
    if (li.k === "var" && li.v.kind === "general") return lt;
    c.raise(at, TypeMismatch.cannotApplyOperator(op, printTy(zonk(lt)), ARITH.has(op)));
    return ERROR;
  }
  if (SHIFTS.has(op)) {
    if (rk !== "int" && !(ri.k === "var" && ri.v.kind === "general")) {
      c.raise(right.span, TypeMismatch.shiftAmountNotInteger(printTy(zonk(rt))));
    }
    return l;
  }
  if (ld !== rd) {
    const literal = ld === null ? isUnboundLiteral(li) : rd === null ? isUnboundLiteral(ri) : false;
    if (!literal) {
      const [dl, dr] = [ld ?? domainOf(l), rd ?? domainOf(r)];
      c.raise(right.span, Coercion.operands(op, dl, printTy(zonk(lt)), dr, printTy(zonk(rt))));
      return ERROR;
    }
  }
  coerce(c, right.span, ri, li, { site: "other" });
  const d = ld ?? rd;
  return d ? inDomain(d, li) : li;
}

export function checkAssign(c: BodyChecker, e: A.AssignExpr): Ty {
  const target = checkPlaceForWrite(c, e.target);
  if (e.op === "=") {
    checkExpect(c, e.value, target, { site: "assign" });
  } else {
    const op = e.op.slice(0, -1);
    const vt = checkExpr(c, e.value, SHIFTS.has(op) ? null : derefOperand(target));
    const r = binaryResult(c, op, e.target, e.value, target, vt, e.span);
    if (!isQuiet(r)) coerce(c, e.span, r, target, { site: "assign" });
  }
  requireMutablePlace(c, e.target, "assign");
  return { k: "tuple", elems: [] };
}

export function checkCast(c: BodyChecker, e: A.CastExpr): Ty {
  const target = c.lower(e.type);
  const st = shallow(checkExpr(c, e.expr));
  const tt = shallow(target);
  if (isQuiet(st) || isQuiet(tt)) return target;
  // Minting a capability from a number (DPL5002).
  if (tt.k === "adt" && isCapabilityDef(tt.def) && !c.module.isTrusted) {
    c.raise(e.span, Capabilities.forgedByCast(tt.def.name));
    return target;
  }
  const sd = domainOf(st);
  if (sd !== "K" && c.domain === "K") {
    c.raise(e.span, Exposure.cast(sd));
    return target;
  }
  const from = stripDomain(st);
  const to = stripDomain(tt);
  if (!castAllowed(from, to)) {
    c.raise(e.span, TypeMismatch.invalidCast(printTy(zonk(st)), printTy(zonk(tt))));
    return target;
  }
  // An unsuffixed literal being cast takes the target type when it can (`300 as u16`). A
  // variable does not: `a as usize` converts `a`, whose type the rest of the program (or the
  // i32/f64 default) decides, as in Rust.
  if (from.k === "var" && from.v.kind !== "general" && numKind(to) === from.v.kind && isNumericLiteral(e.expr)) c.inf.unify(from, to);
  return sd !== "K" && tt.k !== "dom" ? inDomain(sd, tt) : target;
}

/** `300`, `-1`, `(2.5)`: a number literal, possibly negated or in parentheses. */
function isNumericLiteral(e: A.Expr): boolean {
  if (e.kind === "IntLit" || e.kind === "FloatLit") return true;
  if (e.kind === "ParenExpr") return isNumericLiteral(e.inner);
  return e.kind === "UnaryExpr" && e.op === "-" && isNumericLiteral(e.operand);
}

function castAllowed(from: Ty, to: Ty): boolean {
  const fk = numKind(from);
  const tk = numKind(to);
  if (fk && tk) return true;
  if (from.k === "var" && from.v.kind === "general") return true;
  if (tk === "int" && from.k === "prim" && (from.name === "bool" || from.name === "char")) return true;
  if (to.k === "prim" && to.name === "char" && from.k === "prim" && from.name === "u8") return true;
  if (tk === "int" && from.k === "adt" && from.def.kind === "enum" && from.def.variants.every((v) => v.shape === "unit")) return true;
  if (from.k === "prim" && to.k === "prim" && from.name === to.name) return true;
  if (from.k === "adt" && to.k === "adt" && from.def === to.def) return true;
  if (from.k === "ref" && to.k === "ref") return true;
  return false;
}
