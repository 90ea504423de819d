/**
 * Display (`{}`) and Debug (`{:?}`, `{:#?}`) of whole values, driven by type descriptors.
 *
 * Debug follows `#[derive(Debug)]` and std's impls to the character:
 *   Some(3)  Ok("a\n")  [1, 2]  (1,)  ()  Point { x: 1.0, y: 2.0 }  Meters(5)  Unit  Less
 * and with `#` the pretty form, four spaces per level, a trailing comma after every field.
 * A spec's width, fill, sign and precision reach the leaves, as std's derived impls pass
 * the same Formatter down: `{:5?}` of Some(1) is `Some(    1)`. Leaves that std writes
 * without padding (strings, chars and unit-variant names under Debug) ignore the width.
 *
 * Leaves (integers, floats, strings, chars, bools) are formatted under the resolved spec
 * with std's three padding routines, reproduced exactly:
 *  - `pad` (strings, chars, bools, `()`): precision truncates to that many chars, default
 *    alignment left, the `0` flag is ignored;
 *  - `pad_integral` (integers): sign, then `0x`-style prefix with `#`, default alignment
 *    right; with `0` the zeros go between sign/prefix and digits (`-0042`, `0x002a`);
 *  - `pad_formatted_parts` (floats, `{:e}` of integers): like integers, without a prefix.
 * Widths count chars (Unicode scalar values), as `str::chars().count()` does.
 */
import { raiseDomainPanic } from "./fault.js";
import { escapeDebugChar, escapeDebugStr } from "./string.js";
import { sealedDomain } from "./domains.js";
import { type CollectionDebug, type IntTy, type Shape, type Ty, tyName } from "./ty.js";
import type { FmtType } from "./format-parse.js";
import { Vec } from "./vec.js";
import { displayF64, floatParts } from "./float-format.js";

// ---- leaves ----

/** A format spec with its `$`/`*` counts resolved to numbers. */
export interface Fmt {
  readonly fill: string;
  readonly align?: "<" | ">" | "^";
  readonly plus: boolean;
  readonly alternate: boolean;
  readonly zero: boolean;
  readonly width?: number;
  readonly precision?: number;
  readonly type: FmtType;
}

export const PLAIN: Fmt = Object.freeze({ fill: " ", plus: false, alternate: false, zero: false, type: "" });
export const PRETTY: Fmt = Object.freeze({ fill: " ", plus: false, alternate: true, zero: false, type: "?" });

function charCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/** Wraps `body` in fill characters up to `width`; `deflt` is the type's default alignment. */
function padTo(body: string, bodyChars: number, width: number, fill: string, align: Fmt["align"], deflt: "<" | ">"): string {
  if (bodyChars >= width) return body;
  const n = width - bodyChars;
  const a = align ?? deflt;
  const pre = a === "<" ? 0 : a === ">" ? n : Math.floor(n / 2);
  return fill.repeat(pre) + body + fill.repeat(n - pre);
}

/** std's `Formatter::pad`. */
export function pad(s: string, f: Fmt): string {
  if (f.width === undefined && f.precision === undefined) return s;
  let text = s;
  if (f.precision !== undefined && charCount(s) > f.precision) text = Array.from(s).slice(0, f.precision).join("");
  return f.width === undefined ? text : padTo(text, charCount(text), f.width, f.fill, f.align, "<");
}

/** std's `Formatter::pad_integral`. */
export function padIntegral(nonNegative: boolean, prefix: string, digits: string, f: Fmt): string {
  const sign = !nonNegative ? "-" : f.plus ? "+" : "";
  const head = sign + (f.alternate ? prefix : "");
  const len = head.length + digits.length;
  if (f.width === undefined || len >= f.width) return head + digits;
  if (f.zero) return head + "0".repeat(f.width - len) + digits;
  return padTo(head + digits, len, f.width, f.fill, f.align, ">");
}

/** std's `Formatter::pad_formatted_parts` for a sign and an ASCII body. */
export function padParts(sign: string, body: string, f: Fmt): string {
  if (f.width === undefined) return sign + body;
  if (f.zero) {
    const width = Math.max(0, f.width - sign.length);
    return sign + (body.length >= width ? body : "0".repeat(width - body.length) + body);
  }
  return padTo(sign + body, sign.length + body.length, f.width, f.fill, f.align, ">");
}

