/**
 * `String`/`&str` and `char` operations with Rust's semantics on top of JS strings.
 *
 * A DPL String is an immutable JS string; a char is its code point (a number). What
 * differs from JS, and is handled here:
 *  - lengths and indices are UTF-8 byte counts (`"é".len()` is 2), as usize (a `number`; see int-hybrid.ts);
 *  - slicing `&s[a..b]` faults unless both ends are char boundaries, with std's message;
 *  - whitespace is Unicode `White_Space` (JS `trim` also strips U+FEFF, Rust does not);
 *  - `split("")`, `lines()` and `split_whitespace()` follow std, not `String.prototype.split`.
 * Mutating methods (`push_str`, `pop`, `insert`, `remove`, `truncate`, `clear`) either return
 * the new string (push, push_str: the emitter writes `s = Str.push(s, c)` or `s += t`) or
 * take the place as a `MutRef<string>` when they also return something.
 */
import { type Site, UNKNOWN_SITE, panic, raiseCharBoundary } from "./fault.js";
import { type Option, None, Some } from "./option-result.js";
import { Iter } from "./iter.js";
import { type MutRef, Vec } from "./vec.js";
import type { usize } from "./ints.js";

/** UTF-8 length of a JS string (lone surrogates count 3, as WTF-8 would). */
export function utf8Len(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

export function charLenUtf8(c: number): number {
  return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

/** The UTF-16 index of a byte offset, or -1 when the offset is inside a character. */
function unitIndexOfByte(s: string, byte: number): number {
  let bytes = 0;
  let i = 0;
  while (i < s.length && bytes < byte) {
    const cp = s.codePointAt(i)!;
    bytes += charLenUtf8(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return bytes === byte ? i : -1;
}

function byteIndexOfUnit(s: string, unit: number): number {
  return utf8Len(s.slice(0, unit));
}

const TRUNCATE_AT = 256;

/** Everything `str::slice_error_fail` reports, in its order of checks. */
function sliceFault(s: string, begin: usize, end: usize, at: Site): never {
  const len = utf8Len(s);
  let shownUnits = s.length;
  if (len > TRUNCATE_AT) {
    let b = TRUNCATE_AT;
    while (unitIndexOfByte(s, b) < 0) b--;
    shownUnits = unitIndexOfByte(s, b);
  }
  const shown = `\`${s.slice(0, shownUnits)}\`${shownUnits < s.length ? "[...]" : ""}`;
  if (begin > len || end > len) raiseCharBoundary(`byte index ${begin > len ? begin : end} is out of bounds of ${shown}`, at);
  if (begin > end) raiseCharBoundary(`begin <= end (${begin} <= ${end}) when slicing ${shown}`, at);
  const index = unitIndexOfByte(s, Number(begin)) < 0 ? begin : end;
  let start = Number(index);
  while (unitIndexOfByte(s, start) < 0) start--;
  const ch = s.codePointAt(unitIndexOfByte(s, start))!;
  raiseCharBoundary(
    `byte index ${index} is not a char boundary; it is inside ${escapeDebugChar(ch)} (bytes ${start}..${start + charLenUtf8(ch)}) of ${shown}`,
    at,
  );
}

// ---- Debug escaping (char::escape_debug as str/char Debug use it) ----

/** Rust's `is_printable` is false for exactly these general categories (space excepted). */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
const GRAPHEME_EXTEND = /\p{Grapheme_Extend}/u;

function escapeChar(cp: number, quote: 34 | 39): string {
  switch (cp) {
    case 0:
      return "\\0";
    case 9:
      return "\\t";
    case 10:
      return "\\n";
    case 13:
      return "\\r";
    case 92:
      return "\\\\";
    case quote:
      return quote === 34 ? '\\"' : "\\'";
    default:
      break;
  }
  if (cp >= 0x20 && cp < 0x7f) return String.fromCharCode(cp);
  const ch = String.fromCodePoint(cp);
  if (cp !== 0x20 && (NOT_PRINTABLE.test(ch) || GRAPHEME_EXTEND.test(ch))) return `\\u{${cp.toString(16)}}`;
  return ch;
}

/** `{:?}` of a string: `"a\"b\n"`. */
export function escapeDebugStr(s: string): string {
  let out = '"';
  for (const ch of s) out += escapeChar(ch.codePointAt(0)!, 34);
  return out + '"';
}

/** `{:?}` of a char: `'\''`, `'"'`, `'\u{301}'`. */
export function escapeDebugChar(c: number): string {
  return `'${escapeChar(c, 39)}'`;
}

// ---- String ----

type Pattern = string | number | ((c: number) => boolean);

function patternText(p: string | number): string {
  return typeof p === "number" ? String.fromCodePoint(p) : p;
}

const WHITE_SPACE = /\p{White_Space}/u;
const LEADING_WS = /^\p{White_Space}+/u;
const TRAILING_WS = /\p{White_Space}+$/u;

function splitBy(s: string, pat: Pattern): string[] {
  if (typeof pat === "function") {
    const parts: string[] = [];
    let cur = "";
    for (const ch of s) {
      if (pat(ch.codePointAt(0)!)) {
        parts.push(cur);
        cur = "";
      } else cur += ch;
    }
    parts.push(cur);
    return parts;
  }
  const text = patternText(pat);
  // Rust's empty pattern matches at every char boundary, including both ends.
  if (text === "") return ["", ...Array.from(s), ""];
  return s.split(text);
}

export const Str = {
  /** `s.len()`: bytes of UTF-8. */
  len: (s: string): usize => utf8Len(s),
  is_empty: (s: string): boolean => s.length === 0,
  push: (s: string, c: number): string => s + String.fromCodePoint(c),
  push_str: (s: string, t: string): string => s + t,
  pop(place: MutRef<string>): Option<number> {
    const s = place.value;
    if (s.length === 0) return None;
    const last = s.codePointAt(s.length - 1 - (s.length > 1 && isLowSurrogate(s.charCodeAt(s.length - 1)) ? 1 : 0))!;
    place.value = s.slice(0, s.length - (last > 0xffff ? 2 : 1));
    return Some(last);
  },
  /** `s.remove(byte_idx)`: the char there, faulting if it is not a boundary. */
  remove(place: MutRef<string>, byte: usize, at: Site = UNKNOWN_SITE): number {
    const s = place.value;
    const i = unitIndexOfByte(s, Number(byte));
    // std slices `self[idx..]` first, so a bad index faults as slicing does.
    if (i < 0) sliceFault(s, byte, utf8Len(s), at);
    if (i >= s.length) panic("cannot remove a char from the end of a string", at);
    const c = s.codePointAt(i)!;
    place.value = s.slice(0, i) + s.slice(i + (c > 0xffff ? 2 : 1));
    return c;
  },
  insert(place: MutRef<string>, byte: usize, c: number, at: Site = UNKNOWN_SITE): void {
    Str.insert_str(place, byte, String.fromCodePoint(c), at);
  },
  insert_str(place: MutRef<string>, byte: usize, t: string, at: Site = UNKNOWN_SITE): void {
    const s = place.value;
    const i = unitIndexOfByte(s, Number(byte));
    if (i < 0) panic("assertion failed: self.is_char_boundary(idx)", at);
    place.value = s.slice(0, i) + t + s.slice(i);
  },
  truncate(place: MutRef<string>, len: usize, at: Site = UNKNOWN_SITE): void {
    const s = place.value;
    if (len >= utf8Len(s)) return;
    const i = unitIndexOfByte(s, Number(len));
    if (i < 0) panic("assertion failed: self.is_char_boundary(new_len)", at);
    place.value = s.slice(0, i);
  },
  clear(place: MutRef<string>): void {
    place.value = "";
  },
  /** `&s[a..b]`, `&s[a..]`, `&s[..b]` by byte offsets. */
  slice(s: string, start: usize | undefined, end: usize | undefined, at: Site = UNKNOWN_SITE): string {
    const begin = start ?? 0;
    const stop = end ?? utf8Len(s);
    const i = unitIndexOfByte(s, Number(begin));
    const j = unitIndexOfByte(s, Number(stop));
    if (begin > stop || i < 0 || j < 0) sliceFault(s, begin, stop, at);
    return s.slice(i, j);
  },
  /** `s.get(a..b)`: None instead of a fault. */
  get(s: string, start: usize | undefined, end: usize | undefined): Option<string> {
    const begin = start ?? 0;
    const stop = end ?? utf8Len(s);
    const i = unitIndexOfByte(s, Number(begin));
    const j = unitIndexOfByte(s, Number(stop));
    return begin > stop || i < 0 || j < 0 ? None : Some(s.slice(i, j));
  },
  is_char_boundary: (s: string, byte: usize): boolean => unitIndexOfByte(s, Number(byte)) >= 0,
  chars(s: string): Iter<number> {
    return Iter.fromArray(Array.from(s, (ch) => ch.codePointAt(0)!));
  },
  char_indices(s: string): Iter<[usize, number]> {
    const out: [usize, number][] = [];
    let byte = 0;
    for (const ch of s) {
      const cp = ch.codePointAt(0)!;
      out.push([byte, cp]);
      byte += charLenUtf8(cp);
    }
    return Iter.fromArray(out);
  },
  bytes: (s: string): Iter<number> => Iter.fromArray(Array.from(new TextEncoder().encode(s))),
  as_bytes: (s: string): Vec<number> => new Vec(Array.from(new TextEncoder().encode(s))),
  /** `String::from_utf8_lossy(&bytes)`: invalid sequences become U+FFFD. */
  from_utf8_lossy: (bytes: Vec<number>): string => new TextDecoder("utf-8").decode(Uint8Array.from(bytes.data)),
  contains: (s: string, pat: Pattern): boolean =>
    typeof pat === "function" ? Array.from(s).some((ch) => pat(ch.codePointAt(0)!)) : s.includes(patternText(pat)),
  starts_with: (s: string, pat: string | number): boolean => s.startsWith(patternText(pat)),
  ends_with: (s: string, pat: string | number): boolean => s.endsWith(patternText(pat)),
  /** Byte offset of the first match. */
  find(s: string, pat: Pattern): Option<usize> {
    if (typeof pat === "function") {
      let byte = 0;
      for (const ch of s) {
        const cp = ch.codePointAt(0)!;
        if (pat(cp)) return Some(byte);
        byte += charLenUtf8(cp);
      }
      return None;
    }
    const i = s.indexOf(patternText(pat));
    return i < 0 ? None : Some(byteIndexOfUnit(s, i));
  },
  rfind(s: string, pat: string | number): Option<usize> {
    const i = s.lastIndexOf(patternText(pat));
    return i < 0 ? None : Some(byteIndexOfUnit(s, i));
  },
  replace: (s: string, from: string | number, to: string): string => (patternText(from) === "" ? splitBy(s, "").join(to) : s.split(patternText(from)).join(to)),
  repeat: (s: string, n: usize): string => s.repeat(Number(n)),
  to_uppercase: (s: string): string => s.toUpperCase(),
  to_lowercase: (s: string): string => s.toLowerCase(),
  to_ascii_uppercase: (s: string): string => s.replace(/[a-z]+/g, (m) => m.toUpperCase()),
  to_ascii_lowercase: (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase()),
  eq_ignore_ascii_case: (a: string, b: string): boolean => Str.to_ascii_lowercase(a) === Str.to_ascii_lowercase(b),
  trim: (s: string): string => s.replace(LEADING_WS, "").replace(TRAILING_WS, ""),
  trim_start: (s: string): string => s.replace(LEADING_WS, ""),
  trim_end: (s: string): string => s.replace(TRAILING_WS, ""),
  strip_prefix: (s: string, p: string | number): Option<string> => (s.startsWith(patternText(p)) ? Some(s.slice(patternText(p).length)) : None),
  strip_suffix: (s: string, p: string | number): Option<string> =>
    s.endsWith(patternText(p)) ? Some(s.slice(0, s.length - patternText(p).length)) : None,
  split: (s: string, pat: Pattern): Iter<string> => Iter.fromArray(splitBy(s, pat)),
  rsplit: (s: string, pat: Pattern): Iter<string> => Iter.fromArray(splitBy(s, pat).reverse()),
  /** As `split`, without the empty piece after a final separator. */
  split_terminator(s: string, pat: Pattern): Iter<string> {
    const parts = splitBy(s, pat);
    if (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
    return Iter.fromArray(parts);
  },
  /** Every leading repetition of the pattern removed (an empty pattern removes nothing). */
  trim_start_matches(s: string, pat: string | number): string {
    const p = patternText(pat);
    if (p === "") return s;
    while (s.startsWith(p)) s = s.slice(p.length);
    return s;
  },
  trim_end_matches(s: string, pat: string | number): string {
    const p = patternText(pat);
    if (p === "") return s;
    while (s.endsWith(p)) s = s.slice(0, s.length - p.length);
    return s;
  },
  trim_matches: (s: string, pat: string | number): string => Str.trim_end_matches(Str.trim_start_matches(s, pat), pat),
  /** At most n pieces, the last one holding the rest. */
  splitn(s: string, n: usize, pat: string | number): Iter<string> {
    const parts = splitBy(s, pat);
    const k = Number(n);
    if (k === 0) return Iter.empty();
    if (parts.length <= k) return Iter.fromArray(parts);
    return Iter.fromArray([...parts.slice(0, k - 1), parts.slice(k - 1).join(patternText(pat))]);
  },
  split_once(s: string, pat: string | number): Option<[string, string]> {
    const text = patternText(pat);
    const i = s.indexOf(text);
    return i < 0 ? None : Some<[string, string]>([s.slice(0, i), s.slice(i + text.length)]);
  },
  split_whitespace: (s: string): Iter<string> => Iter.fromArray(s.split(/\p{White_Space}+/u).filter((p) => p !== "")),
  /** Lines split at `\n`, a trailing `\r` removed; a final line ending adds no empty line. */
  lines(s: string): Iter<string> {
    if (s === "") return Iter.empty();
    const parts = s.split("\n");
    if (parts[parts.length - 1] === "") parts.pop();
    return Iter.fromArray(parts.map((p) => (p.endsWith("\r") ? p.slice(0, -1) : p)));
  },
  char_count: (s: string): usize => Array.from(s).length,
};

function isLowSurrogate(u: number): boolean {
  return u >= 0xdc00 && u <= 0xdfff;
}

// ---- char ----

function test(re: RegExp, c: number): boolean {
  return re.test(String.fromCodePoint(c));
}

const ALPHABETIC = /\p{Alphabetic}/u;
const NUMERIC = /\p{N}/u;
const UPPERCASE = /\p{Uppercase}/u;
const LOWERCASE = /\p{Lowercase}/u;

export const Char = {
  to_string: (c: number): string => String.fromCodePoint(c),
  len_utf8: (c: number): usize => charLenUtf8(c),
  is_alphabetic: (c: number): boolean => test(ALPHABETIC, c),
  is_numeric: (c: number): boolean => test(NUMERIC, c),
  is_alphanumeric: (c: number): boolean => test(ALPHABETIC, c) || test(NUMERIC, c),
  is_whitespace: (c: number): boolean => test(WHITE_SPACE, c),
  is_uppercase: (c: number): boolean => test(UPPERCASE, c),
  is_lowercase: (c: number): boolean => test(LOWERCASE, c),
  is_control: (c: number): boolean => c < 0x20 || (c >= 0x7f && c < 0xa0),
  is_ascii: (c: number): boolean => c < 0x80,
  is_ascii_digit: (c: number): boolean => c >= 48 && c <= 57,
  is_ascii_hexdigit: (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
  is_ascii_alphabetic: (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  is_ascii_alphanumeric: (c: number): boolean => Char.is_ascii_alphabetic(c) || Char.is_ascii_digit(c),
  is_ascii_uppercase: (c: number): boolean => c >= 65 && c <= 90,
  is_ascii_lowercase: (c: number): boolean => c >= 97 && c <= 122,
  is_ascii_punctuation: (c: number): boolean => (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126),
  /** Space, \t, \n, form feed, \r (not vertical tab, as in std). */
  is_ascii_whitespace: (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 12 || c === 13,
  is_digit: (c: number, radix: number): boolean => Char.to_digit(c, radix).$tag === "Some",
  to_digit(c: number, radix: number, at: Site = UNKNOWN_SITE): Option<number> {
    if (radix > 36) panic("to_digit: radix is too high (maximum 36)", at);
    let d = 99;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 122) d = c - 87;
    else if (c >= 65 && c <= 90) d = c - 55;
    return d < radix ? Some(d) : None;
  },
  to_ascii_uppercase: (c: number): number => (c >= 97 && c <= 122 ? c - 32 : c),
  to_ascii_lowercase: (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c),
  eq_ignore_ascii_case: (a: number, b: number): boolean => Char.to_ascii_lowercase(a) === Char.to_ascii_lowercase(b),
  /** `to_uppercase()` yields one or more chars ('ß' gives "SS"). */
  to_uppercase: (c: number): Iter<number> => Str.chars(String.fromCodePoint(c).toUpperCase()),
  to_lowercase: (c: number): Iter<number> => Str.chars(String.fromCodePoint(c).toLowerCase()),
};
