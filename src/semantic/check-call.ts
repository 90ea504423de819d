/**
 * Paths used as values, calls, method calls and struct literals: everything that refers
 * to a definition from code. This is where generic functions are instantiated, arity is
 * checked (DPL2004), methods are found through auto-deref and auto-ref, calls are added
 * to the call graph, and a call into a body-bearing function of another domain is an
 * implicit domain transition (DPL3002).
 */
import type * as A from "../syntax/ast.js";
import type { AdtDef, Domain, FieldDef, FnDef, GenericParamDef, StructDef, TraitDef, VariantDef } from "./defs.js";
import type { BodyChecker } from "./checker.js";
import { coerce, isContractBound } from "./infer.js";
import { checkExpect, checkExpr } from "./check-expr.js";
import { requireMutablePlace } from "./check-place.js";
import { resolveValuePath } from "./paths.js";
import { constType, fieldMapOf, fnSig, structFields, variantFields } from "./lower.js";
import { findAssoc, findMethodOn, hasDerivedDefault, heldMoveOnly, isNoncopy, satisfies } from "./impls.js";
import { intrinsicAssoc, intrinsicMethod, isCapabilityDef, vecOf, type IntrinsicSig } from "./intrinsics.js";
import { checkAbiCall } from "./capabilities.js";
import { exposeCheck } from "./macros.js";
import { lookupUnqualified } from "./resolve.js";
import { iterationElement } from "./check-flow.js";
import { PARSE_FLOAT_ERROR_DEF, PARSE_INT_ERROR_DEF } from "./builtins.js";
import { ERROR, STRING, adt, prim, domainOf, isFloat, isInt, exposedDomain, fnTy, inDomain, isQuiet, printTy, shallow, substFor, substitute, zonk, type Ty } from "./types.js";
import { didYouMeanFix } from "./fixes.js";

interface Inst {
  /** Every generic parameter of the callee (its owner's and its own) bound for this call. */
  readonly subst: Map<GenericParamDef, Ty>;
  readonly params: Ty[];
  readonly ret: Ty;
  readonly selfTy: Ty | null;
  readonly typeArgs: Ty[];
}

interface PendingBound {
  readonly ty: Ty;
  readonly trait: TraitDef;
  readonly at: A.Node["span"];
}

/** Instantiate a function's generics (fresh variables or turbofish arguments). */
function instantiate(c: BodyChecker, f: FnDef, owner: ReadonlyMap<GenericParamDef, Ty>, turbofish: readonly A.Type[] | null, at: A.Node, bounds: PendingBound[]): Inst {
  const sig = fnSig(c.s, f);
  let typeArgs: Ty[];
  if (turbofish && turbofish.length > 0) {
    typeArgs = turbofish.map((t) => c.lower(t));
    if (typeArgs.length !== f.generics.length) {
      c.report("DPL2004", at.span, `function \`${f.name}\` takes ${f.generics.length} generic argument${f.generics.length === 1 ? "" : "s"} but ${typeArgs.length} ${typeArgs.length === 1 ? "was" : "were"} supplied`, {});
      typeArgs = f.generics.map((_, i) => typeArgs[i] ?? c.fresh());
    }
  } else typeArgs = f.generics.map(() => c.fresh());
  c.noteTypeArgs(typeArgs);
  const subst = new Map(owner);
  f.generics.forEach((g, i) => subst.set(g, typeArgs[i]!));
  for (const [i, g] of f.generics.entries()) for (const b of g.bounds) bounds.push({ ty: typeArgs[i]!, trait: b.trait, at: at.span });
  return {
    subst,
    params: sig.params.map((p) => substitute(p.ty, subst)),
    ret: substitute(sig.ret, subst),
    selfTy: sig.selfTy ? substitute(sig.selfTy, subst) : null,
    typeArgs,
  };
}

const CONTRACT_TRAITS = new Set(["QContract", "PhiContract", "QResourceContract"]);

/** Bounds are checked when the body is done, once inference has settled the type arguments. */
function checkBounds(c: BodyChecker, bounds: readonly PendingBound[]): void {
  pending(c).push(...bounds);
}

const pendingBounds = new WeakMap<BodyChecker, PendingBound[]>();

function pending(c: BodyChecker): PendingBound[] {
  let l = pendingBounds.get(c);
  if (!l) pendingBounds.set(c, (l = []));
  return l;
}

