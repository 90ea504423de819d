/**
 * The documentation model of `dplc doc`: the modules of the given files, their items with
 * signatures as the checker typed them (each type with its domain), the capability
 * parameters, the annotations (`@deterministic`...), and the `///` and `//!` text. The HTML
 * and Markdown renderers (html.ts, markdown.ts) read this model and nothing else.
 *
 * Signatures are sequences of segments; a segment that names a documented type links to
 * it. Doc text stays raw here: each renderer escapes it for its own output.
 */
import type * as A from "../syntax/ast.js";
import type { Domain, FnDef, ModuleDef, StructDef, EnumDef, TraitDef, ConstDef, AliasDef, ImplDef } from "../semantic/defs.js";
import type { Sema } from "../semantic/context.js";
import type { CheckedProgram } from "../semantic/program.js";
import { constType, fnSig, implSelfTy, structFields, variantFields } from "../semantic/lower.js";
import { domainOf, isUnit, shallow, type Ty } from "../semantic/types.js";
import { printExpr, printType } from "../syntax/printer.js";
import { TEST_ANNOTATIONS } from "../semantic/annotations.js";

export interface ItemRef {
  /** The page of the module that defines the item (`runtime.process`, no extension). */
  readonly page: string;
  /** The item's anchor on that page (`struct.Process`). */
  readonly anchor: string;
}

export interface Seg {
  readonly text: string;
  readonly link?: ItemRef;
}

export interface DocParam {
  readonly name: string;
  readonly type: readonly Seg[];
  readonly domain: Domain;
  /** A `Capability<D, S>` or `CapabilityHandle` (or a reference to one): authority passed explicitly. */
  readonly capability: boolean;
}

export type ItemKind = "fn" | "method" | "struct" | "enum" | "trait" | "const" | "static" | "type" | "field" | "variant";

export interface DocItem {
  readonly kind: ItemKind;
  readonly name: string;
  /** `module::Item` or `module::Type::method`. */
  readonly path: string;
  readonly ref: ItemRef;
  readonly docs: readonly string[];
  /** Annotation lines as written (`@deterministic`, `@domain(Q)`), test marks left out. */
  readonly annotations: readonly string[];
  readonly signature: readonly Seg[];
  /** The item's domain: a type's, a function's (where it runs), a field's or constant's type's. */
  readonly domain: Domain | null;
  readonly deterministic: boolean;
  readonly capabilityRequired: boolean;
  readonly params: readonly DocParam[];
  readonly returns: { readonly type: readonly Seg[]; readonly domain: Domain } | null;
  readonly members: readonly DocItem[];
}

export interface DocModule {
  /** `runtime::process`. */
  readonly path: string;
  readonly page: string;
  readonly file: string;
  readonly docs: readonly string[];
  readonly items: readonly DocItem[];
  readonly submodules: readonly { readonly path: string; readonly page: string; readonly summary: string }[];
}

export interface DocSet {
  readonly modules: readonly DocModule[];
}

function isCapabilityType(t: Ty): boolean {
  let s = shallow(t);
  while (s.k === "ref") s = shallow(s.inner);
  return s.k === "adt" && (s.def.name === "Capability" || s.def.name === "CapabilityHandle");
}

function modulePath(m: ModuleDef): string[] {
  return m.isStdlib ? [...m.path] : [m.root.name, ...m.path];
}

