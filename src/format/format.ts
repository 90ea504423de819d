/**
 * `dplc fmt` as a compiler API: text in, canonical text out (docs/style.md), shared by the
 * CLI and the language server. A module with syntax errors is never formatted: its
 * diagnostics come back instead. Nothing here touches the file system.
 *
 * Every result is checked before it is returned: the output's code tokens must be the
 * input's (up to optional trailing commas) and its comments the input's, in order. The
 * property tests prove more (same tree, idempotence); this check keeps a formatter bug
 * from ever reaching a user's file.
 */
import { diagnosticOf } from "../diagnostics/messages/message.js";
import { Internal } from "../diagnostics/messages/internal.js";
import type { IToken } from "../syntax/chevrotain.js";
import { detectSurface, lex, parseSource } from "../syntax/parse.js";
import { layoutDust } from "../syntax/dust-layout.js";
import { SourceFile, stripBom } from "../syntax/source.js";
import { DPL_FENCE_TAGS, fenceIndent, findCodeBlocks, literateModule } from "../syntax/literate.js";
import { formatModule, FormatRefusal, type SourceComment } from "../syntax/formatter.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

/** rustfmt's `max_width`; the only setting the style has. */
export const DEFAULT_WIDTH = 100;

export interface FormatOptions {
  readonly width?: number;
}

export type FormatResult =
  | { readonly ok: true; readonly text: string; readonly changed: boolean }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[]; readonly source: SourceFile };

/** Format a `.ds` module, or the DPL blocks of a Markdown file (by the name's extension). */
export function formatText(name: string, input: string, options: FormatOptions = {}): FormatResult {
  const width = options.width ?? DEFAULT_WIDTH;
  const text = stripBom(input);
  const bom = input.slice(0, input.length - text.length);
  const newline = /\r\n/.test(text.slice(0, (text.indexOf("\n") + 1 || text.length) + 1)) ? "\r\n" : "\n";
  const r = name.toLowerCase().endsWith(".md") ? formatMarkdown(name, text, width, newline) : formatDs(name, text, width, newline);
  if (!r.ok) return r;
  const out = bom + r.text;
  return { ok: true, text: out, changed: out !== input };
}

function formatDs(name: string, text: string, width: number, newline: string): { ok: true; text: string } | { ok: false; diagnostics: Diagnostic[]; source: SourceFile } {
  const source = new SourceFile(name, text);
  const parsed = parseSource(source);
  if (parsed.diagnostics.length > 0) return { ok: false, diagnostics: parsed.diagnostics, source };
  const comments: SourceComment[] = parsed.comments.map((c) => ({ start: c.startOffset, end: c.startOffset + c.image.length, text: c.image }));
  let out: string;
  try {
    const tokens = parsed.tokens.map((t) => ({ start: t.startOffset, image: t.image }));
    // A dustlang file keeps its surface: its layout works on the tokens, as its tree is the
    // lowered XDV one (src/syntax/dust-layout.ts).
    out =
      detectSurface(parsed.tokens) === "dust"
        ? layoutDust(text, [...tokens.map((t) => ({ ...t, isComment: false })), ...parsed.comments.map((c) => ({ start: c.startOffset, image: c.image.replace(/\r$/, ""), isComment: true }))], newline, new Set(parsed.lineEnds ?? []))
        : formatModule(parsed.module, comments, tokens, text, width, newline);
  } catch (e) {
    if (e instanceof FormatRefusal) return { ok: false, diagnostics: [diagnosticOf(source.span(e.offset, e.offset), Internal.formatter(e.message))], source };
    throw e;
  }
  const mismatch = compareTokens(parsed.tokens, parsed.comments, out);
  if (mismatch !== null) {
    const at = mismatch < parsed.tokens.length ? parsed.tokens[mismatch]!.startOffset : text.length;
    return {
      ok: false,
      diagnostics: [
        diagnosticOf(source.span(at, at), Internal.formatterChangedTokens()),
      ],
      source,
    };
  }
  return { ok: true, text: out };
}

