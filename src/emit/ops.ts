/**
 * Operators and casts. Integer arithmetic goes through the runtime's per-type operations
 * (`u64.add(a, b, $site)`), which fault exactly where a debug Rust build panics; floats use
 * JavaScript arithmetic (rounded to binary32 for f32); comparisons of numbers, booleans,
 * chars and strings are direct, and compound values compare structurally (`eq`, `compare`).
 */
import { jsString } from "./escape.js";
import type { IntName } from "../semantic/types.js";
import type * as A from "../syntax/ast.js";
import type { Span } from "../syntax/source.js";
import { shallow, type Ty } from "../semantic/types.js";
import type { Body } from "./body.js";
import { e, frag, fragText, operand, Prec, type E, type Frag } from "./writer.js";
import { emitExpr, emitOperands, derefValue, numberText } from "./exprs.js";
import { floatName, intName, intReprOf, isBigName, isHybridName, isBoolTy, isCharTy, isStringTy, peelDomain, peelRefs, primName, intBits, isSignedName } from "./repr.js";
import { tyDescriptor } from "./ts-types.js";
import { inlineArith, intKind } from "./inline-ints.js";

const SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/** An integer literal; `hybrid`: a u64/i64 held as number-or-bigint (hybrid-locals.ts). */
export function intLiteral(value: bigint, t: Ty, span: Span | null, hybrid = false): E {
  const n = intName(t);
  if (n === null && floatName(t)) return e(frag(span, numberText(Number(value))), value < 0n ? Prec.Unary : Prec.Primary);
  // A hybrid value beyond 2^53 - 1 is a bigint (its canonical form), any other a number.
  const outside = value > SAFE_BIG || value < -SAFE_BIG;
  const big = n !== null && (hybrid || isHybridName(n) ? outside : isBigName(n));
  const text = big ? `${value}n` : String(value);
  return e(frag(span, text), value < 0n ? Prec.Unary : Prec.Primary);
}

/** A Q or Φ value cannot be computed with in K's runtime: such code runs on its provider. */
function domainOperand(t: Ty): boolean {
  const s = shallow(t);
  return s.k === "dom" && s.domain !== "K";
}

function domainPanic(b: Body, span: Span, what: string): E {
  return e(frag(span, `${b.m.rt("raiseDomainPanic")}(${jsString(`${what} on a Q or Φ value runs on its provider, not in K`)}, ${b.m.site(span)})`));
}

export function emitUnaryMinus(b: Body, x: A.UnaryExpr): E {
  const t = b.typeOf(x);
  let inner: A.Expr = x.operand;
  while (inner.kind === "ParenExpr") inner = inner.inner;
  // `-9223372036854775808i64` is a literal, not the negation of an out-of-range one.
  const hybrid = b.hybrid.exprs.has(x);
  if (inner.kind === "IntLit") return intLiteral(-inner.value, t, x.span, hybrid);
  if (inner.kind === "FloatLit") {
    const v = floatName(t) === "f32" ? Math.fround(-inner.value) : -inner.value;
    return e(frag(x.span, numberText(v)), Prec.Unary);
  }
  if (domainOperand(t)) return domainPanic(b, x.span, "negation");
  const v = derefValue(b, emitExpr(b, x.operand), b.typeOf(x.operand));
  const n = intName(t);
  if (n) return e(frag(x.span, `${b.m.rt(hybrid ? `${n}h` : n)}.neg(`, v.f, `, ${b.m.site(x.span)})`));
  return e(frag(x.span, "-", operand(v, Prec.Unary)), Prec.Unary);
}

