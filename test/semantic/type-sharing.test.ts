/**
 * Types are shared DAGs (`let x1 = (x0, x0)` holds x0's type twice), and every walk over a
 * type visits a shared node once: checking nested tuples and generic pairs is polynomial.
 * At 60 levels a type has 2^60 paths, so an exponential walk would never finish (the
 * test's timeout is the bound; nothing is timed). A diagnostic abbreviates such a type.
 */
import { describe, expect, it } from "vitest";
import { checkSources } from "../../src/compiler/check.js";
import { sourceFromText } from "../../src/compiler/sources.js";
import { MAX_PRINTED_TYPE } from "../../src/semantic/types.js";

function check(text: string) {
  return checkSources([sourceFromText("t.ds", text)], { profile: "user", allBlocks: false }).diagnostics;
}

function tuples(levels: number, last: string): string {
  const lines = ["    let x0 = 1;"];
  for (let i = 1; i <= levels; i++) lines.push(`    let x${i} = (x${i - 1}, x${i - 1});`);
  return `fn main() {\n${lines.join("\n")}\n    ${last}\n}\n`;
}

describe("shared types", () => {
  it("60 levels of nested tuples check clean", () => {
    expect(check(tuples(60, "let _y = x60;"))).toEqual([]);
  });

  it("a mismatch on a 60-level tuple prints the type abbreviated", () => {
    const ds = check(tuples(60, "let _y: i32 = x60;"));
    expect(ds.map((d) => d.code)).toEqual(["DPL2003"]);
    expect(ds[0]!.message.length).toBeLessThan(MAX_PRINTED_TYPE + 100);
    expect(ds[0]!.message).toMatch(/^mismatched types: expected `i32`, found `\(\(\(\(.*…`$/);
  });

  it("40 levels of generic pairs of moved values check clean", () => {
    const lines = ["    let x0: u64 = 1;"];
    for (let i = 1; i <= 40; i++) lines.push(`    let x${i} = Pair { a: x${i - 1}.clone(), b: x${i - 1} };`);
    const text = `#[derive(Clone, Debug)]\nstruct Pair<A, B> {\n    a: A,\n    b: B,\n}\n\nfn main() {\n${lines.join("\n")}\n    let _y = x40;\n    let _z = _y.a.b.a.b.a;\n}\n`;
    expect(check(text).map((d) => `${d.code} ${d.message}`)).toEqual([]);
  });

  it("unifying two equal 60-level tuple types built separately", () => {
    const lines = ["    let a0 = 1;", "    let b0 = 2;"];
    for (let i = 1; i <= 60; i++) lines.push(`    let a${i} = (a${i - 1}, a${i - 1});`, `    let b${i} = (b${i - 1}, b${i - 1});`);
    lines.push("    let mut c = a60;", "    c = b60;", "    let _d = c;");
    expect(check(`fn main() {\n${lines.join("\n")}\n}\n`).map((d) => d.code)).toEqual([]);
  });
});
