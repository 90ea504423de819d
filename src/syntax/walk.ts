/**
 * A generic pre-order walk over a syntax tree: every object with a `kind` below `root`
 * (spans excluded), for passes that look for a few node kinds anywhere in a body.
 */
import type * as A from "./ast.js";

export type AnyNode = { readonly kind: string; readonly span?: unknown };

export function walkNodes(root: unknown, visit: (node: AnyNode, parent: AnyNode | null) => void | "skip"): void {
  const go = (v: unknown, parent: AnyNode | null): void => {
    if (Array.isArray(v)) {
      for (const x of v) go(x, parent);
      return;
    }
    if (v === null || typeof v !== "object") return;
    const node = v as AnyNode;
    let self = parent;
    if (typeof node.kind === "string") {
      if (visit(node, parent) === "skip") return;
      self = node;
    }
    for (const [k, x] of Object.entries(v)) if (k !== "span" && x !== null && typeof x === "object" && !(x instanceof Set)) go(x, self);
  };
  go(root, null);
}

/** The name a call's callee path ends with (`f(..)`, `Forge::f(..)`), or null. */
export function calleeName(e: A.CallExpr): string | null {
  return e.callee.kind === "PathExpr" ? (e.callee.segments[e.callee.segments.length - 1]?.name.name ?? null) : null;
}
