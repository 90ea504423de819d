/**
 * Name resolution in module scopes: a module's own items and imports, then its glob
 * imports, then (for block scopes) the enclosing scope, then the prelude, then the
 * builtin types. A module's own definitions therefore shadow prelude items
 * (language.md §8). Imports are resolved on first use and memoized.
 *
 * Paths: `crate::`, `self::`, `super::`, a module or type in scope, or a stdlib root
 * (`runtime::domain::q_api::submit_q_job`).
 *
 * Unresolved names get a "did you mean" suggestion (edit distance, at the end).
 */
import { raise } from "../diagnostics/messages/message.js";
import { Unresolved } from "../diagnostics/messages/unresolved.js";
import type * as A from "../syntax/ast.js";
import type { Binding, Def, EnumDef, ImportCell, ModuleDef, PrimDef } from "./defs.js";
import { defName, describeDef } from "./defs.js";
import type { Reporter } from "./annotations.js";
import { PRIM_NAMES } from "./types.js";
import { didYouMeanFix } from "./fixes.js";

export type Ns = "type" | "value";

/** Type constructors the compiler provides: primitives, `Vec`, `Iter` (every iterator), and the domain wrappers. */
const BUILTIN_TYPE_NAMES: readonly string[] = [...PRIM_NAMES, "Vec", "Iter", "Box", "K", "Q", "Φ", "Phi", "DomainType"];
const primDefs = new Map<string, PrimDef>(BUILTIN_TYPE_NAMES.map((n) => [n, { kind: "prim", name: n }]));
/** The builtin type constructors by name (the stdlib cache refers to them by name, not by copy). */
export const PRIM_DEFS: ReadonlyMap<string, PrimDef> = primDefs;

function primDef(name: string): PrimDef | undefined {
  return primDefs.get(name);
}

/** `Phi` is an ASCII alias of `Φ` everywhere (language.md §2). */
export function altName(name: string): string | null {
  return name === "Phi" ? "Φ" : name === "Φ" ? "Phi" : null;
}

export interface Resolver {
  readonly report: Reporter;
  /** Top-level stdlib modules by name (`runtime`, `abi`, `kernel`, ...). */
  readonly stdlibRoots: ReadonlyMap<string, ModuleDef>;
  /** Where each resolved path segment (and `use` leaf) leads: the model's per-name resolution. */
  readonly segments?: Map<A.Ident, Def>;
}

function isAncestorOrSelf(anc: ModuleDef, m: ModuleDef): boolean {
  for (let x: ModuleDef | null = m; x; x = x.parent ?? x.outer) if (x === anc) return true;
  return false;
}

/** Private items are visible in their module and its descendants (Rust's rule). */
function visibleFrom(owner: ModuleDef, isPub: boolean, from: ModuleDef): boolean {
  return isPub || isAncestorOrSelf(owner, from);
}

function bindingDef(r: Resolver, b: Binding, ns: Ns): Def | null {
  if (!b.import) return b.def;
  resolveImport(r, b.import);
  return ns === "type" ? b.import.type : b.import.value;
}

/** A module's own items and imports (not globs, not the prelude). */
function lookupDirect(r: Resolver, m: ModuleDef, name: string, ns: Ns, from: ModuleDef): Def | null {
  const map = ns === "type" ? m.types : m.values;
  let b = map.get(name);
  const alt = altName(name);
  if (!b && alt) b = map.get(alt);
  if (!b) return null;
  if (!visibleFrom(m, b.isPub, from)) return null;
  return bindingDef(r, b, ns);
}

/** Items of `m` as seen by a module outside it: own items, imports and pub globs. */
export function lookupInModule(r: Resolver, m: ModuleDef, name: string, ns: Ns, from: ModuleDef): Def | null {
  const d = lookupDirect(r, m, name, ns, from);
  if (d) return d;
  // Most modules have no glob imports: no visited set to allocate.
  if (m.globs.length === 0) return null;
  return lookupThroughGlobs(r, m, name, ns, from, new Set());
}

/**
 * The glob imports of `m`, depth first. Each module is searched once per lookup: what it
 * yields depends on the module, the name and `from`, not on the path that reached it. A
 * guard on the current path alone made a lookup walk every simple path, exponential in a
 * group of modules that glob each other (the files of a dustlang directory share their
 * forges that way).
 */
