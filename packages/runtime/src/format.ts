/**
 * `format!` at run time: a parsed template (cached) applied to typed arguments.
 *
 *   println!("{} has {:>5.1}% of {name:?}", who, share, name = list)
 * is emitted as
 *   println("{} has {:>5.1}% of {name:?}", arg(who, T.str), arg(share, T.f64), named("name", list, T.vec(T.str)));
 * and inline captures (`{x}` with no `x = ...`) become `named("x", x, ty)` arguments.
 * Named arguments also take the next positions after the positional ones, as in Rust.
 * `$`/`*` counts (`{:1$}`, `{:.*}`, `{:w$}`) read usize arguments (bigint) or numbers.
 *
 * `print!`/`println!`/`eprint!`/`eprintln!` write to two process-wide sinks, stdout and
 * stderr, which default to the Node process streams (whose writes are synchronous for
 * files and pipes on Linux, so output and a following fault report stay in order). `dplc run` may install a buffered sink for throughput and flush
 * it at exit; tests capture both with `captureOutput`. K code's `k_log` goes through the
 * ABI instead (it is a recorded event), not through these sinks.
 */
import { debugWith, displayWith, type Fmt, formatFloatLeaf, formatInt } from "./debug-display.js";
import { type Count, type FormatSpec, type ParsedFormat, parseFormatCached } from "./format-parse.js";
import { type Ty, tyName } from "./ty.js";
import { DplFault } from "./fault.js";
import { Ok, type Result } from "./option-result.js";

export interface FmtArg {
  readonly value: unknown;
  readonly ty: Ty;
  readonly name?: string;
}

/** A positional argument with its DPL type. */
export function arg(value: unknown, ty: Ty): FmtArg {
  return { value, ty };
}

/** A named argument (`name = value`, or an inline capture `{name}`). */
export function named(name: string, value: unknown, ty: Ty): FmtArg {
  return { value, ty, name };
}

function lookup(args: readonly FmtArg[], ref: { kind: "index"; index: number } | { kind: "name"; name: string }): FmtArg {
  const found = ref.kind === "index" ? args[ref.index] : args.find((a) => a.name === ref.name);
  if (found === undefined) {
    const which = ref.kind === "index" ? `positional argument ${ref.index}` : `named argument \`${ref.name}\``;
    throw new TypeError(`format!: ${which} was not passed (${args.length} argument(s) given)`);
  }
  return found;
}

function resolveCount(count: Count | undefined, args: readonly FmtArg[]): number | undefined {
  if (count === undefined) return undefined;
  if (count.kind === "lit") return count.value;
  const { value } = lookup(args, count.ref);
  if (typeof value === "bigint" || typeof value === "number") return Number(value);
  throw new TypeError("format!: a width or precision argument must be a usize");
}

function resolve(spec: FormatSpec, args: readonly FmtArg[]): Fmt {
  const width = resolveCount(spec.width, args);
  const precision = resolveCount(spec.precision, args);
  return {
    fill: spec.fill,
    plus: spec.plus,
    alternate: spec.alternate,
    zero: spec.zero,
    type: spec.type,
    ...(spec.align !== undefined && { align: spec.align }),
    ...(width !== undefined && { width }),
    ...(precision !== undefined && { precision }),
  };
}

/** One argument under one placeholder's spec. */
export function formatValue(value: unknown, ty: Ty, f: Fmt): string {
  switch (f.type) {
    case "":
      return displayWith(value, ty, f);
    case "?":
    case "x?":
    case "X?":
      return debugWith(value, ty, f);
    case "e":
    case "E":
      if (ty.kind === "float") return formatFloatLeaf(value as number, ty.bits, false, f);
      if (ty.kind === "int") return formatInt(value as number | bigint, ty, f);
      break;
    default:
      if (ty.kind === "int") return formatInt(value as number | bigint, ty, f);
      break;
  }
  throw new TypeError(`format!: \`{:${f.type}}\` is not implemented for ${tyName(ty)}`);
}

