/**
 * The language server as an editor sees it: `bin/dplc lsp --stdio` spawned, JSON-RPC over
 * its stdin/stdout. Positions in requests come from `<|>` markers in the source text.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CompletionItem, DocumentSymbol, Hover, InitializeResult, Location, SemanticTokens } from "vscode-languageserver-protocol";
import { LspClient, withCursor } from "./lsp-client.js";
import { decodeTokens } from "../../src/lsp/semantic-tokens.js";

const dir = mkdtempSync(join(tmpdir(), "dplc-lsp-"));
const uri = (name: string): string => pathToFileURL(join(dir, name)).href;

const PROGRAM = `/// A point in the plane.
/// Its coordinates are classical metadata.
struct Point {
    /// Horizontal position.
    x: u64,
    y: u64,
}

@domain(Q)
@noncopy
struct QState { ... }

impl Point {
    fn norm1(&self) -> u64 {
        self.x + self.y
    }
}

fn add(a: u64, b: u64) -> u64 {
    a + b
}

fn main() -> u64 {
    let p = Point { x: 1, y: 2 };
    let total = add(p.x, p.norm1());
    let _label = "Φ😀"; let broken = ;
    total + broken
}
`;

/** Position (UTF-16) of the first occurrence of `needle` at or after `from`, plus `delta`. */
function at(text: string, needle: string, delta = 0, from = 0): { line: number; character: number } {
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`not found: ${needle}`);
  const before = text.slice(0, i + delta);
  return { line: before.split("\n").length - 1, character: i + delta - (before.lastIndexOf("\n") + 1) };
}

let client: LspClient;
let init: InitializeResult;

beforeAll(async () => {
  client = new LspClient();
  init = await client.initialize({ textDocument: { completion: { completionItem: { snippetSupport: true } } } });
});

afterAll(() => client?.kill());

