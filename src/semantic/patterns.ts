/**
 * Patterns: binding names, checking each sub-pattern against the type it matches, and
 * Rust's default binding modes (matching `&Option<T>` against `Some(v)` binds `v: &T`).
 * A plain name is a binding unless it names a unit variant, unit struct or constant in
 * scope (`None`, `K`).
 */
import { Unresolved } from "../diagnostics/messages/unresolved.js";
import { UnknownMember } from "../diagnostics/messages/unknown-member.js";
import { Arity } from "../diagnostics/messages/arity.js";
import { TypeMismatch } from "../diagnostics/messages/type-mismatch.js";
import type * as A from "../syntax/ast.js";
import type { Def, FieldDef, LocalDef, StructDef, VariantDef } from "./defs.js";
import type { BodyChecker } from "./checker.js";
import { coerce } from "./infer.js";
import { checkExpr } from "./check-expr.js";
import { resolveValuePath } from "./paths.js";
import { lookupUnqualified } from "./resolve.js";
import { constType, fieldMapOf, structFields, variantFields } from "./lower.js";
import { findAssoc } from "./impls.js";
import { ERROR, adt, printTy, ref, shallow, substFor, substitute, tuple, zonk, type Ty } from "./types.js";
import { checkIrrefutable } from "./exhaustiveness.js";
import { didYouMeanFix } from "./fixes.js";

type Mode = "move" | "ref" | "refMut";

interface PatState {
  readonly out: LocalDef[];
  readonly origin: LocalDef["origin"];
  /** For the second and later alternatives of `a | b`: the bindings of the first. */
  readonly orFirst: Map<string, LocalDef> | null;
}

/** Check a pattern against `t` and declare its bindings; report refutable patterns where none may be. */
export function bindPattern(c: BodyChecker, p: A.Pattern, t: Ty, origin: "let" | "param" | "pattern" | "closure-param", irrefutable: boolean): LocalDef[] {
  const st: PatState = { out: [], origin: origin === "let" || origin === "pattern" ? origin : origin === "param" ? "param" : "closure-param", orFirst: null };
  checkPat(c, p, t, "move", st);
  if (irrefutable) checkIrrefutable(c, p, t, origin === "param" || origin === "closure-param" ? "parameter" : "`let`");
  return st.out;
}

function expectedOf(c: BodyChecker, t: Ty): Ty {
  return shallow(t);
}

function isBindingLike(p: A.Pattern): boolean {
  return p.kind === "BindingPattern" || p.kind === "WildcardPattern" || p.kind === "RefPattern" || p.kind === "RestPattern" || p.kind === "ErrorPattern";
}

function checkPat(c: BodyChecker, p: A.Pattern, t: Ty, mode: Mode, st: PatState): void {
  let exp = expectedOf(c, t);
  // Default binding modes: a non-reference pattern matched against a reference.
  if (!isBindingLike(p) && !(p.kind === "BindingPattern")) {
    while (exp.k === "ref") {
      mode = mode === "ref" ? "ref" : exp.mut ? "refMut" : "ref";
      exp = shallow(exp.inner);
    }
  }
  c.recordPattern(p, exp);
  switch (p.kind) {
    case "WildcardPattern":
    case "ErrorPattern":
      return;
    case "RestPattern":
      c.raise(p.span, TypeMismatch.restOutsideTuple());
      return;
    case "BindingPattern":
      return checkBinding(c, p, exp, mode, st);
    case "LiteralPattern": {
      const lt = checkExpr(c, p.value, exp);
      coerce(c, p.span, lt, litTarget(exp), { site: "other" });
      return;
    }
    case "RangePattern": {
      if (p.start) coerce(c, p.start.span, checkExpr(c, p.start, exp), exp, { site: "other" });
      if (p.end) coerce(c, p.end.span, checkExpr(c, p.end, exp), exp, { site: "other" });
      return;
    }
    case "TuplePattern":
      return checkTuplePat(c, p, exp, mode, st);
    case "PathPattern":
      return checkPathPat(c, p, exp);
    case "TupleStructPattern":
      return checkTupleStructPat(c, p, exp, mode, st);
    case "StructPattern":
      return checkStructPat(c, p, exp, mode, st);
    case "OrPattern": {
      const first = p.alternatives[0];
      if (!first) return;
      const before = st.out.length;
      checkPat(c, first, exp, mode, st);
      const firstBindings = new Map(st.out.slice(before).map((l) => [l.name, l]));
      for (const alt of p.alternatives.slice(1)) checkPat(c, alt, exp, mode, { ...st, orFirst: firstBindings });
      return;
    }
    case "RefPattern": {
      if (exp.k !== "ref") {
        if (exp.k !== "error" && exp.k !== "any" && exp.k !== "var") {
          c.raise(p.span, TypeMismatch.referencePatternMismatch(printTy(zonk(exp))));
        }
        checkPat(c, p.inner, ERROR, "move", st);
        return;
      }
      checkPat(c, p.inner, exp.inner, "move", st);
      return;
    }
  }
}

