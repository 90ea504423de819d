/**
 * What the editor features know about a document, read from the analysis model and
 * nothing else: what each identifier refers to (the checker's resolution of the path,
 * segment, method call, field, pattern or type it belongs to), the type and domain of a
 * value, the names in scope at a position, the members of a type, where a definition is
 * declared. A file that is not open is as well known as one that is: the model checked
 * it, from disk, in the same analysis.
 *
 * The model may be from an earlier version of the document (the last good analysis while
 * a new one runs): the incremental parse keeps the nodes of unchanged code, so what the
 * model says about nodes still in the tree holds; re-parsed code is unknown until then.
 */
import type * as A from "../syntax/ast.js";
import { chainLeft, chainSpine, isChain, type ChainExpr } from "../syntax/chains.js";
import type { Span } from "../syntax/source.js";
import type { ReadonlyModel } from "../semantic/model.js";
import type { Def, FieldDef, ImplDef, ModuleDef, StructDef, TraitDef, TraitRef, VariantDef } from "../semantic/defs.js";
import type { ReadonlyTables } from "../semantic/tables.js";
import { domainOf, printTy, shallow, type Ty } from "../semantic/types.js";
import { peel } from "../semantic/call-res.js";
import { spanOffsets } from "./positions.js";
import type { OpenDocument } from "./documents.js";
import { domainOfName, itemSignature, type Domain } from "./signatures.js";

export type { Domain } from "./signatures.js";

export type SymKind =
  | "module"
  | "struct"
  | "enum"
  | "variant"
  | "trait"
  | "alias"
  | "typeParam"
  | "function"
  | "method"
  | "const"
  | "static"
  | "field"
  | "param"
  | "self"
  | "local"
  | "builtin"
  | "macro"
  | "annotation";

/** A declaration: an item, member, binding or builtin. */
export interface Sym {
  readonly name: string;
  readonly kind: SymKind;
  /** The declaring identifier, where "go to definition" lands; null for builtins. */
  readonly decl: Span | null;
  /** The real path of the file of `decl` (null for unsaved buffers and builtins). */
  readonly declPath: string | null;
  readonly docs: readonly string[];
  readonly mutable: boolean;
  /** Fields know the struct or variant that declares them. */
  readonly owner: { readonly name: string } | null;
  /** The model's definition; null for builtins, macros and annotations. */
  readonly def: Def | FieldDef | null;
}

/** A type as the editor shows it, with its domain and (when it names one) its declaration. */
export interface TypeInfo {
  readonly text: string;
  readonly domain: Domain | null;
  /** The struct, enum or alias the type names (after `&` and domain wrappers). */
  readonly def: Sym | null;
  readonly ty: Ty | null;
}

/** An identifier occurrence: a declaration or a use, with what it means. */
export interface Ref {
  readonly start: number;
  readonly end: number;
  readonly sym: Sym;
  readonly isDecl: boolean;
  /**
   * `S { x }` in a struct literal or pattern: the one name is both the local `sym` and this
   * field, so renaming either must spell the other out (`S { x: y }`).
   */
  readonly shorthandField?: Sym;
}

export interface DocumentSemantics {
  /** Every identifier the model resolves, sorted by offset. */
  readonly refs: readonly Ref[];
  refAt(offset: number): Ref | undefined;
  /** The type of the value a symbol denotes (a function's: its return type). */
  typeOf(sym: Sym): TypeInfo | null;
  domainOf(sym: Sym): Domain | null;
  /** The type of the innermost expression around `offset`, when known. */
  typeAt(offset: number): TypeInfo | null;
  /** The type of the expression ending at `offset` (the receiver of a `.` being typed). */
  typeOfExpressionBefore(offset: number): TypeInfo | null;
  /** Names visible at `offset`, innermost first, shadowed ones left out. */
  scopeAt(offset: number): Sym[];
  /** Fields and methods of values of a type (looking through `&` and domain wrappers). */
  membersOf(type: TypeInfo): Sym[];
  /** What `a::b::` offers: variants, associated functions and constants, module items. */
  pathMembers(path: readonly string[], offset: number): Sym[];
  /** The signature line(s) of a declaration, as DPL source. */
  signature(sym: Sym): string;
  /** The symbol of a model definition (an impl's trait, a type's declaration). */
  symFor(def: Def | FieldDef): Sym | null;
  /** The impls this document declares (items, inline modules, blocks), with what they implement. */
  impls(): readonly { readonly item: A.ImplItem; readonly def: ImplDef }[];
}

