/**
 * The v0.1 surface's parser recovers: a broken statement or header is one diagnostic at its
 * line and the rest of the forge still parses; any cut or deletion of a v0.1 program gives
 * diagnostics with codes and positions, never an exception (parse and check).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { lex, parseText } from "../../src/syntax/parse.js";
import { checkSources } from "../../src/compiler/check.js";
import { sourceFromText } from "../../src/compiler/sources.js";
import type * as A from "../../src/syntax/ast.js";
import { REPO_ROOT } from "../helpers.js";

const DIR = join(REPO_ROOT, "fixtures", "check", "dustlang", "v01");
const programs = readdirSync(DIR)
  .filter((f) => f.endsWith(".ds"))
  .sort()
  .map((f) => readFileSync(join(DIR, f), "utf8"));

function forgeItems(m: A.Module): string[] {
  const forge = m.items.find((it): it is A.ModItem => it.kind === "ModItem");
  return (forge?.items ?? []).flatMap((it) => (it.kind === "FnItem" || it.kind === "StructItem" ? [it.name.name] : []));
}

describe("dustlang v0.1 error recovery", () => {
  it("two statements on one line without `;` are one DPL1001, and the forge's other items are kept", () => {
    // A line break ends a v0.1 statement (the sketch's form); on one line a `;` is needed.
    const text = ["forge F {", "    shape S {", "        x: i32;", "    }", "", "    proc K::a() -> i32 {", "        let x = 1", "        let y = 2 return x;", "    }", "", "    proc K::b() -> i32 {", "        return 2;", "    }", "}", ""].join("\n");
    const r = parseText("f.ds", text);
    expect(r.diagnostics.map((d) => `${d.code}:${d.span.start.line}`)).toEqual(["DPL1001:8"]);
    expect(forgeItems(r.module)).toEqual(["S", "a", "b"]);
  });

  it("a process with a broken header is one diagnostic, and the next process is kept", () => {
    const text = ["forge F {", "    proc K::a(x i32) -> i32 {", "        return 1;", "    }", "", "    proc K::b() -> i32 {", "        return 2;", "    }", "}", ""].join("\n");
    const r = parseText("f.ds", text);
    expect(r.diagnostics.length).toBe(1);
    expect(r.diagnostics[0]!.span.start.line).toBe(2);
    expect(forgeItems(r.module)).toContain("b");
  });

  it("a regime that is not K, Q or Φ is named", () => {
    const r = parseText("f.ds", "forge F {\n    proc X::a() {\n        return 0;\n    }\n}\n");
    expect(r.diagnostics.map((d) => d.message)).toEqual(["expected a regime (`K`, `Q` or `Φ`) before `::a`, found `X`"]);
  });

  it("any cut or token deletion of a v0.1 program is diagnosed, never thrown", () => {
    fc.assert(
      fc.property(fc.constantFrom(...programs), fc.nat(), fc.nat(), (text, a, b) => {
        const tokens = lex(text).tokens;
        const cut = text.slice(0, tokens[a % tokens.length]!.startOffset);
        const t = tokens[b % tokens.length]!;
        const deleted = text.slice(0, t.startOffset) + text.slice(t.startOffset + t.image.length);
        for (const variant of [cut, deleted]) {
          const r = parseText("v.ds", variant);
          for (const d of r.diagnostics) expect(d.code).toMatch(/^DPL\d{4}$/);
          const checked = checkSources([sourceFromText("v.ds", variant)], { profile: "user", allBlocks: false });
          for (const d of checked.diagnostics) expect(d.span.start.line).toBeGreaterThan(0);
        }
      }),
      { numRuns: 60 },
    );
  });
});
