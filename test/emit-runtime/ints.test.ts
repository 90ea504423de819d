import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  DplFault,
  INT_NAMES,
  intOps,
  i8,
  i16,
  i32,
  i64,
  i64h,
  i128,
  isize,
  site,
  u8,
  u16,
  u32,
  u64,
  u64h,
  u128,
  usize,
  type IntName,
  type IntOps,
  type Option,
} from "#runtime";
import { faultOf } from "./fault-of.js";
import { inlineArith, intKind } from "../../src/emit/inline-ints.js";
import { e, frag, fragText, Prec, type E, type Frag } from "../../src/emit/writer.js";

/** Runs `f` and returns the fault it raised (failing the test if it did not fault). */

const U64_MAX = 18446744073709551615n;
const I64_MAX = 9223372036854775807n;
const I64_MIN = -9223372036854775808n;
const U128_MAX = 340282366920938463463374607431768211455n;
const I128_MAX = 170141183460469231731687303715884105727n;
const I128_MIN = -170141183460469231731687303715884105728n;

describe("bounds", () => {
  it("MIN and MAX print as Rust prints them", () => {
    expect(u64.display(u64.MAX)).toBe("18446744073709551615");
    expect(i64.display(i64.MAX)).toBe("9223372036854775807");
    expect(i64.display(i64.MIN)).toBe("-9223372036854775808");
    expect(u128.display(u128.MAX)).toBe("340282366920938463463374607431768211455");
    expect(i128.display(i128.MIN)).toBe("-170141183460469231731687303715884105728");
    expect(i128.display(i128.MAX)).toBe("170141183460469231731687303715884105727");
    expect(usize.display(usize.MAX)).toBe("18446744073709551615");
    expect(isize.display(isize.MIN)).toBe("-9223372036854775808");
    expect([u8.MAX, u16.MAX, u32.MAX, i8.MIN, i16.MIN, i32.MIN, i32.MAX]).toEqual([255, 65535, 4294967295, -128, -32768, -2147483648, 2147483647]);
    expect([u8.BITS, i64.BITS, u128.BITS, usize.BITS]).toEqual([8, 64, 128, 64]);
  });

  it("arithmetic is exact right up to the edges", () => {
    expect(u64.add(U64_MAX - 1n, 1n)).toBe(U64_MAX);
    expect(i64.add(I64_MAX - 5n, 5n)).toBe(I64_MAX);
    expect(i64.sub(I64_MIN + 1n, 1n)).toBe(I64_MIN);
    expect(u128.mul(1n << 64n, (1n << 64n) - 1n)).toBe(U128_MAX - ((1n << 64n) - 1n));
    expect(i128.sub(0n, I128_MAX)).toBe(I128_MIN + 1n);
    expect(u64.mul(4294967296n, 4294967295n)).toBe(18446744069414584320n);
    expect(i32.mul(-46341, 46340)).toBe(-2147441940);
    expect(u32.add(4294967294, 1)).toBe(4294967295);
  });
});

