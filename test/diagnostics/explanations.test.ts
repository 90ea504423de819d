/**
 * Every diagnostic code has its explanation (what `dplc explain` prints), and the
 * explanation's examples are honest: the Example block produces the code, the Fixed block
 * checks clean.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { allCodes } from "../../src/diagnostics/catalog.js";
import { checkSources } from "../../src/compiler/check.js";
import { sourceFromText } from "../../src/compiler/sources.js";
import { REPO_ROOT } from "../helpers.js";

const DIR = join(REPO_ROOT, "docs", "diagnostics");
/** Codes about a file's bytes or a folder's links, which a module's text cannot show. */
const FILE_CODES = new Set(["DPL1006", "DPL8004"]);

function blocks(md: string, heading: string): string[] {
  const section = md.split(/^## /m).find((s) => s.startsWith(heading));
  if (!section) return [];
  return [...section.matchAll(/```dpl\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

function check(code: string) {
  const profile = /^\/\/@ profile: kernel/.test(code) ? "kernel" : "user";
  return checkSources([sourceFromText("example.ds", code)], { profile, allBlocks: false }).diagnostics;
}

describe("diagnostic explanations", () => {
  const index = readFileSync(join(DIR, "README.md"), "utf8");

  for (const info of allCodes()) {
    describe(info.code, () => {
      const file = join(DIR, `${info.code}.md`);
      it("has an explanation page listed in the index", () => {
        expect(existsSync(file)).toBe(true);
        expect(readFileSync(file, "utf8").split("\n")[0]).toBe(`# ${info.code}: ${info.title}`);
        expect(index).toContain(`${info.code}.md`);
      });

      // No example fits on a page: a compiler bug (DPL9001) and a file over 8 MiB (DPL1005,
      // pinned by test/syntax/limits.test.ts instead).
      if (info.code === "DPL9001" || info.code === "DPL1005") return;
      const md = existsSync(file) ? readFileSync(file, "utf8") : "";

      // About files, not modules: their Example is a shell session, pinned end to end by
      // test/cli/safe-input.test.ts; their Fixed block is still a module that checks clean.
      if (FILE_CODES.has(info.code)) {
        it("its Example is a shell session that shows the code", () => {
          const session = md.split(/^## /m).find((s) => s.startsWith("Example")) ?? "";
          expect(session).toMatch(new RegExp(`\`\`\`console\\n[\\s\\S]*\\$ dplc check[\\s\\S]*\\[${info.code}\\]`));
        });
      }

      it.skipIf(FILE_CODES.has(info.code))("its Example produces the code", () => {
        const examples = blocks(md, "Example");
        expect(examples.length).toBeGreaterThan(0);
        for (const ex of examples) expect(check(ex).map((d) => d.code)).toContain(info.code);
      });

      it("its Fixed block checks clean", () => {
        const fixed = blocks(md, "Fixed");
        expect(fixed.length).toBeGreaterThan(0);
        for (const ex of fixed) expect(check(ex).map((d) => `${d.code} ${d.span.start.line}: ${d.message}`)).toEqual([]);
      });
    });
  }
});
