import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseText } from "../../src/syntax/parse.js";
import { program } from "./generators.js";

const FRAGMENTS = ["fn", "struct", "{", "}", "(", ")", "<", ">", ">>", "::", ";", ",", "=", "let", "match", "=>", "|", "'", '"', "/*", "*/", "@", "...", "..", "Φ", "0x", "5u65", "\r\n", "\n", " ", "if", "else", "impl", "for", "&mut", "?", "!", "#[", "]"];

function assertWellFormed(text: string): void {
  const r = parseText("fuzz.ds", text);
  for (const d of r.diagnostics) {
    expect(d.code).toMatch(/^DPL1\d{3}$/);
    expect(d.span.start.line).toBeGreaterThanOrEqual(1);
    expect(d.span.start.column).toBeGreaterThanOrEqual(1);
    expect(d.span.start.offset).toBeLessThanOrEqual(text.length);
  }
  expect(r.module.kind).toBe("Module");
}

/** The dustlang surface's words, where the retagging and the surface choice happen. */
const DUST_FRAGMENTS = ["K", "Q", "Φ", "main", "f", "forge", "shape", "proc", "bind", "contract", "mut", "let", "emit", '"x {y}"', "K[Int]", "[", "]", "->", "::", "{", "}", "(", ")", ";", ",", "1", "linear", "\n"];

describe("the parser never throws", () => {
  it("on dustlang token soup (both surfaces)", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...DUST_FRAGMENTS), { maxLength: 60 }).map((a) => a.join(" ")), assertWellFormed), { numRuns: 400 });
  });

  it("on arbitrary text", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), assertWellFormed), { numRuns: 400 });
  });

  it("on token soup", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 80 }).map((a) => a.join(" ")), assertWellFormed), { numRuns: 400 });
  });

  it("on mangled valid programs (deleted, duplicated and swapped slices)", () => {
    const mangled = fc
      .tuple(program, fc.array(fc.tuple(fc.nat(), fc.nat(20), fc.constantFrom("delete", "dup", "insert")), { minLength: 1, maxLength: 4 }), fc.constantFrom(...FRAGMENTS))
      .map(([text, edits, frag]) => {
        let t = text;
        for (const [pos, len, op] of edits) {
          const p = pos % (t.length + 1);
          if (op === "delete") t = t.slice(0, p) + t.slice(p + len);
          else if (op === "dup") t = t.slice(0, p) + t.slice(p, p + len) + t.slice(p);
          else t = t.slice(0, p) + frag + t.slice(p);
        }
        return t;
      });
    fc.assert(fc.property(mangled, assertWellFormed), { numRuns: 300 });
  });

  it("is deterministic: the same text gives identical diagnostics", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((a) => a.join("")), (text) => {
        const a = parseText("d.ds", text).diagnostics.map((d) => `${d.span.start.offset}:${d.code}:${d.message}`);
        const b = parseText("d.ds", text).diagnostics.map((d) => `${d.span.start.offset}:${d.code}:${d.message}`);
        expect(a).toEqual(b);
      }),
      { numRuns: 200 },
    );
  });
});
