/**
 * Exhaustiveness (DPL2006), by the usefulness algorithm of Maranget ("Warnings for
 * pattern matching", 2007): a match is exhaustive when a wildcard is not useful after
 * its arms. Enums, `bool`, tuples, structs and references are split into constructors;
 * integers, characters and strings have too many values to enumerate, so they need a
 * wildcard (or a binding) arm. The witness the algorithm builds is the missing pattern
 * shown in the message (`Light::Red not covered`).
 */
import { Exhaustiveness } from "../diagnostics/messages/exhaustiveness.js";
import type * as A from "../syntax/ast.js";
import type { BodyChecker } from "./checker.js";
import { structFields, variantFields } from "./lower.js";
import { isInt, printTy, shallow, substFor, substitute, zonk, isQuiet, type Ty } from "./types.js";
import { intBits, isIntName, isSigned, type IntName } from "#runtime/ints.js";
import { missingArmsFix } from "./fixes.js";

type DPat =
  | { readonly k: "wild" }
  | { readonly k: "ctor"; readonly key: string; readonly args: readonly DPat[] }
  | { readonly k: "or"; readonly alts: readonly DPat[] }
  /** An integer or `char` literal or range with known bounds: the values `lo..=hi`. */
  | { readonly k: "range"; readonly lo: bigint; readonly hi: bigint };

const WILD: DPat = { k: "wild" };

interface Ctor {
  readonly key: string;
  readonly arity: number;
  readonly argTys: readonly Ty[];
  readonly show: (args: readonly string[]) => string;
}

/**
 * One exhaustiveness question: the checker, and the constructors of each type met so far
 * (every arm's pattern and every column of the search asks for them again).
 */
interface Ex {
  readonly c: BodyChecker;
  readonly ctors: Map<Ty, Ctor[] | null>;
}

/** The constructors of a type, or null when there are too many to list. */
function ctorsOf(x: Ex, t: Ty): Ctor[] | null {
  let r = x.ctors.get(t);
  if (r === undefined) x.ctors.set(t, (r = computeCtors(x.c, t)));
  return r;
}

function computeCtors(c: BodyChecker, t: Ty): Ctor[] | null {
  const s = peel(t);
  if (s.k === "prim" && s.name === "bool") {
    return [
      { key: "true", arity: 0, argTys: [], show: () => "true" },
      { key: "false", arity: 0, argTys: [], show: () => "false" },
    ];
  }
  if (s.k === "tuple") return [{ key: "()", arity: s.elems.length, argTys: s.elems, show: (a) => `(${a.join(", ")}${a.length === 1 ? "," : ""})` }];
  if (s.k === "adt") {
    const d = s.def;
    if (d.kind === "enum") {
      const subst = substFor(d.generics, s.args);
      const bare = d.module.isPrelude && (d.name === "Option" || d.name === "Result");
      return d.variants.map((v) => {
        const fields = variantFields(c.s, v);
        const name = bare ? v.name : `${d.name}::${v.name}`;
        return {
          key: `v${v.index}`,
          arity: fields.length,
          argTys: fields.map((f) => substitute(f.ty, subst)),
          show: (a: readonly string[]) => (v.shape === "unit" ? name : v.shape === "tuple" ? `${name}(${a.join(", ")})` : `${name} { .. }`),
        };
      });
    }
    if (d.kind === "struct" && (d.shape === "named" || d.shape === "tuple" || d.shape === "unit")) {
      const subst = substFor(d.generics, s.args);
      const fields = structFields(c.s, d);
      return [
        {
          key: "struct",
          arity: fields.length,
          argTys: fields.map((f) => substitute(f.ty, subst)),
          show: (a) => (d.shape === "tuple" ? `${d.name}(${a.join(", ")})` : d.shape === "unit" ? d.name : `${d.name} { .. }`),
        },
      ];
    }
  }
  return null;
}

function peel(t: Ty): Ty {
  let s = shallow(t);
  for (;;) {
    if (s.k === "ref") s = shallow(s.inner);
    else if (s.k === "dom") s = shallow(s.inner);
    else return s;
  }
}

