/**
 * The traced writer: emitted TypeScript is built piece by piece, and every piece that
 * stands for a piece of DPL records the `.ds` position it came from. Expressions are
 * built first as fragments (text tagged with spans, with their JavaScript precedence),
 * then written; the recorded mappings become the module's source map (below), chained
 * with the `.js` map for `--js`.
 *
 * Generated columns count UTF-16 units (what JavaScript engines and source maps use);
 * original columns too, as the source-map format expects, so editors and `node
 * --enable-source-maps` land on the right character of a line holding `Φ`.
 */
import { type Span, OffsetSpan } from "../syntax/source.js";
import { SourceMap } from "node:module";
import { SourceMapConsumer, SourceMapGenerator, type RawSourceMap } from "source-map";

/** A point in the original `.ds` (or literate `.md`) file: 1-based line, 0-based UTF-16 column. */
export interface OriginalPoint {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface Mapping {
  /** 1-based generated line, 0-based generated column. */
  readonly line: number;
  readonly column: number;
  readonly original: OriginalPoint;
}

const INDENT = "  ";

export class TracedWriter {
  private readonly parts: string[] = [];
  private line = 1;
  private column = 0;
  private depth: number;
  private atLineStart = true;
  readonly mappings: Mapping[] = [];
  private lastKey = "";

  /**
   * @param depth  starting indentation, for a writer whose text is embedded in another's
   *               (a closure body inside an expression): its first line continues the
   *               host's current line, the following ones are indented like the host's.
   */
  constructor(depth = 0, continuation = false) {
    this.depth = depth;
    if (continuation) this.atLineStart = false;
  }

  /** Append text; when `span` is given, the text's first character maps to the span's start. */
  write(text: string, span?: Span | null): this {
    if (text.length === 0) return this;
    if (this.atLineStart) {
      this.atLineStart = false;
      if (this.depth > 0) this.raw(INDENT.repeat(this.depth));
    }
    if (span) this.mark(span);
    this.raw(text);
    return this;
  }

  /** Write an expression fragment, mapping each tagged piece to its span. */
  writeFrag(f: Frag): this {
    if (typeof f === "string") return this.write(f);
    if (f instanceof TracedWriter) return this.append(f);
    if (f.span) this.mark(f.span);
    for (const p of f.parts) this.writeFrag(p);
    return this;
  }

  /** Append another writer's text at the current position, shifting its mappings. */
  append(other: TracedWriter): this {
    if (this.atLineStart) {
      this.atLineStart = false;
      if (this.depth > 0) this.raw(INDENT.repeat(this.depth));
    }
    const lineShift = this.line - 1;
    const colShift = this.column;
    for (const m of other.mappings) {
      this.mappings.push({ line: m.line + lineShift, column: m.line === 1 ? m.column + colShift : m.column, original: m.original });
    }
    this.lastKey = "";
    this.raw(other.toString());
    if (other.atLineStart) this.atLineStart = true;
    return this;
  }

  /** Record that the next character written comes from `span` (its start). */
  mark(span: Span): this {
    if (this.atLineStart) {
      this.atLineStart = false;
      if (this.depth > 0) this.raw(INDENT.repeat(this.depth));
    }
    const original = originalStart(span);
    // Two marks at the same generated point: the later (inner) one is what a fault there means.
    const key = `${this.line}:${this.column}`;
    if (key === this.lastKey) this.mappings.pop();
    this.lastKey = key;
    this.mappings.push({ line: this.line, column: this.column, original });
    return this;
  }

  /** End the current line. */
  newline(): this {
    this.parts.push("\n");
    this.line++;
    this.column = 0;
    this.atLineStart = true;
    return this;
  }

  /** Write a whole line (indentation applied), optionally mapped. */
  writeLine(text: string, span?: Span | null): this {
    if (text.length > 0) this.write(text, span);
    return this.newline();
  }

  /** A blank line, never two in a row. */
  blankLine(): this {
    const n = this.parts.length;
    if (n >= 2 && this.parts[n - 1] === "\n" && this.parts[n - 2] === "\n") return this;
    if (n === 0) return this;
    if (!this.atLineStart) this.newline();
    return this.newline();
  }

  indent(): this {
    this.depth++;
    return this;
  }