const afterInference = new WeakMap<BodyChecker, (() => void)[]>();

/** Run `check` when the body is done and literals are defaulted (a `{}` argument's type may still be a variable). */
export function checkAfterInference(c: BodyChecker, check: () => void): void {
  let l = afterInference.get(c);
  if (!l) afterInference.set(c, (l = []));
  l.push(check);
}

/** The prelude traits whose methods turn a value into text. */
const FORMAT_TRAITS = new Set(["Debug", "Display", "ToString"]);

export function flushBounds(c: BodyChecker): void {
  const checks = afterInference.get(c);
  afterInference.delete(c);
  for (const check of checks ?? []) check();
  const bounds = pendingBounds.get(c);
  if (!bounds) return;
  pendingBounds.delete(c);
  for (const b of bounds) {
    // A generic that formats its argument (`T: Debug`) formats whatever K code passes it.
    if (c.domain === "K" && FORMAT_TRAITS.has(b.trait.name) && b.trait.module.isPrelude) {
      const d = exposedDomain(zonk(b.ty));
      if (d !== "K") {
        c.report("DPL3003", b.at, `raw state exposure: K code cannot pass a ${d} value (\`${printTy(zonk(b.ty))}\`) where \`${b.trait.name}\` formats it`, {
          help: "format a K result obtained through an explicit projection or an `xdv_call` instead",
        });
        continue;
      }
    }
    if (satisfies(c.s, c.inf, b.ty, b.trait)) continue;
    const t = zonk(b.ty);
    if (CONTRACT_TRAITS.has(b.trait.name) && b.trait.module.isPrelude) {
      c.report("DPL5004", b.at, `\`${printTy(t)}\` is not bound to a contract: it does not implement \`${b.trait.name}\``, {
        help: `use a contract type that implements \`${b.trait.name}\``,
      });
    } else {
      c.report("DPL2003", b.at, `the trait bound \`${printTy(t)}: ${b.trait.name}\` is not satisfied`, { help: `implement \`${b.trait.name}\` for \`${printTy(t)}\`` });
    }
  }
}

/** Record a call edge and check the domain transition rule (DPL3002). */
function noteCall(c: BodyChecker, f: FnDef, node: A.Expr): void {
  if (c.fn) c.s.tables.calls.push({ caller: c.fn, callee: f, span: node.span, node });
  if (!f.hasBody || f.intrinsic || f.module.isPrelude || f.domain === c.domain) return;
  // dustlang v0.1: a `bind` between the two processes authorizes the crossing.
  if (c.fn?.ast?.proc && f.ast?.proc && c.fn.module === f.module && c.fn.ast.proc.bound.has(f.name)) return;
  if (c.fn?.ast?.proc) {
    c.report("DPL3002", node.span, `implicit domain transition: this ${c.domain} process calls \`${f.name}\`, a ${f.domain} process, and no \`bind\` connects them`, {
      related: [{ span: f.nameSpan, message: `\`${f.name}\` runs in regime ${f.domain}` }],
      help: `declare the crossing in the forge: \`bind ${c.domain}::${c.fn.name} -> ${f.domain}::${f.name} contract { .. }\``,
    });
    return;
  }
  c.report("DPL3002", node.span, `implicit domain transition: this ${c.domain} function calls \`${f.name}\`, a ${f.domain} function with a body`, {
    related: [{ span: f.nameSpan, message: `\`${f.name}\` runs in domain ${f.domain}` }],
    help: `cross into ${f.domain} explicitly with \`xdv_call\` (or a runtime API such as \`submit_q_job\`), or call a declared (bodiless) projection function`,
  });
}

function checkArgs(c: BodyChecker, args: readonly A.Expr[], params: readonly Ty[], at: A.Expr, what: string, declared: A.Node["span"] | null): void {
  if (args.length !== params.length) {
    c.report("DPL2004", at.span, `${what} takes ${params.length} argument${params.length === 1 ? "" : "s"} but ${args.length} ${args.length === 1 ? "was" : "were"} supplied`, {
      related: declared ? [{ span: declared, message: "declared here" }] : [],
    });
  }
  args.forEach((a, i) => {
    const p = params[i];
    if (p) checkExpect(c, a, p, { site: "arg" });
    else checkExpr(c, a);
  });
}

// ---------------------------------------------------------------------------
// Paths as values

