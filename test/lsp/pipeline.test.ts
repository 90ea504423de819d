/**
 * The document pipeline in-process: stale checks never publish, an edit re-parses only
 * its document and re-checks only it and its open dependents, and compiler diagnostics
 * become LSP diagnostics with UTF-16 positions, related locations, help and notes.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic as LspDiagnostic } from "vscode-languageserver/node.js";
import { analyze } from "../../src/compiler/analyze.js";
import { DocumentPipeline, type PipelineOptions } from "../../src/lsp/documents.js";
import { LineIndex, sourceNameOfUri, uriOfSourceName } from "../../src/lsp/positions.js";
import { editorMessage, toLspDiagnostic } from "../../src/lsp/diagnostics.js";
import { diagnostic } from "../../src/diagnostics/diagnostic.js";
import { SourceFile } from "../../src/syntax/source.js";

interface Publication {
  readonly uri: string;
  readonly version: number | undefined;
  readonly diagnostics: LspDiagnostic[];
}

function harness(extra: Partial<PipelineOptions> = {}): { pipeline: DocumentPipeline; published: Publication[] } {
  const published: Publication[] = [];
  const pipeline = new DocumentPipeline({ check: { profile: "user", allBlocks: false }, debounceMs: 0, analyze, ...extra }, (uri, version, diagnostics) =>
    published.push({ uri, version, diagnostics }),
  );
  return { pipeline, published };
}

const dir = mkdtempSync(join(tmpdir(), "dplc-pipeline-"));
const uri = (name: string): string => pathToFileURL(join(dir, name)).href;

describe("stale checks", () => {
  it("a check started for version 3 does not publish once version 4 has arrived", async () => {
    let pipeline!: DocumentPipeline;
    const u = uri("stale.ds");
    let injected = false;
    const h = harness({
      onYield: (_phase, versions) => {
        // The edit lands while the check of version 3 is between its phases.
        if (!injected && versions.get(u) === 3) {
          injected = true;
          pipeline.change(u, 4, [{ text: "fn f() -> u64 { 4 }\n" }]);
        }
      },
    });
    pipeline = h.pipeline;
    pipeline.open(u, "dpl", 1, "fn f() -> u64 { 1 }\n");
    await pipeline.flush();
    pipeline.change(u, 2, [{ text: "fn f() -> u64 { ( }\n" }]);
    await pipeline.flush();
    pipeline.change(u, 3, [{ text: "fn f() -> u64 { 3 + }\n" }]);
    await pipeline.flush();
    expect(injected).toBe(true);
    expect(h.published.map((p) => p.version)).toEqual([1, 2, 4]);
    expect(h.published[1]!.diagnostics.length).toBeGreaterThan(0);
    expect(h.published[2]!.diagnostics).toEqual([]);
    expect(pipeline.cancelledChecks).toBe(1);
  });

  it("an edit that arrives after analysis but before publishing also wins", async () => {
    let pipeline!: DocumentPipeline;
    const u = uri("late.ds");
    const h = harness({
      onYield: (phase, versions) => {
        if (phase === "checked" && versions.get(u) === 2) pipeline.change(u, 3, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: "\n" }]);
      },
    });
    pipeline = h.pipeline;
    pipeline.open(u, "dpl", 1, "fn g() {}\n");
    await pipeline.flush();
    pipeline.change(u, 2, [{ range: { start: { line: 0, character: 9 }, end: { line: 0, character: 9 } }, text: " let" }]);
    await pipeline.flush();
    expect(h.published.map((p) => p.version)).toEqual([1, 3]);
    // Version 3 is version 2's text moved down a line: the error moves with it.
    expect(h.published[1]!.diagnostics[0]!.range.start.line).toBe(1);
  });

  it("closing a document clears its diagnostics", async () => {
    const h = harness();
    const u = uri("closed.ds");
    h.pipeline.open(u, "dpl", 1, "fn (");
    await h.pipeline.flush();
    h.pipeline.close(u);
    expect(h.published.at(-1)).toEqual({ uri: u, version: undefined, diagnostics: [] });
  });
});

describe("incrementality", () => {
  it("re-parses only the edited document and re-checks it with its open dependents", async () => {
    const sub = join(dir, "inc");
    mkdirSync(sub, { recursive: true });
    const a = pathToFileURL(join(sub, "alpha.ds")).href;
    const b = pathToFileURL(join(sub, "beta.ds")).href;
    const c = pathToFileURL(join(sub, "gamma.ds")).href;
    const h = harness();
    h.pipeline.open(a, "dpl", 1, "pub fn helper() -> u64 { 1 }\n");
    h.pipeline.open(b, "dpl", 1, "use alpha::helper;\nfn main() { let x = helper(); }\n");
    h.pipeline.open(c, "dpl", 1, "fn other() {}\n");
    await h.pipeline.flush();
    expect(new Set(h.published.map((p) => p.uri))).toEqual(new Set([a, b, c]));
    const parses = () => [a, b, c].map((u) => h.pipeline.get(u)!.parseCount);
    expect(parses()).toEqual([1, 1, 1]);

    h.published.length = 0;
    h.pipeline.change(a, 2, [{ range: { start: { line: 0, character: 25 }, end: { line: 0, character: 26 } }, text: "2" }]);
    await h.pipeline.flush();
    expect(parses()).toEqual([2, 1, 1]);
    expect(h.published.map((p) => p.uri).sort()).toEqual([a, b].sort());

    h.published.length = 0;
    h.pipeline.change(b, 2, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: "// edited\n" }]);
    await h.pipeline.flush();
    expect(parses()).toEqual([2, 2, 1]);
    expect(h.published.map((p) => p.uri)).toEqual([b]);

    h.published.length = 0;
    h.pipeline.change(c, 2, [{ text: "fn other() { ( }\n" }]);
    await h.pipeline.flush();
    expect(parses()).toEqual([2, 2, 2]);
    expect(h.published.map((p) => p.uri)).toEqual([c]);
    expect(h.published[0]!.diagnostics.length).toBeGreaterThan(0);
  });

  it("a `mod` child open in the editor is checked from its buffer, as part of its parent", async () => {
    const sub = join(dir, "modtree");
    mkdirSync(sub, { recursive: true });
    const parent = pathToFileURL(join(sub, "lib.ds")).href;
    const child = pathToFileURL(join(sub, "util.ds")).href;
    const h = harness();
    h.pipeline.open(parent, "dpl", 1, "mod util;\nfn main() {}\n");
    h.pipeline.open(child, "dpl", 1, "pub fn u() {}\n");
    await h.pipeline.flush();
    h.published.length = 0;
    h.pipeline.change(child, 2, [{ text: "pub fn u( {}\n" }]);
    await h.pipeline.flush();
    expect(h.published.map((p) => p.uri).sort()).toEqual([child, parent].sort());
    expect(h.published.find((p) => p.uri === child)!.diagnostics.length).toBeGreaterThan(0);
    expect(h.pipeline.get(parent)!.parseCount).toBe(1);
  });
});

describe("positions", () => {
  it("converts code-point columns to UTF-16: Φ is one unit, astral characters two", () => {
    const idx = new LineIndex("ab\nΦ😀x = 1\n");
    expect(idx.toLsp(2, 1)).toEqual({ line: 1, character: 0 });
    expect(idx.toLsp(2, 2)).toEqual({ line: 1, character: 1 }); // after Φ
    expect(idx.toLsp(2, 3)).toEqual({ line: 1, character: 3 }); // after 😀
    expect(idx.toLsp(2, 99)).toEqual({ line: 1, character: 8 }); // clamped to the line
    expect(idx.offsetAt({ line: 1, character: 3 })).toBe(6);
    expect(idx.offsetToLsp(6)).toEqual({ line: 1, character: 3 });
  });

  it("counts the BOM the editor may still have on the first line", () => {
    const idx = new LineIndex("fn f", true);
    expect(idx.toLsp(1, 1)).toEqual({ line: 0, character: 1 });
    expect(idx.offsetAt({ line: 0, character: 1 })).toBe(0);
  });

  it("maps file URIs to paths and back, and keeps other URIs as names", () => {
    const u = uri("x y.ds");
    expect(uriOfSourceName(sourceNameOfUri(u))).toBe(u);
    expect(sourceNameOfUri("untitled:Untitled-1")).toBe("untitled:Untitled-1");
    expect(uriOfSourceName("untitled:Untitled-1")).toBe("untitled:Untitled-1");
  });
});

describe("diagnostic conversion", () => {
  it("keeps code, severity and source, appends label, help and note, and converts related spans", () => {
    const main = new SourceFile("/w/main.ds", "let φ = q;\nuse(q😀, q);\n");
    const other = new SourceFile("/w/other.ds", "𝔸 fn q()\n");
    const d = diagnostic("DPL4002", main.span(20, 21), "use of moved value `q`", {
      label: "value used here after move",
      related: [
        { span: main.span(15, 16), message: "value moved here" },
        { span: other.span(3, 5), message: "declared here" },
      ],
      help: "clone it before moving, if its type allows",
      note: "Q state cannot be cloned",
    });
    const open = new Map([["/w/main.ds", new LineIndex(main.text)]]);
    const out = toLspDiagnostic(d, open.get("/w/main.ds")!, { openIndex: (n) => open.get(n), uriOf: uriOfSourceName });
    expect(out.range).toEqual({ start: { line: 1, character: 9 }, end: { line: 1, character: 10 } });
    expect(out.severity).toBe(1);
    expect(out.code).toBe("DPL4002");
    expect(out.source).toBe("dplc");
    expect(out.message).toBe(editorMessage(d));
    expect(out.message).toBe("use of moved value `q`\nvalue used here after move\nhelp: clone it before moving, if its type allows\nnote: Q state cannot be cloned");
    expect(out.codeDescription).toBeUndefined();
    expect(out.relatedInformation).toEqual([
      { location: { uri: "file:///w/main.ds", range: { start: { line: 1, character: 4 }, end: { line: 1, character: 5 } } }, message: "value moved here" },
      // 𝔸 is astral: the related span in the other file starts after its two UTF-16 units.
      { location: { uri: "file:///w/other.ds", range: { start: { line: 0, character: 3 }, end: { line: 0, character: 5 } } }, message: "declared here" },
    ]);
    const linked = toLspDiagnostic(d, open.get("/w/main.ds")!, { openIndex: (n) => open.get(n), uriOf: uriOfSourceName, helpUriBase: "https://x.test/d/" });
    expect(linked.codeDescription).toEqual({ href: "https://x.test/d/DPL4002.md" });
  });

  it("reports warnings as warnings", () => {
    const src = new SourceFile("/w/a.ds", "@frobnicate fn f() {}\n");
    const d = diagnostic("DPL8001", src.span(1, 11), "unknown annotation `@frobnicate`");
    expect(toLspDiagnostic(d, new LineIndex(src.text), { openIndex: () => undefined, uriOf: uriOfSourceName }).severity).toBe(2);
  });
});

describe("Markdown documents", () => {
  it("checks an untitled Markdown buffer in literate mode too", async () => {
    const h = harness();
    h.pipeline.open("untitled:Untitled-1", "markdown", 1, "Some prose ( that is not code.\n\n```ds\nfn f( {}\n```\n");
    await h.pipeline.flush();
    const p = h.published[0]!;
    expect(p.diagnostics.length).toBeGreaterThan(0);
    for (const d of p.diagnostics) expect(d.range.start.line).toBe(3);
  });
});