describe("dplc lsp --stdio", () => {
  it("announces incremental sync and a legend with domain modifiers", () => {
    const caps = init.capabilities;
    expect(caps.textDocumentSync).toMatchObject({ openClose: true, change: 2 });
    expect(caps.hoverProvider).toBe(true);
    expect(caps.definitionProvider).toBe(true);
    expect(caps.documentSymbolProvider).toBe(true);
    expect(caps.completionProvider?.triggerCharacters).toEqual(expect.arrayContaining([".", "@"]));
    expect(caps.semanticTokensProvider?.legend.tokenModifiers).toEqual(expect.arrayContaining(["domainK", "domainQ", "domainPhi"]));
    expect(init.serverInfo?.name).toBe("dplc");
  });

  it("publishes DPL1001 at the UTF-16 range after Φ and an astral character, then clears it", async () => {
    const u = uri("main.ds");
    await client.open(u, PROGRAM);
    const first = await client.forVersion(u, 1);
    expect(first.diagnostics).toHaveLength(1);
    const d = first.diagnostics[0]!;
    const expected = at(PROGRAM, "= ;", 2);
    // `Φ` is one UTF-16 unit, `😀` two; the compiler's column counts both as one.
    const line = PROGRAM.split("\n")[expected.line]!;
    expect([...line.slice(0, expected.character)].length).toBe(expected.character - 1);
    expect(d.range).toEqual({ start: expected, end: { line: expected.line, character: expected.character + 1 } });
    expect(d.code).toBe("DPL1001");
    expect(d.source).toBe("dplc");
    expect(d.severity).toBe(1);
    expect(d.message).toContain("unexpected `;`");
    expect(d.codeDescription).toBeUndefined();

    await client.notify("textDocument/didChange", {
      textDocument: { uri: u, version: 2 },
      contentChanges: [{ range: { start: expected, end: expected }, text: "3" }],
    });
    const fixed = await client.forVersion(u, 2);
    expect(fixed.diagnostics).toEqual([]);
  });

  it("debounces a burst of edits: only the last version is published", async () => {
    const u = uri("burst.ds");
    await client.open(u, "fn f() -> u64 {\n    1\n}\n");
    await client.forVersion(u, 1);
    // Typed faster than the debounce: each edit but the last leaves the body broken.
    const sends: Promise<void>[] = [];
    for (let v = 2; v <= 6; v++) {
      const text = v < 6 ? `fn f() -> u64 {\n    ${"(".repeat(v)}\n}\n` : "fn f() -> u64 {\n    2\n}\n";
      sends.push(client.notify("textDocument/didChange", { textDocument: { uri: u, version: v }, contentChanges: [{ text }] }));
    }
    await Promise.all(sends);
    const last = await client.forVersion(u, 6);
    expect(last.diagnostics).toEqual([]);
    const versions = client.published.filter((p) => p.uri === u).map((p) => p.version);
    expect(versions).toEqual([1, 6]);
  });

  it("hovers over a struct with its signature, domain and docs", async () => {
    const u = uri("main.ds");
    const h = await client.request<Hover>("textDocument/hover", { textDocument: { uri: u }, position: at(PROGRAM, "Point { x: 1", 2) });
    const value = (h.contents as { value: string }).value;
    expect(value).toContain("struct Point");
    expect(value).toContain("A point in the plane.\nIts coordinates are classical metadata.");
    expect(value).toContain("type in domain **K**");
    expect(h.range).toEqual({ start: at(PROGRAM, "Point { x: 1"), end: at(PROGRAM, "Point { x: 1", 5) });

    const q = await client.request<Hover>("textDocument/hover", { textDocument: { uri: u }, position: at(PROGRAM, "QState", 1) });
    expect((q.contents as { value: string }).value).toContain("type in domain **Q**");
  });

  it("hovers over a field with its type and docs, and over a local with its inferred type", async () => {
    const u = uri("main.ds");
    const f = await client.request<Hover>("textDocument/hover", { textDocument: { uri: u }, position: at(PROGRAM, "p.x", 2) });
    expect((f.contents as { value: string }).value).toContain("Point.x: u64");
    expect((f.contents as { value: string }).value).toContain("Horizontal position.");
    const l = await client.request<Hover>("textDocument/hover", { textDocument: { uri: u }, position: at(PROGRAM, "let p", 4) });
    expect((l.contents as { value: string }).value).toContain("let p: Point");
  });

  it("hovers with the type the checker inferred once the document has been checked", async () => {
    const src = withCursor("struct P { x: u64 }\nfn main() -> u64 {\n    let o = Some(P { x: 1 });\n    let <|>z = o.unwrap();\n    z.x\n}\n");
    const u = uri("infer.ds");
    await client.open(u, src.text);
    expect((await client.forVersion(u, 1)).diagnostics).toEqual([]);
    const h = await client.request<Hover>("textDocument/hover", { textDocument: { uri: u }, position: src.position });
    expect((h.contents as { value: string }).value).toContain("let z: P");
  });

  it("goes from a call to the function's declaration, and from a method call to the method", async () => {
    const u = uri("main.ds");
    const loc = await client.request<Location>("textDocument/definition", { textDocument: { uri: u }, position: at(PROGRAM, "add(p.x", 1) });
    expect(loc.uri).toBe(u);
    expect(loc.range).toEqual({ start: at(PROGRAM, "add(a"), end: at(PROGRAM, "add(a", 3) });
    const m = await client.request<Location>("textDocument/definition", { textDocument: { uri: u }, position: at(PROGRAM, "norm1()", 2) });
    expect(m.range.start).toEqual(at(PROGRAM, "norm1(&self"));
  });

  it("lists items, impl members, fields and variants as document symbols", async () => {
    const u = uri("main.ds");
    const symbols = await client.request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri: u } });
    expect(symbols.map((s) => s.name)).toEqual(["Point", "QState", "impl Point", "add", "main"]);
    const point = symbols[0]!;
    expect(point.children?.map((c) => c.name)).toEqual(["x", "y"]);
    expect(point.selectionRange).toEqual({ start: at(PROGRAM, "Point {"), end: at(PROGRAM, "Point {", 5) });
    expect(point.range.start.line).toBe(at(PROGRAM, "struct Point").line);
    expect(symbols[2]!.children?.map((c) => c.name)).toEqual(["norm1"]);
    expect(symbols[1]!.detail).toContain("@domain(Q)");
  });

  it("completes names in scope, fields after `.`, and annotations after `@`", async () => {
    const src = withCursor(`fn add(a: u64, b: u64) -> u64 { a + b }\nstruct Point { x: u64, y: u64 }\nfn main() {\n    let p = Point { x: 1, y: 2 };\n    <|>\n}\n`);
    const u = uri("complete.ds");
    await client.open(u, src.text);
    const items = await client.request<CompletionItem[]>("textDocument/completion", { textDocument: { uri: u }, position: src.position });
    const labels = items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(["add", "p", "Point", "let", "match"]));
    expect(items.find((i) => i.label === "add")?.kind).toBe(3);
    expect(items.find((i) => i.label === "add")?.detail).toContain("fn add(a: u64, b: u64) -> u64");

    const dot = withCursor(`struct Point { x: u64, y: u64 }\nimpl Point { fn norm1(&self) -> u64 { self.x } }\nfn main() {\n    let p = Point { x: 1, y: 2 };\n    let s = p.<|>\n}\n`);
    const u2 = uri("dot.ds");
    await client.open(u2, dot.text);
    const members = await client.request<CompletionItem[]>("textDocument/completion", { textDocument: { uri: u2 }, position: dot.position });
    expect(members.map((i) => i.label).sort()).toEqual(["norm1", "x", "y"]);

    const ann = withCursor(`@<|>\nstruct S { a: u64 }\n`);
    const u3 = uri("ann.ds");
    await client.open(u3, ann.text);
    const anns = await client.request<CompletionItem[]>("textDocument/completion", { textDocument: { uri: u3 }, position: ann.position });
    expect(anns.map((i) => i.label)).toEqual(["@domain(K)", "@domain(Q)", "@domain(Φ)", "@noncopy", "@deterministic", "@capability(required)", "@bounded(N)", "@audited"]);

    const dom = withCursor(`@domain(<|>)\nstruct S { a: u64 }\n`);
    const u4 = uri("dom.ds");
    await client.open(u4, dom.text);
    const tags = await client.request<CompletionItem[]>("textDocument/completion", { textDocument: { uri: u4 }, position: dom.position });
    expect(tags.map((i) => i.label)).toEqual(["K", "Q", "Φ", "Phi"]);
  });

  it("returns semantic tokens whose modifiers carry the domain", async () => {
    const u = uri("main.ds");
    const tokens = await client.request<SemanticTokens>("textDocument/semanticTokens/full", { textDocument: { uri: u } });
    expect(tokens.data.length % 5).toBe(0);
    const decoded = decodeTokens(tokens.data);
    const tokenAt = (needle: string, delta = 0) => {
      const p = at(PROGRAM, needle, delta);
      return decoded.find((t) => t.line === p.line && t.character === p.character);
    };
    expect(tokenAt("QState")).toMatchObject({ type: "struct", length: 6 });
    expect(tokenAt("QState")!.modifiers).toEqual(expect.arrayContaining(["declaration", "domainQ"]));
    expect(tokenAt("Q)", 0)).toMatchObject({ type: "keyword", modifiers: ["domainQ"] });
    expect(tokenAt("add(p.x")).toMatchObject({ type: "function" });
    expect(tokenAt("total")!.modifiers).toEqual(expect.arrayContaining(["declaration", "readonly", "domainK"]));
    expect(tokenAt("noncopy")).toMatchObject({ type: "decorator" });
  });

  it("checks the dust blocks of a Markdown file, at the Markdown file's own lines", async () => {
    const md = "# Spec\n\nProse with `code` and let x = ; that is not DPL.\n\n```dust\nfn ok() {}\nfn bad( {}\n```\n\n```text\nnot = dpl ;\n```\n";
    const u = uri("spec.md");
    await client.open(u, md, "markdown");
    const p = await client.forVersion(u, 1);
    expect(p.diagnostics.length).toBeGreaterThan(0);
    for (const d of p.diagnostics) expect(d.range.start.line).toBe(6);
  });

  it("shuts down cleanly on shutdown + exit", async () => {
    const code = await client.shutdown();
    expect(code).toBe(0);
  });
});

