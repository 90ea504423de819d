/**
 * What the compiler provides because DPL cannot say it: the methods of primitives,
 * `String`, `Vec`, arrays, slices, ranges and iterators; `.clone()`, `.to_string()`,
 * `.ptr()` and `.raw()`; associated items such as `Vec::new` and `u64::MAX`; and the ABI
 * functions `xdv_call` and `syscall`. Each has a stable name (`Vec.push`, `xdv_call`)
 * that the emitter binds to the runtime.
 */
import type { AdtDef, Def, EnumDef, FnDef, SelfMode, StructDef, TraitDef } from "./defs.js";
import { emptyAnnotations } from "./defs.js";
import { CORE_MODULE, CORE_SPAN, ITER_DEF, PARSE_INT_ERROR_DEF, RANGE_DEF, VEC_DEF } from "./builtins.js";
import {
  BOOL,
  ERROR,
  STRING,
  U64,
  UNIT,
  USIZE,
  adt,
  fnTy,
  isFloat,
  isInt,
  prim,
  ref,
  shallow,
  tuple,
  type Ty,
} from "./types.js";

/** The prelude's own types, which intrinsic signatures mention. */
export interface PreludeDefs {
  readonly option: EnumDef | null;
  readonly result: EnumDef | null;
  readonly ordering: EnumDef | null;
  readonly errorCode: EnumDef | null;
  readonly domainTag: EnumDef | null;
  readonly ptr: StructDef | null;
  readonly capability: StructDef | null;
  readonly clone: TraitDef | null;
}

export function preludeDefs(types: ReadonlyMap<string, Def>): PreludeDefs {
  const e = (n: string): EnumDef | null => {
    const d = types.get(n);
    return d && d.kind === "enum" ? d : null;
  };
  const st = (n: string): StructDef | null => {
    const d = types.get(n);
    return d && d.kind === "struct" ? d : null;
  };
  const tr = types.get("Clone");
  return {
    option: e("Option"),
    result: e("Result"),
    ordering: e("Ordering"),
    errorCode: e("ErrorCode"),
    domainTag: e("DomainTag"),
    ptr: st("Ptr"),
    capability: st("Capability"),
    clone: tr && tr.kind === "trait" ? tr : null,
  };
}

export interface IntrinsicCtx {
  readonly prelude: PreludeDefs;
  fresh(): Ty;
  /** Does this struct or enum implement `Display` (so `.to_string()` exists)? */
  hasDisplay?(def: AdtDef): boolean;
}

/**
 * A parameter: a type; "anything string-like" (`String`, `&String`, `str`, `&str`, `char`);
 * or `{ iterable }`: anything a `for` loop can walk (`Vec`, `&Vec`, a range, an iterator)
 * whose element is that type (`a.iter().zip(&b)`, `.chain(v)`).
 */
export type ParamSpec = Ty | "str" | { readonly iterable: Ty };

export interface IntrinsicSig {
  readonly name: string;
  readonly selfMode: SelfMode | null;
  readonly params: readonly ParamSpec[];
  readonly ret: Ty;
  /** The type a turbofish names (`parse::<i32>()`, `collect::<String>()`, `sum::<u64>()`). */
  readonly typeParam?: Ty;
}

export function optionOf(c: IntrinsicCtx, t: Ty): Ty {
  return c.prelude.option ? adt(c.prelude.option, [t]) : ERROR;
}
export function resultOf(c: IntrinsicCtx, t: Ty, e: Ty): Ty {
  return c.prelude.result ? adt(c.prelude.result, [t, e]) : ERROR;
}
function orderingTy(c: IntrinsicCtx): Ty {
  return c.prelude.ordering ? adt(c.prelude.ordering, []) : ERROR;
}
export function errorCodeTy(c: IntrinsicCtx): Ty {
  return c.prelude.errorCode ? adt(c.prelude.errorCode, []) : ERROR;
}
function ptrOf(c: IntrinsicCtx, t: Ty): Ty {
  return c.prelude.ptr ? adt(c.prelude.ptr, [t]) : U64;
}
export function iterOf(t: Ty): Ty {
  return adt(ITER_DEF, [t]);
}
export function vecOf(t: Ty): Ty {
  return adt(VEC_DEF, [t]);
}
export function rangeOf(t: Ty): Ty {
  return adt(RANGE_DEF, [t]);
}