  dedent(): this {
    if (this.depth > 0) this.depth--;
    return this;
  }

  /** Run `body` one level deeper. */
  indented(body: () => void): this {
    this.depth++;
    try {
      body();
    } finally {
      this.depth--;
    }
    return this;
  }

  get indentDepth(): number {
    return this.depth;
  }

  get currentLine(): number {
    return this.line;
  }

  get isAtLineStart(): boolean {
    return this.atLineStart;
  }

  toString(): string {
    return this.parts.join("");
  }

  private raw(text: string): void {
    this.parts.push(text);
    const nl = text.lastIndexOf("\n");
    if (nl < 0) {
      this.column += text.length;
      return;
    }
    // Multi-line pieces (template text) are rare; count their lines so mappings stay exact.
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.line++;
    this.column = text.length - nl - 1;
  }
}

/** The start of a span as a source-map point (UTF-16 column within its line). */
export function originalStart(span: Span): OriginalPoint {
  if (span instanceof OffsetSpan) {
    const text = span.source.text;
    const off = span.startOffset;
    let lineStart = off;
    while (lineStart > 0) {
      const c = text.charCodeAt(lineStart - 1);
      if (c === 10 || c === 13) break;
      lineStart--;
    }
    return { file: span.file, line: span.start.line, column: off - lineStart };
  }
  return { file: span.file, line: span.start.line, column: Math.max(0, span.start.column - 1) };
}

// ---------------------------------------------------------------------------
// Expression code with its origins: a fragment is text, or a list of fragments tagged
// with the DPL span it came from. Expressions are built as fragments (so that operands
// can be parenthesised and reordered before anything is written), then written through
// the traced writer, which turns each span into a source-map mapping.
//
// `E` pairs a fragment with its JavaScript precedence, so operands get parentheses only
// where JavaScript needs them.
/** Text, a tagged list, or a block of already written lines (a closure's body). */
export type Frag = string | FragNode | TracedWriter;

export interface FragNode {
  readonly span: Span | null;
  readonly parts: readonly Frag[];
}

export function frag(span: Span | null, ...parts: Frag[]): Frag {
  return { span, parts };
}

export function joinFrags(parts: readonly Frag[], sep: string): Frag {
  const out: Frag[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(sep);
    out.push(p);
  });
  return { span: null, parts: out };
}

export function fragText(f: Frag): string {
  if (typeof f === "string") return f;
  if (f instanceof TracedWriter) return f.toString();
  let s = "";
  for (const p of f.parts) s += fragText(p);
  return s;
}

export function isNode(f: Frag): f is FragNode {
  return typeof f !== "string" && !(f instanceof TracedWriter);
}

/** JavaScript precedence levels (higher binds tighter). */
export const Prec = {
  Comma: 1,
  Assign: 2,
  Cond: 3,
  Or: 4,
  And: 5,
  BitOr: 6,
  BitXor: 7,
  BitAnd: 8,
  Eq: 9,
  Rel: 10,
  Shift: 11,
  Add: 12,
  Mul: 13,
  Unary: 15,
  Postfix: 17,
  Primary: 20,
} as const;

export interface E {
  readonly f: Frag;
  readonly prec: number;
}

export function e(f: Frag, prec: number = Prec.Primary): E {
  return { f, prec };
}

/** The fragment, parenthesised when it binds looser than `min`. */
export function operand(x: E, min: number): Frag {
  return x.prec < min ? frag(null, "(", x.f, ")") : x.f;
}

/** For member access and calls on the value: `(a + b).x`. */
export function primary(x: E): Frag {
  return operand(x, Prec.Postfix);
}

// ---------------------------------------------------------------------------
// Source maps of emitted modules (the `source-map` package's v3 format).
//
// - `tsSourceMap`: the `.ts → .ds` map built from a traced writer's mappings.
// - `chainSourceMaps`: with `dplc build --js`, the `.js → .ts` map that transpiling gives,
// composed with the `.ts → .ds` map, so JavaScript maps straight to `.ds`.
// - `MapChain`: a synchronous lookup through one or two maps, for fault reports, where
// waiting on the WebAssembly-backed consumer would be pointless (one lookup per run).
//
// Source paths inside a map are relative to the map's own folder (so a built tree can be
// moved as a whole) and `sourcesContent` carries the DPL text, so a fault report or a
// debugger needs nothing but the built tree.
export type { RawSourceMap };

