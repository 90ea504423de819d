/**
 * The stdlib world: `stdlib/prelude/*.ds` (the language prelude), the runtime modules
 * (`runtime/**`, `abi/**`, XDV-081 §3) and the kernel modules (`kernel/**`,
 * `scheduler/**`, `hypervisor/**`, XDV-080/082/083).
 *
 * It is loaded on first use and cached for the process: the language server checks on
 * every keystroke and must not re-parse the stdlib each time. The cache is keyed by each
 * file's size and modification time, and by the text of any stdlib file the run was
 * given explicitly (an editor buffer, or `dplc check stdlib/`), which replaces the file on
 * disk for that run.
 *
 * Three prelude scopes are built from it (language.md §8):
 * - base: the public items of `prelude/`;
 * - user: base, then the public items of the runtime modules;
 * - kernel: user, then the public items of the kernel modules.
 * On a name clash the earlier scope wins, so the language's own vocabulary (`DomainTag`,
 * `xdv_call`) cannot be replaced by a stdlib module that happens to define the same name.
 */
import { raise } from "../diagnostics/messages/message.js";
import { Unresolved } from "../diagnostics/messages/unresolved.js";
import { join, relative, sep } from "node:path";
import type * as A from "../syntax/ast.js";
import type { SourceFile } from "../syntax/source.js";
import type { Profile } from "../workspace/options.js";
import { STDLIB_ROOT } from "../workspace/stdlib.js";
import { fileStamp, listDs, parseFileFromDisk } from "../workspace/files.js";
import type { Def, ImplDef, ModuleDef, PreludeScope } from "./defs.js";
import { collectItems, type CollectHost } from "./collect.js";
import { createModule, moduleFileCandidates, newWorld, type ParsedFile, type World } from "./world.js";
import { addIntrinsicsToPrelude } from "./intrinsics.js";
import type { Resolver } from "./resolve.js";
import { lookupInModule } from "./resolve.js";
import { worldReporter } from "./context.js";
import { loadStdlibSnapshot, saveStdlibSnapshot, stdlibSnapshotName } from "./stdlib-snapshot.js";
import { CORE_SPAN } from "./builtins.js";

const RUNTIME_ROOTS: readonly string[] = ["runtime", "abi"];
/** `std::collections`, `std::fmt`, ...: named by path (`use std::collections::HashMap;`), never in the prelude, as in Rust. */
const STD_ROOTS: readonly string[] = ["std"];
const KERNEL_ROOTS: readonly string[] = ["kernel", "scheduler", "hypervisor"];

export interface StdlibWorld {
  readonly world: World;
  readonly roots: Map<string, ModuleDef>;
  readonly preludes: { readonly base: PreludeScope; readonly user: PreludeScope; readonly kernel: PreludeScope };
  readonly impls: ImplDef[];
  /** Real paths of the files it was built from, to recognize stdlib files among user inputs. */
  readonly files: ReadonlyMap<string, ModuleDef>;
  readonly resolver: Resolver;
  /** Set by the program builder once declarations and bodies are checked. */
  checked: unknown;
}

interface FileEntry {
  readonly path: string;
  readonly stamp: string;
}

function allFiles(root: string): FileEntry[] {
  const out: FileEntry[] = [];
  const walk = (d: string): void => {
    const { files, dirs } = listDs(d);
    for (const f of files) {
      out.push({ path: f, stamp: fileStamp(f) });
    }
    for (const x of dirs) walk(x);
  };
  for (const r of ["prelude", ...RUNTIME_ROOTS, ...STD_ROOTS, ...KERNEL_ROOTS]) walk(join(root, r));
  return out;
}

/** Is this one of the stdlib's own modules (a `.ds` file under one of its roots)? */
export function isUnderStdlib(path: string): boolean {
  const rel = relative(STDLIB_ROOT, path);
  if (rel === "" || rel.startsWith("..") || /^[a-zA-Z]:/.test(rel) || !rel.endsWith(".ds")) return false;
  const top = rel.split(sep)[0] ?? "";
  return top === "prelude" || RUNTIME_ROOTS.includes(top) || STD_ROOTS.includes(top) || KERNEL_ROOTS.includes(top);
}

let cache: { key: string; world: StdlibWorld } | null = null;

/** Forget the cached stdlib (tests that write stdlib files use this). */
export function resetStdlibCache(): void {
  cache = null;
}