const sig = (name: string, selfMode: SelfMode | null, params: readonly ParamSpec[], ret: Ty, typeParam?: Ty): IntrinsicSig =>
  typeParam ? { name, selfMode, params, ret, typeParam } : { name, selfMode, params, ret };

function vecMethod(c: IntrinsicCtx, t: Ty, name: string): IntrinsicSig | null {
  const n = `Vec.${name}`;
  switch (name) {
    case "push":
      return sig(n, "refMut", [t], UNIT);
    case "pop":
    case "pop_front":
      return sig(n, "refMut", [], optionOf(c, t));
    case "remove":
      return sig(n, "refMut", [USIZE], t);
    case "insert":
      return sig(n, "refMut", [USIZE, t], UNIT);
    case "clear":
    case "reverse":
    case "sort":
      return sig(n, "refMut", [], UNIT);
    case "truncate":
      return sig(n, "refMut", [USIZE], UNIT);
    case "sort_by":
    case "sort_unstable_by":
      return sig(n, "refMut", [fnTy([ref(t), ref(t)], orderingTy(c))], UNIT);
    case "sort_by_key":
    case "sort_unstable_by_key":
      return sig(n, "refMut", [fnTy([ref(t)], c.fresh())], UNIT);
    case "sort_unstable":
    case "dedup":
      return sig(n, "refMut", [], UNIT);
    case "retain":
      return sig(n, "refMut", [fnTy([ref(t)], BOOL)], UNIT);
    case "swap_remove":
      return sig(n, "refMut", [USIZE], t);
    case "split_off":
      return sig(n, "refMut", [USIZE], vecOf(t));
    case "extend_from_slice":
      return sig(n, "refMut", [ref(slice(t))], UNIT);
    case "into_iter":
      return sig(n, "value", [], iterOf(t));
    case "concat": {
      // `[[T]]::concat` flattens; `[String]::concat` / `[&str]::concat` joins.
      const e = derefTy(t);
      const inner = seqElem(e);
      if (inner) return sig(n, "ref", [], vecOf(inner));
      return isStringLike(e) ? sig(n, "ref", [], STRING) : null;
    }
    case "extend":
    case "append":
      return sig(n, "refMut", [vecOf(t)], UNIT);
    case "join":
      return isStringLike(derefTy(t)) ? sig(n, "ref", ["str"], STRING) : null;
    default:
      return sequenceMethod(c, t, name, "Vec", vecOf(t));
  }
}

/**
 * `Vec` methods that arrays and slices have too: the in-place ones that keep the length (an
 * array is a `Vec` object at run time, and a sub-slice `&mut v[1..3]` is a view over the
 * Vec's storage, so they change the elements in place) and the joins.
 */
const ARRAY_FROM_VEC = new Set(["sort", "sort_unstable", "sort_by", "sort_unstable_by", "sort_by_key", "sort_unstable_by_key", "reverse", "join", "concat"]);

function borrowedVecMethod(c: IntrinsicCtx, t: Ty, name: string, kind: string, allowed: ReadonlySet<string>): IntrinsicSig | null {
  if (!allowed.has(name)) return null;
  const m = vecMethod(c, t, name);
  return m ? { ...m, name: `${kind}.${name}` } : null;
}

/** Methods shared by `Vec`, arrays and slices. */
function sequenceMethod(c: IntrinsicCtx, t: Ty, name: string, kind: string, self: Ty): IntrinsicSig | null {
  const n = `${kind}.${name}`;
  switch (name) {
    case "len":
      return sig(n, "ref", [], USIZE);
    case "is_empty":
      return sig(n, "ref", [], BOOL);
    case "iter":
      return sig(n, "ref", [], iterOf(ref(t)));
    case "iter_mut":
      return sig(n, "refMut", [], iterOf(ref(t, true)));
    case "contains":
      return sig(n, "ref", [ref(t)], BOOL);
    case "get":
      return sig(n, "ref", [USIZE], optionOf(c, ref(t)));
    case "first":
    case "last":
      return sig(n, "ref", [], optionOf(c, ref(t)));
    case "to_vec":
      return sig(n, "ref", [], vecOf(t));
    case "clone":
      return sig(n, "ref", [], self);
    case "swap":
      return sig(n, "refMut", [USIZE, USIZE], UNIT);
    case "fill":
      return sig(n, "refMut", [t], UNIT);
    case "binary_search":
      return sig(n, "ref", [ref(t)], resultOf(c, USIZE, USIZE));
    case "chunks":
    case "windows":
      return sig(n, "ref", [USIZE], iterOf(ref(slice(t))));
    default:
      return null;
  }
}

