/**
 * Operators: unary, binary, assignment and `as` casts. Integer types never convert
 * implicitly (language.md §2); `+` also concatenates strings. Arithmetic on a Q or Φ
 * number stays in its domain; mixing it with a K value (other than a literal) is an
 * implicit domain coercion (DPL3001).
 */
import type * as A from "../syntax/ast.js";
import type { BodyChecker } from "./checker.js";
import { coerce } from "./infer.js";
import { checkExpect, checkExpr } from "./check-expr.js";
import { checkPlaceForWrite, requireMutablePlace } from "./check-place.js";
import { isCapabilityDef } from "./intrinsics.js";
import { BOOL, ERROR, STRING, domainOf, exposedDomain, inDomain, isFloat, isInt, isQuiet, printTy, shallow, stripDomain, zonk, type Ty } from "./types.js";

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
    c.report("DPL2003", e.span, `type \`${printTy(zonk(t))}\` cannot be dereferenced`, { help: "only references (`&T`, `&mut T`) can be dereferenced with `*`" });
    return ERROR;
  }
  const t = checkExpr(c, e.operand, expected);
  const base = stripDomain(derefOperand(t));
  if (isQuiet(base) || (base.k === "var" && base.v.kind === "general")) return t;
  if (e.op === "!") {
    if (base.k === "prim" && base.name === "bool") return t;
    if (numKind(base) === "int") return t;
    c.report("DPL2003", e.span, `cannot apply \`!\` to a value of type \`${printTy(zonk(t))}\``, { help: "`!` negates a `bool` or flips the bits of an integer" });
    return ERROR;
  }
  if (base.k === "prim" && /^u/.test(base.name)) {
    c.report("DPL2003", e.span, `cannot apply unary \`-\` to a value of type \`${base.name}\``, { help: "unsigned integers cannot be negative" });
    return t;
  }
  if (numKind(base) !== null) {
    if (e.operand.kind === "IntLit") c.negatedLits.add(e.operand);
    return t;
  }
  c.report("DPL2003", e.span, `cannot negate a value of type \`${printTy(zonk(t))}\``, {});
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
  // The answer to `q == r` is a K bit computed from Q or Φ state: a read of that state.
  const exposed = c.domain === "K" ? [exposedDomain(zonk(l)), exposedDomain(zonk(r))].find((d) => d !== "K") : undefined;
  if (exposed) {
    c.report("DPL3003", e.span, `raw state exposure: K code cannot compare ${exposed} values with \`${e.op}\``, {
      help: "compare K results obtained through an explicit projection or an `xdv_call` instead",
    });
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
      c.report("DPL2003", right.span, `mismatched types: expected a string to concatenate, found \`${printTy(zonk(rt))}\``, { help: "convert it first: `value.to_string()`" });
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
    c.report("DPL2003", at, `cannot apply \`${op}\` to a value of type \`${printTy(zonk(lt))}\``, {
      help: ARITH.has(op) ? "arithmetic works on integers and floats (and `+` on strings)" : undefined,
    });
    return ERROR;
  }
  if (SHIFTS.has(op)) {
    if (rk !== "int" && !(ri.k === "var" && ri.v.kind === "general")) {
      c.report("DPL2003", right.span, `a shift amount must be an integer, found \`${printTy(zonk(rt))}\``, {});
    }
    return l;
  }
  if (ld !== rd) {
    const literal = ld === null ? isUnboundLiteral(li) : rd === null ? isUnboundLiteral(ri) : false;
    if (!literal) {
      const [dl, dr] = [ld ?? domainOf(l), rd ?? domainOf(r)];
      c.report("DPL3001", right.span, `implicit domain coercion: \`${op}\` combines a ${dl} value (\`${printTy(zonk(lt))}\`) with a ${dr} value (\`${printTy(zonk(rt))}\`)`, {
        help: "values cross domains only through an explicit projection function or `xdv_call`",
      });
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
    c.report("DPL5002", e.span, `forged capability: a \`${tt.def.name}\` cannot be made by casting a value`, {
      help: "capabilities are issued by the kernel and the runtime; take one as a parameter instead",
    });
    return target;
  }
  const sd = domainOf(st);
  if (sd !== "K" && c.domain === "K") {
    c.report("DPL3003", e.span, `raw state exposure: K code cannot cast a ${sd} value`, { help: "get a K value through an explicit projection or an `xdv_call`" });
    return target;
  }
  const from = stripDomain(st);
  const to = stripDomain(tt);
  if (!castAllowed(from, to)) {
    c.report("DPL2003", e.span, `invalid cast: \`${printTy(zonk(st))}\` as \`${printTy(zonk(tt))}\``, {
      help: "`as` converts between numeric types, and from `bool`, `char` and field-less enums to integers",
    });
    return target;
  }
  // An unsuffixed literal being cast takes the target type when it can (`300 as u16`).
  if (from.k === "var" && from.v.kind !== "general" && numKind(to) === from.v.kind) c.inf.unify(from, to);
  return sd !== "K" && tt.k !== "dom" ? inDomain(sd, tt) : target;
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
