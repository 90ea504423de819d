/**
 * Positions between the compiler and the editor. The compiler counts columns in Unicode
 * code points, 1-based (toolchain.md: `Φ` is one column); LSP counts UTF-16 code units,
 * 0-based. Both agree on lines. Every conversion goes through a `LineIndex` over the text
 * the compiler saw, so an astral character (two UTF-16 units, one column) before a
 * diagnostic still lands the squiggle on the right character.
 *
 * Also here: the mapping between document URIs and the source names the compiler uses.
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";
import type { Position as LspPosition, Range as LspRange } from "vscode-languageserver/node.js";
import { computeLineStarts, OffsetSpan, type Span } from "../syntax/source.js";

export class LineIndex {
  private readonly starts: number[];

  /**
   * @param text  the text the compiler parsed (BOM removed)
   * @param hadBom  the editor's copy still starts with a BOM: its first line is one unit longer
   */
  constructor(
    readonly text: string,
    private readonly hadBom = false,
  ) {
    this.starts = computeLineStarts(text);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line0: number): number {
    return this.starts[Math.max(0, Math.min(line0, this.starts.length - 1))]!;
  }

  /** End of a line's content, before its terminator. */
  lineEnd(line0: number): number {
    if (line0 + 1 >= this.starts.length) return this.text.length;
    let end = this.starts[line0 + 1]!;
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** Compiler line/column (1-based, code points) to an LSP position (0-based, UTF-16). */
  toLsp(line: number, column: number): LspPosition {
    const line0 = Math.max(0, line - 1);
    if (line0 >= this.starts.length) return { line: line0, character: 0 };
    const start = this.lineStart(line0);
    const end = this.lineEnd(line0);
    let i = start;
    for (let cp = 1; cp < column && i < end; cp++) i += isSurrogatePairAt(this.text, i) ? 2 : 1;
    return { line: line0, character: i - start + (line0 === 0 && this.hadBom ? 1 : 0) };
  }

  /** UTF-16 offset into the compiler's text to an LSP position. */
  offsetToLsp(offset: number): LspPosition {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo]! + (lo === 0 && this.hadBom ? 1 : 0) };
  }

  /** LSP position to a UTF-16 offset into the compiler's text, clamped to the line. */
  offsetAt(p: LspPosition): number {
    if (p.line >= this.starts.length) return this.text.length;
    const start = this.lineStart(p.line);
    const ch = Math.max(0, p.character - (p.line === 0 && this.hadBom ? 1 : 0));
    return Math.min(start + ch, this.lineEnd(p.line));
  }

  spanToRange(span: Span): LspRange {
    return { start: this.toLsp(span.start.line, span.start.column), end: this.toLsp(span.end.line, span.end.column) };
  }

  offsetsToRange(start: number, end: number): LspRange {
    return { start: this.offsetToLsp(start), end: this.offsetToLsp(end) };
  }
}

function isSurrogatePairAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return false;
  const d = text.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff;
}

/** UTF-16 start and end offsets of a span, without forcing line/column computation. */
export function spanOffsets(span: Span): { start: number; end: number } {
  if (span instanceof OffsetSpan) return { start: span.startOffset, end: span.endOffset };
  return { start: span.start.offset, end: span.end.offset };
}

export function spanContains(span: Span, offset: number): boolean {
  const { start, end } = spanOffsets(span);
  return start <= offset && offset <= end;
}

// ---------------------------------------------------------------------------
// URIs and source names

/**
 * The compiler names a file by its path: `mod m;` is looked up next to it on disk, and
 * absolute paths keep that working whatever the server's working directory is. Documents
 * that are not files (`untitled:`) keep their URI as their name.
 */
export function sourceNameOfUri(uri: string): string {
  if (uri.startsWith("file:")) {
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  }
  return uri;
}

export function uriOfSourceName(name: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(name) && !/^[a-z]:[\\/]/i.test(name)) return name;
  return pathToFileURL(name).href;
}

/**
 * A line index for a span that may live in a file the editor has not opened (a related
 * location in a `mod` child or the stdlib): its `OffsetSpan` still knows the source text.
 */
/** `path`: where the file really is, when the span's name is relative to another folder. */
export function lineIndexForSpan(span: Span, open: (name: string) => LineIndex | undefined, path?: string): LineIndex | undefined {
  const known = open(span.file);
  if (known) return known;
  if (span instanceof OffsetSpan) return new LineIndex(span.source.text);
  try {
    return new LineIndex(readFileSync(path ?? span.file, "utf8").replace(/^\uFEFF/, ""));
  } catch {
    return undefined;
  }
}
