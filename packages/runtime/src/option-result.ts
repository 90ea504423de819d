/**
 * `Option<T>` and `Result<T, E>` as tagged unions, plus the `?` operator.
 *
 * Representation (the convention every emitted DPL enum follows, see index.ts):
 *   Some(x) is `{ $tag: "Some", _0: x }`, None is the frozen singleton `{ $tag: "None" }`,
 *   Ok(x) is `{ $tag: "Ok", _0: x }`, Err(e) is `{ $tag: "Err", _0: e }`.
 * `$tag` cannot clash with a DPL field name (DPL identifiers have no `$`), and positional
 * payloads use named keys `_0`, `_1`, … because V8 keeps integer keys in a separate
 * elements store, which measured 2–4× slower for retained values.
 *
 * `None` and `Err<E>` do not mention the other type parameter, so after
 * `if (r.$tag === "Err") return r;` TypeScript accepts `r` as any `Result<U, E>`: that is
 * how the emitter lowers `?` in statement position. In expression position it uses
 * `propagate(x)` inside a function body wrapped in `try { ... } catch (e) { return caught(e); }`.
 *
 * Values are immutable (`readonly`): Rust copies an `Option<i32>` on assignment, and sharing
 * one JS object between two DPL variables is only sound if neither can change it. In-place
 * updates (`if let Some(x) = &mut o { *x += 1 }`) are emitted as a replacement of `o`.
 */
import { type Site, DplFault, UNKNOWN_SITE } from "./fault.js";
import { debugFallback, debugOf } from "./debug-display.js";
import type { Ty } from "./ty.js";

export interface Some<T> {
  readonly $tag: "Some";
  readonly _0: T;
}
export interface None {
  readonly $tag: "None";
}
export type Option<T> = Some<T> | None;

export interface Ok<T> {
  readonly $tag: "Ok";
  readonly _0: T;
}
export interface Err<E> {
  readonly $tag: "Err";
  readonly _0: E;
}
export type Result<T, E> = Ok<T> | Err<E>;

export function Some<T>(value: T): Option<T> {
  return { $tag: "Some", _0: value };
}

export const None: None = Object.freeze({ $tag: "None" });

export function Ok<T, E = never>(value: T): Result<T, E> {
  return { $tag: "Ok", _0: value };
}

export function Err<E, T = never>(error: E): Result<T, E> {
  return { $tag: "Err", _0: error };
}

/** `T | null` (the host ABI's Option) to a DPL Option, and back. */
export function optionFromNullable<T>(value: T | null | undefined): Option<NonNullable<T>> {
  return value === null || value === undefined ? None : Some(value as NonNullable<T>);
}

export function optionToNullable<T>(o: Option<T>): T | null {
  return o.$tag === "Some" ? o._0 : null;
}

function describe(value: unknown, ty: Ty | undefined): string {
  return ty === undefined ? debugFallback(value) : debugOf(value, ty);
}

