/**
 * DPL5001 (XDV-051 §5.2, XDV-052 §6): a function marked `@capability(required)`, and every
 * body that calls `xdv_call`, takes a capability parameter (`Capability<D, S>`,
 * `CapabilityHandle`, or a reference to one) and passes it explicitly: the capability
 * argument of `xdv_call` must be that parameter, or the raw id read from it
 * (`cap.raw()`, `cap.raw_id`). Authority is never ambient.
 *
 * Forged capabilities (DPL5002) and capability domain mismatches (DPL5003) are reported
 * while typing: struct literals and casts (check-call.ts, check-ops.ts), coercions
 * (infer.ts), and the `xdv_call`/`syscall` intrinsics, which are typed here (second part).
 */
import { perBody, type ByBody } from "./rules.js";
import { raise } from "../diagnostics/messages/message.js";
import { Capabilities } from "../diagnostics/messages/capabilities.js";
import { Arity } from "../diagnostics/messages/arity.js";
import { TypeMismatch } from "../diagnostics/messages/type-mismatch.js";
import type * as A from "../syntax/ast.js";
import type { Domain, FnDef, LocalDef } from "./defs.js";
import type { Sema } from "./context.js";
import type { BodyInfo, Tables } from "./tables.js";
import type { BodyChecker } from "./checker.js";
import { fnSig } from "./lower.js";
import { checkExpect, checkExpr } from "./check-expr.js";
import { domainFromName } from "./annotations.js";
import { errorCodeTy, resultOf } from "./intrinsics.js";
import { ERROR, U64, fnTy, isInt, isQuiet, printTy, shallow, zonk, type Ty } from "./types.js";
import { addParamEdit } from "./fixes.js";
import { replace, type Suggestion } from "../diagnostics/suggestion.js";

function isCapabilityType(t: Ty): boolean {
  let s = shallow(t);
  while (s.k === "ref") s = shallow(s.inner);
  return s.k === "adt" && (s.def.name === "Capability" || s.def.name === "CapabilityHandle");
}

function capabilityParams(params: readonly LocalDef[]): LocalDef[] {
  return params.filter((l) => isCapabilityType(l.ty));
}

/** Is this `xdv_call` capability argument one of the function's capability parameters (or its raw id)? */
function derivesFrom(s: Sema, e: A.Expr, caps: readonly LocalDef[], depth = 0): boolean {
  let x = e;
  for (;;) {
    if (x.kind === "ParenExpr") x = x.inner;
    else if (x.kind === "RefExpr") x = x.operand;
    else if (x.kind === "UnaryExpr" && x.op === "*") x = x.operand;
    else if (x.kind === "MethodCallExpr" && (x.method.name === "raw" || x.method.name === "clone") && x.args.length === 0) x = x.receiver;
    else if (x.kind === "FieldExpr" && x.field.name === "raw_id") x = x.object;
    else break;
  }
  if (x.kind !== "PathExpr") return false;
  const r = s.tables.valueRes.get(x);
  if (r?.kind !== "local") return false;
  if (caps.includes(r.def)) return true;
  // `let id = cap.raw(); xdv_call(K, Q, p, id)`: follow plain `let` bindings.
  const init = s.tables.letInits.get(r.def);
  return init !== undefined && depth < 8 && derivesFrom(s, init, caps, depth + 1);
}

/**
 * `cache`: the `xdv_call` verdicts of bodies typed before, replayed (rules.ts,
 * `RuleCache`); a call's verdict reads its function's parameters and `let`s only.
 */
export function checkCapabilities(s: Sema, cache?: ByBody): void {
  const t = s.tables;
  // Declarations too: a bodiless `@capability(required)` function must declare the parameter.
  for (const d of t.itemDefs.values()) {
    if (d.kind !== "fn" || !d.ann.capabilityRequired) continue;
    if (fnSig(s, d).params.some((p) => isCapabilityType(p.ty))) continue;
    raise(s.report, d.nameSpan, Capabilities.requiredButNone(d.name), { suggestions: capabilityParamFix(d.ast, null) });
  }
  const callsOf = xdvCallsByFn(t.abiCalls);
  const judged = judgeCallingBodies(s, t.bodies, callsOf, cache);
  // A call in a function without a typed body of its own has no parameters to take a capability from.
  for (const b of judged) callsOf.delete(b.fn!);
  for (const calls of callsOf.values()) checkXdvCalls(s, calls, []);
}

type AbiCall = Tables["abiCalls"][number];

