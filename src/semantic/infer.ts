/**
 * Unification with inference variables, one `Infer` per function body.
 *
 * `unify(expected, found)` either succeeds, binding variables, or fails leaving every
 * variable as it was and saying why: a plain type mismatch (DPL2003), a difference in
 * domain only (DPL3001, or DPL3004 under a reference), or two capabilities of different
 * domains (DPL5003). `coerce` (below) turns a failure at a coercion site into the one
 * diagnostic it deserves.
 */
import { Capabilities } from "../diagnostics/messages/capabilities.js";
import { Coercion, CrossReference } from "../diagnostics/messages/domains.js";
import { TypeMismatch } from "../diagnostics/messages/type-mismatch.js";
import type { OffsetSpan, Span } from "../syntax/source.js";
import type { BodyChecker } from "./checker.js";
import { INT_NAMES, domainOf, isFloat, printTy, shallow, someNode, zonk, type Ty, type TyVar } from "./types.js";
import { wrapFix } from "./fixes.js";
import { textOf, type Suggestion } from "../diagnostics/suggestion.js";

export type MismatchKind = "type" | "domain" | "capability-domain";

export interface Mismatch {
  readonly kind: MismatchKind;
  /** A domain difference found under a `&`/`&mut`. */
  readonly underRef: boolean;
}

export class Infer {
  private nextId = 0;
  private readonly trail: TyVar[] = [];
  readonly vars: TyVar[] = [];

  fresh(kind: TyVar["kind"] = "general"): Ty {
    const v: TyVar = { id: this.nextId++, kind, binding: null };
    this.vars.push(v);
    return { k: "var", v };
  }

  snapshot(): number {
    return this.trail.length;
  }

  rollback(to: number): void {
    while (this.trail.length > to) this.trail.pop()!.binding = null;
  }

  private bindVar(v: TyVar, t: Ty): void {
    v.binding = t;
    this.trail.push(v);
  }

  /** Unify and keep the bindings on success; on failure nothing changes. */
  unify(expected: Ty, found: Ty): Mismatch | null {
    const snap = this.snapshot();
    this.unified = null;
    const m = this.go(expected, found, false);
    if (m) this.rollback(snap);
    return m;
  }

  /** Would these unify? Never binds anything. */
  probe(expected: Ty, found: Ty): boolean {
    const snap = this.snapshot();
    this.unified = null;
    const m = this.go(expected, found, false);
    this.rollback(snap);
    return m === null;
  }

  /** Give unsuffixed literals their default types (Rust's: `i32`, `f64`). */
  defaultLiterals(): void {
    for (const v of this.vars) {
      if (v.binding) continue;
      if (v.kind === "int") v.binding = { k: "prim", name: "i32" };
      else if (v.kind === "float") v.binding = { k: "prim", name: "f64" };
    }
  }

  private fail(kind: MismatchKind, underRef: boolean): Mismatch {
    return { kind, underRef };
  }

  /** Tuple pairs already unified in the current `unify`/`probe` call (made at its first tuple pair). */
  private unified: Map<Ty, Set<Ty>> | null = null;