function isStrRef(t: Ty): boolean {
  const s = shallow(t);
  if (s.k !== "ref" || s.mut) return false;
  const i = shallow(s.inner);
  return i.k === "prim" && i.name === "str";
}

export function checkPathExpr(c: BodyChecker, p: A.PathExpr, expected: Ty | null): Ty {
  const tables = c.s.tables;
  const r = resolveValuePath(c, p);
  switch (r.kind) {
    case "error":
      tables.valueRes.set(p, { kind: "error" });
      return ERROR;
    case "local":
      tables.valueRes.set(p, { kind: "local", def: r.def });
      c.useLocal(r.def, p);
      if (expected && isStrRef(expected) && tables.isLiteralStr(r.def)) return expected;
      return r.def.ty;
    case "assoc":
      return assocValue(c, p, r.selfTy, r.name);
    case "def":
      break;
  }
  const d = r.def;
  const last = p.segments[p.segments.length - 1]!;
  switch (d.kind) {
    case "fn": {
      if (d.intrinsic) {
        tables.valueRes.set(p, { kind: "intrinsic", name: d.intrinsic });
        c.report("DPL2003", p.span, `\`${d.name}\` can only be called directly`, {});
        return ERROR;
      }
      const bounds: PendingBound[] = [];
      const owner = new Map<GenericParamDef, Ty>();
      // `Trait::method(x)`: `Self` and the trait's own generics are inferred from the call.
      if (d.owner?.kind === "trait") {
        owner.set(d.owner.selfParam, c.fresh());
        for (const g of d.owner.generics) owner.set(g, c.fresh());
      }
      const inst = instantiate(c, d, owner, last.args, p, bounds);
      tables.valueRes.set(p, { kind: "fn", def: d, typeArgs: inst.typeArgs });
      c.noteCallRes(p, d, inst.subst);
      noteCall(c, d, p);
      const t = fnTy(inst.selfTy ? [inst.selfTy, ...inst.params] : inst.params, inst.ret);
      if (expected) c.inf.unify(expected, t);
      checkBounds(c, bounds);
      return t;
    }
    case "const":
      tables.valueRes.set(p, { kind: "const", def: d });
      if (d.storage === "static mut") tables.staticMutUses.push({ path: p, module: c.module });
      return constType(c.s, d);
    case "variant":
      return ctorValue(c, p, d, d.enumDef, d.shape, variantFields(c.s, d), expected);
    case "struct":
      return ctorValue(c, p, d, d, d.shape === "unit" || d.shape === "tuple" ? d.shape : "named", structFields(c.s, d), expected);
    default:
      c.report("DPL2001", p.span, `expected a value, found ${d.kind === "prim" ? "the type" : d.kind} \`${p.segments.map((s) => s.name.name).join("::")}\``, {});
      tables.valueRes.set(p, { kind: "error" });
      return ERROR;
  }
}

/** A unit variant/struct is a value; a tuple variant/struct is its constructor function. */
function ctorValue(c: BodyChecker, p: A.PathExpr, d: VariantDef | StructDef, owner: AdtDef, shape: "unit" | "tuple" | "named" | "struct", fields: readonly FieldDef[], expected: Ty | null): Ty {
  const args = c.noteTypeArgs(owner.generics.map(() => c.fresh()));
  const subst = substFor(owner.generics, args);
  const self = adt(owner, args);
  c.s.tables.valueRes.set(p, d.kind === "variant" ? { kind: "variant", def: d, typeArgs: args } : { kind: "struct", def: d, typeArgs: args });
  if (shape === "unit") return self;
  if (shape === "tuple") {
    const t = fnTy(
      fields.map((f) => substitute(f.ty, subst)),
      self,
    );
    if (expected) c.inf.unify(expected, t);
    return t;
  }
  const name = p.segments.map((s) => s.name.name).join("::");
  c.report("DPL2003", p.span, `\`${name}\` has named fields: build it with \`${name} { ... }\``, {});
  return ERROR;
}

/** `Cfg::default()` for a type whose `Default` is derived: the prelude trait's method with `Self` = the type. */
function derivedDefault(c: BodyChecker, selfTy: Ty, name: string): { fn?: FnDef; const?: undefined; subst: Map<GenericParamDef, Ty> } | null {
  if (name !== "default" || !hasDerivedDefault(selfTy)) return null;
  const trait = c.module.prelude?.types.get("Default");
  if (!trait || trait.kind !== "trait") return null;
  const fn = trait.methods.get("default");
  return fn ? { fn, subst: new Map([[trait.selfParam, selfTy]]) } : null;
}

