/**
 * What a built tree holds besides the emitted modules, and what is done to it: the
 * transpiled JavaScript, the support library copied in, and the type check of `--check`.
 *
 * Transpiling is `typescript`'s `transpileModule`, one file at a time, which strips types
 * without a type check. The `typescript` package is loaded on first use only: `dplc run`
 * of a cached program never needs it.
 */
import { createRequire } from "node:module";
import { type RawSourceMap, MapChain } from "./writer.js";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { PACKAGE_ROOT } from "../workspace/stdlib.js";
import { SUPPORT_ROOT, toPosix } from "./names.js";
import type { EmittedFile } from "./program.js";

type TS = typeof import("typescript");
let ts: TS | null = null;

function typescript(): TS {
  if (!ts) ts = createRequire(import.meta.url)("typescript") as TS;
  return ts;
}

export interface Transpiled {
  readonly js: string;
  readonly map: RawSourceMap;
}

/** `fileName` is the `.ts` file's name as the `.js` map should mention it (`main.ts`). */
export function transpile(text: string, fileName: string): Transpiled {
  const t = typescript();
  const out = t.transpileModule(text, {
    fileName,
    compilerOptions: {
      target: t.ScriptTarget.ES2022,
      module: t.ModuleKind.ESNext,
      sourceMap: true,
      inlineSources: false,
      removeComments: false,
      verbatimModuleSyntax: false,
      isolatedModules: true,
    },
    reportDiagnostics: false,
  });
  const js = out.outputText.replace(/\n\/\/# sourceMappingURL=.*\n?$/, "\n");
  const map = JSON.parse(out.sourceMapText ?? '{"version":3,"sources":[],"names":[],"mappings":""}') as RawSourceMap;
  return { js, map };
}

// ---------------------------------------------------------------------------
// The support library a built tree carries: the runtime (`src/emit/runtime/`), the ABI
// bridge (`src/emit/support/`) and the ABI's types (`src/host/abi.ts`), copied under
// `_dplc/` with the layout they have under `src/`, so their relative imports still hold
// and a built tree type-checks and runs with nothing outside it.
//
// The files are found by following relative imports from the two entry points, so the
// copy is exactly what emitted code can reach.
const SRC = join(PACKAGE_ROOT, "src");
const ENTRIES = ["emit/runtime/index.ts", "emit/support/host-bridge.ts"];
const IMPORT_RE = /(?:import|export)\s[^;]*?from\s+["'](\.{1,2}\/[^"']+)["']|import\s+["'](\.{1,2}\/[^"']+)["']/g;

let cached: EmittedFile[] | null = null;

/** The support files as `{ path under the tree, TypeScript text }`, in a stable order. */
export function supportFiles(): EmittedFile[] {
  if (cached) return cached;
  const seen = new Map<string, string>();
  const visit = (rel: string): void => {
    if (seen.has(rel)) return;
    const abs = join(SRC, rel);
    if (!existsSync(abs)) throw new Error(`the support library file src/${rel} is missing from the dplc installation`);
    const text = readFileSync(abs, "utf8");
    seen.set(rel, text);
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2]!;
      const target = toPosix(normalize(join(dirname(rel), spec.replace(/\.js$/, ".ts"))));
      if (!target.startsWith("..")) visit(target);
    }
  };
  for (const e of ENTRIES) visit(e);
  cached = [...seen]
    .filter(([rel]) => !/(^|\/)bench\.ts$/.test(rel))
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([rel, text]) => ({ path: `${SUPPORT_ROOT}/${rel}`, text }));
  return cached;
}

// ---------------------------------------------------------------------------
// `dplc build --check`: type-check the tree just written with ts-morph, under the same
// `--strict` options the tests use. Emitted code that does not type-check is a compiler
// bug, so each TypeScript error is reported with the `.ds` position its line came from
// (through the module's source map) for the bug report.
export interface EmittedTsError {
  /** The `.ts` file, relative to the tree. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** The `.ds` position of that line, when the source map has one. */
  readonly origin: { readonly source: string; readonly line: number } | null;
}

export async function checkEmittedTree(outDir: string, tsFiles: readonly string[]): Promise<EmittedTsError[]> {
  const { Project, ts } = await import("ts-morph");
  const project = new Project({
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2022.d.ts"],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ["node"],
      typeRoots: [join(PACKAGE_ROOT, "node_modules", "@types")],
      skipLibCheck: true,
    },
    skipAddingFilesFromTsConfig: true,
  });
  for (const f of tsFiles) project.addSourceFileAtPath(join(outDir, ...f.split("/")));
  const out: EmittedTsError[] = [];
  const maps = new Map<string, MapChain | null>();
  for (const d of project.getPreEmitDiagnostics()) {
    const sf = d.getSourceFile();
    const file = sf ? sf.getFilePath().slice(outDir.length + 1) : "<options>";
    const start = d.getStart() ?? 0;
    const pos = sf ? sf.getLineAndColumnAtPos(start) : { line: 0, column: 0 };
    const text = d.getMessageText();
    const message = typeof text === "string" ? text : text.getMessageText();
    if (!maps.has(file)) maps.set(file, loadMap(join(outDir, `${file}.map`)));
    const hit = maps.get(file)?.lookup(pos.line, pos.column) ?? null;
    out.push({ file, line: pos.line, column: pos.column, message, origin: hit ? { source: hit.source, line: hit.line } : null });
  }
  return out;
}

function loadMap(path: string): MapChain | null {
  try {
    return new MapChain([JSON.parse(readFileSync(path, "utf8")) as RawSourceMap]);
  } catch {
    return null;
  }
}
