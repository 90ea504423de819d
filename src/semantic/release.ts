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

/**
 * Forget the bodies of `item` typed since `marks` (see the module comment). The scopes of
 * the tables were opened before they were typed (program.ts): what the bodies recorded is
 * dropped with them, what the check recorded of declarations meanwhile (a signature lowered
 * on first use) is kept.
 */
export function releaseItemBodies(s: Sema, item: A.Item, marks: BodyMarks): void {
  const t = s.tables;
  const infos = t.bodies.slice(marks.bodies);
  const roots: object[] = [];
  const exact: object[] = [];
  deferredRoots(item, roots, exact);
  const nodes = new Set<object>(exact);
  const add = (n: object): void => void nodes.add(n);
  for (const root of roots) {
    walkNodes(root, (n) => {
      // Nodes the checker made for this one (captured names in format strings, shorthand fields).
      const caps = t.macroCaptures.get(n as A.MacroCallExpr);
      if (caps) for (const c of caps) walkNodes(c, add);
      const short = t.shorthandFields.get(n as A.FieldInit);
      if (short) walkNodes(short, add);
      nodes.add(n);
    });
  }
  // Uses of `static mut` items stay, with whether each is written: the determinism pass reads them at the end.
  const staticUses = new Set<object>();
  for (let i = marks.staticMutUses; i < t.staticMutUses.length; i++) staticUses.add(t.staticMutUses[i]!.path);
  const own = (l: LocalDef): boolean => infos.some((b) => l.id >= b.localIds[0] && l.id < b.localIds[1]);
  const ownLocal = (x: unknown): boolean => typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "local" && own(x as LocalDef);
  // A local's binding may be keyed by a node the checker made (the `self` name): its local decides.
  const keep = (k: unknown, v: unknown): boolean => !nodes.has(k as object) && !ownLocal(k) && !ownLocal(v);
  for (const table of t.scopedMaps()) table.close(keep);
  for (const set of [t.abiTailStmts, t.writeTargets, t.explicitStaticBorrows] as Set<object>[]) {
    if (set.size === 0) continue;
    for (const n of nodes) if (!staticUses.has(n)) set.delete(n);
  }
  for (let i = marks.calls; i < t.calls.length; i++) {
    const e = t.calls[i]!;
    t.calls[i] = { ...e, node: { kind: "ErrorExpr", span: e.span } as A.Expr };
  }
  for (const b of infos) (b as { body: BodyInfo["body"] }).body = EMPTY_BODY;
  releaseBodies(item);
}

/**
 * What `item`'s deferred bodies recorded is keyed by: the nodes under their parsed blocks
 * (reading a released one would parse it again) and their parameters' patterns, and the
 * `self` parameters themselves (`exact`).
 */
function deferredRoots(item: A.Item, out: object[], exact: object[]): void {
  switch (item.kind) {
    case "FnItem":
      if (item.body instanceof LazyBlockBody) {
        out.push(item.body.block);
        for (const p of item.params) out.push(p.pattern);
        // `self` is bound by the parameter node itself (its type is the signature's: not walked).
        if (item.selfParam) exact.push(item.selfParam);
      }
      return;
    case "ImplItem":
    case "TraitItem":
      for (const it of item.items) deferredRoots(it, out, exact);
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

