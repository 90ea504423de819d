import { describe, expect, it } from "vitest";
import {
  boolToInt,
  charFromDigit,
  charFromU32,
  charFromU8,
  displayF32,
  displayF64,
  f32,
  f64,
  formatFloat,
  i8,
  i32,
  i64,
  i128,
  parseF32,
  parseF64,
  parseFloatLiteral,
  parseIntLiteral,
  u8,
  u32,
  u64,
  u128,
  usize,
} from "#runtime";

const dbg = (x: number) => formatFloat(x, { bits: 64, mode: "debug" });
const dbg32 = (x: number) => formatFloat(x, { bits: 32, mode: "debug" });
const fixed = (x: number, precision: number) => formatFloat(x, { bits: 64, mode: "display", precision });
const exp = (x: number, precision?: number) => formatFloat(x, { bits: 64, mode: "exp", ...(precision !== undefined && { precision }) });

describe("`as` casts", () => {
  it("int to int truncates or sign-extends", () => {
    expect(u64.wrap(-1)).toBe(18446744073709551615n); // -1i32 as u64
    expect(u8.wrap(300)).toBe(44); // 300i32 as u8
    expect(i64.wrapBig(u64.MAX)).toBe(-1n); // u64::MAX as i64
    expect(i8.wrap(-129)).toBe(127);
    expect(i8.wrap(128)).toBe(-128);
    expect(u32.wrap(-1)).toBe(4294967295);
    expect(i32.wrap(0xffffffff)).toBe(-1); // u32::MAX as i32
    expect(u32.wrapBig(-1n)).toBe(4294967295); // -1i64 as u32
    expect(u128.wrap(-1)).toBe(2n ** 128n - 1n); // -1i8 as u128
    expect(usize.wrap(-1)).toBe(18446744073709551615n);
    expect(i128.wrapBig(2n ** 127n)).toBe(-(2n ** 127n));
    expect(u8.wrapBig(0x1234_5678_9abc_def0n)).toBe(0xf0);
  });

  it("float to int truncates toward zero and saturates; NaN is 0", () => {
    expect(u8.fromFloat(-1.5)).toBe(0);
    expect(i64.fromFloat(1e20)).toBe(9223372036854775807n);
    expect(i64.fromFloat(-1e20)).toBe(-9223372036854775808n);
    expect(i32.fromFloat(3.99)).toBe(3);
    expect(i32.fromFloat(-3.99)).toBe(-3);
    expect(i32.fromFloat(NaN)).toBe(0);
    expect(u64.fromFloat(Infinity)).toBe(u64.MAX);
    expect(i64.fromFloat(-Infinity)).toBe(i64.MIN);
    expect(u128.fromFloat(1e40)).toBe(u128.MAX);
    expect(u8.fromFloat(256)).toBe(255);
    expect(u8.fromFloat(255.9)).toBe(255);
    expect(Object.is(i32.fromFloat(-0.5), 0)).toBe(true);
    expect(u64.fromFloat(18446744073709549568)).toBe(18446744073709549568n); // largest double below 2^64
    expect(i64.fromFloat(-9223372036854775808)).toBe(i64.MIN);
  });

  it("int to float rounds to nearest, ties to even, in one step", () => {
    expect(displayF64(u64.toF64(u64.MAX))).toBe("18446744073709552000");
    expect(u64.toF64((1n << 53n) + 1n)).toBe(9007199254740992);
    expect(u32.toF32(16777217)).toBe(16777216);
    expect(u32.toF32(16777219)).toBe(16777220);
    // Through f64 this would round twice and land on 2^53.
    expect(u64.toF32((1n << 53n) + (1n << 29n) + 1n)).toBe(9007200328482816);
    expect(u128.toF32(u128.MAX)).toBe(Infinity);
    expect(i128.toF64(i128.MIN)).toBe(-(2 ** 127));
    expect(displayF32(i64.toF32(-123456789n))).toBe("-123456790");
  });

  it("char, bool and float-to-float casts", () => {
    expect(u8.wrap(65)).toBe(65); // 'A' as u8
    expect(u8.wrap(0x20ac)).toBe(172); // '€' as u8
    expect(String.fromCodePoint(charFromU8(65))).toBe("A"); // 65u8 as char
    expect(i32.wrap(boolToInt(true))).toBe(1);
    expect(charFromU32(0xd800)).toEqual({ $tag: "None" });
    expect(charFromU32(0x110000)).toEqual({ $tag: "None" });
    expect(charFromU32(0x1f600)).toEqual({ $tag: "Some", _0: 0x1f600 });
    expect(charFromDigit(11, 16)).toEqual({ $tag: "Some", _0: "b".codePointAt(0) });
    expect(charFromDigit(10, 10)).toEqual({ $tag: "None" });
    expect(displayF32(f64.toF32(0.1))).toBe("0.1");
    expect(displayF64(f64.toF32(0.1))).toBe("0.10000000149011612"); // 0.1f32 as f64
    expect(f64.toF32(1e40)).toBe(Infinity);
  });
});

