/**
 * Re-parsing after a keystroke without re-parsing the whole module.
 *
 * A module is cut into chunks at top-level item ends: a `}` that closes brace depth 0, or
 * a `;` at depth 0, followed by a line break (so chunks start at line starts and a comment
 * is never cut). A chunk whose text is unchanged and that parsed cleanly on its own is
 * reused; one that moved is reused with its spans shifted, which costs a fraction of
 * parsing it. Changed chunks are parsed on their own.
 *
 * The result must be exactly what `parseModule` gives for the whole text, or the editor
 * and `dplc check` would disagree. A clean chunk ends at a point where the whole-module
 * parser is between items, so parsing it alone changes nothing. Error recovery can run
 * across such a point, though, so from the first chunk with a syntax error to the end of
 * the module everything is parsed as one piece, exactly as the whole-module parse would.
 * `test/lsp/incremental-parse.test.ts` checks the equivalence on the spec corpus and on
 * random edit sequences.
 */
import type * as A from "../syntax/ast.js";
import type { IToken } from "../syntax/chevrotain.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { ParsedModule } from "../workspace/files.js";
import { lex, parseSource, surfaceOf } from "../syntax/parse.js";
import { scan } from "../syntax/item-boundaries.js";
import { OffsetSpan, SourceFile } from "../syntax/source.js";
import { spanOffsets } from "./positions.js";
import { textEdit, type TextEdit } from "../semantic/recheck.js";

interface Chunk {
  readonly start: number;
  readonly end: number;
  /** Items and diagnostics with spans for `start` in the version they belong to. */
  readonly items: readonly A.Item[];
  readonly diagnostics: readonly Diagnostic[];
  /** The chunk's `//!` lines, which make up the module's docs. */
  readonly docs: readonly string[];
  /** Parsed alone (or before any error of a whole parse) with no diagnostics. */
  readonly reusable: boolean;
  /** The source its spans are bound to: this version's, or an older one with the same text here. */
  readonly source: SourceFile;
  /**
   * Every span of the chunk's syntax, listed the first time the chunk moves: later moves
   * go through the list instead of walking the tree again.
   */
  readonly spans?: readonly OffsetSpan[];
}

/** What the next version's parse can reuse. */
export interface ParseState {
  readonly text: string;
  readonly chunks: readonly Chunk[];
  /** Where the next round of re-binding unmoved chunks starts. */
  readonly rebindCursor: number;
}

/**
 * Chunks that did not move keep spans bound to the version they were parsed in, whose
 * text is the same there; re-binding them all would cost as much as shifting the whole
 * module. Each version re-binds this many of them, round robin, so a document holds on
 * to at most (chunks / budget + 1) old texts however long the session.
 */
const REBIND_BUDGET = 64;

export interface IncrementalParse {
  readonly module: ParsedModule;
  readonly state: ParseState;
  /** How many chunks were parsed (not reused) for this version: the tests read it. */
  readonly parsedChunks: number;
  /** How much text was lexed to find chunk boundaries (the whole text on a first parse). */
  readonly lexedChars: number;
}

type Range = readonly [number, number];

/** Chunk ranges covering the text, with the `//!` lines of each. */
interface Layout {
  readonly ranges: Range[];
  readonly docs: (readonly string[])[];
  readonly lexedChars: number;
}

function docsIn(comments: readonly IToken[], base: number, ranges: readonly Range[]): string[][] {
  const out = ranges.map((): string[] => []);
  let r = 0;
  for (const c of comments) {
    if (!c.image.startsWith("//!")) continue;
    const at = c.startOffset + base;
    while (r + 1 < ranges.length && at >= ranges[r]![1]) r++;
    out[r]!.push(c.image.slice(3).trim());
  }
  return out;
}

function wholeLayout(text: string): Layout {
  const lexed = lex(text);
  const starts = scan(text, lexed.tokens, lexed.comments).starts;
  const ranges = starts.map((s, i): Range => [s, starts[i + 1] ?? text.length]);
  return { ranges, docs: docsIn(lexed.comments, 0, ranges), lexedChars: text.length };
}

/**
 * The layout of the new text from the old one: chunks before the edit are unchanged, and
 * lexing starts at the chunk holding the edit and stops at the first old boundary in the
 * unchanged suffix that is still a boundary; the chunks after it are the old ones, moved.
 */
