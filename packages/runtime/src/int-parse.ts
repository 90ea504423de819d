/**
 * Text to numbers, the way Rust reads it: `str::parse` for integers and floats (with
 * std's error values), and DPL source literals (`0xff_u8`, `1_000i64`, `2.5e-3f32`), which
 * the emitter reads at compile time to render constants.
 */
import { panic } from "./fault.js";
import { type Result, Err, Ok } from "./option-result.js";
import type { IntName } from "./ints.js";
import { T, type CustomTy } from "./ty.js";

/** Same registered symbol as debug-display's `DPL_DEBUG` (not imported: no load-order coupling). */
const DEBUG_HOOK = Symbol.for("dpl.debug");

export type IntErrorKind = "Empty" | "InvalidDigit" | "PosOverflow" | "NegOverflow" | "Zero";

const INT_ERROR_TEXT: Readonly<Record<IntErrorKind, string>> = {
  Empty: "cannot parse integer from empty string",
  InvalidDigit: "invalid digit found in string",
  PosOverflow: "number too large to fit in target type",
  NegOverflow: "number too small to fit in target type",
  Zero: "number would be zero for non-zero type",
};

/** std's `ParseIntError`: Display is the sentence, Debug is `ParseIntError { kind: InvalidDigit }`. */
export class ParseIntError {
  constructor(readonly kind: IntErrorKind) {}
  to_string(): string {
    return INT_ERROR_TEXT[this.kind];
  }
  [DEBUG_HOOK](): string {
    return `ParseIntError { kind: ${this.kind} }`;
  }
}

export const ParseIntError$ty: CustomTy = T.custom<ParseIntError>("ParseIntError", {
  display: (e) => e.to_string(),
  debug: (e, pretty) => (pretty ? `ParseIntError {\n    kind: ${e.kind},\n}` : `ParseIntError { kind: ${e.kind} }`),
});

export type FloatErrorKind = "Empty" | "Invalid";

export class ParseFloatError {
  constructor(readonly kind: FloatErrorKind) {}
  to_string(): string {
    return this.kind === "Empty" ? "cannot parse float from empty string" : "invalid float literal";
  }
  [DEBUG_HOOK](): string {
    return `ParseFloatError { kind: ${this.kind} }`;
  }
}

export const ParseFloatError$ty: CustomTy = T.custom<ParseFloatError>("ParseFloatError", {
  display: (e) => e.to_string(),
  debug: (e, pretty) => (pretty ? `ParseFloatError {\n    kind: ${e.kind},\n}` : `ParseFloatError { kind: ${e.kind} }`),
});

function digitValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 122) return code - 87;
  if (code >= 65 && code <= 90) return code - 55;
  return 99;
}

/**
 * `from_str_radix` for a type with bounds [min, max]: an optional `+` (or `-` for signed
 * types), then digits, no whitespace or underscores. Errors are reported in scan order,
 * so "999x" into a u8 overflows before it reaches the bad digit, as in std.
 */
export function parseIntText(s: string, radix: number, signed: boolean, min: bigint, max: bigint): Result<bigint, ParseIntError> {
  if (radix < 2 || radix > 36) panic(`from_str_radix_int: must lie in the range \`[2, 36]\` - found ${radix}`);
  if (s.length === 0) return Err(new ParseIntError("Empty"));
  let i = 0;
  let negative = false;
  const first = s.charCodeAt(0);
  if (first === 43 /* + */ || first === 45 /* - */) {
    if (s.length === 1) return Err(new ParseIntError("InvalidDigit"));
    if (first === 43) i = 1;
    else if (signed) {
      negative = true;
      i = 1;
    }
  }
  const r = BigInt(radix);
  let acc = 0n;
  for (; i < s.length; i++) {
    const d = digitValue(s.charCodeAt(i));
    if (d >= radix) return Err(new ParseIntError("InvalidDigit"));
    if (negative) {
      acc = acc * r - BigInt(d);
      if (acc < min) return Err(new ParseIntError("NegOverflow"));
    } else {
      acc = acc * r + BigInt(d);
      if (acc > max) return Err(new ParseIntError("PosOverflow"));
    }
  }
  return Ok(acc);
}

