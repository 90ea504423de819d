/**
 * f32/f64 to text exactly as Rust's `core::fmt` prints them.
 *
 *  - Display (`{}`) uses the shortest digits that round-trip and never an exponent:
 *    1.0 -> `1`, 0.1+0.2 -> `0.30000000000000004`, 1e21 -> `1000000000000000000000`,
 *    1e-7 -> `0.0000001`, -0.0 -> `-0`, NaN -> `NaN`, ±inf -> `inf`/`-inf`.
 *  - Debug (`{:?}`) is the same with at least one fractional digit (`1.0`), but switches to
 *    exponent form outside 1e-4 <= |x| < 1e16 (`1e21`, `1e-7`), like Rust >= 1.58.
 *  - A precision (`{:.3}`) rounds the exact binary value half-to-even, as Rust's Dragon4
 *    does (`{:.1}` of 0.25 is `0.2`, `{:.0}` of 2.5 is `2`): JS `toFixed` rounds ties up
 *    and gives up above 1e21, so it is not used.
 *  - `{:e}`/`{:E}`: shortest mantissa (`1.2345e3`, `1e0`), or exactly `prec` fractional
 *    digits with `{:.2e}`.
 * f64 shortest digits come from `Number.prototype.toExponential()`, which ECMAScript defines
 * as the shortest round-tripping digits closest to the value, the same digits Rust's Grisu/
 * Dragon pick. f32 values get their own shortest search, since their digits are fewer than
 * those of the same number read as an f64 (0.1f32 prints `0.1`, not `0.10000000149011612`).
 */
import { decimalToF32, exactBinary } from "./int-parse.js";

export interface FloatFormat {
  /** 32 for f32 (shortest digits are those of binary32), 64 otherwise. */
  readonly bits: 32 | 64;
  readonly precision?: number;
  readonly plus?: boolean;
  readonly mode: "display" | "debug" | "exp" | "EXP";
}

/** Sign and body separately, because `{:08}` puts the zeros between them. */
export interface FloatParts {
  readonly sign: "" | "-" | "+";
  readonly body: string;
}

export function formatFloat(x: number, format: FloatFormat): string {
  const parts = floatParts(x, format);
  return parts.sign + parts.body;
}

/** `{}` of an f64 (what `to_string()` returns). */
export function displayF64(x: number): string {
  return formatFloat(x, { bits: 64, mode: "display" });
}

export function displayF32(x: number): string {
  return formatFloat(x, { bits: 32, mode: "display" });
}

export function floatParts(x: number, format: FloatFormat): FloatParts {
  if (Number.isNaN(x)) return { sign: "", body: "NaN" };
  const negative = x < 0 || Object.is(x, -0);
  const sign = negative ? "-" : format.plus === true ? "+" : "";
  const abs = Math.abs(x);
  if (abs === Infinity) return { sign, body: "inf" };
  const { precision } = format;
  switch (format.mode) {
    case "display":
      return { sign, body: precision === undefined ? shortestDecimal(abs, format.bits, 0) : fixedExact(abs, precision) };
    case "debug":
      if (precision !== undefined) return { sign, body: fixedExact(abs, precision) };
      if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) return { sign, body: shortestExp(abs, format.bits, "e") };
      return { sign, body: shortestDecimal(abs, format.bits, 1) };
    case "exp":
    case "EXP": {
      const letter = format.mode === "exp" ? "e" : "E";
      return { sign, body: precision === undefined ? shortestExp(abs, format.bits, letter) : exactExp(abs, precision, letter) };
    }
  }
}

/** Shortest round-trip digits of a positive finite value: value = 0.DIGITS × 10^point. */
export function shortestDigits(abs: number, bits: 32 | 64): { digits: string; point: number } {
  if (abs === 0) return { digits: "0", point: 1 };
  const text = bits === 32 ? shortestF32Text(abs) : abs.toExponential();
  return splitExponential(text);
}

function splitExponential(text: string): { digits: string; point: number } {
  const e = text.indexOf("e");
  const mantissa = text.slice(0, e).replace(".", "");
  const digits = mantissa.replace(/0+$/, "") || "0";
  return { digits, point: Number(text.slice(e + 1)) + 1 };
}

