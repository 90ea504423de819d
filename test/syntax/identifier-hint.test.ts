import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createToken, Lexer } from "../../src/syntax/chevrotain.js";
import { dplLexer, Identifier, identifierStartHint } from "../../src/syntax/tokens.js";

/** The first-character buckets a one-token lexer files its token under (chevrotain internals). */
function buckets(lexer: InstanceType<typeof Lexer>): number[] {
  const table = (lexer as unknown as { charCodeToPatternIdxToConfig: Record<string, unknown[]> }).charCodeToPatternIdxToConfig.defaultMode!;
  const out: number[] = [];
  table.forEach((configs, index) => {
    if (configs !== undefined) out.push(index, configs.length);
  });
  return out;
}

describe("the Identifier token's start_chars_hint", () => {
  const pattern = Identifier.PATTERN as RegExp;

  it("gives the lexer the first-character table chevrotain derives from the pattern itself", () => {
    const analysed = new Lexer([createToken({ name: "Analysed", pattern })], { positionTracking: "onlyOffset", skipValidations: true });
    const hinted = new Lexer([createToken({ name: "Hinted", pattern, start_chars_hint: identifierStartHint(), line_breaks: false })], {
      positionTracking: "onlyOffset",
      skipValidations: true,
    });
    const expected = buckets(analysed);
    expect(expected.length).toBeGreaterThan(200); // ASCII letters, `_`, and the Unicode blocks
    expect(buckets(hinted)).toEqual(expected);
  });

  it("the lexer built with it tokenizes identifiers of any script as the pattern matches them", () => {
    const idChar = fc.oneof(
      fc.constantFrom("a", "Z", "_", "0", "é", "Φ", "ж", "日", "ـ", "𝔸", "\u0301", "٣", " ", "+"),
      fc.integer({ min: 0x80, max: 0xffff }).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCharCode(c)),
    );
    fc.assert(
      fc.property(fc.array(idChar, { minLength: 1, maxLength: 8 }), (chars) => {
        const text = chars.join("");
        const sticky = new RegExp(pattern.source, "y");
        const lexed = dplLexer.tokenize(text);
        // Wherever a token starts and the pattern matches there, the lexer took an identifier
        // (or a keyword, which has it as longer_alt) of exactly the pattern's length.
        for (const token of lexed.tokens) {
          sticky.lastIndex = token.startOffset;
          const m = sticky.exec(text);
          if (m !== null) expect(token.image).toBe(m[0]);
        }
        // And no character the pattern accepts was rejected (a missing first-character bucket).
        for (const error of lexed.errors) {
          sticky.lastIndex = error.offset;
          expect(sticky.exec(text)).toBeNull();
        }
      }),
      { seed: 16, numRuns: 300 },
    );
  });
});
