/**
 * Lowering written types (`A.Type`) to semantic types, and the lazily computed parts of
 * definitions that are made of types: struct fields, variant fields, function
 * signatures, constant types, alias targets, generic bounds and impl headers.
 */
import { qpuModule, qpuRegisterType, usesQpu } from "./qpu.js";
import { DomainAnnotation } from "../diagnostics/messages/domains.js";
import { Duplicates } from "../diagnostics/messages/duplicates.js";
import { Unresolved } from "../diagnostics/messages/unresolved.js";
import { Arity } from "../diagnostics/messages/arity.js";
import { TypeMismatch } from "../diagnostics/messages/type-mismatch.js";
import { raise } from "../diagnostics/messages/message.js";
import type * as A from "../syntax/ast.js";
import type {
  AdtDef,
  AliasDef,
  ConstDef,
  Def,
  Domain,
  EnumDef,
  FieldDef,
  FnDef,
  FnSig,
  GenericParamDef,
  ImplDef,
  StructDef,
  TraitDef,
  TraitRef,
  VariantDef,
} from "./defs.js";
import { defName, describeDef } from "./defs.js";
import type { Sema, TypeScope } from "./context.js";
import { domainFromName } from "./annotations.js";
import { lookupUnqualified, memberOf, namesInScope, resolveContainer } from "./resolve.js";
import { ITER_DEF, VEC_DEF } from "./builtins.js";
import { ANY, ERROR, UNIT, adt, fnTy, inDomain, prim, ref, substFor, substitute, tuple, type PrimName, type Ty } from "./types.js";
import { didYouMeanFix, importFixes } from "./fixes.js";
import { lowerDynType } from "./dyn.js";

function anyHole(): Ty {
  return ANY;
}

const NO_GENERICS: ReadonlyMap<string, GenericParamDef> = new Map();

export function scopeOf(module: TypeScope["module"], generics: readonly GenericParamDef[], selfTy: Ty | null, outer?: TypeScope): TypeScope {
  // Scopes only read their generics: one that adds none shares its outer scope's (or the empty) map.
  let map: ReadonlyMap<string, GenericParamDef> = outer ? outer.generics : NO_GENERICS;
  if (generics.length > 0) {
    const own = new Map<string, GenericParamDef>(map);
    for (const g of generics) own.set(g.name, g);
    map = own;
  }
  return { module, generics: map, selfTy: selfTy ?? outer?.selfTy ?? null, hole: outer?.hole ?? anyHole };
}

const DOMAIN_WRAPPERS = new Set(["K", "Q", "Φ", "Phi", "DomainType"]);

/** Is this written type an explicit domain wrapper (`K<u32>`, `DomainType<Q, T>`)? */
function isDomainWrapperType(t: A.Type, sc: TypeScope, s: Sema): boolean {
  if (t.kind !== "PathType" || t.segments.length !== 1) return false;
  const seg = t.segments[0]!;
  if (!DOMAIN_WRAPPERS.has(seg.name.name) || !seg.args) return false;
  const d = lookupUnqualified(s.resolver, sc.module, seg.name.name, "type");
  return d?.kind === "prim";
}

export function lowerType(s: Sema, t: A.Type, sc: TypeScope): Ty {
  const ty = lowerTypeInner(s, t, sc);
  s.tables.typeRes.set(t, ty);
  return ty;
}

function lowerTypeInner(s: Sema, t: A.Type, sc: TypeScope): Ty {
  switch (t.kind) {
    case "PathType":
      return lowerPathType(s, t, sc);
    case "RefType":
      return ref(lowerType(s, t.inner, sc), t.isMut);
    case "TupleType":
      return tuple(t.elements.map((e) => lowerType(s, e, sc)));
    case "ArrayType": {
      const register = sc.qpu ? qpuRegisterType(s, sc, t.element) : null;
      if (register) return register;
      const len = t.length.kind === "IntLit" ? Number(t.length.value) : null;
      return { k: "array", elem: lowerType(s, t.element, sc), len };
    }
    case "SliceType":
      return { k: "slice", elem: lowerType(s, t.element, sc) };
    case "FnType":
      return fnTy(
        t.params.map((p) => lowerType(s, p, sc)),
        t.returnType ? lowerType(s, t.returnType, sc) : UNIT,
      );
    case "DynType":
      return lowerDynType(s, t, sc);
    case "InferType":
      return sc.hole();
    case "ErrorType":
      return ERROR;
  }
}

