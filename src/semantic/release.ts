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
import { OffsetSpan, type SourceFile } from "../syntax/source.js";
import { deferredFunctions, releaseBodies } from "../syntax/lazy-bodies.js";
import type { Sema } from "./context.js";
import type { BodyInfo } from "./tables.js";
import type { LocalDef } from "./defs.js";
import type { BodyMarks } from "./rules.js";

/** Whether `item` has deferred function bodies: they are checked and let go one item at a time. */
export function hasDeferredBodies(item: A.Item): boolean {
  return deferredFunctions(item).length > 0;
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
  const places: Places = { source: null, ranges: [], exact: [] };
  deferredPlaces(item, places);
  // What the bodies recorded is keyed by nodes inside them (the checker's own nodes, such
  // as the names a format string captures, take the span of what they stand for): a
  // node's place says whose it is, without walking the bodies again.
  const { source, ranges, exact } = places;
  const inBodies = (k: unknown): boolean => {
    if (typeof k !== "object" || k === null) return false;
    const span = (k as { span?: unknown }).span;
    if (!(span instanceof OffsetSpan) || span.source !== source) return exact.includes(k);
    const at = span.startOffset;
    for (let i = 0; i < ranges.length; i += 2) if (at >= ranges[i]! && at < ranges[i + 1]!) return true;
    return exact.includes(k);
  };
  const own = (l: LocalDef): boolean => infos.some((b) => l.id >= b.localIds[0] && l.id < b.localIds[1]);
  const ownLocal = (x: unknown): boolean => typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "local" && own(x as LocalDef);
  // A local's binding may be keyed by a node the checker made (the `self` name): its local decides.
  const keep = (k: unknown, v: unknown): boolean => !ownLocal(k) && !ownLocal(v) && !inBodies(k);
  for (const table of t.scopedMaps()) table.close(keep);
  // Uses of `static mut` items stay, with whether each is written: the determinism pass reads them at the end.
  const staticUses = new Set<object>();
  for (let i = marks.staticMutUses; i < t.staticMutUses.length; i++) staticUses.add(t.staticMutUses[i]!.path);
  for (const set of [t.abiTailStmts, t.writeTargets, t.explicitStaticBorrows] as Set<object>[]) {
    for (const n of set) if (!staticUses.has(n) && inBodies(n)) set.delete(n);
  }
  for (let i = marks.calls; i < t.calls.length; i++) {
    const e = t.calls[i]!;
    t.calls[i] = { ...e, node: { kind: "ErrorExpr", span: e.span } as A.Expr };
  }
  for (const b of infos) (b as { body: BodyInfo["body"] }).body = EMPTY_BODY;
  releaseBodies(item);
}

/** Where an item's deferred bodies are: their file, offset ranges (start, end pairs), and nodes outside them that are theirs. */
interface Places {
  source: SourceFile | null;
  readonly ranges: number[];
  readonly exact: object[];
}

/**
 * The places of `item`'s deferred bodies and of their parameters' patterns, and the `self`
 * parameters themselves (`exact`: their types are the signature's).
 */
function deferredPlaces(item: A.Item, out: Places): void {
  for (const f of deferredFunctions(item)) {
    out.source = f.body.source;
    out.ranges.push(f.body.start, f.body.end);
    for (const p of f.params) {
      const span = p.pattern.span as OffsetSpan;
      out.ranges.push(span.startOffset, Math.max(span.endOffset, span.startOffset + 1));
    }
    if (f.selfParam) out.exact.push(f.selfParam);
  }
}
