/**
 * Runtime faults of emitted DPL code: the TypeScript side of a Rust panic.
 *
 * Every operation that can fault takes a trailing `Site` argument: a frozen record of the
 * `.ds` position (and, when the emitter has it, the source text of the faulting
 * expression). Emitted modules declare their sites once, at module level, under names that
 * carry the position, so the call stays readable and costs one constant load:
 *
 *   const $12_17 = site("main.ds", 12, 17, "total + x");
 *   ...
 *   total = u64.add(total, x, $12_17);
 *
 * Sites are only read when a fault is raised, so the fast path never formats anything.
 * The raise helpers below are `never`-returning and out of line, which keeps the checked
 * arithmetic small enough for V8 to inline.
 */

/** A position in a `.ds` (or literate `.md`) file: 1-based line, 1-based code-point column. */
export interface Site {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Source text of the expression at this site, quoted in fault messages when present. */
  readonly src?: string;
}

export function site(file: string, line: number, col: number, src?: string): Site {
  return Object.freeze(src === undefined ? { file, line, col } : { file, line, col, src });
}

/** Used when a helper is called without a site (host code, tests); reports as `<unknown>`. */
export const UNKNOWN_SITE: Site = Object.freeze({ file: "<unknown>", line: 0, col: 0 });

export type FaultKind =
  | "overflow"
  | "division_by_zero"
  | "index_out_of_bounds"
  | "char_boundary"
  | "unwrap_none"
  | "unwrap_err"
  | "assertion"
  | "unreachable"
  | "panic"
  | "domain_panic";

export const FAULT_KINDS: readonly FaultKind[] = [
  "overflow",
  "division_by_zero",
  "index_out_of_bounds",
  "char_boundary",
  "unwrap_none",
  "unwrap_err",
  "assertion",
  "unreachable",
  "panic",
  "domain_panic",
];

/**
 * A DPL runtime fault. `message` is the panic message in DPL's (that is, Rust's) words;
 * `site` says where in the `.ds` source it happened. Emitted code never catches these:
 * the runner prints `formatFault(fault)` and exits with status 101, as a Rust panic does.
 */
export class DplFault extends Error {
  override readonly name = "DplFault";
  readonly kind: FaultKind;
  readonly site: Site;

  constructor(kind: FaultKind, message: string, at: Site = UNKNOWN_SITE) {
    super(message);
    this.kind = kind;
    this.site = at;
  }

  /** `file:line:col`, the form editors and terminals turn into links. */
  get location(): string {
    return formatSite(this.site);
  }
}

/** The exit status of a panicking Rust program, which `dplc run` reproduces. */
export const FAULT_EXIT_STATUS = 101;

export function formatSite(at: Site): string {
  return `${at.file}:${at.line}:${at.col}`;
}

export interface FaultReportOptions {
  /** The `.ds` file's text: when given, the faulting line is quoted with a caret underline. */
  readonly source?: string;
  /** Thread name in the first line; Rust says `main` for the main thread. */
  readonly thread?: string;
}

/**
 * Rust's panic report (`thread 'main' panicked at file:line:col:` and the message), followed
 * by a rustc-style pointer into the `.ds` source:
 *
 *   thread 'main' panicked at main.ds:4:13:
 *   attempt to add with overflow in `x + 1` (u64)
 *     --> main.ds:4:13
 *      |
 *    4 |     let y = x + 1;
 *      |             ^^^^^
 */
export function formatFault(fault: DplFault, options: FaultReportOptions = {}): string {
  const where = formatSite(fault.site);
  const lines = [`thread '${options.thread ?? "main"}' panicked at ${where}:`, fault.message, `  --> ${where}`];
  const quoted = options.source === undefined ? undefined : quoteSourceLine(options.source, fault.site);
  if (quoted !== undefined) lines.push(...quoted);
  return lines.join("\n") + "\n";
}

function quoteSourceLine(source: string, at: Site): string[] | undefined {
  const text = source.replace(/^\uFEFF/, "").split(/\r?\n/)[at.line - 1];
  if (text === undefined || at.col < 1) return undefined;
  const chars = Array.from(text);
  const start = Math.min(at.col - 1, chars.length);
  // Underline the expression when the site carries its text and it sits on this line.
  let width = 1;
  if (at.src !== undefined && chars.slice(start).join("").startsWith(at.src)) width = Math.max(1, Array.from(at.src).length);
  const gutter = String(at.line);
  const pad = " ".repeat(gutter.length);
  const indent = chars
    .slice(0, start)
    .map((c) => (c === "\t" ? "\t" : " "))
    .join("");
  return [`${pad} |`, `${gutter} | ${text}`, `${pad} | ${indent}${"^".repeat(width)}`];
}

