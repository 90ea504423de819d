/**
 * Inlay hints: the type the checker inferred for each binding written without one (`let`,
 * `for`, closure parameters, `if let`/`match` bindings stay out: their type is the
 * pattern's), with its domain, since a value's domain (K, Q, Φ) decides what may be done
 * with it: `let q = alloc();` shows `q: Qubit @Q`. Types the checker could not settle are
 * not shown.
 */
import { InlayHintKind, type InlayHint, type Range } from "vscode-languageserver/node.js";
import type * as A from "../syntax/ast.js";
import type { OpenDocument } from "./documents.js";
import type { DocumentSemantics } from "./model-semantics.js";
import { spanOffsets } from "./positions.js";
import { forEachNode } from "./syntax-nodes.js";

export function inlayHints(doc: OpenDocument, sem: DocumentSemantics, range: Range): InlayHint[] {
  const parsed = doc.parsed();
  const lines = parsed.lines;
  const from = lines.offsetAt(range.start);
  const to = lines.offsetAt(range.end);
  const out: InlayHint[] = [];
  const hint = (p: A.Pattern): void => {
    const bindings: A.BindingPattern[] = p.kind === "BindingPattern" ? [p] : [];
    forEachNode(p, (n) => {
      if (n.kind === "BindingPattern") bindings.push(n as A.BindingPattern);
    });
    for (const b of bindings) {
      const { start, end } = spanOffsets(b.name.span);
      if (end < from || start > to) continue;
      const ref = sem.refAt(start);
      if (!ref || !ref.isDecl || (ref.sym.kind !== "local" && ref.sym.kind !== "param")) continue;
      const t = sem.typeOf(ref.sym);
      if (!t || /(^|[^\w])_([^\w]|$)|\{integer\}|\{float\}/.test(t.text)) continue;
      const label = `: ${t.text}${t.domain ? ` @${t.domain}` : ""}`;
      out.push({ position: lines.offsetToLsp(end), label, kind: InlayHintKind.Type, paddingLeft: false, tooltip: t.domain ? `inferred type; domain ${t.domain}` : "inferred type" });
    }
  };
  forEachNode(parsed.module.ast, (n) => {
    if (n.kind === "LetStmt" && (n as A.LetStmt).type === null) hint((n as A.LetStmt).pattern);
    else if (n.kind === "ForExpr") hint((n as A.ForExpr).pattern);
    else if (n.kind === "ClosureParam" && (n as A.ClosureParam).type === null) hint((n as A.ClosureParam).pattern);
  });
  return out.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}
