/**
 * `Default::default()` of a type with a derived (structural) `Default`: zero numbers,
 * `false`, `'\0'`, empty strings and Vecs, `None`, and structs field by field, as
 * `#[derive(Default)]` does. The checker lets only such types reach here (a type with a
 * hand-written `impl Default` calls its impl); anything else is an emitter bug.
 */
import { isBigIntRepr } from "./ints.js";
import { None } from "./option-result.js";
import { type Shape, type Ty, tyName } from "./ty.js";
import { Vec } from "./vec.js";

export function defaultOf(ty: Ty): unknown {
  switch (ty.kind) {
    case "int":
      return isBigIntRepr(ty.name) ? 0n : 0;
    case "float":
    case "char":
      return 0;
    case "bool":
      return false;
    case "str":
      return "";
    case "unit":
      return undefined;
    case "vec":
      return new Vec([]);
    case "option":
      return None;
    case "tuple":
      return ty.elems.map(defaultOf);
    case "struct":
      return shapeDefault(ty.shape());
    default:
      throw new TypeError(`${tyName(ty)} has no derived Default`);
  }
}

function shapeDefault(shape: Shape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (shape === null) return out;
  // Positional fields are `_0`, `_1`, … (the emitter's tupleField).
  if (Array.isArray(shape)) (shape as readonly Ty[]).forEach((t, i) => Object.defineProperty(out, `_${i}`, { value: defaultOf(t), writable: true, enumerable: true, configurable: true }));
  else for (const [k, t] of Object.entries(shape as { readonly [field: string]: Ty })) Object.defineProperty(out, k, { value: defaultOf(t), writable: true, enumerable: true, configurable: true });
  return out;
}
