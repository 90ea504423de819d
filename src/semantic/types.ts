/**
 * Semantic types. Plain immutable objects: the only mutable part is an inference
 * variable's binding, which belongs to the function being checked (see infer.ts).
 *
 * Domains (language.md §3) are part of a type's identity. A struct or enum carries the
 * domain of its `@domain` annotation; any other type `T` placed in domain D is written
 * `dom(D, T)` (DPL's `D<T>` / `DomainType<D, T>`), normalized so that `K<u64>` is `u64`
 * and `Q<QState>` is `QState` when `QState` is already a Q type.
 */
import type { AdtDef, Domain, GenericParamDef, StructDef } from "./defs.js";

export type IntName = "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128" | "isize";
export type FloatName = "f32" | "f64";
export type PrimName = IntName | FloatName | "bool" | "char" | "String" | "str";

export interface TyVar {
  readonly id: number;
  /** Unsuffixed literals make `int`/`float` variables that only accept those types. */
  readonly kind: "general" | "int" | "float";
  binding: Ty | null;
}

export type Ty =
  | { readonly k: "prim"; readonly name: PrimName }
  | { readonly k: "tuple"; readonly elems: readonly Ty[] }
  | { readonly k: "array"; readonly elem: Ty; readonly len: number | null }
  | { readonly k: "slice"; readonly elem: Ty }
  | { readonly k: "ref"; readonly mut: boolean; readonly inner: Ty }
  | { readonly k: "adt"; readonly def: AdtDef; readonly args: readonly Ty[] }
  | { readonly k: "fn"; readonly params: readonly Ty[]; readonly ret: Ty }
  | { readonly k: "param"; readonly def: GenericParamDef }
  | { readonly k: "var"; readonly v: TyVar }
  | { readonly k: "dom"; readonly domain: Domain; readonly inner: Ty }
  /** `K`, `Q`, `Φ` written as type arguments (`Capability<Q, Scope>`). */
  | { readonly k: "marker"; readonly domain: Domain }
  | { readonly k: "never" }
  /** Already reported: unifies with everything and suppresses follow-on diagnostics. */
  | { readonly k: "error" }
  /** `_` in a signature or an omitted generic argument: "any, checked where known". */
  | { readonly k: "any" };

export type AdtTy = Extract<Ty, { k: "adt" }>;
export type RefTy = Extract<Ty, { k: "ref" }>;

const prims = new Map<PrimName, Ty>();
export function prim(name: PrimName): Ty {
  let t = prims.get(name);
  if (!t) prims.set(name, (t = { k: "prim", name }));
  return t;
}

export const INT_NAMES: readonly IntName[] = ["u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize"];
export const PRIM_NAMES: ReadonlySet<string> = new Set<string>([...INT_NAMES, "f32", "f64", "bool", "char", "String", "str"]);

export const UNIT: Ty = { k: "tuple", elems: [] };
export const NEVER: Ty = { k: "never" };
export const ERROR: Ty = { k: "error" };
export const ANY: Ty = { k: "any" };
export const BOOL = prim("bool");
export const STRING = prim("String");
export const U64 = prim("u64");
export const USIZE = prim("usize");

export function tuple(elems: readonly Ty[]): Ty {
  return elems.length === 0 ? UNIT : { k: "tuple", elems };
}
export function ref(inner: Ty, mut = false): Ty {
  return { k: "ref", mut, inner };
}
export function adt(def: AdtDef, args: readonly Ty[]): Ty {
  return { k: "adt", def, args };
}
export function fnTy(params: readonly Ty[], ret: Ty): Ty {
  return { k: "fn", params, ret };
}

