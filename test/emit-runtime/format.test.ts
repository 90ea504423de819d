import { describe, expect, it } from "vitest";
import {
  Err,
  FormatStringError,
  None,
  Ok,
  Ordering,
  ParseIntError,
  ParseIntError$ty,
  Some,
  T,
  Vec,
  arg,
  captureOutput,
  debugOf,
  displayOf,
  format,
  named,
  parseFormat,
  prettyDebugOf,
  print,
  println,
  eprintln,
  type Ty,
} from "#runtime";

const Point$ty = T.struct("Point", { x: T.i32, y: T.i32 });
const PointF$ty = T.struct("PointF", { x: T.f64, y: T.f64 });
const Meters$ty = T.struct("Meters", [T.u32]);
const Unit$ty = T.struct("Unit", null);
const Shape$ty = T.enum("Shape", { Circle: [T.f64], Rect: { w: T.f64, h: T.f64 }, Empty: null });
const List$ty: Ty = T.enum("List", () => ({ Cons: [T.i32, List$ty], Nil: null }));
const c = (s: string) => s.codePointAt(0)!;

describe("width, fill, alignment, sign, radix", () => {
  const table: [string, unknown, Ty, string][] = [
    ["{:>8}", "abc", T.str, "     abc"],
    ["{:<5}|", 42, T.i32, "42   |"],
    ["{:5}|", 42, T.i32, "   42|"],
    ["{:5}|", "ab", T.str, "ab   |"],
    ["{:^7}|", "ab", T.str, "  ab   |"],
    ["{:*^9}", "hi", T.str, "***hi****"],
    ["{:08}", -42, T.i32, "-0000042"],
    ["{:08}", 42n, T.u64, "00000042"],
    ["{:+}", 5, T.i32, "+5"],
    ["{:+}", -5n, T.i64, "-5"],
    ["{:+}", 0.0, T.f64, "+0"],
    ["{:08.3}", -3.14159, T.f64, "-003.142"],
    ["{:>10.2}|", 2.5, T.f64, "      2.50|"],
    ["{:<8?}|", 1.0, T.f64, "1.0     |"],
    ["{:x}", 255, T.i32, "ff"],
    ["{:X}", 255, T.u8, "FF"],
    ["{:#x}", 255, T.i32, "0xff"],
    ["{:#010x}", 255, T.i32, "0x000000ff"],
    ["{:#10x}|", 255, T.i32, "      0xff|"],
    ["{:b}", 5, T.u8, "101"],
    ["{:#b}", 5, T.u8, "0b101"],
    ["{:o}", 8, T.i32, "10"],
    ["{:#o}", 8, T.i32, "0o10"],
    ["{:x}", -1, T.i8, "ff"],
    ["{:x}", -1, T.i32, "ffffffff"],
    ["{:X}", -(2n ** 63n), T.i64, "8000000000000000"],
    ["{:b}", -2, T.i8, "11111110"],
    ["{:x}", -1n, T.i128, "f".repeat(32)],
    ["{:.3}", "abcdef", T.str, "abc"],
    ["{:>6.2}", "abcdef", T.str, "    ab"],
    ["{:5}|", true, T.bool, "true |"],
    ["{:>5}", c("x"), T.char, "    x"],
    ["{:05}|", "ab", T.str, "ab   |"],
    ["{:e}", 1234, T.i32, "1.234e3"],
    ["{:e}", 1200n, T.u64, "1.2e3"],
    ["{:E}", -5, T.i32, "-5E0"],
    ["{:.2e}", 1235, T.i32, "1.24e3"],
    ["{:.2e}", 1225, T.i32, "1.22e3"],
    ["{:.3e}", 12, T.i32, "1.200e1"],
    ["{:.0e}", 1500, T.i32, "2e3"],
    ["{:e}", 1234.5, T.f64, "1.2345e3"],
    ["{:>3}", "wide", T.str, "wide"],
    ["{:^5}|", "é", T.str, "  é  |"],
  ];
  for (const [template, value, ty, expected] of table) {
    it(`${template} of ${String(value)}`, () => expect(format(template, arg(value, ty))).toBe(expected));
  }

  it("braces, positional, named, and `$`/`*` counts", () => {
    expect(format("{{}} {{{}}}", arg(1, T.i32))).toBe("{} {1}");
    expect(format("{0} {1} {0}", arg("a", T.str), arg("b", T.str))).toBe("a b a");
    expect(format("{} {x} {}", arg(1, T.i32), arg(2, T.i32), named("x", "X", T.str))).toBe("1 X 2");
    expect(format("{:>1$}|", arg("ab", T.str), arg(5n, T.usize))).toBe("   ab|");
    expect(format("{:>w$}|", arg(7, T.i32), named("w", 4n, T.usize))).toBe("   7|");
    expect(format("{:.*}", arg(2n, T.usize), arg(1.23456, T.f64))).toBe("1.23");
    expect(format("{:.prec$}", arg(1.5, T.f64), named("prec", 3n, T.usize))).toBe("1.500");
    expect(format("{0:?} {0}", arg("q\"", T.str))).toBe('"q\\"" q"');
  });

  it("rejects malformed templates like rustc does", () => {
    expect(() => parseFormat("{")).toThrow(FormatStringError);
    expect(() => parseFormat("a } b")).toThrow("invalid format string: unmatched `}` found");
    expect(() => parseFormat("{:y}")).toThrow(FormatStringError);
    expect(() => parseFormat("{:.}")).toThrow(FormatStringError);
    expect(parseFormat("{} {x} {2:?}")).toMatchObject({ positional: 3, named: ["x"] });
    expect(() => format("{} {}", arg(1, T.i32))).toThrow("positional argument 1 was not passed");
  });
});

