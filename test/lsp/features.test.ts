/**
 * Editor features in-process, through the same pipeline and analysis model the server
 * uses: nothing before the first analysis, the model's answers once it has run, across
 * open and unopened files and into the stdlib.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Hover, Position } from "vscode-languageserver/node.js";
import { DocumentPipeline } from "../../src/lsp/documents.js";
import { analyze } from "../../src/compiler/analyze.js";
import { semanticsOf } from "../../src/lsp/model-semantics.js";
import { hover } from "../../src/lsp/hover.js";
import { definition } from "../../src/lsp/definition.js";
import { completion } from "../../src/lsp/completion.js";
import { documentSymbols } from "../../src/lsp/symbols.js";
import { decodeTokens, semanticTokens } from "../../src/lsp/semantic-tokens.js";
import { withCursor } from "./lsp-client.js";

const dir = mkdtempSync(join(tmpdir(), "dplc-features-"));

async function workspace(files: Record<string, string>, check = true) {
  const pipeline = new DocumentPipeline({ check: { profile: "user", allBlocks: false }, debounceMs: 0, analyze }, () => undefined);
  const uris: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) {
    uris[name] = pathToFileURL(join(dir, name)).href;
    pipeline.open(uris[name]!, name.endsWith(".md") ? "markdown" : "dpl", 1, text);
  }
  if (check) await pipeline.flush();
  const source = { forDocument: (d: ReturnType<typeof pipeline.get> & object) => semanticsOf(pipeline, d) };
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

  it("hovers and completion know trait objects (`dyn Trait`)", async () => {
    const DYN = `trait Named { fn name(&self) -> u64; }
trait Shape: Named { fn area(&self) -> u64; }
struct Sq { s: u64 }
impl Named for Sq { fn name(&self) -> u64 { 1 } }
impl Shape for Sq { fn area(&self) -> u64 { self.s * self.s } }
fn main() -> u64 {
    let b: Box<dyn Shape> = Box::new(Sq { s: 2 });
    let r = &b;
    r.area()
}
`;
    const src = withCursor(DYN.replace("let r =", "let <|>r ="));
    const w = await workspace({ "dyn.ds": src.text });
    expect(text(w.hoverAt("dyn.ds", src.position))).toContain("let r: &dyn Shape");
    const dot = withCursor(DYN.replace("    r.area()", "    r.<|>\n    r.area()"));
    const w2 = await workspace({ "dyn2.ds": dot.text });
    const labels = w2.completeAt("dyn2.ds", dot.position).map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(["area", "name"]));
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

describe("across files and scopes", () => {
  it("goes to a definition in another open file", async () => {
    const use = withCursor("mod helpers;\nuse helpers::double;\nfn main() -> u64 { dou<|>ble(2) }\n");
    const w = await workspace({ "helpers.ds": "/// Twice the input.\npub fn double(n: u64) -> u64 { n * 2 }\n", "user.ds": use.text });
    const loc = w.definitionAt("user.ds", use.position);
    expect(loc?.uri).toBe(w.uris["helpers.ds"]);
    expect(loc?.range.start).toEqual({ line: 1, character: 7 });
    expect(text(w.hoverAt("user.ds", use.position))).toContain("Twice the input.");
  });

  it("completes enum variants after `::` and offers nothing in Markdown prose", async () => {
    const src = withCursor("enum Color { Red, Green }\nfn f() { let c = Color::<|> }\n");
    const w = await workspace({ "enum.ds": src.text, "doc.md": "Prose about things.\n\n```dust\nfn g() {}\n```\n" });
    expect(w.completeAt("enum.ds", src.position).map((i) => i.label)).toEqual(["Red", "Green"]);
    expect(w.completeAt("doc.md", { line: 0, character: 5 })).toEqual([]);
    expect(w.completeAt("doc.md", { line: 3, character: 0 }).map((i) => i.label)).toContain("g");
  });

  it("lists enum variants, trait members and inline modules as symbols", async () => {
    const src = "enum E { A, B(u64) }\ntrait T { fn t(&self); }\nmod inner { pub fn f() {} }\n";
    const w = await workspace({ "syms.ds": src });
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
      const w = await workspace({ "digits.ds": src.text });
      const labels = w.completeAt("digits.ds", src.position).map((i) => i.label);
      if (expected.length === 0) expect(labels).not.toContain("x");
      else expect(labels.sort()).toEqual([...expected]);
    }
  });

  it("survives import cycles and alias cycles", async () => {
    const a = withCursor("use cyc_b::thing;\ntype A = B;\ntype B = A;\nfn f(x: A) { th<|>ing(); x.y; x.m(); A::new(); }\n");
    const w = await workspace({ "cyc_a.ds": a.text, "cyc_b.ds": "use cyc_a::thing;\n" });
    expect(w.hoverAt("cyc_a.ds", a.position)).toBeNull();
    expect(w.tokens("cyc_a.ds").length).toBeGreaterThan(0);
    expect(w.completeAt("cyc_a.ds", { line: 3, character: 16 })).toBeDefined();
  });

  it("resolves locals in nested scopes, shadowing included", async () => {
    const src = withCursor("fn f(a: u64) -> u64 {\n    let a = a + 1;\n    match a { n => { let a = n; a<|> } }\n}\n");
    const w = await workspace({ "scopes.ds": src.text });
    const loc = w.definitionAt("scopes.ds", src.position);
    expect(loc?.range.start).toEqual({ line: 2, character: 25 });
  });
});

/**
 * A three-file project on disk: the answers for the one open file are the same whether
 * the files that define its names are open or only on disk (the analysis reads them).
 */