/**
 * The index of the first input token the output does not reproduce, or `null`. Commas
 * before a closing delimiter or after a `}` are optional in the grammar and the style
 * adds or drops them; `||` and `&&` compare as two `|`/`&`, which they are to the parser
 * where they differ (`| |` closures, `& &x`).
 */
function compareTokens(tokens: readonly IToken[], comments: readonly IToken[], out: string): number | null {
  const after = lex(out);
  if (after.errors.length > 0) return 0;
  const a = normalise(tokens);
  const b = normalise(after.tokens);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i]!.image !== b[i]!.image) return a[i]!.index;
  if (a.length !== b.length) return n < a.length ? a[n]!.index : tokens.length;
  const ca = comments.map((c) => c.image.replace(/\s+$/, ""));
  const cb = after.comments.map((c) => c.image.replace(/\s+$/, ""));
  if (ca.length !== cb.length || ca.some((c, i) => c !== cb[i])) return tokens.length;
  return null;
}

function normalise(tokens: readonly IToken[]): { image: string; index: number }[] {
  const out: { image: string; index: number }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.image;
    if (t === ",") {
      const next = tokens[i + 1]?.image;
      const prev = tokens[i - 1]?.image;
      if (next === ")" || next === "]" || next === "}" || prev === "}") continue;
    }
    if (t === "||" || t === "&&") {
      out.push({ image: t[0]!, index: i }, { image: t[0]!, index: i });
      continue;
    }
    out.push({ image: t, index: i });
  }
  return out;
}

/**
 * A literate file: each DPL block is formatted on its own, in place; the prose and the
 * fences stay byte-identical. The whole module must parse first (as `dplc check` reads
 * it); a block that does not parse alone (an item split across blocks) stays as it is.
 */
function formatMarkdown(name: string, text: string, width: number, newline: string): { ok: true; text: string } | { ok: false; diagnostics: Diagnostic[]; source: SourceFile } {
  const lm = literateModule(text);
  const whole = new SourceFile(name, lm.text, undefined, text);
  const parsed = parseSource(whole);
  if (parsed.diagnostics.length > 0) return { ok: false, diagnostics: parsed.diagnostics, source: whole };
  const lines = text.split(/(?<=\n)/);
  const blocks = findCodeBlocks(text).filter((b) => DPL_FENCE_TAGS.has(b.tag) && b.closed && b.lastLine >= b.firstLine);
  // Replace from the last block up, so earlier line numbers stay valid.
  for (const b of [...blocks].reverse()) {
    const fence = lines[b.fenceLine - 1]!;
    // A block in a list item keeps the item's indentation (its fence may follow the marker).
    const pad = " ".repeat(fenceIndent(fence));
    const body = lines.slice(b.firstLine - 1, b.lastLine);
    if (pad.length > 0 && !body.every((l) => l.startsWith(pad) || l.trim() === "")) continue;
    const code = body.map((l) => l.slice(l.startsWith(pad) ? pad.length : 0)).join("");
    const r = formatDs(name, code, width - pad.length, newline);
    // A block that only parses with its neighbours stays as written.
    if (!r.ok) continue;
    if (r.text.length === 0) continue;
    const formatted = r.text
      .split(/(?<=\n)/)
      .map((l) => (l.trim() === "" ? l : pad + l));
    // The last content line keeps its own line ending (the closing fence follows it).
    const lastEnding = /\r?\n$/.exec(body[body.length - 1]!)?.[0] ?? "";
    if (formatted.length > 0) formatted[formatted.length - 1] = formatted[formatted.length - 1]!.replace(/\r?\n$/, lastEnding);
    lines.splice(b.firstLine - 1, body.length, ...formatted);
  }
  return { ok: true, text: lines.join("") };
}