/** String literal patterns match `String` and `&str` scrutinees alike. */
function litTarget(t: Ty): Ty {
  const s = shallow(t);
  if (s.k === "prim" && s.name === "str") return { k: "prim", name: "String" };
  return s;
}

function constLike(c: BodyChecker, name: string): Def | null {
  const d = lookupUnqualified(c.s.resolver, c.module, name, "value");
  if (!d) return null;
  if (d.kind === "variant" && d.shape === "unit") return d;
  if (d.kind === "struct" && d.shape === "unit") return d;
  if (d.kind === "const") return d;
  return null;
}

function checkBinding(c: BodyChecker, p: A.BindingPattern, exp: Ty, mode: Mode, st: PatState): void {
  if (!p.subpattern && !p.isMut && !p.isRef && !c.lookupLocal(p.name.name)) {
    const d = constLike(c, p.name.name);
    if (d) {
      let target = shallow(exp);
      while (target.k === "ref") target = shallow(target.inner);
      c.recordPattern(p, target);
      matchConstLike(c, p, d, target);
      return;
    }
  }
  let ty = exp;
  if (p.isRef) ty = ref(exp, p.isMut);
  else if (mode !== "move") ty = ref(exp, mode === "refMut");
  if (st.orFirst) {
    const prev = st.orFirst.get(p.name.name);
    if (!prev) {
      c.raise(p.name.span, Unresolved.notBoundInEveryAlternative(p.name.name));
    } else {
      coerce(c, p.span, ty, prev.ty, { site: "other" });
      c.s.tables.bindings.set(p, prev);
    }
  } else {
    const mutable = p.isMut && !p.isRef;
    const l = c.declareLocal(p.name, ty, mutable, st.origin, mode !== "move" || p.isRef, p);
    st.out.push(l);
  }
  if (p.subpattern) checkPat(c, p.subpattern, exp, mode, st);
}

function matchConstLike(c: BodyChecker, p: A.Pattern, d: Def, exp: Ty): void {
  let t: Ty = ERROR;
  if (d.kind === "variant") {
    const e = d.enumDef;
    t = adt(e, e.generics.map(() => c.fresh()));
    c.s.tables.patRes.set(p, { kind: "variant", def: d });
  } else if (d.kind === "struct") {
    t = adt(d, d.generics.map(() => c.fresh()));
    c.s.tables.patRes.set(p, { kind: "struct", def: d });
  } else if (d.kind === "const") {
    t = constType(c.s, d);
    c.s.tables.patRes.set(p, { kind: "const", def: d });
  }
  coerce(c, p.span, t, exp, { site: "other" });
}

