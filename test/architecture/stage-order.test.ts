/**
 * The stage order of the compiler's folders (issue 10):
 *
 *   syntax ← diagnostics ← {workspace, format} ← semantic (analysis) ← {emit, lsp} ← compiler ← cli
 *
 * A folder may import its own files and the folders before it, never one after it, and
 * emit and lsp never import each other. Read from the import statements of src/.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { REPO_ROOT, tsFilesUnder } from "../helpers.js";
import { codeInfo } from "../../src/diagnostics/catalog.js";

const STAGES: Record<string, number> = { syntax: 0, diagnostics: 1, workspace: 2, format: 2, semantic: 3, emit: 4, lsp: 4, compiler: 5, cli: 6 };


const files = tsFilesUnder;

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+"(\.{1,2}\/[^"]+)"/gm)].map((m) => m[1]!);
}

describe("stage order", () => {
  it("has no import from a folder to a later stage", () => {
    const src = join(REPO_ROOT, "src");
    const edges: string[] = [];
    let checked = 0;
    for (const folder of Object.keys(STAGES)) {
      for (const f of files(join(src, folder))) {
        // The runtime library of emitted programs is a package of its own, not a compiler stage.
        if (relative(src, f).startsWith(join("emit", "runtime") + sep)) continue;
        for (const spec of imports(f)) {
          const target = resolve(dirname(f), spec.replace(/\.js$/, ".ts"));
          const to = relative(src, target).split(sep)[0]!;
          checked++;
          if (!(to in STAGES) || to === folder) continue;
          const bad = STAGES[to]! > STAGES[folder]! || (STAGES[to] === STAGES[folder]);
          if (bad) edges.push(`${relative(src, f).split(sep).join("/")} -> ${relative(src, target).split(sep).join("/")}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
    expect(edges).toEqual([]);
  });

  it("keeps the file system out of the analysis: only workspace/ reads sources", () => {
    const offenders = files(join(REPO_ROOT, "src", "semantic")).filter((f) => /from "node:fs"/.test(readFileSync(f, "utf8")));
    expect(offenders.map((f) => relative(REPO_ROOT, f))).toEqual([]);
  });
});

describe("syntax diagnostics", () => {
  it("are errors in the catalog, as the parser (a stage before it) states them", () => {
    const codes = new Set<string>();
    for (const f of files(join(REPO_ROOT, "src", "syntax"))) for (const m of readFileSync(f, "utf8").matchAll(/"(DPL1\d{3})"/g)) codes.add(m[1]!);
    expect(codes.size).toBeGreaterThan(0);
    for (const c of codes) expect(codeInfo(c)?.severity, c).toBe("error");
  });
});