function slice(t: Ty): Ty {
  return { k: "slice", elem: t };
}

/** The element type of a `Vec`, array or slice (through references), or null. */
function seqElem(t: Ty): Ty | null {
  const s = shallow(derefTy(t));
  if (s.k === "adt" && s.def === VEC_DEF) return s.args[0]!;
  if (s.k === "array" || s.k === "slice") return s.elem;
  return null;
}

function isStringLike(t: Ty): boolean {
  const s = shallow(derefTy(t));
  return s.k === "prim" && (s.name === "String" || s.name === "str");
}

function iterMethod(c: IntrinsicCtx, t: Ty, name: string, kind: string): IntrinsicSig | null {
  const n = `${kind}.${name}`;
  const u = (): Ty => c.fresh();
  switch (name) {
    case "map": {
      const r = u();
      return sig(n, "value", [fnTy([t], r)], iterOf(r));
    }
    case "filter":
      return sig(n, "value", [fnTy([ref(t)], BOOL)], iterOf(t));
    case "enumerate":
      return sig(n, "value", [], iterOf(tuple([USIZE, t])));
    case "rev":
      return sig(n, "value", [], iterOf(t));
    case "take":
    case "skip":
    case "step_by":
      return sig(n, "value", [USIZE], iterOf(t));
    case "peekable":
      return sig(n, "value", [], iterOf(t));
    case "peek":
      return sig(n, "refMut", [], optionOf(c, ref(t)));
    case "nth":
      return sig(n, "refMut", [USIZE], optionOf(c, t));
    case "last":
      return sig(n, "value", [], optionOf(c, t));
    case "zip": {
      const o = u();
      return sig(n, "value", [{ iterable: o }], iterOf(tuple([t, o])));
    }
    case "chain":
      return sig(n, "value", [{ iterable: t }], iterOf(t));
    // The element of the inner iterables is tied to the result in check-call (`flatMapElement`).
    case "flatten":
      return sig(n, "value", [], iterOf(u()));
    case "flat_map":
      return sig(n, "value", [fnTy([t], u())], iterOf(u()));
    case "filter_map": {
      const r = u();
      return sig(n, "value", [fnTy([t], optionOf(c, r))], iterOf(r));
    }
    case "find_map": {
      const r = u();
      return sig(n, "value", [fnTy([t], optionOf(c, r))], optionOf(c, r));
    }
    case "take_while":
    case "skip_while":
      return sig(n, "value", [fnTy([ref(t)], BOOL)], iterOf(t));
    case "inspect":
      return sig(n, "value", [fnTy([ref(t)], UNIT)], iterOf(t));
    case "for_each":
      return sig(n, "value", [fnTy([t], UNIT)], UNIT);
    case "min_by_key":
    case "max_by_key":
      return sig(n, "value", [fnTy([ref(t)], u())], optionOf(c, t));
    case "min_by":
    case "max_by":
      return sig(n, "value", [fnTy([ref(t), ref(t)], orderingTy(c))], optionOf(c, t));
    case "reduce":
      return sig(n, "value", [fnTy([t, t], t)], optionOf(c, t));
    case "product":
      return sig(n, "value", [], derefTy(t), derefTy(t));
    case "partition":
      return sig(n, "value", [fnTy([ref(t)], BOOL)], tuple([vecOf(t), vecOf(t)]));
    case "unzip": {
      const s = shallow(t);
      if (s.k !== "tuple" || s.elems.length !== 2) return null;
      return sig(n, "value", [], tuple([vecOf(s.elems[0]!), vecOf(s.elems[1]!)]));
    }
    case "cloned":
    case "copied": {
      const s = shallow(t);
      return sig(n, "value", [], iterOf(s.k === "ref" ? s.inner : t));
    }
    case "count":
      return sig(n, "value", [], USIZE);
    case "sum":
      return sig(n, "value", [], derefTy(t), derefTy(t));
    case "collect": {
      // `Vec<T>` unless a turbofish or the expected type asks for a `String` (check-call.ts).
      const target = u();
      return sig(n, "value", [], target, target);
    }
    case "any":
    case "all":
      return sig(n, "value", [fnTy([t], BOOL)], BOOL);
    case "find":
      return sig(n, "value", [fnTy([ref(t)], BOOL)], optionOf(c, t));
    case "position":
      return sig(n, "value", [fnTy([t], BOOL)], optionOf(c, USIZE));
    case "min":
    case "max":
      return sig(n, "value", [], optionOf(c, t));
    case "next":
      return sig(n, "refMut", [], optionOf(c, t));
    case "fold": {
      const a = u();
      return sig(n, "value", [a, fnTy([a, t], a)], a);
    }
    case "contains":
      return kind === "Range" ? sig(n, "ref", [ref(t)], BOOL) : null;
    default:
      return null;
  }
}

