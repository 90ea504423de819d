/**
 * Where a declaration occurs: the one walk behind references, document highlight, rename,
 * implementations and call hierarchy.
 *
 * The files of the program are, in this order: the pipeline's documents (open buffers and
 * the workspace files loaded from disk, each read through the analysis that last checked
 * it), the modules an analysis read from disk that the pipeline does not hold (a `mod`
 * child outside the workspace folders), and, when asked, the stdlib's files. Each file is
 * read once: a file the pipeline holds is never read again from the model.
 *
 * Two identifiers mean the same thing when their declarations are the same identifier of
 * the same file (`symbolKey`), not the same model object: documents checked in different
 * runs hold different objects for one definition, but an edit re-checks the edited module
 * with every module that depends on it, so the declaring file and its users always agree
 * on where the declaration is. A trait method and its implementations form a family
 * (`familyKey`): rename changes them together, since calls through the trait and through
 * a type must keep agreeing.
 */
import { pathToFileURL } from "node:url";
import type { CancellationToken, Range } from "vscode-languageserver/node.js";
import type * as A from "../syntax/ast.js";
import type { ReadonlyModel } from "../semantic/model.js";
import type { ModuleDef, TraitDef } from "../semantic/defs.js";
import { isUnderStdlib } from "../semantic/stdlib-world.js";
import type { DocumentPipeline, OpenDocument } from "./documents.js";
import { semanticsOf, semanticsOfModule, type DocumentSemantics, type Ref, type Sym } from "./model-semantics.js";
import { LineIndex, sourceNameOfUri, spanOffsets, uriOfSourceName } from "./positions.js";

// ---------------------------------------------------------------------------
// Identity

/** The identity of a declaration across documents and checks; null for builtins. */
export function symbolKey(sym: Sym): string | null {
  if (!sym.decl) return null;
  return `${sym.decl.file}\u0000${spanOffsets(sym.decl).start}\u0000${sym.kind === "method" ? "function" : sym.kind}`;
}

/**
 * The trait a method declares or implements, when it is one: a trait method and its
 * implementations are one name (calls through the trait and through a type must agree).
 */
export function traitOfMethod(d: Sym["def"]): TraitDef | null {
  if (!d || !("kind" in d) || d.kind !== "fn" || !d.owner) return null;
  return d.owner.kind === "trait" ? d.owner : (d.owner.trait?.trait ?? null);
}

/** The family of a trait method (the trait's declaration and the name), or null. */
export function familyKey(sem: DocumentSemantics, sym: Sym): string | null {
  const trait = traitOfMethod(sym.def);
  const t = trait ? sem.symFor(trait) : null;
  const key = t ? symbolKey(t) : null;
  return key ? `${key}\u0000${sym.name}` : null;
}

/** Symbols only their own file can mention. */
const FILE_LOCAL = new Set(["local", "param", "self", "typeParam"]);

// ---------------------------------------------------------------------------
// The files of the program

export interface ProgramFile {
  readonly uri: string;
  /** The source name the model's spans carry. */
  readonly file: string;
  /** The text the compiler parsed (for Markdown: the literate module text). */
  readonly text: string;
  /** The pipeline's document, or null for a module the analysis read from disk (the stdlib's included). */
  readonly doc: OpenDocument | null;
  readonly isStdlib: boolean;
  /** The top-level items, as the semantics were computed from them. */
  items(): readonly A.Item[];
  lines(): LineIndex;
  semantics(): DocumentSemantics;
}

export interface WalkOptions {
  readonly token?: CancellationToken | undefined;
  /** Walk the stdlib's files too (after the user's). */
  readonly stdlib?: boolean;
  /** Only this source name (what only one file can mention). */
  readonly only?: string;
}

function byUri(a: OpenDocument, b: OpenDocument): number {
  return a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0;
}

/** A model's modules that are files of their own (an inline module's items are walked with its file's). */
function fileModules(modules: readonly ModuleDef[]): ModuleDef[] {
  return modules.filter((m) => m.source && !m.outer && !(m.parent && m.parent.source === m.source));
}

const moduleLines = new WeakMap<object, LineIndex>();

function moduleFile(model: ReadonlyModel, m: ModuleDef): ProgramFile {
  const source = m.source!;
  const path = model.pathOfFile(source.name) ?? m.filePath;
  return {
    uri: path ? pathToFileURL(path).href : uriOfSourceName(source.name),
    file: source.name,
    text: source.text,
    doc: null,
    isStdlib: m.isStdlib,
    items: () => m.items,
    lines: () => {
      let l = moduleLines.get(source);
      if (!l) moduleLines.set(source, (l = new LineIndex(source.text)));
      return l;
    },
    // The module keys the cache: its items are the tree the model was checked with.
    semantics: () => semanticsOfModule(model, source.name, m),
  };
}

function documentFile(pipeline: DocumentPipeline, doc: OpenDocument): ProgramFile {
  return {
    uri: doc.uri,
    file: doc.name,
    text: doc.parsed().lines.text,
    doc,
    isStdlib: false,
    items: () => doc.parsed().module.ast.items,
    lines: () => doc.parsed().lines,
    semantics: () => semanticsOf(pipeline, doc),
  };
}