function lowerArgs(s: Sema, seg: A.PathSegment, sc: TypeScope): Ty[] | null {
  return seg.args ? seg.args.map((a) => lowerType(s, a, sc)) : null;
}

function genericCountError(s: Sema, seg: A.PathSegment, what: string, expected: number, found: number): void {
  raise(s.report, seg.span, Arity.genericArguments(what, expected, found));
}

/** Instantiate an ADT's generics from written arguments (omitted entirely = holes). */
function adtFromArgs(s: Sema, def: AdtDef, seg: A.PathSegment, args: Ty[] | null, sc: TypeScope): Ty {
  const n = def.generics.length;
  if (args === null) return adt(def, def.generics.map(() => sc.hole()));
  if (args.length !== n) {
    genericCountError(s, seg, `${describeDef(def)} \`${def.name}\``, n, args.length);
    const fixed = def.generics.map((_, i) => args[i] ?? sc.hole());
    return adt(def, fixed);
  }
  return adt(def, args);
}

function lowerPathType(s: Sema, t: A.PathType, sc: TypeScope): Ty {
  const segs = t.segments;
  const last = segs[segs.length - 1]!;
  if (segs.length === 1) {
    const name = last.name.name;
    const g = sc.generics.get(name);
    if (g) {
      if (last.args) genericCountError(s, last, `type parameter \`${name}\``, 0, last.args.length);
      return { k: "param", def: g };
    }
    if (name === "Self") {
      if (sc.selfTy) return sc.selfTy;
      raise(s.report, last.name.span, Unresolved.selfTypeOutsideImpl());
      return ERROR;
    }
    const d = lookupUnqualified(s.resolver, sc.module, name, "type");
    const register = !d && sc.qpu ? qpuRegisterType(s, sc, t) : null;
    if (register) return register;
    if (!d && sc.external && !last.args && !s.resolver.stdlibRoots.has(name)) return ANY;
    if (!d) {
      const similar = didYouMeanFix(name, last.name.span, [...sc.generics.keys(), ...namesInScope(sc.module, "type")]);
      const imports = importFixes(s, sc.module, name, "type", last.name.span);
      const help = similar.help ?? (imports.length > 0 ? Unresolved.declaredElsewhere(imports.map((x) => x.message.slice("import `".length, -1))) : undefined);
      raise(s.report, last.name.span, Unresolved.notInScope("type", name, help), { suggestions: [...(similar.suggestions ?? []), ...imports] });
      lowerArgs(s, last, sc);
      return ERROR;
    }
    return typeFromDef(s, d, last, sc);
  }
  // `Self::Output`, `T::Item`: associated types are not modelled precisely.
  const first = segs[0]!.name.name;
  if (segs.length === 2 && (first === "Self" || sc.generics.has(first))) return ANY;
  const container = resolveContainer(s.resolver, sc.module, segs.slice(0, -1).map((x) => x.name));
  if (!container) return ERROR;
  const m = memberOf(s.resolver, container, last.name.name, sc.module);
  if (!m.type) {
    raise(s.report, last.name.span, Unresolved.typeNotIn(last.name.name, defName(container)));
    return ERROR;
  }
  return typeFromDef(s, m.type, last, sc);
}

