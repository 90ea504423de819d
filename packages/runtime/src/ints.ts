/**
 * The twelve DPL integer types: a TypeScript type alias and an operations object of the
 * same name each, so emitted code reads like the DPL it came from:
 *
 *   function step(x: u64, k: i32): u64 {
 *     return u64.add(u64.mul(x, 3n, $4_12), u64.wrap(k), $4_12);   // x * 3 + k as u64
 *   }
 *
 * Representation (measured with `bench.ts`, see index.ts for the numbers):
 *  - u8 u16 u32 i8 i16 i32 are JS `number` (int-small.ts). Every value is a small integer,
 *    so `+ - *` are exact in a double (a 32×32-bit product that leaves the range is
 *    detected before it could be rounded back into it) and a range check after each
 *    operation gives Rust's overflow fault. A checked i32 loop runs at plain-JS speed.
 *  - usize isize are `number | bigint` (int-hybrid.ts): a safe integer is a number, a value
 *    beyond 2^53 - 1 a bigint, one canonical form per value. They are 64-bit, as on the
 *    targets Rust programs are usually run on, so `usize::MAX` prints 18446744073709551615
 *    and `-1i32 as usize` wraps like there; every index and length is a plain number.
 *  - u64 i64 u128 i128 are JS `bigint` (int-big.ts): exact at 2^63, 2^64 and 2^127, which a
 *    double cannot be. `u64h`/`i64h` are u64/i64 in the hybrid form, for locals the emitter
 *    keeps inside a function's arithmetic (src/emit/hybrid-locals.ts).
 *
 * Naming follows Rust: `i32.wrapping_add` is `i32::wrapping_add`. The emitter calls
 * `add`/`sub`/`mul`/`div`/`rem`/`neg`/`shl`/`shr` for the operators (they fault exactly
 * where a debug Rust build panics) and emits comparisons (`<`, `===`, …) directly, which
 * are exact for both representations. Shift amounts are passed as `number` whatever their
 * DPL type: `Number(rhs)` of a 64-bit amount cannot turn an out-of-range amount into an
 * in-range one, so the fault still fires.
 *
 * `as` casts, by source type (the emitter picks the function statically):
 *
 *   int  (number-backed) -> int      T.wrap(x)        truncate/sign-extend, like Rust
 *   int  (bigint-backed) -> int      T.wrapBig(x)
 *   f32/f64              -> int      T.fromFloat(x)   toward zero, saturating, NaN -> 0
 *   int                  -> f64/f32  S.toF64(x) / S.toF32(x)  (S = the source type)
 *   bool                 -> int      T.wrap(b ? 1 : 0)        (`boolToInt`)
 *   char                 -> int      T.wrap(c)        a char is its code point
 *   u8                   -> char     c                (`charFromU8`: identity on the code point)
 *   f64 -> f32 `Math.fround(x)`, f32 -> f64 identity.
 */
import { type Site, panic } from "./fault.js";
import { bigIntOps } from "./int-big.js";
import { smallIntOps } from "./int-small.js";
import { hybridIntOps } from "./int-hybrid.js";
import type { ParseIntError } from "./int-parse.js";
import { type Option, type Result, None, Some } from "./option-result.js";

export type UnsignedName = "u8" | "u16" | "u32" | "u64" | "u128" | "usize";
export type SignedName = "i8" | "i16" | "i32" | "i64" | "i128" | "isize";
export type IntName = UnsignedName | SignedName;
export type SmallIntName = "u8" | "u16" | "u32" | "i8" | "i16" | "i32";
/** The types on a safe-integer `number` with an exact `bigint` fallback (int-hybrid.ts). */
export type HybridIntName = "usize" | "isize";
/** The types on `bigint` (int-big.ts builds their operations; the hybrid types reuse them for 64 bits). */
export type BigIntName = "u64" | "u128" | "i64" | "i128" | HybridIntName;

export const INT_NAMES: readonly IntName[] = ["u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize"];

export function isIntName(name: string): name is IntName {
  return (INT_NAMES as readonly string[]).includes(name);
}

export function intBits(name: IntName): number {
  switch (name) {
    case "u8":
    case "i8":
      return 8;
    case "u16":
    case "i16":
      return 16;
    case "u32":
    case "i32":
      return 32;
    case "u128":
    case "i128":
      return 128;
    default:
      return 64;
  }
}

export function isSigned(name: IntName): boolean {
  return name.startsWith("i");
}

const HYBRID_NAMES: ReadonlySet<string> = new Set<HybridIntName>(["usize", "isize"]);

/** Whether the type is a safe-integer `number` with a `bigint` fallback above 2^53 - 1. */
export function isHybridRepr(name: IntName): name is HybridIntName {
  return HYBRID_NAMES.has(name);
}

