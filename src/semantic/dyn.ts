/**
 * Trait objects: `dyn Trait`, `&dyn Trait`, `Box<dyn Trait>` (`Box<T>` is `T`).
 *
 * `dyn Trait` is one generic parameter per trait, bounded by the trait and marked `dyn`:
 * method lookup, supertraits, default methods and `satisfies` then work as for any `T:
 * Trait`, and two `dyn Trait` types are the same type. A concrete value becomes a trait
 * object only at a coercion site where the expected type is `dyn Trait` (under the same
 * references); the checker records the expression and its concrete type
 * (`tables.dynCoercions`) and the emitter wraps the value with its dictionaries.
 *
 * Domains: a trait object's domain is part of its type, as for every DPL type. `dyn
 * Trait` is K and accepts only values that hold no Q or Φ state (`heldMoveOnly`); a
 * `Q<dyn Trait>` accepts Q values (or K values that hold Q state), so cloning or
 * formatting one is DPL4001/DPL3003 exactly as for the concrete Q value.
 */
import type * as A from "../syntax/ast.js";
import { raise } from "../diagnostics/messages/message.js";
import { DynCompat } from "../diagnostics/messages/dyn.js";
import { Coercion } from "../diagnostics/messages/domains.js";
import { TypeMismatch } from "../diagnostics/messages/type-mismatch.js";
import type { Sema, TypeScope } from "./context.js";
import type { BodyChecker } from "./checker.js";
import type { Domain, GenericParamDef, TraitDef } from "./defs.js";
import { lowerTraitRef, traitSupers } from "./lower.js";
import { heldMoveOnly, satisfies } from "./impls.js";
import { ERROR, domainOf, printTy, shallow, zonk, type Ty } from "./types.js";

const dynParams = new WeakMap<TraitDef, GenericParamDef>();

/** The one type `dyn trait`. */
export function dynParamOf(trait: TraitDef): GenericParamDef {
  let g = dynParams.get(trait);
  if (!g) {
    g = { kind: "generic", name: `dyn ${trait.name}`, span: trait.nameSpan, ast: null, bounds: [{ trait, args: [] }], index: 0, isSelf: false, dyn: trait };
    dynParams.set(trait, g);
  }
  return g;
}

/** The trait of a `dyn Trait` type (through nothing else), or null. */
export function dynTraitOf(t: Ty): TraitDef | null {
  const s = shallow(t);
  return s.k === "param" && s.def.dyn ? s.def.dyn : null;
}

const AUTO_TRAITS = new Set(["Send", "Sync", "Unpin"]);

export function lowerDynType(s: Sema, t: A.DynType, sc: TypeScope): Ty {
  const [first, ...rest] = t.bounds;
  const tr = lowerTraitRef(s, first!, sc);
  for (const b of rest) {
    const name = b.segments[b.segments.length - 1]!.name.name;
    if (!AUTO_TRAITS.has(name)) raise(s.report, b.span, DynCompat.extraBound(name));
  }
  if (!tr) return ERROR;
  const why = unsupported(s, tr.trait) ?? notDynCompatible(s, tr.trait);
  if (why) {
    raise(s.report, t.span, why);
    return ERROR;
  }
  return { k: "param", def: dynParamOf(tr.trait) };
}

function unsupported(s: Sema, trait: TraitDef): ReturnType<typeof DynCompat.unsupported> | null {
  for (const t of closure(s, trait)) {
    if (t.generics.length > 0) return DynCompat.unsupported(trait.name, t === trait ? "has generic parameters" : `has a supertrait with generic parameters (\`${t.name}\`)`);
    if (t.assocTypes.size > 0) return DynCompat.unsupported(trait.name, t === trait ? "has associated types" : `has a supertrait with associated types (\`${t.name}\`)`);
  }
  return null;
}