/** An integer's bit pattern in its own width, for `{:x}` of a negative value. */
function twosComplement(value: bigint, bits: number): bigint {
  return BigInt.asUintN(bits, value);
}

/** `{}`, `{:x}`, `{:X}`, `{:o}`, `{:b}`, `{:e}`, `{:E}` (and their `?` forms) of an integer. */
export function formatInt(value: number | bigint, ty: IntTy, f: Fmt): string {
  switch (f.type) {
    case "x":
    case "x?":
      return radix(value, ty, 16, "0x", false, f);
    case "X":
    case "X?":
      return radix(value, ty, 16, "0x", true, f);
    case "o":
      return radix(value, ty, 8, "0o", false, f);
    case "b":
      return radix(value, ty, 2, "0b", false, f);
    case "e":
    case "E":
      return intExp(BigInt(value), f.type, f);
    default: {
      const negative = value < 0;
      const digits = (negative ? -value : value).toString();
      return padIntegral(!negative, "", digits, f);
    }
  }
}

function radix(value: number | bigint, ty: IntTy, base: number, prefix: string, upper: boolean, f: Fmt): string {
  const pattern = value < 0 ? twosComplement(BigInt(value), ty.bits) : value;
  const digits = pattern.toString(base);
  return padIntegral(true, prefix, upper ? digits.toUpperCase() : digits, f);
}

/** `{:e}` of an integer: trailing zeros become the exponent; a precision rounds half to even. */
function intExp(value: bigint, letter: "e" | "E", f: Fmt): string {
  const negative = value < 0n;
  let digits = (negative ? -value : value).toString();
  let exp = digits.length - 1;
  digits = digits.replace(/0+$/, "") || "0";
  if (f.precision !== undefined && digits.length > f.precision + 1) {
    const keep = f.precision + 1;
    let head = BigInt(digits.slice(0, keep));
    const dropped = digits.slice(keep);
    const first = dropped.charCodeAt(0) - 48;
    const exactlyHalf = first === 5 && /^5$/.test(dropped);
    if (first > 5 || (first === 5 && (!exactlyHalf || (head & 1n) === 1n))) head += 1n;
    digits = head.toString();
    if (digits.length > keep) {
      digits = digits.slice(0, keep);
      exp += 1;
    }
  }
  let mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  if (f.precision !== undefined) {
    const missing = f.precision - (digits.length - 1);
    if (missing > 0) mantissa += (digits.length > 1 ? "" : ".") + "0".repeat(missing);
  }
  return padParts(negative ? "-" : f.plus ? "+" : "", `${mantissa}${letter}${exp}`, f);
}

/** An f32/f64 under Display (`debug` false) or Debug, or `{:e}`/`{:E}`. */
export function formatFloatLeaf(x: number, bits: 32 | 64, debug: boolean, f: Fmt): string {
  const mode = f.type === "e" ? "exp" : f.type === "E" ? "EXP" : debug ? "debug" : "display";
  const parts = floatParts(x, { bits, mode, plus: f.plus, ...(f.precision !== undefined && { precision: f.precision }) });
  return padParts(parts.sign, parts.body, f);
}

// ---- whole values ----

/**
 * A method under this key gives a value's Debug text when no descriptor is at hand
 * (fault messages): std error types have one, and the emitter may add it to user types.
 */
export const DPL_DEBUG: unique symbol = Symbol.for("dpl.debug");

const INDENT = "    ";

function indent(text: string): string {
  return INDENT + text.replace(/\n/g, `\n${INDENT}`);
}

/** `debug_tuple`/`debug_list` style: name, delimiters, items. */
function seq(open: string, close: string, items: readonly string[], pretty: boolean, singleTupleComma = false): string {
  if (items.length === 0) return open + close;
  if (pretty) return `${open}\n${items.map((i) => `${indent(i)},\n`).join("")}${close}`;
  return `${open}${items.join(", ")}${singleTupleComma && items.length === 1 ? "," : ""}${close}`;
}