function xdvCallsByFn(calls: readonly AbiCall[]): Map<FnDef, AbiCall[]> {
  const callsOf = new Map<FnDef, AbiCall[]>();
  for (const call of calls) {
    if (call.kind !== "xdv_call" || !call.fn) continue;
    let l = callsOf.get(call.fn);
    if (!l) callsOf.set(call.fn, (l = []));
    l.push(call);
  }
  return callsOf;
}

/**
 * The `xdv_call` verdicts of `bodies` alone, recorded in `cache` (`judgeBodiesNow`,
 * rules.ts): the calls made since `callsFrom` in `tables.abiCalls` are theirs.
 */
export function checkBodiesCapabilities(s: Sema, bodies: readonly BodyInfo[], callsFrom: number, cache: ByBody): void {
  judgeCallingBodies(s, bodies, xdvCallsByFn(s.tables.abiCalls.slice(callsFrom)), cache);
}

/** Judge the `xdv_call`s of each of `bodies` that makes some (`callsOf`) against its parameters; those bodies. */
function judgeCallingBodies(s: Sema, bodies: readonly BodyInfo[], callsOf: ReadonlyMap<FnDef, readonly AbiCall[]>, cache: ByBody | undefined): BodyInfo[] {
  if (callsOf.size === 0) return [];
  const calling = bodies.filter((b) => b.fn !== null && callsOf.has(b.fn));
  perBody(s, calling, cache, (b) => checkXdvCalls(s, callsOf.get(b.fn!)!, b.params));
  return calling;
}

function checkXdvCalls(s: Sema, calls: readonly AbiCall[], params: readonly LocalDef[]): void {
  for (const call of calls) {
    const f = call.fn!;
    const caps = capabilityParams(params);
    const arg = call.call.args[3];
    if (caps.length === 0) {
      raise(s.report, arg?.span ?? call.call.span, Capabilities.xdvCallWithoutCapability(f.name), { related: [{ span: f.nameSpan, message: Capabilities.declaredHere(f.name) }], suggestions: capabilityParamFix(f.ast, arg ?? null) });
      continue;
    }
    if (arg && !derivesFrom(s, arg, caps)) {
      raise(s.report, arg.span, Capabilities.notFromParameter(caps[0]!.name), {
        related: caps.map((l) => ({ span: l.span, message: Capabilities.parameterLabel(l.name) })),
        suggestions: [{ message: `pass \`${caps[0]!.name}.raw()\``, edits: [replace(arg.span, `${caps[0]!.name}.raw()`)], applicability: "maybe-incorrect" }],
      });
    }
  }
}


// ---------------------------------------------------------------------------
// The ABI intrinsics (XDV-052 §3.2, §5): `xdv_call(source, target, descriptor.ptr(),
// cap.raw())` returns a K-domain structured result `Result<_, ErrorCode>` whose `Ok` type
// is whatever the context asks for (XDV-081's `submit_q_job` asks for `MeasurementHandle`);
// `syscall(SYS_X, args.ptr())` returns the `u64` of XDV-052 §3.2, or
// `Result<u64, ErrorCode>` where the context expects a `Result`.
//
// An `xdv_call` whose target differs from the statically known domain of its capability
// is DPL5003. Whether the capability is a parameter (DPL5001) is checked once the whole
// body is typed (`checkCapabilities` above).

export function checkAbiCall(c: BodyChecker, e: A.CallExpr, f: FnDef, expected: Ty | null): Ty {
  const kind = f.intrinsic === "syscall" ? "syscall" : "xdv_call";
  const tables = c.s.tables;
  const callee = e.callee as A.PathExpr;
  tables.valueRes.set(callee, { kind: "intrinsic", name: kind });
  tables.abiCalls.push({ call: e, kind, fn: c.fn });
  if (c.fn) tables.calls.push({ caller: c.fn, callee: f, span: e.span, node: e });
  // XDV-052 §3.2 gives `syscall` a plain `K<u64>` result; where the context asks for a
  // `Result` it is the structured form `Result<u64, ErrorCode>` (the ABI's own shape).
  const okHint = expected ? resultOkHint(expected) : null;
  const ret = kind === "xdv_call" ? resultOf(c.ictx, okHint ?? c.fresh(), errorCodeTy(c.ictx)) : okHint ? resultOf(c.ictx, U64, errorCodeTy(c.ictx)) : U64;
  const arity = kind === "xdv_call" ? 4 : 2;
  if (e.args.length !== arity) {
    c.raise(e.span, kind === "xdv_call" ? Arity.xdvCallArguments(e.args.length) : Arity.syscallArguments(e.args.length));
  }
  const argTys = e.args.map((a, i) => {
    if (kind === "syscall" && i === 0) return checkExpect(c, a, U64, { site: "arg" });
    return checkExpr(c, a);
  });
  c.record(callee, fnTy(argTys, ret));
  if (kind === "xdv_call") {
    e.args.forEach((a, i) => {
      const t = argTys[i]!;
      if (i <= 1) expectDomainTag(c, a, t);
      else if (i === 2) expectPointer(c, a, t, "a descriptor pointer (`descriptor.ptr()`)");
      else if (i === 3) expectCapabilityId(c, a, t);
    });
    checkCapabilityDomain(c, e);
  } else if (e.args[1]) expectPointer(c, e.args[1], argTys[1]!, "an argument pointer (`args.ptr()`)");
  return ret;
}

