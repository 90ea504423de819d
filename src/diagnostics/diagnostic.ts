/**
 * A diagnostic is a structured value. Its wording lives in one module per code family
 * (messages/, and syntax/messages.ts for the parser), titles and explanations in the
 * catalog, and presentation in the renderers.
 */
import type { Span } from "../syntax/source.js";
import { codeInfo, type Severity } from "./catalog.js";
import type { Suggestion } from "./suggestion.js";

export type { Suggestion, TextReplacement, Applicability } from "./suggestion.js";

export interface RelatedSpan {
  readonly span: Span;
  readonly message: string;
}

export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  /** Label under the primary span in the code frame, when it adds something to the message. */
  readonly label?: string;
  readonly related: readonly RelatedSpan[];
  readonly help?: string;
  readonly note?: string;
  /** The `help:` as edits, where the fix is mechanical (editors offer them as quick fixes). */
  readonly suggestions?: readonly Suggestion[];
}

export interface DiagnosticInit {
  readonly label?: string;
  readonly related?: readonly RelatedSpan[];
  readonly help?: string | undefined;
  readonly note?: string;
  readonly suggestions?: readonly Suggestion[] | undefined;
}

/** Build a diagnostic whose severity comes from the catalog. */
export function diagnostic(code: string, span: Span, message: string, init: DiagnosticInit = {}): Diagnostic {
  const info = codeInfo(code);
  if (!info) throw new Error(`diagnostic code ${code} is not in the catalog`);
  return {
    code: info.code,
    severity: info.severity,
    message,
    span,
    related: init.related ?? [],
    ...(init.label !== undefined ? { label: init.label } : {}),
    ...(init.help !== undefined ? { help: init.help } : {}),
    ...(init.note !== undefined ? { note: init.note } : {}),
    ...(init.suggestions !== undefined && init.suggestions.length > 0 ? { suggestions: init.suggestions } : {}),
  };
}
