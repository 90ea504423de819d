/**
 * Literate modules: the DPL code blocks of a Markdown file form one module.
 *
 * The module text is the Markdown text with every character outside the chosen code
 * blocks replaced by a space (line ends kept), so offsets, lines and columns in the
 * module are exactly those of the Markdown file: diagnostics, code frames and editor
 * positions need no mapping at all.
 */
export const DPL_FENCE_TAGS: ReadonlySet<string> = new Set(["dust", "dpl", "ds"]);

export interface CodeBlock {
  /** 1-based line of the opening fence. */
  readonly fenceLine: number;
  readonly tag: string;
  /** 1-based first and last content lines (last < first for an empty block). */
  readonly firstLine: number;
  readonly lastLine: number;
  readonly closed: boolean;
}

interface Line {
  readonly start: number;
  readonly end: number; // before the line terminator
  readonly next: number; // start of the next line
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text.charCodeAt(i);
    if (i === text.length || c === 10 || c === 13) {
      let next = i + 1;
      if (c === 13 && text.charCodeAt(i + 1) === 10) next++;
      if (i === text.length) next = i;
      lines.push({ start, end: i, next });
      if (i === text.length) break;
      start = next;
      i = next - 1;
    }
  }
  return lines;
}

/**
 * A fence line. Besides the 0–3 spaces of a top-level fence, CommonMark lets a fence sit
 * inside a list item: indented to the item's content (```` ```dust ```` under `- step`
 * or `1. step`, nested lists deeper), or right after the item's marker (`- ```dust`).
 */
const FENCE = /^((?:[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)*[ \t]*)(`{3,}|~{3,})(.*)$/;

/** The column (0-based) where a fence line's backticks or tildes start, past any list marker. */
export function fenceIndent(line: string): number {
  const m = FENCE.exec(line.replace(/\r?\n$/, ""));
  return m ? m[1]!.length : 0;
}

/**
 * Find fenced code blocks. A line inside an open block that starts with a fence of the
 * same character, at least as long, closes it even when text follows the fence: the
 * corpus closes blocks with fences like ```` ``` id="3hbg9x" ````, and treating those as
 * content would swallow the next real code block.
 */
export function findCodeBlocks(text: string): CodeBlock[] {
  const lines = splitLines(text);
  const blocks: CodeBlock[] = [];
  let open: { fence: string; tag: string; line: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const m = FENCE.exec(text.slice(l.start, l.end));
    if (!m) continue;
    const fence = m[2]!;
    if (open) {
      if (fence[0] === open.fence[0] && fence.length >= open.fence.length) {
        blocks.push({ fenceLine: open.line + 1, tag: open.tag, firstLine: open.line + 2, lastLine: i, closed: true });
        open = null;
      }
      continue;
    }
    const info = m[3]!.trim();
    if (fence[0] === "`" && info.includes("`")) continue; // not a fence (CommonMark)
    open = { fence, tag: (info.split(/[\s{]/)[0] ?? "").toLowerCase(), line: i };
  }
  if (open) blocks.push({ fenceLine: open.line + 1, tag: open.tag, firstLine: open.line + 2, lastLine: lines.length, closed: false });
  return blocks;
}

export interface LiterateModule {
  readonly text: string;
  readonly blocks: CodeBlock[];
}

/** The module text of a Markdown file: its DPL blocks (or all blocks) in place, the rest blanked. */
export function literateModule(markdown: string, allBlocks = false): LiterateModule {
  const lines = splitLines(markdown);
  const blocks = findCodeBlocks(markdown).filter((b) => allBlocks || DPL_FENCE_TAGS.has(b.tag));
  const keep = new Uint8Array(lines.length + 1);
  for (const b of blocks) for (let ln = b.firstLine; ln <= b.lastLine; ln++) keep[ln - 1] = 1;
  let out = "";
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    out += keep[i] ? markdown.slice(l.start, l.end) : blank(markdown.slice(l.start, l.end));
    out += markdown.slice(l.end, l.next);
  }
  return { text: out, blocks };
}

/** Same length in UTF-16 units, so offsets stay aligned. */
function blank(s: string): string {
  return " ".repeat(s.length);
}
