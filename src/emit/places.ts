/**
 * Places: what `=`, `+=`, `&mut` and mutating methods act on (a local, a field, an
 * element, `*r`), each knowing how to read itself, write itself and lend itself out.
 *
 * Writing to part of an immutable value (a tuple element, a field of an enum payload
 * reached by reference) rebuilds the value and writes the enclosing place: the JS
 * objects of those types are shared freely and never mutated.
 */
import type * as A from "../syntax/ast.js";
import { OffsetSpan, type Span } from "../syntax/source.js";
import { sourceText } from "./module-ctx.js";
import { isPureIndex, numberIndex } from "./index-math.js";
import type { Ty } from "../semantic/types.js";
import { type Body, isTrivial } from "./body.js";
import { e, frag, operand, primary, Prec, type E, type Frag } from "./writer.js";
import { emitExpr, emitOwned, emitOperands } from "./exprs.js";
import { fieldMember, tupleField } from "./names.js";
import { binaryOp } from "./ops.js";
import { isBoxedMutRef, isSequence, isStringTy, peelDomain, peelRefs, reprOf } from "./repr.js";

export interface Place {
  /** The type of the value held in the place. */
  readonly ty: Ty;
  read(): E;
  /** An assignment expression storing `v` (JavaScript precedence: assignment). */
  write(v: E, span: Span | null): E;
  /** `&mut place`: the object itself for in-place types, otherwise a `MutRef`. */
  mutRef(): E;
}

/** A `MutRef` literal whose accessors read and write `p`. */
function accessor(b: Body, p: Place): E {
  const v = b.names.fresh("$v");
  const w = p.write(e(v), null);
  return e(frag(null, "{ get value() { return ", p.read().f, `; }, set value(${v}) { `, w.f, "; } }"));
}

function simplePlace(b: Body, ty: Ty, name: string): Place {
  const self: Place = {
    ty,
    read: () => e(name),
    write: (v, span) => e(frag(span, `${name} = `, v.f), Prec.Assign),
    mutRef: () => (reprOf(ty) === "inplace" ? e(name) : accessor(b, self)),
  };
  return self;
}

function readOnly(ty: Ty, value: E, b: Body): Place {
  const self: Place = {
    ty,
    read: () => value,
    write: (_v, span) => e(frag(span, `${b.m.rt("panic")}("internal: assignment to a temporary")`)),
    mutRef: () => (reprOf(ty) === "inplace" ? value : e(frag(null, `${b.m.rt("cell")}(`, value.f, ")"))),
  };
  return self;
}

/** Evaluate once: a name stays a name, anything else goes into a temporary. */
function stable(b: Body, v: E, ty: Ty | null): E {
  return isTrivial(v.f) ? v : b.spill(v, ty);
}

export function placeOf(b: Body, x: A.Expr, forWrite = false): Place {
  switch (x.kind) {
    case "ParenExpr":
      return placeOf(b, x.inner, forWrite);
    case "PathExpr": {
      const r = b.tables.valueRes.get(x);
      const ty = b.typeOf(x);
      if (r?.kind === "local") return simplePlace(b, ty, b.nameOf(r.def));
      if (r?.kind === "const" && r.def.storage === "static mut") {
        const box = b.m.ref(r.def);
        const self: Place = {
          ty,
          read: () => e(`${box}.value`),
          write: (v, span) => e(frag(span, `${box}.value = `, v.f), Prec.Assign),
          mutRef: () => (reprOf(ty) === "inplace" ? e(`${box}.value`) : e(box)),
        };
        return self;
      }
      return readOnly(ty, emitExpr(b, x), b);
    }
    case "FieldExpr":
      return fieldPlace(b, x, forWrite);
    case "IndexExpr":
      return indexPlace(b, x, forWrite);
    case "UnaryExpr":
      if (x.op === "*") return derefPlace(b, b.typeOf(x.operand), stable(b, emitExpr(b, x.operand), b.typeOf(x.operand)), x.span);
      return readOnly(b.typeOf(x), emitExpr(b, x), b);
    default:
      return readOnly(b.typeOf(x), emitExpr(b, x), b);
  }
}

