/**
 * Places: field access, indexing, and whether a place may be written or mutably
 * borrowed (DPL2007). Field access is where raw state exposure (DPL3003: K code touching
 * a Q/Φ value's non-metadata fields) and Φ mutation outside a transform contract
 * (DPL4004) are detected, because both are about which fields of which values code reaches.
 */
import { PhiMutation } from "../diagnostics/messages/ownership.js";
import { Exposure } from "../diagnostics/messages/domains.js";
import { Mutability } from "../diagnostics/messages/mutability.js";
import { UnknownMember } from "../diagnostics/messages/unknown-member.js";
import { TypeMismatch } from "../diagnostics/messages/type-mismatch.js";
import type * as A from "../syntax/ast.js";
import type { BodyChecker } from "./checker.js";
import { checkExpect, checkExpr } from "./check-expr.js";
import { structFields } from "./lower.js";
import { deferredInit } from "./check-flow.js";
import { ERROR, USIZE, prim, domainOf, isQuiet, printTy, shallow, substFor, substitute, zonk, type Ty } from "./types.js";
import { satisfies } from "./impls.js";
import { rangeOf } from "./intrinsics.js";
import { didYouMeanFix, prefixFix } from "./fixes.js";
import type { Suggestion } from "../diagnostics/suggestion.js";

export type Access = "read" | "write";

export function checkField(c: BodyChecker, e: A.FieldExpr): Ty {
  return fieldAccess(c, e, "read");
}

/** Auto-deref through references (field access and indexing see through `&` and `&mut`). */
function autoderef(t: Ty): { t: Ty; derefs: number } {
  let s = shallow(t);
  let derefs = 0;
  while (s.k === "ref") {
    s = shallow(s.inner);
    derefs++;
  }
  return { t: s, derefs };
}

function fieldAccess(c: BodyChecker, e: A.FieldExpr, access: Access): Ty {
  const ot = checkExpr(c, e.object);
  const { t: base, derefs } = autoderef(ot);
  if (isQuiet(base)) return ERROR;
  const name = e.field.name;
  const inner = base.k === "dom" ? shallow(base.inner) : base;
  // A plain tuple is a K container of its elements, like a struct holding Q fields:
  // `pair.0` moves the element out (it stays Q) and reveals nothing.
  const owner = base.k === "tuple" ? "K" : domainOf(base);
  let fieldTy: Ty | null = null;
  if (inner.k === "tuple" && /^[0-9]+$/.test(name)) {
    const el = inner.elems[Number(name)];
    if (!el) {
      c.raise(e.field.span, UnknownMember.noTupleField(name, printTy(zonk(inner)), inner.elems.length));
      return ERROR;
    }
    fieldTy = base.k === "dom" ? { k: "dom", domain: base.domain, inner: el } : el;
    c.s.tables.fieldRes.set(e, { field: null, owner: null, index: Number(name), derefs });
  } else if (inner.k === "adt" && inner.def.kind === "struct") {
    const d = inner.def;
    if (d.shape === "opaque") {
      c.raise(e.field.span, UnknownMember.opaqueFields(d.name, d.ann.domain && d.ann.domain !== "K" ? d.ann.domain : null));
      return ERROR;
    }
    structFields(c.s, d);
    const f = d.fieldMap!.get(name);
    if (!f) {
      const similar = didYouMeanFix(name, e.field.span, d.fieldMap!.keys());
      c.raise(e.field.span, UnknownMember.noField(name, printTy(zonk(inner)), similar.help, [...d.fieldMap!.keys()]), { suggestions: similar.suggestions });
      return ERROR;
    }
    fieldTy = d.generics.length === 0 ? f.ty : substitute(f.ty, substFor(d.generics, inner.args));
    if (base.k === "dom") fieldTy = { k: "dom", domain: base.domain, inner: fieldTy };
    c.s.tables.fieldRes.set(e, { field: f, owner: d, index: f.index, derefs });
  } else {
    c.raise(e.field.span, inner.k === "adt" && inner.def.kind === "enum" ? UnknownMember.noFieldOnEnum(name, printTy(zonk(base))) : UnknownMember.noFieldOn(name, printTy(zonk(base))));
    return ERROR;
  }
  checkStateExposure(c, e, owner, fieldTy, access);
  return fieldTy;
}

