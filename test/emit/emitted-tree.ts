/**
 * Builds one tree holding the emitted TypeScript of many programs, for the tests that
 * type-check emitted code: the stdlib and support library once under `_dplc/`, and each
 * program in its own folder (`cases/<name>/`).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { buildProgram, writeBuild } from "../../src/compiler/build.js";
import { loadSource } from "../../src/compiler/sources.js";
import type { Profile } from "../../src/compiler/options.js";
import type { SourceFile } from "../../src/syntax/source.js";
import type { EmittedFile } from "../../src/emit/program.js";
import { REPO_ROOT } from "../helpers.js";
import { surfaceOf } from "../../src/syntax/parse.js";

export interface Case {
  readonly name: string;
  readonly files: readonly string[];
  readonly profile: Profile;
}

function walk(dir: string, out: string[]): void {
  for (const n of readdirSync(dir).sort()) {
    const full = join(dir, n);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
}

function profileOf(file: string): Profile {
  return /^\/\/@ profile: kernel/m.test(readFileSync(file, "utf8")) ? "kernel" : "user";
}

/** The positive checker fixtures: `*_ok` cases and everything under `programs/` (fixtures/check/README.md). */
export function positiveCheckCases(): Case[] {
  const root = join(REPO_ROOT, "fixtures", "check");
  const all: string[] = [];
  walk(root, all);
  const cases: Case[] = [];
  const folders = new Set<string>();
  for (const f of all) {
    if (!f.endsWith(".ds")) continue;
    const rel = relative(root, f).split("\\").join("/");
    const parts = rel.split("/");
    const isProgram = parts[0] === "programs";
    // A folder case: `<folder>/main.ds` and the modules it declares.
    if (parts.length > 2) {
      const folder = parts.slice(0, -1).join("/");
      if (folders.has(folder)) continue;
      const name = parts[parts.length - 2]!;
      if (!(isProgram || name.endsWith("_ok"))) continue;
      folders.add(folder);
      const main = join(root, folder, "main.ds");
      // A folder of dustlang files is one program, its forges shared (fixtures.test.ts).
      const files = surfaceOf(readFileSync(main, "utf8")) === "dust" ? [main, ...all.filter((x) => x !== main && x.endsWith(".ds") && dirname(x) === dirname(main))] : [main];
      cases.push({ name: `check/${folder}`, files, profile: profileOf(main) });
      continue;
    }
    const stem = parts[parts.length - 1]!.replace(/\.ds$/, "");
    if (!(isProgram || stem.endsWith("_ok"))) continue;
    cases.push({ name: `check/${rel.replace(/\.ds$/, "")}`, files: [f], profile: profileOf(f) });
  }
  return cases;
}

export function runFixtureCases(): Case[] {
  const root = join(REPO_ROOT, "fixtures", "run");
  const all: string[] = [];
  walk(root, all);
  // In a folder with a `main.ds`, the other files are that program's modules.
  const programDirs = new Set(all.filter((f) => f.endsWith("/main.ds")).map((f) => f.slice(0, -"/main.ds".length)));
  return all
    .filter((f) => f.endsWith(".ds") && (f.endsWith("/main.ds") || !programDirs.has(f.slice(0, f.lastIndexOf("/")))))
    // A fixture with a `NAME.todo` is a known bug that keeps it from checking (run-fixtures.test.ts lists it as a todo).
    .filter((f) => !existsSync(f.replace(/\.ds$/, ".todo")))
    .map((f) => ({ name: `run/${relative(root, f).split("\\").join("/").replace(/\.ds$/, "")}`, files: [f], profile: "user" as Profile }));
}

/**
 * The programs of examples/, relative to it: every `NAME.ds`, and `DIR/main.ds` for a folder
 * that is one program of several modules (examples/cluster/ holds separate programs that
 * need a cluster, and no `main.ds`).
 */
export function exampleFiles(): string[] {
  const root = join(REPO_ROOT, "examples");
  const out: string[] = [];
  for (const n of readdirSync(root).sort()) {
    if (n.endsWith(".ds")) out.push(n);
    else if (statSync(join(root, n)).isDirectory() && readdirSync(join(root, n)).includes("main.ds")) out.push(`${n}/main.ds`);
  }
  return out;
}

export function exampleCases(): Case[] {
  return exampleFiles().map((f) => ({ name: `examples/${f.replace(/\/main\.ds$|\.ds$/, "")}`, files: [join(REPO_ROOT, "examples", f)], profile: "user" as Profile }));
}

export interface TreeResult {
  readonly dir: string;
  /** Cases the checker rejected, so nothing was emitted for them. */
  readonly rejected: { readonly name: string; readonly errors: string[] }[];
  readonly emitted: number;
}

function written(r: { ok: true } | { ok: false; error: string }): void {
  if (!r.ok) throw new Error(r.error);
}

/** Build every case into `dir`, sharing one copy of `_dplc/`. */
export async function buildTree(cases: readonly Case[], dir: string): Promise<TreeResult> {
  mkdirSync(dir, { recursive: true });
  const rejected: TreeResult["rejected"][number][] = [];
  let shared: readonly EmittedFile[] | null = null;
  let emitted = 0;
  for (const c of cases) {
    const sources: SourceFile[] = c.files.map((f) => {
      const r = loadSource(f);
      if (!r.ok) throw new Error(r.error);
      return r.source;
    });
    const res = await buildProgram(sources, { profile: c.profile, allBlocks: false, js: false, outDir: dir, userPrefix: `cases/${c.name}` });
    const errors = res.diagnostics.filter((d) => d.severity === "error");
    if (errors.length > 0) {
      rejected.push({ name: c.name, errors: errors.map((d) => `${d.code} ${d.span.file}:${d.span.start.line}: ${d.message}`) });
      continue;
    }
    const own = res.files.filter((f) => f.path.startsWith("cases/"));
    emitted += own.filter((f) => f.path.endsWith(".ts")).length;
    written(writeBuild(dir, own, c.files));
    shared ??= res.files.filter((f) => !f.path.startsWith("cases/"));
  }
  if (shared) written(writeBuild(dir, shared, []));
  return { dir, rejected, emitted };
}

/** A tsconfig for `tsc --strict --noEmit` over the tree (Node types from this repository). */
export function writeStrictConfig(dir: string): void {
  const config = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: "ES2022",
      lib: ["ES2022"],
      module: "NodeNext",
      moduleResolution: "NodeNext",
      types: ["node"],
      typeRoots: [join(REPO_ROOT, "node_modules", "@types")],
      skipLibCheck: true,
      forceConsistentCasingInFileNames: true,
    },
    include: ["**/*.ts"],
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(config, null, 2) + "\n");
}
