/**
 * Meaning from the semantic checker, when its result for the document's current version
 * is at hand: the `CheckedProgram` of the last check the pipeline completed. Its tables,
 * keyed by syntax node, say what each path, method call, field access, pattern and type
 * resolved to and the type of every expression; the syntax-based answers remain for what
 * the tables do not cover (scopes for completion, paths being typed, broken code).
 */
import type * as A from "../syntax/ast.js";
import type { Span } from "../syntax/source.js";
import type { CheckedProgram, Def, FieldDef, LocalDef, Ty } from "../semantic/index.js";
import { domainOf, printTy } from "../semantic/index.js";
import type { Domain, DocumentSemantics, Ref, Sym, SymKind, TypeInfo } from "./semantic-source.js";
import { itemSignature, makeSym, type SynSym } from "./item-index.js";
import { spanOffsets } from "./positions.js";
import type { DocSemantics } from "./syntax-resolver.js";

/** A symbol that stands for a checker definition, with its type when it is a value. */
interface CheckedSym extends SynSym {
  readonly def: Def | FieldDef;
  readonly ty: Ty | null;
}

function isChecked(s: Sym): s is CheckedSym {
  return (s as Partial<CheckedSym>).def !== undefined;
}

type AdtTy = Extract<Ty, { k: "adt" }>;

/** Through references, domain wrappers and resolved inference variables, to a named type. */
function adtOf(t: Ty | null | undefined): AdtTy | null {
  for (let i = 0; t && i < 16; i++) {
    if (t.k === "adt") return t;
    if (t.k === "ref" || t.k === "dom") t = t.inner;
    else if (t.k === "var") t = t.v.binding;
    else return null;
  }
  return null;
}

export class CheckedSemantics implements DocumentSemantics {
  private readonly syms = new Map<object, CheckedSym>();
  private upgraded: Ref[] | undefined;
  private locals: Map<string, LocalDef[]> | undefined;

  /**
   * @param current  the program was checked from this version of the document; when not,
   *                 only what it says about nodes still in the tree is used, and positions
   *                 of declarations in this file come from the syntax, since they may have moved
   */
  constructor(
    private readonly base: DocSemantics,
    private readonly program: CheckedProgram,
    private readonly current: boolean,
  ) {}

  get refs(): readonly Ref[] {
    if (!this.upgraded) {
      const out = this.base.refs.map((r) => this.upgrade(r));
      for (const u of this.base.unresolved) {
        const sym = this.resolve(u.node);
        if (sym) out.push({ start: u.start, end: u.end, sym: this.placed(sym, null), isDecl: false, node: u.node });
      }
      this.upgraded = out.sort((a, b) => a.start - b.start);
    }
    return this.upgraded;
  }

  refAt(offset: number): Ref | undefined {
    const r = this.base.refAt(offset);
    if (r) return this.upgrade(r);
    const u = this.base.unresolved.find((x) => x.start <= offset && offset <= x.end);
    const sym = u ? this.resolve(u.node) : null;
    return u && sym ? { start: u.start, end: u.end, sym: this.placed(sym, null), isDecl: false, node: u.node } : undefined;
  }

  typeOf(sym: Sym): TypeInfo | null {
    if (!isChecked(sym)) return this.base.typeOf(sym);
    const d = sym.def;
    if ("kind" in d && (d.kind === "struct" || d.kind === "enum")) return { text: d.name, domain: d.ann.domain ?? "K", def: sym };
    if ("kind" in d && d.kind === "fn") return d.sig ? this.info(d.sig.ret) : null;
    return sym.ty ? this.info(sym.ty) : null;
  }