/** `Type::name` as a value: an associated function or constant. */
function assocValue(c: BodyChecker, p: A.PathExpr, selfTy: Ty, name: A.Ident): Ty {
  const tables = c.s.tables;
  const last = p.segments[p.segments.length - 1]!;
  const owner = p.segments[p.segments.length - 2];
  if (owner?.name.name === "Box" && shallow(selfTy).k === "any") {
    // `Box::new(x)` is `x` (`Box<T>` is `T`).
    if (name.name === "new") {
      tables.valueRes.set(p, { kind: "intrinsic", name: "Box::new" });
      const v = c.fresh();
      return fnTy([v], v);
    }
    tables.valueRes.set(p, { kind: "error" });
    c.report("DPL2005", name.span, `no function or associated item named \`${name.name}\` found for \`Box\``, { help: "`Box::new(value)` is the one constructor" });
    return ERROR;
  }
  const a = findAssoc(c.s, c.inf, selfTy, name.name) ?? derivedDefault(c, selfTy, name.name);
  if (a?.fn) {
    const bounds: PendingBound[] = [];
    const inst = instantiate(c, a.fn, a.subst, last.args, p, bounds);
    tables.valueRes.set(p, { kind: "fn", def: a.fn, typeArgs: inst.typeArgs });
    c.noteCallRes(p, a.fn, inst.subst);
    noteCall(c, a.fn, p);
    checkBounds(c, bounds);
    return fnTy(inst.selfTy ? [inst.selfTy, ...inst.params] : inst.params, inst.ret);
  }
  if (a?.const) {
    tables.valueRes.set(p, { kind: "const", def: a.const });
    return substitute(constType(c.s, a.const), a.subst);
  }
  const i = intrinsicAssoc(selfTy, name.name);
  if (i?.fn) {
    tables.valueRes.set(p, { kind: "intrinsic", name: i.fn.name });
    return fnTy(
      // A string parameter takes `String`, `&str` or `&String` alike (`String::from(s)`).
      i.fn.params.map((x): Ty => (x === "str" ? { k: "any" } : typeof x === "object" && "iterable" in x ? { k: "any" } : x)),
      i.fn.ret,
    );
  }
  if (i?.const) {
    tables.valueRes.set(p, { kind: "intrinsic", name: `${printTy(selfTy)}::${name.name}` });
    return i.const;
  }
  tables.valueRes.set(p, { kind: "error" });
  if (!isQuiet(shallow(selfTy))) {
    c.report("DPL2005", name.span, `no function or associated item named \`${name.name}\` found for \`${printTy(zonk(selfTy))}\``, {});
  }
  return ERROR;
}

// ---------------------------------------------------------------------------
// Calls

export function checkCall(c: BodyChecker, e: A.CallExpr, expected: Ty | null): Ty {
  const callee = e.callee;
  if (callee.kind === "PathExpr" && callee.segments.length === 1 && !c.lookupLocal(callee.segments[0]!.name.name)) {
    const d = lookupUnqualified(c.s.resolver, c.module, callee.segments[0]!.name.name, "value");
    if (d && d.kind === "fn" && d.intrinsic) return checkAbiCall(c, e, d, expected);
  }
  if (callee.kind === "PathExpr") {
    const calleeTy = c.record(callee, checkPathExpr(c, callee, null));
    const res = c.s.tables.valueRes.get(callee);
    if (res?.kind === "fn") {
      const f = res.def;
      const t = shallow(calleeTy);
      if (t.k === "fn") {
        if (expected) c.inf.unify(t.ret, expected);
        checkArgs(c, e.args, t.params, e, `function \`${f.name}\``, f.nameSpan);
        return t.ret;
      }
    }
    if ((res?.kind === "variant" || res?.kind === "struct") && shallow(calleeTy).k !== "fn") {
      const name = callee.segments.map((s) => s.name.name).join("::");
      if (!isQuiet(shallow(calleeTy))) c.report("DPL2003", e.span, `\`${name}\` is not a function or a tuple ${res.kind}`, {});
      for (const a of e.args) checkExpr(c, a);
      return isQuiet(shallow(calleeTy)) ? ERROR : calleeTy;
    }
    return callValue(c, e, calleeTy, expected, res?.kind === "variant" || res?.kind === "struct" ? `\`${callee.segments.map((s) => s.name.name).join("::")}\`` : null);
  }
  const calleeTy = checkExpr(c, callee);
  return callValue(c, e, calleeTy, expected, null);
}