/** Lower a checked pattern to constructor form. */
function lowerPat(x: Ex, p: A.Pattern, t: Ty): DPat {
  const c = x.c;
  const tables = c.s.tables;
  switch (p.kind) {
    case "WildcardPattern":
    case "ErrorPattern":
    case "RestPattern":
      return WILD;
    case "BindingPattern": {
      const r = tables.patRes.get(p);
      if (r) return resolvedCtor(x, r, [], t);
      return p.subpattern ? lowerPat(x, p.subpattern, t) : WILD;
    }
    case "LiteralPattern": {
      const v = p.value;
      if (v.kind === "BoolLit") return { k: "ctor", key: String(v.value), args: [] };
      const n = valueOf(x, v);
      if (n !== null && domainOfValues(t)) return { k: "range", lo: n, hi: n };
      return { k: "ctor", key: `lit:${litKey(v)}`, args: [] };
    }
    case "RangePattern": {
      const dom = domainOfValues(t);
      const lo = p.start ? valueOf(x, p.start) : (dom?.min ?? null);
      const end = p.end ? valueOf(x, p.end) : (dom?.max ?? null);
      if (dom && lo !== null && end !== null) return { k: "range", lo, hi: p.end && !p.inclusive ? end - 1n : end };
      return { k: "ctor", key: `range:${p.span.start.offset}`, args: [] };
    }
    case "TuplePattern": {
      const s = peel(t);
      const tys = s.k === "tuple" ? s.elems : [];
      return { k: "ctor", key: "()", args: spread(x, p.elements, tys) };
    }
    case "PathPattern": {
      const r = tables.patRes.get(p);
      return r ? resolvedCtor(x, r, [], t) : { k: "ctor", key: `const:${p.span.start.offset}`, args: [] };
    }
    case "TupleStructPattern": {
      const r = tables.patRes.get(p);
      if (!r) return WILD;
      const ctor = ctorFor(x, r, t);
      return { k: "ctor", key: ctor.key, args: spread(x, p.elements, ctor.argTys) };
    }
    case "StructPattern": {
      const r = tables.patRes.get(p);
      if (!r || r.kind === "const") return WILD;
      const ctor = ctorFor(x, r, t);
      const fields = r.kind === "variant" ? variantFields(c.s, r.def) : structFields(c.s, r.def);
      const args = fields.map((f, i) => {
        const fp = p.fields.find((x) => x.name.name === f.name);
        if (!fp) return WILD;
        return fp.pattern ? lowerPat(x, fp.pattern, ctor.argTys[i] ?? t) : WILD;
      });
      return { k: "ctor", key: ctor.key, args };
    }
    case "OrPattern":
      return { k: "or", alts: p.alternatives.map((a) => lowerPat(x, a, t)) };
    case "RefPattern":
      return lowerPat(x, p.inner, t);
  }
}

/** The values of an integer type or `char` (its code points), which ranges split into intervals. */
function domainOfValues(t: Ty): { readonly min: bigint; readonly max: bigint } | null {
  const s = peel(t);
  if (s.k !== "prim") return null;
  if (s.name === "char") return { min: 0n, max: 0x10ffffn };
  if (!isInt(s)) return null;
  const bits = BigInt(intBits(s.name as IntName));
  return isSigned(s.name as IntName) ? { min: -(1n << (bits - 1n)), max: (1n << (bits - 1n)) - 1n } : { min: 0n, max: (1n << bits) - 1n };
}

/** A pattern bound's value: a literal, a negated one, `i64::MIN`/`MAX`, or a `const` with a literal value. */
function valueOf(x: Ex, e: A.Expr, depth = 0): bigint | null {
  switch (e.kind) {
    case "IntLit":
      return e.value;
    case "CharLit":
      return BigInt(e.value.codePointAt(0) ?? 0);
    case "UnaryExpr": {
      if (e.op !== "-") return null;
      const v = valueOf(x, e.operand, depth);
      return v === null ? null : -v;
    }
    case "ParenExpr":
      return valueOf(x, e.inner, depth);
    case "PathExpr": {
      const r = x.c.s.tables.valueRes.get(e);
      if (r?.kind === "intrinsic") {
        const m = /^(\w+)::(MIN|MAX)$/.exec(r.name);
        if (!m || !isIntName(m[1]!)) return null;
        const d = domainOfValues({ k: "prim", name: m[1] as IntName });
        return d ? (m[2] === "MIN" ? d.min : d.max) : null;
      }
      if (r?.kind === "const" && depth < 8 && r.def.ast.value) return valueOf(x, r.def.ast.value, depth + 1);
      return null;
    }
    default:
      return null;
  }
}