function lookupThroughGlobs(r: Resolver, m: ModuleDef, name: string, ns: Ns, from: ModuleDef, seen: Set<ModuleDef>): Def | null {
  seen.add(m);
  for (const g of m.globs) {
    if (!visibleFrom(m, g.isPub, from)) continue;
    const t = globTarget(r, m, g);
    if (!t) continue;
    if (t.kind === "enum") {
      const v = variantIn(t, name, ns);
      if (v) return v;
      continue;
    }
    if (seen.has(t)) continue;
    const found = lookupDirect(r, t, name, ns, from) ?? (t.globs.length > 0 ? lookupThroughGlobs(r, t, name, ns, from, seen) : null);
    if (found) return found;
    seen.add(t);
  }
  return null;
}

function variantIn(e: EnumDef, name: string, ns: Ns): Def | null {
  const v = e.variantMap.get(name) ?? (altName(name) ? e.variantMap.get(altName(name)!) : undefined);
  if (!v) return null;
  if (ns === "value" && v.shape === "struct") return null;
  return v;
}

function globTarget(r: Resolver, m: ModuleDef, g: ModuleDef["globs"][number]): ModuleDef | EnumDef | null {
  if (g.target !== undefined) return g.target;
  g.target = null;
  const t = resolveContainer(r, m, g.path);
  if (t && (t.kind === "module" || t.kind === "enum")) g.target = t;
  else if (t) {
    raise(r.report, g.span, Unresolved.globFromNonModule(describeDef(t), defName(t)));
  }
  return g.target;
}

/** Unqualified lookup from inside module `m`: own scope, globs, enclosing blocks, prelude, builtins. */
export function lookupUnqualified(r: Resolver, m: ModuleDef, name: string, ns: Ns): Def | null {
  for (let s: ModuleDef | null = m; s; s = s.outer) {
    const d = lookupInModule(r, s, name, ns, m);
    if (d) return d;
  }
  const p = m.prelude;
  if (p) {
    const map = ns === "type" ? p.types : p.values;
    const d = map.get(name) ?? (altName(name) ? map.get(altName(name)!) : undefined);
    if (d) return d;
  }
  if (ns === "type") return primDef(name) ?? null;
  return null;
}

/** Names visible unqualified in `m`, for suggestions (deterministic order). */
export function namesInScope(m: ModuleDef, ns: Ns): string[] {
  const out: string[] = [];
  for (let s: ModuleDef | null = m; s; s = s.outer) {
    out.push(...(ns === "type" ? s.types : s.values).keys());
  }
  if (m.prelude) out.push(...(ns === "type" ? m.prelude.types : m.prelude.values).keys());
  if (ns === "type") out.push(...BUILTIN_TYPE_NAMES);
  return out;
}

function resolveImport(r: Resolver, cell: ImportCell): void {
  if (cell.state === "done" || cell.state === "failed") return;
  if (cell.state === "resolving") {
    raise(r.report, cell.span, Unresolved.importCycle(cell.path.map((i) => i.name).join("::")));
    cell.state = "failed";
    return;
  }
  cell.state = "resolving";
  const path = cell.path;
  const last = path[path.length - 1]!;
  if (path.length === 1) {
    // `use runtime;` or `use foo;`: a stdlib root or an item of the parent scope.
    const root = r.stdlibRoots.get(last.name);
    if (root) r.segments?.set(last, root);
    cell.type = root ?? null;
    cell.state = root ? "done" : "failed";
    if (!root) raise(r.report, last.span, Unresolved.unresolvedImportRoot(last.name));
    return;
  }
  const container = resolveContainer(r, cell.module, path.slice(0, -1));
  if (!container) {
    cell.state = "failed";
    return;
  }
  const found = memberOf(r, container, last.name, cell.module);
  cell.type = found.type;
  cell.value = found.value;
  const leaf = found.type ?? found.value;
  if (leaf) r.segments?.set(last, leaf);
  if (!found.type && !found.value) {
    cell.state = "failed";
    const hidden = found.hidden;
    if (hidden) {
      raise(r.report, last.span, Unresolved.privateTo(last.name, defName(container), `mark it \`pub\` in \`${defName(container)}\` to import it from here`));
    } else {
      const similar = didYouMeanFix(last.name, last.span, memberNames(container));
      raise(r.report, last.span, Unresolved.unresolvedImport(last.name, defName(container), similar.help), { suggestions: similar.suggestions });
    }
    return;
  }
  cell.state = "done";
}

