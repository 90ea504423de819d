/**
 * The front door of the syntax stage: text → tokens → syntax tree, with every lexical
 * and syntax problem turned into a diagnostic (DPL1001–1003). Never throws for any input.
 */
import { Invalid, Limits, UNEXPECTED_TOKEN, Unexpected, Unterminated } from "./messages.js";
import * as T from "./tokens.js";
import { EOF, type IRecognitionException, type IToken, type TokenType } from "./chevrotain.js";
import type * as A from "./ast.js";
import { DplParser, type SyntaxIssue } from "./parser.js";
import { REGIMES, type Surface } from "./parser-base.js";
import { SourceFile, type Span } from "./source.js";
import { attachDocs } from "./docs.js";
import { limitNodeDepth, limitTreeDepth, nestingIssue, sizeIssue } from "./limits.js";
import { deferBody } from "./lazy-bodies.js";
import { scan } from "./item-boundaries.js";

/**
 * A syntax error (DPL1001–DPL1003), in the shape of the diagnostics stage's `Diagnostic`
 * (which comes after this one): the catalog lists these codes as errors, and a test keeps
 * the two in step.
 */
export interface SyntaxDiagnostic {
  readonly code: string;
  readonly severity: "error";
  readonly message: string;
  readonly span: Span;
  readonly related: readonly never[];
}

export interface ParseResult {
  readonly module: A.Module;
  readonly diagnostics: SyntaxDiagnostic[];
  readonly tokenCount: number;
  /** The code tokens and the comments, for tools that work on the text (the formatter). */
  readonly tokens: readonly IToken[];
  readonly comments: readonly IToken[];
  /** dustlang v0.1: the start offsets of the last tokens of statements ended by a line break. */
  readonly lineEnds?: readonly number[];
  /** How many pieces a piecewise parse (`parseInPieces`) lexed one after the other; absent for a whole parse. */
  readonly pieces?: number;
}

let sharedParser: DplParser | undefined;

/** One parser instance is reused: chevrotain's grammar self-analysis costs ~40 ms per instance. */
function parser(): DplParser {
  return (sharedParser ??= new DplParser());
}

export function lex(text: string): { tokens: IToken[]; comments: IToken[]; errors: { offset: number; length: number }[] } {
  const r = T.dplLexer.tokenize(text);
  return {
    tokens: r.tokens,
    comments: r.groups["comments"] ?? [],
    errors: r.errors.map((e) => ({ offset: e.offset, length: e.length })),
  };
}

/**
 * A file is in the dustlang surface when its first item is one of that surface's: a forge
 * (`forge Name {`) or a regime function (`K main {`, `K f(`, `Φ g(`). Everything else is
 * the XDV dialect. The choice is per file, as the official toolchain's files mix freely
 * with nothing to mark them.
 */
export function detectSurface(tokens: readonly IToken[]): Surface {
  const first = tokens[0]?.tokenType;
  return first === T.DustRegime || (first === T.DustItemWord && tokens[0]!.image === "forge") || isFragmentFile(tokens) ? "dust" : "xdv";
}

const FRAGMENT_REGIMES = new Set(["k", "q", "phi"]);

/**
 * dust-by-example.md's spelling: a file that starts with a statement marked with its regime
 * (`k let`, `q let`, `q apply`, `phi require`, `k {`) or with a constraint (`constraint e`,
 * `within 10ms {`). No XDV file starts with a name followed by another token of these kinds.
 */
export function isFragmentFile(tokens: readonly IToken[]): boolean {
  const a = tokens[0];
  const b = tokens[1];
  if (a?.tokenType !== T.Identifier || b === undefined) return false;
  if (FRAGMENT_REGIMES.has(a.image)) {
    return b.tokenType === T.Keywords.let || (a.image === "k" && b.tokenType === T.LBrace) || (b.tokenType === T.Identifier && ((a.image === "q" && b.image === "apply") || (a.image === "phi" && b.image === "require")));
  }
  return (a.image === "constraint" || a.image === "within") && b.tokenType !== T.LParen && b.tokenType !== T.Bang;
}