/** Whether the type is represented as `bigint` only (otherwise `number`, or number-or-bigint). */
export function isBigIntRepr(name: IntName): boolean {
  return intBits(name) > 32 && !HYBRID_NAMES.has(name);
}

/** How a value of the type is held: `number`, `bigint`, or the hybrid of both (int-hybrid.ts). */
export function intRepr(name: IntName): "number" | "bigint" | "hybrid" {
  return HYBRID_NAMES.has(name) ? "hybrid" : intBits(name) > 32 ? "bigint" : "number";
}

/** R is `number` for the 8/16/32-bit types and `bigint` for the rest. */
export interface IntOps<R extends number | bigint> {
  readonly name: IntName;
  /** `u32::BITS`, a u32 (number) in Rust too. */
  readonly BITS: number;
  readonly signed: boolean;
  readonly MIN: R;
  readonly MAX: R;
  readonly ZERO: R;
  readonly ONE: R;

  // Operators: fault on overflow, division by zero and shift amounts >= BITS.
  add(a: R, b: R, at?: Site): R;
  sub(a: R, b: R, at?: Site): R;
  mul(a: R, b: R, at?: Site): R;
  /** Truncates toward zero; MIN / -1 overflows. */
  div(a: R, b: R, at?: Site): R;
  /** Has the dividend's sign; MIN % -1 overflows, as in Rust. */
  rem(a: R, b: R, at?: Site): R;
  /** Unary minus; only 0 can be negated in an unsigned type (Rust rejects `-x` statically). */
  neg(a: R, at?: Site): R;
  shl(a: R, n: number, at?: Site): R;
  /** Arithmetic for signed types, logical for unsigned ones. */
  shr(a: R, n: number, at?: Site): R;
  and(a: R, b: R): R;
  or(a: R, b: R): R;
  xor(a: R, b: R): R;
  /** `!x`, bitwise. */
  not(a: R): R;

  wrapping_add(a: R, b: R): R;
  wrapping_sub(a: R, b: R): R;
  wrapping_mul(a: R, b: R): R;
  /** Faults on a zero divisor, as Rust's wrapping_div does; MIN / -1 is MIN. */
  wrapping_div(a: R, b: R, at?: Site): R;
  wrapping_rem(a: R, b: R, at?: Site): R;
  wrapping_neg(a: R): R;
  /** The shift amount is masked to the width (`n & (BITS - 1)`). */
  wrapping_shl(a: R, n: number): R;
  wrapping_shr(a: R, n: number): R;
  wrapping_pow(a: R, exp: number): R;

  checked_add(a: R, b: R): Option<R>;
  checked_sub(a: R, b: R): Option<R>;
  checked_mul(a: R, b: R): Option<R>;
  checked_div(a: R, b: R): Option<R>;
  checked_rem(a: R, b: R): Option<R>;
  checked_neg(a: R): Option<R>;
  checked_shl(a: R, n: number): Option<R>;
  checked_shr(a: R, n: number): Option<R>;
  checked_pow(a: R, exp: number): Option<R>;

  saturating_add(a: R, b: R): R;
  saturating_sub(a: R, b: R): R;
  saturating_mul(a: R, b: R): R;
  /** Faults on a zero divisor; MIN / -1 saturates to MAX. */
  saturating_div(a: R, b: R, at?: Site): R;
  saturating_pow(a: R, exp: number): R;

  overflowing_add(a: R, b: R): [R, boolean];
  overflowing_sub(a: R, b: R): [R, boolean];
  overflowing_mul(a: R, b: R): [R, boolean];

  /** `x.pow(exp)` with a u32 exponent; overflow faults as a multiplication does. */
  pow(a: R, exp: number, at?: Site): R;
  /** Faults on MIN for signed types ("attempt to negate with overflow"). */
  abs(a: R, at?: Site): R;
  signum(a: R): R;
  is_positive(a: R): boolean;
  is_negative(a: R): boolean;
  min(a: R, b: R): R;
  max(a: R, b: R): R;
  /** Rust panics when min > max; that is reported as a `panic` fault. */
  clamp(a: R, lo: R, hi: R, at?: Site): R;
  div_euclid(a: R, b: R, at?: Site): R;
  rem_euclid(a: R, b: R, at?: Site): R;
  count_ones(a: R): number;
  count_zeros(a: R): number;
  leading_zeros(a: R): number;
  trailing_zeros(a: R): number;
  /** Unsigned types only in Rust; false for negative values here. */
  is_power_of_two(a: R): boolean;
  rotate_left(a: R, n: number): R;
  rotate_right(a: R, n: number): R;

