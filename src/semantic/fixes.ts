/**
 * The checker's `help:` lines as edits (diagnostics/suggestion.ts), built where the
 * checker knows exactly what to change: a did-you-mean name, an `_` prefix, `mut`, `&`,
 * missing match arms, a capability parameter, a `use` for a name declared elsewhere. The
 * help text stays what it was; the suggestion is the same advice in a form an editor or a
 * tool can apply.
 */
import type * as A from "../syntax/ast.js";
import type { Span } from "../syntax/source.js";
import { OffsetSpan } from "../syntax/source.js";
import { insertAfter, insertBefore, replace, type Suggestion, type TextReplacement } from "../diagnostics/suggestion.js";
import type { ModuleDef } from "./defs.js";
import type { Sema } from "./context.js";
import { closestName } from "./resolve.js";

/** `help: did you mean X?` with the replacement of `span` by X; nothing when no name is close. */
export function didYouMeanFix(name: string, span: Span, candidates: Iterable<string>, quote: (s: string) => string = (s) => `\`${s}\``): { help?: string; suggestions?: Suggestion[] } {
  const c = closestName(name, candidates);
  if (!c) return {};
  return { help: `did you mean ${quote(c)}?`, suggestions: [{ message: `replace with \`${c}\``, edits: [replace(span, c)], applicability: "maybe-incorrect" }] };
}

/** Insert `text` before the binding's name: `_x` for an unused one, `mut x` for one assigned. */
export function prefixFix(span: Span, text: string, message: string): Suggestion[] {
  return [{ message, edits: [insertBefore(span, text)], applicability: "machine-applicable" }];
}

/** `&value` / `&mut value` / `Some(value)` / `*value`: wrap the expression at `span`. */
export function wrapFix(span: Span, before: string, after: string, message: string): Suggestion[] {
  const edits: TextReplacement[] = [insertBefore(span, before)];
  if (after) edits.push(insertAfter(span, after));
  return [{ message, edits, applicability: "maybe-incorrect" }];
}

function sourceText(span: Span): { text: string; start: number; end: number } | null {
  return span instanceof OffsetSpan ? { text: span.source.text, start: span.startOffset, end: span.endOffset } : null;
}

function lineIndent(text: string, offset: number): string {
  const ls = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(ls))![0];
}

function spanAt(like: Span, from: number, to: number): Span | null {
  return like instanceof OffsetSpan ? like.source.span(from, to) : null;
}

/** New arms `pattern => todo!(),` before the `}` of a match, one per missing pattern. */
export function missingArmsFix(m: A.MatchExpr, patterns: readonly string[]): Suggestion[] {
  const src = sourceText(m.span);
  if (!src || patterns.length === 0) return [];
  const close = src.end - 1;
  if (src.text[close] !== "}") return [];
  const last = m.arms[m.arms.length - 1];
  const indent = last ? lineIndent(src.text, sourceText(last.span)?.start ?? close) : `${lineIndent(src.text, src.start)}    `;
  const edits: TextReplacement[] = [];
  if (last) {
    const lastEnd = sourceText(last.span)!.end;
    const between = src.text.slice(lastEnd, close);
    if (!between.includes(",") && last.body.kind !== "BlockExpr") edits.push(insertAfter(last.span, ","));
  }
  // On its own line before the `}` when the `}` starts its line; otherwise on new lines.
  const lineStart = src.text.lastIndexOf("\n", close - 1) + 1;
  const ownLine = /^[ \t]*$/.test(src.text.slice(lineStart, close));
  const arms = patterns.map((p) => `${indent}${p} => todo!(),\n`).join("");
  const at = spanAt(m.span, ownLine ? lineStart : close, ownLine ? lineStart : close);
  if (!at) return [];
  edits.push(replace(at, ownLine ? arms : `\n${arms}${lineIndent(src.text, src.start)}`));
  const what = patterns.length === 1 ? `an arm for \`${patterns[0]}\`` : `the ${patterns.length} missing arms`;
  return [{ message: `add ${what}`, edits, applicability: "has-placeholders" }];
}

