/**
 * Determinism and the kernel profile (language.md §6, XDV-050):
 *
 * - DPL6001: a `@deterministic` function, or any function of a kernel-profile module,
 *   reaches a nondeterministic primitive of the prelude (`wall_clock`, `random_u64`,
 *   `env_var`, `spawn_thread`), directly or through callees. The diagnostic names the call
 *   path. A callee that is itself checked as deterministic reports its own violation, so
 *   one mistake is reported once.
 * - DPL6002: kernel profile, recursion (a cycle in the call graph) without `@bounded(N)`.
 * - DPL6003: kernel profile, a `static mut` used other than through `&mut NAME`.
 * - DPL6004: kernel profile, `unsafe` in a function not marked `@audited`.
 */
import { raise } from "../diagnostics/messages/message.js";
import { Determinism } from "../diagnostics/messages/determinism.js";
import type * as A from "../syntax/ast.js";
import type { FnDef } from "./defs.js";
import { implSelfTy } from "./lower.js";
import { printTy } from "./types.js";
import type { Sema } from "./context.js";
import type { CallEdge, Tables } from "./tables.js";

const NONDETERMINISTIC = new Set(["wall_clock", "random_u64", "env_var", "spawn_thread"]);

function isNondeterministicPrimitive(f: FnDef): boolean {
  return NONDETERMINISTIC.has(f.name) && f.module.isPrelude && f.owner === null;
}

function checkedAsDeterministic(f: FnDef): boolean {
  return !f.module.isPrelude && (f.ann.deterministic || f.module.profile === "kernel");
}

