/**
 * The runtime library of emitted DPL code: everything a module produced by `dplc build`
 * imports, and nothing the host layer alone should touch.
 *
 *   import { i32, u64, usize, site, Vec, Some, None, Option, T, arg, println, type Q } from "<runtime>/index.js";
 *
 * Goal: the emitted TypeScript stays a line-for-line transcription of the DPL source, and
 * every observable behaviour (printed text, faults, their `.ds` positions) is Rust's.
 *
 * ── Faults (fault.ts) ──────────────────────────────────────────────────────────────────
 * `site(file, line, col, src?)` declares a source position once per module
 * (`const $7_9 = site("main.ds", 7, 9, "a / b")`); every faulting helper takes it as its
 * last argument. A fault is a `DplFault { kind, message, site }`; kinds: overflow,
 * division_by_zero, index_out_of_bounds, char_boundary, unwrap_none, unwrap_err,
 * assertion, unreachable, panic, domain_panic. `formatFault(fault, { source })` renders
 * Rust's report plus `--> file.ds:line:col` and the quoted line; a run that faults exits
 * with `FAULT_EXIT_STATUS` (101). `panic`, `assert`, `raiseAssertCompare`, `unreachable`,
 * `todo`, `unimplemented` are the macros.
 *
 * ── Integers (ints.ts, int-small.ts, int-big.ts, int-hybrid.ts, int-parse.ts) ─────────
 * Per type a TS type and an operations object of the same name: `u8 u16 u32 i8 i16 i32`
 * are `number`; `usize isize` are `number | bigint` in one canonical form (a safe integer
 * is a number, anything beyond 2^53 - 1 a bigint; 64-bit and exact like the rest, see
 * int-hybrid.ts); `u64 u128 i64 i128` are `bigint` (exact at 2^63, 2^64, 2^127). Why, measured with bench.ts (Node 20, checked ÷ hand-written):
 *   mix of i32/u32 ops, checked numbers vs plain numbers          1.0×
 *   collatz in u64, checked bigint vs plain bigint                 1.7×
 *   collatz in u64, checked bigint vs plain number (inexact >2^53) 1.3–8.7×
 *   sieve, Vec indexed by usize (bigint) vs number[]               6–8×
 *   same sieve, indices narrowed to numbers (`Vec.atN`)            2.0×
 * so: numbers wherever every value fits a double exactly (free), bigint wherever it may
 * not (the price of exactness, paid by 64-bit code in any JS). Index-heavy loops reach 2×
 * once the emitter proves a `0..v.len()` counter < 2^32 and uses `atN`/`setN`.
 * Operators: `T.add sub mul div rem neg shl shr and or xor not` (fault exactly where debug
 * Rust panics; comparisons are emitted as `<`/`===` directly). Methods: `wrapping_*`,
 * `checked_*` (Option), `saturating_*`, `overflowing_*`, `pow abs signum min max clamp
 * div_euclid rem_euclid count_ones leading_zeros trailing_zeros rotate_* …`, `parse`,
 * `from_str_radix` (Result<_, ParseIntError>), `display`. Casts (`as`): `T.wrap(number)`,
 * `T.wrapBig(bigint)`, `T.fromFloat(f)` (saturating), `S.toF64(x)`, `S.toF32(x)`,
 * `boolToInt`, `charFromU8`, `charFromU32`, `charFromDigit`. Compile-time helpers for the
 * emitter: `parseIntLiteral`, `parseFloatLiteral`.
 *
 * ── Floats (floats.ts, float-format.ts) ────────────────────────────────────────────────
 * f64/f32 are `number` (f32 rounded with Math.fround after each op: `f32.add(a, b)`).
 * `f64`/`f32` objects hold Rust's constants and the methods that differ from Math
 * (round, min, max, signum, powi, rem_euclid, to_bits, …). `displayF64`, `formatFloat`:
 * Rust's Display/Debug/exp text (`1`, `1.0`, `1e21`, `0.30000000000000004`, `NaN`, `inf`).
 * `parseF64`/`parseF32` are `str::parse` (Result<_, ParseFloatError>).
 *
 * ── Values (option-result.ts, compare.ts, vec.ts, iter.ts, string.ts) ─────────────────
 * Enums are tagged objects: `{ $tag: "Variant", _0: a, _1: b }` for tuple variants,
 * `{ $tag: "Variant", field: v }` for struct variants, `{ $tag: "Variant" }` for unit ones;
 * tuple structs use `_0…` too; tuples are TS tuples `[a, b]`; `()` is `undefined`.
 * `match` lowers to `switch (x.$tag)` with `default: absurd(x)`, exhaustive under tsc.
 * `Option<T>`/`Result<T, E>` follow the same convention (`Some(x)`, `None`, `Ok(x)`,
 * `Err(e)`); their methods are `Option.unwrap(o, $site)`, `Result.map_err(r, f)`, …;
 * `?` is `if (r.$tag === "Err") return r;` in statement position, or
 * `propagate(r)` inside `try { … } catch (e) { return caught(e); }` in expressions.
 * `optionFromNullable`/`optionToNullable` convert at the host ABI (which uses `T | null`).
 * `eq`, `cmp`, `compare`, `partial_cmp`, `clone`: derived PartialEq/Ord/Clone; `Ordering`.
 * `Vec<T>`: `Vec.from([..])` (`vec![]`), `Vec.from_elem(x, n)`, `v.at(i, $s)`/`v.set(i, x, $s)`
 * for indexing, push pop pop_front remove insert swap truncate extend reverse contains
 * get first last sort sort_by dedup retain slice drain iter iter_mut join clone ….
 * `Iter<T>`: lazy Rust iterator adapters and consumers; `Iter.range(a, b)` for `a..b`.
 * `Str`/`Char`: String and char methods with UTF-8 byte semantics; `cell(x)`/`MutRef`
 * for `&mut` to places.
 *
 * ── Formatting and output (ty.ts, format-parse.ts, format.ts, debug-display.ts) ────────
 * `T.i32`, `T.vec(T.f64)`, `T.struct("Point", { x: T.f64 })`, `T.enum(...)`: descriptors
 * the emitter passes with each formatted value (a JS number alone cannot say whether it is
 * an i32, a char or an f64). `format(template, arg(v, ty), named("x", v, ty))`,
 * `print`/`println`/`eprint`/`eprintln`, `displayOf`/`debugOf`/`prettyDebugOf` (to_string,
 * `{:?}`, `{:#?}`), `parseFormat` (compile-time validation of format strings).
 * Sinks: `setStdout`, `setStderr`, `BufferedSink`, `captureOutput`.
 *
 * ── Domains (domains.ts) ───────────────────────────────────────────────────────────────
 * `Q<S>`, `Phi<S>` (= `Φ<S>`), `K<T>`, `DomainType<D, T>`: branded opaque types, so tsc
 * rejects a domain mix in emitted code too. Only the host constructs them (`sealQ`,
 * `sealPhi`, `unsealQ`, `unsealPhi` in domains.ts, deliberately not exported here).
 */