function structBody(name: string, fields: readonly [string, string][], pretty: boolean): string {
  if (fields.length === 0) return name;
  if (pretty) return `${name} {\n${fields.map(([k, v]) => `${indent(`${k}: ${v}`)},\n`).join("")}}`;
  return `${name} { ${fields.map(([k, v]) => `${k}: ${v}`).join(", ")} }`;
}

function elementsOf(value: unknown): readonly unknown[] {
  if (value instanceof Vec) return value.data;
  if (Array.isArray(value)) return value;
  throw new TypeError(`expected a Vec or array, got ${typeof value}`);
}

/** Payload of a struct or variant `value` with the given shape, formatted as Debug. */
function shapeDebug(name: string, shape: Shape, value: Record<string, unknown>, f: Fmt): string {
  const pretty = f.alternate;
  if (shape === null) return name;
  if (Array.isArray(shape)) {
    const tys = shape as readonly Ty[];
    return seq(`${name}(`, ")", tys.map((t, i) => debugWith(value[`_${i}`], t, f)), pretty);
  }
  const named = shape as { readonly [field: string]: Ty };
  return structBody(
    name,
    Object.keys(named).map((k) => [k, debugWith(value[k], named[k]!, f)]),
    pretty,
  );
}

/** std's `debug_map` / `debug_set` / `debug_list` over a collection's item vectors. */
function collectionDebug(kind: CollectionDebug, shape: Shape, value: Record<string, unknown>, f: Fmt): string {
  const fields = shape !== null && !Array.isArray(shape) ? (shape as { readonly [field: string]: Ty }) : {};
  const [first, second] = Object.keys(fields);
  const elemTy = (field: string): Ty => {
    const t = fields[field]!;
    if (t.kind !== "vec") throw new TypeError(`collection field ${field} is not a Vec`);
    return t.elem;
  };
  if (first === undefined) throw new TypeError("a collection descriptor needs its item fields");
  const items = elementsOf(value[first]);
  if (kind === "map") {
    if (second === undefined) throw new TypeError("a map descriptor needs a keys and a values field");
    const vals = elementsOf(value[second]);
    const kt = elemTy(first);
    const vt = elemTy(second);
    return seq("{", "}", items.map((k, i) => `${debugWith(k, kt, f)}: ${debugWith(vals[i], vt, f)}`), f.alternate);
  }
  const t = elemTy(first);
  const texts = items.map((x) => debugWith(x, t, f));
  return kind === "set" ? seq("{", "}", texts, f.alternate) : seq("[", "]", texts, f.alternate);
}

function refuseOpaque(value: unknown, ty: Ty): never {
  const domain = sealedDomain(value) ?? (ty.kind === "opaque" ? ty.domain : "Q");
  raiseDomainPanic(`${domain} state cannot be formatted (${tyName(ty)}): DPL3003 forbids exposing it`);
}

/** Debug of `value` (of DPL type `ty`) under the resolved spec `f`. */
export function debugWith(value: unknown, ty: Ty, f: Fmt): string {
  if (sealedDomain(value) !== undefined) refuseOpaque(value, ty);
  const pretty = f.alternate;
  switch (ty.kind) {
    case "int":
      return formatInt(value as number | bigint, ty, f);
    case "float":
      return formatFloatLeaf(value as number, ty.bits, true, f);
    case "bool":
      return pad(String(value), f);
    case "char":
      return escapeDebugChar(value as number);
    case "str":
      return escapeDebugStr(value as string);
    case "unit":
      return pad("()", f);
    case "ordering":
      return (value as { $tag: string }).$tag;
    case "vec":
      return seq(
        "[",
        "]",
        elementsOf(value).map((x) => debugWith(x, ty.elem, f)),
        pretty,
      );
    case "tuple": {
      const items = elementsOf(value);
      return seq(
        "(",
        ")",
        ty.elems.map((t, i) => debugWith(items[i], t, f)),
        pretty,
        true,
      );
    }
    case "option": {
      const o = value as { $tag: string; _0?: unknown };
      return o.$tag === "Some" ? seq("Some(", ")", [debugWith(o._0, ty.elem, f)], pretty) : "None";
    }
    case "result": {
      const r = value as { $tag: string; _0: unknown };
      return seq(`${r.$tag}(`, ")", [debugWith(r._0, r.$tag === "Ok" ? ty.ok : ty.err, f)], pretty);
    }
    case "struct":
      if (ty.debugAs !== undefined) return collectionDebug(ty.debugAs, ty.shape(), value as Record<string, unknown>, f);
      return shapeDebug(ty.name, ty.shape(), value as Record<string, unknown>, f);
    case "enum": {
      const v = value as Record<string, unknown> & { $tag: string };
      const variants = ty.variants();
      if (!(v.$tag in variants)) throw new TypeError(`${ty.name} has no variant ${v.$tag}`);
      return shapeDebug(v.$tag, variants[v.$tag]!, v, f);
    }
    case "custom":
      if (ty.debug === undefined) throw new TypeError(`${ty.name} does not implement Debug`);
      return ty.debug(value as never, pretty);
    case "opaque":
      return refuseOpaque(value, ty);
  }
}

