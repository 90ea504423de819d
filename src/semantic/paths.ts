/**
 * Paths inside bodies: `x`, `foo`, `Some`, `ErrorCode::DOMAIN_UNAUTHORIZED`,
 * `Vec::<u8>::new`, `Self::new`, `T::default`, `runtime::domain::q_api::submit_q_job`.
 * A path resolves to a local, a definition, or an associated item of a type (looked up in
 * impls by the caller). Unresolved names are DPL2001 with a suggestion.
 */
import { Unresolved } from "../diagnostics/messages/unresolved.js";
import { UnknownMember } from "../diagnostics/messages/unknown-member.js";
import type * as A from "../syntax/ast.js";
import type { Def, LocalDef } from "./defs.js";
import { defName, describeDef } from "./defs.js";
import type { BodyChecker } from "./checker.js";
import { altName, lookupUnqualified, memberNames, memberOf, namesInScope, resolveContainer } from "./resolve.js";
import { aliasTarget, typeFromDef } from "./lower.js";
import type { Ty } from "./types.js";
import { didYouMeanFix, importFixes } from "./fixes.js";
import { qpuPathModule } from "./qpu.js";

export type PathTarget =
  | { readonly kind: "local"; readonly def: LocalDef }
  | { readonly kind: "def"; readonly def: Def }
  /** `Type::name`: an associated function or constant, or an enum variant reached through an alias. */
  | { readonly kind: "assoc"; readonly selfTy: Ty; readonly name: A.Ident }
  | { readonly kind: "error" };

/** The type written by a path segment used as a type (`Vec::<u8>` in `Vec::<u8>::new`). */
function segmentType(c: BodyChecker, d: Def, seg: A.PathExprSegment): Ty {
  const asType: A.PathSegment = { kind: "PathSegment", name: seg.name, args: seg.args, span: seg.span };
  return typeFromDef(c.s, d, asType, c.typeScope());
}

