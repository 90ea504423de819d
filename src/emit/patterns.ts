/**
 * Patterns, in two halves: a test (`$m.$tag === "Some" && $m._0 > 3`) and the bindings
 * it introduces (`const x = $m._0;`). Enum payloads are read as `_0`, `_1` or by field
 * name, tuple elements as `[i]`.
 *
 * Default binding modes: matching a reference binds references. A shared reference is
 * the value itself, and so is a `&mut` to an in-place object; a `&mut` to anything else
 * binds a `MutRef` whose writes go back into the matched value, rebuilding the immutable
 * enum or tuple around the new payload and storing it in the matched place.
 */
import { jsString } from "./escape.js";
import type * as A from "../syntax/ast.js";
import type { LocalDef } from "../semantic/defs.js";
import { shallow, type Ty } from "../semantic/types.js";
import type { Body } from "./body.js";
import { e, frag, primary, Prec, type E, type Frag } from "./writer.js";
import { emitExpr } from "./exprs.js";
import { fieldMember, tupleField } from "./names.js";
import { isBoxedMutRef, peelDomain, reprOf } from "./repr.js";
import type { Place } from "./places.js";

/** Where a sub-pattern's value is: an expression to read, and a place to write when known. */
export interface Access {
  readonly value: E;
  readonly ty: Ty;
  readonly place: Place | null;
}

function patTy(b: Body, p: A.Pattern, fallback: Ty): Ty {
  return b.tables.patTypes.get(p) ?? fallback;
}

/** Read through references so the value has the shape the pattern expects. */
function peel(a: Access, target: Ty): Access {
  let v = a.value;
  let t = peelDomain(a.ty);
  const want = peelDomain(target);
  let place = a.place;
  while (t.k === "ref" && want.k !== "ref") {
    if (isBoxedMutRef(t)) {
      const r = v;
      v = e(frag(null, primary(r), ".value"));
      place = { ty: t.inner, read: () => e(frag(null, primary(r), ".value")), write: (x, s) => e(frag(s, primary(r), ".value = ", x.f), Prec.Assign), mutRef: () => r };
    }
    t = peelDomain(t.inner);
  }
  return { value: v, ty: t, place };
}

/** The test a value must pass to match `p`, or null when it always matches. */
export function patTest(b: Body, p: A.Pattern, a0: Access): Frag | null {
  const a = peel(a0, patTy(b, p, a0.ty));
  switch (p.kind) {
    case "WildcardPattern":
    case "RestPattern":
    case "ErrorPattern":
      return null;
    case "BindingPattern": {
      const r = b.tables.patRes.get(p);
      if (r?.kind === "variant") return tagTest(a.value, r.def.name);
      if (r?.kind === "const") return frag(p.span, `${b.m.rt("eq")}(`, a.value.f, `, ${b.m.ref(r.def)})`);
      return p.subpattern ? patTest(b, p.subpattern, a) : null;
    }
    case "RefPattern":
      return patTest(b, p.inner, a);
    case "LiteralPattern": {
      const lit = emitExpr(b, p.value);
      return frag(p.span, primary(a.value), " === ", lit.f);
    }
    case "RangePattern": {
      const parts: Frag[] = [];
      if (p.start) parts.push(frag(null, primary(a.value), " >= ", emitExpr(b, p.start).f));
      if (p.end) parts.push(frag(null, primary(a.value), p.inclusive ? " <= " : " < ", emitExpr(b, p.end).f));
      return all(parts);
    }
    case "TuplePattern":
      return all(elements(p.elements, a, (i) => `[${i}]`, tupleElemTy(a.ty)).map(([sp, sa]) => patTest(b, sp, sa)));
    case "PathPattern": {
      const r = b.tables.patRes.get(p);
      if (r?.kind === "variant") return tagTest(a.value, r.def.name);
      if (r?.kind === "const") return frag(p.span, `${b.m.rt("eq")}(`, a.value.f, `, ${b.m.ref(r.def)})`);
      return null;
    }
    case "TupleStructPattern": {
      const r = b.tables.patRes.get(p);
      const tag = r?.kind === "variant" ? tagTest(a.value, r.def.name) : null;
      const tys = payloadTys(b, p, a.ty);
      const inner = elements(p.elements, a, (i) => `.${tupleField(i)}`, tys).map(([sp, sa]) => patTest(b, sp, sa));
      return all([tag, ...inner]);
    }
    case "StructPattern": {
      const r = b.tables.patRes.get(p);
      const tag = r?.kind === "variant" ? tagTest(a.value, r.def.name) : null;
      const tys = namedFieldTys(b, p);
      const inner = p.fields.map((f) => (f.pattern ? patTest(b, f.pattern, sub(a, `${fieldMember(f.name.name)}`, tys.get(f.name.name) ?? { k: "any" })) : null));
      return all([tag, ...inner]);
    }
    case "OrPattern": {
      const alts = p.alternatives.map((x) => patTest(b, x, a));
      if (alts.some((x) => x === null)) return null;
      return frag(p.span, "(", ...alts.flatMap((x, i) => (i === 0 ? [x!] : [" || ", x!])), ")");
    }
  }
}

