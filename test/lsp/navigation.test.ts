/**
 * Cross-file navigation in-process, on workspaces whose files are mostly not open (loaded
 * from disk as the workspace model does): references (across files and into the stdlib),
 * document highlight, workspace symbols, type definition, implementation, call hierarchy.
 * Each case marks the cursor with `<|>`.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CallHierarchyIncomingCall, Location, Position, Range } from "vscode-languageserver/node.js";
import { DocumentPipeline } from "../../src/lsp/documents.js";
import { analyze } from "../../src/compiler/analyze.js";
import { semanticsOf } from "../../src/lsp/model-semantics.js";
import { documentHighlights, references } from "../../src/lsp/references.js";
import { fuzzyMatch, implementations, incomingCalls, outgoingCalls, prepareCallHierarchy, typeDefinition, workspaceSymbols } from "../../src/lsp/navigation.js";
import { CURSOR, withCursor } from "./lsp-client.js";
import { LEFT, MAIN, RIGHT, writeProject } from "./project-fixture.js";
import { STDLIB_ROOT as STDLIB } from "../../src/workspace/stdlib.js";

/**
 * A workspace on disk: `files` (one of them with the `<|>` marker) written to a fresh
 * folder and loaded as unopened workspace files; those named in `open` opened as buffers.
 */
async function workspace(files: Record<string, string>, open: readonly string[] = []) {
  let cursor: { file: string; position: Position } | null = null;
  const texts: Record<string, string> = {};
  for (const [name, marked] of Object.entries(files)) {
    let text = marked;
    if (marked.includes(CURSOR)) {
      const c = withCursor(marked);
      text = c.text;
      cursor = { file: name, position: c.position };
    }
    texts[name] = text;
  }
  const { root, uri } = writeProject(texts, "dplc-nav-");
  const pipeline = new DocumentPipeline({ check: { profile: "user", allBlocks: false }, debounceMs: 0, analyze }, () => undefined);
  pipeline.loadAll(Object.keys(files).map((n) => ({ uri: uri(n), text: texts[n]! })));
  for (const n of open) pipeline.open(uri(n), "dpl", 1, texts[n]!);
  await pipeline.flush();
  const at = () => {
    if (!cursor) throw new Error("no <|> in the files");
    const doc = pipeline.get(uri(cursor.file))!;
    return { doc, sem: semanticsOf(pipeline, doc), position: cursor.position };
  };
  /** A location as `file:line:col-col` (1-based), relative to the workspace, the text it covers last. */
  const show = (l: { uri: string; range: Range }): string => {
    const path = fileURLToPath(l.uri);
    const name = path.startsWith(root) ? relative(root, path) : path.includes("/stdlib/") ? `<stdlib>/${path.slice(path.lastIndexOf("/stdlib/") + 8)}` : path;
    const text = texts[name]?.split("\n")[l.range.start.line]?.slice(l.range.start.character, l.range.end.character);
    return `${name}:${l.range.start.line + 1}:${l.range.start.character + 1}-${l.range.end.character + 1}${text !== undefined ? ` ${text}` : ""}`;
  };
  return { root, pipeline, uri, at, show };
}


