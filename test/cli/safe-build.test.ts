/**
 * `dplc build` writes only into a folder it owns (docs/security.md, "Files and the file
 * system"): never over the user's sources, never over a file it did not write, and
 * `dplc check` of a project does not check dplc's own output.
 */
import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDplc } from "../helpers.js";

const PROGRAM = "fn main() {\n    println!(\"hi\");\n}\n";
const USER_MAIN_TS = "// the user's own main.ts\nexport const mine = 1;\n";
const USER_PACKAGE = '{ "name": "mine", "version": "1.0.0" }\n';

/** A project folder with the user's own files beside a DPL program. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "dplc-safe-build-"));
  writeFileSync(join(dir, "main.ds"), PROGRAM);
  writeFileSync(join(dir, "main.ts"), USER_MAIN_TS);
  writeFileSync(join(dir, "package.json"), USER_PACKAGE);
  return dir;
}

function expectOneLineRefusal(r: { status: number; stderr: string }, pattern: RegExp): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split("\n"), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

describe("dplc build writes only into a folder it owns", () => {
  it("refuses an out dir equal to the source folder, and the user's files stay intact", () => {
    const dir = project();
    const r = runDplc(["build", dir, "--out-dir", dir]);
    expectOneLineRefusal(r, /^error: .*out.dir.*source/);
    expect(readFileSync(join(dir, "main.ts"), "utf8")).toBe(USER_MAIN_TS);
    expect(readFileSync(join(dir, "package.json"), "utf8")).toBe(USER_PACKAGE);
    expect(readdirSync(dir).sort()).toEqual(["main.ds", "main.ts", "package.json"]);
  });

  it("refuses an out dir that contains the sources (`--out-dir .` at a project root)", () => {
    const dir = project();
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src", "app.ds"), PROGRAM);
    const r = runDplc(["build", "src", "--out-dir", "."], { cwd: dir });
    expectOneLineRefusal(r, /^error: .*out.dir.*source/);
    expect(readFileSync(join(dir, "package.json"), "utf8")).toBe(USER_PACKAGE);
    // A single file named on the command line is a source root too.
    const single = runDplc(["build", "main.ds", "--out-dir", "."], { cwd: dir });
    expectOneLineRefusal(single, /^error: .*out.dir.*source/);
    expect(readFileSync(join(dir, "main.ts"), "utf8")).toBe(USER_MAIN_TS);
  });

  it("refuses an out dir inside the sources", () => {
    const dir = project();
    const r = runDplc(["build", dir, "--out-dir", join(dir, "out")]);
    expectOneLineRefusal(r, /^error: .*out.dir.*source/);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("refuses a non-empty folder it did not create, and never overwrites a file it did not write", () => {
    const dir = project();
    const out = join(dir, "..", `${dir.split("/").pop()}-theirs`);
    mkdirSync(out);
    writeFileSync(join(out, "package.json"), USER_PACKAGE);
    const r = runDplc(["build", join(dir, "main.ds"), "--out-dir", out]);
    expectOneLineRefusal(r, /^error: .*not empty.*not created by dplc/);
    expect(readFileSync(join(out, "package.json"), "utf8")).toBe(USER_PACKAGE);
    expect(readdirSync(out)).toEqual(["package.json"]);
  });

  it("rebuilds into its own folder, but not over a file the user put there since", () => {
    const dir = project();
    const out = join(dir, "..", `${dir.split("/").pop()}-out`);
    const first = runDplc(["build", join(dir, "main.ds"), "--out-dir", out]);
    expect(first.status, first.stderr).toBe(0);
    expect(existsSync(join(out, "main.ts"))).toBe(true);
    const again = runDplc(["build", join(dir, "main.ds"), "--out-dir", out]);
    expect(again.status, again.stderr).toBe(0);
    // A new module whose output name is taken by a file dplc did not write.
    writeFileSync(join(dir, "extra.ds"), "fn helper() -> u64 {\n    1\n}\n");
    writeFileSync(join(out, "extra.ts"), USER_MAIN_TS);
    const r = runDplc(["build", join(dir, "main.ds"), join(dir, "extra.ds"), "--out-dir", out]);
    expectOneLineRefusal(r, /^error: .*extra\.ts.*not written by dplc/);
    expect(readFileSync(join(out, "extra.ts"), "utf8")).toBe(USER_MAIN_TS);
  });

  it("leaves no temporary files behind (every file is renamed into place)", () => {
    const dir = project();
    const out = join(dir, "..", `${dir.split("/").pop()}-atomic`);
    const r = runDplc(["build", join(dir, "main.ds"), "--out-dir", out, "--js"]);
    expect(r.status, r.stderr).toBe(0);
    const all = (readdirSync(out, { recursive: true }) as string[]).filter((f) => /tmp/i.test(f));
    expect(all).toEqual([]);
  });
});

describe("dplc check skips dplc's own output folders", () => {
  it("does not check the stdlib copy of a build tree inside the checked folder", () => {
    const root = mkdtempSync(join(tmpdir(), "dplc-safe-check-"));
    mkdirSync(join(root, "src"));
    writeFileSync(join(root, "src", "main.ds"), PROGRAM);
    const b = runDplc(["build", "src", "--out-dir", "build"], { cwd: root });
    expect(b.status, b.stderr).toBe(0);
    expect(existsSync(join(root, "build", "_dplc", "stdlib"))).toBe(true);
    const r = runDplc(["check", "."], { cwd: root });
    expect(r.stdout).toMatch(/^checked 1 file: 0 errors, 0 warnings/m);
    expect(r.status, r.stdout).toBe(0);
  });
});
