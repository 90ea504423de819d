/**
 * Paths used as values, calls, method calls and struct literals: everything that refers
 * to a definition from code. This is where generic functions are instantiated, arity is
 * checked (DPL2004), methods are found through auto-deref and auto-ref, calls are added
 * to the call graph, and a call into a body-bearing function of another domain is an
 * implicit domain transition (DPL3002).
 */
import { Capabilities } from "../diagnostics/messages/capabilities.js";
import { Exposure, Transition } from "../diagnostics/messages/domains.js";
import { Duplication } from "../diagnostics/messages/ownership.js";
import { Duplicates } from "../diagnostics/messages/duplicates.js";
import { Unresolved } from "../diagnostics/messages/unresolved.js";
import { Mutability } from "../diagnostics/messages/mutability.js";
import { UnknownMember } from "../diagnostics/messages/unknown-member.js";
import { Arity } from "../diagnostics/messages/arity.js";
import { TypeMismatch } from "../diagnostics/messages/type-mismatch.js";
import type * as A from "../syntax/ast.js";
import type { AdtDef, Domain, FieldDef, FnDef, GenericParamDef, ModuleDef, StructDef, TraitDef, VariantDef } from "./defs.js";
import { Warnings } from "../diagnostics/messages/warnings.js";
import type { BodyChecker } from "./checker.js";
import { coerce, isContractBound } from "./infer.js";
import type { ExternalCall } from "./tables.js";
import { printExpr } from "../syntax/printer.js";
import { sameForge } from "./forges.js";
import { checkExpect, checkExpr } from "./check-expr.js";
import { requireMutablePlace } from "./check-place.js";
import { resolveValuePath } from "./paths.js";
import { constType, fieldMapOf, fnSig, structFields, variantFields } from "./lower.js";
import { findAssoc, findMethodOn, hasDerivedDefault, heldMoveOnly, isNoncopy, satisfies } from "./impls.js";
import { intrinsicAssoc, intrinsicMethod, intrinsicMethodsOf, isCapabilityDef, iterOf, vecOf, type IntrinsicSig } from "./intrinsics.js";
import { checkAbiCall } from "./capabilities.js";
import { exposeCheck } from "./macros.js";
import { lookupUnqualified, memberNames, memberOf } from "./resolve.js";
import { isQpuModule, qpuPathModule } from "./qpu.js";
import { iterationElement, userIteratorNext } from "./check-flow.js";
import { PARSE_FLOAT_ERROR_DEF, PARSE_INT_ERROR_DEF } from "./builtins.js";
import { ANY, ERROR, NO_SUBST, STRING, adt, prim, domainOf, isFloat, isInt, exposedDomain, fnTy, inDomain, isQuiet, printTy, shallow, substFor, substitute, zonk, type Ty } from "./types.js";
import { didYouMeanFix } from "./fixes.js";

interface Inst {
  /** Every generic parameter of the callee (its owner's and its own) bound for this call. */
  readonly subst: ReadonlyMap<GenericParamDef, Ty>;
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
      c.raise(at.span, Arity.genericArguments(`function \`${f.name}\``, f.generics.length, typeArgs.length));
      typeArgs = f.generics.map((_, i) => typeArgs[i] ?? c.fresh());
    }
  } else typeArgs = f.generics.map(() => c.fresh());
  c.noteTypeArgs(typeArgs);
  let subst: ReadonlyMap<GenericParamDef, Ty> = NO_SUBST;
  if (owner.size > 0 || f.generics.length > 0) {
    const m = new Map(owner);
    f.generics.forEach((g, i) => m.set(g, typeArgs[i]!));
    subst = m;
  }
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
        c.raise(b.at, Exposure.formatThroughTrait(d, printTy(zonk(b.ty)), b.trait.name));
        continue;
      }
    }
    if (satisfies(c.s, c.inf, b.ty, b.trait)) continue;
    const t = zonk(b.ty);
    if (CONTRACT_TRAITS.has(b.trait.name) && b.trait.module.isPrelude) {
      c.raise(b.at, Capabilities.notContractBound(printTy(t), b.trait.name));
    } else {
      c.raise(b.at, TypeMismatch.traitBoundNotSatisfied(printTy(t), b.trait.name));
    }
  }
}