function derefTy(t: Ty): Ty {
  const s = shallow(t);
  return s.k === "ref" ? s.inner : t;
}

function stringMethod(c: IntrinsicCtx, name: string): IntrinsicSig | null {
  const n = `String.${name}`;
  switch (name) {
    case "len":
      return sig(n, "ref", [], USIZE);
    case "is_empty":
      return sig(n, "ref", [], BOOL);
    case "push_str":
      return sig(n, "refMut", ["str"], UNIT);
    case "push":
      return sig(n, "refMut", [prim("char")], UNIT);
    case "contains":
    case "starts_with":
    case "ends_with":
      return sig(n, "ref", ["str"], BOOL);
    case "find":
      return sig(n, "ref", ["str"], optionOf(c, USIZE));
    case "to_string":
    case "to_owned":
    case "clone":
    case "to_uppercase":
    case "to_lowercase":
    case "trim":
      return sig(n, "ref", [], STRING);
    case "cmp":
      return sig(n, "ref", ["str"], orderingTy(c));
    case "as_str":
      return sig(n, "ref", [], ref(prim("str")));
    case "replace":
      return sig(n, "ref", ["str", "str"], STRING);
    case "repeat":
      return sig(n, "ref", [USIZE], STRING);
    case "chars":
      return sig(n, "ref", [], iterOf(prim("char")));
    case "bytes":
      return sig(n, "ref", [], iterOf(prim("u8")));
    case "split":
    case "rsplit":
    case "split_terminator":
      return sig(n, "ref", ["str"], iterOf(ref(prim("str"))));
    case "splitn":
      return sig(n, "ref", [USIZE, "str"], iterOf(ref(prim("str"))));
    case "split_once":
      return sig(n, "ref", ["str"], optionOf(c, tuple([ref(prim("str")), ref(prim("str"))])));
    case "lines":
    case "split_whitespace":
      return sig(n, "ref", [], iterOf(ref(prim("str"))));
    case "char_indices":
      return sig(n, "ref", [], iterOf(tuple([USIZE, prim("char")])));
    case "strip_prefix":
    case "strip_suffix":
      return sig(n, "ref", ["str"], optionOf(c, ref(prim("str"))));
    case "trim_start":
    case "trim_end":
      return sig(n, "ref", [], ref(prim("str")));
    case "trim_start_matches":
    case "trim_end_matches":
    case "trim_matches":
      return sig(n, "ref", ["str"], ref(prim("str")));
    case "rfind":
      return sig(n, "ref", ["str"], optionOf(c, USIZE));
    case "get":
      return sig(n, "ref", [rangeOf(USIZE)], optionOf(c, ref(prim("str"))));
    case "is_char_boundary":
      return sig(n, "ref", [USIZE], BOOL);
    case "eq_ignore_ascii_case":
      return sig(n, "ref", ["str"], BOOL);
    case "to_ascii_uppercase":
    case "to_ascii_lowercase":
      return sig(n, "ref", [], STRING);
    case "insert":
      return sig(n, "refMut", [USIZE, prim("char")], UNIT);
    case "insert_str":
      return sig(n, "refMut", [USIZE, "str"], UNIT);
    case "pop":
      return sig(n, "refMut", [], optionOf(c, prim("char")));
    case "remove":
      return sig(n, "refMut", [USIZE], prim("char"));
    case "truncate":
      return sig(n, "refMut", [USIZE], UNIT);
    case "clear":
      return sig(n, "refMut", [], UNIT);
    case "as_bytes":
      return sig(n, "ref", [], ref(slice(prim("u8"))));
    case "parse": {
      // The error type follows the target (ParseIntError or ParseFloatError): check-call.ts.
      const target = c.fresh();
      return sig(n, "ref", [], resultOf(c, target, c.fresh()), target);
    }
    case "ptr":
      return sig(n, "ref", [], ptrOf(c, STRING));
    case "eq":
      return sig(n, "ref", ["str"], BOOL);
    default:
      return null;
  }
}

