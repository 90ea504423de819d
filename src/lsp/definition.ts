/**
 * Go to definition: the declaring identifier of whatever the cursor is on, in this file,
 * another open file, or a file on disk (a stdlib module, a module no editor has open),
 * named by the real path the analysis read it from.
 */
import { pathToFileURL } from "node:url";
import type { Location, Position } from "vscode-languageserver/node.js";
import type { OpenDocument } from "./documents.js";
import type { DocumentSemantics, Sym } from "./model-semantics.js";
import { LineIndex, lineIndexForSpan, uriOfSourceName } from "./positions.js";

export interface OpenFiles {
  byName(name: string): OpenDocument | undefined;
}

export function definition(doc: OpenDocument, sem: DocumentSemantics, position: Position, open: OpenFiles): Location | null {
  const parsed = doc.parsed();
  const ref = sem.refAt(parsed.lines.offsetAt(position));
  return ref ? declarationLocation(ref.sym, open) : null;
}

/** Where a symbol is declared, in an open document or a file on disk; null for builtins. */
export function declarationLocation(sym: Sym, open: OpenFiles): Location | null {
  const decl = sym.decl;
  if (!decl) return null;
  const target = open.byName(decl.file);
  const path = sym.declPath;
  const lines: LineIndex | undefined = target ? target.parsed().lines : lineIndexForSpan(decl, () => undefined, path ?? undefined);
  if (!lines) return null;
  return { uri: target?.uri ?? (path ? pathToFileURL(path).href : uriOfSourceName(decl.file)), range: lines.spanToRange(decl) };
}
