/**
 * Compiler-provided methods and associated functions (semantic/intrinsics.ts names them:
 * `Vec.push`, `String.len`, `u64.pow`, `Iter.map`, `clone`, ...) bound to the runtime.
 *
 * Most map one to one onto a runtime function of the same name (`u64.pow(x, e, $site)`,
 * `Str.len(s)`, `v.push(x)`). Methods that change a value held in a JavaScript primitive
 * (`s.push_str(t)` on a `String`) write the receiver's place: `s = Str.push_str(s, t)`.
 */
import { cloneNeedsDescriptor, emitClone } from "./clone-impls.js";
import { jsString } from "./escape.js";
import type * as A from "../syntax/ast.js";
import type { Span } from "../syntax/source.js";
import { shallow, type Ty } from "../semantic/types.js";
import { isTrivial, type Body } from "./body.js";
import { e, frag, joinFrags, primary, Prec, type E, type Frag } from "./writer.js";
import { emitOperands, toUsize } from "./exprs.js";
import { rangeBounds, type Place } from "./places.js";
import { floatName, intName, isBigName, isCharTy, isStringTy, peelDomain, peelRefs, primName, reprOf, sequenceElem, runtimeEnumName } from "./repr.js";
import { tyDescriptor } from "./ts-types.js";
import type { FnDef } from "../semantic/defs.js";
import { VEC_DEF } from "../semantic/builtins.js";
import { sourceText } from "./module-ctx.js";

export interface Receiver {
  /** The receiver's type after automatic dereferences. */
  readonly ty: Ty;
  readonly expr: A.Expr;
  /** The receiver's value (read, not copied). */
  value(): E;
  /** The receiver as a place, for methods that write it. */
  place(): Place;
}

function call(span: Span, callee: string, args: readonly Frag[]): E {
  return e(frag(span, `${callee}(`, joinFrags(args, ", "), ")"));
}

function method(span: Span, obj: E, name: string, args: readonly Frag[]): E {
  return e(frag(span, primary(obj), `.${name}(`, joinFrags(args, ", "), ")"));
}

const VEC_SITED = new Set(["remove", "insert", "swap_remove", "swap", "split_off", "windows", "chunks"]);
const INT_SITED = new Set(["pow", "abs", "div_euclid", "rem_euclid", "clamp", "wrapping_div", "wrapping_rem", "saturating_div"]);
const STR_PLACE = new Set(["pop", "remove", "insert", "insert_str", "truncate", "clear"]);
const STR_SITED = new Set(["remove", "insert", "insert_str", "truncate", "slice"]);

export function emitIntrinsicMethod(b: Body, x: A.MethodCallExpr, name: string, recv: Receiver): E {
  const dot = name.indexOf(".");
  const kind = dot < 0 ? "" : name.slice(0, dot);
  const m = dot < 0 ? name : name.slice(dot + 1);
  const args = (): E[] => emitOperands(b, x.args, true);
  const site = (): string => b.m.site(x.span);
  switch (kind) {
    case "Vec":
    case "array":
    case "slice":
      return vecMethod(b, x, m, recv, args(), site);
    case "Iter":
    case "Range":
      return iterMethod(b, x, m, recv, args(), site);
    case "String":
    case "str":
      return stringMethod(b, x, m, recv, args(), site);
    case "char":
      if (m === "cmp") return call(x.span, b.m.rt("cmp"), [recv.value().f, ...args().map((a) => a.f)]);
      return call(x.span, `${b.m.rt("Char")}.${m}`, [recv.value().f, ...args().map((a) => a.f)]);
    case "":
      return universal(b, x, m, recv);
    default:
      return numberMethod(b, x, kind, m, recv, args(), site);
  }
}

