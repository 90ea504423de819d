/**
 * Runtime type descriptors: what the formatter and the comparison helpers need to know
 * about a value that its JavaScript representation does not say.
 *
 * A JS `number` may be a u8, an i32, a char (a code point) or an f64, and Rust prints
 * each differently (`{:?}` of 1.0f64 is `1.0`, of 1u8 is `1`, of 'A' is `'A'`; `{:x}` of
 * -1i8 is `ff`). The emitter knows every static type, so at each formatting site it passes
 * a descriptor next to the value, exactly as Rust's monomorphisation picks the right
 * Display/Debug impl. Generic DPL functions with `T: Debug`/`T: Display` bounds receive the
 * descriptor of `T` as a parameter (dictionary passing).
 *
 * Descriptors of user types are built once per module (or once per instantiation for a
 * generic type) and reused:
 *
 *   const Point$ty = T.struct("Point", { x: T.f64, y: T.f64 });
 *   const Shape$ty = T.enum("Shape", () => ({
 *     Circle: [T.f64],                    // tuple variant: payload in _0
 *     Rect: { w: T.f64, h: T.f64 },       // struct variant: named fields
 *     Empty: null,                        // unit variant
 *   }));
 *   const List$ty: Ty = T.enum("List", () => ({ Cons: [T.i32, List$ty], Nil: null }));
 *
 * Variant and field order is the declaration order (object key order is insertion order
 * for non-numeric keys), which is what derived Debug and derived PartialOrd use.
 */
import type { IntName } from "./ints.js";

export interface IntTy {
  readonly kind: "int";
  readonly name: IntName;
  readonly bits: number;
  readonly signed: boolean;
}
export interface FloatTy {
  readonly kind: "float";
  readonly bits: 32 | 64;
}
export interface PrimTy {
  readonly kind: "bool" | "char" | "str" | "unit" | "ordering";
}
export interface VecTy {
  readonly kind: "vec";
  readonly elem: Ty;
}
export interface OptionTy {
  readonly kind: "option";
  readonly elem: Ty;
}
export interface ResultTy {
  readonly kind: "result";
  readonly ok: Ty;
  readonly err: Ty;
}
export interface TupleTy {
  readonly kind: "tuple";
  readonly elems: readonly Ty[];
}

/**
 * The payload shape of a struct or an enum variant: named fields (an object whose keys are
 * the field names, in declaration order), positional fields (`_0`, `_1`, … in the value),
 * or none.
 */
export type Shape = { readonly [field: string]: Ty } | readonly Ty[] | null;

export interface StructTy {
  readonly kind: "struct";
  readonly name: string;
  readonly shape: () => Shape;
  /** The program's `impl Display`, when it has one. */
  readonly display?: (value: never) => string;
  /**
   * std's collections (written in DPL as structs over `Vec`s) print under Debug as Rust's
   * do, not as their fields: "map" `{k: v}` from the fields `keys`/`vals` (the first two),
   * "set" `{a, b}` and "list" `[a, b]` from the one field holding the items.
   */
  readonly debugAs?: CollectionDebug;
  /** The program's hand-written `impl Clone`, when it has one (clone-as.ts). */
  readonly clone?: (value: never) => unknown;
}
export type CollectionDebug = "map" | "set" | "list";
export interface EnumTy {
  readonly kind: "enum";
  readonly name: string;
  readonly variants: () => { readonly [variant: string]: Shape };
  readonly display?: (value: never) => string;
  readonly clone?: (value: never) => unknown;
}
/** A Q or Φ value: it may be moved, never formatted, compared or cloned (DPL3003, DPL4001). */
export interface OpaqueTy {
  readonly kind: "opaque";
  readonly domain: "Q" | "Φ";
  readonly name: string;
}
/**
 * A type with hand-written formatting: a user `impl Display` / `impl Debug`, or a std type
 * such as `ParseIntError`. The functions return the text; width and fill of the enclosing
 * `{:>8}` are not applied, as with a Rust impl that uses `write!` rather than `f.pad`.
 */
export interface CustomTy {
  readonly kind: "custom";
  readonly name: string;
  readonly display?: (value: never) => string;
  readonly debug?: (value: never, pretty: boolean) => string;
}

export type Ty = IntTy | FloatTy | PrimTy | VecTy | OptionTy | ResultTy | TupleTy | StructTy | EnumTy | OpaqueTy | CustomTy;