function numberMethod(c: IntrinsicCtx, t: Ty, name: string): IntrinsicSig | null {
  const tn = (shallow(t) as { name: string }).name;
  const n = `${tn}.${name}`;
  const int = isInt(t);
  switch (name) {
    case "to_string":
      return sig(n, "ref", [], STRING);
    case "clone":
      return sig(n, "ref", [], t);
    case "cmp":
      return sig(n, "ref", [ref(t)], orderingTy(c));
    case "partial_cmp":
      return sig(n, "ref", [ref(t)], optionOf(c, orderingTy(c)));
    case "min":
    case "max":
      return sig(n, "value", [t], t);
    case "abs":
      return sig(n, "value", [], t);
    case "pow":
      return int ? sig(n, "value", [prim("u32")], t) : null;
    case "checked_add":
    case "checked_sub":
    case "checked_mul":
    case "checked_div":
      return int ? sig(n, "value", [t], optionOf(c, t)) : null;
    case "saturating_add":
    case "saturating_sub":
    case "wrapping_add":
    case "wrapping_sub":
    case "wrapping_mul":
      return int ? sig(n, "value", [t], t) : null;
    case "checked_rem":
      return int ? sig(n, "value", [t], optionOf(c, t)) : null;
    case "saturating_mul":
    case "wrapping_div":
    case "wrapping_rem":
      return int ? sig(n, "value", [t], t) : null;
    case "div_euclid":
    case "rem_euclid":
      return sig(n, "value", [t], t);
    case "checked_pow":
      return int ? sig(n, "value", [prim("u32")], optionOf(c, t)) : null;
    case "saturating_pow":
    case "wrapping_pow":
      return int ? sig(n, "value", [prim("u32")], t) : null;
    case "checked_neg":
      return int ? sig(n, "value", [], optionOf(c, t)) : null;
    case "wrapping_neg":
      return int ? sig(n, "value", [], t) : null;
    case "count_ones":
    case "count_zeros":
    case "leading_zeros":
    case "trailing_zeros":
      return int ? sig(n, "value", [], prim("u32")) : null;
    case "is_power_of_two":
      return int ? sig(n, "value", [], BOOL) : null;
    case "rotate_left":
    case "rotate_right":
      return int ? sig(n, "value", [prim("u32")], t) : null;
    case "signum":
      return sig(n, "value", [], t);
    case "clamp":
      return sig(n, "value", [t, t], t);
    case "is_positive":
    case "is_negative":
      return int ? sig(n, "value", [], BOOL) : null;
    case "sqrt":
    case "cbrt":
    case "floor":
    case "ceil":
    case "round":
    case "trunc":
    case "fract":
    case "sin":
    case "cos":
    case "tan":
    case "asin":
    case "acos":
    case "atan":
    case "sinh":
    case "cosh":
    case "tanh":
    case "exp":
    case "exp2":
    case "ln":
    case "log2":
    case "log10":
    case "to_degrees":
    case "to_radians":
      return int ? null : sig(n, "value", [], t);
    case "powf":
    case "atan2":
    case "hypot":
    case "log":
    case "copysign":
      return int ? null : sig(n, "value", [t], t);
    case "is_nan":
    case "is_finite":
    case "is_infinite":
    case "is_sign_negative":
    case "is_sign_positive":
      return int ? null : sig(n, "value", [], BOOL);
    case "powi":
      return int ? null : sig(n, "value", [prim("i32")], t);
    case "to_bits":
      return int ? null : sig(n, "value", [], prim((shallow(t) as { name: string }).name === "f32" ? "u32" : "u64"));
    default:
      return null;
  }
}

