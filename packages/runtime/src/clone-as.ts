/**
 * `x.clone()` that runs the program's hand-written `impl Clone` wherever one applies.
 *
 * The structural `clone` (compare.ts) copies what is mutable and shares what is not, which
 * is what `#[derive(Clone)]` does, but a value cannot say which of its parts have a
 * hand-written impl. The descriptor can: the emitter puts the impl's `clone` on the
 * descriptor of its type (`T.struct(name, shape, display, clone)`), and passes the
 * descriptor where the static type holds such a type, or is a type parameter. Then a
 * derived clone of a struct with a `Ticket` field, a `Vec<Ticket>`'s clone and a generic
 * `x.clone()` with `T = Ticket` all call `Ticket`'s impl, as Rust does.
 *
 * A descriptor with no impl anywhere inside takes the structural clone directly.
 */
import { clone } from "./compare.js";
import { None, Some, Ok, Err, type Option, type Result } from "./option-result.js";
import type { Shape, Ty } from "./ty.js";
import { Vec } from "./vec.js";

const hooked = new WeakMap<Ty, boolean>();

/** Does a value of this type hold, anywhere, a part with a hand-written `impl Clone`? */
function hasCloneImpl(ty: Ty, busy: Set<Ty> = new Set()): boolean {
  const known = hooked.get(ty);
  if (known !== undefined) return known;
  // A recursive type's inner mention adds nothing its outer one does not have.
  if (busy.has(ty)) return false;
  busy.add(ty);
  let found: boolean;
  switch (ty.kind) {
    case "struct":
      found = ty.clone !== undefined || shapeHas(ty.shape(), busy);
      break;
    case "enum":
      found = ty.clone !== undefined || Object.values(ty.variants()).some((s) => shapeHas(s, busy));
      break;
    case "vec":
    case "option":
      found = hasCloneImpl(ty.elem, busy);
      break;
    case "result":
      found = hasCloneImpl(ty.ok, busy) || hasCloneImpl(ty.err, busy);
      break;
    case "tuple":
      found = ty.elems.some((e) => hasCloneImpl(e, busy));
      break;
    default:
      found = false;
  }
  busy.delete(ty);
  if (busy.size === 0) hooked.set(ty, found);
  return found;
}

function shapeHas(shape: Shape, busy: Set<Ty>): boolean {
  if (shape === null) return false;
  return (Array.isArray(shape) ? (shape as readonly Ty[]) : Object.values(shape as { readonly [f: string]: Ty })).some((t) => hasCloneImpl(t, busy));
}

/** `x.clone()` for a value of the type `ty` describes. */
export function cloneAs<T>(x: T, ty: Ty): T {
  return hasCloneImpl(ty) ? (cloneWith(x, ty) as T) : clone(x);
}

function cloneWith(x: unknown, ty: Ty): unknown {
  switch (ty.kind) {
    case "struct": {
      if (ty.clone) return ty.clone(x as never);
      return copyFields({}, x, ty.shape());
    }
    case "enum": {
      if (ty.clone) return ty.clone(x as never);
      const tag = (x as { $tag: string }).$tag;
      const shape = ty.variants()[tag] ?? null;
      return shape === null ? x : copyFields({ $tag: tag }, x, shape);
    }
    case "vec":
      return new Vec((x as Vec<unknown>).data.map((e) => cloneAs(e, ty.elem)));
    case "option": {
      const o = x as Option<unknown>;
      return o.$tag === "Some" ? Some(cloneAs(o._0, ty.elem)) : None;
    }
    case "result": {
      const r = x as Result<unknown, unknown>;
      return r.$tag === "Ok" ? Ok(cloneAs(r._0, ty.ok)) : Err(cloneAs(r._0, ty.err));
    }
    case "tuple":
      return (x as readonly unknown[]).map((e, i) => cloneAs(e, ty.elems[i]!));
    default:
      return clone(x);
  }
}

/** The fields of a struct or variant, cloned in declaration order (as the emitter builds them). */
function copyFields(into: Record<string, unknown>, x: unknown, shape: Shape): Record<string, unknown> {
  const from = x as Record<string, unknown>;
  if (shape === null) return into;
  const keys = Array.isArray(shape) ? shape.map((_, i) => `_${i}`) : Object.keys(shape);
  const tys = Array.isArray(shape) ? (shape as readonly Ty[]) : Object.values(shape as { readonly [f: string]: Ty });
  keys.forEach((k, i) => Object.defineProperty(into, k, { value: cloneAs(from[k], tys[i]!), writable: true, enumerable: true, configurable: true }));
  return into;
}