function incrementalLayout(text: string, prev: ParseState, prefix: number, suffix: number): Layout {
  const old = prev.chunks;
  const delta = text.length - prev.text.length;
  let a = 0;
  while (a + 1 < old.length && old[a]!.end <= Math.max(0, prefix - 1)) a++;
  const s0 = old[a]!.start;
  const suffixStart = text.length - suffix;
  const candidates: number[] = [];
  for (let j = a + 1; j < old.length && candidates.length < 2; j++) if (old[j]!.start + delta >= suffixStart) candidates.push(j);
  // Past two failed candidates (an unclosed comment or brace), lexing to the end is cheaper than guessing.
  for (const j of [...candidates, old.length]) {
    const e = j < old.length ? old[j]!.start + delta : text.length;
    const piece = text.slice(s0, e);
    const lexed = lex(piece);
    const sc = scan(piece, lexed.tokens, lexed.comments);
    if (j < old.length && !sc.endsAtBoundary) continue;
    const fresh = sc.starts.map((s, i): Range => [s0 + s, i + 1 < sc.starts.length ? s0 + sc.starts[i + 1]! : e]);
    const ranges: Range[] = [...old.slice(0, a).map((c): Range => [c.start, c.end]), ...fresh, ...old.slice(j).map((c): Range => [c.start + delta, c.end + delta])];
    const docs = [...old.slice(0, a).map((c) => c.docs), ...docsIn(lexed.comments, s0, fresh), ...old.slice(j).map((c) => c.docs)];
    return { ranges, docs, lexedChars: piece.length };
  }
  return wholeLayout(text);
}

/**
 * An edit that touches a quote, an escape or a comment delimiter can change how text far
 * away lexes (a string that now runs to the next quote, a comment that now closes
 * elsewhere): such edits re-lex and re-parse the whole document.
 */
function editChangesLexicalContext(prevText: string, text: string, edit: TextEdit): boolean {
  const prefix = edit.start;
  const suffix = prevText.length - edit.oldEnd;
  const around = (t: string): string => t.slice(Math.max(0, prefix - 1), Math.min(t.length, t.length - suffix + 1));
  return LEXICAL_CONTEXT.test(around(prevText)) || LEXICAL_CONTEXT.test(around(text));
}

