/**
 * Token definitions and the lexer (source → tokens).
 *
 * Chevrotain picks the first token whose pattern matches, not the longest, so the order
 * below matters: `...` before `..=` before `..` before `.`, `::` before `:`, `==` before
 * `=`, and keywords carry `longer_alt: Identifier` so `format` is not `for` + `mat`.
 * There is deliberately no `>>` token: `Vec<Vec<u64>>` must close two generic lists. The
 * parser recognises a shift as two adjacent `>` tokens.
 */
import { createToken, Lexer, type TokenType } from "./chevrotain.js";

/**
 * Chevrotain rebuilds token regexes without the `u` flag, so `\p{L}` would silently stop
 * matching and `Φ` would not lex. We expand the Unicode identifier classes of the BMP
 * into explicit ranges once, at load time: one global match over a string of every BMP
 * character from U+0080 finds the runs (testing each character on its own took a tenth
 * of a one-line `dplc check`).
 */
function bmpRanges(cls: string): string {
  const hex = (n: number) => "\\u" + n.toString(16).padStart(4, "0");
  const runs = new RegExp(`${cls}+`, "gu");
  let out = "";
  for (const m of BMP_FROM_0080.matchAll(runs)) {
    const start = 0x80 + m.index;
    const last = start + m[0].length - 1;
    out += start === last ? hex(start) : hex(start) + "-" + hex(last);
  }
  return out;
}

/** U+0080..U+FFFF, with the surrogates (no characters on their own) as NUL. */
const BMP_FROM_0080 = (() => {
  const codes = new Uint16Array(0x10000 - 0x80);
  for (let c = 0x80; c < 0x10000; c++) codes[c - 0x80] = c >= 0xd800 && c <= 0xdfff ? 0 : c;
  let text = "";
  for (let i = 0; i < codes.length; i += 4096) text += String.fromCharCode(...codes.subarray(i, i + 4096));
  return text;
})();

const idStart = "A-Za-z_" + bmpRanges("[\\p{L}\\p{Nl}]");
const idContinue = "A-Za-z0-9_" + bmpRanges("[\\p{L}\\p{Nl}\\p{Mn}\\p{Mc}\\p{Nd}\\p{Pc}]");
/**
 * Any character outside the BMP (a surrogate pair): letters there (`𝔸`, `𝑥`, CJK
 * extensions) are identifier characters too. The lexer takes every such pair, which keeps
 * its pattern small; parse.ts then reports the ones that are not letters, marks or digits
 * (an emoji in a name) as DPL1003, checking only the rare identifiers that have one.
 */
const astral = "[\\ud800-\\udbff][\\udc00-\\udfff]";

/**
 * One character for each of the lexer's first-character buckets an identifier can start in
 * (chevrotain files characters below 256 one by one and the rest in blocks of 255), in
 * ascending order. Given as `start_chars_hint`, it spares the lexer's construction from
 * parsing the pattern above (some thousand ranges) to find them: a tenth of a one-line
 * `dplc check`. test/syntax/identifier-hint.test.ts checks that the table built from the hint
 * is the one chevrotain builds from the pattern.
 */
export function identifierStartHint(): number[] {
  const buckets = new Map<number, number>();
  const bucket = (c: number) => (c < 256 ? c : 255 + Math.floor(c / 255));
  const add = (from: number, to: number) => {
    for (let c = from; c <= to; c = c < 256 ? c + 1 : Math.max(c + 1, (bucket(c) - 254) * 255)) {
      if (!buckets.has(bucket(c))) buckets.set(bucket(c), c);
    }
  };
  for (const [, from, to] of `${idStart}\\ud800-\\udbff`.matchAll(/(\\u[0-9a-f]{4}|[^-])(?:-(\\u[0-9a-f]{4}|[^-]))?/g)) {
    const code = (s: string) => (s.length === 1 ? s.charCodeAt(0) : parseInt(s.slice(2), 16));
    add(code(from!), to === undefined ? code(from!) : code(to));
  }
  return [...buckets].sort((a, b) => a[0] - b[0]).map(([, c]) => c);
}

export const Identifier = createToken({
  name: "Identifier",
  pattern: new RegExp(`(?:[${idStart}]|${astral})(?:[${idContinue}]|${astral})*`),
  start_chars_hint: identifierStartHint(),
  line_breaks: false,
});

const IDENTIFIER_CHARS = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u;

