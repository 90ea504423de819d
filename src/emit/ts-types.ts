/**
 * DPL types as TypeScript type text, following the representation of repr.ts.
 *
 * Type text refers to runtime exports (`u64`, `Vec`, `Option`, `MutRef`, `Q`) and to the
 * program's own types through a `TypeRefs`, which also records the imports a module needs.
 */
import { jsString } from "./escape.js";
import type { AdtDef, GenericParamDef, TraitDef } from "../semantic/defs.js";
import { shallow, type Ty } from "../semantic/types.js";
import { mutRefIsObject, runtimeEnumName } from "./repr.js";
import { frag, fragText, joinFrags, type Frag } from "./writer.js";
import type { ModuleCtx } from "./module-ctx.js";

export interface TypeRefs {
  /** The local name of a runtime export (`u64`, `Vec`, `MutRef`). */
  rt(name: string): string;
  /** The TypeScript name of a struct or enum of the program, imported when needed. */
  adt(def: AdtDef): string;
  /** The TypeScript name of a generic parameter in scope. */
  param(def: GenericParamDef): string;
  /** The TypeScript type of a `dyn trait` value (emit/dyn.ts). */
  dynType(trait: TraitDef): string;
  /** A module-level alias for a long type text that names no generic parameter (`$$T3`). */
  typeAlias?(text: string): string;
}

/**
 * Past this length the text of a type is given a module-level alias. Types are shared DAGs
 * (`let x2 = (x1, x1)`): written out in full, 26 levels of pairs are 2^26 names, and the
 * build died of a string too long after 34 s and 2.6 GB. With aliases, and each shared
 * part of a type written once, the text is linear in the type's size.
 */
const ALIAS_FROM = 160;

/** The text of each closed type already written, per module (keyed by the shared type node). */
const written = new WeakMap<TypeRefs, WeakMap<object, string>>();
/** Whether a type names no generic parameter: its text is the same everywhere in a module. */
const closedTypes = new WeakMap<object, boolean>();

function isClosed(t: Ty): boolean {
  const s = shallow(t);
  if (s.k === "param") return false;
  if (s.k !== "tuple" && s.k !== "array" && s.k !== "slice" && s.k !== "ref" && s.k !== "adt" && s.k !== "fn" && s.k !== "dom") return true;
  const known = closedTypes.get(s);
  if (known !== undefined) return known;
  const parts: readonly Ty[] = s.k === "tuple" ? s.elems : s.k === "array" || s.k === "slice" ? [s.elem] : s.k === "ref" || s.k === "dom" ? [s.inner] : s.k === "adt" ? s.args : [...s.params, s.ret];
  const closed = parts.every(isClosed);
  closedTypes.set(s, closed);
  return closed;
}

export function tsType(t: Ty, refs: TypeRefs): string {
  const s = shallow(t);
  if (s.k === "prim" || s.k === "param" || s.k === "marker" || s.k === "never" || s.k === "var" || s.k === "error" || s.k === "any" || !isClosed(s)) return typeText(s, refs);
  let memo = written.get(refs);
  if (!memo) written.set(refs, (memo = new WeakMap()));
  const hit = memo.get(s);
  if (hit !== undefined) return hit;
  let text = typeText(s, refs);
  if (text.length > ALIAS_FROM && refs.typeAlias) text = refs.typeAlias(text);
  memo.set(s, text);
  return text;
}

function typeText(s: Ty, refs: TypeRefs): string {
  switch (s.k) {
    case "prim":
      switch (s.name) {
        case "bool":
          return "boolean";
        case "String":
        case "str":
          return "string";
        default:
          return refs.rt(s.name);
      }
    case "tuple":
      if (s.elems.length === 0) return "void";
      return `readonly [${s.elems.map((e) => tsType(e, refs)).join(", ")}]`;
    case "array":
    case "slice":
      return `${refs.rt("Vec")}<${tsType(s.elem, refs)}>`;
    case "ref":
      if (!s.mut || mutRefIsObject(s.inner)) return tsType(s.inner, refs);
      return `${refs.rt("MutRef")}<${tsType(s.inner, refs)}>`;
    case "adt":
      return adtType(s.def, s.args, refs);
    case "fn":
      return `((${s.params.map((p, i) => `a${i}: ${tsType(p, refs)}`).join(", ")}) => ${tsType(s.ret, refs)})`;
    case "param":
      return s.def.dyn ? refs.dynType(s.def.dyn) : refs.param(s.def);
    case "dom":
      if (s.domain === "K") return tsType(s.inner, refs);
      return `${refs.rt(s.domain === "Q" ? "Q" : "Phi")}<${tsType(s.inner, refs)}>`;
    case "marker":
      return jsString(s.domain);
    case "never":
      return "never";
    case "var":
    case "error":
    case "any":
      return "unknown";
  }
}

function adtType(def: AdtDef, args: readonly Ty[], refs: TypeRefs): string {
  const targs = (): string => (args.length === 0 ? "" : `<${args.map((a) => tsType(a, refs)).join(", ")}>`);
  if (def.kind === "struct" && def.builtin) {
    switch (def.builtin) {
      case "Vec":
        return `${refs.rt("Vec")}${targs()}`;
      case "Range":
      case "Iter":
        return `${refs.rt("Iter")}${targs()}`;
      case "ParseIntError":
      case "ParseFloatError":
        return refs.rt(def.builtin);
      default:
        return "unknown";
    }
  }
  const rtName = runtimeEnumName(def);
  if (rtName === "Ordering") return refs.rt("Ordering");
  if (rtName) return `${refs.rt(rtName)}${targs()}`;
  return `${refs.adt(def)}${targsFor(def, args, refs)}`;
}

