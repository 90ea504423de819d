/**
 * The editor's incremental parse must give exactly what `parseModule` gives for the same
 * text (items, every span's line/column/offset, diagnostics, module docs), whatever edits
 * led to it; otherwise the editor and `dplc check` would disagree.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseModule, type ParsedModule } from "../../src/compiler/check.js";
import { sourceFromText } from "../../src/compiler/sources.js";
import { parseIncremental, type ParseState } from "../../src/lsp/incremental-parse.js";
import { generateLatencyModule } from "../../src/bench/lsp-latency.js";
import { HAS_SPEC, REPO_ROOT, SPEC_DIR, specFiles } from "../helpers.js";

function snapshot(m: ParsedModule): string {
  return JSON.stringify(
    {
      items: m.ast.items,
      docs: m.ast.docs,
      diagnostics: m.syntaxDiagnostics.map((d) => [d.code, d.span, d.message]),
    },
    (_k, v) => (typeof v === "bigint" ? `${v}n` : v),
  );
}

function expectSameAsWholeParse(name: string, text: string, prev: ParseState | undefined): ParseState {
  const source = sourceFromText(name, text);
  const inc = parseIncremental(source, prev);
  const whole = parseModule(sourceFromText(name, text));
  expect(snapshot(inc.module)).toBe(snapshot(whole));
  return inc.state;
}

function dsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const full = join(dir, e);
    if (statSync(full).isDirectory()) out.push(...dsFiles(full));
    else if (e.endsWith(".ds")) out.push(full);
  }
  return out;
}

const SAMPLES: { name: string; text: string }[] = [
  { name: "generated.ds", text: generateLatencyModule(400).text },
  { name: "trailing-docs.ds", text: "fn a() {} /// documents b\nfn b() {}\nstruct S { x: u64 } // not a doc\n/* a block\n   comment */ fn c() {}\n" },
  ...dsFiles(join(REPO_ROOT, "stdlib")).map((f) => ({ name: f, text: readFileSync(f, "utf8") })),
  ...dsFiles(join(REPO_ROOT, "examples")).map((f) => ({ name: f, text: readFileSync(f, "utf8") })),
];

const SNIPPETS = ["} /// doc\n", "/// doc\n}\n", "{", "}", ";", "(", ")", "fn ", "x", "\n", "/*", "*/", '"', "// c\n", "/// doc\n", "//! top\n", "let a = 1;", "@domain(Q)\n", "struct S {}\n", "Φ", "😀", " ", "impl T {\n", "}\n}\n", "'"];

type Edit = { at: number; remove: number; insert: string };

function apply(text: string, e: Edit): string {
  const at = e.at % (text.length + 1);
  return text.slice(0, at) + e.insert + text.slice(Math.min(text.length, at + e.remove));
}

const edits = fc.array(
  fc.record({ at: fc.nat(), remove: fc.nat(6), insert: fc.oneof(fc.constant(""), fc.constantFrom(...SNIPPETS)) }),
  { minLength: 1, maxLength: 12 },
);

describe("incremental parse ≡ whole parse", () => {
  it("on first parse of every stdlib module and example", () => {
    for (const s of SAMPLES) expectSameAsWholeParse(s.name, s.text, undefined);
  });

  it("after random edit sequences", () => {
    fc.assert(
      fc.property(fc.nat(SAMPLES.length - 1), edits, (which, seq) => {
        const sample = SAMPLES[which]!;
        let text = sample.text;
        let state = expectSameAsWholeParse(sample.name, text, undefined);
        for (const e of seq) {
          text = apply(text, e);
          state = expectSameAsWholeParse(sample.name, text, state);
        }
      }),
      { numRuns: 150, seed: 20240611 },
    );
    // Fixed seed, so no flakiness from the inputs; about 10 s on a quiet 2-core machine and
    // 50–70 s beside other test files at load 20: the limit is for a hang, not for speed.
  }, 240_000);

  it("after keystrokes that break and repair an item in the middle of a module", () => {
    let text = generateLatencyModule(300).text;
    let state = expectSameAsWholeParse("m.ds", text, undefined);
    const at = text.indexOf("let base = 10;", text.length / 2) + "let base = 1".length;
    for (const ch of [" +", "", "}", "", "(", "", "/*", ""]) {
      text = ch === "" ? text.slice(0, at) + text.slice(at).replace(/^( \+|\}|\(|\/\*)/, "") : text.slice(0, at) + ch + text.slice(at);
      state = expectSameAsWholeParse("m.ds", text, state);
    }
  });

  it("re-parses only the chunk that changed", () => {
    const text = generateLatencyModule(2000).text;
    const first = parseIncremental(sourceFromText("big.ds", text), undefined);
    const at = text.indexOf("let base = 10;", text.length / 2) + "let base = 1".length;
    const edited = text.slice(0, at) + "7" + text.slice(at);
    const second = parseIncremental(sourceFromText("big.ds", edited), first.state);
    expect(second.parsedChunks).toBe(1);
    // Lexing stops at the first unchanged boundary after the edit.
    expect(second.lexedChars).toBeLessThan(text.length / 50);
    expect(snapshot(second.module)).toBe(snapshot(parseModule(sourceFromText("big.ds", edited))));
  });

  it.skipIf(!HAS_SPEC)("on the spec corpus as literate modules, with edits inside the dust blocks", () => {
    for (const f of specFiles()) {
      const md = readFileSync(join(SPEC_DIR, f), "utf8");
      let state = expectSameAsWholeParse(f, sourceFromText(f, md).text, undefined);
      const text = sourceFromText(f, md).text;
      const mid = text.indexOf("fn ", text.length / 2);
      if (mid < 0) continue;
      const broken = text.slice(0, mid) + "fn (" + text.slice(mid + 3);
      state = expectSameAsWholeParse(f, broken, state);
      expectSameAsWholeParse(f, text, state);
    }
  });
});
