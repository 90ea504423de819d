/**
 * Code frames of `dplc check`/`build`/`run` show the source line of every file the check
 * loaded, not only the files named on the command line: a `mod` child's error and a stdlib
 * declaration a diagnostic points at (issue 11, messages).
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { REPO_ROOT, runDplc } from "../helpers.js";

const MESSAGES = join(REPO_ROOT, "fixtures", "check", "messages");

describe("code frames from the files a check loaded", () => {
  it("shows the source line of an error in a `mod` child file", () => {
    const r = runDplc(["check", "--no-color", join(MESSAGES, "mod_child_error_has_source_line", "main.ds")]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/geom\.ds:2:19\n\s+\|\n2 \|     let s: bool = r \* r;/);
    expect(r.stdout).toContain("expected because of this type");
  });

  it("shows the stdlib line a related label points at, and `dplc run` does too", () => {
    const file = join(MESSAGES, "arity_names_the_argument.ds");
    const check = runDplc(["check", "--no-color", file]);
    expect(check.stdout).toMatch(/::= stdlib\/runtime\/domain\/k_api\.ds:\d+:4\n\s+\|\n\s*\d+ \| fn k_log\(message: K<String>\)/);
    const run = runDplc(["run", "--no-color", file]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/\d+ \| fn k_log\(message: K<String>\)/);
  });
});
