/**
 * A diagnostic's wording as a value: the code and the message, with the help, note or
 * label that belong to that wording. Each code family's shapes are written once, as named
 * constructors in this folder (one module per family); a checker raises a diagnostic by
 * calling a constructor, never by spelling a message next to a code
 * (test/architecture/message-wording.test.ts holds the migrated codes to that).
 */
import type { Span } from "../../syntax/source.js";
import { diagnostic, type Diagnostic, type RelatedSpan } from "../diagnostic.js";
import type { Suggestion } from "../suggestion.js";

export interface Message {
  readonly code: string;
  readonly message: string;
  readonly help?: string;
  readonly note?: string;
  readonly label?: string;
}

/** What a raising site adds to a message: where else to look, and what only it knows. */
export interface RaiseInit {
  readonly related?: RelatedSpan[];
  readonly help?: string;
  readonly label?: string;
  readonly note?: string;
  /** The fix as edits (what `help` says, as data an editor or tool can apply). */
  readonly suggestions?: readonly Suggestion[] | undefined;
}

/** The checker's reporting function, as the semantic stage defines it. */
export type ReportFn = (code: string, span: Span, message: string, init?: RaiseInit) => void;

/** Report `m` at `span`; the site's own help/label/note, when given, win over the message's. */
export function raise(report: ReportFn, span: Span, m: Message, init: RaiseInit = {}): void {
  const help = init.help ?? m.help;
  const note = init.note ?? m.note;
  const label = init.label ?? m.label;
  report(m.code, span, m.message, {
    ...(init.related ? { related: init.related } : {}),
    ...(help !== undefined ? { help } : {}),
    ...(note !== undefined ? { note } : {}),
    ...(label !== undefined ? { label } : {}),
    ...(init.suggestions !== undefined && init.suggestions.length > 0 ? { suggestions: init.suggestions } : {}),
  });
}

/** `s` for counts other than one. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** A diagnostic value for stages that collect diagnostics rather than report them. */
export function diagnosticOf(span: Span, m: Message, init: RaiseInit = {}): Diagnostic {
  const help = init.help ?? m.help;
  const note = init.note ?? m.note;
  const label = init.label ?? m.label;
  return diagnostic(m.code, span, m.message, {
    ...(init.related ? { related: init.related } : {}),
    ...(help !== undefined ? { help } : {}),
    ...(note !== undefined ? { note } : {}),
    ...(label !== undefined ? { label } : {}),
    ...(init.suggestions !== undefined && init.suggestions.length > 0 ? { suggestions: init.suggestions } : {}),
  });
}
