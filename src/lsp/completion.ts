/**
 * Completion. What is offered depends on the text just before the cursor:
 * - after `@`: the annotations of language.md §2, and inside `@domain(`: the domains;
 * - after `expr.`: the fields and methods of the receiver's type, when it is known;
 * - after `path::`: enum variants, associated functions and constants, module items;
 * - anywhere else: the names in scope (locals first), then keywords.
 */
import type { CompletionItem, Position } from "vscode-languageserver/node.js";
import { CompletionItemKind, InsertTextFormat, MarkupKind } from "vscode-languageserver/node.js";
import type { OpenDocument } from "./documents.js";
import type { DocumentSemantics, Sym, SymKind, TypeInfo } from "./model-semantics.js";

export interface CompletionOptions {
  /** The client accepts snippet syntax (`$1`, `${1|a,b|}`) in insert texts. */
  readonly snippets: boolean;
}

interface AnnotationEntry {
  readonly label: string;
  readonly snippet: string;
  readonly plain: string;
  readonly doc: string;
}

const ANNOTATIONS: readonly AnnotationEntry[] = [
  { label: "domain(K)", snippet: "domain(${1|K,Q,Φ|})", plain: "domain(K)", doc: "The item belongs to the classical domain K (the default)." },
  { label: "domain(Q)", snippet: "domain(Q)", plain: "domain(Q)", doc: "The item belongs to the quantum domain Q: its values are move-only and never cloned." },
  { label: "domain(Φ)", snippet: "domain(Φ)", plain: "domain(Φ)", doc: "The item belongs to the phase domain Φ (ASCII alias `Phi`)." },
  { label: "noncopy", snippet: "noncopy", plain: "noncopy", doc: "Values of this type are move-only (DPL4001)." },
  { label: "deterministic", snippet: "deterministic", plain: "deterministic", doc: "No nondeterministic primitives in this function or its callees (DPL6001)." },
  { label: "capability(required)", snippet: "capability(required)", plain: "capability(required)", doc: "Callers must pass a capability parameter explicitly (DPL5001)." },
  { label: "bounded(N)", snippet: "bounded(${1:N})", plain: "bounded()", doc: "A termination bound allowing recursion in kernel code (DPL6002)." },
  { label: "audited", snippet: "audited", plain: "audited", doc: "`unsafe` in this function has been audited (DPL6004)." },
];

const DOMAIN_TAGS: readonly { name: string; doc: string }[] = [
  { name: "K", doc: "The classical domain." },
  { name: "Q", doc: "The quantum domain." },
  { name: "Φ", doc: "The phase domain." },
  { name: "Phi", doc: "ASCII alias of `Φ`." },
];

export const KEYWORDS: readonly string[] = [
  "as", "break", "const", "continue", "crate", "else", "enum", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod",
  "move", "mut", "pub", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while",
];

