/**
 * Items: structs and enums (a TypeScript type, constructors and a runtime descriptor),
 * functions and methods, constants and statics, and host-bound stubs.
 *
 *   struct Point { x: f64, y: f64 }    export interface Point { x: f64; y: f64; }
 *                                      export const Point$ty: Ty = T.struct("Point", ...);
 *   enum Shape { Circle(f64), Empty }  export type Shape = { readonly $tag: "Circle"; readonly _0: f64 } | ...;
 *                                      export const Shape = { Circle: (_0: f64): Shape => ..., Empty: ... };
 *   static mut N: u64 = 0;             export const N: MutRef<u64> = { value: 0n };
 */
import { cloneHook } from "./clone-impls.js";
import { jsString, shorthandOk, blockCommentLine, identifier } from "./escape.js";
import type * as A from "../syntax/ast.js";
import type { ConstDef, EnumDef, FieldDef, FnDef, GenericParamDef, ImplDef, LocalDef, StructDef, TraitDef } from "../semantic/defs.js";
import { shallow, zonk, type Ty } from "../semantic/types.js";
import { Body, DISCARD, RETURN, needsStmts } from "./body.js";
import type { ModuleCtx } from "./module-ctx.js";
import { type TracedWriter, e, fragText } from "./writer.js";
import { fieldName, tupleField, tsName, type NameScope } from "./names.js";
import { tsType, typeParamList, descriptorParamName, tyDescriptor } from "./ts-types.js";
import { isUnitTy, needsCopyOnRead, runtimeEnumName, isNever } from "./repr.js";
import { emitBlockBody } from "./control.js";
import { emitOwned } from "./exprs.js";
import { bindPattern, isIrrefutableBinding } from "./patterns.js";
import { isHostBound } from "#runtime/host-bridge.js";
import { ownerGenerics } from "./calls.js";
import { witnessesOf, isDispatchTrait, boundClosure, dictFor } from "./generics.js";
import { declareShadow, indexedLocals } from "./index-math.js";
import { hybridPlan } from "./hybrid-locals.js";

function docs(w: TracedWriter, lines: readonly string[]): void {
  if (lines.length === 0) return;
  w.writeLine("/**");
  for (const l of lines) w.writeLine(` *${l.length > 0 && !l.startsWith(" ") ? " " : ""}${blockCommentLine(l)}`);
  w.writeLine(" */");
}

// ---------------------------------------------------------------------------
// Structs

export function emitStruct(m: ModuleCtx, w: TracedWriter, d: StructDef): void {
  const name = m.ref(d);
  const tparams = typeParamList(d.generics, m);
  const fields = d.shape === "opaque" ? [] : m.unit.model.structFields(d);
  w.blankLine();
  docs(w, d.docs);
  const domain = d.ann.domain === "Q" ? "Q" : d.ann.domain === "Φ" ? "Phi" : null;
  const ext = domain ? ` extends ${m.rt(domain)}<${jsString(d.name)}>` : "";
  if (d.shape === "opaque") {
    // An opaque type: its values come from the host; DPL code only passes them around.
    w.writeLine(`export interface ${name}${tparams}${ext} {`, d.nameSpan);
    w.indented(() => w.writeLine(`readonly $opaque: ${jsString(d.name)};`));
    w.writeLine("}");
  } else {
    w.writeLine(`export interface ${name}${tparams}${ext} {`, d.nameSpan);
    w.indented(() => {
      for (const f of fields) w.writeLine(`${fieldKey(d.shape, f)}: ${tsType(f.ty, m)};`, f.span);
    });
    w.writeLine("}");
  }
  emitDescriptor(m, w, d, domain !== null ? `${m.rt("T")}.opaque(${jsString(d.ann.domain!)}, ${jsString(d.name)})` : null, () => shapeOf(m, d.shape, fields, d.generics));
}

function fieldKey(shape: string, f: FieldDef): string {
  return shape === "tuple" ? tupleField(f.index) : fieldName(f.name);
}

function shapeOf(m: ModuleCtx, shape: string, fields: readonly FieldDef[], generics: readonly GenericParamDef[]): string {
  const scope = { descriptorOf: (g: GenericParamDef) => (generics.includes(g) ? descriptorParamName(g) : null) };
  if (shape === "unit" || shape === "opaque" || fields.length === 0) return "null";
  if (shape === "tuple") return `[${fields.map((f) => fragText(tyDescriptor(m, f.ty, scope))).join(", ")}]`;
  return `{ ${fields.map((f) => `${fieldName(f.name)}: ${fragText(tyDescriptor(m, f.ty, scope))}`).join(", ")} }`;
}

