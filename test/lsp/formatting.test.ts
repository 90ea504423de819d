/**
 * Document and range formatting as an editor sees them: `bin/dplc lsp --stdio` spawned,
 * the edits it answers applied to the editor's text.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { InitializeResult, TextEdit } from "vscode-languageserver-protocol";
import { TextDocument } from "vscode-languageserver-textdocument";
import { LspClient } from "./lsp-client.js";

const dir = mkdtempSync(join(tmpdir(), "dplc-lsp-fmt-"));
const uri = (name: string): string => pathToFileURL(join(dir, name)).href;

const MESSY = "fn a( )->u64{1+2}\n\n\n\nfn b(){let x=1;// keep me\n}\n";
const TIDY = "fn a() -> u64 {\n    1 + 2\n}\n\nfn b() {\n    let x = 1; // keep me\n}\n";

let client: LspClient;
let init: InitializeResult;

beforeAll(async () => {
  client = new LspClient();
  init = await client.initialize({});
});

afterAll(() => client?.kill());

function apply(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create("x", "dpl", 1, text), edits);
}

const options = { tabSize: 4, insertSpaces: true };

describe("formatting in the language server", () => {
  it("announces document and range formatting", () => {
    expect(init.capabilities.documentFormattingProvider).toBe(true);
    expect(init.capabilities.documentRangeFormattingProvider).toBe(true);
  });

  it("formats a document with edits that give dplc fmt's text", async () => {
    const u = uri("messy.ds");
    await client.open(u, MESSY);
    const edits = await client.request<TextEdit[]>("textDocument/formatting", { textDocument: { uri: u }, options });
    expect(apply(MESSY, edits)).toBe(TIDY);
    const again = uri("tidy.ds");
    await client.open(again, TIDY);
    expect(await client.request<TextEdit[]>("textDocument/formatting", { textDocument: { uri: again }, options })).toEqual([]);
  });

  it("formats a range: changes that touch its lines are made, others are not", async () => {
    const u = uri("range.ds");
    await client.open(u, MESSY);
    const edits = await client.request<TextEdit[]>("textDocument/rangeFormatting", {
      textDocument: { uri: u },
      range: { start: { line: 4, character: 0 }, end: { line: 5, character: 1 } },
      options,
    });
    const out = apply(MESSY, edits);
    // `fn b` (lines 4–5) is formatted; `fn a` (line 0) is left as written. The blank lines
    // between them may go with the change next to them.
    expect(out.startsWith("fn a( )->u64{1+2}\n\n")).toBe(true);
    expect(out.endsWith("\nfn b() {\n    let x = 1; // keep me\n}\n")).toBe(true);
  });

  it("gives no edits for a document with syntax errors", async () => {
    const u = uri("broken.ds");
    await client.open(u, "fn f( {\n");
    expect(await client.request<TextEdit[] | null>("textDocument/formatting", { textDocument: { uri: u }, options })).toBeNull();
  });
});