function resultOkHint(expected: Ty): Ty | null {
  const s = shallow(expected);
  if (s.k === "adt" && s.def.kind === "enum" && s.def.name === "Result" && s.def.module.isPrelude) return s.args[0] ?? null;
  return null;
}

function expectDomainTag(c: BodyChecker, a: A.Expr, t: Ty): void {
  const s = shallow(t);
  if (isQuiet(s)) return;
  if (s.k === "adt" && s.def.kind === "enum" && s.def.name === "DomainTag") return;
  c.raise(a.span, TypeMismatch.expectedDomain(printTy(zonk(t))));
}

function expectPointer(c: BodyChecker, a: A.Expr, t: Ty, what: string): void {
  const s = shallow(t);
  if (isQuiet(s)) return;
  if (s.k === "adt" && s.def.name === "Ptr") return;
  if (isInt(s) || (s.k === "var" && s.v.kind === "int")) {
    if (s.k === "var") c.inf.unify(s, U64);
    return;
  }
  c.raise(a.span, TypeMismatch.expectedOperand(what, printTy(zonk(t))));
}

function expectCapabilityId(c: BodyChecker, a: A.Expr, t: Ty): void {
  let s = shallow(t);
  if (isQuiet(s)) return;
  if (isInt(s) || (s.k === "var" && s.v.kind === "int")) {
    if (s.k === "var") c.inf.unify(s, U64);
    return;
  }
  while (s.k === "ref") s = shallow(s.inner);
  if (s.k === "adt" && (s.def.name === "Capability" || s.def.name === "CapabilityHandle")) return;
  c.raise(a.span, TypeMismatch.expectedCapabilityId(printTy(zonk(t))));
}

/** The domain a `DomainTag` expression names, when it is written as a constant. */
function staticDomain(c: BodyChecker, e: A.Expr): Domain | null {
  if (e.kind === "ParenExpr") return staticDomain(c, e.inner);
  if (e.kind !== "PathExpr") return null;
  const r = c.s.tables.valueRes.get(e);
  if (!r) return null;
  if (r.kind === "const" && r.def.module.isPrelude) return domainFromName(r.def.name);
  if (r.kind === "variant" && r.def.enumDef.name === "DomainTag") return domainFromName(r.def.name);
  return null;
}

/** The domain a capability expression is statically known to grant (`Capability<Q, _>`). */
function capabilityDomain(c: BodyChecker, e: A.Expr): Domain | null {
  let x = e;
  while (x.kind === "ParenExpr" || x.kind === "RefExpr") x = x.kind === "ParenExpr" ? x.inner : x.operand;
  if (x.kind === "MethodCallExpr" && x.method.name === "raw") x = x.receiver;
  let t = shallow(c.typeOf(x));
  while (t.k === "ref") t = shallow(t.inner);
  if (t.k !== "adt" || t.def.name !== "Capability") return null;
  const d = shallow(t.args[0] ?? ERROR);
  return d.k === "marker" ? d.domain : null;
}

function checkCapabilityDomain(c: BodyChecker, e: A.CallExpr): void {
  const target = e.args[1];
  const cap = e.args[3];
  if (!target || !cap) return;
  const td = staticDomain(c, target);
  const cd = capabilityDomain(c, cap);
  if (!td || !cd || td === cd) return;
  c.raise(cap.span, Capabilities.domainMismatch(cd, td), { related: [{ span: target.span, message: Capabilities.targetsHere(td) }] });
}

/** Add `cap: CapabilityHandle` to the function, and pass `cap.raw()` where `arg` stood. */
function capabilityParamFix(ast: A.Item | null | undefined, arg: A.Expr | null): Suggestion[] {
  if (!ast || ast.kind !== "FnItem") return [];
  const param = addParamEdit(ast, "cap: CapabilityHandle");
  if (!param) return [];
  const edits = arg ? [param, replace(arg.span, "cap.raw()")] : [param];
  return [{ message: "add the parameter `cap: CapabilityHandle`", edits, applicability: "maybe-incorrect" }];
}