export function isInt(t: Ty): boolean {
  return t.k === "prim" && (INT_NAMES as readonly string[]).includes(t.name);
}
export function isFloat(t: Ty): boolean {
  return t.k === "prim" && (t.name === "f32" || t.name === "f64");
}
export function isUnit(t: Ty): boolean {
  return t.k === "tuple" && t.elems.length === 0;
}
/** Types that already failed or that say nothing: never worth a diagnostic. */
export function isQuiet(t: Ty): boolean {
  return t.k === "error" || t.k === "any";
}

/** Follow bound inference variables (shallow). */
export function shallow(t: Ty): Ty {
  while (t.k === "var" && t.v.binding) t = t.v.binding;
  return t;
}

/** Map a list, returning the same array when no element changed (types are shared, not copied). */
function mapSame(xs: readonly Ty[], f: (t: Ty) => Ty): readonly Ty[] {
  let out: Ty[] | null = null;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = f(x);
    if (y !== x && !out) out = xs.slice(0, i);
    if (out) out.push(y);
  }
  return out ?? xs;
}

/** `mapSame` of `zonkIn`, without a closure per node. */
function mapSameIn(xs: readonly Ty[], memo: TyMemo): readonly Ty[] {
  let out: Ty[] | null = null;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = zonkIn(x, memo);
    if (y !== x && !out) out = xs.slice(0, i);
    if (out) out.push(y);
  }
  return out ?? xs;
}

/**
 * Types are shared, not copied: `(x, x)` holds `x`'s type twice, so a type built by
 * nesting can have exponentially many paths through a linear number of nodes. Every walk
 * over a type therefore visits each node once per call (a memo keyed by node identity),
 * which keeps checking polynomial (test/semantic/type-sharing.test.ts).
 */
function isLeaf(t: Ty): boolean {
  return t.k === "prim" || t.k === "param" || t.k === "marker" || t.k === "never" || t.k === "error" || t.k === "any" || (t.k === "tuple" && t.elems.length === 0);
}

/**
 * A memo of one walk over a type: a short list while the walk has seen few nodes (most
 * types are), a Map past that. Zonking runs for every expression of every body, and a Map
 * (with its table) per call was the checker's largest source of garbage.
 */
class TyMemo {
  private n = 0;
  private readonly keys: Ty[] = [];
  private readonly vals: Ty[] = [];
  private map: Map<Ty, Ty> | null = null;

  get(t: Ty): Ty | undefined {
    if (this.map !== null) return this.map.get(t);
    for (let i = 0; i < this.n; i++) if (this.keys[i] === t) return this.vals[i];
    return undefined;
  }

  set(t: Ty, r: Ty): void {
    if (this.map !== null) {
      this.map.set(t, r);
      return;
    }
    if (this.n === MEMO_LIST) {
      this.map = new Map();
      for (let i = 0; i < this.n; i++) this.map.set(this.keys[i]!, this.vals[i]!);
      this.map.set(t, r);
      return;
    }
    this.keys[this.n] = t;
    this.vals[this.n] = r;
    this.n++;
  }

  /** Forget the walk (and the types it held) before the memo is reused. */
  reset(): void {
    for (let i = 0; i < this.n; i++) {
      this.keys[i] = UNIT;
      this.vals[i] = UNIT;
    }
    this.n = 0;
    this.map = null;
  }
}

const MEMO_LIST = 16;
/** Memos not in use: a walk takes one and gives it back (walks can nest: `zonk` inside a substitution). */
const freeMemos: TyMemo[] = [];

function takeMemo(): TyMemo {
  return freeMemos.pop() ?? new TyMemo();
}

function giveMemo(m: TyMemo): void {
  m.reset();
  if (freeMemos.length < 8) freeMemos.push(m);
}

/** Resolve every bound variable inside `t`, renormalizing domain wrappers. */
export function zonk(t: Ty): Ty {
  t = shallow(t);
  if (isLeaf(t) || t.k === "var") return t;
  const memo = takeMemo();
  try {
    return zonkIn(t, memo);
  } finally {
    giveMemo(memo);
  }
}

