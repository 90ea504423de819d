/**
 * Emitted TypeScript, pinned: for one program of each run-fixture folder, the `.ts` of the
 * user's modules as `dplc build` writes them sits in fixtures/emit/<folder>/<program>/.
 * A change to emission shows up as a diff of these files; `npm run bless` rewrites them
 * (review the diff before committing).
 */
import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { REPO_ROOT } from "../helpers.js";
import { buildProgram } from "../../src/compiler/build.js";
import { loadSource } from "../../src/compiler/sources.js";

const BLESS = process.env["DPLC_BLESS"] === "1";
const RUN = join(REPO_ROOT, "fixtures", "run");
const OUT = join(REPO_ROOT, "fixtures", "emit");

/** The first program (by name) of every folder of fixtures/run; a multi-file program's `main.ds`. */
function programs(): { folder: string; file: string }[] {
  const out: { folder: string; file: string }[] = [];
  for (const folder of readdirSync(RUN).sort()) {
    const dir = join(RUN, folder);
    if (!statSync(dir).isDirectory()) continue;
    // A fixture with a `NAME.todo` is a known bug that keeps it from checking (run-fixtures.test.ts).
    const first = readdirSync(dir)
      .filter((n) => n.endsWith(".ds") && !existsSync(join(dir, n.replace(/\.ds$/, ".todo"))))
      .sort()[0];
    if (first) {
      out.push({ folder, file: join(dir, first) });
      continue;
    }
    for (const sub of readdirSync(dir).sort()) {
      const main = join(dir, sub, "main.ds");
      if (existsSync(main)) {
        out.push({ folder, file: main });
        break;
      }
    }
  }
  return out;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(relative(dir, p).split("\\").join("/"));
  }
  return out.sort();
}

describe("emitted TypeScript snapshots", () => {
  const cases = programs();
  it("covers a program of every run-fixture folder", () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });
  for (const c of cases) {
    const stem = relative(join(RUN, c.folder), c.file).split("\\").join("/").replace(/\.ds$/, "");
    it(`${c.folder}/${stem}`, async () => {
      const src = loadSource(c.file);
      if (!src.ok) throw new Error(src.error);
      const r = await buildProgram([src.source], { profile: "user", allBlocks: false, js: false, outDir: join(OUT, c.folder, stem) });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const emitted = r.files.filter((f) => f.path.endsWith(".ts") && !f.path.startsWith("_dplc/"));
      expect(emitted.length).toBeGreaterThan(0);
      const dir = join(OUT, c.folder, stem);
      if (BLESS) {
        rmSync(dir, { recursive: true, force: true });
        for (const f of emitted) {
          const target = join(dir, f.path);
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, f.text);
        }
        return;
      }
      expect(filesUnder(dir)).toEqual(emitted.map((f) => f.path).sort());
      for (const f of emitted) expect(f.text, f.path).toBe(readFileSync(join(dir, f.path), "utf8"));
    });
  }
});