export function typeFromDef(s: Sema, d: Def, seg: A.PathSegment, sc: TypeScope): Ty {
  const args = lowerArgs(s, seg, sc);
  switch (d.kind) {
    case "struct":
    case "enum":
      return adtFromArgs(s, d, seg, args, sc);
    case "alias": {
      const target = aliasTarget(s, d);
      if (d.generics.length === 0) {
        if (args && args.length > 0) genericCountError(s, seg, `type alias \`${d.name}\``, 0, args.length);
        return target;
      }
      const given = args ?? d.generics.map(() => sc.hole());
      if (args && args.length !== d.generics.length) genericCountError(s, seg, `type alias \`${d.name}\``, d.generics.length, args.length);
      return substitute(target, substFor(d.generics, given));
    }
    case "generic":
      return { k: "param", def: d };
    case "prim":
      return primType(s, d.name, seg, args, sc);
    case "variant":
      raise(s.report, seg.name.span, TypeMismatch.expectedTypeFoundVariant(defName(d), d.enumDef.name));
      return ERROR;
    default:
      raise(s.report, seg.name.span, TypeMismatch.expectedTypeFound(describeDef(d), defName(d)));
      return ERROR;
  }
}

function primType(s: Sema, name: string, seg: A.PathSegment, args: Ty[] | null, sc: TypeScope): Ty {
  const domain = domainFromName(name);
  if (domain) {
    // Bare `Q` is a domain marker (`Capability<Q, Scope>`); `Q<T>` is T in domain Q.
    if (!args) return { k: "marker", domain };
    if (args.length !== 1) {
      genericCountError(s, seg, `the domain wrapper \`${name}\``, 1, args.length);
      return args[0] ? inDomain(domain, args[0]) : ERROR;
    }
    return inDomain(domain, args[0]!);
  }
  if (name === "DomainType") {
    if (!args || args.length !== 2) {
      genericCountError(s, seg, "`DomainType`", 2, args?.length ?? 0);
      return ERROR;
    }
    const d = args[0]!;
    if (d.k === "error") return ERROR;
    if (d.k !== "marker") {
      const at = seg.args?.[0]?.span ?? seg.span;
      raise(s.report, at, DomainAnnotation.invalidDomainType());
      return ERROR;
    }
    return inDomain(d.domain as Domain, args[1]!);
  }
  if (name === "Vec") return adtFromArgs(s, VEC_DEF, seg, args, sc);
  if (name === "Iter") return adtFromArgs(s, ITER_DEF, seg, args, sc);
  if (name === "Box") {
    // `Box<T>` is `T`: every value already lives on the JavaScript heap, so a box adds
    // nothing but the name (recursive types such as `Option<Box<Node>>` need no more).
    if (!args) return ANY;
    if (args.length !== 1) {
      genericCountError(s, seg, "`Box`", 1, args.length);
      return ERROR;
    }
    return args[0]!;
  }
  if (args && args.length > 0) genericCountError(s, seg, `\`${name}\``, 0, args.length);
  return prim(name as PrimName);
}

export function aliasTarget(s: Sema, d: AliasDef): Ty {
  if (d.ty) return d.ty;
  if (d.resolving) {
    raise(s.report, d.nameSpan, Unresolved.aliasCycle(d.name));
    return ERROR;
  }
  if (!d.ast.type) return ANY;
  d.resolving = true;
  d.ty = lowerType(s, d.ast.type, scopeOf(d.module, d.generics, null));
  d.resolving = false;
  return d.ty;
}

// ---------------------------------------------------------------------------
// Definitions made of types