describe("overflow faults", () => {
  const cases: [string, () => unknown, string][] = [
    ["u64::MAX + 1", () => u64.add(U64_MAX, 1n), "attempt to add with overflow (u64)"],
    ["i64::MAX + 1", () => i64.add(I64_MAX, 1n), "attempt to add with overflow (i64)"],
    ["i64::MIN - 1", () => i64.sub(I64_MIN, 1n), "attempt to subtract with overflow (i64)"],
    ["0u32 - 1", () => u32.sub(0, 1), "attempt to subtract with overflow (u32)"],
    ["0usize - 1", () => usize.sub(0n, 1n), "attempt to subtract with overflow (usize)"],
    ["u128::MAX + 1", () => u128.add(U128_MAX, 1n), "attempt to add with overflow (u128)"],
    ["i128::MAX + 1", () => i128.add(I128_MAX, 1n), "attempt to add with overflow (i128)"],
    ["i128::MIN * -1", () => i128.mul(I128_MIN, -1n), "attempt to multiply with overflow (i128)"],
    ["i32::MAX * 2", () => i32.mul(i32.MAX, 2), "attempt to multiply with overflow (i32)"],
    ["65536 * 65536 as u32", () => u32.mul(65536, 65536), "attempt to multiply with overflow (u32)"],
    ["200u8 + 100", () => u8.add(200, 100), "attempt to add with overflow (u8)"],
    ["-128i8 - 1", () => i8.sub(-128, 1), "attempt to subtract with overflow (i8)"],
    ["i64::MIN / -1", () => i64.div(I64_MIN, -1n), "attempt to divide with overflow (i64)"],
    ["i32::MIN / -1", () => i32.div(i32.MIN, -1), "attempt to divide with overflow (i32)"],
    ["i64::MIN % -1", () => i64.rem(I64_MIN, -1n), "attempt to calculate the remainder with overflow (i64)"],
    ["i8::MIN % -1", () => i8.rem(-128, -1), "attempt to calculate the remainder with overflow (i8)"],
    ["-i32::MIN", () => i32.neg(i32.MIN), "attempt to negate with overflow (i32)"],
    ["-i128::MIN", () => i128.neg(I128_MIN), "attempt to negate with overflow (i128)"],
    ["i128::MIN.abs()", () => i128.abs(I128_MIN), "attempt to negate with overflow (i128)"],
    ["i16::MIN.abs()", () => i16.abs(-32768), "attempt to negate with overflow (i16)"],
    ["2u64.pow(64)", () => u64.pow(2n, 64), "attempt to multiply with overflow (u64)"],
    ["3i128.pow(81)", () => i128.pow(3n, 81), "attempt to multiply with overflow (i128)"],
    ["10i32.pow(10)", () => i32.pow(10, 10), "attempt to multiply with overflow (i32)"],
    ["1u8 << 8", () => u8.shl(1, 8), "attempt to shift left with overflow (u8)"],
    ["1u64 << 64", () => u64.shl(1n, 64), "attempt to shift left with overflow (u64)"],
    ["1i32 >> 32", () => i32.shr(1, 32), "attempt to shift right with overflow (i32)"],
    ["1i32 << -1", () => i32.shl(1, -1), "attempt to shift left with overflow (i32)"],
    ["1u128 >> 128", () => u128.shr(1n, 128), "attempt to shift right with overflow (u128)"],
  ];
  for (const [expr, run, message] of cases) {
    it(`${expr} faults`, () => {
      const fault = faultOf(run);
      expect(fault.kind).toBe("overflow");
      expect(fault.message).toBe(message);
    });
  }

  it("division and remainder by zero have their own kind and wording", () => {
    const d = faultOf(() => i32.div(1, 0));
    expect([d.kind, d.message]).toEqual(["division_by_zero", "attempt to divide by zero (i32)"]);
    const r = faultOf(() => u64.rem(1n, 0n));
    expect([r.kind, r.message]).toEqual(["division_by_zero", "attempt to calculate the remainder with a divisor of zero (u64)"]);
    expect(faultOf(() => u8.wrapping_div(1, 0)).kind).toBe("division_by_zero");
    expect(faultOf(() => i128.rem_euclid(1n, 0n)).kind).toBe("division_by_zero");
  });

  it("quotes the expression and reports the .ds site", () => {
    const at = site("main.ds", 3, 13, "x + 1");
    const fault = faultOf(() => u64.add(U64_MAX, 1n, at));
    expect(fault.message).toBe("attempt to add with overflow in `x + 1` (u64)");
    expect(fault.site).toBe(at);
    expect(fault.location).toBe("main.ds:3:13");
  });
});