const LEXICAL_CONTEXT = /["'\\]|\/\*|\*\/|\/\//;

export function parseIncremental(source: SourceFile, previous: ParseState | undefined): IncrementalParse {
  const text = source.text;
  const edit = previous ? textEdit(previous.text, text) : undefined;
  const prev = previous && edit && !editChangesLexicalContext(previous.text, text, edit) ? previous : undefined;
  const chunks: Chunk[] = [];
  let parsedChunks = 0;
  let layout: Layout;
  if (!prev) {
    layout = wholeLayout(text);
    chunks.push(...splitWholeParse(source, layout, 0));
    parsedChunks = chunks.length;
  } else {
    const prefix = edit!.start;
    const suffix = prev.text.length - edit!.oldEnd;
    const delta = text.length - prev.text.length;
    layout = incrementalLayout(text, prev, prefix, suffix);
    const old = new Map(prev.chunks.map((c) => [c.start, c]));
    const { ranges } = layout;
    for (let i = 0; i < ranges.length; i++) {
      const [s, e] = ranges[i]!;
      let reuse: Chunk | undefined;
      let shift = 0;
      if (e <= prefix) reuse = old.get(s);
      else if (s >= text.length - suffix) {
        reuse = old.get(s - delta);
        shift = delta;
      }
      if (reuse && reuse.reusable && reuse.end + shift === e) {
        chunks.push(shift === 0 ? reuse : shiftChunk(reuse, shift, source));
        continue;
      }
      const alone = parseRange(source, s, e);
      parsedChunks++;
      if (alone.diagnostics.length === 0) {
        chunks.push({ start: s, end: e, items: alone.items, diagnostics: [], docs: layout.docs[i]!, reusable: true, source });
        continue;
      }
      // From the first error on, recovery may cross chunk ends: parse the rest as one piece.
      chunks.push(...splitWholeParse(source, layout, i));
      parsedChunks += ranges.length - i - 1;
      break;
    }
  }

  let cursor = prev ? prev.rebindCursor % Math.max(1, chunks.length) : 0;
  for (let k = 0; k < Math.min(REBIND_BUDGET, chunks.length); k++) {
    const c = chunks[cursor]!;
    if (c.source !== source) chunks[cursor] = shiftChunk(c, 0, source);
    cursor = (cursor + 1) % chunks.length;
  }

  const items = chunks.flatMap((c) => c.items);
  const ast: A.Module = { kind: "Module", file: source.name, items, docs: chunks.flatMap((c) => c.docs), span: source.span(0, text.length) };
  return {
    module: { source, ast, syntaxDiagnostics: chunks.flatMap((c) => c.diagnostics) },
    state: { text, chunks, rebindCursor: cursor },
    parsedChunks,
    lexedChars: layout.lexedChars,
  };
}

/**
 * Parse from chunk `first` to the end of the text in one piece and share the result out
 * to the chunks; chunks after the first one with an error are not reusable on their own.
 */
function splitWholeParse(source: SourceFile, layout: Layout, first: number): Chunk[] {
  const ranges = layout.ranges;
  const whole = parseRange(source, ranges[first]![0], source.text.length);
  const out: Chunk[] = [];
  let it = 0;
  let d = 0;
  let sawError = false;
  for (let r = first; r < ranges.length; r++) {
    const start = ranges[r]![0];
    let end = ranges[r]![1];
    const docs = [...layout.docs[r]!];
    const items: A.Item[] = [];
    const diagnostics: Diagnostic[] = [];
    // An item that runs past its chunk (recovery) takes the following chunks with it.
    while (it < whole.items.length && spanOffsets(whole.items[it]!.span).start < end) {
      const item = whole.items[it++]!;
      const itemEnd = spanOffsets(item.span).end;
      while (itemEnd > end && r + 1 < ranges.length) {
        end = ranges[++r]![1];
        docs.push(...layout.docs[r]!);
      }
      items.push(item);
    }
    while (d < whole.diagnostics.length && spanOffsets(whole.diagnostics[d]!.span).start < end) diagnostics.push(whole.diagnostics[d++]!);
    if (r === ranges.length - 1) {
      while (it < whole.items.length) items.push(whole.items[it++]!);
      while (d < whole.diagnostics.length) diagnostics.push(whole.diagnostics[d++]!);
    }
    if (diagnostics.length > 0) sawError = true;
    out.push({ start, end, items, diagnostics, docs, reusable: !sawError, source });
  }
  return out;
}

/** Parse the text in `[from, to)` alone, with spans in the real source. */
function parseRange(source: SourceFile, from: number, to: number): { items: A.Item[]; diagnostics: Diagnostic[] } {
  if (from === 0 && to === source.text.length) {
    const r = parseSource(source);
    return { items: r.module.items, diagnostics: r.diagnostics };
  }
  // Parsed as a file of its own, then moved into place: positions come from the real source.
  // The surface is the whole file's, not the one the chunk's first item would suggest.
  const r = parseSource(new SourceFile(source.name, source.text.slice(from, to)), surfaceOf(source.text));
  moveInPlace(r.module.items, from, source);
  moveInPlace(r.diagnostics, from, source);
  return { items: r.module.items, diagnostics: r.diagnostics };
}

/**
 * The chunk moved by `delta` into `source`: its syntax is moved in place, not copied, so
 * the nodes of unchanged items stay the same objects from version to version.
 */
function shiftChunk(c: Chunk, delta: number, source: SourceFile): Chunk {
  let spans = c.spans;
  if (spans) for (let i = 0; i < spans.length; i++) spans[i]!.moveInto(source, delta);
  else {
    const list: OffsetSpan[] = [];
    moveInPlace(c.items, delta, source, list);
    moveInPlace(c.diagnostics, delta, source, list);
    spans = list;
  }
  return { ...c, start: c.start + delta, end: c.end + delta, source, spans };
}

/** Move every span reachable from `value` by `delta` and bind it to `source` (listing them in `seen`). */
function moveInPlace(value: unknown, delta: number, source: SourceFile, seen?: OffsetSpan[]): void {
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== "object") return;
    if (v instanceof OffsetSpan) {
      if (v.source === source) return; // shared by two nodes, already moved
      v.moveInto(source, delta);
      seen?.push(v);
      return;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v[i]);
      return;
    }
    for (const k in v) walk((v as Record<string, unknown>)[k]);
  };
  walk(value);
}
