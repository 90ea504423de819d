/**
 * The 64-bit pointer-sized and word types on a JS `number` with an exact `bigint` fallback.
 *
 * Canonical form (the invariant every producer keeps): a value whose magnitude is at most
 * 2^53 - 1 (`Number.MAX_SAFE_INTEGER`) is a `number` (an integer, never -0); any other
 * value of the type is a `bigint`. One value has one representation, so `===`, `Map`
 * keys and `String(x)` agree across both, and `<`/`>` compare a number with a bigint
 * exactly in JavaScript. The type stays 64-bit: `usize::MAX` is 18446744073709551615 and
 * `-1i32 as usize` wraps there, exactly as with bigints everywhere.
 *
 * The operators take a number fast path when both operands are numbers and the exact
 * result is again a safe integer (a sum, difference or product of two safe integers that
 * leaves the safe range is detected before it could be rounded back into it); everything
 * else goes through the bigint operations of int-big.ts and is put back into canonical
 * form. A loop whose values stay below 2^53 therefore never allocates a bigint.
 */
import { type Option, type Result, None, Some, Ok } from "./option-result.js";
import type { BigIntOps, HybridIntName, HybridIntOps } from "./ints.js";
import { bigIntOps } from "./int-big.js";
import type { ParseIntError } from "./int-parse.js";

/** A value of a hybrid type: a safe-integer `number`, or a `bigint` beyond 2^53 - 1. */
export type Int64 = number | bigint;

const SAFE = Number.MAX_SAFE_INTEGER;
const SAFE_BIG = BigInt(SAFE);

/** The canonical form of an exact value. */
export function canonical(x: bigint): Int64 {
  return x <= SAFE_BIG && x >= -SAFE_BIG ? Number(x) : x;
}

/** The value as a bigint (for the exact slow paths and for callers that need one). */
export function toBigInt(x: Int64): bigint {
  return typeof x === "bigint" ? x : BigInt(x);
}

/** A JS array index or count from a value known to be in a JS array's range (callers check). */
export function toIndex(x: Int64): number {
  return typeof x === "number" ? x : Number(x);
}

/** `b + 1` for the end of an inclusive slice range `a..=b` (never faults: the range check reports). */
export function inclusiveEnd(x: Int64): Int64 {
  return typeof x === "number" && x < SAFE ? x + 1 : canonical(toBigInt(x) + 1n);
}

function canonOption(o: Option<bigint>): Option<Int64> {
  return o.$tag === "Some" ? Some(canonical(o._0)) : None;
}

