/**
 * Every `fixtures/run/**\/NAME.ds` runs through `bin/dplc run` as a user runs it, and must
 * print what Rust prints for the same program (`NAME.stdout`), exit with Rust's status
 * (`NAME.status`), and for a fault name the `.ds` file, line and column Rust's panic names
 * (`NAME.fault`). The expected files come from rustc (fixtures/run/bless-from-rust.sh),
 * never from dplc.
 *
 * Programs get the arguments `arg1 arg2`, as the bless script gives the Rust binary. A
 * folder holding `main.ds` is one program whose other files are its modules.
 * A fixture that a known bug outside the emitter keeps from running has a `NAME.todo`
 * saying which; it is listed as a todo, not skipped silently.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { REPO_ROOT, runDplc } from "../helpers.js";

const ROOT = join(REPO_ROOT, "fixtures", "run");

/** Every `.ds` file is a program, except in a folder with a `main.ds`: that is one program, the rest its modules. */
function fixtures(dir: string): string[] {
  const names = readdirSync(dir).sort();
  if (names.includes("main.ds") && dir !== ROOT) return [join(dir, "main.ds")];
  const out: string[] = [];
  for (const name of names) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...fixtures(full));
    else if (name.endsWith(".ds")) out.push(full);
  }
  return out;
}

const all = fixtures(ROOT);

describe("run fixtures", () => {
  it("has a corpus of at least 40 running programs, each with its expected output", () => {
    expect(all.filter((f) => !existsSync(f.replace(/\.ds$/, ".todo"))).length).toBeGreaterThanOrEqual(40);
    for (const f of all) {
      expect(existsSync(f.replace(/\.ds$/, ".stdout")), `${f} has no .stdout`).toBe(true);
      expect(existsSync(f.replace(/\.ds$/, ".status")), `${f} has no .status`).toBe(true);
    }
  });

  for (const file of all) {
    const rel = relative(REPO_ROOT, file).split("\\").join("/");
    const todo = file.replace(/\.ds$/, ".todo");
    // A fixture that a known bug elsewhere keeps from running says why in NAME.todo.
    if (existsSync(todo)) {
      it.todo(`${rel}: ${readFileSync(todo, "utf8").trim()}`);
      continue;
    }
    it(rel, () => {
      const base = file.replace(/\.ds$/, "");
      const r = runDplc(["run", rel, "--", "arg1", "arg2"]);
      const status = Number(readFileSync(`${base}.status`, "utf8").trim());
      expect(r.stdout).toBe(readFileSync(`${base}.stdout`, "utf8"));
      expect(r.status, r.stderr).toBe(status);
      if (existsSync(`${base}.fault`)) {
        // The report names the .ds position of the fault, where Rust names main.rs's.
        const at = readFileSync(`${base}.fault`, "utf8").trim();
        expect(r.stderr).toContain(`panicked at ${rel}:${at}:`);
        expect(r.stderr).toContain(`--> ${rel}:${at}`);
        expect(r.stderr).not.toMatch(/\.js:\d+|\.ts:\d+|at \w+ \(/);
      } else if (existsSync(`${base}.stderr`)) {
        expect(r.stderr).toBe(readFileSync(`${base}.stderr`, "utf8"));
      } else if (status === 0) {
        expect(r.stderr).toBe("");
      }
    });
  }
});