/** DPL3003 and DPL4004 for `value.field` where `value` is Q or Φ state. */
function checkStateExposure(c: BodyChecker, e: A.FieldExpr, owner: ReturnType<typeof domainOf>, fieldTy: Ty, access: Access): void {
  if (owner === "K") return;
  // K<...> metadata fields are visible to everyone (language.md §3).
  if (domainOf(fieldTy) === "K") return;
  if (c.domain === "K") {
    c.raise(e.span, Exposure.field(access, e.field.name, owner));
    return;
  }
  if (access === "write" && owner === "Φ" && !(c.domain === "Φ" && hasTransformContract(c))) {
    c.raise(e.span, PhiMutation.outsideContract(e.field.name, c.domain === "Φ"));
  }
}

const contractCache = new WeakMap<BodyChecker, boolean>();

/** Does the function take a `TransformContract`, or a value of a type bounded by `PhiContract`? */
function hasTransformContract(c: BodyChecker): boolean {
  const cached = contractCache.get(c);
  if (cached !== undefined) return cached;
  let found = false;
  const phiContract = c.module.prelude?.types.get("PhiContract");
  for (const p of c.fn?.sig?.params ?? []) {
    let t = shallow(p.ty);
    while (t.k === "ref") t = shallow(t.inner);
    if (t.k === "adt" && t.def.name === "TransformContract") found = true;
    else if (t.k === "param" && t.def.bounds.some((b) => b.trait.name === "PhiContract")) found = true;
    else if (phiContract && phiContract.kind === "trait" && t.k === "adt" && satisfies(c.s, c.inf, t, phiContract)) found = true;
    if (found) break;
  }
  contractCache.set(c, found);
  return found;
}

/** `v[i]`; writing an element (`env.phases[0] = x`) writes the indexed container too. */
export function checkIndex(c: BodyChecker, e: A.IndexExpr, access: Access = "read"): Ty {
  const ot = access === "write" ? checkPlaceForWrite(c, e.object) : checkExpr(c, e.object);
  const { t: base } = autoderef(ot);
  if (isQuiet(base)) {
    checkExpr(c, e.index);
    return ERROR;
  }
  const owner = domainOf(base);
  const inner = base.k === "dom" ? shallow(base.inner) : base;
  let elem: Ty | null = null;
  if (inner.k === "array" || inner.k === "slice") elem = inner.elem;
  else if (inner.k === "adt" && inner.def.kind === "struct" && inner.def.builtin === "Vec") elem = inner.args[0]!;
  if (!elem && inner.k === "prim" && (inner.name === "String" || inner.name === "str") && e.index.kind === "RangeExpr") {
    // `&s[a..b]`: a `str` by byte offsets (a cut inside a char is a run-time fault, as in Rust).
    checkExpect(c, e.index, rangeOf(USIZE), { site: "other" });
    return prim("str");
  }
  if (!elem) {
    checkExpr(c, e.index);
    c.raise(e.object.span, TypeMismatch.cannotIndex(printTy(zonk(base))));
    return ERROR;
  }
  let result: Ty = elem;
  if (e.index.kind === "RangeExpr") {
    checkExpect(c, e.index, rangeOf(USIZE), { site: "other" });
    result = { k: "slice", elem };
  } else checkExpect(c, e.index, USIZE, { site: "other" });
  if (owner !== "K" && c.domain === "K") {
    c.raise(e.span, Exposure.index(owner));
  }
  return base.k === "dom" ? { k: "dom", domain: base.domain, inner: result } : result;
}