  private go(a: Ty, b: Ty, underRef: boolean): Mismatch | null {
    a = shallow(a);
    b = shallow(b);
    if (a === b) return null;
    if (a.k === "error" || a.k === "any" || b.k === "error" || b.k === "any") return null;
    if (a.k === "never" || b.k === "never") return null;
    if (a.k === "var" || b.k === "var") return this.unifyVar(a, b, underRef);
    if (a.k === "dom" || b.k === "dom") return this.unifyDom(a, b, underRef);
    switch (a.k) {
      case "prim":
        return b.k === "prim" && b.name === a.name ? null : this.fail("type", underRef);
      case "tuple": {
        if (b.k !== "tuple" || b.elems.length !== a.elems.length) return this.fail("type", underRef);
        // Shared subtypes meet again and again (`((x, x), (x, x))`): a pair unified once in
        // this call stays unified (bindings only grow until the call ends).
        if (a.elems.length === 0) return null;
        const unified = (this.unified ??= new Map());
        const done = unified.get(a);
        if (done?.has(b)) return null;
        for (let i = 0; i < a.elems.length; i++) {
          const m = this.go(a.elems[i]!, b.elems[i]!, underRef);
          if (m) return m;
        }
        if (done) done.add(b);
        else unified.set(a, new Set([b]));
        return null;
      }
      case "array":
        if (b.k === "array") {
          if (a.len !== null && b.len !== null && a.len !== b.len) return this.fail("type", underRef);
          return this.go(a.elem, b.elem, underRef);
        }
        return this.fail("type", underRef);
      case "slice":
        if (b.k === "slice") return this.go(a.elem, b.elem, underRef);
        return this.fail("type", underRef);
      case "ref":
        if (b.k !== "ref") return this.fail("type", underRef);
        // `&mut T` is accepted where `&T` is expected.
        if (a.mut && !b.mut) return this.fail("type", underRef);
        return this.go(a.inner, b.inner, true);
      case "adt": {
        if (b.k !== "adt" || b.def !== a.def) return this.fail("type", underRef);
        for (let i = 0; i < a.args.length; i++) {
          const x = shallow(a.args[i]!);
          const y = shallow(b.args[i] ?? x);
          if (i === 0 && x.k === "marker" && y.k === "marker" && x.domain !== y.domain && isCapabilityName(a.def.name)) {
            return this.fail("capability-domain", underRef);
          }
          const m = this.go(x, y, underRef);
          if (m) return m;
        }
        return null;
      }
      case "fn":
        if (b.k !== "fn" || b.params.length !== a.params.length) return this.fail("type", underRef);
        for (let i = 0; i < a.params.length; i++) {
          const m = this.go(a.params[i]!, b.params[i]!, underRef);
          if (m) return m;
        }
        return this.go(a.ret, b.ret, underRef);
      case "param":
        return b.k === "param" && b.def === a.def ? null : this.fail("type", underRef);
      case "marker":
        return b.k === "marker" && b.domain === a.domain ? null : this.fail(b.k === "marker" ? "domain" : "type", underRef);
    }
  }

  private unifyVar(a: Ty, b: Ty, underRef: boolean): Mismatch | null {
    if (a.k === "var" && b.k === "var") {
      if (a.v === b.v) return null;
      if (a.v.kind === "general") return this.bindVar(a.v, b), null;
      if (b.v.kind === "general") return this.bindVar(b.v, a), null;
      if (a.v.kind === b.v.kind) return this.bindVar(a.v, b), null;
      return this.fail("type", underRef);
    }
    const [v, t] = a.k === "var" ? [a.v, b] : [(b as { v: TyVar }).v, a];
    if (v.kind === "int") {
      if (t.k === "prim" && (INT_NAMES as readonly string[]).includes(t.name)) return this.bindVar(v, t), null;
      // A literal is a K value: `let q: Q<u64> = 5;` is a domain coercion.
      if (t.k === "dom" && isIntLike(t.inner)) return this.fail("domain", underRef);
      return this.fail("type", underRef);
    }
    if (v.kind === "float") {
      if (isFloat(t)) return this.bindVar(v, t), null;
      if (t.k === "dom" && isFloat(shallow(t.inner))) return this.fail("domain", underRef);
      return this.fail("type", underRef);
    }
    if (occurs(v, t)) return this.fail("type", underRef);
    this.bindVar(v, t);
    return null;
  }

  private unifyDom(a: Ty, b: Ty, underRef: boolean): Mismatch | null {
    if (a.k === "dom" && b.k === "dom") {
      if (a.domain === b.domain) return this.go(a.inner, b.inner, underRef);
      return this.fail("domain", underRef);
    }
    const [d, other, domFirst] = a.k === "dom" ? [a, b, true] : [b as Extract<Ty, { k: "dom" }>, a, false];
    if (domainOf(other) === d.domain) {
      // `DomainType<Q, _>` against a Q-annotated struct: compare the underlying types.
      return domFirst ? this.go(d.inner, other, underRef) : this.go(other, d.inner, underRef);
    }
    // Same underlying type in different domains is a domain coercion; anything else is a type mismatch.
    const same = this.probeInner(d.inner, other);
    return this.fail(same ? "domain" : "type", underRef);
  }

