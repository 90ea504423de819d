/**
 * Hover: the declaration under the cursor as DPL source (an item's signature, a binding's
 * type, as the checker inferred it when its result is current), its domain, and its
 * `///` docs; off identifiers, the type and domain of the expression under the cursor.
 */
import type { Hover, Position } from "vscode-languageserver/node.js";
import { MarkupKind } from "vscode-languageserver/node.js";
import type { OpenDocument } from "./documents.js";
import type { Domain, DocumentSemantics, Sym } from "./model-semantics.js";

const VALUE_KINDS = new Set(["local", "param", "self", "field", "const", "static"]);

export function hover(doc: OpenDocument, sem: DocumentSemantics, position: Position): Hover | null {
  const parsed = doc.parsed();
  const offset = parsed.lines.offsetAt(position);
  const ref = sem.refAt(offset);
  if (!ref) {
    // Off identifiers (an operator, a literal, a call's parentheses): the expression's type.
    const t = sem.typeAt(offset);
    if (!t) return null;
    const value = "```dpl\n" + t.text + "\n```" + (t.domain ? `\n\n---\n\nvalue in domain **${t.domain}**` : "");
    return { contents: { kind: MarkupKind.Markdown, value } };
  }
  const text = hoverText(sem, ref.sym);
  if (!text) return null;
  return { contents: { kind: MarkupKind.Markdown, value: text }, range: parsed.lines.offsetsToRange(ref.start, ref.end) };
}

function hoverText(sem: DocumentSemantics, sym: Sym): string {
  const parts: string[] = [];
  parts.push("```dpl\n" + sem.signature(sym) + "\n```");
  const domain = sem.domainOf(sym);
  const line = domainLine(sym, domain);
  if (line) parts.push(line);
  if (sym.kind === "annotation") parts.push(ANNOTATION_DOCS[sym.name] ?? "An annotation the compiler does not know (DPL8001): it is ignored.");
  if (sym.docs.length > 0) parts.push(sym.docs.join("\n"));
  return parts.join("\n\n---\n\n");
}

function domainLine(sym: Sym, domain: Domain | null): string | null {
  if (!domain) return null;
  if (VALUE_KINDS.has(sym.kind)) return `value in domain **${domain}**`;
  if (sym.kind === "function" || sym.kind === "method") return `runs in domain **${domain}**`;
  if (sym.kind === "variant") return `variant of a domain **${domain}** type`;
  if (sym.kind === "builtin" && (sym.name === "K" || sym.name === "Q" || sym.name === "Φ" || sym.name === "Phi")) return DOMAIN_DOCS[domain];
  if (sym.kind === "builtin") return null;
  return `type in domain **${domain}**`;
}

const DOMAIN_DOCS: Record<Domain, string> = {
  K: "**K**: the classical domain. Plain data; copies and clones like any Rust value.",
  Q: "**Q**: the quantum domain. Q values are move-only and never cloned (DPL4001); K code sees only their `K<...>` metadata (DPL3003).",
  Φ: "**Φ**: the phase domain. Φ values may not be mutably aliased (DPL4003) and change only under a transform contract (DPL4004).",
};

const ANNOTATION_DOCS: Record<string, string> = {
  domain: "`@domain(K|Q|Φ)`: the domain this item belongs to; unannotated items are K (XDV-051 §3.1).",
  noncopy: "`@noncopy`: values of this type are move-only, like Q values (DPL4001).",
  deterministic: "`@deterministic`: this function, and everything it calls, may not use nondeterministic primitives (DPL6001).",
  capability: "`@capability(required)`: callers must pass a capability parameter explicitly (DPL5001).",
  bounded: "`@bounded(N)`: a termination bound that allows recursion in kernel code (DPL6002).",
  audited: "`@audited`: `unsafe` in this function has been audited, as kernel code requires (DPL6004).",
  derive: "`@derive(...)`: derived trait implementations; `Clone`/`Copy` are rejected on Q and `@noncopy` types (DPL4001).",
};
