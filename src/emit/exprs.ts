/**
 * Expressions as values: literals, paths, operators, casts, aggregates and closures.
 * Calls are in calls.ts, places (fields, indexing, `*`, assignment) in places.ts, and
 * control flow used as a value in control.ts.
 *
 * `emitExpr` gives an expression's value as it is (a place is read, not copied);
 * `emitOwned` gives a value the receiver may keep and mutate: a Copy value held in a
 * mutable object (a `Copy` struct, an array of numbers) is copied when read from a place
 * that someone else can still change.
 */
import { wrapDyn } from "./dyn.js";
import { jsString } from "./escape.js";
import type * as A from "../syntax/ast.js";
import { shallow, type Ty } from "../semantic/types.js";
import { type Body, CHAIN_SPILL, isPure, isValueLink, needsStmts, valueLinkDepth, valueLinksBelow } from "./body.js";
import { e, frag, joinFrags, operand, primary, Prec, type E, type Frag } from "./writer.js";
import { floatName, intName, isBigInt, isBoxedMutRef, needsCopyOnRead, peelDomain, reprOf } from "./repr.js";
import { emitValueViaStmts } from "./control.js";
import { emitCall, emitMethodCall, emitClosure, variantValue, fnValue } from "./calls.js";
import { emitMacro } from "./macros.js";
import { emitAssign, emitFieldRead, emitIndexRead, placeOf, derefRead } from "./places.js";
import { emitBinary, emitCast, emitUnaryMinus, intLiteral } from "./ops.js";
import { intrinsicConst } from "./intrinsics.js";
import { tupleField, fieldName, fieldMember } from "./names.js";
import type { FieldDef } from "../semantic/defs.js";

/** The value of `x`, evaluated now; statements it needs are written first. */
export function emitExpr(b: Body, x: A.Expr): E {
  const v = emitExprInner(b, x);
  const toDyn = b.tables.dynCoercions.get(x);
  return toDyn ? wrapDyn(b, v, toDyn.trait, toDyn.from) : v;
}

function emitExprInner(b: Body, x: A.Expr): E {
  const done = b.chainDone.get(x);
  if (done !== undefined) {
    b.chainDone.delete(x);
    return done;
  }
  if (isValueLink(x)) emitChainBelow(b, x);
  if (needsStmts(x) && isStatementLike(x)) return emitValueViaStmts(b, x);
  switch (x.kind) {
    case "IntLit":
      return intLiteral(x.value, b.typeOf(x), x.span);
    case "FloatLit":
      return floatLiteral(x.value, b.typeOf(x), x.span);
    case "StrLit":
      return e(frag(x.span, jsString(x.value)));
    case "CharLit":
      return e(frag(x.span, String(x.value.codePointAt(0) ?? 0)));
    case "BoolLit":
      return e(frag(x.span, x.value ? "true" : "false"));
    case "PathExpr":
      return emitPathValue(b, x);
    case "ParenExpr":
      return emitExpr(b, x.inner);
    case "UnaryExpr":
      return emitUnary(b, x);
    case "RefExpr":
      return emitRef(b, x);
    case "BinaryExpr":
      return emitBinary(b, x);
    case "AssignExpr":
      return emitAssign(b, x);
    case "CallExpr":
      return emitCall(b, x);
    case "MethodCallExpr":
      return emitMethodCall(b, x);
    case "MacroCallExpr":
      return emitMacro(b, x);
    case "FieldExpr":
      return emitFieldRead(b, x);
    case "IndexExpr":
      return emitIndexRead(b, x);
    case "CastExpr":
      return emitCast(b, x);
    case "StructLitExpr":
      return emitStructLit(b, x);
    case "TupleExpr":
      return emitTuple(b, x);
    case "ArrayExpr": {
      const items = emitOperands(b, x.elements, true);
      return e(frag(x.span, `${b.m.rt("Vec")}.from([`, joinFrags(items.map((i) => i.f), ", "), "])"));
    }
    case "ArrayRepeatExpr": {
      const [v, n] = emitOperands(b, [x.value, x.count], true);
      return e(frag(x.span, `${b.m.rt("Vec")}.from_elem(`, v!.f, ", ", toUsize(b, n!, b.typeOf(x.count)), ")"));
    }
    case "RangeExpr":
      return emitRange(b, x);
    case "ClosureExpr":
      return emitClosure(b, x);
    case "IfExpr":
      return emitTernary(b, x);
    case "BlockExpr":
      return x.block.tail ? emitExpr(b, x.block.tail) : e("undefined");
    case "ErrorExpr":
      return e(frag(x.span, `${b.m.rt("panic")}("internal: erroneous expression")`));
    default:
      return emitValueViaStmts(b, x);
  }
}

