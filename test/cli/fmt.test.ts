/** `dplc fmt` as a user runs it: spawn bin/dplc on files in a temporary folder. */
import { describe, expect, it } from "vitest";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDplc } from "../helpers.js";

const messy = "fn main(){let x=1;// why\nlet y   = x+2;\n\n\n\n    println!(\"{}\",y);}\n";
const tidy = 'fn main() {\n    let x = 1; // why\n    let y = x + 2;\n\n    println!("{}", y);\n}\n';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "dplc-fmt-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe("dplc fmt", () => {
  it("formats files in place, recursively, and says how many changed", () => {
    const dir = folder({ "a.ds": messy, "sub/b.ds": tidy });
    chmodSync(join(dir, "a.ds"), 0o640);
    const before = statSync(join(dir, "sub", "b.ds")).mtimeMs;
    const r = runDplc(["fmt", dir]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("formatted 2 files: 1 changed\n");
    expect(readFileSync(join(dir, "a.ds"), "utf8")).toBe(tidy);
    expect(statSync(join(dir, "a.ds")).mode & 0o777).toBe(0o640);
    // An unchanged file is not rewritten, and no temporary file is left behind.
    expect(statSync(join(dir, "sub", "b.ds")).mtimeMs).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(["a.ds", "sub"]);
  });

  it("acts on the current folder without paths", () => {
    const dir = folder({ "a.ds": messy });
    const r = runDplc(["fmt"], { cwd: dir });
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, "a.ds"), "utf8")).toBe(tidy);
  });

  it("in a project, acts on its src/ without paths; a new project is already formatted", () => {
    const dir = folder({});
    expect(runDplc(["new", "proj"], { cwd: dir }).status).toBe(0);
    const root = join(dir, "proj");
    expect(runDplc(["fmt", "--check"], { cwd: root }).status).toBe(0);
    writeFileSync(join(root, "src", "extra.ds"), messy);
    writeFileSync(join(root, "outside.ds"), messy);
    const r = runDplc(["fmt"], { cwd: join(root, "src") });
    expect(r.status).toBe(0);
    expect(readFileSync(join(root, "src", "extra.ds"), "utf8")).toBe(tidy);
    expect(readFileSync(join(root, "outside.ds"), "utf8")).toBe(messy);
  });

  it("--check lists the files that would change, changes nothing and exits 1", () => {
    const dir = folder({ "a.ds": messy, "b.ds": tidy });
    const r = runDplc(["fmt", "--check", "."], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("a.ds\n");
    expect(r.stderr).toBe("1 of 2 files would be reformatted\n");
    expect(readFileSync(join(dir, "a.ds"), "utf8")).toBe(messy);
    const clean = runDplc(["fmt", "--check", "b.ds"], { cwd: dir });
    expect(clean.status).toBe(0);
    expect(clean.stdout).toBe("");
  });

  it("--check --diff prints a unified diff", () => {
    const dir = folder({ "a.ds": "fn f() -> u64 {\n    1+2\n}\n" });
    const r = runDplc(["fmt", "--check", "--diff", "a.ds"], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("--- a.ds\n+++ a.ds (formatted)\n@@ -1,3 +1,3 @@\n fn f() -> u64 {\n-    1+2\n+    1 + 2\n }\n");
  });

  it("leaves a file with syntax errors untouched, prints its diagnostics and exits 1", () => {
    const bad = "fn main() {\n    let a = ;\n}\n";
    const dir = folder({ "bad.ds": bad, "a.ds": messy });
    const r = runDplc(["fmt", "."], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error[DPL1001]: unexpected `;`; expected an expression\n --> bad.ds:2:13");
    expect(r.stderr).toContain("bad.ds: not formatted: it has an error\n");
    expect(r.stderr).toContain("formatted 2 files: 1 changed, 1 not formatted (errors above)\n");
    expect(readFileSync(join(dir, "bad.ds"), "utf8")).toBe(bad);
    expect(readFileSync(join(dir, "a.ds"), "utf8")).toBe(tidy);
  });

  it("--stdin formats standard input to standard output", () => {
    const r = runDplc(["fmt", "--stdin"], { input: messy });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(tidy);
    const check = runDplc(["fmt", "--stdin", "--check"], { input: messy });
    expect(check.status).toBe(1);
    expect(check.stdout).toBe("<stdin>\n");
    const bad = runDplc(["fmt", "--stdin"], { input: "fn f( {\n" });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain("<stdin>:1:");
  });

  it("formats the DPL blocks of a Markdown file and leaves its prose byte-identical", () => {
    const md = "# Title  \n\nSome *prose*   with trailing spaces.   \n\n```dpl\nfn f()->u64{1}\n```\n\n```rust\nfn untouched( ){}\n```\n\n  ```ds\n  fn g(){}\n  ```\n";
    const dir = folder({ "spec.md": md });
    const r = runDplc(["fmt", "spec.md"], { cwd: dir });
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, "spec.md"), "utf8")).toBe(
      "# Title  \n\nSome *prose*   with trailing spaces.   \n\n```dpl\nfn f() -> u64 {\n    1\n}\n```\n\n```rust\nfn untouched( ){}\n```\n\n  ```ds\n  fn g() {}\n  ```\n",
    );
  });

  it("keeps a file's CRLF line endings and byte-order mark", () => {
    const r = runDplc(["fmt", "--stdin"], { input: "\ufefffn main(){\r\n// c\r\nlet x=1;\r\n}\r\n" });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("\ufefffn main() {\r\n    // c\r\n    let x = 1;\r\n}\r\n");
  });

  it("keeps verbatim regions byte for byte", () => {
    const text = "fn a( ){}\n\n// BEGIN XDV-999 §1 (verbatim)\nfn b( ) -> u64 {   7 }\n// END XDV-999 §1\n\nfn c( ){}\n";
    const r = runDplc(["fmt", "--stdin"], { input: text });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("fn a() {}\n\n// BEGIN XDV-999 §1 (verbatim)\nfn b( ) -> u64 {   7 }\n// END XDV-999 §1\n\nfn c() {}\n");
  });

  it("breaks long lists at 100 columns with trailing commas, or at --width", () => {
    const call = "fn main() {\n    report(first_argument_value, second_argument_value, third_argument_value, fourth_value);\n}\n";
    const wide = runDplc(["fmt", "--stdin"], { input: call });
    expect(wide.stdout).toBe(call); // 92 columns: it fits
    const narrow = runDplc(["fmt", "--stdin", "--width", "60"], { input: call });
    expect(narrow.stdout).toBe(
      "fn main() {\n    report(\n        first_argument_value,\n        second_argument_value,\n        third_argument_value,\n        fourth_value,\n    );\n}\n",
    );
  });

  it("rejects bad usage with one line and exit 2", () => {
    for (const args of [["fmt", "--width", "ten"], ["fmt", "--diff", "x.ds"], ["fmt", "/nonexistent/nowhere.ds"]]) {
      const r = runDplc(args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: /);
    }
  });

  it("is listed in dplc --help", () => {
    const r = runDplc(["--help"]);
    expect(r.stdout).toMatch(/^\s+fmt \[options\] \[paths\.\.\.\]\s+format \.ds modules/m);
  });
});
