/**
 * Collection: the items of a module become definitions bound in its two namespaces
 * (types and values), in source order. Duplicates are DPL2002. Nothing is resolved here:
 * `use` items become pending bindings and all types are lowered later, so that items may
 * refer to each other in any order. A declaration that restates a prelude type is that
 * type (see "Restated corpus types" at the end).
 */
import { raise } from "../diagnostics/messages/message.js";
import { Duplicates } from "../diagnostics/messages/duplicates.js";
import type * as A from "../syntax/ast.js";
import type { Span } from "../syntax/source.js";
import type {
  Def,
  Binding,
  ConstDef,
  EnumDef,
  FnDef,
  GenericParamDef,
  ImplDef,
  ModuleDef,
  StructDef,
  TraitDef,
  VariantDef,
  AliasDef,
  Annotations,
  ImportCell,
} from "./defs.js";
import { parseAnnotations, type Reporter } from "./annotations.js";
import type { World } from "./world.js";

export interface CollectHost {
  readonly world: World;
  readonly report: Reporter;
  /** Create the module for `mod name;` (a file) or `mod name { ... }` (inline). */
  childModule(parent: ModuleDef, item: A.ModItem): ModuleDef | null;
  /** Items exported although not marked `pub` (the stdlib's verbatim corpus code). */
  exported?(m: ModuleDef, item: A.Item): boolean;
  /** The prelude type a struct/enum declaration restates (see the end of this file), if any. */
  restates?(m: ModuleDef, item: A.Item): Def | null;
}

/** Declarations that restate a prelude type, and the type they denote. */
export const restatedItems = new WeakMap<A.Item, Def>();

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function genericParams(ast: readonly A.GenericParam[], report: Reporter): GenericParamDef[] {
  const seen = new Map<string, A.GenericParam>();
  const out: GenericParamDef[] = [];
  ast.forEach((g, index) => {
    const prev = seen.get(g.name.name);
    if (prev) {
      raise(report, g.name.span, Duplicates.typeParameter(g.name.name), { related: [{ span: prev.name.span, message: Duplicates.firstDeclared() }] });
    }
    seen.set(g.name.name, g);
    out.push({ kind: "generic", name: g.name.name, span: g.name.span, ast: g, bounds: [], index, isSelf: false });
  });
  return out;
}

function bind(host: CollectHost, map: Map<string, Binding>, name: string, b: Binding, what: string): void {
  const prev = map.get(name);
  if (prev) {
    raise(host.report, b.span, Duplicates.name(name, what), { related: [{ span: prev.span, message: Duplicates.previousDefinition(name) }] });
    return;
  }
  map.set(name, b);
}

function makeFn(m: ModuleDef, ast: A.FnItem, owner: ImplDef | TraitDef | null, report: Reporter, inheritedDomain: Annotations["domain"] = null): FnDef {
  const ann = parseAnnotations(ast.annotations, report);
  return {
    kind: "fn",
    name: ast.name.name,
    module: m,
    nameSpan: ast.name.span,
    isPub: ast.isPub || (owner?.kind === "trait" ? true : false),
    docs: ast.docs,
    ast,
    generics: genericParams(ast.generics, report),
    selfMode: ast.selfParam ? ast.selfParam.mode : null,
    owner,
    ann,
    hasBody: ast.body.kind === "block",
    sig: null,
    domain: ann.domain ?? inheritedDomain ?? "K",
    intrinsic: null,
  };
}

function makeStruct(m: ModuleDef, ast: A.StructItem, report: Reporter): StructDef {
  return {
    kind: "struct",
    name: ast.name.name,
    module: m,
    nameSpan: ast.name.span,
    isPub: ast.isPub,
    docs: ast.docs,
    ast,
    generics: genericParams(ast.generics, report),
    shape: ast.body.kind,
    ann: parseAnnotations(ast.annotations, report),
    fields: null,
    fieldMap: null,
    builtin: null,
  };
}