/**
 * A long chain is emitted bottom-up with a loop: each link below `x` is emitted (its own left
 * operand found in `chainDone`), every `CHAIN_SPILL`-th into a temporary, and kept for its
 * parent. Only value links take part: their parent reads them with `emitExpr` (an operand, a
 * cast, a receiver read or borrowed as a temporary, places.ts `placeOf`'s default).
 */
function emitChainBelow(b: Body, x: A.Expr): void {
  const below = valueLinksBelow(x);
  if (below.length === 0 || b.chainDone.has(below[below.length - 1]!)) return;
  for (const link of below) {
    let v = emitExpr(b, link);
    if (valueLinkDepth(link) % CHAIN_SPILL === 0) v = b.spill(v, b.typeOf(link), "c");
    b.chainDone.set(link, v);
  }
}

/** Constructs that are statements in TypeScript (their operands alone needing statements is not enough). */
function isStatementLike(x: A.Expr): boolean {
  switch (x.kind) {
    case "TryExpr":
    case "BlockExpr":
    case "IfExpr":
    case "MatchExpr":
    case "LoopExpr":
    case "WhileExpr":
    case "ForExpr":
    case "BreakExpr":
    case "ContinueExpr":
    case "ReturnExpr":
    case "LetCondExpr":
      return true;
    case "ParenExpr":
      return isStatementLike(x.inner);
    case "BinaryExpr":
      return (x.op === "&&" || x.op === "||") && needsStmts(x.right);
    default:
      return false;
  }
}

/** A value to keep: copies a Copy value out of a shared mutable object (see the file comment). */
export function emitOwned(b: Body, x: A.Expr): E {
  const v = emitExpr(b, x);
  return copyIfShared(b, x, v);
}

export function copyIfShared(b: Body, x: A.Expr, v: E): E {
  if (!needsCopyOnRead(b.typeOf(x)) || !isSharedPlace(b, x)) return v;
  return e(frag(x.span, `${b.m.rt("clone")}(`, v.f, ")"));
}

/** A place whose object another name can still reach and change after this read. */
function isSharedPlace(b: Body, x: A.Expr): boolean {
  switch (x.kind) {
    case "ParenExpr":
      return isSharedPlace(b, x.inner);
    case "PathExpr": {
      const r = b.tables.valueRes.get(x);
      if (r?.kind === "local") return r.def.mutable;
      return r?.kind === "const";
    }
    case "FieldExpr":
    case "IndexExpr":
      return true;
    case "UnaryExpr":
      return x.op === "*";
    default:
      return false;
  }
}

/**
 * Operands evaluated left to right. When an operand needs statements, the operands before
 * it that have effects are spilled into temporaries, so they still run first.
 */
export function emitOperands(b: Body, xs: readonly A.Expr[], owned = false): E[] {
  let last = -1;
  xs.forEach((x, i) => {
    if (needsStmts(x)) last = i;
  });
  return xs.map((x, i) => {
    const v = owned ? emitOwned(b, x) : emitExpr(b, x);
    if (i < last && !isPure(x)) return b.spill(v, b.typeOf(x));
    return v;
  });
}

function floatLiteral(value: number, t: Ty, span: A.Node["span"]): E {
  const v = floatName(t) === "f32" ? Math.fround(value) : value;
  return e(frag(span, numberText(v)), v < 0 ? Prec.Unary : Prec.Primary);
}

export function numberText(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (Object.is(v, -0)) return "-0";
  return String(v);
}

