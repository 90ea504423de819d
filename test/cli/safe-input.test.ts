/**
 * Hostile folders, bytes and flags (docs/security.md, "Files and the file system"): the
 * folder walk visits each file once and never blocks, undecodable names and bytes are
 * reported, control characters never reach the terminal, bad flags and closed pipes end
 * cleanly.
 */
import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DPLC, runDplc } from "../helpers.js";

function fresh(name: string): string {
  return mkdtempSync(join(tmpdir(), `dplc-safe-${name}-`));
}

const CLEAN = "fn add(a: u64, b: u64) -> u64 {\n    a + b\n}\n";

describe("the folder walk", () => {
  it("visits each file once through symlinked folders and reports a symlink loop as a warning", () => {
    const root = fresh("loop");
    writeFileSync(join(root, "a.ds"), CLEAN);
    symlinkSync(".", join(root, "self"));
    symlinkSync(".", join(root, "again"));
    mkdirSync(join(root, "sub"));
    symlinkSync("..", join(root, "sub", "up"));
    const r = runDplc(["check", "--format", "json", root]);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.files).toBe(1);
    const loops = report.diagnostics.filter((d: { code: string }) => d.code === "DPL8004");
    expect(loops.length).toBeGreaterThanOrEqual(1);
    for (const d of loops) expect(d.severity).toBe("warning");
    expect(loops.map((d: { file: string }) => d.file).sort()).toEqual([join(root, "again"), join(root, "self"), join(root, "sub", "up")]);
  });

  it("checks a file reached through two links once, under its first name", () => {
    const root = fresh("twice");
    mkdirSync(join(root, "real"));
    writeFileSync(join(root, "real", "m.ds"), "fn main() {\n    let unused = 1;\n}\n");
    symlinkSync("real", join(root, "z-link"));
    const r = runDplc(["check", root]);
    expect(r.stdout).toMatch(/checked 1 file: 0 errors, 1 warning/);
  });

  it("reads only regular files: a FIFO named p.ds does not block", () => {
    const root = fresh("fifo");
    writeFileSync(join(root, "a.ds"), CLEAN);
    const mk = spawnSync("mkfifo", [join(root, "p.ds")]);
    expect(mk.status, "mkfifo is needed for this test").toBe(0);
    const r = runDplc(["check", root]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/checked 1 file: 0 errors/);
  });

  it("reports a file name that is not valid UTF-8 instead of skipping it", () => {
    const root = fresh("badname");
    writeFileSync(join(root, "a.ds"), CLEAN);
    writeFileSync(Buffer.concat([Buffer.from(`${root}/bad`), Buffer.from([0xff, 0xfe]), Buffer.from(".ds")]), CLEAN);
    const r = runDplc(["check", root]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("error[DPL1006]: file name is not valid UTF-8");
    expect(r.stdout).toContain("bad\\xff\\xfe.ds");
  });
});

describe("source decoding", () => {
  it("reports invalid UTF-8 in a string literal once, with its byte offset, instead of U+FFFD", () => {
    const root = fresh("utf8");
    const file = join(root, "s.ds");
    const head = Buffer.from('fn main() {\n    let s = "caf');
    writeFileSync(file, Buffer.concat([head, Buffer.from([0xe9]), Buffer.from('";\n}\n')]));
    const r = runDplc(["check", "--format", "json", file]);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.diagnostics.map((d: { code: string }) => d.code)).toEqual(["DPL1006"]);
    const d = report.diagnostics[0];
    expect(d.message).toBe(`file is not valid UTF-8: byte 0xe9 at offset ${head.length}`);
    expect([d.line, d.column]).toEqual([2, 17]);
  });

  it("reads a `mod m;` file the same way: not UTF-8 is DPL1006 there too, a FIFO never blocks", () => {
    const root = fresh("modutf8");
    writeFileSync(join(root, "main.ds"), "mod m;\nmod p;\n\nfn main() {\n}\n");
    writeFileSync(join(root, "m.ds"), Buffer.concat([Buffer.from('pub fn s() -> u64 {\n    // caf'), Buffer.from([0xe9]), Buffer.from("\n    1\n}\n")]));
    expect(spawnSync("mkfifo", [join(root, "p.ds")]).status, "mkfifo is needed for this test").toBe(0);
    const r = runDplc(["check", "--format", "json", join(root, "main.ds")]);
    expect(r.status).toBe(1);
    const codes = JSON.parse(r.stdout).diagnostics.map((d: { code: string; file: string }) => `${d.code} ${d.file.split("/").pop()}`);
    expect(codes).toContain("DPL1006 m.ds");
  });

  it("reports a UTF-16 file as not UTF-8 (one diagnostic, not a cascade)", () => {
    const root = fresh("utf16");
    const file = join(root, "w.ds");
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CLEAN, "utf16le")]));
    const r = runDplc(["check", file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("error[DPL1006]: file is not valid UTF-8: byte 0xff at offset 0");
    expect(r.stdout).toContain("UTF-16");
    expect(r.stdout).toMatch(/checked 1 file: 1 error, 0 warnings/);
  });
});

