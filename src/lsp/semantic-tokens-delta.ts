/**
 * Semantic tokens by range and as deltas. The whole document's tokens are computed as for
 * `full` (semantic-tokens.ts); a range request keeps those on the range's lines, and a
 * delta request answers with the one edit that turns the previous result's integers into
 * the new ones (the unchanged prefix and suffix are kept), which is what clients apply
 * after a keystroke. Results are remembered per document under a result id.
 *
 * Columns and lengths are converted to the negotiated position encoding here, before the
 * integers are encoded, since a delta cannot be converted after the fact (encoding.ts).
 */
import type { Range, SemanticTokens, SemanticTokensDelta } from "vscode-languageserver/node.js";
import type { PositionCodec } from "./encoding.js";
import { decodeRaw as decode, type AbsoluteToken } from "./semantic-tokens.js";


function encode(tokens: readonly AbsoluteToken[]): number[] {
  const data: number[] = [];
  let line = 0;
  let character = 0;
  for (const t of tokens) {
    data.push(t.line - line, t.line === line ? t.character - character : t.character, t.length, t.type, t.mods);
    line = t.line;
    character = t.character;
  }
  return data;
}

/** Tokens in the client's encoding (identity for UTF-16). */
export function inEncoding(data: readonly number[], uri: string, codec: PositionCodec | undefined): number[] {
  if (!codec?.active) return [...data];
  return encode(
    decode(data).map((t) => {
      const start = codec.out(uri, t.line, t.character);
      return { ...t, character: start, length: codec.out(uri, t.line, t.character + t.length) - start };
    }),
  );
}

/** The tokens that overlap a range (tokens never span lines). */
export function tokensInRange(data: readonly number[], range: Range): number[] {
  return encode(
    decode(data).filter((t) => {
      if (t.line < range.start.line || t.line > range.end.line) return false;
      if (t.line === range.start.line && t.character + t.length <= range.start.character) return false;
      if (t.line === range.end.line && t.character >= range.end.character) return false;
      return true;
    }),
  );
}

/** The single edit from `before` to `after`: the differing middle between a common prefix and suffix. */
export function tokenEdit(before: readonly number[], after: readonly number[]): { start: number; deleteCount: number; data: number[] } | null {
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before[prefix] === after[prefix]) prefix++;
  if (prefix === before.length && prefix === after.length) return null;
  let suffix = 0;
  while (suffix < max - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  return { start: prefix, deleteCount: before.length - prefix - suffix, data: after.slice(prefix, after.length - suffix) };
}

/** The last full result given for each document, under its result id. */
export class SemanticTokensCache {
  private next = 1;
  private readonly last = new Map<string, { readonly resultId: string; readonly data: readonly number[] }>();

  full(uri: string, data: number[]): SemanticTokens {
    const resultId = String(this.next++);
    this.last.set(uri, { resultId, data });
    return { resultId, data };
  }

  /** A delta against `previousResultId`, or the full tokens when that result is not the last one. */
  delta(uri: string, previousResultId: string, data: number[]): SemanticTokens | SemanticTokensDelta {
    const prev = this.last.get(uri);
    if (!prev || prev.resultId !== previousResultId) return this.full(uri, data);
    const resultId = String(this.next++);
    this.last.set(uri, { resultId, data });
    const edit = tokenEdit(prev.data, data);
    return { resultId, edits: edit ? [edit] : [] };
  }

  forget(uri: string): void {
    this.last.delete(uri);
  }
}
