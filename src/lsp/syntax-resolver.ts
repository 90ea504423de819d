/**
 * The semantic source answered from syntax trees alone: the base layer, which the
 * checker's tables upgrade when a check has completed (checker-semantics.ts), and what
 * the editor has for code the checker has not seen yet. Names resolve to declarations in the same
 * scope, the same file, the other open files and the stdlib's prelude tiers (prelude,
 * runtime, kernel: the order of language.md §8); a value's type is what its declaration
 * writes (or what a struct literal or constructor call in its initializer shows); domains
 * come from `@domain(...)`, `K<..>`/`Q<..>`/`Φ<..>`/`DomainType<D, ..>` and declared types.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type * as A from "../syntax/ast.js";
import { parseModule } from "../compiler/check.js";
import { sourceFromText } from "../compiler/sources.js";
import { STDLIB_ROOT } from "../compiler/stdlib.js";
import type { Profile } from "../compiler/options.js";
import { printType } from "../syntax/printer.js";
import type { OpenDocument } from "./documents.js";
import type { Domain, DocumentSemantics, Ref, SemanticSource, Sym, TypeInfo } from "./semantic-source.js";
import { BUILTIN_TYPES, builtinType, domainOfName, itemSignature, makeSym, ModuleIndex, type ImplEntry, type SynSym } from "./item-index.js";
import { walkModule, type ExprEntry, type WalkResult } from "./scope-walker.js";
import { moduleNameOfSource } from "./dependencies.js";
import { spanOffsets } from "./positions.js";

export type Ns = "type" | "value";

export interface SyntacticOptions {
  readonly profile: Profile;
  /** Where the stdlib's `.ds` files are (tests point this elsewhere). */
  readonly stdlibRoot?: string;
}

interface StdlibIndex {
  readonly roots: Map<string, SynSym>;
  /** Public items in prelude order: the first tier that defines a name wins. */
  readonly types: Map<string, SynSym>;
  readonly values: Map<string, SynSym>;
  readonly modules: ModuleIndex[];
}

const TIERS: readonly (readonly string[])[] = [["prelude"], ["runtime", "abi"], ["kernel", "scheduler", "hypervisor"]];

export class SyntacticSource implements SemanticSource {
  private readonly indexes = new WeakMap<OpenDocument, { version: number; index: ModuleIndex; sym: SynSym }>();
  private readonly semantics = new WeakMap<OpenDocument, { key: string; sem: DocSemantics }>();
  private stdlibIndex: StdlibIndex | undefined;
  /** Impl blocks by self type name, for the current versions of the open documents. */
  private implCache: { key: string; byName: Map<string, ImplEntry[]> } | undefined;
  private generation = "";

  constructor(
    private readonly docs: () => readonly OpenDocument[],
    private readonly options: SyntacticOptions,
  ) {}

  forDocument(doc: OpenDocument): DocumentSemantics {
    // Another document's edit can change what names here mean: key on every version.
    const key = this.docs()
      .map((d) => `${d.uri}@${d.version}`)
      .join("\n");
    this.generation = key;
    const cached = this.semantics.get(doc);
    if (cached && cached.key === key) return cached.sem;
    const index = this.indexOf(doc);
    const sem = new DocSemantics(this, doc, index, walkModule(this, index, doc.parsed().module.ast));
    this.semantics.set(doc, { key, sem });
    return sem;
  }

  indexOf(doc: OpenDocument): ModuleIndex {
    return this.docEntry(doc).index;
  }

  private docEntry(doc: OpenDocument): { version: number; index: ModuleIndex; sym: SynSym } {
    const version = doc.version;
    const cached = this.indexes.get(doc);
    if (cached && cached.version === version) return cached;
    const parsed = doc.parsed();
    const name = moduleNameOfSource(doc.name);
    const index = new ModuleIndex(name, [name], null, parsed.module.ast.items, false);
    const sym = makeSym({ name, kind: "module", decl: parsed.module.source.span(0, 0), docs: parsed.module.ast.docs, module: index });
    const entry = { version, index, sym };
    this.indexes.set(doc, entry);
    return entry;
  }

