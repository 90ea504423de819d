/**
 * Literate mode finds DPL blocks inside Markdown list items (CommonMark): a fence indented
 * to the item's content, or right after its marker. Missing one made a wrong file check clean.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findCodeBlocks } from "../../src/syntax/literate.js";
import { runDplc } from "../helpers.js";

const DOC = [
  "# Steps", // 1
  "", // 2
  "1. Declare the counter:", // 3
  "", // 4
  "   ```dust", // 5
  "   fn count(n: u64) -> u64 {", // 6
  "       let x: u64 = true;", // 7
  "       n + x", // 8
  "   }", // 9
  "   ```", // 10
  "", // 11
  "2. Then:", // 12
  "   - ```dust", // 13
  "     fn twice(n: u64) -> u64 {", // 14
  "         n * 2", // 15
  "     }", // 16
  "     ```", // 17
  "",
].join("\n");

describe("literate blocks in list items", () => {
  it("finds a fence indented under a list item and one after a nested item's marker", () => {
    const blocks = findCodeBlocks(DOC).map((b) => [b.tag, b.firstLine, b.lastLine, b.closed]);
    expect(blocks).toEqual([
      ["dust", 6, 9, true],
      ["dust", 14, 16, true],
    ]);
  });

  it("checks their code: the error in the list item's block is reported at its line", () => {
    const dir = mkdtempSync(join(tmpdir(), "dplc-lit-"));
    const file = join(dir, "steps.md");
    writeFileSync(file, DOC);
    const r = runDplc(["check", file]);
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toContain("error[DPL2003]");
    expect(r.stdout + r.stderr).toContain("steps.md:7:21");
  });

  it("formats a block in a list item without losing the item's indentation", () => {
    const dir = mkdtempSync(join(tmpdir(), "dplc-lit-"));
    const file = join(dir, "ok.md");
    writeFileSync(file, "- item:\n\n  ```dust\n  fn one() -> u64 {   1 }\n  ```\n");
    const r = runDplc(["fmt", file]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(file, "utf8")).toBe("- item:\n\n  ```dust\n  fn one() -> u64 {\n      1\n  }\n  ```\n");
  });
});
