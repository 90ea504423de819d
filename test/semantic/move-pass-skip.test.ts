/**
 * The move pass skips bodies none of whose locals can have (part of) their value moved
 * (`mayHoldMove` in ownership.ts). The skip is sound only if every type that can move is
 * counted as movable: these bodies each have exactly one movable local, of a type near the
 * edge of that rule, and must still get their DPL4002. The last case pins the other side:
 * copy-only bodies stay clean.
 */
import { describe, expect, it } from "vitest";
import { mayHoldMove } from "../../src/semantic/ownership.js";
import { prim, ref, tuple, U64, STRING, type Ty } from "../../src/semantic/types.js";
import { diagnose, pins, show } from "./support.js";

function movedOnce(src: string, line: number): void {
  const ds = diagnose(src).filter((d) => d.code === "DPL4002");
  expect(ds.map((d) => d.span.start.line), show(ds)).toEqual([line]);
}

describe("bodies the move pass may skip", () => {
  it("still reports a tuple holding a `&mut` (not a copy type, though each part is)", () => {
    movedOnce(`fn f(x: &mut u64) -> u64 {\n    let t = (1u64, x);\n    let _a = t;\n    let _b = t;\n    0\n}`, 4);
  });

  it("still reports an array of `&mut`", () => {
    movedOnce(`fn g(v: [&mut u64; 1]) {\n    let _a = v;\n    let _b = v;\n}`, 3);
  });

  it("still reports a String captured by a move closure", () => {
    movedOnce(`fn h(s: String) {\n    let _c = move || s;\n    let _d = s;\n}`, 3);
  });

  it("still reports a generic parameter's value", () => {
    movedOnce(`fn k<T>(x: T) -> T {\n    let _a = x;\n    x\n}`, 3);
  });

  it("still reports a moved field of a tuple of Strings", () => {
    movedOnce(`fn m(p: (String, u64)) -> u64 {\n    let _s = p.0;\n    let _t = p.0;\n    p.1\n}`, 3);
  });

  it("reports nothing for bodies of copy values and references only", () => {
    expect(pins(`fn n(a: u64, b: &String, c: (u8, bool), d: [i32; 2]) -> u64 {\n    let x = a;\n    let y = a;\n    let _r = b;\n    let _s = b;\n    let _c = c;\n    let _d = d;\n    x + y + (c.0 as u64) + (d[0] as u64)\n}`)).toEqual([]);
  });

  it("counts exactly the copy-all-the-way-down types and references as unmovable", () => {
    const no: Ty[] = [U64, prim("bool"), ref(STRING), ref(STRING, true), tuple([U64, ref(U64)]), { k: "array", elem: U64, len: 2 }, { k: "never" }];
    const yes: Ty[] = [STRING, prim("str"), tuple([U64, ref(U64, true)]), { k: "array", elem: ref(U64, true), len: 1 }, tuple([STRING]), { k: "error" }, { k: "any" }];
    expect(no.filter(mayHoldMove)).toEqual([]);
    expect(yes.filter((t) => !mayHoldMove(t))).toEqual([]);
  });
});