const PRIMITIVES = ["u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize", "f32", "f64", "bool", "char", "String", "str"];
const BUILTIN_TYPES: readonly string[] = [...PRIMITIVES, "Vec", "K", "Q", "Φ", "Phi", "DomainType"];

function special(name: string, kind: "builtin" | "macro" | "annotation"): Sym {
  return { name, kind, decl: null, declPath: null, docs: [], mutable: false, owner: null, def: null };
}

const builtins = new Map(BUILTIN_TYPES.map((n) => [n, special(n, "builtin")]));

/** Semantics of a document with no analysis yet: nothing is known. */
const NO_SEMANTICS: DocumentSemantics = {
  refs: [],
  refAt: () => undefined,
  typeOf: () => null,
  domainOf: () => null,
  typeAt: () => null,
  typeOfExpressionBefore: () => null,
  scopeAt: () => [],
  membersOf: () => [],
  pathMembers: () => [],
  signature: (s) => s.name,
  symFor: () => null,
  impls: () => [],
};

const cache = new WeakMap<ReadonlyModel, WeakMap<object, ModelSemantics>>();

/** Meaning of an open document from the last analysis that read it (possibly of an earlier version). */
export function semanticsOf(pipeline: { analysis(doc: OpenDocument): { readonly model: ReadonlyModel } | undefined }, doc: OpenDocument): DocumentSemantics {
  const a = pipeline.analysis(doc);
  if (!a) return NO_SEMANTICS;
  const ast = doc.parsed().module.ast;
  let byAst = cache.get(a.model);
  if (!byAst) cache.set(a.model, (byAst = new WeakMap()));
  let sem = byAst.get(ast);
  if (!sem) byAst.set(ast, (sem = new ModelSemantics(a.model, doc.name, ast)));
  return sem;
}

/** Meaning of a module the model checked, by its own syntax tree (a file no editor has open). */
export function semanticsOfModule(model: ReadonlyModel, file: string, tree: { readonly items: readonly A.Item[] }): DocumentSemantics {
  let byAst = cache.get(model);
  if (!byAst) cache.set(model, (byAst = new WeakMap()));
  let sem = byAst.get(tree);
  if (!sem) byAst.set(tree, (sem = new ModelSemantics(model, file, tree)));
  return sem;
}

class ModelSemantics implements DocumentSemantics {
  private readonly syms = new Map<object, Sym>();
  private readonly specials = new Map<string, Sym>();
  private refList: Ref[] | undefined;
  private exprList: A.Expr[] = [];
  private readonly tables: ReadonlyTables;

  /**
   * @param file   the document's name (as the model's spans carry it)
   * @param ast    the document's current syntax tree
   */
  constructor(
    private readonly model: ReadonlyModel,
    private readonly file: string,
    private readonly ast: { readonly items: readonly A.Item[] },
  ) {
    const m = model.moduleOfFile(file);
    this.tables = m ? model.tablesOf(m) : model.user.tables;
  }

  get refs(): readonly Ref[] {
    if (!this.refList) {
      const w = new RefWalker(this);
      for (const it of this.ast.items) w.item(it);
      this.exprList = w.exprs;
      this.refList = w.refs.sort((a, b) => a.start - b.start);
    }
    return this.refList;
  }

  get exprs(): readonly A.Expr[] {
    void this.refs;
    return this.exprList;
  }

  get t(): ReadonlyTables {
    return this.tables;
  }

  /**
   * Identifiers of one top-level item, for a request about a position before the whole
   * document has been walked: the first hover after an edit reads one item, not 5,000 lines.
   */
  private readonly itemRefs = new Map<A.Item, Ref[]>();