export function completion(doc: OpenDocument, sem: DocumentSemantics, position: Position, options: CompletionOptions): CompletionItem[] {
  const parsed = doc.parsed();
  const offset = parsed.lines.offsetAt(position);
  const lineStart = parsed.lines.lineStart(position.line);
  // The compiler's text (for Markdown: the code blocks, prose blanked), so prose never completes.
  const before = parsed.lines.text.slice(lineStart, offset);
  if (doc.isMarkdown && isProse(doc, parsed.lines.text.slice(lineStart, parsed.lines.lineEnd(position.line)), position.line)) return [];
  if (inCommentOrString(before)) return [];

  const domainArg = /@domain\(\s*([\p{L}_]*)$/u.exec(before);
  if (domainArg) return DOMAIN_TAGS.map((t, i) => ({ label: t.name, kind: CompletionItemKind.EnumMember, detail: "domain", documentation: t.doc, sortText: String(i) }));

  const annotation = /@([A-Za-z_]*)$/.exec(before);
  if (annotation) {
    const from = offset - annotation[1]!.length;
    const range = parsed.lines.offsetsToRange(from, offset);
    return ANNOTATIONS.map((a, i) => ({
      label: `@${a.label}`,
      filterText: a.label,
      kind: CompletionItemKind.Keyword,
      documentation: a.doc,
      sortText: String(i).padStart(2, "0"),
      ...(options.snippets ? { insertTextFormat: InsertTextFormat.Snippet } : {}),
      textEdit: { range, newText: options.snippets ? a.snippet : a.plain },
    }));
  }

  const member = /(?<!\.)\.\s*([\p{L}\p{N}_]*)$/u.exec(before);
  // `1.` starts a float and `a..` a range: neither has members.
  if (member && !/(?:^|[^\p{L}\p{N}_])\d[\d_]*$/u.test(before.slice(0, member.index))) {
    const dot = lineStart + member.index;
    const receiverEnd = lastNonSpace(parsed.lines.text, dot);
    const type = sem.typeOfExpressionBefore(receiverEnd) ?? receiverByName(sem, parsed.lines.text, receiverEnd, offset);
    if (!type) return [];
    return sem.membersOf(type).map((s) => item(sem, s, "0"));
  }

  const path = /((?:[\p{L}_][\p{L}\p{N}_]*\s*::\s*)+)([\p{L}\p{N}_]*)$/u.exec(before);
  if (path) {
    const segments = path[1]!.split("::").map((s) => s.trim()).filter((s) => s.length > 0);
    if (segments.length === 1 && segments[0] === "DomainTag") {
      return DOMAIN_TAGS.map((t, i) => ({ label: t.name, kind: CompletionItemKind.EnumMember, detail: "DomainTag", documentation: t.doc, sortText: String(i) }));
    }
    return sem.pathMembers(segments, offset).map((s) => item(sem, s, "0"));
  }

  const items: CompletionItem[] = [];
  for (const s of sem.scopeAt(offset)) items.push(item(sem, s, rank(s, doc.name)));
  for (const k of KEYWORDS) items.push({ label: k, kind: CompletionItemKind.Keyword, sortText: `5${k}` });
  return items;
}

/** A Markdown line outside the DPL blocks: blanked in the module text, not in the editor's. */
function isProse(doc: OpenDocument, moduleLine: string, line: number): boolean {
  const editorLine = doc.text.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return moduleLine.trim() === "" && editorLine.trim() !== "";
}

/** `x.` typed before the tree has caught up: look `x` up among the names in scope. */
function receiverByName(sem: DocumentSemantics, text: string, end: number, offset: number): TypeInfo | null {
  const m = /([\p{L}_][\p{L}\p{N}_]*)$/u.exec(text.slice(Math.max(0, end - 200), end));
  if (!m) return null;
  const sym = sem.scopeAt(offset).find((s) => s.name === m[1]);
  return sym ? sem.typeOf(sym) : null;
}

function lastNonSpace(text: string, end: number): number {
  let i = end;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  return i;
}

/** A line comment, or an odd number of `"` before the cursor on its line. */
function inCommentOrString(before: string): boolean {
  let inString = false;
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "/" && before[i + 1] === "/") return true;
  }
  return inString;
}

function rank(s: Sym, file: string): string {
  if (s.kind === "local" || s.kind === "param" || s.kind === "self") return "0";
  if (s.decl?.file === file) return "1";
  if (s.kind === "builtin") return "4";
  return s.decl && !s.decl.file.includes("stdlib") ? "2" : "3";
}

const KINDS: Record<SymKind, CompletionItemKind> = {
  module: CompletionItemKind.Module,
  struct: CompletionItemKind.Struct,
  enum: CompletionItemKind.Enum,
  variant: CompletionItemKind.EnumMember,
  trait: CompletionItemKind.Interface,
  alias: CompletionItemKind.TypeParameter,
  typeParam: CompletionItemKind.TypeParameter,
  function: CompletionItemKind.Function,
  method: CompletionItemKind.Method,
  const: CompletionItemKind.Constant,
  static: CompletionItemKind.Variable,
  field: CompletionItemKind.Field,
  param: CompletionItemKind.Variable,
  self: CompletionItemKind.Variable,
  local: CompletionItemKind.Variable,
  builtin: CompletionItemKind.TypeParameter,
  macro: CompletionItemKind.Function,
  annotation: CompletionItemKind.Keyword,
};

function item(sem: DocumentSemantics, s: Sym, sortPrefix: string): CompletionItem {
  const sig = sem.signature(s);
  const detailLine = sig.split("\n").pop() ?? sig;
  const domain = sem.domainOf(s);
  return {
    label: s.name,
    kind: KINDS[s.kind],
    detail: domain && s.kind !== "builtin" ? `${detailLine} · ${domain}` : detailLine,
    ...(s.docs.length > 0 ? { documentation: { kind: MarkupKind.Markdown, value: s.docs.join("\n") } } : {}),
    sortText: `${sortPrefix}${s.name}`,
  };
}
