/**
 * Navigation beyond "go to definition": the type of a value, the impls of a trait (or of a
 * type, or of one trait method), who calls a function and what it calls, and the
 * workspace's symbols by name. Everything is read from the analysis model through the
 * documents' semantics (model-semantics.ts), across every file of the program and, for
 * what the stdlib declares, the stdlib's files (the walk is occurrences.ts's).
 */
import { SymbolKind, type CallHierarchyIncomingCall, type CallHierarchyItem, type CallHierarchyOutgoingCall, type CancellationToken, type DocumentSymbol, type Location, type Position, type SymbolInformation } from "vscode-languageserver/node.js";
import type * as A from "../syntax/ast.js";
import type { Span } from "../syntax/source.js";
import { peel } from "../semantic/call-res.js";
import { printTy } from "../semantic/types.js";
import type { DocumentPipeline, OpenDocument } from "./documents.js";
import type { DocumentSemantics, Sym } from "./model-semantics.js";
import { declarationLocation } from "./definition.js";
import { declaredInStdlib, findOccurrences, programFileAt, programFiles, someModel, symbolKey, traitOfMethod, type ProgramFile } from "./occurrences.js";
import type { ReadonlyModel } from "../semantic/model.js";
import { documentSymbols } from "./symbols.js";
import { lineIndexForSpan, spanOffsets } from "./positions.js";

function symAt(doc: OpenDocument, sem: DocumentSemantics, position: Position): Sym | null {
  return sem.refAt(doc.parsed().lines.offsetAt(position))?.sym ?? null;
}

/** `textDocument/typeDefinition`: the declaration of the struct, enum or alias a value's type names. */
export function typeDefinition(pipeline: DocumentPipeline, doc: OpenDocument, sem: DocumentSemantics, position: Position): Location | null {
  const sym = symAt(doc, sem, position);
  if (!sym) return null;
  const target = sem.typeOf(sym)?.def;
  return target ? declarationLocation(target, pipeline) : null;
}

/**
 * `textDocument/implementation`: on a trait, its impls; on a trait's method, that method
 * in each impl; on a struct or enum, the impls for it. The impls are looked for in every
 * file of the program and, for a trait or type the stdlib declares, in the stdlib's files
 * too (`impl Default for Point` in the user's code beside the stdlib's `impl Default for u8`).
 */
export function implementations(pipeline: DocumentPipeline, doc: OpenDocument, sem: DocumentSemantics, position: Position, token?: CancellationToken): Location[] {
  const sym = symAt(doc, sem, position);
  const def = sym?.def;
  if (!sym || !def || !("kind" in def)) return [];
  let wanted: "trait" | "type" | "method";
  if (def.kind === "trait") wanted = "trait";
  else if (def.kind === "struct" || def.kind === "enum") wanted = "type";
  else if (def.kind === "fn" && def.owner?.kind === "trait") wanted = "method";
  else return [];
  const target = def.kind === "fn" && def.owner?.kind === "trait" ? sem.symFor(def.owner) : sym;
  const key = target ? symbolKey(target) : null;
  if (!target || !key) return [];
  const model = someModel(pipeline, doc);
  if (wanted === "method") return implMethods(pipeline, model, target, sym.name, token).map(({ file, fn }) => ({ uri: file.uri, range: file.lines().spanToRange(fn.name.span) }));
  const out: Location[] = [];
  for (const { file, item } of implsOf(pipeline, model, target, wanted, token)) out.push({ uri: file.uri, range: file.lines().spanToRange(item.selfType.span) });
  return out;
}

/**
 * The impls of `target` (a trait, or with `"type"` a struct or enum) in every file of the
 * program and, when the stdlib declares the target, in the stdlib's files.
 */
function* implsOf(pipeline: DocumentPipeline, model: ReadonlyModel | undefined, target: Sym, wanted: "trait" | "type", token?: CancellationToken): Generator<{ file: ProgramFile; item: A.ImplItem }> {
  const key = symbolKey(target);
  if (!key) return;
  for (const f of programFiles(pipeline, model, { token, stdlib: declaredInStdlib(target) })) {
    // Cheap first: an impl of the target spells its name.
    if (!f.text.includes("impl") || !f.text.includes(target.name)) continue;
    const s = f.semantics();
    for (const { item, def: impl } of s.impls()) {
      let of: Sym | null = null;
      if (wanted === "type") {
        const t = impl.selfTy ? peel(impl.selfTy) : null;
        of = t?.k === "adt" ? s.symFor(t.def) : null;
      } else of = impl.trait ? s.symFor(impl.trait.trait) : null;
      if (of && symbolKey(of) === key) yield { file: f, item };
    }
  }
}