  domainOf(sym: Sym): Domain | null {
    if (!isChecked(sym)) return this.base.domainOf(sym);
    const d = sym.def;
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
        return this.base.domainOf(sym);
    }
  }

  typeOfExpressionBefore(offset: number): TypeInfo | null {
    const e = this.base.expressionBefore(offset);
    if (!e) return null;
    const ty = this.program.tables.exprTypes.get(e.node) ?? this.localTypeOf(e.node);
    return ty ? this.info(ty) : e.type;
  }

  /** The type of the innermost expression around `offset`, for hovers off identifiers. */
  typeAt(offset: number): TypeInfo | null {
    for (const e of this.base.expressionsAt(offset)) {
      const ty = this.program.tables.exprTypes.get(e.node);
      if (ty) return this.info(ty);
      if (e.type) return e.type;
    }
    return null;
  }

  /**
   * A program checked before the last edits does not know the nodes of re-parsed code,
   * but it knows the locals declared before the edit, where offsets have not moved: `x`
   * in a freshly typed `x.` is the local of that name declared at the same place.
   */
  private localTypeOf(e: A.Expr): Ty | null {
    if (e.kind !== "PathExpr" || e.segments.length !== 1) return null;
    const ref = this.base.refAt(spanOffsets(e.span).start);
    const decl = ref?.sym.decl;
    if (!decl || (ref.sym.kind !== "local" && ref.sym.kind !== "param")) return null;
    const at = spanOffsets(decl).start;
    for (const local of this.localsByName().get(ref.sym.name) ?? []) if (local.span.file === decl.file && spanOffsets(local.span).start === at) return local.ty;
    return null;
  }

  private localsByName(): Map<string, LocalDef[]> {
    if (!this.locals) {
      this.locals = new Map();
      for (const l of this.program.tables.bindings.values()) {
        const list = this.locals.get(l.name);
        if (list) list.push(l);
        else this.locals.set(l.name, [l]);
      }
    }
    return this.locals;
  }

  scopeAt(offset: number): Sym[] {
    return this.base.scopeAt(offset);
  }

  membersOf(type: TypeInfo): Sym[] {
    const def = type.def;
    if (!def || !isChecked(def) || !("kind" in def.def) || (def.def.kind !== "struct" && def.def.kind !== "enum")) return this.base.membersOf(type);
    const adt = def.def;
    const out: Sym[] = [];
    if (adt.kind === "struct") for (const f of adt.fields ?? []) out.push(this.symFor(f, f.ty));
    const seen = new Set(out.map((s) => s.name));
    const ty: Ty = { k: "adt", def: adt, args: [] };
    for (const impl of this.program.sema.impls.candidates(ty)) {
      const self = adtOf(impl.selfTy);
      if (!self || self.def !== adt) continue;
      for (const m of impl.methods.values()) {
        if (seen.has(m.name)) continue;
        seen.add(m.name);
        out.push(this.symFor(m, null));
      }
    }
    // Syntax knows methods the checker has not indexed (impls in files with errors).
    for (const s of this.base.membersOf({ ...type, def: this.base.source.lookup(adt.name, "type", this.base.index) })) if (!seen.has(s.name)) out.push(s);
    return out;
  }

  pathMembers(path: readonly string[], offset: number): Sym[] {
    return this.base.pathMembers(path, offset);
  }

  signature(sym: Sym): string {
    if (!isChecked(sym)) return this.base.signature(sym);
    const d = sym.def;
    if (!("kind" in d)) return `${sym.owner ? `${sym.owner.name}.` : ""}${d.name}: ${printTy(d.ty)}`;
    switch (d.kind) {
      case "local":
        return d.origin === "self" ? `self: ${printTy(d.ty)}` : `${d.origin === "let" || d.origin === "pattern" ? "let " : ""}${d.mutable ? "mut " : ""}${d.name}: ${printTy(d.ty)}`;
      case "generic":
        return `type parameter ${d.name}`;
      case "prim":
        return `type ${d.name}`;
      case "module":
        return `mod ${d.path.join("::") || d.name}`;
      case "variant":
        return this.base.signature(sym);
      default: {
        const ast = d.ast as A.Item | null;
        if (!ast) return d.kind === "fn" && d.sig ? `fn ${d.name}(${d.sig.params.map((p) => `${p.name}: ${printTy(p.ty)}`).join(", ")}) -> ${printTy(d.sig.ret)}` : d.name;
        const sig = itemSignature(ast);
        if (d.kind === "fn" && d.owner?.kind === "impl") return `${itemSignature(d.owner.ast)}\n${sig}`;
        if (d.kind === "fn" && d.owner?.kind === "trait") return `trait ${d.owner.name}\n${sig}`;
        return sig;
      }
    }
  }

  // -------------------------------------------------------------------------

  private info(ty: Ty): TypeInfo {
    const adt = adtOf(ty);
    return { text: printTy(ty), domain: domainOf(ty), def: adt ? this.symFor(adt.def, null) : null };
  }

  private upgrade(r: Ref): Ref {
    if (!r.node) return r;
    const sym = this.resolve(r.node);
    return sym ? { ...r, sym: this.placed(sym, r.sym.decl) } : r;
  }

  /** A symbol whose declaration is where the current text has it (see `current`). */
  private placed(sym: CheckedSym, syntacticDecl: Span | null): CheckedSym {
    if (this.current || sym.decl?.file !== this.base.doc.name) return sym;
    return { ...sym, decl: syntacticDecl };
  }

  /** What the checker resolved a node to, as a symbol; null when its tables have nothing. */
  private resolve(node: A.Node): CheckedSym | null {
    const t = this.program.tables;
    const n = node as A.Expr | A.Pattern | A.Type | A.Item | A.Variant;
    switch (n.kind) {
      case "PathExpr": {
        const r = t.valueRes.get(n);
        if (!r || r.kind === "error" || r.kind === "intrinsic") return null;
        return this.symFor(r.def, r.kind === "local" ? r.def.ty : r.kind === "const" ? r.def.ty : null);
      }
      case "MethodCallExpr": {
        const r = t.methodRes.get(n);
        return r && r.kind === "fn" ? this.symFor(r.def, null) : null;
      }
      case "FieldExpr": {
        const r = t.fieldRes.get(n);
        return r?.field ? this.symFor(r.field, r.field.ty, r.owner) : null;
      }
      case "BindingPattern": {
        const local = t.bindings.get(n);
        if (local) return this.symFor(local, local.ty);
        const p = t.patRes.get(n);
        return p ? this.symFor(p.def, null) : null;
      }
      case "PathType": {
        const ty = t.typeRes.get(n);
        const adt = adtOf(ty);
        return adt ? this.symFor(adt.def, null) : null;
      }
      default: {
        const d = t.itemDefs.get(n as A.Item | A.Variant);
        return d && d.kind !== "impl" ? this.symFor(d, null) : null;
      }
    }
  }

  private symFor(def: Def | FieldDef, ty: Ty | null, owner?: { readonly name: string } | null): CheckedSym {
    let s = this.syms.get(def);
    if (s) return s;
    const d = def as Partial<Def> & { name: string };
    const decl = declOf(def);
    s = {
      ...makeSym({ name: d.name, kind: kindOf(def), decl, docs: (def as { docs?: readonly string[] }).docs ?? [], mutable: (def as { mutable?: boolean }).mutable ?? false }),
      ...(owner ? { owner: makeSym({ name: owner.name, kind: "struct" }) } : {}),
      def,
      ty,
    };
    this.syms.set(def, s);
    return s;
  }
}

function declOf(def: Def | FieldDef): Span | null {
  const span = "nameSpan" in def ? def.nameSpan : "span" in def ? def.span : null;
  // Builtins live in a synthetic `<core>` source with no file to go to.
  return span && !span.file.startsWith("<") ? span : null;
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
