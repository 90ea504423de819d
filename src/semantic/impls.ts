/**
 * The impl index: which `impl` blocks apply to a type, method and associated-item lookup,
 * and trait-bound checks. Impls are indexed by the head of their self type (the struct or
 * enum definition, or the primitive's name), so a lookup only looks at candidate impls.
 * The user world's index sits on top of the stdlib's and never changes it.
 */
import type { AdtDef, ConstDef, FnDef, GenericParamDef, ImplDef, TraitDef, TraitRef } from "./defs.js";
import type { Sema } from "./context.js";
import type { Infer } from "./infer.js";
import { implSelfTy, structFields, traitSupers, variantFields } from "./lower.js";
import { derefAll, domainOf, everyTuplePart, shallow, stripDomain, substFor, substitute, type Ty } from "./types.js";
import { PARSE_FLOAT_ERROR_DEF, PARSE_INT_ERROR_DEF } from "./builtins.js";

type HeadKey = AdtDef | string;

function headOf(t: Ty): HeadKey | null {
  const s = stripDomain(t);
  switch (s.k) {
    case "adt":
      return s.def;
    case "prim":
      return `prim:${s.name}`;
    case "ref":
      return "ref";
    case "tuple":
      return "tuple";
    case "array":
      return "array";
    case "slice":
      return "slice";
    case "fn":
      return "fn";
    default:
      return null;
  }
}

export class ImplIndex {
  private readonly byHead = new Map<HeadKey, ImplDef[]>();
  /** `impl<T: Bound> Trait for T`: checked against every type. */
  private readonly blanket: ImplDef[] = [];
  private readonly byTrait = new Map<TraitDef, ImplDef[]>();

  constructor(readonly parent: ImplIndex | null) {}

  add(impl: ImplDef, selfTy: Ty): void {
    const h = headOf(selfTy);
    const s = shallow(selfTy);
    if (h === null) {
      if (s.k === "param") this.blanket.push(impl);
      return;
    }
    let list = this.byHead.get(h);
    if (!list) this.byHead.set(h, (list = []));
    list.push(impl);
    if (impl.trait) {
      if (impl.trait.trait.name === "Copy" && impl.trait.trait.module.isPrelude && s.k === "adt") copyImpls.add(s.def);
      let tl = this.byTrait.get(impl.trait.trait);
      if (!tl) this.byTrait.set(impl.trait.trait, (tl = []));
      tl.push(impl);
    }
  }

  /**
   * Mark again the types this index's `impl Copy` blocks make copyable (that mark lives
   * outside the index): for an index read back from the stdlib cache.
   */
  restoreCopyMarks(): void {
    for (const [trait, impls] of this.byTrait) {
      if (trait.name !== "Copy" || !trait.module.isPrelude) continue;
      for (const impl of impls) {
        const s = impl.selfTy ? shallow(impl.selfTy) : null;
        if (s?.k === "adt") copyImpls.add(s.def);
      }
    }
  }

  /** Candidate impls for a type: by head, then blanket impls; the stdlib's first. */
  candidates(t: Ty): ImplDef[] {
    const h = headOf(t);
    const out: ImplDef[] = this.parent ? this.parent.candidates(t) : [];
    if (h !== null) out.push(...(this.byHead.get(h) ?? []));
    out.push(...this.blanket);
    return out;
  }

  implsOfTrait(t: TraitDef): ImplDef[] {
    const out = this.parent ? this.parent.implsOfTrait(t) : [];
    out.push(...(this.byTrait.get(t) ?? []));
    return out;
  }

  /** Impls of a struct or enum, by its definition (no matching against arguments). */
  implsOfDef(d: AdtDef): ImplDef[] {
    const out = this.parent ? this.parent.implsOfDef(d) : [];
    out.push(...(this.byHead.get(d) ?? []));
    return out;
  }

  /** Every struct or enum with impls, for the rare error paths that need to search them. */
  adtHeads(): AdtDef[] {
    const out = this.parent ? this.parent.adtHeads() : [];
    for (const k of this.byHead.keys()) if (typeof k !== "string") out.push(k);
    return out;
  }
}

export interface ImplMatch {
  readonly impl: ImplDef;
  readonly subst: Map<GenericParamDef, Ty>;
}