  private probeInner(x: Ty, y: Ty): boolean {
    const snap = this.snapshot();
    const m = this.go(x, y, false);
    this.rollback(snap);
    return m === null || m.kind === "domain";
  }
}

function isIntLike(t: Ty): boolean {
  const s = shallow(t);
  return (s.k === "prim" && (INT_NAMES as readonly string[]).includes(s.name)) || (s.k === "var" && s.v.kind === "int");
}

function isCapabilityName(name: string): boolean {
  return name === "Capability";
}

function occurs(v: TyVar, t: Ty): boolean {
  return someNode(t, (x) => x.k === "var" && x.v === v);
}


// ---------------------------------------------------------------------------
// Coercion sites: a value of a found type where an expected type is required (a `let`
// with a type, an assignment, an argument, a return value, a field initializer, ...).
// One mismatch gets exactly one diagnostic, chosen by what differs:
//
// - only the domain: DPL3001, or DPL3004 when a reference is stored into a location;
// - the domain of a capability: DPL5003;
// - a Q/Φ value where a contract-bound type is required: DPL5004;
// - anything else: DPL2003.

export type Site = "let" | "assign" | "arg" | "return" | "field" | "element" | "condition" | "branch" | "other";

export interface Expectation {
  readonly site: Site;
  /** Where the expected type comes from (a declared type, a parameter), shown as related. */
  readonly origin?: Span;
  readonly originMessage?: string;
}

const STORAGE_SITES = new Set<Site>(["let", "assign", "field", "element"]);
const CONTRACT_TRAITS = new Set(["QContract", "PhiContract", "QResourceContract"]);

/** Deref coercions Rust users rely on: `&String` as `&str`, `&Vec<T>`/`&[T; N]` as `&[T]`. */
function derefCoercion(c: BodyChecker, expected: Ty, found: Ty): boolean {
  const e = shallow(expected);
  const f = shallow(found);
  if (e.k !== "ref" || f.k !== "ref") return false;
  const ei = shallow(e.inner);
  const fi = shallow(f.inner);
  if (ei.k === "prim" && ei.name === "str" && fi.k === "prim" && fi.name === "String") return true;
  if (ei.k === "slice") {
    if (fi.k === "array") return c.inf.unify(ei.elem, fi.elem) === null;
    if (fi.k === "adt" && fi.def.kind === "struct" && fi.def.builtin === "Vec") return c.inf.unify(ei.elem, fi.args[0]!) === null;
  }
  return false;
}

/** A type whose definition binds a contract (`BoundQState<C: QResourceContract>`). */
export function isContractBound(t: Ty): boolean {
  const s = shallow(t);
  if (s.k !== "adt") return false;
  return s.def.generics.some((g) => g.bounds.some((b) => CONTRACT_TRAITS.has(b.trait.name) && b.trait.module.isPrelude));
}

/** Coerce; returns false (after reporting) on a mismatch. */
export function coerce(c: BodyChecker, at: Span, found: Ty, expected: Ty, exp: Expectation): boolean {
  const m = c.inf.unify(expected, found);
  if (!m) return true;
  if (derefCoercion(c, expected, found)) return true;
  const E = zonk(expected);
  const F = zonk(found);
  const related = exp.origin ? [{ span: exp.origin, message: exp.originMessage ?? `expected because of this` }] : [];
  if (m.kind === "capability-domain") {
    c.raise(at, Capabilities.domainTypeMismatch(printTy(E), printTy(F)), { related });
    return false;
  }
  const dF = domainOf(F);
  if (isContractBound(E) && !isContractBound(F) && (dF === "Q" || dF === "Φ")) {
    c.raise(at, Capabilities.unboundType(printTy(E), dF, printTy(F)), { related });
    return false;
  }
  if (m.kind === "domain") {
    const dE = domainOf(E);
    if (m.underRef && STORAGE_SITES.has(exp.site)) {
      c.raise(at, CrossReference.stored(dF, dE, printTy(F), printTy(E)), { related });
      return false;
    }
    c.raise(at, Coercion.expected(printTy(E), dE, printTy(F), dF), { related });
    return false;
  }
  c.raise(at, TypeMismatch.mismatched(printTy(E), printTy(F), mismatchHelp(E, F, at)), { related, suggestions: mismatchFix(E, F, at) });
  return false;
}