/** The surface of a whole file, from its first tokens (for parsing a part of it on its own). */
export function surfaceOf(text: string): Surface {
  for (let size = 4096; ; size *= 4) {
    const tokens = lex(text.slice(0, size)).tokens.slice(0, 3);
    if (tokens.length >= 3 || size >= text.length) {
      retagSurfaceWords(tokens);
      return detectSurface(tokens);
    }
  }
}

const DUST_ITEM_WORDS = new Set(["forge", "shape", "proc", "bind"]);

/** See `DustRegime` in tokens.ts. Regime functions count only outside braces, where items are. */
function retagSurfaceWords(tokens: IToken[]): void {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if (t.tokenType === T.LBrace) depth++;
    else if (t.tokenType === T.RBrace) depth = Math.max(0, depth - 1);
    else if (t.tokenType === T.Identifier && next?.tokenType === T.Identifier) {
      if (depth === 0 && REGIMES.has(t.image)) tokens[i] = retagged(t, T.DustRegime);
      else if (DUST_ITEM_WORDS.has(t.image)) tokens[i] = retagged(t, T.DustItemWord);
    } else if (t.tokenType === T.Keywords.mut && next?.tokenType === T.Keywords.let) tokens[i] = retagged(t, T.MutBeforeLet);
  }
}

/** Chevrotain matches on `tokenTypeIdx`, so both it and `tokenType` change. */
function retagged(t: IToken, tokenType: TokenType): IToken {
  return { ...t, tokenType, tokenTypeIdx: tokenType.tokenTypeIdx! };
}

/** The shared parser's state for a parse of `tokens` of `src` (its surface already set). */
function startParse(p: DplParser, src: SourceFile, tokens: IToken[], issues: SyntaxIssue[], deferItem: DplParser["deferItem"]): void {
  p.src = src;
  p.issues = issues;
  p.procStmts = [];
  p.forgeBinds = [];
  p.fileProcs = [];
  p.lineEnds = [];
  p.deferItem = deferItem;
  p.itemNesting = 0;
  p.itemsInBlocks = 0;
  // Setting the input resets chevrotain's state, its errors among it.
  p.input = tokens;
}

/** Syntax errors are built here in the Diagnostic shape: `syntax/` comes before `diagnostics/`. */
function syntaxError(src: SourceFile, i: { code: string; start: number; end: number; message: string }): ParseResult["diagnostics"][number] {
  return { code: i.code, severity: "error", message: i.message, span: src.span(i.start, Math.max(i.start, i.end)), related: [] };
}

export interface ParseOptions {
  /**
   * Keep only the place of each top-level function body that parses cleanly; reading the
   * body parses it again (lazy-bodies.ts). For checks that need diagnostics only: the
   * tree of a large file's bodies is then never all in memory at once.
   */
  readonly deferBodies?: boolean;
  /**
   * With `deferBodies`, an XDV file is lexed and parsed in pieces of about this many
   * characters cut between top-level items (`parseInPieces`); tests make it small.
   */
  readonly pieceChars?: number;
}

/** A line holding only `}`, with either line end: a file saved with CRLF is cut in pieces too. */
const CLOSING_LINE = /\n\}\r?\n/g;

/** Pieces of a large file: a few hundred items each, whose tokens are let go after. */
const PIECE_CHARS = 16 * 1024;

