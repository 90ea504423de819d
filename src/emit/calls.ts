/**
 * Calls: functions, constructors, closures and methods.
 *
 * A DPL function becomes a TypeScript function of the same parameters; a method becomes
 * a function whose first parameter is the receiver (`Point$norm(p)`), so static dispatch
 * stays a plain call. The receiver is passed the way the method takes `self`: by value,
 * as the value for `&self`, and for `&mut self` as the object itself (in-place types) or
 * as a `MutRef` to the receiver's place.
 *
 * Arguments are adjusted where the parameter's representation differs from the
 * argument's: a `&mut T` passed where `&T` is expected is read (`r.value`), and a `&mut`
 * to an in-place object passed to a generic `&mut T` is wrapped in a `MutRef`.
 */
import { dynMethodCall, isDynTy } from "./dyn.js";
import type * as A from "../syntax/ast.js";
import type { EnumDef, FnDef, GenericParamDef, TraitDef, LocalDef } from "../semantic/defs.js";
import type { CallRes } from "../semantic/tables.js";
import { shallow, zonk, type Ty } from "../semantic/types.js";
import { type Body, isTrivial, RETURN, needsStmts } from "./body.js";
import { e, frag, joinFrags, primary, type E, type Frag, Prec, fragText } from "./writer.js";
import { emitExpr, emitOperands, copyIfShared, emitOwned } from "./exprs.js";
import { placeOf, derefPlace, type Place } from "./places.js";
import { tyDescriptor } from "./ts-types.js";
import { needsCopyOnRead, isBoxedMutRef, mutRefIsObject, peelDomain, reprOf, runtimeEnumName } from "./repr.js";
import { emitIntrinsicCall, emitIntrinsicMethod, type Receiver, runtimeMethod } from "./intrinsics.js";
import { fieldMember, tupleField } from "./names.js";
import { dictFor, hasWitnesses, isDerivedDefault, isDispatchTrait, witnessArgs } from "./generics.js";
import type { Span } from "../syntax/source.js";
import { jsString } from "./escape.js";
import { emitInto } from "./control.js";
import { bindPattern, isIrrefutableBinding } from "./patterns.js";
import { fromGeneric, toGeneric } from "./generic-refs.js";
import { emitClone } from "./clone-impls.js";
import { ITER_DEF } from "../semantic/builtins.js";

export function emitCall(b: Body, x: A.CallExpr): E {
  const callee = x.callee;
  const ext = b.tables.externalCalls.get(x);
  if (ext) {
    // An operation of a `uses` resource (semantic/check-call.ts, `externalCall`): dplc has no
    // implementation of it, and running it says which one is missing.
    const why = ext.qpu
      ? `\`${ext.name}\` is not an operation of the simulated QPU (\`std::qpu\`), nor of anything else dplc provides for what \`${ext.proc}\` uses (${ext.uses}), so this process cannot run here (dplc explain DPL2001)`
      : `\`${ext.name}\` is an operation of the external resources that \`${ext.proc}\` uses (${ext.uses}); dplc provides no implementation of them, so this process cannot run here (dplc explain DPL2001)`;
    return e(frag(x.span, `${b.m.rt("panic")}(${jsString(why)}, ${b.m.site(x.span)})`));
  }
  if (callee.kind === "PathExpr") {
    const res = b.tables.valueRes.get(callee);
    if (res?.kind === "intrinsic") {
      if (res.name === "xdv_call" || res.name === "syscall") return emitAbiCall(b, x, res.name);
      return emitIntrinsicCall(b, x, res.name);
    }
    if (res?.kind === "fn") return callFn(b, x, res.def, res.typeArgs.map((t) => zonk(t)));
    if (res?.kind === "variant") {
      const args = emitOperands(b, x.args, true).map((a) => a.f);
      return variantValue(b, res.def.enumDef, res.def.name, args, x.span);
    }
    if (res?.kind === "struct") {
      const args = emitOperands(b, x.args, true);
      return e(frag(x.span, "{ ", joinFrags(args.map((a, i) => frag(null, `${tupleField(i)}: `, a.f)), ", "), " }"));
    }
  }
  const [f, ...args] = emitOperands(b, [callee, ...x.args], true);
  return e(frag(x.span, primary(f!), "(", joinFrags(args.map((a) => a.f), ", "), ")"));
}