describe("references", () => {
  it("finds the uses of a function in files that are not open, declaration on request", async () => {
    const w = await workspace({ "main.ds": MAIN, "left.ds": LEFT, "right.ds": RIGHT.replace("fn r_base", `fn r_${CURSOR}base`) });
    const { doc, sem, position } = w.at();
    const withDecl = references(w.pipeline, doc, sem, position, true).map(w.show);
    expect(withDecl).toEqual(["left.ds:1:19-25 r_base", "left.ds:3:5-11 r_base", "left.ds:3:16-22 r_base", "main.ds:4:24-30 r_base", "right.ds:1:8-14 r_base"]);
    const without = references(w.pipeline, doc, sem, position, false).map(w.show);
    expect(without).toEqual(withDecl.filter((l) => !l.startsWith("right.ds")));
  });

  it("from a use in one file finds the same set as from the declaration", async () => {
    const w = await workspace({ "main.ds": MAIN, "left.ds": LEFT.replace("    r_base() +", `    r_b${CURSOR}ase() +`), "right.ds": RIGHT }, ["left.ds"]);
    const { doc, sem, position } = w.at();
    expect(references(w.pipeline, doc, sem, position, true).map(w.show)).toHaveLength(5);
  });

  it("finds fields and enum variants across files", async () => {
    const w = await workspace({
      "main.ds": `mod geom;\nuse geom::{Point, Dir};\nfn main() -> u64 {\n    let p = Point { x: 1, y: 2 };\n    let d = Dir::North;\n    match d { Dir::North => p.x, Dir::South => p.y }\n}\n`,
      "geom.ds": `pub struct Point { pub ${CURSOR}x: u64, pub y: u64 }\npub enum Dir { North, South }\npub fn first(p: &Point) -> u64 { p.x }\n`,
    });
    const { doc, sem, position } = w.at();
    expect(references(w.pipeline, doc, sem, position, true).map(w.show)).toEqual(["geom.ds:1:24-25 x", "geom.ds:3:36-37 x", "main.ds:4:21-22 x", "main.ds:6:31-32 x"]);
    const v = await workspace({
      "main.ds": `mod geom;\nuse geom::Dir;\nfn main() -> u64 {\n    let d = Dir::North;\n    match d { Dir::No${CURSOR}rth => 1, Dir::South => 2 }\n}\n`,
      "geom.ds": `pub enum Dir { North, South }\npub fn north() -> Dir { Dir::North }\n`,
    });
    const c = v.at();
    expect(references(v.pipeline, c.doc, c.sem, c.position, true).map(v.show)).toEqual(["geom.ds:1:16-21 North", "geom.ds:2:30-35 North", "main.ds:4:18-23 North", "main.ds:5:20-25 North"]);
  });

  it("finds the uses of a stdlib item in the workspace and in the stdlib itself", async () => {
    const w = await workspace({ "main.ds": `fn main() -> u64 {\n    let a: Option<u64> = Some(1);\n    let b = So${CURSOR}me(2);\n    a.unwrap() + b.unwrap()\n}\n` });
    const { doc, sem, position } = w.at();
    const found = references(w.pipeline, doc, sem, position, true).map(w.show);
    expect(found).toContain("main.ds:2:26-30 Some");
    expect(found).toContain("main.ds:3:13-17 Some");
    // The declaration and other uses are in the stdlib's files, opened by real path.
    const inStdlib = found.filter((l) => l.startsWith("<stdlib>/"));
    expect(inStdlib.length).toBeGreaterThan(1);
    const locations = references(w.pipeline, doc, sem, position, true) as Location[];
    for (const l of locations.filter((x) => x.uri.includes("/stdlib/"))) expect(fileURLToPath(l.uri)).toMatch(/\/stdlib\/.+\.ds$/);
  });

  it("keeps a local to its own function", async () => {
    const w = await workspace({ "a.ds": `fn f() -> u64 {\n    let ${CURSOR}n = 1;\n    n + n\n}\nfn g() -> u64 {\n    let n = 2;\n    n\n}\n` });
    const { doc, sem, position } = w.at();
    expect(references(w.pipeline, doc, sem, position, true).map(w.show)).toEqual(["a.ds:2:9-10 n", "a.ds:3:5-6 n", "a.ds:3:9-10 n"]);
  });
});