  // -------------------------------------------------------------------------
  // Name lookup

  /** A name in a module: its items, its imports, its globs, then enclosing inline modules. */
  lookupIn(index: ModuleIndex, name: string, ns: Ns, depth = 0): SynSym | null {
    if (depth > 8) return null; // import cycles
    for (let m: ModuleIndex | null = index; m; m = m.parent) {
      const own = (ns === "type" ? m.types : m.values).get(name);
      if (own) return own;
      const path = m.imports.get(name);
      if (path) {
        const target = this.resolveImport(path, m, ns, depth + 1);
        if (target) return target;
      }
      for (const g of m.globs) {
        const base = this.resolveImport(g, m, "type", depth + 1);
        const hit = base ? this.step(base, name, ns, depth + 1) : null;
        if (hit) return hit;
      }
    }
    return null;
  }

  /** Names from elsewhere: other open documents, then the stdlib's tiers, then builtin types. */
  lookupGlobal(name: string, ns: Ns, from: ModuleIndex): SynSym | null {
    for (const d of this.docs()) {
      const idx = this.indexOf(d);
      if (idx === from) continue;
      const hit = (ns === "type" ? idx.types : idx.values).get(name);
      if (hit) return hit;
    }
    const std = this.stdlib();
    const hit = (ns === "type" ? std.types : std.values).get(name);
    if (hit) return hit;
    if (ns === "type") return builtinType(name) ?? this.moduleNamed(name, from);
    return null;
  }

  lookup(name: string, ns: Ns, from: ModuleIndex): SynSym | null {
    return this.lookupIn(from, name, ns) ?? this.lookupGlobal(name, ns, from);
  }

  /** A module by the name a path starts with: a child, an open file, a stdlib root. */
  moduleNamed(name: string, from: ModuleIndex): SynSym | null {
    const local = from.types.get(name);
    if (local?.kind === "module") return local.module ? local : this.fileModule(name) ?? local;
    return this.fileModule(name) ?? this.stdlib().roots.get(name) ?? null;
  }

  private fileModule(name: string): SynSym | null {
    for (const d of this.docs()) if (moduleNameOfSource(d.name) === name) return this.docEntry(d).sym;
    return null;
  }