  private refsAround(offset: number): readonly Ref[] {
    if (this.refList) return this.refList;
    const items = this.ast.items;
    let lo = 0;
    let hi = items.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const { start, end } = spanOffsets(items[mid]!.span);
      if (offset < start) hi = mid - 1;
      else if (offset > end) lo = mid + 1;
      else {
        const it = items[mid]!;
        let refs = this.itemRefs.get(it);
        if (!refs) {
          const w = new RefWalker(this);
          w.item(it);
          this.itemRefs.set(it, (refs = w.refs.sort((a, b) => a.start - b.start)));
        }
        return refs;
      }
    }
    return this.refs;
  }

  refAt(offset: number): Ref | undefined {
    const refs = this.refsAround(offset);
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

  // -------------------------------------------------------------------------
  // Symbols

  symFor(def: Def | FieldDef, owner: { readonly name: string } | null = null): Sym {
    let s = this.syms.get(def);
    if (s) return s;
    if ("kind" in def && def.kind === "prim") return builtins.get(def.name) ?? special(def.name, "builtin");
    const site = this.model.definitionSite(def);
    s = {
      name: def.name,
      kind: kindOf(def),
      decl: site?.span ?? null,
      declPath: site?.path ?? null,
      docs: (def as { docs?: readonly string[] }).docs ?? [],
      mutable: (def as { mutable?: boolean }).mutable ?? false,
      owner,
      def,
    };
    this.syms.set(def, s);
    return s;
  }

  specialSym(name: string, kind: "macro" | "annotation"): Sym {
    const key = `${kind}:${name}`;
    let s = this.specials.get(key);
    if (!s) this.specials.set(key, (s = special(name, kind)));
    return s;
  }

  builtin(name: string): Sym | null {
    return builtins.get(name) ?? null;
  }

  /** The symbol a type stands for: the named struct/enum, a type parameter, a builtin. */
  symOfTy(t: Ty | undefined): Sym | null {
    if (!t) return null;
    const s = shallow(t);
    if (s.k === "adt") return this.symFor(s.def);
    if (s.k === "param") return this.symFor(s.def);
    if (s.k === "prim") return this.builtin(s.name);
    if (s.k === "dom") return this.symOfTy(s.inner);
    return null;
  }

  info(ty: Ty): TypeInfo {
    const p = peel(ty);
    return { text: printTy(ty), domain: domainOf(ty), def: p.k === "adt" ? this.symFor(p.def) : null, ty };
  }

  typeOf(sym: Sym): TypeInfo | null {
    const d = sym.def;
    if (!d) {
      if (sym.kind === "builtin" && PRIMITIVES.includes(sym.name)) return { text: sym.name, domain: "K", def: sym, ty: null };
      return null;
    }
    if (!("kind" in d)) return this.info(d.ty);
    switch (d.kind) {
      case "struct":
      case "enum":
        return { text: d.name, domain: d.ann.domain ?? "K", def: sym, ty: null };
      case "fn":
        return this.info(this.model.signature(d).ret);
      case "local":
        return this.info(d.ty);
      case "const":
        return d.ty ? this.info(d.ty) : null;
      case "variant":
        return { text: d.enumDef.name, domain: d.enumDef.ann.domain ?? "K", def: this.symFor(d.enumDef), ty: null };
      default:
        return null;
    }
  }

  domainOf(sym: Sym): Domain | null {
    const d = sym.def;
    if (!d) {
      if (sym.kind === "builtin") return domainOfName(sym.name) ?? (PRIMITIVES.includes(sym.name) ? "K" : null);
      return null;
    }
    if (!("kind" in d)) return domainOf(d.ty);
    switch (d.kind) {
      case "struct":
      case "enum":
        return d.ann.domain ?? "K";
      case "variant":
        return d.enumDef.ann.domain ?? "K";
      case "fn":
        return d.domain;
      case "local":
        return domainOf(d.ty);
      case "const":
        return d.ty ? domainOf(d.ty) : null;
      default:
        return null;
    }
  }

  signature(sym: Sym): string {
    const d = sym.def;
    if (!d) {
      if (sym.kind === "macro") return `${sym.name}!(...)`;
      if (sym.kind === "annotation") return `@${sym.name}`;
      return domainOfName(sym.name) ? `domain ${domainOfName(sym.name)}` : `type ${sym.name}`;
    }
    if (!("kind" in d)) return `${sym.owner ? `${sym.owner.name}.` : ""}${d.name}: ${printTy(d.ty)}`;
    switch (d.kind) {
      case "local":
        if (d.origin === "self") return `self: ${printTy(d.ty)}`;
        return `${d.origin === "let" || d.origin === "pattern" ? "let " : ""}${d.mutable ? "mut " : ""}${d.name}: ${printTy(d.ty)}`;
      case "generic":
        return `type parameter ${d.name}`;
      case "prim":
        return `type ${d.name}`;
      case "module":
        return `mod ${d.path.join("::") || d.name}`;
      case "variant": {
        const fields = d.fields ?? [];
        const shape = d.shape === "tuple" ? `(${fields.map((f) => printTy(f.ty)).join(", ")})` : d.shape === "struct" ? ` { ${fields.map((f) => `${f.name}: ${printTy(f.ty)}`).join(", ")} }` : "";
        return `${d.enumDef.name}::${d.name}${shape}`;
      }
      default: {
        const ast = d.ast as A.Item | null;
        if (!ast) {
          if (d.kind !== "fn") return d.name;
          const sig = this.model.signature(d);
          return `fn ${d.name}(${sig.params.map((p) => `${p.name}: ${printTy(p.ty)}`).join(", ")}) -> ${printTy(sig.ret)}`;
        }
        const sig = itemSignature(ast);
        if (d.kind === "fn" && d.owner?.kind === "impl") return `${itemSignature(d.owner.ast)}\n${sig}`;
        if (d.kind === "fn" && d.owner?.kind === "trait") return `trait ${d.owner.name}\n${sig}`;
        return sig;
      }
    }
  }

  // -------------------------------------------------------------------------
  // Positions

  typeAt(offset: number): TypeInfo | null {
    const around = this.exprs
      .map((e) => ({ e, ...spanOffsets(e.span) }))
      .filter((x) => x.start <= offset && offset < x.end)
      .sort((a, b) => a.end - a.start - (b.end - b.start));
    for (const x of around) {
      const t = this.typeOfExpr(x.e);
      if (t) return this.info(t);
    }
    return null;
  }

  typeOfExpressionBefore(offset: number): TypeInfo | null {
    let best: { e: A.Expr; start: number } | undefined;
    for (const e of this.exprs) {
      const { start, end } = spanOffsets(e.span);
      if (end === offset && (!best || start > best.start)) best = { e, start };
    }
    if (!best) return null;
    const t = this.typeOfExpr(best.e);
    if (t) return this.info(t);
    // Re-parsed since the last analysis: a plain name is the local of that name in scope.
    if (best.e.kind === "PathExpr" && best.e.segments.length === 1) {
      const name = best.e.segments[0]!.name.name;
      const l = this.model.localsAt(this.file, offset).find((x) => x.name === name);
      if (l) return this.info(l.ty);
    }
    return null;
  }

  private typeOfExpr(e: A.Expr): Ty | null {
    const t = this.tables.exprTypes.get(e);
    if (!t) return null;
    const s = shallow(t);
    return s.k === "error" || s.k === "var" ? null : t;
  }

  scopeAt(offset: number): Sym[] {
    const out = new Map<string, Sym>();
    for (const l of this.model.localsAt(this.file, offset)) out.set(l.name, this.symFor(l));
    const m = this.model.moduleAt(this.file, offset);
    if (m) {
      for (const d of this.model.itemsInScope(m)) if (!out.has(d.name)) out.set(d.name, this.symFor(d));
      for (const [n, root] of this.stdlibRoots()) if (!out.has(n)) out.set(n, this.symFor(root));
    }
    for (const [n, b] of builtins) if (!out.has(n)) out.set(n, b);
    return [...out.values()];
  }

  private stdlibRoots(): ReadonlyMap<string, ModuleDef> {
    return this.model.stdlibRoots();
  }

  membersOf(type: TypeInfo): Sym[] {
    let ty = type.ty;
    if (!ty && type.def?.def && "kind" in type.def.def && (type.def.def.kind === "struct" || type.def.def.kind === "enum")) ty = { k: "adt", def: type.def.def, args: [] };
    if (!ty) return [];
    const mem = this.model.membersOf(ty);
    const p = peel(ty);
    const owner = p.k === "adt" ? { name: p.def.name } : null;
    const out: Sym[] = [...mem.fields.map((f) => this.symFor(f, owner)), ...mem.methods.filter((f) => f.selfMode !== null).map((f) => this.symFor(f))];
    for (const i of mem.intrinsic) {
      const name = i.name.slice(i.name.lastIndexOf(".") + 1);
      out.push({ name, kind: "method", decl: null, declPath: null, docs: [], mutable: false, owner: null, def: null });
    }
    return out;
  }

  impls(): { item: A.ImplItem; def: ImplDef }[] {
    const out: { item: A.ImplItem; def: ImplDef }[] = [];
    const visitBlock = (b: A.Block): void => {
      for (const st of b.stmts) if (st.kind === "ItemStmt") visit([st.item]);
    };
    const visit = (items: readonly A.Item[]): void => {
      for (const it of items) {
        if (it.kind === "ImplItem") {
          const d = this.tables.itemDefs.get(it);
          if (d?.kind === "impl") out.push({ item: it, def: d });
          visit(it.items);
        } else if (it.kind === "ModItem") visit(it.items ?? []);
        else if (it.kind === "FnItem" && it.body.kind === "block") visitBlock(it.body.block);
      }
    };
    visit(this.ast.items);
    return out;
  }

  pathMembers(path: readonly string[], offset: number): Sym[] {
    if (path.length === 0) return [];
    const m = this.model.moduleAt(this.file, offset);
    if (!m) return [];
    const first = path[0]!;
    let cur: Def | null =
      this.model.itemsInScope(m).find((d) => d.name === first && d.kind !== "fn" && d.kind !== "const" && d.kind !== "local") ?? this.stdlibRoots().get(first) ?? null;
    if (first === "crate") cur = m.root;
    if (first === "super") cur = m.parent;
    for (const seg of path.slice(1)) {
      if (!cur) return [];
      cur = cur.kind === "module" ? (cur.children.get(seg) ?? cur.types.get(seg)?.def ?? null) : null;
    }
    if (!cur) return [];
    const out = new Map<string, Sym>();
    const add = (d: Def | null | undefined): void => {
      if (d && !out.has(d.name)) out.set(d.name, this.symFor(d));
    };
    switch (cur.kind) {
      case "module":
        for (const b of cur.types.values()) add(b.def ?? b.import?.type);
        for (const b of cur.values.values()) add(b.def ?? b.import?.value);
        for (const c of cur.children.values()) add(c);
        break;
      case "enum":
        for (const v of cur.variants) add(v);
        break;
      case "trait":
        for (const f of cur.methods.values()) add(f);
        break;
      default:
        break;
    }
    if (cur.kind === "enum" || cur.kind === "struct") {
      const mem = this.model.membersOf({ k: "adt", def: cur, args: [] });
      for (const f of mem.methods) add(f);
    }
    return [...out.values()];
  }
}

