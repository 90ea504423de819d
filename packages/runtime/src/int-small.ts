/**
 * u8 u16 u32 i8 i16 i32 on JS `number`.
 *
 * Invariant: a value of one of these types is always an integer in the type's range, and
 * never -0 (JS produces -0 from `0 * -5`, `-4 % 2` and `Math.trunc(-0.5)`; it would print
 * as `-0` once cast to f64, so every such operation normalises it away).
 * Sums and products of two in-range values are exact doubles, or out of range anyway,
 * so "compute, then compare with MIN/MAX" is an exact overflow test.
 */
import { type ArithOp, raiseDivByZero, raiseOverflow, panic, type Site, UNKNOWN_SITE } from "./fault.js";
import { type Option, type Result, None, Some, Ok } from "./option-result.js";
import type { SmallIntName, SmallIntOps } from "./ints.js";
import { parseIntText, type ParseIntError } from "./int-parse.js";

function wrapperFor(name: SmallIntName): (x: number) => number {
  switch (name) {
    case "u8":
      return (x) => x & 0xff;
    case "u16":
      return (x) => x & 0xffff;
    case "u32":
      return (x) => x >>> 0;
    case "i8":
      return (x) => (x << 24) >> 24;
    case "i16":
      return (x) => (x << 16) >> 16;
    case "i32":
      return (x) => x | 0;
  }
}

