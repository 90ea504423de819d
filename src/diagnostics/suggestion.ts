/**
 * A diagnostic's fix as data: text edits the user (or an editor's quick fix, or a tool
 * reading `dplc check --format json`) can apply, with how sure the checker is that applying
 * them gives the intended program. The categories follow the usual compiler practice:
 * `machine-applicable` edits can be applied without looking; `maybe-incorrect` ones compile
 * in the common case but may not be what was meant (a did-you-mean, an added `&`);
 * `has-placeholders` ones insert code the user must finish (a new match arm's body).
 */
import type { Span } from "../syntax/source.js";
import { OffsetSpan } from "../syntax/source.js";

export type Applicability = "machine-applicable" | "maybe-incorrect" | "has-placeholders";

export interface TextReplacement {
  /** The text replaced; an empty span inserts. */
  readonly span: Span;
  readonly text: string;
}

export interface Suggestion {
  /** What applying it does, as a quick fix's title says it ("prefix with `_`"). */
  readonly message: string;
  readonly edits: readonly TextReplacement[];
  readonly applicability: Applicability;
}

/** The empty span at the start (or end) of `span`: where an insertion goes. */
export function emptySpanAt(span: Span, at: "start" | "end"): Span {
  if (span instanceof OffsetSpan) {
    const o = at === "start" ? span.startOffset : span.endOffset;
    return span.source.span(o, o);
  }
  const p = at === "start" ? span.start : span.end;
  return { file: span.file, start: p, end: p };
}

export function insertBefore(span: Span, text: string): TextReplacement {
  return { span: emptySpanAt(span, "start"), text };
}

export function insertAfter(span: Span, text: string): TextReplacement {
  return { span: emptySpanAt(span, "end"), text };
}

export function replace(span: Span, text: string): TextReplacement {
  return { span, text };
}

/** The source text a span covers, when the span still knows its file's text. */
export function textOf(span: Span): string | null {
  return span instanceof OffsetSpan ? span.source.text.slice(span.startOffset, span.endOffset) : null;
}