/** Does `impl` apply to `t`? On success the impl's generics are bound to fresh variables unified with `t`. */
export function matchImpl(s: Sema, inf: Infer, impl: ImplDef, t: Ty): ImplMatch | null {
  const selfTy = implSelfTy(s, impl);
  const fresh = impl.generics.map(() => inf.fresh());
  const subst = substFor(impl.generics, fresh);
  const inst = substitute(selfTy, subst);
  const snap = inf.snapshot();
  if (inf.unify(inst, stripDomainIfNeeded(inst, t)) !== null) {
    inf.rollback(snap);
    return null;
  }
  // Blanket impls only apply where their bounds hold.
  for (let i = 0; i < impl.generics.length; i++) {
    const g = impl.generics[i]!;
    for (const b of g.bounds) {
      if (!satisfies(s, inf, fresh[i]!, b.trait)) {
        inf.rollback(snap);
        return null;
      }
    }
  }
  return { impl, subst };
}

/** Methods on `Q<T>` values are those of `T`. */
function stripDomainIfNeeded(implTy: Ty, t: Ty): Ty {
  const s = shallow(t);
  if (s.k === "dom" && shallow(implTy).k !== "dom") return s.inner;
  return t;
}

export interface MethodCandidate {
  readonly fn: FnDef;
  /** Substitution for the impl's (or trait's) generics and `Self`. */
  readonly subst: Map<GenericParamDef, Ty>;
  readonly impl: ImplDef | null;
}

/** Inherent methods first, then trait methods (including a trait's default methods). */
export function findMethodOn(s: Sema, inf: Infer, t: Ty, name: string): MethodCandidate | null {
  const st = shallow(t);
  if (st.k === "param") return findMethodInBounds(s, st.def, st, name);
  const cands = s.impls.candidates(st);
  for (const pass of [false, true]) {
    for (const impl of cands) {
      if ((impl.ast.trait !== null) !== pass) continue;
      const direct = impl.methods.get(name);
      const viaTrait = !direct && pass ? traitDefault(s, impl, name) : null;
      if (!direct && !viaTrait) continue;
      const m = matchImpl(s, inf, impl, st);
      if (!m) continue;
      if (direct) return { fn: direct, subst: m.subst, impl };
      const tr = impl.trait!;
      const subst = new Map(m.subst);
      subst.set(tr.trait.selfParam, implSelfTy(s, impl));
      tr.trait.generics.forEach((g, i) => subst.set(g, tr.args[i] ?? inf.fresh()));
      return { fn: viaTrait!, subst, impl };
    }
  }
  return null;
}

function traitDefault(s: Sema, impl: ImplDef, name: string): FnDef | null {
  implSelfTy(s, impl);
  const tr = impl.trait;
  if (!tr) return null;
  return findInTrait(s, tr.trait, name)?.fn ?? null;
}

function findInTrait(s: Sema, t: TraitDef, name: string, seen = new Set<TraitDef>()): { fn: FnDef; trait: TraitDef } | null {
  if (seen.has(t)) return null;
  seen.add(t);
  const f = t.methods.get(name);
  if (f) return { fn: f, trait: t };
  for (const sup of traitSupers(s, t)) {
    const r = findInTrait(s, sup.trait, name, seen);
    if (r) return r;
  }
  return null;
}

/** Methods of a generic parameter come from its bounds (`T: QContract`). */
function findMethodInBounds(s: Sema, g: GenericParamDef, self: Ty, name: string): MethodCandidate | null {
  for (const b of g.bounds) {
    const r = findInTrait(s, b.trait, name);
    if (!r) continue;
    const subst = new Map<GenericParamDef, Ty>();
    subst.set(r.trait.selfParam, self);
    if (r.trait === b.trait) b.trait.generics.forEach((p, i) => subst.set(p, b.args[i] ?? self));
    return { fn: r.fn, subst, impl: null };
  }
  return null;
}