function kindOf(def: Def | FieldDef): SymKind {
  if (!("kind" in def)) return "field";
  switch (def.kind) {
    case "fn":
      return def.selfMode ? "method" : "function";
    case "const":
      return def.storage === "const" ? "const" : "static";
    case "local":
      return def.origin === "self" ? "self" : def.origin === "param" || def.origin === "closure-param" ? "param" : "local";
    case "generic":
      return "typeParam";
    case "prim":
      return "builtin";
    default:
      return def.kind;
  }
}

/** The trait of a lowered bound list that a written bound names (by its last segment). */
function boundNamed(bounds: readonly TraitRef[] | null | undefined, written: A.Type): TraitDef | null {
  if (written.kind !== "PathType" || !bounds) return null;
  const name = written.segments[written.segments.length - 1]?.name.name;
  return bounds.find((b) => b.trait.name === name)?.trait ?? null;
}

/** Fields of a struct or variant by name. */
function fieldNamed(def: StructDef | VariantDef | undefined | null, name: string): FieldDef | undefined {
  return def?.fields?.find((f) => f.name === name);
}

/** Every identifier of a document with the model's answer for it. */
class RefWalker {
  readonly refs: Ref[] = [];
  readonly exprs: A.Expr[] = [];
  private readonly t: ReadonlyTables;