/** Display of `value` under `f`; only types with a Display impl get here (the checker says so). */
export function displayWith(value: unknown, ty: Ty, f: Fmt): string {
  if (sealedDomain(value) !== undefined) refuseOpaque(value, ty);
  switch (ty.kind) {
    case "int":
      return formatInt(value as number | bigint, ty, f);
    case "float":
      return formatFloatLeaf(value as number, ty.bits, false, f);
    case "bool":
      return pad(String(value), f);
    case "char":
      return pad(String.fromCodePoint(value as number), f);
    case "str":
      return pad(value as string, f);
    case "custom":
      if (ty.display === undefined) throw new TypeError(`${ty.name} does not implement Display`);
      return ty.display(value as never);
    case "struct":
    case "enum":
      // The program's own `fmt` decides the text; `{:>8}` is not applied to it (Rust pads
      // only through `f.pad`).
      if (ty.display === undefined) throw new TypeError(`${ty.name} does not implement Display`);
      return ty.display(value as never);
    case "opaque":
      return refuseOpaque(value, ty);
    default:
      throw new TypeError(`${tyName(ty)} does not implement Display`);
  }
}

/** `format!("{:?}", value)`. */
export function debugOf(value: unknown, ty: Ty): string {
  return debugWith(value, ty, { ...PLAIN, type: "?" });
}

/** `format!("{:#?}", value)`. */
export function prettyDebugOf(value: unknown, ty: Ty): string {
  return debugWith(value, ty, PRETTY);
}

/** `value.to_string()`, i.e. `format!("{}", value)`. */
export function displayOf(value: unknown, ty: Ty): string {
  return displayWith(value, ty, PLAIN);
}

/**
 * Best-effort Debug without a descriptor, for fault messages only (`unwrap` on an `Err`
 * whose type the emitter did not pass). Exact for everything but two cases it cannot tell
 * apart: a whole-number f64 prints as an integer (`1` for 1.0) and a char as its code point.
 */
export function debugFallback(value: unknown): string {
  switch (typeof value) {
    case "bigint":
      return value.toString();
    case "number":
      return Number.isInteger(value) ? String(value) : displayF64(value);
    case "string":
      return escapeDebugStr(value);
    case "boolean":
      return String(value);
    case "undefined":
      return "()";
    default:
      break;
  }
  if (value === null || typeof value !== "object") return String(value);
  if (sealedDomain(value) !== undefined) return `${sealedDomain(value)}<opaque>`;
  const hook = (value as { [DPL_DEBUG]?: () => string })[DPL_DEBUG];
  if (typeof hook === "function") return hook.call(value);
  if (value instanceof Vec) return seq("[", "]", value.data.map(debugFallback), false);
  if (Array.isArray(value)) return seq("(", ")", value.map(debugFallback), false, true);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => k !== "$tag");
  const tag = record.$tag;
  const name = typeof tag === "string" ? tag : (value.constructor?.name ?? "");
  if (keys.length > 0 && keys.every((k, i) => k === `_${i}`)) return seq(`${name}(`, ")", keys.map((k) => debugFallback(record[k])), false);
  return structBody(
    name,
    keys.map((k) => [k, debugFallback(record[k])]),
    false,
  );
}