const FLOAT_SYNTAX = /^[+-]?(?:inf|infinity|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/i;

/** `str::parse::<f64>()`: Rust's grammar (no hex, no underscores, no spaces, `inf`/`nan`). */
export function parseF64(s: string): Result<number, ParseFloatError> {
  if (s.length === 0) return Err(new ParseFloatError("Empty"));
  if (!FLOAT_SYNTAX.test(s)) return Err(new ParseFloatError("Invalid"));
  return Ok(decimalToF64(s));
}

/** `str::parse::<f32>()`, rounded once, straight to binary32. */
export function parseF32(s: string): Result<number, ParseFloatError> {
  if (s.length === 0) return Err(new ParseFloatError("Empty"));
  if (!FLOAT_SYNTAX.test(s)) return Err(new ParseFloatError("Invalid"));
  return Ok(decimalToF32(s));
}

function decimalToF64(s: string): number {
  const lower = s.toLowerCase();
  const sign = lower.startsWith("-") ? -1 : 1;
  const body = lower.replace(/^[+-]/, "");
  if (body === "inf" || body === "infinity") return sign * Infinity;
  if (body === "nan") return NaN;
  // JS's Number() rounds decimal text correctly (round-half-even), as Rust's parser does.
  return Number(s);
}

/**
 * Decimal text to binary32 with a single rounding. Going through f64 is exact except when
 * the f64 lands exactly halfway between two binary32 values; then the decimal text itself
 * decides which way to round.
 */
export function decimalToF32(s: string): number {
  const d = decimalToF64(s);
  const f = Math.fround(d);
  if (!Number.isFinite(d) || f === d) return f;
  const other = f32Neighbor(f, d > f);
  const mid = (f + other) / 2; // exact: adjacent binary32 values differ in one more bit than f32 has
  if (mid !== d) return f;
  const side = compareDecimalToDouble(s, mid);
  if (side === 0) return f; // a true tie: Math.fround already rounded to even
  return side > 0 === other > f ? other : f;
}

const F32_VIEW = new DataView(new ArrayBuffer(4));

/** The binary32 value next to `f` in the direction of larger (up) or smaller values. */
function f32Neighbor(f: number, up: boolean): number {
  if (f === 0) return up ? 1.401298464324817e-45 : -1.401298464324817e-45;
  F32_VIEW.setFloat32(0, f);
  const bits = F32_VIEW.getUint32(0);
  const away = up === f > 0;
  F32_VIEW.setUint32(0, away ? bits + 1 : bits - 1);
  return F32_VIEW.getFloat32(0);
}

/** Sign of (decimal text − x), computed exactly with bigints. */
function compareDecimalToDouble(s: string, x: number): number {
  const m = /^([+-]?)(\d*)\.?(\d*)(?:e([+-]?\d+))?$/i.exec(s);
  if (m === null) return 0;
  const negative = m[1] === "-";
  const digits = BigInt((m[2] ?? "") + (m[3] ?? "") || "0");
  const exp10 = Number(m[4] ?? "0") - (m[3] ?? "").length;
  const [mant, exp2] = exactBinary(Math.abs(x));
  // Compare digits·10^exp10 with mant·2^exp2 by scaling both to integers.
  let left = digits;
  let right = mant;
  if (exp10 >= 0) left *= 10n ** BigInt(exp10);
  else right *= 10n ** BigInt(-exp10);
  if (exp2 >= 0) right <<= BigInt(exp2);
  else left <<= BigInt(-exp2);
  const cmp = left === right ? 0 : left > right ? 1 : -1;
  return negative ? -cmp : cmp;
}

const F64_VIEW = new DataView(new ArrayBuffer(8));

/** A finite non-negative double as mant·2^exp with integer mant (exact). */
export function exactBinary(x: number): [bigint, number] {
  F64_VIEW.setFloat64(0, x);
  const hi = F64_VIEW.getUint32(0);
  const lo = F64_VIEW.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return [fraction, -1074];
  return [fraction | (1n << 52n), biased - 1075];
}

export interface IntLiteral {
  readonly value: bigint;
  readonly suffix?: IntName;
}

export interface FloatLiteral {
  readonly value: number;
  readonly suffix?: "f32" | "f64";
}

const INT_LITERAL = /^(0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9][0-9_]*)((?:u|i)(?:8|16|32|64|128|size))?$/;

/**
 * A DPL integer literal (decimal, `0x`, `0o`, `0b`, `_` separators, optional type suffix),
 * or undefined when the text is not one. The value is unbounded: whether it fits its type
 * is the checker's question (Rust's `overflowing_literals`).
 */
export function parseIntLiteral(text: string): IntLiteral | undefined {
  const m = INT_LITERAL.exec(text);
  if (m === null) return undefined;
  const digits = m[1]!.replace(/_/g, "");
  const prefixed = /^0[xob]/.test(digits);
  if (prefixed && digits.length === 2) return undefined;
  // BigInt() reads 0x/0o/0b itself; a decimal with leading zeros ("007") is still decimal.
  const value = prefixed ? BigInt(digits) : BigInt(digits.replace(/^0+(?=\d)/, ""));
  const suffix = m[2];
  // The pattern admits exactly the twelve suffixes.
  return suffix !== undefined ? { value, suffix: suffix as IntName } : { value };
}

const FLOAT_LITERAL = /^([0-9][0-9_]*(?:\.(?:[0-9][0-9_]*)?)?(?:[eE][+-]?_*[0-9][0-9_]*)?)(f32|f64)?$/;

/**
 * A DPL float literal (`1.5`, `2.`, `1e-7`, `1_000.25f32`, and `1f64`: an integer with a
 * float suffix), or undefined. A plain integer without a float suffix is not a float literal.
 */
export function parseFloatLiteral(text: string): FloatLiteral | undefined {
  const m = FLOAT_LITERAL.exec(text);
  if (m === null) return undefined;
  const body = m[1]!.replace(/_/g, "");
  const suffix = m[2] as "f32" | "f64" | undefined;
  if (suffix === undefined && /^\d+$/.test(body)) return undefined;
  const value = suffix === "f32" ? decimalToF32(body) : Number(body);
  return suffix === undefined ? { value } : { value, suffix };
}
