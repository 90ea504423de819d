/** The `--format json` document of toolchain.md, field for field. */
import type { Diagnostic, Suggestion } from "../diagnostic.js";

export interface JsonReport {
  readonly version: 1;
  readonly files: number;
  readonly errors: number;
  readonly warnings: number;
  readonly diagnostics: readonly JsonDiagnostic[];
}

export interface JsonDiagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: "error" | "warning";
  readonly code: string;
  readonly message: string;
  readonly related: readonly { file: string; line: number; column: number; message: string }[];
  readonly help?: string;
  /** The help as edits (diagnostics/suggestion.ts); columns as everywhere: code points, 1-based. */
  readonly suggestions?: readonly JsonSuggestion[];
}

export interface JsonSuggestion {
  readonly message: string;
  readonly applicability: Suggestion["applicability"];
  readonly edits: readonly { file: string; line: number; column: number; endLine: number; endColumn: number; text: string }[];
}

export function toJsonReport(files: number, diags: readonly Diagnostic[]): JsonReport {
  return {
    version: 1,
    files,
    errors: diags.filter((d) => d.severity === "error").length,
    warnings: diags.filter((d) => d.severity === "warning").length,
    diagnostics: diags.map((d) => ({
      file: d.span.file,
      line: d.span.start.line,
      column: d.span.start.column,
      endLine: d.span.end.line,
      endColumn: d.span.end.column,
      severity: d.severity,
      code: d.code,
      message: d.message,
      related: d.related.map((r) => ({ file: r.span.file, line: r.span.start.line, column: r.span.start.column, message: r.message })),
      ...(d.help !== undefined ? { help: d.help } : {}),
      ...(d.suggestions ? { suggestions: d.suggestions.map(jsonSuggestion) } : {}),
    })),
  };
}

function jsonSuggestion(s: Suggestion): JsonSuggestion {
  return {
    message: s.message,
    applicability: s.applicability,
    edits: s.edits.map((e) => ({ file: e.span.file, line: e.span.start.line, column: e.span.start.column, endLine: e.span.end.line, endColumn: e.span.end.column, text: e.text })),
  };
}

export function renderJson(files: number, diags: readonly Diagnostic[]): string {
  return JSON.stringify(toJsonReport(files, diags), null, 2) + "\n";
}
