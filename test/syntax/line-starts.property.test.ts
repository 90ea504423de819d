/** Line starts: the fast path for text without a CR and the general loop agree with a plain reference. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { computeLineStarts } from "../../src/syntax/source.js";

/** Lines end at LF, CR LF or a lone CR, as the lexer counts them. */
function reference(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\r" && text[i + 1] === "\n") i++;
    if (text[i] === "\n" || text[i] === "\r") starts.push(i + 1);
  }
  return starts;
}

describe("computeLineStarts", () => {
  it("matches the reference on text made of line breaks and other characters", () => {
    const char = fc.constantFrom("a", "\n", "\r", "\r\n", "Φ", "😀", " ");
    fc.assert(fc.property(fc.array(char, { maxLength: 60 }), (parts) => {
      const text = parts.join("");
      expect(computeLineStarts(text)).toEqual(reference(text));
    }), { seed: 1206, numRuns: 2000 });
  });

  it("handles the edges: empty text, a final line feed, only line feeds", () => {
    expect(computeLineStarts("")).toEqual([0]);
    expect(computeLineStarts("a\n")).toEqual([0, 2]);
    expect(computeLineStarts("\n\n")).toEqual([0, 1, 2]);
    expect(computeLineStarts("a\r\nb\rc")).toEqual([0, 3, 5]);
  });
});
