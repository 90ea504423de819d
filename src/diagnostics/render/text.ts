/**
 * rustc-style text rendering: `error[CODE]: message`, a `-->` location, the source line
 * with carets under the primary span, secondary labels for related spans, then
 * `help:`/`note:`. Colour is decided by the caller (TTY, NO_COLOR, --no-color).
 */
import { Chalk, type ChalkInstance } from "chalk";
import type { Diagnostic } from "../diagnostic.js";
import type { Span } from "../../syntax/source.js";
import { computeLineStarts } from "../../syntax/source.js";
import { safeLine, safeText, shownChar } from "./escape.js";

export interface SourceLookup {
  /** The text shown in code frames for a file name, or undefined if unknown. */
  text(file: string): string | undefined;
}

export interface TextRenderOptions {
  readonly color: boolean;
}

interface Lines {
  readonly text: string;
  readonly starts: number[];
}

export class TextRenderer {
  private readonly c: ChalkInstance;
  private readonly cache = new Map<string, Lines | null>();

  constructor(
    private readonly sources: SourceLookup,
    options: TextRenderOptions,
  ) {
    this.c = new Chalk({ level: options.color ? 1 : 0 });
  }

  render(d: Diagnostic): string {
    const c = this.c;
    const sevColor = d.severity === "error" ? c.red.bold : c.yellow.bold;
    const out: string[] = [];
    out.push(`${sevColor(`${d.severity}[${d.code}]`)}${c.bold(`: ${safeText(d.message)}`)}`);
    // A related label on the primary span's line joins its snippet (one source line, both
    // underlines, as rustc prints them); the others get a snippet each, in order.
    const primary: Snippet = { span: d.span, marks: [{ span: d.span, label: safeLine(d.label ?? ""), mark: "^", paint: sevColor }] };
    const snippets: Snippet[] = [primary];
    for (const r of d.related) {
      const mark: Mark = { span: r.span, label: safeLine(r.message), mark: "-", paint: c.blue.bold };
      const same = snippets.find((s) => s.span.file === r.span.file && s.span.start.line === r.span.start.line);
      if (same) same.marks.push(mark);
      else snippets.push({ span: r.span, marks: [mark] });
    }
    const gutter = Math.max(...snippets.map((s) => String(s.span.start.line).length));
    const pad = " ".repeat(gutter);
    out.push(`${pad}${c.blue.bold("-->")} ${safeLine(d.span.file)}:${d.span.start.line}:${d.span.start.column}`);
    for (const [i, s] of snippets.entries()) {
      if (i > 0 && s.span.file !== d.span.file) out.push(`${pad}${c.blue.bold("::=")} ${safeLine(s.span.file)}:${s.span.start.line}:${s.span.start.column}`);
      out.push(...this.snippet(s, gutter));
    }
    if (d.help || d.note) out.push(`${pad} ${c.blue.bold("|")}`);
    if (d.help) out.push(`${pad} ${c.blue.bold("=")} ${c.bold("help")}: ${safeText(d.help)}`);
    if (d.note) out.push(`${pad} ${c.blue.bold("=")} ${c.bold("note")}: ${safeText(d.note)}`);
    return out.join("\n") + "\n";
  }

  private lines(file: string): Lines | null {
    if (!this.cache.has(file)) {
      const text = this.sources.text(file);
      this.cache.set(file, text === undefined ? null : { text, starts: computeLineStarts(text) });
    }
    return this.cache.get(file)!;
  }