export function stdlibWorld(overrides: ReadonlyMap<string, ParsedFile>, build: (w: StdlibWorld) => void): StdlibWorld {
  const files = allFiles(STDLIB_ROOT);
  const parts = files.map((f) => `${f.path}=${f.stamp}`);
  for (const [p, f] of [...overrides].sort((a, b) => (a[0] < b[0] ? -1 : 1))) parts.push(`override:${p}=${f.source.text}`);
  const key = parts.join("\n");
  if (cache && cache.key === key) return cache.world;
  // Only the stdlib as shipped is kept between runs, not one with files an editor replaced.
  const stored = overrides.size === 0 ? stdlibSnapshotName(files.map((f) => f.path)) : null;
  let w = stored !== null ? loadStdlibSnapshot(stored) : null;
  if (!w) {
    w = buildStdlib(overrides);
    build(w);
    if (stored !== null) saveStdlibSnapshot(stored, w);
  }
  cache = { key, world: w };
  return w;
}

function groupOf(path: readonly string[]): { profile: Profile; group: "prelude" | "user" | "kernel" } {
  const top = path[0] ?? "";
  if (top === "prelude") return { profile: "user", group: "prelude" };
  if (KERNEL_ROOTS.includes(top)) return { profile: "kernel", group: "kernel" };
  return { profile: "user", group: "user" };
}

function buildStdlib(overrides: ReadonlyMap<string, ParsedFile>): StdlibWorld {
  const world = newWorld("stdlib");
  const roots = new Map<string, ModuleDef>();
  const impls: ImplDef[] = [];
  const report = worldReporter(world);
  const files = new Map<string, ModuleDef>();

  const parsedFile = (path: string): ParsedFile | null => {
    const o = overrides.get(path);
    if (o) return o;
    const shown = "stdlib/" + relative(STDLIB_ROOT, path).split(sep).join("/");
    const f = parseFileFromDisk(path, shown);
    if (f) world.diagnostics.push(...f.syntaxDiagnostics);
    return f;
  };

  const host: CollectHost = {
    world,
    report,
    exported: (m, item) => m.source !== null && inVerbatimBlock(m.source, item),
    childModule(parent, item) {
      if (item.items !== null) {
        const g = groupOf([...parent.path, item.name.name]);
        const child = createModule(world, {
          name: item.name.name,
          parent,
          source: parent.source,
          filePath: null,
          dirPath: parent.dirPath ? join(parent.dirPath, item.name.name) : null,
          items: item.items,
          profile: g.profile,
          isStdlib: true,
          isTrusted: g.group !== "prelude",
          isPrelude: g.group === "prelude",
          prelude: null,
          nameSpan: item.name.span,
          docs: item.docs,
        });
        parent.children.set(child.name, child);
        impls.push(...collectItems(host, child, item.items));
        return child;
      }
      // `mod m;` in the stdlib names a sibling file that directory discovery already loaded.
      for (const c of parent.dirPath ? moduleFileCandidates(parent.dirPath, item.name.name) : []) {
        const existing = world.byPath.get(c);
        if (existing) return existing;
      }
      raise(report, item.name.span, Unresolved.moduleFileMissing(item.name.name, null));
      return null;
    },
  };

  const fileModule = (path: string, name: string, parent: ModuleDef | null, dir: string): ModuleDef | null => {
    const f = parsedFile(path);
    if (!f) return null;
    const modPath = parent ? [...parent.path, name] : [name];
    const g = groupOf(modPath);
    const m = createModule(world, {
      name,
      parent,
      source: f.source,
      filePath: path,
      dirPath: dir,
      items: f.ast.items,
      profile: g.profile,
      isStdlib: true,
      isTrusted: g.group !== "prelude",
      isPrelude: g.group === "prelude",
      prelude: null,
      nameSpan: null,
      docs: f.ast.docs,
    });
    files.set(path, m);
    return m;
  };

  // Create the whole tree first (so `mod m;` finds siblings), then collect items.
  const toCollect: ModuleDef[] = [];
  const dirModule = (dir: string, name: string, parent: ModuleDef | null): ModuleDef => {
    const modDs = join(dir, "mod.ds");
    const { files: ds, dirs } = listDs(dir);
    const m =
      (ds.includes(modDs) ? fileModule(modDs, name, parent, dir) : null) ??
      createModule(world, {
        name,
        parent,
        source: null,
        filePath: null,
        dirPath: dir,
        items: [],
        profile: groupOf(parent ? [...parent.path, name] : [name]).profile,
        isStdlib: true,
        isTrusted: true,
        isPrelude: (parent ? parent.path[0] : name) === "prelude",
        prelude: null,
        nameSpan: null,
        docs: [],
      });
    toCollect.push(m);
    for (const f of ds) {
      if (f === modDs) continue;
      const stem = f.slice(dir.length + 1).replace(/\.ds$/, "");
      const child = fileModule(f, stem, m, dir);
      if (!child) continue;
      toCollect.push(child);
      m.children.set(stem, child);
      m.types.set(stem, { def: child, isPub: true, span: child.source!.span(0, 0) });
    }
    for (const d of dirs) {
      const stem = d.slice(dir.length + 1);
      const child = dirModule(d, stem, m);
      m.children.set(stem, child);
      m.types.set(stem, { def: child, isPub: true, span: child.source?.span(0, 0) ?? CORE_SPAN });
    }
    return m;
  };

  for (const r of ["prelude", ...RUNTIME_ROOTS, ...STD_ROOTS, ...KERNEL_ROOTS]) {
    const dir = join(STDLIB_ROOT, r);
    const { files: ds, dirs } = listDs(dir);
    if (ds.length === 0 && dirs.length === 0) continue;
    roots.set(r, dirModule(dir, r, null));
  }
  for (const m of toCollect) impls.push(...collectItems(host, m, m.items as A.Item[]));

  const resolver: Resolver = { report, stdlibRoots: roots };
  const base = newScope();
  addIntrinsicsToPrelude(base);
  const modulesOf = (names: readonly string[]): ModuleDef[] => world.modules.filter((m) => names.includes(m.path[0] ?? ""));
  for (const m of modulesOf(["prelude"])) addPublic(resolver, base, m);
  // `Some`, `None`, `Ok` and `Err` are in scope unqualified (language.md §8).
  for (const name of ["Option", "Result"]) {
    const e = base.types.get(name);
    if (e && e.kind === "enum") for (const v of e.variants) if (!base.values.has(v.name)) base.values.set(v.name, v);
  }
  const user = copyScope(base);
  for (const m of modulesOf(RUNTIME_ROOTS)) addPublic(resolver, user, m);
  const kernel = copyScope(user);
  for (const m of modulesOf(KERNEL_ROOTS)) addPublic(resolver, kernel, m);
  for (const m of world.modules) {
    const g = groupOf(m.path).group;
    m.prelude = g === "prelude" ? base : g === "kernel" ? kernel : user;
  }
  world.impls.push(...impls);
  return { world, roots, preludes: { base, user, kernel }, impls, files, resolver, checked: null };
}

