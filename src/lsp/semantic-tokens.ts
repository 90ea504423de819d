/**
 * Semantic tokens: every identifier the semantic source resolves, classified by what it
 * declares or refers to, with a modifier for the domain of its value or type, so a theme
 * can colour K, Q and Φ differently (`domainK`, `domainQ`, `domainPhi`). Keywords,
 * literals and comments stay with the TextMate grammar, except two forms of the dustlang
 * sketch that only the parse knows for sure: a quantity literal (`2ms`: a `number`, then its
 * unit as a `keyword`, as the grammar scopes it) and a named argument (`basis:` in
 * `encode(r, basis: "phase")`, a `parameter`).
 */
import type { SemanticTokens, SemanticTokensLegend } from "vscode-languageserver/node.js";
import type { OpenDocument } from "./documents.js";
import type { Domain, DocumentSemantics, Sym, SymKind } from "./model-semantics.js";
import { domainOfName } from "./signatures.js";
import type * as A from "../syntax/ast.js";
import { walkNodes } from "../syntax/walk.js";

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
  "number",
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
  const extra = dustlangTokens(doc.parsed().module.ast);
  let e = 0;
  const refs = sem.refs;
  for (let i = 0; i < refs.length || e < extra.length; ) {
    let r: { start: number; end: number };
    let c: Classified;
    if (e < extra.length && (i >= refs.length || extra[e]!.start <= refs[i]!.start)) {
      r = extra[e]!;
      c = extra[e++]!.c;
    } else {
      const ref = refs[i++]!;
      r = ref;
      let domain = domains.get(ref.sym);
      if (domain === undefined) domains.set(ref.sym, (domain = sem.domainOf(ref.sym)));
      c = classify(ref.sym, ref.isDecl, domain);
    }
    if (r.start < lastEnd) continue; // tokens may not overlap
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

interface ExtraToken {
  readonly start: number;
  readonly end: number;
  readonly c: Classified;
}

const NUMBER: Classified = { type: "number", modifiers: [] };
const UNIT: Classified = { type: "keyword", modifiers: [] };
const NAMED_ARGUMENT: Classified = { type: "parameter", modifiers: [] };

/**
 * The quantity literals and named arguments of a dustlang file's v0.1 processes and binds
 * (the only places the parser reads them), sorted by offset. Other files have none, and are not walked.
 */
function dustlangTokens(module: A.Module): ExtraToken[] {
  const out: ExtraToken[] = [];
  const procs: A.Node[] = [];
  const collect = (items: readonly A.Item[]): void => {
    for (const it of items) {
      if (it.kind === "FnItem" && it.proc) procs.push(it);
      else if (it.kind === "ModItem" && it.forge) {
        procs.push(...it.forge.binds);
        collect(it.items ?? []);
      }
    }
  };
  collect(module.items);
  if (procs.length === 0) return out;
  walkNodes(procs, (n) => {
    if (n.kind === "IntLit" && (n as A.IntLit).quantity) {
      const lit = n as A.IntLit;
      const unit = /[A-Za-z]+$/.exec(lit.raw)?.[0].length ?? 0;
      const start = lit.span.start.offset;
      const end = lit.span.end.offset;
      if (end - start !== lit.raw.length) return; // not the literal as written (a lowered copy)
      out.push({ start, end: end - unit, c: NUMBER }, { start: end - unit, end, c: UNIT });
    } else if (n.kind === "CallExpr" && (n as A.CallExpr).argNames) {
      for (const name of (n as A.CallExpr).argNames!) if (name) out.push({ start: name.span.start.offset, end: name.span.end.offset, c: NAMED_ARGUMENT });
    }
  });
  return out.sort((a, b) => a.start - b.start);
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
