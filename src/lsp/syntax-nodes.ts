/**
 * A walk over every node of a syntax tree, whatever its kind: folding and selection ranges
 * ask about the shape of the text, not the meaning of each node, so they need no visitor
 * per kind. A node is any object with a `kind` and a `span`; spans themselves are leaves.
 */
import type { Span } from "../syntax/source.js";
import { spanOffsets } from "./positions.js";

export interface SyntaxNode {
  readonly kind: string;
  readonly span: Span;
}

function isNode(x: unknown): x is SyntaxNode {
  return typeof x === "object" && x !== null && typeof (x as { kind?: unknown }).kind === "string" && typeof (x as { span?: unknown }).span === "object";
}

/** Visit every node under `root` (not `root` itself), parents before children. */
export function forEachNode(root: unknown, visit: (n: SyntaxNode, depth: number) => void): void {
  const seen = new Set<object>();
  const go = (x: unknown, depth: number): void => {
    if (typeof x !== "object" || x === null || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) {
      for (const y of x) go(y, depth);
      return;
    }
    const node = isNode(x);
    if (node && x !== root) visit(x, depth);
    for (const [k, v] of Object.entries(x)) if (k !== "span" && typeof v === "object") go(v, node ? depth + 1 : depth);
  };
  go(root, 0);
}

/** The nodes whose span contains `offset`, outermost first. */
export function nodesAround(root: unknown, offset: number): { node: SyntaxNode; start: number; end: number }[] {
  const out: { node: SyntaxNode; start: number; end: number }[] = [];
  forEachNode(root, (n) => {
    const { start, end } = spanOffsets(n.span);
    if (start <= offset && offset <= end && end > start) out.push({ node: n, start, end });
  });
  return out.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
}
