/**
 * Everything `dplc build` emits type-checks under `tsc --strict --noEmit`: the stdlib, the
 * support library, every positive checker fixture (fixtures/check, `*_ok` and `programs/`)
 * and every run fixture, built into one tree and checked by the real `tsc`.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildTree, positiveCheckCases, runFixtureCases, writeStrictConfig } from "./emitted-tree.js";
import { REPO_ROOT } from "../helpers.js";

const TSC = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");

describe("emitted TypeScript under tsc --strict", () => {
  it("type-checks the stdlib and every positive fixture", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dplc-tsc-"));
    try {
      const cases = [...positiveCheckCases(), ...runFixtureCases()];
      expect(cases.length).toBeGreaterThan(60);
      const tree = await buildTree(cases, dir);
      // A positive case the checker rejects is the checker's bug; it cannot be emitted.
      if (tree.rejected.length > 0) console.warn(`not emitted (the checker rejects them):\n${tree.rejected.map((r) => `  ${r.name}: ${r.errors[0]}`).join("\n")}`);
      expect(tree.emitted).toBeGreaterThan(60);
      writeStrictConfig(dir);
      const r = spawnSync(process.execPath, [TSC, "-p", join(dir, "tsconfig.json")], { encoding: "utf8", cwd: dir });
      expect(r.stdout + r.stderr).toBe("");
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