describe("document highlight", () => {
  it("marks the declaration as a write and the uses as reads, in this document only", async () => {
    const w = await workspace({ "main.ds": MAIN, "left.ds": LEFT.replace("use crate::right::r_base;", `use crate::right::r_${CURSOR}base;`), "right.ds": RIGHT }, ["left.ds"]);
    const { doc, sem, position } = w.at();
    const hl = documentHighlights(doc, sem, position);
    expect(hl.map((h) => [h.range.start.line, h.range.start.character, h.kind])).toEqual([
      [0, 18, 2],
      [2, 4, 2],
      [2, 15, 2],
    ]);
    const local = await workspace({ "a.ds": `fn f() -> u64 {\n    let mut ${CURSOR}n = 1;\n    n = n + 1;\n    n\n}\n` });
    const l = local.at();
    expect(documentHighlights(l.doc, l.sem, l.position).map((h) => [h.range.start.line, h.kind])).toEqual([
      [1, 3],
      [2, 2],
      [2, 2],
      [3, 2],
    ]);
  });
});

describe("workspace symbols", () => {
  it("lists matching items of unopened files, with their containers", async () => {
    const w = await workspace({ "main.ds": MAIN, "left.ds": LEFT, "right.ds": RIGHT, "shapes.ds": `pub struct Rect { pub w: u64 }\nimpl Rect {\n    pub fn r_area(&self) -> u64 { self.w }\n}\n` });
    const found = workspaceSymbols(w.pipeline, "rba").map((s) => `${w.show(s.location)} ${s.containerName ?? ""}`.trim());
    expect(found).toEqual(["right.ds:1:8-14 r_base"]);
    const area = workspaceSymbols(w.pipeline, "r_ar").map((s) => [s.name, s.containerName]);
    expect(area).toEqual([["r_area", "impl Rect"]]);
    expect(workspaceSymbols(w.pipeline, "").length).toBeGreaterThanOrEqual(6);
  });

  it("matches the query's characters in order, ignoring case", () => {
    expect(fuzzyMatch("rb", "r_base")).toBe(true);
    expect(fuzzyMatch("RB", "r_base")).toBe(true);
    expect(fuzzyMatch("br", "r_base")).toBe(false);
    expect(fuzzyMatch("", "x")).toBe(true);
  });
});

const GEOM = `pub struct Point { pub x: u64, pub y: u64 }
pub trait Area {
    fn area(&self) -> u64;
}
impl Area for Point {
    fn area(&self) -> u64 { self.x * self.y }
}
impl Point {
    pub fn new(x: u64, y: u64) -> Point { Point { x: x, y: y } }
}
`;

describe("type definition and implementation", () => {
  it("goes from a value to the declaration of its type, in another file", async () => {
    const w = await workspace({ "main.ds": `mod geom;\nuse geom::Point;\nfn main() -> u64 {\n    let p = Point::new(1, 2);\n    let q = &p;\n    ${CURSOR}q.x\n}\n`, "geom.ds": GEOM }, ["main.ds"]);
    const { doc, sem, position } = w.at();
    const loc = typeDefinition(w.pipeline, doc, sem, position);
    expect(loc && w.show(loc)).toBe("geom.ds:1:12-17 Point");
  });

  const SHAPES = `use crate::geom::Area;\npub struct Square { pub s: u64 }\nimpl Area for Square {\n    fn area(&self) -> u64 { self.s * self.s }\n}\n`;
  const MAIN2 = `mod geom;\nmod shapes;\nfn main() -> u64 {\n    0\n}\n`;

  it("lists the impls of a trait across files", async () => {
    const w = await workspace({ "main.ds": MAIN2, "geom.ds": GEOM.replace("pub trait Area", `pub trait Ar${CURSOR}ea`), "shapes.ds": SHAPES });
    const { doc, sem, position } = w.at();
    expect(implementations(w.pipeline, doc, sem, position).map(w.show)).toEqual(["geom.ds:5:15-20 Point", "shapes.ds:3:15-21 Square"]);
  });

  it("lists a trait method's implementations, and a type's impls", async () => {
    const w = await workspace({ "main.ds": MAIN2, "geom.ds": GEOM.replace("    fn area(&self) -> u64;", `    fn ar${CURSOR}ea(&self) -> u64;`), "shapes.ds": SHAPES });
    const { doc, sem, position } = w.at();
    expect(implementations(w.pipeline, doc, sem, position).map(w.show)).toEqual(["geom.ds:6:8-12 area", "shapes.ds:4:8-12 area"]);
    const t = await workspace({ "main.ds": MAIN2, "geom.ds": GEOM.replace("pub struct Point", `pub struct Po${CURSOR}int`), "shapes.ds": SHAPES });
    const c = t.at();
    expect(implementations(t.pipeline, c.doc, c.sem, c.position).map(t.show)).toEqual(["geom.ds:5:15-20 Point", "geom.ds:8:6-11 Point"]);
  });
});