describe("float Display ({})", () => {
  const table: [number, string][] = [
    [1.0, "1"],
    [1.5, "1.5"],
    [0.1 + 0.2, "0.30000000000000004"],
    [1e21, "1000000000000000000000"],
    [1e-7, "0.0000001"],
    [100, "100"],
    [-0.0, "-0"],
    [0, "0"],
    [NaN, "NaN"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
    [123456789012345680, "123456789012345680"],
    [2.5e-5, "0.000025"],
    [-1234.5, "-1234.5"],
    [f64.MAX, "17976931348623157" + "0".repeat(292)],
    [f64.MIN_POSITIVE, "0." + "0".repeat(307) + "22250738585072014"],
    [5e-324, "0." + "0".repeat(323) + "5"],
  ];
  for (const [x, text] of table) it(`${x} -> ${text.length > 40 ? text.slice(0, 20) + "…" : text}`, () => expect(displayF64(x)).toBe(text));

  it("f32 uses binary32's own shortest digits", () => {
    expect(displayF32(f32.of(0.1))).toBe("0.1");
    expect(displayF32(f32.of(0.3))).toBe("0.3");
    expect(displayF32(f32.div(1, 3))).toBe("0.33333334");
    expect(displayF32(16777216)).toBe("16777216");
    expect(displayF32(f32.MAX)).toBe("340282350000000000000000000000000000000");
    expect(dbg32(f32.from_bits(1))).toBe("1e-45");
    expect(dbg32(f32.MIN_POSITIVE)).toBe("1.1754944e-38");
    expect(dbg32(1e10)).toBe("10000000000.0");
    expect(displayF32(f32.add(f32.of(0.1), f32.of(0.2)))).toBe("0.3");
    // Every binary32 value near these powers of two must print digits that read back to it.
    for (const bits of [0x3f800000, 0x4b800000, 0x00800000, 0x7f7fffff, 0x3dcccccd, 0x7f000000, 0x4c000000]) {
      for (const d of [-1, 0, 1]) {
        const x = f32.from_bits(bits + d);
        const text = displayF32(x);
        expect(parseF32(text)).toEqual({ $tag: "Ok", _0: x });
      }
    }
  });
});

describe("float Debug ({:?})", () => {
  const table: [number, string][] = [
    [1.0, "1.0"],
    [0.1, "0.1"],
    [1e21, "1e21"],
    [1e-7, "1e-7"],
    [1e16, "1e16"],
    [1e15, "1000000000000000.0"],
    [0.0001, "0.0001"],
    [0.00001, "1e-5"],
    [-0.0, "-0.0"],
    [0, "0.0"],
    [1.5e300, "1.5e300"],
    [f64.MAX, "1.7976931348623157e308"],
    [-2.5e-8, "-2.5e-8"],
    [NaN, "NaN"],
    [-Infinity, "-inf"],
  ];
  for (const [x, text] of table) it(`${x} -> ${text}`, () => expect(dbg(x)).toBe(text));
});

describe("float precision and exponent forms", () => {
  it("rounds the exact binary value half to even", () => {
    expect(fixed(3.14159, 3)).toBe("3.142");
    expect(fixed(0.5, 0)).toBe("0");
    expect(fixed(1.5, 0)).toBe("2");
    expect(fixed(2.5, 0)).toBe("2");
    expect(fixed(0.25, 1)).toBe("0.2");
    expect(fixed(0.35, 1)).toBe("0.3"); // 0.35 is 0.34999999999999997779…
    expect(fixed(1.005, 2)).toBe("1.00");
    expect(fixed(0.125, 2)).toBe("0.12");
    expect(fixed(0.375, 2)).toBe("0.38");
    expect(fixed(-0.01, 1)).toBe("-0.0");
    expect(fixed(1e21, 3)).toBe("1000000000000000000000.000");
    expect(fixed(0.1, 20)).toBe("0.10000000000000000555");
    expect(fixed(NaN, 2)).toBe("NaN");
    expect(fixed(Infinity, 2)).toBe("inf");
  });

  it("{:e} and {:E}", () => {
    expect(exp(1234.5)).toBe("1.2345e3");
    expect(exp(1.0)).toBe("1e0");
    expect(exp(0.00012)).toBe("1.2e-4");
    expect(exp(0)).toBe("0e0");
    expect(formatFloat(1234.5, { bits: 64, mode: "EXP" })).toBe("1.2345E3");
    expect(exp(1234.5, 2)).toBe("1.23e3");
    expect(exp(2.5, 0)).toBe("2e0");
    expect(exp(9.999, 2)).toBe("1.00e1");
    expect(exp(0, 2)).toBe("0.00e0");
    expect(exp(-5e-324, 1)).toBe("-4.9e-324");
  });
});

describe("floats module", () => {
  it("methods whose Rust semantics differ from Math", () => {
    expect([f64.round(2.5), f64.round(-2.5), f64.round(0.49999999999999994)]).toEqual([3, -3, 0]);
    expect(Object.is(f64.round(-0.4), -0)).toBe(true);
    expect([f64.round_ties_even(2.5), f64.round_ties_even(3.5), f64.round_ties_even(-2.5)]).toEqual([2, 4, -2]);
    expect([f64.min(NaN, 1), f64.max(2, NaN)]).toEqual([1, 2]);
    expect([f64.signum(0), f64.signum(-0), f64.signum(-3)]).toEqual([1, -1, -1]);
    expect(f64.signum(NaN)).toBeNaN();
    // compiler-rt's square-and-multiply; Math.pow(1.1, 10) is 2.5937424601000023.
    expect(f64.powi(1.1, 10)).toBe(2.593742460100002);
    expect(f64.powi(2, -2)).toBe(0.25);
    expect(f64.rem_euclid(-7, 2)).toBe(1);
    expect(f64.div_euclid(-7, 2)).toBe(-4);
    expect(f64.to_bits(1)).toBe(0x3ff0000000000000n);
    expect(f64.from_bits(0x7ff0000000000000n)).toBe(Infinity);
    expect(f32.to_bits(1)).toBe(0x3f800000);
    expect(() => f64.clamp(1, 2, 1)).toThrow("min > max, or either was NaN. min = 2.0, max = 1.0");
  });
});

describe("parsing", () => {
  it("str::parse::<f64> and ::<f32>", () => {
    expect(parseF64("3.25")).toEqual({ $tag: "Ok", _0: 3.25 });
    expect(parseF64("1e5")).toEqual({ $tag: "Ok", _0: 100000 });
    expect(parseF64(".5")).toEqual({ $tag: "Ok", _0: 0.5 });
    expect(parseF64("1.")).toEqual({ $tag: "Ok", _0: 1 });
    expect(parseF64("-inf")).toEqual({ $tag: "Ok", _0: -Infinity });
    expect(parseF64("Infinity")).toEqual({ $tag: "Ok", _0: Infinity });
    expect(parseF64("")).toMatchObject({ $tag: "Err", _0: { kind: "Empty" } });
    for (const bad of ["0x10", " 1", "1_0", "e5", ".", "1e", "--1"]) expect(parseF64(bad)).toMatchObject({ $tag: "Err", _0: { kind: "Invalid" } });
    // 1 + 2^-24 + 2^-60: above the f32 midpoint, though its nearest f64 is the midpoint itself.
    expect(parseF32("1.000000059604644776257986737988403547205962240695953369140625")).toEqual({ $tag: "Ok", _0: 1.0000001192092896 });
    expect(parseF32("1.000000059604644775390625")).toEqual({ $tag: "Ok", _0: 1 });
  });

  it("DPL literals", () => {
    expect(parseIntLiteral("0xff_u8")).toEqual({ value: 255n, suffix: "u8" });
    expect(parseIntLiteral("1_000i64")).toEqual({ value: 1000n, suffix: "i64" });
    expect(parseIntLiteral("0b1010")).toEqual({ value: 10n });
    expect(parseIntLiteral("0o17usize")).toEqual({ value: 15n, suffix: "usize" });
    expect(parseIntLiteral("340282366920938463463374607431768211455u128")).toEqual({ value: u128.MAX, suffix: "u128" });
    expect(parseIntLiteral("0x1f32")).toEqual({ value: 0x1f32n });
    expect(parseIntLiteral("0x")).toBeUndefined();
    expect(parseIntLiteral("1.5")).toBeUndefined();
    expect(parseFloatLiteral("1.5")).toEqual({ value: 1.5 });
    expect(parseFloatLiteral("2.")).toEqual({ value: 2 });
    expect(parseFloatLiteral("1e-7")).toEqual({ value: 1e-7 });
    expect(parseFloatLiteral("1_000.25f32")).toEqual({ value: 1000.25, suffix: "f32" });
    expect(parseFloatLiteral("0.1f32")).toEqual({ value: Math.fround(0.1), suffix: "f32" });
    expect(parseFloatLiteral("7f64")).toEqual({ value: 7, suffix: "f64" });
    expect(parseFloatLiteral("7")).toBeUndefined();
  });
});