  /**
   * One source line with the marks under it. The rightmost mark's label goes on the mark
   * line; each other label hangs below its mark, right to left, joined by `|`.
   */
  private snippet(s: Snippet, gutter: number): string[] {
    const c = this.c;
    const src = this.lines(s.span.file);
    const lineNo = s.span.start.line;
    const bar = c.blue.bold("|");
    const pad = " ".repeat(gutter);
    if (!src || lineNo < 1 || lineNo > src.starts.length) return [];
    const start = src.starts[lineNo - 1]!;
    const end = lineNo < src.starts.length ? src.starts[lineNo]! : src.text.length;
    const raw = src.text.slice(start, end).replace(/\r?\n$|\r$/, "");
    const chars = Array.from(raw);
    // Columns are measured over the shown text (tabs expanded, controls escaped) in display
    // cells: a character outside the BMP is one cell (two UTF-16 units), a wide one two.
    const display = chars.map((ch) => (ch === "\t" ? "    " : shownChar(ch)));
    const cells = (from: number, to: number): number => {
      let n = 0;
      for (let i = from; i < to && i < display.length; i++) n += displayWidth(display[i]!);
      return n;
    };
    const placed = s.marks.map((m) => {
      const col0 = Math.max(0, m.span.start.column - 1);
      const endCol0 = m.span.end.line === lineNo ? Math.max(col0 + 1, m.span.end.column - 1) : Math.max(col0 + 1, chars.length);
      return { ...m, at: cells(0, col0), width: Math.max(1, cells(col0, endCol0)) };
    });
    // At equal columns the primary mark (first in `placed`) sorts last: its label stays inline.
    const order = [...placed].sort((a, b) => a.at - b.at || (a === placed[0] ? 1 : b === placed[0] ? -1 : 0));
    const row: { ch: string; paint: (x: string) => string }[] = [];
    const put = (at: number, text: string, paint: (x: string) => string): void => {
      for (let i = 0; i < text.length; i++) row[at + i] = { ch: text[i]!, paint };
    };
    // Wider marks first, so a mark inside another (an argument inside a call) stays visible;
    // the primary one last among equals.
    for (const m of [...placed].sort((a, b) => b.width - a.width || (a === placed[0] ? 1 : b === placed[0] ? -1 : 0))) put(m.at, m.mark.repeat(m.width), m.paint);
    const rightmost = order[order.length - 1]!;
    const hanging = order.filter((m) => m !== rightmost && m.label !== "").reverse();
    const paintRow = (cellsRow: typeof row): string => {
      let outText = "";
      for (let i = 0; i < cellsRow.length; i++) {
        const x = cellsRow[i];
        outText += x ? x.paint(x.ch) : " ";
      }
      return outText;
    };
    const markLine = paintRow(row) + (rightmost.label ? rightmost.paint(" " + rightmost.label) : "");
    const lines = [`${pad} ${bar}`, `${c.blue.bold(String(lineNo).padStart(gutter))} ${bar} ${display.join("")}`, `${pad} ${bar} ${markLine}`];
    for (let i = 0; i < hanging.length; i++) {
      const h = hanging[i]!;
      const barsRow: typeof row = [];
      for (const p of hanging.slice(i)) barsRow[p.at] = { ch: "|", paint: p.paint };
      lines.push(`${pad} ${bar} ${paintRow(barsRow)}`.trimEnd());
      const labelRow: typeof row = [];
      for (const p of hanging.slice(i + 1)) labelRow[p.at] = { ch: "|", paint: p.paint };
      lines.push(`${pad} ${bar} ${paintRow(labelRow).padEnd(h.at)}${h.paint(h.label)}`);
    }
    return lines;
  }
}

interface Mark {
  readonly span: Span;
  readonly label: string;
  readonly mark: string;
  readonly paint: (s: string) => string;
}

interface Snippet {
  readonly span: Span;
  readonly marks: Mark[];
}

/** Terminal cells of shown text: two for East Asian wide and fullwidth characters, one otherwise. */
function displayWidth(text: string): number {
  let n = 0;
  for (const ch of text) n += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return n;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

export function renderSummary(files: number, errors: number, warnings: number, ms: number, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const e = `${errors} error${errors === 1 ? "" : "s"}`;
  const w = `${warnings} warning${warnings === 1 ? "" : "s"}`;
  const paintE = errors > 0 ? c.red.bold(e) : e;
  const paintW = warnings > 0 ? c.yellow.bold(w) : w;
  return `checked ${files} file${files === 1 ? "" : "s"}: ${paintE}, ${paintW} (${ms} ms)\n`;
}