/** Calling a value of function type (a closure, a function passed as a parameter, a constructor). */
function callValue(c: BodyChecker, e: A.CallExpr, calleeTy: Ty, expected: Ty | null, ctorName: string | null): Ty {
  const t = shallow(calleeTy);
  if (t.k === "fn") {
    if (expected) c.inf.unify(t.ret, expected);
    checkArgs(c, e.args, t.params, e, ctorName ?? "this function", null);
    return t.ret;
  }
  if (t.k === "var" && t.v.kind === "general") {
    const params = e.args.map(() => c.fresh());
    const ret = expected ?? c.fresh();
    c.inf.unify(t, fnTy(params, ret));
    e.args.forEach((a, i) => checkExpect(c, a, params[i]!, { site: "arg" }));
    return ret;
  }
  for (const a of e.args) checkExpr(c, a);
  if (isQuiet(t)) return ERROR;
  c.report("DPL2003", e.callee.span, `expected a function, found \`${printTy(zonk(t))}\``, {});
  return ERROR;
}

// ---------------------------------------------------------------------------
// Method calls

type Found =
  | { readonly kind: "fn"; readonly fn: FnDef; readonly subst: Map<GenericParamDef, Ty>; readonly derefs: number; readonly steps: Ty[] }
  /** `domain`: the receiver was reached through a `Q<...>`/`Φ<...>` wrapper, so is the result. */
  | { readonly kind: "intrinsic"; readonly sig: IntrinsicSig; readonly derefs: number; readonly steps: Ty[]; readonly at: Ty; readonly domain: Domain | null };

function lookupMethod(c: BodyChecker, recv: Ty, name: string): Found | "unknown" | null {
  let t = shallow(recv);
  let derefs = 0;
  let domain: Domain | null = null;
  const steps: Ty[] = [];
  for (let guard = 0; guard < 16; guard++) {
    steps.push(t);
    if (t.k === "var" && t.v.kind === "general") return "unknown";
    if (isQuiet(t)) return "unknown";
    const user = findMethodOn(c.s, c.inf, t, name);
    if (user) return { kind: "fn", fn: user.fn, subst: user.subst, derefs, steps };
    const intr = intrinsicMethod(c.ictx, t, name);
    if (intr) return { kind: "intrinsic", sig: intr, derefs, steps, at: t, domain };
    if (t.k === "ref") {
      t = shallow(t.inner);
      derefs++;
      continue;
    }
    if (t.k === "dom") {
      domain = t.domain;
      t = shallow(t.inner);
      continue;
    }
    // `let n = 7; n.pow(2)`: an unsuffixed number with no other constraint yet takes its
    // default type (i32, f64) for the lookup, as it would at the end of the body.
    if (t.k === "var" && (t.v.kind === "int" || t.v.kind === "float")) {
      const dflt = prim(t.v.kind === "int" ? "i32" : "f64");
      c.inf.unify(dflt, t);
      steps.pop();
      t = shallow(t);
      continue;
    }
    return null;
  }
  return null;
}

/** The receiver must be mutable for `&mut self` methods (DPL2007). */
function checkMutReceiver(c: BodyChecker, receiver: A.Expr, f: Found): void {
  if (f.derefs === 0) {
    requireMutablePlace(c, receiver, "borrow");
    return;
  }
  const lastRef = shallow(f.steps[f.derefs - 1]!);
  if (lastRef.k === "ref" && !lastRef.mut) {
    c.report("DPL2007", receiver.span, "cannot borrow this value as mutable: it is behind a `&` reference", { help: "take a `&mut` reference instead" });
  }
}

/**
 * For a method missing on unbound Q/Φ state: the contract-bound type (`BoundQState<C:
 * QResourceContract>`) whose impl has it, which makes the call DPL5004 rather than DPL2005.
 */
function contractBoundOwner(c: BodyChecker, recv: Ty, name: string): AdtDef | null {
  const d = domainOf(recv);
  if (d === "K") return null;
  for (const head of c.s.impls.adtHeads()) {
    if (head.ann.domain !== d || !isContractBound(adt(head, head.generics.map(() => ERROR)))) continue;
    if (c.s.impls.implsOfDef(head).some((impl) => impl.methods.has(name))) return head;
  }
  return null;
}

