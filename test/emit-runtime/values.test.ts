import { describe, expect, it } from "vitest";
import {
  Err,
  None,
  Ok,
  Option,
  Ordering,
  ParseIntError$ty,
  Result,
  Some,
  T,
  Vec,
  absurd,
  caught,
  clone,
  cmp,
  compare,
  eq,
  i32,
  optionFromNullable,
  optionToNullable,
  partial_cmp,
  propagate,
  site,
  strCmp,
  type ParseIntError,
} from "#runtime";
import { faultOf } from "./fault-of.js";


describe("Option", () => {
  it("queries and combinators", () => {
    const some: Option<number> = Some(4);
    const none: Option<number> = None;
    expect([Option.is_some(some), Option.is_none(none), Option.is_some_and(some, (x) => x > 3)]).toEqual([true, true, true]);
    expect(Option.unwrap_or(none, 7)).toBe(7);
    expect(Option.unwrap_or_else(none, () => 8)).toBe(8);
    expect(Option.map(some, (x) => x * 2)).toEqual(Some(8));
    expect(Option.map(none, (x) => x * 2)).toBe(None);
    expect(Option.and_then(some, (x) => (x > 5 ? Some(x) : None))).toBe(None);
    expect(Option.ok_or(none, "missing")).toEqual(Err("missing"));
    expect(Option.ok_or(some, "missing")).toEqual(Ok(4));
    expect(Option.filter(some, (x) => x % 2 === 0)).toBe(some);
    expect(Option.or(none, Some(1))).toEqual(Some(1));
    expect(Option.xor(some, Some(1))).toBe(None);
    expect(Option.zip(some, Some("a"))).toEqual(Some([4, "a"]));
    expect(Option.flatten(Some(Some(2)))).toEqual(Some(2));
    expect(Option.map_or(none, 0, (x) => x + 1)).toBe(0);
    expect(Option.transpose(Some(Ok(1)))).toEqual(Ok(Some(1)));
  });

  it("take/replace/get_or_insert_with work on places", () => {
    const place = { value: Some(1) as Option<number> };
    expect(Option.take(place)).toEqual(Some(1));
    expect(place.value).toBe(None);
    expect(Option.get_or_insert_with(place, () => 9)).toBe(9);
    expect(Option.replace(place, 3)).toEqual(Some(9));
    expect(place.value).toEqual(Some(3));
  });

  it("unwrap and expect fault with Rust's messages at the site", () => {
    const at = site("main.ds", 9, 21);
    const f = faultOf(() => Option.unwrap(None, at));
    expect([f.kind, f.message, f.location]).toEqual(["unwrap_none", "called `Option::unwrap()` on a `None` value", "main.ds:9:21"]);
    expect(faultOf(() => Option.expect(None, "no config")).message).toBe("no config");
    expect(Option.unwrap(Some(5))).toBe(5);
  });

  it("converts from and to the host ABI's nullable form", () => {
    expect(optionFromNullable(null)).toBe(None);
    expect(optionFromNullable(0)).toEqual(Some(0));
    expect(optionToNullable(Some(2))).toBe(2);
    expect(optionToNullable(None)).toBeNull();
  });
});

describe("Result", () => {
  const bad = i32.parse("x1") as Result<number, ParseIntError>;
  it("unwrap on Err quotes the error's Debug", () => {
    const f = faultOf(() => Result.unwrap(bad, site("m.ds", 2, 3), ParseIntError$ty));
    expect(f.kind).toBe("unwrap_err");
    expect(f.message).toBe("called `Result::unwrap()` on an `Err` value: ParseIntError { kind: InvalidDigit }");
    // Without a descriptor the error type's own Debug hook still gives Rust's text.
    expect(faultOf(() => Result.unwrap(bad)).message).toBe("called `Result::unwrap()` on an `Err` value: ParseIntError { kind: InvalidDigit }");
    expect(faultOf(() => Result.expect(Err("boom"), "loading", undefined, T.str)).message).toBe('loading: "boom"');
    expect(faultOf(() => Result.unwrap_err(Ok(3), undefined, T.i32)).message).toBe("called `Result::unwrap_err()` on an `Ok` value: 3");
  });

  it("combinators", () => {
    const ok: Result<number, string> = Ok(2);
    const err: Result<number, string> = Err("e");
    expect(Result.map(ok, (x) => x + 1)).toEqual(Ok(3));
    expect(Result.map(err, (x) => x + 1)).toBe(err);
    expect(Result.map_err(err, (e) => e.length)).toEqual(Err(1));
    expect(Result.and_then(ok, (x) => (x > 1 ? Err("big") : Ok(x)))).toEqual(Err("big"));
    expect(Result.ok(err)).toBe(None);
    expect(Result.err(err)).toEqual(Some("e"));
    expect(Result.unwrap_or_else(err, (e) => e.length * 10)).toBe(10);
    expect(Result.or_else(err, () => Ok(0))).toEqual(Ok(0));
    expect(Result.is_err_and(err, (e) => e === "e")).toBe(true);
    expect(Result.transpose(Ok(None))).toBe(None);
  });
});