/** A variant value: the runtime's `Some`/`Ok`/`Err`, or the enum's constructor. */
export function variantValue(b: Body, def: EnumDef, variant: string, args: readonly Frag[], span: A.Node["span"] | null): E {
  const rt = runtimeEnumName(def);
  if (rt === "Ordering") return e(frag(span, `${b.m.rt("Ordering")}.${variant}`));
  if (rt) {
    if (args.length === 0) return e(frag(span, b.m.rt(variant)));
    return e(frag(span, `${b.m.rt(variant)}(`, joinFrags(args, ", "), ")"));
  }
  const v = def.variants.find((x) => x.name === variant);
  const base = `${b.m.ref(def)}.${variant}`;
  if (v && v.shape === "unit") return e(frag(span, base));
  return e(frag(span, `${base}(`, joinFrags(args, ", "), ")"));
}

/** Declared parameter types of a function (with its generic parameters unsubstituted). */
function declaredParams(b: Body, f: FnDef): Ty[] {
  return b.m.unit.model.signature(f).params.map((p) => p.ty);
}

/** Generic parameters of a function in the order its witnesses go: owner's (or `Self`), then its own. */
export function ownerGenerics(f: FnDef): GenericParamDef[] {
  const own = f.generics;
  const owner = f.owner;
  if (!owner) return own;
  if (owner.kind === "impl") return [...owner.generics, ...own];
  return [owner.selfParam, ...owner.generics, ...own];
}

const NO_SUBST: ReadonlyMap<GenericParamDef, Ty> = new Map();

/** The checker's resolution of a call: callee, substitution, impl (see semantic/call-res.ts). */
function callOf(b: Body, node: A.MethodCallExpr | A.PathExpr): CallRes | undefined {
  return b.tables.callRes.get(node);
}

function withWitnesses(b: Body, f: FnDef, subst: ReadonlyMap<GenericParamDef, Ty>, args: readonly E[]): Frag[] {
  const ws = hasWitnesses(b.m.unit.model, f) ? witnessArgs(b.m, f, subst, b) : [];
  return [...args.map((a) => a.f), ...ws];
}

function callFn(b: Body, x: A.CallExpr, f: FnDef, typeArgs: readonly Ty[]): E {
  const declared = declaredParams(b, f);
  const call = callOf(b, x.callee as A.PathExpr);
  const subst = call?.subst ?? NO_SUBST;
  const args = emitOperands(b, x.args, true).map((a, i) => coerceArg(b, x.args[i]!, a, declared[i] ?? null, subst));
  const rt = runtimeMethod(b, f);
  if (rt) return rt(args, x.span, typeArgs);
  // `Trait::method(&x)` or `T::new()`: dispatch on the type standing for `Self`.
  if (f.owner?.kind === "trait" && call?.selfTy) return traitCall(b, x.span, f, f.owner, call, args, typeArgs);
  return genericResult(b, f, subst, e(frag(x.span, `${b.m.ref(f)}(`, joinFrags(withWitnesses(b, f, subst, args), ", "), ")")));
}

/** A call's result in the caller's representation (generic-refs.ts). */
function genericResult(b: Body, f: FnDef, subst: ReadonlyMap<GenericParamDef, Ty>, v: E): E {
  return fromGeneric(b, v, b.m.unit.model.signature(f).ret, subst);
}

/**
 * A call of a trait method with `Self` bound to `selfTy` (`args` include the receiver):
 * through the dictionary when `Self` is a type parameter, else to the impl's method, or to
 * the trait's default method with the impl's dictionary.
 */
