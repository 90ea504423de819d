/**
 * A forge is a namespace across the dustlang files of its directory (docs/language.md, "The
 * dustlang surface"): `dplc run DIR` runs such a folder as one program, and a file of it
 * alone does not see its siblings' processes.
 */
import { describe, expect, it } from "vitest";
import { runDplc } from "../helpers.js";

const DIR = "fixtures/check/dustlang/forge_files_ok";

describe("dustlang forges across files", () => {
  it("`dplc run DIR` runs the folder's one entry, calling processes of the other file", () => {
    const r = runDplc(["run", DIR]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("42\n126\n-42\n42\n");
    expect(r.status).toBe(0);
  });

  it("one file of the folder, run alone, is a program of its own and says what it lacks", () => {
    const r = runDplc(["run", `${DIR}/main.ds`]);
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/error\[DPL2001\]: cannot find value `double` in this scope/);
    expect(r.stdout + r.stderr).toMatch(/main\.ds:7:\d+/);
  });
});