describe("signed division, remainder and shifts", () => {
  it("truncates toward zero and keeps the dividend's sign", () => {
    const table: [number, number, number, number][] = [
      [-7, 2, -3, -1],
      [7, -2, -3, 1],
      [-7, -2, 3, -1],
      [7, 2, 3, 1],
      [-1, 3, 0, -1],
      [i32.MIN, 2, -1073741824, 0],
    ];
    for (const [a, b, q, r] of table) {
      expect([i32.div(a, b), i32.rem(a, b)]).toEqual([q, r]);
      expect([i64.div(BigInt(a), BigInt(b)), i64.rem(BigInt(a), BigInt(b))]).toEqual([BigInt(q), BigInt(r)]);
    }
    expect(Object.is(i32.rem(-4, 2), 0)).toBe(true); // never -0
    expect(Object.is(i32.div(0, -5), 0)).toBe(true);
    expect(Object.is(i32.mul(0, -5), 0)).toBe(true);
  });

  it("div_euclid and rem_euclid", () => {
    expect([i32.div_euclid(-7, 2), i32.rem_euclid(-7, 2)]).toEqual([-4, 1]);
    expect([i32.div_euclid(7, -2), i32.rem_euclid(7, -2)]).toEqual([-3, 1]);
    expect([i32.div_euclid(-7, -2), i32.rem_euclid(-7, -2)]).toEqual([4, 1]);
    expect([i64.div_euclid(-7n, 2n), i64.rem_euclid(-7n, 2n)]).toEqual([-4n, 1n]);
    expect(i8.rem_euclid(-1, -128)).toBe(127);
  });

  it("shifts: bits shifted out are lost, >> is arithmetic on signed types", () => {
    expect(i32.shl(1, 31)).toBe(-2147483648);
    expect(u8.shl(0xff, 4)).toBe(0xf0);
    expect(i8.shl(1, 7)).toBe(-128);
    expect(u32.shl(0xffffffff, 1)).toBe(0xfffffffe);
    expect(i32.shr(-8, 1)).toBe(-4);
    expect(i8.shr(-128, 7)).toBe(-1);
    expect(u8.shr(200, 3)).toBe(25);
    expect(u32.shr(0x80000000, 31)).toBe(1);
    expect(u64.shl(1n, 63)).toBe(9223372036854775808n);
    expect(i64.shl(1n, 63)).toBe(I64_MIN);
    expect(i64.shr(-1n, 63)).toBe(-1n);
    expect(i64.shr(I64_MIN, 1)).toBe(-4611686018427387904n);
    expect(u128.shl(U128_MAX, 127)).toBe(1n << 127n);
    expect(i128.shr(I128_MIN, 127)).toBe(-1n);
  });
});

