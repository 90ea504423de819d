/**
 * The declaration pass: lower every signature of a world (so errors in types are reported
 * even for items nobody uses), register impls in the impl index, and check the rules that
 * are about items rather than code: trait impls complete, no duplicate inherent methods,
 * and no `Clone`/`Copy` for Q or `@noncopy` types (DPL4001).
 */
import { Duplication } from "../diagnostics/messages/ownership.js";
import { Duplicates } from "../diagnostics/messages/duplicates.js";
import { raise } from "../diagnostics/messages/message.js";
import { UnknownMember } from "../diagnostics/messages/unknown-member.js";
import { TypeMismatch } from "../diagnostics/messages/type-mismatch.js";
import type * as A from "../syntax/ast.js";
import type { Def, EnumDef, FnDef, ImplDef, ModuleDef, StructDef, TraitDef } from "./defs.js";
import { hasDerivedDefault, heldMoveOnly } from "./impls.js";
import type { Sema } from "./context.js";
import { findDeriveOf } from "./annotations.js";
import { restatedItems } from "./collect.js";
import { aliasTarget, constType, fnSig, implSelfTy, lowerBounds, scopeOf, structFields, traitSupers, variantFields } from "./lower.js";
import { validateImports } from "./resolve.js";
import { domainOf, printTy, shallow, type Ty } from "./types.js";

export function declareWorld(s: Sema, modules: readonly ModuleDef[], impls: readonly ImplDef[]): void {
  for (const m of modules) validateImports(s.resolver, m);
  for (const impl of impls) registerImpl(s, impl);
  for (const m of modules) declareModule(s, m);
  checkInherentDuplicates(s, impls);
  for (const impl of impls) checkImpl(s, impl);
}

function registerImpl(s: Sema, impl: ImplDef): void {
  const selfTy = implSelfTy(s, impl);
  s.tables.itemDefs.set(impl.ast, impl);
  s.impls.add(impl, selfTy);
  // Methods run in the domain of their impl type unless annotated (language.md §3).
  const d = domainOf(selfTy);
  for (const f of impl.methods.values()) if (!f.ann.domain) f.domain = d;
  for (const f of impl.methods.values()) s.tables.itemDefs.set(f.ast!, f);
}

function own(m: ModuleDef, d: Def | null): boolean {
  return d !== null && "module" in d && d.module === m;
}

function declareModule(s: Sema, m: ModuleDef): void {
  for (const it of m.items) {
    const r = restatedItems.get(it);
    if (r) s.tables.itemDefs.set(it, r);
    const child = it.kind === "ModItem" ? m.children.get(it.name.name) : undefined;
    if (child) s.tables.itemDefs.set(it, child);
  }
  const seen = new Set<Def>();
  for (const b of [...m.types.values(), ...m.values.values()]) {
    const d = b.def;
    if (!d || seen.has(d) || !own(m, d)) continue;
    seen.add(d);
    declareDef(s, d);
  }
}

function declareDef(s: Sema, d: Def): void {
  switch (d.kind) {
    case "struct":
      if (d.ast) s.tables.itemDefs.set(d.ast, d);
      lowerBounds(s, d.generics, [], scopeOf(d.module, d.generics, null));
      structFields(s, d);
      checkDuplication(s, d.ast?.annotations ?? [], d.ann.domain === "Q" || d.ann.noncopy, d.name, d.ann.domain === "Q");
      checkDerivedCloneOfHolder(s, d);
      checkDerivedDefault(s, d);
      break;
    case "enum":
      s.tables.itemDefs.set(d.ast, d);
      lowerBounds(s, d.generics, [], scopeOf(d.module, d.generics, null));
      for (const v of d.variants) {
        variantFields(s, v);
        s.tables.itemDefs.set(v.ast, v);
      }
      checkDuplication(s, d.ast.annotations, d.ann.domain === "Q" || d.ann.noncopy, d.name, d.ann.domain === "Q");
      checkDerivedCloneOfHolder(s, d);
      break;
    case "fn":
      if (d.ast) s.tables.itemDefs.set(d.ast, d);
      fnSig(s, d);
      checkParamDuplicates(s, d);
      break;
    case "const":
      s.tables.itemDefs.set(d.ast, d);
      constType(s, d);
      break;
    case "alias":
      s.tables.itemDefs.set(d.ast, d);
      aliasTarget(s, d);
      break;
    case "trait":
      if (d.ast) s.tables.itemDefs.set(d.ast, d);
      traitSupers(s, d);
      for (const f of d.methods.values()) {
        if (f.ast) s.tables.itemDefs.set(f.ast, f);
        fnSig(s, f);
        checkParamDuplicates(s, f);
      }
      break;
    default:
      break;
  }
}

function checkParamDuplicates(s: Sema, f: FnDef): void {
  const seen = new Map<string, A.Ident>();
  for (const p of f.ast?.params ?? []) {
    if (p.pattern.kind !== "BindingPattern") continue;
    const n = p.pattern.name;
    const prev = seen.get(n.name);
    if (prev && n.name !== "_") {
      raise(s.report, n.span, Duplicates.parameter(n.name), { related: [{ span: prev.span, message: Duplicates.firstBound() }] });
    }
    seen.set(n.name, n);
  }
}