/** Methods of `Option<T>`: `x.unwrap()` is emitted as `Option.unwrap(x, $site)`. */
export const Option = {
  is_some<T>(o: Option<T>): o is Some<T> {
    return o.$tag === "Some";
  },
  is_none<T>(o: Option<T>): o is None {
    return o.$tag === "None";
  },
  is_some_and<T>(o: Option<T>, f: (v: T) => boolean): boolean {
    return o.$tag === "Some" && f(o._0);
  },
  is_none_or<T>(o: Option<T>, f: (v: T) => boolean): boolean {
    return o.$tag === "None" || f(o._0);
  },
  unwrap<T>(o: Option<T>, at: Site = UNKNOWN_SITE): T {
    if (o.$tag === "Some") return o._0;
    throw new DplFault("unwrap_none", "called `Option::unwrap()` on a `None` value", at);
  },
  expect<T>(o: Option<T>, message: string, at: Site = UNKNOWN_SITE): T {
    if (o.$tag === "Some") return o._0;
    throw new DplFault("unwrap_none", message, at);
  },
  unwrap_or<T>(o: Option<T>, fallback: T): T {
    return o.$tag === "Some" ? o._0 : fallback;
  },
  unwrap_or_else<T>(o: Option<T>, f: () => T): T {
    return o.$tag === "Some" ? o._0 : f();
  },
  /** `unwrap_or_default()`: the emitter passes `T::default()`, which it knows statically. */
  unwrap_or_default<T>(o: Option<T>, fallback: T): T {
    return o.$tag === "Some" ? o._0 : fallback;
  },
  map<T, U>(o: Option<T>, f: (v: T) => U): Option<U> {
    return o.$tag === "Some" ? Some(f(o._0)) : None;
  },
  map_or<T, U>(o: Option<T>, fallback: U, f: (v: T) => U): U {
    return o.$tag === "Some" ? f(o._0) : fallback;
  },
  map_or_else<T, U>(o: Option<T>, fallback: () => U, f: (v: T) => U): U {
    return o.$tag === "Some" ? f(o._0) : fallback();
  },
  and_then<T, U>(o: Option<T>, f: (v: T) => Option<U>): Option<U> {
    return o.$tag === "Some" ? f(o._0) : None;
  },
  and<T, U>(o: Option<T>, other: Option<U>): Option<U> {
    return o.$tag === "Some" ? other : None;
  },
  or<T>(o: Option<T>, other: Option<T>): Option<T> {
    return o.$tag === "Some" ? o : other;
  },
  or_else<T>(o: Option<T>, f: () => Option<T>): Option<T> {
    return o.$tag === "Some" ? o : f();
  },
  xor<T>(o: Option<T>, other: Option<T>): Option<T> {
    if (o.$tag === "Some") return other.$tag === "Some" ? None : o;
    return other;
  },
  filter<T>(o: Option<T>, keep: (v: T) => boolean): Option<T> {
    return o.$tag === "Some" && keep(o._0) ? o : None;
  },
  ok_or<T, E>(o: Option<T>, error: E): Result<T, E> {
    return o.$tag === "Some" ? Ok(o._0) : Err(error);
  },
  ok_or_else<T, E>(o: Option<T>, f: () => E): Result<T, E> {
    return o.$tag === "Some" ? Ok(o._0) : Err(f());
  },
  zip<T, U>(o: Option<T>, other: Option<U>): Option<[T, U]> {
    return o.$tag === "Some" && other.$tag === "Some" ? Some<[T, U]>([o._0, other._0]) : None;
  },
  flatten<T>(o: Option<Option<T>>): Option<T> {
    return o.$tag === "Some" ? o._0 : None;
  },
  /** `o.take()` on a place: the emitter passes a getter/setter pair for the place. */
  take<T>(place: { value: Option<T> }): Option<T> {
    const old = place.value;
    place.value = None;
    return old;
  },
  replace<T>(place: { value: Option<T> }, value: T): Option<T> {
    const old = place.value;
    place.value = Some(value);
    return old;
  },
  get_or_insert_with<T>(place: { value: Option<T> }, f: () => T): T {
    const cur = place.value;
    if (cur.$tag === "Some") return cur._0;
    const made = f();
    place.value = Some(made);
    return made;
  },
  /** `transpose()`: Option<Result<T, E>> to Result<Option<T>, E>. */
  transpose<T, E>(o: Option<Result<T, E>>): Result<Option<T>, E> {
    if (o.$tag === "None") return Ok(None);
    const r = o._0;
    return r.$tag === "Ok" ? Ok(Some(r._0)) : r;
  },
};

