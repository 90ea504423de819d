/**
 * Decoding of literal tokens into values. Invalid literals produce a message (reported
 * as DPL1003 by the parser) and a best-effort value so the tree stays usable.
 */
import type { FloatSuffix, IntSuffix } from "./ast.js";

const INT_SUFFIXES: readonly IntSuffix[] = ["u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize"];
const FLOAT_SUFFIXES: readonly FloatSuffix[] = ["f32", "f64"];

export interface Decoded<T> {
  readonly value: T;
  readonly error: string | null;
}

export interface DecodedInt {
  readonly value: bigint;
  readonly suffix: IntSuffix | null;
  readonly isFloat: boolean;
  readonly error: string | null;
}

const DIGITS: Record<number, RegExp> = {
  2: /^([01_]*)(.*)$/s,
  8: /^([0-7_]*)(.*)$/s,
  10: /^([0-9_]*)(.*)$/s,
  16: /^([0-9a-fA-F_]*)(.*)$/s,
};

export function decodeInt(raw: string): DecodedInt {
  // The common case, plain decimal digits, needs no regex at all.
  if (/^[0-9]+$/.test(raw)) return { value: BigInt(raw), suffix: null, isFloat: false, error: null };
  let radix = 10;
  let body = raw;
  const prefix = raw.slice(0, 2).toLowerCase();
  if (prefix === "0x") (radix = 16), (body = raw.slice(2));
  else if (prefix === "0o") (radix = 8), (body = raw.slice(2));
  else if (prefix === "0b") (radix = 2), (body = raw.slice(2));
  const m = DIGITS[radix]!.exec(body)!;
  const digits = m[1]!.replace(/_/g, "");
  const rest = m[2]!;
  let suffix: IntSuffix | null = null;
  let error: string | null = null;
  let isFloat = false;
  if (rest !== "") {
    const s = rest.startsWith("_") ? rest.replace(/^_+/, "") : rest;
    if ((INT_SUFFIXES as readonly string[]).includes(s)) suffix = s as IntSuffix;
    else if (radix === 10 && (FLOAT_SUFFIXES as readonly string[]).includes(s)) isFloat = true;
    else if (/^[0-9]/.test(s)) error = `invalid digit \`${s[0]}\` in a base-${radix} literal \`${raw}\``;
    else error = `invalid suffix \`${s}\` on the integer literal \`${raw}\`; expected one of ${INT_SUFFIXES.join(", ")}`;
  }
  if (digits === "" && error === null) error = `the literal \`${raw}\` has no digits`;
  const value = digits === "" ? 0n : BigInt(radix === 10 ? digits : (radix === 16 ? "0x" : radix === 8 ? "0o" : "0b") + digits);
  return { value, suffix, isFloat, error };
}

export function decodeFloat(raw: string): { value: number; suffix: FloatSuffix | null; error: string | null } {
  const m = /^([0-9_]+(?:\.[0-9_]+)?(?:[eE][+-]?[0-9_]+)?)(.*)$/.exec(raw)!;
  const value = Number(m[1]!.replace(/_/g, ""));
  const rest = m[2]!.replace(/^_+/, "");
  if (rest === "") return { value, suffix: null, error: null };
  if ((FLOAT_SUFFIXES as readonly string[]).includes(rest)) return { value, suffix: rest as FloatSuffix, error: null };
  return { value, suffix: null, error: `invalid suffix \`${rest}\` on the float literal \`${raw}\`; expected f32 or f64` };
}

/** Decode the escapes of a string or char literal body (without the quotes). */
export function decodeEscapes(body: string): Decoded<string> {
  let out = "";
  let error: string | null = null;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case "n": out += "\n"; break;
      case "r": out += "\r"; break;
      case "t": out += "\t"; break;
      case "0": out += "\0"; break;
      case "\\": out += "\\"; break;
      case "'": out += "'"; break;
      case '"': out += '"'; break;
      case "x": {
        const hex = body.slice(i + 1, i + 3);
        if (/^[0-7][0-9a-fA-F]$/.test(hex)) {
          out += String.fromCharCode(parseInt(hex, 16));
          i += 2;
        } else error ??= `invalid escape \`\\x${hex}\`: expected two hex digits up to 7F`;
        break;
      }
      case "u": {
        const m = /^\{([0-9a-fA-F_]{1,8})\}/.exec(body.slice(i + 1));
        const cp = m ? parseInt(m[1]!.replace(/_/g, ""), 16) : NaN;
        if (m && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
          out += String.fromCodePoint(cp);
          i += m[0].length;
        } else error ??= "invalid unicode escape: expected `\\u{...}` with a valid code point";
        break;
      }
      case "\n":
      case "\r": {
        // A backslash at the end of a line continues the string without the line break
        // and the next line's leading whitespace, as in Rust.
        while (i + 1 < body.length && /\s/.test(body[i + 1]!)) i++;
        break;
      }
      default:
        error ??= `unknown escape \`\\${e ?? ""}\``;
        out += e ?? "";
    }
  }
  return { value: out, error };
}

/**
 * The dustlang surface's quantity literals (`1kHz`, `2ms`, `100us`, as the v0.1 sketch
 * CryoLink.ds writes them): a duration is a whole number of nanoseconds, a frequency of
 * hertz (docs/language.md, "The dustlang surface"). Exact: `1.5ms` is 1500000 ns, and a
 * value that is not a whole number of its base unit (`0.5ns`) is an error.
 */
export const QUANTITY_UNITS: ReadonlyMap<string, { readonly base: "ns" | "Hz"; readonly scale: bigint }> = new Map([
  ["ns", { base: "ns", scale: 1n }],
  ["us", { base: "ns", scale: 1_000n }],
  ["ms", { base: "ns", scale: 1_000_000n }],
  ["s", { base: "ns", scale: 1_000_000_000n }],
  ["Hz", { base: "Hz", scale: 1n }],
  ["kHz", { base: "Hz", scale: 1_000n }],
  ["MHz", { base: "Hz", scale: 1_000_000n }],
  ["GHz", { base: "Hz", scale: 1_000_000_000n }],
] as const);

export interface DecodedQuantity {
  readonly value: bigint;
  readonly base: "ns" | "Hz";
  readonly error: string | null;
}

/** A decimal number with a unit suffix; null when the suffix is not a unit. */
export function decodeQuantity(raw: string): DecodedQuantity | null {
  const m = /^([0-9][0-9_]*)(?:\.([0-9][0-9_]*))?([A-Za-z]+)$/.exec(raw);
  if (!m) return null;
  const unit = QUANTITY_UNITS.get(m[3]!);
  if (!unit) return null;
  const whole = m[1]!.replace(/_/g, "");
  const frac = (m[2] ?? "").replace(/_/g, "");
  const scaled = BigInt(whole + frac) * unit.scale;
  const div = 10n ** BigInt(frac.length);
  if (scaled % div !== 0n) {
    return { value: scaled / div, base: unit.base, error: `the quantity \`${raw}\` is not a whole number of ${unit.base === "ns" ? "nanoseconds" : "hertz"}` };
  }
  return { value: scaled / div, base: unit.base, error: null };
}

/** The units a quantity literal may carry, for messages. */
export function quantityUnitList(): string {
  return [...QUANTITY_UNITS.keys()].join(", ");
}
