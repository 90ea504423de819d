/**
 * Properties of the two places where hostile bytes meet dplc's output: decoding a file's
 * bytes (random bytes give one DPL1006 at the first bad byte, or clean text) and the text
 * renderer (no control character reaches the terminal, and the caret stays under the
 * character the diagnostic points at; characters here are one terminal cell wide, since
 * wide characters are a separate matter of the renderer).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { isUtf8 } from "node:buffer";
import { firstInvalidUtf8, sourceFromBytes, UndecodableSource } from "../../src/compiler/sources.js";
import { parseModule } from "../../src/compiler/check.js";
import { TextRenderer } from "../../src/diagnostics/render/text.js";
import { renderGithub } from "../../src/diagnostics/render/github.js";
import { diagnostic } from "../../src/diagnostics/diagnostic.js";
import { SourceFile } from "../../src/syntax/source.js";

const CONTROLS = ["\x1b[2J", "\x1b]0;title\x07", "\x00", "\x08", "\x7f", "\x9b", "\u202e", "\u2066", "\u2028", "\r", "\t", "Φ", "é"];

describe("decoding a file's bytes", () => {
  it("finds the first bad byte exactly where the prefix stops being UTF-8", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const at = firstInvalidUtf8(bytes);
        const buf = Buffer.from(bytes);
        expect(at === -1).toBe(isUtf8(buf));
        if (at >= 0) expect(isUtf8(buf.subarray(0, at))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("turns random bytes into clean text or exactly one DPL1006 at the first bad byte", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const source = sourceFromBytes("r.ds", bytes);
        const parsed = parseModule(source);
        if (!(source instanceof UndecodableSource)) {
          expect(isUtf8(Buffer.from(bytes))).toBe(true);
          return;
        }
        expect(parsed.syntaxDiagnostics.map((d) => d.code)).toEqual(["DPL1006"]);
        expect(parsed.syntaxDiagnostics[0]!.message).toContain(`at offset ${firstInvalidUtf8(bytes)}`);
      }),
      { numRuns: 500 },
    );
  });
});

describe("the text renderer and hostile characters", () => {
  it("never prints a control character, and keeps the caret under the error", () => {
    const line = fc.array(fc.oneof(fc.constantFrom(...CONTROLS), fc.string({ maxLength: 3 })), { maxLength: 8 }).map((parts) => parts.join("").replace(/[\n\r\u2028]/g, " "));
    fc.assert(
      fc.property(line, line, (before, after) => {
        const text = `${before}§${after}\n`;
        const source = new SourceFile("h\x1b[2J.ds", text);
        const at = before.length;
        const d = diagnostic("DPL1003", source.span(at, at + 1), `invalid character \`${before}\``, { help: after });
        const out = new TextRenderer({ text: () => text }, { color: false }).render(d);
        expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u);
        const lines = out.split("\n");
        const frame = lines.findIndex((l) => l.startsWith("1 | "));
        const shown = Array.from(lines[frame]!.slice(4));
        const caret = Array.from(lines[frame + 1]!.slice(4)).indexOf("^");
        expect(shown[caret]).toBe("§");
      }),
      { numRuns: 500 },
    );
  });
});

describe("the GitHub Actions renderer and hostile characters", () => {
  it("prints one workflow command per diagnostic with no control character, CR/LF as %0D/%0A", () => {
    const part = fc.array(fc.oneof(fc.constantFrom(...CONTROLS, "\n", "%", ":", ","), fc.string({ maxLength: 3 })), { maxLength: 8 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(part, part, part, (name, message, help) => {
        const source = new SourceFile(`${name}.ds`, "fn f() {}\n");
        const out = renderGithub([diagnostic("DPL1003", source.span(0, 2), message, { help })]);
        expect(out.endsWith("\n")).toBe(true);
        expect(out.slice(0, -1)).not.toMatch(/[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/u);
        // The file property ends at the first unescaped comma: the name cannot add properties.
        expect(out.slice(out.indexOf("file=") + 5).split(",")[1]).toBe("line=1");
      }),
      { numRuns: 300 },
    );
  });
});