/** The first character of an identifier token that is not an identifier character, or null. */
export function badIdentifierChar(image: string): { readonly index: number; readonly ch: string } | null {
  if (IDENTIFIER_CHARS.test(image)) return null;
  let index = 0;
  for (const ch of image) {
    const ok = index === 0 ? /^[\p{L}\p{Nl}_]$/u.test(ch) : /^[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]$/u.test(ch);
    if (!ok) return { index, ch };
    index += ch.length;
  }
  return null;
}

export const keywordNames = [
  "as", "break", "const", "continue", "else", "enum", "false", "fn", "for", "if", "impl", "in",
  "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static",
  "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
] as const;

export type Keyword = (typeof keywordNames)[number];

export const Keywords: Record<Keyword, TokenType> = Object.fromEntries(
  keywordNames.map((k) => [
    k,
    createToken({
      name: k === "Self" ? "SelfType" : k[0]!.toUpperCase() + k.slice(1),
      pattern: new RegExp(k),
      longer_alt: Identifier,
      categories: [],
    }),
  ]),
) as Record<Keyword, TokenType>;

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });

export const DocComment = createToken({ name: "DocComment", pattern: /\/\/[/!][^\r\n]*/, group: "comments" });
export const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\r\n]*/, group: "comments" });

/** Block comments nest, as in Rust; a regex cannot count, so this is a matcher function. */
function matchBlockComment(text: string, offset: number): RegExpExecArray | null {
  if (text.charCodeAt(offset) !== 47 || text.charCodeAt(offset + 1) !== 42) return null;
  let depth = 0;
  let i = offset;
  while (i < text.length) {
    if (text.charCodeAt(i) === 47 && text.charCodeAt(i + 1) === 42) {
      depth++;
      i += 2;
    } else if (text.charCodeAt(i) === 42 && text.charCodeAt(i + 1) === 47) {
      depth--;
      i += 2;
      if (depth === 0) {
        const m = [text.slice(offset, i)] as unknown as RegExpExecArray;
        return m;
      }
    } else i++;
  }
  return null;
}

export const BlockComment = createToken({
  name: "BlockComment",
  pattern: { exec: matchBlockComment },
  line_breaks: true,
  start_chars_hint: ["/"],
  group: "comments",
});
/** Reached only when `BlockComment` failed: the comment never closes (DPL1002). */
export const UnterminatedBlockComment = createToken({ name: "UnterminatedBlockComment", pattern: /\/\*[^]*/, line_breaks: true });

/**
 * Rust's raw strings, `r"…"` and `r#"…"#` (any number of `#`): no escapes, and the text
 * ends only at a quote followed by as many `#` as opened it. An unterminated one runs to
 * the end of the file (parse.ts reports it, DPL1002).
 */
export const RawStringLit = createToken({
  name: "RawStringLit",
  pattern: {
    exec: (text: string, offset: number): RegExpExecArray | null => {
      if (text.charCodeAt(offset) !== 0x72 /* r */) return null;
      let i = offset + 1;
      while (text.charCodeAt(i) === 0x23 /* # */) i++;
      if (text.charCodeAt(i) !== 0x22 /* " */) return null;
      const close = '"' + "#".repeat(i - offset - 1);
      const end = text.indexOf(close, i + 1);
      const image = text.slice(offset, end < 0 ? text.length : end + close.length);
      const m = [image] as unknown as RegExpExecArray;
      m.index = offset;
      m.input = text;
      return m;
    },
  },
  start_chars_hint: ["r"],
  line_breaks: true,
});

export const StringLit = createToken({ name: "StringLit", pattern: /"(?:[^"\\]|\\[^])*"/, line_breaks: true });
/** An opening quote with no closing one: the rest of the line (DPL1002). */
export const UnterminatedString = createToken({ name: "UnterminatedString", pattern: /"(?:[^"\\\r\n]|\\[^\r\n])*/ });