  resolveImport(path: readonly A.Ident[], from: ModuleIndex, ns: Ns, depth = 0): SynSym | null {
    let cur: SynSym | null = null;
    let scope: ModuleIndex = from;
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!.name;
      const last = i === path.length - 1;
      if (i === 0 && (seg === "crate" || seg === "self" || seg === "super")) {
        if (seg === "crate") while (scope.parent) scope = scope.parent;
        if (seg === "super" && scope.parent) scope = scope.parent;
        cur = makeSym({ name: seg, kind: "module", module: scope });
        continue;
      }
      if (cur === null) {
        cur = (last ? this.lookupIn(scope, seg, ns, depth) : null) ?? this.moduleNamed(seg, scope) ?? this.lookupIn(scope, seg, "type", depth) ?? this.lookupGlobal(seg, last ? ns : "type", scope);
      } else cur = this.step(cur, seg, last ? ns : "type", depth);
      if (!cur) return null;
    }
    return cur;
  }

  /** `a::name`: a module's item, an enum's variant, an associated item or trait item of a type. */
  step(base: SynSym, name: string, ns: Ns, depth = 0): SynSym | null {
    if (base.kind === "module") {
      const m = base.module ?? this.fileModule(base.name)?.module ?? null;
      if (!m) return null;
      const other: Ns = ns === "type" ? "value" : "type";
      return this.lookupIn(m, name, ns, depth + 1) ?? this.lookupIn(m, name, other, depth + 1);
    }
    const member = base.members.get(name);
    if (member && base.kind !== "struct") return member; // struct members are fields, not paths
    for (const impl of this.implsFor(base.name)) {
      const m = impl.members.get(name);
      if (m) return m;
    }
    if (base.kind === "alias" && base.typeAst) {
      const target = this.resolveType(base.typeAst, base.home, base.selfType).def as SynSym | null;
      if (target && target !== base && depth < 8) return this.step(target, name, ns, depth + 1);
    }
    return null;
  }

  /** Impl blocks for a type name, in open documents and the stdlib. */
  implsFor(typeName: string): readonly ImplEntry[] {
    if (this.implCache?.key !== this.generation) {
      const byName = new Map<string, ImplEntry[]>();
      const visit = (m: ModuleIndex): void => {
        for (const i of m.impls) {
          if (i.selfName === null) continue;
          const list = byName.get(i.selfName);
          if (list) list.push(i);
          else byName.set(i.selfName, [i]);
        }
        for (const c of m.children.values()) visit(c);
      };
      for (const d of this.docs()) visit(this.indexOf(d));
      for (const m of this.stdlib().modules) visit(m);
      this.implCache = { key: this.generation, byName };
    }
    return this.implCache.byName.get(typeName) ?? [];
  }

  private membersCache = new WeakMap<SynSym, { key: string; members: SynSym[] }>();

  /** Fields, then methods and associated items, of a type's declaration. */
  typeMembers(def: SynSym): SynSym[] {
    const hit = this.membersCache.get(def);
    if (hit && hit.key === this.generation) return hit.members;
    this.membersCache.set(def, { key: this.generation, members: [] }); // alias cycles end here
    const members = this.computeMembers(def);
    this.membersCache.set(def, { key: this.generation, members });
    return members;
  }

  private computeMembers(def: SynSym): SynSym[] {
    const out = new Map<string, SynSym>();
    if (def.kind === "struct" || def.kind === "trait") for (const m of def.members.values()) out.set(m.name, m);
    for (const impl of this.implsFor(def.name)) {
      for (const m of impl.members.values()) if (!out.has(m.name)) out.set(m.name, m);
      const traitName = impl.node.trait ? impl.node.trait.segments[impl.node.trait.segments.length - 1]?.name.name : undefined;
      const trait = traitName ? this.lookup(traitName, "type", impl.module) : null;
      if (trait?.kind === "trait") for (const m of trait.members.values()) if (!out.has(m.name)) out.set(m.name, m);
    }
    if (def.kind === "alias" && def.typeAst) {
      const target = this.resolveType(def.typeAst, def.home, def.selfType).def as SynSym | null;
      if (target && target !== def) for (const m of this.typeMembers(target)) if (!out.has(m.name)) out.set(m.name, m);
    }
    return [...out.values()];
  }

  // -------------------------------------------------------------------------
  // Types and domains

  resolveType(t: A.Type, home: ModuleIndex | null, selfType: A.Type | null, typeParams?: ReadonlyMap<string, SynSym>, depth = 0): TypeInfo {
    const text = printType(t);
    if (depth > 6) return { text, domain: null, def: null };
    switch (t.kind) {
      case "PathType": {
        const seg = t.segments[t.segments.length - 1]!;
        const name = seg.name.name;
        const args = seg.args ?? [];
        const wrapped = domainOfName(name);
        if (t.segments.length === 1 && wrapped && args.length === 1) {
          const inner = this.resolveType(args[0]!, home, selfType, typeParams, depth + 1);
          return { text, domain: wrapped, def: inner.def };
        }
        if (name === "DomainType" && args.length === 2) {
          const d = args[0]!.kind === "PathType" ? domainOfName(printType(args[0]!)) : null;
          return { text, domain: d, def: this.resolveType(args[1]!, home, selfType, typeParams, depth + 1).def };
        }
        if (name === "Self" && t.segments.length === 1 && selfType && selfType !== t) {
          return { ...this.resolveType(selfType, home, null, typeParams, depth + 1), text: "Self" };
        }
        const param = t.segments.length === 1 ? typeParams?.get(name) : undefined;
        if (param) return { text, domain: null, def: null };
        const def = this.resolveTypePath(t, home);
        if (!def) return { text, domain: null, def: null };
        // `Vec<T>`, `Option<T>`, `Result<T, E>`: the domain of `T` (language.md §3).
        if ((name === "Vec" || name === "Option" || name === "Result" || name === "Box") && args.length > 0) {
          return { text, domain: this.resolveType(args[0]!, home, selfType, typeParams, depth + 1).domain, def };
        }
        return { text, domain: this.domainOf(def, depth + 1), def };
      }
      case "RefType": {
        const inner = this.resolveType(t.inner, home, selfType, typeParams, depth + 1);
        return { text, domain: inner.domain, def: inner.def };
      }
      case "TupleType": {
        const ds = t.elements.map((e) => this.resolveType(e, home, selfType, typeParams, depth + 1).domain);
        const domain = ds.length === 0 ? "K" : ds.every((d) => d === ds[0]) ? ds[0]! : null;
        return { text, domain, def: null };
      }
      case "ArrayType":
      case "SliceType":
        return { text, domain: this.resolveType(t.element, home, selfType, typeParams, depth + 1).domain, def: null };
      case "FnType":
        return { text, domain: "K", def: null };
      default:
        return { text, domain: null, def: null };
    }
  }

  private resolveTypePath(t: A.PathType, home: ModuleIndex | null): SynSym | null {
    const names = t.segments.map((s) => s.name);
    if (names.length === 1) {
      const n = names[0]!.name;
      return (home ? this.lookup(n, "type", home) : null) ?? this.stdlib().types.get(n) ?? builtinType(n) ?? null;
    }
    return home ? this.resolveImport(names, home, "type") : null;
  }

  /** Types of symbols, for the current versions of the open documents (see `generation`). */
  private typeCache = new WeakMap<SynSym, { key: string; type: TypeInfo | null }>();

  typeOf(sym: SynSym): TypeInfo | null {
    const hit = this.typeCache.get(sym);
    if (hit && hit.key === this.generation) return hit.type;
    const type = this.computeTypeOf(sym);
    this.typeCache.set(sym, { key: this.generation, type });
    return type;
  }

  private computeTypeOf(sym: SynSym): TypeInfo | null {
    switch (sym.kind) {
      case "struct":
      case "enum":
      case "alias":
      case "trait":
        return { text: sym.name, domain: this.domainOf(sym), def: sym };
      case "variant":
        return sym.owner ? this.typeOf(sym.owner) : null;
      case "function":
      case "method":
        return sym.typeAst ? this.resolveType(sym.typeAst, sym.home, sym.selfType) : { text: "()", domain: "K", def: null };
      case "field": {
        if (!sym.typeAst) return null;
        const t = this.resolveType(sym.typeAst, sym.home, sym.selfType);
        return { ...t, domain: this.fieldDomain(sym, t) };
      }
      default:
        if (sym.typeAst) return this.resolveType(sym.typeAst, sym.home, sym.selfType);
        return sym.inferred;
    }
  }

  /** A field written without a domain wrapper has its struct's domain (language.md §3). */
  private fieldDomain(field: SynSym, t: TypeInfo): Domain | null {
    const ast = field.typeAst;
    const wrapped = ast?.kind === "PathType" && ast.segments.length === 1 && (domainOfName(ast.segments[0]!.name.name) !== null || ast.segments[0]!.name.name === "DomainType");
    if (wrapped) return t.domain;
    if (t.def && (t.def.kind === "struct" || t.def.kind === "enum") && t.domain && t.domain !== "K") return t.domain;
    let owner = field.owner;
    if (owner?.kind === "variant") owner = owner.owner;
    return owner ? this.domainOf(owner) : t.domain;
  }

  domainOf(sym: Sym, depth = 0): Domain | null {
    const s = sym as SynSym;
    if (depth > 6) return null;
    switch (s.kind) {
      case "struct":
      case "enum":
        return s.ownDomain ?? "K";
      case "variant":
        return s.owner ? this.domainOf(s.owner, depth + 1) : null;
      case "function":
      case "method": {
        if (s.ownDomain) return s.ownDomain;
        if (s.selfType) return this.resolveType(s.selfType, s.home, null, undefined, depth + 1).domain ?? "K";
        if (s.owner?.kind === "trait" && s.owner.ownDomain) return s.owner.ownDomain;
        return "K";
      }
      case "alias":
        return s.typeAst ? this.resolveType(s.typeAst, s.home, s.selfType, undefined, depth + 1).domain : null;
      case "builtin":
        return s.ownDomain;
      case "trait":
      case "module":
      case "typeParam":
      case "macro":
      case "annotation":
        return null;
      default:
        return this.typeOf(s)?.domain ?? null;
    }
  }

  signature(sym: Sym): string {
    const s = sym as SynSym;
    const node = s.node;
    const typed = (): string => this.typeOf(s)?.text ?? "_";
    switch (s.kind) {
      case "local":
        return `let ${s.mutable ? "mut " : ""}${s.name}: ${typed()}`;
      case "param":
        return `${s.mutable ? "mut " : ""}${s.name}: ${typed()}`;
      case "self":
        return `self: ${typed()}`;
      case "field":
        return `${s.owner ? `${s.owner.kind === "variant" && s.owner.owner ? `${s.owner.owner.name}::` : ""}${s.owner.name}.` : ""}${s.name}: ${typed()}`;
      case "variant": {
        const v = node as A.Variant | null;
        const fields = v && v.shape === "tuple" ? `(${v.fields.map((f) => printType(f.type)).join(", ")})` : v && v.shape === "struct" ? ` { ${v.fields.map((f) => `${f.name?.name}: ${printType(f.type)}`).join(", ")} }` : "";
        return `${s.owner ? `${s.owner.name}::` : ""}${s.name}${fields}`;
      }
      case "typeParam":
        return `type parameter ${s.name}`;
      case "macro":
        return `${s.name}!(...)`;
      case "annotation":
        return `@${s.name}`;
      case "builtin":
        return domainOfName(s.name) ? `domain ${domainOfName(s.name)}` : `type ${s.name}`;
      case "module":
        return `mod ${s.name}`;
      default: {
        if (!node || !("kind" in node)) return s.name;
        const sig = itemSignature(node as A.Item);
        if (s.container && s.container.kind === "ImplItem") return `${itemSignature(s.container)}\n${sig}`;
        if (s.container && s.container.kind === "TraitItem") return `trait ${s.container.name.name}\n${sig}`;
        return sig;
      }
    }
  }

  // -------------------------------------------------------------------------
  // The stdlib, indexed once per process

  stdlib(): StdlibIndex {
    return (this.stdlibIndex ??= loadStdlib(this.options.stdlibRoot ?? STDLIB_ROOT));
  }

  openDocuments(): readonly OpenDocument[] {
    return this.docs();
  }
}