/** Record a call edge and check the domain transition rule (DPL3002). */
export function noteCall(c: BodyChecker, f: FnDef, node: A.Expr): void {
  if (c.fn) c.s.tables.calls.push({ caller: c.fn, callee: f, span: node.span, node });
  // A dustlang Q process's `q::` operations use its own regime's provider (qpu.ts).
  if (c.fn?.ast?.proc && isQpuModule(f.module)) return;
  if (!f.hasBody || f.intrinsic || f.module.isPrelude || f.domain === c.domain) return;
  // dustlang v0.1: a `bind` between the two processes authorizes the crossing.
  if (c.fn?.ast?.proc && f.ast?.proc && sameForge(c.fn.module, f.module) && c.fn.ast.proc.bound.has(f.name)) return;
  if (c.fn?.ast?.proc) {
    c.raise(node.span, Transition.procCall(c.domain, c.fn.name, f.name, f.domain), { related: [{ span: f.nameSpan, message: Transition.runsInRegime(f.name, f.domain) }] });
    return;
  }
  c.raise(node.span, Transition.call(c.domain, f.name, f.domain), { related: [{ span: f.nameSpan, message: Transition.runsIn(f.name, f.domain) }] });
}

/** A callee's declaration, for an arity error: where it is and what its parameters are called. */
interface Declared {
  readonly span: A.Node["span"];
  /** Parameter names in call order (`self` first for a method called by path). */
  readonly names: readonly string[];
}

function declaredOf(c: BodyChecker, f: FnDef, withSelf: boolean): Declared {
  const names = fnSig(c.s, f).params.map((p) => p.name);
  return { span: f.nameSpan, names: withSelf && f.selfMode ? ["self", ...names] : names };
}

function checkArgs(c: BodyChecker, args: readonly A.Expr[], params: readonly Ty[], at: A.Expr, what: string, declared: Declared | null): void {
  if (args.length !== params.length) {
    const related = declared ? [{ span: declared.span, message: "declared here" }] : [];
    // rustc's shape: say which arguments are missing (with their types), or mark each extra one.
    const extra = args.slice(params.length).map((a, i) => ({ span: a.span, message: Arity.extraArgument(params.length + i + 1) }));
    const missing = params.slice(args.length).map((p, i) => {
      const name = declared?.names[args.length + i];
      return `#${args.length + i + 1} (\`${name ? `${name}: ` : ""}${printTy(zonk(p))}\`)`;
    });
    // The callee, as rustc marks it: the call's own span would cover the extra arguments' marks.
    const callee = at.kind === "CallExpr" ? at.callee.span : at.kind === "MethodCallExpr" ? at.method.span : at.span;
    c.raise(callee, Arity.callArguments(what, params.length, args.length, missing), { related: [...extra, ...related] });
  }
  if (at.kind === "CallExpr" && at.argNames && declared) checkArgNames(c, at.argNames, declared, what);
  args.forEach((a, i) => {
    const p = params[i];
    if (p) checkExpect(c, a, p, { site: "arg" });
    else checkExpr(c, a);
  });
}

/**
 * dustlang's named arguments (`encode(r, basis: "phase")`) name the parameter at their
 * position: they document the call, they do not reorder it (docs/language.md).
 */
function checkArgNames(c: BodyChecker, names: readonly (A.Ident | null)[], declared: Declared, what: string): void {
  names.forEach((n, i) => {
    if (!n) return;
    const expected = declared.names[i];
    if (expected === undefined || expected === n.name) return;
    const at = declared.names.indexOf(n.name);
    c.raise(n.span, Unresolved.namedArgument(n.name, what, i + 1, expected, at >= 0 ? at + 1 : null), { related: [{ span: declared.span, message: "declared here" }] });
  });
}

