/**
 * A diagnostics-only check (`dplc check`) of a file whose function bodies were deferred by
 * the parser (syntax/lazy-bodies.ts) lets go of each item's bodies once they are typed and
 * judged (rules.ts, `judgeBodiesNow`): their entries leave the tables and the parsed
 * blocks are released, so that the memory of a large file's check is that of its
 * declarations and of one item's bodies at a time, not of the whole typed tree.
 *
 * What the passes at the end of the check still read is kept: the call graph (with a
 * stand-in for each call's node), the uses of `static mut` items and whether each is
 * written, the `xdv_call`s, the `unsafe` blocks, the definitions of items declared inside
 * bodies. The bodies' entries in `tables.bodies` stay, emptied, as the keys of the verdicts
 * the end-of-check passes replay.
 */
import type * as A from "../syntax/ast.js";
import { OffsetSpan } from "../syntax/source.js";
import { LazyBlockBody, releaseBodies } from "../syntax/lazy-bodies.js";
import type { Sema } from "./context.js";
import type { BodyInfo } from "./tables.js";
import type { LocalDef } from "./defs.js";
import type { BodyMarks } from "./rules.js";

/**
 * Whether `item` has a deferred function body of its own or of its methods: its bodies are
 * checked and let go one item at a time. An inline module's items are not the `mod` item's:
 * they are checked (and let go) with that module, one item at a time too; counting them
 * here read every body of the module at once when the `mod` item was let go.
 */
export function hasDeferredBodies(item: A.Item): boolean {
  switch (item.kind) {
    case "FnItem":
      return item.body instanceof LazyBlockBody;
    case "ImplItem":
    case "TraitItem":
      return item.items.some(hasDeferredBodies);
    default:
      return false;
  }
}

const EMPTY_BODY: A.Block = { kind: "Block", stmts: [], tail: null, span: undefined as unknown as A.Block["span"] };

/** Forget the bodies of `item` typed since `marks` (see the module comment). */
export function releaseItemBodies(s: Sema, item: A.Item, marks: BodyMarks): void {
  const t = s.tables;
  const infos = t.bodies.slice(marks.bodies);
  const roots: A.Block[] = [];
  deferredBlocks(item, roots);
  const keep = new Set<object>();
  for (let i = marks.staticMutUses; i < t.staticMutUses.length; i++) keep.add(t.staticMutUses[i]!.path);
  const keyed = (Object.entries(t) as [string, unknown][])
    .filter(([name, v]) => name !== "itemDefs" && (v instanceof Map || v instanceof Set))
    .map(([, v]) => v as Map<object, unknown> | Set<object>);
  const forget = (n: object): void => {
    if (keep.has(n)) return;
    for (const tb of keyed) tb.delete(n);
    t.callRes.forget(n as A.CallExpr);
  };
  for (const root of roots) {
    walkNodes(root, (n) => {
      // Nodes the checker made for this one (captured names in format strings, shorthand fields).
      const caps = t.macroCaptures.get(n as A.MacroCallExpr);
      if (caps) for (const c of caps) walkNodes(c, forget);
      const short = t.shorthandFields.get(n as A.FieldInit);
      if (short) walkNodes(short, forget);
      forget(n);
    });
  }
  const own = (l: LocalDef): boolean => infos.some((b) => l.id >= b.localIds[0] && l.id < b.localIds[1]);
  // Parameters are bound by nodes of the signature, which the walk above does not visit.
  for (const [node, l] of t.bindings) if (own(l)) t.bindings.delete(node);
  for (const l of t.localUses.keys()) if (own(l)) t.localUses.delete(l);
  for (const l of t.letInits.keys()) if (own(l)) t.letInits.delete(l);
  for (let i = marks.calls; i < t.calls.length; i++) {
    const e = t.calls[i]!;
    t.calls[i] = { ...e, node: { kind: "ErrorExpr", span: e.span } as A.Expr };
  }
  for (const b of infos) (b as { body: BodyInfo["body"] }).body = EMPTY_BODY;
  releaseBodies(item);
}

/** The parsed blocks of `item`'s deferred bodies (reading a released one would parse it again). */
function deferredBlocks(item: A.Item, out: A.Block[]): void {
  switch (item.kind) {
    case "FnItem":
      if (item.body instanceof LazyBlockBody) out.push(item.body.block);
      return;
    case "ImplItem":
    case "TraitItem":
      for (const it of item.items) deferredBlocks(it, out);
      return;
    default:
      return;
  }
}

/** Every node under `root` (objects with a `kind`), with a stack: chains may be thousands of links long. */
function walkNodes(root: object, visit: (n: object) => void): void {
  const stack: unknown[] = [root];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== "object" || v instanceof OffsetSpan) continue;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
      continue;
    }
    if (seen.has(v)) continue;
    seen.add(v);
    if ("kind" in v) visit(v);
    for (const k in v) if (k !== "span") stack.push((v as Record<string, unknown>)[k]);
  }
}

