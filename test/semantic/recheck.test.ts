/**
 * The editor's re-check of one item (semantic/recheck.ts) must give exactly what a full
 * check of the same text gives: every diagnostic (spans, messages, fixes) and every hover.
 * Random edits inside and around function bodies of fixture modules are applied one after
 * another, as keystrokes reach the language server; after each, the session's analysis is
 * compared with a fresh whole parse and check.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TextDocument } from "vscode-languageserver-textdocument";
import { analyze, CheckSession, type Analysis } from "../../src/compiler/analyze.js";
import { textEdit } from "../../src/semantic/recheck.js";
import { OpenDocument } from "../../src/lsp/documents.js";
import { semanticsOfModule } from "../../src/lsp/model-semantics.js";
import { hover } from "../../src/lsp/hover.js";
import { lex } from "../../src/syntax/parse.js";
import { generateLatencyModule } from "../../src/bench/lsp-latency.js";
import { REPO_ROOT } from "../helpers.js";

function diagnosticsText(a: Analysis): string {
  return JSON.stringify(a.diagnostics);
}

/** The hover at the start of every identifier and literal, as text. */
function hovers(doc: OpenDocument, a: Analysis): string[] {
  const parsed = doc.parsed();
  const sem = semanticsOfModule(a.model!, doc.name, parsed.module.ast);
  const text = parsed.module.source.text;
  const out: string[] = [];
  for (const t of lex(text).tokens) {
    if (!/^[A-Za-z_0-9]/.test(t.image)) continue;
    const h = hover(doc, sem, parsed.lines.offsetToLsp(t.startOffset));
    out.push(`${t.startOffset} ${t.image}: ${h ? JSON.stringify(h) : "-"}`);
  }
  return out;
}

function openDoc(name: string, text: string, version: number): OpenDocument {
  return new OpenDocument(`file:///recheck/${name}`, name, "dpl", TextDocument.create(`file:///recheck/${name}`, "dpl", version, text), false);
}

/** Keystroke-sized text: typed anywhere in a body, it often breaks the syntax for a while. */
const SNIPPETS = ["7", " ", "x", "\n", ";", "q", "+ 1", "}", "{", "v", "self.x", "()", ".len()", "&"];
/** Whole statements, inserted at the start of a line of a body. */
const STATEMENTS = ["let q = 1;", "let s: String = 5;", "return;", "let unused2 = 2;", 'println!("{}", 1);', "let t = (1, true);", "let w = vec![1, 2];", "let z = w;", "let r: u64 = 3 + 4;", "let n = random_u64();", "let j = jitter();", "is_even(2);", "let id = cap.raw();"];

type Edit = { kind: "type" | "statement" | "delete-line"; body: number; at: number; remove: number; insert: string };

/** The offsets just inside the braces of every `fn` body. */
function bodyRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  const re = /\bfn\b[^{;]*\{/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const open = m.index + m[0].length;
    let depth = 1;
    let i = open;
    while (i < text.length && depth > 0) {
      if (text[i] === "{") depth++;
      else if (text[i] === "}") depth--;
      i++;
    }
    if (depth === 0) out.push([open, i - 1]);
  }
  return out;
}

function apply(text: string, e: Edit): string {
  const bodies = bodyRanges(text);
  if (bodies.length === 0) return text;
  const [from, to] = bodies[e.body % bodies.length]!;
  if (e.kind === "type") {
    const at = from + (e.at % Math.max(1, to - from + 1));
    return text.slice(0, at) + e.insert + text.slice(Math.min(to, at + e.remove));
  }
  // Line starts strictly inside the body.
  const starts: number[] = [];
  for (let i = from; i < to; i++) if (text[i] === "\n" && i + 1 < to) starts.push(i + 1);
  if (starts.length === 0) return text;
  const at = starts[e.at % starts.length]!;
  if (e.kind === "statement") return text.slice(0, at) + "    " + e.insert + "\n" + text.slice(at);
  const end = text.indexOf("\n", at);
  return end < 0 || end >= to ? text : text.slice(0, at) + text.slice(end + 1);
}