describe("the text renderer", () => {
  it("escapes control characters in code frames and keeps the caret under the error", () => {
    const root = fresh("ctl");
    const file = join(root, "c.ds");
    // Clear the screen and set the terminal title, in a comment before the error.
    writeFileSync(file, "fn main() {\n    /*\x1b[2J\x1b]0;pwned\x07*/ let a = ;\n}\n");
    const r = runDplc(["check", file]);
    expect(r.status).toBe(1);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    const lines = r.stdout.split("\n");
    const frame = lines.findIndex((l) => l.startsWith("2 |"));
    expect(lines[frame]).toBe("2 |     /*\\u{1b}[2J\\u{1b}]0;pwned\\u{7}*/ let a = ;");
    const caret = lines[frame + 1]!;
    expect(caret.indexOf("^")).toBe(lines[frame]!.lastIndexOf(";"));
  });

  it("escapes control characters in file names too", () => {
    const root = fresh("ctlname");
    const file = join(root, "x\x1b[2J.ds");
    writeFileSync(file, "fn main() {\n    let a = ;\n}\n");
    const r = runDplc(["check", root]);
    expect(r.status).toBe(1);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(r.stdout).toContain("x\\u{1b}[2J.ds:2:13");
  });

  it("escapes control characters in file names in the CLI's one-line messages (stderr)", () => {
    const root = fresh("ctlmsg");
    const missing = join(root, "a\nb\x1b]0;pwned\x07.ds");
    const unformattable = join(root, "f\x1b[2J.ds");
    writeFileSync(unformattable, "fn main( {\n");
    for (const args of [["check", missing], ["run", missing], ["fmt", missing], ["fmt", "--check", unformattable], ["run", unformattable]]) {
      const r = runDplc(args, { env: { XDG_CACHE_HOME: join(root, "cache") } });
      expect(r.status, `${args.join(" ")}: ${r.stderr}`).not.toBe(0);
      // Code frames go to stdout; what reaches stderr is one line per message, escaped.
      expect(r.stderr, args.join(" ")).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
      expect(r.stderr, args.join(" ")).toMatch(/\\u\{1b\}/);
    }
    const once = runDplc(["check", missing]);
    expect(once.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(once.stderr).toContain("a\\u{a}b\\u{1b}]0;pwned\\u{7}.ds");
  });
});

describe("flags and pipes", () => {
  it("refuses a --seed that is not a number between 0 and 2^64-1", () => {
    const root = fresh("seed");
    const file = join(root, "m.ds");
    writeFileSync(file, "fn main() {\n}\n");
    for (const seed of ["", " ", "-1", "0x10", "1e3", "abc", "18446744073709551616", " 7"]) {
      const r = runDplc(["run", file, "--seed", seed], { env: { XDG_CACHE_HOME: join(root, "cache") } });
      expect(r.status, `--seed ${JSON.stringify(seed)}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: `--seed` takes an integer/);
    }
    const ok = runDplc(["run", file, "--seed", "18446744073709551615"], { env: { XDG_CACHE_HOME: join(root, "cache") } });
    expect(ok.status, ok.stderr).toBe(0);
  });

  it("exits quietly when the reader of its output closes early (`dplc check | head -1`)", async () => {
    const root = fresh("pipe");
    // Enough diagnostics to fill a pipe many times over.
    writeFileSync(join(root, "many.ds"), Array.from({ length: 3000 }, (_, i) => `fn f${i}() {\n    let a = ;\n}\n`).join(""));
    const child = spawn(process.execPath, [DPLC, "check", root], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += c));
    child.stdout.once("data", () => child.stdout.destroy());
    const status = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    expect(stderr).toBe("");
    expect(status).not.toBeNull();
  });
});
