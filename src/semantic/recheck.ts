/**
 * Re-checking one item after an edit inside one of its function bodies (the editor's
 * keystroke), reusing the checked program of the version before it.
 *
 * Types in DPL flow through signatures only: a body is typed from the signatures it uses,
 * never from other bodies. So when an edit stays inside the braces of one body, the
 * declarations of the whole world and the typing of every other body are what they were,
 * and only the edited item's bodies need typing again. The rule passes whose verdict on a
 * body reads that body only (moves, Φ aliasing, the capability parameter of `xdv_call`,
 * unused bindings) replay their verdicts on the other bodies (rules.ts, `RuleCache`); the
 * ones whose verdicts cross items (paths to nondeterministic primitives, recursion), the
 * declaration rules and the dustlang rules run again over the program.
 *
 * What is reused must be keyed by nodes that are still in the tree: the editor's
 * incremental parse moves the syntax of unchanged items in place, so their nodes (and the
 * tables keyed by them) survive; the edited item is a new subtree, whose signature nodes
 * take over the entries of the old ones (the signature text is the same) and whose bodies
 * are checked afresh. Anything this module cannot prove unaffected (an item list that
 * changed, a signature, a `use`, syntax errors, items declared inside the body, dustlang
 * processes) makes it decline, and the caller checks the whole program instead.
 * test/compiler/recheck.test.ts compares the result with a full check after random edits.
 */
import type * as A from "../syntax/ast.js";
import { OffsetSpan, type SourceFile, type Span } from "../syntax/source.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { ConstDef, FnDef, ImplDef, LocalDef } from "./defs.js";
import type { ParsedFile } from "./world.js";
import type { BodyInfo } from "./tables.js";
import type { CheckedProgram } from "./program.js";
import { finishUserWorld } from "./program.js";
import { checkItemBodies } from "./bodies.js";
import { spanKey } from "./context.js";
import { moveBodies } from "./ownership.js";
import { ruleCacheMaps } from "./rules.js";

/** One contiguous edit of a file: `[start, oldEnd)` of the old text became `[start, newEnd)`. */
export interface TextEdit {
  readonly start: number;
  readonly oldEnd: number;
  readonly newEnd: number;
}

/** The edit between two texts: their common prefix and suffix left out. */
export function textEdit(oldText: string, newText: string): TextEdit {
  const n = Math.min(oldText.length, newText.length);
  // Bisection on the length of the common prefix (then suffix): whether two runs are equal
  // is one native comparison, and the longest equal one is found in a few dozen of them,
  // where walking the text (by character or by blocks) costs more than the edit's check.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (oldText.slice(lo, mid) === newText.slice(lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  const p = lo;
  const a = oldText.length;
  const b = newText.length;
  lo = 0;
  hi = n - p;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (oldText.slice(a - mid, a - lo) === newText.slice(b - mid, b - lo)) lo = mid;
    else hi = mid - 1;
  }
  return { start: p, oldEnd: a - lo, newEnd: b - lo };
}

const offsets = (span: Span): { start: number; end: number } =>
  span instanceof OffsetSpan ? { start: span.startOffset, end: span.endOffset } : { start: span.start.offset, end: span.end.offset };

/**
 * A copy of a diagnostic with every span replaced through `f` (null: the span cannot be
 * carried over, and neither can the diagnostic).
 */
function mapSpans(d: Diagnostic, f: (s: OffsetSpan) => OffsetSpan | null): Diagnostic | null {
  let ok = true;
  const copy = (v: unknown): unknown => {
    if (v === null || typeof v !== "object") return v;
    if (v instanceof OffsetSpan) {
      const m = f(v);
      if (!m) ok = false;
      return m;
    }
    if (Array.isArray(v)) return v.map(copy);
    // A span that is not an OffsetSpan (a plain position record) cannot be re-bound.
    if ("start" in v && "end" in v && "file" in v) {
      ok = false;
      return v;
    }
    const out: Record<string, unknown> = {};
    for (const k in v) out[k] = copy((v as Record<string, unknown>)[k]);
    return out;
  };
  const r = copy(d) as Diagnostic;
  return ok ? r : null;
}