function loadStdlib(root: string): StdlibIndex {
  const index: StdlibIndex = { roots: new Map(), types: new Map(), values: new Map(), modules: [] };
  const files: string[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const e of entries) {
      const full = join(dir, e);
      try {
        if (statSync(full).isDirectory()) walk(full);
        else if (e.endsWith(".ds")) files.push(full);
      } catch {
        // unreadable entries are not part of the stdlib
      }
    }
  };
  walk(root);
  const folder = (path: readonly string[]): ModuleIndex => {
    let sym = index.roots.get(path[0]!);
    if (!sym) index.roots.set(path[0]!, (sym = makeSym({ name: path[0]!, kind: "module", module: new ModuleIndex(path[0]!, [path[0]!], null, [], true) })));
    let m = sym.module!;
    for (const name of path.slice(1)) {
      let child = m.children.get(name);
      if (!child) {
        child = new ModuleIndex(name, [...m.path, name], m, [], true);
        m.children.set(name, child);
        m.types.set(name, makeSym({ name, kind: "module", module: child }));
      }
      m = child;
    }
    return m;
  };
  const byTier: ModuleIndex[][] = TIERS.map(() => []);
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    const parsed = parseModule(sourceFromText(file, text));
    const parts = relative(root, file).split(sep);
    const stem = parts[parts.length - 1]!.replace(/\.ds$/, "");
    const dirs = parts.slice(0, -1);
    const parent = dirs.length > 0 ? folder(dirs) : null;
    const mod = new ModuleIndex(stem === "mod" ? (dirs[dirs.length - 1] ?? stem) : stem, [...dirs, stem], parent, parsed.ast.items, true);
    const sym = makeSym({ name: mod.name, kind: "module", module: mod, decl: parsed.source.span(0, 0), docs: parsed.ast.docs });
    if (parent && stem !== "mod") {
      parent.children.set(stem, mod);
      parent.types.set(stem, sym);
    } else if (!parent) index.roots.set(stem, sym);
    index.modules.push(mod);
    // Kernel items are visible in every profile, after the others: an editor lenient about
    // the profile still lands on the right declaration, and the checker rules on the rest.
    const tier = TIERS.findIndex((t) => t.includes(parts[0]!));
    if (tier >= 0) byTier[tier]!.push(mod);
  }
  for (const tier of byTier) {
    for (const m of tier) {
      for (const [n, s] of m.types) if (isPub(s) && !index.types.has(n)) index.types.set(n, s);
      for (const [n, s] of m.values) if (isPub(s) && !index.values.has(n)) index.values.set(n, s);
    }
  }
  return index;
}

