/**
 * The front end's limits (src/syntax/limits.ts, docs/diagnostics/DPL1004.md, DPL1005.md):
 * input right at a limit goes through every stage (check, build, run); input past it is one
 * DPL1004/DPL1005 diagnostic, never a stack overflow (DPL9001, "Maximum call stack size
 * exceeded") or a misleading "expected an item". Work is bounded by input size: the
 * property runs cap their inputs, nothing here times anything.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseText } from "../../src/syntax/parse.js";
import { checkSources } from "../../src/compiler/check.js";
import { sourceFromText } from "../../src/compiler/sources.js";
import { MAX_NESTING, MAX_SOURCE_BYTES, MAX_TREE_DEPTH } from "../../src/syntax/limits.js";
import { runDplc } from "../helpers.js";

const dir = mkdtempSync(join(tmpdir(), "dplc-limits-"));

function codes(text: string): string[] {
  return checkSources([sourceFromText("t.ds", text)], { profile: "user", allBlocks: false }).diagnostics.map((d) => d.code);
}

function main(expr: string, ty = "i64"): string {
  return `fn main() {\n    let x: ${ty} = ${expr};\n    println!("{}", x);\n}\n`;
}

const parens = (n: number): string => "(".repeat(n) + "1" + ")".repeat(n);
const chain = (n: number): string => Array.from({ length: n }, () => "1").join(" + ");
/** `if x == 0 { 0 } else if x == 1 { 1 } … else { -1 }`: nesting with no bracket deeper than 2. */
const ladder = (n: number): string =>
  `fn f(x: i64) -> i64 {\n    ${Array.from({ length: n }, (_, i) => `if x == ${i} { ${i} }`).join(" else ")} else { -1 }\n}\n\nfn main() {\n    println!("{}", f(7));\n}\n`;

function write(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

function expectOneDpl1004(r: { status: number; stdout: string; stderr: string }): void {
  expect(r.status).toBe(1);
  const all = r.stdout + r.stderr;
  expect(all.match(/^error\[/gm)).toEqual(["error["]);
  expect(all).toMatch(/^error\[DPL1004\]: nesting too deep/m);
  expect(all).not.toMatch(/Maximum call stack|internal error|\n\s+at /);
}

describe("nesting at the limit goes through every stage", () => {
  it(`brackets ${MAX_NESTING} deep (the function's brace and ${MAX_NESTING - 1} parentheses) run`, () => {
    const r = runDplc(["run", write("at-limit.ds", main(parens(MAX_NESTING - 1)))]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("1\n");
  }, 60_000);

  it(`${MAX_NESTING} prefix operators in a row run`, () => {
    const r = runDplc(["run", write("prefix.ds", main("-".repeat(MAX_NESTING) + "7"))]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("7\n");
  }, 60_000);

  it(`an expression nested ${MAX_TREE_DEPTH - 20} deep without brackets (an \`else if\` ladder) runs`, () => {
    const r = runDplc(["run", write("ladder.ds", ladder(MAX_TREE_DEPTH - 20))]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("7\n");
  }, 60_000);
});

describe("past the limit: one DPL1004, at every stage", () => {
  it("~170 nested parentheses (was: the parser could not recover / expected an item)", () => {
    const r = runDplc(["check", write("parens.ds", main(parens(170)))]);
    expectOneDpl1004(r);
    expect(r.stdout).toMatch(/brackets nested more than 128 deep/);
  }, 60_000);

  it("a 3,000-term sum, an 800-term sum and a 2,000-link method chain are no longer refused (chains are not nesting: test/syntax/chains.test.ts)", () => {
    expect(codes(main(chain(3000)))).toEqual([]);
    expect(codes(main(chain(800)))).toEqual([]);
    expect(codes(`fn main() {\n    let v = vec![1];\n    let n = v${".clone()".repeat(2000)}.len();\n    println!("{}", n);\n}\n`)).toEqual([]);
  });

  it("20,000 unary minus", () => {
    expect(codes(main("-".repeat(20_000) + "1"))).toEqual(["DPL1004"]);
  });

  it(`an \`else if\` ladder nested past ${MAX_TREE_DEPTH} in check, build and run (was: DPL9001 on the replaced branch)`, () => {
    const f = write("ladder-deep.ds", ladder(MAX_TREE_DEPTH + 80));
    expectOneDpl1004(runDplc(["check", f]));
    expectOneDpl1004(runDplc(["build", f, "--out-dir", join(dir, "out-ladder")]));
    expectOneDpl1004(runDplc(["run", f]));
  }, 60_000);

  it("an expression nested past the limit is replaced, and the rest of the file is still checked", () => {
    expect(codes(`fn f() -> i64 {\n    ${"return ".repeat(MAX_TREE_DEPTH + 80)}1\n}\n\nfn g() -> i32 {\n    true\n}\n`)).toEqual(["DPL1004", "DPL2003"]);
  });

  it("generic arguments nested past the parser's stack are DPL1004, not 'could not recover'", () => {
    const ty = "Vec<".repeat(3000) + "i32" + ">".repeat(3000);
    expect(codes(`fn f(v: ${ty}) {}\n`)).toEqual(["DPL1004"]);
  });
});

describe("file size", () => {
  it(`a file over ${MAX_SOURCE_BYTES} characters is one DPL1005, not parsed`, () => {
    const text = "// padding\n".repeat(Math.ceil((MAX_SOURCE_BYTES + 1) / 11));
    const r = parseText("huge.ds", text);
    expect(r.diagnostics.map((d) => [d.code, d.span.start.line, d.span.start.column])).toEqual([["DPL1005", 1, 1]]);
    expect(r.module.items).toEqual([]);
  });
});

describe("property: nesting and chains of any shape give diagnostics, never a crash", () => {
  const piece = fc.constantFrom("(", ")", "[", "]", "{", "}", "-", "!", "&", "*", "1", " + ", ".f()", "x", ",", ";", "<", ">", "Vec<", "if true {", "} else {");
  const shapes = fc.tuple(fc.array(piece, { maxLength: 60 }), fc.nat(3000), fc.constantFrom("(", "-", "{", " + 1", ".f()", "Vec<", "[")).map(([a, n, rep]) => a.join("") + rep.repeat(n) + a.reverse().join(""));
  it("the checker reports codes, never DPL9001", () => {
    fc.assert(
      fc.property(shapes, (body) => {
        const cs = codes(`fn main() {\n    let x = ${body};\n}\n`);
        expect(cs).not.toContain("DPL9001");
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it("random bytes decoded as text: the parser reports DPL1xxx codes only", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        for (const d of parseText("bytes.ds", Buffer.from(bytes).toString("utf8")).diagnostics) expect(d.code).toMatch(/^DPL1\d{3}$/);
      }),
      { numRuns: 200 },
    );
  });
});