function vecMethod(b: Body, x: A.MethodCallExpr, m: string, recv: Receiver, args: E[], site: () => string): E {
  const v = recv.value();
  const a = args.map((y) => y.f);
  const elem = sequenceElem(recv.ty);
  switch (m) {
    case "iter_mut":
      // `&mut` to an in-place element is the element itself: iterate the objects.
      return elem && reprOf(elem) === "inplace" ? method(x.span, v, "iter", []) : method(x.span, v, "iter_mut", []);
    case "sort":
    case "sort_unstable":
      return method(x.span, v, "sort", [elem ? tyDescriptor(b.m, elem, b) : "undefined"]);
    case "sort_unstable_by":
      return method(x.span, v, "sort_by", a);
    case "sort_by_key":
    case "sort_unstable_by_key":
      return method(x.span, v, "sort_by_key", [a[0]!, keyDescriptor(b, x.args[0]!)]);
    case "binary_search":
      return method(x.span, v, "binary_search", [a[0]!, elem ? tyDescriptor(b.m, elem, b) : "undefined"]);
    case "concat":
      return isStringTy(peelRefs(b.typeOf(x))) ? method(x.span, v, "concat", []) : method(x.span, v, "concat_vecs", []);
    case "contains":
      return method(x.span, v, "contains", a);
    case "get":
      return method(x.span, v, "get", [toUsize(b, args[0]!, b.typeOf(x.args[0]!))]);
    case "clone":
    case "to_vec":
      // A `Vec<Ticket>` whose `Ticket` has its own `impl Clone` clones each through it.
      if (elem && cloneNeedsDescriptor(b.m.unit.model, elem)) return emitClone(b, v, { k: "adt", def: VEC_DEF, args: [elem] }, x.span);
      return method(x.span, v, m, a);
    default:
      if (VEC_SITED.has(m)) return method(x.span, v, m, [...a, site()]);
      return method(x.span, v, m, a);
  }
}

function iterMethod(b: Body, x: A.MethodCallExpr, m: string, recv: Receiver, args: E[], site: () => string): E {
  const v = recv.value();
  const a = args.map((y) => y.f);
  const elemTy = iterElem(recv.ty);
  switch (m) {
    case "sum":
    case "product": {
      const t = elemTy ? peelRefs(elemTy) : null;
      const n = t ? (intName(t) ?? floatName(t)) : null;
      return method(x.span, v, m, [n ? b.m.rt(n) : b.m.rt("i32"), site()]);
    }
    case "min":
    case "max":
      return method(x.span, v, m, [elemTy ? tyDescriptor(b.m, peelRefs(elemTy), b) : "undefined"]);
    case "min_by_key":
    case "max_by_key":
      return method(x.span, v, m, [a[0]!, keyDescriptor(b, x.args[0]!)]);
    case "step_by":
      return method(x.span, v, m, [...a, site()]);
    case "cloned": {
      // Each element is cloned as `.clone()` would (the runtime's `cloned()` hands them on).
      const t = elemTy ? peelRefs(elemTy) : null;
      if (!t || primName(t) !== null) return method(x.span, v, m, a);
      const n = b.names.fresh("$c");
      return method(x.span, v, "map", [frag(null, `(${n}) => `, emitClone(b, e(n), t, null).f)]);
    }
    case "collect":
      if (primName(b.typeOf(x)) === "String") return method(x.span, v, "collect_string", []);
      return method(x.span, v, "collect", []);
    case "contains":
      return method(x.span, v, "any", [frag(null, "($x) => ", b.m.rt("eq"), "($x, ", a[0]!, ")")]);
    default:
      return method(x.span, v, m, a);
  }
}

/** The descriptor of what a key closure (`sort_by_key(|p| p.age)`) returns, which orders user enums and tuples. */
function keyDescriptor(b: Body, f: A.Expr): Frag {
  const t = shallow(b.typeOf(f));
  return t.k === "fn" ? tyDescriptor(b.m, peelRefs(t.ret), b) : "undefined";
}

function iterElem(t: Ty): Ty | null {
  const s = peelDomain(t);
  return s.k === "adt" ? (s.args[0] ?? null) : null;
}

function stringMethod(b: Body, x: A.MethodCallExpr, m: string, recv: Receiver, args: E[], site: () => string): E {
  const Str = (): string => b.m.rt("Str");
  const a = args.map((y, i) => (isCharTy(peelRefs(b.typeOf(x.args[i]!))) && m !== "push" && m !== "insert" ? frag(null, "String.fromCodePoint(", y.f, ")") : y.f));
  switch (m) {
    case "push_str":
    case "push": {
      const p = recv.place();
      return p.write(call(x.span, `${Str()}.${m}`, [p.read().f, ...a]), x.span);
    }
    case "to_string":
    case "to_owned":
    case "clone":
    case "as_str":
    case "into":
      return recv.value();
    case "eq":
      return e(frag(x.span, primary(recv.value()), " === ", a[0]!), Prec.Eq);
    case "cmp":
      return call(x.span, b.m.rt("cmp"), [recv.value().f, a[0]!]);
    case "get": {
      const r = x.args[0]!;
      if (r.kind !== "RangeExpr") return call(x.span, `${Str()}.get`, [recv.value().f, a[0]!, "undefined"]);
      const [start, end] = rangeBounds(b, r);
      return call(x.span, `${Str()}.get`, [recv.value().f, start, end]);
    }
    case "parse": {
      const res = shallow(b.typeOf(x));
      const target = res.k === "adt" ? peelDomain(res.args[0] ?? { k: "any" }) : null;
      const f = target ? floatName(target) : null;
      if (f) return call(x.span, b.m.rt(f === "f32" ? "parseF32" : "parseF64"), [recv.value().f]);
      const n = target ? intName(target) : null;
      if (n) return call(x.span, `${b.m.rt(n)}.parse`, [recv.value().f]);
      return e(frag(x.span, `${b.m.rt("panic")}(${jsString("internal: no lowering for `parse` to this type")}, ${site()})`));
    }
    case "ptr":
      return recv.value();
    default:
      if (STR_PLACE.has(m)) return call(x.span, `${Str()}.${m}`, [recv.place().mutRef().f, ...a, ...(STR_SITED.has(m) ? [site()] : [])]);
      return call(x.span, `${Str()}.${m}`, [recv.value().f, ...a, ...(STR_SITED.has(m) ? [site()] : [])]);
  }
}