describe("a three-file project, one file open or all open", () => {
  const MAIN = `mod geom;
mod shapes;
use geom::Point;
use shapes::{Shape, describe};
fn main() -> u64 {
    let p = Point { x: 1, y: 2 };
    let s = Shape::Square(3);
    let name = describe(&s);
    p.x + p.norm1() + s.area() + name.len() as u64
}
`;
  const GEOM = `/// A point on the grid.
pub struct Point { pub x: u64, pub y: u64 }
impl Point {
    /// Taxicab length.
    pub fn norm1(&self) -> u64 { self.x + self.y }
}
`;
  const SHAPES = `pub enum Shape { Square(u64), Circle(u64) }
impl Shape {
    pub fn area(&self) -> u64 {
        match self { Shape::Square(s) => s * s, Shape::Circle(r) => 3 * r * r }
    }
}
pub fn describe(s: &Shape) -> String { match s { Shape::Square(_) => String::from("square"), Shape::Circle(_) => String::from("circle") } }
`;

  async function project(openAll: boolean) {
    const root = mkdtempSync(join(tmpdir(), "dplc-three-"));
    writeFileSync(join(root, "main.ds"), MAIN);
    writeFileSync(join(root, "geom.ds"), GEOM);
    writeFileSync(join(root, "shapes.ds"), SHAPES);
    const pipeline = new DocumentPipeline({ check: { profile: "user", allBlocks: false }, debounceMs: 0, analyze }, () => undefined);
    const uri = (n: string) => pathToFileURL(join(root, n)).href;
    for (const n of openAll ? ["main.ds", "geom.ds", "shapes.ds"] : ["main.ds"]) pipeline.open(uri(n), "dpl", 1, readFileSync(join(root, n), "utf8"));
    await pipeline.flush();
    const doc = pipeline.get(uri("main.ds"))!;
    const sem = semanticsOf(pipeline, doc);
    const at = (needle: string, delta = 0): Position => {
      const i = MAIN.indexOf(needle) + delta;
      const before = MAIN.slice(0, i);
      return { line: before.split("\n").length - 1, character: i - (before.lastIndexOf("\n") + 1) };
    };
    const answers: Record<string, unknown> = {};
    for (const [what, pos] of [
      ["Point in a struct literal", at("Point {", 1)],
      ["x in a struct literal", at("x: 1")],
      ["Shape::Square", at("Square(3)", 2)],
      ["Shape in a path", at("Shape::Square", 1)],
      ["describe in a use list", at("describe}", 2)],
      ["norm1", at("norm1()", 2)],
      ["area", at("area()", 1)],
      ["name.len", at("len()", 1)],
      ["geom in mod", at("geom;", 1)],
    ] as const) {
      const h = hover(doc, sem, pos);
      const d = definition(doc, sem, pos, pipeline);
      answers[what] = { hover: h ? (h.contents as { value: string }).value : null, definition: d ? { path: fileURLToPath(d.uri), range: d.range } : null };
    }
    answers["tokens"] = decodeTokens(semanticTokens(doc, sem).data);
    // Completion after `p.`, `name.`, `geom::` and `Shape::`, typed on a new line.
    const complete = (line: string): string[] => {
      const edited = withCursor(MAIN.replace("    p.x + p.norm1()", `    ${line}\n    p.x + p.norm1()`));
      pipeline.change(doc.uri, ++version, [{ text: edited.text }]);
      const items = completion(doc, semanticsOf(pipeline, doc), edited.position, { snippets: false }).map((i) => i.label).sort();
      pipeline.change(doc.uri, ++version, [{ text: MAIN }]);
      return items;
    };
    let version = 1;
    answers["complete p."] = complete("p.<|>");
    answers["complete name."] = complete("name.<|>");
    answers["complete geom::"] = complete("let q = geom::<|>");
    answers["complete Shape::"] = complete("let t = Shape::<|>");
    return { root, answers };
  }

  it("gives the same hover, definition, completion and tokens", async () => {
    const one = await project(false);
    const all = await project(true);
    const norm = (r: { root: string; answers: Record<string, unknown> }) => JSON.parse(JSON.stringify(r.answers).split(r.root).join("<root>"));
    expect(norm(one)).toEqual(norm(all));
    const a = norm(one) as Record<string, { hover: string | null; definition: { path: string } | null } & string[]>;
    // And the answers are the real ones, not the same nothing twice.
    expect(a["Point in a struct literal"]!.hover).toContain("A point on the grid.");
    expect(a["Point in a struct literal"]!.definition!.path).toBe("<root>/geom.ds");
    expect(a["x in a struct literal"]!.definition!.path).toBe("<root>/geom.ds");
    expect(a["Shape::Square"]!.definition!.path).toBe("<root>/shapes.ds");
    expect(a["describe in a use list"]!.definition!.path).toBe("<root>/shapes.ds");
    expect(a["norm1"]!.hover).toContain("Taxicab length.");
    expect(a["name.len"]!.hover).toContain("usize");
    expect(a["geom in mod"]!.definition!.path).toBe("<root>/geom.ds");
    expect(a["complete p."]).toEqual(["norm1", "x", "y"]);
    expect(a["complete name."]).toEqual(expect.arrayContaining(["len", "push_str", "contains"]));
    expect(a["complete geom::"]).toEqual(["Point"]);
    expect(a["complete Shape::"]).toEqual(expect.arrayContaining(["Circle", "Square", "area"]));
    expect((norm(one).tokens as unknown[]).length).toBeGreaterThan(20);
  });
});