function charMethod(c: IntrinsicCtx, name: string): IntrinsicSig | null {
  const n = `char.${name}`;
  switch (name) {
    case "is_alphabetic":
    case "is_numeric":
    case "is_alphanumeric":
    case "is_whitespace":
    case "is_uppercase":
    case "is_lowercase":
    case "is_ascii_digit":
      return sig(n, "value", [], BOOL);
    case "to_digit":
      return sig(n, "value", [prim("u32")], optionOf(c, prim("u32")));
    case "to_ascii_uppercase":
    case "to_ascii_lowercase":
      return sig(n, "value", [], prim("char"));
    case "is_ascii":
    case "is_control":
    case "is_ascii_alphabetic":
    case "is_ascii_alphanumeric":
    case "is_ascii_uppercase":
    case "is_ascii_lowercase":
    case "is_ascii_punctuation":
    case "is_ascii_whitespace":
    case "is_ascii_hexdigit":
      return sig(n, "value", [], BOOL);
    case "is_digit":
      return sig(n, "value", [prim("u32")], BOOL);
    case "len_utf8":
      return sig(n, "value", [], USIZE);
    case "to_string":
      return sig(n, "value", [], STRING);
    case "cmp":
      return sig(n, "ref", [ref(prim("char"))], orderingTy(c));
    default:
      return null;
  }
}

/**
 * An intrinsic method of a receiver type (already auto-dereferenced), or null. User
 * methods are looked up first, so a module may define its own `raw()` or `ptr()`.
 */
export function intrinsicMethod(c: IntrinsicCtx, recv: Ty, name: string): IntrinsicSig | null {
  const t = shallow(recv);
  switch (t.k) {
    case "adt": {
      if (t.def === VEC_DEF) return vecMethod(c, t.args[0]!, name);
      if (t.def === ITER_DEF) return iterMethod(c, t.args[0]!, name, "Iter");
      if (t.def === RANGE_DEF) return iterMethod(c, t.args[0]!, name, "Range");
      break;
    }
    case "array":
      return sequenceMethod(c, t.elem, name, "array", t) ?? borrowedVecMethod(c, t.elem, name, "array", ARRAY_FROM_VEC);
    case "slice":
      return sequenceMethod(c, t.elem, name, "slice", t) ?? borrowedVecMethod(c, t.elem, name, "slice", ARRAY_FROM_VEC);
    case "prim":
      if (t.name === "String" || t.name === "str") {
        const m = stringMethod(c, name);
        if (m) return m;
      } else if (t.name === "char") {
        const m = charMethod(c, name);
        if (m) return m;
      } else if (isInt(t) || isFloat(t)) {
        const m = numberMethod(c, t, name);
        if (m) return m;
      }
      break;
    default:
      break;
  }
  return universalMethod(c, t, name);
}

/**
 * Every name `intrinsicMethod` knows, whatever the receiver (a test keeps this list and
 * the switches above in step): what the editor offers after `.` on `String`, `Vec`, ints.
 */
