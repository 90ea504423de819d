/**
 * `dplc run`: output paths checked before anything runs, and a compile cache that only the
 * user can write, content-addressed and verified before import (docs/security.md, "Files
 * and the file system").
 */
import { describe, expect, it } from "vitest";
import { chmodSync, chownSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDplc } from "../helpers.js";

const dir = mkdtempSync(join(tmpdir(), "dplc-safe-run-"));
/** Every run here uses its own cache, so the user's real cache is never touched. */
const cacheHome = join(dir, "cache-home");
const env = { XDG_CACHE_HOME: cacheHome };
const PROGRAM = 'fn main() {\n    println!("ran");\n}\n';
const program = join(dir, "p.ds");
writeFileSync(program, PROGRAM);

function expectUsageBeforeRun(r: { status: number; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stdout).toBe(""); // the program never ran
  expect(r.stderr.trimEnd().split("\n"), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
}

describe("dplc run output paths", () => {
  it("refuses --record or --telemetry onto the program's own source", () => {
    for (const flag of ["--record", "--telemetry"]) {
      const r = runDplc(["run", program, flag, program], { env });
      expectUsageBeforeRun(r, /^error: .*(--record|--telemetry).*program/);
      expect(readFileSync(program, "utf8")).toBe(PROGRAM);
    }
  });

  it("sees through another spelling, a symlink or a hard link of the same file", () => {
    const sym = join(dir, "p-link.ds");
    const hard = join(dir, "p-hard.ds");
    if (!existsSync(sym)) symlinkSync(program, sym);
    if (!existsSync(hard)) linkSync(program, hard);
    for (const out of [join(dir, ".", "p.ds"), sym, hard]) {
      const r = runDplc(["run", program, "--record", out], { env });
      expectUsageBeforeRun(r, /^error: /);
    }
    expect(readFileSync(program, "utf8")).toBe(PROGRAM);
  });

  it("refuses --record and --telemetry onto the same file", () => {
    const out = join(dir, "same.jsonl");
    const r = runDplc(["run", program, "--record", out, "--telemetry", out], { env });
    expectUsageBeforeRun(r, /^error: .*--record.*--telemetry|--telemetry.*--record/);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses --replay T --record T, and T stays intact", () => {
    const trace = join(dir, "t.trace");
    const rec = runDplc(["run", program, "--record", trace], { env });
    expect(rec.status, rec.stderr).toBe(0);
    const before = readFileSync(trace, "utf8");
    const r = runDplc(["run", program, "--replay", trace, "--record", trace], { env });
    expectUsageBeforeRun(r, /^error: .*--record.*--replay|--replay.*--record/);
    expect(readFileSync(trace, "utf8")).toBe(before);
  });

  it("refuses an output into a missing folder, or a folder that is a file, before the run", () => {
    for (const out of [join(dir, "missing", "t.trace"), join(program, "t.trace")]) {
      for (const flag of ["--record", "--telemetry"]) {
        const r = runDplc(["run", program, flag, out], { env });
        expectUsageBeforeRun(r, /^error: cannot write/);
      }
    }
    const folder = join(dir, "a-folder");
    mkdirSync(folder, { recursive: true });
    expectUsageBeforeRun(runDplc(["run", program, "--record", folder], { env }), /^error: cannot write/);
  });
});

describe("dplc run compile cache", () => {
  it("lives in $XDG_CACHE_HOME/dplc, created 0700, never in the package or the temp folder", () => {
    const home = join(dir, "fresh-cache");
    const r = runDplc(["run", program], { env: { XDG_CACHE_HOME: home } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe("ran\n");
    const st = statSync(join(home, "dplc"));
    expect(st.isDirectory()).toBe(true);
    expect(st.mode & 0o777).toBe(0o700);
    expect(readdirSync(join(home, "dplc")).length).toBeGreaterThan(0);
  });

  it("falls back to ~/.cache/dplc without XDG_CACHE_HOME", () => {
    const home = join(dir, "home");
    mkdirSync(home, { recursive: true });
    const r = runDplc(["run", program], { env: { XDG_CACHE_HOME: "", HOME: home } });
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(join(home, ".cache", "dplc")).mode & 0o777).toBe(0o700);
  });

  it("refuses a cache folder that others can write", () => {
    const home = join(dir, "shared-cache");
    mkdirSync(join(home, "dplc"), { recursive: true });
    chmodSync(join(home, "dplc"), 0o777);
    const r = runDplc(["run", program], { env: { XDG_CACHE_HOME: home } });
    expectUsageBeforeRun(r, /^error: .*cache.*writable by others/);
  });

  it.skipIf(process.getuid?.() !== 0)("refuses a cache folder owned by someone else (needs root to set up)", () => {
    const home = join(dir, "their-cache");
    mkdirSync(join(home, "dplc"), { recursive: true, mode: 0o700 });
    chownSync(join(home, "dplc"), 65534, 65534);
    const r = runDplc(["run", program], { env: { XDG_CACHE_HOME: home } });
    expectUsageBeforeRun(r, /^error: .*cache.*owned by (user )?65534/);
  });

  it("says in one line when the cache cannot be created (no internal error)", () => {
    const notAFolder = join(dir, "cache-is-a-file");
    writeFileSync(notAFolder, "");
    const r = runDplc(["run", program], { env: { XDG_CACHE_HOME: notAFolder } });
    expectUsageBeforeRun(r, /^error: cannot use the compile cache/);
    expect(r.stderr).not.toContain("internal error");
  });

  it("verifies an entry's hash before importing it: a tampered entry is never run", () => {
    const home = join(dir, "tamper-cache");
    const first = runDplc(["run", program], { env: { XDG_CACHE_HOME: home } });
    expect(first.status, first.stderr).toBe(0);
    // Plant code in every compiled module of the cache, as another process of the user might.
    let planted = 0;
    for (const f of readdirSync(join(home, "dplc"), { recursive: true }) as string[]) {
      if (!f.endsWith(".js")) continue;
      const path = join(home, "dplc", f);
      writeFileSync(path, `console.log("PLANTED");\n${readFileSync(path, "utf8")}`);
      planted++;
    }
    expect(planted).toBeGreaterThan(0);
    const r = runDplc(["run", program], { env: { XDG_CACHE_HOME: home } });
    expect(r.stdout).not.toContain("PLANTED");
    expect(r.stdout).toBe("ran\n");
    expect(r.status, r.stderr).toBe(0);
  });
});
