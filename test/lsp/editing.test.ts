/**
 * The editing requests, in-process through the server's pipeline and analysis model:
 * rename (with prepareRename's refusals, across open and unopened files, fields and enum
 * variants), quick fixes from the diagnostics' suggestions (each applied, then re-checked),
 * signature help, inlay hints, folding and selection ranges. Cursor positions are `<|>`.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";
import { CodeActionKind, ResponseError, type CodeAction, type Diagnostic as LspDiagnostic, type Position, type TextEdit, type WorkspaceEdit } from "vscode-languageserver/node.js";
import { DocumentPipeline } from "../../src/lsp/documents.js";
import { analyze } from "../../src/compiler/analyze.js";
import { semanticsOf } from "../../src/lsp/model-semantics.js";
import { prepareRename, rename } from "../../src/lsp/rename.js";
import { references } from "../../src/lsp/references.js";
import { codeActions } from "../../src/lsp/code-actions.js";
import { signatureHelp } from "../../src/lsp/signature-help.js";
import { inlayHints } from "../../src/lsp/inlay-hints.js";
import { foldingRanges } from "../../src/lsp/folding.js";
import { selectionRanges } from "../../src/lsp/selection-ranges.js";
import { withCursor } from "./lsp-client.js";

/**
 * A project on disk: every file is written, the `open` ones are also opened in the editor
 * (the others the analysis reads from disk through `mod`).
 */
async function project(files: Record<string, string>, open: readonly string[]) {
  const root = mkdtempSync(join(tmpdir(), "dplc-editing-"));
  const published = new Map<string, LspDiagnostic[]>();
  const pipeline = new DocumentPipeline({ check: { profile: "user", allBlocks: false }, debounceMs: 0, analyze }, (uri, _v, d) => published.set(uri, d));
  const uri = (n: string) => pathToFileURL(join(root, n)).href;
  for (const [n, t] of Object.entries(files)) writeFileSync(join(root, n), t);
  for (const n of open) pipeline.open(uri(n), "dpl", 1, files[n]!);
  await pipeline.flush();
  const ctx = (n: string) => {
    const doc = pipeline.get(uri(n))!;
    return { doc, sem: semanticsOf(pipeline, doc), model: pipeline.analysis(doc)!.model };
  };
  return {
    root,
    uri,
    pipeline,
    published,
    prepare: (n: string, p: Position) => {
      const c = ctx(n);
      return prepareRename(c.model, c.doc, c.sem, p);
    },
    rename: (n: string, p: Position, newName: string) => {
      const c = ctx(n);
      return rename(c.model, c.doc, c.sem, p, newName, pipeline);
    },
    signature: (n: string, p: Position) => {
      const c = ctx(n);
      return signatureHelp(c.model, c.doc, c.sem, p);
    },
    hints: (n: string) => {
      const c = ctx(n);
      return inlayHints(c.doc, c.sem, { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } });
    },
    /** The text of a file after the edit: the open buffer's or the disk's. */
    applied: (edit: WorkspaceEdit, n: string) => {
      const before = pipeline.get(uri(n))?.text.getText() ?? readFileSync(join(root, n), "utf8");
      return apply(before, edit.changes?.[uri(n)] ?? []);
    },
  };
}

function apply(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create("x", "dpl", 1, text), [...edits]);
}

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof ResponseError) return e.message;
    throw e;
  }
  throw new Error("expected a refusal");
}

/** Check a single file's text; its diagnostics as `CODE@line` (1-based). */
async function check(text: string, name = "fixed.ds"): Promise<string[]> {
  const w = await project({ [name]: text }, [name]);
  return (w.published.get(w.uri(name)) ?? []).map((d) => `${d.code}@${d.range.start.line + 1}`);
}

const GEOM = `/// A point on the grid.
pub struct Point { pub x: u64, pub y: u64 }
impl Point {
    pub fn norm1(&self) -> u64 { self.x + self.y }
}
pub enum Shape { Square(u64), Circle(u64) }
pub fn side(s: &Shape) -> u64 {
    match s { Shape::Square(a) => *a, Shape::Circle(r) => *r }
}
`;