export const INTRINSIC_METHOD_NAMES: readonly string[] = [
  "abs",
  "acos",
  "all",
  "any",
  "append",
  "as_bytes",
  "as_str",
  "asin",
  "atan",
  "atan2",
  "binary_search",
  "bytes",
  "cbrt",
  "ceil",
  "chain",
  "char_indices",
  "chars",
  "checked_add",
  "checked_div",
  "checked_mul",
  "checked_neg",
  "checked_pow",
  "checked_rem",
  "checked_sub",
  "chunks",
  "clamp",
  "clear",
  "clone",
  "cloned",
  "cmp",
  "collect",
  "concat",
  "contains",
  "copied",
  "copysign",
  "cos",
  "cosh",
  "count",
  "count_ones",
  "count_zeros",
  "dedup",
  "div_euclid",
  "ends_with",
  "enumerate",
  "eq",
  "eq_ignore_ascii_case",
  "exp",
  "exp2",
  "extend",
  "extend_from_slice",
  "fill",
  "filter",
  "filter_map",
  "find",
  "find_map",
  "first",
  "flat_map",
  "flatten",
  "floor",
  "fold",
  "for_each",
  "fract",
  "get",
  "hypot",
  "insert",
  "insert_str",
  "inspect",
  "into_iter",
  "is_alphabetic",
  "is_alphanumeric",
  "is_ascii",
  "is_ascii_alphabetic",
  "is_ascii_alphanumeric",
  "is_ascii_digit",
  "is_ascii_hexdigit",
  "is_ascii_lowercase",
  "is_ascii_punctuation",
  "is_ascii_uppercase",
  "is_ascii_whitespace",
  "is_char_boundary",
  "is_control",
  "is_digit",
  "is_empty",
  "is_finite",
  "is_infinite",
  "is_lowercase",
  "is_nan",
  "is_negative",
  "is_numeric",
  "is_positive",
  "is_power_of_two",
  "is_sign_negative",
  "is_sign_positive",
  "is_uppercase",
  "is_whitespace",
  "iter",
  "iter_mut",
  "join",
  "last",
  "leading_zeros",
  "len",
  "len_utf8",
  "lines",
  "ln",
  "log",
  "log10",
  "log2",
  "map",
  "max",
  "max_by",
  "max_by_key",
  "min",
  "min_by",
  "min_by_key",
  "next",
  "nth",
  "parse",
  "partial_cmp",
  "partition",
  "peek",
  "peekable",
  "pop",
  "pop_front",
  "position",
  "pow",
  "powf",
  "powi",
  "product",
  "ptr",
  "push",
  "push_str",
  "raw",
  "reduce",
  "rem_euclid",
  "remove",
  "repeat",
  "replace",
  "retain",
  "rev",
  "reverse",
  "rfind",
  "rotate_left",
  "rotate_right",
  "round",
  "rsplit",
  "saturating_add",
  "saturating_mul",
  "saturating_pow",
  "saturating_sub",
  "signum",
  "sin",
  "sinh",
  "skip",
  "skip_while",
  "sort",
  "sort_by",
  "sort_by_key",
  "sort_unstable",
  "sort_unstable_by",
  "sort_unstable_by_key",
  "split",
  "split_off",
  "split_once",
  "split_terminator",
  "split_whitespace",
  "splitn",
  "sqrt",
  "starts_with",
  "step_by",
  "strip_prefix",
  "strip_suffix",
  "sum",
  "swap",
  "swap_remove",
  "take",
  "take_while",
  "tan",
  "tanh",
  "to_ascii_lowercase",
  "to_ascii_uppercase",
  "to_bits",
  "to_degrees",
  "to_digit",
  "to_lowercase",
  "to_owned",
  "to_radians",
  "to_string",
  "to_uppercase",
  "to_vec",
  "trailing_zeros",
  "trim",
  "trim_end",
  "trim_end_matches",
  "trim_matches",
  "trim_start",
  "trim_start_matches",
  "trunc",
  "truncate",
  "unzip",
  "windows",
  "wrapping_add",
  "wrapping_div",
  "wrapping_mul",
  "wrapping_neg",
  "wrapping_pow",
  "wrapping_rem",
  "wrapping_sub",
  "zip",
];

/** The compiler-provided methods of a receiver type, by name. */
export function intrinsicMethodsOf(c: IntrinsicCtx, recv: Ty): IntrinsicSig[] {
  const out: IntrinsicSig[] = [];
  for (const n of INTRINSIC_METHOD_NAMES) {
    const m = intrinsicMethod(c, recv, n);
    if (m) out.push(m);
  }
  return out;
}

