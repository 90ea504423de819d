/**
 * Forges across the files of a directory (docs/language.md, "The dustlang surface"): the
 * official toolchain makes a forge a namespace visible across the files of its directory.
 * Among the dustlang files of one directory that are checked together (`dplc check DIR`,
 * `dplc run DIR`, a project), each file sees the forges of the
 * others (`Forge::K::f()`), and a forge sees the items of the forge of the same name in
 * the others (`f()` inside it). A file's own definitions come first: a name it defines is
 * its own, and only names it does not define are looked up in its siblings. Both are glob
 * imports whose target is known, so name resolution needs nothing new.
 */
import { dirname } from "node:path";
import type * as A from "../syntax/ast.js";
import type { ModuleDef } from "./defs.js";

function forgeNames(m: ModuleDef): Set<string> {
  const out = new Set<string>();
  for (const it of m.items) if (it.kind === "ModItem" && it.forge) out.add(it.name.name);
  return out;
}

/** Link the file modules (`roots`, one per user file) of each directory's dustlang files. */
export function mergeDirectoryForges(roots: readonly ModuleDef[]): void {
  const byDir = new Map<string, ModuleDef[]>();
  for (const m of roots) {
    if (!m.dirPath || !m.filePath || forgeNames(m).size === 0) continue;
    let l = byDir.get(m.dirPath);
    if (!l) byDir.set(m.dirPath, (l = []));
    l.push(m);
  }
  for (const group of byDir.values()) {
    if (group.length < 2) continue;
    for (const m of group) {
      const at = m.source ? m.source.span(0, 0) : m.nameSpan;
      if (!at) continue;
      const own = forgeNames(m);
      for (const other of group) {
        if (other === m) continue;
        m.globs.push({ path: [], isPub: false, span: at, target: other });
        for (const name of own) {
          const mine = m.children.get(name);
          const theirs = other.children.get(name);
          if (mine && theirs && forgeNames(other).has(name)) mine.globs.push({ path: [], isPub: true, span: at, target: theirs });
        }
      }
    }
  }
}

/** The forges of the same name in files of the same directory, grouped: one namespace each. */
export function forgeGroups(modules: readonly A.Module[]): A.ModItem[][] {
  const groups = new Map<string, A.ModItem[]>();
  for (const m of modules) {
    for (const it of m.items) {
      if (it.kind !== "ModItem" || !it.forge) continue;
      const key = `${dirname(m.file)}\0${it.name.name}`;
      let l = groups.get(key);
      if (!l) groups.set(key, (l = []));
      l.push(it);
    }
  }
  return [...groups.values()];
}

/** The processes of a forge namespace by name (a file's own first, as for every name). */
export function forgeProcs(forges: readonly A.ModItem[]): Map<string, A.FnItem & { proc: A.DustProc }> {
  const procs = new Map<string, A.FnItem & { proc: A.DustProc }>();
  for (const f of forges) for (const it of f.items ?? []) if (it.kind === "FnItem" && it.proc && !procs.has(it.name.name)) procs.set(it.name.name, it as A.FnItem & { proc: A.DustProc });
  return procs;
}

/**
 * A `bind` authorizes calls between its two processes wherever they are declared in the
 * namespace: the parser linked those of one file; this links those across files.
 */
export function linkForgeBinds(modules: readonly A.Module[]): void {
  for (const forges of forgeGroups(modules)) {
    if (forges.length < 2) continue;
    const procs = forgeProcs(forges);
    for (const f of forges) {
      for (const b of f.forge?.binds ?? []) {
        procs.get(b.from.name.name)?.proc.bound.add(b.to.name.name);
        procs.get(b.to.name.name)?.proc.bound.add(b.from.name.name);
      }
    }
  }
}

/** Whether two forge modules are one namespace (the same forge, or its namesake in a sibling file). */
export function sameForge(a: ModuleDef, b: ModuleDef): boolean {
  if (a === b) return true;
  return a.name === b.name && a.parent !== null && b.parent !== null && a.parent !== b.parent && a.parent.dirPath === b.parent.dirPath && a.parent.globs.some((g) => g.target === b.parent);
}
