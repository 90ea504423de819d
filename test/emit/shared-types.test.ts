/**
 * Types are shared DAGs (`let x2 = (x1, x1)`): the emitted TypeScript writes each shared
 * part once (module-level `type $$Tn` aliases and `$$Dn()` descriptor functions), so a type
 * of 2^26 leaves costs kilobytes, not a build that runs out of memory (issue 9). The code
 * must still type-check: test/emit/tsc-strict.test.ts covers the fixtures; here the program
 * is compiled and run.
 */
import { describe, expect, it } from "vitest";
import { ts } from "ts-morph";
import { buildProgram } from "../../src/compiler/build.js";
import { sourceFromText } from "../../src/compiler/sources.js";
import { runDplc } from "../helpers.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

function pairs(levels: number, tail: string): string {
  const lines = ["fn main() {", "    let x0 = 7u64;"];
  for (let i = 1; i <= levels; i++) lines.push(`    let x${i} = (x${i - 1}, x${i - 1});`);
  lines.push(tail, "}");
  return lines.join("\n") + "\n";
}

describe("emitting types that share parts", () => {
  it("writes 26 levels of pairs, formatted with {:?}, in a few kilobytes of valid TypeScript", async () => {
    const text = pairs(26, '    if x0 == 8 { println!("{:?}", x26); }\n    println!("{:?} {}", x2, x26.1.0.1.0.1.0.1.0.1.0.1.0.1.0.1.0.1.0.1.0.1.0.1.0.1.0);');
    const r = await buildProgram([sourceFromText("pairs.ds", text)], { profile: "user", allBlocks: false, js: false, outDir: "out" });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const main = r.files.find((f) => f.path === "pairs.ts")!.text;
    expect(main.length).toBeLessThan(20_000);
    expect(main).toMatch(/^type \$\$T1 = /m);
    expect(main).toMatch(/^function \$\$D1\(\): Ty \{/m);
    const sf = ts.createSourceFile("pairs.ts", main, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    expect((sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
  });

  it("runs such a program", () => {
    const dir = mkdtempSync(join(tmpdir(), "dplc-pairs-"));
    const file = join(dir, "pairs.ds");
    writeFileSync(file, pairs(26, '    println!("{:?} {}", x2, x26.1.0.1.0.1.0.1.0.1.0.1.0.1.0.1.0.1.0.1.0.1.0.1.0.1.0);'));
    const r = runDplc(["run", file]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("((7, 7), (7, 7)) 7\n");
    expect(r.status).toBe(0);
  });
});
