/**
 * What a built tree holds besides the emitted modules, and what is done to it: the
 * transpiled JavaScript, the runtime package copied in, and the type check of `--check`.
 *
 * Transpiling is `typescript`'s `transpileModule`, one file at a time, which strips types
 * without a type check. The `typescript` package is loaded on first use only: `dplc run`
 * of a cached program never needs it.
 */
import { createRequire } from "node:module";
import { type RawSourceMap, MapChain } from "./writer.js";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { RUNTIME_DIST, RUNTIME_PACKAGE } from "../workspace/runtime-package.js";
import { RUNTIME_DIR } from "./names.js";
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

const TRANSPILE_NAME = "module.ts";

/** `fileName` is the `.ts` file's name as the `.js` map should mention it (`main.ts`). */
export function transpile(text: string, fileName: string): Transpiled {
  const t = typescript();
  // TypeScript writes the file name into a `//# sourceMappingURL=` comment unescaped; it
  // gets a fixed name, and the map gets the real one below.
  const out = t.transpileModule(text, {
    fileName: TRANSPILE_NAME,
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
  const js = out.outputText.replace(/\n\/\/# sourceMappingURL=module\.js\.map\n?$/, "\n");
  const map = JSON.parse(out.sourceMapText ?? '{"version":3,"sources":[],"names":[],"mappings":""}') as RawSourceMap;
  return { js, map: { ...map, file: fileName.replace(/\.ts$/, ".js"), sources: map.sources.map(() => fileName) } };
}

// ---------------------------------------------------------------------------
// The runtime a built tree carries: the runtime package (`packages/runtime/`) as it was
// compiled with dplc, JavaScript and declarations, copied under `_dplc/runtime/`. Emitted
// modules import it there by a stable path, so a tree type-checks and runs with nothing
// outside it, and dplc needs no TypeScript sources of its own at run time.
let cached: EmittedFile[] | null = null;

/** The `@types` folder that holds `@types/node`, wherever npm put it (nested or hoisted). */
function nodeTypesRoot(): string {
  return dirname(dirname(createRequire(import.meta.url).resolve("@types/node/package.json")));
}

/** The runtime package's files as `{ path under the tree, text }`, in a stable order. */
export function runtimeFiles(): EmittedFile[] {
  if (cached) return cached;
  if (!existsSync(join(RUNTIME_DIST, "index.js"))) {
    throw new Error(`the runtime package is not built: ${RUNTIME_DIST} has no index.js (run \`npm run build\`)`);
  }
  const files: EmittedFile[] = [];
  for (const name of readdirSync(RUNTIME_DIST).sort()) {
    if (name.endsWith(".js") || name.endsWith(".d.ts")) {
      files.push({ path: `${RUNTIME_DIR}/${name}`, text: readFileSync(join(RUNTIME_DIST, name), "utf8") });
    }
  }
  files.push({ path: `${RUNTIME_DIR}/package.json`, text: readFileSync(join(RUNTIME_PACKAGE, "package.json"), "utf8") });
  cached = files;
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
      // ES modules, as the tree's package.json says (`"type": "module"`); ts-morph does not
      // read that file to decide a module's format, so NodeNext would take them for CommonJS.
      module: ts.ModuleKind.ES2022,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: ["node"],
      typeRoots: [nodeTypesRoot()],
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