/** Build the model of the modules `wanted` picks, stdlib or user (inline modules included). */
export function buildDocSet(checked: CheckedProgram, wanted: (m: ModuleDef) => boolean): DocSet {
  const worlds: { modules: readonly ModuleDef[]; sema: Sema }[] = [
    { modules: checked.stdlib.modules, sema: checked.stdlib.sema },
    { modules: checked.modules, sema: checked.sema },
  ];
  const chosen: { m: ModuleDef; sema: Sema }[] = [];
  for (const w of worlds) for (const m of w.modules) if (m.source && !m.outer && wanted(m)) chosen.push({ m, sema: w.sema });

  // Page names first, so every signature can link to any documented item.
  const pageOf = new Map<ModuleDef, string>();
  const used = new Set<string>();
  for (const { m } of chosen) {
    const base = modulePath(m).join(".") || m.name;
    let page = base.replace(/[^A-Za-z0-9_.-]/g, "_");
    for (let i = 2; used.has(page.toLowerCase()); i++) page = `${base}-${i}`;
    used.add(page.toLowerCase());
    pageOf.set(m, page);
  }
  const anchors = new Map<object, ItemRef>();
  for (const { m, sema } of chosen) {
    for (const it of m.items) {
      const d = sema.tables.itemDefs.get(it);
      if (!d || d.kind === "impl" || !("name" in d)) continue;
      anchors.set(d, { page: pageOf.get(m)!, anchor: `${anchorKind(d.kind, it)}.${d.name}` });
    }
  }
  const seg = (t: Ty): Seg[] => tySegs(t, anchors);

  const modules: DocModule[] = [];
  for (const { m, sema } of chosen) {
    const page = pageOf.get(m)!;
    const mpath = modulePath(m).join("::");
    const items: DocItem[] = [];
    const byType = new Map<object, DocItem[]>();
    const impls: ImplDef[] = [];
    for (const it of m.items) {
      const d = sema.tables.itemDefs.get(it);
      if (!d) continue;
      if (d.kind === "impl") {
        impls.push(d);
        continue;
      }
      if (it.kind === "FnItem" && it.annotations.some((a) => a.name.name === "test")) continue;
      const item = itemOf(d as Documented, it, sema, mpath, page, seg);
      if (!item) continue;
      items.push(item);
      byType.set(d, item.members as DocItem[]);
    }
    // Methods join their type's entry when the type is documented on this page.
    for (const impl of impls) {
      const selfTy = shallow(implSelfTy(sema, impl));
      const owner = selfTy.k === "adt" ? selfTy.def : null;
      const target = owner ? byType.get(owner) : undefined;
      const typeName = owner?.name ?? printType(impl.ast.selfType);
      for (const f of impl.methods.values()) {
        if (!f.ast) continue;
        const ref: ItemRef = { page, anchor: `method.${typeName}.${f.name}` };
        const item = fnItem(f, sema, `${mpath}::${typeName}`, ref, seg, impl.ast.trait ? `impl ${printType(impl.ast.trait as unknown as A.Type)} for ${typeName}` : null);
        if (target) target.push(item);
        else items.push(item);
      }
    }
    const submodules = [...m.children.values()]
      .filter((c) => pageOf.has(c))
      .map((c) => ({ path: modulePath(c).join("::"), page: pageOf.get(c)!, summary: summaryOf(c.docs) }));
    modules.push({ path: mpath || m.name, page, file: m.source!.name, docs: m.docs, items, submodules });
  }
  modules.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { modules };
}

type Documented = FnDef | StructDef | EnumDef | TraitDef | ConstDef | AliasDef;

function anchorKind(kind: string, it: A.Item): string {
  if (kind === "const" && it.kind === "ConstItem") return it.storage === "const" ? "const" : "static";
  if (kind === "alias") return "type";
  return kind;
}

/** The first sentence-ish line of a doc comment, for indexes and search results. */
export function summaryOf(docs: readonly string[]): string {
  const para: string[] = [];
  for (const l of docs) {
    if (l.trim() === "") {
      if (para.length > 0) break;
      continue;
    }
    if (l.trim().startsWith("```")) break;
    para.push(l.trim());
  }
  return para.join(" ");
}

function annotationLines(anns: readonly A.Annotation[]): string[] {
  return anns.filter((a) => !TEST_ANNOTATIONS.includes(a.name.name)).map((a) => `@${a.name.name}${a.args ? `(${a.args.map((e) => printExpr(e)).join(", ")})` : ""}`);
}