function isPub(s: SynSym): boolean {
  const node = s.node as { isPub?: boolean } | null;
  return s.kind !== "module" && node?.isPub === true;
}

// ---------------------------------------------------------------------------

export class DocSemantics implements DocumentSemantics {
  readonly refs: readonly Ref[];

  constructor(
    readonly source: SyntacticSource,
    readonly doc: OpenDocument,
    readonly index: ModuleIndex,
    private readonly walk: WalkResult,
  ) {
    this.refs = walk.refs;
  }

  /** Identifiers the syntax could not resolve, with their nodes (the checker may have). */
  get unresolved(): WalkResult["unresolved"] {
    return this.walk.unresolved;
  }

  refAt(offset: number): Ref | undefined {
    const refs = this.refs;
    let lo = 0;
    let hi = refs.length - 1;
    let found: Ref | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = refs[mid]!;
      if (r.start <= offset) {
        if (offset <= r.end) found = r;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // A cursor right after one identifier and right before the next belongs to the next.
    const next = refs[lo];
    if (next && next.start === offset) return next;
    return found;
  }

  typeOf(sym: Sym): TypeInfo | null {
    return this.source.typeOf(sym as SynSym);
  }

  domainOf(sym: Sym): Domain | null {
    return this.source.domainOf(sym);
  }

  typeOfExpressionBefore(offset: number): TypeInfo | null {
    return this.expressionBefore(offset)?.type ?? null;
  }

  /** The innermost expression that ends at `offset`: `.` binds tighter than any operator. */
  expressionBefore(offset: number): ExprEntry | undefined {
    let best: ExprEntry | undefined;
    const { exprNodes, exprTypes } = this.walk;
    for (let i = 0; i < exprNodes.length; i++) {
      const { start, end } = spanOffsets(exprNodes[i]!.span);
      if (end === offset && (!best || start > best.start)) best = { start, end, node: exprNodes[i]!, type: exprTypes[i]! };
    }
    return best;
  }

  /** Expressions around `offset`, innermost first. */
  expressionsAt(offset: number): ExprEntry[] {
    const out: ExprEntry[] = [];
    const { exprNodes, exprTypes } = this.walk;
    for (let i = 0; i < exprNodes.length; i++) {
      const { start, end } = spanOffsets(exprNodes[i]!.span);
      if (start <= offset && offset < end) out.push({ start, end, node: exprNodes[i]!, type: exprTypes[i]! });
    }
    return out.sort((a, b) => a.end - a.start - (b.end - b.start));
  }

  typeAt(offset: number): TypeInfo | null {
    return this.expressionsAt(offset).find((e) => e.type !== null)?.type ?? null;
  }

  scopeAt(offset: number): Sym[] {
    const out = new Map<string, Sym>();
    const locals = this.walk.locals.filter((l) => l.from <= offset && offset <= l.to).sort((a, b) => b.from - a.from);
    for (const l of locals) if (!out.has(l.sym.name)) out.set(l.sym.name, l.sym);
    let module = this.index;
    for (const r of this.walk.moduleRanges) if (r.start <= offset && offset <= r.end) module = r.index;
    const addAll = (m: ReadonlyMap<string, SynSym>): void => {
      for (const [n, s] of m) if (!out.has(n)) out.set(n, s);
    };
    for (let m: ModuleIndex | null = module; m; m = m.parent) {
      addAll(m.values);
      addAll(m.types);
      for (const n of m.imports.keys()) {
        if (out.has(n)) continue;
        const s = this.source.lookupIn(m, n, "value") ?? this.source.lookupIn(m, n, "type");
        if (s) out.set(n, s);
      }
    }
    for (const d of this.source.openDocuments()) {
      const idx = this.source.indexOf(d);
      if (idx === this.index) continue;
      addAll(idx.values);
      addAll(idx.types);
    }
    const std = this.source.stdlib();
    addAll(std.values);
    addAll(std.types);
    for (const n of BUILTIN_TYPES) if (!out.has(n)) out.set(n, builtinType(n)!);
    return [...out.values()];
  }

  membersOf(type: TypeInfo): Sym[] {
    return type.def ? this.source.typeMembers(type.def as SynSym) : [];
  }

  pathMembers(path: readonly string[], offset: number): Sym[] {
    if (path.length === 0) return [];
    const first = path[0]!;
    let cur: SynSym | null =
      first === "Self" ? this.selfAt(offset) : (this.scopeAt(offset).find((s) => s.name === first && s.kind !== "local" && s.kind !== "param") as SynSym | undefined) ?? this.source.moduleNamed(first, this.index);
    for (const seg of path.slice(1)) {
      if (!cur) return [];
      cur = this.source.step(cur, seg, "type");
    }
    if (!cur) return [];
    if (cur.kind === "module") {
      const m = cur.module;
      return m ? [...m.types.values(), ...m.values.values()] : [];
    }
    const out = new Map<string, Sym>();
    if (cur.kind === "enum" || cur.kind === "trait") for (const m of cur.members.values()) out.set(m.name, m);
    for (const impl of this.source.implsFor(cur.name)) for (const m of impl.members.values()) if (!out.has(m.name)) out.set(m.name, m);
    return [...out.values()];
  }

  signature(sym: Sym): string {
    return this.source.signature(sym);
  }

  /** The declaration `Self` names at an offset (inside an impl or a trait). */
  private selfAt(offset: number): SynSym | null {
    let best: WalkResult["selfRanges"][number] | undefined;
    for (const r of this.walk.selfRanges) if (r.start <= offset && offset <= r.end && (!best || r.start >= best.start)) best = r;
    return best ? best.self : null;
  }
}