  constructor(private readonly sem: ModelSemantics) {
    this.t = sem.t;
  }

  private ref(ident: { readonly span: Span }, sym: Sym | null | undefined, isDecl = false, shorthandField?: Sym): void {
    if (!sym) return;
    const { start, end } = spanOffsets(ident.span);
    if (end > start) this.refs.push({ start, end, sym, isDecl, ...(shorthandField ? { shorthandField } : {}) });
  }

  private def(ident: { readonly span: Span }, d: Def | FieldDef | null | undefined, isDecl = false, owner: { readonly name: string } | null = null): void {
    if (d) this.ref(ident, this.sem.symFor(d, owner), isDecl);
  }

  private segments(ids: readonly A.Ident[]): void {
    for (const id of ids) this.def(id, this.t.segmentRes.get(id));
  }

  item(it: A.Item): void {
    this.annotations(it.annotations);
    const d = this.t.itemDefs.get(it);
    const own = d && d.kind !== "impl" ? d : null;
    switch (it.kind) {
      case "UseItem":
        this.useTree(it.tree);
        return;
      case "ModItem":
        this.def(it.name, own, true);
        for (const x of it.items ?? []) this.item(x);
        return;
      case "ConstItem":
        this.def(it.name, own, true);
        if (it.type) this.type(it.type);
        if (it.value) this.expr(it.value);
        return;
      case "StructItem": {
        this.def(it.name, own, true);
        this.generics(it.generics, own);
        const sd = own && own.kind === "struct" ? own : null;
        if (it.body.kind === "named" || it.body.kind === "tuple") this.fields(it.body.fields, sd, it.name.name);
        return;
      }
      case "EnumItem":
        this.def(it.name, own, true);
        this.generics(it.generics, own);
        for (const v of it.variants) {
          const vd = this.t.itemDefs.get(v);
          this.def(v.name, vd && vd.kind === "variant" ? vd : null, true);
          this.fields(v.fields, vd && vd.kind === "variant" ? vd : null, v.name.name);
          if (v.discriminant) this.expr(v.discriminant);
        }
        return;
      case "FnItem":
        // The `main` dplc adds to run a v0.1 file's entry process is not in the text: its
        // name and call sit on the entry's name, which has its own definition there.
        if (it.synthetic) return;
        this.def(it.name, own, true);
        this.generics(it.generics, own);
        for (const p of it.params) {
          this.type(p.type);
          this.pattern(p.pattern);
        }
        if (it.returnType) this.type(it.returnType);
        for (const w of it.where) this.whereBounds(w, own);
        if (it.body.kind === "block") this.block(it.body.block);
        return;
      case "ImplItem":
        this.generics(it.generics, d ?? null);
        if (it.trait) this.traitPath(it.trait, d?.kind === "impl" ? (d.trait?.trait ?? null) : null);
        this.type(it.selfType);
        for (const x of it.items) this.item(x);
        return;
      case "TraitItem":
        this.def(it.name, own, true);
        this.generics(it.generics, own);
        for (const s of it.supertraits) this.traitPath(s, boundNamed(own?.kind === "trait" ? own.supertraits : null, s));
        for (const x of it.items) this.item(x);
        return;
      case "TypeAliasItem":
        this.def(it.name, own, true);
        this.generics(it.generics, own);
        if (it.type) this.type(it.type);
        return;
      default:
        return;
    }
  }