/** For every function that can reach a primitive: the first edge of a shortest path to one. */
function pathsToPrimitives(edges: readonly CallEdge[]): Map<FnDef, CallEdge> {
  const reverse = new Map<FnDef, CallEdge[]>();
  for (const e of edges) {
    let l = reverse.get(e.callee);
    if (!l) reverse.set(e.callee, (l = []));
    l.push(e);
  }
  const next = new Map<FnDef, CallEdge>();
  const queue: FnDef[] = [];
  for (const e of edges) {
    if (isNondeterministicPrimitive(e.callee) && !next.has(e.caller)) {
      next.set(e.caller, e);
      queue.push(e.caller);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const f = queue[i]!;
    for (const e of reverse.get(f) ?? []) {
      if (next.has(e.caller) || isNondeterministicPrimitive(e.caller)) continue;
      next.set(e.caller, e);
      queue.push(e.caller);
    }
  }
  return next;
}

function pathFrom(start: CallEdge, next: Map<FnDef, CallEdge>): CallEdge[] {
  const out = [start];
  const seen = new Set<FnDef>([start.caller]);
  let cur = start.callee;
  while (!isNondeterministicPrimitive(cur) && !seen.has(cur)) {
    seen.add(cur);
    const e = next.get(cur);
    if (!e) break;
    out.push(e);
    cur = e.callee;
  }
  return out;
}

/**
 * A call of a trait's method through a type parameter or from a provided method (`self.base()`
 * in a default body) runs whichever impl the type has: an edge from the trait's method to
 * each impl's own version of it, so a path through dispatch is found (over-approximated:
 * every impl counts, as monomorphisation would see only some).
 */
function dispatchEdges(s: Sema, calls: readonly CallEdge[]): CallEdge[] {
  const out: CallEdge[] = [];
  const done = new Set<FnDef>();
  for (const e of calls) {
    const m = e.callee;
    const tr = m.owner;
    if (tr?.kind !== "trait" || done.has(m)) continue;
    done.add(m);
    for (const impl of s.impls.implsOfTrait(tr)) {
      const own = impl.methods.get(m.name);
      if (!own) continue;
      implSelfTy(s, impl);
      const node: A.Expr = { kind: "PathExpr", segments: [], span: own.nameSpan };
      out.push({ caller: m, callee: own, span: own.nameSpan, node });
    }
  }
  return out;
}

/** `S::base` for a method of an impl, the plain name otherwise. */
function shownName(s: Sema, f: FnDef): string {
  return f.owner?.kind === "impl" && f.owner.trait ? `${printTy(implSelfTy(s, f.owner))}::${f.name}` : f.name;
}

export function checkDeterminism(s: Sema, stdlibTables: Tables | null): void {
  const t = s.tables;
  // The paths to primitives cross the whole call graph (the stdlib's included), so they are
  // found again on every check, but only when some caller is checked as deterministic (user
  // code without `@deterministic` has none, and an edit there costs nothing here).
  let paths: Map<FnDef, CallEdge> | undefined;
  const pathsOnce = (): Map<FnDef, CallEdge> => {
    if (paths) return paths;
    const calls = stdlibTables && stdlibTables !== t ? [...stdlibTables.calls, ...t.calls] : t.calls;
    return (paths = pathsToPrimitives([...calls, ...dispatchEdges(s, calls)]));
  };
  for (const e of t.calls) {
    const f = e.caller;
    if (!checkedAsDeterministic(f)) continue;
    const next = pathsOnce();
    const g = e.callee;
    const direct = isNondeterministicPrimitive(g);
    // A deterministic callee reports its own violation.
    if (!direct && (!next.has(g) || checkedAsDeterministic(g))) continue;
    const path = direct ? [e] : pathFrom(e, next);
    const names = [f.name, ...path.map((x) => shownName(s, x.callee))];
    const prim = path[path.length - 1]!;
    const why = f.ann.deterministic ? Determinism.isDeterministic(f.name) : Determinism.isKernelCode(f.name);
    raise(s.report, e.span, Determinism.nondeterminism(why, prim.callee.name, names), { related: direct ? [] : [{ span: prim.span, message: Determinism.calledHere(prim.callee.name) }] });
  }
  checkRecursion(s);
  checkStaticMut(s);
  checkUnsafe(s);
}

/** Tarjan's strongly connected components over the kernel-profile functions of this world. */
function checkRecursion(s: Sema): void {
  const adj = new Map<FnDef, CallEdge[]>();
  for (const e of s.tables.calls) {
    if (e.caller.module.profile !== "kernel" || e.callee.module.profile !== "kernel") continue;
    let l = adj.get(e.caller);
    if (!l) adj.set(e.caller, (l = []));
    l.push(e);
  }
  const index = new Map<FnDef, number>();
  const low = new Map<FnDef, number>();
  const onStack = new Set<FnDef>();
  const stack: FnDef[] = [];
  let counter = 0;
  const sccs: FnDef[][] = [];
  const strong = (v: FnDef): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const e of adj.get(v) ?? []) {
      const w = e.callee;
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: FnDef[] = [];
      for (;;) {
        const w = stack.pop()!;
        onStack.delete(w);
        comp.push(w);
        if (w === v) break;
      }
      sccs.push(comp);
    }
  };
  for (const f of adj.keys()) if (!index.has(f)) strong(f);
  for (const comp of sccs) {
    const members = new Set(comp);
    for (const f of adj.keys()) {
      if (!members.has(f) || f.ann.bounded !== null) continue;
      const back = (adj.get(f) ?? []).find((e) => members.has(e.callee));
      if (!back) continue;
      const self = back.callee === f;
      const others = comp.filter((x) => x !== f).map((x) => `\`${x.name}\``);
      raise(s.report, back.span, self ? Determinism.selfRecursion(f.name) : Determinism.mutualRecursion(f.name, others), { related: [{ span: f.nameSpan, message: Determinism.noBound(f.name) }] });
    }
  }
}

function checkStaticMut(s: Sema): void {
  const t = s.tables;
  for (const u of t.staticMutUses) {
    if (u.module.profile !== "kernel" || t.explicitStaticBorrows.has(u.path)) continue;
    const name = u.path.segments.map((x) => x.name.name).join("::");
    const write = t.writeTargets.has(u.path);
    raise(s.report, u.path.span, Determinism.staticMut(name, write));
  }
}

function checkUnsafe(s: Sema): void {
  for (const u of s.tables.unsafeBlocks) {
    if (u.module.profile !== "kernel" || (u.fn && u.fn.ann.audited)) continue;
    raise(s.report, u.expr.span, Determinism.unauditedBlock(u.fn?.name ?? null), { related: u.fn ? [{ span: u.fn.nameSpan, message: Determinism.enclosingFunction() }] : [] });
  }
  for (const b of s.tables.bodies) {
    const f = b.fn;
    if (!f || !f.ast?.isUnsafe || f.module.profile !== "kernel" || f.ann.audited) continue;
    raise(s.report, f.nameSpan, Determinism.unauditedFn(f.name));
  }
}
