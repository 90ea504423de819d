/**
 * `dplc fmt` never changes meaning and reaches its fixpoint in one pass: parse(fmt(x))
 * equals parse(x) ignoring spans, every comment survives in order, fmt(fmt(x)) = fmt(x).
 * Over generated programs (with comments sprinkled in), the fixtures, the stdlib and the
 * DPL blocks of the XDV corpus.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { formatText } from "../../src/format/format.js";
import { lex, parseText } from "../../src/syntax/parse.js";
import { literateModule } from "../../src/syntax/literate.js";
import { program } from "./generators.js";
import { HAS_SPEC, NO_SPEC_MESSAGE, REPO_ROOT, SPEC_DIR, withoutSpans } from "../helpers.js";

function commentTexts(text: string): string[] {
  return lex(text).comments.map((c) => c.image.trimEnd());
}

/** The module text a file stands for (Markdown: its DPL blocks in place). */
function moduleText(name: string, text: string): string {
  return name.endsWith(".md") ? literateModule(text).text : text;
}

/** Format, then check the three properties; returns the formatted text. */
function checkFormats(name: string, text: string): string {
  const r = formatText(name, text);
  if (!r.ok) throw new Error(`${name}: not formatted: ${r.diagnostics.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column} ${d.message}`).join("; ")}`);
  const before = parseText(name, moduleText(name, text));
  const after = parseText(name, moduleText(name, r.text));
  expect(after.diagnostics.map((d) => `${name}:${d.span.start.line}: ${d.message}`)).toEqual([]);
  expect(withoutSpans(after.module), name).toEqual(withoutSpans(before.module));
  expect(commentTexts(moduleText(name, r.text)), name).toEqual(commentTexts(moduleText(name, text)));
  const again = formatText(name, r.text);
  expect(again.ok && again.text, `${name} is not idempotent`).toBe(r.text);
  return r.text;
}

function dsFiles(dir: string, ext = ".ds"): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...dsFiles(p, ext));
    else if (n.endsWith(ext)) out.push(p);
  }
  return out;
}

/** Comments at line ends and on lines of their own, where a generated program allows them. */
const withComments = fc.tuple(program, fc.array(fc.nat({ max: 4 }), { minLength: 1, maxLength: 40 })).map(([text, picks]) => {
  const lines = text.split("\n");
  return lines
    .map((l, i) => {
      const p = picks[i % picks.length]!;
      if (p === 1 && l.trim() !== "") return `${l} // trailing ${i}`;
      if (p === 2) return `// above ${i}\n${l}`;
      if (p === 3) return `/* block ${i} */ ${l}`;
      return l;
    })
    .join("\n");
});

describe("fmt keeps meaning and comments, and is idempotent", () => {
  it("over generated programs", () => {
    fc.assert(fc.property(program, (text) => void checkFormats("gen.ds", text)), { numRuns: 200 });
  });

  it("over generated programs with comments", () => {
    let formatted = 0;
    fc.assert(
      fc.property(withComments, (text) => {
        // Only programs that parse: a comment before a line can never break one, but check.
        if (parseText("gen.ds", text).diagnostics.length > 0) return;
        checkFormats("gen.ds", text);
        formatted++;
      }),
      { numRuns: 200 },
    );
    expect(formatted).toBeGreaterThan(150);
  });

  it("over the fixtures, the examples and the stdlib (files that parse)", () => {
    let n = 0;
    for (const dir of ["fixtures", "examples", "stdlib"]) {
      for (const f of dsFiles(join(REPO_ROOT, dir))) {
        const text = readFileSync(f, "utf8");
        if (parseText(f, text).diagnostics.length > 0) continue; // syntax-error fixtures
        checkFormats(f, text);
        n++;
      }
    }
    expect(n).toBeGreaterThan(300);
  });

  it.skipIf(!HAS_SPEC)(`over the XDV corpus's DPL blocks, prose byte-identical${HAS_SPEC ? "" : ` (skipped: ${NO_SPEC_MESSAGE})`}`, () => {
    let blocks = 0;
    for (const f of readdirSync(SPEC_DIR).filter((x) => x.endsWith(".md")).sort()) {
      const text = readFileSync(join(SPEC_DIR, f), "utf8");
      if (parseText(f, literateModule(text).text).diagnostics.length > 0) continue; // not valid DPL as a whole
      const out = checkFormats(f, text);
      blocks += literateModule(text).blocks.length;
      // Prose: every line outside the DPL blocks is unchanged.
      const prose = (t: string) => {
        const lm = literateModule(t);
        const lines = t.split("\n");
        const inBlock = new Set(lm.blocks.flatMap((b) => Array.from({ length: Math.max(0, b.lastLine - b.firstLine + 1) }, (_, k) => b.firstLine + k)));
        return lines.filter((_, i) => !inBlock.has(i + 1));
      };
      expect(prose(out), f).toEqual(prose(text));
    }
    expect(blocks).toBeGreaterThan(0);
  });
});