function numberMethod(b: Body, x: A.MethodCallExpr, kind: string, m: string, recv: Receiver, args: E[], site: () => string): E {
  const v = recv.value();
  const t = peelRefs(recv.ty);
  const a = args.map((y) => y.f);
  const ops = b.m.rt(kind);
  switch (m) {
    case "to_string":
      return displayText(b, v, t, x.span);
    case "clone":
      return v;
    case "cmp":
      return call(x.span, b.m.rt("cmp"), [v.f, a[0]!]);
    case "partial_cmp":
      return call(x.span, b.m.rt("partial_cmp"), [intName(t) && isBigName(intName(t)!) ? frag(null, "Number(", v.f, ")") : v.f, a[0]!]);
    default:
      if (INT_SITED.has(m) && intName(t)) return call(x.span, `${ops}.${m}`, [v.f, ...a, site()]);
      return call(x.span, `${ops}.${m}`, [v.f, ...a]);
  }
}

/** `x.to_string()` for a number, bool or char. */
export function displayText(b: Body, v: E, t: Ty, span: Span): E {
  const n = intName(t);
  if (n) return call(span, `${b.m.rt(n)}.display`, [v.f]);
  const f = floatName(t);
  if (f) return call(span, b.m.rt(f === "f32" ? "displayF32" : "displayF64"), [v.f]);
  if (isCharTy(t)) return call(span, "String.fromCodePoint", [v.f]);
  if (isStringTy(t)) return v;
  return call(span, b.m.rt("displayOf"), [v.f, tyDescriptor(b.m, t, b)]);
}

