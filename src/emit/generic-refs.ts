/**
 * Values crossing between generic code and code that knows the type arguments.
 *
 * A `&mut T` is the object itself where `T` is known to be a struct or a Vec, and a
 * `MutRef` where `T` is a type parameter (repr.ts): the generic body cannot know which
 * kind it holds. So a value changes representation where it crosses a call of a generic
 * function: an argument going in (`toGeneric`), the result coming out (`fromGeneric`).
 * The change reaches the references inside an `Option`, a `Result`, a tuple, an `Iter`
 * and the parameters and result of a `fn` value, so `HashMap::get_mut` (`Option<&mut V>`),
 * `values_mut` (`Iter<&mut V>`) and `retain(fn(&K, &mut V) -> bool)` give and take the
 * objects a caller with struct values expects.
 *
 * A `&mut` made here from an object (no place to name) writes back with `Object.assign`,
 * as `*r = v` does for an in-place type (places.ts).
 */
import { substitute, type Subst, type Ty } from "../semantic/types.js";
import { ITER_DEF } from "../semantic/builtins.js";
import { peelDomain, reprOf, runtimeEnumName } from "./repr.js";
import { type Body, isTrivial } from "./body.js";
import { e, frag, primary, type E, type Frag } from "./writer.js";

type Dir = "out" | "in";

/** The result of a generic callee, whose declared (unsubstituted) type is `declared`. */
export function fromGeneric(b: Body, v: E, declared: Ty, subst: Subst): E {
  return adapt(b, v, declared, subst, "out");
}

/** An argument passed to a generic callee's parameter of declared type `declared`. */
export function toGeneric(b: Body, v: E, declared: Ty, subst: Subst): E {
  return adapt(b, v, declared, subst, "in");
}

function adapt(b: Body, v: E, declared: Ty, subst: Subst, dir: Dir): E {
  if (subst.size === 0) return v;
  const conv = converter(b, declared, substitute(declared, subst), dir);
  return conv ? e(conv(primary(v))) : v;
}

/** Is `declared` (generic view) a `&mut P` of a type parameter that `actual` makes an in-place type? */
function isSplitRef(declared: Ty, actual: Ty): boolean {
  const d = peelDomain(declared);
  const a = peelDomain(actual);
  return d.k === "ref" && d.mut && a.k === "ref" && reprOf(d.inner) === "generic" && reprOf(a.inner) === "inplace";
}

/**
 * A function from an expression (already evaluated once: a name, a call, a member) to its
 * converted form, or null when the two views represent the value alike.
 */
function converter(b: Body, declared: Ty, actual: Ty, dir: Dir): ((x: Frag) => Frag) | null {
  if (isSplitRef(declared, actual)) {
    if (dir === "out") return (x) => frag(null, x, ".value");
    const n = b.names.fresh("$o");
    const w = b.names.fresh("$w");
    return (x) => frag(null, `((${n}) => ({ get value() { return ${n}; }, set value(${w}) { Object.assign(${n}, ${w}); } }))(`, x, ")");
  }
  const d = peelDomain(declared);
  const a = peelDomain(actual);
  if (d.k === "ref" && a.k === "ref") return converter(b, d.inner, a.inner, dir);
  if (d.k === "tuple" && a.k === "tuple" && d.elems.length === a.elems.length) {
    const parts = d.elems.map((de, i) => converter(b, de, a.elems[i]!, dir));
    if (parts.every((p) => p === null)) return null;
    const t = b.names.fresh("$p");
    const elems = parts.map((p, i) => (p ? p(`${t}[${i}]`) : `${t}[${i}]`));
    return (x) => frag(null, `((${t}) => [`, ...interleave(elems), "] as const)(", x, ")");
  }
  if (d.k === "adt" && a.k === "adt" && d.def === a.def && d.args.length === a.args.length) {
    const parts = d.args.map((da, i) => converter(b, da, a.args[i]!, dir));
    if (parts.every((p) => p === null)) return null;
    const rt = runtimeEnumName(d.def);
    const lift = (p: ((x: Frag) => Frag) | null): Frag | null => {
      if (!p) return null;
      const n = b.names.fresh("$x");
      return frag(null, `(${n}) => `, p(n));
    };
    if (rt === "Option") return (x) => frag(null, `${b.m.rt("Option")}.map(`, x, ", ", lift(parts[0]!)!, ")");
    if (rt === "Result") {
      const ok = lift(parts[0]!);
      const err = lift(parts[1]!);
      return (x) => {
        let cur: Frag = x;
        if (ok) cur = frag(null, `${b.m.rt("Result")}.map(`, cur, ", ", ok, ")");
        if (err) cur = frag(null, `${b.m.rt("Result")}.map_err(`, cur, ", ", err, ")");
        return cur;
      };
    }
    if (d.def === ITER_DEF) return (x) => frag(null, x, ".map(", lift(parts[0]!)!, ")");
    // Other generic types holding a `&mut T` (a user struct with a reference field) keep
    // the generic view; the checker gives DPL no way to build one today (no lifetimes).
    return null;
  }
  if (d.k === "fn" && a.k === "fn" && d.params.length === a.params.length) {
    // A function value goes the other way for its parameters: generic code calls it with
    // its own view of the arguments.
    const back: Dir = dir === "out" ? "in" : "out";
    const ps = d.params.map((dp, i) => converter(b, dp, a.params[i]!, back));
    const r = converter(b, d.ret, a.ret, dir);
    if (!r && ps.every((p) => p === null)) return null;
    const names = ps.map(() => b.names.fresh("$a"));
    // The arrow's parameters take their types from where it is passed, so it is written
    // in place (a function value that is not a name is evaluated first, once).
    return (x) => {
      const f = isTrivial(x) ? x : b.spill(e(x), null, "f").f;
      const call = frag(null, f, "(", ...interleave(ps.map((p, i) => (p ? p(names[i]!) : names[i]!))), ")");
      return frag(null, `(${names.join(", ")}) => `, r ? r(call) : call);
    };
  }
  return null;
}

function interleave(parts: readonly Frag[]): Frag[] {
  const out: Frag[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(", ");
    out.push(p);
  });
  return out;
}