function closure(s: Sema, trait: TraitDef): TraitDef[] {
  const out: TraitDef[] = [];
  const visit = (t: TraitDef): void => {
    if (out.includes(t)) return;
    out.push(t);
    for (const sup of traitSupers(s, t)) visit(sup.trait);
  };
  visit(trait);
  return out;
}

/** Rust's object-safety rules for the methods a trait object would dispatch. */
function notDynCompatible(s: Sema, trait: TraitDef): ReturnType<typeof DynCompat.notDynCompatible> | null {
  for (const t of closure(s, trait)) {
    const where = t === trait ? "" : ` (of the supertrait \`${t.name}\`)`;
    for (const [name, f] of t.methods) {
      if (f.generics.length > 0) return DynCompat.notDynCompatible(trait.name, `method \`${name}\`${where} has generic type parameters`);
      if (f.selfMode === null) return DynCompat.notDynCompatible(trait.name, `associated function \`${name}\`${where} has no \`self\` parameter`);
      const ast = f.ast;
      if (ast?.returnType && mentionsSelf(ast.returnType)) return DynCompat.notDynCompatible(trait.name, `method \`${name}\`${where} references the \`Self\` type in its return type`);
      if (ast?.params.some((p) => mentionsSelf(p.type))) return DynCompat.notDynCompatible(trait.name, `method \`${name}\`${where} references the \`Self\` type in a parameter`);
      if (f.selfMode === "value" || f.selfMode === "mutValue") return DynCompat.notDynCompatible(trait.name, `method \`${name}\`${where} takes \`self\` by value (dplc has no \`self: Box<Self>\`)`);
    }
  }
  return null;
}

function mentionsSelf(t: A.Type): boolean {
  switch (t.kind) {
    case "PathType":
      return t.segments.some((seg) => seg.name.name === "Self" || (seg.args ?? []).some(mentionsSelf));
    case "RefType":
      return mentionsSelf(t.inner);
    case "TupleType":
      return t.elements.some(mentionsSelf);
    case "ArrayType":
    case "SliceType":
      return mentionsSelf(t.element);
    case "FnType":
      return t.params.some(mentionsSelf) || (t.returnType !== null && mentionsSelf(t.returnType));
    case "DynType":
      return t.bounds.some(mentionsSelf);
    default:
      return false;
  }
}

/**
 * The unsizing coercion at a coercion site: `found` is a concrete type (through the same
 * references as `expected`) that implements the trait of the expected `dyn Trait`.
 * Returns true when it applies (recorded, or reported as a domain error).
 */
export function coerceToDyn(c: BodyChecker, e: A.Expr, found: Ty, expected: Ty): boolean {
  let E = shallow(expected);
  let F = shallow(found);
  if (E.k === "ref") {
    if (F.k !== "ref" || (E.mut && !F.mut)) return false;
    E = shallow(E.inner);
    F = shallow(F.inner);
  }
  let want: Domain = "K";
  if (E.k === "dom") {
    want = E.domain;
    E = shallow(E.inner);
  }
  const trait = dynTraitOf(E);
  if (!trait) return false;
  if (F.k === "var" || F.k === "error" || F.k === "any" || F.k === "never" || dynTraitOf(F) === trait) return false;
  if (F.k === "dom") F = shallow(F.inner);
  if (F.k === "param" && F.def.dyn) return false;
  if (!satisfies(c.s, c.inf, F, trait)) {
    if (F.k === "param" || F.k === "fn") return false;
    c.raise(e.span, TypeMismatch.notImplementedForDyn(trait.name, printTy(zonk(F))));
    return true;
  }
  const own = domainOf(found);
  const held = own !== "K" ? own : heldMoveOnly(c.s, F) ? "Q" : "K";
  if (held !== want) {
    c.raise(e.span, Coercion.traitObject(printTy(zonk(expected)), want, printTy(zonk(found)), held, trait.name));
    return true;
  }
  c.s.tables.dynCoercions.set(e, { trait, from: F });
  return true;
}
