import { describe, expect, it } from "vitest";
import {
  Iter,
  None,
  Ordering,
  Some,
  T,
  Vec,
  cmp,
  f64,
  i32,
  site,
  u8,
  u64,
} from "#runtime";
import { faultOf } from "./fault-of.js";


describe("Vec faults", () => {
  const v = () => Vec.from([10, 20, 30]);
  const table: [string, (x: Vec<number>) => unknown, string][] = [
    ["v[5]", (x) => x.at(5), "index out of bounds: the len is 3 but the index is 5"],
    ["v[u64::MAX]", (x) => x.at(18446744073709551615n), "index out of bounds: the len is 3 but the index is 18446744073709551615"],
    ["v[3] = 1", (x) => x.set(3, 1), "index out of bounds: the len is 3 but the index is 3"],
    ["v.remove(3)", (x) => x.remove(3), "removal index (is 3) should be < len (is 3)"],
    ["v.insert(4, 1)", (x) => x.insert(4, 1), "insertion index (is 4) should be <= len (is 3)"],
    ["v.swap(0, 7)", (x) => x.swap(0, 7), "index out of bounds: the len is 3 but the index is 7"],
    ["v.swap_remove(9)", (x) => x.swap_remove(9), "swap_remove index (is 9) should be < len (is 3)"],
    ["&v[1..5]", (x) => x.slice(1, 5), "range end index 5 out of range for slice of length 3"],
    ["&v[2..1]", (x) => x.slice(2, 1), "slice index starts at 2 but ends at 1"],
    ["&v[4..]", (x) => x.slice(4, undefined), "range start index 4 out of range for slice of length 3"],
    ["v.split_off(4)", (x) => x.split_off(4), "`at` split index (is 4) should be <= len (is 3)"],
    ["v.atN(-1)", (x) => x.atN(-1), "index out of bounds: the len is 3 but the index is -1"],
  ];
  for (const [expr, run, message] of table) {
    it(expr, () => {
      const at = site("v.ds", 4, 5);
      const fault = faultOf(() => run(v()));
      expect(fault.kind).toBe("index_out_of_bounds");
      expect(fault.message).toBe(message);
      expect(faultOf(() => (run as (x: Vec<number>, s: unknown) => unknown)(v(), at)).kind).toBe("index_out_of_bounds");
    });
  }

  it("the site given reaches the fault", () => {
    const at = site("v.ds", 4, 5, "v[i]");
    expect(faultOf(() => v().at(9, at)).site).toBe(at);
  });
});

describe("Vec operations", () => {
  it("push, pop, pop_front, insert, remove, swap, truncate, extend, reverse", () => {
    const v = Vec.new<number>();
    v.push(1);
    v.push(2);
    v.push(3);
    expect(v.len()).toBe(3);
    expect(v.pop()).toEqual(Some(3));
    v.insert(0, 0);
    expect(v.data).toEqual([0, 1, 2]);
    expect(v.remove(1)).toBe(1);
    v.extend(Vec.from([7, 8, 9]));
    v.swap(0, 4);
    expect(v.data).toEqual([9, 2, 7, 8, 0]);
    v.truncate(3);
    v.truncate(10);
    v.reverse();
    expect(v.data).toEqual([7, 2, 9]);
    expect(v.pop_front()).toEqual(Some(7));
    expect(v.get(1)).toEqual(Some(9));
    expect(v.get(2)).toBe(None);
    expect([v.contains(2), v.contains(7), v.is_empty()]).toEqual([true, false, false]);
    v.clear();
    expect([v.pop(), v.pop_front(), v.first(), v.is_empty()]).toEqual([None, None, None, true]);
  });

  it("vec![x; n] clones, slices copy, drain removes", () => {
    const grid = Vec.from_elem(Vec.from([0]), 3);
    grid.at(0).push(1);
    expect(grid.data.map((r) => r.data.length)).toEqual([2, 1, 1]);
    const v = Vec.from([1, 2, 3, 4, 5]);
    expect(v.slice(1, 3).data).toEqual([2, 3]);
    expect(v.slice(undefined, 2).data).toEqual([1, 2]);
    expect(v.drain(1, 3).collect().data).toEqual([2, 3]);
    expect(v.data).toEqual([1, 4, 5]);
    expect(v.split_off(1).data).toEqual([4, 5]);
  });

  it("sorting is stable; sort_by, dedup, retain, binary_search", () => {
    const words = Vec.from(["bb", "a", "cc", "d"]);
    words.sort_by((a, b) => cmp(a.length, b.length));
    expect(words.data).toEqual(["a", "d", "bb", "cc"]);
    const nums = Vec.from([3, 1, 3, 3, 2, 1]);
    nums.sort();
    expect(nums.data).toEqual([1, 1, 2, 3, 3, 3]);
    nums.dedup();
    expect(nums.data).toEqual([1, 2, 3]);
    expect(nums.binary_search(2)).toEqual({ $tag: "Ok", _0: 1 });
    expect(nums.binary_search(5)).toEqual({ $tag: "Err", _0: 3 });
    nums.retain((x) => x !== 2);
    expect(nums.data).toEqual([1, 3]);
    const strs = Vec.from(["b", "\u{10000}", "\u{ffff}"]);
    strs.sort();
    expect(strs.data).toEqual(["b", "\u{ffff}", "\u{10000}"]);
  });

  it("iter_mut writes through, join concatenates", () => {
    const v = Vec.from([1, 2, 3]);
    for (const slot of v.iter_mut()) slot.value = i32.mul(slot.value, 10);
    expect(v.data).toEqual([10, 20, 30]);
    const r = v.slot(1);
    r.value += 1;
    expect(v.at(1)).toBe(21);
    expect(Vec.from(["a", "b"]).join(", ")).toBe("a, b");
    expect(Vec.from([1, 2, 3, 4, 5]).windows(2).count()).toBe(4);
    expect(Vec.from([1, 2, 3, 4, 5]).chunks(2).map((c) => c.data.length).collect().data).toEqual([2, 2, 1]);
    expect(faultOf(() => Vec.from([1]).chunks(0)).message).toBe("chunk size must be non-zero");
  });
});