export function formatParsed(parsed: ParsedFormat, args: readonly FmtArg[]): string {
  let out = "";
  for (const piece of parsed.pieces) {
    if (piece.kind === "text") out += piece.text;
    else {
      const a = lookup(args, piece.arg);
      out += formatValue(a.value, a.ty, resolve(piece.spec, args));
    }
  }
  return out;
}

/** `format!(template, args...)`. */
export function format(template: string, ...args: FmtArg[]): string {
  return formatParsed(parseFormatCached(template), args);
}

// ---- print!, println!, eprint!, eprintln! ----

export interface OutputSink {
  write(text: string): void;
}

/** Writes straight to a Node stream. */
export class StreamSink implements OutputSink {
  constructor(private readonly stream: NodeJS.WritableStream) {}
  write(text: string): void {
    this.stream.write(text);
  }
}

/** Collects text; `flush` hands it on in one write (and is safe to call repeatedly). */
export class BufferedSink implements OutputSink {
  private chunks: string[] = [];
  private size = 0;

  constructor(
    private readonly target?: OutputSink,
    /** Flush to the target once this many UTF-16 units are pending. */
    private readonly limit = 1 << 16,
  ) {}

  write(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    if (this.target !== undefined && this.size >= this.limit) this.flush();
  }

  /** Everything written and not yet flushed. */
  text(): string {
    return this.chunks.join("");
  }

  flush(): void {
    if (this.target === undefined || this.chunks.length === 0) return;
    const text = this.chunks.join("");
    this.chunks = [];
    this.size = 0;
    this.target.write(text);
  }
}

let stdoutSink: OutputSink = new StreamSink(process.stdout);
let stderrSink: OutputSink = new StreamSink(process.stderr);

/** Installs a stdout sink; returns the previous one so the caller can restore it. */
export function setStdout(sink: OutputSink): OutputSink {
  const previous = stdoutSink;
  stdoutSink = sink;
  return previous;
}

export function setStderr(sink: OutputSink): OutputSink {
  const previous = stderrSink;
  stderrSink = sink;
  return previous;
}

export function print(template: string, ...args: FmtArg[]): void {
  stdoutSink.write(format(template, ...args));
}

/** `println!()` with no arguments prints just the newline. */
export function println(template = "", ...args: FmtArg[]): void {
  stdoutSink.write(format(template, ...args) + "\n");
}

export function eprint(template: string, ...args: FmtArg[]): void {
  stderrSink.write(format(template, ...args));
}

export function eprintln(template = "", ...args: FmtArg[]): void {
  stderrSink.write(format(template, ...args) + "\n");
}

export interface Captured {
  readonly stdout: string;
  readonly stderr: string;
  /** The fault that ended the body, if one did (output before it is kept, as in Rust). */
  readonly fault?: DplFault;
}

/**
 * Runs `body` with both sinks captured. A `DplFault` ends the body and is returned with
 * the output so far; any other exception propagates after the sinks are restored.
 */
export function captureOutput(body: () => void): Captured {
  const out = new BufferedSink();
  const err = new BufferedSink();
  const previousOut = setStdout(out);
  const previousErr = setStderr(err);
  try {
    body();
    return { stdout: out.text(), stderr: err.text() };
  } catch (e) {
    if (e instanceof DplFault) return { stdout: out.text(), stderr: err.text(), fault: e };
    throw e;
  } finally {
    setStdout(previousOut);
    setStderr(previousErr);
  }
}

/**
 * `write!(f, ...)` / `writeln!(f, ...)` into a `Formatter` (the prelude's struct, whose
 * one field is the text written so far): `fmt::Result`, always `Ok(())`.
 */
export function writeFmt(f: { buf: string }, text: string, end: string): Result<undefined, never> {
  f.buf += text + end;
  return Ok(undefined);
}

/** The text an `impl Display`'s `fmt` writes into a fresh `Formatter`. */
export function displayVia(fmt: (f: { buf: string }) => unknown): string {
  const f = { buf: "" };
  fmt(f);
  return f.buf;
}