/**
 * A call, in a v0.1 process that declares `uses` resources (spec §8.6: "required external
 * resources"), of an operation whose first name the program does not define anywhere: an
 * operation of those resources (`sense::position()`, `q::register(6)` in the sketch
 * CryoLink.ds). Its arguments are checked; dplc knows nothing of its signature, so its
 * result is `any` (checked where known). Running it stops with a message naming it
 * (emit/calls.ts). Elsewhere the same call is DPL2001.
 */
function externalCall(c: BodyChecker, callee: A.PathExpr): ExternalCall | null {
  const proc = c.fn?.ast?.proc;
  if (!proc || proc.uses.length === 0 || !c.fn) return null;
  const first = callee.segments[0]!.name.name;
  if (callee.segments.some((s) => s.args) || ["crate", "self", "super", "Self"].includes(first)) return null;
  if (c.lookupLocal(first)) return null;
  const qpu = qpuPathModule(c, callee);
  if (qpu && memberOf(c.s.resolver, qpu, callee.segments[1]!.name.name, c.module).value) return null;
  if (lookupUnqualified(c.s.resolver, c.module, first, "value") || lookupUnqualified(c.s.resolver, c.module, first, "type") || c.s.resolver.stdlibRoots.has(first)) return null;
  const uses = proc.uses.map((u) => (u.args.length > 0 ? `${u.resource.name}(${u.args.map((a) => printExpr(a)).join(", ")})` : u.resource.name)).join(", ");
  const name = callee.segments.map((s) => s.name.name).join("::");
  warnIfMisspelled(c, callee, qpu, name, uses);
  return { name, proc: c.fn.name, uses, qpu: qpu !== null };
}

/**
 * DPL8005: an external operation whose unknown name is one small edit from a name the
 * process could mean (a local or an item in scope for the first name; for `q::op`, an
 * operation of `std::qpu`) is more likely a typo than a resource's operation. The call stays
 * an external operation (the sketch's own names, `sense::position`, are near nothing), but
 * the check says so, with the fix, instead of leaving it to a stopped run.
 */
function warnIfMisspelled(c: BodyChecker, callee: A.PathExpr, qpu: ModuleDef | null, written: string, uses: string): void {
  const seg = qpu ? callee.segments[1]! : callee.segments[0]!;
  const candidates = qpu ? memberNames(qpu) : ownNamesInScope(c, callee.segments.length === 1 ? "value" : "type");
  const similar = didYouMeanFix(seg.name.name, seg.name.span, candidates);
  if (!similar.help) return;
  c.raise(seg.name.span, Warnings.externalNearDefinition(written, seg.name.name, qpu !== null, c.fn!.name, uses, similar.help), { suggestions: similar.suggestions });
}

