/**
 * Conformance with the dustlang surface's own material (`../shared/dust-spec/`): the
 * official compiler's runnable v0.2 examples check clean and print what their headers say,
 * and the v0.1 examples are met with one clear DPL1010 per forge (v0.1 is not accepted yet)
 * and never a cascade.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { REPO_ROOT, runDplc } from "../helpers.js";
import { parseText } from "../../src/syntax/parse.js";

const DUST_DIR = resolve(REPO_ROOT, "..", "shared", "dust-spec");
const HAS_DUST = existsSync(DUST_DIR);
const NO_DUST = `the dustlang material is not at ${DUST_DIR} (expected beside the repository as ../shared/dust-spec); its conformance tests are skipped`;
if (!HAS_DUST) console.warn(NO_DUST);

/**
 * What each v0.2 example prints. Where the header states it ("Expected behavior"), this is
 * the header's text; the others state no output, and theirs is what the program computes
 * (factorial, Fibonacci, the loops as written), worked out by hand.
 */
const EXPECTED: Record<string, string> = {
  "k_comment_handling.ds": "Comments OK\n",
  "k_empty_main.ds": "",
  "k_hello_world.ds": "Hello, Dust\n",
  "k_multiple_emits.ds": "First line\nSecond line\nThird line\n",
  "k_functions.ds": "5! = 120\n10 + 20 = 30\nHello, World!\nFibonacci(10) = 55\n",
  "k_variables.ds": "Immutable x = 42\nCounter after increment: 1\nFlag is true\nMessage: Hello, Dust!\nSum of 10 + 20 = 30\n",
  "k_control_flow.ds":
    "x is positive\nFor loop:\n" +
    [0, 1, 2, 3, 4].map((i) => `  iteration ${i}\n`).join("") +
    "While loop:\n" +
    [0, 1, 2].map((i) => `  count = ${i}\n`).join("") +
    "Break example:\n" +
    [0, 1, 2].map((i) => `  i = ${i}\n`).join("") +
    "Control flow demo complete\n",
};

function dsFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? dsFiles(p) : n.endsWith(".ds") ? [p] : [];
    });
}

describe.skipIf(!HAS_DUST)(`the dustlang examples${HAS_DUST ? "" : ` (skipped: ${NO_DUST})`}`, () => {
  const v02 = HAS_DUST ? dsFiles(join(DUST_DIR, "examples-v0.2")) : [];
  const v01 = HAS_DUST ? dsFiles(join(DUST_DIR, "examples-v0.1")) : [];

  it("knows the output of every v0.2 example", () => {
    expect(v02.map((f) => relative(join(DUST_DIR, "examples-v0.2"), f)).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const file of v02) {
    const name = relative(join(DUST_DIR, "examples-v0.2"), file);
    it(`v0.2 ${name}: checks clean and prints what its header states`, () => {
      const check = runDplc(["check", file]);
      expect(check.stdout).toMatch(/0 errors, 0 warnings/);
      expect(check.status).toBe(0);
      const run = runDplc(["run", file]);
      expect(run.stderr).toBe("");
      expect(run.stdout).toBe(EXPECTED[name]);
      expect(run.status).toBe(0);
    });
  }

  it("v0.1: every file gives one DPL1010 per forge and nothing else", () => {
    for (const file of v01) {
      const text = readFileSync(file, "utf8");
      const r = parseText(file, text);
      // The examples that must be rejected keep their forge inside `/* */`: those do not count.
      const forges = [...text.replace(/\/\*[\s\S]*?\*\//g, "").matchAll(/^\s*forge\s/gm)].length;
      expect(r.diagnostics.map((d) => d.code), relative(DUST_DIR, file)).toEqual(Array(forges).fill("DPL1010"));
    }
  });
});