export function parseSource(src: SourceFile, surface: Surface | "auto" = "auto", options: ParseOptions = {}): ParseResult {
  const issues: SyntaxIssue[] = [];
  const tooLarge = sizeIssue(src.text);
  if (tooLarge) return { module: emptyModule(src), diagnostics: [syntaxError(src, { code: tooLarge.code, start: 0, end: 0, message: tooLarge.message })], tokenCount: 0, tokens: [], comments: [] };
  if (options.deferBodies) {
    const pieces = parseInPieces(src, options.pieceChars ?? PIECE_CHARS);
    if (pieces) return pieces;
  }
  const lexed = lex(src.text);
  for (const e of lexed.errors) {
    const ch = String.fromCodePoint(src.text.codePointAt(e.offset) ?? 0xfffd);
    issues.push({
      ...Invalid.character(printable(ch), e.length > ch.length),
      start: e.offset,
      end: e.offset + e.length,
    });
  }
  // The parser's input is the lexer's array, edited in place: a copy of a large file's
  // token array would be several bytes per source byte for the whole parse.
  const tokenCount = lexed.tokens.length;
  const tokens: IToken[] = lexed.tokens;
  prepareTokens(tokens, issues);

  // Past the nesting limit the parser (and every stage after it) would recurse too deep:
  // the file gets one diagnostic and an empty tree.
  const tooDeep = nestingIssue(tokens);
  if (tooDeep) return { module: emptyModule(src), diagnostics: [syntaxError(src, tooDeep)], tokenCount, tokens, comments: lexed.comments };

  retagSurfaceWords(tokens);
  const p = parser();
  p.surface = surface === "auto" ? detectSurface(tokens) : surface;
  p.fragment = p.surface === "dust" && isFragmentFile(tokens);
  // dustlang files are parsed whole: their statements' line ends (`lineEnds`) and processes
  // are collected across the file. A lexical problem is in no deferred body's tokens.
  startParse(p, src, tokens, issues, options.deferBodies && p.surface === "xdv" && !p.fragment && issues.length === 0 ? (it, depth) => deferBody(it, src, reparseBlock, depth) : null);
  let module: A.Module;
  try {
    module = (p.fragment ? p.fragmentModule() : p.module()) ?? emptyModule(src);
  } catch (e) {
    // Chevrotain recovers from syntax errors itself; reaching here is an internal failure,
    // which we still turn into a diagnostic rather than a crash. A stack overflow is
    // nesting the token scan does not count (generic arguments `<…>`).
    module = emptyModule(src);
    if (e instanceof RangeError) {
      issues.length = 0;
      p.errors = [];
      issues.push({ ...Limits.parserStack(), start: 0, end: 0 });
    } else issues.push({ ...Unexpected.unrecoverable(), start: 0, end: 0 });
  }
  const deep = limitTreeDepth(module);
  if (deep) issues.push(deep);
  for (const e of p.errors) issues.push(fromRecognitionError(e, src));
  attachDocs(module, lexed.comments, src.text);
  p.input = [];
  p.deferItem = null;

  const seen = new Set<number>();
  const unexpectedOnLine = new Set<number>();
  const diagnostics: SyntaxDiagnostic[] = [];
  issues.sort((a, b) => a.start - b.start);
  for (const i of issues) {
    // One report per position: recovery can fail several times at the same token. And
    // one "unexpected token" per line: the rest of a line after a parse error is almost
    // always a cascade of the first one.
    if (seen.has(i.start)) continue;
    seen.add(i.start);
    if (i.code === UNEXPECTED_TOKEN) {
      const line = src.position(i.start).line;
      if (unexpectedOnLine.has(line)) continue;
      unexpectedOnLine.add(line);
    }
    diagnostics.push(syntaxError(src, i));
  }
  const lineEnds = p.lineEnds;
  p.lineEnds = [];
  return { module, diagnostics, tokenCount, tokens, comments: lexed.comments, ...(lineEnds.length > 0 ? { lineEnds } : {}) };
}

/**
 * A file parsed piece by piece, each piece whole top-level items (item-boundaries.ts), its
 * tokens let go before the next piece is lexed: the token array of a large file (some
 * twenty bytes per source byte) is never all in memory. With deferred bodies, for
 * diagnostics-only checks: the result has no tokens or comments (the formatter's input).
 *
 * Null when the file is not one whose pieces parse as the whole does: the dustlang
 * surface, or any problem at all (a lexical or syntax error, nesting past the limits, no
 * place to cut) — the caller then parses the file whole, with its usual error recovery.
 */