function emitUnary(b: Body, x: A.UnaryExpr): E {
  switch (x.op) {
    case "!": {
      const v = emitExpr(b, x.operand);
      const t = b.typeOf(x);
      const n = intName(t);
      if (n) return e(frag(x.span, `${b.m.rt(n)}.not(`, v.f, ")"));
      return e(frag(x.span, "!", operand(v, Prec.Unary)), Prec.Unary);
    }
    case "-":
      return emitUnaryMinus(b, x);
    case "*":
      return derefRead(b, x);
  }
}

/** `&x` is the value itself; `&mut x` is the object (in-place types) or a `MutRef` to the place. */
function emitRef(b: Body, x: A.RefExpr): E {
  if (!x.isMut) return emitExpr(b, x.operand);
  const inner = b.typeOf(x.operand);
  if (reprOf(inner) === "inplace") return emitExpr(b, x.operand);
  const p = placeOf(b, x.operand);
  return p.mutRef();
}

function emitTuple(b: Body, x: A.TupleExpr): E {
  if (x.elements.length === 0) return e(frag(x.span, "undefined"));
  const items = emitOperands(b, x.elements, true);
  return e(frag(x.span, "[", joinFrags(items.map((i) => i.f), ", "), "] as const"), Prec.Assign);
}

function emitRange(b: Body, x: A.RangeExpr): E {
  const t = b.typeOf(x);
  const s = shallow(t);
  const elem = s.k === "adt" ? (s.args[0] ?? null) : null;
  const ops = emitOperands(b, [x.start, x.end].filter((y): y is A.Expr => y !== null));
  if (x.start && x.end) {
    return e(frag(x.span, `${b.m.rt("Iter")}.${x.inclusive ? "rangeInclusive" : "range"}(`, ops[0]!.f, ", ", ops[1]!.f, ")"));
  }
  if (x.start) {
    // `a..`: counts up without end, as Rust's RangeFrom does (until it overflows).
    const n = elem ? intName(elem) : null;
    const max = n ? `${b.m.rt(n)}.MAX` : "Infinity";
    return e(frag(x.span, `${b.m.rt("Iter")}.rangeInclusive(`, ops[0]!.f, `, ${max})`));
  }
  return e(frag(x.span, `${b.m.rt("panic")}("an open range can only be used to slice")`));
}

/** `if c { a } else { b }` with plain branches: a conditional expression. */
function emitTernary(b: Body, x: A.IfExpr): E {
  const c = emitExpr(b, x.condition);
  const then = x.then.tail ? emitOwned(b, x.then.tail) : e("undefined");
  let other: E;
  if (x.else === null) other = e("undefined");
  else if (x.else.kind === "Block") other = x.else.tail ? emitOwned(b, x.else.tail) : e("undefined");
  else other = emitExpr(b, x.else);
  return e(frag(x.span, operand(c, Prec.Or), " ? ", operand(then, Prec.Assign), " : ", operand(other, Prec.Assign)), Prec.Cond);
}

/** A usize (bigint) argument from an integer expression of any type. */
export function toUsize(b: Body, v: E, t: Ty): Frag {
  if (isBigInt(t)) return v.f;
  const n = intName(t);
  return n ? frag(null, `BigInt(`, v.f, ")") : v.f;
}

/** The value behind any number of references (`&&T`, `&mut T` as a MutRef): what reads need. */
export function derefValue(b: Body, v: E, t: Ty): E {
  let s = peelDomain(t);
  let cur = v;
  while (s.k === "ref") {
    if (isBoxedMutRef(s)) cur = e(frag(null, primary(cur), ".value"));
    s = peelDomain(s.inner);
  }
  return cur;
}