describe("Debug", () => {
  const table: [unknown, Ty, string][] = [
    ["a\"b\n\t\\", T.str, '"a\\"b\\n\\t\\\\"'],
    ["it's", T.str, '"it\'s"'],
    ["\0\r\u{7f}", T.str, '"\\0\\r\\u{7f}"'],
    ["é😀", T.str, '"é😀"'],
    ["e\u{301}", T.str, '"e\\u{301}"'],
    ["\u{200b}\u{a0} x", T.str, '"\\u{200b}\\u{a0} x"'],
    [c("a"), T.char, "'a'"],
    [c("'"), T.char, "'\\''"],
    [c('"'), T.char, "'\"'"],
    [c("\n"), T.char, "'\\n'"],
    [Some(3), T.option(T.i32), "Some(3)"],
    [Some(Some(None)), T.option(T.option(T.option(T.i32))), "Some(Some(None))"],
    [Ok(Vec.from(["a"])), T.result(T.vec(T.str), T.unit), 'Ok(["a"])'],
    [Err("bad"), T.result(T.i32, T.str), 'Err("bad")'],
    [Vec.from([1, 2, 3]), T.vec(T.i32), "[1, 2, 3]"],
    [Vec.from([Some(1.0), None]), T.vec(T.option(T.f64)), "[Some(1.0), None]"],
    [Vec.from([Vec.from([1]), Vec.from([2, 3])]), T.vec(T.vec(T.u8)), "[[1], [2, 3]]"],
    [Vec.from([]), T.vec(T.i32), "[]"],
    [[1, "a", c("c")], T.tuple(T.i32, T.str, T.char), '(1, "a", \'c\')'],
    [[5], T.tuple(T.i32), "(5,)"],
    [undefined, T.unit, "()"],
    [{ x: 1, y: -2 }, Point$ty, "Point { x: 1, y: -2 }"],
    [{ x: 1, y: 2.5 }, PointF$ty, "PointF { x: 1.0, y: 2.5 }"],
    [{ _0: 5 }, Meters$ty, "Meters(5)"],
    [{}, Unit$ty, "Unit"],
    [{ $tag: "Circle", _0: 1.5 }, Shape$ty, "Circle(1.5)"],
    [{ $tag: "Rect", w: 1, h: 2 }, Shape$ty, "Rect { w: 1.0, h: 2.0 }"],
    [{ $tag: "Empty" }, Shape$ty, "Empty"],
    [{ $tag: "Cons", _0: 1, _1: { $tag: "Cons", _0: 2, _1: { $tag: "Nil" } } }, List$ty, "Cons(1, Cons(2, Nil))"],
    [Ordering.Less, T.ordering, "Less"],
    [-0.0, T.f64, "-0.0"],
    [Math.fround(0.1), T.f32, "0.1"],
    [123456789012345678901234567890n, T.u128, "123456789012345678901234567890"],
    [new ParseIntError("InvalidDigit"), ParseIntError$ty, "ParseIntError { kind: InvalidDigit }"],
  ];
  for (const [value, ty, expected] of table) it(expected, () => expect(debugOf(value, ty)).toBe(expected));

  it("pretty ({:#?})", () => {
    expect(prettyDebugOf({ x: 1, y: 2 }, Point$ty)).toBe("Point {\n    x: 1,\n    y: 2,\n}");
    expect(prettyDebugOf(Vec.from([1, 2]), T.vec(T.i32))).toBe("[\n    1,\n    2,\n]");
    expect(prettyDebugOf(Some({ x: 1, y: 2 }), T.option(Point$ty))).toBe("Some(\n    Point {\n        x: 1,\n        y: 2,\n    },\n)");
    expect(prettyDebugOf([1], T.tuple(T.i32))).toBe("(\n    1,\n)");
    expect(prettyDebugOf(Vec.from([]), T.vec(T.i32))).toBe("[]");
    expect(prettyDebugOf(None, T.option(T.i32))).toBe("None");
    expect(prettyDebugOf({ $tag: "Rect", w: 1, h: 2 }, Shape$ty)).toBe("Rect {\n    w: 1.0,\n    h: 2.0,\n}");
    expect(prettyDebugOf(new ParseIntError("Empty"), ParseIntError$ty)).toBe("ParseIntError {\n    kind: Empty,\n}");
  });

  it("passes width and precision down to the leaves, as derived Debug does", () => {
    expect(format("{:5?}", arg(Some(1), T.option(T.i32)))).toBe("Some(    1)");
    expect(format("{:>8?}", arg("hi", T.str))).toBe('"hi"');
    expect(format("{:>6?}|", arg(None, T.option(T.i32)))).toBe("None|");
    expect(format("{:x?}", arg(Vec.from([255, 16]), T.vec(T.i32)))).toBe("[ff, 10]");
    expect(format("{:#x?}", arg(Vec.from([255]), T.vec(T.i32)))).toBe("[\n    0xff,\n]");
    expect(format("{:.1?}", arg(Vec.from([0.25, 1.0]), T.vec(T.f64)))).toBe("[0.2, 1.0]");
    expect(format("{:3?}", arg({ x: 1, y: 2 }, Point$ty))).toBe("Point { x:   1, y:   2 }");
  });

  it("Display of primitives and custom impls", () => {
    expect(displayOf(c("é"), T.char)).toBe("é");
    expect(displayOf(18446744073709551615n, T.u64)).toBe("18446744073709551615");
    expect(displayOf(new ParseIntError("PosOverflow"), ParseIntError$ty)).toBe("number too large to fit in target type");
    const Celsius$ty = T.custom<{ deg: number }>("Celsius", { display: (v) => `${v.deg}°C` });
    expect(format("[{:>10}]", arg({ deg: 21 }, Celsius$ty))).toBe("[21°C]");
    expect(() => displayOf(Vec.from([1]), T.vec(T.i32))).toThrow("does not implement Display");
  });
});