/**
 * Give the stored diagnostics spans of their own: the incremental parse moves the spans of
 * syntax in place, and a diagnostic sharing one would move with it and then again when
 * the re-check carries it over.
 */
export function detachRecheckState(p: CheckedProgram): boolean {
  const st = p.recheck;
  const detach = (d: Diagnostic): Diagnostic | null => mapSpans(d, (s) => new OffsetSpan(s.source, s.startOffset, s.endOffset));
  const decl = st.declDiagnostics.map(detach);
  if (decl.some((d) => d === null)) return false;
  st.declDiagnostics = decl as Diagnostic[];
  for (const [it, ds] of st.bodyDiagnostics) {
    const out = ds.map(detach);
    if (out.some((d) => d === null)) return false;
    st.bodyDiagnostics.set(it, out as Diagnostic[]);
  }
  for (const byBody of [st.moves.byBody, ...ruleCacheMaps(st.rules)]) {
    for (const [b, ds] of byBody) {
      const out = ds.map(detach);
      if (out.some((d) => d === null)) return false;
      byBody.set(b, out as Diagnostic[]);
    }
  }
  return true;
}

/**
 * The per-body verdicts of the bodies an item re-check keeps (those `typedAgain` does not
 * claim), carried over to the new text; null if one cannot be.
 */
function keptVerdicts(byBody: ReadonlyMap<BodyInfo, Diagnostic[]>, typedAgain: (b: BodyInfo) => boolean, carry: (d: Diagnostic) => Diagnostic | null): Map<BodyInfo, Diagnostic[]> | null {
  const out = new Map<BodyInfo, Diagnostic[]>();
  for (const [b, ds] of byBody) {
    if (typedAgain(b)) continue;
    if (ds.length === 0) {
      out.set(b, ds);
      continue;
    }
    const moved = ds.map(carry);
    if (moved.some((d) => d === null)) return null;
    out.set(b, moved as Diagnostic[]);
  }
  return out;
}

/** The functions (with their bodies) and constants an item declares. */
function membersOf(item: A.Item): { fns: A.FnItem[]; consts: A.ConstItem[] } | null {
  if (item.kind === "FnItem") return { fns: [item], consts: [] };
  if (item.kind === "ImplItem") {
    return { fns: item.items.filter((i): i is A.FnItem => i.kind === "FnItem"), consts: item.items.filter((i): i is A.ConstItem => i.kind === "ConstItem") };
  }
  return null;
}

/** Every node under `v` (objects with a `kind`), spans left out. */
function collectNodes(v: unknown, out: Set<object>): void {
  if (v === null || typeof v !== "object" || v instanceof OffsetSpan) return;
  if (Array.isArray(v)) {
    for (const x of v) collectNodes(x, out);
    return;
  }
  if ("kind" in v) {
    if (out.has(v)) return;
    out.add(v);
  }
  for (const k in v) collectNodes((v as Record<string, unknown>)[k], out);
}

function containsItemStmt(v: unknown): boolean {
  if (v === null || typeof v !== "object" || v instanceof OffsetSpan) return false;
  if (Array.isArray(v)) return v.some(containsItemStmt);
  if ((v as { kind?: string }).kind === "ItemStmt") return true;
  for (const k in v) if (containsItemStmt((v as Record<string, unknown>)[k])) return true;
  return false;
}

/** The bodies of an item's members: what is typed again (function blocks, constant initializers). */
const isBodyField = (node: { kind?: string }, key: string): boolean => (node.kind === "FnItem" && key === "body") || (node.kind === "ConstItem" && key === "value");

/**
 * Pair the nodes and spans of two items outside their bodies; false if they differ there
 * (then the signature changed and the item cannot be re-checked alone).
 */