function parseInPieces(src: SourceFile, pieceChars: number): ParseResult | null {
  const text = src.text;
  if (surfaceOf(text) !== "xdv") return null;
  const p = parser();
  const items: A.Item[] = [];
  const docs: string[] = [];
  let tokenCount = 0;
  let pieces = 0;
  for (let start = 0; start < text.length; pieces++) {
    // A piece ends after a line holding only `}` at column 0 (how items end), where that
    // closes brace depth 0 and the piece lexes cleanly: a cut inside a string or a comment
    // leaves it unterminated. Past a few tries, the file is parsed whole.
    let end = start;
    let lexed: ReturnType<typeof lex> | null = null;
    const issues: SyntaxIssue[] = [];
    for (let tries = 0; lexed === null; tries++) {
      if (tries === 4) return null;
      CLOSING_LINE.lastIndex = Math.max(end, start + pieceChars);
      const close = CLOSING_LINE.exec(text);
      end = close === null ? text.length : close.index + close[0].length;
      const piece = text.slice(start, end);
      const l = lex(piece);
      issues.length = 0;
      prepareTokens(l.tokens, issues);
      const clean = l.errors.length === 0 && issues.length === 0;
      if (end === text.length ? !clean : !clean || !scan(piece, l.tokens, l.comments).endsAtBoundary) {
        if (end === text.length) return null;
        continue;
      }
      lexed = l;
    }
    const tokens = lexed.tokens;
    if (nestingIssue(tokens) !== null) return null;
    retagSurfaceWords(tokens);
    moveTokens(tokens, start);
    moveTokens(lexed.comments, start);
    p.surface = "xdv";
    p.fragment = false;
    startParse(p, src, tokens, issues, (it, depth) => deferBody(it, src, reparseBlock, depth));
    try {
      const piece = { kind: "Module" as const, file: src.name, items: p.items(EOF), docs: [] as string[], span: src.span(start, end) };
      if (issues.length > 0 || p.errors.length > 0 || limitNodeDepth(piece, 0) !== null) return null;
      attachDocs(piece, lexed.comments, text);
      items.push(...piece.items);
      docs.push(...piece.docs);
    } catch {
      return null;
    } finally {
      p.input = [];
      p.deferItem = null;
    }
    tokenCount += tokens.length;
    start = end;
  }
  const module: A.Module = { kind: "Module", file: src.name, items, docs, span: src.span(0, text.length) };
  return { module, diagnostics: [], tokenCount, tokens: [], comments: [], pieces };
}

/** Tokens lexed from a slice of a file that starts at `by`, placed at their offsets in the file. */
function moveTokens(tokens: readonly IToken[], by: number): void {
  for (const t of tokens) {
    t.startOffset += by;
    if (t.endOffset !== undefined) t.endOffset += by;
  }
}

/**
 * A deferred function body (lazy-bodies.ts), parsed from its own text: the tokens of
 * `start..end` placed at their offsets in the file, through the same preparation as a
 * whole file's. The first parse read these tokens without a problem; one now is a bug.
 */
function reparseBlock(src: SourceFile, start: number, end: number, depth: number): A.Block {
  const lexed = lex(src.text.slice(start, end));
  const tokens = lexed.tokens;
  moveTokens(tokens, start);
  const issues: SyntaxIssue[] = [];
  prepareTokens(tokens, issues);
  retagSurfaceWords(tokens);
  const p = parser();
  p.surface = "xdv";
  p.fragment = false;
  startParse(p, src, tokens, issues, null);
  try {
    const block = p.block();
    if (issues.length > 0 || p.errors.length > 0 || lexed.errors.length > 0) throw new Error(`a function body at offset ${start} of ${src.name} parsed differently the second time`);
    limitNodeDepth(block, depth);
    return block;
  } finally {
    p.input = [];
  }
}

/**
 * The lexer's tokens as the parser takes them, edited in place: lexical problems become
 * issues (and well-formed tokens, so that parsing goes on), raw strings become strings.
 */
