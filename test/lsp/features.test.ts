/**
 * Editor features in-process, through the same pipeline and semantic source the server
 * uses: with the checker's tables once a check has completed, with the syntax alone
 * before that, across open files and into the stdlib.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Hover, Position } from "vscode-languageserver/node.js";
import { DocumentPipeline } from "../../src/lsp/documents.js";
import { createSemanticSource } from "../../src/lsp/semantic-source.js";
import { hover } from "../../src/lsp/hover.js";
import { definition } from "../../src/lsp/definition.js";
import { completion } from "../../src/lsp/completion.js";
import { documentSymbols } from "../../src/lsp/symbols.js";
import { decodeTokens, semanticTokens } from "../../src/lsp/semantic-tokens.js";
import { withCursor } from "./lsp-client.js";

const dir = mkdtempSync(join(tmpdir(), "dplc-features-"));

async function workspace(files: Record<string, string>, check = true) {
  const pipeline = new DocumentPipeline({ check: { profile: "user", allBlocks: false }, debounceMs: 0 }, () => undefined);
  const uris: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    uris[name] = pathToFileURL(join(dir, name)).href;
    pipeline.open(uris[name]!, name.endsWith(".md") ? "markdown" : "dpl", 1, text);
  }
  if (check) await pipeline.flush();
  const source = createSemanticSource(() => pipeline.all(), { profile: "user" }, (d) => {
    const a = pipeline.analysis(d);
    return a ? { program: a.model.program, current: a.current } : undefined;
  });
  const doc = (name: string) => pipeline.get(uris[name]!)!;
  return {
    pipeline,
    uris,
    hoverAt: (name: string, position: Position) => hover(doc(name), source.forDocument(doc(name)), position),
    definitionAt: (name: string, position: Position) => definition(doc(name), source.forDocument(doc(name)), position, pipeline),
    completeAt: (name: string, position: Position) => completion(doc(name), source.forDocument(doc(name)), position, { snippets: false }),
    tokens: (name: string) => decodeTokens(semanticTokens(doc(name), source.forDocument(doc(name))).data),
    symbols: (name: string) => documentSymbols(doc(name)),
  };
}

const text = (h: Hover | null): string => (h ? (h.contents as { value: string }).value : "");

const GENERIC = `struct Point { x: u64, y: u64 }
impl Point {
    fn norm1(&self) -> u64 { self.x + self.y }
}
fn main() -> u64 {
    let o = Some(Point { x: 1, y: 2 });
    let z = o.unwrap();
    z.x + z.norm1()
}
`;

describe("with the checker's result", () => {
  it("hovers show inferred types that the syntax alone cannot know", async () => {
    const src = withCursor(GENERIC.replace("let z =", "let <|>z ="));
    const before = await workspace({ "gen.ds": src.text }, false);
    expect(text(before.hoverAt("gen.ds", src.position))).not.toContain("let z: Point");
    const w = await workspace({ "gen.ds": src.text });
    expect(text(w.hoverAt("gen.ds", src.position))).toContain("let z: Point");
    expect(text(w.hoverAt("gen.ds", src.position))).toContain("value in domain **K**");
  });

  it("hovers off identifiers show the expression's type", async () => {
    const src = withCursor(GENERIC.replace("z.x + z", "z.x <|>+ z"));
    const w = await workspace({ "gen2.ds": src.text });
    expect(text(w.hoverAt("gen2.ds", src.position))).toContain("u64");
  });

  it("completes members of a receiver typed after the last check", async () => {
    const w = await workspace({ "stale.ds": GENERIC });
    const u = w.uris["stale.ds"]!;
    // Type `z.` on a new line, as the user does; the check for this version has not run.
    const edited = withCursor(GENERIC.replace("    z.x + z.norm1()", "    z.<|>\n    z.x + z.norm1()"));
    w.pipeline.change(u, 2, [{ text: edited.text }]);
    const items = w.completeAt("stale.ds", edited.position);
    expect(items.map((i) => i.label).sort()).toEqual(["norm1", "x", "y"]);
  });

  it("goes to definitions in the stdlib", async () => {
    const src = withCursor(GENERIC.replace("let o = Some(", "let o = So<|>me("));
    const w = await workspace({ "std.ds": src.text });
    const loc = w.definitionAt("std.ds", src.position);
    expect(loc).not.toBeNull();
    expect(fileURLToPath(loc!.uri)).toMatch(/stdlib[\\/]prelude[\\/]core\.ds$/);
  });

  it("colours values by the domain the checker inferred", async () => {
    const src = `@domain(Q)
@noncopy
struct QState { ... }
fn pass<T>(x: T) -> T { x }
@domain(Q)
fn keep(s: QState) -> QState {
    let t = pass(s);
    t
}
`;
    const w = await workspace({ "dom.ds": src });
    const line = src.split("\n").findIndex((l) => l.includes("let t"));
    const t = w.tokens("dom.ds").find((x) => x.line === line && x.character === 8);
    expect(t).toMatchObject({ type: "variable" });
    expect(t!.modifiers).toContain("domainQ");
  });
});

describe("from the syntax", () => {
  it("goes to a definition in another open file", async () => {
    const use = withCursor("use helpers::double;\nfn main() -> u64 { dou<|>ble(2) }\n");
    const w = await workspace({ "helpers.ds": "/// Twice the input.\npub fn double(n: u64) -> u64 { n * 2 }\n", "user.ds": use.text }, false);
    const loc = w.definitionAt("user.ds", use.position);
    expect(loc?.uri).toBe(w.uris["helpers.ds"]);
    expect(loc?.range.start).toEqual({ line: 1, character: 7 });
    expect(text(w.hoverAt("user.ds", use.position))).toContain("Twice the input.");
  });

  it("completes enum variants after `::` and offers nothing in Markdown prose", async () => {
    const src = withCursor("enum Color { Red, Green }\nfn f() { let c = Color::<|> }\n");
    const w = await workspace({ "enum.ds": src.text, "doc.md": "Prose about things.\n\n```dust\nfn g() {}\n```\n" }, false);
    expect(w.completeAt("enum.ds", src.position).map((i) => i.label)).toEqual(["Red", "Green"]);
    expect(w.completeAt("doc.md", { line: 0, character: 5 })).toEqual([]);
    expect(w.completeAt("doc.md", { line: 3, character: 0 }).map((i) => i.label)).toContain("g");
  });

  it("lists enum variants, trait members and inline modules as symbols", async () => {
    const src = "enum E { A, B(u64) }\ntrait T { fn t(&self); }\nmod inner { pub fn f() {} }\n";
    const w = await workspace({ "syms.ds": src }, false);
    const s = w.symbols("syms.ds");
    expect(s.map((x) => [x.name, x.children?.map((c) => c.name)])).toEqual([
      ["E", ["A", "B"]],
      ["T", ["t"]],
      ["inner", ["f"]],
    ]);
  });

  it("completes members after `.` on receivers with digits in their names, not after numbers or `..`", async () => {
    const base = "struct Point { x: u64, y: u64 }\nfn f(p1: Point) -> u64 {\n    LINE\n}\n";
    for (const [line, expected] of [["p1.<|>", ["x", "y"]], ["let a = 1.<|>", []], ["let r = 0..<|>", []]] as const) {
      const src = withCursor(base.replace("LINE", line));
      const w = await workspace({ "digits.ds": src.text }, false);
      const labels = w.completeAt("digits.ds", src.position).map((i) => i.label);
      if (expected.length === 0) expect(labels).not.toContain("x");
      else expect(labels.sort()).toEqual([...expected]);
    }
  });

  it("survives import cycles and alias cycles", async () => {
    const a = withCursor("use cyc_b::thing;\ntype A = B;\ntype B = A;\nfn f(x: A) { th<|>ing(); x.y; x.m(); A::new(); }\n");
    const w = await workspace({ "cyc_a.ds": a.text, "cyc_b.ds": "use cyc_a::thing;\n" }, false);
    expect(w.hoverAt("cyc_a.ds", a.position)).toBeNull();
    expect(w.tokens("cyc_a.ds").length).toBeGreaterThan(0);
    expect(w.completeAt("cyc_a.ds", { line: 3, character: 16 })).toBeDefined();
  });

  it("resolves locals in nested scopes, shadowing included", async () => {
    const src = withCursor("fn f(a: u64) -> u64 {\n    let a = a + 1;\n    match a { n => { let a = n; a<|> } }\n}\n");
    const w = await workspace({ "scopes.ds": src.text }, false);
    const loc = w.definitionAt("scopes.ds", src.position);
    expect(loc?.range.start).toEqual({ line: 2, character: 25 });
  });
});
