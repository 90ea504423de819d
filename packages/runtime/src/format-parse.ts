/**
 * The `format!` string language, parsed once into pieces.
 *
 * Grammar (std::fmt):
 *   format      := '{' [argument] [':' spec] '}'      '{{' and '}}' are literal braces
 *   argument    := integer | identifier
 *   spec        := [[fill]align][sign]['#']['0'][width]['.' precision][type]
 *   align       := '<' | '^' | '>'          width, precision := count | count '$'-reference
 *   precision   := count | '*'              type := '' | '?' | 'x?' | 'X?' | x X o b e E
 *
 * The emitter calls `parseFormat` at compile time (to report a bad format string as a DPL
 * diagnostic and check the argument count); the runtime's `format` calls it again behind a
 * cache, so a template is parsed once per process.
 */

export type FmtType = "" | "?" | "x?" | "X?" | "x" | "X" | "o" | "b" | "e" | "E";

/** Which argument a placeholder (or a `$`-count) refers to, after implicit numbering. */
export type ArgRef = { readonly kind: "index"; readonly index: number } | { readonly kind: "name"; readonly name: string };

export type Count = { readonly kind: "lit"; readonly value: number } | { readonly kind: "ref"; readonly ref: ArgRef };

export interface FormatSpec {
  readonly fill: string;
  readonly align?: "<" | ">" | "^";
  readonly plus: boolean;
  readonly minus: boolean;
  /** `#`: pretty Debug, `0x`/`0b`/`0o` prefixes. */
  readonly alternate: boolean;
  /** `0`: sign-aware zero padding for numbers. */
  readonly zero: boolean;
  readonly width?: Count;
  readonly precision?: Count;
  readonly type: FmtType;
}

export type Piece = { readonly kind: "text"; readonly text: string } | { readonly kind: "arg"; readonly arg: ArgRef; readonly spec: FormatSpec };

export interface ParsedFormat {
  readonly pieces: readonly Piece[];
  /** Number of positional arguments the string consumes (highest index + 1). */
  readonly positional: number;
  readonly named: readonly string[];
}

export class FormatStringError extends Error {
  override readonly name = "FormatStringError";
  constructor(
    message: string,
    /** Offset in the format string (UTF-16 units). */
    readonly offset: number,
  ) {
    super(`invalid format string: ${message}`);
  }
}

export const DEFAULT_SPEC: FormatSpec = Object.freeze({ fill: " ", plus: false, minus: false, alternate: false, zero: false, type: "" });

const IDENT = /^[\p{ID_Start}_][\p{ID_Continue}]*/u;
const TYPES: readonly FmtType[] = ["x?", "X?", "?", "x", "X", "o", "b", "e", "E", ""];

class Parser {
  pos = 0;
  next = 0;
  positional = 0;
  readonly named = new Set<string>();

  constructor(readonly text: string) {}

  fail(message: string, at: number = this.pos): never {
    throw new FormatStringError(message, at);
  }

  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? "";
  }

  eat(s: string): boolean {
    if (this.text.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  useIndex(index: number): ArgRef {
    this.positional = Math.max(this.positional, index + 1);
    return { kind: "index", index };
  }

  useName(name: string): ArgRef {
    this.named.add(name);
    return { kind: "name", name };
  }

  integer(): number | undefined {
    const m = /^\d+/.exec(this.text.slice(this.pos));
    if (m === null) return undefined;
    this.pos += m[0].length;
    return Number(m[0]);
  }

  identifier(): string | undefined {
    const m = IDENT.exec(this.text.slice(this.pos));
    if (m === null) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  /** An integer, or an `N$` / `name$` reference to an argument. */
  count(): Count | undefined {
    const start = this.pos;
    const n = this.integer();
    if (n !== undefined) return this.eat("$") ? { kind: "ref", ref: this.useIndex(n) } : { kind: "lit", value: n };
    const name = this.identifier();
    if (name !== undefined && this.eat("$")) return { kind: "ref", ref: this.useName(name) };
    this.pos = start;
    return undefined;
  }

  spec(): { spec: FormatSpec; starPrecision: boolean } {
    let fill = " ";
    let align: FormatSpec["align"];
    const firstChar = String.fromCodePoint(this.text.codePointAt(this.pos) ?? 32);
    const afterFill = this.text[this.pos + firstChar.length] ?? "";
    if ("<^>".includes(afterFill) && afterFill !== "" && firstChar !== "}") {
      fill = firstChar;
      align = afterFill as FormatSpec["align"];
      this.pos += firstChar.length + 1;
    } else if ("<^>".includes(this.peek()) && this.peek() !== "") {
      align = this.peek() as FormatSpec["align"];
      this.pos++;
    }
    const plus = this.eat("+");
    const minus = !plus && this.eat("-");
    const alternate = this.eat("#");
    let zero = false;
    if (this.peek() === "0" && this.peek(1) !== "$") {
      zero = true;
      this.pos++;
    }
    const width = this.count();
    let precision: Count | undefined;
    let starPrecision = false;
    if (this.eat(".")) {
      if (this.eat("*")) starPrecision = true;
      else {
        precision = this.count();
        if (precision === undefined) this.fail("expected a precision after `.`");
      }
    }
    const type = TYPES.find((t) => t !== "" && this.text.startsWith(t, this.pos)) ?? "";
    this.pos += type.length;
    const spec: FormatSpec = { fill, plus, minus, alternate, zero, type, ...(align && { align }), ...(width && { width }), ...(precision && { precision }) };
    return { spec, starPrecision };
  }

  placeholder(): Piece {
    const open = this.pos - 1;
    let explicit: ArgRef | undefined;
    const n = this.integer();
    if (n !== undefined) explicit = this.useIndex(n);
    else {
      const name = this.identifier();
      if (name !== undefined) explicit = this.useName(name);
    }
    let spec = DEFAULT_SPEC;
    if (this.eat(":")) {
      const parsed = this.spec();
      spec = parsed.spec;
      // `.*` takes the precision from the next implicit argument, before the value's own.
      if (parsed.starPrecision) spec = { ...spec, precision: { kind: "ref", ref: this.useIndex(this.next++) } };
    }
    while (this.peek() === " ") this.pos++;
    if (!this.eat("}")) {
      if (this.pos >= this.text.length) this.fail("expected `}` but string was terminated", open);
      this.fail(`expected \`}\`, found \`${this.peek()}\``);
    }
    const arg = explicit ?? this.useIndex(this.next++);
    return { kind: "arg", arg, spec };
  }

  parse(): ParsedFormat {
    const pieces: Piece[] = [];
    let text = "";
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === "{") {
        if (this.peek(1) === "{") {
          text += "{";
          this.pos += 2;
          continue;
        }
        if (text !== "") pieces.push({ kind: "text", text });
        text = "";
        this.pos++;
        pieces.push(this.placeholder());
      } else if (c === "}") {
        if (this.peek(1) !== "}") this.fail("unmatched `}` found");
        text += "}";
        this.pos += 2;
      } else {
        text += c;
        this.pos++;
      }
    }
    if (text !== "") pieces.push({ kind: "text", text });
    return { pieces, positional: this.positional, named: [...this.named] };
  }
}

export function parseFormat(template: string): ParsedFormat {
  return new Parser(template).parse();
}

const CACHE = new Map<string, ParsedFormat>();

/** `parseFormat` behind a per-process cache: format strings in emitted code are literals. */
export function parseFormatCached(template: string): ParsedFormat {
  let parsed = CACHE.get(template);
  if (parsed === undefined) {
    parsed = parseFormat(template);
    CACHE.set(template, parsed);
  }
  return parsed;
}
