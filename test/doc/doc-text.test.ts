/** Doc comments are hostile input: whatever they hold, the page gets only the markup dplc writes. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { docHtml, inlineHtml, safeUrl } from "../../src/doc/doc-text.js";
import { docMarkdown } from "../../src/doc/markdown.js";
import { ensembleSeeds } from "../../src/compiler/tests.js";

const ALLOWED_TAGS = new Set(["p", "h4", "h5", "h6", "ul", "li", "pre", "code", "a", "strong", "em"]);

// Strings built from the pieces an attack would use, plus arbitrary text.
const piece = fc.constantFrom("<script>", "</script>", "<img src=x onerror=alert(1)>", '"', "'", "&", "`", "**", "*", "_", "[", "]", "(", ")", "](", "javascript:alert(1)", "data:text/html,x", "https://ok.example/a", "#x", "```", "- ", "# ", "\n", " ", "`x`", "[`Item`]", "\u2028");
const hostile = fc.array(fc.oneof(piece, fc.string({ maxLength: 6 })), { maxLength: 30 }).map((a) => a.join(""));

function tagsOf(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase());
}

describe("doc text to HTML", () => {
  it("emits only its own tags and attributes, and only safe link targets", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const html = docHtml(text.split("\n"), (name) => (name === "Item" ? "#struct.Item" : null));
        for (const t of tagsOf(html)) expect(ALLOWED_TAGS.has(t), `tag <${t}> in ${html}`).toBe(true);
        for (const m of html.matchAll(/<[a-z0-9]+(\s[^>]*)?>/g)) {
          const attrs = [...(m[1] ?? "").matchAll(/\s([a-z-]+)="/g)].map((a) => a[1]);
          for (const a of attrs) expect(["href", "class"]).toContain(a);
        }
        for (const m of html.matchAll(/href="([^"]*)"/g)) {
          const url = m[1]!.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
          expect(safeUrl(url)).toBe(url);
          expect(url.toLowerCase()).not.toMatch(/^\s*(javascript|data|vbscript):/);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("keeps every character of plain text, escaped", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }).filter((s) => !/[`*_[\]]/.test(s)), (s) => {
        const html = inlineHtml(s, () => null);
        const back = html.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
        expect(back).toBe(s);
      }),
    );
  });
});

describe("doc text to Markdown", () => {
  it("a link target holding a code span is no link (found by the property below, seed -1646289898)", () => {
    for (const line of ["](`x`)", "[a](`javascript:alert(1)`)", "[a](java`script:x`)"]) {
      const outside = docMarkdown([line]).split(/`[^`]*`/).join("");
      expect(outside, line).not.toMatch(/\]\(/);
    }
  });

  it("leaves no raw `<` outside code and no unsafe link target", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const md = docMarkdown(text.split("\n"));
        let inFence = false;
        for (const line of md.split("\n")) {
          if (/^\s*(```+|~~~+)/.test(line)) {
            inFence = !inFence;
            continue;
          }
          if (inFence) continue;
          const outside = line.split(/`[^`]*`/).join("");
          expect(outside).not.toContain("<");
          for (const m of outside.matchAll(/\]\(((?:[^()\s]|\([^()\s]*\))*)\)/g)) expect(safeUrl(m[1]!)).toBe(m[1]);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("test seed ensembles", () => {
  it("start at the base seed, are 64-bit, distinct, and the same every time", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 1, max: 20 }), (base, k) => {
        const seeds = ensembleSeeds(base, k);
        expect(seeds).toHaveLength(k);
        expect(seeds[0]).toBe(base);
        for (const s of seeds) expect(s >= 0n && s < 1n << 64n).toBe(true);
        expect(new Set(seeds).size).toBe(k);
        expect(ensembleSeeds(base, k)).toEqual(seeds);
      }),
    );
  });
});