describe("Debug of std's collections (structs over Vecs, printed as Rust prints them)", () => {
  const Map$ty = T.collection("BTreeMap", "map", { keys: T.vec(T.u8), vals: T.vec(T.str) });
  const Set$ty = T.collection("HashSet", "set", { items: T.vec(T.i32) });
  const Deque$ty = T.collection("VecDeque", "list", { items: T.vec(T.option(T.u8)) });
  const map = { keys: Vec.from([1, 2]), vals: Vec.from(["a", "b"]) };

  it("maps as {k: v}, sets as {a, b}, a deque as a list; empty ones as {} and []", () => {
    expect(debugOf(map, Map$ty)).toBe('{1: "a", 2: "b"}');
    expect(debugOf({ items: Vec.from([3, -1]) }, Set$ty)).toBe("{3, -1}");
    expect(debugOf({ items: Vec.from([Some(1), None]) }, Deque$ty)).toBe("[Some(1), None]");
    expect(debugOf({ keys: Vec.from([]), vals: Vec.from([]) }, Map$ty)).toBe("{}");
    expect(prettyDebugOf({ items: Vec.from([]) }, Deque$ty)).toBe("[]");
  });

  it("pretty-prints one entry per line, nested values indented, as std's debug_map does", () => {
    expect(prettyDebugOf(map, Map$ty)).toBe('{\n    1: "a",\n    2: "b",\n}');
    const Nested$ty = T.collection("BTreeMap", "map", { keys: T.vec(T.u8), vals: T.vec(Set$ty) });
    const nested = { keys: Vec.from([7]), vals: Vec.from([{ items: Vec.from([1]) }]) };
    expect(debugOf(nested, Nested$ty)).toBe("{7: {1}}");
    expect(prettyDebugOf(nested, Nested$ty)).toBe("{\n    7: {\n        1,\n    },\n}");
  });
});

describe("print! and println!", () => {
  it("write to the installed sinks, capturable", () => {
    const captured = captureOutput(() => {
      print("a{}", arg(1, T.i32));
      println();
      println("{:?}", arg(Some("x"), T.option(T.str)));
      eprintln("warn {}", arg(false, T.bool));
    });
    expect(captured).toEqual({ stdout: 'a1\nSome("x")\n', stderr: "warn false\n" });
  });
});