  private generics(gs: readonly A.GenericParam[], owner: object | null): void {
    const defs = ((owner as { generics?: readonly Def[] } | null)?.generics ?? []) as readonly Def[];
    for (const g of gs) {
      const gd = defs.find((x) => x.name === g.name.name);
      this.def(g.name, gd, true);
      for (const b of g.bounds) this.traitPath(b, boundNamed(gd?.kind === "generic" ? gd.bounds : null, b));
    }
  }

  /** `where T: Bound`: the bounds of the generic `T` names. */
  private whereBounds(w: { readonly type: A.Type; readonly bounds: readonly A.Type[] }, owner: object | null): void {
    this.type(w.type);
    const defs = ((owner as { generics?: readonly Def[] } | null)?.generics ?? []) as readonly Def[];
    const name = w.type.kind === "PathType" && w.type.segments.length === 1 ? w.type.segments[0]!.name.name : null;
    const gd = name ? defs.find((x) => x.name === name) : undefined;
    for (const b of w.bounds) this.traitPath(b, boundNamed(gd?.kind === "generic" ? gd.bounds : null, b));
  }

  private fields(fields: readonly A.FieldDecl[], owner: StructDef | VariantDef | null, ownerName: string): void {
    for (const f of fields) {
      if (f.name) this.def(f.name, fieldNamed(owner, f.name.name), true, { name: ownerName });
      this.type(f.type);
    }
  }

  private annotations(anns: readonly A.Annotation[]): void {
    for (const a of anns) {
      this.ref(a.name, this.sem.specialSym(a.name.name, "annotation"));
      for (const arg of a.args ?? []) {
        if (arg.kind === "PathExpr" && arg.segments.length === 1 && domainOfName(arg.segments[0]!.name.name)) this.ref(arg.segments[0]!.name, this.sem.builtin(arg.segments[0]!.name.name));
      }
    }
  }

  private useTree(tree: A.UseTree): void {
    this.segments(tree.path.filter((id) => !["crate", "self", "super"].includes(id.name)));
    if (tree.shape.kind === "simple" && tree.shape.alias) {
      const last = tree.path[tree.path.length - 1];
      this.def(tree.shape.alias, last ? this.t.segmentRes.get(last) : null, true);
    }
    if (tree.shape.kind === "group") for (const t of tree.shape.items) this.useTree(t);
  }