function litKey(e: A.Expr): string {
  switch (e.kind) {
    case "IntLit":
      return e.value.toString();
    case "CharLit":
    case "StrLit":
      return JSON.stringify(e.value);
    case "FloatLit":
      return String(e.value);
    case "UnaryExpr":
      return `-${litKey(e.operand)}`;
    default:
      return "?";
  }
}

function ctorFor(x: Ex, r: NonNullable<ReturnType<BodyChecker["s"]["tables"]["patRes"]["get"]>>, t: Ty): Ctor {
  const all = ctorsOf(x, t) ?? [];
  const key = r.kind === "variant" ? `v${r.def.index}` : r.kind === "struct" ? "struct" : `const:${r.def.name}`;
  return all.find((x) => x.key === key) ?? { key, arity: 0, argTys: [], show: () => "_" };
}

function resolvedCtor(x: Ex, r: Parameters<typeof ctorFor>[1], args: DPat[], t: Ty): DPat {
  if (r.kind === "const") return { k: "ctor", key: `const:${r.def.name}`, args: [] };
  const ctor = ctorFor(x, r, t);
  return { k: "ctor", key: ctor.key, args: args.length ? args : ctor.argTys.map(() => WILD) };
}

function spread(x: Ex, pats: readonly A.Pattern[], tys: readonly Ty[]): DPat[] {
  const restAt = pats.findIndex((x) => x.kind === "RestPattern");
  const out: DPat[] = tys.map(() => WILD);
  if (restAt < 0) {
    pats.forEach((p, i) => {
      if (i < out.length) out[i] = lowerPat(x, p, tys[i]!);
    });
    return out;
  }
  const after = pats.slice(restAt + 1);
  pats.slice(0, restAt).forEach((p, i) => {
    if (i < out.length) out[i] = lowerPat(x, p, tys[i]!);
  });
  after.forEach((p, i) => {
    const j = tys.length - after.length + i;
    if (j >= 0) out[j] = lowerPat(x, p, tys[j]!);
  });
  return out;
}

// ---------------------------------------------------------------------------
// Usefulness

type Row = readonly DPat[];

function expandOrs(rows: readonly Row[]): Row[] {
  const out: Row[] = [];
  for (const r of rows) {
    const h = r[0];
    if (h && h.k === "or") for (const a of h.alts) out.push(...expandOrs([[a, ...r.slice(1)]]));
    else out.push(r);
  }
  return out;
}

function specialize(rows: readonly Row[], key: string, arity: number): Row[] {
  const out: Row[] = [];
  for (const r of rows) {
    const h = r[0]!;
    if (h.k === "wild") out.push([...Array<DPat>(arity).fill(WILD), ...r.slice(1)]);
    else if (h.k === "ctor" && h.key === key) out.push([...h.args, ...Array<DPat>(Math.max(0, arity - h.args.length)).fill(WILD), ...r.slice(1)]);
  }
  return out;
}

/** A witness (the missing values, one string per column) if `q`'s wildcards are useful. */
function useful(x: Ex, rows0: readonly Row[], tys: readonly Ty[], depth: number): string[] | null {
  if (tys.length === 0) return rows0.length === 0 ? [] : null;
  if (depth > 64) return null;
  const rows = expandOrs(rows0);
  const [t, ...rest] = tys as [Ty, ...Ty[]];
  const dom = domainOfValues(t);
  if (dom && rows.some((r) => r[0]!.k === "range")) return usefulIntervals(x, rows, dom, rest, depth);
  const ctors = isQuiet(shallow(t)) ? null : ctorsOf(x, t);
  const seen = new Set<string>();
  for (const r of rows) if (r[0]!.k === "ctor") seen.add((r[0] as { key: string }).key);
  if (ctors && ctors.every((k) => seen.has(k.key))) {
    for (const k of ctors) {
      const w = useful(x, specialize(rows, k.key, k.arity), [...k.argTys, ...rest], depth + 1);
      if (w) return [k.show(w.slice(0, k.arity)), ...w.slice(k.arity)];
    }
    return null;
  }
  const defaults = rows.filter((r) => r[0]!.k === "wild").map((r) => r.slice(1));
  const w = useful(x, defaults, rest, depth + 1);
  if (!w) return null;
  if (!ctors || seen.size === 0) return ["_", ...w];
  const missing = ctors.find((k) => !seen.has(k.key))!;
  return [missing.show(Array<string>(missing.arity).fill("_")), ...w];
}

