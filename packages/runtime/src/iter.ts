/**
 * Rust iterators (`v.iter().map(|x| x * 2).filter(...).collect()`), lazily, in call order.
 *
 * An `Iter` is a pull function (and, when the source is double-ended, a pull-from-the-back
 * function), so adapters compose without generators and closures run exactly when Rust
 * would run them. `rev()` is lazy for double-ended chains (arrays, ranges, `map`,
 * `filter`, `chars`); for the others (`enumerate`, `zip`, `take`, …) it collects first,
 * which only differs from Rust in the order side-effecting closures run.
 *
 * Counts and indices (`count`, `enumerate`, `position`, `nth`, `take`, `skip`) are `usize`,
 * i.e. bigint. `sum`/`product` take the element type's operations so that overflow faults
 * (`let s: u8 = v.iter().sum();` panics in Rust when it overflows).
 */
import { type Site, UNKNOWN_SITE, panic } from "./fault.js";
import { type Option, None, Some } from "./option-result.js";
import { compare, Ordering } from "./compare.js";
import type { Ty } from "./ty.js";
import { Vec } from "./vec.js";
import type { usize } from "./ints.js";
import { canonical, toBigInt } from "./int-hybrid.js";

const DONE: unique symbol = Symbol("iter.done");
type Done = typeof DONE;
type Pull<T> = () => T | Done;

/** What `sum`/`product` need: an int type's operations object, or `f64`/`f32`. */
export interface Summable<T> {
  readonly ZERO: T;
  readonly ONE: T;
  add(a: T, b: T, at?: Site): T;
  mul(a: T, b: T, at?: Site): T;
}

/** No element peeked (distinct from DONE, which a peek can see). */
const EMPTY: unique symbol = Symbol("empty");

export class Iter<T> implements Iterable<T> {
  static readonly DONE: Done = DONE;

  constructor(
    /** Replaced once, by `peek`, so that a peeked element is pulled first. */
    public pull: Pull<T>,
    readonly pullBack?: Pull<T>,
  ) {}

  /** The peeked element of a `peekable()` iterator (`EMPTY`: nothing peeked yet). */
  private peekSlot?: { readonly src: Pull<T>; buf: T | Done | typeof EMPTY };

  /** Over an array snapshot of its bounds (Rust forbids mutation while iterating). */
  static fromArray<T>(items: readonly T[]): Iter<T> {
    let front = 0;
    let back = items.length;
    return new Iter(
      () => (front < back ? items[front++]! : DONE),
      () => (front < back ? items[--back]! : DONE),
    );
  }

  static from<T>(items: Iterable<T>): Iter<T> {
    if (Array.isArray(items)) return Iter.fromArray(items as T[]);
    if (items instanceof Iter) return items as Iter<T>;
    const it = items[Symbol.iterator]();
    return new Iter(() => {
      const r = it.next();
      return r.done === true ? DONE : r.value;
    });
  }

  /** `a..b` over any integer type (number- or bigint-backed). */
  static range<N extends number | bigint>(start: N, end: N): Iter<N> {
    return rangeIter(start, end, false);
  }

  /** `a..=b`; never steps past `b`, so `0..=u8::MAX` does not overflow. */
  static rangeInclusive<N extends number | bigint>(start: N, end: N): Iter<N> {
    return rangeIter(start, end, true);
  }

  static empty<T>(): Iter<T> {
    return new Iter<T>(
      () => DONE,
      () => DONE,
    );
  }

  static once<T>(x: T): Iter<T> {
    return Iter.fromArray([x]);
  }

  /** `std::iter::repeat(x)`: endless, use with `take`. */
  static repeat<T>(x: T): Iter<T> {
    return new Iter(() => x);
  }

  static from_fn<T>(f: () => Option<T>): Iter<T> {
    return new Iter(() => {
      const o = f();
      return o.$tag === "Some" ? o._0 : DONE;
    });
  }

  static successors<T>(first: Option<T>, f: (x: T) => Option<T>): Iter<T> {
    let next = first;
    return new Iter(() => {
      if (next.$tag === "None") return DONE;
      const cur = next._0;
      next = f(cur);
      return cur;
    });
  }

  next(): Option<T> {
    const x = this.pull();
    return x === DONE ? None : Some(x);
  }