/** Associated function or constant `Type::name`: inherent impls first, then trait impls. */
export function findAssoc(s: Sema, inf: Infer, t: Ty, name: string): { fn?: FnDef; const?: ConstDef; subst: Map<GenericParamDef, Ty> } | null {
  const st = shallow(t);
  if (st.k === "param") {
    const m = findMethodInBounds(s, st.def, st, name);
    return m ? { fn: m.fn, subst: m.subst } : null;
  }
  const cands = s.impls.candidates(st);
  for (const pass of [false, true]) {
    for (const impl of cands) {
      if ((impl.ast.trait !== null) !== pass) continue;
      const f = impl.methods.get(name) ?? (pass ? traitDefault(s, impl, name) : null);
      const c = impl.consts.get(name);
      if (!f && !c) continue;
      const m = matchImpl(s, inf, impl, st);
      if (!m) continue;
      if (f && f.owner?.kind === "trait") {
        const subst = new Map(m.subst);
        subst.set(f.owner.selfParam, implSelfTy(s, impl));
        return { fn: f, subst };
      }
      return f ? { fn: f, subst: m.subst } : { const: c!, subst: m.subst };
    }
  }
  return null;
}

/** Traits that every suitable type has without an impl (Rust would derive them). */
const STRUCTURAL_TRAITS = new Set(["PartialEq", "Eq", "PartialOrd", "Ord", "Debug", "Display", "Hash", "Default", "Sized", "Send", "Sync"]);

/** Does `t` implement `trait`? Unknown types are given the benefit of the doubt. */
export function satisfies(s: Sema, inf: Infer, t: Ty, trait: TraitDef): boolean {
  const st = shallow(t);
  if (st.k === "var" || st.k === "error" || st.k === "any" || st.k === "never") return true;
  if (st.k === "param") return paramHas(s, st.def, trait);
  if (trait.module.isPrelude) {
    if (STRUCTURAL_TRAITS.has(trait.name)) return true;
    if (trait.name === "Copy") return isCopyType(st);
    if (trait.name === "Clone") return domainOf(st) !== "Q" && !isNoncopy(st) && heldMoveOnly(s, st) === null;
  }
  for (const impl of s.impls.candidates(st)) {
    implSelfTy(s, impl);
    if (impl.trait?.trait !== trait) continue;
    const snap = inf.snapshot();
    const m = matchImpl(s, inf, impl, st);
    inf.rollback(snap);
    if (m) return true;
  }
  return false;
}

/**
 * Does `t` implement `Display` (what `{}` and `.to_string()` need)? Numbers, `bool`, `char`
 * and strings do, a type with an `impl Display` does, and a type parameter bounded by it;
 * structs, enums, tuples, `Vec` and `Option` do not (they have `{:?}`), as in Rust. Q and Φ
 * values are answered yes here: formatting them is DPL3003/DPL4001, reported on its own.
 */
export function implementsDisplay(s: Sema, t: Ty): boolean {
  const st = shallow(t);
  switch (st.k) {
    case "var":
    case "error":
    case "any":
    case "never":
      return true;
    case "prim":
      return true;
    case "ref":
      return implementsDisplay(s, st.inner);
    case "dom":
      return st.domain !== "K" || implementsDisplay(s, st.inner);
    case "param": {
      const seen = new Set<TraitDef>();
      const walk = (refs: readonly TraitRef[]): boolean =>
        refs.some((r) => {
          if (isDisplayTrait(r.trait)) return true;
          if (seen.has(r.trait)) return false;
          seen.add(r.trait);
          return walk(traitSupers(s, r.trait));
        });
      return walk(st.def.bounds);
    }
    case "adt":
      if (st.def.ann.domain === "Q" || st.def.ann.domain === "Φ") return true;
      // The runtime's own `str::parse` errors print std's sentence.
      if (st.def === PARSE_INT_ERROR_DEF || st.def === PARSE_FLOAT_ERROR_DEF) return true;
      return s.impls.candidates(st).some((impl) => {
        implSelfTy(s, impl);
        return impl.trait !== null && isDisplayTrait(impl.trait.trait);
      });
    default:
      return false;
  }
}

/**
 * Has `t` a structural `Default` (what `#[derive(Default)]` and std give): numbers, `bool`,
 * `char`, `String`, `Vec`, `Option`, tuples of such, and structs that derive `Default`
 * (their fields are checked where the derive is). A type with a hand-written
 * `impl Default` is found as an impl instead.
 */