function traitCall(b: Body, span: A.Node["span"], f: FnDef, trait: TraitDef, call: CallRes, args: readonly E[], typeArgs: readonly Ty[]): E {
  const st = call.selfTy!;
  if (st.k === "param" && st.def.dyn) return dynMethodCall(b, span, f, trait, st.def.dyn, args);
  if (st.k === "param") {
    // `Clone` has no dictionary (isDispatchTrait): a `T: Clone` value is cloned through
    // `T`'s descriptor, which carries a hand-written `impl Clone` (clone-impls.ts).
    if (!isDispatchTrait(trait) && f.name === "clone") return emitClone(b, args[0]!, st, span);
    const dict = b.dictOf(st.def, trait);
    const via = dict ?? dictFor(b.m, st, trait, b);
    return e(frag(span, primaryFrag(via), `${fieldMember(f.name)}(`, joinFrags(args.map((a) => a.f), ", "), ")"));
  }
  const found = call.impl;
  const own = found?.impl.methods.get(f.name);
  if (found && own) {
    const subst = new Map(found.subst);
    own.generics.forEach((g, i) => typeArgs[i] && subst.set(g, zonk(typeArgs[i]!)));
    return genericResult(b, own, subst, e(frag(span, `${b.m.ref(own)}(`, joinFrags(withWitnesses(b, own, subst, args), ", "), ")")));
  }
  // A derived `Default` has no impl to call: the runtime builds it from the type's descriptor.
  if (!found && isDerivedDefault(trait, f)) return e(frag(span, `${b.m.rt("defaultOf")}(`, tyDescriptor(b.m, st, b), `) as ${b.ts(st)}`));
  const subst = new Map(call.subst);
  subst.set(trait.selfParam, st);
  return genericResult(b, f, subst, e(frag(span, `${b.m.ref(f)}(`, joinFrags(withWitnesses(b, f, subst, args), ", "), ")")));
}

function primaryFrag(f: Frag): Frag {
  return typeof f === "string" && /^[\p{L}_$][\p{L}\p{N}_$.]*$/u.test(f) ? f : frag(null, "(", f, ")");
}

/**
 * Adjust an argument to the representation its parameter expects (see the file comment).
 * `declared` is the parameter's type as written, with the callee's generic parameters.
 */
function coerceArg(b: Body, arg: A.Expr, v: E, declared: Ty | null, subst: ReadonlyMap<GenericParamDef, Ty>): E {
  if (!declared) return v;
  const at = peelDomain(b.typeOf(arg));
  const pt = peelDomain(declared);
  if (at.k === "ref" && at.mut && pt.k === "ref" && !pt.mut && isBoxedMutRef(at)) return e(frag(null, primary(v), ".value"));
  if (at.k === "ref" && at.mut && pt.k === "ref" && pt.mut && mutRefIsObject(at.inner) && !mutRefIsObject(pt.inner)) {
    if (arg.kind === "RefExpr") return placeAccessor(b, placeOf(b, arg.operand));
    return placeAccessor(b, derefPlace(b, at, v, null));
  }
  return toGeneric(b, v, declared, subst);
}

/** A `MutRef` whose reads and writes go to `p` (even when `p` holds an in-place object). */
function placeAccessor(b: Body, p: Place): E {
  const n = b.names.fresh("$v");
  return e(frag(null, "{ get value() { return ", p.read().f, `; }, set value(${n}) { `, p.write(e(n), null).f, "; } }"));
}

// ---------------------------------------------------------------------------
// Method calls

