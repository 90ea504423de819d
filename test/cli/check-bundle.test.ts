/**
 * `dplc check` runs from dist/check.cjs, the one-file bundle `npm run build` makes
 * (scripts/bundle.mjs): it must be the same program as dist/cli/main.js's `check`, so the
 * same input gives the same output, exit code and help, byte for byte.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers.js";

const BUNDLE = join(REPO_ROOT, "dist", "check.cjs");
const MAIN = join(REPO_ROOT, "dist", "cli", "main.js");

function run(entry: string, args: readonly string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [entry, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the bundled dplc check", () => {
  it("is built by npm run build, with its source map", () => {
    expect(existsSync(BUNDLE)).toBe(true);
    expect(existsSync(`${BUNDLE}.map`)).toBe(true);
  });

  it("prints what dist/cli/main.js prints, for diagnostics and for help", () => {
    const dir = mkdtempSync(join(tmpdir(), "dplc-bundle-"));
    try {
      writeFileSync(join(dir, "bad.ds"), 'fn main() {\n    let x: i32 = "a";\n}\n');
      for (const args of [["check", "--format", "json", "bad.ds"], ["check", "--help"], ["check", "--format", "xml", "bad.ds"]]) {
        const bundled = run(BUNDLE, args, dir);
        const unbundled = run(MAIN, args, dir);
        expect(bundled, args.join(" ")).toEqual(unbundled);
      }
      expect(run(BUNDLE, ["check", "--format", "json", "bad.ds"], dir).status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