/** `*r` for a reference value `r` of type `refTy`. */
export function derefPlace(b: Body, refTy: Ty, r: E, span: Span | null): Place {
  const s = peelDomain(refTy);
  const inner = s.k === "ref" ? s.inner : s;
  if (s.k === "ref" && s.mut) {
    if (isBoxedMutRef(s)) {
      return {
        ty: inner,
        read: () => e(frag(span, primary(r), ".value")),
        write: (v, sp) => e(frag(sp, primary(r), ".value = ", v.f), Prec.Assign),
        mutRef: () => r,
      };
    }
    return {
      ty: inner,
      read: () => r,
      write: (v, sp) => e(frag(sp, "Object.assign(", r.f, ", ", v.f, ")")),
      mutRef: () => r,
    };
  }
  return readOnly(inner, r, b);
}

/** Follow `n` automatic dereferences from a place. */
function autoDeref(b: Body, p: Place, n: number): Place {
  let cur = p;
  for (let i = 0; i < n; i++) {
    const t = peelDomain(cur.ty);
    if (t.k !== "ref") break;
    cur = derefPlace(b, t, stable(b, cur.read(), null), null);
  }
  // References left over (a `&&T` the checker saw through) are values already.
  return cur;
}

function fieldPlace(b: Body, x: A.FieldExpr, forWrite: boolean): Place {
  const res = b.tables.fieldRes.get(x);
  const base0 = placeOf(b, x.object, forWrite);
  const base = autoDeref(b, base0, res?.derefs ?? derefCount(base0.ty));
  const bt = peelRefs(base.ty);
  const ty = b.typeOf(x);
  const isTuple = bt.k === "tuple";
  const index = res?.index ?? Number(x.field.name);
  const fname = res?.field?.name ?? x.field.name;
  const key = isTuple ? `[${index}]` : /^\d+$/.test(fname) ? `.${tupleField(index)}` : fieldMember(fname);
  if (reprOf(bt) === "inplace") {
    const obj = forWrite ? stable(b, base.read(), null) : base.read();
    const self: Place = {
      ty,
      read: () => e(frag(x.span, primary(obj), key)),
      write: (v, span) => e(frag(span, primary(obj), `${key} = `, v.f), Prec.Assign),
      mutRef: () => (reprOf(ty) === "inplace" ? self.read() : accessor(b, self)),
    };
    return self;
  }
  // A tuple (or other immutable value): writing one element rebuilds it.
  const self: Place = {
    ty,
    read: () => e(frag(x.span, primary(base.read()), key)),
    write: (v, span) => {
      if (!isTuple || bt.k !== "tuple") return e(frag(span, `${b.m.rt("panic")}("internal: field write on an immutable value")`));
      const cur = stable(b, base.read(), null);
      const parts: Frag[] = bt.elems.map((_, i) => (i === index ? v.f : frag(null, primary(cur), `[${i}]`)));
      return base.write(e(frag(null, "[", ...interleave(parts, ", "), "] as const")), span);
    },
    mutRef: () => accessor(b, self),
  };
  return self;
}

function derefCount(t: Ty): number {
  let n = 0;
  let s = peelDomain(t);
  while (s.k === "ref") {
    n++;
    s = peelDomain(s.inner);
  }
  return n;
}

function interleave(parts: Frag[], sep: string): Frag[] {
  const out: Frag[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(sep);
    out.push(p);
  });
  return out;
}