/** The names a process can mean without the prelude: its locals, and the items of its scopes and their glob imports. */
function ownNamesInScope(c: BodyChecker, ns: "value" | "type"): string[] {
  const out = ns === "value" ? c.localNames() : [];
  for (let m: ModuleDef | null = c.module; m; m = m.outer) {
    out.push(...(ns === "value" ? m.values : m.types).keys());
    for (const g of m.globs) if (g.target?.kind === "module") out.push(...(ns === "value" ? g.target.values : g.target.types).keys());
  }
  // `Forge::K::f()` names a forge from the top of its file.
  if (ns === "type" && c.fn?.ast?.proc && c.module.parent) out.push(...c.module.parent.types.keys());
  return out;
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
  // The resolution is the record itself (one object per path, not two).
  switch (r.kind) {
    case "error":
      tables.valueRes.set(p, r);
      return ERROR;
    case "local":
      tables.valueRes.set(p, r);
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
        c.raise(p.span, TypeMismatch.onlyCalledDirectly(d.name));
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
      c.raise(p.span, Unresolved.expectedValue(d.kind === "prim" ? "the type" : d.kind, p.segments.map((s) => s.name.name).join("::")));
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
  c.raise(p.span, TypeMismatch.namedFieldsNeedBraces(name));
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
    c.raise(name.span, UnknownMember.noBoxAssociatedItem(name.name));
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
  const i = intrinsicAssoc(c.ictx, selfTy, name.name);
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
    c.raise(name.span, UnknownMember.noAssociatedItem(name.name, printTy(zonk(selfTy))));
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
    const ext = externalCall(c, callee);
    if (ext) {
      c.s.tables.externalCalls.set(e, ext);
      checkArgsOfUnresolvedCall(c, e.args);
      // `any`, not what the context expects: `target - sense::position()` of a shape has no
      // known meaning, and an expected shape would make it an error (CryoLink.ds).
      return ANY;
    }
    const calleeTy = c.record(callee, checkPathExpr(c, callee, null));
    const res = c.s.tables.valueRes.get(callee);
    if (res?.kind === "fn") {
      const f = res.def;
      const t = shallow(calleeTy);
      if (t.k === "fn") {
        if (expected) c.inf.unify(t.ret, expected);
        checkArgs(c, e.args, t.params, e, `function \`${f.name}\``, declaredOf(c, f, true));
        return t.ret;
      }
    }
    if ((res?.kind === "variant" || res?.kind === "struct") && shallow(calleeTy).k !== "fn") {
      const name = callee.segments.map((s) => s.name.name).join("::");
      if (!isQuiet(shallow(calleeTy))) c.raise(e.span, TypeMismatch.notCallable(name, res.kind));
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
  let t = shallow(calleeTy);
  // `f(x)` with `f: &fn(..)` or `&closure` calls through the reference, as Rust's `Fn` for `&F`
  // does (a shared reference is the value itself at run time).
  while (t.k === "ref" && !t.mut) t = shallow(t.inner);
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
  c.raise(e.callee.span, TypeMismatch.expectedFunction(printTy(zonk(t))));
  return ERROR;
}

// ---------------------------------------------------------------------------
// Method calls

type Found =
  | { readonly kind: "fn"; readonly fn: FnDef; readonly subst: Map<GenericParamDef, Ty>; readonly derefs: number; readonly steps: Ty[] }
  /** `domain`: the receiver was reached through a `Q<...>`/`Φ<...>` wrapper, so is the result. */
  | { readonly kind: "intrinsic"; readonly sig: IntrinsicSig; readonly derefs: number; readonly steps: Ty[]; readonly at: Ty; readonly domain: Domain | null; readonly userIter?: { readonly next: FnDef; readonly item: Ty } };

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
    // `counter.map(..)` on a type with `impl Iterator`: the adapters of `Iter<Item>`,
    // pulling the value through its `next` (the adapter takes the iterator by value).
    if (t.k === "adt") {
      const it = userIteratorNext(c, t);
      const adapter = it && it !== "generic" ? intrinsicMethod(c.ictx, iterOf(it.el), name) : null;
      if (it && it !== "generic" && adapter && adapter.selfMode === "value") return { kind: "intrinsic", sig: adapter, derefs, steps, at: iterOf(it.el), domain, userIter: { next: it.next, item: it.el } };
    }
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
    c.raise(receiver.span, Mutability.receiverBehindRef());
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

/**
 * Every method a value of type `t` offers, as `lookupMethod` would find them (through
 * references and domain wrappers): its impls', its bounds' for a type parameter, and the
 * compiler-provided ones (`Vec.len`), for a did-you-mean on a misspelled name.
 */
function methodNames(c: BodyChecker, recv: Ty): string[] {
  const out = new Set<string>();
  let t = shallow(recv);
  for (let guard = 0; guard < 16; guard++) {
    if (t.k === "param") for (const b of t.def.bounds) for (const n of b.trait.methods.keys()) out.add(n);
    for (const impl of c.s.impls.candidates(t)) for (const n of impl.methods.keys()) out.add(n);
    for (const m of intrinsicMethodsOf(c.ictx, t)) out.add(m.name.slice(m.name.lastIndexOf(".") + 1));
    if (t.k !== "ref" && t.k !== "dom") break;
    t = shallow(t.inner);
  }
  return [...out];
}

/**
 * The arguments of a call that resolved to nothing: checked for their own errors, but a
 * closure's parameters get the error type rather than an unconstrained one, so `|p| p.x`
 * in `v.iter().mapp(|p| p.x)` adds no "no field `x` on type `_`" to the one real error.
 */
function checkArgsOfUnresolvedCall(c: BodyChecker, args: readonly A.Expr[]): void {
  for (const a of args) checkExpr(c, a, a.kind === "ClosureExpr" ? fnTy(a.params.map(() => ERROR), ERROR) : null);
}

export function checkMethodCall(c: BodyChecker, e: A.MethodCallExpr, expected: Ty | null): Ty {
  const recvTy = checkExpr(c, e.receiver);
  const name = e.method.name;
  const found = lookupMethod(c, recvTy, name);
  if (found === "unknown") {
    checkArgsOfUnresolvedCall(c, e.args);
    return ERROR;
  }
  if (!found) {
    checkArgsOfUnresolvedCall(c, e.args);
    const t = zonk(recvTy);
    const base = shallow(t).k === "ref" ? shallow((shallow(t) as { inner: Ty }).inner) : shallow(t);
    const isField = base.k === "adt" && base.def.kind === "struct" && fieldMapOf(c.s, base.def).has(name);
    const bound = contractBoundOwner(c, base, name);
    if (bound) {
      c.raise(e.span, Capabilities.operationOfBound(name, bound.name, domainOf(base), printTy(t)), { related: [{ span: bound.nameSpan, message: Capabilities.bindsContract(bound.name) }] });
      return ERROR;
    }
    if (isField) c.raise(e.method.span, UnknownMember.fieldCalledAsMethod(name, printTy(t)));
    else {
      const similar = didYouMeanFix(name, e.method.span, methodNames(c, base));
      c.raise(e.method.span, UnknownMember.noMethod(name, printTy(t), similar.help), { suggestions: similar.suggestions });
    }
    return ERROR;
  }
  const tables = c.s.tables;
  if (found.kind === "intrinsic") return intrinsicCall(c, e, found, expected);
  const f = found.fn;
  const bounds: PendingBound[] = [];
  const inst = instantiate(c, f, found.subst, e.typeArgs, e, bounds);
  const mode = f.selfMode;
  if (!mode) {
    c.raise(e.method.span, UnknownMember.associatedNotMethod(name, printTy(zonk(found.steps[found.derefs]!))));
    for (const a of e.args) checkExpr(c, a);
    return ERROR;
  }
  const autoref = mode === "ref" ? "ref" : mode === "refMut" ? "refMut" : "none";
  if (autoref === "refMut") checkMutReceiver(c, e.receiver, found);
  tables.methodRes.set(e, { kind: "fn", def: f, typeArgs: inst.typeArgs, derefs: found.derefs, autoref });
  c.noteCallRes(e, f, inst.subst);
  noteCall(c, f, e);
  if (expected) c.inf.unify(inst.ret, expected);
  checkArgs(c, e.args, inst.params, e, `method \`${name}\``, declaredOf(c, f, false));
  checkBounds(c, bounds);
  return inst.ret;
}

function isStringish(t: Ty): boolean {
  let s = shallow(t);
  while (s.k === "ref") s = shallow(s.inner);
  return s.k === "prim" && (s.name === "String" || s.name === "str" || s.name === "char");
}

/**
 * `flatten` / `flat_map`: the result yields the elements of the inner iterables (the
 * receiver's elements, or what the closure returns), known only once the arguments are checked.
 */
function flatMapElement(c: BodyChecker, e: A.MethodCallExpr, sig: IntrinsicSig, recv: Ty): void {
  const p = sig.params[0];
  const fn = p !== undefined && typeof p === "object" && "k" in p ? shallow(p) : null;
  const inner = fn && fn.k === "fn" ? zonk(fn.ret) : iterationElement(recv) ?? ERROR;
  const ret = shallow(sig.ret);
  if (ret.k !== "adt") return;
  const el = iterationElement(inner);
  if (el) c.inf.unify(ret.args[0]!, el);
  else if (!isQuiet(shallow(inner))) c.raise(e.args[0]?.span ?? e.method.span, TypeMismatch.expectedIterable(printTy(inner)));
}

function intrinsicCall(c: BodyChecker, e: A.MethodCallExpr, f: Extract<Found, { kind: "intrinsic" }>, expected: Ty | null): Ty {
  const sig = f.sig;
  const autoref = sig.selfMode === "ref" ? "ref" : sig.selfMode === "refMut" ? "refMut" : "none";
  c.s.tables.methodRes.set(e, { kind: "intrinsic", name: sig.name, derefs: f.derefs, autoref, ...(f.userIter ? { userIter: f.userIter } : {}) });
  if (autoref === "refMut") checkMutReceiver(c, e.receiver, f);
  const recv = zonk(f.at);
  if (sig.name === "clone" || sig.name.endsWith(".clone")) {
    const isQ = domainOf(recv) === "Q";
    const held = isQ || isNoncopy(recv) ? null : heldMoveOnly(c.s, recv);
    if (isQ || isNoncopy(recv)) {
      c.raise(e.span, Duplication.clone(printTy(recv), isQ));
    } else if (held) {
      c.raise(e.span, Duplication.cloneHolding(printTy(recv), printTy(held), domainOf(held) === "Q"));
    }
  }
  if (sig.name === "to_string") exposeCheck(c, e, recv, "to_string");
  if (e.args.length !== sig.params.length) {
    c.raise(e.span, Arity.methodArguments(e.method.name, sig.params.length, e.args.length));
  }
  if (sig.typeParam && e.typeArgs && e.typeArgs.length > 0) {
    if (e.typeArgs.length !== 1) c.raise(e.span, Arity.genericArguments(`method \`${e.method.name}\``, 1, e.typeArgs.length));
    c.inf.unify(sig.typeParam, c.lower(e.typeArgs[0]!));
  }
  e.args.forEach((a, i) => {
    const p = sig.params[i];
    if (p === undefined) checkExpr(c, a);
    else if (p === "str") {
      const t = checkExpr(c, a);
      if (!isStringish(t) && !isQuiet(shallow(t))) c.raise(a.span, TypeMismatch.expectedString(printTy(zonk(t))));
    } else if (typeof p === "object" && "iterable" in p) {
      const t = checkExpr(c, a);
      const el = iterationElement(t);
      if (el) c.inf.unify(p.iterable, el);
      else if (!isQuiet(shallow(t))) c.raise(a.span, TypeMismatch.expectedIterable(printTy(zonk(t))));
    } else checkExpect(c, a, p, { site: "arg" });
  });
  if (sig.name.endsWith(".flatten") || sig.name.endsWith(".flat_map")) flatMapElement(c, e, sig, recv);
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
    c.raise(e.path.span, TypeMismatch.notAStruct(e.path.segments.map((s) => s.name.name).join("::")));
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
    c.raise(e.span, Capabilities.forgedLiteral(def.name));
    for (const f of e.fields) if (f.value) checkExpr(c, f.value);
    return self;
  }
  if (def.kind === "struct" && def.shape === "opaque") {
    c.raise(e.span, UnknownMember.opaqueLiteral(def.name));
    for (const f of e.fields) if (f.value) checkExpr(c, f.value);
    return self;
  }
  const map = fieldMapOf(c.s, def);
  const subst = substFor(generics, args);
  const seen = new Map<string, A.FieldInit>();
  for (const f of e.fields) {
    const prev = seen.get(f.name.name);
    if (prev) c.raise(f.name.span, Duplicates.fieldInitializer(f.name.name), { related: [{ span: prev.name.span, message: Duplicates.firstSpecified() }] });
    seen.set(f.name.name, f);
    const fd = map.get(f.name.name);
    if (!fd) {
      const similar = didYouMeanFix(f.name.name, f.name.span, map.keys());
      c.raise(f.name.span, UnknownMember.noNamedField(name, f.name.name, similar.help), { suggestions: similar.suggestions });
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
      c.raise(e.span, Arity.structLiteralMissesFields(missing, name));
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
      c.raise(e.method.span, TypeMismatch.collectStringFrom(printTy(zonk(elem))));
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
    c.raise(e.method.span, TypeMismatch.parseTarget(printTy(zonk(target))));
  }
  c.inf.unify(ret.args[1]!, adt(isFloat(target) ? PARSE_FLOAT_ERROR_DEF : PARSE_INT_ERROR_DEF, []));
}