function popcount32(x: number): number {
  let v = x >>> 0;
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** The operations of one type; ints.ts builds the six instances. */
export function smallIntOps(name: SmallIntName, BITS: 8 | 16 | 32, signed: boolean): SmallIntOps {
  const MIN = signed ? -(2 ** (BITS - 1)) : 0;
  const MAX = signed ? 2 ** (BITS - 1) - 1 : 2 ** BITS - 1;
  const MASK = BITS === 32 ? 0xffffffff : 2 ** BITS - 1;
  const BIG_MIN = BigInt(MIN);
  const BIG_MAX = BigInt(MAX);
  const wrap = wrapperFor(name);
  const wide = BITS === 32;
  /** The value's bit pattern as an unsigned number. */
  const bitsOf = (a: number): number => (wide ? a >>> 0 : a & MASK);
  const fits = (r: number): boolean => r >= MIN && r <= MAX;
  const over = (op: ArithOp, at: Site | undefined): never => raiseOverflow(op, name, at ?? UNKNOWN_SITE);
  const wrappingMul = wide ? (a: number, b: number) => wrap(Math.imul(a, b)) : (a: number, b: number) => wrap(a * b);
  const quotient = signed ? (a: number, b: number) => (a / b) | 0 : (a: number, b: number) => (a / b) >>> 0;

  /** Rust's square-and-multiply, so a huge exponent costs ~32 steps; undefined on overflow. */
  function powExact(a: number, exp: number): number | undefined {
    if (exp === 0) return 1;
    let base = a;
    let acc = 1;
    let e = exp >>> 0;
    for (;;) {
      if (e & 1) {
        acc = acc * base + 0;
        if (!fits(acc)) return undefined;
        if (e === 1) return acc;
      }
      e >>>= 1;
      base = base * base;
      if (!fits(base)) return undefined;
    }
  }

  function wrappingPow(a: number, exp: number): number {
    let base = a;
    let acc = 1;
    let e = exp >>> 0;
    while (e > 0) {
      if (e & 1) acc = wrappingMul(acc, base);
      e >>>= 1;
      base = wrappingMul(base, base);
    }
    return acc;
  }

  const ops: SmallIntOps = {
    name,
    BITS,
    signed,
    MIN,
    MAX,
    ZERO: 0,
    ONE: 1,

    add(a, b, at) {
      const r = a + b;
      if (r > MAX || r < MIN) over("add", at);
      return r;
    },
    sub(a, b, at) {
      const r = a - b;
      if (r > MAX || r < MIN) over("sub", at);
      return r;
    },
    mul(a, b, at) {
      const r = a * b;
      if (r > MAX || r < MIN) over("mul", at);
      return r + 0;
    },
    div(a, b, at) {
      if (b === 0) raiseDivByZero("div", name, at);
      if (signed && b === -1 && a === MIN) over("div", at);
      return quotient(a, b);
    },
    rem(a, b, at) {
      if (b === 0) raiseDivByZero("rem", name, at);
      if (signed && b === -1 && a === MIN) over("rem", at);
      return (a % b) + 0;
    },
    neg(a, at) {
      if (signed ? a === MIN : a !== 0) over("neg", at);
      return 0 - a;
    },
    shl(a, n, at) {
      if (!(n >= 0 && n < BITS)) over("shl", at);
      return wrap(a << n);
    },
    shr(a, n, at) {
      if (!(n >= 0 && n < BITS)) over("shr", at);
      return signed ? a >> n : a >>> n;
    },
    and: (a, b) => wrap(a & b),
    or: (a, b) => wrap(a | b),
    xor: (a, b) => wrap(a ^ b),
    not: (a) => wrap(~a),

    wrapping_add: (a, b) => wrap(a + b),
    wrapping_sub: (a, b) => wrap(a - b),
    wrapping_mul: wrappingMul,
    wrapping_div(a, b, at) {
      if (b === 0) raiseDivByZero("div", name, at);
      return signed && b === -1 && a === MIN ? MIN : quotient(a, b);
    },
    wrapping_rem(a, b, at) {
      if (b === 0) raiseDivByZero("rem", name, at);
      return signed && b === -1 ? 0 : (a % b) + 0;
    },
    wrapping_neg: (a) => wrap(0 - a),
    wrapping_shl: (a, n) => wrap(a << (n & (BITS - 1))),
    wrapping_shr: (a, n) => (signed ? a >> (n & (BITS - 1)) : a >>> (n & (BITS - 1))),
    wrapping_pow: wrappingPow,

    checked_add: (a, b) => (fits(a + b) ? Some(a + b) : None),
    checked_sub: (a, b) => (fits(a - b) ? Some(a - b) : None),
    checked_mul: (a, b) => (fits(a * b) ? Some(a * b + 0) : None),
    checked_div: (a, b) => (b === 0 || (signed && b === -1 && a === MIN) ? None : Some(quotient(a, b))),
    checked_rem: (a, b) => (b === 0 || (signed && b === -1 && a === MIN) ? None : Some((a % b) + 0)),
    checked_neg: (a) => (fits(0 - a) ? Some(0 - a) : None),
    checked_shl: (a, n) => (n >= 0 && n < BITS ? Some(wrap(a << n)) : None),
    checked_shr: (a, n) => (n >= 0 && n < BITS ? Some(signed ? a >> n : a >>> n) : None),
    checked_pow(a, exp): Option<number> {
      const r = powExact(a, exp);
      return r === undefined ? None : Some(r);
    },

    saturating_add: (a, b) => Math.min(MAX, Math.max(MIN, a + b)),
    saturating_sub: (a, b) => Math.min(MAX, Math.max(MIN, a - b)),
    saturating_mul: (a, b) => Math.min(MAX, Math.max(MIN, a * b)) + 0,
    saturating_div(a, b, at) {
      if (b === 0) raiseDivByZero("div", name, at);
      return signed && b === -1 && a === MIN ? MAX : quotient(a, b);
    },
    saturating_pow(a, exp) {
      const r = powExact(a, exp);
      if (r !== undefined) return r;
      return a < 0 && exp % 2 === 1 ? MIN : MAX;
    },

    overflowing_add: (a, b) => [wrap(a + b), !fits(a + b)],
    overflowing_sub: (a, b) => [wrap(a - b), !fits(a - b)],
    overflowing_mul: (a, b) => [wrappingMul(a, b), !fits(a * b)],

    pow(a, exp, at) {
      const r = powExact(a, exp);
      return r === undefined ? over("mul", at) : r;
    },
    abs(a, at) {
      if (signed && a === MIN) over("neg", at);
      return a < 0 ? 0 - a : a;
    },
    signum: (a) => (a > 0 ? 1 : a < 0 ? -1 : 0),
    is_positive: (a) => a > 0,
    is_negative: (a) => a < 0,
    min: (a, b) => (a <= b ? a : b),
    max: (a, b) => (a >= b ? a : b),
    clamp(a, lo, hi, at) {
      if (lo > hi) panic("assertion failed: min <= max", at);
      return a < lo ? lo : a > hi ? hi : a;
    },
    div_euclid(a, b, at) {
      const q = ops.div(a, b, at);
      return a % b < 0 ? (b > 0 ? q - 1 : q + 1) : q;
    },
    rem_euclid(a, b, at) {
      const r = ops.rem(a, b, at);
      return r < 0 ? r + Math.abs(b) : r;
    },
    count_ones: (a) => popcount32(bitsOf(a)),
    count_zeros: (a) => BITS - popcount32(bitsOf(a)),
    leading_zeros: (a) => Math.clz32(bitsOf(a)) - (32 - BITS),
    trailing_zeros(a) {
      const u = bitsOf(a);
      return u === 0 ? BITS : 31 - Math.clz32(u & -u);
    },
    is_power_of_two: (a) => a > 0 && (a & (a - 1)) === 0,
    rotate_left(a, n) {
      const m = n % BITS;
      const u = bitsOf(a);
      return m === 0 ? a : wrap((u << m) | (u >>> (BITS - m)));
    },
    rotate_right(a, n) {
      const m = n % BITS;
      const u = bitsOf(a);
      return m === 0 ? a : wrap((u >>> m) | (u << (BITS - m)));
    },

    wrap,
    wrapBig: (x) => (typeof x === "number" ? wrap(x) : Number(signed ? BigInt.asIntN(BITS, x) : BigInt.asUintN(BITS, x))),
    fromFloat(x) {
      if (Number.isNaN(x)) return 0;
      if (x >= MAX) return MAX;
      if (x <= MIN) return MIN;
      return Math.trunc(x) + 0;
    },
    toF64: (x) => x,
    toF32: (x) => Math.fround(x),
    toBig: (x) => BigInt(x),
    fromBig: (x) => Number(x),
    parse: (s) => ops.from_str_radix(s, 10),
    from_str_radix(s, radix): Result<number, ParseIntError> {
      const r = parseIntText(s, radix, signed, BIG_MIN, BIG_MAX);
      return r.$tag === "Ok" ? Ok(Number(r._0)) : r;
    },
    display: (x) => String(x),
  };
  return ops;
}