/** Generic arguments of a program type; missing ones (written `Vec` for `Vec<_>`) become `unknown`. */
function targsFor(def: AdtDef, args: readonly Ty[], refs: TypeRefs): string {
  if (def.generics.length === 0) return "";
  return `<${def.generics.map((_, i) => (args[i] ? tsType(args[i]!, refs) : "unknown")).join(", ")}>`;
}

/** `<T, U>` for a generic declaration. */
export function typeParamList(generics: readonly GenericParamDef[], refs: TypeRefs): string {
  const own = generics.filter((g) => !g.isSelf);
  if (own.length === 0) return "";
  return `<${own.map((g) => refs.param(g)).join(", ")}>`;
}

// ---------------------------------------------------------------------------
// Runtime type descriptors (the runtime's `T.*`): what formatting, ordering and `Result`
// faults need to know about a value that its JavaScript form does not say (a `number`
// may be a u8, an f64 or a char). The emitter knows every static type, so it passes the
// descriptor next to the value, as Rust's monomorphisation picks the right impl.
//
// Structs and enums of the program get one descriptor each, declared with the type
// (`Point$ty`, or a function `Pair$ty(A, B)` for a generic type). Inside a generic
// function, the descriptor of a type parameter `T` is the parameter `$ty_T` that callers
// pass (dictionary passing).
export interface DescriptorScope {
  /** The descriptor parameter of a generic parameter, when the current function has one. */
  descriptorOf?(g: GenericParamDef): string | null;
}

export function descriptorParamName(g: GenericParamDef): string {
  return `$ty_${g.name}`;
}

/** The descriptor of each closed type already written, per module (keyed by the shared type node). */
const describedTypes = new WeakMap<ModuleCtx, WeakMap<object, Frag>>();

/**
 * A type's descriptor (`T.tuple(T.u64, T.str)`). Like its type text, a closed type's
 * descriptor is written once per shared node, and a long one becomes a module-level
 * function that makes it on first use (`$$D2()`), so the code stays linear in the size of
 * the type (`{:?}` of 26 levels of `(x, x)` wrote 2^26 descriptors and ran out of memory).
 */
export function tyDescriptor(m: ModuleCtx, t: Ty, scope: DescriptorScope | null): Frag {
  const s = shallow(t);
  if ((s.k !== "tuple" && s.k !== "array" && s.k !== "slice" && s.k !== "adt") || !isClosed(s)) return descriptorOf(m, s, scope);
  let memo = describedTypes.get(m);
  if (!memo) describedTypes.set(m, (memo = new WeakMap()));
  const hit = memo.get(s);
  if (hit !== undefined) return hit;
  let d = descriptorOf(m, s, scope);
  const text = fragText(d);
  if (text.length > ALIAS_FROM) d = m.descriptorAlias(text);
  memo.set(s, d);
  return d;
}

function descriptorOf(m: ModuleCtx, s: Ty, scope: DescriptorScope | null): Frag {
  const T = m.rt("T");
  switch (s.k) {
    case "prim":
      switch (s.name) {
        case "String":
        case "str":
          return `${T}.str`;
        default:
          return `${T}.${s.name}`;
      }
    case "tuple":
      if (s.elems.length === 0) return `${T}.unit`;
      return frag(null, `${T}.tuple(`, joinFrags(s.elems.map((x) => tyDescriptor(m, x, scope)), ", "), ")");
    case "array":
    case "slice":
      return frag(null, `${T}.vec(`, tyDescriptor(m, s.elem, scope), ")");
    case "ref":
      return tyDescriptor(m, s.inner, scope);
    case "dom":
      if (s.domain === "K") return tyDescriptor(m, s.inner, scope);
      return `${T}.opaque(${jsString(s.domain)}, ${jsString(describeShort(s.inner))})`;
    case "adt": {
      const d = s.def;
      if (d.kind === "struct" && d.builtin) {
        if (d.builtin === "Vec") return frag(null, `${T}.vec(`, tyDescriptor(m, s.args[0] ?? { k: "any" }, scope), ")");
        if (d.builtin === "ParseIntError" || d.builtin === "ParseFloatError") return m.rt(`${d.builtin}$ty`);
        return `${T}.unit`;
      }
      const rt = runtimeEnumName(d);
      if (rt === "Ordering") return `${T}.ordering`;
      if (rt === "Option") return frag(null, `${T}.option(`, tyDescriptor(m, s.args[0] ?? { k: "any" }, scope), ")");
      if (rt === "Result") return frag(null, `${T}.result(`, tyDescriptor(m, s.args[0] ?? { k: "any" }, scope), ", ", tyDescriptor(m, s.args[1] ?? { k: "any" }, scope), ")");
      if (d.ann.domain === "Q" || d.ann.domain === "Φ") return `${T}.opaque(${jsString(d.ann.domain)}, ${jsString(d.name)})`;
      const name = `${m.ref(d)}$ty`;
      if (d.generics.length === 0) return name;
      return frag(null, `${name}(`, joinFrags(d.generics.map((_, i) => tyDescriptor(m, s.args[i] ?? { k: "any" }, scope)), ", "), ")");
    }
    case "param": {
      const n = scope?.descriptorOf?.(s.def) ?? null;
      return n ?? `${T}.unit`;
    }
    case "fn":
      return `${T}.custom("fn", {})`;
    default:
      return `${T}.unit`;
  }
}

function describeShort(t: Ty): string {
  const s = shallow(t);
  if (s.k === "prim") return s.name;
  if (s.k === "adt") return s.def.name;
  return "value";
}