describe("the ? operator", () => {
  // fn sum_pair(a: &str, b: &str) -> Result<i32, ParseIntError> { Ok(a.parse::<i32>()? + b.parse::<i32>()?) }
  function sumPair(a: string, b: string): Result<number, ParseIntError> {
    try {
      return Ok(i32.add(propagate(i32.parse(a)), propagate(i32.parse(b))));
    } catch (e) {
      return caught(e);
    }
  }
  // fn first_even(v: &Vec<i32>) -> Option<i32> { let x = v.first()?; if x % 2 == 0 { Some(*x) } else { None } }
  function firstEven(v: Vec<number>): Option<number> {
    const first = v.first();
    if (first.$tag === "None") return first;
    return first._0 % 2 === 0 ? Some(first._0) : None;
  }

  it("returns the payload or the residual", () => {
    expect(sumPair("2", "40")).toEqual(Ok(42));
    expect(sumPair("2", "4x")).toMatchObject({ $tag: "Err", _0: { kind: "InvalidDigit" } });
    expect(firstEven(Vec.from([4, 1]))).toEqual(Some(4));
    expect(firstEven(Vec.new())).toBe(None);
  });

  it("does not swallow faults", () => {
    function overflowInside(): Result<number, ParseIntError> {
      try {
        return Ok(i32.add(propagate(i32.parse("2147483647")), 1));
      } catch (e) {
        return caught(e);
      }
    }
    expect(faultOf(overflowInside).kind).toBe("overflow");
  });
});

describe("comparison, equality, clone", () => {
  it("eq is structural", () => {
    expect(eq(Vec.from([1, 2]), Vec.from([1, 2]))).toBe(true);
    expect(eq(Vec.from([1, 2]), Vec.from([1, 2, 3]))).toBe(false);
    expect(eq(Some(Vec.from(["a"])), Some(Vec.from(["a"])))).toBe(true);
    expect(eq({ x: 1, y: [2, 3] }, { x: 1, y: [2, 4] })).toBe(false);
    expect(eq({ $tag: "A", _0: 1 }, { $tag: "B", _0: 1 })).toBe(false);
    expect(eq(NaN, NaN)).toBe(false);
    expect(eq(0, -0)).toBe(true);
  });

  it("cmp follows derived Ord", () => {
    expect(strCmp("\u{ffff}", "\u{10000}")).toBe(-1); // JS `<` says the opposite
    expect(cmp("é", "z")).toBe(Ordering.Greater);
    expect(cmp(None, Some(0))).toBe(Ordering.Less);
    expect(cmp(Ok(5), Err(0))).toBe(Ordering.Less);
    expect(cmp([1, "b"], [1, "a"])).toBe(Ordering.Greater);
    expect(cmp(Vec.from([1, 2]), Vec.from([1, 2, 0]))).toBe(Ordering.Less);
    expect(cmp(10n ** 30n, 10n ** 30n + 1n)).toBe(Ordering.Less);
    const Level$ty = T.enum("Level", { Low: null, High: [T.i32] });
    expect(compare({ $tag: "High", _0: 0 }, { $tag: "Low" }, Level$ty)).toBe(1);
    expect(compare({ $tag: "High", _0: 1 }, { $tag: "High", _0: 2 }, Level$ty)).toBe(-1);
    expect(() => compare({ $tag: "High", _0: 0 }, { $tag: "Low" })).toThrow("descriptor");
    expect(partial_cmp(NaN, 1)).toBe(None);
    expect(partial_cmp(1, 2)).toEqual(Some(Ordering.Less));
    expect(Ordering.then(Ordering.Equal, Ordering.Greater)).toBe(Ordering.Greater);
    expect(Ordering.reverse(Ordering.Less)).toBe(Ordering.Greater);
  });

  it("clone is deep for mutable parts", () => {
    const original = Vec.from([Vec.from([1]), Vec.from([2])]);
    const copy = clone(original);
    copy.at(0n).push(9);
    expect(original.at(0n).data).toEqual([1]);
    const s = { name: "p", tags: Vec.from(["a"]) };
    const t = clone(s);
    t.tags.push("b");
    expect(s.tags.data).toEqual(["a"]);
    expect(clone(None)).toBe(None);
  });

  it("absurd guards exhaustive switches", () => {
    const shape = { $tag: "Square" } as never;
    expect(() => absurd(shape)).toThrow("unreachable");
  });
});
