/**
 * Tokens of OpenQASM 2.0 with 1-based line and column, so that every error the front end
 * reports can point at the statement that caused it.
 */

export type TokenKind = "id" | "int" | "real" | "string" | "symbol" | "eof";

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

/** A problem in the circuit text, located; the provider returns it as a structured fault. */
export class QasmError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    /** "gate-unsupported" for an unknown or opaque gate, otherwise "circuit-invalid". */
    readonly category: "circuit-invalid" | "gate-unsupported" = "circuit-invalid",
  ) {
    super(message);
    this.name = "QasmError";
  }
}

const TWO_CHAR = new Set(["->", "=="]);
const ONE_CHAR = new Set([";", ",", "(", ")", "[", "]", "{", "}", "+", "-", "*", "/", "^"]);

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

function isIdentStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || isDigit(c);
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = source.length;
  const col = (at: number): number => at - lineStart + 1;

  while (i < n) {
    const c = source[i] as string;
    if (c === "\n") {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "/" && source[i + 1] === "/") {
      while (i < n && source[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && source[i + 1] === "*") {
      const startLine = line;
      const startCol = col(i);
      i += 2;
      while (i < n && !(source[i] === "*" && source[i + 1] === "/")) {
        if (source[i] === "\n") {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      if (i >= n) throw new QasmError("unterminated block comment", startLine, startCol);
      i += 2;
      continue;
    }
    const start = i;
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(source[i] as string)) i++;
      tokens.push({ kind: "id", text: source.slice(start, i), line, column: col(start) });
      continue;
    }
    if (isDigit(c) || (c === "." && isDigit(source[i + 1] ?? ""))) {
      let real = false;
      while (i < n && isDigit(source[i] as string)) i++;
      if (source[i] === ".") {
        real = true;
        i++;
        while (i < n && isDigit(source[i] as string)) i++;
      }
      if (source[i] === "e" || source[i] === "E") {
        const save = i;
        i++;
        if (source[i] === "+" || source[i] === "-") i++;
        if (isDigit(source[i] ?? "")) {
          real = true;
          while (i < n && isDigit(source[i] as string)) i++;
        } else {
          i = save;
        }
      }
      tokens.push({ kind: real ? "real" : "int", text: source.slice(start, i), line, column: col(start) });
      continue;
    }
    if (c === '"') {
      i++;
      while (i < n && source[i] !== '"' && source[i] !== "\n") i++;
      if (source[i] !== '"') throw new QasmError("unterminated string literal", line, col(start));
      i++;
      tokens.push({ kind: "string", text: source.slice(start + 1, i - 1), line, column: col(start) });
      continue;
    }
    const two = source.slice(i, i + 2);
    if (TWO_CHAR.has(two)) {
      tokens.push({ kind: "symbol", text: two, line, column: col(start) });
      i += 2;
      continue;
    }
    if (ONE_CHAR.has(c)) {
      tokens.push({ kind: "symbol", text: c, line, column: col(start) });
      i++;
      continue;
    }
    throw new QasmError(`unexpected character '${c}'`, line, col(start));
  }
  tokens.push({ kind: "eof", text: "", line, column: col(i) });
  return tokens;
}
