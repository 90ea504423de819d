/**
 * A small Wadler-style layout engine for the formatter: a document of text, line breaks
 * that are spaces when their group fits the width, indentation and groups. A group breaks
 * all its lines or none; a hard line (a line comment, a block body) forces every
 * enclosing group to break, so the decision never depends on what comes later.
 */

export type Doc = string | Concat | Line | Group | Indent | IfBreak | Raw | LineSuffix | Choice;

interface Concat {
  readonly t: "concat";
  readonly parts: readonly Doc[];
}
interface Line {
  readonly t: "line";
  /** Printed as nothing (soft) or a space when its group is flat; always a break when hard. */
  readonly soft: boolean;
  readonly hard: boolean;
}
interface Group {
  readonly t: "group";
  readonly doc: Doc;
  /** Set when the group contains a hard line: it can never be flat. */
  readonly broken: boolean;
}
interface Indent {
  readonly t: "indent";
  readonly doc: Doc;
}
interface IfBreak {
  readonly t: "ifBreak";
  readonly broken: Doc;
  readonly flat: Doc;
}
/** Text copied as is, newlines included: verbatim regions start at column 0. */
interface Raw {
  readonly t: "raw";
  readonly text: string;
}
/**
 * A list that does not fit may "hug" its last element (rustfmt's overflow): `f(a, S {` …
 * `})` rather than one element per line. Laid out flat when that fits, else hugged when
 * the hug's first line fits, else broken.
 */
interface Choice {
  readonly t: "choice";
  readonly flat: Doc;
  readonly hug: Doc;
  readonly broken: Doc;
  readonly hard: boolean;
}
/** A trailing comment: printed at the end of the current line, before the break. */
interface LineSuffix {
  readonly t: "lineSuffix";
  readonly text: string;
}

export const line: Doc = { t: "line", soft: false, hard: false };
export const softline: Doc = { t: "line", soft: true, hard: false };
export const hardline: Doc = { t: "line", soft: false, hard: true };

export function concat(...parts: Doc[]): Doc {
  return { t: "concat", parts };
}
/** `concat` of a list of any length (a spread of tens of thousands of arguments overflows). */
export function concatList(parts: Doc[]): Doc {
  return { t: "concat", parts };
}
export function join(sep: Doc, docs: readonly Doc[]): Doc {
  const parts: Doc[] = [];
  docs.forEach((d, i) => {
    if (i > 0) parts.push(sep);
    parts.push(d);
  });
  return { t: "concat", parts };
}
export function indent(...parts: Doc[]): Doc {
  return { t: "indent", doc: concat(...parts) };
}
export function group(...parts: Doc[]): Doc {
  const doc = concat(...parts);
  return { t: "group", doc, broken: hasHardLine(doc) };
}
export function ifBreak(broken: Doc, flat: Doc = ""): Doc {
  return { t: "ifBreak", broken, flat };
}
export function choice(flat: Doc, hug: Doc, broken: Doc): Doc {
  return { t: "choice", flat, hug, broken, hard: hasHardLine(flat) };
}
export function raw(text: string): Doc {
  return { t: "raw", text };
}
export function lineSuffix(text: string): Doc {
  return { t: "lineSuffix", text };
}

/** Does the document contain a forced line break (so it can never be printed flat)? */
export function hasHardLine(d: Doc): boolean {
  if (typeof d === "string") return false;
  switch (d.t) {
    case "line":
      return d.hard;
    case "concat":
      return d.parts.some(hasHardLine);
    case "group":
      return d.broken;
    case "indent":
      return hasHardLine(d.doc);
    case "ifBreak":
      return hasHardLine(d.broken) || hasHardLine(d.flat);
    case "choice":
      return d.hard;
    case "raw":
    case "lineSuffix":
      // A trailing line comment ends its line: the group around it cannot be flat.
      return true;
  }
}

type Mode = 0 | 1; // 0 flat, 1 break
interface Cmd {
  readonly ind: number;
  readonly mode: Mode;
  readonly doc: Doc;
}

