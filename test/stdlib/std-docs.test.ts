/** docs/std/ is exactly what `npm run docs:std` (dplc doc over the stdlib) writes today. */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, runDplc } from "../helpers.js";

const STD_DOCS = join(REPO_ROOT, "docs", "std");
const TITLE = "The DPL standard library";
const NOTICE =
  "Copyright © Dust LLC for the code and comments reproduced from the XDV specification corpus (Dust Open Source License, see ../shared/xdv-spec/LICENSE); the rest of the stdlib is the dplc project's own.";

describe("the stdlib's generated reference", () => {
  it("is the command package.json runs as docs:std", () => {
    const scripts = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
    expect(scripts["docs:std"]).toContain(`bin/dplc doc stdlib --format md --out-dir docs/std --title '${TITLE}' --notice '`);
    expect(scripts["docs:std"]).toContain(NOTICE.split("'")[0]);
  });

  it("is up to date with the stdlib's doc comments (run `npm run docs:std` after changing them)", () => {
    const out = mkdtempSync(join(tmpdir(), "dplc-std-docs-"));
    try {
      const fresh = join(out, "std");
      const r = runDplc(["doc", "stdlib", "--format", "md", "--out-dir", fresh, "--title", TITLE, "--notice", NOTICE]);
      expect(r.status).toBe(0);
      const names = readdirSync(fresh).sort();
      expect(readdirSync(STD_DOCS).sort()).toEqual(names);
      for (const n of names) expect(readFileSync(join(STD_DOCS, n), "utf8"), n).toBe(readFileSync(join(fresh, n), "utf8"));
      // Every module page carries the corpus's copyright line.
      for (const n of names.filter((f) => f.endsWith(".md"))) expect(readFileSync(join(fresh, n), "utf8")).toContain("Copyright © Dust LLC");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