function methodNames(c: BodyChecker, t: Ty): string[] {
  const out: string[] = [];
  for (const impl of c.s.impls.candidates(t)) out.push(...impl.methods.keys());
  return out;
}

export function checkMethodCall(c: BodyChecker, e: A.MethodCallExpr, expected: Ty | null): Ty {
  const recvTy = checkExpr(c, e.receiver);
  const name = e.method.name;
  const found = lookupMethod(c, recvTy, name);
  if (found === "unknown") {
    for (const a of e.args) checkExpr(c, a);
    return ERROR;
  }
  if (!found) {
    for (const a of e.args) checkExpr(c, a);
    const t = zonk(recvTy);
    const base = shallow(t).k === "ref" ? shallow((shallow(t) as { inner: Ty }).inner) : shallow(t);
    const isField = base.k === "adt" && base.def.kind === "struct" && fieldMapOf(c.s, base.def).has(name);
    const bound = contractBoundOwner(c, base, name);
    if (bound) {
      c.report("DPL5004", e.span, `\`${name}\` is an operation of the contract-bound \`${bound.name}\`, applied to the unbound ${domainOf(base)} value \`${printTy(t)}\``, {
        related: [{ span: bound.nameSpan, message: `\`${bound.name}\` binds a contract` }],
        help: `bind the state to a contract first (\`${bound.name}<C>\`), or require the bound type in this function's signature`,
      });
      return ERROR;
    }
    c.report("DPL2005", e.method.span, `no method named \`${name}\` found for \`${printTy(t)}\``, isField ? { help: `\`${name}\` is a field: write \`(value.${name})\` without the call` } : didYouMeanFix(name, e.method.span, methodNames(c, base)));
    return ERROR;
  }
  const tables = c.s.tables;
  if (found.kind === "intrinsic") return intrinsicCall(c, e, found, expected);
  const f = found.fn;
  const bounds: PendingBound[] = [];
  const inst = instantiate(c, f, found.subst, e.typeArgs, e, bounds);
  const mode = f.selfMode;
  if (!mode) {
    c.report("DPL2005", e.method.span, `\`${name}\` is an associated function, not a method: call it as \`${printTy(zonk(found.steps[found.derefs]!))}::${name}(...)\``, {});
    for (const a of e.args) checkExpr(c, a);
    return ERROR;
  }
  const autoref = mode === "ref" ? "ref" : mode === "refMut" ? "refMut" : "none";
  if (autoref === "refMut") checkMutReceiver(c, e.receiver, found);
  tables.methodRes.set(e, { kind: "fn", def: f, typeArgs: inst.typeArgs, derefs: found.derefs, autoref });
  c.noteCallRes(e, f, inst.subst);
  noteCall(c, f, e);
  if (expected) c.inf.unify(inst.ret, expected);
  checkArgs(c, e.args, inst.params, e, `method \`${name}\``, f.nameSpan);
  checkBounds(c, bounds);
  return inst.ret;
}

function isStringish(t: Ty): boolean {
  let s = shallow(t);
  while (s.k === "ref") s = shallow(s.inner);
  return s.k === "prim" && (s.name === "String" || s.name === "str" || s.name === "char");
}

