/**
 * From the compiler's diagnostics to the editor's. The core `Diagnostic` type knows
 * nothing of LSP (architecture.md); this file is the only place where one becomes the
 * other, so the text renderer and the editor show the same code, message, help and note.
 */
import type { Diagnostic as LspDiagnostic, DiagnosticRelatedInformation } from "vscode-languageserver/node.js";
import { DiagnosticSeverity } from "vscode-languageserver/node.js";
import type { Diagnostic, Suggestion } from "../diagnostics/diagnostic.js";
import type { DiagnosticFixes, FixEdit } from "./code-actions.js";
import { LineIndex, lineIndexForSpan } from "./positions.js";

export interface ConversionContext {
  /** The line index of an open document by source name, so related spans use the editor's text. */
  readonly openIndex: (name: string) => LineIndex | undefined;
  /** The URI of an open document by source name (untitled documents have no file path). */
  readonly uriOf: (name: string) => string;
  /** `dplc lsp --help-uri-base URL`: the same base that SARIF output links rules to. */
  readonly helpUriBase?: string | undefined;
}

/** The message an editor shows: the compiler's message, then its label, help and note lines. */
export function editorMessage(d: Diagnostic): string {
  const lines = [d.message];
  if (d.label && !d.message.includes(d.label)) lines.push(d.label);
  if (d.help) lines.push(`help: ${d.help}`);
  if (d.note) lines.push(`note: ${d.note}`);
  return lines.join("\n");
}

export function toLspDiagnostic(d: Diagnostic, index: LineIndex, ctx: ConversionContext): LspDiagnostic {
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of d.related) {
    const idx = r.span.file === d.span.file ? index : lineIndexForSpan(r.span, ctx.openIndex);
    if (!idx) continue;
    related.push({ location: { uri: ctx.uriOf(r.span.file), range: idx.spanToRange(r.span) }, message: r.message });
  }
  const fixes = d.suggestions ? lspFixes(d.suggestions, d.span.file, index, ctx) : [];
  return {
    range: index.spanToRange(d.span),
    severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    ...(ctx.helpUriBase ? { codeDescription: { href: `${ctx.helpUriBase}${d.code}.md` } } : {}),
    source: "dplc",
    message: editorMessage(d),
    ...(related.length > 0 ? { relatedInformation: related } : {}),
    // Carried to the client and back in codeAction requests (LSP 3.16 `data`).
    ...(fixes.length > 0 ? { data: { fixes } satisfies DiagnosticFixes } : {}),
  };
}

function lspFixes(suggestions: readonly Suggestion[], file: string, index: LineIndex, ctx: ConversionContext): DiagnosticFixes["fixes"] {
  const out: DiagnosticFixes["fixes"][number][] = [];
  for (const s of suggestions) {
    const edits: FixEdit[] = [];
    for (const e of s.edits) {
      const idx = e.span.file === file ? index : lineIndexForSpan(e.span, ctx.openIndex);
      if (!idx) break;
      edits.push({ uri: ctx.uriOf(e.span.file), range: idx.spanToRange(e.span), newText: e.text });
    }
    if (edits.length === s.edits.length) out.push({ title: s.message, applicability: s.applicability, edits });
  }
  return out;
}

/** Group a check's diagnostics by the file they point at. */
export function diagnosticsByFile(diags: readonly Diagnostic[]): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  for (const d of diags) {
    let list = out.get(d.span.file);
    if (!list) out.set(d.span.file, (list = []));
    list.push(d);
  }
  return out;
}