/** Does `next` (and what follows it, up to the next break) fit in `width` columns? */
function fits(next: Cmd, rest: readonly Cmd[], width: number): boolean {
  const stack: Cmd[] = [next];
  let restIdx = rest.length;
  let w = width;
  while (w >= 0) {
    const c = stack.pop() ?? (restIdx > 0 ? rest[--restIdx] : undefined);
    if (!c) return true;
    const d = c.doc;
    if (typeof d === "string") {
      w -= strWidth(d);
      continue;
    }
    switch (d.t) {
      case "concat":
        for (let i = d.parts.length - 1; i >= 0; i--) stack.push({ ind: c.ind, mode: c.mode, doc: d.parts[i]! });
        break;
      case "indent":
        stack.push({ ind: c.ind, mode: c.mode, doc: d.doc });
        break;
      case "group":
        if (d.broken && c.mode === 0) return false;
        stack.push({ ind: c.ind, mode: d.broken ? 1 : c.mode, doc: d.doc });
        break;
      case "ifBreak":
        stack.push({ ind: c.ind, mode: c.mode, doc: c.mode === 1 ? d.broken : d.flat });
        break;
      case "line":
        if (c.mode === 1 || d.hard) return true;
        if (!d.soft) w -= 1;
        break;
      case "raw":
        return true;
      case "lineSuffix":
        break;
      case "choice":
        stack.push({ ind: c.ind, mode: c.mode, doc: c.mode === 0 ? d.flat : d.hug });
        break;
    }
  }
  return false;
}

/** Columns count code points, as diagnostics do. */
function strWidth(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

export function layout(doc: Doc, width: number, newline = "\n"): string {
  const out: string[] = [];
  let col = 0;
  let suffixes: string[] = [];
  const cmds: Cmd[] = [{ ind: 0, mode: 1, doc }];
  const flushSuffixes = (): void => {
    for (const s of suffixes) out.push(s);
    suffixes = [];
  };
  const indents: string[] = [];
  const trimTrailingSpaces = (): void => {
    while (out.length > 0) {
      const last = out[out.length - 1]!;
      const lc = last.charCodeAt(last.length - 1);
      if (lc !== 32 && lc !== 9 && last.length > 0) return;
      const trimmed = last.replace(/[ \t]+$/, "");
      if (trimmed.length > 0) {
        out[out.length - 1] = trimmed;
        return;
      }
      out.pop();
    }
  };
  while (cmds.length > 0) {
    const c = cmds.pop()!;
    const d = c.doc;
    if (typeof d === "string") {
      out.push(d);
      col += strWidth(d);
      continue;
    }
    switch (d.t) {
      case "concat":
        for (let i = d.parts.length - 1; i >= 0; i--) cmds.push({ ind: c.ind, mode: c.mode, doc: d.parts[i]! });
        break;
      case "indent":
        cmds.push({ ind: c.ind + 4, mode: c.mode, doc: d.doc });
        break;
      case "group": {
        const mode: Mode = d.broken ? 1 : c.mode === 0 ? 0 : fits({ ind: c.ind, mode: 0, doc: d.doc }, cmds, width - col) ? 0 : 1;
        cmds.push({ ind: c.ind, mode, doc: d.doc });
        break;
      }
      case "ifBreak":
        cmds.push({ ind: c.ind, mode: c.mode, doc: c.mode === 1 ? d.broken : d.flat });
        break;
      case "line":
        if (c.mode === 0 && !d.hard) {
          if (!d.soft) {
            out.push(" ");
            col += 1;
          }
          break;
        }
        flushSuffixes();
        trimTrailingSpaces();
        out.push((indents[c.ind] ??= newline + " ".repeat(c.ind)));
        col = c.ind;
        break;
      case "raw": {
        flushSuffixes();
        // The region brings its own indentation: drop what this line already has.
        trimTrailingSpaces();
        const text = newline === "\n" ? d.text : d.text.replace(/\r?\n/g, newline);
        out.push(text);
        const nl = text.lastIndexOf("\n");
        col = strWidth(nl < 0 ? text : text.slice(nl + 1));
        break;
      }
      case "lineSuffix":
        suffixes.push(d.text);
        break;
      case "choice": {
        if (c.mode === 0) {
          cmds.push({ ind: c.ind, mode: 0, doc: d.flat });
          break;
        }
        const rest = width - col;
        if (!d.hard && fits({ ind: c.ind, mode: 0, doc: d.flat }, cmds, rest)) cmds.push({ ind: c.ind, mode: 0, doc: d.flat });
        else if (fits({ ind: c.ind, mode: 1, doc: d.hug }, [], rest)) cmds.push({ ind: c.ind, mode: 1, doc: d.hug });
        else cmds.push({ ind: c.ind, mode: 1, doc: d.broken });
        break;
      }
    }
  }
  flushSuffixes();
  return out.join("");
}
