/**
 * `.clone()` where a hand-written `impl Clone` may be inside the value.
 *
 * The runtime's structural `clone` is `#[derive(Clone)]`: right for every type whose parts
 * all derive (or are built in). A type with its own `impl Clone` puts the impl on its
 * descriptor (`cloneHook`), and a clone whose static type holds such a type anywhere, or
 * is a type parameter, goes through the descriptor (`cloneAs`, packages/runtime/src/
 * clone-as.ts): a derived clone of a struct with such a field, a `Vec` of them, `cloned()`
 * and a generic `x.clone()` then call the user's impl, as in Rust. Every other clone stays
 * the structural one.
 */
import type { AdtDef, EnumDef, StructDef } from "../semantic/defs.js";
import { shallow, type Ty } from "../semantic/types.js";
import type { ReadonlyModel } from "../semantic/model.js";
import type { ModuleCtx } from "./module-ctx.js";
import type { Body } from "./body.js";
import { tyDescriptor } from "./ts-types.js";
import { e, frag, type E } from "./writer.js";
import type { Span } from "../syntax/source.js";

/** The hand-written `impl Clone` of a (non-generic) type, as a descriptor hook, or null. */
export function cloneHook(m: ModuleCtx, d: StructDef | EnumDef): string | null {
  if (d.generics.length > 0) return null;
  const f = userCloneOf(m.unit.model, d, m);
  return f ? `(v: ${m.ref(d)}) => ${f}(v)` : null;
}

function userCloneOf(model: ReadonlyModel, d: AdtDef, m: ModuleCtx | null): string | null {
  for (const impl of model.implsOfDef(d, m?.unit.root ?? d.module)) {
    const t = impl.trait?.trait;
    if (!t || t.name !== "Clone" || !t.module.isPrelude || impl.generics.length > 0) continue;
    const f = impl.methods.get("clone");
    if (!f || f.generics.length > 0) continue;
    return m ? m.ref(f) : "";
  }
  return null;
}

/**
 * Does cloning a value of this type need its descriptor: does it hold a type parameter, or
 * a type with a hand-written `impl Clone`, anywhere?
 */
export function cloneNeedsDescriptor(model: ReadonlyModel, t: Ty, seen: Set<AdtDef> = new Set(), params = true): boolean {
  const s = shallow(t);
  const inner = (x: Ty): boolean => cloneNeedsDescriptor(model, x, seen, params);
  switch (s.k) {
    case "param":
    case "var":
      return params;
    case "ref":
    case "dom":
      return inner(s.inner);
    case "tuple":
      return s.elems.some(inner);
    case "array":
    case "slice":
      return inner(s.elem);
    case "adt": {
      if (s.args.some(inner)) return true;
      const d = s.def;
      if ((d.kind === "struct" && d.builtin) || seen.has(d)) return false;
      seen.add(d);
      if (d.generics.length === 0 && userCloneOf(model, d, null) !== null) return true;
      // The fields' own types; a parameter in them stands for an argument checked above.
      const fields = d.kind === "struct" ? (d.shape === "opaque" ? [] : model.structFields(d)) : d.variants.flatMap((v) => model.variantFields(v));
      return fields.some((f) => cloneNeedsDescriptor(model, f.ty, seen, false));
    }
    default:
      return false;
  }
}

/** `v.clone()` of a value of type `t` (references peeled): structural, or through the descriptor. */
export function emitClone(b: Body, v: E, t: Ty, span: Span | null): E {
  if (!cloneNeedsDescriptor(b.m.unit.model, t)) return e(frag(span, `${b.m.rt("clone")}(`, v.f, ")"));
  return e(frag(span, `${b.m.rt("cloneAs")}(`, v.f, ", ", tyDescriptor(b.m, t, b), ")"));
}