export const CharLit = createToken({
  name: "CharLit",
  pattern: /'(?:[^'\\\r\n\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff]|\\(?:[nrt0\\'"]|x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]{1,6}\}))'/,
});
/** `'outer` in `'outer: loop { ... break 'outer; }`. */
export const Label = createToken({ name: "Label", pattern: /'[A-Za-z_][A-Za-z0-9_]*/ });

/**
 * Numbers swallow any trailing identifier characters so that a bad suffix (`5u65`) is
 * one invalid literal (DPL1003) rather than a number followed by a name.
 */
export const FloatLit = createToken({
  name: "FloatLit",
  pattern: /[0-9][0-9_]*(?:\.[0-9][0-9_]*(?:[eE][+-]?[0-9_]+)?|[eE][+-]?[0-9_]+)(?:[A-Za-z_][A-Za-z0-9_]*)?/,
});
export const IntLit = createToken({
  name: "IntLit",
  pattern: /0[xX][0-9A-Za-z_]*|0[oO][0-9A-Za-z_]*|0[bB][0-9A-Za-z_]*|[0-9][0-9A-Za-z_]*/,
});

function punct(name: string, pattern: string): TokenType {
  return createToken({ name, pattern: new RegExp(pattern.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")) });
}

export const Ellipsis = punct("Ellipsis", "...");
export const DotDotEq = punct("DotDotEq", "..=");
export const DotDot = punct("DotDot", "..");
export const Dot = punct("Dot", ".");
export const PathSep = punct("PathSep", "::");
export const Colon = punct("Colon", ":");
export const Arrow = punct("Arrow", "->");
export const FatArrow = punct("FatArrow", "=>");
export const EqEq = punct("EqEq", "==");
export const NotEq = punct("NotEq", "!=");
export const LtEq = punct("LtEq", "<=");
export const GtEq = punct("GtEq", ">=");
export const AndAnd = punct("AndAnd", "&&");
export const OrOr = punct("OrOr", "||");
export const ShlEq = punct("ShlEq", "<<=");
export const Shl = punct("Shl", "<<");
export const PlusEq = punct("PlusEq", "+=");
export const MinusEq = punct("MinusEq", "-=");
export const StarEq = punct("StarEq", "*=");
export const SlashEq = punct("SlashEq", "/=");
export const PercentEq = punct("PercentEq", "%=");
export const CaretEq = punct("CaretEq", "^=");
export const AndEq = punct("AndEq", "&=");
export const OrEq = punct("OrEq", "|=");
export const Eq = punct("Eq", "=");
export const Lt = punct("Lt", "<");
export const Gt = punct("Gt", ">");
export const Bang = punct("Bang", "!");
export const Plus = punct("Plus", "+");
export const Minus = punct("Minus", "-");
export const Star = punct("Star", "*");
export const Slash = punct("Slash", "/");
export const Percent = punct("Percent", "%");
export const Caret = punct("Caret", "^");
export const And = punct("And", "&");
export const Or = punct("Or", "|");
export const At = punct("At", "@");
export const Pound = punct("Pound", "#");
export const Comma = punct("Comma", ",");
export const Semi = punct("Semi", ";");
export const Question = punct("Question", "?");
export const LParen = punct("LParen", "(");
export const RParen = punct("RParen", ")");
export const LBracket = punct("LBracket", "[");
export const RBracket = punct("RBracket", "]");
export const LBrace = punct("LBrace", "{");
export const RBrace = punct("RBrace", "}");

/**
 * The dustlang surface's words are ordinary identifiers to the lexer (`contract`, `emit` and
 * `K` are names in XDV code). Where one begins an item of that surface — a regime before a
 * function name (`K main`), `forge`/`shape`/`proc`/`bind` before a name, `mut` before
 * `let` — `retagSurfaceWords` gives it one of these token types, so the grammar's dustlang
 * items start with tokens no XDV item starts with, and error recovery in XDV files stays
 * exactly as it was.
 */
export const DustRegime = createToken({ name: "DustRegime", pattern: Lexer.NA });
export const DustItemWord = createToken({ name: "DustItemWord", pattern: Lexer.NA });
export const MutBeforeLet = createToken({ name: "MutBeforeLet", pattern: Lexer.NA });

export const allTokens: TokenType[] = [
  WhiteSpace,
  DocComment,
  LineComment,
  BlockComment,
  UnterminatedBlockComment,
  RawStringLit,
  StringLit,
  UnterminatedString,
  CharLit,
  Label,
  FloatLit,
  IntLit,
  Ellipsis,
  DotDotEq,
  DotDot,
  Dot,
  PathSep,
  Colon,
  Arrow,
  FatArrow,
  EqEq,
  NotEq,
  LtEq,
  GtEq,
  AndAnd,
  OrOr,
  ShlEq,
  Shl,
  PlusEq,
  MinusEq,
  StarEq,
  SlashEq,
  PercentEq,
  CaretEq,
  AndEq,
  OrEq,
  Eq,
  Lt,
  Gt,
  Bang,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Caret,
  And,
  Or,
  At,
  Pound,
  Comma,
  Semi,
  Question,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  ...Object.values(Keywords),
  Identifier,
  // Never produced by the lexer (see below).
  DustRegime,
  DustItemWord,
  MutBeforeLet,
];

export const dplLexer = new Lexer(allTokens, {
  positionTracking: "onlyOffset",
  ensureOptimizations: false,
  skipValidations: true,
});