/** `Name$ty`: a constant, or a function of the type arguments' descriptors for a generic type. */
function emitDescriptor(m: ModuleCtx, w: TracedWriter, d: StructDef | EnumDef, fixed: string | null, shape: () => string): void {
  const name = m.ref(d);
  const T = m.rt("T");
  const Ty = m.rt("Ty");
  const kind = d.kind === "struct" ? "struct" : "enum";
  const display = displayHook(m, d);
  const collection = collectionDebug(d);
  const clone = cloneHook(m, d);
  const hooks = clone ? `, ${display ?? "undefined"}, ${clone}` : display ? `, ${display}` : "";
  const make =
    fixed ??
    (collection !== null && !clone
      ? `${T}.collection(${jsString(d.name)}, ${jsString(collection)}, () => (${shape()}))`
      : `${T}.${kind}(${jsString(d.name)}, () => (${shape()})${hooks})`);
  if (d.generics.length === 0) {
    w.writeLine(`export const ${name}$ty: ${Ty} = ${make};`);
    return;
  }
  const params = d.generics.map((g) => `${descriptorParamName(g)}: ${Ty}`).join(", ");
  w.writeLine(`export function ${name}$ty(${params}): ${Ty} {`);
  w.indented(() => w.writeLine(`return ${make};`));
  w.writeLine("}");
}

/** std's collections (stdlib/std/collections.ds) print under `{:?}` as Rust's do: `{k: v}`, `{a}`, `[a]`. */
const STD_COLLECTIONS: ReadonlyMap<string, "map" | "set" | "list"> = new Map([
  ["HashMap", "map"],
  ["BTreeMap", "map"],
  ["HashSet", "set"],
  ["BTreeSet", "set"],
  ["VecDeque", "list"],
] as const);

function collectionDebug(d: StructDef | EnumDef): "map" | "set" | "list" | null {
  if (d.kind !== "struct" || !d.module.isStdlib || d.module.path.join("::") !== "std::collections") return null;
  return STD_COLLECTIONS.get(d.name) ?? null;
}

/**
 * `{}` of a type with an `impl Display` (the prelude's trait, which `std::fmt::Display`
 * names): its `fmt` writes into a fresh `Formatter`. Generic types print with `{}` only
 * through a non-generic impl's `fmt` for now.
 */
function displayHook(m: ModuleCtx, d: StructDef | EnumDef): string | null {
  if (d.generics.length > 0) return null;
  for (const impl of m.unit.model.implsOfDef(d, m.unit.root)) {
    const t = impl.trait?.trait;
    if (!t || t.name !== "Display" || !t.module.isPrelude || impl.generics.length > 0) continue;
    const f = impl.methods.get("fmt");
    if (!f || f.generics.length > 0) continue;
    return `(v: ${m.ref(d)}) => ${m.rt("displayVia")}((f) => ${m.ref(f)}(v, f as never))`;
  }
  return null;
}

// ---------------------------------------------------------------------------
// Enums