function prepareTokens(tokens: IToken[], issues: SyntaxIssue[]): void {
  const tokenCount = tokens.length;
  let kept = 0;
  for (let i = 0; i < tokenCount; i++) {
    const t = tokens[i]!;
    if (t.tokenType === T.UnterminatedString) {
      issues.push({ ...Unterminated.string(), start: t.startOffset, end: t.startOffset + 1 });
      // Keep a well-formed token so that parsing goes on after the line.
      tokens[kept++] = { ...t, tokenType: T.StringLit, image: t.image + '"' };
    } else if (t.tokenType === T.Identifier && t.image.length > 0 && hasSurrogate(t.image)) {
      // The lexer takes any character outside the BMP into a name; only letters, marks and digits belong there.
      const bad = T.badIdentifierChar(t.image);
      if (bad) issues.push({ ...Invalid.character(bad.ch, false), start: t.startOffset + bad.index, end: t.startOffset + bad.index + bad.ch.length });
      tokens[kept++] = t;
    } else if (t.tokenType === T.RawStringLit) {
      // A raw string is a string literal to the parser; its image keeps the `r#"` form,
      // which parse-exprs.ts reads without escapes.
      const hashes = /^r(#*)"/.exec(t.image)![1]!;
      const closed = t.image.length >= hashes.length * 2 + 3 && t.image.endsWith('"' + hashes);
      if (!closed) issues.push({ ...Unterminated.rawString(), start: t.startOffset, end: t.startOffset + hashes.length + 2 });
      tokens[kept++] = { ...t, tokenType: T.StringLit, tokenTypeIdx: T.StringLit.tokenTypeIdx!, image: closed ? t.image : t.image + '"' + hashes };
    } else if (t.tokenType === T.UnterminatedBlockComment) {
      issues.push({ ...Unterminated.blockComment(), start: t.startOffset, end: t.startOffset + 2 });
    } else tokens[kept++] = t;
  }
  tokens.length = kept;
}

function hasSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) return true;
  }
  return false;
}

function printable(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return cp < 0x20 || cp === 0x7f ? `\\u{${cp.toString(16)}}` : ch;
}

const DISPLAY: Record<string, string> = {
  Identifier: "an identifier",
  IntLit: "an integer literal",
  FloatLit: "a float literal",
  StringLit: "a string literal",
  CharLit: "a character literal",
  Label: "a label",
  EOF: "end of file",
};

export function describeTokenType(tt: TokenType): string {
  if (DISPLAY[tt.name]) return DISPLAY[tt.name]!;
  const pat = tt.PATTERN;
  if (pat instanceof RegExp) return "`" + pat.source.replace(/\\(.)/g, "$1") + "`";
  return tt.name;
}

function fromRecognitionError(e: IRecognitionException, src: SourceFile): SyntaxIssue {
  const tok = e.token;
  const atEof = tok.tokenType?.name === "EOF" || Number.isNaN(tok.startOffset);
  const start = atEof ? src.text.length : tok.startOffset;
  const found = atEof ? "end of file" : `\`${tok.image}\``;
  let expected = "";
  const m = /Expecting token of type --> (\w+) <--/.exec(e.message);
  if (m) {
    const tt = (T.allTokens as TokenType[]).find((t) => t.name === m[1]);
    expected = tt ? describeTokenType(tt) : m[1]!;
  }
  const end = atEof ? start : start + tok.image.length;
  const rule = e.context?.ruleStack?.[e.context.ruleStack.length - 1];
  if (rule === "sepOrClose") return { ...Unexpected.expected("`,`", found), start, end };
  switch (e.name) {
    case "MismatchedTokenException":
      return { ...Unexpected.expected(expected || "something else", found), start, end };
    case "NotAllInputParsedException":
      return { ...Unexpected.expectedItem(found), start, end };
    case "EarlyExitException":
    case "NoViableAltException":
    default:
      return { ...Unexpected.token(found, contextHint(e)), start, end };
  }
}

function contextHint(e: IRecognitionException): string {
  const rule = e.context?.ruleStack?.[e.context.ruleStack.length - 1];
  switch (rule) {
    case "item":
      return "; expected an item";
    case "type":
    case "pathType":
      return "; expected a type";
    case "pattern":
    case "patternNoOr":
      return "; expected a pattern";
    case "primary":
    case "unary":
    case "expr":
    case "literal":
      return "; expected an expression";
    case "stmt":
      return "; expected a statement";
    default:
      return "";
  }
}

export function parseText(name: string, text: string): ParseResult {
  return parseSource(new SourceFile(name, text));
}

function emptyModule(src: SourceFile): A.Module {
  return { kind: "Module", file: src.name, items: [], docs: [], span: src.span(0, src.text.length) };
}