function shortestF32Text(abs: number): string {
  for (let p = 1; p <= 9; p++) {
    const nearest = abs.toExponential(p - 1);
    if (decimalToF32(nearest) === abs) return nearest;
    // Next to a power of two the rounding interval is lopsided: the nearest p-digit number
    // may fall just outside on the narrow side while its neighbour lies inside the wide side.
    for (const neighbour of [stepLastDigit(nearest, 1), stepLastDigit(nearest, -1)]) {
      if (neighbour !== undefined && decimalToF32(neighbour) === abs) return neighbour;
    }
  }
  return abs.toExponential(8);
}

/** `d.ddde±n` with its last mantissa digit moved by ±1 (carrying), or undefined at the edge. */
function stepLastDigit(text: string, delta: 1 | -1): string | undefined {
  const e = text.indexOf("e");
  const mantissa = text.slice(0, e).replace(".", "");
  let exp = Number(text.slice(e + 1));
  let n = BigInt(mantissa) + BigInt(delta);
  const width = mantissa.length;
  if (n <= 0n) return undefined;
  let digits = n.toString();
  if (digits.length > width) {
    n /= 10n;
    digits = n.toString();
    exp += 1;
  } else if (digits.length < width) {
    digits = digits + "0";
    exp -= 1;
  }
  const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${body}e${exp >= 0 ? "+" : ""}${exp}`;
}

function shortestDecimal(abs: number, bits: 32 | 64, minFrac: number): string {
  if (abs === 0) return minFrac > 0 ? "0." + "0".repeat(minFrac) : "0";
  const { digits, point } = shortestDigits(abs, bits);
  let out: string;
  if (point <= 0) out = "0." + "0".repeat(-point) + digits;
  else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
  else out = digits.slice(0, point) + "." + digits.slice(point);
  if (minFrac > 0 && !out.includes(".")) out += "." + "0".repeat(minFrac);
  return out;
}

function shortestExp(abs: number, bits: 32 | 64, letter: "e" | "E"): string {
  const { digits, point } = shortestDigits(abs, bits);
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${mantissa}${letter}${abs === 0 ? 0 : point - 1}`;
}

/** num/den rounded to an integer, ties to even. */
function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const twice = (num % den) * 2n;
  return twice > den || (twice === den && (q & 1n) === 1n) ? q + 1n : q;
}

/** The exact value of `abs` as a fraction num/den. */
function exactFraction(abs: number): [bigint, bigint] {
  const [mant, exp2] = exactBinary(abs);
  return exp2 >= 0 ? [mant << BigInt(exp2), 1n] : [mant, 1n << BigInt(-exp2)];
}

/** `{:.p}`: the exact value rounded to p fractional digits. */
export function fixedExact(abs: number, p: number): string {
  const [num, den] = exactFraction(abs);
  const q = roundHalfEven(num * 10n ** BigInt(p), den);
  if (p === 0) return q.toString();
  const text = q.toString().padStart(p + 1, "0");
  return `${text.slice(0, text.length - p)}.${text.slice(text.length - p)}`;
}

/** `{:.pe}`: p+1 significant digits, rounded from the exact value. */
function exactExp(abs: number, p: number, letter: "e" | "E"): string {
  let digits: string;
  let exp: number;
  if (abs === 0) {
    digits = "0".repeat(p + 1);
    exp = 0;
  } else {
    const [num, den] = exactFraction(abs);
    exp = Math.floor(Math.log10(abs));
    let q = scaledRound(num, den, p - exp);
    // log10 can be off by one near powers of ten, and rounding can carry into a new digit.
    if (q >= 10n ** BigInt(p + 1)) {
      exp += 1;
      q = scaledRound(num, den, p - exp);
    } else if (q < 10n ** BigInt(p)) {
      exp -= 1;
      q = scaledRound(num, den, p - exp);
      if (q >= 10n ** BigInt(p + 1)) {
        exp += 1;
        q = scaledRound(num, den, p - exp);
      }
    }
    digits = q.toString();
  }
  const mantissa = p > 0 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${mantissa}${letter}${exp}`;
}

function scaledRound(num: bigint, den: bigint, scale: number): bigint {
  return scale >= 0 ? roundHalfEven(num * 10n ** BigInt(scale), den) : roundHalfEven(num, den * 10n ** BigInt(-scale));
}