export function emitEnum(m: ModuleCtx, w: TracedWriter, d: EnumDef): void {
  if (runtimeEnumName(d)) return;
  const name = m.ref(d);
  const tparams = typeParamList(d.generics, m);
  const model = m.unit.model;
  w.blankLine();
  docs(w, d.docs);
  w.writeLine(`export type ${name}${tparams} =`, d.nameSpan);
  w.indented(() => {
    d.variants.forEach((v, i) => {
      const fields = model.variantFields(v);
      const props = [`readonly $tag: ${jsString(v.name)}`, ...fields.map((f) => `readonly ${fieldKey(v.shape, f)}: ${tsType(f.ty, m)}`)];
      w.writeLine(`| { ${props.join("; ")} }${i === d.variants.length - 1 ? ";" : ""}`, v.nameSpan);
    });
    if (d.variants.length === 0) w.writeLine("never;");
  });
  // Constructors: `Shape.Circle(r)`, and frozen singletons for unit variants.
  const self = `${name}${d.generics.length > 0 ? `<${d.generics.map((g) => m.param(g)).join(", ")}>` : ""}`;
  const never = `${name}${d.generics.length > 0 ? `<${d.generics.map(() => "never").join(", ")}>` : ""}`;
  w.writeLine(`export const ${name} = {`);
  w.indented(() => {
    for (const v of d.variants) {
      const fields = model.variantFields(v);
      if (v.shape === "unit") {
        w.writeLine(`${fieldName(v.name)}: Object.freeze({ $tag: ${jsString(v.name)} }) as ${never},`);
        continue;
      }
      const ps = fields.map((f, i) => `${v.shape === "tuple" ? `_${i}` : safeParam(f.name)}: ${tsType(f.ty, m)}`);
      const props = fields.map((f, i) => (v.shape === "tuple" ? `_${i}` : shorthandOk(fieldName(f.name), safeParam(f.name)) ? fieldName(f.name) : `${fieldName(f.name)}: ${safeParam(f.name)}`));
      w.writeLine(`${fieldName(v.name)}: ${tparams}(${ps.join(", ")}): ${self} => ({ $tag: ${jsString(v.name)}${props.map((p) => `, ${p}`).join("")} }),`);
    }
  });
  w.writeLine("};");
  emitDescriptor(m, w, d, d.ann.domain === "Q" || d.ann.domain === "Φ" ? `${m.rt("T")}.opaque(${jsString(d.ann.domain)}, ${jsString(d.name)})` : null, () => {
    const scope = { descriptorOf: (g: GenericParamDef) => (d.generics.includes(g) ? descriptorParamName(g) : null) };
    const parts = d.variants.map((v) => {
      const fields = model.variantFields(v);
      const shape = v.shape === "unit" ? "null" : v.shape === "tuple" ? `[${fields.map((f) => fragText(tyDescriptor(m, f.ty, scope))).join(", ")}]` : `{ ${fields.map((f) => `${fieldName(f.name)}: ${fragText(tyDescriptor(m, f.ty, scope))}`).join(", ")} }`;
      return `${fieldName(v.name)}: ${shape}`;
    });
    return `{ ${parts.join(", ")} }`;
  });
  if (d.variants.length > 0 && d.variants.every((v) => v.shape === "unit")) emitDiscriminants(w, d, name);
}

function safeParam(n: string): string {
  // `$` never occurs in a DPL name: `$function` cannot clash with another field's parameter.
  return tsName(n) === n ? n : identifier(`$${n}`);
}

/** `E::X as u64` for a C-like enum: the declared (or implicit) discriminants. */
function emitDiscriminants(w: TracedWriter, d: EnumDef, name: string): void {
  let next = 0n;
  const entries: string[] = [];
  for (const v of d.variants) {
    const lit = literalValue(v.ast.discriminant);
    const value = lit ?? next;
    entries.push(`${fieldName(v.name)}: ${value}n`);
    next = value + 1n;
  }
  w.writeLine(`export function ${name}$discriminant(v: ${name}): bigint {`);
  w.indented(() => w.writeLine(`return ({ ${entries.join(", ")} } as const)[v.$tag];`));
  w.writeLine("}");
}

function literalValue(x: A.Expr | null): bigint | null {
  if (!x) return null;
  if (x.kind === "IntLit") return x.value;
  if (x.kind === "UnaryExpr" && x.op === "-" && x.operand.kind === "IntLit") return -x.operand.value;
  if (x.kind === "ParenExpr") return literalValue(x.inner);
  return null;
}

// ---------------------------------------------------------------------------
// Functions

/** Generic parameters a function's TypeScript signature declares (the impl's, or `Self`, first). */
function tsGenerics(f: FnDef): GenericParamDef[] {
  return ownerGenerics(f);
}

