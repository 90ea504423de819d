/**
 * Trait objects at run time (semantic/dyn.ts decides where they are made).
 *
 * A `dyn Shape` value is `{ $v, $d }`: the concrete value in the representation its impl
 * receives, and one dictionary per trait with methods among `Shape` and its supertraits
 * (`$d.Shape`, `$d.Named`), the same dictionaries generic code receives (generics.ts). A
 * call `s.area()` is `s.$d.Shape.area(s.$v)`; `Box<dyn Shape>`, `&dyn Shape` and `&mut dyn
 * Shape` are all this object (`Box<T>` is `T`, a reference is the value).
 */
import type * as A from "../syntax/ast.js";
import type { FnDef, TraitDef } from "../semantic/defs.js";
import type { ReadonlyModel } from "../semantic/model.js";
import { shallow, zonk, type Ty } from "../semantic/types.js";
import type { Body } from "./body.js";
import { dictFor, isDispatchTrait } from "./generics.js";
import { fieldMember } from "./names.js";
import { jsString } from "./escape.js";
import { frag, joinFrags, e, type E, type Frag } from "./writer.js";
import type { ModuleCtx } from "./module-ctx.js";

/** The traits whose dictionaries a `dyn trait` carries, in a stable order. */
export function dynTraits(model: ReadonlyModel, trait: TraitDef): TraitDef[] {
  const out: TraitDef[] = [];
  const visit = (t: TraitDef): void => {
    if (out.includes(t)) return;
    out.push(t);
    for (const s of model.traitSupers(t)) visit(s.trait);
  };
  visit(trait);
  return out.filter(isDispatchTrait);
}

/** The TypeScript type of a `dyn trait` value. */
export function dynObjectType(m: ModuleCtx, trait: TraitDef): string {
  const dicts = dynTraits(m.unit.model, trait).map((t) => `readonly ${dictKey(t)}: ${m.dictType(t)}<unknown>`);
  return `{ $v: unknown; readonly $d: { ${dicts.join("; ")} } }`;
}

/** The key of a trait's dictionary in `$d`, as declared (quoted) and as read (a member). */
function dictKey(t: TraitDef): string {
  return jsString(t.name);
}

/** `x` (of type `from`, or a reference to it) as a `dyn trait` object. */
export function wrapDyn(b: Body, x: E, trait: TraitDef, from: Ty): E {
  const t = zonk(from);
  const dicts = dynTraits(b.m.unit.model, trait).map((tr) => frag(null, `${dictKey(tr)}: `, dictFor(b.m, t, tr, b)));
  return e(frag(null, "{ $v: ", x.f, ", $d: { ", joinFrags(dicts, ", "), " } }"));
}

/** Is `t` (under domain wrappers) a trait object? */
export function isDynTy(t: Ty): boolean {
  let s = shallow(t);
  while (s.k === "dom") s = shallow(s.inner);
  return s.k === "param" && s.def.dyn !== undefined;
}

/** A call of `f` (declared by `trait`) on the trait object `args[0]`. */
export function dynMethodCall(b: Body, span: A.Node["span"], f: FnDef, trait: TraitDef, dynTrait: TraitDef, args: readonly E[]): E {
  const [recv, ...rest] = args;
  // `&mut self` methods take a `MutRef` of the value (dictionaries are generic over `Self`).
  const self = (o: string): string => (f.selfMode === "refMut" ? `{ get value() { return ${o}.$v; }, set value($x) { ${o}.$v = $x; } }` : `${o}.$v`);
  const call = (o: string): Frag => frag(span, `${o}.$d${fieldMember(trait.name)}${fieldMember(f.name)}(`, joinFrags([self(o), ...rest.map((a) => a.f)], ", "), ")");
  const simple = typeof recv!.f === "string" && /^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(recv!.f);
  if (simple) return e(call(recv!.f as string));
  // The receiver is evaluated once, before the arguments, as in Rust.
  const o = "$o";
  return e(frag(null, `((${o}: ${dynObjectType(b.m, dynTrait)}) => `, call(o), ")(", recv!.f, ")"));
}