describe("implementation of a stdlib trait", () => {
  const POINT = `use std::fmt;\npub struct Point { pub x: u64 }\nimpl fmt::Display for Point {\n    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {\n        write!(f, "{}", self.x)\n    }\n}\nimpl Default for Point {\n    fn default() -> Point { Point { x: 0 } }\n}\n`;
  const LINE = `use std::fmt;\npub struct Line { pub n: u64 }\nimpl fmt::Display for Line {\n    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {\n        write!(f, "{}", self.n)\n    }\n}\n`;
  const MAIN3 = `mod point;\nmod line;\nfn main() {\n    println!("{}", point::Point { x: 1 });\n}\n`;

  it("lists the impls of Display in every file of the workspace, open or not", async () => {
    const w = await workspace({ "main.ds": MAIN3, "point.ds": POINT.replace("impl fmt::Display for Point", `impl fmt::Disp${CURSOR}lay for Point`), "line.ds": LINE }, ["point.ds"]);
    const { doc, sem, position } = w.at();
    expect(implementations(w.pipeline, doc, sem, position).map(w.show)).toEqual(["line.ds:3:23-27 Line", "point.ds:3:23-28 Point"]);
  });

  it("lists the impls of Default in the workspace and in the stdlib's own files", async () => {
    const w = await workspace({ "main.ds": MAIN3, "point.ds": POINT.replace("impl Default for Point", `impl Defa${CURSOR}ult for Point`), "line.ds": LINE });
    const { doc, sem, position } = w.at();
    const found = implementations(w.pipeline, doc, sem, position).map(w.show);
    expect(found.filter((l) => !l.startsWith("<stdlib>/"))).toEqual(["point.ds:8:18-23 Point"]);
    // The stdlib's impls, at their self types in the real file (core.ds: `impl Default for u8`, ...).
    const std = found.filter((l) => l.startsWith("<stdlib>/prelude/core.ds:"));
    const core = readFileSync(join(STDLIB, "prelude/core.ds"), "utf8").split("\n");
    const expected = core.flatMap((line, i) => {
      const m = /^impl(?:<\w+>)? Default for (\w+(?:<\w+>)?)/.exec(line);
      const col = line.indexOf(" for ") + 6;
      return m ? [`<stdlib>/prelude/core.ds:${i + 1}:${col}-${col + m[1]!.length}`] : [];
    });
    expect(expected.length).toBeGreaterThan(10);
    expect(std).toEqual(expected);
  });

  it("lists the impls of a stdlib type: the stdlib's own and the workspace's", async () => {
    const w = await workspace({ "main.ds": `trait Size {\n    fn size(&self) -> u64;\n}\nimpl Size for Option<u64> {\n    fn size(&self) -> u64 { 1 }\n}\nfn main() {\n    let o: Opt${CURSOR}ion<u64> = None;\n}\n` });
    const { doc, sem, position } = w.at();
    const found = implementations(w.pipeline, doc, sem, position).map(w.show);
    const core = readFileSync(join(STDLIB, "prelude/core.ds"), "utf8").split("\n");
    const stdlibImpls = core.flatMap((line, i) => (/^impl.* Option<T> \{/.test(line) ? [`<stdlib>/prelude/core.ds:${i + 1}:${line.indexOf("Option<T>") + 1}-${line.indexOf("Option<T>") + 10}`] : []));
    expect(stdlibImpls).toHaveLength(3);
    expect(found).toEqual(["main.ds:4:15-26 Option<u64>", ...stdlibImpls]);
  });

  it("lists each impl's method for a stdlib trait's method called through a bound", async () => {
    const w = await workspace({ "main.ds": `mod point;\nfn make<T: Default>() -> T {\n    T::defa${CURSOR}ult()\n}\nfn main() {\n    let p: point::Point = make();\n}\n`, "point.ds": POINT });
    const { doc, sem, position } = w.at();
    const found = implementations(w.pipeline, doc, sem, position).map(w.show);
    expect(found.filter((l) => !l.startsWith("<stdlib>/"))).toEqual(["point.ds:9:8-15 default"]);
    expect(found.filter((l) => l.startsWith("<stdlib>/prelude/core.ds:")).length).toBeGreaterThan(10);
  });
});

describe("call hierarchy", () => {
  it("prepares the function under the cursor, then lists its callers across files and its callees", async () => {
    const w = await workspace({ "main.ds": MAIN, "left.ds": LEFT.replace("pub fn l()", `pub fn ${CURSOR}l()`), "right.ds": RIGHT });
    const { doc, sem, position } = w.at();
    const items = prepareCallHierarchy(w.pipeline, doc, sem, position)!;
    expect(items.map((i) => [i.name, w.show({ uri: i.uri, range: i.selectionRange })])).toEqual([["l", "left.ds:2:8-9 l"]]);
    const incoming = incomingCalls(w.pipeline, items[0]!);
    expect(incoming.map((c) => [c.from.name, c.fromRanges.map((r) => w.show({ uri: c.from.uri, range: r }))])).toEqual([["main", ["main.ds:4:11-12 l"]]]);
    const outgoing = outgoingCalls(w.pipeline, items[0]!);
    expect(outgoing.map((c) => [c.to.name, w.show({ uri: c.to.uri, range: c.to.selectionRange }), c.fromRanges.length])).toEqual([["r_base", "right.ds:1:8-14 r_base", 2]]);
    // And from a caller back: r_base is called by l (twice) and main.
    const callee = incomingCalls(w.pipeline, outgoing[0]!.to);
    expect(callee.map((c) => [c.from.name, c.fromRanges.length]).sort()).toEqual([
      ["l", 2],
      ["main", 1],
    ]);
  });

  it("lists the callers of a stdlib function in the workspace and inside the stdlib, and follows them", async () => {
    const w = await workspace({ "main.ds": `fn check(o: Option<u64>) -> bool {\n    o.is_s${CURSOR}ome()\n}\nfn main() {\n    let b = check(Some(1));\n}\n` });
    const { doc, sem, position } = w.at();
    const items = prepareCallHierarchy(w.pipeline, doc, sem, position)!;
    expect(items.map((i) => [i.name, w.show({ uri: i.uri, range: i.selectionRange }).replace(/:\d+:\d+-\d+/, "")])).toEqual([["is_some", "<stdlib>/prelude/core.ds"]]);
    const incoming = incomingCalls(w.pipeline, items[0]!);
    const callers = incoming.map((c) => `${c.from.name} ${w.show({ uri: c.from.uri, range: c.fromRanges[0]! }).split(" ")[0]}`);
    expect(callers).toContain("check main.ds:2:7-14");
    // `Option::is_none` is `!self.is_some()`: its line in the real file.
    const core = readFileSync(join(STDLIB, "prelude/core.ds"), "utf8").split("\n");
    const line = core.findIndex((l) => l.includes("!self.is_some()")) + 1;
    const col = core[line - 1]!.indexOf("is_some") + 1;
    expect(callers).toContain(`is_none <stdlib>/prelude/core.ds:${line}:${col}-${col + 7}`);
    // The stdlib caller is an item like any other: its own callers and callees.
    const isNone = incoming.find((c) => c.from.name === "is_none")!.from;
    expect(outgoingCalls(w.pipeline, isNone).map((c) => c.to.name)).toEqual(["is_some"]);
    expect(readFileSync(fileURLToPath(isNone.uri), "utf8").split("\n")[isNone.selectionRange.start.line]).toContain("pub fn is_none(&self)");
  });

  describe("through a trait", () => {
    // A trait with a provided method, two impls (one overriding it), and calls through a
    // bound, through `dyn`, on a concrete type, and from the provided method itself.
    const SHAPE = `pub trait Shape {
    fn area(&self) -> u64;
    fn twice(&self) -> u64 {
        self.area() * 2
    }
}
`;
    const IMPLS = `use crate::shape::Shape;
pub struct Sq { pub s: u64 }
pub struct Dot {}
impl Shape for Sq {
    fn area(&self) -> u64 { self.s * self.s }
}
impl Shape for Dot {
    fn area(&self) -> u64 { 0 }
    fn twice(&self) -> u64 { 0 }
}
`;
    const USES = `mod shape;
mod impls;
use shape::Shape;
use impls::{Dot, Sq};
fn generic<T: Shape>(t: &T) -> u64 {
    t.area()
}
fn dynamic(d: &dyn Shape) -> u64 {
    d.area()
}
fn direct(s: &Sq) -> u64 {
    s.area()
}
fn main() {
    let n = generic(&Sq { s: 2 }) + dynamic(&Dot {}) + direct(&Sq { s: 1 }) + other(&Dot {});
}
fn other(d: &Dot) -> u64 {
    d.area()
}
`;
    const files = (cursorIn: "shape.ds" | "impls.ds", from: string, to: string) => {
      const f: Record<string, string> = { "main.ds": USES, "shape.ds": SHAPE, "impls.ds": IMPLS };
      f[cursorIn] = f[cursorIn]!.replace(from, to);
      return f;
    };
    const callers = (calls: CallHierarchyIncomingCall[], show: (l: { uri: string; range: Range }) => string): string[] => calls.map((c) => `${c.from.detail ?? ""}::${c.from.name} <- ${c.fromRanges.map((r) => show({ uri: c.from.uri, range: r })).join(", ")}`).sort();

    it("counts a call through a bound, dyn or a provided method as a call of each impl's method", async () => {
      const w = await workspace(files("impls.ds", "impl Shape for Sq {\n    fn area", `impl Shape for Sq {\n    fn ar${CURSOR}ea`));
      const { doc, sem, position } = w.at();
      const items = prepareCallHierarchy(w.pipeline, doc, sem, position)!;
      expect(items.map((i) => `${i.detail}::${i.name}`)).toEqual(["Sq::area"]);
      // The direct call on `&Sq` and every call the trait dispatches; not the direct call on `&Dot` (`other`).
      expect(callers(incomingCalls(w.pipeline, items[0]!), w.show)).toEqual([
        "Shape::twice <- shape.ds:4:14-18 area",
        "::direct <- main.ds:12:7-11 area",
        "::dynamic <- main.ds:9:7-11 area",
        "::generic <- main.ds:6:7-11 area",
      ].sort());
    });

    it("lists every call of the family for the trait's declaration, and its impls as where it dispatches to", async () => {
      const w = await workspace(files("shape.ds", "    fn area(&self)", `    fn ar${CURSOR}ea(&self)`));
      const { doc, sem, position } = w.at();
      const item = prepareCallHierarchy(w.pipeline, doc, sem, position)![0]!;
      expect(`${item.detail}::${item.name}`).toBe("Shape::area");
      expect(callers(incomingCalls(w.pipeline, item), w.show)).toEqual([
        "Shape::twice <- shape.ds:4:14-18 area",
        "::direct <- main.ds:12:7-11 area",
        "::dynamic <- main.ds:9:7-11 area",
        "::generic <- main.ds:6:7-11 area",
        "::other <- main.ds:18:7-11 area",
      ].sort());
      const outgoing = outgoingCalls(w.pipeline, item);
      expect(outgoing.map((c) => `${c.to.detail}::${c.to.name} ${w.show({ uri: c.to.uri, range: c.to.selectionRange })} from ${c.fromRanges.map((r) => w.show({ uri: item.uri, range: r })).join(", ")}`)).toEqual([
        "Sq::area impls.ds:5:8-12 area from shape.ds:2:8-12 area",
        "Dot::area impls.ds:8:8-12 area from shape.ds:2:8-12 area",
      ]);
      // And on into an impl: Sq::area calls nothing, and is called as above.
      expect(outgoingCalls(w.pipeline, outgoing[0]!.to)).toEqual([]);
    });

    it("lists the trait's method among a generic function's callees, and a provided method's overrides", async () => {
      const w = await workspace(files("shape.ds", "    fn twice(&self)", `    fn tw${CURSOR}ice(&self)`));
      const { doc, sem, position } = w.at();
      const twice = prepareCallHierarchy(w.pipeline, doc, sem, position)![0]!;
      // Its body's call through `Self: Shape`, and Dot's override (Sq keeps the provided body).
      expect(outgoingCalls(w.pipeline, twice).map((c) => `${c.to.detail}::${c.to.name} ${w.show({ uri: c.to.uri, range: c.to.selectionRange })}`)).toEqual(["Dot::twice impls.ds:9:8-13 twice", "Shape::area shape.ds:2:8-12 area"]);
      const generic = incomingCalls(w.pipeline, outgoingCalls(w.pipeline, twice)[1]!.to).find((c) => c.from.name === "generic")!.from;
      expect(outgoingCalls(w.pipeline, generic).map((c) => `${c.to.detail}::${c.to.name}`)).toEqual(["Shape::area"]);
    });
  });

  it("offers nothing on what is not a function", async () => {
    const w = await workspace({ "a.ds": `fn f() -> u64 {\n    let ${CURSOR}n = 1;\n    n\n}\n` });
    const { doc, sem, position } = w.at();
    expect(prepareCallHierarchy(w.pipeline, doc, sem, position)).toBeNull();
  });
});

describe("workspace documents in the pipeline", () => {
  it("closing a workspace file goes back to its text on disk, still checked and published", async () => {
    const root = mkdtempSync(join(tmpdir(), "dplc-revert-"));
    writeFileSync(join(root, "a.ds"), "pub fn one() -> u64 {\n    1\n}\n");
    const uri = pathToFileURL(join(root, "a.ds")).href;
    const published: { uri: string; version: number | undefined; codes: string[] }[] = [];
    const pipeline = new DocumentPipeline(
      { check: { profile: "user", allBlocks: false }, debounceMs: 0, analyze, readDisk: (u) => (u === uri ? "pub fn one() -> u64 {\n    1\n}\n" : null) },
      (u, version, ds) => published.push({ uri: u, version, codes: ds.map((d) => String(d.code)) }),
    );
    pipeline.load(uri, "pub fn one() -> u64 {\n    1\n}\n");
    await pipeline.flush();
    expect(published).toEqual([{ uri, version: undefined, codes: [] }]);
    // Opened and broken in the buffer: published with the editor's version.
    pipeline.open(uri, "dpl", 7, "pub fn one() -> u64 {\n    true\n}\n");
    await pipeline.flush();
    expect(published.at(-1)).toEqual({ uri, version: 7, codes: ["DPL2003"] });
    // Closed unsaved: the disk's text is checked again, and the file stays in the workspace.
    pipeline.close(uri);
    await pipeline.flush();
    expect(published.at(-1)).toEqual({ uri, version: undefined, codes: [] });
    expect(pipeline.get(uri)?.unopened).toBe(true);
    // Deleted on disk: forgotten, its diagnostics cleared.
    pipeline.unload(uri);
    expect(pipeline.get(uri)).toBeUndefined();
    expect(published.at(-1)).toEqual({ uri, version: undefined, codes: [] });
  });
});
