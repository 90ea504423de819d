/**
 * Derived `PartialEq`, `Ord`/`PartialOrd` and `Clone` for emitted values, and `Ordering`.
 *
 * Primitives compare with `===`/`<` in emitted code directly; these helpers are for
 * compound values (`v1 == v2` on Vecs, structs, enums, tuples, Options) and for the std
 * methods that compare elements (`contains`, `sort`, `max`, …).
 *
 * Structural rules, matching `#[derive(...)]`:
 *  - struct fields and enum payloads compare in declaration order (the emitter builds
 *    objects in that order; with a descriptor the order comes from the descriptor);
 *  - enum variants order by declaration (needs the descriptor, except for Option
 *    `None < Some`, Result `Ok < Err` and Ordering `Less < Equal < Greater`);
 *  - strings order by code point (UTF-8 byte order), not by UTF-16 unit as JS `<` does;
 *  - a user impl wins: an object with a `[DPL_EQ]`, `[DPL_CMP]` or `[DPL_CLONE]` method is
 *    compared or cloned through it. A hand-written `impl Clone` reaches `clone` through
 *    the type's descriptor instead (clone-as.ts `cloneAs`).
 * Q and Φ values are never compared or cloned (DPL3003, DPL4001): that is a domain fault.
 */
import { raiseDomainPanic } from "./fault.js";
import { type Option, None, Some } from "./option-result.js";
import { isSealed, sealedDomain } from "./domains.js";
import type { Ty, Shape } from "./ty.js";
import { Vec } from "./vec.js";

export interface Less {
  readonly $tag: "Less";
}
export interface Equal {
  readonly $tag: "Equal";
}
export interface Greater {
  readonly $tag: "Greater";
}
export type Ordering = Less | Equal | Greater;

const LESS: Less = Object.freeze({ $tag: "Less" });
const EQUAL: Equal = Object.freeze({ $tag: "Equal" });
const GREATER: Greater = Object.freeze({ $tag: "Greater" });

function rank(o: Ordering): -1 | 0 | 1 {
  return o.$tag === "Less" ? -1 : o.$tag === "Equal" ? 0 : 1;
}

/** `Ordering::Less` etc. and the methods of `Ordering`. */
export const Ordering = {
  Less: LESS as Ordering,
  Equal: EQUAL as Ordering,
  Greater: GREATER as Ordering,
  fromSign(n: number): Ordering {
    return n < 0 ? LESS : n > 0 ? GREATER : EQUAL;
  },
  /** -1/0/1, the comparator convention of `Array.prototype.sort`. */
  toSign: rank,
  reverse: (o: Ordering): Ordering => (o.$tag === "Less" ? GREATER : o.$tag === "Greater" ? LESS : EQUAL),
  then: (o: Ordering, other: Ordering): Ordering => (o.$tag === "Equal" ? other : o),
  then_with: (o: Ordering, f: () => Ordering): Ordering => (o.$tag === "Equal" ? f() : o),
  is_eq: (o: Ordering) => o.$tag === "Equal",
  is_ne: (o: Ordering) => o.$tag !== "Equal",
  is_lt: (o: Ordering) => o.$tag === "Less",
  is_gt: (o: Ordering) => o.$tag === "Greater",
  is_le: (o: Ordering) => o.$tag !== "Greater",
  is_ge: (o: Ordering) => o.$tag !== "Less",
};

export const DPL_EQ: unique symbol = Symbol.for("dpl.eq");
export const DPL_CMP: unique symbol = Symbol.for("dpl.cmp");
export const DPL_CLONE: unique symbol = Symbol.for("dpl.clone");

interface UserImpls {
  [DPL_EQ]?: (other: unknown) => boolean;
  [DPL_CMP]?: (other: unknown) => Ordering;
  [DPL_CLONE]?: () => unknown;
}

function domainGuard(value: object, what: string): void {
  if (isSealed(value)) raiseDomainPanic(`${sealedDomain(value)} state cannot be ${what}`);
}

/** Code-point order of two strings (what Rust's byte-wise `str` comparison gives). */
export function strCmp(a: string, b: string): -1 | 0 | 1 {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800–DFFF) encode code points above FFFF, so they sort after E000–FFFF.
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** `a == b` for any two values of the same DPL type. */
export function eq(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  domainGuard(a, "compared");
  const user = (a as UserImpls)[DPL_EQ];
  if (user !== undefined) return user.call(a, b);
  if (a instanceof Vec) return b instanceof Vec && arrayEq(a.data, b.data);
  if (Array.isArray(a)) return Array.isArray(b) && arrayEq(a, b);
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let count = 0;
  for (const key in ra) {
    if (!eq(ra[key], rb[key])) return false;
    count++;
  }
  for (const _ in rb) count--;
  return count === 0;
}