/** A model the pipeline's documents were checked with (for the modules only a model knows). */
export function someModel(pipeline: DocumentPipeline, prefer?: OpenDocument | null): ReadonlyModel | undefined {
  if (prefer) {
    const m = pipeline.analysis(prefer)?.model;
    if (m) return m;
  }
  for (const d of pipeline.all()) {
    const m = pipeline.analysis(d)?.model;
    if (m) return m;
  }
  return undefined;
}

/** Every file of the program, as the module comment orders them. */
export function* programFiles(pipeline: DocumentPipeline, model: ReadonlyModel | undefined, options: WalkOptions = {}): Generator<ProgramFile> {
  const seen = new Set<string>();
  for (const doc of pipeline.all().sort(byUri)) {
    seen.add(doc.name);
    if (options.only !== undefined && doc.name !== options.only) continue;
    if (options.token?.isCancellationRequested) return;
    yield documentFile(pipeline, doc);
  }
  if (!model) return;
  const worlds = options.stdlib ? [model.user.modules, model.stdlib.modules] : [model.user.modules];
  for (const modules of worlds) {
    for (const m of fileModules(modules)) {
      const name = m.source!.name;
      if (seen.has(name) || (options.only !== undefined && name !== options.only)) continue;
      seen.add(name);
      if (options.token?.isCancellationRequested) return;
      yield moduleFile(model, m);
    }
  }
}

/**
 * The program file a URI (or a source name) names: a pipeline document, or a module (the
 * stdlib's included) that a model read.
 */
export function programFileAt(pipeline: DocumentPipeline, at: { readonly uri: string } | { readonly name: string }): ProgramFile | null {
  const doc = "uri" in at ? pipeline.get(at.uri) : pipeline.byName(at.name);
  if (doc) return documentFile(pipeline, doc);
  const path = "uri" in at && at.uri.startsWith("file:") ? sourceNameOfUri(at.uri) : null;
  // Documents checked in different runs may hold different models: any that read the file.
  const models = new Set<ReadonlyModel>();
  for (const d of pipeline.all()) {
    const model = pipeline.analysis(d)?.model;
    if (!model || models.has(model)) continue;
    models.add(model);
    for (const m of fileModules([...model.user.modules, ...model.stdlib.modules])) {
      const name = m.source!.name;
      if ("name" in at ? name === at.name : path !== null && (model.pathOfFile(name) ?? m.filePath) === path) return moduleFile(model, m);
    }
  }
  return null;
}

// ---------------------------------------------------------------------------
// Occurrences

export interface Occurrence {
  readonly uri: string;
  readonly file: string;
  readonly range: Range;
  readonly isDecl: boolean;
  readonly ref: Ref;
  readonly in: ProgramFile;
  /** `S { x }`: the name stands for both a field and a local; which of the two is the target. */
  readonly shorthand: "field" | "local" | null;
  /** The name written at the occurrence (the other half of a shorthand keeps it). */
  readonly text: string;
}

export interface SearchOptions {
  readonly token?: CancellationToken | undefined;
  /** Also the other methods of a trait method's family (rename). */
  readonly family?: boolean;
  /** Look in the stdlib's files (when the declaration, or its family, is the stdlib's); default true. */
  readonly stdlib?: boolean;
}

/** Whether the stdlib declares `sym` (only then can the stdlib's files mention it). */
export function declaredInStdlib(sym: Sym): boolean {
  const def = sym.def as { module?: { isStdlib?: boolean } } | null;
  return def?.module?.isStdlib === true || (sym.declPath !== null && isUnderStdlib(sym.declPath));
}

/**
 * Every occurrence of the declaration `target` stands for (in `sem`, the semantics it was
 * found in), declarations included, by file then offset. `model`: the analysis that read
 * the cursor's document (for modules only it read).
 */
export function findOccurrences(pipeline: DocumentPipeline, model: ReadonlyModel | undefined, sem: DocumentSemantics, target: Sym, options: SearchOptions = {}): Occurrence[] {
  const key = symbolKey(target);
  if (!key) return [];
  const family = options.family ? familyKey(sem, target) : null;
  const trait = family ? traitOfMethod(target.def) : null;
  const stdlib = options.stdlib !== false && (declaredInStdlib(target) || trait?.module.isStdlib === true);
  const only = FILE_LOCAL.has(target.kind) ? target.decl!.file : undefined;
  const out: Occurrence[] = [];
  for (const f of programFiles(pipeline, model, { token: options.token, stdlib, ...(only !== undefined ? { only } : {}) })) {
    // Cheap first: a file that never spells the name cannot refer to it.
    if (!f.text.includes(target.name)) continue;
    const s = f.semantics();
    let lines: LineIndex | undefined;
    for (const r of s.refs) {
      if (r.sym.name !== target.name && r.shorthandField?.name !== target.name) continue;
      const direct = r.sym.name === target.name && (symbolKey(r.sym) === key || (family !== null && familyKey(s, r.sym) === family));
      const viaField = r.shorthandField !== undefined && symbolKey(r.shorthandField) === key;
      if (!direct && !viaField) continue;
      lines ??= f.lines();
      out.push({
        uri: f.uri,
        file: f.file,
        range: lines.offsetsToRange(r.start, r.end),
        isDecl: r.isDecl && direct,
        ref: r,
        in: f,
        shorthand: r.shorthandField === undefined ? null : viaField ? "field" : "local",
        text: lines.text.slice(r.start, r.end),
      });
    }
  }
  return out;
}
