/**
 * How DPL values are represented in emitted TypeScript, decided from their static type.
 *
 *   u8 u16 u32 i8 i16 i32 char f32 f64   number
 *   usize isize                          number, or bigint beyond 2^53 - 1 (the runtime's
 *                                        int-hybrid.ts: one canonical form per value)
 *   u64 u128 i64 i128                    bigint (exact at 2^63, 2^64, 2^127)
 *   bool / String, str / ()              boolean / string / undefined
 *   tuples                               readonly arrays `[A, B]`, immutable
 *   enums (Option, Result, Ordering...)  immutable tagged objects `{ $tag: "Some", _0: x }`
 *   structs                              mutable objects `{ x: 1, y: 2 }` (`_0` for tuple structs)
 *   Vec<T>, [T; N], [T]                  the runtime's `Vec` (a class around a JS array)
 *   &T                                   the value itself (nothing can change it while shared)
 *   &mut T                               the object itself when T is mutated in place
 *                                        (struct, Vec, array); otherwise a `MutRef<T>`,
 *                                        an object whose `value` property reads and writes
 *                                        the borrowed place
 *   Q<T>, Φ<T>, Q/Φ structs              opaque branded types (the runtime's `Q`/`Phi`)
 *
 * "In place" types are the ones whose mutation through a `&mut` is a mutation of the same
 * JS object; every other type is immutable in JS, so writing through a `&mut` to it must
 * write the borrowed place itself. A `&mut T` whose `T` is a generic parameter is always a
 * `MutRef`, since the parameter may stand for either kind.
 */
import type { AdtDef } from "../semantic/defs.js";
import { VEC_DEF } from "../semantic/builtins.js";
import { isCopyType } from "../semantic/impls.js";
import { INT_NAMES, shallow, type IntName, type Ty } from "../semantic/types.js";

export type Repr = "inplace" | "value" | "generic";

const BIG = new Set<string>(["u64", "u128", "i64", "i128"]);
const HYBRID = new Set<string>(["usize", "isize"]);

export function intName(t: Ty): IntName | null {
  const s = peelDomain(t);
  return s.k === "prim" && (INT_NAMES as readonly string[]).includes(s.name) ? (s.name as IntName) : null;
}

export function isBigInt(t: Ty): boolean {
  const n = intName(t);
  return n !== null && BIG.has(n);
}

export function isBigName(n: string): boolean {
  return BIG.has(n);
}

/** A type held as a safe-integer number with an exact bigint fallback (`number | bigint`). */
export function isHybridName(n: string): boolean {
  return HYBRID.has(n);
}

/** Held as a number, a bigint or the hybrid of both (see the runtime's ints.ts). */
export function intReprOf(n: string): "number" | "bigint" | "hybrid" {
  return HYBRID.has(n) ? "hybrid" : BIG.has(n) ? "bigint" : "number";
}

export function floatName(t: Ty): "f32" | "f64" | null {
  const s = peelDomain(t);
  return s.k === "prim" && (s.name === "f32" || s.name === "f64") ? s.name : null;
}

export function primName(t: Ty): string | null {
  const s = peelDomain(t);
  return s.k === "prim" ? s.name : null;
}

export function isStringTy(t: Ty): boolean {
  const n = primName(t);
  return n === "String" || n === "str";
}

/** Strip `dom` wrappers: the representation of `Q<u64>` at run time is opaque, but its operations follow `u64`. */
export function peelDomain(t: Ty): Ty {
  let s = shallow(t);
  while (s.k === "dom") s = shallow(s.inner);
  return s;
}

/** Remove all references: the value a place of this type ultimately holds. */
export function peelRefs(t: Ty): Ty {
  let s = peelDomain(t);
  while (s.k === "ref") s = peelDomain(s.inner);
  return s;
}

/** Sequences share the runtime's `Vec`: `Vec<T>`, arrays and slices. */
export function isSequence(t: Ty): boolean {
  const s = peelDomain(t);
  return s.k === "array" || s.k === "slice" || (s.k === "adt" && s.def === VEC_DEF);
}

export function sequenceElem(t: Ty): Ty | null {
  const s = peelDomain(t);
  if (s.k === "array" || s.k === "slice") return s.elem;
  if (s.k === "adt" && s.def === VEC_DEF) return s.args[0] ?? null;
  return null;
}

export function reprOf(t: Ty): Repr {
  const s = peelDomain(t);
  switch (s.k) {
    case "adt":
      if (s.def.kind === "struct") {
        if (s.def.builtin === "Vec") return "inplace";
        if (s.def.builtin) return "value";
        return s.def.shape === "opaque" ? "value" : "inplace";
      }
      return "value";
    case "array":
    case "slice":
      return "inplace";
    case "param":
      // A trait object is an object (`{ $v, $d }`, emit/dyn.ts): `&mut dyn T` is that object.
      return s.def.dyn ? "inplace" : "generic";
    case "var":
    case "any":
    case "error":
      return "generic";
    default:
      return "value";
  }
}

/** How a `&mut T` is represented: the object itself, or a `MutRef<T>`. */
export function mutRefIsObject(inner: Ty): boolean {
  return reprOf(inner) === "inplace";
}

/** A `&mut T` represented as a `MutRef<T>` (its value is read with `.value`). */
export function isBoxedMutRef(t: Ty): boolean {
  const s = peelDomain(t);
  return s.k === "ref" && s.mut && !mutRefIsObject(s.inner);
}

/**
 * A Copy value held in a mutable JS object: reading it by value must copy it, or two
 * places would share one object and a write through one would show through the other.
 */
export function needsCopyOnRead(t: Ty): boolean {
  const s = peelDomain(t);
  return containsInplace(s) && isCopyType(s);
}

/** The answers of `containsInplace` for tuples and enums, by type node (the emitter's types are final). */
const inplaceParts = new WeakMap<object, boolean>();

/**
 * Does a value of this type hold a mutable JS object (directly, or in a tuple or enum
 * payload)? Types are shared DAGs: each node is answered once (26 levels of `(x, x)` are
 * 2^26 paths, and this walk took a build 30 s).
 */
function containsInplace(t: Ty): boolean {
  const s = peelDomain(t);
  if (reprOf(s) === "inplace") return true;
  if (s.k !== "tuple" && !(s.k === "adt" && s.def.kind === "enum")) return false;
  const known = inplaceParts.get(s);
  if (known !== undefined) return known;
  const answer = (s.k === "tuple" ? s.elems : s.args).some(containsInplace);
  inplaceParts.set(s, answer);
  return answer;
}

export function isUnitTy(t: Ty): boolean {
  const s = peelDomain(t);
  return s.k === "tuple" && s.elems.length === 0;
}

export function isNever(t: Ty): boolean {
  return shallow(t).k === "never";
}

export function isBoolTy(t: Ty): boolean {
  return primName(t) === "bool";
}

export function isCharTy(t: Ty): boolean {
  return primName(t) === "char";
}

/** Prelude enums the runtime implements (`Option`, `Result`, `Ordering`). */
export function runtimeEnumName(d: AdtDef): "Option" | "Result" | "Ordering" | null {
  if (d.kind !== "enum" || !d.module.isPrelude) return null;
  return d.name === "Option" || d.name === "Result" || d.name === "Ordering" ? d.name : null;
}

// ---------------------------------------------------------------------------
// Facts about DPL's integer types: one place, the runtime's integer module.

export { intBits, isSigned as isSignedName } from "#runtime/ints.js";
