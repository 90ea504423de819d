/**
 * What a call resolved to, once its body is checked: every generic parameter of the
 * callee bound to a resolved type, and for a trait method whose `Self` is a concrete type,
 * the impl that supplies it. The emitter reads this (witness arguments, static dispatch)
 * instead of re-deriving it from the types around the call.
 */
import type { FnDef, GenericParamDef, ImplDef, TraitDef } from "./defs.js";
import type { Sema } from "./context.js";
import type { CallRes, CallResolver } from "./tables.js";
import { Infer } from "./infer.js";
import { implSelfTy } from "./lower.js";
import { matchImpl } from "./impls.js";
import { NO_SUBST, shallow, substitute, zonk, type Ty } from "./types.js";

/** Types that bind nothing: a generic left at one of these stays unbound. */
function unresolved(t: Ty): boolean {
  const s = shallow(t);
  return s.k === "var" || s.k === "error" || s.k === "any";
}

const resolvers = new WeakMap<Sema, CallResolver>();

/**
 * The resolver a call table keeps for the calls of `s`'s bodies: one per world, holding
 * `s` alone, so a finished body's checker (its per-body tables) is not kept alive by the
 * calls it recorded.
 */
export function callResolverOf(s: Sema): CallResolver {
  let r = resolvers.get(s);
  if (r === undefined) {
    r = (fn, raw) => resolveCall(s, fn, raw);
    resolvers.set(s, r);
  }
  return r;
}

/**
 * Resolve a call's substitution once inference is done. Owner bindings may mention the
 * impl's own generics (a trait default method reached through `impl<T> Tr for Vec<T>`
 * binds `Self` to `Vec<T>`): those are replaced by what the impl's generics were bound to.
 */
export function resolveCall(s: Sema, fn: FnDef, raw: ReadonlyMap<GenericParamDef, Ty>): CallRes {
  if (raw.size === 0 && fn.owner?.kind !== "trait") return { fn, subst: NO_SUBST, selfTy: null, impl: null };
  const own = new Set(fn.generics);
  const subst = new Map<GenericParamDef, Ty>();
  for (const [g, v] of raw) {
    let t = zonk(v);
    for (let i = 0; i < 3 && mentions(t, raw); i++) t = zonk(substitute(t, raw));
    if (own.has(g) || !unresolved(t)) subst.set(g, t);
  }
  let selfTy: Ty | null = null;
  let impl: CallRes["impl"] = null;
  if (fn.owner?.kind === "trait") {
    const bound = subst.get(fn.owner.selfParam);
    if (bound) {
      selfTy = peel(bound);
      if (selfTy.k !== "param") impl = implOfTrait(s, selfTy, fn.owner);
    }
  }
  return { fn, subst, selfTy, impl };
}

function mentions(t: Ty, m: ReadonlyMap<GenericParamDef, Ty>): boolean {
  const s = shallow(t);
  switch (s.k) {
    case "param":
      return m.has(s.def);
    case "ref":
    case "dom":
      return mentions(s.inner, m);
    case "tuple":
      return s.elems.some((x) => mentions(x, m));
    case "array":
    case "slice":
      return mentions(s.elem, m);
    case "adt":
      return s.args.some((x) => mentions(x, m));
    case "fn":
      return s.params.some((x) => mentions(x, m)) || mentions(s.ret, m);
    default:
      return false;
  }
}

/** Through references and domain wrappers. */
export function peel(t: Ty): Ty {
  let s = shallow(t);
  while (s.k === "ref" || s.k === "dom") s = shallow(s.inner);
  return s;
}

/** The impl of `trait` for a concrete type, with the impl's generics bound. */
export function implOfTrait(s: Sema, t: Ty, trait: TraitDef): { impl: ImplDef; subst: Map<GenericParamDef, Ty> } | null {
  const inf = new Infer();
  for (const impl of s.impls.candidates(t)) {
    implSelfTy(s, impl);
    if (impl.trait?.trait !== trait) continue;
    const m = matchImpl(s, inf, impl, t);
    if (m) {
      const subst = new Map<GenericParamDef, Ty>();
      for (const [g, v] of m.subst) subst.set(g, zonk(v));
      return { impl, subst };
    }
  }
  return null;
}
