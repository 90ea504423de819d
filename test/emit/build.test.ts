/** `dplc build` as a user runs it: determinism, relative paths, --js, source maps, the stdlib. */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, runDplc } from "../helpers.js";
import { MapChain } from "../../src/emit/writer.js";

const tmp = mkdtempSync(join(tmpdir(), "dplc-build-"));
const program = join(tmp, "prog.ds");
writeFileSync(
  program,
  [
    "// A program whose last line faults.",
    "fn total(v: &Vec<u64>) -> u64 {",
    "    let mut t: u64 = 0;",
    "    for x in v.iter() {",
    "        t = t + *x;",
    "    }",
    "    t",
    "}",
    "",
    "fn main() {",
    "    let v = vec![1, 2, 3];",
    '    println!("total {}", total(&v));',
    "    let big = vec![u64::MAX, 1];",
    '    println!("total {}", total(&big));',
    "}",
    "",
  ].join("\n"),
);

function files(dir: string, base = dir): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of readdirSync(dir).sort()) {
    const full = join(dir, n);
    if (statSync(full).isDirectory()) for (const [k, v] of files(full, base)) out.set(k, v);
    else out.set(full.slice(base.length + 1), readFileSync(full, "utf8"));
  }
  return out;
}

describe("dplc build", () => {
  const a = join(tmp, "a");
  const b = join(tmp, "b");
  const ra = runDplc(["build", program, "--out-dir", a, "--js"]);
  const rb = runDplc(["build", program, "--out-dir", b, "--js"]);

  it("writes a .ts, .ts.map, .js and .js.map per module, with the stdlib and the runtime", () => {
    expect(ra.status, ra.stderr).toBe(0);
    const fa = files(a);
    for (const f of ["prog.ts", "prog.ts.map", "prog.js", "prog.js.map", "package.json", "_dplc/std/prelude/core.ts", "_dplc/stdlib/prelude/core.ds", "_dplc/runtime/index.js", "_dplc/runtime/index.d.ts", "_dplc/runtime/abi.js", "_dplc/runtime/abi.d.ts", "_dplc/runtime/package.json"]) {
      expect(fa.has(f), f).toBe(true);
    }
    expect(ra.stdout).toBe("");
    expect(ra.stderr).toMatch(/built \d+ modules into /);
  });

  it("gives byte-identical output twice, with no absolute path in it", () => {
    expect(rb.status).toBe(0);
    const fa = files(a);
    const fb = files(b);
    expect([...fb.keys()]).toEqual([...fa.keys()]);
    for (const [k, v] of fa) {
      expect(fb.get(k), k).toBe(v);
      expect(v.includes(tmp), `${k} mentions ${tmp}`).toBe(false);
      expect(v.includes(REPO_ROOT), `${k} mentions ${REPO_ROOT}`).toBe(false);
      expect(/"sources":\["\//.test(v), `${k} names an absolute source`).toBe(false);
    }
  });

  it("maps the JavaScript of an expression back to its .ds line", () => {
    const js = readFileSync(join(a, "prog.js"), "utf8").split("\n");
    const map = new MapChain([JSON.parse(readFileSync(join(a, "prog.js.map"), "utf8"))]);
    const line = js.findIndex((l) => l.includes("u64.add("));
    expect(line).toBeGreaterThan(0);
    const hit = map.lookup(line + 1, js[line]!.indexOf("u64.add(") + 1);
    expect(hit?.source.endsWith("prog.ds")).toBe(true);
    expect(hit?.line).toBe(5);
    const call = js.findIndex((l) => l.includes("total(big"));
    expect(map.lookup(call + 1, js[call]!.indexOf("total(big") + 1)?.line).toBe(14);
  });

  it("produces JavaScript that runs on its own, faulting with the .ds position", () => {
    const script = `import { main } from ${JSON.stringify(join(a, "prog.js"))}; try { main(); } catch (e) { console.log(e.name, e.location, e.message); }`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("total 6\nDplFault prog.ds:5:13 attempt to add with overflow in `t + *x` (u64)\n");
  });

  it("builds the whole stdlib, listing host-bound declarations as warnings", () => {
    const out = join(tmp, "std");
    const r = runDplc(["build", "stdlib", "--out-dir", out]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(out, "_dplc", "std", "runtime", "domain", "k_api.ts"))).toBe(true);
    // The runtime's host functions are all bound; the reference kernel's hardware hooks are not.
    expect(r.stderr).not.toMatch(/warning: `host_ipc_send`/);
    expect(r.stderr).not.toMatch(/warning: `host_now`/);
    expect(r.stderr).toMatch(/warning: `qhpi_execute` is implemented by the host, which has no implementation of it yet/);
  });

  it("writes nothing for a program with errors, and exits 1", () => {
    const bad = join(tmp, "bad.ds");
    writeFileSync(bad, "fn main() {\n    let x: u64 = true;\n}\n");
    const out = join(tmp, "bad-out");
    const r = runDplc(["build", bad, "--out-dir", out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error[DPL2003]");
    expect(existsSync(out)).toBe(false);
  });

  it("type-checks what it wrote with --check", () => {
    const out = join(tmp, "checked");
    const r = runDplc(["build", program, "--out-dir", out, "--check"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/built \d+ modules into .*, type-checked/);
    expect(r.stderr).not.toContain("does not type-check");
  });

  it("is a usage error without --out-dir", () => {
    const r = runDplc(["build", program]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("a built program run with node", () => {
  const dir = join(tmp, "runnable");
  const r = runDplc(["build", program, "--out-dir", dir, "--js"]);

  it("runs main when node starts the entry module, and faults as dplc run does", () => {
    expect(r.status, r.stderr).toBe(0);
    const run = spawnSync(process.execPath, [join(dir, "prog.js")], { encoding: "utf8" });
    expect(run.stdout).toBe("total 6\n");
    expect(run.status).toBe(101);
    expect(run.stderr).toContain("attempt to add with overflow");
    expect(run.stderr).toMatch(/--> .*prog\.ds:5:/);
  });

  it("exits with _entry's value", () => {
    const src = join(tmp, "entry.ds");
    writeFileSync(src, 'fn _entry(argc: u32, argv: Ptr<u8>) -> i32 {\n    println!("argc {}", argc);\n    argc as i32 + 3\n}\n');
    const out = join(tmp, "entry-out");
    expect(runDplc(["build", src, "--out-dir", out, "--js"]).status).toBe(0);
    const run = spawnSync(process.execPath, [join(out, "entry.js"), "x"], { encoding: "utf8" });
    expect(run.stdout).toBe("argc 2\n");
    expect(run.status).toBe(5);
  });
});

describe("host warnings of dplc build", () => {
  it("names the program's own unimplemented host functions, not the stdlib's that it never reaches", () => {
    const src = join(tmp, "sensor.ds");
    writeFileSync(src, "fn sensor_read(id: u64) -> u64\n\nfn main() {\n    println!(\"{}\", sensor_read(3));\n}\n");
    const r = runDplc(["build", src, "--out-dir", join(tmp, "sensor-out")]);
    expect(r.status, r.stderr).toBe(0);
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("warning:"));
    expect(warnings).toEqual(["warning: `sensor_read` is implemented by the host, which has no implementation of it yet; calling it is a DOMAIN_PANIC"]);
    expect(r.stderr).toContain("(1 host warning,");
  });
});