/** `.clone()`, `.to_string()`, `.ptr()`, `.raw()`: available on many types. */
function universalMethod(c: IntrinsicCtx, t: Ty, name: string): IntrinsicSig | null {
  switch (name) {
    case "clone":
      // `(&x).clone()` clones `x` (Rust finds `T::clone(&self)` first); Q and @noncopy
      // types get DPL4001 from the caller, the signature keeps types flowing.
      // A K trait object is not `Clone` (as in Rust); a `Q<dyn T>` keeps the signature for DPL4001.
      if (t.k === "param" && t.def.dyn) return null;
      return (t.k === "var" && t.v.kind === "general") || t.k === "ref" ? null : sig("clone", "ref", [], t);
    case "to_string":
      // An unsuffixed number (`{integer}`) formats the same whichever type it settles on.
      if (t.k === "prim" || (t.k === "var" && t.v.kind !== "general") || (t.k === "dom" && shallow(t.inner).k === "prim")) return sig("to_string", "ref", [], STRING);
      if (t.k === "adt" && c.hasDisplay?.(t.def)) return sig("to_string", "ref", [], STRING);
      return null;
    case "ptr":
      // Descriptors (structs, enums) and strings are handed to the ABI by pointer.
      if (t.k === "adt" || t.k === "dom" || (t.k === "prim" && (t.name === "String" || t.name === "str"))) return sig("ptr", "ref", [], ptrOf(c, t));
      return null;
    case "raw":
      if (t.k === "adt" && isCapabilityDef(t.def)) return sig("raw", "ref", [], U64);
      return null;
    case "cmp":
      // Total order of tuples, bools, user types (by declaration, as `#[derive(Ord)]`) and
      // generic `T: Ord`: the runtime's structural comparison.
      if (t.k === "tuple" || t.k === "param" || t.k === "adt" || (t.k === "prim" && t.name === "bool")) return sig("cmp", "ref", [ref(t)], orderingTy(c));
      return null;
    default:
      return null;
  }
}

/** `Capability<D, S>` (the prelude's or a module's own) and the runtime's `CapabilityHandle`. */
export function isCapabilityDef(d: { readonly name: string }): boolean {
  return d.name === "Capability" || d.name === "CapabilityHandle";
}

const FLOAT_CONSTS = new Set(["INFINITY", "NEG_INFINITY", "NAN", "EPSILON", "MIN_POSITIVE"]);

/** Associated items of builtin types: `Vec::new()`, `String::from(s)`, `u64::MAX`, `f64::INFINITY`. */
export function intrinsicAssoc(c: IntrinsicCtx, t: Ty, name: string): { fn?: IntrinsicSig; const?: Ty } | null {
  const s = shallow(t);
  if (s.k === "adt" && s.def === VEC_DEF) {
    if (name === "new") return { fn: sig("Vec::new", null, [], s) };
    if (name === "with_capacity") return { fn: sig("Vec::with_capacity", null, [USIZE], s) };
  }
  if (s.k === "prim") {
    if (s.name === "String") {
      if (name === "new") return { fn: sig("String::new", null, [], STRING) };
      if (name === "from") return { fn: sig("String::from", null, ["str"], STRING) };
    }
    if ((isInt(s) || isFloat(s)) && (name === "MAX" || name === "MIN")) return { const: s };
    if (isInt(s) && name === "from_str_radix") {
      return { fn: sig(`${s.name}::from_str_radix`, null, ["str", prim("u32")], resultOf(c, s, adt(PARSE_INT_ERROR_DEF, []))) };
    }
    // The runtime's f32/f64 tables hold these too (packages/runtime/src/floats.ts).
    if (isFloat(s) && FLOAT_CONSTS.has(name)) return { const: s };
  }
  return null;
}

// ---------------------------------------------------------------------------
// The ABI functions

function intrinsicFn(name: string, docs: string): FnDef {
  return {
    kind: "fn",
    name,
    module: CORE_MODULE,
    nameSpan: CORE_SPAN,
    isPub: true,
    docs: [docs],
    ast: null,
    generics: [],
    selfMode: null,
    owner: null,
    ann: emptyAnnotations(),
    hasBody: false,
    sig: { params: [], ret: UNIT, selfTy: null },
    domain: "K",
    intrinsic: name,
  };
}

export const XDV_CALL = intrinsicFn(
  "xdv_call",
  "xdv_call(source_domain, target_domain, descriptor.ptr(), cap.raw()) -> Result<_, ErrorCode>: an explicit cross-domain call (XDV-052 §5.1); it returns a K-domain structured result (§5.3).",
);
export const SYSCALL = intrinsicFn("syscall", "syscall(SYS_X, args.ptr()) -> Result<u64, ErrorCode>: a kernel system call (XDV-052 §3.2).");

export function addIntrinsicsToPrelude(scope: { values: Map<string, Def> }): void {
  scope.values.set("xdv_call", XDV_CALL);
  scope.values.set("syscall", SYSCALL);
}
