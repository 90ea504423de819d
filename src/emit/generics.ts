/**
 * Generic functions and trait dispatch, by dictionary passing.
 *
 * TypeScript erases types, so a generic DPL function receives what it needs to know about
 * its type parameters as extra trailing parameters ("witnesses"):
 *
 *   - `$ty_T: Ty`, the runtime descriptor of `T` (formatting `{:?}` of a `T`, ordering);
 *   - `$dict_T_Shape: Shape$dict<T>`, for each bound `T: Shape` of a trait with methods:
 *     the methods of `T`'s impl of `Shape`, so `x.area()` on a `T` is `$dict_T_Shape.area(x)`.
 *
 * A trait's default method is generic over `Self` in the same way. Each `impl Trait for X`
 * exports its dictionary (`Circle$Shape`), built from the impl's methods and the trait's
 * defaults. Callers pass witnesses computed from the call's type arguments: descriptors of
 * concrete types, dictionaries of the impls that apply, or their own witnesses when the
 * argument is one of their own type parameters.
 */
import type { FnDef, GenericParamDef, ImplDef, TraitDef } from "../semantic/defs.js";
import { shallow, type Ty } from "../semantic/types.js";
import type { ReadonlyModel } from "../semantic/model.js";
import type { ModuleCtx } from "./module-ctx.js";
import { tsType, tyDescriptor, type DescriptorScope } from "./ts-types.js";
import { frag, joinFrags, type Frag } from "./writer.js";
import { ownerGenerics } from "./calls.js";

export type Witness = { readonly kind: "ty"; readonly g: GenericParamDef; readonly name: string } | { readonly kind: "dict"; readonly g: GenericParamDef; readonly trait: TraitDef; readonly name: string };

/** A trait whose values are dispatched through dictionaries: it has methods, and is not `Clone` (the runtime clones structurally). */
export function isDispatchTrait(t: TraitDef): boolean {
  if (t.methods.size === 0) return false;
  return !(t.module.isPrelude && t.name === "Clone");
}

/** A generic parameter's bounds and all their supertraits, each once, in a stable order. */
export function boundClosure(model: ReadonlyModel, g: GenericParamDef): TraitDef[] {
  const out: TraitDef[] = [];
  const visit = (t: TraitDef): void => {
    if (out.includes(t)) return;
    out.push(t);
    for (const s of model.traitSupers(t)) visit(s.trait);
  };
  for (const b of g.bounds) visit(b.trait);
  return out;
}

const witnessCache = new WeakMap<FnDef, Witness[]>();

export function witnessesOf(model: ReadonlyModel, f: FnDef): Witness[] {
  let w = witnessCache.get(f);
  if (w) return w;
  w = [];
  const gens = ownerGenerics(f);
  for (const g of gens) w.push({ kind: "ty", g, name: `$ty_${g.name}` });
  for (const g of gens) for (const t of boundClosure(model, g)) if (isDispatchTrait(t)) w.push({ kind: "dict", g, trait: t, name: `$dict_${g.name}_${t.name}` });
  witnessCache.set(f, w);
  return w;
}

/** Does a function take witnesses? (Function values of such functions need a wrapper.) */
export function hasWitnesses(model: ReadonlyModel, f: FnDef): boolean {
  return witnessesOf(model, f).length > 0;
}

export interface WitnessScope extends DescriptorScope {
  /** The dictionary parameter of `g: trait` in the current function, if it has one. */
  dictOf(g: GenericParamDef, trait: TraitDef): string | null;
}

/** The witness arguments for a call of `f` whose generic parameters are bound by `subst`. */
export function witnessArgs(m: ModuleCtx, f: FnDef, subst: ReadonlyMap<GenericParamDef, Ty>, scope: WitnessScope): Frag[] {
  return witnessesOf(m.unit.model, f).map((w) => {
    const t = subst.get(w.g) ?? ({ k: "param", def: w.g } as Ty);
    return w.kind === "ty" ? tyDescriptor(m, t, scope) : dictFor(m, t, w.trait, scope);
  });
}

/** The dictionary of `trait` for type `t`. */
export function dictFor(m: ModuleCtx, t: Ty, trait: TraitDef, scope: WitnessScope): Frag {
  let s = shallow(t);
  while (s.k === "ref" || s.k === "dom") s = shallow(s.inner);
  if (s.k === "param") return scope.dictOf(s.def, trait) ?? missingDict(trait, s.def.name);
  const found = m.unit.model.implOf(s, trait, m.unit.root);
  if (!found && isDerivedDefault(trait, trait.methods.get("default"))) return frag(null, `{ default: () => ${m.rt("defaultOf")}(`, tyDescriptor(m, s, scope), `) as ${tsType(s, m)} }`);
  if (!found) return missingDict(trait, "a type without an impl");
  const name = m.dictRef(found.impl);
  if (found.impl.generics.length === 0) return name;
  const args = implWitnessArgs(m, found.impl, found.subst, scope);
  return frag(null, `${name}(`, joinFrags(args, ", "), ")");
}

/** Witnesses of a generic impl's own parameters (what its dictionary factory takes). */
function implWitnessArgs(m: ModuleCtx, impl: ImplDef, subst: ReadonlyMap<GenericParamDef, Ty>, scope: WitnessScope): Frag[] {
  const out: Frag[] = [];
  for (const g of impl.generics) out.push(tyDescriptor(m, subst.get(g) ?? ({ k: "param", def: g } as Ty), scope));
  for (const g of impl.generics) for (const t of boundClosure(m.unit.model, g)) if (isDispatchTrait(t)) out.push(dictFor(m, subst.get(g) ?? ({ k: "param", def: g } as Ty), t, scope));
  return out;
}

/** The prelude's `Default::default`, which a type without an impl has when it derives it (semantic/impls.ts hasDerivedDefault). */
export function isDerivedDefault(trait: TraitDef, f: FnDef | undefined): boolean {
  return trait.module.isPrelude && trait.name === "Default" && f?.name === "default";
}

function missingDict(trait: TraitDef, what: string): string {
  return `(undefined as never /* no ${trait.name} for ${what} */)`;
}
