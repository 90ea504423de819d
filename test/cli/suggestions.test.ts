/**
 * `dplc check --format json` carries each diagnostic's help and, where the fix is
 * mechanical, its suggestions as edits; applying every machine-applicable one and checking
 * again leaves none of the diagnostics they fixed.
 */
import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import Ajv from "ajv-draft-04";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDplc } from "../helpers.js";

interface JsonEdit {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
}
interface JsonDiag {
  code: string;
  line: number;
  help?: string;
  suggestions?: { message: string; applicability: string; edits: JsonEdit[] }[];
}

function check(file: string): JsonDiag[] {
  const r = runDplc(["check", "--format", "json", file]);
  return (JSON.parse(r.stdout) as { diagnostics: JsonDiag[] }).diagnostics;
}

/** Apply edits given in 1-based lines and code-point columns, from the last to the first. */
function applyEdits(text: string, edits: readonly JsonEdit[]): string {
  const lines = text.split("\n");
  const offset = (line: number, column: number): number => {
    let o = 0;
    for (let i = 0; i < line - 1; i++) o += lines[i]!.length + 1;
    return o + [...lines[line - 1]!].slice(0, column - 1).join("").length;
  };
  const sorted = [...edits].sort((a, b) => offset(b.line, b.column) - offset(a.line, a.column));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.line, e.column)) + e.text + out.slice(offset(e.endLine, e.endColumn));
  return out;
}

describe("dplc check --format json: suggestions", () => {
  const dir = mkdtempSync(join(tmpdir(), "dplc-suggest-"));

  it("prints help and suggestions with their applicability and edits", () => {
    const file = join(dir, "s.ds");
    writeFileSync(file, "fn length(a: u64) -> u64 { a }\nfn main() -> u64 {\n    let Φ_unused = 3;\n    lenght(2)\n}\n");
    const diags = check(file);
    const unused = diags.find((d) => d.code === "DPL8002")!;
    expect(unused.help).toContain("prefix the name with an underscore");
    expect(unused.suggestions).toEqual([{ message: "prefix with `_`: `_Φ_unused`", applicability: "machine-applicable", edits: [{ file, line: 3, column: 9, endLine: 3, endColumn: 9, text: "_" }] }]);
    const typo = diags.find((d) => d.code === "DPL2001")!;
    expect(typo.suggestions).toEqual([{ message: "replace with `length`", applicability: "maybe-incorrect", edits: [{ file, line: 4, column: 5, endLine: 4, endColumn: 11, text: "length" }] }]);
  });

  it("leaves the fixed diagnostics behind once the suggestions are applied", () => {
    const file = join(dir, "fix.ds");
    const src = "enum E { A, B, C }\nfn f(e: E) -> u64 {\n    match e {\n        E::A => 1,\n    }\n}\nfn main() {\n    let n = 1;\n    n = 2;\n}\n";
    writeFileSync(file, src);
    const before = check(file);
    expect(before.map((d) => d.code).sort()).toEqual(["DPL2006", "DPL2007", "DPL8002"]);
    const fixed = applyEdits(src, before.filter((d) => d.code !== "DPL8002").flatMap((d) => d.suggestions![0]!.edits));
    writeFileSync(file, fixed);
    expect(fixed).toContain("E::B => todo!(),");
    expect(fixed).toContain("let mut n = 1;");
    expect(check(file).map((d) => d.code)).toEqual(["DPL8002"]);
  });

  it("carries the suggestions as SARIF fixes that validate against the schema", () => {
    const file = join(dir, "sarif.ds");
    writeFileSync(file, "fn main() {\n    let unused = 3;\n}\n");
    const log = JSON.parse(runDplc(["check", "--format", "sarif", file]).stdout);
    const require = createRequire(import.meta.url);
    const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
    const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false }).compile(schema);
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    expect(log.runs[0].results[0].fixes).toEqual([
      {
        description: { text: "prefix with `_`: `_unused`" },
        artifactChanges: [{ artifactLocation: { uri: file, uriBaseId: "%SRCROOT%" }, replacements: [{ deletedRegion: { startLine: 2, startColumn: 9, endLine: 2, endColumn: 9 }, insertedContent: { text: "_" } }] }],
      },
    ]);
  });
});