export function emitFn(m: ModuleCtx, w: TracedWriter, f: FnDef, moduleNames: NameScope): void {
  const ast = f.ast;
  if (!ast) return;
  const sig = m.unit.model.signature(f);
  const name = m.ref(f);
  const gens = tsGenerics(f);
  const tparams = gens.length > 0 ? `<${gens.map((g) => m.param(g)).join(", ")}>` : "";
  const ret = isUnitTy(sig.ret) ? "void" : isNever(sig.ret) ? "never" : tsType(sig.ret, m);
  const body = new Body(m, m.unit.tables, w, f, sig.ret, moduleNames.child());
  const witnesses = witnessesOf(m.unit.model, f);
  for (const g of gens) body.descriptorParams.set(g, null);
  for (const wt of witnesses) {
    if (wt.kind === "ty") body.descriptorParams.set(wt.g, wt.name);
    else {
      let map = body.dictParams.get(wt.g);
      if (!map) body.dictParams.set(wt.g, (map = new Map()));
      map.set(wt.trait, wt.name);
    }
    body.names.reserve(wt.name);
  }
  const params: string[] = [];
  const destructure: { pattern: A.Pattern; name: string; ty: Ty }[] = [];
  const copies: string[] = [];
  if (ast.selfParam && sig.selfTy) {
    const l = m.unit.tables.bindings.get(ast.selfParam);
    const n = l ? body.declare(l) : "self";
    params.push(`${n}: ${tsType(sig.selfTy, m)}`);
    if (l?.mutable && needsCopyOnRead(sig.selfTy)) copies.push(n);
  }
  ast.params.forEach((p, i) => {
    const ty = zonk(sig.params[i]?.ty ?? { k: "any" });
    const l = m.unit.tables.bindings.get(p.pattern);
    if (!l && ast.body.kind !== "block" && p.pattern.kind === "BindingPattern") {
      // A host-bound function's parameters were never bound by a checked body: keep their names.
      params.push(`${body.names.fresh(p.pattern.name.name)}: ${tsType(ty, m)}`);
      return;
    }
    if (l && isIrrefutableBinding(p.pattern)) {
      const n = body.declare(l);
      params.push(`${n}: ${tsType(ty, m)}`);
      if (l.mutable && needsCopyOnRead(ty)) copies.push(n);
    } else {
      const n = body.temp("p");
      params.push(`${n}: ${tsType(ty, m)}`);
      destructure.push({ pattern: p.pattern, name: n, ty });
    }
  });
  for (const wt of witnesses) params.push(wt.kind === "ty" ? `${wt.name}: ${m.rt("Ty")}` : `${wt.name}: ${m.dictType(wt.trait)}<${m.param(wt.g)}>`);
  w.blankLine();
  docs(w, f.docs);
  w.write(`export function ${name}${tparams}(${params.join(", ")}): ${ret} {`, ast.name.span).newline();
  w.indented(() => {
    if (ast.body.kind !== "block") {
      emitHostStub(m, w, f, sig.ret, params.slice(0, params.length - witnesses.length).map((p) => p.slice(0, p.indexOf(":"))), ast);
      return;
    }
    // A call is a step of the run's fuel, as a loop iteration is: recursion is bounded too.
    w.writeLine(`${m.rt("step")}();`, ast.name.span);
    for (const c of copies) w.writeLine(`${c} = ${m.rt("clone")}(${c});`);
    body.wantsShadow = indexedLocals(body, ast.body.block, ast.span);
    body.hybrid = hybridPlan(body, ast.body.block, ast.span);
    for (const l of paramLocals(m, ast)) if (body.hasLocal(l)) declareShadow(body, l, body.nameOf(l));
    for (const d of destructure) bindPattern(body, d.pattern, e(d.name), d.ty, "const");
    emitBlockBody(body, ast.body.block, isUnitTy(sig.ret) ? DISCARD : RETURN);
  });
  w.writeLine("}");
  emitMainErrorDescriptor(m, w, f, sig.ret);
}

/**
 * `fn main() -> Result<(), E>`: Rust prints `Error: {:?}` of an `Err` and exits with 1.
 * The runner needs `E`'s descriptor to print it as Rust would, so the module exports it.
 */
function emitMainErrorDescriptor(m: ModuleCtx, w: TracedWriter, f: FnDef, ret: Ty): void {
  if (f.name !== "main" || f.owner || m.unit.isStdlib || m.unit.root.parent !== null || f.module !== m.unit.root) return;
  const r = shallow(ret);
  if (r.k !== "adt" || r.def.kind !== "enum" || r.def.name !== "Result" || !r.def.module.isPrelude || !r.args[1]) return;
  w.writeLine(`/** What \`main\` can fail with, for the runner's \`Error: ...\` report. */`);
  w.writeLine(`export const main$error$ty: ${m.rt("Ty")} = ${fragText(tyDescriptor(m, r.args[1], null))};`);
}