describe("wrapping, checked, saturating, overflowing", () => {
  const none: Option<never> = { $tag: "None" };
  it("wrapping_*", () => {
    expect(u8.wrapping_add(255, 1)).toBe(0);
    expect(i32.wrapping_add(i32.MAX, 1)).toBe(i32.MIN);
    expect(i64.wrapping_sub(I64_MIN, 1n)).toBe(I64_MAX);
    expect(u64.wrapping_mul(U64_MAX, 2n)).toBe(U64_MAX - 1n);
    expect(i32.wrapping_mul(0x10000, 0x10000)).toBe(0);
    expect(u32.wrapping_mul(0xffffffff, 0xffffffff)).toBe(1);
    expect(i32.wrapping_neg(i32.MIN)).toBe(i32.MIN);
    expect(u32.wrapping_neg(1)).toBe(4294967295);
    expect(u32.wrapping_shl(1, 33)).toBe(2);
    expect(i64.wrapping_shr(-16n, 66)).toBe(-4n);
    expect(i32.wrapping_div(i32.MIN, -1)).toBe(i32.MIN);
    expect(i32.wrapping_rem(i32.MIN, -1)).toBe(0);
    expect(i64.wrapping_div(I64_MIN, -1n)).toBe(I64_MIN);
    expect(u8.wrapping_pow(3, 5)).toBe(243);
    expect(u8.wrapping_pow(3, 6)).toBe(729 % 256);
    expect(i64.wrapping_pow(3n, 41)).toBe(BigInt.asIntN(64, 3n ** 41n));
  });

  it("checked_* return Option", () => {
    expect(u8.checked_add(200, 100)).toEqual(none);
    expect(u8.checked_add(200, 55)).toEqual({ $tag: "Some", _0: 255 });
    expect(i32.checked_div(5, 0)).toEqual(none);
    expect(i32.checked_div(i32.MIN, -1)).toEqual(none);
    expect(i32.checked_rem(i32.MIN, -1)).toEqual(none);
    expect(i32.checked_pow(2, 31)).toEqual(none);
    expect(i32.checked_pow(-2, 31)).toEqual({ $tag: "Some", _0: i32.MIN });
    expect(i32.checked_pow(2, 30)).toEqual({ $tag: "Some", _0: 1073741824 });
    expect(u32.checked_neg(0)).toEqual({ $tag: "Some", _0: 0 });
    expect(u32.checked_neg(1)).toEqual(none);
    expect(u64.checked_sub(0n, 1n)).toEqual(none);
    expect(u64.checked_shl(1n, 64)).toEqual(none);
    expect(i128.checked_mul(I128_MAX, 1n)).toEqual({ $tag: "Some", _0: I128_MAX });
    expect(u64.checked_pow(10n, 19)).toEqual({ $tag: "Some", _0: 10n ** 19n });
    expect(u64.checked_pow(10n, 20)).toEqual(none);
  });

  it("saturating_* and overflowing_*", () => {
    expect(u8.saturating_add(200, 100)).toBe(255);
    expect(u8.saturating_sub(10, 20)).toBe(0);
    expect(i32.saturating_sub(i32.MIN, 1)).toBe(i32.MIN);
    expect(i32.saturating_mul(-5, i32.MAX)).toBe(i32.MIN);
    expect(i32.saturating_pow(-2, 33)).toBe(i32.MIN);
    expect(i32.saturating_pow(-2, 32)).toBe(i32.MAX);
    expect(i32.saturating_div(i32.MIN, -1)).toBe(i32.MAX);
    expect(i64.saturating_add(I64_MAX, I64_MAX)).toBe(I64_MAX);
    expect(u128.saturating_mul(U128_MAX, 2n)).toBe(U128_MAX);
    expect(u8.overflowing_add(255, 1)).toEqual([0, true]);
    expect(i64.overflowing_sub(0n, 1n)).toEqual([-1n, false]);
    expect(u64.overflowing_mul(1n << 63n, 2n)).toEqual([0n, true]);
  });

  it("pow, abs, signum, clamp", () => {
    expect(u64.pow(2n, 63)).toBe(9223372036854775808n);
    expect(i128.pow(3n, 80)).toBe(147808829414345923316083210206383297601n);
    expect(i32.pow(-2, 31)).toBe(i32.MIN);
    expect(i32.pow(7, 0)).toBe(1);
    expect(i8.abs(-5)).toBe(5);
    expect([i32.signum(-9), i32.signum(0), i64.signum(12n)]).toEqual([-1, 0, 1n]);
    expect(i32.clamp(15, 0, 10)).toBe(10);
    expect(faultOf(() => i32.clamp(1, 5, 0)).message).toBe("assertion failed: min <= max");
  });

  it("bit counting and rotation", () => {
    expect(i8.count_ones(-1)).toBe(8);
    expect(u128.count_ones(U128_MAX)).toBe(128);
    expect(u64.leading_zeros(1n)).toBe(63);
    expect(i32.leading_zeros(-1)).toBe(0);
    expect(u16.leading_zeros(1)).toBe(15);
    expect(u16.trailing_zeros(0)).toBe(16);
    expect(i64.trailing_zeros(8n)).toBe(3);
    expect(i64.count_zeros(-1n)).toBe(0);
    expect(u32.rotate_left(0x80000001, 1)).toBe(3);
    expect(u8.rotate_right(1, 1)).toBe(128);
    expect(i8.rotate_left(-128, 1)).toBe(1);
    expect(u64.rotate_left(1n << 63n, 1)).toBe(1n);
    expect(u32.is_power_of_two(0x80000000)).toBe(true);
    expect(u64.is_power_of_two(0n)).toBe(false);
  });
});

