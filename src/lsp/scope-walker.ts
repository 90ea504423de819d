/**
 * One pass over a document's syntax tree that resolves every identifier it can, with
 * lexical scopes (parameters, `let`, patterns of `match`/`if let`/`for`, closures, block
 * items), and types what it can on the way: a struct literal, a constructor or function
 * call, a field access and a method call all have the type their declarations write. The
 * pass records identifier references, where each local is visible, and the type of every
 * expression it could type (so completion after `x.` knows `x`).
 */
import type * as A from "../syntax/ast.js";
import type { Ref, TypeInfo } from "./semantic-source.js";
import { builtinType, domainOfName, makeSym, ModuleIndex, type SynSym } from "./item-index.js";
import { spanOffsets } from "./positions.js";
import type { Ns, SyntacticSource } from "./syntax-resolver.js";

export interface WalkResult {
  /** Sorted by start offset, at most one per identifier. */
  readonly refs: Ref[];
  readonly locals: { readonly sym: SynSym; readonly from: number; readonly to: number }[];
  /** Every expression, and (same index) the type the syntax shows, null when it shows none. */
  readonly exprNodes: A.Expr[];
  readonly exprTypes: (TypeInfo | null)[];
  /** Inline modules and blocks with items: which index names resolve in. */
  readonly moduleRanges: { readonly start: number; readonly end: number; readonly index: ModuleIndex }[];
  /** Impl and trait bodies: what `Self` is there. */
  readonly selfRanges: { readonly start: number; readonly end: number; readonly self: SynSym | null }[];
  /** Identifiers the syntax alone could not resolve, with the node the checker resolved. */
  readonly unresolved: { readonly start: number; readonly end: number; readonly node: A.Node }[];
}

export interface ExprEntry {
  readonly start: number;
  readonly end: number;
  readonly node: A.Expr;
  readonly type: TypeInfo | null;
}

export function walkModule(src: SyntacticSource, index: ModuleIndex, module: A.Module): WalkResult {
  const w = new Walker(src, index);
  w.items(module.items);
  w.result.refs.sort((a, b) => a.start - b.start || b.end - a.end);
  const refs: Ref[] = [];
  for (const r of w.result.refs) if (refs.length === 0 || refs[refs.length - 1]!.start !== r.start) refs.push(r);
  return { ...w.result, refs };
}

const COMPARISONS = new Set(["==", "!=", "<", "<=", ">", ">=", "&&", "||"]);
const UNIT: TypeInfo = { text: "()", domain: "K", def: null };

function prim(name: string): TypeInfo {
  return { text: name, domain: "K", def: builtinType(name) ?? null };
}

class Walker {
  readonly result: WalkResult = { refs: [], locals: [], exprNodes: [], exprTypes: [], moduleRanges: [], selfRanges: [], unresolved: [] };
  private readonly scopes: Map<string, SynSym>[] = [];
  private readonly typeParams: Map<string, SynSym>[] = [];
  private selfType: A.Type | null = null;
  private selfSym: SynSym | null = null;
  private readonly special = new Map<string, SynSym>();

  constructor(
    private readonly src: SyntacticSource,
    private index: ModuleIndex,
  ) {}

  /**
   * Record what an identifier means. `owner` is the node the checker's tables key its
   * resolution on (the path, the method call, the field access, the pattern, the item).
   */
  private ref(ident: { readonly span: A.Node["span"] }, sym: SynSym | null | undefined, isDecl = false, owner?: A.Node): void {
    const { start, end } = spanOffsets(ident.span);
    if (end <= start) return;
    if (sym) this.result.refs.push({ start, end, sym, isDecl, ...(owner ? { node: owner } : {}) });
    else if (owner) this.result.unresolved.push({ start, end, node: owner });
  }

  private specialSym(kind: "macro" | "annotation", name: string): SynSym {
    const key = `${kind}:${name}`;
    let s = this.special.get(key);
    if (!s) this.special.set(key, (s = makeSym({ name, kind })));
    return s;
  }

  private typeParamMap(): Map<string, SynSym> {
    const out = new Map<string, SynSym>();
    for (const m of this.typeParams) for (const [k, v] of m) out.set(k, v);
    return out;
  }

  // -------------------------------------------------------------------------
  // Items

  items(items: readonly A.Item[]): void {
    for (const it of items) this.item(it);
  }

  private withGenerics(generics: readonly A.GenericParam[], body: () => void): void {
    const m = new Map<string, SynSym>();
    for (const g of generics) {
      const s = makeSym({ name: g.name.name, kind: "typeParam", decl: g.name.span, node: g });
      m.set(s.name, s);
      this.ref(g.name, s, true);
    }
    this.typeParams.push(m);
    for (const g of generics) for (const b of g.bounds) this.type(b);
    body();
    this.typeParams.pop();
  }