/** DPL4001: a Q or `@noncopy` type may not be made `Clone` or `Copy`. */
function checkDuplication(s: Sema, anns: readonly A.Annotation[], moveOnly: boolean, name: string, isQ: boolean): void {
  if (!moveOnly) return;
  const at = findDeriveOf(anns, ["Clone", "Copy"]);
  if (!at) return;
  raise(s.report, at.span, Duplication.derive(name, isQ));
}

/** DPL4001: a K type that holds Q state (or a `@noncopy` value) in a field may not derive `Clone`/`Copy` either. */
function checkDerivedCloneOfHolder(s: Sema, d: StructDef | EnumDef): void {
  if (d.ann.domain === "Q" || d.ann.noncopy || !d.ast) return;
  const at = findDeriveOf(d.ast.annotations, ["Clone", "Copy"]);
  if (!at) return;
  const fields = d.kind === "struct" ? structFields(s, d) : d.variants.flatMap((v) => variantFields(s, v));
  for (const f of fields) {
    const held = heldMoveOnly(s, f.ty);
    if (!held) continue;
    const isQ = domainOf(held) === "Q";
    raise(s.report, at.span, Duplication.derivedCloneOfHolder(d.name, f.name, printTy(held), isQ), { related: [{ span: f.span, message: Duplication.holdsMoveOnly(f.name, isQ) }] });
    return;
  }
}

/**
 * `#[derive(Default)]` builds each field's default from its type (runtime `defaultOf`): every
 * field must have a structural default itself (numbers, strings, `Vec`, `Option`, tuples,
 * structs deriving `Default`, a type parameter). A field whose type has only a hand-written
 * `impl Default` is not supported by the derive yet, and says so instead of zeroing it.
 */
function checkDerivedDefault(s: Sema, d: StructDef): void {
  if (!d.ast || !d.ann.derives.includes("Default")) return;
  const at = findDeriveOf(d.ast.annotations, ["Default"]);
  if (!at) return;
  for (const f of structFields(s, d)) {
    if (derivable(f.ty)) continue;
    raise(s.report, at.span, TypeMismatch.noDerivedDefault(d.name, f.name, printTy(f.ty)), { related: [{ span: f.span, message: UnknownMember.declaredHere(f.name) }] });
    return;
  }
}

function derivable(t: Ty): boolean {
  const st = shallow(t);
  if (st.k === "param" || st.k === "error" || st.k === "any") return true;
  if (st.k === "tuple") return st.elems.every(derivable);
  return hasDerivedDefault(st);
}

function checkInherentDuplicates(s: Sema, impls: readonly ImplDef[]): void {
  const byHead = new Map<unknown, Map<string, FnDef>>();
  for (const impl of impls) {
    if (impl.ast.trait) continue;
    const t = shallow(implSelfTy(s, impl));
    const key = t.k === "adt" ? t.def : printTy(t);
    let m = byHead.get(key);
    if (!m) byHead.set(key, (m = new Map()));
    for (const f of impl.methods.values()) {
      const prev = m.get(f.name);
      if (prev && prev.owner !== f.owner) {
        raise(s.report, f.nameSpan, Duplicates.definition(f.name, printTy(t)), { related: [{ span: prev.nameSpan, message: Duplicates.otherDefinition(f.name) }] });
      } else m.set(f.name, f);
    }
  }
}

function checkImpl(s: Sema, impl: ImplDef): void {
  for (const f of impl.methods.values()) {
    fnSig(s, f);
    checkParamDuplicates(s, f);
  }
  for (const c of impl.consts.values()) constType(s, c);
  const tr = impl.trait;
  if (!tr) return;
  const trait: TraitDef = tr.trait;
  const selfTy = implSelfTy(s, impl);
  if (trait.module.isPrelude && (trait.name === "Clone" || trait.name === "Copy")) {
    const st = shallow(selfTy);
    const isQ = domainOf(selfTy) === "Q";
    const noncopy = st.k === "adt" && st.def.ann.noncopy;
    if (isQ || noncopy) {
      raise(s.report, impl.ast.trait!.span, Duplication.impl(printTy(selfTy), trait.name, isQ));
      return;
    }
  }
  for (const [name, f] of impl.methods) {
    if (!trait.methods.has(name)) {
      raise(s.report, f.nameSpan, UnknownMember.notATraitMember(name, trait.name, [...trait.methods.keys()]));
    }
  }
  const missing = [...trait.methods.values()].filter((m) => !m.hasBody && !impl.methods.has(m.name) && !(m.ast?.body.kind === "ellipsis"));
  if (missing.length > 0) {
    raise(s.report, impl.ast.trait!.span, UnknownMember.traitMethodsMissing(trait.name, missing.map((m) => m.name)), {
      related: missing.map((m) => ({ span: m.nameSpan, message: UnknownMember.declaredHere(m.name) })),
    });
  }
}