/**
 * The stdlib carries the corpus's reference code verbatim between `// BEGIN XDV-…` and
 * `// END XDV-…` lines. That code never says `pub` (the specification's code has no
 * visibility), yet language.md §8 names its items (`CapabilityHandle`, `submit_q_job`,
 * `k_log`, ...) as part of the prelude: items inside such a block count as public.
 */
const verbatimCache = new WeakMap<SourceFile, { start: number; end: number }[]>();

function inVerbatimBlock(src: SourceFile, item: A.Item): boolean {
  let ranges = verbatimCache.get(src);
  if (!ranges) {
    ranges = [];
    const re = /^[ \t]*\/\/[ \t]*(BEGIN|END) XDV-/gm;
    let open: number | null = null;
    for (let m = re.exec(src.text); m; m = re.exec(src.text)) {
      if (m[1] === "BEGIN") open = m.index;
      else if (open !== null) {
        ranges.push({ start: open, end: m.index });
        open = null;
      }
    }
    verbatimCache.set(src, ranges);
  }
  const at = (item.span as { startOffset?: number }).startOffset ?? item.span.start.offset;
  return ranges.some((r) => at > r.start && at < r.end);
}

interface MutableScope {
  types: Map<string, Def>;
  values: Map<string, Def>;
}

function newScope(): MutableScope {
  return { types: new Map(), values: new Map() };
}

function copyScope(s: MutableScope): MutableScope {
  return { types: new Map(s.types), values: new Map(s.values) };
}

function addPublic(r: Resolver, scope: MutableScope, m: ModuleDef): void {
  for (const [name, b] of m.types) {
    if (!b.isPub || scope.types.has(name)) continue;
    const d = b.import ? lookupInModule(r, m, name, "type", m) : b.def;
    if (d && d.kind !== "module") scope.types.set(name, d);
  }
  for (const [name, b] of m.values) {
    if (!b.isPub || scope.values.has(name)) continue;
    const d = b.import ? lookupInModule(r, m, name, "value", m) : b.def;
    if (d) scope.values.set(name, d);
  }
}
