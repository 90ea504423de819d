/**
 * The parser's lookahead sets kept in the user's cache (syntax/lookahead.ts) decide
 * exactly as freshly computed ones: the same diagnostics, syntax errors and recovery
 * included, for every check fixture and the stdlib, whether the sets were computed,
 * read back, or the entry was damaged (then it is ignored and rewritten). The entry also
 * holds the follow sets error recovery resynchronises on (parser.ts): the fixtures with
 * syntax errors show that stored ones recover exactly as computed ones.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, runDplc } from "../helpers.js";

const cache = mkdtempSync(join(tmpdir(), "dplc-lookahead-"));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

function check(env: Record<string, string>): string {
  const r = runDplc(["check", "--format", "json", "fixtures/check", "stdlib"], { env });
  expect(r.stderr).toBe("");
  return r.stdout;
}

function entries(): string[] {
  return readdirSync(join(cache, "dplc")).filter((n) => n.startsWith("parser-lookahead-"));
}

describe("lookahead sets from the user's cache", () => {
  it("parse every fixture as freshly computed sets do, and a damaged entry is ignored", () => {
    const fresh = check({ DPLC_NO_STARTUP_CACHE: "1", XDG_CACHE_HOME: cache });
    expect(JSON.parse(fresh).errors).toBeGreaterThan(10);
    expect(check({ XDG_CACHE_HOME: cache })).toBe(fresh); // computes and writes the entry
    expect(entries()).toHaveLength(1);
    const entry = join(cache, "dplc", entries()[0]!);
    const [header, body] = readFileSync(entry, "utf8").split("\n");
    expect(JSON.parse(header!)).toMatchObject({ format: "dplc-lookahead 2", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(Object.keys(JSON.parse(body!).follows as object).length).toBeGreaterThan(100);
    expect(check({ XDG_CACHE_HOME: cache })).toBe(fresh); // reads it
    const good = readFileSync(entry, "utf8");
    // Without follow sets, and hashed as its writer would: recovery computes them.
    const bodyWithout = good.slice(good.indexOf("\n") + 1).replace('"follows":', '"follows_":');
    const withoutFollows = `${JSON.stringify({ format: "dplc-lookahead 2", sha256: createHash("sha256").update(bodyWithout).digest("hex") })}\n${bodyWithout}`;
    for (const damaged of [good.slice(0, 100), good.replace(/"Identifier"/g, '"NoSuchToken"'), '{"format":"dplc-lookahead 2","sha256":"0"}\n{"paths":{"x":[[[1]]]}}', withoutFollows]) {
      writeFileSync(entry, damaged);
      expect(check({ XDG_CACHE_HOME: cache })).toBe(fresh);
    }
  }, 300_000);

  it("ignores an entry whose text was changed but is still well-formed (its SHA-256 no longer matches)", () => {
    const own = mkdtempSync(join(tmpdir(), "dplc-lookahead-swapped-"));
    try {
      const env = { XDG_CACHE_HOME: own };
      const hello = () => runDplc(["check", "--format", "json", "examples/hello.ds"], { env });
      const fresh = hello();
      expect(fresh.status, fresh.stderr).toBe(0);
      const dir = join(own, "dplc");
      const entry = join(dir, readdirSync(dir).find((n) => n.startsWith("parser-lookahead-"))!);
      // Every two-way decision's alternatives swapped: token names the parser knows, in the wrong places.
      const text = readFileSync(entry, "utf8");
      const swapped = text.replace(/("[A-Za-z]+\/Alternation\/\d+\/\d+":)\[(\[\[[^\]]*\]\]),(\[\[[^\]]*\]\])\]/g, "$1[$3,$2]");
      expect(swapped).not.toBe(text);
      writeFileSync(entry, swapped);
      const again = hello();
      expect(again.stderr).toBe("");
      expect(again.stdout).toBe(fresh.stdout);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  }, 120_000);
});
