/**
 * `Vec<T>` (also used for arrays `[T; N]`): a JS array with Rust's API and Rust's faults.
 *
 * Indices and lengths are `usize`: a `number`, or a `usize` beyond 2^53 - 1 (int-hybrid.ts). `v[i]` is emitted as `v.at(i, $site)`
 * and `v[i] = x` as `v.set(i, x, $site)`; both fault with Rust's exact message
 * ("index out of bounds: the len is 3 but the index is 5") instead of yielding
 * `undefined`. `atN`/`setN` take a JS number the emitter computed as an index.
 *
 * The array is public (`data`) so that the runtime's own helpers (formatter, comparison,
 * iterators) can read it without copying, and so that emitted code can check a bound
 * inline (`i < v.data.length ? v.data[i] : v.at(i, $site)`): the methods then only report
 * the fault.
 */
import { type Site, UNKNOWN_SITE, panic, raiseIndexFault, raiseIndexOutOfBounds } from "./fault.js";
import { type Option, type Result, Err, None, Ok, Some } from "./option-result.js";
import { clone, compare, eq, Ordering } from "./compare.js";
import { Iter } from "./iter.js";
import type { Ty } from "./ty.js";
import type { usize } from "./ints.js";

/** A `&mut T` to a place that is not a plain variable: a Vec element, a boxed local. */
export interface MutRef<T> {
  value: T;
}

/** `&mut x` for a local the emitter has to box (it is mutated through the reference). */
export function cell<T>(value: T): MutRef<T> {
  return { value };
}

class VecSlot<T> implements MutRef<T> {
  constructor(
    private readonly data: T[],
    private readonly index: number,
  ) {}
  get value(): T {
    return this.data[this.index]!;
  }
  set value(v: T) {
    this.data[this.index] = v;
  }
}

/** Bounds of `a..b`, `a..` or `..b` over a length, checked in the order std checks them. */
export function checkRange(start: usize | undefined, end: usize | undefined, len: number, at: Site): [number, number] {
  const s = start ?? 0;
  if (end === undefined) {
    if (s > len) raiseIndexFault(`range start index ${s} out of range for slice of length ${len}`, at);
    return [Number(s), len];
  }
  if (s > end) raiseIndexFault(`slice index starts at ${s} but ends at ${end}`, at);
  if (end > len) raiseIndexFault(`range end index ${end} out of range for slice of length ${len}`, at);
  return [Number(s), Number(end)];
}

/** The range a view covers in its backing array, keyed by the view (for views of views). */
const viewOf = new WeakMap<object, { base: unknown[]; offset: number }>();

function isIndexKey(key: string | symbol): key is string {
  return typeof key === "string" && key !== "" && /^(0|[1-9][0-9]*)$/.test(key);
}

/**
 * `&v[a..b]` / `&mut v[a..b]`: an array-like view of `length` elements of `base` from
 * `offset`, sharing its storage, so writes through a sub-slice (`s[i] = x`, `s.swap`,
 * `s.sort()`) reach the Vec as in Rust. Array methods work on it unchanged because they are
 * generic over `length` and indexed access; the borrow checker keeps the Vec from growing or
 * shrinking while the view lives, so the view never has to follow a resize.
 */
export function sliceView<T>(array: T[], start: number, end: number): T[] {
  const parent = viewOf.get(array);
  const base = (parent?.base ?? array) as T[];
  const offset = (parent?.offset ?? 0) + start;
  const length = end - start;
  const view = new Proxy(base, {
    get(target, key, receiver) {
      if (key === "length") return length;
      if (isIndexKey(key)) {
        const i = Number(key);
        return i < length ? target[offset + i] : undefined;
      }
      return Reflect.get(target, key, receiver);
    },
    set(target, key, value) {
      if (isIndexKey(key) && Number(key) < length) {
        target[offset + Number(key)] = value as T;
        return true;
      }
      // A slice cannot change its length (Rust has no such operation on `[T]`).
      return false;
    },
    has(target, key) {
      return isIndexKey(key) ? Number(key) < length : Reflect.has(target, key);
    },
    ownKeys() {
      const keys: string[] = [];
      for (let i = 0; i < length; i++) keys.push(String(i));
      keys.push("length");
      return keys;
    },
    getOwnPropertyDescriptor(target, key) {
      if (key === "length") return { value: length, writable: true, enumerable: false, configurable: false };
      if (isIndexKey(key) && Number(key) < length) {
        return { value: target[offset + Number(key)], writable: true, enumerable: true, configurable: true };
      }
      return undefined;
    },
    deleteProperty() {
      return false;
    },
  });
  viewOf.set(view, { base, offset });
  return view;
}

export class Vec<T> implements Iterable<T> {
  data: T[];

  constructor(data: T[] = []) {
    this.data = data;
  }

  /** `Vec::new()`. */
  static new<T>(): Vec<T> {
    return new Vec<T>([]);
  }

