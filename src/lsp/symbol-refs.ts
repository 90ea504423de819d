/**
 * Every occurrence of one declaration in the user's program: in open documents (their
 * current syntax tree, read through the analysis) and in the modules the analysis read from
 * disk. Occurrences are matched by where the declaration is (file and offset of its name),
 * not by object identity, so documents analysed in different checks still agree.
 *
 * Rename is built on this. The references request of the workspace work (issue 13,
 * "Navigation") answers the same question; the two are meant to become one.
 */
import { pathToFileURL } from "node:url";
import type { Range } from "vscode-languageserver/node.js";
import type { AnalysisModel } from "../semantic/model.js";
import type { OpenDocument } from "./documents.js";
import { semanticsOfModule, type DocumentSemantics, type Ref, type Sym } from "./model-semantics.js";
import { LineIndex, spanOffsets, uriOfSourceName } from "./positions.js";

export interface Occurrence {
  readonly uri: string;
  readonly file: string;
  readonly range: Range;
  readonly isDecl: boolean;
  /** `S { x }`: the name stands for both a field and a local; which of the two is the target. */
  readonly shorthand: "field" | "local" | null;
  /** The name written at the occurrence (the other half of a shorthand keeps it). */
  readonly text: string;
}

export interface OpenSemantics {
  readonly doc: OpenDocument;
  readonly sem: DocumentSemantics;
}

/** A declaration's identity across analyses: where its name is declared. */
export function declKey(sym: Sym): string | null {
  if (!sym.decl || !sym.def) return null;
  return `${sym.decl.file}\0${spanOffsets(sym.decl).start}`;
}

/** Where `target` is declared and used, in open documents and every file module of the model. */
export function findReferences(model: AnalysisModel, open: readonly OpenSemantics[], target: Sym): Occurrence[] {
  const key = declKey(target);
  if (!key) return [];
  const out: Occurrence[] = [];
  const collect = (refs: readonly Ref[], file: string, uri: string, lines: LineIndex): void => {
    for (const r of refs) {
      const direct = declKey(r.sym) === key;
      const viaField = r.shorthandField !== undefined && declKey(r.shorthandField) === key;
      if (!direct && !viaField) continue;
      out.push({
        uri,
        file,
        range: lines.offsetsToRange(r.start, r.end),
        isDecl: r.isDecl && direct,
        shorthand: r.shorthandField === undefined ? null : viaField ? "field" : "local",
        text: lines.text.slice(r.start, r.end),
      });
    }
  };
  const openNames = new Set<string>();
  for (const o of open) {
    openNames.add(o.doc.name);
    collect(o.sem.refs, o.doc.name, o.doc.uri, o.doc.parsed().lines);
  }
  for (const m of model.user.world.modules) {
    // File modules only: an inline module's items are walked with its file's.
    if (!m.source || m.isStdlib || m.outer || (m.parent && m.parent.source === m.source)) continue;
    const file = m.source.name;
    if (openNames.has(file)) continue;
    const path = model.pathOfFile(file);
    collect(semanticsOfModule(model, file, m).refs, file, path ? pathToFileURL(path).href : uriOfSourceName(file), new LineIndex(m.source.text));
  }
  return out;
}