// ---------------------------------------------------------------------------
// Paths used as values: locals, functions, constants and statics, unit and tuple
// constructors, and associated constants of primitive types (`u64::MAX`).
function emitPathValue(b: Body, x: A.PathExpr): E {
  const r = b.tables.valueRes.get(x);
  if (!r) return e(frag(x.span, `${b.m.rt("panic")}("internal: unresolved path", ${b.m.site(x.span)})`));
  switch (r.kind) {
    case "local":
      return e(frag(x.span, b.nameOf(r.def)));
    case "fn":
      return fnValue(b, x, r.def, x.span);
    case "const": {
      const name = b.m.ref(r.def);
      return e(frag(x.span, r.def.storage === "static mut" ? `${name}.value` : name));
    }
    case "variant": {
      const v = r.def;
      if (v.shape === "unit") return variantValue(b, v.enumDef, v.name, [], x.span);
      // A tuple variant named without a call is its constructor function.
      const n = (v.fields ?? v.ast.fields).length;
      const ps = Array.from({ length: n }, (_, i) => `a${i}`);
      const body = variantValue(b, v.enumDef, v.name, ps, null);
      return e(frag(x.span, `(${ps.join(", ")}) => `, body.f));
    }
    case "struct": {
      const d = r.def;
      if (d.shape === "unit") return e(frag(x.span, "{}"));
      const n = (d.fields ?? []).length;
      const ps = Array.from({ length: n }, (_, i) => `a${i}`);
      return e(frag(x.span, `(${ps.join(", ")}) => ({ `, joinFrags(ps.map((p, i) => `${tupleField(i)}: ${p}`), ", "), " })"));
    }
    case "intrinsic":
      return intrinsicConst(b, r.name, x.span);
    case "error":
      return e(frag(x.span, `${b.m.rt("panic")}("internal: erroneous path", ${b.m.site(x.span)})`));
  }
}

// ---------------------------------------------------------------------------
// Struct literals (`Point { x: 1, y }`, `S { a: 1, ..base }`) and struct-variant values.
// Fields are evaluated in the order they are written, as DPL does, and the object is
// built in declaration order, which is the order derived formatting and comparison use.
function emitStructLit(b: Body, x: A.StructLitExpr): E {
  const def = b.tables.structLits.get(x);
  if (!def) return e(frag(x.span, `${b.m.rt("panic")}("internal: unresolved struct literal", ${b.m.site(x.span)})`));
  const model = b.m.unit.model;
  const fields: readonly FieldDef[] = def.kind === "struct" ? model.structFields(def) : model.variantFields(def);
  // Evaluate initializers in written order; spill when the declaration order differs.
  const values = new Map<string, E>();
  const inOrder = x.fields.every((f, i) => fields[i]?.name === f.name.name);
  const lastStmt = x.fields.reduce((acc, f, i) => (f.value && needsStmts(f.value) ? i : acc), -1);
  x.fields.forEach((f, i) => {
    const valueExpr: A.Expr = f.value ?? b.tables.shorthandFields.get(f) ?? ({ kind: "PathExpr", segments: [{ kind: "PathExprSegment", name: f.name, args: null, span: f.name.span }], span: f.name.span } as A.PathExpr);
    let v = f.value ? emitOwned(b, f.value) : copyIfShared(b, valueExpr, emitOwned(b, valueExpr));
    if ((!inOrder || i < lastStmt || x.base) && !(f.value ? isPure(f.value) : true)) v = b.spill(v, b.typeOf(f.value ?? valueExpr));
    values.set(f.name.name, v);
  });
  let base: E | null = null;
  if (x.base) {
    base = emitOwned(b, x.base);
    if (!isPure(x.base)) base = b.spill(base, b.typeOf(x.base));
  }
  const parts: Frag[] = fields.map((fd) => {
    const v = values.get(fd.name);
    if (v) return v.f;
    if (base) {
      const read = frag(null, primary(base), `${fieldMember(fd.name)}`);
      return needsCopyOnRead(fd.ty) ? frag(null, `${b.m.rt("clone")}(`, read, ")") : read;
    }
    return "undefined";
  });
  if (def.kind === "variant") return variantValue(b, def.enumDef, def.name, parts, x.span);
  const obj = frag(x.span, "{ ", joinFrags(fields.map((fd, i) => frag(null, `${fieldName(fd.name)}: `, parts[i]!)), ", "), " }");
  if (def.ann.domain === "Q" || def.ann.domain === "Φ") return e(frag(x.span, "(", obj, ` as unknown as ${b.ts(b.typeOf(x))})`));
  return e(obj);
}