function generics(gs: readonly A.GenericParam[]): string {
  if (gs.length === 0) return "";
  return `<${gs.map((g) => (g.bounds.length > 0 ? `${g.name.name}: ${g.bounds.map((b) => printType(b as unknown as A.Type)).join(" + ")}` : g.name.name)).join(", ")}>`;
}

function itemOf(d: Documented, it: A.Item, sema: Sema, mpath: string, page: string, seg: (t: Ty) => Seg[]): DocItem | null {
  const vis = it.isPub ? "pub " : "";
  const base = { name: d.name, path: `${mpath}::${d.name}`, docs: d.docs, annotations: annotationLines(it.annotations) };
  switch (d.kind) {
    case "fn":
      return fnItem(d, sema, mpath, { page, anchor: `fn.${d.name}` }, seg, null);
    case "struct": {
      const fields = structFields(sema, d);
      const body = it.kind === "StructItem" ? it.body.kind : "unit";
      const members: DocItem[] = fields.map((f) => leaf("field", f.name, `${mpath}::${d.name}::${f.name}`, { page, anchor: `field.${d.name}.${f.name}` }, f.docs, [{ text: `${f.isPub ? "pub " : ""}${body === "tuple" ? f.index : f.name}: ` }, ...seg(f.ty)], domainOf(f.ty)));
      return { ...base, kind: "struct", ref: { page, anchor: `struct.${d.name}` }, signature: [{ text: `${vis}struct ${d.name}${generics((it as A.StructItem).generics)}` }], domain: d.ann.domain ?? "K", deterministic: false, capabilityRequired: false, params: [], returns: null, members };
    }
    case "enum": {
      const members: DocItem[] = d.variants.map((v) => {
        const fs = variantFields(sema, v);
        const sig: Seg[] = [{ text: v.name }];
        if (v.shape === "tuple") sig.push({ text: "(" }, ...join(fs.map((f) => seg(f.ty))), { text: ")" });
        if (v.shape === "struct") sig.push({ text: " { " }, ...join(fs.map((f) => [{ text: `${f.name}: ` }, ...seg(f.ty)])), { text: " }" });
        return leaf("variant", v.name, `${mpath}::${d.name}::${v.name}`, { page, anchor: `variant.${d.name}.${v.name}` }, v.ast.docs, sig, d.ann.domain ?? "K");
      });
      return { ...base, kind: "enum", ref: { page, anchor: `enum.${d.name}` }, signature: [{ text: `${vis}enum ${d.name}${generics((it as A.EnumItem).generics)}` }], domain: d.ann.domain ?? "K", deterministic: false, capabilityRequired: false, params: [], returns: null, members };
    }
    case "trait": {
      const members = [...d.methods.values()].filter((f) => f.ast).map((f) => fnItem(f, sema, `${mpath}::${d.name}`, { page, anchor: `method.${d.name}.${f.name}` }, seg, null));
      return { ...base, kind: "trait", ref: { page, anchor: `trait.${d.name}` }, signature: [{ text: `${vis}trait ${d.name}${generics((it as A.TraitItem).generics)}` }], domain: null, deterministic: false, capabilityRequired: false, params: [], returns: null, members };
    }
    case "const": {
      const ty = constType(sema, d);
      const kind = d.storage === "const" ? "const" : "static";
      return { ...base, kind, ref: { page, anchor: `${kind}.${d.name}` }, signature: [{ text: `${vis}${d.storage} ${d.name}: ` }, ...seg(ty)], domain: domainOf(ty), deterministic: false, capabilityRequired: false, params: [], returns: null, members: [] };
    }
    case "alias": {
      const target = it.kind === "TypeAliasItem" && it.type ? printType(it.type) : "";
      return { ...base, kind: "type", ref: { page, anchor: `type.${d.name}` }, signature: [{ text: `${vis}type ${d.name}${generics((it as A.TypeAliasItem).generics)}${target ? ` = ${target}` : ""}` }], domain: null, deterministic: false, capabilityRequired: false, params: [], returns: null, members: [] };
    }
    default:
      return null;
  }
}