/** The arithmetic operations whose overflow Rust reports, keyed to its panic wording. */
export type ArithOp = "add" | "sub" | "mul" | "div" | "rem" | "neg" | "shl" | "shr";

const OVERFLOW_WORDS: Readonly<Record<ArithOp, string>> = {
  add: "attempt to add with overflow",
  sub: "attempt to subtract with overflow",
  mul: "attempt to multiply with overflow",
  div: "attempt to divide with overflow",
  rem: "attempt to calculate the remainder with overflow",
  neg: "attempt to negate with overflow",
  shl: "attempt to shift left with overflow",
  shr: "attempt to shift right with overflow",
};

function inExpr(at: Site): string {
  return at.src === undefined ? "" : ` in \`${at.src}\``;
}

/** `attempt to add with overflow in \`x + 1\` (u64)` */
export function raiseOverflow(op: ArithOp, type: string, at: Site = UNKNOWN_SITE): never {
  throw new DplFault("overflow", `${OVERFLOW_WORDS[op]}${inExpr(at)} (${type})`, at);
}

export function raiseDivByZero(op: "div" | "rem", type: string, at: Site = UNKNOWN_SITE): never {
  const words = op === "div" ? "attempt to divide by zero" : "attempt to calculate the remainder with a divisor of zero";
  throw new DplFault("division_by_zero", `${words}${inExpr(at)} (${type})`, at);
}

export function raiseIndexOutOfBounds(len: number, index: bigint | number, at: Site = UNKNOWN_SITE): never {
  throw new DplFault("index_out_of_bounds", `index out of bounds: the len is ${len} but the index is ${index}`, at);
}

/** Faults of `Vec::remove`/`insert`/`swap_remove`/`split_off`, worded as std words them. */
export function raiseIndexFault(message: string, at: Site = UNKNOWN_SITE): never {
  throw new DplFault("index_out_of_bounds", message, at);
}

export function raiseCharBoundary(message: string, at: Site = UNKNOWN_SITE): never {
  throw new DplFault("char_boundary", message, at);
}

/** `panic!("...")`: the message is the already formatted text. */
export function panic(message: string = "explicit panic", at: Site = UNKNOWN_SITE): never {
  throw new DplFault("panic", message, at);
}

/** `unreachable!()` / `unreachable!("...")`. */
export function unreachable(message?: string, at: Site = UNKNOWN_SITE): never {
  const text = message === undefined ? "internal error: entered unreachable code" : `internal error: entered unreachable code: ${message}`;
  throw new DplFault("unreachable", text, at);
}

/** `todo!()` and `unimplemented!()`, which Rust reports as plain panics. */
export function todo(message?: string, at: Site = UNKNOWN_SITE): never {
  throw new DplFault("panic", message === undefined ? "not yet implemented" : `not yet implemented: ${message}`, at);
}

export function unimplemented(message?: string, at: Site = UNKNOWN_SITE): never {
  throw new DplFault("panic", message === undefined ? "not implemented" : `not implemented: ${message}`, at);
}

/**
 * `assert!(cond)` / `assert!(cond, "msg")`. `condText` is the condition's source text, which
 * Rust quotes: `assertion failed: x > 0`.
 */
export function assert(cond: boolean, condText: string, message?: string, at: Site = UNKNOWN_SITE): void {
  if (!cond) throw new DplFault("assertion", message ?? `assertion failed: ${condText}`, at);
}

/**
 * The failure half of `assert_eq!`/`assert_ne!`; the caller compares (with `eq`) and passes
 * both sides already Debug-formatted, so this module needs no formatter.
 */
export function raiseAssertCompare(
  op: "==" | "!=",
  leftDebug: string,
  rightDebug: string,
  message?: string,
  at: Site = UNKNOWN_SITE,
): never {
  const head = `assertion \`left ${op} right\` failed${message === undefined ? "" : `: ${message}`}`;
  throw new DplFault("assertion", `${head}\n  left: ${leftDebug}\n right: ${rightDebug}`, at);
}

/**
 * A fault raised because a Q or Φ value reached an operation that would expose or duplicate
 * it. The checker rejects such code (DPL3003, DPL4001); this is the runtime's second line.
 */
export function raiseDomainPanic(message: string, at: Site = UNKNOWN_SITE): never {
  throw new DplFault("domain_panic", message, at);
}

export function isDplFault(e: unknown): e is DplFault {
  return e instanceof DplFault;
}