function makeEnum(m: ModuleDef, ast: A.EnumItem, report: Reporter): EnumDef {
  const def: EnumDef = {
    kind: "enum",
    name: ast.name.name,
    module: m,
    nameSpan: ast.name.span,
    isPub: ast.isPub,
    docs: ast.docs,
    ast,
    generics: genericParams(ast.generics, report),
    ann: parseAnnotations(ast.annotations, report),
    variants: [],
    variantMap: new Map(),
  };
  ast.variants.forEach((v, index) => {
    const vd: VariantDef = { kind: "variant", name: v.name.name, enumDef: def, index, shape: v.shape, ast: v, nameSpan: v.name.span, fields: null, fieldMap: null, docs: v.docs };
    const prev = def.variantMap.get(v.name.name);
    if (prev) {
      raise(report, v.name.span, Duplicates.variant(v.name.name, def.name), { related: [{ span: prev.nameSpan, message: Duplicates.previousDefinition() }] });
      return;
    }
    def.variants.push(vd);
    def.variantMap.set(v.name.name, vd);
  });
  return def;
}

function makeConst(m: ModuleDef, ast: A.ConstItem, owner: ImplDef | null, report: Reporter): ConstDef {
  return {
    kind: "const",
    name: ast.name.name,
    module: m,
    nameSpan: ast.name.span,
    isPub: ast.isPub,
    docs: ast.docs,
    ast,
    storage: ast.storage,
    ty: null,
    owner,
    ann: parseAnnotations(ast.annotations, report),
  };
}

function makeTrait(m: ModuleDef, ast: A.TraitItem, report: Reporter): TraitDef {
  const selfParam: GenericParamDef = { kind: "generic", name: "Self", span: ast.name.span, ast: null, bounds: [], index: -1, isSelf: true };
  const def: TraitDef = {
    kind: "trait",
    name: ast.name.name,
    module: m,
    nameSpan: ast.name.span,
    isPub: ast.isPub,
    docs: ast.docs,
    ast,
    generics: genericParams(ast.generics, report),
    selfParam,
    methods: new Map(),
    supertraits: null,
    assocTypes: new Set(),
  };
  const ann = parseAnnotations(ast.annotations, report);
  for (const it of ast.items) {
    if (it.kind === "FnItem") {
      const f = makeFn(m, it, def, report, ann.domain);
      if (def.methods.has(f.name)) {
        raise(report, it.name.span, Duplicates.traitMethod(f.name, def.name), { related: [{ span: def.methods.get(f.name)!.nameSpan, message: Duplicates.firstDeclared() }] });
      } else def.methods.set(f.name, f);
    } else if (it.kind === "TypeAliasItem") def.assocTypes.add(it.name.name);
  }
  return def;
}

function makeImpl(m: ModuleDef, ast: A.ImplItem, report: Reporter): ImplDef {
  const impl: ImplDef = {
    kind: "impl",
    module: m,
    ast,
    generics: genericParams(ast.generics, report),
    trait: null,
    selfTy: null,
    methods: new Map(),
    consts: new Map(),
    assocTypes: new Map(),
  };
  const ann = parseAnnotations(ast.annotations, report);
  for (const it of ast.items) {
    if (it.kind === "FnItem") {
      const f = makeFn(m, it, impl, report, ann.domain);
      const prev = impl.methods.get(f.name);
      if (prev) {
        raise(report, it.name.span, Duplicates.definition(f.name), { related: [{ span: prev.nameSpan, message: Duplicates.previousDefinition(f.name) }] });
      } else impl.methods.set(f.name, f);
    } else if (it.kind === "ConstItem") impl.consts.set(it.name.name, makeConst(m, it, impl, report));
    else if (it.kind === "TypeAliasItem") impl.assocTypes.set(it.name.name, it);
  }
  return impl;
}

function makeAlias(m: ModuleDef, ast: A.TypeAliasItem, report: Reporter): AliasDef {
  parseAnnotations(ast.annotations, report);
  return {
    kind: "alias",
    name: ast.name.name,
    module: m,
    nameSpan: ast.name.span,
    isPub: ast.isPub,
    docs: ast.docs,
    ast,
    generics: genericParams(ast.generics, report),
    ty: null,
    resolving: false,
  };
}

/** Flatten a use tree into (path, local name, span) leaves and globs. */
function useLeaves(
  tree: A.UseTree,
  prefix: readonly A.Ident[],
  out: { path: A.Ident[]; name: A.Ident; span: Span }[],
  globs: { path: A.Ident[]; span: Span }[],
): void {
  const path = [...prefix, ...tree.path];
  switch (tree.shape.kind) {
    case "simple": {
      const last = path[path.length - 1];
      if (!last) return;
      // `use a::b::{self}` imports `b` itself.
      if (last.name === "self" && path.length > 1) {
        const target = path.slice(0, -1);
        out.push({ path: target, name: tree.shape.alias ?? target[target.length - 1]!, span: tree.span });
        return;
      }
      out.push({ path, name: tree.shape.alias ?? last, span: tree.span });
      return;
    }
    case "glob":
      globs.push({ path, span: tree.span });
      return;
    case "group":
      for (const t of tree.shape.items) useLeaves(t, path, out, globs);
  }
}