export function emitMethodCall(b: Body, x: A.MethodCallExpr): E {
  const res = b.tables.methodRes.get(x);
  if (!res) return e(frag(x.span, `${b.m.rt("panic")}("internal: unresolved method \`${x.method.name}\`", ${b.m.site(x.span)})`));
  const recv = receiver(b, x, res.derefs);
  if (res.kind === "intrinsic") return emitIntrinsicMethod(b, x, res.name, res.userIter ? userIterReceiver(b, x, recv, res.userIter) : recv);
  const f = res.def;
  const typeArgs = res.typeArgs.map((t) => zonk(t));
  const self = receiverArg(b, x, recv, f);
  const declared = declaredParams(b, f);
  const call = callOf(b, x);
  const subst = call?.subst ?? NO_SUBST;
  const args = emitOperands(b, x.args, true).map((a, i) => coerceArg(b, x.args[i]!, a, declared[i] ?? null, subst));
  const rt = runtimeMethod(b, f);
  if (rt) return rt([self, ...args], x.span, typeArgs, x.method.span);
  if (f.owner?.kind === "trait" && call?.selfTy) return traitCall(b, x.span, f, f.owner, call, [self, ...args], typeArgs);
  return genericResult(b, f, subst, e(frag(x.span, `${b.m.ref(f)}(`, joinFrags(withWitnesses(b, f, subst, [self, ...args]), ", "), ")")));
}

/**
 * A type with `impl Iterator` used with an `Iter` adapter (`counter.map(..)`): an `Iter`
 * that pulls the value through its `next` (the value moves into the adapter, as in Rust).
 */
function userIterReceiver(b: Body, x: A.MethodCallExpr, recv: Receiver, it: { readonly next: FnDef; readonly item: Ty }): Receiver {
  const item = zonk(it.item);
  const ty: Ty = { k: "adt", def: ITER_DEF, args: [item] };
  let made: E | null = null;
  const value = (): E => {
    if (made) return made;
    // Evaluated once (`Countdown { n: 4 }.map(..)` must not build a new one per pull); `next`
    // takes `&mut self`: the object itself for a struct, else a cell around the value.
    const v = recv.value();
    const self = isTrivial(v.f) ? v : b.spill(v, null, "it");
    const obj = reprOf(recv.ty) === "inplace" ? self : b.spill(e(frag(null, `${b.m.rt("cell")}(`, self.f, ")")), null, "it");
    const el = b.ts(item);
    made = e(frag(null, `${b.m.rt("Iter")}.from_fn<${el}>(() => ${b.m.ref(it.next)}(`, obj.f, `) as ${b.m.rt("Option")}<${el}>)`));
    return made;
  };
  return { ty, expr: x.receiver, value, place: () => ({ ty, read: value, write: value, mutRef: value }) };
}

/** The receiver after the checker's automatic dereferences. */
function receiver(b: Body, x: A.MethodCallExpr, derefs: number): Receiver {
  let p: Place | null = null;
  const place = (): Place => {
    if (p) return p;
    let cur = placeOf(b, x.receiver, true);
    for (let i = 0; i < derefs; i++) {
      const t = peelDomain(cur.ty);
      if (t.k !== "ref") break;
      const r = cur.read();
      cur = derefPlace(b, t, isTrivial(r.f) ? r : b.spill(r, null), null);
    }
    p = cur;
    return p;
  };
  let ty = b.typeOf(x.receiver);
  for (let i = 0; i < derefs; i++) {
    const s = peelDomain(ty);
    if (s.k !== "ref") break;
    ty = s.inner;
  }
  // A receiver only read needs no place: evaluate it as an expression.
  let cached: E | null = null;
  const value = (): E => {
    if (p) return p.read();
    if (cached) return cached;
    let v = emitExpr(b, x.receiver);
    let t = b.typeOf(x.receiver);
    for (let i = 0; i < derefs; i++) {
      const s = peelDomain(t);
      if (s.k !== "ref") break;
      if (isBoxedMutRef(s)) v = e(frag(null, primary(v), ".value"));
      t = s.inner;
    }
    cached = v;
    return v;
  };
  return { ty, place, value, expr: x.receiver };
}

function receiverArg(b: Body, x: A.MethodCallExpr, recv: Receiver, f: FnDef): E {
  switch (f.selfMode) {
    case "ref":
      return shallowDeref(recv.value(), recv.ty);
    case "refMut":
      // A trait object is passed whole: the call makes the `MutRef` over its value (emit/dyn.ts).
      if (isDynTy(recv.ty)) return recv.value();
      // A generic `&mut Self` (a trait's default method) is a MutRef even for in-place types.
      if (reprOf(recv.ty) === "inplace" && !(f.owner?.kind === "trait" && !hasImplFor(b, x, f))) return shallowDeref(recv.value(), recv.ty);
      if (reprOf(recv.ty) === "inplace") return placeAccessor(b, recv.place());
      return recv.place().mutRef();
    default:
      return copyIfShared(b, x.receiver, shallowDeref(recv.value(), recv.ty));
  }
}