export * from "./fault.js";
export { step, stepSpan, stepTake, stepOne, stepGive, setRunLimits, stepsUsed, RunStopped, STOP_FLAG, type RunLimits, type StopReason } from "./steps.js";
export * from "./ints.js";
export { bigintToF32 } from "./int-big.js";
export { type Int64, canonical, toBigInt, toIndex, inclusiveEnd } from "./int-hybrid.js";
export {
  ParseIntError,
  ParseIntError$ty,
  ParseFloatError,
  ParseFloatError$ty,
  parseF32,
  parseF64,
  parseIntLiteral,
  parseFloatLiteral,
  type IntErrorKind,
  type FloatErrorKind,
  type IntLiteral,
  type FloatLiteral,
} from "./int-parse.js";
export { f32, f64 } from "./floats.js";
export { displayF32, displayF64, formatFloat, type FloatFormat } from "./float-format.js";
export * from "./option-result.js";
export * from "./compare.js";
export { cloneAs } from "./clone-as.js";
export { defaultOf } from "./default.js";
export { isProgramEntry, mainStatus, runProgramEntry } from "./entry.js";
export { Vec, cell, checkRange, type MutRef } from "./vec.js";
export { Iter, type Summable } from "./iter.js";
export { Str, Char, utf8Len, escapeDebugStr, escapeDebugChar } from "./string.js";
export * from "./ty.js";
export { debugOf, displayOf, prettyDebugOf, debugWith, displayWith, debugFallback, DPL_DEBUG, type Fmt } from "./debug-display.js";
export { parseFormat, FormatStringError, type ParsedFormat, type FormatSpec, type Piece } from "./format-parse.js";
export * from "./format.js";
export { type Q, type Phi, type Φ, type K, type DomainType, type DomainName } from "./domains.js";

/** The `default:` arm of an exhaustive `switch` over an enum's `$tag`. */
export function absurd(value: never): never {
  throw new TypeError(`unreachable: unexpected value ${JSON.stringify(value)}`);
}
