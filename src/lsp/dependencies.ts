/**
 * Which open documents a document depends on, read from its syntax tree alone: `mod m;`
 * names a file next to it, and `use m::...` names a module by its file stem. After an edit
 * the server re-checks the edited module and the open modules that depend on it
 * (transitively), never every open file; and each check includes the open modules the
 * checked ones depend on, so the checker sees unsaved buffers rather than files on disk.
 */
import { dirname, join } from "node:path";
import type * as A from "../syntax/ast.js";

export interface ModuleReferences {
  /** Files that `mod m;` declarations point at (both `m.ds` and `m/mod.ds` candidates). */
  readonly modFiles: ReadonlySet<string>;
  /** Module names that `use` paths start from (after `crate::`, `self::`, `super::`). */
  readonly useRoots: ReadonlySet<string>;
  /**
   * The folder of a dustlang file that declares a forge: the forges of a folder's files are
   * one namespace (src/semantic/forges.ts), so such files depend on each other.
   */
  readonly forgeDir: string | null;
}

export function moduleReferences(module: A.Module, sourceName: string): ModuleReferences {
  const modFiles = new Set<string>();
  const useRoots = new Set<string>();
  const hasDir = !/^[a-z][a-z0-9+.-]*:/i.test(sourceName) || /^[a-z]:[\\/]/i.test(sourceName);
  const visit = (items: readonly A.Item[], dir: string | null): void => {
    for (const it of items) {
      if (it.kind === "ModItem") {
        if (it.items === null) {
          if (dir !== null) {
            modFiles.add(join(dir, `${it.name.name}.ds`));
            modFiles.add(join(dir, it.name.name, "mod.ds"));
          }
        } else visit(it.items, dir === null ? null : join(dir, it.name.name));
      } else if (it.kind === "UseItem") {
        collectUseRoots(it.tree, useRoots);
      }
    }
  };
  visit(module.items, hasDir ? dirname(sourceName) : null);
  const forgeDir = hasDir && module.items.some((it) => it.kind === "ModItem" && it.forge !== undefined) ? dirname(sourceName) : null;
  return { modFiles, useRoots, forgeDir };
}

function collectUseRoots(tree: A.UseTree, out: Set<string>): void {
  const names = tree.path.map((p) => p.name);
  let i = 0;
  while (i < names.length && (names[i] === "crate" || names[i] === "self" || names[i] === "super")) i++;
  if (i < names.length) {
    out.add(names[i]!);
    return;
  }
  // `use super::{a, b}`: the roots are inside the group.
  if (tree.shape.kind === "group") for (const t of tree.shape.items) collectUseRoots(t, out);
}

/** The module name of a file as `use` spells it: the stem, or the folder of a `mod.ds`. */
export function moduleNameOfSource(name: string): string {
  const parts = name.split(/[\\/]/);
  const base = parts[parts.length - 1] ?? name;
  if (base === "mod.ds" && parts.length > 1) return parts[parts.length - 2]!;
  return base.replace(/\.(ds|md)$/i, "");
}

export interface DependencyNode {
  readonly name: string;
  readonly refs: ModuleReferences;
}

/** Direct dependencies of each node among the given (open) nodes, by source name. */
export function dependencyEdges(nodes: readonly DependencyNode[]): Map<string, Set<string>> {
  const byStem = new Map<string, string[]>();
  for (const n of nodes) {
    const stem = moduleNameOfSource(n.name);
    const list = byStem.get(stem);
    if (list) list.push(n.name);
    else byStem.set(stem, [n.name]);
  }
  const edges = new Map<string, Set<string>>();
  for (const n of nodes) {
    const deps = new Set<string>();
    for (const m of nodes) if (m !== n && n.refs.modFiles.has(m.name)) deps.add(m.name);
    for (const root of n.refs.useRoots) for (const target of byStem.get(root) ?? []) if (target !== n.name) deps.add(target);
    if (n.refs.forgeDir !== null) for (const m of nodes) if (m !== n && m.refs.forgeDir === n.refs.forgeDir) deps.add(m.name);
    edges.set(n.name, deps);
  }
  return edges;
}

/** Everything reachable from `start` along `edges` (start included). */
export function closure(start: Iterable<string>, edges: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const d of edges.get(n) ?? []) if (!seen.has(d)) stack.push(d);
  }
  return seen;
}

export function reverseEdges(edges: ReadonlyMap<string, ReadonlySet<string>>): Map<string, Set<string>> {
  const rev = new Map<string, Set<string>>();
  for (const k of edges.keys()) rev.set(k, new Set());
  for (const [from, tos] of edges) for (const to of tos) rev.get(to)?.add(from);
  return rev;
}