/** A receiver that is itself a reference the checker did not deref (auto-ref of `&T` on `&self`). */
function shallowDeref(v: E, t: Ty): E {
  const s = shallow(t);
  if (s.k === "ref" && isBoxedMutRef(s)) return e(frag(null, primary(v), ".value"));
  return v;
}

/** Does the receiver's type implement the trait method itself (so it takes its own receiver form)? */
function hasImplFor(b: Body, x: A.MethodCallExpr, f: FnDef): boolean {
  if (f.owner?.kind !== "trait") return true;
  return callOf(b, x)?.impl?.impl.methods.has(f.name) ?? false;
}

// ---------------------------------------------------------------------------
// ABI lowering (toolchain.md "Hardware calls lower to typed ABI stubs"):
//
// xdv_call(K, Q, job.ptr(), cap.raw())   abiXdvCall<MeasurementHandle>(K, Q, job, cap)
// syscall(SYS_LOG, message.ptr())        abiSyscall(SYS_LOG, message)
// fn host_now() -> u64                   function host_now(): u64 { return hostCall("host_now", false, [], $site); }
//
// The calls go to the `HybridAbi` the runner bound (see support/host-bridge.ts); their
// TypeScript result type is the DPL result type of the call.
function emitAbiCall(b: Body, x: A.CallExpr, kind: "xdv_call" | "syscall"): E {
  const args = emitOperands(b, x.args, true).map((a) => a.f);
  const t = shallow(b.typeOf(x));
  const okTy = t.k === "adt" && t.args[0] ? b.ts(t.args[0]) : "unknown";
  const errTy = t.k === "adt" && t.args[1] ? b.ts(t.args[1]) : "never";
  if (kind === "xdv_call") return e(frag(x.span, `${b.m.bridge("abiXdvCall")}<${okTy}, ${errTy}>(`, joinFrags(args, ", "), ")"));
  if (t.k !== "adt") return e(frag(x.span, `${b.m.bridge("abiSyscallRaw")}(`, joinFrags(args, ", "), ")"));
  return e(frag(x.span, `${b.m.bridge("abiSyscall")}<${errTy}>(`, joinFrags(args, ", "), ")"));
}

