/**
 * The limits of the front end, checked before and right after parsing, so that input past
 * them is one clear diagnostic instead of a stack overflow somewhere downstream.
 *
 * - Nesting (DPL1004): brackets `(`, `[`, `{` nested deeper than `MAX_NESTING`, or more
 *   than `MAX_NESTING` prefix operators in a row (`- - - x`, `&&&&x`, `!!!!b`). The parser,
 *   checker and emitter are recursive descents over the tree, so real nesting costs stack
 *   at every stage; past the limit the file is not parsed at all.
 * - Tree depth (DPL1004): an expression nested more than `MAX_TREE_DEPTH` nodes deep once
 *   parsed, not counting the left edges of chains (`1 + 1 + … + 1`, `a.f().f()…`), which
 *   every stage walks with a loop (chains.ts) and which may be of any length. What is left is
 *   nesting without brackets (`else if` ladders, `return return …`, closures returning
 *   closures). The expression is replaced by an error node, so the rest of the file is still
 *   checked.
 * - Size (DPL1005): a source file larger than `MAX_SOURCE_BYTES` is not parsed.
 *
 * docs/diagnostics/DPL1004.md and DPL1005.md state the limits; keep them in step.
 */
import { Limits, type SyntaxCode } from "./messages.js";
import type { IToken, TokenType } from "./chevrotain.js";
import * as T from "./tokens.js";
import type * as A from "./ast.js";
import { isChainLink } from "./chains.js";

export const MAX_NESTING = 128;
export const MAX_TREE_DEPTH = 320;
/**
 * The largest file dplc parses, in UTF-16 units (8 MiB of ASCII text). Checking costs
 * about 120 bytes of heap per source character today (tokens, tree, spans, tables), so a
 * file at the limit stays near 1.1 GB, inside V8's default heap on a small machine
 * (docs/security.md has the measurements).
 */
export const MAX_SOURCE_BYTES = 8 * 1024 * 1024;

export interface LimitIssue {
  readonly code: SyntaxCode;
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

const OPEN = new Set<TokenType>([T.LParen, T.LBracket, T.LBrace]);
const CLOSE = new Set<TokenType>([T.RParen, T.RBracket, T.RBrace]);
const PREFIX = new Set<TokenType>([T.Minus, T.Bang, T.Star, T.And, T.AndAnd, T.Keywords.mut]);

/** The first place where the tokens nest past `MAX_NESTING`, or null. */
export function nestingIssue(tokens: readonly IToken[]): LimitIssue | null {
  let depth = 0;
  let run = 0;
  for (const t of tokens) {
    const tt = t.tokenType;
    if (OPEN.has(tt)) {
      depth++;
      if (depth > MAX_NESTING) return tooDeep(t, `brackets nested more than ${MAX_NESTING} deep`);
    } else if (CLOSE.has(tt)) depth = Math.max(0, depth - 1);
    run = PREFIX.has(tt) ? run + 1 : 0;
    if (run > MAX_NESTING) return tooDeep(t, `more than ${MAX_NESTING} prefix operators in a row`);
  }
  return null;
}

function tooDeep(t: IToken, what: string): LimitIssue {
  return { ...Limits.nesting(what, MAX_NESTING), start: t.startOffset, end: t.startOffset + t.image.length };
}

export function sizeIssue(text: string): LimitIssue | null {
  if (text.length <= MAX_SOURCE_BYTES) return null;
  return { ...Limits.fileSize(text.length, MAX_SOURCE_BYTES), start: 0, end: 0 };
}

/**
 * Replace every expression deeper than `MAX_TREE_DEPTH` nodes by an error node, reporting
 * the first. The walk keeps its own stack: it must not overflow on the trees it guards.
 *
 * The same walk (it runs on every parse and already visits every array) trims the tree's
 * arrays to their length: an array the parser filled by `push` keeps room for 17 elements
 * in V8, and those spare slots were a quarter of a syntax tree's memory.
 */
export function limitTreeDepth(module: A.Module): LimitIssue | null {
  let first: LimitIssue | null = null;
  // Parallel arrays, not an object per entry: this walk runs on every parse.
  const holders: (Record<string, unknown> | unknown[])[] = [];
  const keys: (string | number)[] = [];
  const depths: number[] = [];
  const visitChildren = (node: Record<string, unknown>, nodeDepth: number): void => {
    for (const key in node) {
      if (key === "span") continue;
      const v = node[key];
      if (typeof v !== "object" || v === null) continue;
      // A chain's link to its left operand is not nesting: every stage walks chains with a loop.
      const depth = isChainLink(node.kind, key) ? nodeDepth - 1 : nodeDepth;
      if (Array.isArray(v)) {
        const trimmed = v.length > 0 ? (node[key] = v.slice()) : v;
        for (let i = 0; i < trimmed.length; i++) {
          const x = trimmed[i] as unknown;
          if (typeof x === "object" && x !== null) {
            holders.push(trimmed);
            keys.push(i);
            depths.push(depth);
          }
        }
      } else {
        holders.push(node);
        keys.push(key);
        depths.push(depth);
      }
    }
  };
  visitChildren(module as unknown as Record<string, unknown>, 0);
  while (holders.length > 0) {
    const holder = holders.pop()! as Record<string | number, unknown>;
    const key = keys.pop()!;
    const depth = depths.pop()!;
    const node = holder[key] as { kind?: unknown; span?: { startOffset?: number; endOffset?: number } };
    if (Array.isArray(node)) {
      // Nested arrays (rare): walk them at the same depth.
      for (let i = 0; i < node.length; i++) if (typeof node[i] === "object" && node[i] !== null) (holders.push(node), keys.push(i), depths.push(depth));
      continue;
    }
    if (typeof node.kind !== "string") continue;
    if (depth >= MAX_TREE_DEPTH && node.kind.endsWith("Expr") && node.kind !== "ErrorExpr") {
      const start = node.span?.startOffset ?? 0;
      first ??= { ...Limits.treeDepth(MAX_TREE_DEPTH), start, end: node.span?.endOffset ?? start };
      const error = { kind: "ErrorExpr", span: node.span };
      // An `else if` holds an expression where a block may stand: keep the slot a block.
      holder[key] = key === "else" ? { kind: "Block", stmts: [], tail: error, span: node.span } : error;
      continue;
    }
    visitChildren(node as Record<string, unknown>, depth + 1);
  }
  return first;
}