  static with_capacity<T>(_capacity: usize): Vec<T> {
    return new Vec<T>([]);
  }

  /** `vec![a, b, c]` and array literals; takes ownership of the array. */
  static from<T>(items: T[]): Vec<T> {
    return new Vec(items);
  }

  /** `vec![x; n]`: n clones of x. */
  static from_elem<T>(value: T, n: usize): Vec<T> {
    const count = Number(n);
    // A primitive is shared by every slot; an object is cloned per slot, as `vec!` clones.
    if (typeof value !== "object" || value === null) return new Vec(new Array<T>(count).fill(value));
    const data = new Array<T>(count);
    for (let i = 0; i < count; i++) data[i] = clone(value);
    return new Vec(data);
  }

  len(): usize {
    return this.data.length;
  }

  is_empty(): boolean {
    return this.data.length === 0;
  }

  push(x: T): void {
    this.data.push(x);
  }

  pop(): Option<T> {
    return this.data.length === 0 ? None : Some(this.data.pop()!);
  }

  /** Removes the first element (DPL's `Vec::pop_front`). */
  pop_front(): Option<T> {
    return this.data.length === 0 ? None : Some(this.data.shift()!);
  }

  /** `v[i]`. */
  at(i: usize, at: Site = UNKNOWN_SITE): T {
    const n = Number(i);
    if (!(n < this.data.length)) raiseIndexOutOfBounds(this.data.length, i, at);
    return this.data[n]!;
  }

  /** `v[i] = x`. */
  set(i: usize, x: T, at: Site = UNKNOWN_SITE): void {
    const n = Number(i);
    if (!(n < this.data.length)) raiseIndexOutOfBounds(this.data.length, i, at);
    this.data[n] = x;
  }

  atN(n: number, at: Site = UNKNOWN_SITE): T {
    if (!(n >= 0 && n < this.data.length)) raiseIndexOutOfBounds(this.data.length, n, at);
    return this.data[n]!;
  }

  setN(n: number, x: T, at: Site = UNKNOWN_SITE): void {
    if (!(n >= 0 && n < this.data.length)) raiseIndexOutOfBounds(this.data.length, n, at);
    this.data[n] = x;
  }

  /** `&mut v[i]`, for compound assignment through a reference or passing it on. */
  slot(i: usize, at: Site = UNKNOWN_SITE): MutRef<T> {
    const n = Number(i);
    if (!(n < this.data.length)) raiseIndexOutOfBounds(this.data.length, i, at);
    return new VecSlot(this.data, n);
  }

  get(i: usize): Option<T> {
    const n = Number(i);
    return n < this.data.length ? Some(this.data[n]!) : None;
  }

  first(): Option<T> {
    return this.data.length === 0 ? None : Some(this.data[0]!);
  }

  last(): Option<T> {
    return this.data.length === 0 ? None : Some(this.data[this.data.length - 1]!);
  }

  /** `removal index (is 5) should be < len (is 3)` */
  remove(i: usize, at: Site = UNKNOWN_SITE): T {
    const n = Number(i);
    if (!(n < this.data.length)) raiseIndexFault(`removal index (is ${i}) should be < len (is ${this.data.length})`, at);
    return this.data.splice(n, 1)[0]!;
  }

  swap_remove(i: usize, at: Site = UNKNOWN_SITE): T {
    const n = Number(i);
    if (!(n < this.data.length)) raiseIndexFault(`swap_remove index (is ${i}) should be < len (is ${this.data.length})`, at);
    const removed = this.data[n]!;
    const lastItem = this.data.pop()!;
    if (n < this.data.length) this.data[n] = lastItem;
    return removed;
  }

  /** `insertion index (is 5) should be <= len (is 3)` */
  insert(i: usize, x: T, at: Site = UNKNOWN_SITE): void {
    const n = Number(i);
    if (!(n <= this.data.length)) raiseIndexFault(`insertion index (is ${i}) should be <= len (is ${this.data.length})`, at);
    this.data.splice(n, 0, x);
  }

  swap(i: usize, j: usize, at: Site = UNKNOWN_SITE): void {
    const a = Number(i);
    const b = Number(j);
    if (!(a < this.data.length)) raiseIndexOutOfBounds(this.data.length, i, at);
    if (!(b < this.data.length)) raiseIndexOutOfBounds(this.data.length, j, at);
    const t = this.data[a]!;
    this.data[a] = this.data[b]!;
    this.data[b] = t;
  }

  /** `fill(x)`: every element becomes a clone of x. */
  fill(value: T): void {
    const shared = typeof value !== "object" || value === null;
    for (let i = 0; i < this.data.length; i++) this.data[i] = shared ? value : clone(value);
  }

  truncate(len: usize): void {
    if (len < this.data.length) this.data.length = Number(len);
  }

  clear(): void {
    this.data.length = 0;
  }

  extend(items: Iterable<T>): void {
    for (const x of items) this.data.push(x);
  }