describe("parse and from_str_radix", () => {
  const err = (kind: string) => ({ $tag: "Err", _0: { kind } });
  it("follows std's grammar and error kinds", () => {
    expect(i32.parse("-42")).toEqual({ $tag: "Ok", _0: -42 });
    expect(i32.parse("+42")).toEqual({ $tag: "Ok", _0: 42 });
    expect(u8.parse("256")).toMatchObject(err("PosOverflow"));
    expect(i8.parse("-129")).toMatchObject(err("NegOverflow"));
    expect(u32.parse("-1")).toMatchObject(err("InvalidDigit"));
    expect(u32.parse("")).toMatchObject(err("Empty"));
    expect(i32.parse("-")).toMatchObject(err("InvalidDigit"));
    expect(i32.parse(" 1")).toMatchObject(err("InvalidDigit"));
    expect(i32.parse("1_000")).toMatchObject(err("InvalidDigit"));
    expect(u8.parse("999x")).toMatchObject(err("PosOverflow"));
    expect(u64.parse("18446744073709551615")).toEqual({ $tag: "Ok", _0: U64_MAX });
    expect(u64.parse("18446744073709551616")).toMatchObject(err("PosOverflow"));
    expect(i128.parse("-170141183460469231731687303715884105728")).toEqual({ $tag: "Ok", _0: I128_MIN });
    expect(u32.from_str_radix("ff", 16)).toEqual({ $tag: "Ok", _0: 255 });
    expect(u32.from_str_radix("FF", 16)).toEqual({ $tag: "Ok", _0: 255 });
    expect(i64.from_str_radix("-1010", 2)).toEqual({ $tag: "Ok", _0: -10n });
    expect(u8.from_str_radix("z", 36)).toEqual({ $tag: "Ok", _0: 35 });
    expect(u8.from_str_radix("2", 2)).toMatchObject(err("InvalidDigit"));
  });
});

/** The exact mathematical result, then Rust's rule: in range or a fault. */
function reference(name: IntName) {
  const ops = intOps(name) as IntOps<number | bigint>;
  const min = ops.toBig(ops.MIN as never);
  const max = ops.toBig(ops.MAX as never);
  return { ops, min, max, fits: (x: bigint) => x >= min && x <= max };
}

