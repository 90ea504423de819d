/**
 * The wording of the syntax diagnostics (DPL1001–DPL1005, DPL1010): every shape, one
 * constructor each. The syntax stage comes before diagnostics/ (the stage order), so its
 * family lives here rather than in diagnostics/messages/; the lexer's and the literal
 * decoder's own reasons (`unknown escape \`\p\``) arrive as `why`.
 */
export type SyntaxCode = "DPL1001" | "DPL1002" | "DPL1003" | "DPL1004" | "DPL1005" | "DPL1010";

export interface SyntaxMessage {
  readonly code: SyntaxCode;
  readonly message: string;
}

/** The code of "unexpected token": the parser keeps one such report per line. */
export const UNEXPECTED_TOKEN: SyntaxCode = "DPL1001";

const m = (code: SyntaxCode, message: string): SyntaxMessage => ({ code, message });
const ITEMS = "fn, struct, enum, impl, trait, use, mod, const, static, type";

export const Unexpected = {
  /** `found`: the token as shown (`` `;` `` or `end of file`); `hint`: `; expected an expression`, or empty. */
  token: (found: string, hint: string) => m("DPL1001", `unexpected ${found}${hint}`),
  expected: (expected: string, found: string) => m("DPL1001", `expected ${expected}, found ${found}`),
  expectedItem: (found: string) => m("DPL1001", `expected an item (${ITEMS}), found ${found}`),
  expectedSemicolon: () => m("DPL1001", "expected `;` after this expression statement"),
  expectedTraitBeforeFor: () => m("DPL1001", "expected a trait path before `for` in an `impl`"),
  chainedComparison: () => m("DPL1001", "comparison operators cannot be chained; use parentheses or `&&`"),
  /** dustlang v0.1: a regime (`K`, `Q`, `Φ`) was expected; `before`: the process name it qualifies. */
  expectedRegime: (found: string, before?: string) =>
    m("DPL1001", `expected a regime (\`K\`, \`Q\` or \`Φ\`)${before !== undefined ? ` before \`::${before}\`` : ""}, found \`${found}\``),
  bindOutsideForge: () => m("DPL1001", "a `bind` belongs inside a `forge`, beside the processes it binds"),
  unrecoverable: () => m("DPL1001", "the parser could not recover from the errors in this file"),
} as const;

export const Unterminated = {
  string: () => m("DPL1002", "unterminated string literal"),
  rawString: () => m("DPL1002", "unterminated raw string literal"),
  blockComment: () => m("DPL1002", "unterminated block comment"),
} as const;

export const Invalid = {
  /** `ch` already printable; `several`: a run of invalid characters starts with it. */
  character: (ch: string, several: boolean) => m("DPL1003", several ? `invalid characters starting with \`${ch}\`` : `invalid character \`${ch}\``),
  tupleIndex: (text: string) => m("DPL1003", `invalid tuple index \`${text}\``),
  /** A literal the decoder rejected; `why` is its reason. */
  literal: (why: string) => m("DPL1003", why),
} as const;

export const Limits = {
  /** `what` says which nesting (`more than 256 prefix operators in a row`). */
  nesting: (what: string, limit: number) => m("DPL1004", `nesting too deep: ${what} (the limit is ${limit}); split the expression with \`let\` bindings or functions`),
  treeDepth: (limit: number) =>
    m("DPL1004", `nesting too deep: this expression is nested more than ${limit} levels deep; split it with \`let\` bindings or functions`),
  /** The checker's own recursion overflowed (a field chain through thousands of nested types). */
  checkerStack: (): SyntaxMessage & { readonly help: string } => ({
    ...m("DPL1004", "nesting too deep: the checker ran out of stack; split the nested types or expressions"),
    help: "split the expression with `let` bindings or helper functions",
  }),
  parserStack: () => m("DPL1004", "nesting too deep: the parser ran out of stack; split the nested types or expressions"),
  fileSize: (size: number, limit: number) => m("DPL1005", `source file too large: ${size} characters, over the limit of ${limit}; split it into modules`),
} as const;

/** What a v0.1 item is in the XDV dialect, for DPL1010's message. */
const XDV_SPELLING: Record<string, string> = {
  forge: "`mod Name { .. }`",
  shape: "`struct Name { field: Type }`",
  proc: "`fn name(p: T) -> T` (with `@domain(Q)`/`@domain(Φ)` for those regimes)",
  bind: "an explicit `xdv_call` at the crossing",
};

export const OtherSurface = {
  /** `head`: the XDV spelling to write instead. */
  dustFunction: (regime: string, name: string, head: string) => m("DPL1010", `\`${regime} ${name}\` is the dustlang surface's function form; in the XDV dialect write ${head}`),
  /** A v0.1 item (`forge`, `shape`, `proc`, `bind`) in a file of the XDV dialect. */
  dustV01Item: (word: string) =>
    m(
      "DPL1010",
      `\`${word}\` belongs to the dustlang v0.1 surface, and this file is in the XDV dialect (a file is dustlang when its first item is a \`forge\` or a regime function); in XDV write ${XDV_SPELLING[word] ?? "the XDV item"}`,
    ),
  dustDomainType: (regime: string) => m("DPL1010", `\`${regime}[T]\` is the dustlang surface's spelling of a domain type; in the XDV dialect write \`${regime}<T>\``),
  mutLet: () => m("DPL1010", "`mut let` is the dustlang surface's spelling; in the XDV dialect write `let mut`"),
  emit: () => m("DPL1010", "`emit` is the dustlang surface's output statement; in the XDV dialect write `println!(..)`"),
} as const;