/** A bodiless function: a call to its host implementation through the ABI bridge. */
function emitHostStub(m: ModuleCtx, w: TracedWriter, f: FnDef, ret: Ty, params: string[], ast: A.FnItem): void {
  const s = shallow(ret);
  const returnsResult = s.k === "adt" && s.def.kind === "enum" && s.def.name === "Result" && s.def.module.isPrelude;
  if (!isHostBound(f.name)) m.unboundHost.push({ name: f.name, span: ast.name.span, fn: f });
  const call = `${m.bridge("hostCall")}<${isUnitTy(ret) ? "void" : tsType(ret, m)}>(${jsString(f.name)}, ${returnsResult}, [${params.join(", ")}], ${m.site(ast.name.span, f.name)})`;
  w.writeLine(isUnitTy(ret) ? `${call};` : `return ${call};`);
}

function paramLocals(m: ModuleCtx, ast: A.FnItem): LocalDef[] {
  const out: LocalDef[] = [];
  for (const p of ast.params) {
    const l = m.unit.tables.bindings.get(p.pattern);
    if (l) out.push(l);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Constants and statics

export function emitConst(m: ModuleCtx, w: TracedWriter, c: ConstDef, moduleNames: NameScope): void {
  const name = m.ref(c);
  const ty = m.unit.model.constType(c);
  const init = c.ast.value;
  w.blankLine();
  docs(w, c.docs);
  const tsTy = tsType(ty, m);
  const declTy = c.storage === "static mut" ? `${m.rt("MutRef")}<${tsTy}>` : tsTy;
  if (!init) {
    w.writeLine(`export declare const ${name}: ${declTy};`, c.nameSpan);
    return;
  }
  const body = new Body(m, m.unit.tables, w, null, ty, moduleNames.child());
  const wrap = (v: string): string => (c.storage === "static mut" ? `{ value: ${v} }` : v);
  if (needsStmts(init)) {
    // An initializer with statements runs once, in a function of its own.
    w.write(`export const ${name}: ${declTy} = ${c.storage === "static mut" ? "{ value: " : ""}(() => {`, c.nameSpan).newline();
    w.indented(() => emitBlockBody(body, { kind: "Block", stmts: [], tail: init, span: init.span }, RETURN));
    w.writeLine(`})()${c.storage === "static mut" ? " }" : ""};`);
    return;
  }
  const sub = body.subWriter();
  const v = body.withWriter(sub, () => emitOwned(body, init));
  w.write(`export const ${name}: ${declTy} = `, c.nameSpan);
  if (sub.toString().length > 0) w.append(sub);
  w.writeFrag(wrap("") === "{ value:  }" ? { span: null, parts: ["{ value: ", v.f, " }"] } : v.f).writeLine(";");
}

// ---------------------------------------------------------------------------
// Traits and their dictionaries

/** `Shape$dict<Self>`: the methods of a trait as a dictionary generic code receives. */
export function emitTraitDict(m: ModuleCtx, w: TracedWriter, t: TraitDef): void {
  if (!isDispatchTrait(t)) return;
  const gens = [t.selfParam, ...t.generics].map((g) => m.param(g)).join(", ");
  w.blankLine();
  w.writeLine(`/** The methods of \`${t.name}\`, passed to generic code that calls them. */`);
  w.writeLine(`export interface ${m.dictType(t)}<${gens}> {`, t.nameSpan);
  w.indented(() => {
    for (const f of t.methods.values()) w.writeLine(`${fieldName(f.name)}(${dictParams(m, f).join(", ")}): ${retText(m, f)};`);
  });
  w.writeLine("}");
}

function retText(m: ModuleCtx, f: FnDef): string {
  const sig = m.unit.model.signature(f);
  return isUnitTy(sig.ret) ? "void" : isNever(sig.ret) ? "never" : tsType(sig.ret, m);
}

/** Parameters of a trait method as the dictionary declares them (the receiver first). */
function dictParams(m: ModuleCtx, f: FnDef): string[] {
  const sig = m.unit.model.signature(f);
  const out: string[] = [];
  if (sig.selfTy) out.push(`self: ${tsType(sig.selfTy, m)}`);
  sig.params.forEach((p, i) => out.push(`a${i}: ${tsType(p.ty, m)}`));
  return out;
}

/**
 * `Circle$Shape`: an impl's dictionary, its own methods and the trait's defaults bound to
 * it. A receiver the dictionary gets as a `MutRef` (generic code's `&mut Self`) is passed
 * on as the object when the impl's type is mutated in place.
 */
export function emitImplDict(m: ModuleCtx, w: TracedWriter, impl: ImplDef): void {
  const tr = impl.trait;
  if (!tr || !isDispatchTrait(tr.trait) || !m.symbols.dict(impl)) return;
  const model = m.unit.model;
  const name = m.dictRef(impl);
  const selfTy = impl.selfTy ?? { k: "error" };
  const selfTs = tsType(selfTy, m);
  const dictTy = `${m.dictType(tr.trait)}<${[selfTs, ...tr.args.map((a) => tsType(a, m))].join(", ")}>`;
  const implWitness: string[] = [];
  for (const g of impl.generics) implWitness.push(`$ty_${g.name}: ${m.rt("Ty")}`);
  for (const g of impl.generics) for (const t of boundClosure(model, g)) if (isDispatchTrait(t)) implWitness.push(`$dict_${g.name}_${t.name}: ${m.dictType(t)}<${m.param(g)}>`);
  const implArgNames = implWitness.map((p) => p.slice(0, p.indexOf(":")));
  const entries: string[] = [];
  for (const f of tr.trait.methods.values()) {
    const own = impl.methods.get(f.name);
    const target = own ?? f;
    const sig = m.unit.model.signature(f);
    const params = dictParams(m, f).map((p) => p.replace(/: .*$/, ""));
    const types = dictParams(m, f).map((p) => p.slice(p.indexOf(":") + 2).replace(/\bSelf\b/g, selfTs));
    const args = params.map((p, i) => {
      if (i === 0 && sig.selfTy) {
        const st = shallow(sig.selfTy);
        // The dictionary's `&mut self` is a MutRef; an in-place impl type takes the object.
        if (st.k === "ref" && st.mut && own && needsObject(selfTy)) return `${p}.value`;
      }
      return p;
    });
    const witnessArgsText = own ? implArgNames : [`${selfDescriptor(m, selfTy)}`, ...dictArgsForDefault(m, f, tr.trait, selfTy, name, implArgNames)];
    const call = `${m.ref(target)}(${[...args, ...witnessArgsText].join(", ")})`;
    const typed = params.map((p, i) => `${p}: ${types[i]}`).join(", ");
    entries.push(`${fieldName(f.name)}: (${typed}) => ${call},`);
  }
  w.blankLine();
  w.writeLine(`/** \`impl ${tr.trait.name} for ${headLabel(selfTy)}\` as a dictionary. */`);
  if (impl.generics.length === 0) {
    w.writeLine(`export const ${name}: ${dictTy} = {`, impl.ast.span);
    w.indented(() => entries.forEach((e) => w.writeLine(e)));
    w.writeLine("};");
  } else {
    const tparams = `<${impl.generics.map((g) => m.param(g)).join(", ")}>`;
    w.writeLine(`export function ${name}${tparams}(${implWitness.join(", ")}): ${dictTy} {`, impl.ast.span);
    w.indented(() => {
      w.writeLine("return {");
      w.indented(() => entries.forEach((e) => w.writeLine(e)));
      w.writeLine("};");
    });
    w.writeLine("}");
  }
}

function needsObject(t: Ty): boolean {
  const s = shallow(t);
  return (s.k === "adt" && s.def.kind === "struct" && s.def.shape !== "opaque" && (s.def.builtin === null || s.def.builtin === "Vec")) || s.k === "array" || s.k === "slice";
}

function selfDescriptor(m: ModuleCtx, t: Ty): string {
  return fragText(tyDescriptor(m, t, null));
}

/** Witnesses of a default method called through an impl: Self's descriptor, then Self's dictionaries. */
function dictArgsForDefault(m: ModuleCtx, f: FnDef, trait: TraitDef, selfTy: Ty, selfDict: string, implArgs: readonly string[]): string[] {
  const ws = witnessesOf(m.unit.model, f).filter((x) => x.kind === "dict");
  const self = implArgs.length > 0 ? `${selfDict}(${implArgs.join(", ")})` : selfDict;
  const scope = { dictOf: () => null, descriptorOf: () => null };
  return ws.map((x) => {
    if (x.kind !== "dict") return "(undefined as never)";
    if (x.g.isSelf && x.trait === trait) return self;
    return fragText(dictFor(m, x.g.isSelf ? selfTy : { k: "param", def: x.g }, x.trait, scope));
  });
}

function headLabel(t: Ty): string {
  const s = shallow(t);
  return s.k === "adt" ? s.def.name : s.k === "prim" ? s.name : "type";
}