/** Methods of `Result<T, E>`. Faulting ones take the Debug descriptor of the other side. */
export const Result = {
  is_ok<T, E>(r: Result<T, E>): r is Ok<T> {
    return r.$tag === "Ok";
  },
  is_err<T, E>(r: Result<T, E>): r is Err<E> {
    return r.$tag === "Err";
  },
  is_ok_and<T, E>(r: Result<T, E>, f: (v: T) => boolean): boolean {
    return r.$tag === "Ok" && f(r._0);
  },
  is_err_and<T, E>(r: Result<T, E>, f: (e: E) => boolean): boolean {
    return r.$tag === "Err" && f(r._0);
  },
  ok<T, E>(r: Result<T, E>): Option<T> {
    return r.$tag === "Ok" ? Some(r._0) : None;
  },
  err<T, E>(r: Result<T, E>): Option<E> {
    return r.$tag === "Err" ? Some(r._0) : None;
  },
  /** `called \`Result::unwrap()\` on an \`Err\` value: ParseIntError { kind: InvalidDigit }` */
  unwrap<T, E>(r: Result<T, E>, at: Site = UNKNOWN_SITE, errTy?: Ty): T {
    if (r.$tag === "Ok") return r._0;
    throw new DplFault("unwrap_err", `called \`Result::unwrap()\` on an \`Err\` value: ${describe(r._0, errTy)}`, at);
  },
  expect<T, E>(r: Result<T, E>, message: string, at: Site = UNKNOWN_SITE, errTy?: Ty): T {
    if (r.$tag === "Ok") return r._0;
    throw new DplFault("unwrap_err", `${message}: ${describe(r._0, errTy)}`, at);
  },
  unwrap_err<T, E>(r: Result<T, E>, at: Site = UNKNOWN_SITE, okTy?: Ty): E {
    if (r.$tag === "Err") return r._0;
    throw new DplFault("unwrap_err", `called \`Result::unwrap_err()\` on an \`Ok\` value: ${describe(r._0, okTy)}`, at);
  },
  expect_err<T, E>(r: Result<T, E>, message: string, at: Site = UNKNOWN_SITE, okTy?: Ty): E {
    if (r.$tag === "Err") return r._0;
    throw new DplFault("unwrap_err", `${message}: ${describe(r._0, okTy)}`, at);
  },
  unwrap_or<T, E>(r: Result<T, E>, fallback: T): T {
    return r.$tag === "Ok" ? r._0 : fallback;
  },
  unwrap_or_else<T, E>(r: Result<T, E>, f: (e: E) => T): T {
    return r.$tag === "Ok" ? r._0 : f(r._0);
  },
  unwrap_or_default<T, E>(r: Result<T, E>, fallback: T): T {
    return r.$tag === "Ok" ? r._0 : fallback;
  },
  map<T, E, U>(r: Result<T, E>, f: (v: T) => U): Result<U, E> {
    return r.$tag === "Ok" ? Ok(f(r._0)) : r;
  },
  map_err<T, E, F>(r: Result<T, E>, f: (e: E) => F): Result<T, F> {
    return r.$tag === "Err" ? Err(f(r._0)) : r;
  },
  map_or<T, E, U>(r: Result<T, E>, fallback: U, f: (v: T) => U): U {
    return r.$tag === "Ok" ? f(r._0) : fallback;
  },
  and_then<T, E, U>(r: Result<T, E>, f: (v: T) => Result<U, E>): Result<U, E> {
    return r.$tag === "Ok" ? f(r._0) : r;
  },
  and<T, E, U>(r: Result<T, E>, other: Result<U, E>): Result<U, E> {
    return r.$tag === "Ok" ? other : r;
  },
  or<T, E, F>(r: Result<T, E>, other: Result<T, F>): Result<T, F> {
    return r.$tag === "Ok" ? r : other;
  },
  or_else<T, E, F>(r: Result<T, E>, f: (e: E) => Result<T, F>): Result<T, F> {
    return r.$tag === "Ok" ? r : f(r._0);
  },
  /** `transpose()`: Result<Option<T>, E> to Option<Result<T, E>>. */
  transpose<T, E>(r: Result<Option<T>, E>): Option<Result<T, E>> {
    if (r.$tag === "Err") return Some<Result<T, E>>(r);
    return r._0.$tag === "Some" ? Some(Ok(r._0._0)) : None;
  },
};

/**
 * The early exit of `?`, thrown by `propagate` and turned back into a return value by
 * `caught` in the enclosing function. Not an Error: no stack is captured, so the cost of
 * an early return is an allocation, not a stack walk.
 */
export class Propagation {
  constructor(readonly residual: None | Err<unknown>) {}
}

/** `x?` in expression position: the payload of Some/Ok, or an early return of None/Err. */
export function propagate<T>(x: Option<T>): T;
export function propagate<T, E>(x: Result<T, E>): T;
export function propagate<T, E>(x: Option<T> | Result<T, E>): T {
  if (x.$tag === "Some" || x.$tag === "Ok") return x._0;
  throw new Propagation(x);
}

/**
 * The `catch` half of `?`: returns the residual as the function's result, and re-throws
 * anything else (faults, host halts) untouched. `R` is the function's return type; the
 * residual fits it because `?` only type-checks when it does.
 */
export function caught<R>(e: unknown): R {
  if (e instanceof Propagation) return e.residual as R;
  throw e;
}