  /** `x as T` from a number-backed integer, a char (code point) or a bool (0/1): wraps. */
  wrap(x: number): R;
  /** `x as T` from a bigint- or hybrid-backed integer: wraps (truncates to the low bits). */
  wrapBig(x: number | bigint): R;
  /** `x as T` from f32/f64: truncates toward zero, saturates at MIN/MAX, NaN is 0. */
  fromFloat(x: number): R;
  /** `x as f64`: rounds to nearest, ties to even. */
  toF64(x: R): number;
  /** `x as f32`: one rounding straight to binary32, never via f64. */
  toF32(x: R): number;
  /** The value as bigint (for generic code and tests). */
  toBig(x: R): bigint;
  /** A bigint known to be in range to R; a value out of range is a bug in the caller. */
  fromBig(x: bigint): R;
  /** `str::parse::<T>()`. */
  parse(s: string): Result<R, ParseIntError>;
  from_str_radix(s: string, radix: number): Result<R, ParseIntError>;
  /** Display text (`to_string()`). */
  display(x: R): string;
}

export type SmallIntOps = IntOps<number>;
export type BigIntOps = IntOps<bigint>;
export type HybridIntOps = IntOps<number | bigint>;


export type u8 = number;
export type u16 = number;
export type u32 = number;
export type i8 = number;
export type i16 = number;
export type i32 = number;
export type u64 = bigint;
export type u128 = bigint;
/** A safe integer as `number`, a larger value as `bigint` (int-hybrid.ts). */
export type usize = number | bigint;
export type i64 = bigint;
export type i128 = bigint;
export type isize = number | bigint;
/** A Unicode scalar value (code point, never a surrogate), as `number`. */
export type char = number;

export const u8: SmallIntOps = smallIntOps("u8", 8, false);
export const u16: SmallIntOps = smallIntOps("u16", 16, false);
export const u32: SmallIntOps = smallIntOps("u32", 32, false);
export const i8: SmallIntOps = smallIntOps("i8", 8, true);
export const i16: SmallIntOps = smallIntOps("i16", 16, true);
export const i32: SmallIntOps = smallIntOps("i32", 32, true);
export const u64: BigIntOps = bigIntOps("u64", 64, false);
export const u128: BigIntOps = bigIntOps("u128", 128, false);
export const usize: HybridIntOps = hybridIntOps("usize", false);
export const i64: BigIntOps = bigIntOps("i64", 64, true);
export const i128: BigIntOps = bigIntOps("i128", 128, true);
export const isize: HybridIntOps = hybridIntOps("isize", true);
/**
 * u64 and i64 in the hybrid form, for locals the emitter proved never leave a function's
 * arithmetic (src/emit/hybrid-locals.ts): same values, same faults, no bigint below 2^53.
 */
export const u64h: HybridIntOps = hybridIntOps("u64", false);
export const i64h: HybridIntOps = hybridIntOps("i64", true);

const SMALL: Readonly<Record<SmallIntName, SmallIntOps>> = { u8, u16, u32, i8, i16, i32 };
const BIG: Readonly<Record<Exclude<BigIntName, HybridIntName>, BigIntOps>> = { u64, u128, i64, i128 };
const HYBRID: Readonly<Record<HybridIntName, HybridIntOps>> = { usize, isize };

/** The operations object of a type by name (for generic code and tests). */
export function intOps(name: SmallIntName): SmallIntOps;
export function intOps(name: HybridIntName): HybridIntOps;
export function intOps(name: Exclude<BigIntName, HybridIntName>): BigIntOps;
export function intOps(name: IntName): IntOps<number> | IntOps<bigint> | HybridIntOps;
export function intOps(name: IntName): IntOps<number> | IntOps<bigint> | HybridIntOps {
  if (name in SMALL) return SMALL[name as SmallIntName];
  return name in HYBRID ? HYBRID[name as HybridIntName] : BIG[name as Exclude<BigIntName, HybridIntName>];
}

export function boolToInt(b: boolean): number {
  return b ? 1 : 0;
}

/** `x as char` (only u8 casts to char in Rust). */
export function charFromU8(x: u8): char {
  return x;
}

/** `char::from_u32`: None for surrogates and values above U+10FFFF. */
export function charFromU32(x: u32): Option<char> {
  return x > 0x10ffff || (x >= 0xd800 && x <= 0xdfff) ? None : Some(x);
}

/** `char::from_digit(num, radix)`: lowercase letters for digits above 9. */
export function charFromDigit(num: u32, radix: u32): Option<char> {
  if (radix > 36) panic("from_digit: radix is too high (maximum 36)");
  if (num >= radix) return None;
  return Some(num < 10 ? 48 + num : 87 + num);
}

/** `usize` index to a JS array index; callers check the bound first. */
export function indexOf(i: usize): number {
  return typeof i === "number" ? i : Number(i);
}

/** A JS length (or count) as usize: a JS length is a safe integer, so it is its own canonical form. */
export function lenOf(n: number): usize {
  return n;
}