/** The method `name` of each impl of the trait `trait` that defines it (not the ones that keep the trait's provided body). */
function implMethods(pipeline: DocumentPipeline, model: ReadonlyModel | undefined, trait: Sym, name: string, token?: CancellationToken): { file: ProgramFile; fn: A.FnItem }[] {
  const out: { file: ProgramFile; fn: A.FnItem }[] = [];
  for (const { file, item } of implsOf(pipeline, model, trait, "trait", token)) {
    const fn = item.items.find((x): x is A.FnItem => x.kind === "FnItem" && x.name.name === name);
    if (fn) out.push({ file, fn });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Call hierarchy

/** Where an item's function can be resolved again: an identifier that refers to it. */
interface ItemData {
  readonly uri: string;
  readonly offset: number;
}

const CALLABLE = new Set(["function", "method"]);

function callItem(pipeline: DocumentPipeline, sym: Sym, at: ItemData): CallHierarchyItem | null {
  const loc = declarationLocation(sym, pipeline);
  if (!loc || !sym.decl) return null;
  const fn = (sym.def as { ast?: A.FnItem | null } | null)?.ast ?? null;
  const lines = pipeline.byName(sym.decl.file)?.parsed().lines ?? lineIndexForSpan(sym.decl, () => undefined, sym.declPath ?? undefined);
  const range = fn && lines ? lines.spanToRange(fn.span) : loc.range;
  return {
    name: sym.name,
    kind: sym.kind === "method" ? SymbolKind.Method : SymbolKind.Function,
    ...(container(sym) !== null ? { detail: container(sym)! } : {}),
    uri: loc.uri,
    range,
    selectionRange: loc.range,
    data: at,
  };
}

/** What a method belongs to, shown beside its name: its trait, or its impl's self type. */
function container(sym: Sym): string | null {
  const def = sym.def;
  if (def && "kind" in def && def.kind === "fn" && def.owner) return def.owner.kind === "trait" ? def.owner.name : def.owner.selfTy ? printTy(def.owner.selfTy) : null;
  return sym.owner?.name ?? null;
}

/** `textDocument/prepareCallHierarchy`: the function under the cursor. */
export function prepareCallHierarchy(pipeline: DocumentPipeline, doc: OpenDocument, sem: DocumentSemantics, position: Position): CallHierarchyItem[] | null {
  const offset = doc.parsed().lines.offsetAt(position);
  const ref = sem.refAt(offset);
  if (!ref || !CALLABLE.has(ref.sym.kind)) return null;
  const item = callItem(pipeline, ref.sym, { uri: doc.uri, offset: ref.start });
  return item ? [item] : null;
}

/** The function an item stands for, with the file and semantics it was resolved in. */
function itemSym(pipeline: DocumentPipeline, item: CallHierarchyItem): { sym: Sym; file: ProgramFile; sem: DocumentSemantics } | null {
  const data = item.data as Partial<ItemData> | undefined;
  const file = programFileAt(pipeline, { uri: typeof data?.uri === "string" ? data.uri : item.uri });
  if (!file) return null;
  const offset = typeof data?.offset === "number" ? data.offset : file.lines().offsetAt(item.selectionRange.start);
  const sem = file.semantics();
  const sym = sem.refAt(offset)?.sym ?? null;
  return sym && CALLABLE.has(sym.kind) ? { sym, file, sem } : null;
}

/** Functions (free, in impls and traits, in inline modules and blocks) of a module, outermost first. */
function functions(items: readonly A.Item[], out: A.FnItem[] = []): A.FnItem[] {
  for (const it of items) {
    if (it.kind === "FnItem") {
      out.push(it);
      if (it.body.kind === "block") for (const st of it.body.block.stmts) if (st.kind === "ItemStmt") functions([st.item], out);
    } else if (it.kind === "ImplItem" || it.kind === "TraitItem") functions(it.items, out);
    else if (it.kind === "ModItem") functions(it.items ?? [], out);
  }
  return out;
}

/** Whether a method is the trait's own declaration (with or without a provided body), not an impl's. */
function isDeclaredInTrait(sym: Sym): boolean {
  const def = sym.def;
  return def !== null && "kind" in def && def.kind === "fn" && def.owner?.kind === "trait";
}

function innermost(fns: readonly A.FnItem[], offset: number): A.FnItem | null {
  let best: A.FnItem | null = null;
  for (const f of fns) {
    const { start, end } = spanOffsets(f.span);
    if (start <= offset && offset < end && (!best || start >= spanOffsets(best.span).start)) best = f;
  }
  return best;
}

/**
 * `callHierarchy/incomingCalls`: the functions that mention this one, with where: in the
 * program's files and, for a function the stdlib declares, in the stdlib's own files.
 */
export function incomingCalls(pipeline: DocumentPipeline, item: CallHierarchyItem, token?: CancellationToken): CallHierarchyIncomingCall[] {
  const target = itemSym(pipeline, item);
  if (!target) return [];
  const byCaller = new Map<A.FnItem, CallHierarchyIncomingCall>();
  const fnsOf = new Map<string, A.FnItem[]>();
  const out: CallHierarchyIncomingCall[] = [];
  const trait = traitOfMethod(target.sym.def);
  const isTraitDecl = trait !== null && isDeclaredInTrait(target.sym);
  const key = symbolKey(target.sym);
  // A trait method's family: a call the trait dispatches (through a bound, `dyn`, or from a
  // provided method) may reach every impl's method, so it is a call of each of them and of
  // the trait's declaration; a call of one impl's method is one of the declaration too.
  const occurrences = findOccurrences(pipeline, someModel(pipeline, target.file.doc), target.sem, target.sym, { token, family: trait !== null });
  for (const o of occurrences) {
    if (o.isDecl) continue;
    if (trait && !isTraitDecl && symbolKey(o.ref.sym) !== key && !isDeclaredInTrait(o.ref.sym)) continue;
    let fns = fnsOf.get(o.uri);
    if (!fns) fnsOf.set(o.uri, (fns = functions(o.in.items())));
    const caller = innermost(fns, o.ref.start);
    if (!caller) continue;
    let call = byCaller.get(caller);
    if (!call) {
      const at = spanOffsets(caller.name.span).start;
      const callerSym = o.in.semantics().refAt(at)?.sym;
      const from = callerSym ? callItem(pipeline, callerSym, { uri: o.uri, offset: at }) : null;
      if (!from) continue;
      byCaller.set(caller, (call = { from, fromRanges: [] }));
      out.push(call);
    }
    call.fromRanges.push(o.range);
  }
  return out;
}

/**
 * `callHierarchy/outgoingCalls`: the functions this one's body mentions, with where (a
 * stdlib function's too); a call through a trait lists the trait's method. For a trait's
 * method itself, also each impl's method, where the trait dispatches to (at the
 * declaration's name), so the hierarchy goes on into the impls.
 */
export function outgoingCalls(pipeline: DocumentPipeline, item: CallHierarchyItem, token?: CancellationToken): CallHierarchyOutgoingCall[] {
  const sym = itemSym(pipeline, item)?.sym;
  const decl: Span | null | undefined = sym?.decl;
  const file = decl ? programFileAt(pipeline, { name: decl.file }) : null;
  if (!sym || !decl || !file) return [];
  const sem = file.semantics();
  const declStart = spanOffsets(decl).start;
  const fn = functions(file.items()).find((f) => spanOffsets(f.name.span).start === declStart);
  if (!fn) return [];
  const lines = file.lines();
  const byCallee = new Map<string, CallHierarchyOutgoingCall>();
  const trait = traitOfMethod(sym.def);
  const traitSym = trait && isDeclaredInTrait(sym) ? sem.symFor(trait) : null;
  if (traitSym) {
    const at = lines.spanToRange(fn.name.span);
    for (const impl of implMethods(pipeline, someModel(pipeline, file.doc), traitSym, sym.name, token)) {
      const start = spanOffsets(impl.fn.name.span).start;
      const implSym = impl.file.semantics().refAt(start)?.sym;
      const key = implSym ? symbolKey(implSym) : null;
      const to = implSym && key ? callItem(pipeline, implSym, { uri: impl.file.uri, offset: start }) : null;
      if (to && key && !byCallee.has(key)) byCallee.set(key, { to, fromRanges: [at] });
    }
  }
  if (fn.body.kind !== "block") return [...byCallee.values()];
  const { start, end } = spanOffsets(fn.body.block.span);
  for (const r of sem.refs) {
    if (r.start < start || r.end > end || r.isDecl || !CALLABLE.has(r.sym.kind)) continue;
    const key = symbolKey(r.sym);
    if (!key) continue;
    let call = byCallee.get(key);
    if (!call) {
      const to = callItem(pipeline, r.sym, { uri: file.uri, offset: r.start });
      if (!to) continue;
      byCallee.set(key, (call = { to, fromRanges: [] }));
    }
    call.fromRanges.push(lines.offsetsToRange(r.start, r.end));
  }
  return [...byCallee.values()];
}

// ---------------------------------------------------------------------------
// Workspace symbols

/** Most symbols returned for one query; clients filter further as the user types. */
export const MAX_WORKSPACE_SYMBOLS = 1000;

/** Whether the query's characters appear in the name in order (case-insensitive). */
export function fuzzyMatch(query: string, name: string): boolean {
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  let i = 0;
  for (let j = 0; i < q.length && j < n.length; j++) if (q[i] === n[j]) i++;
  return i === q.length;
}

/** `workspace/symbol`: the items of every document of the workspace whose names match. */
export function workspaceSymbols(pipeline: DocumentPipeline, query: string, token?: CancellationToken): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  const visit = (uri: string, list: readonly DocumentSymbol[], container: string | undefined): void => {
    for (const s of list) {
      if (out.length >= MAX_WORKSPACE_SYMBOLS) return;
      if (fuzzyMatch(query, s.name)) out.push({ name: s.name, kind: s.kind, location: { uri, range: s.selectionRange }, ...(container ? { containerName: container } : {}) });
      if (s.children) visit(uri, s.children, s.name);
    }
  };
  for (const d of sortedDocs(pipeline)) {
    if (token?.isCancellationRequested || out.length >= MAX_WORKSPACE_SYMBOLS) break;
    visit(d.uri, documentSymbols(d), undefined);
  }
  return out;
}

function sortedDocs(pipeline: DocumentPipeline): OpenDocument[] {
  return pipeline.all().sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
}
