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
import { chainLinkKey } from "./chains.js";

export const MAX_NESTING = 128;
export const MAX_TREE_DEPTH = 320;
/**
 * The largest file dplc parses, in UTF-16 units (8 MiB of ASCII text). `dplc check` of
 * a large file costs about 40–55 bytes of peak heap per source character; a whole-program
 * check (build, run, the editor) about 115 (tokens, tree, spans, tables), so a file at the
 * limit stays near 1 GB, inside V8's default heap on a small machine (docs/security.md,
 * "Memory", has the measurements).
 */
export const MAX_SOURCE_BYTES = 8 * 1024 * 1024;

export interface LimitIssue {
  readonly code: SyntaxCode;
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

const OPEN = 1;
const CLOSE = 2;
const PREFIX = 4;
/** Token type index → OPEN | CLOSE | PREFIX bits: this scan runs over every token of every parse. */
const CLASS_OF = (() => {
  const classes: [TokenType, number][] = [
    [T.LParen, OPEN], [T.LBracket, OPEN], [T.LBrace, OPEN],
    [T.RParen, CLOSE], [T.RBracket, CLOSE], [T.RBrace, CLOSE],
    [T.Minus, PREFIX], [T.Bang, PREFIX], [T.Star, PREFIX], [T.And, PREFIX], [T.AndAnd, PREFIX], [T.Keywords.mut, PREFIX],
  ];
  const table = new Uint8Array(Math.max(...T.allTokens.map((t) => t.tokenTypeIdx!)) + 1);
  for (const [t, c] of classes) table[t.tokenTypeIdx!] = c;
  return table;
})();

/** The first place where the tokens nest past `MAX_NESTING`, or null. */
export function nestingIssue(tokens: readonly IToken[]): LimitIssue | null {
  let depth = 0;
  let run = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const c = CLASS_OF[t.tokenTypeIdx] ?? 0;
    if (c === OPEN) {
      depth++;
      if (depth > MAX_NESTING) return tooDeep(t, `brackets nested more than ${MAX_NESTING} deep`);
    } else if (c === CLOSE) depth = Math.max(0, depth - 1);
    run = c === PREFIX ? run + 1 : 0;
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
  return limitNodeDepth(module, 0);
}

/**
 * `limitTreeDepth` from a node whose children sit at `depth` in the module's walk (a
 * function body parsed on its own). With `probe`, the tree is left as it is: the answer is
 * only whether some expression is too deep.
 */
export function limitNodeDepth(root: object, depth: number, probe = false): LimitIssue | null {
  let first: LimitIssue | null = null;
  // One stack of (holder, key, depth) triples, not an object per entry: this walk visits
  // every node of every parse.
  const stack: unknown[] = [];
  const visitChildren = (node: Record<string, unknown>, nodeDepth: number): void => {
    // A chain's link to its left operand is not nesting: every stage walks chains with a loop.
    const link = chainLinkKey(node.kind);
    for (const key in node) {
      const v = node[key];
      if (typeof v !== "object" || v === null || key === "span") continue;
      const depth = key === link ? nodeDepth - 1 : nodeDepth;
      if (Array.isArray(v)) {
        if (v.length === 0) continue;
        const trimmed = probe ? v : (node[key] = v.slice());
        for (let i = 0; i < trimmed.length; i++) {
          const x = trimmed[i] as unknown;
          if (typeof x === "object" && x !== null) stack.push(trimmed, i, depth);
        }
      } else stack.push(node, key, depth);
    }
  };
  visitChildren(root as Record<string, unknown>, depth);
  while (stack.length > 0) {
    const depth = stack.pop() as number;
    const key = stack.pop() as string | number;
    const holder = stack.pop() as Record<string | number, unknown>;
    const node = holder[key] as { kind?: unknown; span?: { startOffset?: number; endOffset?: number } };
    if (Array.isArray(node)) {
      // Nested arrays (rare): walk them at the same depth.
      for (let i = 0; i < node.length; i++) if (typeof node[i] === "object" && node[i] !== null) stack.push(node, i, depth);
      continue;
    }
    const kind = node.kind;
    if (typeof kind !== "string") continue;
    if (depth >= MAX_TREE_DEPTH && kind.endsWith("Expr") && kind !== "ErrorExpr") {
      const start = node.span?.startOffset ?? 0;
      first ??= { ...Limits.treeDepth(MAX_TREE_DEPTH), start, end: node.span?.endOffset ?? start };
      if (probe) return first;
      const error = { kind: "ErrorExpr", span: node.span };
      // An `else if` holds an expression where a block may stand: keep the slot a block.
      holder[key] = key === "else" ? { kind: "Block", stmts: [], tail: error, span: node.span } : error;
      continue;
    }
    visitChildren(node as Record<string, unknown>, depth + 1);
  }
  return first;
}