const EDIT = fc.oneof(
  fc.record({ kind: fc.constant("type" as const), body: fc.nat(50), at: fc.nat(4000), remove: fc.oneof(fc.constant(0), fc.nat(4)), insert: fc.oneof(fc.constantFrom(...SNIPPETS), fc.constant("")) }),
  fc.record({ kind: fc.constant("statement" as const), body: fc.nat(50), at: fc.nat(400), remove: fc.constant(0), insert: fc.constantFrom(...STATEMENTS) }),
  fc.record({ kind: fc.constant("statement" as const), body: fc.nat(50), at: fc.nat(400), remove: fc.constant(0), insert: fc.constantFrom(...STATEMENTS) }),
  fc.record({ kind: fc.constant("delete-line" as const), body: fc.nat(50), at: fc.nat(400), remove: fc.constant(0), insert: fc.constant("") }),
);

const FIXTURES: { name: string; text: string; profile?: "kernel" }[] = [
  { name: "recheck.ds", text: readFileSync(join(REPO_ROOT, "test", "semantic", "fixtures", "recheck.ds"), "utf8") },
  { name: "generated.ds", text: generateLatencyModule(200).text },
  { name: "phi_batches.ds", text: readFileSync(join(REPO_ROOT, "examples", "phi_batches.ds"), "utf8") },
  // The rule passes that replay per-body verdicts beside those that cross items.
  { name: "recheck_rules.ds", text: readFileSync(join(REPO_ROOT, "test", "semantic", "fixtures", "recheck_rules.ds"), "utf8"), profile: "kernel" },
];

describe("re-checking the edited item gives what a full check gives", () => {
  for (const fixture of FIXTURES) {
    it(`${fixture.name}: random edits in function bodies`, () => {
      const OPTIONS = { profile: fixture.profile ?? "user", allBlocks: false } as const;
      let itemChecks = 0;
      fc.assert(
        fc.property(
          fc.array(EDIT, { minLength: 1, maxLength: 8 }),
          (edits) => {
            const session = new CheckSession();
            let text = fixture.text;
            let version = 1;
            const doc = openDoc(fixture.name, text, version);
            analyze([doc.parsed().module], OPTIONS, session);
            for (const e of edits) {
              const next = apply(text, e);
              if (next === text) continue;
              text = next;
              doc.text = TextDocument.update(doc.text, [{ text }], ++version);
              const inc = analyze([doc.parsed().module], OPTIONS, session);
              const fresh = openDoc(fixture.name, text, version);
              const full = analyze([fresh.parsed().module], OPTIONS);
              expect(diagnosticsText(inc)).toBe(diagnosticsText(full));
              expect(hovers(doc, inc)).toEqual(hovers(fresh, full));
            }
            itemChecks += session.itemChecks;
          },
        ),
        { numRuns: 8, seed: 20261206 },
      );
      // The comparison is only worth something if the re-check path was taken.
      expect(itemChecks).toBeGreaterThanOrEqual(5);
    }, 120_000);
  }
});

describe("textEdit", () => {
  it("finds the longest common prefix, then the longest common suffix that does not overlap it", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "b", "\n", "é") }), fc.string({ unit: fc.constantFrom("a", "b", "\n", "é") }), (a, b) => {
        const e = textEdit(a, b);
        expect(a.slice(0, e.start)).toBe(b.slice(0, e.start));
        expect(a.slice(e.oldEnd)).toBe(b.slice(e.newEnd));
        expect(e.start <= e.oldEnd && e.start <= e.newEnd).toBe(true);
        // Maximal: one more character of either would differ (or run out).
        if (e.start < Math.min(a.length, b.length) && e.oldEnd > e.start && e.newEnd > e.start) expect(a[e.start]).not.toBe(b[e.start]);
        if (e.oldEnd > e.start && e.newEnd > e.start) expect(a[e.oldEnd - 1]).not.toBe(b[e.newEnd - 1]);
      }),
      { numRuns: 300, seed: 20261206 },
    );
  });
});
