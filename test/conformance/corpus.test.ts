/**
 * Conformance with the specification corpus: every DPL block of every XDV document
 * parses, and the reference document XDV-081 checks without syntax errors.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findCodeBlocks, literateModule } from "../../src/syntax/literate.js";
import { parseText } from "../../src/syntax/parse.js";
import { HAS_SPEC, NO_SPEC_MESSAGE, readSpec, runDplc, SPEC_DIR, specFiles } from "../helpers.js";

const XDV081 = "XDV-081-Hybrid-Runtime-Reference.md";

describe.skipIf(!HAS_SPEC)(`the XDV corpus${HAS_SPEC ? "" : ` (skipped: ${NO_SPEC_MESSAGE})`}`, () => {
  it("has DPL blocks in the documents this project implements", () => {
    const counts = Object.fromEntries(
      specFiles()
        .map((f) => [f.slice(0, 7), findCodeBlocks(readSpec(f)).filter((b) => b.tag === "dust").length] as const)
        .filter(([, n]) => n > 0),
    );
    expect(counts).toEqual({ "XDV-080": 10, "XDV-081": 7, "XDV-082": 6, "XDV-083": 3 });
  });

  for (const file of HAS_SPEC ? specFiles() : []) {
    it(`${file}: every dust block parses`, () => {
      const md = readSpec(file);
      const r = parseText(file, literateModule(md).text);
      expect(r.diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.code} ${d.message}`)).toEqual([]);
    });
  }

  it("XDV-051's untagged declarations parse", () => {
    const md = readSpec("XDV-051-Domain-Type-System-Extensions.md");
    const lines = md.split(/\r?\n/);
    const decls = findCodeBlocks(md)
      .map((b) => lines.slice(b.firstLine - 1, b.lastLine).join("\n"))
      .filter((code) => /^\s*(@|struct|fn|enum)\b/.test(code));
    expect(decls.length).toBeGreaterThanOrEqual(7);
    for (const code of decls) expect(parseText("XDV-051", code).diagnostics.map((d) => d.message)).toEqual([]);
    // The must-fail example is a statement: it parses inside a function body.
    const mustFail = lines.find((l) => l.includes("let x: DomainType<Q, _>"))!;
    expect(parseText("XDV-051", `fn f() { ${mustFail} }`).diagnostics).toEqual([]);
  });

  it("dplc check reports no syntax errors on XDV-081", () => {
    const r = runDplc(["check", "--format", "json", join(SPEC_DIR, XDV081)]);
    const report = JSON.parse(r.stdout) as { diagnostics: { code: string }[] };
    expect(report.diagnostics.filter((d) => d.code.startsWith("DPL1"))).toEqual([]);
  });

  it("checks the block after the stray-attribute fence (HybridProcessContext)", () => {
    const md = readSpec(XDV081);
    const lines = md.split(/\r?\n/);
    const at = lines.findIndex((l) => l.includes("struct HybridProcessContext"));
    expect(at).toBeGreaterThan(0);
    // Plant a syntax error inside the block that follows ``` id="3hbg9x".
    lines[at + 1] = "    pid: u64 u64,";
    const dir = mkdtempSync(join(tmpdir(), "dplc-"));
    const planted = join(dir, XDV081);
    writeFileSync(planted, lines.join("\r\n"));
    const r = runDplc(["check", "--format", "json", planted]);
    expect(r.status, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { diagnostics: { line: number; code: string }[] };
    expect(report.diagnostics.filter((d) => d.code.startsWith("DPL1")).map((d) => [d.line, d.code])).toEqual([[at + 2, "DPL1001"]]);
  });
});

describe("literate Markdown", () => {
  it("closes a block at a fence that carries an attribute", () => {
    const md = "```\ntree/\n``` id=\"x1\"\n\n```dust\nstruct A { a: u64 }\n```\n";
    const blocks = findCodeBlocks(md);
    expect(blocks.map((b) => [b.tag, b.firstLine, b.lastLine])).toEqual([
      ["", 2, 2],
      ["dust", 6, 6],
    ]);
  });

  it("keeps the Markdown file's lines, columns and offsets", () => {
    const md = "# Title\r\n\r\nSome prose.\r\n\r\n```dpl\r\nfn f() {\r\n    let x = ;\r\n}\r\n```\r\n";
    const lm = literateModule(md);
    expect(lm.text.length).toBe(md.length);
    const r = parseText("doc.md", lm.text);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.span.start).toMatchObject({ line: 7, column: 13, offset: md.indexOf("= ;") + 2 });
  });

  it("skips untagged blocks unless asked for all blocks", () => {
    const md = "```\nnot code ∩\n```\n```ds\nfn f() {}\n```\n";
    expect(parseText("a.md", literateModule(md).text).diagnostics).toEqual([]);
    expect(parseText("a.md", literateModule(md, true).text).diagnostics.length).toBeGreaterThan(0);
  });
});