function tagTest(v: E, name: string): Frag {
  return frag(null, primary(v), `.$tag === ${jsString(name)}`);
}

function all(parts: readonly (Frag | null)[]): Frag | null {
  const xs = parts.filter((x): x is Frag => x !== null);
  if (xs.length === 0) return null;
  return frag(null, ...xs.flatMap((x, i) => (i === 0 ? [x] : [" && ", x])));
}

/**
 * A part of a matched value: `v._0`, `v.name`, `v[1]`, with its place for writes. `variant`
 * is the TypeScript type of the matched enum variant: the accessors of a `&mut` binding
 * run outside the `if` that narrowed the value, so they say which variant they read.
 */
function sub(a: Access, key: string, ty: Ty, variant: string | null = null): Access {
  const value = e(frag(null, primary(a.value), key));
  const parent = a.place;
  if (!parent) return { value, ty, place: null };
  const inplace = reprOf(a.ty) === "inplace";
  const narrowed = (): Frag => (variant ? frag(null, "(", parent.read().f, ` as ${variant})`) : primary(parent.read()));
  const place: Place = {
    ty,
    read: () => e(frag(null, narrowed(), key)),
    write: (x, span) => {
      if (inplace) return e(frag(span, primary(parent.read()), `${key} = `, x.f), Prec.Assign);
      // Immutable value: rebuild it around the new part and store it where it was.
      const rebuilt = key.startsWith("[") ? rebuildTuple(parent.read(), a.ty, Number(key.slice(1, -1)), x) : frag(null, "{ ...", narrowed(), `, ${key.slice(1)}: `, x.f, " }");
      return parent.write(e(rebuilt), span);
    },
    mutRef: () => e(""),
  };
  return { value, ty, place };
}

/** `Extract<Shape, { $tag: "Circle" }>`: the TypeScript type of one variant of the matched enum. */
function variantTs(b: Body, p: A.Pattern, a: Access): string | null {
  const r = b.tables.patRes.get(p);
  if (r?.kind !== "variant") return null;
  return `Extract<${b.ts(a.ty)}, { $tag: ${jsString(r.def.name)} }>`;
}

function rebuildTuple(cur: E, t: Ty, index: number, v: E): Frag {
  const s = peelDomain(t);
  const n = s.k === "tuple" ? s.elems.length : index + 1;
  const parts: Frag[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0) parts.push(", ");
    parts.push(i === index ? v.f : frag(null, primary(cur), `[${i}]`));
  }
  return frag(null, "[", ...parts, "] as const");
}

function tupleElemTy(t: Ty): readonly Ty[] {
  const s = peelDomain(t);
  return s.k === "tuple" ? s.elems : [];
}

/** Sub-patterns with their accesses, honouring one `..` (from the front before it, from the back after it). */
function elements(pats: readonly A.Pattern[], a: Access, key: (i: number) => string, tys: readonly Ty[], variant: string | null = null): [A.Pattern, Access][] {
  const rest = pats.findIndex((x) => x.kind === "RestPattern");
  const out: [A.Pattern, Access][] = [];
  pats.forEach((sp, i) => {
    if (sp.kind === "RestPattern") return;
    const idx = rest >= 0 && i > rest ? tys.length - (pats.length - i) : i;
    out.push([sp, sub(a, key(idx), tys[idx] ?? { k: "any" }, variant)]);
  });
  return out;
}

function payloadTys(b: Body, p: A.TupleStructPattern, t: Ty): readonly Ty[] {
  const r = b.tables.patRes.get(p);
  const s = shallow(peelDomain(t));
  const args = s.k === "adt" ? s.args : [];
  if (r?.kind === "variant") return substituteAll(b.m.unit.model.variantFields(r.def).map((f) => f.ty), r.def.enumDef.generics, args);
  if (r?.kind === "struct") return substituteAll(b.m.unit.model.structFields(r.def).map((f) => f.ty), r.def.generics, args);
  return [];
}

function namedFieldTys(b: Body, p: A.StructPattern): Map<string, Ty> {
  const r = b.tables.patRes.get(p);
  const m = new Map<string, Ty>();
  const fields = r?.kind === "variant" ? b.m.unit.model.variantFields(r.def) : r?.kind === "struct" ? b.m.unit.model.structFields(r.def) : [];
  for (const f of fields) m.set(f.name, f.ty);
  for (const f of p.fields) if (f.pattern) m.set(f.name.name, b.tables.patTypes.get(f.pattern) ?? m.get(f.name.name) ?? { k: "any" });
  return m;
}