/**
 * Collect a module's items. Returns the impls found (registered after their self types are
 * lowered) so the caller can add them to its world.
 */
export function collectItems(host: CollectHost, m: ModuleDef, items: readonly A.Item[]): ImplDef[] {
  const impls: ImplDef[] = [];
  const r = host.report;
  for (const it of items) {
    const exported = host.exported !== undefined && !it.isPub && host.exported(m, it);
    const pub = <T extends { isPub: boolean }>(d: T): T => {
      if (exported) d.isPub = true;
      return d;
    };
    switch (it.kind) {
      case "UseItem": {
        const leaves: { path: A.Ident[]; name: A.Ident; span: Span }[] = [];
        const globs: { path: A.Ident[]; span: Span }[] = [];
        useLeaves(it.tree, [], leaves, globs);
        for (const l of leaves) {
          if (l.name.name === "_") continue;
          // One `use` binds the name in both namespaces; each resolves to whatever exists there.
          const cell: ImportCell = { path: l.path, module: m, span: l.name.span, state: "pending", type: null, value: null };
          const mk = (): Binding => ({ def: null, isPub: it.isPub, span: l.name.span, import: cell });
          const existingT = m.types.get(l.name.name);
          const existingV = m.values.get(l.name.name);
          const clash = existingT && !existingT.import ? existingT : existingV && !existingV.import ? existingV : undefined;
          if (clash) {
            raise(r, l.name.span, Duplicates.importClash(l.name.name), { related: [{ span: clash.span, message: Duplicates.previousDefinition(l.name.name) }] });
            continue;
          }
          if (existingT?.import || existingV?.import) {
            const prev = (existingT ?? existingV)!;
            raise(r, l.name.span, Duplicates.importedTwice(l.name.name), { related: [{ span: prev.span, message: Duplicates.previousImport(l.name.name) }] });
            continue;
          }
          m.types.set(l.name.name, mk());
          m.values.set(l.name.name, mk());
        }
        for (const g of globs) m.globs.push({ path: g.path, isPub: it.isPub, span: g.span });
        break;
      }
      case "ModItem": {
        parseAnnotations(it.annotations, r);
        const child = host.childModule(m, it);
        if (child) bind(host, m.types, it.name.name, { def: child, isPub: it.isPub, span: it.name.span }, "module");
        break;
      }
      case "StructItem": {
        const same = host.restates?.(m, it);
        if (same && same.kind === "struct") {
          restatedItems.set(it, same);
          bind(host, m.types, it.name.name, { def: same, isPub: it.isPub, span: it.name.span }, "item");
          if (same.shape === "tuple" || same.shape === "unit") bind(host, m.values, it.name.name, { def: same, isPub: it.isPub, span: it.name.span }, "item");
          break;
        }
        const d = pub(makeStruct(m, it, r) as Mutable<ReturnType<typeof makeStruct>>);
        bind(host, m.types, d.name, { def: d, isPub: d.isPub, span: d.nameSpan }, "item");
        if (d.shape === "tuple" || d.shape === "unit") bind(host, m.values, d.name, { def: d, isPub: d.isPub, span: d.nameSpan }, "item");
        break;
      }
      case "EnumItem": {
        const same = host.restates?.(m, it);
        if (same) {
          restatedItems.set(it, same);
          bind(host, m.types, it.name.name, { def: same, isPub: it.isPub, span: it.name.span }, "item");
          break;
        }
        const d = pub(makeEnum(m, it, r) as Mutable<ReturnType<typeof makeEnum>>);
        bind(host, m.types, d.name, { def: d, isPub: d.isPub, span: d.nameSpan }, "item");
        break;
      }
      case "FnItem": {
        const d = pub(makeFn(m, it, null, r) as Mutable<ReturnType<typeof makeFn>>);
        bind(host, m.values, d.name, { def: d, isPub: d.isPub, span: d.nameSpan }, "function");
        break;
      }
      case "ConstItem": {
        const d = pub(makeConst(m, it, null, r) as Mutable<ReturnType<typeof makeConst>>);
        bind(host, m.values, d.name, { def: d, isPub: d.isPub, span: d.nameSpan }, "item");
        break;
      }
      case "TraitItem": {
        const d = pub(makeTrait(m, it, r) as Mutable<ReturnType<typeof makeTrait>>);
        bind(host, m.types, d.name, { def: d, isPub: d.isPub, span: d.nameSpan }, "item");
        break;
      }
      case "TypeAliasItem": {
        const d = pub(makeAlias(m, it, r) as Mutable<ReturnType<typeof makeAlias>>);
        bind(host, m.types, d.name, { def: d, isPub: d.isPub, span: d.nameSpan }, "item");
        break;
      }
      case "ImplItem":
        impls.push(makeImpl(m, it, r));
        break;
      case "ErrorItem":
        break;
    }
  }
  return impls;
}