describe("rename", () => {
  const MAIN = `mod geom;
use geom::{Point, Shape, side};
fn main() -> u64 {
    let x = 1;
    let p = Point { x, y: 2 };
    let Point { x: px, y } = p;
    let s = Shape::Square(3);
    p.x + px + y + side(&s) + p.norm1()
}
`;

  it("renames a field in open and unopened files, spelling out shorthands", async () => {
    const w = await project({ "main.ds": MAIN, "geom.ds": GEOM }, ["main.ds"]);
    const at = withCursor(MAIN.replace("p.x +", "p.<|>x +"));
    expect(w.prepare("main.ds", at.position)).toEqual({ range: { start: at.position, end: { line: at.position.line, character: at.position.character + 1 } }, placeholder: "x" });
    const edit = w.rename("main.ds", at.position, "east");
    const main = w.applied(edit, "main.ds");
    const geom = w.applied(edit, "geom.ds");
    expect(main).toContain("let p = Point { east: x, y: 2 };");
    expect(main).toContain("let Point { east: px, y } = p;");
    expect(main).toContain("p.east + px");
    expect(main).toContain("let x = 1;");
    expect(geom).toContain("pub struct Point { pub east: u64, pub y: u64 }");
    expect(geom).toContain("self.east + self.y");
    // The renamed program checks as cleanly as the original.
    const after = await project({ "main.ds": main, "geom.ds": geom }, ["main.ds", "geom.ds"]);
    expect([...after.published.values()].flat()).toEqual([]);
  });

  it("renames an enum variant everywhere it is built and matched", async () => {
    const w = await project({ "main.ds": MAIN, "geom.ds": GEOM }, ["main.ds", "geom.ds"]);
    const at = withCursor(MAIN.replace("Shape::Square(3)", "Shape::Sq<|>uare(3)"));
    const edit = w.rename("main.ds", at.position, "Box");
    expect(w.applied(edit, "main.ds")).toContain("Shape::Box(3)");
    const geom = w.applied(edit, "geom.ds");
    expect(geom).toContain("pub enum Shape { Box(u64), Circle(u64) }");
    expect(geom).toContain("Shape::Box(a) => *a");
  });

  it("renames a local used as a shorthand field by spelling the field out", async () => {
    const w = await project({ "main.ds": MAIN, "geom.ds": GEOM }, ["main.ds"]);
    const at = withCursor(MAIN.replace("let x = 1;", "let <|>x = 1;"));
    const main = w.applied(w.rename("main.ds", at.position, "first"), "main.ds");
    expect(main).toContain("let first = 1;");
    expect(main).toContain("Point { x: first, y: 2 }");
    expect(main).toContain("p.x + px");
  });

  it("renames a function from its declaration and a method from a call", async () => {
    const w = await project({ "main.ds": MAIN, "geom.ds": GEOM }, ["main.ds", "geom.ds"]);
    const decl = withCursor(GEOM.replace("pub fn side", "pub fn si<|>de"));
    const edit = w.rename("geom.ds", decl.position, "edge");
    expect(w.applied(edit, "main.ds")).toContain("use geom::{Point, Shape, edge};");
    expect(w.applied(edit, "main.ds")).toContain("edge(&s)");
    const call = withCursor(MAIN.replace("p.norm1()", "p.no<|>rm1()"));
    expect(w.applied(w.rename("main.ds", call.position, "taxicab"), "geom.ds")).toContain("pub fn taxicab(&self)");
  });

  it("renames a trait method together with its implementations and calls", async () => {
    const src = `trait Area { fn area(&self) -> u64; }
struct Sq { s: u64 }
impl Area for Sq { fn area(&self) -> u64 { self.s * self.s } }
impl Clone for Sq { fn clone(&self) -> Sq { Sq { s: self.s } } }
fn total<T: Area>(x: &T) -> u64 { x.area() }
fn main() -> u64 { let q = Sq { s: 2 }; q.area() + total(&q) + q.clone().s }
`;
    const w = await project({ "t.ds": src }, ["t.ds"]);
    const call = withCursor(src.replace("q.area() +", "q.ar<|>ea() +"));
    const renamed = w.applied(w.rename("t.ds", call.position, "surface"), "t.ds");
    expect(renamed).toContain("trait Area { fn surface(&self) -> u64; }");
    expect(renamed).toContain("impl Area for Sq { fn surface(&self) -> u64");
    expect(renamed).toContain("{ x.surface() }");
    expect(renamed).toContain("q.surface() + total(&q)");
    const clone = withCursor(src.replace("fn clone(&self)", "fn cl<|>one(&self)"));
    expect(refusal(() => w.prepare("t.ds", clone.position))).toMatch(/standard library's trait `Clone`/);
  });

  it("edits exactly where references point, in open files and in files only the analysis read from disk", async () => {
    const w = await project({ "main.ds": MAIN, "geom.ds": GEOM }, ["main.ds"]);
    const at = withCursor(MAIN.replace("p.norm1()", "p.no<|>rm1()"));
    const doc = w.pipeline.get(w.uri("main.ds"))!;
    const found = references(w.pipeline, doc, semanticsOf(w.pipeline, doc), at.position, true).map((l) => `${l.uri}:${l.range.start.line}:${l.range.start.character}`);
    const edit = w.rename("main.ds", at.position, "taxicab");
    const edited = Object.entries(edit.changes ?? {}).flatMap(([uri, edits]) => edits.map((e) => `${uri}:${e.range.start.line}:${e.range.start.character}`));
    expect(found.sort()).toEqual(edited.sort());
    // geom.ds is not in the pipeline: the analysis read it through `mod geom;`.
    expect(w.pipeline.get(w.uri("geom.ds"))).toBeUndefined();
    expect(found.filter((l) => l.startsWith(w.uri("geom.ds")))).toHaveLength(1);
  });

  it("refuses keywords, builtins, the stdlib and names that are not identifiers", async () => {
    const src = `struct W { n: u64 }
impl W {
    fn get(&self) -> Option<u64> { Some(self.n) }
}
fn main() { let s = String::from("a"); }
`;
    const w = await project({ "r.ds": src }, ["r.ds"]);
    const pos = (marked: string) => withCursor(marked).position;
    expect(refusal(() => w.prepare("r.ds", pos(src.replace("Option<u64>", "Opt<|>ion<u64>"))))).toMatch(/`Option` is declared in the standard library/);
    expect(refusal(() => w.prepare("r.ds", pos(src.replace("Some(self", "So<|>me(self"))))).toMatch(/`Some` is (built in|declared in the standard library)/);
    expect(refusal(() => w.prepare("r.ds", pos(src.replace("String::from", "String::fr<|>om"))))).toMatch(/`from` is (built in|declared in the standard library)/);
    expect(refusal(() => w.prepare("r.ds", pos(src.replace("Some(self.n", "Some(se<|>lf.n"))))).toMatch(/keyword/);
    expect(refusal(() => w.prepare("r.ds", pos(src.replace("n: u64", "n: u6<|>4"))))).toMatch(/built into the language/);
    expect(refusal(() => w.prepare("r.ds", pos(src.replace("fn main() {", "fn main() {<|>"))))).toMatch(/nothing to rename/);
    const field = pos(src.replace("n: u64", "<|>n: u64"));
    expect(refusal(() => w.rename("r.ds", field, "fn"))).toMatch(/keyword/);
    expect(refusal(() => w.rename("r.ds", field, "1n"))).toMatch(/not an identifier/);
    expect(w.applied(w.rename("r.ds", field, "count"), "r.ds")).toContain("Some(self.count)");
  });
});

describe("quick fixes", () => {
  /** Open `src`, take the quick fixes for `code`, apply the one titled like `title`, re-check. */
  async function fix(src: string, code: string, title: RegExp, files: Record<string, string> = {}) {
    const w = await project({ ...files, "main.ds": src }, ["main.ds"]);
    const diags = w.published.get(w.uri("main.ds")) ?? [];
    const d = diags.find((x) => x.code === code);
    expect(d, `a ${code} among ${JSON.stringify(diags.map((x) => x.code))}`).toBeDefined();
    const actions = codeActions({ textDocument: { uri: w.uri("main.ds") }, range: d!.range, context: { diagnostics: [d!] } }, diags) as CodeAction[];
    const action = actions.find((a) => title.test(a.title));
    expect(action, `a fix like ${title} among ${JSON.stringify(actions.map((a) => a.title))}`).toBeDefined();
    expect(action!.kind).toBe(CodeActionKind.QuickFix);
    const fixed = apply(src, action!.edit!.changes![w.uri("main.ds")]!);
    const after = await project({ ...files, "main.ds": fixed }, ["main.ds"]);
    return { fixed, action: action!, after: (after.published.get(after.uri("main.ds")) ?? []).map((x) => x.code) };
  }

  it("prefixes an unused binding with `_`", async () => {
    const r = await fix("fn main() {\n    let count = 3;\n}\n", "DPL8002", /prefix with `_`/);
    expect(r.fixed).toContain("let _count = 3;");
    expect(r.action.isPreferred).toBe(true);
    expect(r.after).toEqual([]);
  });

  it("keeps the field of a shorthand pattern when prefixing its binding", async () => {
    const r = await fix("struct P { x: u64, y: u64 }\nfn main() -> u64 {\n    let P { x, y } = P { x: 1, y: 2 };\n    y\n}\n", "DPL8002", /prefix with `_`/);
    expect(r.fixed).toContain("let P { x: _x, y } = P { x: 1, y: 2 };");
    expect(r.after).toEqual([]);
  });

  it("adds `&` and `&mut` where a reference is expected, with parentheses when needed", async () => {
    const src = "fn f(v: &u64) -> u64 { *v }\nfn g(v: &mut u64) { *v = 1; }\nfn main() -> u64 {\n    let mut n: u64 = 4;\n    g(n);\n    f(n + 1)\n}\n";
    const a = await fix(src, "DPL2003", /borrow mutably/);
    expect(a.fixed).toContain("g(&mut n);");
    const b = await fix(a.fixed, "DPL2003", /borrow/);
    expect(b.fixed).toContain("f(&(n + 1))");
    expect(b.after).toEqual([]);
  });

  it("adds the missing match arms", async () => {
    const src = "enum Light { Red, Yellow, Green }\nfn f(l: Light) -> u64 {\n    match l {\n        Light::Red => 1,\n    }\n}\n";
    const r = await fix(src, "DPL2006", /missing arms/);
    expect(r.fixed).toContain("        Light::Red => 1,\n        Light::Yellow => todo!(),\n        Light::Green => todo!(),\n    }");
    expect(r.after).toEqual([]);
  });

  it("declares a reassigned binding `mut`", async () => {
    const r = await fix("fn main() -> u64 {\n    let x = 1;\n    x = 2;\n    x\n}\n", "DPL2007", /mutable/);
    expect(r.fixed).toContain("let mut x = 1;");
    expect(r.after).toEqual([]);
  });

  it("replaces a misspelt name with the one it resembles", async () => {
    const r = await fix("fn length(a: u64) -> u64 { a }\nfn main() -> u64 { lenght(3) }\n", "DPL2001", /replace with `length`/);
    expect(r.fixed).toContain("fn main() -> u64 { length(3) }");
    expect(r.after).toEqual([]);
  });

  it("imports a name that another module declares", async () => {
    const r = await fix("mod geom;\n\nfn main() -> u64 {\n    let p = Point { x: 1, y: 2 };\n    p.x\n}\n", "DPL2001", /import `crate::geom::Point`/, { "geom.ds": GEOM });
    expect(r.fixed.startsWith("use crate::geom::Point;\nmod geom;\n")).toBe(true);
    expect(r.after).toEqual([]);
  });

  it("adds the capability parameter a `@capability(required)` function lacks", async () => {
    const r = await fix("@capability(required)\nfn submit(n: u64) -> u64 { n }\n", "DPL5001", /add the parameter `cap: CapabilityHandle`/);
    expect(r.fixed).toContain("fn submit(n: u64, cap: CapabilityHandle) -> u64");
    expect(r.after.filter((c) => c === "DPL5001")).toEqual([]);
  });

  it("offers nothing when the client asks only for other kinds, and uses the server's copy when `data` is dropped", async () => {
    const w = await project({ "main.ds": "fn main() {\n    let count = 3;\n}\n" }, ["main.ds"]);
    const diags = w.published.get(w.uri("main.ds"))!;
    const bare = diags.map(({ data: _data, ...d }) => d);
    const params = (only?: string[]) => ({ textDocument: { uri: w.uri("main.ds") }, range: bare[0]!.range, context: { diagnostics: bare, ...(only ? { only } : {}) } });
    expect(codeActions(params([CodeActionKind.Refactor]), diags)).toEqual([]);
    expect(codeActions(params(), diags).map((a) => a.title)).toEqual(["prefix with `_`: `_count`"]);
  });
});

describe("signature help", () => {
  const SRC = `struct Acc { total: u64 }
impl Acc {
    /// Adds \`n\` times \`k\`.
    fn add(&mut self, n: u64, k: u64) { self.total = self.total + n * k; }
}
/// The larger of two.
fn max2(a: u64, b: u64) -> u64 { if a > b { a } else { b } }
fn main() -> u64 {
    let mut acc = Acc { total: 0 };
    acc.add(1, 2);
    max2(acc.total, 3)
}
`;

  it("shows a function's parameters and the one being typed", async () => {
    const at = withCursor(SRC.replace("max2(acc.total, 3)", "max2(acc.total, <|>3)"));
    const w = await project({ "s.ds": at.text }, ["s.ds"]);
    const h = w.signature("s.ds", at.position)!;
    expect(h.signatures[0]!.label).toBe("fn max2(a: u64, b: u64) -> u64");
    expect(h.activeParameter).toBe(1);
    expect(h.signatures[0]!.documentation).toEqual({ kind: "markdown", value: "The larger of two." });
  });

  it("leaves out a method's receiver", async () => {
    const at = withCursor(SRC.replace("acc.add(1, 2)", "acc.add(<|>1, 2)"));
    const w = await project({ "s.ds": at.text }, ["s.ds"]);
    const h = w.signature("s.ds", at.position)!;
    expect(h.signatures[0]!.label).toBe("fn add(n: u64, k: u64) -> ()");
    expect(h.activeParameter).toBe(0);
  });

  it("answers for a call still being typed, after the last check", async () => {
    const w = await project({ "s.ds": SRC }, ["s.ds"]);
    const edited = withCursor(SRC.replace("    max2(acc.total, 3)\n", "    let m = max2(acc.total, <|>\n    max2(acc.total, 3)\n"));
    w.pipeline.change(w.uri("s.ds"), 2, [{ text: edited.text }]);
    const h = w.signature("s.ds", edited.position)!;
    expect(h.signatures[0]!.label).toBe("fn max2(a: u64, b: u64) -> u64");
    expect(h.activeParameter).toBe(1);
    expect(w.signature("s.ds", withCursor(SRC.replace("fn main() -> u64 {", "fn main() -> u64 {<|>")).position)).toBeNull();
  });
});

describe("inlay hints", () => {
  it("shows inferred types with their domain where none is written", async () => {
    const src = `@domain(Q)
@noncopy
struct QState { ... }
fn pass<T>(x: T) -> T { x }
@domain(Q)
fn keep(s: QState) -> QState {
    let t = pass(s);
    t
}
fn main() -> u64 {
    let written: u64 = 1;
    let v = vec![1u64, 2];
    let mut total = 0u64;
    for k in v { total = total + k; }
    let twice = |n| n * 2u64;
    twice(total) + written
}
`;
    const w = await project({ "h.ds": src }, ["h.ds"]);
    const shown = w.hints("h.ds").map((h) => `${src.split("\n")[h.position.line]!.slice(0, h.position.character).trim()}⟨${h.label as string}⟩`);
    expect(shown).toEqual([
      "let t⟨: QState @Q⟩",
      "let v⟨: Vec<u64> @K⟩",
      "let mut total⟨: u64 @K⟩",
      "for k⟨: u64 @K⟩",
      "let twice⟨: fn(u64) -> u64 @K⟩",
      "let twice = |n⟨: u64 @K⟩",
    ]);
  });
});

describe("folding and selection ranges", () => {
  const SRC = `//! A module.
//! Two lines of docs.
use a::b;
use a::c;

fn main() {
    let v = [
        1,
        2,
    ];
    match v[0] {
        1 => {
            call();
        }
        _ => {}
    }
}
`;

  it("folds items, blocks, literals, import runs and comment runs", async () => {
    const w = await project({ "f.ds": SRC }, ["f.ds"]);
    const folds = foldingRanges(w.pipeline.get(w.uri("f.ds"))!);
    expect(folds).toEqual([
      { startLine: 0, endLine: 1, kind: "comment" },
      { startLine: 2, endLine: 3, kind: "imports" },
      { startLine: 5, endLine: 15 },
      { startLine: 6, endLine: 8 },
      { startLine: 10, endLine: 14 },
      { startLine: 11, endLine: 12 },
    ]);
  });

  it("expands from the name under the cursor to the whole document", async () => {
    const at = withCursor(SRC.replace("call();", "ca<|>ll();"));
    const w = await project({ "f.ds": at.text }, ["f.ds"]);
    const [r] = selectionRanges(w.pipeline.get(w.uri("f.ds"))!, [at.position]);
    const chain: string[] = [];
    const lines = at.text.split("\n");
    for (let x: typeof r | undefined = r; x; x = x.parent) {
      const { start, end } = x.range;
      chain.push(start.line === end.line ? lines[start.line]!.slice(start.character, end.character) : `${start.line}-${end.line}`);
    }
    expect(chain.slice(0, 3)).toEqual(["call", "call()", "call();"]);
    expect(chain[chain.length - 1]).toBe(`0-${lines.length - 1}`);
    // Each step contains the one before it.
    for (let x: typeof r | undefined = r; x?.parent; x = x.parent) {
      const inner = x.range;
      const outer = x.parent.range;
      const le = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
      expect(le(outer.start, inner.start) && le(inner.end, outer.end)).toBe(true);
    }
  });
});