function substituteAll(tys: readonly Ty[], gens: readonly import("../semantic/defs.js").GenericParamDef[], args: readonly Ty[]): Ty[] {
  if (gens.length === 0) return [...tys];
  const m = new Map(gens.map((g, i) => [g, args[i] ?? ({ k: "any" } as Ty)]));
  return tys.map((t) => substituteTy(t, m));
}

function substituteTy(t: Ty, m: Map<import("../semantic/defs.js").GenericParamDef, Ty>): Ty {
  const s = shallow(t);
  if (s.k === "param") return m.get(s.def) ?? s;
  return s;
}

// ---------------------------------------------------------------------------
// Bindings

/** Declare the locals `p` binds, reading them from `a`. */
export function bindPattern(b: Body, p: A.Pattern, v: E, ty: Ty, kw: "const" | "let", place: Place | null = null): void {
  bindAccess(b, p, { value: v, ty, place }, kw);
}

function bindAccess(b: Body, p: A.Pattern, a0: Access, kw: "const" | "let"): void {
  const a = p.kind === "BindingPattern" ? a0 : peel(a0, patTy(b, p, a0.ty));
  switch (p.kind) {
    case "BindingPattern": {
      const r = b.tables.patRes.get(p);
      if (r) return;
      const l = b.tables.bindings.get(p);
      if (l) declareBinding(b, l, a, kw, p.span);
      if (p.subpattern) bindAccess(b, p.subpattern, a, kw);
      return;
    }
    case "RefPattern":
      return bindAccess(b, p.inner, a, kw);
    case "TuplePattern":
      for (const [sp, sa] of elements(p.elements, a, (i) => `[${i}]`, tupleElemTy(a.ty))) bindAccess(b, sp, sa, kw);
      return;
    case "TupleStructPattern":
      for (const [sp, sa] of elements(p.elements, a, (i) => `.${tupleField(i)}`, payloadTys(b, p, a.ty), variantTs(b, p, a))) bindAccess(b, sp, sa, kw);
      return;
    case "StructPattern": {
      const tys = namedFieldTys(b, p);
      const variant = variantTs(b, p, a);
      for (const f of p.fields) {
        const sa = sub(a, `${fieldMember(f.name.name)}`, tys.get(f.name.name) ?? { k: "any" }, variant);
        if (f.pattern) bindAccess(b, f.pattern, sa, kw);
        else {
          const l = b.tables.bindings.get(f);
          if (l) declareBinding(b, l, sa, kw, f.span);
        }
      }
      return;
    }
    case "OrPattern": {
      // Alternatives bind the same names; the match lowering gives each alternative its own arm.
      const first = p.alternatives[0];
      if (first) bindAccess(b, first, a, kw);
      return;
    }
    default:
      return;
  }
}

function declareBinding(b: Body, l: LocalDef, a: Access, kw: "const" | "let", span: A.Node["span"]): void {
  const name = b.declare(l);
  const lt = shallow(l.ty);
  let value = a.value;
  // A binding by `&mut` to a value held immutably in JS: a MutRef writing back through the match.
  if (lt.k === "ref" && lt.mut && isBoxedMutRef(lt) && !isBoxedMutRef(a.ty)) {
    if (a.place) {
      const p = a.place;
      const tmp = b.names.fresh("$v");
      value = e(frag(null, "{ get value() { return ", p.read().f, `; }, set value(${tmp}) { `, p.write(e(tmp), null).f, "; } }"));
    } else value = e(frag(null, `${b.m.rt("cell")}(`, a.value.f, ")"));
  }
  const keyword = l.mutable ? "let" : kw;
  b.w.write(`${keyword} ${name}: ${b.ts(l.ty)} = `, span).writeFrag(value.f).writeLine(";");
}

/** A pattern that binds one name and tests nothing (a plain parameter or `let x`). */
export function isIrrefutableBinding(p: A.Pattern): boolean {
  return p.kind === "BindingPattern" && p.subpattern === null && !p.isRef;
}

/** Alternatives of a top-level `|` pattern, each with its own bindings. */
export function alternativesOf(p: A.Pattern): readonly A.Pattern[] {
  return p.kind === "OrPattern" ? p.alternatives : [p];
}

export function bindsNames(b: Body, p: A.Pattern): boolean {
  switch (p.kind) {
    case "BindingPattern":
      return !b.tables.patRes.has(p) || p.subpattern !== null;
    case "RefPattern":
      return bindsNames(b, p.inner);
    case "TuplePattern":
    case "TupleStructPattern":
      return p.elements.some((x) => bindsNames(b, x));
    case "StructPattern":
      return p.fields.some((f) => (f.pattern ? bindsNames(b, f.pattern) : true));
    case "OrPattern":
      return p.alternatives.some((x) => bindsNames(b, x));
    default:
      return false;
  }
}
