/**
 * Document and range formatting: `dplc fmt` (src/compiler/format.ts) on the editor's text,
 * answered as the few line edits that change it rather than one whole-document
 * replacement, so the editor keeps its cursor, selections and folds. A range request gets
 * the edits that touch its lines: the style is whole-file, so formatting a range can never
 * disagree with formatting the file. A document with syntax errors gets no edits (its
 * diagnostics are already shown).
 */
import type { Range, TextEdit } from "vscode-languageserver/node.js";
import type { OpenDocument } from "./documents.js";
import { formatText } from "../format/format.js";
import { lineChanges } from "../format/line-diff.js";

export function formattingEdits(doc: OpenDocument, range?: Range): TextEdit[] | null {
  const before = doc.text.getText();
  const r = formatText(doc.isMarkdown && !/\.(md|markdown)$/i.test(doc.name) ? `${doc.name}.md` : doc.name, before);
  if (!r.ok) return null;
  if (!r.changed) return [];
  // Lines with their endings, so an edit reproduces the formatted text exactly.
  const a = before.split(/(?<=\n)/);
  const b = r.text.split(/(?<=\n)/);
  const edits: TextEdit[] = [];
  for (const c of lineChanges(a, b)) {
    // A change touches a range when its old lines overlap the range's lines (an insertion
    // touches the line it goes before).
    if (range && (c.start > range.end.line || Math.max(c.end - 1, c.start) < range.start.line)) continue;
    edits.push({
      range: { start: { line: c.start, character: 0 }, end: c.end < a.length ? { line: c.end, character: 0 } : doc.text.positionAt(before.length) },
      newText: c.lines.join(""),
    });
  }
  return edits;
}
