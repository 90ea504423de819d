/**
 * Left-associative chains: `a + b + c`, `s.trim().to_string()`, `a.b.c`, `v[i][j]`,
 * `x as u32 as u64`, `f()??`. The parser builds them with a loop, so a chain of 20,000 links
 * is a tree 20,000 nodes deep along its left edge. Every later stage (checker, rule passes,
 * emitter, printer) must walk that edge with a loop or an explicit stack, never by recursion:
 * only true nesting (brackets, blocks, prefix operators) is bounded by DPL1004
 * (syntax/limits.ts), and each stage's recursion depth is bounded by that nesting alone.
 */
import type * as A from "./ast.js";

export type ChainExpr = A.BinaryExpr | A.MethodCallExpr | A.FieldExpr | A.IndexExpr | A.CastExpr | A.TryExpr;

/** The left operand of a chain link (the operand evaluated first), or null for other nodes. */
export function chainLeft(e: A.Expr): A.Expr | null {
  switch (e.kind) {
    case "BinaryExpr":
      return e.left;
    case "MethodCallExpr":
      return e.receiver;
    case "FieldExpr":
    case "IndexExpr":
      return e.object;
    case "CastExpr":
    case "TryExpr":
      return e.expr;
    default:
      return null;
  }
}

export function isChain(e: A.Expr): e is ChainExpr {
  return chainLeft(e) !== null;
}

/** Is `node[key]` the left operand of a chain link? (For walks over the tree as plain data.) */
export function isChainLink(kind: unknown, key: string): boolean {
  return chainLinkKey(kind) === key;
}

/** The key of a chain link's left operand for a node of `kind`, or null when it is no link. */
export function chainLinkKey(kind: unknown): string | null {
  switch (kind) {
    case "BinaryExpr":
      return "left";
    case "MethodCallExpr":
      return "receiver";
    case "FieldExpr":
    case "IndexExpr":
      return "object";
    case "CastExpr":
    case "TryExpr":
      return "expr";
    default:
      return null;
  }
}

/**
 * The chain links below `e` along its left edge, outermost first: `[e, e.left, e.left.left, …]`
 * down to (not including) the first operand that is not a chain link. Empty when `e` is no link.
 */
export function chainSpine(e: A.Expr): ChainExpr[] {
  const spine: ChainExpr[] = [];
  let x: A.Expr | null = e;
  while (x !== null && isChain(x)) {
    spine.push(x);
    x = chainLeft(x);
  }
  return spine;
}

/** The first operand of a chain: what its left edge ends in (`e` itself when it is no link). */
export function chainBase(e: A.Expr): A.Expr {
  let x = e;
  for (let l = chainLeft(x); l !== null; l = chainLeft(x)) x = l;
  return x;
}

