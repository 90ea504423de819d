/**
 * Semantic tokens: every identifier the semantic source resolves, classified by what it
 * declares or refers to, with a modifier for the domain of its value or type, so a theme
 * can colour K, Q and Φ differently (`domainK`, `domainQ`, `domainPhi`). Keywords,
 * literals and comments stay with the TextMate grammar.
 */
import type { SemanticTokens, SemanticTokensLegend } from "vscode-languageserver/node.js";
import type { OpenDocument } from "./documents.js";
import type { Domain, DocumentSemantics, Sym, SymKind } from "./model-semantics.js";
import { domainOfName } from "./signatures.js";

const TOKEN_TYPES = [
  "namespace",
  "type",
  "struct",
  "enum",
  "interface",
  "typeParameter",
  "function",
  "method",
  "parameter",
  "variable",
  "property",
  "enumMember",
  "macro",
  "keyword",
  "decorator",
] as const;

const TOKEN_MODIFIERS = ["declaration", "readonly", "domainK", "domainQ", "domainPhi", "defaultLibrary"] as const;

export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export const LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

const typeIndex = new Map<string, number>(TOKEN_TYPES.map((t, i) => [t, i]));
const modifierBit = new Map<string, number>(TOKEN_MODIFIERS.map((m, i) => [m, 1 << i]));

const KIND_TOKEN: Record<SymKind, TokenType> = {
  module: "namespace",
  struct: "struct",
  enum: "enum",
  variant: "enumMember",
  trait: "interface",
  alias: "type",
  typeParam: "typeParameter",
  function: "function",
  method: "method",
  const: "variable",
  static: "variable",
  field: "property",
  param: "parameter",
  self: "parameter",
  local: "variable",
  builtin: "type",
  macro: "macro",
  annotation: "decorator",
};

const DOMAIN_MODIFIER: Record<Domain, TokenModifier> = { K: "domainK", Q: "domainQ", Φ: "domainPhi" };

export interface Classified {
  readonly type: TokenType;
  readonly modifiers: readonly TokenModifier[];
}

export function classify(sym: Sym, isDecl: boolean, domain: Domain | null): Classified {
  // The domain names themselves (`@domain(Q)`, `Q<T>`) read as domain keywords.
  const tag = sym.kind === "builtin" ? domainOfName(sym.name) : null;
  const type: TokenType = tag ? "keyword" : KIND_TOKEN[sym.kind];
  const modifiers: TokenModifier[] = [];
  if (isDecl) modifiers.push("declaration");
  const readonly = sym.kind === "const" || (sym.kind === "static" && !sym.mutable) || ((sym.kind === "local" || sym.kind === "param") && !sym.mutable);
  if (readonly) modifiers.push("readonly");
  const d = tag ?? domain;
  if (d) modifiers.push(DOMAIN_MODIFIER[d]);
  if ((sym.kind === "builtin" && !tag) || sym.kind === "macro" || (sym.def !== null && "module" in sym.def && sym.def.module.isStdlib) || (sym.decl !== null && /[\\/]stdlib[\\/]/.test(sym.decl.file))) modifiers.push("defaultLibrary");
  return { type, modifiers };
}

/** The whole document, in LSP's relative encoding (5 integers per token). */
export function semanticTokens(doc: OpenDocument, sem: DocumentSemantics): SemanticTokens {
  const lines = doc.parsed().lines;
  const domains = new Map<Sym, Domain | null>();
  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  let lastEnd = -1;
  for (const r of sem.refs) {
    if (r.start < lastEnd) continue; // tokens may not overlap
    let domain = domains.get(r.sym);
    if (domain === undefined) domains.set(r.sym, (domain = sem.domainOf(r.sym)));
    const c = classify(r.sym, r.isDecl, domain);
    const pos = lines.offsetToLsp(r.start);
    const end = lines.offsetToLsp(r.end);
    if (end.line !== pos.line) continue; // identifiers never span lines; recovery artefacts might
    let mods = 0;
    for (const m of c.modifiers) mods |= modifierBit.get(m)!;
    data.push(pos.line - prevLine, pos.line === prevLine ? pos.character - prevChar : pos.character, end.character - pos.character, typeIndex.get(c.type)!, mods);
    prevLine = pos.line;
    prevChar = pos.character;
    lastEnd = r.end;
  }
  return { data };
}

/** A token with absolute line and column, its type and modifiers as LSP's integers. */
export interface AbsoluteToken {
  line: number;
  character: number;
  length: number;
  type: number;
  mods: number;
}

/** LSP's relative encoding back to absolute positions. */
export function decodeRaw(data: readonly number[]): AbsoluteToken[] {
  const out: AbsoluteToken[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i + 4 < data.length; i += 5) {
    const dl = data[i]!;
    line += dl;
    character = dl === 0 ? character + data[i + 1]! : data[i + 1]!;
    out.push({ line, character, length: data[i + 2]!, type: data[i + 3]!, mods: data[i + 4]! });
  }
  return out;
}

/** Decode LSP's relative encoding back to absolute tokens with names (tests and debugging). */
export function decodeTokens(data: readonly number[]): { line: number; character: number; length: number; type: TokenType; modifiers: TokenModifier[] }[] {
  return decodeRaw(data).map((t) => ({ line: t.line, character: t.character, length: t.length, type: TOKEN_TYPES[t.type]!, modifiers: TOKEN_MODIFIERS.filter((_, b) => (t.mods & (1 << b)) !== 0) }));
}
