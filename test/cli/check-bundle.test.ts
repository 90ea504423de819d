/**
 * `dplc check` runs from dist/check.cjs, the one-file bundle `npm run build` makes
 * (scripts/bundle.mjs): it must be the same program as dist/cli/main.js's `check`, so the
 * same input gives the same output, exit code and help, byte for byte.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
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

describe("bin/dplc's choice of the bundle", () => {
  it("lists the dist/ files the bundle was made from beside it", () => {
    const inputs = readFileSync(`${BUNDLE}.inputs`, "utf8").split("\n");
    expect(inputs).toContain("cli/check-main.js");
    expect(inputs).toContain("syntax/parser.js");
  });

  it("runs the bundle only when none of the dist/ files it was made from is newer (a tsc that rewrote some of them without bundling)", () => {
    // A stand-in installation: bin/dplc itself, with entries that say which one ran.
    const root = mkdtempSync(join(tmpdir(), "dplc-bundle-choice-"));
    try {
      const put = (rel: string, text: string, seconds: number): void => {
        const p = join(root, rel);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, text);
        utimesSync(p, seconds, seconds);
      };
      mkdirSync(join(root, "bin"));
      copyFileSync(join(REPO_ROOT, "bin", "dplc"), join(root, "bin", "dplc"));
      writeFileSync(join(root, "package.json"), '{"type": "module"}\n');
      put("dist/cli/main.js", 'process.stdout.write("main\\n");\n', 1000);
      put("dist/cli/check-main.js", "", 1000);
      put("dist/syntax/parser.js", "", 1000);
      put("dist/check.cjs", 'process.stdout.write("bundle\\n");\n', 2000);
      put("dist/check.cjs.inputs", "cli/check-main.js\nsyntax/parser.js\n", 2000);
      const ran = (): string => run(join(root, "bin", "dplc"), ["check"], root).stdout;
      expect(ran()).toBe("bundle\n");
      // A watching tsc re-emits only the file that changed.
      utimesSync(join(root, "dist", "syntax", "parser.js"), 3000, 3000);
      expect(ran()).toBe("main\n");
      // A bundle without its list cannot be vouched for.
      put("dist/check.cjs", 'process.stdout.write("bundle\\n");\n', 4000);
      expect(ran()).toBe("bundle\n");
      rmSync(join(root, "dist", "check.cjs.inputs"));
      expect(ran()).toBe("main\n");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
