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
import type { ReadonlyModel } from "../semantic/model.js";
import type { FnDef, TraitDef } from "../semantic/defs.js";
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

/**
 * The trait a method declares or implements, when it is one: a trait method and its
 * implementations are one name (calls through the trait and through a type must agree).
 */
export function traitOfMethod(d: Sym["def"]): TraitDef | null {
  if (!d || !("kind" in d) || d.kind !== "fn" || !d.owner) return null;
  return d.owner.kind === "trait" ? d.owner : (d.owner.trait?.trait ?? null);
}

/** The declarations that must be renamed together with `target`'s. */
function declKeys(model: ReadonlyModel, target: Sym): Set<string> {
  const key = declKey(target);
  const keys = new Set<string>(key ? [key] : []);
  const trait = traitOfMethod(target.def);
  if (!trait) return keys;
  const at = (f: FnDef | undefined): void => {
    const site = f ? model.definitionSite(f) : null;
    if (site) keys.add(`${site.span.file}\0${spanOffsets(site.span).start}`);
  };
  at(trait.methods.get(target.name));
  for (const impl of model.allImpls()) if (impl.trait?.trait === trait) at(impl.methods.get(target.name));
  return keys;
}

/** Where `target` is declared and used, in open documents and every file module of the model. */
export function findReferences(model: ReadonlyModel, open: readonly OpenSemantics[], target: Sym): Occurrence[] {
  const keys = declKeys(model, target);
  if (keys.size === 0) return [];
  const out: Occurrence[] = [];
  const collect = (refs: readonly Ref[], file: string, uri: string, lines: LineIndex): void => {
    for (const r of refs) {
      const k = declKey(r.sym);
      const direct = k !== null && keys.has(k);
      const f = r.shorthandField !== undefined ? declKey(r.shorthandField) : null;
      const viaField = f !== null && keys.has(f);
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
  for (const m of model.user.modules) {
    // File modules only: an inline module's items are walked with its file's.
    if (!m.source || m.isStdlib || m.outer || (m.parent && m.parent.source === m.source)) continue;
    const file = m.source.name;
    if (openNames.has(file)) continue;
    const path = model.pathOfFile(file);
    collect(semanticsOfModule(model, file, m).refs, file, path ? pathToFileURL(path).href : uriOfSourceName(file), new LineIndex(m.source.text));
  }
  return out;
}