function zonkIn(t: Ty, memo: TyMemo): Ty {
  t = shallow(t);
  if (isLeaf(t) || t.k === "var") return t;
  const hit = memo.get(t);
  if (hit) return hit;
  const r = zonkNode(t, memo);
  memo.set(t, r);
  return r;
}

function zonkNode(t: Ty, memo: TyMemo): Ty {
  switch (t.k) {
    case "tuple": {
      const e = mapSameIn(t.elems, memo);
      return e === t.elems ? t : tuple(e);
    }
    case "array": {
      const e = zonkIn(t.elem, memo);
      return e === t.elem ? t : { k: "array", elem: e, len: t.len };
    }
    case "slice": {
      const e = zonkIn(t.elem, memo);
      return e === t.elem ? t : { k: "slice", elem: e };
    }
    case "ref": {
      const i = zonkIn(t.inner, memo);
      return i === t.inner ? t : ref(i, t.mut);
    }
    case "adt": {
      const a = mapSameIn(t.args, memo);
      return a === t.args ? t : adt(t.def, a);
    }
    case "fn": {
      const p = mapSameIn(t.params, memo);
      const r = zonkIn(t.ret, memo);
      return p === t.params && r === t.ret ? t : fnTy(p, r);
    }
    case "dom": {
      const i = zonkIn(t.inner, memo);
      return i === t.inner && shallow(t.inner).k !== "var" ? t : inDomain(t.domain, i);
    }
    default:
      return t;
  }
}

/** Does the type mention an unresolved variable? */
export function hasVars(t: Ty): boolean {
  return someNode(t, (x) => x.k === "var");
}

/**
 * Do all the non-tuple parts of a tuple type (through nested tuples) satisfy `test`? Each
 * shared part is tested once.
 */
export function everyTuplePart(t: Ty, test: (part: Ty) => boolean): boolean {
  const s = shallow(t);
  if (s.k !== "tuple") return test(s);
  const seen = new Set<Ty>();
  const stack: Ty[] = [t];
  while (stack.length > 0) {
    const x = shallow(stack.pop()!);
    if (seen.has(x)) continue;
    seen.add(x);
    if (x.k === "tuple") stack.push(...x.elems);
    else if (!test(x)) return false;
  }
  return true;
}

/** Does any node of `t` (variables followed) satisfy `test`? Each shared node is visited once. */
export function someNode(t: Ty, test: (t: Ty) => boolean): boolean {
  const s = shallow(t);
  // Most types tested are leaves: no set, no stack.
  if (isLeaf(s) || s.k === "var") return test(s);
  const seen = new Set<Ty>();
  const stack: Ty[] = [t];
  while (stack.length > 0) {
    const x = shallow(stack.pop()!);
    if (seen.has(x)) continue;
    seen.add(x);
    if (test(x)) return true;
    switch (x.k) {
      case "tuple":
        stack.push(...x.elems);
        break;
      case "array":
      case "slice":
        stack.push(x.elem);
        break;
      case "ref":
      case "dom":
        stack.push(x.inner);
        break;
      case "adt":
        stack.push(...x.args);
        break;
      case "fn":
        stack.push(...x.params, x.ret);
        break;
      default:
        break;
    }
  }
  return false;
}

/** The generic-argument "domain carriers": containers that take their element's domain. */
const CARRIERS = new Set(["Vec", "Option", "Result", "Range", "Iter"]);

export function isCarrier(def: AdtDef): boolean {
  return CARRIERS.has(def.name) && (def.kind === "enum" || def.builtin !== null || def.module.isPrelude);
}

/** The domain of a type (language.md §3). Unknown parts count as K. */
export function domainOf(t: Ty): Domain {
  return domainIn(t, null);
}

