/**
 * Long left-associative chains (src/syntax/chains.ts): `1 + 1 + …`, `s + "a" + …`,
 * `a && b && …`, `x.f().g()…`, `x as A as B …` are not nesting. Every stage walks them with
 * a loop, so chains of thousands of links check, format, build and run with the right
 * result, with no DPL1004, no DPL9001 and no stack trace (they were refused past ~300
 * operands, and crashed before that). Nothing here times anything.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkSources } from "../../src/compiler/check.js";
import { buildProgram } from "../../src/compiler/build.js";
import { sourceFromText } from "../../src/compiler/sources.js";
import { formatText } from "../../src/format/format.js";
import { parseText } from "../../src/syntax/parse.js";
import { printExpr } from "../../src/syntax/printer.js";
import { CHAIN_SPILL } from "../../src/emit/body.js";
import { DPLC, REPO_ROOT } from "../helpers.js";
import { CHAIN_KINDS, chainsProgram } from "./chain-programs.js";

const dir = mkdtempSync(join(tmpdir(), "dplc-chains-"));
const OPTIONS = { profile: "user", allBlocks: false } as const;

/** `bin/dplc` with room for a big program under load (runDplc stops at 60 s). */
function dplc(args: readonly string[]): { status: number; out: string } {
  const r = spawnSync(process.execPath, [DPLC, ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: "1" }, encoding: "utf8", timeout: 600_000 });
  return { status: r.status ?? -1, out: r.stdout + r.stderr };
}

function expectNoCrash(out: string): void {
  expect(out).not.toMatch(/Maximum call stack|internal (compiler )?error|DPL1004|DPL9001|\n\s+at /);
}

/** The deepest bracket nesting of a text (emitted TypeScript is read by tsc and Node, recursively). */
function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (const c of text) {
    if (c === "(" || c === "[" || c === "{") max = Math.max(max, ++depth);
    else if (c === ")" || c === "]" || c === "}") depth--;
  }
  return max;
}

async function emitted(text: string): Promise<string> {
  const r = await buildProgram([sourceFromText("t.ds", text)], { ...OPTIONS, js: false, outDir: "out" });
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code} ${d.message.slice(0, 200)}`).join("\n"));
  return r.files.find((f) => f.path === "t.ts")!.text;
}

describe("chains of every kind, thousands of links long", () => {
  it("a 20,000-term sum checks in process with no diagnostic", () => {
    const { text } = chainsProgram(20_000, CHAIN_KINDS.filter((k) => k.name === "+"));
    expect(checkSources([sourceFromText("t.ds", text)], OPTIONS).diagnostics).toEqual([]);
  });

  it("property: every kind, any length, checks clean and emits TypeScript nested no deeper than a short chain", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHAIN_KINDS), fc.oneof(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 300, max: 6000 })), async (kind, n) => {
        const { text } = chainsProgram(n, [kind]);
        const diags = checkSources([sourceFromText("t.ds", text)], OPTIONS).diagnostics;
        expect(diags.map((d) => `${d.code} ${d.message.slice(0, 120)}`)).toEqual([]);
        const ts = await emitted(text);
        // A temporary every CHAIN_SPILL links: the text nests like a chain of that length.
        expect(bracketDepth(ts)).toBeLessThan(CHAIN_SPILL + 20);
      }),
      { numRuns: 12 },
    );
  }, 600_000);

  it("property: the printer and the formatter give back the same chain, of any length", () => {
    fc.assert(
      fc.property(fc.constantFrom(...CHAIN_KINDS), fc.integer({ min: 1, max: 20_000 }), (kind, n) => {
        const { text } = chainsProgram(n, [kind]);
        const formatted = formatText("t.ds", text);
        expect(formatted.ok).toBe(true);
        if (!formatted.ok) return;
        // Formatting is idempotent and keeps the meaning (the same tree, spans aside).
        const again = formatText("t.ds", formatted.text);
        expect(again.ok && again.text).toBe(formatted.text);
        const before = parseText("a.ds", text);
        const after = parseText("b.ds", formatted.text);
        expect(after.diagnostics).toEqual([]);
        const exprs = (m: typeof before.module): string[] =>
          m.items.flatMap((it) => (it.kind === "FnItem" && it.body.kind === "block" ? it.body.block.stmts.flatMap((s) => (s.kind === "LetStmt" && s.init ? [printExpr(s.init)] : s.kind === "ExprStmt" ? [printExpr(s.expr)] : [])) : []));
        expect(exprs(after.module)).toEqual(exprs(before.module));
      }),
      { numRuns: 20 },
    );
  }, 300_000);

  it("`dplc run` of a generated 10,000-term sum prints 10000", () => {
    const f = join(dir, "sum10000.ds");
    writeFileSync(f, chainsProgram(10_000, CHAIN_KINDS.filter((k) => k.name === "+")).text);
    const r = dplc(["run", f]);
    expectNoCrash(r.out);
    expect(r.out).toBe("10000\n");
    expect(r.status).toBe(0);
  }, 600_000);

  it("`dplc build --js` and `run` of a 1,000-link chain of every kind print Rust's results", () => {
    const { text, stdout } = chainsProgram(1000);
    const f = join(dir, "chains1000.ds");
    writeFileSync(f, text);
    const b = dplc(["build", f, "--js", "--out-dir", join(dir, "out1000")]);
    expectNoCrash(b.out);
    expect(b.status).toBe(0);
    const r = dplc(["run", f]);
    expectNoCrash(r.out);
    expect(r.out).toBe(stdout);
    expect(r.status).toBe(0);
  }, 900_000);

  it("a 20,000-term sum goes through `dplc check` and `dplc fmt --check`", () => {
    const f = join(dir, "sum20000.ds");
    writeFileSync(f, chainsProgram(20_000, CHAIN_KINDS.filter((k) => k.name === "string +")).text);
    const c = dplc(["check", f]);
    expectNoCrash(c.out);
    expect(c.status).toBe(0);
    const fm = dplc(["fmt", "--check", f]);
    expectNoCrash(fm.out);
    expect([0, 1]).toContain(fm.status);
  }, 600_000);
});