function indexPlace(b: Body, x: A.IndexExpr, forWrite: boolean): Place {
  const base0 = placeOf(b, x.object, forWrite);
  const base = autoDeref(b, base0, derefCount(base0.ty));
  const ty = b.typeOf(x);
  const seqTy = peelRefs(base.ty);
  const site = b.m.site(bracketSpan(x), sourceText(x.span));
  if (!isSequence(seqTy)) {
    if (isStringTy(seqTy)) return readOnly(ty, stringSlice(b, base.read(), x.index, site), b);
    return readOnly(ty, e(frag(x.span, `${b.m.rt("panic")}("internal: indexing a value that is not a sequence", ${site})`)), b);
  }
  const vec = forWrite ? stable(b, base.read(), null) : base.read();
  if (x.index.kind === "RangeExpr") {
    const [s, t] = rangeBounds(b, x.index);
    return readOnly(ty, e(frag(x.span, primary(vec), ".slice(", s, ", ", t, `, ${site})`)), b);
  }
  const num = numberIndex(b, x.index, x.object);
  const idx0 = num ?? emitExpr(b, x.index);
  const idx = forWrite ? stable(b, idx0, null) : idx0;
  const [at, set] = num ? ["atN", "setN"] : ["at", "set"];
  // With the Vec and the index plain names, the bound is checked inline and only a fault
  // calls the method (which reports it): no call per element access in hot loops. An index
  // computed from locals (`i * n + j`) is repeated rather than named: it has no effects, and
  // an element read cannot write statements (it may sit in a loop condition). A shared
  // method would also see every Vec's element kind (bool, f64, objects) and go polymorphic.
  const inline = isTrivial(vec.f) && (isTrivial(idx.f) || (!forWrite && num !== null && isPureIndex(b, x.index)));
  const slot = (): Frag => frag(null, primary(vec), ".data[", num ? idx.f : frag(null, idx.f, " as number"), "]");
  const inBounds = (): Frag => frag(null, operand(idx, Prec.Rel + 1), " < ", primary(vec), ".data.length");
  const self: Place = {
    ty,
    read: () =>
      inline
        ? e(frag(x.span, "(", inBounds(), " ? ", slot(), "! : ", primary(vec), `.${at}(`, idx.f, `, ${site}))`))
        : e(frag(x.span, primary(vec), `.${at}(`, idx.f, `, ${site})`)),
    write: (v0, span) => {
      if (!inline) return e(frag(span, primary(vec), `.${set}(`, idx.f, ", ", v0.f, `, ${site})`));
      const v = stable(b, v0, ty);
      return e(frag(span, "(", inBounds(), " ? (", slot(), " = ", v.f, ") : ", primary(vec), `.${set}(`, idx.f, ", ", v.f, `, ${site}))`));
    },
    mutRef: () => (reprOf(ty) === "inplace" ? self.read() : e(frag(x.span, primary(vec), ".slot(", idx.f, `, ${site})`))),
  };
  return self;
}

/** Rust reports an indexing fault at the `[`, not at the start of the indexed expression. */
function bracketSpan(x: A.IndexExpr): Span {
  const sp = x.span;
  if (!(sp instanceof OffsetSpan) || !(x.object.span instanceof OffsetSpan)) return sp;
  const text = sp.source.text;
  let i = x.object.span.endOffset;
  while (i < sp.endOffset && text[i] !== "[") i++;
  return i < sp.endOffset ? sp.source.span(i, sp.endOffset) : sp;
}

export function rangeBounds(b: Body, r: A.RangeExpr): [Frag, Frag] {
  const ops = emitOperands(b, [r.start, r.end].filter((y): y is A.Expr => y !== null));
  let i = 0;
  const start = r.start ? ops[i++]!.f : "undefined";
  let end: Frag = r.end ? ops[i++]!.f : "undefined";
  if (r.inclusive && r.end) end = frag(null, `${b.m.rt("inclusiveEnd")}(`, end, ")");
  return [start, end];
}

function stringSlice(b: Body, s: E, index: A.Expr, site: string): E {
  if (index.kind !== "RangeExpr") return e(frag(index.span, `${b.m.rt("panic")}("strings cannot be indexed by integers", ${site})`));
  const [start, end] = rangeBounds(b, index);
  return e(frag(index.span, `${b.m.rt("Str")}.slice(`, s.f, ", ", start, ", ", end, `, ${site})`));
}

// ---------------------------------------------------------------------------
// Reads

export function emitFieldRead(b: Body, x: A.FieldExpr): E {
  return fieldPlace(b, x, false).read();
}

export function emitIndexRead(b: Body, x: A.IndexExpr): E {
  return indexPlace(b, x, false).read();
}

export function derefRead(b: Body, x: A.UnaryExpr): E {
  const r = emitExpr(b, x.operand);
  return derefPlace(b, b.typeOf(x.operand), r, x.span).read();
}

// ---------------------------------------------------------------------------
// Assignment

export function emitAssign(b: Body, x: A.AssignExpr): E {
  if (x.op === "=") {
    const v = emitOwned(b, x.value);
    const p = placeOf(b, x.target, true);
    return p.write(v, x.span);
  }
  const v = emitExpr(b, x.value);
  const p = placeOf(b, x.target, true);
  const op = x.op.slice(0, -1);
  const vt = b.typeOf(x.value);
  const rhs = isBoxedMutRef(vt) ? e(frag(null, primary(v), ".value")) : v;
  const next = binaryOp(b, op, p.read(), rhs, peelRefs(p.ty), peelRefs(vt), p.ty, x.span, b.hybrid.exprs.has(x.target));
  return p.write(next, x.span);
}