  private item(it: A.Item): void {
    this.annotations(it.annotations);
    const sym = this.index.symOf.get(it);
    const decl = (name: A.Ident): void => this.ref(name, sym, true, it);
    switch (it.kind) {
      case "UseItem":
        this.useTree(it.tree, []);
        return;
      case "ModItem": {
        decl(it.name);
        const child = this.index.children.get(it.name.name);
        if (it.items && child) {
          const saved = this.index;
          this.index = child;
          this.result.moduleRanges.push({ ...spanOffsets(it.span), index: child });
          this.items(it.items);
          this.index = saved;
        }
        return;
      }
      case "ConstItem":
        decl(it.name);
        if (it.type) this.type(it.type);
        if (it.value) this.expr(it.value);
        return;
      case "StructItem":
        decl(it.name);
        this.withGenerics(it.generics, () => {
          if (it.body.kind === "named" || it.body.kind === "tuple") this.fields(it.body.fields);
        });
        return;
      case "EnumItem":
        decl(it.name);
        this.withGenerics(it.generics, () => {
          for (const v of it.variants) {
            this.ref(v.name, this.index.symOf.get(v), true, v);
            this.fields(v.fields);
            if (v.discriminant) this.expr(v.discriminant);
          }
        });
        return;
      case "FnItem":
        this.fn(it, sym);
        return;
      case "ImplItem":
        this.withGenerics(it.generics, () => {
          if (it.trait) this.type(it.trait);
          this.type(it.selfType);
          this.inSelf(it.selfType, this.src.resolveType(it.selfType, this.index, null, this.typeParamMap()).def as SynSym | null, it, () => this.items(it.items));
        });
        return;
      case "TraitItem":
        decl(it.name);
        this.withGenerics(it.generics, () => {
          for (const s of it.supertraits) this.type(s);
          this.inSelf(null, sym ?? null, it, () => this.items(it.items));
        });
        return;
      case "TypeAliasItem":
        decl(it.name);
        this.withGenerics(it.generics, () => {
          if (it.type) this.type(it.type);
        });
        return;
      case "ErrorItem":
        return;
    }
  }

  private inSelf(selfType: A.Type | null, self: SynSym | null, node: A.Node, body: () => void): void {
    const saved = [this.selfType, this.selfSym] as const;
    this.selfType = selfType;
    this.selfSym = self;
    this.result.selfRanges.push({ ...spanOffsets(node.span), self });
    body();
    [this.selfType, this.selfSym] = saved;
  }

  private fields(fields: readonly A.FieldDecl[]): void {
    for (const f of fields) {
      if (f.name) this.ref(f.name, this.index.symOf.get(f), true);
      this.type(f.type);
    }
  }

  private fn(it: A.FnItem, sym: SynSym | undefined): void {
    this.ref(it.name, sym, true, it);
    this.withGenerics(it.generics, () => {
      for (const p of it.params) this.type(p.type);
      if (it.returnType) this.type(it.returnType);
      for (const w of it.where) {
        this.type(w.type);
        for (const b of w.bounds) this.type(b);
      }
      if (it.body.kind !== "block") return;
      const { start, end } = spanOffsets(it.span);
      this.scopes.push(new Map());
      if (it.selfParam) {
        const p = it.selfParam;
        const base = this.selfType ? this.src.resolveType(this.selfType, this.index, null, this.typeParamMap()) : this.selfSym ? this.src.typeOf(this.selfSym) : null;
        const prefix = p.mode === "ref" ? "&" : p.mode === "refMut" ? "&mut " : "";
        const self = makeSym({ name: "self", kind: "self", decl: p.span, node: p, mutable: p.mode === "mutValue", home: this.index, selfType: this.selfType, owner: this.selfSym, typeAst: p.type });
        self.inferred = base ? { ...base, text: prefix + (this.selfType || !this.selfSym ? base.text : "Self") } : null;
        this.declare(self, start, end);
      }
      for (const p of it.params) this.bindPattern(p.pattern, "param", p.type, null, start, end);
      this.block(it.body.block);
      this.scopes.pop();
    });
  }

  private annotations(anns: readonly A.Annotation[]): void {
    for (const a of anns) {
      this.ref(a.name, this.specialSym("annotation", a.name.name));
      for (const arg of a.args ?? []) {
        const domainArg = a.name.name === "domain" && arg.kind === "PathExpr" && arg.segments.length === 1 && domainOfName(arg.segments[0]!.name.name);
        if (domainArg) this.ref(arg.segments[0]!.name, builtinType(arg.segments[0]!.name.name));
        else if (a.name.name !== "derive" && a.name.name !== "capability") this.expr(arg);
      }
    }
  }