function arrayEq(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!eq(a[i], b[i])) return false;
  return true;
}

const BUILTIN_VARIANTS: Readonly<Record<string, number>> = { None: 0, Some: 1, Ok: 0, Err: 1, Less: 0, Equal: 1, Greater: 2 };

function variantIndex(tag: string, ty: Ty | undefined): number | undefined {
  if (ty !== undefined && ty.kind === "enum") {
    const index = Object.keys(ty.variants()).indexOf(tag);
    if (index >= 0) return index;
  }
  return BUILTIN_VARIANTS[tag];
}

function fieldTys(shape: Shape): Record<string, Ty> {
  if (shape === null) return {};
  if (Array.isArray(shape)) return Object.fromEntries((shape as readonly Ty[]).map((t, i) => [`_${i}`, t]));
  return shape as Record<string, Ty>;
}

/**
 * `a.cmp(&b)` as -1/0/1 (what `sort` wants; `cmp` wraps it in an Ordering). The descriptor
 * is needed for user enums (variant order); elsewhere it only refines field order.
 */
export function compare(a: unknown, b: unknown, ty?: Ty): -1 | 0 | 1 {
  if (a === b) return 0;
  switch (typeof a) {
    case "number":
    case "bigint":
      return a < (b as number) ? -1 : a > (b as number) ? 1 : 0;
    case "string":
      return strCmp(a, b as string);
    case "boolean":
      return a ? 1 : -1;
    default:
      break;
  }
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) return 0;
  domainGuard(a, "compared");
  const user = (a as UserImpls)[DPL_CMP];
  if (user !== undefined) return rank(user.call(a, b));
  const elem = ty?.kind === "vec" || ty?.kind === "option" ? ty.elem : undefined;
  if (a instanceof Vec) return arrayCompare(a.data, (b as Vec<unknown>).data, () => elem);
  if (Array.isArray(a)) return arrayCompare(a, b as unknown[], (i) => (ty?.kind === "tuple" ? ty.elems[i] : undefined));
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let fields: Record<string, Ty | undefined> | undefined;
  if (typeof ra.$tag === "string") {
    if (ra.$tag !== rb.$tag) {
      const ia = variantIndex(ra.$tag, ty);
      const ib = variantIndex(rb.$tag as string, ty);
      if (ia === undefined || ib === undefined) throw new TypeError(`cannot order variants of an enum without its descriptor (${ra.$tag}, ${String(rb.$tag)})`);
      return ia < ib ? -1 : 1;
    }
    if (ty?.kind === "enum") fields = fieldTys(ty.variants()[ra.$tag] ?? null);
    else if (ty?.kind === "option") fields = { _0: ty.elem };
    else if (ty?.kind === "result") fields = { _0: ra.$tag === "Ok" ? ty.ok : ty.err };
  } else if (ty?.kind === "struct") {
    fields = fieldTys(ty.shape());
  }
  for (const key of fields === undefined ? Object.keys(ra) : Object.keys(fields)) {
    if (key === "$tag") continue;
    const c = compare(ra[key], rb[key], fields?.[key]);
    if (c !== 0) return c;
  }
  return 0;
}

function arrayCompare(a: readonly unknown[], b: readonly unknown[], elemTy: (i: number) => Ty | undefined): -1 | 0 | 1 {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compare(a[i], b[i], elemTy(i));
    if (c !== 0) return c;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** `a.cmp(&b)`. */
export function cmp(a: unknown, b: unknown, ty?: Ty): Ordering {
  return Ordering.fromSign(compare(a, b, ty));
}

/** `a.partial_cmp(&b)` for floats: None when either side is NaN. */
export function partial_cmp(a: number, b: number): Option<Ordering> {
  if (Number.isNaN(a) || Number.isNaN(b)) return None;
  return Some(Ordering.fromSign(a < b ? -1 : a > b ? 1 : 0));
}

/** `x.clone()`: a deep copy of everything mutable; immutable parts are shared. */
export function clone<T>(x: T): T {
  if (typeof x !== "object" || x === null) return x;
  domainGuard(x, "cloned");
  const user = (x as UserImpls)[DPL_CLONE];
  if (user !== undefined) return user.call(x) as T;
  if (x instanceof Vec) return new Vec(x.data.map(clone)) as T;
  if (Array.isArray(x)) return x.map(clone) as T;
  if (Object.isFrozen(x)) return x;
  const copy = Object.create(Object.getPrototypeOf(x) as object) as Record<string, unknown>;
  // defineProperty, not `copy[key] =`: a field named `__proto__` is an own property, and an
  // assignment would set the copy's prototype instead.
  for (const key of Object.keys(x)) Object.defineProperty(copy, key, { value: clone((x as Record<string, unknown>)[key]), writable: true, enumerable: true, configurable: true });
  return copy as T;
}