function intrinsicCall(c: BodyChecker, e: A.MethodCallExpr, f: Extract<Found, { kind: "intrinsic" }>, expected: Ty | null): Ty {
  const sig = f.sig;
  const autoref = sig.selfMode === "ref" ? "ref" : sig.selfMode === "refMut" ? "refMut" : "none";
  c.s.tables.methodRes.set(e, { kind: "intrinsic", name: sig.name, derefs: f.derefs, autoref });
  if (autoref === "refMut") checkMutReceiver(c, e.receiver, f);
  const recv = zonk(f.at);
  if (sig.name === "clone" || sig.name.endsWith(".clone")) {
    const isQ = domainOf(recv) === "Q";
    const held = isQ || isNoncopy(recv) ? null : heldMoveOnly(c.s, recv);
    if (isQ || isNoncopy(recv)) {
      c.report("DPL4001", e.span, isQ ? `Q state cannot be cloned: \`.clone()\` on \`${printTy(recv)}\`` : `the \`@noncopy\` value cannot be duplicated: \`.clone()\` on \`${printTy(recv)}\``, {
        help: isQ ? "move the value instead; if you need its outcome twice, measure once and reuse the K result" : "move the value instead of duplicating it",
        note: isQ ? "no-cloning: Q types are move-only (XDV-051 §4.3)" : undefined,
      });
    } else if (held) {
      const heldQ = domainOf(held) === "Q";
      c.report("DPL4001", e.span, `${heldQ ? "Q state cannot be cloned" : "the `@noncopy` value cannot be duplicated"}: \`.clone()\` on \`${printTy(recv)}\` would duplicate the \`${printTy(held)}\` it holds`, {
        help: "move the value instead, or clone only its K parts into a new value",
        note: heldQ ? "no-cloning: Q types are move-only (XDV-051 §4.3)" : undefined,
      });
    }
  }
  if (sig.name === "to_string") exposeCheck(c, e, recv, "to_string");
  if (e.args.length !== sig.params.length) {
    c.report("DPL2004", e.span, `method \`${e.method.name}\` takes ${sig.params.length} argument${sig.params.length === 1 ? "" : "s"} but ${e.args.length} ${e.args.length === 1 ? "was" : "were"} supplied`, {});
  }
  if (sig.typeParam && e.typeArgs && e.typeArgs.length > 0) {
    if (e.typeArgs.length !== 1) c.report("DPL2004", e.span, `method \`${e.method.name}\` takes 1 generic argument but ${e.typeArgs.length} were supplied`, {});
    c.inf.unify(sig.typeParam, c.lower(e.typeArgs[0]!));
  }
  e.args.forEach((a, i) => {
    const p = sig.params[i];
    if (p === undefined) checkExpr(c, a);
    else if (p === "str") {
      const t = checkExpr(c, a);
      if (!isStringish(t) && !isQuiet(shallow(t))) c.report("DPL2003", a.span, `mismatched types: expected a string, found \`${printTy(zonk(t))}\``, {});
    } else if (typeof p === "object" && "iterable" in p) {
      const t = checkExpr(c, a);
      const el = iterationElement(t);
      if (el) c.inf.unify(p.iterable, el);
      else if (!isQuiet(shallow(t))) c.report("DPL2003", a.span, `expected something to iterate over, found \`${printTy(zonk(t))}\``, { help: "pass a `Vec`, a range or an iterator" });
    } else checkExpect(c, a, p, { site: "arg" });
  });
  let sigRet = sig.ret;
  if (sig.name.endsWith(".collect")) sigRet = collectTarget(c, e, sig, recv, expected);
  if (sig.name === "String.parse" || sig.name === "str.parse") parseError(c, e, sig, expected);
  // `Q<Vec<T>>.len()` is a Q value: what is computed from Q state stays Q.
  const ret = f.domain ? inDomain(f.domain, sigRet) : sigRet;
  if (expected) c.inf.unify(ret, expected);
  return ret;
}

// ---------------------------------------------------------------------------
// Struct literals

