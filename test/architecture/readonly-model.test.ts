/**
 * The analysis model is read-only to the stages after it (issue 10): the emitter and the
 * language server see `ReadonlyModel` — read-only tables, no `Sema`, no lowering
 * functions that fill the checker's caches — so they cannot change what the checker
 * decided. Two halves: what emit/ and lsp/ import (read from their sources), and that the
 * types really reject a write (a snippet compiled with the TypeScript compiler).
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import ts from "typescript";
import { REPO_ROOT, tsFilesUnder } from "../helpers.js";

const files = tsFilesUnder;

/** Semantic modules whose exports write the checker's state (lowering caches, tables, inference). */
const WRITERS = ["lower", "context", "checker", "program", "collect", "decls", "resolve", "infer", "bodies", "call-res"];
/** Names of the mutable side: the checker's context, its tables class, the checked program, the model class. */
const MUTABLE_NAMES = /\b(Sema|Tables|CheckedProgram|CheckedWorld|AnalysisModel|CallTable)\b/;

describe("the analysis model, as emit/ and lsp/ see it", () => {
  it("is reached only through ReadonlyModel: no Sema, mutable tables or lowering functions", () => {
    const offenders: string[] = [];
    let scanned = 0;
    for (const folder of ["emit", "lsp"]) {
      for (const f of files(join(REPO_ROOT, "src", folder))) {
        if (relative(join(REPO_ROOT, "src", "emit"), f).startsWith("runtime")) continue;
        scanned++;
        const text = readFileSync(f, "utf8");
        for (const m of text.matchAll(/^\s*import\b([^;]*?)\bfrom\s+"\.\.\/semantic\/([\w-]+)\.js"/gm)) {
          const [, names, mod] = m;
          const where = relative(REPO_ROOT, f);
          // `peel` (call-res.ts) only looks through a type; everything else there resolves calls.
          if (WRITERS.includes(mod!) && !(mod === "call-res" && /^\s*\{\s*peel\s*\}\s*$/.test(names!))) offenders.push(`${where}: imports semantic/${mod}.js`);
          if (MUTABLE_NAMES.test(names!)) offenders.push(`${where}: imports ${names!.trim()} from semantic/${mod}.js`);
        }
        if (/\.sema\b/.test(text)) offenders.push(`${relative(REPO_ROOT, f)}: reads a \`.sema\``);
      }
    }
    expect(scanned).toBeGreaterThan(20);
    expect(offenders).toEqual([]);
  });

  it("rejects writes by type", () => {
    const dir = mkdtempSync(join(tmpdir(), "dplc-readonly-model-"));
    try {
      const model = join(REPO_ROOT, "src", "semantic", "model.js");
      const file = join(dir, "probe.ts");
      // Each write must be a type error; an unused `@ts-expect-error` is itself an error,
      // and so is an import that does not resolve, so zero diagnostics means every write
      // below was rejected by the types.
      writeFileSync(
        file,
        [
          `import type { ReadonlyModel } from ${JSON.stringify(model)};`,
          "declare const m: ReadonlyModel;",
          "declare const node: never;",
          "export function probe(): void {",
          "  // @ts-expect-error: expression types cannot be overwritten",
          "  m.user.tables.exprTypes.set(node, node);",
          "  // @ts-expect-error: resolutions cannot be dropped",
          "  m.stdlib.tables.valueRes.delete(node);",
          "  // @ts-expect-error: a call's resolution cannot be recorded after the fact",
          "  m.user.tables.callRes.note(node, node, node, node);",
          "  // @ts-expect-error: the list of bodies is read-only",
          "  m.user.tables.bodies.push(node);",
          "  // @ts-expect-error: uses of a local are read-only",
          "  m.user.tables.localUses.get(node)?.push(node);",
          "  // @ts-expect-error: the checker's context is not part of the model",
          "  void m.user.sema;",
          "  // @ts-expect-error: nor is the checked program behind it",
          "  void m.program;",
          "  // @ts-expect-error: a world's modules cannot be replaced",
          "  m.user.modules.length = 0;",
          "  // @ts-expect-error: the tables of a module are read-only too",
          "  m.tablesOf(node).patTypes.clear();",
          "}",
          "",
        ].join("\n"),
      );
      const program = ts.createProgram([file], {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ["node"],
        typeRoots: [join(REPO_ROOT, "node_modules", "@types")],
      });
      const diags = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file || !d.file);
      expect(diags.map((d) => `${d.start}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
