/**
 * The dustlang files of one directory see each other's forges through glob imports that
 * form a complete graph (src/semantic/forges.ts). A name that none of them defines (a
 * prelude item, a misspelling) is looked up through every glob before the prelude: each
 * module must be searched once per lookup, not once per path — with a guard on the current
 * path only, 14 files never finished (14! paths), and `dplc check fixtures/check` took 50 s.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { checkSources } from "../../src/compiler/check.js";
import { sourceFromText } from "../../src/compiler/sources.js";

const FILES = 14;

function program(misspelled: boolean): ReturnType<typeof sourceFromText>[] {
  return Array.from({ length: FILES }, (_, i) =>
    sourceFromText(
      join("/virtual", "lab", `f${i}.ds`),
      `forge Lab {\n    proc K::p${i}(x: i64) -> i64 {\n        let v: Vec<i64> = Vec::new();\n        return ${i === 0 ? "0" : `p${i - 1}(x)`} + ${misspelled && i === 3 ? "lenn(v)" : "0"};\n    }\n}\n`,
    ),
  );
}

describe("forges shared by the files of a directory", () => {
  it("resolve names through the complete glob graph in one visit per module", () => {
    const ok = checkSources(program(false), { profile: "user", allBlocks: false });
    expect(ok.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
    const bad = checkSources(program(true), { profile: "user", allBlocks: false });
    expect(bad.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.span.start.line])).toEqual([["DPL2001", 4]]);
  });
});
