/**
 * Doc comments: `///` lines directly above an item (or field or variant) become its docs;
 * `//!` lines at the top of a file become the module's docs. Used by hover in the editor.
 */
import type { IToken } from "./chevrotain.js";
import type * as A from "./ast.js";
import type { OffsetSpan } from "./source.js";

export function attachDocs(module: A.Module, comments: readonly IToken[], text: string): void {
  const docs = comments.filter((c) => c.image.startsWith("///") && !c.image.startsWith("////"));
  for (const c of comments) if (c.image.startsWith("//!")) module.docs.push(c.image.slice(3).trim());
  if (docs.length === 0) return;

  const visit = (node: { span: unknown; docs: string[] }): void => {
    const start = (node.span as OffsetSpan).startOffset;
    // Walk backwards over doc lines separated from the node only by whitespace.
    let idx = lowerBound(docs, start) - 1;
    let cursor = start;
    const lines: string[] = [];
    while (idx >= 0) {
      const c = docs[idx]!;
      const between = text.slice(c.startOffset + c.image.length, cursor);
      if (!/^\s*(?:@[^\r\n]*\s*)*$/.test(between)) break; // a line ends at \r as in the lexer
      lines.unshift(c.image.slice(3).replace(/^ /, ""));
      cursor = c.startOffset;
      idx--;
    }
    node.docs.push(...lines);
  };
  const walkItems = (items: readonly A.Item[]): void => {
    for (const it of items) {
      visit(it);
      switch (it.kind) {
        case "StructItem":
          if (it.body.kind === "named" || it.body.kind === "tuple") it.body.fields.forEach(visit);
          break;
        case "EnumItem":
          for (const v of it.variants) {
            visit(v);
            v.fields.forEach(visit);
          }
          break;
        case "ImplItem":
        case "TraitItem":
          walkItems(it.items);
          break;
        case "ModItem":
          if (it.items) walkItems(it.items);
          break;
        default:
          break;
      }
    }
  };
  walkItems(module.items);
}

function lowerBound(tokens: readonly IToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.startOffset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