/** The edits of `mismatchHelp`'s advice, where it is a wrap of the expression. */
function mismatchFix(E: Ty, F: Ty, at: Span): Suggestion[] | undefined {
  const e = shallow(E);
  const f = shallow(F);
  // Binary and cast expressions bind looser than a prefix `&`/`*`: parenthesise them.
  const simple = bindsTighterThanPrefix(textOf(at) ?? "");
  const wrap = (pre: string, msg: string): Suggestion[] => (simple ? wrapFix(at, pre, "", msg) : wrapFix(at, `${pre}(`, ")", msg));
  if (e.k === "ref" && printTy(e.inner) === printTy(f)) return wrap(e.mut ? "&mut " : "&", e.mut ? "borrow mutably: `&mut value`" : "borrow: `&value`");
  if (f.k === "ref" && printTy(f.inner) === printTy(e)) return wrap("*", "dereference: `*value`");
  if (e.k === "adt" && e.def.name === "Option" && e.args[0] && printTy(e.args[0]) === printTy(f)) return wrapFix(at, "Some(", ")", "wrap in `Some(..)`");
  if (e.k === "adt" && e.def.name === "Result" && e.args[0] && printTy(e.args[0]) === printTy(f)) return wrapFix(at, "Ok(", ")", "wrap in `Ok(..)`");
  return undefined;
}

/** A path, field, call or index chain (or a literal): `&` before it applies to all of it. */
function bindsTighterThanPrefix(text: string): boolean {
  let outer = "";
  let depth = 0;
  for (const ch of text) {
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    else if (depth === 0) outer += ch;
  }
  return /^[\p{L}\p{N}_.:'"]*$/u.test(outer);
}

function mismatchHelp(E: Ty, F: Ty, at: Span): string | undefined {
  const e = shallow(E);
  const f = shallow(F);
  // The expression as written (`&mut p`, not `&value`), when it is short enough to quote.
  const written = writtenText(at);
  const operand = written === null ? "value" : /^[\p{L}\p{N}_.:]+$/u.test(written) ? written : `(${written})`;
  const whole = written ?? "value";
  const num = (t: Ty): boolean => t.k === "prim" && /^(u|i|f)\d+|usize|isize$/.test(t.name);
  if (num(e) && num(f)) return `convert explicitly: \`${operand} as ${printTy(e)}\``;
  if (e.k === "adt" && e.def.name === "Option" && e.args[0] && printTy(e.args[0]) === printTy(f)) return `wrap the value: \`Some(${whole})\``;
  if (e.k === "adt" && e.def.name === "Result" && e.args[0] && printTy(e.args[0]) === printTy(f)) return `wrap the value: \`Ok(${whole})\``;
  if (e.k === "ref" && printTy(e.inner) === printTy(f)) return e.mut ? `borrow it mutably: \`&mut ${operand}\`` : `borrow it: \`&${operand}\``;
  if (f.k === "ref" && printTy(f.inner) === printTy(e)) return `dereference it: \`*${operand}\``;
  return undefined;
}

/** The source text of a one-line span of at most 40 characters, or null. */
function writtenText(at: Span): string | null {
  const o = at as Partial<OffsetSpan>;
  if (!o.source || o.startOffset === undefined || o.endOffset === undefined) return null;
  const text = o.source.text.slice(o.startOffset, o.endOffset);
  return text.length > 0 && text.length <= 40 && !/[\r\n]/.test(text) ? text : null;
}
