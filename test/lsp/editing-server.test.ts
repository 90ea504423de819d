/**
 * The editing requests over the protocol: `bin/dplc lsp --stdio` spawned, as an editor
 * talks to it. The capabilities are advertised, a quick fix's edit survives the JSON round
 * trip through the diagnostic's `data`, prepareRename refuses with a message the client
 * shows, and a rename reaches a file that is not open.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { CodeAction, FoldingRange, InitializeResult, SignatureHelp, WorkspaceEdit } from "vscode-languageserver-protocol";
import { LspClient, withCursor } from "./lsp-client.js";

const dir = mkdtempSync(join(tmpdir(), "dplc-lsp-edit-"));
const uri = (name: string): string => pathToFileURL(join(dir, name)).href;

let client: LspClient;
let init: InitializeResult;

beforeAll(async () => {
  client = new LspClient();
  init = await client.initialize({ textDocument: { rename: { prepareSupport: true } } });
});

afterAll(() => client?.kill());

describe("dplc lsp --stdio, editing", () => {
  it("advertises rename with prepare, quick fixes, signature help, inlay hints, folding, selection and formatting", () => {
    const caps = init.capabilities;
    expect(caps.renameProvider).toEqual({ prepareProvider: true });
    expect(caps.codeActionProvider).toEqual({ codeActionKinds: ["quickfix"] });
    expect(caps.signatureHelpProvider?.triggerCharacters).toEqual(["(", ","]);
    expect(caps.inlayHintProvider).toBe(true);
    expect(caps.foldingRangeProvider).toBe(true);
    expect(caps.selectionRangeProvider).toBe(true);
    expect(caps.documentFormattingProvider).toBe(true);
  });

  it("applies a quick fix whose edit travelled in the diagnostic's data", async () => {
    const u = uri("fix.ds");
    const text = "fn main() {\n    let count = 3;\n}\n";
    await client.open(u, text);
    const published = await client.forVersion(u, 1);
    const d = published.diagnostics.find((x) => x.code === "DPL8002")!;
    expect(d.data).toBeDefined();
    const actions = await client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri: u }, range: d.range, context: { diagnostics: [d] } });
    expect(actions.map((a) => a.title)).toEqual(["prefix with `_`: `_count`"]);
    expect(actions[0]!.edit!.changes![u]).toEqual([{ range: { start: { line: 1, character: 8 }, end: { line: 1, character: 8 } }, newText: "_" }]);
  });

  it("refuses to rename a stdlib name and renames across an unopened file", async () => {
    writeFileSync(join(dir, "geom.ds"), "pub struct Point { pub x: u64, pub y: u64 }\n");
    const main = withCursor("mod geom;\nuse geom::Point;\nfn main() -> Option<u64> {\n    let p = Po<|>int { x: 1, y: 2 };\n    Some(p.x)\n}\n");
    const u = uri("main.ds");
    writeFileSync(join(dir, "main.ds"), main.text);
    await client.open(u, main.text);
    await client.forVersion(u, 1);
    const prepared = await client.request<{ placeholder: string }>("textDocument/prepareRename", { textDocument: { uri: u }, position: main.position });
    expect(prepared.placeholder).toBe("Point");
    const option = { line: 2, character: main.text.split("\n")[2]!.indexOf("Option") + 2 };
    await expect(client.request("textDocument/prepareRename", { textDocument: { uri: u }, position: option })).rejects.toThrow(/standard library/);
    const edit = await client.request<WorkspaceEdit>("textDocument/rename", { textDocument: { uri: u }, position: main.position, newName: "Spot" });
    expect(Object.keys(edit.changes!).sort()).toEqual([u, uri("geom.ds")].sort());
    expect(edit.changes![uri("geom.ds")]).toEqual([{ range: { start: { line: 0, character: 11 }, end: { line: 0, character: 16 } }, newText: "Spot" }]);
    expect(edit.changes![u]).toHaveLength(2);
  });

  it("answers signature help and folding ranges", async () => {
    const src = withCursor("fn add(a: u64, b: u64) -> u64 {\n    a + b\n}\nfn main() -> u64 { add(1, <|>2) }\n");
    const u = uri("sig.ds");
    await client.open(u, src.text);
    await client.forVersion(u, 1);
    const help = await client.request<SignatureHelp>("textDocument/signatureHelp", { textDocument: { uri: u }, position: src.position });
    expect(help.signatures[0]!.label).toBe("fn add(a: u64, b: u64) -> u64");
    expect(help.activeParameter).toBe(1);
    const folds = await client.request<FoldingRange[]>("textDocument/foldingRange", { textDocument: { uri: u } });
    expect(folds).toEqual([{ startLine: 0, endLine: 1 }]);
  });
});
