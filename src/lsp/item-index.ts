/**
 * Declarations of one module (an open document, an inline `mod`, or a stdlib file) by
 * name, read from its syntax tree: the two namespaces (types and values), its `use`
 * imports, its impl blocks, and the members of each struct, enum and trait. The
 * syntactic semantic source resolves names against these indexes.
 */
import type * as A from "../syntax/ast.js";
import { printItem } from "../syntax/printer.js";
import type { Domain, Sym, SymKind, TypeInfo } from "./semantic-source.js";

/** A symbol with what the syntactic source needs to type it later. */
export interface SynSym extends Sym {
  readonly owner: SynSym | null;
  /** A value's declared type; a function's return type; an alias's target. */
  readonly typeAst: A.Type | null;
  /** What `Self` means at the declaration (the type of the enclosing impl). */
  readonly selfType: A.Type | null;
  /** The module whose names the declaration's types use. */
  readonly home: ModuleIndex | null;
  /** The domain of the declaration's own `@domain(...)`. */
  readonly ownDomain: Domain | null;
  /** Locals without a written type: what their initializer showed. */
  inferred: TypeInfo | null;
  /** Struct fields, enum variants, trait items, variant fields, by name. */
  readonly members: Map<string, SynSym>;
  /** For module symbols: the module's own index, when it is known. */
  module: ModuleIndex | null;
  /** The item a member comes from when it is not its owner (an impl block). */
  readonly container: A.Item | null;
}

export function makeSym(init: Partial<SynSym> & { name: string; kind: SymKind }): SynSym {
  return {
    decl: null,
    node: null,
    docs: [],
    mutable: false,
    owner: null,
    typeAst: null,
    selfType: null,
    home: null,
    ownDomain: null,
    inferred: null,
    members: new Map(),
    module: null,
    container: null,
    ...init,
  };
}

export interface ImplEntry {
  readonly node: A.ImplItem;
  /** The last path segment of the self type (`impl<T> Foo<T>` is `Foo`). */
  readonly selfName: string | null;
  readonly members: Map<string, SynSym>;
  readonly module: ModuleIndex;
}

export class ModuleIndex {
  readonly types = new Map<string, SynSym>();
  readonly values = new Map<string, SynSym>();
  /** `use a::b::c as d;` is `d → [a, b, c]`. */
  readonly imports = new Map<string, readonly A.Ident[]>();
  readonly globs: (readonly A.Ident[])[] = [];
  readonly impls: ImplEntry[] = [];
  readonly children = new Map<string, ModuleIndex>();
  /** The symbol of every declaration node in this module (items, members, variants, fields). */
  readonly symOf = new Map<A.Node, SynSym>();

  constructor(
    readonly name: string,
    readonly path: readonly string[],
    readonly parent: ModuleIndex | null,
    readonly items: readonly A.Item[],
    readonly isStdlib: boolean,
  ) {
    for (const it of items) this.add(it);
  }

  /** Direct children and the symbols of `mod m { ... }` items, by name. */
  child(name: string): ModuleIndex | undefined {
    return this.children.get(name);
  }

  private bind(map: Map<string, SynSym>, sym: SynSym): void {
    if (!map.has(sym.name)) map.set(sym.name, sym);
  }

  private add(it: A.Item): void {
    const base = { docs: it.docs, home: this as ModuleIndex, node: it as A.Node, ownDomain: annotatedDomain(it.annotations) };
    switch (it.kind) {
      case "UseItem":
        this.addUse(it.tree, []);
        return;
      case "ModItem": {
        const sym = makeSym({ ...base, name: it.name.name, kind: "module", decl: it.name.span });
        if (it.items) {
          const child = new ModuleIndex(it.name.name, [...this.path, it.name.name], this, it.items, this.isStdlib);
          this.children.set(it.name.name, child);
          sym.module = child;
        }
        this.symOf.set(it, sym);
        this.bind(this.types, sym);
        return;
      }
      case "ConstItem": {
        const kind = it.storage === "const" ? "const" : "static";
        const sym = makeSym({ ...base, name: it.name.name, kind, decl: it.name.span, typeAst: it.type, mutable: it.storage === "static mut" });
        this.symOf.set(it, sym);
        this.bind(this.values, sym);
        return;
      }
      case "StructItem": {
        const sym = makeSym({ ...base, name: it.name.name, kind: "struct", decl: it.name.span });
        if (it.body.kind === "named" || it.body.kind === "tuple") {
          it.body.fields.forEach((f, i) => this.addField(sym, f, i));
          if (it.body.kind === "tuple") this.bind(this.values, sym);
        }
        if (it.body.kind === "unit") this.bind(this.values, sym);
        this.symOf.set(it, sym);
        this.bind(this.types, sym);
        return;
      }
      case "EnumItem": {
        const sym = makeSym({ ...base, name: it.name.name, kind: "enum", decl: it.name.span });
        for (const v of it.variants) {
          const vs = makeSym({ name: v.name.name, kind: "variant", decl: v.name.span, node: v, docs: v.docs, owner: sym, home: this });
          v.fields.forEach((f, i) => this.addField(vs, f, i));
          this.symOf.set(v, vs);
          sym.members.set(vs.name, vs);
        }
        this.symOf.set(it, sym);
        this.bind(this.types, sym);
        return;
      }
      case "FnItem": {
        const sym = makeSym({ ...base, name: it.name.name, kind: "function", decl: it.name.span, typeAst: it.returnType });
        this.symOf.set(it, sym);
        this.bind(this.values, sym);
        return;
      }
      case "TraitItem": {
        const sym = makeSym({ ...base, name: it.name.name, kind: "trait", decl: it.name.span });
        for (const m of it.items) {
          const ms = this.memberSym(m, sym, null, it);
          if (ms) sym.members.set(ms.name, ms);
        }
        this.symOf.set(it, sym);
        this.bind(this.types, sym);
        return;
      }
      case "TypeAliasItem": {
        const sym = makeSym({ ...base, name: it.name.name, kind: "alias", decl: it.name.span, typeAst: it.type });
        this.symOf.set(it, sym);
        this.bind(this.types, sym);
        return;
      }
      case "ImplItem": {
        const members = new Map<string, SynSym>();
        for (const m of it.items) {
          const ms = this.memberSym(m, null, it.selfType, it);
          if (ms && !members.has(ms.name)) members.set(ms.name, ms);
        }
        this.impls.push({ node: it, selfName: lastSegmentName(it.selfType), members, module: this });
        return;
      }
      case "ErrorItem":
        return;
    }
  }