export function lowerTraitRef(s: Sema, p: A.PathType, sc: TypeScope): TraitRef | null {
  const segs = p.segments;
  const last = segs[segs.length - 1]!;
  let d: Def | null;
  if (segs.length === 1) {
    d = lookupUnqualified(s.resolver, sc.module, last.name.name, "type");
    if (!d) {
      const similar = didYouMeanFix(last.name.name, last.name.span, namesInScope(sc.module, "type"));
      raise(s.report, last.name.span, Unresolved.traitNotInScope(last.name.name, similar.help), { suggestions: similar.suggestions });
      return null;
    }
  } else {
    const c = resolveContainer(s.resolver, sc.module, segs.slice(0, -1).map((x) => x.name));
    if (!c) return null;
    d = memberOf(s.resolver, c, last.name.name, sc.module).type;
    if (!d) {
      raise(s.report, last.name.span, Unresolved.traitNotIn(last.name.name, defName(c)));
      return null;
    }
  }
  if (d.kind !== "trait") {
    raise(s.report, last.name.span, TypeMismatch.expectedTraitFound(describeDef(d), defName(d)));
    return null;
  }
  const args = lowerArgs(s, last, sc) ?? [];
  return { trait: d, args };
}

/** Fill in generic bounds (`<C: QContract>` and `where` clauses). */
export function lowerBounds(s: Sema, generics: readonly GenericParamDef[], where: readonly A.WherePredicate[], sc: TypeScope): void {
  for (const g of generics) {
    if (!g.ast) continue;
    g.bounds = g.ast.bounds.map((b) => lowerTraitRef(s, b, sc)).filter((x): x is TraitRef => x !== null);
  }
  for (const w of where) {
    if (w.type.kind !== "PathType" || w.type.segments.length !== 1) continue;
    const g = sc.generics.get(w.type.segments[0]!.name.name);
    if (!g) continue;
    for (const b of w.bounds) {
      const tr = lowerTraitRef(s, b, sc);
      if (tr) g.bounds.push(tr);
    }
  }
}

function lowerFields(s: Sema, decls: readonly A.FieldDecl[], domain: Domain | null, sc: TypeScope, ownerName: string): { fields: FieldDef[]; map: Map<string, FieldDef> } {
  const fields: FieldDef[] = [];
  const map = new Map<string, FieldDef>();
  decls.forEach((f, index) => {
    let ty = lowerType(s, f.type, sc);
    // A field declared without a wrapper has its struct's domain (language.md §3).
    if (domain && domain !== "K" && !isDomainWrapperType(f.type, sc, s)) ty = inDomain(domain, ty);
    const name = f.name ? f.name.name : String(index);
    const fd: FieldDef = { name, index, ty, isPub: f.isPub, span: f.name?.span ?? f.span, docs: f.docs };
    const prev = map.get(name);
    if (prev) {
      raise(s.report, fd.span, Duplicates.field(name, ownerName), { related: [{ span: prev.span, message: Duplicates.firstDeclared() }] });
      return;
    }
    fields.push(fd);
    map.set(name, fd);
  });
  return { fields, map };
}

export function structFields(s: Sema, d: StructDef): FieldDef[] {
  if (d.fields) return d.fields;
  d.fields = [];
  d.fieldMap = new Map();
  const ast = d.ast;
  if (!ast || (ast.body.kind !== "named" && ast.body.kind !== "tuple")) return d.fields;
  const selfTy = adt(d, d.generics.map((g) => ({ k: "param", def: g }) as Ty));
  const sc = scopeOf(d.module, d.generics, selfTy);
  const r = lowerFields(s, ast.body.fields, d.ann.domain, sc, d.name);
  d.fields = r.fields;
  d.fieldMap = r.map;
  return d.fields;
}

export function variantFields(s: Sema, v: VariantDef): FieldDef[] {
  if (v.fields) return v.fields;
  v.fields = [];
  v.fieldMap = new Map();
  const e: EnumDef = v.enumDef;
  const selfTy = adt(e, e.generics.map((g) => ({ k: "param", def: g }) as Ty));
  const sc = scopeOf(e.module, e.generics, selfTy);
  const r = lowerFields(s, v.ast.fields, e.ann.domain, sc, `${e.name}::${v.name}`);
  v.fields = r.fields;
  v.fieldMap = r.map;
  return v.fields;
}

export function fieldMapOf(s: Sema, d: StructDef | VariantDef): Map<string, FieldDef> {
  if (d.kind === "struct") structFields(s, d);
  else variantFields(s, d);
  return d.fieldMap!;
}

