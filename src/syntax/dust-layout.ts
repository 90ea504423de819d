/**
 * The canonical layout of a dustlang-surface file (docs/style.md, "dustlang files"). The
 * syntax tree of such a file is the lowered XDV tree, which prints as XDV; this layout
 * keeps the file's own surface by working on its tokens instead: every token and comment
 * is kept, in order, and only the whitespace between them is rewritten —
 *
 * - each line is indented four spaces per open `{`, `(` or `[` (a line that starts with a
 *   closing delimiter closes first), plus one level for a line that continues a statement
 *   or header (the line before it ends in neither `{`, `}`, `;` nor `,`; after a `,` a line
 *   keeps the level of the line before it when both start at the same depth);
 * - between two tokens of a line there is one space where the source had any and none where
 *   it had none, except that `,` and `;` have no space before them and one after them, and
 *   `(`/`[` have none after, `)`/`]` none before;
 * - a comment after code keeps one space before it; trailing whitespace goes, runs of blank
 *   lines become one, and the file ends with one newline.
 *
 * Every rule depends only on the tokens and on whether the source had a space or a line
 * break between two of them, which the output keeps: formatting is idempotent, and the
 * tokens (so the tree) are the input's.
 */

export interface LayoutToken {
  readonly start: number;
  readonly image: string;
  readonly isComment: boolean;
}

const OPEN = new Set(["{", "(", "["]);
const CLOSE = new Set(["}", ")", "]"]);
const NO_SPACE_BEFORE = new Set([",", ";", ")", "]"]);
const NO_SPACE_AFTER = new Set(["(", "["]);
const ENDS_STATEMENT = new Set(["{", "}", ";", ","]);

/**
 * `lineEnds`: the tokens (by start offset) that end a v0.1 statement written without `;`
 * (the parser's `lineEnds`): the line after one starts a statement, not a continuation.
 */
export function layoutDust(text: string, tokens: readonly LayoutToken[], newline: string, lineEnds: ReadonlySet<number> = new Set()): string {
  const all = [...tokens].sort((a, b) => a.start - b.start);
  const lines: string[] = [];
  let line = "";
  let depth = 0;
  /** The last code token (not a comment), for the continuation rule. */
  let lastCode: string | null = null;
  /** Whether that token ends a statement written without `;`. */
  let lastEnds = false;
  let prevEnd = 0;
  let prev: LayoutToken | null = null;
  /** The depth and continuation level of the last line that started with code. */
  let lineDepth = -1;
  let lineExtra = 0;
  for (const t of all) {
    const gap = text.slice(prevEnd, t.start);
    const breaks = prev === null ? 0 : (gap.match(/\n/g) ?? []).length;
    if (prev === null || breaks > 0) {
      if (prev !== null) {
        lines.push(line.replace(/[ \t]+$/, ""));
        if (breaks > 1) lines.push("");
      }
      let indent = depth;
      let extra = 0;
      if (!t.isComment) {
        // Leading closers close before the line is indented.
        if (CLOSE.has(t.image)) indent = Math.max(0, depth - 1);
        else if (lastCode !== null && !ENDS_STATEMENT.has(lastCode) && !lastEnds && t.image !== "{") extra = 1;
        // After a `,` a line lines up with the one before it at the same depth (the second
        // resource of a `uses` list, the next field of a literal).
        else if (lastCode === "," && depth === lineDepth) extra = lineExtra;
        lineDepth = depth;
        lineExtra = extra;
      }
      line = "    ".repeat(indent + extra) + t.image;
    } else {
      const spaced = gap.length > 0;
      let sep: string;
      if (t.isComment) sep = " ";
      else if (NO_SPACE_BEFORE.has(t.image)) sep = "";
      else if (prev.isComment) sep = " ";
      else if (prev.image === "," || prev.image === ";") sep = " ";
      else if (NO_SPACE_AFTER.has(prev.image)) sep = "";
      else sep = spaced ? " " : "";
      line += sep + t.image;
    }
    if (!t.isComment) {
      if (OPEN.has(t.image)) depth++;
      else if (CLOSE.has(t.image)) depth = Math.max(0, depth - 1);
      lastCode = t.image;
      lastEnds = lineEnds.has(t.start);
    }
    prevEnd = t.start + t.image.length;
    prev = t;
  }
  if (prev !== null) lines.push(line.replace(/[ \t]+$/, ""));
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines.length === 0 ? "" : lines.join(newline) + newline;
}
