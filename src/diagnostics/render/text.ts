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
    const primaryFrame = this.frame(d.span, safeLine(d.label ?? ""), "^", sevColor);
    const gutter = Math.max(primaryFrame.width, ...d.related.map((r) => String(r.span.start.line).length));
    const pad = " ".repeat(gutter);
    out.push(`${pad}${c.blue.bold("-->")} ${safeLine(d.span.file)}:${d.span.start.line}:${d.span.start.column}`);
    out.push(...primaryFrame.lines(gutter));
    for (const r of d.related) {
      if (r.span.file !== d.span.file) out.push(`${pad}${c.blue.bold("::=")} ${safeLine(r.span.file)}:${r.span.start.line}:${r.span.start.column}`);
      out.push(...this.frame(r.span, safeLine(r.message), "-", c.blue.bold).lines(gutter));
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

  private frame(span: Span, label: string, mark: string, paint: (s: string) => string) {
    const c = this.c;
    const src = this.lines(span.file);
    const lineNo = span.start.line;
    const width = String(lineNo).length;
    return {
      width,
      lines: (gutter: number): string[] => {
        const bar = c.blue.bold("|");
        const pad = " ".repeat(gutter);
        if (!src || lineNo < 1 || lineNo > src.starts.length) return [];
        const start = src.starts[lineNo - 1]!;
        const end = lineNo < src.starts.length ? src.starts[lineNo]! : src.text.length;
        const raw = src.text.slice(start, end).replace(/\r?\n$|\r$/, "");
        const chars = Array.from(raw);
        // Carets are measured over the shown text, so an escaped control keeps them aligned.
        const display = chars.map((ch) => (ch === "\t" ? "    " : shownChar(ch)));
        const col0 = Math.max(0, span.start.column - 1);
        const endCol0 = span.end.line === lineNo ? Math.max(col0 + 1, span.end.column - 1) : Math.max(col0 + 1, chars.length);
        const before = display.slice(0, col0).join("").length;
        const under = Math.max(1, display.slice(col0, endCol0).join("").length);
        const caretLine = " ".repeat(before) + paint(mark.repeat(under) + (label ? " " + label : ""));
        return [
          `${pad} ${bar}`,
          `${c.blue.bold(String(lineNo).padStart(gutter))} ${bar} ${display.join("")}`,
          `${pad} ${bar} ${caretLine}`,
        ];
      },
    };
  }
}

export function renderSummary(files: number, errors: number, warnings: number, ms: number, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const e = `${errors} error${errors === 1 ? "" : "s"}`;
  const w = `${warnings} warning${warnings === 1 ? "" : "s"}`;
  const paintE = errors > 0 ? c.red.bold(e) : e;
  const paintW = warnings > 0 ? c.yellow.bold(w) : w;
  return `checked ${files} file${files === 1 ? "" : "s"}: ${paintE}, ${paintW} (${ms} ms)\n`;
}
