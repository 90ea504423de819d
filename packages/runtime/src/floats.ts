/**
 * f64 and f32: constants and the methods whose Rust semantics differ from `Math`.
 *
 * f64 arithmetic is plain JS arithmetic (IEEE 754 binary64, no faults: 1.0/0.0 is inf,
 * as in Rust). f32 values are doubles holding binary32 values; every f32 operation rounds
 * its result with `Math.fround`, which gives exactly the binary32 result for + - * / and
 * sqrt (a double has more than twice binary32's precision, so the double rounding is
 * innocuous). Differences from `Math` handled here:
 *  - `round` rounds half away from zero (`Math.round(-2.5)` is -2, Rust's is -3);
 *  - `min`/`max` return the other operand when one is NaN;
 *  - `signum` is ±1.0 for ±0.0 (`Math.sign(0)` is 0);
 *  - `powi` multiplies like compiler-rt's `__powidf2`, which debug Rust builds call,
 *    so results match to the last bit (Math.pow may differ in it);
 *  - `%` is `fmod` in both languages and needs no helper.
 * Transcendental functions (`sin`, `exp`, `ln`, `powf`) use V8's fdlibm port; a system
 * libm may differ from it in the last bit for some inputs.
 */
import { panic, type Site, UNKNOWN_SITE } from "./fault.js";
import { displayF32, displayF64, formatFloat } from "./float-format.js";

const VIEW = new DataView(new ArrayBuffer(8));

const DEGREES = { 32: Math.fround(180 / Math.PI), 64: 180 / Math.PI } as const;
const RADIANS = { 32: Math.fround(Math.fround(Math.PI) / 180), 64: Math.PI / 180 } as const;

function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function roundTiesEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function powiWith(x: number, n: number, mul: (a: number, b: number) => number): number {
  const reciprocal = n < 0;
  let b = n;
  let a = x;
  let r = 1;
  for (;;) {
    if (b & 1) r = mul(r, a);
    b = (b / 2) | 0;
    if (b === 0) break;
    a = mul(a, a);
  }
  return reciprocal ? 1 / r : r;
}