/** The operations of one type; ints.ts builds the instances. */
export function hybridIntOps(name: HybridIntName | "u64" | "i64", signed: boolean): HybridIntOps {
  const B: BigIntOps = bigIntOps(name, 64, signed);
  const b = toBigInt;
  const c = canonical;
  /** A fast-path result: exact, and in the type's range (unsigned results are never negative). */
  const ok = signed ? (r: number): boolean => r <= SAFE && r >= -SAFE : (r: number): boolean => r <= SAFE && r >= 0;

  const ops: HybridIntOps = {
    name,
    BITS: 64,
    signed,
    MIN: c(B.MIN),
    MAX: c(B.MAX),
    ZERO: 0,
    ONE: 1,

    add(x, y, at) {
      if (typeof x === "number" && typeof y === "number") {
        const r = x + y;
        if (ok(r)) return r;
      }
      return c(B.add(b(x), b(y), at));
    },
    sub(x, y, at) {
      if (typeof x === "number" && typeof y === "number") {
        const r = x - y;
        if (ok(r)) return r + 0;
      }
      return c(B.sub(b(x), b(y), at));
    },
    mul(x, y, at) {
      if (typeof x === "number" && typeof y === "number") {
        const r = x * y;
        if (ok(r)) return r + 0;
      }
      return c(B.mul(b(x), b(y), at));
    },
    div(x, y, at) {
      // `x - x % y` is an exact multiple of y, so the division is exact (no rounding of x / y).
      if (typeof x === "number" && typeof y === "number" && y !== 0) return (x - (x % y)) / y + 0;
      return c(B.div(b(x), b(y), at));
    },
    rem(x, y, at) {
      if (typeof x === "number" && typeof y === "number" && y !== 0) return (x % y) + 0;
      return c(B.rem(b(x), b(y), at));
    },
    neg(x, at) {
      if (typeof x === "number" && (signed || x === 0)) return 0 - x;
      return c(B.neg(b(x), at));
    },
    shl(x, n, at) {
      if (typeof x === "number" && n >= 0 && n < 64) {
        const r = x * 2 ** n;
        if (ok(r)) return r;
      }
      return c(B.shl(b(x), n, at));
    },
    shr(x, n, at) {
      if (typeof x === "number" && n >= 0 && n < 64) return Math.floor(x / 2 ** n) + 0;
      return c(B.shr(b(x), n, at));
    },
    and(x, y) {
      if (typeof x === "number" && typeof y === "number" && x >= 0 && y >= 0 && x <= 0x7fffffff && y <= 0x7fffffff) return x & y;
      return c(B.and(b(x), b(y)));
    },
    or(x, y) {
      if (typeof x === "number" && typeof y === "number" && x >= 0 && y >= 0 && x <= 0x7fffffff && y <= 0x7fffffff) return x | y;
      return c(B.or(b(x), b(y)));
    },
    xor(x, y) {
      if (typeof x === "number" && typeof y === "number" && x >= 0 && y >= 0 && x <= 0x7fffffff && y <= 0x7fffffff) return x ^ y;
      return c(B.xor(b(x), b(y)));
    },
    not: (x) => c(B.not(b(x))),

    wrapping_add(x, y) {
      if (typeof x === "number" && typeof y === "number") {
        const r = x + y;
        if (ok(r)) return r;
      }
      return c(B.wrapping_add(b(x), b(y)));
    },
    wrapping_sub(x, y) {
      if (typeof x === "number" && typeof y === "number") {
        const r = x - y;
        if (ok(r)) return r + 0;
      }
      return c(B.wrapping_sub(b(x), b(y)));
    },
    wrapping_mul(x, y) {
      if (typeof x === "number" && typeof y === "number") {
        const r = x * y;
        if (ok(r)) return r + 0;
      }
      return c(B.wrapping_mul(b(x), b(y)));
    },
    wrapping_div: (x, y, at) => c(B.wrapping_div(b(x), b(y), at)),
    wrapping_rem: (x, y, at) => c(B.wrapping_rem(b(x), b(y), at)),
    wrapping_neg: (x) => c(B.wrapping_neg(b(x))),
    wrapping_shl: (x, n) => c(B.wrapping_shl(b(x), n)),
    wrapping_shr: (x, n) => c(B.wrapping_shr(b(x), n)),
    wrapping_pow: (x, e) => c(B.wrapping_pow(b(x), e)),

    checked_add: (x, y) => canonOption(B.checked_add(b(x), b(y))),
    checked_sub: (x, y) => canonOption(B.checked_sub(b(x), b(y))),
    checked_mul: (x, y) => canonOption(B.checked_mul(b(x), b(y))),
    checked_div: (x, y) => canonOption(B.checked_div(b(x), b(y))),
    checked_rem: (x, y) => canonOption(B.checked_rem(b(x), b(y))),
    checked_neg: (x) => canonOption(B.checked_neg(b(x))),
    checked_shl: (x, n) => canonOption(B.checked_shl(b(x), n)),
    checked_shr: (x, n) => canonOption(B.checked_shr(b(x), n)),
    checked_pow: (x, e) => canonOption(B.checked_pow(b(x), e)),

    saturating_add: (x, y) => c(B.saturating_add(b(x), b(y))),
    saturating_sub: (x, y) => c(B.saturating_sub(b(x), b(y))),
    saturating_mul: (x, y) => c(B.saturating_mul(b(x), b(y))),
    saturating_div: (x, y, at) => c(B.saturating_div(b(x), b(y), at)),
    saturating_pow: (x, e) => c(B.saturating_pow(b(x), e)),

    overflowing_add(x, y) {
      const [r, o] = B.overflowing_add(b(x), b(y));
      return [c(r), o];
    },
    overflowing_sub(x, y) {
      const [r, o] = B.overflowing_sub(b(x), b(y));
      return [c(r), o];
    },
    overflowing_mul(x, y) {
      const [r, o] = B.overflowing_mul(b(x), b(y));
      return [c(r), o];
    },

    pow: (x, e, at) => c(B.pow(b(x), e, at)),
    abs(x, at) {
      if (typeof x === "number") return x < 0 ? 0 - x : x;
      return c(B.abs(x, at));
    },
    signum: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
    is_positive: (x) => x > 0,
    is_negative: (x) => x < 0,
    min: (x, y) => (x <= y ? x : y),
    max: (x, y) => (x >= y ? x : y),
    clamp: (x, lo, hi, at) => c(B.clamp(b(x), b(lo), b(hi), at)),
    div_euclid: (x, y, at) => c(B.div_euclid(b(x), b(y), at)),
    rem_euclid: (x, y, at) => c(B.rem_euclid(b(x), b(y), at)),
    count_ones: (x) => B.count_ones(b(x)),
    count_zeros: (x) => B.count_zeros(b(x)),
    leading_zeros: (x) => B.leading_zeros(b(x)),
    trailing_zeros: (x) => B.trailing_zeros(b(x)),
    is_power_of_two: (x) => B.is_power_of_two(b(x)),
    rotate_left: (x, n) => c(B.rotate_left(b(x), n)),
    rotate_right: (x, n) => c(B.rotate_right(b(x), n)),

    // A number-backed source (8/16/32-bit, char, bool, or another hybrid type's number):
    // a safe integer of the right sign is already the result.
    wrap: (x) => (signed || x >= 0 ? x + 0 : c(B.wrap(x))),
    wrapBig: (x) => (typeof x === "number" ? ops.wrap(x) : c(B.wrapBig(x))),
    fromFloat(x) {
      if (x > -SAFE && x < SAFE) return signed || x > 0 ? Math.trunc(x) + 0 : 0;
      return c(B.fromFloat(x));
    },
    toF64: (x) => (typeof x === "number" ? x : Number(x)),
    toF32: (x) => (typeof x === "number" ? Math.fround(x) : B.toF32(x)),
    toBig: b,
    fromBig: c,
    parse: (s) => ops.from_str_radix(s, 10),
    from_str_radix(s, radix): Result<Int64, ParseIntError> {
      const r = B.from_str_radix(s, radix);
      return r.$tag === "Ok" ? Ok(c(r._0)) : r;
    },
    display: (x) => String(x),
  };
  return ops;
}