describe("dplc lsp --help-uri-base", () => {
  it("links each diagnostic to its explanation only when the option is given", async () => {
    const c = new LspClient(["--help-uri-base", "https://example.test/diagnostics/"]);
    try {
      await c.initialize();
      const u = uri("linked.ds");
      await c.open(u, "fn main() { let x = ; }\n");
      const p = await c.forVersion(u, 1);
      expect(p.diagnostics[0]?.codeDescription).toEqual({ href: "https://example.test/diagnostics/DPL1001.md" });
      expect(await c.shutdown()).toBe(0);
    } finally {
      c.kill();
    }
  });
});

describe("started from an unrelated folder", () => {
  it("goes to a definition in the stdlib that names a file that exists", async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "dplc-editor-cwd-"));
    const c = new LspClient([], { cwd: elsewhere });
    try {
      await c.initialize();
      const src = withCursor("fn main() {\n    let v: Option<u64> = So<|>me(1);\n    let _ = v;\n}\n");
      const u = pathToFileURL(join(elsewhere, "app.ds")).href;
      await c.open(u, src.text);
      await c.forVersion(u, 1);
      const loc = await c.request<Location | null>("textDocument/definition", { textDocument: { uri: u }, position: src.position });
      expect(loc).not.toBeNull();
      const path = fileURLToPath(loc!.uri);
      expect(path).toMatch(/stdlib[\\/]prelude[\\/]core\.ds$/);
      expect(existsSync(path)).toBe(true);
      expect(path.startsWith(elsewhere)).toBe(false);
    } finally {
      c.kill();
    }
  });
});
