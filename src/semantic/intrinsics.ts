/**
 * What the compiler provides because DPL cannot say it: the methods of primitives,
 * `String`, `Vec`, arrays, slices, ranges and iterators; `.clone()`, `.to_string()`,
 * `.ptr()` and `.raw()`; associated items such as `Vec::new` and `u64::MAX`; and the ABI
 * functions `xdv_call` and `syscall`. Each has a stable name (`Vec.push`, `xdv_call`)
 * that the emitter binds to the runtime.
 */
import type { Def, EnumDef, FnDef, SelfMode, StructDef, TraitDef } from "./defs.js";
import { emptyAnnotations } from "./defs.js";
import { CORE_MODULE, CORE_SPAN, ITER_DEF, RANGE_DEF, VEC_DEF } from "./builtins.js";
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
}

/** A parameter: a type, or "anything string-like" (`String`, `&String`, `str`, `&str`, `char`). */
export type ParamSpec = Ty | "str";

export interface IntrinsicSig {
  readonly name: string;
  readonly selfMode: SelfMode | null;
  readonly params: readonly ParamSpec[];
  readonly ret: Ty;
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
function iterOf(t: Ty): Ty {
  return adt(ITER_DEF, [t]);
}
export function vecOf(t: Ty): Ty {
  return adt(VEC_DEF, [t]);
}
export function rangeOf(t: Ty): Ty {
  return adt(RANGE_DEF, [t]);
}

const sig = (name: string, selfMode: SelfMode | null, params: readonly ParamSpec[], ret: Ty): IntrinsicSig => ({ name, selfMode, params, ret });

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
      return sig(n, "refMut", [fnTy([ref(t), ref(t)], orderingTy(c))], UNIT);
    case "extend":
    case "append":
      return sig(n, "refMut", [vecOf(t)], UNIT);
    case "join":
      return sig(n, "ref", ["str"], STRING);
    default:
      return sequenceMethod(c, t, name, "Vec", vecOf(t));
  }
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
    default:
      return null;
  }
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
      return sig(n, "value", [USIZE], iterOf(t));
    case "cloned":
    case "copied": {
      const s = shallow(t);
      return sig(n, "value", [], iterOf(s.k === "ref" ? s.inner : t));
    }
    case "count":
      return sig(n, "value", [], USIZE);
    case "sum":
      return sig(n, "value", [], derefTy(t));
    case "collect":
      return sig(n, "value", [], vecOf(t));
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
      return sig(n, "ref", ["str"], iterOf(STRING));
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
    case "sqrt":
    case "floor":
    case "ceil":
    case "round":
      return int ? null : sig(n, "value", [], t);
    case "powi":
      return int ? null : sig(n, "value", [prim("i32")], t);
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
      return sequenceMethod(c, t.elem, name, "array", t);
    case "slice":
      return sequenceMethod(c, t.elem, name, "slice", t);
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
  "all",
  "any",
  "append",
  "as_str",
  "bytes",
  "ceil",
  "chars",
  "checked_add",
  "checked_div",
  "checked_mul",
  "checked_sub",
  "clear",
  "clone",
  "cloned",
  "cmp",
  "collect",
  "contains",
  "copied",
  "count",
  "ends_with",
  "enumerate",
  "eq",
  "extend",
  "filter",
  "find",
  "first",
  "floor",
  "fold",
  "get",
  "insert",
  "is_alphabetic",
  "is_alphanumeric",
  "is_ascii_digit",
  "is_empty",
  "is_lowercase",
  "is_numeric",
  "is_uppercase",
  "is_whitespace",
  "iter",
  "iter_mut",
  "join",
  "last",
  "len",
  "map",
  "max",
  "min",
  "next",
  "partial_cmp",
  "pop",
  "pop_front",
  "position",
  "pow",
  "powi",
  "ptr",
  "push",
  "push_str",
  "raw",
  "remove",
  "repeat",
  "replace",
  "rev",
  "reverse",
  "round",
  "saturating_add",
  "saturating_sub",
  "skip",
  "sort",
  "sort_by",
  "split",
  "sqrt",
  "starts_with",
  "sum",
  "take",
  "to_ascii_lowercase",
  "to_ascii_uppercase",
  "to_digit",
  "to_lowercase",
  "to_owned",
  "to_string",
  "to_uppercase",
  "to_vec",
  "trim",
  "truncate",
  "wrapping_add",
  "wrapping_mul",
  "wrapping_sub",
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
      return (t.k === "var" && t.v.kind === "general") || t.k === "ref" ? null : sig("clone", "ref", [], t);
    case "to_string":
      // An unsuffixed number (`{integer}`) formats the same whichever type it settles on.
      if (t.k === "prim" || (t.k === "var" && t.v.kind !== "general") || (t.k === "dom" && shallow(t.inner).k === "prim")) return sig("to_string", "ref", [], STRING);
      return null;
    case "ptr":
      // Descriptors (structs, enums) and strings are handed to the ABI by pointer.
      if (t.k === "adt" || t.k === "dom" || (t.k === "prim" && (t.name === "String" || t.name === "str"))) return sig("ptr", "ref", [], ptrOf(c, t));
      return null;
    case "raw":
      if (t.k === "adt" && isCapabilityDef(t.def)) return sig("raw", "ref", [], U64);
      return null;
    default:
      return null;
  }
}

/** `Capability<D, S>` (the prelude's or a module's own) and the runtime's `CapabilityHandle`. */
export function isCapabilityDef(d: { readonly name: string }): boolean {
  return d.name === "Capability" || d.name === "CapabilityHandle";
}

/** Associated items of builtin types: `Vec::new()`, `String::from(s)`, `u64::MAX`. */
export function intrinsicAssoc(t: Ty, name: string): { fn?: IntrinsicSig; const?: Ty } | null {
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