const ARITH: Readonly<Record<string, string>> = { "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "rem", "<<": "shl", ">>": "shr", "&": "and", "|": "or", "^": "xor" };

export function emitBinary(b: Body, x: A.BinaryExpr): E {
  if (x.op === "&&" || x.op === "||") {
    const [l, r] = emitOperands(b, [x.left, x.right]);
    const p = x.op === "&&" ? Prec.And : Prec.Or;
    return e(frag(x.span, operand(l!, p), ` ${x.op} `, operand(r!, p + 1)), p);
  }
  const lt = b.typeOf(x.left);
  const rt = b.typeOf(x.right);
  if (domainOperand(lt) || domainOperand(rt)) {
    emitOperands(b, [x.left, x.right]).forEach((v) => b.w.writeFrag(frag(null, "void ", operand(v, Prec.Unary))).writeLine(";"));
    return domainPanic(b, x.span, `\`${x.op}\``);
  }
  const [l0, r0] = emitOperands(b, [x.left, x.right]);
  const l = derefValue(b, l0!, lt);
  const r = derefValue(b, r0!, rt);
  return binaryOp(b, x.op, l, r, peelRefs(lt), peelRefs(rt), b.typeOf(x), x.span, b.hybrid.exprs.has(x));
}

/**
 * `l op r` for operands already evaluated (also used by compound assignment); `hybrid`: u64/i64
 * operands and result held as number-or-bigint (hybrid-locals.ts), computed by `u64h`/`i64h`.
 */
export function binaryOp(b: Body, op: A.BinaryOp | string, l: E, r: E, lt: Ty, rt: Ty, resultTy: Ty, span: Span, hybrid = false): E {
  switch (op) {
    case "==":
    case "!=":
      return equality(b, op, l, r, lt, span);
    case "<":
    case "<=":
    case ">":
    case ">=":
      return ordering(b, op, l, r, lt, span);
    default:
      break;
  }
  const n0 = intName(lt);
  const n = n0 && hybrid ? `${n0}h` : n0;
  if (n) {
    const fn = ARITH[op]!;
    if (op === "<<" || op === ">>") {
      const amount = intName(rt) && intReprOf(intName(rt)!) !== "number" ? frag(null, "Number(", r.f, ")") : r.f;
      return e(frag(span, `${b.m.rt(n)}.${fn}(`, l.f, ", ", amount, `, ${b.m.site(span)})`));
    }
    if (op === "&" || op === "|" || op === "^") return e(frag(span, `${b.m.rt(n)}.${fn}(`, l.f, ", ", r.f, ")"));
    const fast = (op === "/" || op === "%") ? literalDivision(b.m.rt(n), hybrid ? "hybrid" : intReprOf(n0!), op, l, r, span) : null;
    const kind = intKind(n0!, hybrid);
    if (kind && (!fast || kind.repr === "hybrid")) {
      // A literal divisor cannot fault: its runtime call needs no site.
      const site = fast ? "" : `, ${b.m.site(span)}`;
      const inline = inlineArith(kind, op, l, r, span, (lf, rf) => frag(span, `${b.m.rt(n)}.${fn}(`, lf, ", ", rf, `${site})`));
      if (inline) return inline;
    }
    if (fast) return fast;
    return e(frag(span, `${b.m.rt(n)}.${fn}(`, l.f, ", ", r.f, `, ${b.m.site(span)})`));
  }
  const fl = floatName(lt);
  if (fl) {
    const p = op === "*" || op === "/" || op === "%" ? Prec.Mul : Prec.Add;
    const core = frag(span, operand(l, p), ` ${op} `, operand(r, p + 1));
    return fl === "f32" ? e(frag(span, "Math.fround(", core, ")")) : e(core, p);
  }
  if (isBoolTy(lt)) {
    if (op === "^") return e(frag(span, operand(l, Prec.Eq + 1), " !== ", operand(r, Prec.Eq + 1)), Prec.Eq);
    // Both sides are evaluated, as `&`/`|` on bool do in DPL: no short-circuit.
    return e(frag(span, "Boolean(Number(", l.f, `) ${op} Number(`, r.f, "))"));
  }
  if (isStringTy(lt) || primName(resultTy) === "String") {
    const right = isCharTy(rt) ? frag(null, "String.fromCodePoint(", r.f, ")") : operand(r, Prec.Add + 1);
    return e(frag(span, operand(l, Prec.Add), " + ", right), Prec.Add);
  }
  return e(frag(span, `${b.m.rt("panic")}(${jsString(`unsupported operator ${op}`)}, ${b.m.site(span)})`));
}

/**
 * `x / 4` and `x % 10`: a divisor that is a non-zero literal (and not -1, whose MIN / -1
 * overflows) cannot fault, so the operator is JavaScript's own: truncating bigint
 * division, `Math.trunc` for numbers; `%` has the dividend's sign in both, as in Rust.
 */
function literalDivision(ops: string, repr: "number" | "bigint" | "hybrid", op: "/" | "%", l: E, r: E, span: Span): E | null {
  const text = fragText(r.f);
  const m = /^(-?)(\d+)n?$/.exec(text);
  if (!m || /^-?0+n?$/.test(text) || m[1] === "-") return null;
  if (repr === "bigint") return e(frag(span, operand(l, Prec.Mul), ` ${op} `, r.f), Prec.Mul);
  // number | bigint has no operator of its own: the runtime divides (numbers on its fast path),
  // with no fault site, since this division cannot fault.
  if (repr === "hybrid") return e(frag(span, `${ops}.${ARITH[op]}(`, l.f, ", ", r.f, ")"));
  if (op === "%") return e(frag(span, operand(l, Prec.Mul), " % ", r.f), Prec.Mul);
  return e(frag(span, "Math.trunc(", operand(l, Prec.Mul), " / ", r.f, ")"));
}

function isScalar(t: Ty): boolean {
  const s = peelDomain(t);
  if (s.k === "tuple" && s.elems.length === 0) return true;
  if (s.k !== "prim") return false;
  return true;
}

function equality(b: Body, op: "==" | "!=", l: E, r: E, t: Ty, span: Span): E {
  const s = peelDomain(t);
  if (s.k === "tuple" && s.elems.length === 0) return e(frag(span, op === "==" ? "true" : "false"));
  if (isScalar(t)) return e(frag(span, operand(l, Prec.Eq + 1), op === "==" ? " === " : " !== ", operand(r, Prec.Eq + 1)), Prec.Eq);
  const call = frag(span, `${b.m.rt("eq")}(`, l.f, ", ", r.f, ")");
  return op === "==" ? e(call) : e(frag(span, "!", call), Prec.Unary);
}

function ordering(b: Body, op: string, l: E, r: E, t: Ty, span: Span): E {
  const s = peelDomain(t);
  if (s.k === "prim" && s.name !== "String" && s.name !== "str" && s.name !== "bool") {
    return e(frag(span, operand(l, Prec.Rel + 1), ` ${op} `, operand(r, Prec.Rel + 1)), Prec.Rel);
  }
  let cmp: Frag;
  if (isStringTy(s)) cmp = frag(span, `${b.m.rt("strCmp")}(`, l.f, ", ", r.f, ")");
  else if (isBoolTy(s)) cmp = frag(span, "(Number(", l.f, ") - Number(", r.f, "))");
  else cmp = frag(span, `${b.m.rt("compare")}(`, l.f, ", ", r.f, ", ", tyDescriptor(b.m, s, b), ")");
  return e(frag(span, cmp, ` ${op} 0`), Prec.Rel);
}

// ---------------------------------------------------------------------------
// Casts

export function emitCast(b: Body, x: A.CastExpr): E {
  const from = peelRefs(b.typeOf(x.expr));
  const to = peelDomain(b.typeOf(x));
  if (domainOperand(b.typeOf(x.expr)) && !domainOperand(b.typeOf(x))) return domainPanic(b, x.span, "a cast");
  const v = derefValue(b, emitExpr(b, x.expr), b.typeOf(x.expr));
  if (b.hybrid.exprs.has(x)) return hybridCast(b, v, intName(from)!, intName(to)!, x.span);
  if (b.hybrid.exprs.has(x.expr)) return castFromHybrid(b, v, intName(from)!, to, x.span);
  return castValue(b, v, from, to, x.span);
}

/** `x as T` of a u64/i64 held as number-or-bigint, into T's own form (never the identity). */
function castFromHybrid(b: Body, v: E, from: IntName, to: Ty, span: Span): E {
  const tn = intName(to);
  if (tn) return e(frag(span, `${b.m.rt(tn)}.wrapBig(`, v.f, ")"));
  return e(frag(span, `${b.m.rt(`${from}h`)}.${floatName(to) === "f32" ? "toF32" : "toF64"}(`, v.f, ")"));
}

/** `x as u64`/`x as i64` into the hybrid form, from a number-backed or usize/isize value. */
function hybridCast(b: Body, v: E, from: IntName, to: IntName, span: Span): E {
  const widening = isSignedName(from) === isSignedName(to) ? intBits(to) >= intBits(from) : !isSignedName(from) && intBits(to) > intBits(from);
  if (widening) return v;
  return e(frag(span, `${b.m.rt(`${to}h`)}.${intReprOf(from) === "number" ? "wrap" : "wrapBig"}(`, v.f, ")"));
}

function castValue(b: Body, v: E, from: Ty, to: Ty, span: Span): E {
  const tn = intName(to);
  const fnm = intName(from);
  const tf = floatName(to);
  const ff = floatName(from);
  if (tn) {
    const ops = b.m.rt(tn);
    if (fnm) {
      if (fnm === tn || isWidening(fnm, tn)) return v;
      return e(frag(span, `${ops}.${intReprOf(fnm) !== "number" ? "wrapBig" : "wrap"}(`, v.f, ")"));
    }
    if (ff) return e(frag(span, `${ops}.fromFloat(`, v.f, ")"));
    if (isBoolTy(from)) return e(frag(span, operand(v, Prec.Cond + 1), isBigName(tn) ? " ? 1n : 0n" : " ? 1 : 0"), Prec.Cond);
    if (isCharTy(from)) {
      // A code point (< 2^21) fits every type but the 8- and 16-bit ones, which truncate.
      if (isBigName(tn)) return e(frag(span, "BigInt(", v.f, ")"));
      return tn === "u32" || tn === "i32" ? v : e(frag(span, `${ops}.wrap(`, v.f, ")"));
    }
    const en = shallow(from);
    if (en.k === "adt" && en.def.kind === "enum") {
      return e(frag(span, `${ops}.wrapBig(${b.m.ref(en.def)}$discriminant(`, v.f, "))"));
    }
    return v;
  }
  if (tf) {
    if (fnm) return e(frag(span, `${b.m.rt(fnm)}.${tf === "f32" ? "toF32" : "toF64"}(`, v.f, ")"));
    if (ff === "f64" && tf === "f32") return e(frag(span, "Math.fround(", v.f, ")"));
    return v;
  }
  if (isCharTy(to) && fnm) return v;
  return v;
}

/** Every value of `from` is a value of `to` with the same representation. */
function isWidening(from: IntName, to: IntName): boolean {
  // A number-backed value is the canonical form of the same value in a hybrid type.
  const same = intReprOf(from) === intReprOf(to) || (intReprOf(from) === "number" && intReprOf(to) === "hybrid");
  if (!same) return false;
  const fs = isSignedName(from);
  const ts = isSignedName(to);
  const fb = intBits(from);
  const tb = intBits(to);
  if (fs === ts) return tb >= fb;
  return !fs && ts && tb > fb;
}
