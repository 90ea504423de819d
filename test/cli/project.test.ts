/** Projects as a user works with them: `dplc new`, then commands with no paths, path dependencies. */
import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "smol-toml";
import { runDplc } from "../helpers.js";

const ws = mkdtempSync(join(tmpdir(), "dplc-project-"));

describe("dplc --help", () => {
  it("lists test, doc and new with the other commands", () => {
    const r = runDplc(["--help"]);
    expect(r.status).toBe(0);
    for (const cmd of ["check", "build", "run", "test", "doc", "new", "explain", "lsp"]) expect(r.stdout).toMatch(new RegExp(`^  ${cmd} `, "m"));
  });
});

describe("dplc new", () => {
  it("creates Dust.toml, src/main.ds with a test, and .gitignore; the project checks, runs and tests", () => {
    const r = runDplc(["new", "hello"], { cwd: ws });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("created project `hello` in hello\n");
    const root = join(ws, "hello");
    expect(readdirSync(root).sort()).toEqual([".gitignore", "Dust.toml", "src"]);
    const manifest = parse(readFileSync(join(root, "Dust.toml"), "utf8")) as Record<string, Record<string, unknown>>;
    expect(manifest["package"]).toEqual({ name: "hello", version: "0.1.0", dpl_version: "0.2" });
    expect(manifest["dplc"]).toEqual({ profile: "user", entry: "src/main.ds" });
    expect(readFileSync(join(root, ".gitignore"), "utf8")).toContain("/build/");
    expect(readFileSync(join(root, "src", "main.ds"), "utf8")).toContain("#[test]");

    const check = runDplc(["check"], { cwd: root });
    expect(check.status).toBe(0);
    expect(check.stdout).toMatch(/^checked 1 file: 0 errors, 0 warnings/);
    const run = runDplc(["run"], { cwd: root });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("Hello from hello: triangle(10) = 55\n");
    // From a folder inside the project, the manifest is found upward.
    const test = runDplc(["test"], { cwd: join(root, "src") });
    expect(test.status).toBe(0);
    expect(test.stdout).toContain("test main::triangle_of_four_is_ten ... ok");
    expect(test.stdout.split("\n")).toContain("1 passed, 0 failed, 0 skipped");
    const build = runDplc(["build", "--out-dir", "build"], { cwd: root });
    expect(build.status).toBe(0);
    expect(existsSync(join(root, "build", "main.ts"))).toBe(true);
  });

  it("refuses an existing folder and a name that is not a DPL identifier (exit 2, nothing written)", () => {
    mkdirSync(join(ws, "taken"));
    writeFileSync(join(ws, "taken", "keep.txt"), "mine");
    const taken = runDplc(["new", "taken"], { cwd: ws });
    expect(taken.status).toBe(2);
    expect(taken.stderr).toBe("error: `taken` already exists; dplc new never writes into an existing folder\n");
    expect(readdirSync(join(ws, "taken"))).toEqual(["keep.txt"]);
    const bad = runDplc(["new", "my-app"], { cwd: ws });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("(e.g. `my_app`)");
    expect(existsSync(join(ws, "my-app"))).toBe(false);
    expect(readdirSync(ws).filter((f) => f.includes("dplc-new"))).toEqual([]);
  });
});

describe("projects", () => {
  it("resolves a path dependency's modules across projects, for check, run, test and build", () => {
    expect(runDplc(["new", "util"], { cwd: ws }).status).toBe(0);
    expect(runDplc(["new", "app"], { cwd: ws }).status).toBe(0);
    writeFileSync(
      join(ws, "util", "src", "lib.ds"),
      `//! Helpers.

/// Twice \`x\`.
pub fn double(x: u64) -> u64 {
    x * 2
}

pub mod text {
    pub fn greet(name: String) -> String {
        "hello, " + name
    }
}

#[test]
fn util_own_test() {
    assert_eq!(double(2), 4);
}
`,
    );
    const app = join(ws, "app");
    writeFileSync(join(app, "Dust.toml"), readFileSync(join(app, "Dust.toml"), "utf8") + 'util = { path = "../util" }\n');
    writeFileSync(
      join(app, "src", "main.ds"),
      `use util::double;
use util::text::greet;

fn main() {
    println!("{} {}", double(21), greet(String::from("app")));
}

#[test]
fn uses_the_dependency() {
    assert_eq!(double(3), 6);
}
`,
    );
    expect(runDplc(["check"], { cwd: app }).status).toBe(0);
    const run = runDplc(["run"], { cwd: app });
    expect(run.stdout).toBe("42 hello, app\n");
    expect(run.status).toBe(0);
    const test = runDplc(["test"], { cwd: app });
    expect(test.stdout).toContain("test main::uses_the_dependency ... ok");
    // The dependency's own tests are its business, not this project's.
    expect(test.stdout).not.toContain("util_own_test");
    expect(test.status).toBe(0);
    // Without the dependency declared, the same code does not resolve.
    writeFileSync(join(app, "Dust.toml"), '[package]\nname = "app"\nversion = "0.1.0"\ndpl_version = "0.2"\n');
    const unresolved = runDplc(["check"], { cwd: app });
    expect(unresolved.status).toBe(1);
    expect(unresolved.stdout).toContain("error[DPL2001]: unresolved path: no module or type named `util` in scope");
  });

  it("reports a malformed manifest with its line (exit 2), for every command", () => {
    const root = join(ws, "broken");
    mkdirSync(join(root, "src"), { recursive: true });
    writeFileSync(join(root, "src", "main.ds"), "fn main() {}\n");
    const cases: [string, RegExp][] = [
      ['[package]\nname = "x"\nversion = 0.1.0\n', /^error: Dust\.toml:3:\d+: malformed manifest: /],
      ['[package]\nname = "x"\nversion = "1"\n', /^error: Dust\.toml:1: `package\.dpl_version` must be a string \(it is missing\)\n$/],
      ['[package]\nname = "x"\nversion = "1"\ndpl_version = "0.2"\n\n[dependencies]\nfoo = { path = "../nowhere" }\n', /^error: Dust\.toml:7: dependency `foo`: no `Dust\.toml` in /],
      ['[package]\nname = "x"\nversion = "1"\ndpl_version = "0.2"\n[dplc]\nprofile = "root"\n', /^error: Dust\.toml:6: `dplc\.profile` is `"user"` or `"kernel"`\n$/],
    ];
    for (const [text, expected] of cases) {
      writeFileSync(join(root, "Dust.toml"), text);
      for (const args of [["check"], ["run"], ["test"], ["build", "--out-dir", "out"], ["doc", "--out-dir", "out"]]) {
        const r = runDplc(args, { cwd: root });
        expect(r.status, `${args[0]} with ${JSON.stringify(text)}`).toBe(2);
        expect(r.stderr).toMatch(expected);
        expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      }
    }
    expect(existsSync(join(root, "out"))).toBe(false);
  });
});
