/**
 * Deferred function bodies (src/syntax/lazy-bodies.ts) build the same tree as a whole
 * parse: same nodes, same spans, same syntax diagnostics, over every fixture and the
 * stdlib, over generated programs, and over files whose damage falls inside bodies.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseSource } from "../../src/syntax/parse.js";
import { SourceFile } from "../../src/syntax/source.js";
import { LazyBlockBody, releaseBodies } from "../../src/syntax/lazy-bodies.js";
import type * as A from "../../src/syntax/ast.js";
import { program } from "./generators.js";

/** The tree as plain data, spans as offsets; a deferred body is read (parsed) on the way. */
function plain(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Set) return [...v].map(plain);
  const o = v as Record<string, unknown>;
  if ("startOffset" in o && "endOffset" in o && "source" in o) return `${o.startOffset as number}..${o.endOffset as number}`;
  const out: Record<string, unknown> = {};
  if (v instanceof LazyBlockBody) return { kind: "block", block: plain(v.block) };
  for (const k of Object.keys(o).sort()) out[k] = plain(o[k]);
  return out;
}

function both(name: string, text: string): { whole: ReturnType<typeof parseSource>; deferred: ReturnType<typeof parseSource> } {
  return { whole: parseSource(new SourceFile(name, text)), deferred: parseSource(new SourceFile(name, text), "auto", { deferBodies: true }) };
}

/** The whole parse against the deferred one, in one piece and in pieces as small as they come. */
function expectSame(name: string, text: string): number {
  const { whole, deferred } = both(name, text);
  const pieces = parseSource(new SourceFile(name, text), "auto", { deferBodies: true, pieceChars: 1 });
  const diags = (r: ReturnType<typeof parseSource>): string[] => r.diagnostics.map((d) => `${d.code} ${d.span.start.offset} ${d.message}`);
  expect(diags(deferred)).toEqual(diags(whole));
  expect(diags(pieces)).toEqual(diags(whole));
  const expected = plain(whole.module);
  expect(plain(deferred.module)).toEqual(expected);
  expect(plain(pieces.module)).toEqual(expected);
  return countDeferred(deferred.module.items);
}

function countDeferred(items: readonly A.Item[]): number {
  let n = 0;
  for (const it of items) {
    if (it.kind === "FnItem" && it.body instanceof LazyBlockBody) n++;
    if ((it.kind === "ImplItem" || it.kind === "TraitItem") && it.items) n += countDeferred(it.items);
    if (it.kind === "ModItem" && it.items) n += countDeferred(it.items);
  }
  return n;
}

function dsFiles(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) dsFiles(p, out);
    else if (n.endsWith(".ds")) out.push(p);
  }
  return out;
}