/** `memo` is made at the first tuple: only tuples branch, and shared elements are common. */
function domainIn(t: Ty, memo: Map<Ty, Domain> | null): Domain {
  const domainOf = (x: Ty): Domain => domainIn(x, memo);
  t = shallow(t);
  switch (t.k) {
    case "dom":
      return t.domain;
    case "adt":
      if (t.def.ann.domain) return t.def.ann.domain;
      if (isCarrier(t.def) && t.args.length > 0) return domainOf(t.args[0]!);
      return "K";
    case "ref":
      return domainOf(t.inner);
    case "array":
    case "slice":
      return domainOf(t.elem);
    case "tuple": {
      memo ??= new Map();
      const hit = memo.get(t);
      if (hit) return hit;
      // A tuple is in a domain when all its non-K parts agree on it.
      let d: Domain = "K";
      for (const e of t.elems) {
        const ed = domainIn(e, memo);
        if (ed === "K") continue;
        if (d !== "K" && d !== ed) {
          d = "K";
          break;
        }
        d = ed;
      }
      memo.set(t, d);
      return d;
    }
    default:
      return "K";
  }
}

/**
 * The Q or Φ domain of `t` or of any part of it (type arguments, tuple elements, what a
 * reference points to), or K: what formatting or comparing a value of `t` could reveal.
 * `domainOf(Wrapper<Q<u64>>)` is K (a wrapper is a K struct), yet `{:?}` prints the Q field.
 */
export function exposedDomain(t: Ty): Domain {
  let found: Domain = "K";
  someNode(t, (x) => {
    const d = x.k === "dom" ? x.domain : x.k === "adt" ? (x.def.ann.domain ?? "K") : "K";
    if (d !== "K") found = d;
    return d !== "K";
  });
  return found;
}

/**
 * `D<T>`: place a type in a domain. `K<T>` is `T` when `T` is K, and wrapping a type in
 * its own domain changes nothing.
 */
export function inDomain(d: Domain, t: Ty): Ty {
  const s = shallow(t);
  if (s.k === "error" || s.k === "any" || s.k === "never") return s;
  if (s.k === "var") return d === "K" ? s : { k: "dom", domain: d, inner: s };
  if (s.k === "dom") return s.domain === d ? s : inDomain(d, s.inner);
  return domainOf(s) === d ? s : { k: "dom", domain: d, inner: s };
}

/** Remove a domain wrapper, if any. */
export function stripDomain(t: Ty): Ty {
  const s = shallow(t);
  return s.k === "dom" ? shallow(s.inner) : s;
}

// ---------------------------------------------------------------------------
// Substitution of generic parameters

export type Subst = ReadonlyMap<GenericParamDef, Ty>;

/** The substitution of a call of a function that is generic over nothing (most calls): one, shared. */
export const NO_SUBST: Subst = new Map();

export function substitute(t: Ty, s: Subst): Ty {
  if (s.size === 0) return t;
  const memo = takeMemo();
  try {
    return substituteIn(t, s, memo);
  } finally {
    giveMemo(memo);
  }
}

function substituteIn(t: Ty, s: Subst, memo: TyMemo): Ty {
  t = shallow(t);
  if (t.k === "param") return s.get(t.def) ?? t;
  if (isLeaf(t) || t.k === "var") return t;
  const hit = memo.get(t);
  if (hit) return hit;
  const r = substituteNode(t, s, (x) => substituteIn(x, s, memo));
  memo.set(t, r);
  return r;
}

function substituteNode(t: Ty, s: Subst, sub: (t: Ty) => Ty): Ty {
  switch (t.k) {
    case "param":
      return s.get(t.def) ?? t;
    case "tuple": {
      const e = mapSame(t.elems, sub);
      return e === t.elems ? t : tuple(e);
    }
    case "array": {
      const e = sub(t.elem);
      return e === t.elem ? t : { k: "array", elem: e, len: t.len };
    }
    case "slice": {
      const e = sub(t.elem);
      return e === t.elem ? t : { k: "slice", elem: e };
    }
    case "ref": {
      const i = sub(t.inner);
      return i === t.inner ? t : ref(i, t.mut);
    }
    case "adt": {
      const a = mapSame(t.args, sub);
      return a === t.args ? t : adt(t.def, a);
    }
    case "fn": {
      const p = mapSame(t.params, sub);
      const r = sub(t.ret);
      return p === t.params && r === t.ret ? t : fnTy(p, r);
    }
    case "dom": {
      const i = sub(t.inner);
      return i === t.inner ? t : inDomain(t.domain, i);
    }
    default:
      return t;
  }
}