export function resolveValuePath(c: BodyChecker, p: A.PathExpr, ns: "value" | "type" = "value"): PathTarget {
  const segs = p.segments;
  const last = segs[segs.length - 1]!;
  if (segs.length === 1) {
    const name = last.name.name;
    if (ns === "value") {
      const l = c.lookupLocal(name) ?? (altName(name) ? c.lookupLocal(altName(name)!) : undefined);
      if (l) return l;
      if (name === "self") {
        c.raise(last.name.span, Unresolved.selfValueOutsideMethod());
        return { kind: "error" };
      }
    }
    if (name === "Self") {
      if (c.tscope.selfTy) return { kind: "def", def: selfDef(c) ?? { kind: "prim", name: "Self" } };
      c.raise(last.name.span, Unresolved.selfTypeOutsideImpl());
      return { kind: "error" };
    }
    const d = lookupUnqualified(c.s.resolver, c.module, name, ns);
    if (d && d.kind === "alias" && ns === "type") {
      // `Alias { .. }`: a struct literal through a type alias.
      const t = aliasTarget(c.s, d);
      if (t.k === "adt" && t.def.kind === "struct") return { kind: "def", def: t.def };
    }
    if (d) return { kind: "def", def: d };
    const typeHere = ns === "value" ? lookupUnqualified(c.s.resolver, c.module, name, "type") : null;
    if (typeHere && (typeHere.kind === "struct" || typeHere.kind === "enum")) {
      c.raise(
        last.name.span,
        Unresolved.expectedValue(describeDef(typeHere), name, typeHere.kind === "struct" ? `build it with a struct literal: \`${name} { ... }\`` : `use one of its variants, e.g. \`${name}::${typeHere.variants[0]?.name ?? "Variant"}\``),
      );
      return { kind: "error" };
    }
    const similar = didYouMeanFix(name, last.name.span, ns === "value" ? [...c.localNames(), ...namesInScope(c.module, "value")] : namesInScope(c.module, "type"));
    const imports = importFixes(c.s, c.module, name, ns, last.name.span);
    const help = similar.help ?? (imports.length > 0 ? Unresolved.declaredElsewhere(imports.map((s) => s.message.slice("import `".length, -1))) : undefined);
    c.raise(last.name.span, Unresolved.notInScope(ns === "value" ? "value" : "type", name, help), { suggestions: [...(similar.suggestions ?? []), ...imports] });
    return { kind: "error" };
  }
  // Multi-segment: `Self::x`, `T::x`, then modules, enums, types, traits.
  const first = segs[0]!;
  if (segs.length === 2 && first.name.name === "Self" && c.tscope.selfTy) {
    const sd = selfDef(c);
    if (sd && sd.kind === "enum") {
      const v = sd.variantMap.get(last.name.name) ?? (altName(last.name.name) ? sd.variantMap.get(altName(last.name.name)!) : undefined);
      if (v) return { kind: "def", def: v };
    }
    return { kind: "assoc", selfTy: c.tscope.selfTy, name: last.name };
  }
  if (segs.length === 2 && c.tscope.generics.has(first.name.name)) {
    return { kind: "assoc", selfTy: { k: "param", def: c.tscope.generics.get(first.name.name)! }, name: last.name };
  }
  const prefix = segs.slice(0, -1);
  const container = qpuPathModule(c, p) ?? resolveContainer(c.s.resolver, c.module, prefix.map((x) => x.name));
  if (!container) return { kind: "error" };
  const prefixSeg = prefix[prefix.length - 1]!;
  switch (container.kind) {
    case "module": {
      const m = memberOf(c.s.resolver, container, last.name.name, c.module);
      const d = ns === "value" ? (m.value ?? (m.type && (m.type.kind === "struct" || m.type.kind === "variant") ? m.type : null)) : m.type;
      if (d) return { kind: "def", def: d };
      if (m.hidden) c.raise(last.name.span, Unresolved.privateTo(last.name.name, defName(container), `mark it \`pub\` in \`${defName(container)}\``));
      else {
        const similar = didYouMeanFix(last.name.name, last.name.span, memberNames(container));
        c.raise(last.name.span, Unresolved.notIn(last.name.name, defName(container), similar.help), { suggestions: similar.suggestions });
      }
      return { kind: "error" };
    }
    case "enum": {
      const name = last.name.name;
      const v = container.variantMap.get(name) ?? (altName(name) ? container.variantMap.get(altName(name)!) : undefined);
      if (v) return { kind: "def", def: v };
      return { kind: "assoc", selfTy: segmentType(c, container, prefixSeg), name: last.name };
    }
    case "trait": {
      const f = container.methods.get(last.name.name);
      if (f) return { kind: "def", def: f };
      const similar = didYouMeanFix(last.name.name, last.name.span, container.methods.keys());
      c.raise(last.name.span, UnknownMember.noTraitMethod(container.name, last.name.name, similar.help), { suggestions: similar.suggestions });
      return { kind: "error" };
    }
    case "alias": {
      // `Alias::Variant` names a variant of the enum the alias stands for.
      const t = segmentType(c, container, prefixSeg);
      if (t.k === "adt" && t.def.kind === "enum") {
        const v = t.def.variantMap.get(last.name.name) ?? (altName(last.name.name) ? t.def.variantMap.get(altName(last.name.name)!) : undefined);
        if (v) return { kind: "def", def: v };
      }
      return { kind: "assoc", selfTy: t, name: last.name };
    }
    case "struct":
    case "prim":
    case "generic":
      return { kind: "assoc", selfTy: segmentType(c, container, prefixSeg), name: last.name };
    default:
      c.raise(prefixSeg.name.span, Unresolved.notATypeOrModule(defName(container), describeDef(container)));
      return { kind: "error" };
  }
}

/** The definition behind `Self`, when it is a struct or enum. */
function selfDef(c: BodyChecker): Def | null {
  const t = c.tscope.selfTy;
  if (!t) return null;
  return t.k === "adt" ? t.def : null;
}