describe("every type against exact bigint arithmetic (property)", () => {
  for (const name of INT_NAMES) {
    const { ops, min, max, fits } = reference(name);
    const value = fc.oneof(
      fc.bigInt({ min, max }),
      fc.constantFrom(min, max, 0n, 1n, max - 1n, min === 0n ? 2n : -1n, min === 0n ? 3n : min + 1n),
    );
    const run = (f: () => number | bigint): bigint | "fault" => {
      try {
        return ops.toBig(f() as never);
      } catch (e) {
        if (e instanceof DplFault) return "fault";
        throw e;
      }
    };
    const wrap = (x: bigint) => (ops.signed ? BigInt.asIntN(ops.BITS, x) : BigInt.asUintN(ops.BITS, x));

    it(`${name}: + - * / % and their wrapping forms`, () => {
      fc.assert(
        fc.property(value, value, (a, b) => {
          const A = ops.fromBig(a) as never;
          const B = ops.fromBig(b) as never;
          const exact: [string, bigint | undefined][] = [
            ["add", a + b],
            ["sub", a - b],
            ["mul", a * b],
            ["div", b === 0n ? undefined : a / b],
            ["rem", b === 0n ? undefined : a % b],
          ];
          for (const [op, r] of exact) {
            const got = run(() => (ops as unknown as Record<string, (x: never, y: never) => number | bigint>)[op]!(A, B));
            const expected = r !== undefined && fits(r) && !(op === "rem" && ops.signed && a === min && b === -1n) ? r : "fault";
            if (got !== expected) throw new Error(`${name}.${op}(${a}, ${b}) = ${String(got)}, expected ${String(expected)}`);
          }
          expect(ops.toBig(ops.wrapping_add(A, B))).toBe(wrap(a + b));
          expect(ops.toBig(ops.wrapping_sub(A, B))).toBe(wrap(a - b));
          expect(ops.toBig(ops.wrapping_mul(A, B))).toBe(wrap(a * b));
          expect(ops.toBig(ops.and(A, B))).toBe(wrap(a & b));
          expect(ops.toBig(ops.or(A, B))).toBe(wrap(a | b));
          expect(ops.toBig(ops.xor(A, B))).toBe(wrap(a ^ b));
          expect(ops.toBig(ops.not(A))).toBe(wrap(~a));
        }),
        { numRuns: 300 },
      );
    });

    it(`${name}: shifts and casts`, () => {
      fc.assert(
        fc.property(value, fc.integer({ min: -2, max: ops.BITS + 2 }), fc.bigInt({ min: -(1n << 140n), max: 1n << 140n }), (a, n, wide) => {
          const A = ops.fromBig(a) as never;
          const shl = run(() => ops.shl(A, n));
          const shr = run(() => ops.shr(A, n));
          if (n < 0 || n >= ops.BITS) expect([shl, shr]).toEqual(["fault", "fault"]);
          else {
            expect(shl).toBe(wrap(a << BigInt(n)));
            expect(shr).toBe(a >> BigInt(n));
          }
          expect(ops.toBig(ops.wrapBig(wide))).toBe(wrap(wide));
          const small = Number(BigInt.asIntN(32, wide));
          expect(ops.toBig(ops.wrap(small))).toBe(wrap(BigInt(small)));
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe("usize and isize: a number up to 2^53 - 1, a bigint beyond (int-hybrid.ts)", () => {
  const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
  const isCanonical = (x: number | bigint): boolean =>
    typeof x === "number" ? Number.isSafeInteger(x) && !Object.is(x, -0) : x > SAFE || x < -SAFE;

  it("keeps one canonical form at the 2^53 edge and at 2^64", () => {
    expect(usize.add(Number.MAX_SAFE_INTEGER, 1)).toBe(2n ** 53n);
    expect(usize.sub(2n ** 53n, 1)).toBe(Number.MAX_SAFE_INTEGER);
    expect(usize.mul(2 ** 26, 2 ** 27)).toBe(2n ** 53n);
    expect(usize.div(2n ** 60n, 2n ** 10n)).toBe(2 ** 50);
    expect(usize.MAX).toBe(U64_MAX);
    expect(isize.MIN).toBe(I64_MIN);
    expect(isize.neg(-Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(usize.wrap(-1)).toBe(U64_MAX);
    expect(isize.wrapBig(U64_MAX)).toBe(-1);
    expect(u32.wrapBig(2 ** 40 + 7)).toBe(7);
    expect(usize.fromFloat(-3.5)).toBe(0);
    expect(usize.fromFloat(1e300)).toBe(U64_MAX);
    expect(faultOf(() => usize.add(U64_MAX, 1)).message).toBe("attempt to add with overflow (usize)");
    expect(faultOf(() => usize.sub(0, 1)).message).toBe("attempt to subtract with overflow (usize)");
    expect(faultOf(() => usize.div(5, 0)).message).toBe("attempt to divide by zero (usize)");
  });

  it("operators near 2^53 agree with exact bigint arithmetic and return canonical values (property)", () => {
    for (const ops of [usize, isize]) {
      const min = ops.signed ? I64_MIN : 0n;
      const max = ops.signed ? I64_MAX : U64_MAX;
      const near = fc.oneof(
        fc.bigInt({ min: ops.signed ? -(1n << 54n) : 0n, max: 1n << 54n }),
        fc.bigInt({ min: ops.signed ? -(1n << 27n) : 0n, max: 1n << 27n }),
        fc.constantFrom(SAFE, SAFE + 1n, SAFE - 1n, ops.signed ? -SAFE : 0n, ops.signed ? -SAFE - 1n : 1n, max, min),
      );
      fc.assert(
        fc.property(near, near, fc.integer({ min: 0, max: 63 }), (a, b, n) => {
          const A = ops.fromBig(a);
          const B = ops.fromBig(b);
          expect(isCanonical(A) && isCanonical(B)).toBe(true);
          const cases: [string, () => number | bigint, bigint | undefined][] = [
            ["add", () => ops.add(A, B), a + b],
            ["sub", () => ops.sub(A, B), a - b],
            ["mul", () => ops.mul(A, B), a * b],
            ["div", () => ops.div(A, B), b === 0n ? undefined : a / b],
            ["rem", () => ops.rem(A, B), b === 0n || (a === min && b === -1n) ? undefined : a % b],
            ["shl", () => ops.shl(A, n), ops.signed ? BigInt.asIntN(64, a << BigInt(n)) : BigInt.asUintN(64, a << BigInt(n))],
            ["shr", () => ops.shr(A, n), a >> BigInt(n)],
            ["and", () => ops.and(A, B), a & b],
            ["wrapping_mul", () => ops.wrapping_mul(A, B), ops.signed ? BigInt.asIntN(64, a * b) : BigInt.asUintN(64, a * b)],
          ];
          for (const [op, f, r] of cases) {
            const expected = r !== undefined && r >= min && r <= max ? r : "fault";
            let got: number | bigint | "fault";
            try {
              got = f();
            } catch (e) {
              if (!(e instanceof DplFault)) throw e;
              got = "fault";
            }
            if (got !== "fault" && !isCanonical(got)) throw new Error(`${ops.name}.${op}(${a}, ${b}) gave ${String(got)}, not canonical`);
            const exact = got === "fault" ? got : BigInt(got);
            if (exact !== expected) throw new Error(`${ops.name}.${op}(${a}, ${b}) = ${String(exact)}, expected ${String(expected)}`);
          }
        }),
        { numRuns: 400 },
      );
    }
  });
});

describe("the emitter's inline fast paths (inline-ints.ts) against the runtime call alone", () => {
  // Each tree is emitted as ops.ts emits it (names and literals inlined, the runtime call as
  // the slow path), compiled, and run beside the same tree of runtime calls: the same value in
  // the same form (number or bigint), or the same fault.
  const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
  const FN: Readonly<Record<string, string>> = { "+": "add", "-": "sub", "*": "mul", "/": "div", "%": "rem" };
  const OPS = ["+", "-", "*", "/", "%"] as const;
  const kinds: [IntName, boolean, IntOps][] = [
    ["u8", false, u8],
    ["i8", false, i8],
    ["u32", false, u32],
    ["i32", false, i32],
    ["usize", false, usize],
    ["isize", false, isize],
    ["u64", true, u64h],
    ["i64", true, i64h],
  ];
  type V = number | bigint;
  type Tree = { leaf: "a" | "b" | "c" } | { lit: V } | { op: (typeof OPS)[number]; l: Tree; r: Tree };

  for (const [name, hybrid, ops] of kinds) {
    it(`${name}${hybrid ? " (hybrid locals)" : ""}: + - * / % trees of names and literals agree near the type's edges and 2^53 (property)`, () => {
      const kind = intKind(name, hybrid)!;
      const min = ops.signed ? -(1n << BigInt(ops.BITS - 1)) : 0n;
      const max = ops.signed ? (1n << BigInt(ops.BITS - 1)) - 1n : (1n << BigInt(ops.BITS)) - 1n;
      const clamp = (x: bigint): bigint => (x < min ? min : x > max ? max : x);
      const canon = (x: bigint): V => (typeof ops.MAX === "number" ? Number(x) : (ops as unknown as { fromBig(x: bigint): V }).fromBig(x));
      const edges = [0n, 1n, 2n, 3n, -1n, -2n, 7n, SAFE, SAFE - 1n, SAFE + 1n, -SAFE, -SAFE - 1n, 1n << 26n, 1n << 27n, 94906265n, 94906266n, min, max, max - 1n, min + 1n, max / 2n, max / 2n + 1n];
      const value = fc.oneof(
        { arbitrary: fc.constantFrom(...edges.map(clamp)), weight: 2 },
        { arbitrary: fc.tuple(fc.constantFrom(...edges), fc.bigInt({ min: -3n, max: 3n })).map(([x, d]) => clamp(x + d)), weight: 2 },
        fc.bigInt({ min: clamp(-(1n << 54n)), max: clamp(1n << 54n) }),
        fc.bigInt({ min: clamp(-(1n << 27n)), max: clamp(1n << 27n) }),
        fc.bigInt({ min, max }),
      ).map(canon);
      const leafOrLit = fc.oneof(fc.constantFrom<Tree>({ leaf: "a" }, { leaf: "b" }, { leaf: "c" }), value.map((v): Tree => ({ lit: v })));
      const names = fc.constantFrom<Tree>({ leaf: "a" }, { leaf: "b" }, { leaf: "c" });
      const shallowTree = fc.record({ op: fc.constantFrom(...OPS), l: names, r: fc.oneof(names, leafOrLit) });
      const deepTree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
        t: fc.oneof(
          { depthSize: "small", withCrossShrink: true },
          fc.constantFrom<Tree>({ leaf: "a" }, { leaf: "b" }, { leaf: "c" }),
          value.map((v): Tree => ({ lit: v })),
          fc.record({ op: fc.constantFrom(...OPS), l: tie("t"), r: tie("t") }),
        ),
      })).t;
      const tree = fc.oneof({ arbitrary: shallowTree, weight: 2 }, { arbitrary: deepTree, weight: 1 });

      const emit = (t: Tree): E => {
        if ("leaf" in t) return e(t.leaf);
        if ("lit" in t) return e(typeof t.lit === "bigint" ? `${t.lit}n` : String(t.lit), t.lit < 0 ? Prec.Unary : Prec.Primary);
        const l = emit(t.l);
        const r = emit(t.r);
        const call = (lf: Frag, rf: Frag): Frag => frag(null, `ops.${FN[t.op]}(`, lf, ", ", rf, ", $s)");
        return inlineArith(kind, t.op, l, r, null, call) ?? e(call(l.f, r.f));
      };
      const reference = (t: Tree, env: Record<string, V>): V => {
        if ("leaf" in t) return env[t.leaf]!;
        if ("lit" in t) return t.lit;
        const l = reference(t.l, env);
        const r = reference(t.r, env);
        return (ops as unknown as Record<string, (x: V, y: V, at: unknown) => V>)[FN[t.op]!]!(l, r, at);
      };
      const at = site("inline.ds", 1, 1, "x");
      const outcome = (f: () => V): V | string => {
        try {
          return f();
        } catch (err) {
          if (!(err instanceof DplFault)) throw err;
          return `fault: ${err.message}`;
        }
      };
      // An off-by-one at an edge shows only on operands whose result lands on it: b and c are
      // often drawn so that `a op b` (or `a op c`) is an edge plus or minus a little.
      const targets = [min, max, SAFE, -SAFE, SAFE + 1n, -SAFE - 1n, 0n].map(clamp);
      const partner = (a: V): fc.Arbitrary<V> =>
        fc.oneof(
          value,
          fc.tuple(fc.constantFrom(...targets), fc.bigInt({ min: -2n, max: 2n }), fc.constantFrom("+", "-", "*")).map(([goal, d, op]) => {
            const x = BigInt(a);
            const y = op === "+" ? goal - x : op === "-" ? x - goal : x === 0n ? goal : goal / x;
            return canon(clamp(y + d));
          }),
        );
      const operands = value.chain((a) => fc.tuple(fc.constant(a), partner(a), partner(a)));
      let inlined = 0;
      fc.assert(
        fc.property(tree, operands, (t, [a, b, c]) => {
          const text = fragText(emit(t).f);
          if (text.includes("?")) inlined++;
          const f = new Function("ops", "$s", "a", "b", "c", `return ${text};`) as (o: unknown, s: unknown, a: V, b: V, c: V) => V;
          const got = outcome(() => f(ops, at, a, b, c));
          const want = outcome(() => reference(t, { a, b, c }));
          if (!Object.is(got, want)) throw new Error(`${text} with a = ${String(a)}, b = ${String(b)}, c = ${String(c)}: ${String(got)}, expected ${String(want)}`);
        }),
        { numRuns: 600 },
      );
      // The trees exercise the fast paths, not only the runtime calls.
      expect(inlined).toBeGreaterThan(60);
    });
  }
});