export function substFor(params: readonly GenericParamDef[], args: readonly Ty[]): Map<GenericParamDef, Ty> {
  const m = new Map<GenericParamDef, Ty>();
  params.forEach((p, i) => m.set(p, args[i] ?? ANY));
  return m;
}

// ---------------------------------------------------------------------------
// Printing (as the user writes types)

/** Types printed longer than this are abbreviated with `…` (a diagnostic stays readable). */
export const MAX_PRINTED_TYPE = 400;

export function printTy(t: Ty): string {
  return printIn(t, new Map());
}

function printIn(t: Ty, memo: Map<Ty, string>): string {
  t = shallow(t);
  const hit = memo.get(t);
  if (hit !== undefined) return hit;
  let r = printNode(t, (x) => printIn(x, memo));
  // Cut at a character boundary, so that a cut never splits a surrogate pair.
  if (r.length > MAX_PRINTED_TYPE) r = `${Array.from(r.slice(0, MAX_PRINTED_TYPE - 1)).join("").replace(/[\ud800-\udbff]$/, "")}…`;
  memo.set(t, r);
  return r;
}

function printNode(t: Ty, printTy: (t: Ty) => string): string {
  switch (t.k) {
    case "prim":
      return t.name;
    case "tuple":
      return t.elems.length === 1 ? `(${printTy(t.elems[0]!)},)` : `(${t.elems.map(printTy).join(", ")})`;
    case "array":
      return `[${printTy(t.elem)}; ${t.len ?? "_"}]`;
    case "slice":
      return `[${printTy(t.elem)}]`;
    case "ref":
      return `&${t.mut ? "mut " : ""}${printTy(t.inner)}`;
    case "adt":
      return t.args.length === 0 ? t.def.name : `${t.def.name}<${t.args.map(printTy).join(", ")}>`;
    case "fn":
      return `fn(${t.params.map(printTy).join(", ")})${isUnit(t.ret) ? "" : ` -> ${printTy(t.ret)}`}`;
    case "param":
      return t.def.name;
    case "var":
      return t.v.kind === "int" ? "{integer}" : t.v.kind === "float" ? "{float}" : "_";
    case "dom":
      return `${t.domain}<${printTy(t.inner)}>`;
    case "marker":
      return t.domain;
    case "never":
      return "!";
    case "error":
    case "any":
      return "_";
  }
}

// ---------------------------------------------------------------------------
// Structural queries

export function isBuiltin(t: Ty, name: string): boolean {
  const s = shallow(t);
  return s.k === "adt" && s.def.kind === "struct" && s.def.builtin === name;
}

/** Option and Result are prelude enums; recognize them by definition module and name. */
export function isPreludeEnum(t: Ty, name: "Option" | "Result" | "Ordering" | "DomainTag" | "ErrorCode"): boolean {
  const s = shallow(t);
  return s.k === "adt" && s.def.kind === "enum" && s.def.name === name && s.def.module.isPrelude;
}

export function builtinStruct(t: Ty): StructDef | null {
  const s = shallow(t);
  return s.k === "adt" && s.def.kind === "struct" && s.def.builtin ? s.def : null;
}

/** Peel references (for auto-deref on field access and method calls). */
export function derefAll(t: Ty): Ty {
  let s = shallow(t);
  while (s.k === "ref") s = shallow(s.inner);
  return s;
}