/** Why a place cannot be written, or null when it can. */
function immutability(c: BodyChecker, e: A.Expr): { message: string; help?: string; related?: { span: A.Node["span"]; message: string }[]; suggestions?: Suggestion[] } | null {
  switch (e.kind) {
    case "ParenExpr":
      return immutability(c, e.inner);
    case "PathExpr": {
      const r = c.s.tables.valueRes.get(e);
      if (!r) return null;
      if (r.kind === "local") {
        const l = r.def;
        if (l.mutable || deferredInit.has(l)) return null;
        if (l.byRef) {
          const t = shallow(l.ty);
          if (t.k === "ref" && t.mut) return null;
        }
        return {
          message: `\`${l.name}\` is not declared \`mut\``,
          help: l.origin === "self" ? "take `mut self` or `&mut self`" : `declare it mutable: \`${l.origin === "param" ? "mut " : "let mut "}${l.name}\``,
          related: [{ span: l.span, message: `\`${l.name}\` declared here` }],
          ...(l.origin === "self" || l.origin === "closure-param" || l.byRef ? {} : { suggestions: prefixFix(l.span, "mut ", `declare \`${l.name}\` mutable`) }),
        };
      }
      if (r.kind === "const") {
        if (r.def.storage === "static mut") return null;
        return { message: `\`${r.def.name}\` is a ${r.def.storage === "const" ? "constant" : "immutable static"}`, help: r.def.storage === "static" ? "declare it `static mut`" : undefined };
      }
      return null;
    }
    case "FieldExpr":
    case "IndexExpr": {
      const obj = e.object;
      const ot = shallow(c.typeOf(obj));
      if (ot.k === "ref") return ot.mut ? null : { message: "it is behind a `&` reference", help: "take a `&mut` reference instead" };
      return immutability(c, obj);
    }
    case "UnaryExpr": {
      if (e.op !== "*") return null;
      const ot = shallow(c.typeOf(e.operand));
      if (ot.k === "ref" && !ot.mut) return { message: "it is behind a `&` reference", help: "take a `&mut` reference instead" };
      return null;
    }
    case "MethodCallExpr": {
      const t = shallow(c.typeOf(e));
      if (t.k === "ref" && !t.mut) return { message: "it is behind a `&` reference" };
      return null;
    }
    default:
      return null;
  }
}

/** DPL2007 for assigning to, or mutably borrowing, something that is not mutable. */
export function requireMutablePlace(c: BodyChecker, e: A.Expr, what: "assign" | "borrow"): void {
  const why = immutability(c, e);
  if (!why) return;
  const shown = placeName(e);
  const m = what === "assign" ? Mutability.cannotAssign(shown, why.message, why.help) : Mutability.cannotBorrowMut(shown, why.message, why.help);
  c.raise(e.span, m, { ...(why.related ? { related: [...why.related] } : {}), suggestions: why.suggestions });
}

function placeName(e: A.Expr): string {
  switch (e.kind) {
    case "PathExpr":
      return `\`${e.segments.map((s) => s.name.name).join("::")}\``;
    case "FieldExpr":
      return `\`${placeText(e)}\``;
    default:
      return "this place";
  }
}

function placeText(e: A.Expr): string {
  switch (e.kind) {
    case "PathExpr":
      return e.segments.map((s) => s.name.name).join("::");
    case "FieldExpr":
      return `${placeText(e.object)}.${e.field.name}`;
    case "ParenExpr":
      return placeText(e.inner);
    case "UnaryExpr":
      return `*${placeText(e.operand)}`;
    default:
      return "…";
  }
}

/** The type of an assignment target, checked for writing. */
export function checkPlaceForWrite(c: BodyChecker, e: A.Expr): Ty {
  switch (e.kind) {
    case "PathExpr":
      c.s.tables.writeTargets.add(e);
      return checkExpr(c, e);
    case "FieldExpr":
      return c.record(e, fieldAccess(c, e, "write"));
    case "IndexExpr":
      return c.record(e, checkIndex(c, e, "write"));
    case "ParenExpr":
      return c.record(e, checkPlaceForWrite(c, e.inner));
    default:
      return checkExpr(c, e);
  }
}
