/**
 * Quick fixes: each diagnostic's suggestions (the checker's `help:` as edits,
 * diagnostics/suggestion.ts), offered as code actions. They travel with the published
 * diagnostic in its `data` field, so the fix applied is the one computed with the
 * diagnostic the user sees; a client that does not echo `data` back gets them from the
 * server's copy of what it published.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic as LspDiagnostic, type Range, type TextEdit } from "vscode-languageserver/node.js";
import type { Applicability } from "../diagnostics/diagnostic.js";

export interface FixEdit {
  readonly uri: string;
  readonly range: Range;
  readonly newText: string;
}

export interface DiagnosticFixes {
  readonly fixes: readonly { readonly title: string; readonly applicability: Applicability; readonly edits: readonly FixEdit[] }[];
}

function fixesOf(d: LspDiagnostic): DiagnosticFixes["fixes"] {
  const data = d.data as Partial<DiagnosticFixes> | undefined;
  return Array.isArray(data?.fixes) ? data.fixes : [];
}

const samePos = (a: Range["start"], b: Range["start"]): boolean => a.line === b.line && a.character === b.character;

/**
 * @param published  what the server last published for the document (for clients that drop `data`)
 */
export function codeActions(params: CodeActionParams, published: readonly LspDiagnostic[]): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((k) => k === CodeActionKind.QuickFix || k === CodeActionKind.Empty || CodeActionKind.QuickFix.startsWith(`${k}.`))) return [];
  const out: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    if (d.source !== undefined && d.source !== "dplc") continue;
    let fixes = fixesOf(d);
    if (fixes.length === 0) {
      const ours = published.find((p) => p.code === d.code && samePos(p.range.start, d.range.start) && samePos(p.range.end, d.range.end));
      if (ours) fixes = fixesOf(ours);
    }
    for (const f of fixes) {
      const changes: Record<string, TextEdit[]> = {};
      for (const e of f.edits) (changes[e.uri] ??= []).push({ range: e.range, newText: e.newText });
      out.push({
        title: f.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        // The one fix that cannot be wrong: what an editor applies on "fix this".
        ...(f.applicability === "machine-applicable" && fixes.length === 1 ? { isPreferred: true } : {}),
        edit: { changes },
      });
    }
  }
  return out;
}