describe("iterators", () => {
  it("adapters run lazily, in Rust's order", () => {
    const seen: number[] = [];
    const out = Vec.from([1, 2, 3, 4, 5, 6])
      .iter()
      .map((x) => {
        seen.push(x);
        return x * x;
      })
      .filter((x) => x % 2 === 0)
      .take(2)
      .collect();
    expect(out.data).toEqual([4, 16]);
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it("ranges, rev, enumerate, zip, chain, skip, step_by", () => {
    expect(Iter.range(0, 5).rev().collect().data).toEqual([4, 3, 2, 1, 0]);
    expect(Iter.range(3n, 6n).collect().data).toEqual([3n, 4n, 5n]);
    expect(Iter.rangeInclusive(0, u8.MAX).count()).toBe(256);
    expect(Iter.range(5, 2).count()).toBe(0);
    expect(Vec.from(["a", "b"]).iter().enumerate().collect().data).toEqual([
      [0, "a"],
      [1, "b"],
    ]);
    expect(Iter.range(0, 3).zip(Vec.from(["x", "y"])).collect().data).toEqual([
      [0, "x"],
      [1, "y"],
    ]);
    expect(Iter.range(0, 2).chain(Iter.range(5, 7)).rev().collect().data).toEqual([6, 5, 1, 0]);
    expect(Iter.range(0, 10).skip(7).collect().data).toEqual([7, 8, 9]);
    expect(Iter.range(0, 10).step_by(4).collect().data).toEqual([0, 4, 8]);
    expect(Iter.range(0, 10).map((x) => x * 2).rev().take(2).collect().data).toEqual([18, 16]);
    expect(Iter.range(1, 4).flat_map((n) => Iter.range(0, n)).count()).toBe(6);
    expect(Iter.range(0, 10).take_while((x) => x < 3).collect().data).toEqual([0, 1, 2]);
    expect(Iter.range(0, 6).skip_while((x) => x < 4).collect().data).toEqual([4, 5]);
    expect(Iter.successors(Some(1), (x) => (x < 100 ? Some(x * 10) : None)).collect().data).toEqual([1, 10, 100]);
  });

  it("consumers", () => {
    const v = Vec.from([3, 9, 2, 9, 1]);
    expect(v.iter().sum(i32)).toBe(24);
    expect(v.iter().fold(0, (a, x) => a * 10 + x)).toBe(39291);
    expect(v.iter().position((x) => x === 9)).toEqual(Some(1));
    expect(v.iter().max()).toEqual(Some(9));
    expect(v.iter().min()).toEqual(Some(1));
    expect(v.iter().any((x) => x > 8)).toBe(true);
    expect(v.iter().all((x) => x > 1)).toBe(false);
    expect(v.iter().find((x) => x < 3)).toEqual(Some(2));
    expect(v.iter().nth(3)).toEqual(Some(9));
    expect(v.iter().last()).toEqual(Some(1));
    expect(v.iter().count()).toBe(5);
    expect(Iter.empty<number>().max()).toBe(None);
    expect(Vec.from([1n, 2n, 3n]).iter().product(u64)).toBe(6n);
    expect(Vec.from([0.5, 0.25]).iter().sum(f64)).toBe(0.75);
    expect(Object.is(Iter.empty<number>().sum(f64), -0)).toBe(true);
    const [even, odd] = v.iter().partition((x) => x % 2 === 0);
    expect([even.data, odd.data]).toEqual([[2], [3, 9, 9, 1]]);
  });

  it("max keeps the last maximum, min the first minimum", () => {
    const items = Vec.from([
      { k: 1, id: "a" },
      { k: 3, id: "b" },
      { k: 3, id: "c" },
      { k: 1, id: "d" },
    ]);
    expect(items.iter().max_by_key((x) => x.k)).toMatchObject({ _0: { id: "c" } });
    expect(items.iter().min_by_key((x) => x.k)).toMatchObject({ _0: { id: "a" } });
    expect(items.iter().max_by((a, b) => cmp(a.k, b.k))).toMatchObject({ _0: { id: "c" } });
    expect(items.iter().min_by((a, b) => (a.k === b.k ? Ordering.Equal : cmp(a.k, b.k)))).toMatchObject({ _0: { id: "a" } });
  });

  it("sum overflows like the element type", () => {
    const fault = faultOf(() => Vec.from([200, 100]).iter().sum(u8, site("s.ds", 1, 9)));
    expect(fault.message).toBe("attempt to add with overflow (u8)");
    expect(fault.location).toBe("s.ds:1:9");
  });

  it("next, next_back and for..of", () => {
    const it = Vec.from([1, 2, 3]).iter();
    expect(it.next()).toEqual(Some(1));
    expect(it.next_back()).toEqual(Some(3));
    expect([...it]).toEqual([2]);
    expect(it.next()).toBe(None);
    const ty = T.vec(T.i32);
    expect(ty.kind).toBe("vec");
  });
});