/** Everything named `name` inside a container, in both namespaces. */
export function memberOf(r: Resolver, c: Def, name: string, from: ModuleDef): { type: Def | null; value: Def | null; hidden: boolean } {
  if (c.kind === "module") {
    const type = lookupInModule(r, c, name, "type", from);
    const value = lookupInModule(r, c, name, "value", from);
    const hidden = !type && !value && (c.types.has(name) || c.values.has(name));
    return { type, value, hidden };
  }
  if (c.kind === "enum") {
    return { type: variantIn(c, name, "type"), value: variantIn(c, name, "value"), hidden: false };
  }
  if (c.kind === "trait") {
    const f = c.methods.get(name) ?? null;
    return { type: null, value: f, hidden: false };
  }
  return { type: null, value: null, hidden: false };
}

export function memberNames(c: Def): string[] {
  if (c.kind === "module") return [...c.types.keys(), ...c.values.keys()];
  if (c.kind === "enum") return c.variants.map((v) => v.name);
  if (c.kind === "trait") return [...c.methods.keys()];
  return [];
}

/**
 * Resolve a path prefix (all segments but the last) to a module, enum, trait or other
 * type definition. Reports and returns null on failure. Paths never start with a local.
 */
export function resolveContainer(r: Resolver, from: ModuleDef, segs: readonly A.Ident[]): Def | null {
  let cur: Def | null = null;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const name = seg.name;
    if (i === 0) {
      if (name === "crate") cur = from.root;
      else if (name === "self") cur = nearestModule(from);
      else if (name === "super") {
        const p = nearestModule(from).parent;
        if (!p) {
          raise(r.report, seg.span, Unresolved.superAtRoot());
          return null;
        }
        cur = p;
      } else {
        cur = lookupUnqualified(r, from, name, "type") ?? r.stdlibRoots.get(name) ?? null;
        if (!cur) {
          const similar = didYouMeanFix(name, seg.span, [...namesInScope(from, "type"), ...r.stdlibRoots.keys()]);
          raise(r.report, seg.span, Unresolved.noModuleOrType(name, similar.help), { suggestions: similar.suggestions });
          return null;
        }
      }
      r.segments?.set(seg, cur);
      continue;
    }
    if (name === "super" && cur && cur.kind === "module") {
      if (!cur.parent) {
        raise(r.report, seg.span, Unresolved.noParentHere());
        return null;
      }
      cur = cur.parent;
      continue;
    }
    const c: Def = cur!;
    if (c.kind !== "module" && c.kind !== "enum" && c.kind !== "trait") {
      // `Type::Assoc::x`: associated items of types are resolved by the type checker.
      raise(r.report, seg.span, Unresolved.cannotLookInside(name, describeDef(c), defName(c)));
      return null;
    }
    const m = memberOf(r, c, name, from);
    const next = m.type;
    if (!next) {
      if (m.hidden) raise(r.report, seg.span, Unresolved.privateTo(name, defName(c)));
      else {
        const similar = didYouMeanFix(name, seg.span, memberNames(c));
        raise(r.report, seg.span, Unresolved.unresolvedPath(name, defName(c), similar.help), { suggestions: similar.suggestions });
      }
      return null;
    }
    cur = next;
    r.segments?.set(seg, cur);
  }
  return cur;
}

function nearestModule(m: ModuleDef): ModuleDef {
  let x = m;
  while (x.outer) x = x.outer;
  return x;
}

/** Resolve every import of a module now, so unresolved imports are reported even if unused. */
export function validateImports(r: Resolver, m: ModuleDef): void {
  for (const b of m.types.values()) if (b.import) resolveImport(r, b.import);
  for (const g of m.globs) globTarget(r, m, g);
}


// ---------------------------------------------------------------------------
// "Did you mean `x`?": the closest candidate within a small edit distance. Only runs on
// the error path, so a linear scan over the names in scope is fine.

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prevPrev: number[] = [];
  let prev: number[] = [];
  for (let j = 0; j <= b.length; j++) prev.push(j);
  for (let i = 1; i <= a.length; i++) {
    const cur: number[] = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      // Swapping two adjacent characters counts as one edit (`sqaure` for `square`).
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prevPrev[j - 2]! + 1);
      cur.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return limit + 1;
    prevPrev = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The best suggestion for `name` among `candidates`: smallest distance, then the first
 * in candidate order (callers pass candidates in a deterministic order).
 */
export function closestName(name: string, candidates: Iterable<string>): string | null {
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  let best: string | null = null;
  let bestD = limit + 1;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    if (c === name) continue;
    // Case-only differences are always worth suggesting (`Vec` for `vec`).
    const d = c.toLowerCase() === lower ? 0.5 : editDistance(name, c, limit);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

export function didYouMean(name: string, candidates: Iterable<string>, quote: (s: string) => string = (s) => `\`${s}\``): string | undefined {
  const c = closestName(name, candidates);
  return c ? `did you mean ${quote(c)}?` : undefined;
}
