/**
 * References and document highlights: every identifier, in every file of the program
 * (open or not) and, for an item the stdlib declares, in the stdlib's own files, that the
 * analysis model resolves to the same declaration as the one under the cursor. The walk
 * and the notion of "the same declaration" are occurrences.ts's, shared with rename.
 */
import { DocumentHighlightKind, type CancellationToken, type DocumentHighlight, type Location, type Position } from "vscode-languageserver/node.js";
import type { DocumentPipeline, OpenDocument } from "./documents.js";
import type { DocumentSemantics } from "./model-semantics.js";
import { findOccurrences, someModel, symbolKey } from "./occurrences.js";

/** `textDocument/references`. */
export function references(pipeline: DocumentPipeline, doc: OpenDocument, sem: DocumentSemantics, position: Position, includeDeclaration: boolean, token?: CancellationToken): Location[] {
  const ref = sem.refAt(doc.parsed().lines.offsetAt(position));
  if (!ref) return [];
  return findOccurrences(pipeline, someModel(pipeline, doc), sem, ref.sym, { token })
    .filter((o) => includeDeclaration || !o.isDecl)
    .map((o) => ({ uri: o.uri, range: o.range }));
}

/** `textDocument/documentHighlight`: the same symbol in this document; declarations read as writes. */
export function documentHighlights(doc: OpenDocument, sem: DocumentSemantics, position: Position): DocumentHighlight[] {
  const lines = doc.parsed().lines;
  const ref = sem.refAt(lines.offsetAt(position));
  const key = ref ? symbolKey(ref.sym) : null;
  if (!ref || !key) return [];
  return sem.refs
    .filter((r) => r.sym.name === ref.sym.name && symbolKey(r.sym) === key)
    .map((r) => ({ range: lines.offsetsToRange(r.start, r.end), kind: r.isDecl ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
}
