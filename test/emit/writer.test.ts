/** The traced writer, fragments, names and the output layout: the pieces emission is built from. */
import { describe, expect, it } from "vitest";
import { TracedWriter, frag, fragText, operand, Prec, e, MapChain, tsSourceMap } from "../../src/emit/writer.js";
import { NameScope, tsName, commonRoot, emittedPath, importSpecifier } from "../../src/emit/names.js";
import { SourceFile } from "../../src/syntax/source.js";

const src = new SourceFile("m.ds", "fn main() {\n    let Φ = 1 + 2;\n}\n");

describe("TracedWriter", () => {
  it("records generated and original positions, in UTF-16 columns", () => {
    const w = new TracedWriter();
    w.writeLine("export function main(): void {", src.span(3, 7));
    w.indented(() => w.write("const Φ = ").writeFrag(frag(src.span(24, 29), "i32.add(1, 2)")).writeLine(";"));
    w.writeLine("}");
    expect(w.toString()).toBe("export function main(): void {\n  const Φ = i32.add(1, 2);\n}\n");
    expect(w.mappings).toEqual([
      { line: 1, column: 0, original: { file: "m.ds", line: 1, column: 3 } },
      { line: 2, column: 12, original: { file: "m.ds", line: 2, column: 12 } },
    ]);
  });

  it("keeps the innermost mapping when two start at the same place", () => {
    const w = new TracedWriter();
    w.writeFrag(frag(src.span(16, 29), frag(src.span(24, 29), "x")));
    expect(w.mappings).toHaveLength(1);
    expect(w.mappings[0]!.original.column).toBe(12);
  });

  it("embeds a nested writer's lines, shifting its mappings", () => {
    const outer = new TracedWriter();
    outer.writeLine("// header");
    outer.write("const f = ");
    const inner = new TracedWriter(0, true);
    inner.write("() => {", src.span(16, 29)).newline();
    inner.indented(() => inner.writeLine("return 1;", src.span(24, 29)));
    inner.write("}");
    outer.writeFrag(inner).writeLine(";");
    expect(outer.toString()).toBe("// header\nconst f = () => {\n  return 1;\n};\n");
    expect(outer.mappings.map((m) => [m.line, m.column, m.original.line, m.original.column])).toEqual([
      [2, 10, 2, 4],
      [3, 2, 2, 12],
    ]);
  });

  it("turns its mappings into a source map that finds the DPL line of generated code", () => {
    const w = new TracedWriter();
    w.writeLine("// emitted");
    w.write("  x = ").writeFrag(frag(src.span(24, 29), "i32.add(1, 2)")).writeLine(";");
    const map = tsSourceMap(w.mappings, { file: "m.ts", sourcePath: () => "m.ds", sourceText: () => src.text });
    expect(map.sources).toEqual(["m.ds"]);
    expect(map.sourcesContent).toEqual([src.text]);
    expect(new MapChain([map]).lookup(2, 12)).toEqual({ source: "m.ds", line: 2, column: 12 });
    expect(new MapChain([map]).lookup(1, 1)).toBeNull();
  });
});

describe("fragments", () => {
  it("parenthesise operands only where precedence needs it", () => {
    expect(fragText(operand(e("a + b", Prec.Add), Prec.Mul))).toBe("(a + b)");
    expect(fragText(operand(e("a * b", Prec.Mul), Prec.Add))).toBe("a * b");
  });
});

describe("names", () => {
  it("renames TypeScript's reserved words and keeps DPL's own identifiers", () => {
    expect(tsName("new")).toBe("new_");
    expect(tsName("Φ")).toBe("Φ");
    expect(tsName("total")).toBe("total");
  });

  it("gives each shadowing let its own name, deterministically", () => {
    const s = new NameScope();
    s.reserve("format");
    expect([s.fresh("x"), s.fresh("x"), s.fresh("format"), s.child().fresh("x")]).toEqual(["x", "x$1", "format$1", "x$2"]);
  });
});

describe("layout", () => {
  it("mirrors the .ds tree and imports with relative .js specifiers", () => {
    expect(emittedPath("app/main.ds", false)).toBe("app/main.ts");
    expect(emittedPath("prelude/core.ds", true)).toBe("_dplc/std/prelude/core.ts");
    expect(emittedPath("spec.md", false)).toBe("spec.md.ts");
    expect(importSpecifier("app/main.ts", "_dplc/runtime/index.ts")).toBe("../_dplc/runtime/index.js");
    expect(importSpecifier("main.ts", "util.ts")).toBe("./util.js");
  });

  it("finds the common folder of the inputs", () => {
    expect(commonRoot(["/p/src/a/x.ds", "/p/src/b/y.ds"])).toBe("/p/src");
    expect(commonRoot(["/p/src/a/x.ds"])).toBe("/p/src/a");
  });
});