export interface TsMapOptions {
  /** The generated file's name as written in the map (`main.ts`). */
  readonly file: string;
  /** How a `.ds` file (by its display name) is named in `sources`. */
  readonly sourcePath: (dsFile: string) => string;
  /** The text of each source, for `sourcesContent`; omitted when unknown. */
  readonly sourceText?: (dsFile: string) => string | undefined;
}

export function tsSourceMap(mappings: readonly Mapping[], options: TsMapOptions): RawSourceMap {
  const gen = new SourceMapGenerator({ file: options.file });
  // The path of each original file once, not once per mapping: it is a `path.relative`
  // (233,772 calls for 145 files in a 100k-line build before).
  const sources = new Map<string, string>();
  for (const m of mappings) {
    let source = sources.get(m.original.file);
    if (source === undefined) {
      source = options.sourcePath(m.original.file);
      sources.set(m.original.file, source);
      const text = options.sourceText?.(m.original.file);
      if (text !== undefined) gen.setSourceContent(source, text);
    }
    gen.addMapping({
      generated: { line: m.line, column: m.column },
      original: { line: m.original.line, column: m.original.column },
      source,
    });
  }
  return gen.toJSON();
}

/**
 * Compose `.js → .ts` with `.ts → .ds`. Positions of the JavaScript that have no `.ds`
 * origin (helper code the transpiler adds) are dropped rather than pointing at the `.ts`.
 */
export async function chainSourceMaps(jsMap: RawSourceMap, tsMap: RawSourceMap, jsFile: string): Promise<RawSourceMap> {
  return SourceMapConsumer.with(tsMap, null, async (tsConsumer) =>
    SourceMapConsumer.with(jsMap, null, (jsConsumer) => {
      const gen = new SourceMapGenerator({ file: jsFile });
      const contents = new Map<string, string>();
      jsConsumer.eachMapping((m) => {
        if (m.originalLine === null || m.originalLine === undefined) return;
        const o = tsConsumer.originalPositionFor({ line: m.originalLine, column: m.originalColumn, bias: SourceMapConsumer.GREATEST_LOWER_BOUND });
        if (o.source === null || o.line === null || o.column === null) return;
        if (!contents.has(o.source)) {
          const c = tsConsumer.sourceContentFor(o.source, true);
          if (c !== null) contents.set(o.source, c);
        }
        gen.addMapping({ generated: { line: m.generatedLine, column: m.generatedColumn }, original: { line: o.line, column: o.column }, source: o.source });
      });
      for (const [s, c] of [...contents].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) gen.setSourceContent(s, c);
      return gen.toJSON();
    }),
  );
}

export interface OriginalLocation {
  /** The `sources` entry of the last map in the chain (a `.ds` path). */
  readonly source: string;
  /** 1-based line and 0-based UTF-16 column. */
  readonly line: number;
  readonly column: number;
}

/**
 * Looks a generated position up through a chain of maps, first to last. Lookups pick
 * the closest mapping at or before the position on the same line, which is where the
 * expression that contains the position starts.
 */
export class MapChain {
  private readonly maps: SourceMap[];

  constructor(maps: readonly RawSourceMap[]) {
    this.maps = maps.map((m) => new SourceMap(m as unknown as ConstructorParameters<typeof SourceMap>[0]));
  }

  /** `line` 1-based, `column` 1-based (as in a V8 stack frame). */
  lookup(line: number, column: number): OriginalLocation | null {
    let l = line - 1;
    let c = column - 1;
    let source = "";
    for (const map of this.maps) {
      const e = map.findEntry(l, c) as Partial<{ originalSource: string; originalLine: number; originalColumn: number; generatedLine: number }>;
      if (e.originalSource === undefined || e.originalLine === undefined || e.originalColumn === undefined) return null;
      // findEntry falls back to an earlier line when this one has no mapping: not an answer.
      if (e.generatedLine !== undefined && e.generatedLine !== l) return null;
      l = e.originalLine;
      c = e.originalColumn;
      source = e.originalSource;
    }
    return { source, line: l + 1, column: c };
  }
}
