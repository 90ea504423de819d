/**
 * Source text and positions. Offsets are UTF-16 indexes into `text` (what JavaScript
 * strings and the lexer use); lines and columns are 1-based and columns count Unicode
 * code points (toolchain.md: `Φ` is one column).
 */

export interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface Span {
  readonly file: string;
  readonly start: Position;
  readonly end: Position;
}

export class SourceFile {
  /** Offsets where each line starts, in UTF-16 units. */
  private readonly lineStarts: number[];

  /**
   * @param name  the path shown to users (relative to the working directory when possible)
   * @param text  the text the lexer sees (BOM removed, line ends untouched)
   * @param lineMap  for literate Markdown modules: the file line of each text line, so
   *                 that diagnostics point at the Markdown file's own lines
   */
  constructor(
    readonly name: string,
    readonly text: string,
    readonly lineMap?: readonly number[],
    /** The full file text, for code frames of literate modules. */
    readonly displayText: string = text,
  ) {
    this.lineStarts = computeLineStarts(text);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Position of a UTF-16 offset, in the user's file (Markdown lines for literate modules). */
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    const lineStart = this.lineStarts[lo]!;
    const column = codePointLength(this.text, lineStart, o) + 1;
    const line = this.lineMap ? (this.lineMap[lo] ?? lo + 1) : lo + 1;
    return { line, column, offset: o };
  }

  /**
   * A span of `startOffset..endOffset`; its line/column are computed when asked for (most
   * spans are never shown). Nested nodes often cover the same text (a name, its path
   * segment and its path expression), so the span just made is handed out again for the
   * same offsets: spans are immutable, and sharing them is a fifth of a syntax tree's memory.
   */
  span(startOffset: number, endOffset: number): OffsetSpan {
    const last = this.lastSpan;
    if (last !== undefined && last.startOffset === startOffset && last.endOffset === endOffset) return last;
    return (this.lastSpan = new OffsetSpan(this, startOffset, endOffset));
  }

  private lastSpan: OffsetSpan | undefined = undefined;
}

/**
 * Two offsets and the file: line and column are computed on each use from the file's line
 * table (a binary search), not stored, as a tree holds about eight spans per source line.
 */
export class OffsetSpan implements Span {
  constructor(
    readonly source: SourceFile,
    readonly startOffset: number,
    readonly endOffset: number,
  ) {}

  get file(): string {
    return this.source.name;
  }

  get start(): Position {
    return this.source.position(this.startOffset);
  }

  get end(): Position {
    return this.source.position(this.endOffset);
  }

  /**
   * Move the span by `delta` into `source` (a later version of the same document), in
   * place: the one exception to spans being immutable. The editor's incremental parse
   * moves the syntax of unchanged items this way so that their nodes keep their identity
   * across edits (the analysis keyed by node is reused with them). A span already in
   * `source` is not moved again (nodes share spans).
   */
  moveInto(source: SourceFile, delta: number): void {
    if (this.source === source) return;
    const self = this as unknown as { source: SourceFile; startOffset: number; endOffset: number };
    self.source = source;
    self.startOffset += delta;
    self.endOffset += delta;
  }

  toJSON(): Span {
    return { file: this.file, start: this.start, end: this.end };
  }
}

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  // The editor recomputes a document's line starts on every edit: without a CR, the
  // native `indexOf` finds the line feeds several times faster than a charCode loop.
  if (text.indexOf("\r") < 0) {
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    return starts;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

function codePointLength(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** Strip a UTF-8 byte order mark, which the corpus sometimes carries. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function compareSpans(a: Span, b: Span): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.start.line - b.start.line || a.start.column - b.start.column || a.end.line - b.end.line || a.end.column - b.end.column;
}