// ---------------------------------------------------------------------------
// Closures and functions used as values.
//
// A closure is an arrow function. JavaScript closures capture variables by reference,
// which is what a DPL closure that borrows its captures observes; a `move` closure copies
// its captures when it is created, so a later assignment to a captured variable outside
// does not show inside: those captures are passed through an immediately applied
// function (`((x) => () => x)(x)`).
export function emitClosure(b: Body, x: A.ClosureExpr): E {
  const t = shallow(b.typeOf(x));
  const paramTys: readonly Ty[] = t.k === "fn" ? t.params : x.params.map(() => ({ k: "any" }) as Ty);
  const retTy: Ty = t.k === "fn" ? t.ret : { k: "any" };
  const w = b.subWriter();
  const params: string[] = [];
  const destructure: { pattern: A.Pattern; name: string; ty: Ty }[] = [];
  x.params.forEach((p, i) => {
    const ty = paramTys[i] ?? ({ k: "any" } as Ty);
    const local = b.tables.bindings.get(p.pattern) ?? b.tables.bindings.get(p);
    if (local && isIrrefutableBinding(p.pattern)) {
      params.push(`${b.declare(local)}: ${b.ts(ty)}`);
    } else {
      const n = b.temp("p");
      params.push(`${n}: ${b.ts(ty)}`);
      destructure.push({ pattern: p.pattern, name: n, ty });
    }
  });
  const ret = retTy.k === "never" || retTy.k === "any" || retTy.k === "error" ? "" : `: ${b.ts(retTy)}`;
  const simple = destructure.length === 0 && !needsStmts(x.body) && x.body.kind !== "BlockExpr";
  let code: Frag;
  if (simple) {
    const body = b.inFrame({ retTy, fn: null }, () => emitOwned(b, x.body));
    const text = fragText(body.f);
    const wrapped = text.startsWith("{") ? frag(null, "(", body.f, ")") : body.prec <= Prec.Assign && body.prec !== Prec.Primary ? frag(null, "(", body.f, ")") : body.f;
    // A unit closure whose body is an assignment (`|c| c.name.push('?')` on a String) has a
    // value in JS: a statement body keeps it from being the closure's `void` result.
    const unitAssign = isUnitTy(retTy) && body.prec === Prec.Assign;
    code = unitAssign ? frag(x.span, `(${params.join(", ")})${ret} => { `, body.f, "; }") : frag(x.span, `(${params.join(", ")})${ret} => `, wrapped);
  } else {
    w.write(`(${params.join(", ")})${ret} => {`, x.span).newline();
    b.withWriter(w, () =>
      b.inFrame({ retTy, fn: null }, () => {
        w.indented(() => {
          for (const d of destructure) bindPattern(b, d.pattern, e(d.name), d.ty, "const");
          if (x.body.kind === "BlockExpr") emitInto(b, x.body, isUnitTy(retTy) ? { kind: "discard" } : RETURN);
          else emitInto(b, x.body, isUnitTy(retTy) ? { kind: "discard" } : RETURN);
        });
        w.write("}");
      }),
    );
    code = frag(x.span, w);
  }
  if (x.isMove) {
    const caps = (b.tables.closureCaptures.get(x) ?? []).filter((l: LocalDef) => l.mutable && b.hasLocal(l));
    if (caps.length > 0) {
      const names = caps.map((l) => b.nameOf(l));
      // A Copy value held in a mutable object is copied into the closure, as the move does.
      const args = caps.map((l, i) => (needsCopyOnRead(l.ty) ? `${b.m.rt("clone")}(${names[i]})` : names[i]!));
      return e(frag(x.span, `((${names.join(", ")}) => `, code, `)(${args.join(", ")})`));
    }
  }
  return e(code, Prec.Assign);
}

function isUnitTy(t: Ty): boolean {
  const s = shallow(t);
  return s.k === "tuple" && s.elems.length === 0;
}

/**
 * A named function used as a value (`.map(double)`, `sort_by(stable_order)`). A generic
 * one is wrapped so that its witnesses (see generics.ts) are supplied.
 */
export function fnValue(b: Body, x: A.PathExpr, f: FnDef, span: Span): E {
  if (!hasWitnesses(b.m.unit.model, f)) return e(frag(span, b.m.ref(f)));
  const sig = b.m.unit.model.signature(f);
  const res = callOf(b, x);
  const subst = res?.subst ?? NO_SUBST;
  const declared = [...(sig.selfTy ? [sig.selfTy] : []), ...sig.params.map((p) => p.ty)];
  const names = declared.map((_, i) => `a${i}`);
  // `Tally::default` as a value: the method of the impl `Self` names (or the derived one),
  // as a call `Tally::default()` would dispatch it.
  if (f.owner?.kind === "trait" && res?.selfTy) {
    const call = traitCall(b, span, f, f.owner, res, names.map((n) => e(n)), []);
    return e(frag(span, `(${names.join(", ")}) => `, call.f), Prec.Assign);
  }
  const args = names.map((n, i) => toGeneric(b, e(n), declared[i]!, subst).f);
  const call = fromGeneric(b, e(frag(null, `${b.m.ref(f)}(`, joinFrags([...args, ...witnessArgs(b.m, f, subst, b)], ", "), ")")), sig.ret, subst);
  return e(frag(span, `(${names.join(", ")}) => `, call.f), Prec.Assign);
}