function leaf(kind: ItemKind, name: string, path: string, ref: ItemRef, docs: readonly string[], signature: Seg[], domain: Domain): DocItem {
  return { kind, name, path, ref, docs, annotations: [], signature, domain, deterministic: false, capabilityRequired: false, params: [], returns: null, members: [] };
}

function join(parts: readonly Seg[][]): Seg[] {
  const out: Seg[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push({ text: ", " });
    out.push(...p);
  });
  return out;
}

function fnItem(f: FnDef, sema: Sema, owner: string, ref: ItemRef, seg: (t: Ty) => Seg[], implOf: string | null): DocItem {
  const sig = fnSig(sema, f);
  const ast = f.ast!;
  const params: DocParam[] = sig.params.map((p) => ({ name: p.name, type: seg(p.ty), domain: domainOf(p.ty), capability: isCapabilityType(p.ty) }));
  const segs: Seg[] = [{ text: `${ast.isPub ? "pub " : ""}${ast.isUnsafe ? "unsafe " : ""}fn ${f.name}${generics(ast.generics)}(` }];
  const parts: Seg[][] = [];
  if (ast.selfParam) parts.push([{ text: ast.selfParam.mode === "ref" ? "&self" : ast.selfParam.mode === "refMut" ? "&mut self" : "self" }]);
  for (const p of params) parts.push([{ text: `${p.name}: ` }, ...p.type]);
  segs.push(...join(parts), { text: ")" });
  const returns = isUnit(sig.ret) ? null : { type: seg(sig.ret), domain: domainOf(sig.ret) };
  if (returns) segs.push({ text: " -> " }, ...returns.type);
  return {
    kind: f.owner ? "method" : "fn",
    name: f.name,
    path: `${owner}::${f.name}`,
    ref,
    docs: implOf ? [...f.docs, ...(f.docs.length > 0 ? [""] : []), `(from \`${implOf}\`)`] : f.docs,
    annotations: annotationLines(ast.annotations),
    signature: segs,
    domain: f.domain,
    deterministic: f.ann.deterministic,
    capabilityRequired: f.ann.capabilityRequired,
    params,
    returns,
    members: [],
  };
}

/** A type as the user writes it, with each documented type name linked. */
function tySegs(t: Ty, anchors: ReadonlyMap<object, ItemRef>): Seg[] {
  const s = shallow(t);
  const list = (ts: readonly Ty[]): Seg[] => join(ts.map((x) => tySegs(x, anchors)));
  switch (s.k) {
    case "prim":
      return [{ text: s.name }];
    case "tuple":
      return [{ text: "(" }, ...list(s.elems), { text: s.elems.length === 1 ? ",)" : ")" }];
    case "array":
      return [{ text: "[" }, ...tySegs(s.elem, anchors), { text: `; ${s.len ?? "_"}]` }];
    case "slice":
      return [{ text: "[" }, ...tySegs(s.elem, anchors), { text: "]" }];
    case "ref":
      return [{ text: `&${s.mut ? "mut " : ""}` }, ...tySegs(s.inner, anchors)];
    case "adt": {
      const link = anchors.get(s.def);
      const head: Seg = link ? { text: s.def.name, link } : { text: s.def.name };
      return s.args.length === 0 ? [head] : [head, { text: "<" }, ...list(s.args), { text: ">" }];
    }
    case "fn":
      return [{ text: "fn(" }, ...list(s.params), { text: ")" }, ...(isUnit(s.ret) ? [] : [{ text: " -> " }, ...tySegs(s.ret, anchors)])];
    case "param":
      return [{ text: s.def.name }];
    case "dom":
      return [{ text: `${s.domain}<` }, ...tySegs(s.inner, anchors), { text: ">" }];
    case "marker":
      return [{ text: s.domain }];
    case "never":
      return [{ text: "!" }];
    default:
      return [{ text: "_" }];
  }
}
