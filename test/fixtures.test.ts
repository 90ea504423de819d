/**
 * The fixture corpus, in the spirit of rustc's UI tests: each case under
 * `fixtures/check/` pins its expected diagnostics to lines with `//~ CODE` comments, and
 * the full rendered output sits beside it in `<case>.stderr`. `npm run bless` rewrites
 * the `.stderr` files after an intended change (review the diff); the `//~` pins are never
 * rewritten by tooling.
 *
 * Directives on the first lines of a case: `//@ profile: kernel`, and
 * `//@ known-bug: <why>` for a case the checker is known to get wrong (the test then
 * asserts that it still does, so a fix is noticed and the directive removed).
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { checkSources } from "../src/compiler/check.js";
import { analyze, parseModule } from "../src/compiler/analyze.js";
import { sourceFromText } from "../src/compiler/sources.js";
import { surfaceOf } from "../src/syntax/parse.js";
import { TextRenderer } from "../src/diagnostics/render/text.js";
import type { Diagnostic } from "../src/diagnostics/diagnostic.js";
import { REPO_ROOT } from "./helpers.js";

const ROOT = join(REPO_ROOT, "fixtures", "check");
const BLESS = process.env["DPLC_BLESS"] === "1";

interface Case {
  readonly name: string;
  /** The root module of the case. */
  readonly main: string;
  /** Every `.ds` file of the case (the root and, for folder cases, its other modules). */
  readonly files: string[];
  readonly snapshot: string;
}

function discover(dir: string, out: Case[] = []): Case[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) {
      if (existsSync(join(full, "main.ds"))) {
        const files = readdirSync(full).filter((f) => f.endsWith(".ds")).sort().map((f) => join(full, f));
        out.push({ name: relative(ROOT, full), main: join(full, "main.ds"), files, snapshot: join(full, "main.stderr") });
      } else discover(full, out);
    } else if (name.endsWith(".ds")) {
      out.push({ name: relative(ROOT, full), main: full, files: [full], snapshot: full.replace(/\.ds$/, ".stderr") });
    }
  }
  return out;
}

const PIN = /\/\/~(\^*)\s+((?:DPL\d{4}[ \t]*)+)/g;

/** `file:line CODE` for every pinned diagnostic of a case, sorted. */
function expectedPins(c: Case): string[] {
  const pins: string[] = [];
  for (const f of c.files) {
    readFileSync(f, "utf8")
      .split(/\r?\n/)
      .forEach((line, i) => {
        for (const m of line.matchAll(PIN)) {
          for (const code of m[2]!.trim().split(/\s+/)) pins.push(`${rel(f)}:${i + 1 - m[1]!.length} ${code}`);
        }
      });
  }
  return pins.sort();
}

function directive(c: Case, name: string): string | undefined {
  const head = readFileSync(c.main, "utf8").split(/\r?\n/).slice(0, 5);
  for (const l of head) {
    const m = new RegExp(`^//@\\s*${name}:\\s*(.*)$`).exec(l.trim());
    if (m) return m[1]!.trim();
  }
  return undefined;
}

function rel(path: string): string {
  return relative(REPO_ROOT, path).split("\\").join("/");
}

/**
 * With `deferred`, as `dplc check` checks a large file: a diagnostics-only check whose
 * function bodies are parsed when checked and let go after (syntax/lazy-bodies.ts,
 * semantic/release.ts), forced here for files of any size and in pieces of one item or a few
 * (syntax/parse.ts, `parseInPieces`). It must say exactly the same.
 */
function run(c: Case, deferred = false): { diags: readonly Diagnostic[]; texts: Map<string, string> } {
  const texts = new Map<string, string>();
  const src = sourceFromText(rel(c.main), readFileSync(c.main, "utf8"));
  texts.set(src.name, src.displayText);
  const profile = directive(c, "profile") === "kernel" ? "kernel" : "user";
  // A folder of dustlang files is one program, its forges shared across the files (as
  // `dplc check DIR`); other folder cases reach their modules through `mod`.
  const siblings = surfaceOf(src.text) === "dust" ? c.files.filter((f) => f !== c.main).map((f) => sourceFromText(rel(f), readFileSync(f, "utf8"))) : [];
  const result = deferred
    ? analyze([src, ...siblings].map((s) => parseModule(s, { deferBodies: true, pieceChars: 1 })), { profile, allBlocks: false, diagnosticsOnly: true })
    : checkSources([src, ...siblings], { profile, allBlocks: false });
  for (const m of result.modules) texts.set(m.source.name, m.source.displayText);
  return { diags: result.diagnostics, texts };
}

function render(diags: readonly Diagnostic[], texts: Map<string, string>): string {
  const renderer = new TextRenderer(
    {
      text: (f) => texts.get(f) ?? (existsSync(join(REPO_ROOT, f)) ? readFileSync(join(REPO_ROOT, f), "utf8") : undefined),
    },
    { color: false },
  );
  return diags.map((d) => renderer.render(d)).join("\n");
}

const cases = discover(ROOT);

describe("fixtures/check", () => {
  it("has cases", () => {
    if (!existsSync(ROOT)) return expect.fail(`no fixture folder at ${ROOT}`);
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    const knownBug = directive(c, "known-bug");
    it(`${c.name}${knownBug ? ` (known bug: ${knownBug})` : ""}`, () => {
      const { diags, texts } = run(c);
      const actual = diags.map((d) => `${d.span.file}:${d.span.start.line} ${d.code}`).sort();
      const expected = expectedPins(c);
      if (knownBug) {
        expect(actual, "this case now passes: remove its `//@ known-bug` directive").not.toEqual(expected);
        return;
      }
      expect(actual).toEqual(expected);

      const output = render(diags, texts);
      if (BLESS) {
        if (output === "") {
          if (existsSync(c.snapshot)) writeFileSync(c.snapshot, "");
        } else writeFileSync(c.snapshot, output);
        return;
      }
      const blessed = existsSync(c.snapshot) ? readFileSync(c.snapshot, "utf8") : "";
      expect(output, `rendered output differs from ${rel(c.snapshot)}; if the change is intended, run \`npm run bless\``).toBe(blessed);
      const deferred = run(c, true);
      expect(render(deferred.diags, deferred.texts), "a diagnostics-only check with deferred bodies says something else").toBe(output);
    });
  }
});