function floatOps(round: (x: number) => number, bits: 32 | 64) {
  const r = round;
  return {
    /** The neutral element of `Iterator::sum` for floats is -0.0 (std since 1.81). */
    ZERO: -0 as number,
    ONE: 1 as number,
    add: (a: number, b: number): number => r(a + b),
    sub: (a: number, b: number): number => r(a - b),
    mul: (a: number, b: number): number => r(a * b),
    div: (a: number, b: number): number => r(a / b),
    rem: (a: number, b: number): number => r(a % b),
    abs: Math.abs,
    floor: Math.floor,
    ceil: Math.ceil,
    trunc: Math.trunc,
    round: roundHalfAway,
    round_ties_even: roundTiesEven,
    fract: (x: number): number => r(x - Math.trunc(x)),
    sqrt: (x: number): number => r(Math.sqrt(x)),
    cbrt: (x: number): number => r(Math.cbrt(x)),
    powi: (x: number, n: number): number => r(powiWith(x, n, (a, b) => r(a * b))),
    powf: (x: number, y: number): number => r(Math.pow(x, y)),
    exp: (x: number): number => r(Math.exp(x)),
    exp2: (x: number): number => r(Math.pow(2, x)),
    ln: (x: number): number => r(Math.log(x)),
    log10: (x: number): number => r(Math.log10(x)),
    log2: (x: number): number => r(Math.log2(x)),
    /** `self.ln() / base.ln()`, each step rounded to the type. */
    log: (x: number, base: number): number => r(r(Math.log(x)) / r(Math.log(base))),
    sin: (x: number): number => r(Math.sin(x)),
    cos: (x: number): number => r(Math.cos(x)),
    tan: (x: number): number => r(Math.tan(x)),
    asin: (x: number): number => r(Math.asin(x)),
    acos: (x: number): number => r(Math.acos(x)),
    atan: (x: number): number => r(Math.atan(x)),
    atan2: (y: number, x: number): number => r(Math.atan2(y, x)),
    sinh: (x: number): number => r(Math.sinh(x)),
    cosh: (x: number): number => r(Math.cosh(x)),
    tanh: (x: number): number => r(Math.tanh(x)),
    hypot: (x: number, y: number): number => r(Math.hypot(x, y)),
    /** std multiplies by a constant of the type itself: 180/π rounded to f32 for f32. */
    to_degrees: (x: number): number => r(x * DEGREES[bits]),
    to_radians: (x: number): number => r(x * RADIANS[bits]),
    min: (a: number, b: number): number => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : a <= b ? a : b),
    max: (a: number, b: number): number => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : a >= b ? a : b),
    /** Rust panics when min > max or either bound is NaN. */
    clamp(x: number, lo: number, hi: number, at: Site = UNKNOWN_SITE): number {
      if (!(lo <= hi)) panic(`min > max, or either was NaN. min = ${debug(lo)}, max = ${debug(hi)}`, at);
      return x < lo ? lo : x > hi ? hi : x;
    },
    signum: (x: number): number => (Number.isNaN(x) ? NaN : x > 0 || Object.is(x, 0) ? 1 : -1),
    copysign: (x: number, sign: number): number => {
      const negative = sign < 0 || Object.is(sign, -0) || (Number.isNaN(sign) && signBitOfNaN(sign));
      return negative ? -Math.abs(x) : Math.abs(x);
    },
    rem_euclid(a: number, b: number): number {
      const m = r(a % b);
      return m < 0 ? r(m + Math.abs(b)) : m;
    },
    div_euclid(a: number, b: number): number {
      const q = Math.trunc(r(a / b));
      return r(a % b) < 0 ? (b > 0 ? q - 1 : q + 1) : q;
    },
    is_nan: Number.isNaN as (x: number) => boolean,
    is_finite: Number.isFinite as (x: number) => boolean,
    is_infinite: (x: number): boolean => x === Infinity || x === -Infinity,
    is_sign_negative: (x: number): boolean => x < 0 || Object.is(x, -0),
    is_sign_positive: (x: number): boolean => x > 0 || Object.is(x, 0) || (Number.isNaN(x) && !signBitOfNaN(x)),
    display: bits === 32 ? displayF32 : displayF64,
  };
  function debug(x: number): string {
    return formatFloat(x, { bits, mode: "debug" });
  }
}

function signBitOfNaN(x: number): boolean {
  VIEW.setFloat64(0, x);
  return (VIEW.getUint8(0) & 0x80) !== 0;
}

/** binary64. */
export type f64 = number;
/** binary32, held in a double and rounded with Math.fround after every operation. */
export type f32 = number;

export const f64 = {
  ...floatOps((x) => x, 64),
  MAX: Number.MAX_VALUE,
  MIN: -Number.MAX_VALUE,
  MIN_POSITIVE: 2.2250738585072014e-308,
  EPSILON: Number.EPSILON,
  INFINITY: Infinity,
  NEG_INFINITY: -Infinity,
  NAN: NaN,
  PI: Math.PI,
  E: Math.E,
  /** `x.to_bits()` as u64. */
  to_bits(x: number): bigint {
    VIEW.setFloat64(0, x);
    return VIEW.getBigUint64(0);
  },
  from_bits(bits: bigint): number {
    VIEW.setBigUint64(0, BigInt.asUintN(64, bits));
    return VIEW.getFloat64(0);
  },
  /** `x as f32`. */
  toF32: Math.fround,
};

export const f32 = {
  ...floatOps(Math.fround, 32),
  MAX: 3.4028234663852886e38,
  MIN: -3.4028234663852886e38,
  MIN_POSITIVE: 1.1754943508222875e-38,
  EPSILON: 1.1920928955078125e-7,
  INFINITY: Infinity,
  NEG_INFINITY: -Infinity,
  NAN: NaN,
  PI: Math.fround(Math.PI),
  E: Math.fround(Math.E),
  /** An f64 (or literal) value as f32. */
  of: Math.fround,
  /** `x.to_bits()` as u32. */
  to_bits(x: number): number {
    VIEW.setFloat32(0, x);
    return VIEW.getUint32(0);
  },
  from_bits(bits: number): number {
    VIEW.setUint32(0, bits >>> 0);
    return VIEW.getFloat32(0);
  },
};