export function hasDerivedDefault(t: Ty): boolean {
  const st = shallow(t);
  switch (st.k) {
    case "prim":
      return st.name !== "str";
    case "tuple":
      return st.elems.every(hasDerivedDefault);
    case "adt": {
      const d = st.def;
      if (d.ann.domain === "Q" || d.ann.domain === "Φ") return false;
      if (d.kind === "struct" && d.builtin === "Vec") return true;
      if (d.kind === "enum" && d.module.isPrelude && d.name === "Option") return true;
      return d.kind === "struct" && d.ann.derives.includes("Default");
    }
    default:
      return false;
  }
}

/** The prelude's `Display` (also reached as `std::fmt::Display`), not a user trait of that name. */
function isDisplayTrait(t: TraitDef): boolean {
  return t.name === "Display" && t.module.isPrelude;
}

function paramHas(s: Sema, g: GenericParamDef, trait: TraitDef): boolean {
  const seen = new Set<TraitDef>();
  const walk = (refs: readonly TraitRef[]): boolean => {
    for (const r of refs) {
      if (r.trait === trait) return true;
      if (seen.has(r.trait)) continue;
      seen.add(r.trait);
      if (walk(traitSupers(s, r.trait))) return true;
    }
    return false;
  };
  return walk(g.bounds);
}

/** Types with an explicit `impl Copy for T {}` (registered as impls are indexed). */
const copyImpls = new WeakSet<AdtDef>();

/**
 * The Q state (or `@noncopy` value) a K value holds somewhere inside: a field of a struct
 * or enum, a tuple element, a `Vec`/`Option` element. Cloning the holder would duplicate
 * it (DPL4001). Returns the held type for the message, or null.
 */
export function heldMoveOnly(s: Sema, t: Ty, seen: Set<AdtDef> = new Set()): Ty | null {
  const st = shallow(t);
  switch (st.k) {
    case "dom":
      return st.domain === "Q" ? st : heldMoveOnly(s, st.inner, seen);
    case "tuple":
      for (const e of st.elems) {
        const h = heldMoveOnly(s, e, seen);
        if (h) return h;
      }
      return null;
    case "array":
    case "slice":
      return heldMoveOnly(s, st.elem, seen);
    case "adt": {
      const d = st.def;
      if (d.ann.domain === "Q" || d.ann.noncopy) return st;
      if (seen.has(d)) return null;
      seen.add(d);
      for (const a of st.args) {
        const h = heldMoveOnly(s, a, seen);
        if (h) return h;
      }
      const fields = d.kind === "struct" ? structFields(s, d) : d.variants.flatMap((v) => variantFields(s, v));
      for (const f of fields) {
        const h = heldMoveOnly(s, f.ty, seen);
        if (h) return h;
      }
      return null;
    }
    default:
      return null;
  }
}

export function isNoncopy(t: Ty): boolean {
  const s = derefAll(t);
  return s.k === "adt" && s.def.ann.noncopy;
}

/** K primitives (not `String`), shared references, and tuples/arrays of copy types are copied. */
export function isCopyType(t: Ty): boolean {
  const st = shallow(t);
  switch (st.k) {
    case "prim":
      return st.name !== "String" && st.name !== "str";
    case "ref":
      return !st.mut;
    case "tuple":
      // Each shared element once (a nested tuple type has exponentially many paths).
      return everyTuplePart(t, isCopyType);
    case "array":
      return isCopyType(st.elem);
    case "fn":
    case "marker":
    case "never":
    case "error":
    case "any":
      return true;
    case "dom":
      // Q state is move-only whatever it wraps (XDV-051 §4.3).
      return st.domain !== "Q" && isCopyType(st.inner);
    case "adt": {
      const d = st.def;
      if (d.ann.domain === "Q" || d.ann.noncopy) return false;
      // `Option<T>` and `Result<T, E>` are copied when their contents are, as in Rust.
      const generic = d.kind === "enum" && d.module.isPrelude && (d.name === "Option" || d.name === "Result");
      return (generic || d.ann.derives.includes("Copy") || copyImpls.has(d)) && st.args.every(isCopyType);
    }
    default:
      return false;
  }
}