function checkTuplePat(c: BodyChecker, p: A.TuplePattern, exp: Ty, mode: Mode, st: PatState): void {
  const restAt = p.elements.findIndex((x) => x.kind === "RestPattern");
  const fixed = p.elements.filter((x) => x.kind !== "RestPattern");
  let elems: readonly Ty[];
  if (exp.k === "tuple") elems = exp.elems;
  else if (exp.k === "var" && restAt < 0) {
    elems = fixed.map(() => c.fresh());
    c.inf.unify(exp, tuple(elems));
  } else {
    if (exp.k !== "error" && exp.k !== "any") {
      c.raise(p.span, TypeMismatch.tuplePatternMismatch(printTy(zonk(exp))));
    }
    for (const x of fixed) checkPat(c, x, ERROR, mode, st);
    return;
  }
  if (restAt < 0 ? fixed.length !== elems.length : fixed.length > elems.length) {
    c.raise(p.span, TypeMismatch.tuplePatternArity(elems.length, fixed.length));
  }
  distribute(c, p.elements, elems, mode, st);
}

/** Match sub-patterns (with at most one `..`) against element types. */
function distribute(c: BodyChecker, pats: readonly A.Pattern[], tys: readonly Ty[], mode: Mode, st: PatState): void {
  const restAt = pats.findIndex((x) => x.kind === "RestPattern");
  if (restAt < 0) {
    pats.forEach((x, i) => checkPat(c, x, tys[i] ?? ERROR, mode, st));
    return;
  }
  const before = pats.slice(0, restAt);
  const after = pats.slice(restAt + 1);
  before.forEach((x, i) => checkPat(c, x, tys[i] ?? ERROR, mode, st));
  after.forEach((x, i) => checkPat(c, x, tys[tys.length - after.length + i] ?? ERROR, mode, st));
}

/** Resolve the path of a pattern to a variant, struct or constant, with its instantiated type. */
function patternTarget(c: BodyChecker, path: A.PathExpr, ns: "value" | "type"): { def: VariantDef | StructDef | null; ty: Ty; constTy?: Ty } {
  const r = resolveValuePath(c, path, ns);
  if (r.kind === "error") return { def: null, ty: ERROR };
  if (r.kind === "local") {
    c.raise(path.span, TypeMismatch.localInPattern(r.def.name));
    return { def: null, ty: ERROR };
  }
  if (r.kind === "assoc") {
    const a = findAssoc(c.s, c.inf, r.selfTy, r.name.name);
    if (a?.const) return { def: null, ty: ERROR, constTy: substitute(constType(c.s, a.const), a.subst) };
    c.raise(r.name.span, Unresolved.noVariantOrConstant(r.name.name, printTy(zonk(r.selfTy))));
    return { def: null, ty: ERROR };
  }
  const d = r.def;
  if (d.kind === "variant") {
    const e = d.enumDef;
    return { def: d, ty: adt(e, e.generics.map(() => c.fresh())) };
  }
  if (d.kind === "struct") return { def: d, ty: adt(d, d.generics.map(() => c.fresh())) };
  if (d.kind === "const") return { def: null, ty: ERROR, constTy: constType(c.s, d) };
  c.raise(path.span, TypeMismatch.notAPatternPath(d.kind === "fn" ? "function" : d.kind, path.segments.map((x) => x.name.name).join("::")));
  return { def: null, ty: ERROR };
}

function checkPathPat(c: BodyChecker, p: A.PathPattern, exp: Ty): void {
  const r = patternTarget(c, p.path, "value");
  if (r.constTy) {
    coerce(c, p.span, r.constTy, exp, { site: "other" });
    return;
  }
  if (!r.def) return;
  c.s.tables.patRes.set(p, r.def.kind === "variant" ? { kind: "variant", def: r.def } : { kind: "struct", def: r.def });
  if (r.def.kind === "variant" && r.def.shape !== "unit") {
    c.raise(p.span, TypeMismatch.variantHasFields(r.def.enumDef.name, r.def.name, r.def.shape === "tuple"));
  }
  coerce(c, p.span, r.ty, exp, { site: "other" });
}