function int(name: IntName, bits: number, signed: boolean): IntTy {
  return Object.freeze({ kind: "int", name, bits, signed });
}

function lazy<S>(shape: S | (() => S)): () => S {
  return typeof shape === "function" ? (shape as () => S) : () => shape;
}

/** The user impls a struct or enum descriptor carries (absent keys when it has none). */
function hooks<V>(display: ((value: V) => string) | undefined, clone: ((value: V) => V) | undefined): { display?: (value: never) => string; clone?: (value: never) => unknown } {
  return { ...(display ? { display: display as (value: never) => string } : {}), ...(clone ? { clone: clone as (value: never) => unknown } : {}) };
}

/** Descriptor builders; property names follow the DPL type names. */
export const T = {
  u8: int("u8", 8, false),
  u16: int("u16", 16, false),
  u32: int("u32", 32, false),
  u64: int("u64", 64, false),
  u128: int("u128", 128, false),
  usize: int("usize", 64, false),
  i8: int("i8", 8, true),
  i16: int("i16", 16, true),
  i32: int("i32", 32, true),
  i64: int("i64", 64, true),
  i128: int("i128", 128, true),
  isize: int("isize", 64, true),
  f32: Object.freeze({ kind: "float", bits: 32 }) as FloatTy,
  f64: Object.freeze({ kind: "float", bits: 64 }) as FloatTy,
  bool: Object.freeze({ kind: "bool" }) as PrimTy,
  char: Object.freeze({ kind: "char" }) as PrimTy,
  /** `String` and `&str`. */
  str: Object.freeze({ kind: "str" }) as PrimTy,
  unit: Object.freeze({ kind: "unit" }) as PrimTy,
  ordering: Object.freeze({ kind: "ordering" }) as PrimTy,
  /** `Vec<T>`, `[T; N]`, `&[T]`: all print as `[a, b]`. */
  vec(elem: Ty): VecTy {
    return { kind: "vec", elem };
  },
  option(elem: Ty): OptionTy {
    return { kind: "option", elem };
  },
  result(ok: Ty, err: Ty): ResultTy {
    return { kind: "result", ok, err };
  },
  tuple(...elems: Ty[]): TupleTy {
    return { kind: "tuple", elems };
  },
  struct<V>(name: string, shape: Shape | (() => Shape), display?: (value: V) => string, clone?: (value: V) => V): StructTy {
    return { kind: "struct", name, shape: lazy(shape), ...hooks(display, clone) };
  },
  /** One of std's collections: a struct whose Debug is a map, set or list of its items. */
  collection(name: string, debugAs: CollectionDebug, shape: Shape | (() => Shape)): StructTy {
    return { kind: "struct", name, shape: lazy(shape), debugAs };
  },
  enum<V>(
    name: string,
    variants: { readonly [variant: string]: Shape } | (() => { readonly [variant: string]: Shape }),
    display?: (value: V) => string,
    clone?: (value: V) => V,
  ): EnumTy {
    return { kind: "enum", name, variants: lazy(variants), ...hooks(display, clone) };
  },
  opaque(domain: "Q" | "Φ", name: string): OpaqueTy {
    return { kind: "opaque", domain, name };
  },
  custom<V>(name: string, impls: { display?: (value: V) => string; debug?: (value: V, pretty: boolean) => string }): CustomTy {
    return { kind: "custom", name, ...(impls as { display?: (value: never) => string; debug?: (value: never, pretty: boolean) => string }) };
  },
};

export function intTyOf(name: IntName): IntTy {
  return T[name];
}

/** The DPL spelling of a descriptor, for messages (`Vec<Option<i32>>`). */
export function tyName(ty: Ty): string {
  switch (ty.kind) {
    case "int":
      return ty.name;
    case "float":
      return `f${ty.bits}`;
    case "bool":
    case "char":
      return ty.kind;
    case "str":
      return "String";
    case "unit":
      return "()";
    case "ordering":
      return "Ordering";
    case "vec":
      return `Vec<${tyName(ty.elem)}>`;
    case "option":
      return `Option<${tyName(ty.elem)}>`;
    case "result":
      return `Result<${tyName(ty.ok)}, ${tyName(ty.err)}>`;
    case "tuple":
      return ty.elems.length === 1 ? `(${tyName(ty.elems[0]!)},)` : `(${ty.elems.map(tyName).join(", ")})`;
    case "struct":
    case "enum":
    case "custom":
      return ty.name;
    case "opaque":
      return `${ty.domain}<${ty.name}>`;
  }
}