/** Add `param` to a function's parameter list (after the last one, or in the empty `()`). */
export function addParamEdit(f: A.FnItem, param: string): TextReplacement | null {
  const lastParam = f.params[f.params.length - 1] ?? f.selfParam;
  if (lastParam) return insertAfter(lastParam.span, `, ${param}`);
  const src = sourceText(f.name.span);
  if (!src) return null;
  // The `(` after the name and its generics.
  let depth = 0;
  for (let i = src.end; i < src.text.length; i++) {
    const ch = src.text[i];
    if (ch === "<") depth++;
    else if (ch === ">") depth--;
    else if (ch === "(" && depth === 0) {
      const at = spanAt(f.name.span, i + 1, i + 1);
      return at ? replace(at, param) : null;
    }
  }
  return null;
}

/**
 * `use PATH;` for a name that the current file cannot see but some module declares `pub`:
 * one suggestion per candidate (the user's modules first, then the stdlib's), at most three.
 */
export function importFixes(s: Sema, from: ModuleDef, name: string, ns: "type" | "value", at: Span): Suggestion[] {
  const found: string[] = [];
  const consider = (m: ModuleDef, prefix: string): void => {
    const b = (ns === "type" ? m.types : m.values).get(name);
    if (!b || !b.isPub || !b.def || b.import || m === from) return;
    // Kernel modules of the stdlib are not for user-profile code (XDV-080).
    if (m.isStdlib && m.profile === "kernel" && from.profile !== "kernel") return;
    if (b.def.kind === "local") return;
    found.push(`${prefix}${[...m.path, name].join("::")}`);
  };
  for (const m of s.world.modules) if (!m.outer && m.source) consider(m, m.isStdlib ? "" : "crate::");
  const walk = (m: ModuleDef, seen: Set<ModuleDef>): void => {
    if (seen.has(m)) return;
    seen.add(m);
    consider(m, "");
    for (const c of m.children.values()) walk(c, seen);
  };
  const seen = new Set<ModuleDef>();
  if (!from.isStdlib) for (const root of s.resolver.stdlibRoots.values()) walk(root, seen);
  const where = useInsertionPoint(from, at);
  if (!where) return [];
  return [...new Set(found)]
    .sort((a, b) => Number(!a.startsWith("crate::")) - Number(!b.startsWith("crate::")) || a.length - b.length || (a < b ? -1 : 1))
    .slice(0, 3)
    .map((path) => ({ message: `import \`${path}\``, edits: [replace(where, `use ${path};\n`)], applicability: "machine-applicable" as const }));
}

/** After the file's last top-level `use`, or before its first item (after `//!` docs). */
function useInsertionPoint(m0: ModuleDef, at: Span): Span | null {
  let file = m0;
  while (file.outer) file = file.outer;
  // An inline `mod m { .. }` would need the `use` inside its braces: no suggestion there.
  if (file.parent && file.parent.source === file.source) return null;
  const src = sourceText(at);
  if (!src || !file.source || file.source.name !== at.file) return null;
  const items = file.items;
  const uses = items.filter((i) => i.kind === "UseItem");
  const lastUse = uses[uses.length - 1];
  const text = src.text;
  if (lastUse) {
    const end = sourceText(lastUse.span)?.end ?? 0;
    const nl = text.indexOf("\n", end);
    const o = nl < 0 ? text.length : nl + 1;
    return spanAt(at, o, o);
  }
  // Before the first line that is not an inner doc comment, a blank line or a `#!` line.
  let o = 0;
  while (o < text.length) {
    const nl = text.indexOf("\n", o);
    const line = text.slice(o, nl < 0 ? text.length : nl);
    if (!/^\s*(\/\/!.*)?$/.test(line)) break;
    o = nl < 0 ? text.length : nl + 1;
  }
  return spanAt(at, o, o);
}
