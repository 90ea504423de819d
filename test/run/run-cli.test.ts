/** `dplc run` as a command: usage errors, check errors, arguments, seeds, traces. */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDplc } from "../helpers.js";

const dir = mkdtempSync(join(tmpdir(), "dplc-run-"));
const hello = join(dir, "hello.ds");
writeFileSync(hello, 'fn main() {\n    println!("hello {}", 6 * 7);\n    k_log(String::from("logged"));\n}\n');

describe("dplc run", () => {
  it("runs fn main() and exits 0, never writing next to the sources", () => {
    const r = runDplc(["run", hello]);
    expect(r.stdout).toBe("hello 42\nlogged\n");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, "hello.ts"))).toBe(false);
    expect(existsSync(join(dir, "hello.js"))).toBe(false);
  });

  it("exits 2 with one line for a missing file or a bad seed", () => {
    for (const args of [["run", join(dir, "missing.ds")], ["run", hello, "--seed", "minus-one"]]) {
      const r = runDplc(args);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: /);
    }
  });

  it("reports check errors and exits 1 without running anything", () => {
    const bad = join(dir, "bad.ds");
    writeFileSync(bad, 'fn main() {\n    println!("never");\n    let x: u32 = "text";\n}\n');
    const r = runDplc(["run", bad]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("error[DPL2003]");
  });

  it("is a usage error for a program without an entry", () => {
    const lib = join(dir, "lib.ds");
    writeFileSync(lib, "fn helper() -> u32 {\n    1\n}\n");
    const r = runDplc(["run", lib]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no `fn main\(\)` and no `_entry/);
  });

  it("passes the arguments after -- to _entry and returns its value as the exit status", () => {
    const entry = join(dir, "entry.ds");
    writeFileSync(entry, 'fn _entry(argc: u32, argv: Ptr<u8>) -> i32 {\n    println!("{} arguments", argc);\n    argc as i32 * 10\n}\n');
    const r = runDplc(["run", entry, "--", "a", "--b", "c"]);
    expect(r.stdout).toBe("4 arguments\n");
    expect(r.status).toBe(40);
  });

  it("records a trace that a replay reproduces", () => {
    const trace = join(dir, "trace.jsonl");
    const telemetry = join(dir, "telemetry.jsonl");
    const r = runDplc(["run", hello, "--seed", "7", "--record", trace, "--telemetry", telemetry]);
    expect(r.status, r.stderr).toBe(0);
    const recorded = readFileSync(trace, "utf8");
    expect(recorded.split("\n").filter(Boolean).length).toBeGreaterThan(2);
    const again = runDplc(["run", hello, "--replay", trace]);
    expect(again.stdout).toBe("hello 42\nlogged\n");
    expect(again.status, again.stderr).toBe(0);
  });

  it("reports a fault with the .ds position and exits 101", () => {
    const f = join(dir, "fault.ds");
    writeFileSync(f, "fn main() {\n    let v: Vec<u32> = Vec::new();\n    let x = v[0];\n}\n");
    const r = runDplc(["run", f]);
    expect(r.status).toBe(101);
    expect(r.stderr).toContain("index out of bounds: the len is 0 but the index is 0");
    expect(r.stderr).toMatch(/fault\.ds:3:14/);
  });
});