/** The generic scope of a function: its owner's generics and `Self`, then its own. */
export function fnScope(s: Sema, f: FnDef): TypeScope {
  const owner = f.owner;
  if (owner?.kind === "impl") {
    const outer = scopeOf(f.module, owner.generics, implSelfTy(s, owner));
    return scopeOf(f.module, f.generics, null, outer);
  }
  if (owner?.kind === "trait") {
    const outer = scopeOf(f.module, [...owner.generics], { k: "param", def: owner.selfParam });
    return scopeOf(f.module, f.generics, null, outer);
  }
  const sc = scopeOf(f.module, f.generics, null);
  return f.ast?.proc && usesQpu(f.ast.proc) ? { ...sc, qpu: qpuModule(s.resolver) } : sc;
}

export function fnSig(s: Sema, f: FnDef): FnSig {
  if (f.sig) return f.sig;
  const ast = f.ast;
  if (!ast) return (f.sig = { params: [], ret: UNIT, selfTy: null });
  // Provisional signature: a recursive reference while lowering sees an error type.
  f.sig = { params: [], ret: ERROR, selfTy: null };
  const own = fnScope(s, f);
  const sc = ast.proc && ast.proc.uses.length > 0 ? { ...own, external: true } : own;
  lowerBounds(s, f.generics, ast.where, sc);
  let selfTy: Ty | null = null;
  if (ast.selfParam) {
    const base = sc.selfTy ?? ERROR;
    if (ast.selfParam.type) selfTy = lowerType(s, ast.selfParam.type, sc);
    else if (ast.selfParam.mode === "ref") selfTy = ref(base, false);
    else if (ast.selfParam.mode === "refMut") selfTy = ref(base, true);
    else selfTy = base;
  }
  const params = ast.params.map((p) => ({
    name: p.pattern.kind === "BindingPattern" ? p.pattern.name.name : "_",
    ty: lowerType(s, p.type, sc),
    span: p.span,
  }));
  const ret = ast.returnType ? lowerType(s, ast.returnType, sc) : UNIT;
  f.sig = { params, ret, selfTy };
  return f.sig;
}

export function constType(s: Sema, c: ConstDef): Ty {
  if (c.ty) return c.ty;
  if (!c.ast.type) return (c.ty = ERROR);
  const selfTy = c.owner ? implSelfTy(s, c.owner) : null;
  const sc = c.owner ? scopeOf(c.module, c.owner.generics, selfTy) : scopeOf(c.module, [], null);
  c.ty = lowerType(s, c.ast.type, sc);
  if (c.ann.domain && c.ann.domain !== "K") c.ty = inDomain(c.ann.domain, c.ty);
  return c.ty;
}

export function implSelfTy(s: Sema, impl: ImplDef): Ty {
  if (impl.selfTy) return impl.selfTy;
  impl.selfTy = ERROR;
  const sc = scopeOf(impl.module, impl.generics, null);
  impl.selfTy = lowerType(s, impl.ast.selfType, sc);
  const withSelf = scopeOf(impl.module, impl.generics, impl.selfTy);
  lowerBounds(s, impl.generics, [], withSelf);
  if (impl.ast.trait) impl.trait = lowerTraitRef(s, impl.ast.trait, withSelf);
  return impl.selfTy;
}

export function traitSupers(s: Sema, t: TraitDef): TraitRef[] {
  if (t.supertraits) return t.supertraits;
  t.supertraits = [];
  if (!t.ast) return t.supertraits;
  const sc = scopeOf(t.module, t.generics, { k: "param", def: t.selfParam });
  lowerBounds(s, t.generics, [], sc);
  t.supertraits = t.ast.supertraits.map((p) => lowerTraitRef(s, p, sc)).filter((x): x is TraitRef => x !== null);
  t.selfParam.bounds = [{ trait: t, args: t.generics.map((g) => ({ k: "param", def: g }) as Ty) }];
  return t.supertraits;
}