export function checkStructLit(c: BodyChecker, e: A.StructLitExpr, expected: Ty | null): Ty {
  const r = resolveValuePath(c, e.path, "type");
  let def: StructDef | VariantDef | null = null;
  if (r.kind === "def" && (r.def.kind === "struct" || r.def.kind === "variant")) def = r.def;
  else if (r.kind === "def" && r.def.kind === "prim" && r.def.name === "Self") {
    const st = c.tscope.selfTy ? shallow(c.tscope.selfTy) : null;
    if (st && st.k === "adt" && st.def.kind === "struct") def = st.def;
  } else if (r.kind !== "error") {
    c.report("DPL2003", e.path.span, `\`${e.path.segments.map((s) => s.name.name).join("::")}\` is not a struct or a struct variant`, {});
  }
  if (!def) {
    for (const f of e.fields) if (f.value) checkExpr(c, f.value);
    if (e.base) checkExpr(c, e.base);
    return ERROR;
  }
  const generics = def.kind === "variant" ? def.enumDef.generics : def.generics;
  const owner = def.kind === "variant" ? def.enumDef : def;
  const args = generics.map(() => c.fresh());
  const self = adt(owner, args);
  if (expected) c.inf.unify(expected, self);
  c.s.tables.structLits.set(e, def);
  const name = e.path.segments.map((s) => s.name.name).join("::");
  if (def.kind === "struct" && isCapabilityDef(def) && !c.module.isTrusted) {
    c.report("DPL5002", e.span, `forged capability: a \`${def.name}\` cannot be constructed here`, {
      help: "capabilities are issued by the kernel and the runtime; take one as a parameter from whoever holds it",
      note: "capability identifiers must be unforgeable (XDV-052 §6)",
    });
    for (const f of e.fields) if (f.value) checkExpr(c, f.value);
    return self;
  }
  if (def.kind === "struct" && def.shape === "opaque") {
    c.report("DPL2005", e.span, `\`${def.name}\` is opaque: it cannot be built with a struct literal`, { help: "use the functions declared for this type" });
    for (const f of e.fields) if (f.value) checkExpr(c, f.value);
    return self;
  }
  const map = fieldMapOf(c.s, def);
  const subst = substFor(generics, args);
  const seen = new Map<string, A.FieldInit>();
  for (const f of e.fields) {
    const prev = seen.get(f.name.name);
    if (prev) c.report("DPL2002", f.name.span, `field \`${f.name.name}\` is specified more than once`, { related: [{ span: prev.name.span, message: "first specified here" }] });
    seen.set(f.name.name, f);
    const fd = map.get(f.name.name);
    if (!fd) {
      c.report("DPL2005", f.name.span, `\`${name}\` has no field named \`${f.name.name}\``, didYouMeanFix(f.name.name, f.name.span, map.keys()));
      if (f.value) checkExpr(c, f.value);
      continue;
    }
    const ft = substitute(fd.ty, subst);
    if (f.value) checkExpect(c, f.value, ft, { site: "field", origin: fd.span, originMessage: `\`${fd.name}\` is declared here` });
    else {
      const p: A.PathExpr = { kind: "PathExpr", segments: [{ kind: "PathExprSegment", name: f.name, args: null, span: f.name.span }], span: f.name.span };
      const t = c.record(p, checkPathExpr(c, p, ft));
      coerce(c, f.span, t, ft, { site: "field", origin: fd.span, originMessage: `\`${fd.name}\` is declared here` });
      c.s.tables.shorthandFields.set(f, p);
    }
  }
  if (e.base) checkExpect(c, e.base, self, { site: "other" });
  else {
    const missing = [...map.keys()].filter((k) => !seen.has(k));
    if (missing.length > 0) {
      c.report("DPL2004", e.span, `missing field${missing.length === 1 ? "" : "s"} ${missing.map((m) => `\`${m}\``).join(", ")} in initializer of \`${name}\``, {});
    }
  }
  return self;
}

/**
 * What `collect()` builds: a `String` when a turbofish or the expected type says so (from
 * `char`s or strings), otherwise a `Vec` of the elements.
 */
function collectTarget(c: BodyChecker, e: A.MethodCallExpr, sig: IntrinsicSig, recv: Ty, expected: Ty | null): Ty {
  const target = sig.typeParam!;
  const elem = shallow(recv).k === "adt" ? ((shallow(recv) as { args: readonly Ty[] }).args[0] ?? ERROR) : ERROR;
  let want = shallow(target);
  if (want.k === "var" && expected) want = shallow(expected);
  if (want.k === "prim" && want.name === "String") {
    c.inf.unify(target, STRING);
    if (!isStringish(elem) && !isQuiet(shallow(elem))) {
      c.report("DPL2003", e.method.span, `a \`String\` cannot be collected from elements of type \`${printTy(zonk(elem))}\``, { help: "collect `char`s or strings into a `String`, or collect into a `Vec`" });
    }
    return STRING;
  }
  c.inf.unify(target, vecOf(elem));
  return target;
}

/** `str::parse`: the error is `ParseFloatError` for a float target, `ParseIntError` otherwise. */
function parseError(c: BodyChecker, e: A.MethodCallExpr, sig: IntrinsicSig, expected: Ty | null): void {
  const ret = shallow(sig.ret);
  if (ret.k !== "adt") return;
  if (expected) c.inf.unify(sig.ret, expected);
  const target = shallow(sig.typeParam!);
  if (!isQuiet(target) && !(target.k === "var" && target.v.kind === "general") && !isInt(target) && !isFloat(target)) {
    c.report("DPL2003", e.method.span, `\`parse\` reads integer and float types, not \`${printTy(zonk(target))}\``, { help: "parse into a number type (`s.parse::<i64>()`), or compare the text itself" });
  }
  c.inf.unify(ret.args[1]!, adt(isFloat(target) ? PARSE_FLOAT_ERROR_DEF : PARSE_INT_ERROR_DEF, []));
}