  private useTree(tree: A.UseTree, prefix: readonly A.Ident[]): void {
    const full = [...prefix, ...tree.path];
    let last: SynSym | null = null;
    tree.path.forEach((id, i) => {
      const upTo = full.slice(0, prefix.length + i + 1);
      const isLeaf = i === tree.path.length - 1 && tree.shape.kind === "simple";
      last = (isLeaf ? this.src.resolveImport(upTo, this.index, "value") : null) ?? this.src.resolveImport(upTo, this.index, "type");
      if (!["crate", "self", "super"].includes(id.name)) this.ref(id, last);
    });
    if (tree.shape.kind === "simple" && tree.shape.alias) this.ref(tree.shape.alias, last, true);
    if (tree.shape.kind === "group") for (const t of tree.shape.items) this.useTree(t, full);
  }

  // -------------------------------------------------------------------------
  // Types and paths

  private type(t: A.Type): void {
    switch (t.kind) {
      case "PathType":
        this.segments(t.segments.map((s) => s.name), "type", t);
        for (const s of t.segments) for (const a of s.args ?? []) this.type(a);
        return;
      case "RefType":
      case "SliceType":
        this.type(t.kind === "RefType" ? t.inner : t.element);
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

  private lookupSingle(name: string, ns: Ns): SynSym | null {
    if (ns === "value") {
      for (let i = this.scopes.length - 1; i >= 0; i--) {
        const hit = this.scopes[i]!.get(name);
        if (hit) return hit;
      }
      return this.src.lookup(name, "value", this.index) ?? this.src.lookupIn(this.index, name, "type");
    }
    for (let i = this.typeParams.length - 1; i >= 0; i--) {
      const hit = this.typeParams[i]!.get(name);
      if (hit) return hit;
    }
    return this.src.lookup(name, "type", this.index);
  }

  /** Resolve a path segment by segment, recording a reference for each resolved one. */
  private segments(ids: readonly A.Ident[], ns: Ns, owner?: A.Node): SynSym | null {
    let cur: SynSym | null = null;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const last = i === ids.length - 1;
      if (i === 0) {
        if (ids.length > 1 && (id.name === "crate" || id.name === "super" || id.name === "self")) {
          cur = this.src.resolveImport([id], this.index, "type");
          continue;
        }
        if (id.name === "Self") cur = this.selfSym;
        else if (ids.length === 1) cur = this.lookupSingle(id.name, ns);
        else cur = this.lookupSingle(id.name, "type") ?? this.src.moduleNamed(id.name, this.index);
      } else cur = cur ? this.src.step(cur, id.name, last ? ns : "type") : null;
      this.ref(id, cur, false, last ? owner : undefined);
      if (!cur) return null;
    }
    return cur;
  }

  private pathSym(p: A.PathExpr, ns: Ns = "value"): SynSym | null {
    for (const s of p.segments) for (const a of s.args ?? []) this.type(a);
    return this.segments(p.segments.map((s) => s.name), ns, p);
  }

  private valueType(s: SynSym): TypeInfo | null {
    if (s.kind === "function" || s.kind === "method" || s.kind === "module" || s.kind === "trait" || s.kind === "typeParam") return null;
    return this.src.typeOf(s);
  }

  // -------------------------------------------------------------------------
  // Scopes and patterns

  private declare(sym: SynSym, from: number, to: number): void {
    this.scopes[this.scopes.length - 1]?.set(sym.name, sym);
    this.result.locals.push({ sym, from, to });
  }

  private bindPattern(p: A.Pattern, kind: "local" | "param", typeAst: A.Type | null, inferred: TypeInfo | null, from: number, to: number): void {
    switch (p.kind) {
      case "BindingPattern": {
        if (!p.isMut && !p.isRef && !p.subpattern && /^[A-Z]/.test(p.name.name)) {
          // `None`, `MAX`: a pattern that names a unit variant or constant binds nothing.
          const s = this.src.lookup(p.name.name, "value", this.index);
          if (s && (s.kind === "variant" || s.kind === "const" || s.kind === "static" || s.kind === "struct")) {
            this.ref(p.name, s, false, p);
            return;
          }
        }
        const sym = makeSym({ name: p.name.name, kind, decl: p.name.span, node: p, mutable: p.isMut, typeAst, selfType: this.selfType, home: this.index });
        if (!typeAst) sym.inferred = inferred;
        this.ref(p.name, sym, true, p);
        this.declare(sym, from, to);
        if (p.subpattern) this.bindPattern(p.subpattern, kind, null, null, from, to);
        return;
      }
      case "TuplePattern":
        p.elements.forEach((e, i) => this.bindPattern(e, kind, typeAst?.kind === "TupleType" ? (typeAst.elements[i] ?? null) : null, null, from, to));
        return;
      case "PathPattern":
        this.pathSym(p.path);
        return;
      case "TupleStructPattern":
        this.pathSym(p.path);
        for (const e of p.elements) this.bindPattern(e, kind, null, null, from, to);
        return;
      case "StructPattern": {
        const s = this.pathSym(p.path, "type");
        for (const f of p.fields) {
          if (f.pattern) {
            this.ref(f.name, s?.members.get(f.name.name));
            this.bindPattern(f.pattern, kind, null, null, from, to);
          } else {
            const field = s?.members.get(f.name.name);
            const local = makeSym({ name: f.name.name, kind, decl: f.name.span, node: f, home: this.index });
            local.inferred = field ? this.src.typeOf(field) : null;
            this.ref(f.name, local, true);
            this.declare(local, from, to);
          }
        }
        return;
      }
      case "OrPattern":
        for (const a of p.alternatives) this.bindPattern(a, kind, typeAst, inferred, from, to);
        return;
      case "RefPattern":
        this.bindPattern(p.inner, kind, null, inferred, from, to);
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

  /** Bindings of `if let`/`while let`/`for`/a match arm: visible in `range`, gone after. */
  private scoped(bind: () => void, body: () => void): void {
    this.scopes.push(new Map());
    bind();
    body();
    this.scopes.pop();
  }

  private block(b: A.Block): TypeInfo | null {
    const items = b.stmts.flatMap((s) => (s.kind === "ItemStmt" ? [s.item] : []));
    const saved = this.index;
    const range = spanOffsets(b.span);
    if (items.length > 0) {
      // Items in a block are visible in the whole block, and resolve like module items.
      this.index = new ModuleIndex(saved.name, saved.path, saved, items, saved.isStdlib);
      this.result.moduleRanges.push({ ...range, index: this.index });
    }
    this.scopes.push(new Map());
    for (const s of b.stmts) {
      switch (s.kind) {
        case "LetStmt": {
          const t = s.init ? this.expr(s.init) : null;
          if (s.type) this.type(s.type);
          if (s.elseBlock) this.block(s.elseBlock);
          this.bindPattern(s.pattern, "local", s.type, t, spanOffsets(s.span).end, range.end);
          break;
        }
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
    const t = b.tail ? this.expr(b.tail) : null;
    this.scopes.pop();
    this.index = saved;
    return t;
  }

  private condition(cond: A.Expr, body: A.Block): TypeInfo | null {
    if (cond.kind !== "LetCondExpr") {
      this.expr(cond);
      return this.block(body);
    }
    const t = this.expr(cond.value);
    const range = spanOffsets(body.span);
    let out: TypeInfo | null = null;
    this.scoped(() => this.bindPattern(cond.pattern, "local", null, t, range.start, range.end), () => (out = this.block(body)));
    return out;
  }

  // -------------------------------------------------------------------------
  // Expressions

  private expr(e: A.Expr): TypeInfo | null {
    const t = this.exprInner(e);
    // Two flat arrays: one record per expression would be most of this pass's garbage.
    this.result.exprNodes.push(e);
    this.result.exprTypes.push(t);
    return t;
  }

  private exprInner(e: A.Expr): TypeInfo | null {
    switch (e.kind) {
      case "IntLit":
        return e.suffix ? prim(e.suffix) : { text: "{integer}", domain: "K", def: null };
      case "FloatLit":
        return e.suffix ? prim(e.suffix) : { text: "{float}", domain: "K", def: null };
      case "StrLit":
        return prim("String");
      case "CharLit":
        return prim("char");
      case "BoolLit":
        return prim("bool");
      case "PathExpr": {
        const s = this.pathSym(e);
        return s ? this.valueType(s) : null;
      }
      case "UnaryExpr":
      case "ParenExpr":
        return this.expr(e.kind === "UnaryExpr" ? e.operand : e.inner);
      case "RefExpr": {
        const t = this.expr(e.operand);
        return t ? { ...t, text: `&${e.isMut ? "mut " : ""}${t.text}` } : null;
      }
      case "BinaryExpr": {
        const l = this.expr(e.left);
        const r = this.expr(e.right);
        return COMPARISONS.has(e.op) ? prim("bool") : (l ?? r);
      }
      case "AssignExpr":
        this.expr(e.target);
        this.expr(e.value);
        return UNIT;
      case "CallExpr": {
        const s = e.callee.kind === "PathExpr" ? this.pathSym(e.callee) : (this.expr(e.callee), null);
        for (const a of e.args) this.expr(a);
        // A call of a function has its return type; a constructor call, its type.
        return s && (s.kind === "function" || s.kind === "method" || s.kind === "struct" || s.kind === "variant") ? this.src.typeOf(s) : null;
      }
      case "MethodCallExpr": {
        const rt = this.expr(e.receiver);
        for (const t of e.typeArgs ?? []) this.type(t);
        for (const a of e.args) this.expr(a);
        const m = rt?.def ? this.src.typeMembers(rt.def as SynSym).find((x) => x.name === e.method.name && x.kind !== "field") : undefined;
        this.ref(e.method, m, false, e);
        return m ? this.src.typeOf(m) : null;
      }
      case "MacroCallExpr":
        this.ref(e.name, this.specialSym("macro", e.name.name));
        for (const a of e.args) this.expr(a);
        return e.name.name === "format" ? prim("String") : null;
      case "FieldExpr": {
        const ot = this.expr(e.object);
        const def = ot?.def as SynSym | null | undefined;
        const f = def && (def.kind === "struct" || def.kind === "variant") ? def.members.get(e.field.name) : undefined;
        this.ref(e.field, f, false, e);
        return f ? this.src.typeOf(f) : null;
      }
      case "IndexExpr":
      case "ArrayRepeatExpr":
        this.expr(e.kind === "IndexExpr" ? e.object : e.value);
        this.expr(e.kind === "IndexExpr" ? e.index : e.count);
        return null;
      case "CastExpr":
        this.expr(e.expr);
        this.type(e.type);
        return this.src.resolveType(e.type, this.index, this.selfType, this.typeParamMap());
      case "StructLitExpr": {
        const s = this.pathSym(e.path, "type");
        for (const f of e.fields) {
          this.ref(f.name, s?.members.get(f.name.name));
          if (f.value) this.expr(f.value);
        }
        if (e.base) this.expr(e.base);
        return s && (s.kind === "struct" || s.kind === "variant" || s.kind === "alias") ? this.src.typeOf(s) : null;
      }
      case "TupleExpr":
        e.elements.forEach((x) => this.expr(x));
        return e.elements.length === 0 ? UNIT : null;
      case "ArrayExpr":
        e.elements.forEach((x) => this.expr(x));
        return null;
      case "RangeExpr":
        if (e.start) this.expr(e.start);
        if (e.end) this.expr(e.end);
        return null;
      case "BlockExpr":
        return this.block(e.block);
      case "IfExpr": {
        const t = this.condition(e.condition, e.then);
        if (e.else?.kind === "Block") this.block(e.else);
        else if (e.else) this.expr(e.else);
        return t;
      }
      case "LetCondExpr":
        this.expr(e.value);
        this.bindPattern(e.pattern, "local", null, null, spanOffsets(e.span).end, spanOffsets(e.span).end);
        return prim("bool");
      case "MatchExpr": {
        const st = this.expr(e.scrutinee);
        for (const arm of e.arms) {
          const range = spanOffsets(arm.span);
          this.scoped(
            () => this.bindPattern(arm.pattern, "local", null, arm.pattern.kind === "BindingPattern" ? st : null, range.start, range.end),
            () => {
              if (arm.guard) this.expr(arm.guard);
              this.expr(arm.body);
            },
          );
        }
        return null;
      }
      case "WhileExpr":
        this.condition(e.condition, e.body);
        return UNIT;
      case "LoopExpr":
        this.block(e.body);
        return null;
      case "TryExpr":
        this.expr(e.expr);
        return null;
      case "ForExpr": {
        this.expr(e.iterable);
        const range = spanOffsets(e.body.span);
        this.scoped(() => this.bindPattern(e.pattern, "local", null, null, range.start, range.end), () => this.block(e.body));
        return UNIT;
      }
      case "BreakExpr":
      case "ReturnExpr":
        if (e.value) this.expr(e.value);
        return null;
      case "ClosureExpr": {
        const range = spanOffsets(e.span);
        this.scoped(
          () => {
            for (const p of e.params) {
              if (p.type) this.type(p.type);
              this.bindPattern(p.pattern, "param", p.type, null, range.start, range.end);
            }
            if (e.returnType) this.type(e.returnType);
          },
          () => this.expr(e.body),
        );
        return null;
      }
      default:
        return null;
    }
  }
}