function fieldsOf(c: BodyChecker, d: VariantDef | StructDef, ty: Ty): { fields: FieldDef[]; subst: Map<import("./defs.js").GenericParamDef, Ty> } {
  const generics = d.kind === "variant" ? d.enumDef.generics : d.generics;
  const st = shallow(ty);
  const args = st.k === "adt" ? st.args : generics.map(() => ERROR);
  const fields = d.kind === "variant" ? variantFields(c.s, d) : structFields(c.s, d);
  return { fields, subst: substFor(generics, args) };
}

function checkTupleStructPat(c: BodyChecker, p: A.TupleStructPattern, exp: Ty, mode: Mode, st: PatState): void {
  const r = patternTarget(c, p.path, "value");
  if (!r.def) {
    for (const x of p.elements) checkPat(c, x, ERROR, mode, st);
    return;
  }
  c.s.tables.patRes.set(p, r.def.kind === "variant" ? { kind: "variant", def: r.def } : { kind: "struct", def: r.def });
  const shape = r.def.shape;
  if (shape !== "tuple") {
    c.raise(p.span, TypeMismatch.notATuplePattern(p.path.segments.map((x) => x.name.name).join("::"), r.def.kind, shape === "unit"));
  }
  coerce(c, p.path.span, r.ty, exp, { site: "other" });
  const { fields, subst } = fieldsOf(c, r.def, r.ty);
  const tys = fields.map((f) => substitute(f.ty, subst));
  const fixed = p.elements.filter((x) => x.kind !== "RestPattern").length;
  const hasRest = fixed !== p.elements.length;
  if (shape === "tuple" && (hasRest ? fixed > tys.length : fixed !== tys.length)) {
    c.raise(p.span, Arity.tuplePatternFields(fixed, r.def.name, tys.length));
  }
  distribute(c, p.elements, tys, mode, st);
}

function checkStructPat(c: BodyChecker, p: A.StructPattern, exp: Ty, mode: Mode, st: PatState): void {
  const r = patternTarget(c, p.path, "type");
  if (!r.def) {
    for (const f of p.fields) if (f.pattern) checkPat(c, f.pattern, ERROR, mode, st);
    return;
  }
  c.s.tables.patRes.set(p, r.def.kind === "variant" ? { kind: "variant", def: r.def } : { kind: "struct", def: r.def });
  coerce(c, p.path.span, r.ty, exp, { site: "other" });
  const { subst } = fieldsOf(c, r.def, r.ty);
  const map = fieldMapOf(c.s, r.def);
  const seen = new Set<string>();
  for (const f of p.fields) {
    const fd = map.get(f.name.name);
    seen.add(f.name.name);
    if (!fd) {
      const similar = didYouMeanFix(f.name.name, f.name.span, map.keys());
      c.raise(f.name.span, UnknownMember.noNamedField(r.def.name, f.name.name, similar.help), { suggestions: similar.suggestions });
      if (f.pattern) checkPat(c, f.pattern, ERROR, mode, st);
      continue;
    }
    const ft = substitute(fd.ty, subst);
    if (f.pattern) checkPat(c, f.pattern, ft, mode, st);
    else {
      // Shorthand `{ x }` binds a local named like the field.
      const bp: A.BindingPattern = { kind: "BindingPattern", name: f.name, isMut: false, isRef: false, subpattern: null, span: f.span };
      checkBinding(c, bp, ft, mode, st);
      const l = c.s.tables.bindings.get(bp);
      if (l) c.s.tables.bindings.set(f, l);
    }
  }
  if (!p.hasRest) {
    const missing = [...map.keys()].filter((n) => !seen.has(n));
    if (missing.length > 0) {
      c.raise(p.span, Arity.patternMissesFields(missing));
    }
  }
}
