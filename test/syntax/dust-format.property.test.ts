/**
 * `dplc fmt` on dustlang files keeps the surface (the file is not printed as XDV), keeps
 * the tree and the comments, and is idempotent — over the dustlang fixtures and the
 * examples of ../shared/dust-spec, each also with its whitespace scrambled at random.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { formatText } from "../../src/format/format.js";
import { detectSurface, lex, parseText } from "../../src/syntax/parse.js";
import { REPO_ROOT, withoutSpans } from "../helpers.js";

const DUST_DIR = resolve(REPO_ROOT, "..", "shared", "dust-spec");
const HAS_DUST = existsSync(DUST_DIR);
if (!HAS_DUST) console.warn(`the dustlang material is not at ${DUST_DIR}: fmt is checked on the dustlang fixtures only`);

function dsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? dsFiles(p) : n.endsWith(".ds") ? [p] : [];
    });
}

const files = [
  ...dsFiles(join(REPO_ROOT, "fixtures", "check", "dustlang")),
  ...dsFiles(join(REPO_ROOT, "fixtures", "run", "dustlang")),
  ...(HAS_DUST ? [...dsFiles(join(DUST_DIR, "examples-v0.2")), ...dsFiles(join(DUST_DIR, "examples-v0.1"))] : []),
].filter((f) => {
  const text = readFileSync(f, "utf8");
  const r = parseText(f, text);
  return r.diagnostics.length === 0 && detectSurface(r.tokens) === "dust";
});

function comments(text: string): string[] {
  return lex(text).comments.map((c) => c.image.trimEnd());
}

function checkFormats(name: string, text: string, original: string): string {
  const r = formatText(name, text);
  if (!r.ok) throw new Error(`${name}: not formatted: ${r.diagnostics.map((d) => `${d.code} ${d.span.start.line}: ${d.message}`).join("; ")}`);
  const before = parseText(name, original);
  const after = parseText(name, r.text);
  expect(after.diagnostics).toEqual([]);
  expect(detectSurface(after.tokens), `${name} keeps its surface`).toBe("dust");
  expect(after.tokens.map((t) => t.image)).toEqual(before.tokens.map((t) => t.image));
  expect(withoutSpans(after.module), name).toEqual(withoutSpans(before.module));
  expect(comments(r.text)).toEqual(comments(original));
  const again = formatText(name, r.text);
  expect(again.ok && again.text, `${name} is not idempotent`).toBe(r.text);
  return r.text;
}

/** The text with the whitespace between its tokens replaced (never inside a token or comment). */
function scramble(text: string, picks: readonly number[]): string {
  const { tokens, comments: cs } = lex(text);
  const all = [...tokens.map((t) => ({ start: t.startOffset, end: t.startOffset + t.image.length, line: false })), ...cs.map((c) => ({ start: c.startOffset, end: c.startOffset + c.image.length, line: c.image.startsWith("//") }))].sort((a, b) => a.start - b.start);
  const choices = [" ", "  ", "\t", "\n", "\n\n\n", "\n      ", " \n "];
  let out = text.slice(0, all[0]?.start ?? text.length);
  all.forEach((t, i) => {
    out += text.slice(t.start, t.end);
    const next = all[i + 1];
    if (!next) return void (out += text.slice(t.end));
    const gap = text.slice(t.end, next.start);
    const p = picks[i % picks.length]!;
    let g = gap === "" ? (p % 3 === 0 ? " " : "") : p < choices.length ? choices[p]! : gap;
    // A line comment ends at a line break, and so may a v0.1 statement (CryoLink.ds): a
    // line break stays one.
    if ((t.line || gap.includes("\n")) && !g.includes("\n")) g += "\n";
    out += g;
  });
  return out;
}

describe.skipIf(files.length === 0)("fmt of dustlang files", () => {
  it("has dustlang files to format", () => {
    expect(files.length).toBeGreaterThan(5);
  });

  for (const f of files) {
    it(`${f.slice(REPO_ROOT.length + 1)}: keeps surface, tree and comments; idempotent`, () => {
      const text = readFileSync(f, "utf8");
      checkFormats(f, text, text);
    });
  }

  it("with the whitespace scrambled, formats to a fixpoint with the same tree", () => {
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.array(fc.nat({ max: 9 }), { minLength: 1, maxLength: 30 }), (f, picks) => {
        const text = readFileSync(f, "utf8");
        checkFormats(f, scramble(text, picks), text);
      }),
      { numRuns: 150 },
    );
  });

  it("starts a statement after one that a line break ended, not a continuation line", () => {
    const sketch = "forge S {\n  proc K::f(x: i64) -> i64\n    uses io(bus)\n  {\n    let e = x -\n      1\n    drive::motors( e )\n    return e\n  }\n}\n";
    const r = formatText("sketch.ds", sketch);
    expect(r.ok && r.text).toBe(
      ["forge S {", "    proc K::f(x: i64) -> i64", "        uses io(bus)", "    {", "        let e = x -", "            1", "        drive::motors(e)", "        return e", "    }", "}", ""].join("\n"),
    );
  });

  it("lays out a v0.1 forge canonically", () => {
    const messy = "forge  Examples{\nshape QState{id:i64;}\n  proc Q::pass(q: QState)->QState linear{\n\n\n   return q ;   // done\n}\nproc K::f()\n  uses Timer(domain=\"monotonic\" ,deadline_us=5000),\n       Console(device=\"stdout\")\n    -> i32\n{ emit \"x\"; return 1; }\n}";
    const r = formatText("messy.ds", messy);
    expect(r.ok && r.text).toBe(
      [
        "forge Examples{",
        "    shape QState{id:i64; }",
        "    proc Q::pass(q: QState)->QState linear{",
        "",
        "        return q; // done",
        "    }",
        "    proc K::f()",
        '        uses Timer(domain="monotonic", deadline_us=5000),',
        '        Console(device="stdout")',
        "        -> i32",
        '    { emit "x"; return 1; }',
        "}",
        "",
      ].join("\n"),
    );
  });
});