  /** Clones the other vector's elements in. */
  extend_from_slice(other: Vec<T>): void {
    for (const x of other.data) this.data.push(clone(x));
  }

  /** Moves all elements of `other` to the end of this vector, leaving `other` empty. */
  append(other: Vec<T>): void {
    for (const x of other.data) this.data.push(x);
    other.data.length = 0;
  }

  split_off(i: usize, at: Site = UNKNOWN_SITE): Vec<T> {
    const n = Number(i);
    if (!(n <= this.data.length)) raiseIndexFault(`\`at\` split index (is ${i}) should be <= len (is ${this.data.length})`, at);
    return new Vec(this.data.splice(n));
  }

  reverse(): void {
    this.data.reverse();
  }

  contains(x: T): boolean {
    for (const y of this.data) if (eq(x, y)) return true;
    return false;
  }

  /** Stable, like Rust's `sort`; `ty` orders user enums by declaration. */
  sort(ty?: Ty): void {
    this.data.sort((a, b) => compare(a, b, ty));
  }

  sort_by(f: (a: T, b: T) => Ordering): void {
    this.data.sort((a, b) => Ordering.toSign(f(a, b)));
  }

  sort_by_key<K>(key: (x: T) => K, ty?: Ty): void {
    this.data.sort((a, b) => compare(key(a), key(b), ty));
  }

  sort_unstable(ty?: Ty): void {
    this.sort(ty);
  }

  /** Removes consecutive repeated elements. */
  dedup(): void {
    const out: T[] = [];
    for (const x of this.data) if (out.length === 0 || !eq(out[out.length - 1], x)) out.push(x);
    this.data = out;
  }

  retain(keep: (x: T) => boolean): void {
    this.data = this.data.filter((x) => keep(x));
  }

  /** `binary_search`: Ok(index) of a match, or Err(insertion point). */
  binary_search(x: T, ty?: Ty): Result<usize, usize> {
    let lo = 0;
    let hi = this.data.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = compare(this.data[mid], x, ty);
      if (c === 0) return Ok(mid);
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return Err(lo);
  }

  /** `&v[start..end]` (or `start..`, `..end`): a view over the same storage, for reads and writes. */
  slice(start: usize | undefined, end: usize | undefined, at: Site = UNKNOWN_SITE): Vec<T> {
    const [s, e] = checkRange(start, end, this.data.length, at);
    return new Vec(sliceView(this.data, s, e));
  }

  /** Removes the range and returns its elements (`drain(a..b).collect()`). */
  drain(start: usize | undefined, end: usize | undefined, at: Site = UNKNOWN_SITE): Iter<T> {
    const [s, e] = checkRange(start, end, this.data.length, at);
    return Iter.fromArray(this.data.splice(s, e - s));
  }

  iter(): Iter<T> {
    return Iter.fromArray(this.data);
  }

  into_iter(): Iter<T> {
    return Iter.fromArray(this.data);
  }

  /** `for x in v.iter_mut() { *x += 1 }` is emitted as `for (const x of v.iter_mut()) x.value = ...`. */
  iter_mut(): Iter<MutRef<T>> {
    const data = this.data;
    let i = 0;
    let end = data.length;
    return new Iter<MutRef<T>>(
      () => (i < end ? new VecSlot(data, i++) : Iter.DONE),
      () => (i < end ? new VecSlot(data, --end) : Iter.DONE),
    );
  }

  /** `windows(n)`: overlapping copies of length n. */
  windows(size: usize, at: Site = UNKNOWN_SITE): Iter<Vec<T>> {
    const n = Number(size);
    if (n === 0) panic("window size must be non-zero", at);
    const out: Vec<T>[] = [];
    for (let i = 0; i + n <= this.data.length; i++) out.push(new Vec(this.data.slice(i, i + n)));
    return Iter.fromArray(out);
  }

  chunks(size: usize, at: Site = UNKNOWN_SITE): Iter<Vec<T>> {
    const n = Number(size);
    if (n === 0) panic("chunk size must be non-zero", at);
    const out: Vec<T>[] = [];
    for (let i = 0; i < this.data.length; i += n) out.push(new Vec(this.data.slice(i, i + n)));
    return Iter.fromArray(out);
  }

  /** `v.join(sep)` on a `Vec<String>`. */
  join(this: Vec<string>, separator: string): string {
    return this.data.join(separator);
  }

  concat(this: Vec<string>): string {
    return this.data.join("");
  }
  /** `[[T]]::concat`: the elements of every inner sequence, in order. */
  concat_vecs<U>(this: Vec<Vec<U>>): Vec<U> {
    const out: U[] = [];
    for (const v of this.data) out.push(...v.data);
    return new Vec(out);
  }


  clone(): Vec<T> {
    return clone(this);
  }

  to_vec(): Vec<T> {
    return clone(this);
  }

  [Symbol.iterator](): Iterator<T> {
    return this.data[Symbol.iterator]();
  }
}
