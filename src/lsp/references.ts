/**
 * References and document highlights: every identifier, in every document of the
 * workspace (open or not) and, for an item the stdlib declares, in the stdlib's own files,
 * that the analysis model resolves to the same declaration as the one under the cursor.
 *
 * Two identifiers mean the same thing when their declarations are the same identifier of
 * the same file. Documents checked in different runs hold different model objects for a
 * definition, but an edit re-checks the edited module with every module that depends on
 * it, so the declaring file and its users always agree on where the declaration is.
 */
import { pathToFileURL } from "node:url";
import { DocumentHighlightKind, type CancellationToken, type DocumentHighlight, type Location, type Position, type Range } from "vscode-languageserver/node.js";
import type { ReadonlyModel } from "../semantic/model.js";
import { isUnderStdlib } from "../semantic/stdlib-world.js";
import type { DocumentPipeline, OpenDocument } from "./documents.js";
import { semanticsOf, semanticsOfModule, type DocumentSemantics, type Ref, type Sym } from "./model-semantics.js";
import { LineIndex, spanOffsets } from "./positions.js";

/** The identity of a declaration across documents and checks; null for builtins. */
export function symbolKey(sym: Sym): string | null {
  if (!sym.decl) return null;
  return `${sym.decl.file}\u0000${spanOffsets(sym.decl).start}\u0000${sym.kind === "method" ? "function" : sym.kind}`;
}

/** Symbols only their own file can mention. */
const FILE_LOCAL = new Set(["local", "param", "self", "typeParam"]);

export interface Occurrence {
  readonly uri: string;
  readonly range: Range;
  readonly isDecl: boolean;
  readonly ref: Ref;
  /** The pipeline's document, or null for a stdlib file read from the model. */
  readonly doc: OpenDocument | null;
  readonly sem: DocumentSemantics;
}

export interface SearchOptions {
  readonly token?: CancellationToken | undefined;
  /** Look in the stdlib's files too (only for what the stdlib declares). */
  readonly stdlib?: boolean;
}

function declaredInStdlib(sym: Sym): boolean {
  const def = sym.def as { module?: { isStdlib?: boolean } } | null;
  return def?.module?.isStdlib === true || (sym.declPath !== null && isUnderStdlib(sym.declPath));
}

/** Every occurrence of the declaration `sym` stands for, declarations included, by document then offset. */
export function findOccurrences(pipeline: DocumentPipeline, sym: Sym, options: SearchOptions = {}): Occurrence[] {
  const key = symbolKey(sym);
  if (!key) return [];
  const out: Occurrence[] = [];
  const docs = pipeline.all().filter((d) => !FILE_LOCAL.has(sym.kind) || d.name === sym.decl!.file);
  const seenFiles = new Set<string>();
  let model: ReadonlyModel | undefined;
  for (const doc of docs.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0))) {
    if (options.token?.isCancellationRequested) return out;
    seenFiles.add(doc.name);
    // Cheap first: a document that never spells the name cannot refer to it.
    if (!doc.text.getText().includes(sym.name)) continue;
    const sem = semanticsOf(pipeline, doc);
    model ??= pipeline.analysis(doc)?.model;
    const lines = doc.parsed().lines;
    for (const r of sem.refs) {
      if (r.sym.name !== sym.name || symbolKey(r.sym) !== key) continue;
      out.push({ uri: doc.uri, range: lines.offsetsToRange(r.start, r.end), isDecl: r.isDecl, ref: r, doc, sem });
    }
  }
  if (options.stdlib !== false && declaredInStdlib(sym) && model) out.push(...stdlibOccurrences(model, sym, key, seenFiles, options.token));
  return out;
}

const stdlibLines = new WeakMap<object, LineIndex>();

function stdlibOccurrences(model: ReadonlyModel, sym: Sym, key: string, skip: ReadonlySet<string>, token: CancellationToken | undefined): Occurrence[] {
  const out: Occurrence[] = [];
  const files = new Set<string>();
  for (const m of model.stdlib.modules) {
    if (token?.isCancellationRequested) break;
    const source = m.source;
    if (!source || !m.filePath || skip.has(source.name) || files.has(source.name)) continue;
    files.add(source.name);
    if (!source.text.includes(sym.name)) continue;
    // The module itself keys the cache: its items are the tree the stdlib was checked with.
    const sem = semanticsOfModule(model, source.name, m);
    let lines = stdlibLines.get(source);
    if (!lines) stdlibLines.set(source, (lines = new LineIndex(source.text)));
    const uri = pathToFileURL(model.pathOfFile(source.name) ?? m.filePath).href;
    for (const r of sem.refs) {
      if (r.sym.name !== sym.name || symbolKey(r.sym) !== key) continue;
      out.push({ uri, range: lines.offsetsToRange(r.start, r.end), isDecl: r.isDecl, ref: r, doc: null, sem });
    }
  }
  return out;
}

/** `textDocument/references`. */
export function references(pipeline: DocumentPipeline, doc: OpenDocument, sem: DocumentSemantics, position: Position, includeDeclaration: boolean, token?: CancellationToken): Location[] {
  const ref = sem.refAt(doc.parsed().lines.offsetAt(position));
  if (!ref) return [];
  return findOccurrences(pipeline, ref.sym, { token })
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
