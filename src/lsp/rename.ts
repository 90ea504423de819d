/**
 * Rename: `prepareRename` says whether the name under the cursor can be renamed and which
 * range the editor should offer; `rename` edits every occurrence of its declaration across
 * the program, a trait method's whole family included (occurrences.ts). Refused, with a
 * message the editor shows: keywords and builtins, anything the stdlib declares (its files
 * are not the user's to edit), a module that is a file of its own (that would be a file
 * rename), and new names that are not identifiers or are keywords. Struct shorthands are spelled out so they keep their meaning:
 * renaming field `x` turns `S { x }` into `S { y: x }`, renaming the local into `S { x: y }`.
 */
import { ResponseError, ErrorCodes, type Position, type Range, type TextEdit, type WorkspaceEdit } from "vscode-languageserver/node.js";
import type { ReadonlyModel } from "../semantic/model.js";
import { keywordNames } from "../syntax/tokens.js";
import type { DocumentPipeline, OpenDocument } from "./documents.js";
import type { DocumentSemantics, Ref } from "./model-semantics.js";
import { findOccurrences, traitOfMethod } from "./occurrences.js";

const KEYWORDS = new Set<string>([...keywordNames, "crate", "super"]);
const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u;

function refused(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidRequest, message);
}

/** The renameable reference under the cursor, or the reason it is not renameable. */
function target(model: ReadonlyModel, doc: OpenDocument, sem: DocumentSemantics, position: Position): Ref {
  const offset = doc.parsed().lines.offsetAt(position);
  const ref = sem.refAt(offset);
  if (!ref) {
    const word = wordAt(doc.parsed().lines.text, offset);
    if (!word) throw refused("nothing to rename here: put the cursor on a name");
    if (KEYWORDS.has(word)) throw refused(`\`${word}\` is a keyword and cannot be renamed`);
    // Names the checker provides itself (`Some`, `Vec::new`) or could not resolve.
    throw refused(`\`${word}\` is built in or unresolved and cannot be renamed`);
  }
  const sym = ref.sym;
  if (KEYWORDS.has(sym.name) || sym.kind === "self") throw refused(`\`${sym.name}\` is a keyword and cannot be renamed`);
  if (!sym.def || !sym.decl) throw refused(`\`${sym.name}\` is built into the language and cannot be renamed`);
  if (model.moduleOfFile(sym.decl.file)?.isStdlib) throw refused(`\`${sym.name}\` is declared in the standard library and cannot be renamed`);
  const d = sym.def;
  const trait = traitOfMethod(d);
  if (trait && trait.module.isStdlib) throw refused(`\`${sym.name}\` implements a method of the standard library's trait \`${trait.name}\` and cannot be renamed`);
  if ("kind" in d && d.kind === "module" && d.source && (!d.parent || d.source !== d.parent.source)) throw refused(`\`${sym.name}\` is the module of a file of its own: rename the file instead`);
  return ref;
}

function wordAt(text: string, offset: number): string | null {
  let start = offset;
  let end = offset;
  while (start > 0 && /[\p{L}\p{N}_]/u.test(text[start - 1]!)) start--;
  while (end < text.length && /[\p{L}\p{N}_]/u.test(text[end]!)) end++;
  return end > start ? text.slice(start, end) : null;
}

export function prepareRename(model: ReadonlyModel, doc: OpenDocument, sem: DocumentSemantics, position: Position): { range: Range; placeholder: string } {
  const ref = target(model, doc, sem, position);
  const lines = doc.parsed().lines;
  return { range: lines.offsetsToRange(ref.start, ref.end), placeholder: lines.text.slice(ref.start, ref.end) };
}

export function rename(model: ReadonlyModel, doc: OpenDocument, sem: DocumentSemantics, position: Position, newName: string, pipeline: DocumentPipeline): WorkspaceEdit {
  const ref = target(model, doc, sem, position);
  if (!IDENTIFIER.test(newName)) throw new ResponseError(ErrorCodes.InvalidParams, `\`${newName}\` is not an identifier`);
  if (KEYWORDS.has(newName)) throw new ResponseError(ErrorCodes.InvalidParams, `\`${newName}\` is a keyword`);
  const changes: Record<string, TextEdit[]> = {};
  const seen = new Set<string>();
  for (const o of findOccurrences(pipeline, model, sem, ref.sym, { family: true, stdlib: false })) {
    const at = `${o.uri}:${o.range.start.line}:${o.range.start.character}`;
    if (seen.has(at)) continue;
    seen.add(at);
    const newText = o.shorthand === "field" ? `${newName}: ${o.text}` : o.shorthand === "local" ? `${o.text}: ${newName}` : newName;
    (changes[o.uri] ??= []).push({ range: o.range, newText });
  }
  return { changes };
}
