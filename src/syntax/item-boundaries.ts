/**
 * Where a text can be cut between top-level items without changing how it parses: the
 * start of the line after a `}` that closes brace depth 0 or a `;` at depth 0, when no
 * token follows on that line and no comment runs across the line break. Parsing the
 * pieces one by one gives the items of the whole (as long as each parses cleanly). The
 * editor's incremental parse (lsp/incremental-parse.ts) and the piecewise parse of large
 * files (parse.ts) cut there.
 */
import type { IToken } from "./chevrotain.js";

export interface Scan {
  /** Chunk starts inside the scanned text (0 first), relative to it. */
  readonly starts: number[];
  /** The scanned text ends exactly at a chunk boundary. */
  readonly endsAtBoundary: boolean;
}

/**
 * Chunk boundaries of a piece of text that starts at a boundary: after a `}` closing
 * depth 0 or a `;` at depth 0, at the start of the next line, if no token precedes it on
 * that line and no comment runs across it.
 */
export function scan(text: string, tokens: readonly IToken[], comments: readonly IToken[]): Scan {
  const starts = [0];
  let depth = 0;
  let c = 0;
  let endsAtBoundary = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.image === "{") depth++;
    else if (t.image === "}") depth = Math.max(0, depth - 1);
    endsAtBoundary = false;
    if (depth !== 0 || (t.image !== "}" && t.image !== ";")) continue;
    const nl = text.indexOf("\n", t.startOffset + t.image.length);
    if (nl < 0) continue;
    const boundary = nl + 1;
    const next = tokens[i + 1];
    if (next && next.startOffset < boundary) continue;
    const tokenEnd = t.startOffset + t.image.length;
    while (c < comments.length && comments[c]!.startOffset < tokenEnd) c++;
    let k = c;
    let docAfter = false;
    for (; k < comments.length && comments[k]!.startOffset + comments[k]!.image.length <= boundary; k++) {
      // `} /// doc` documents the next item: it must stay in the next item's chunk.
      if (/^\/\/\/(?!\/)/.test(comments[k]!.image)) docAfter = true;
    }
    const cm = comments[k];
    if (docAfter || (cm && cm.startOffset < boundary)) continue; // or the line break is inside a block comment
    if (next) starts.push(boundary);
    else endsAtBoundary = boundary === text.length;
  }
  return { starts, endsAtBoundary };
}