  /** A trait named in an impl or a bound: a trait is not a type, so the impl's or bound's own record names it. */
  private traitPath(t: A.Type, trait: TraitDef | null): void {
    const last = t.kind === "PathType" ? t.segments[t.segments.length - 1] : undefined;
    if (!trait || !last || t.kind !== "PathType") return this.type(t);
    this.segments(t.segments.slice(0, -1).map((s) => s.name));
    this.ref(last.name, this.sem.symFor(trait));
    for (const s of t.segments) for (const a of s.args ?? []) this.type(a);
  }

  private type(t: A.Type): void {
    switch (t.kind) {
      case "PathType": {
        const segs = t.segments;
        this.segments(segs.slice(0, -1).map((s) => s.name));
        const last = segs[segs.length - 1];
        if (last) {
          const resolved = this.t.typeRes.get(t);
          this.ref(last.name, this.sem.symOfTy(resolved) ?? this.sem.builtin(last.name.name) ?? (this.t.segmentRes.has(last.name) ? this.sem.symFor(this.t.segmentRes.get(last.name)!) : null));
        }
        for (const s of segs) for (const a of s.args ?? []) this.type(a);
        return;
      }
      case "RefType":
        this.type(t.inner);
        return;
      case "DynType":
        t.bounds.forEach((b) => this.type(b));
        return;
      case "SliceType":
        this.type(t.element);
        return;
      case "TupleType":
        t.elements.forEach((e) => this.type(e));
        return;
      case "ArrayType":
        this.type(t.element);
        this.expr(t.length);
        return;
      case "FnType":
        t.params.forEach((p) => this.type(p));
        if (t.returnType) this.type(t.returnType);
        return;
    }
  }

  private pattern(p: A.Pattern): void {
    switch (p.kind) {
      case "BindingPattern": {
        const l = this.t.bindings.get(p);
        if (l) this.def(p.name, l, true);
        else {
          const r = this.t.patRes.get(p);
          if (r) this.def(p.name, r.def);
        }
        if (p.subpattern) this.pattern(p.subpattern);
        return;
      }
      case "TuplePattern":
        p.elements.forEach((e) => this.pattern(e));
        return;
      case "PathPattern":
      case "TupleStructPattern":
      case "StructPattern": {
        const segs = p.path.segments;
        this.segments(segs.slice(0, -1).map((s) => s.name));
        const r = this.t.patRes.get(p);
        const last = segs[segs.length - 1];
        if (last && r) this.def(last.name, r.def);
        if (p.kind === "TupleStructPattern") p.elements.forEach((e) => this.pattern(e));
        if (p.kind === "StructPattern") {
          const owner = r && (r.def.kind === "struct" || r.def.kind === "variant") ? r.def : null;
          for (const f of p.fields) {
            const fd = fieldNamed(owner, f.name.name);
            if (f.pattern) {
              this.def(f.name, fd, false, owner);
              this.pattern(f.pattern);
            } else {
              const l = this.t.bindings.get(f);
              if (l) this.ref(f.name, this.sem.symFor(l), true, fd ? this.sem.symFor(fd, owner) : undefined);
              else this.def(f.name, fd, true);
            }
          }
        }
        return;
      }
      case "OrPattern":
        p.alternatives.forEach((a) => this.pattern(a));
        return;
      case "RefPattern":
        this.pattern(p.inner);
        return;
      case "LiteralPattern":
        this.expr(p.value);
        return;
      case "RangePattern":
        if (p.start) this.expr(p.start);
        if (p.end) this.expr(p.end);
        return;
      default:
        return;
    }
  }

  private block(b: A.Block): void {
    for (const s of b.stmts) {
      switch (s.kind) {
        case "LetStmt":
          if (s.init) this.expr(s.init);
          if (s.type) this.type(s.type);
          if (s.elseBlock) this.block(s.elseBlock);
          this.pattern(s.pattern);
          break;
        case "ExprStmt":
          this.expr(s.expr);
          break;
        case "ItemStmt":
          this.item(s.item);
          break;
        default:
          break;
      }
    }
    if (b.tail) this.expr(b.tail);
  }

  private path(p: A.PathExpr): void {
    this.segments(p.segments.slice(0, -1).map((s) => s.name));
    for (const s of p.segments) for (const a of s.args ?? []) this.type(a);
    const last = p.segments[p.segments.length - 1];
    const r = this.t.valueRes.get(p);
    if (!last || !r) return;
    if (r.kind === "local" || r.kind === "fn" || r.kind === "const" || r.kind === "variant" || r.kind === "struct") this.def(last.name, r.def);
  }

