/**
 * Everything `dplc build` emits type-checks under `tsc --strict --noEmit`: the stdlib, the
 * support library, every positive checker fixture (fixtures/check, `*_ok` and `programs/`),
 * every run fixture and every program of examples/, built into one tree and checked by the
 * real `tsc`. Every positive case must be emitted, and none may hold a missing trait
 * dictionary (`never` passes tsc anywhere).
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { buildTree, exampleCases, positiveCheckCases, runFixtureCases, writeStrictConfig } from "./emitted-tree.js";
import { REPO_ROOT } from "../helpers.js";

const TSC = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");

/** The emitted programs' `.ts` files (not the shared `_dplc/` runtime and stdlib). */
function emittedTs(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n.endsWith(".ts")) out.push(p);
    }
  };
  walk(join(dir, "cases"));
  return out;
}

describe("emitted TypeScript under tsc --strict", () => {
  it("type-checks the stdlib, every positive fixture and every example", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dplc-tsc-"));
    try {
      const cases = [...positiveCheckCases(), ...runFixtureCases(), ...exampleCases()];
      expect(cases.length).toBeGreaterThan(60);
      const tree = await buildTree(cases, dir);
      // A positive case the checker rejects is the checker's bug; it could not be emitted, so
      // it would escape this check: it fails here too.
      expect(tree.rejected.map((r) => `${r.name}: ${r.errors[0]}`)).toEqual([]);
      expect(tree.emitted).toBeGreaterThan(60);
      // `never` type-checks wherever it is passed: a missing trait dictionary (`undefined as
      // never /* no Trait for ... */`) would pass tsc and crash the program that checked clean.
      const missing = emittedTs(dir).filter((f) => /undefined as never \/\* no /.test(readFileSync(f, "utf8")));
      expect(missing.map((f) => relative(dir, f))).toEqual([]);
      writeStrictConfig(dir);
      const r = spawnSync(process.execPath, [TSC, "-p", join(dir, "tsconfig.json")], { encoding: "utf8", cwd: dir });
      expect(r.stdout + r.stderr).toBe("");
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