  private addField(owner: SynSym, f: A.FieldDecl, index: number): void {
    const name = f.name ? f.name.name : String(index);
    const fs = makeSym({ name, kind: "field", decl: f.name?.span ?? f.span, node: f, docs: f.docs, owner, typeAst: f.type, home: this });
    this.symOf.set(f, fs);
    owner.members.set(name, fs);
  }

  /** A function, constant or associated type declared in an impl or a trait. */
  private memberSym(m: A.Item, owner: SynSym | null, selfType: A.Type | null, container: A.Item): SynSym | null {
    const common = { docs: m.docs, node: m as A.Node, owner, selfType, home: this as ModuleIndex, container, ownDomain: annotatedDomain(m.annotations) };
    let sym: SynSym | null = null;
    if (m.kind === "FnItem") sym = makeSym({ ...common, name: m.name.name, kind: m.selfParam ? "method" : "function", decl: m.name.span, typeAst: m.returnType });
    else if (m.kind === "ConstItem") sym = makeSym({ ...common, name: m.name.name, kind: "const", decl: m.name.span, typeAst: m.type });
    else if (m.kind === "TypeAliasItem") sym = makeSym({ ...common, name: m.name.name, kind: "alias", decl: m.name.span, typeAst: m.type });
    if (sym) this.symOf.set(m, sym);
    return sym;
  }

  private addUse(tree: A.UseTree, prefix: readonly A.Ident[]): void {
    const path = [...prefix, ...tree.path];
    switch (tree.shape.kind) {
      case "simple": {
        const last = path[path.length - 1];
        if (!last) return;
        const local = tree.shape.alias?.name ?? (last.name === "self" ? path[path.length - 2]?.name : last.name);
        if (local && !this.imports.has(local)) this.imports.set(local, last.name === "self" ? path.slice(0, -1) : path);
        return;
      }
      case "glob":
        this.globs.push(path);
        return;
      case "group":
        for (const t of tree.shape.items) this.addUse(t, path);
        return;
    }
  }
}

export function lastSegmentName(t: A.Type): string | null {
  if (t.kind === "PathType") return t.segments[t.segments.length - 1]?.name.name ?? null;
  if (t.kind === "RefType") return lastSegmentName(t.inner);
  return null;
}

// ---------------------------------------------------------------------------
// Domains and signatures

export function domainOfName(name: string): Domain | null {
  return name === "K" ? "K" : name === "Q" ? "Q" : name === "Φ" || name === "Phi" ? "Φ" : null;
}

/** The domain an item's `@domain(...)` annotation declares, if any. */
export function annotatedDomain(anns: readonly A.Annotation[]): Domain | null {
  for (const a of anns) {
    if (a.name.name !== "domain" || !a.args || a.args.length !== 1) continue;
    const e = a.args[0]!;
    if (e.kind === "PathExpr" && e.segments.length === 1) return domainOfName(e.segments[0]!.name.name);
  }
  return null;
}

const PRIMITIVES = ["u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32", "f64", "bool", "char", "String", "str"];
export const PRIMITIVE_TYPES: ReadonlySet<string> = new Set(PRIMITIVES);
/** Type constructors the compiler provides rather than any DPL file. */
export const BUILTIN_TYPES: readonly string[] = [...PRIMITIVES, "Vec", "K", "Q", "Φ", "Phi", "DomainType"];

const builtinSyms = new Map<string, SynSym>(
  BUILTIN_TYPES.map((n) => [n, makeSym({ name: n, kind: "builtin", ownDomain: PRIMITIVE_TYPES.has(n) ? "K" : domainOfName(n) })]),
);

export function builtinType(name: string): SynSym | undefined {
  return builtinSyms.get(name);
}

/** The declaration of an item without body or docs: what hover and completion show. */
export function itemSignature(it: A.Item): string {
  switch (it.kind) {
    case "FnItem":
      return printItem({ ...it, docs: [], body: { kind: "none" } }, "");
    case "ImplItem":
    case "TraitItem":
      return printItem({ ...it, docs: [], items: [] }, "").replace(/ \{\n\}$/, "");
    case "ModItem":
      return `${it.isPub ? "pub " : ""}mod ${it.name.name}`;
    case "EnumItem": {
      const shown = it.variants.slice(0, 16).map((v) => ({ ...v, docs: [] }));
      const text = printItem({ ...it, docs: [], variants: shown }, "");
      return it.variants.length > shown.length ? text.replace(/\}$/, `    // … ${it.variants.length - shown.length} more\n}`) : text;
    }
    case "StructItem":
      if (it.body.kind === "named" || it.body.kind === "tuple") {
        const fields = it.body.fields.map((f) => ({ ...f, docs: [] }));
        return printItem({ ...it, docs: [], body: { ...it.body, fields } }, "");
      }
      return printItem({ ...it, docs: [] }, "");
    default:
      return printItem({ ...it, docs: [] }, "");
  }
}