describe("deferred function bodies", () => {
  it("parse to the same tree and diagnostics as a whole parse, over every fixture and the stdlib", () => {
    let deferredBodies = 0;
    const files = [...dsFiles("fixtures"), ...dsFiles("stdlib")];
    for (const f of files) deferredBodies += expectSame(f, readFileSync(f, "utf8"));
    // Most bodies of these files are deferred: the comparison above is not vacuous.
    expect(files.length).toBeGreaterThan(300);
    expect(deferredBodies).toBeGreaterThan(1000);
  });

  it("over generated programs", () => {
    fc.assert(fc.property(program, (text) => void expectSame("gen.ds", text)), { numRuns: 200 });
  });

  it("keeps a body with a syntax error as parsed, and defers the clean ones around it", () => {
    const text = "fn a() -> i32 { 1 + }\nfn b() -> i32 { let x = 2; x }\nimpl S { fn c(&self) { let = 1; } fn d(&self) {} }\n";
    const { deferred } = both("e.ds", text);
    expect(deferred.diagnostics.length).toBeGreaterThan(0);
    const [a, b, impl] = deferred.module.items as [A.FnItem, A.FnItem, A.ImplItem];
    expect(a.body instanceof LazyBlockBody).toBe(false);
    expect(b.body instanceof LazyBlockBody).toBe(true);
    // The impl had an error in one method: the clean one after it is deferred all the same.
    expect((impl.items as A.FnItem[]).map((m) => m.body instanceof LazyBlockBody)).toEqual([false, true]);
    expectSame("e.ds", text);
  });

  it("parses a released body again into new nodes with the same shape", () => {
    const { deferred } = both("r.ds", "fn f(x: i32) -> i32 {\n    let y = x * 2; // twice\n    y + r#\"raw\"#.len() as i32\n}\n");
    const f = deferred.module.items[0] as A.FnItem;
    const body = f.body as LazyBlockBody;
    const first = body.block;
    expect(body.block).toBe(first);
    releaseBodies(f);
    const second = body.block;
    expect(second).not.toBe(first);
    expect(plain(second)).toEqual(plain(first));
    expect(second.span.start.line).toBe(1);
    expect(second.stmts[0]!.span.start).toEqual({ line: 2, column: 5, offset: 26 });
  });

  it("cuts a large file into pieces between items, never inside a string or a comment", () => {
    const item = (i: number): string => `/// doc ${i}\nfn f${i}(x: i32) -> i32 {\n    let s = "a\n}\nb";\n    x + ${i}\n}\n`;
    const text = `//! module doc\n${Array.from({ length: 40 }, (_, i) => item(i)).join("")}/* a comment\n}\n*/\nstruct S {\n    a: i32,\n}\n`;
    for (const pieceChars of [1, 50, 200, 1000]) {
      const r = parseSource(new SourceFile("p.ds", text), "auto", { deferBodies: true, pieceChars });
      expect(r.diagnostics).toEqual([]);
      // The piecewise parse gives no tokens: that is how its result differs from a whole parse.
      expect(r.tokens).toEqual([]);
      expect(r.module.items).toHaveLength(41);
      if (pieceChars === 1) expect(r.pieces).toBe(41);
      expect(r.tokenCount).toBe(parseSource(new SourceFile("p.ds", text)).tokenCount);
    }
    expectSame("p.ds", text);
  });

  it("defers the bodies of items in modules and impls at their depth in the tree, up to the depth limit", () => {
    // An `else if` ladder nests the tree with no bracket deeper than 2: around the limit
    // (DPL1004), in items nested three deep, where a body deferred at the wrong depth would be
    // cut in another place than the whole parse cuts it.
    const ladder = (n: number): string => Array.from({ length: n }, (_, i) => `if x == ${i} { ${i} }`).join(" else ") + " else { -1 }";
    let cut = 0;
    for (let n = 305; n <= 321; n++) {
      const text = `mod a {\n    mod b {\n        impl S {\n            fn f(x: i32) -> i32 {\n                ${ladder(n)}\n            }\n        }\n        fn g() {}\n    }\n}\nstruct S;\n`;
      const deferred = expectSame("n.ds", text);
      if (deferred === 1) cut++;
      else expect(deferred).toBe(2);
    }
    // Both sides of the limit were tried.
    expect(cut).toBeGreaterThan(0);
    expect(cut).toBeLessThan(17);
  });

  it("leaves the bodies of items declared inside a function body as parsed", () => {
    // `outer` has a syntax error, so its own body stays; the impl in it is deeper in the
    // tree than an impl at the top: its method deferred at the top's depth would escape the
    // depth limit (DPL1004) that the whole parse applies.
    const ladder = (n: number): string => Array.from({ length: n }, (_, i) => `if x == ${i} { ${i} }`).join(" else ") + " else { -1 }";
    for (let n = 300; n <= 320; n++) {
      const text = `struct S;\nfn outer(x: i32) {\n    impl S {\n        fn m(&self, x: i32) -> i32 {\n            ${ladder(n)}\n        }\n    }\n    let = 1;\n}\n`;
      expectSame("in-body.ds", text);
    }
  });

  it("cuts a file with CRLF line ends into pieces too", () => {
    const item = (i: number): string => `/// doc ${i}\nfn f${i}(x: i32) -> i32 {\n    let s = "a\n}\nb";\n    x + ${i}\n}\n`;
    const text = Array.from({ length: 20 }, (_, i) => item(i)).join("").replace(/\n/g, "\r\n");
    const r = parseSource(new SourceFile("crlf.ds", text), "auto", { deferBodies: true, pieceChars: 1 });
    // One item a piece, as with LF line ends (it was one piece: the whole file's tokens at once).
    expect(r.pieces).toBe(20);
    expect(r.module.items).toHaveLength(20);
    expectSame("crlf.ds", text);
  });

  it("leaves dustlang files and files with lexical problems whole", () => {
    expect(countDeferred(both("d.ds", "K main {\n    emit \"hi\"\n}\n").deferred.module.items)).toBe(0);
    expect(countDeferred(both("l.ds", "fn a() { let s = \"open; }\nfn b() {}\n").deferred.module.items)).toBe(0);
    expect(countDeferred(both("ok.ds", "fn a() {}\nfn b() { 1; }\n").deferred.module.items)).toBe(2);
  });
});