/**
 * A column of integers or chars with literal/range patterns: the bounds of every range cut
 * the type's values into intervals that each pattern either covers or misses, and each
 * interval is then a constructor (as rustc splits integer ranges).
 */
function usefulIntervals(x: Ex, rows: readonly Row[], dom: { readonly min: bigint; readonly max: bigint }, rest: readonly Ty[], depth: number): string[] | null {
  const cuts = new Set<bigint>([dom.min, dom.max + 1n]);
  for (const r of rows) {
    const h = r[0]!;
    if (h.k !== "range") continue;
    if (h.lo > dom.min && h.lo <= dom.max) cuts.add(h.lo);
    if (h.hi + 1n > dom.min && h.hi < dom.max) cuts.add(h.hi + 1n);
  }
  const points = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 0; i + 1 < points.length; i++) {
    const lo = points[i]!;
    const hi = points[i + 1]! - 1n;
    const sub: Row[] = [];
    for (const r of rows) {
      const h = r[0]!;
      if (h.k === "wild" || (h.k === "range" && h.lo <= lo && hi <= h.hi)) sub.push(r.slice(1));
    }
    const w = useful(x, sub, rest, depth + 1);
    const show = (v: bigint): string => (dom.max === 0x10ffffn && dom.min === 0n ? JSON.stringify(String.fromCodePoint(Number(v))).replace(/^"|"$/g, "'") : String(v));
    if (w) return [lo === hi ? show(lo) : hi === dom.max ? `${show(lo)}..` : `${show(lo)}..=${show(hi)}`, ...w];
  }
  return null;
}

/** Report a non-exhaustive `match`; `arms` are the unguarded patterns in order. */
export function checkMatchExhaustive(c: BodyChecker, m: A.MatchExpr, scrutTy: Ty): void {
  const t = zonk(scrutTy);
  if (isQuiet(t) || t.k === "var") return;
  const x: Ex = { c, ctors: new Map() };
  const rows: Row[] = m.arms.filter((a) => a.guard === null).map((a) => [lowerPat(x, a.pattern, t)]);
  const w = useful(x, rows, [t], 0);
  if (!w) return;
  const infinite = ctorsOf(x, t) === null;
  const missing = infinite ? [w[0]!] : missingArms(x, rows, t, w[0]!);
  c.raise(m.scrutinee.span, Exhaustiveness.nonExhaustive(printTy(t), missing, infinite), { suggestions: missingArmsFix(m, infinite ? ["_"] : missing) });
}

/**
 * A pattern per constructor that some value of it reaches no arm: the bare constructor
 * (`Light::Red`) when no arm names it, else a witness of what is missing under it.
 */
function missingArms(x: Ex, rows0: readonly Row[], t: Ty, first: string): string[] {
  const ctors = ctorsOf(x, t);
  if (!ctors) return [first];
  const rows = expandOrs(rows0);
  const out: string[] = [];
  for (const k of ctors) {
    const under = specialize(rows, k.key, k.arity);
    const w = useful(x, under, k.argTys, 1);
    if (!w) continue;
    out.push(under.length === 0 ? k.show(Array<string>(k.arity).fill("_")) : k.show(w.slice(0, k.arity)));
  }
  return out.length > 0 ? out : [first];
}

/** Patterns of `let`, parameters and `for` must match every value. */
export function checkIrrefutable(c: BodyChecker, p: A.Pattern, t: Ty, where: string): void {
  if (p.kind === "BindingPattern" && !c.s.tables.patRes.has(p) && !p.subpattern) return;
  if (p.kind === "WildcardPattern") return;
  const zt = zonk(t);
  if (isQuiet(zt) || zt.k === "var") return;
  const x: Ex = { c, ctors: new Map() };
  const w = useful(x, [[lowerPat(x, p, zt)]], [zt], 0);
  if (!w) return;
  c.raise(p.span, Exhaustiveness.refutable(where, w[0]!));
}