function universal(b: Body, x: A.MethodCallExpr, m: string, recv: Receiver): E {
  const v = recv.value();
  const t = peelRefs(recv.ty);
  switch (m) {
    case "clone":
      if (reprOf(t) === "inplace" || shallow(t).k === "adt" || cloneNeedsDescriptor(b.m.unit.model, t)) return emitClone(b, v, t, x.span);
      return v;
    case "to_string":
      return displayText(b, v, t, x.span);
    case "ptr":
      return v;
    case "raw":
      return rawId(b, v, t, x.span);
    case "cmp":
      return call(x.span, b.m.rt("cmp"), [v.f, emitOperands(b, x.args, true)[0]!.f, tyDescriptor(b.m, t, b)]);
    default:
      return e(frag(x.span, `${b.m.rt("panic")}(${jsString(`internal: no lowering for \`.${m}()\``)}, ${b.m.site(x.span)})`));
  }
}

/** `cap.raw()`: a capability's 64-bit id (`raw_id` of a `CapabilityHandle`, the value of an opaque `Capability`). */
function rawId(b: Body, v: E, t: Ty, span: Span): E {
  const s = shallow(t);
  if (s.k === "adt" && s.def.kind === "struct" && s.def.shape !== "opaque") return e(frag(span, primary(v), ".raw_id"));
  // An opaque capability is made by the host, which gives it a `raw_id` like a handle's.
  return e(frag(span, "(", v.f, " as unknown as { readonly raw_id: bigint }).raw_id"));
}

// ---------------------------------------------------------------------------
// Associated functions and constants (`Vec::new()`, `String::from(s)`, `u64::MAX`)

export function emitIntrinsicCall(b: Body, x: A.CallExpr, name: string): E {
  const args = emitOperands(b, x.args, true);
  const a = args.map((y) => y.f);
  switch (name) {
    case "Vec::new":
      return newVec(b, x) ?? call(x.span, `${b.m.rt("Vec")}.new`, []);
    case "Vec::with_capacity":
      // The capacity is only a hint (JS arrays grow by themselves); a plain name has no effect to keep.
      return (isTrivial(a[0]!) ? newVec(b, x) : null) ?? call(x.span, `${b.m.rt("Vec")}.with_capacity`, [toUsize(b, args[0]!, b.typeOf(x.args[0]!))]);
    case "String::new":
      return e(frag(x.span, '""'));
    case "Box::new":
      return args[0]!;
    case "String::from":
      return isCharTy(peelRefs(b.typeOf(x.args[0]!))) ? call(x.span, "String.fromCodePoint", a) : args[0]!;
    default:
      if (name.endsWith("::from_str_radix")) {
        const ty = name.slice(0, name.indexOf("::"));
        return call(x.span, `${b.m.rt(ty)}.from_str_radix`, [a[0]!, frag(null, "Number(", a[1]!, ")")]);
      }
      return e(frag(x.span, `${b.m.rt("panic")}(${jsString(`internal: no lowering for \`${name}\``)}, ${b.m.site(x.span)})`));
  }
}

/**
 * An empty Vec whose array literal is written where the Vec is made. V8 learns an array's
 * element kind (small integers, doubles, anything) per allocation site: with one `[]` inside
 * the runtime shared by every `Vec::new()`, a program that also fills a `Vec<bool>` made its
 * `Vec<f64>`s arrays of boxed numbers (the matrix product of the compute bench ran 2x slower
 * after the sieve had run).
 */
function newVec(b: Body, x: A.CallExpr): E | null {
  const elem = sequenceElem(b.typeOf(x));
  if (elem === null) return null;
  return e(frag(x.span, `${b.m.rt("Vec")}.from<${b.ts(elem)}>([])`));
}

/** `u64::MAX`, `f64::MIN` as values. */
export function intrinsicConst(b: Body, name: string, span: Span): E {
  const [ty, item] = name.split("::");
  if (ty && item) return e(frag(span, `${b.m.rt(ty)}.${item}`));
  return e(frag(span, `${b.m.rt("panic")}(${jsString(`internal: no lowering for \`${name}\``)})`));
}

// ---------------------------------------------------------------------------
// Methods of the prelude's `Option`, `Result` and `Ordering` that the runtime implements
// itself. Calling the runtime's version rather than the one compiled from
// `stdlib/prelude/core.ds` keeps a fault at the caller's line: `x.unwrap()` on `None`
// reports the user's `.ds` position, as Rust's `#[track_caller]` does, instead of the
// `panic!` inside the prelude.
function sourceOf(span: Span): string | undefined {
  return sourceText(span);
}

/** `siteSpan` is where a fault is reported: the method name, as Rust's `#[track_caller]` does. */
type Emit = (args: readonly E[], span: Span, typeArgs: readonly Ty[], siteSpan?: Span) => E;

const OPTION = new Set(["is_some", "is_none", "unwrap", "expect", "unwrap_or", "unwrap_or_else", "map", "and_then", "filter", "or", "ok_or", "as_ref"]);
const RESULT = new Set(["is_ok", "is_err", "unwrap", "expect", "unwrap_err", "unwrap_or", "unwrap_or_else", "map", "map_err", "and_then", "ok", "err"]);
const ORDERING = new Set(["reverse", "then", "is_eq", "is_lt", "is_gt"]);

export function runtimeMethod(b: Body, f: FnDef): Emit | null {
  const owner = f.owner;
  if (!owner || owner.kind !== "impl" || !f.module.isPrelude || owner.trait) return null;
  const self = owner.selfTy ? shallow(owner.selfTy) : null;
  if (!self || self.k !== "adt") return null;
  const which = runtimeEnumName(self.def);
  if (!which) return null;
  const table = which === "Option" ? OPTION : which === "Result" ? RESULT : ORDERING;
  if (!table.has(f.name)) return null;
  const obj = b.m.rt(which);
  return (args, span, typeArgs, siteSpan) => {
    const parts: Frag[] = args.map((a) => a.f);
    if (f.name === "as_ref") return args[0]!;
    const site = b.m.site(siteSpan ?? span, sourceOf(span));
    if (which === "Option" && (f.name === "unwrap" || f.name === "expect")) parts.push(site);
    if (which === "Result") {
      // Result<T, E>'s type arguments are [T, E] (the impl's generics come first).
      const okTy = typeArgs[0];
      const errTy = typeArgs[1];
      if (f.name === "unwrap" || f.name === "expect") parts.push(site, errTy ? tyDescriptor(b.m, errTy, b) : "undefined");
      if (f.name === "unwrap_err") parts.push(site, okTy ? tyDescriptor(b.m, okTy, b) : "undefined");
    }
    return e(frag(span, `${obj}.${f.name}(`, joinFrags(parts, ", "), ")"));
  };
}