  next_back(): Option<T> {
    const x = (this.pullBack ?? this.collectBack())();
    return x === DONE ? None : Some(x);
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let x = this.pull(); x !== DONE; x = this.pull()) yield x;
  }

  /** A pull-from-the-back for a single-ended chain: drains it into an array first. */
  private collectBack(): Pull<T> {
    const rest: T[] = [];
    for (let x = this.pull(); x !== DONE; x = this.pull()) rest.push(x);
    return () => (rest.length > 0 ? rest.pop()! : DONE);
  }

  // ---- adapters ----

  map<U>(f: (x: T) => U): Iter<U> {
    const { pull, pullBack } = this;
    const back = pullBack === undefined ? undefined : () => {
      const x = pullBack();
      return x === DONE ? DONE : f(x);
    };
    return new Iter(() => {
      const x = pull();
      return x === DONE ? DONE : f(x);
    }, back);
  }

  filter(keep: (x: T) => boolean): Iter<T> {
    const { pull, pullBack } = this;
    const skipTo = (p: Pull<T>): Pull<T> => () => {
      for (let x = p(); x !== DONE; x = p()) if (keep(x)) return x;
      return DONE;
    };
    return new Iter(skipTo(pull), pullBack === undefined ? undefined : skipTo(pullBack));
  }

  filter_map<U>(f: (x: T) => Option<U>): Iter<U> {
    const { pull } = this;
    return new Iter(() => {
      for (let x = pull(); x !== DONE; x = pull()) {
        const o = f(x);
        if (o.$tag === "Some") return o._0;
      }
      return DONE;
    });
  }

  map_while<U>(f: (x: T) => Option<U>): Iter<U> {
    const { pull } = this;
    let done = false;
    return new Iter(() => {
      if (done) return DONE;
      const x = pull();
      const o = x === DONE ? None : f(x);
      if (o.$tag === "Some") return o._0;
      done = true;
      return DONE;
    });
  }

  flat_map<U>(f: (x: T) => Iterable<U>): Iter<U> {
    const { pull } = this;
    let inner: Iter<U> | undefined;
    return new Iter(() => {
      for (;;) {
        if (inner !== undefined) {
          const y = inner.pull();
          if (y !== DONE) return y;
        }
        const x = pull();
        if (x === DONE) return DONE;
        inner = Iter.from(f(x));
      }
    });
  }

  flatten<U>(this: Iter<Iterable<U>>): Iter<U> {
    return this.flat_map((x) => x);
  }

  enumerate(): Iter<[usize, T]> {
    const { pull } = this;
    let i = 0;
    return new Iter(() => {
      const x = pull();
      return x === DONE ? DONE : [i++, x];
    });
  }

  zip<U>(other: Iterable<U>): Iter<[T, U]> {
    const { pull } = this;
    const right = Iter.from(other);
    return new Iter(() => {
      const x = pull();
      if (x === DONE) return DONE;
      const y = right.pull();
      return y === DONE ? DONE : [x, y];
    });
  }

  chain(other: Iterable<T>): Iter<T> {
    const { pull, pullBack } = this;
    const second = Iter.from(other);
    let firstDone = false;
    const front = (): T | Done => {
      if (!firstDone) {
        const x = pull();
        if (x !== DONE) return x;
        firstDone = true;
      }
      return second.pull();
    };
    const back =
      pullBack !== undefined && second.pullBack !== undefined
        ? (): T | Done => {
            const y = second.pullBack!();
            return y !== DONE ? y : pullBack();
          }
        : undefined;
    return new Iter(front, back);
  }

  take(n: usize): Iter<T> {
    const { pull } = this;
    let left = n;
    return new Iter(() => {
      if (left <= 0) return DONE;
      left--;
      return pull();
    });
  }

  skip(n: usize): Iter<T> {
    const { pull } = this;
    let skipping = n;
    return new Iter(() => {
      while (skipping > 0) {
        skipping--;
        if (pull() === DONE) return DONE;
      }
      return pull();
    });
  }

  take_while(keep: (x: T) => boolean): Iter<T> {
    const { pull } = this;
    let done = false;
    return new Iter(() => {
      if (done) return DONE;
      const x = pull();
      if (x !== DONE && keep(x)) return x;
      done = true;
      return DONE;
    });
  }

  skip_while(drop: (x: T) => boolean): Iter<T> {
    const { pull } = this;
    let dropping = true;
    return new Iter(() => {
      for (let x = pull(); x !== DONE; x = pull()) {
        if (dropping && drop(x)) continue;
        dropping = false;
        return x;
      }
      return DONE;
    });
  }

  /** `step_by(n)`: the first element, then every n-th. */
  step_by(step: usize, at: Site = UNKNOWN_SITE): Iter<T> {
    if (step === 0) panic("assertion failed: step != 0", at);
    const { pull } = this;
    let first = true;
    return new Iter(() => {
      if (!first) for (let k = 1; k < step; k++) if (pull() === DONE) return DONE;
      first = false;
      return pull();
    });
  }

  /** `peekable()`: the same elements; `peek` then looks one ahead without consuming it. */
  peekable(): Iter<T> {
    const it = new Iter(this.pull, this.pullBack);
    it.attachPeek();
    return it;
  }

  private attachPeek(): { readonly src: Pull<T>; buf: T | Done | typeof EMPTY } {
    const slot: { readonly src: Pull<T>; buf: T | Done | typeof EMPTY } = { src: this.pull, buf: EMPTY };
    this.peekSlot = slot;
    this.pull = () => {
      if (slot.buf === EMPTY) return slot.src();
      const b = slot.buf;
      slot.buf = EMPTY;
      return b;
    };
    return slot;
  }

  /** `peek()`: the next element, left in place for the next `next()`. */
  peek(): Option<T> {
    const slot = this.peekSlot ?? this.attachPeek();
    if (slot.buf === EMPTY) slot.buf = slot.src();
    return slot.buf === DONE ? None : Some(slot.buf as T);
  }

  rev(): Iter<T> {
    const back = this.pullBack ?? this.collectBack();
    return new Iter(back, this.pull);
  }

  inspect(f: (x: T) => void): Iter<T> {
    return this.map((x) => {
      f(x);
      return x;
    });
  }

  /** `cloned()`/`copied()`: the emitter clones compound elements itself when it must. */
  cloned(): Iter<T> {
    return this;
  }

  copied(): Iter<T> {
    return this;
  }

  // ---- consumers ----

  count(): usize {
    let n = 0;
    while (this.pull() !== DONE) n++;
    return n;
  }

  sum(ops: Summable<T>, at: Site = UNKNOWN_SITE): T {
    let acc = ops.ZERO;
    for (let x = this.pull(); x !== DONE; x = this.pull()) acc = ops.add(acc, x, at);
    return acc;
  }

  product(ops: Summable<T>, at: Site = UNKNOWN_SITE): T {
    let acc = ops.ONE;
    for (let x = this.pull(); x !== DONE; x = this.pull()) acc = ops.mul(acc, x, at);
    return acc;
  }

  fold<A>(init: A, f: (acc: A, x: T) => A): A {
    let acc = init;
    for (let x = this.pull(); x !== DONE; x = this.pull()) acc = f(acc, x);
    return acc;
  }

  reduce(f: (acc: T, x: T) => T): Option<T> {
    const first = this.pull();
    if (first === DONE) return None;
    return Some(this.fold(first, f));
  }

  for_each(f: (x: T) => void): void {
    for (let x = this.pull(); x !== DONE; x = this.pull()) f(x);
  }

  any(f: (x: T) => boolean): boolean {
    for (let x = this.pull(); x !== DONE; x = this.pull()) if (f(x)) return true;
    return false;
  }

  all(f: (x: T) => boolean): boolean {
    for (let x = this.pull(); x !== DONE; x = this.pull()) if (!f(x)) return false;
    return true;
  }

  find(f: (x: T) => boolean): Option<T> {
    for (let x = this.pull(); x !== DONE; x = this.pull()) if (f(x)) return Some(x);
    return None;
  }

  find_map<U>(f: (x: T) => Option<U>): Option<U> {
    for (let x = this.pull(); x !== DONE; x = this.pull()) {
      const o = f(x);
      if (o.$tag === "Some") return o;
    }
    return None;
  }

  position(f: (x: T) => boolean): Option<usize> {
    let i = 0;
    for (let x = this.pull(); x !== DONE; x = this.pull(), i++) if (f(x)) return Some(i);
    return None;
  }

  nth(n: usize): Option<T> {
    for (let k = 0; k < n; k++) if (this.pull() === DONE) return None;
    return this.next();
  }

  last(): Option<T> {
    let found: T | Done = DONE;
    for (let x = this.pull(); x !== DONE; x = this.pull()) found = x;
    return found === DONE ? None : Some(found);
  }

  /** The last maximum, as Rust's `max` returns. */
  max(ty?: Ty): Option<T> {
    return this.best((cand, cur) => compare(cur, cand, ty) <= 0);
  }

  /** The first minimum. */
  min(ty?: Ty): Option<T> {
    return this.best((cand, cur) => compare(cur, cand, ty) > 0);
  }

  max_by_key<K>(key: (x: T) => K, ty?: Ty): Option<T> {
    return this.bestByKey(key, (cand, cur) => compare(cur, cand, ty) <= 0);
  }

  min_by_key<K>(key: (x: T) => K, ty?: Ty): Option<T> {
    return this.bestByKey(key, (cand, cur) => compare(cur, cand, ty) > 0);
  }

  max_by(f: (a: T, b: T) => Ordering): Option<T> {
    return this.best((cand, cur) => Ordering.toSign(f(cur, cand)) <= 0);
  }

  min_by(f: (a: T, b: T) => Ordering): Option<T> {
    return this.best((cand, cur) => Ordering.toSign(f(cur, cand)) > 0);
  }

  /**
   * `replaces(candidate, current)` says whether the candidate takes the current's place;
   * callers compare (current, candidate) in that order, as std's `max_by`/`min_by` do.
   */
  private best(replaces: (candidate: T, current: T) => boolean): Option<T> {
    let cur = this.pull();
    if (cur === DONE) return None;
    for (let x = this.pull(); x !== DONE; x = this.pull()) if (replaces(x, cur)) cur = x;
    return Some(cur);
  }

  private bestByKey<K>(key: (x: T) => K, replaces: (candidate: K, current: K) => boolean): Option<T> {
    let cur = this.pull();
    if (cur === DONE) return None;
    let curKey = key(cur);
    for (let x = this.pull(); x !== DONE; x = this.pull()) {
      const k = key(x);
      if (replaces(k, curKey)) {
        cur = x;
        curKey = k;
      }
    }
    return Some(cur);
  }

  collect(): Vec<T> {
    const out: T[] = [];
    for (let x = this.pull(); x !== DONE; x = this.pull()) out.push(x);
    return new Vec(out);
  }

  /** `collect::<String>()` from chars (code points) or strings. */
  collect_string(this: Iter<number | string>): string {
    let out = "";
    for (let x = this.pull(); x !== DONE; x = this.pull()) out += typeof x === "number" ? String.fromCodePoint(x) : x;
    return out;
  }

  partition(f: (x: T) => boolean): [Vec<T>, Vec<T>] {
    const yes: T[] = [];
    const no: T[] = [];
    for (let x = this.pull(); x !== DONE; x = this.pull()) (f(x) ? yes : no).push(x);
    return [new Vec(yes), new Vec(no)];
  }

  unzip<A, B>(this: Iter<[A, B]>): [Vec<A>, Vec<B>] {
    const left: A[] = [];
    const right: B[] = [];
    for (let x = this.pull(); x !== DONE; x = this.pull()) {
      left.push(x[0]);
      right.push(x[1]);
    }
    return [new Vec(left), new Vec(right)];
  }
}

function rangeIter<N extends number | bigint>(start: N, end: N, inclusive: boolean): Iter<N> {
  if (typeof start !== typeof end) {
    // Only a hybrid type (usize, isize) mixes a number with a bigint (int-hybrid.ts):
    // count in bigints and hand out canonical values.
    let lo = toBigInt(start);
    let hi = toBigInt(end) + (inclusive ? 1n : 0n);
    return new Iter(
      () => (lo < hi ? (canonical(lo++) as N) : DONE),
      () => (lo < hi ? (canonical(--hi) as N) : DONE),
    ) as Iter<N>;
  }
  if (typeof start === "bigint") {
    let lo = start as bigint;
    let hi = (inclusive ? (end as bigint) + 1n : end) as bigint;
    return new Iter(
      () => (lo < hi ? (lo++ as N) : DONE),
      () => (lo < hi ? (--hi as N) : DONE),
    ) as Iter<N>;
  }
  let lo = start as number;
  let hi = (inclusive ? (end as number) + 1 : end) as number;
  return new Iter(
    () => (lo < hi ? (lo++ as N) : DONE),
    () => (lo < hi ? (--hi as N) : DONE),
  ) as Iter<N>;
}