function pairOutsideBodies(a: unknown, b: unknown, pairs: Map<object, object>, edit: TextEdit): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (a instanceof OffsetSpan) {
    if (!(b instanceof OffsetSpan)) return false;
    // Spans around the edited body (the item's, the impl's) grow or shrink with it.
    const around = a.startOffset <= edit.start && a.endOffset >= edit.oldEnd;
    const grown = b.endOffset - b.startOffset - (a.endOffset - a.startOffset);
    if (grown !== (around ? edit.newEnd - edit.oldEnd : 0)) return false;
    pairs.set(a, b);
    return true;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!pairOutsideBodies(a[i], b[i], pairs, edit)) return false;
    return true;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  if (ra.kind !== rb.kind) return false;
  if ("kind" in ra) pairs.set(a, b);
  const keys = Object.keys(ra);
  if (keys.length !== Object.keys(rb).length) return false;
  for (const k of keys) {
    if (isBodyField(ra, k)) {
      const x = ra[k] as { kind?: string } | null;
      const y = rb[k] as { kind?: string } | null;
      if ((x === null) !== (y === null) || (x && y && x.kind !== y.kind)) return false;
      continue;
    }
    if (!pairOutsideBodies(ra[k], rb[k], pairs, edit)) return false;
  }
  return true;
}

/** The body-like subtrees of an item's members. */
function bodiesOf(item: A.Item): unknown[] {
  const m = membersOf(item)!;
  return [...m.fns.map((f) => f.body), ...m.consts.map((c) => c.value)];
}

/**
 * Re-check `newFile` (which replaced `oldFile` in the program `p` was checked from) by
 * typing only the item whose body the edit is in. Returns the program with the new
 * diagnostics, `p`'s tables updated in place; null when the edit is not of that kind (and
 * nothing was changed).
 */