// ---------------------------------------------------------------------------
// Restated corpus types. The specification's modules restate types that the stdlib
// already holds verbatim: XDV-081 declares `CapabilityHandle`, which is also
// `runtime::capability::capability_handle::CapabilityHandle`; XDV-080 declares
// `LogicalClock` and then calls `advance(&mut GLOBAL_CLOCK)` on the kernel's clock; XDV-082
// restates the prelude's `enum DomainTag` with the ASCII spelling `Phi`.
//
// A struct or enum declared in a user module whose shape is identical to the prelude type
// of the same name (same generics count, same domain, same fields or variants with the
// same written types, `Phi` read as `Φ`) is that prelude type, not a new one: restating
// a declaration does not fork the type. Any difference makes it a type of its own, which
// shadows the prelude's as usual (language.md §8).

function canon(name: string): string {
  return name === "Phi" ? "Φ" : name;
}

function typeText(t: A.Type): string {
  switch (t.kind) {
    case "PathType":
      return t.segments.map((s) => canon(s.name.name) + (s.args ? `<${s.args.map(typeText).join(",")}>` : "")).join("::");
    case "RefType":
      return `&${t.isMut ? "mut " : ""}${typeText(t.inner)}`;
    case "TupleType":
      return `(${t.elements.map(typeText).join(",")})`;
    case "ArrayType":
      return `[${typeText(t.element)};${t.length.kind === "IntLit" ? t.length.value.toString() : "?"}]`;
    case "SliceType":
      return `[${typeText(t.element)}]`;
    case "FnType":
      return `fn(${t.params.map(typeText).join(",")})->${t.returnType ? typeText(t.returnType) : "()"}`;
    case "DynType":
      return `dyn ${t.bounds.map(typeText).join("+")}`;
    case "InferType":
      return "_";
    case "ErrorType":
      return "!error";
  }
}

function fieldsText(fields: readonly A.FieldDecl[]): string {
  return fields.map((f) => `${f.name ? canon(f.name.name) + ":" : ""}${typeText(f.type)}`).join(",");
}

function domainText(anns: readonly A.Annotation[]): string {
  for (const a of anns) {
    if (a.name.name !== "domain") continue;
    const arg = a.args?.[0];
    if (arg && arg.kind === "PathExpr") return canon(arg.segments.map((s) => s.name.name).join("::"));
  }
  return "K";
}

/** A canonical text of a struct or enum declaration's shape. */
export function shapeOf(item: A.StructItem | A.EnumItem): string {
  const head = `${item.kind}|${canon(item.name.name)}|${item.generics.length}|${domainText(item.annotations)}`;
  if (item.kind === "StructItem") {
    const b = item.body;
    const body = b.kind === "named" ? `{${fieldsText(b.fields)}}` : b.kind === "tuple" ? `(${fieldsText(b.fields)})` : b.kind;
    return `${head}|${body}`;
  }
  const variants = item.variants.map((v) => `${canon(v.name.name)}${v.shape === "tuple" ? `(${fieldsText(v.fields)})` : v.shape === "struct" ? `{${fieldsText(v.fields)}}` : ""}`);
  return `${head}|${variants.join("|")}`;
}

/** The prelude type this declaration restates, if any. */
export function restatedPreludeType(item: A.Item, prelude: ReadonlyMap<string, Def> | undefined): Def | null {
  if (!prelude || (item.kind !== "StructItem" && item.kind !== "EnumItem")) return null;
  const d = prelude.get(item.name.name) ?? prelude.get(canon(item.name.name));
  if (!d || (d.kind !== "struct" && d.kind !== "enum") || !d.ast) return null;
  if (d.ast.kind !== item.kind) return null;
  return shapeOf(d.ast) === shapeOf(item) ? d : null;
}