  /**
   * A chain with a loop (any length), in the recursion's order: the links outermost first,
   * the first operand, then what each link refers to after its left operand.
   */
  private chain(e: ChainExpr): void {
    const spine = chainSpine(e);
    for (const link of spine) this.exprs.push(link);
    this.expr(chainLeft(spine[spine.length - 1]!)!);
    for (let i = spine.length - 1; i >= 0; i--) this.linkRest(spine[i]!);
  }

  private linkRest(e: ChainExpr): void {
    switch (e.kind) {
      case "BinaryExpr":
        this.expr(e.right);
        return;
      case "MethodCallExpr": {
        const r = this.t.methodRes.get(e);
        if (r?.kind === "fn") this.def(e.method, r.def);
        for (const t of e.typeArgs ?? []) this.type(t);
        e.args.forEach((a) => this.expr(a));
        return;
      }
      case "FieldExpr": {
        const r = this.t.fieldRes.get(e);
        if (r?.field) this.def(e.field, r.field, false, r.owner);
        return;
      }
      case "IndexExpr":
        this.expr(e.index);
        return;
      case "CastExpr":
        this.type(e.type);
        return;
      case "TryExpr":
        return;
    }
  }

  expr(e: A.Expr): void {
    if (isChain(e)) return this.chain(e);
    this.exprs.push(e);
    switch (e.kind) {
      case "PathExpr":
        this.path(e);
        return;
      case "UnaryExpr":
      case "RefExpr":
        this.expr(e.operand);
        return;
      case "ParenExpr":
        this.expr(e.inner);
        return;
      case "AssignExpr":
        this.expr(e.target);
        this.expr(e.value);
        return;
      case "CallExpr":
        this.expr(e.callee);
        e.args.forEach((a) => this.expr(a));
        return;
      case "MacroCallExpr":
        this.ref(e.name, this.sem.specialSym(e.name.name, "macro"));
        e.args.forEach((a) => this.expr(a));
        return;
      case "ArrayRepeatExpr":
        this.expr(e.value);
        this.expr(e.count);
        return;
      case "StructLitExpr": {
        const def = this.t.structLits.get(e);
        const segs = e.path.segments;
        this.segments(segs.slice(0, -1).map((s) => s.name));
        const last = segs[segs.length - 1];
        if (last && def) this.def(last.name, def);
        for (const f of e.fields) {
          const fd = fieldNamed(def, f.name.name);
          if (f.value) {
            this.def(f.name, fd, false, def);
            this.expr(f.value);
          } else {
            // `S { x }`: the name is both the field and the value it reads.
            const p = this.t.shorthandFields.get(f);
            const r = p ? this.t.valueRes.get(p) : undefined;
            if (r && r.kind === "local") this.ref(f.name, this.sem.symFor(r.def), false, fd ? this.sem.symFor(fd, def) : undefined);
            else this.def(f.name, fd, false, def);
          }
        }
        if (e.base) this.expr(e.base);
        return;
      }
      case "TupleExpr":
      case "ArrayExpr":
        e.elements.forEach((x) => this.expr(x));
        return;
      case "RangeExpr":
        if (e.start) this.expr(e.start);
        if (e.end) this.expr(e.end);
        return;
      case "BlockExpr":
        this.block(e.block);
        return;
      case "IfExpr":
        this.expr(e.condition);
        this.block(e.then);
        if (e.else?.kind === "Block") this.block(e.else);
        else if (e.else) this.expr(e.else);
        return;
      case "LetCondExpr":
        this.expr(e.value);
        this.pattern(e.pattern);
        return;
      case "MatchExpr":
        this.expr(e.scrutinee);
        for (const arm of e.arms) {
          this.pattern(arm.pattern);
          if (arm.guard) this.expr(arm.guard);
          this.expr(arm.body);
        }
        return;
      case "WhileExpr":
        this.expr(e.condition);
        this.block(e.body);
        return;
      case "LoopExpr":
        this.block(e.body);
        return;
      case "ForExpr":
        this.expr(e.iterable);
        this.pattern(e.pattern);
        this.block(e.body);
        return;
      case "BreakExpr":
      case "ReturnExpr":
        if (e.value) this.expr(e.value);
        return;
      case "ClosureExpr":
        for (const p of e.params) {
          if (p.type) this.type(p.type);
          this.pattern(p.pattern);
        }
        if (e.returnType) this.type(e.returnType);
        this.expr(e.body);
        return;
      default:
        return;
    }
  }
}