export function recheckItem(p: CheckedProgram, oldFile: ParsedFile, newFile: ParsedFile, edit: TextEdit): CheckedProgram | null {
  const st = p.recheck;
  const s = p.sema;
  if (st.hasOverrides || oldFile.syntaxDiagnostics.length > 0 || newFile.syntaxDiagnostics.length > 0) return null;
  if (oldFile.source.name !== newFile.source.name) return null;
  const m = st.bodyModules.find((x) => x.items === oldFile.ast.items);
  if (!m) return null;
  const oldItems = oldFile.ast.items;
  const newItems = newFile.ast.items;
  if (oldItems.length !== newItems.length) return null;
  let k = -1;
  for (let i = 0; i < oldItems.length; i++) {
    if (oldItems[i] === newItems[i]) continue;
    if (k >= 0) return null;
    k = i;
  }
  if (k < 0) return null;
  const X = oldItems[k]!;
  const Y = newItems[k]!;
  const xm = membersOf(X);
  const ym = membersOf(Y);
  if (!xm || !ym || X.kind !== Y.kind || xm.fns.length !== ym.fns.length || xm.consts.length !== ym.consts.length) return null;
  if (xm.fns.some((f) => f.proc || f.synthetic) || ym.fns.some((f) => f.proc || f.synthetic)) return null;
  // The edit is strictly inside the braces of one function body, in both versions.
  const inBody = (fns: readonly A.FnItem[], end: number): boolean =>
    fns.some((f) => {
      if (f.body.kind !== "block") return false;
      const b = offsets(f.body.block.span);
      return b.start < edit.start && end < b.end;
    });
  if (!inBody(xm.fns, edit.oldEnd) || !inBody(ym.fns, edit.newEnd)) return null;
  if (containsItemStmt(bodiesOf(X)) || containsItemStmt(bodiesOf(Y))) return null;
  const def = s.tables.itemDefs.get(X);
  if (!def || (def.kind !== "fn" && def.kind !== "impl")) return null;
  const pairs = new Map<object, object>();
  if (!pairOutsideBodies(X, Y, pairs, edit)) return null;

  // The diagnostics of everything else, carried over to the new text.
  const name = newFile.source.name;
  const delta = edit.newEnd - edit.oldEnd;
  const carry = (d: Diagnostic): Diagnostic | null =>
    mapSpans(d, (sp) => {
      if (sp.source.name !== name) return sp;
      const move = (o: number): number | null => (o <= edit.start ? o : o >= edit.oldEnd ? o + delta : null);
      const a = move(sp.startOffset);
      const b = move(sp.endOffset);
      return a === null || b === null ? null : new OffsetSpan(newFile.source, a, b);
    });
  const decl = st.declDiagnostics.map(carry);
  if (decl.some((d) => d === null)) return null;
  const bodies = new Map<A.Item, Diagnostic[]>();
  for (const [it, ds] of st.bodyDiagnostics) {
    if (it === X) continue;
    const out = ds.map(carry);
    if (out.some((d) => d === null)) return null;
    bodies.set(it, out as Diagnostic[]);
  }

  const ownedBy = (fn: FnDef | null, c: ConstDef | null): boolean =>
    def.kind === "fn" ? fn === def : (fn !== null && fn.owner === def) || (c !== null && c.owner === def);
  const typedAgain = (b: BodyInfo): boolean => ownedBy(b.fn, b.const);
  const moves = keptVerdicts(st.moves.byBody, typedAgain, carry);
  if (!moves) return null;
  const rules: [Map<BodyInfo, Diagnostic[]>, Map<BodyInfo, Diagnostic[]>][] = [];
  for (const byBody of ruleCacheMaps(st.rules)) {
    const kept = keptVerdicts(byBody, typedAgain, carry);
    if (!kept) return null;
    rules.push([byBody, kept]);
  }

  // From here on `p` is changed; an exception leaves it unusable (the caller drops it).
  const t = s.tables;
  const fnDefs: FnDef[] = def.kind === "fn" ? [def] : [...def.methods.values()];
  const constDefs: ConstDef[] = def.kind === "impl" ? [...def.consts.values()] : [];
  const owned = new Set<object>([...fnDefs, ...constDefs]);

  // Forget what the old bodies recorded: their nodes, the nodes the checker synthesized for
  // them, their locals, their entries in the per-program lists.
  const bodyNodes = new Set<object>();
  collectNodes(bodiesOf(X), bodyNodes);
  for (const n of [...bodyNodes]) {
    const caps = t.macroCaptures.get(n as A.MacroCallExpr);
    if (caps) collectNodes(caps, bodyNodes);
    const short = t.shorthandFields.get(n as A.FieldInit);
    if (short) collectNodes(short, bodyNodes);
  }
  const oldBodyIdx: number[] = [];
  t.bodies.forEach((b, i) => {
    if ((b.fn && owned.has(b.fn)) || (b.const && owned.has(b.const))) oldBodyIdx.push(i);
  });
  const ranges = oldBodyIdx.map((i) => t.bodies[i]!.localIds);
  // Every local of the program is asked about: most are outside all the ranges at once.
  const first = Math.min(...ranges.map(([lo]) => lo));
  const end = Math.max(...ranges.map(([, hi]) => hi));
  const ownLocal = (l: LocalDef): boolean => l.id >= first && l.id < end && ranges.some(([lo, hi]) => l.id >= lo && l.id < hi);
  for (const [node, l] of t.bindings) if (ownLocal(l)) t.bindings.delete(node);
  for (const l of t.localUses.keys()) if (ownLocal(l)) t.localUses.delete(l);
  for (const l of t.letInits.keys()) if (ownLocal(l)) t.letInits.delete(l);
  const tables = Object.values(t) as unknown[];
  const keyed = tables.filter((v): v is Map<object, unknown> | Set<object> => v instanceof Map || v instanceof Set);
  for (const n of bodyNodes) {
    for (const tb of keyed) tb.delete(n);
    t.callRes.forget(n as A.CallExpr);
  }
  const mentionsBody = (e: object): boolean => {
    for (const k in e) if (bodyNodes.has((e as Record<string, object>)[k]!)) return true;
    return false;
  };
  for (const v of tables) {
    if (!Array.isArray(v) || v === t.bodies) continue;
    // Filtered in place: these lists hold an entry per call, use, ... of the whole program.
    let kept = 0;
    for (let i = 0; i < v.length; i++) if (!mentionsBody(v[i] as object)) v[kept++] = v[i];
    v.length = kept;
  }

  // The signature's entries move to the new nodes; the definitions point at the new syntax.
  for (const [a, b] of pairs) {
    for (const tb of keyed) {
      if (!tb.has(a)) continue;
      if (tb instanceof Map) tb.set(b, tb.get(a));
      else tb.add(b);
      tb.delete(a);
    }
    t.callRes.rekey(a as A.CallExpr, b as A.CallExpr);
  }
  const repoint = (o: object | null | undefined): void => {
    if (!o) return;
    const r = o as Record<string, unknown>;
    for (const key of Object.keys(r)) {
      const v = r[key];
      if (v !== null && typeof v === "object" && pairs.has(v)) r[key] = pairs.get(v);
    }
  };
  for (const f of fnDefs) {
    repoint(f);
    f.generics.forEach(repoint);
  }
  for (const c of constDefs) repoint(c);
  if (def.kind === "impl") {
    const impl = def as ImplDef;
    repoint(impl);
    impl.generics.forEach(repoint);
    for (const [n, a] of impl.assocTypes) impl.assocTypes.set(n, (pairs.get(a) as A.TypeAliasItem | undefined) ?? a);
  }
  for (const table of [m.values, m.types]) for (const b of table.values()) if (b.def && owned.has(b.def)) repoint(b);
  const oldSource = oldFile.source;
  for (const mod of p.world.modules) if (mod.source === oldSource || mod.source?.name === name) (mod as { source: SourceFile | null }).source = newFile.source;
  (m as { items: readonly A.Item[] }).items = newItems;

  // Type the new bodies, with the program's other diagnostics known (a diagnostic at a
  // place already reported is kept once, as in a full check).
  const world = p.world;
  world.diagnostics.length = 0;
  s.reported.clear();
  const keep = [...(decl as Diagnostic[]), ...[...bodies.values()].flat()];
  for (const d of keep) s.reported.add(spanKey(d.code, d.span));
  const before = t.bodies.length;
  checkItemBodies(s, st.host, Y);
  moveBodies(t, oldBodyIdx, before);
  const fresh = world.diagnostics.slice();
  if (fresh.length > 0) bodies.set(Y, fresh);

  st.declDiagnostics = decl as Diagnostic[];
  st.bodyDiagnostics.clear();
  world.diagnostics.length = 0;
  world.diagnostics.push(...st.declDiagnostics);
  for (const mod of st.bodyModules) {
    for (const it of mod.items) {
      const ds = bodies.get(it);
      if (!ds) continue;
      st.bodyDiagnostics.set(it, ds);
      world.diagnostics.push(...ds);
    }
  }
  st.files = st.files.map((f) => (f === oldFile ? newFile : f));
  st.moves.byBody.clear();
  for (const [b, ds] of moves) st.moves.byBody.set(b, ds);
  for (const [byBody, kept] of rules) {
    byBody.clear();
    for (const [b, ds] of kept) byBody.set(b, ds);
  }
  const diagnostics = finishUserWorld(s, st, p.stdlib, new Map());
  if (!detachRecheckState(p)) throw new Error("a diagnostic of the re-checked item has a span that cannot be carried over");
  return { ...p, diagnostics };
}

/**
 * What an editor keeps between checks of one program so that the next check can re-type
 * one item: the program last checked and the files it was checked from. The language
 * server holds one and passes it to `analyze` (compiler/analyze.ts), which decides.
 */
export class CheckSession {
  program: CheckedProgram | null = null;
  files: readonly ParsedFile[] = [];
  options: object | null = null;
  /** How the last check was made: the whole program, or one item re-typed. */
  lastKind: "full" | "item" = "full";
  /** Counts of both kinds (the differential test and the benchmark read them). */
  fullChecks = 0;
  itemChecks = 0;
}
