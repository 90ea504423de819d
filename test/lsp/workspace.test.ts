/**
 * The workspace model and the protocol features, through `bin/dplc lsp --stdio` as an
 * editor drives it: diagnostics for files no editor has open (the same as `dplc check`
 * reports), file watching registered dynamically, stale importer errors fixed, position
 * encodings negotiated, pull diagnostics, semantic-token deltas, cancellation. Cursor
 * positions come from `<|>` markers.
 */
import { afterEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CancellationTokenSource, ResponseError } from "vscode-jsonrpc/node.js";
import type { Diagnostic, Hover, InitializeResult, SemanticTokens, SemanticTokensDelta } from "vscode-languageserver-protocol";
import { DPLC } from "../helpers.js";
import { LspClient, withCursor } from "./lsp-client.js";
import { LEFT, MAIN, RIGHT, writeProject } from "./project-fixture.js";
import { fromUtf16, negotiateEncoding, toUtf16 } from "../../src/lsp/encoding.js";
import { tokenEdit, tokensInRange } from "../../src/lsp/semantic-tokens-delta.js";

const RIGHT_WITHOUT = `pub fn r_other() -> u64 {
    1
}
`;

const project = (files: Record<string, string>): ReturnType<typeof writeProject> => writeProject(files, "dplc-ws-");

let clients: LspClient[] = [];
afterEach(() => {
  for (const c of clients) c.kill();
  clients = [];
});

/** A client that initializes with the given workspace folder and capabilities. */
async function start(root: string | null, capabilities: object = {}): Promise<{ client: LspClient; init: InitializeResult; registrations: unknown[] }> {
  const client = new LspClient();
  clients.push(client);
  const registrations: unknown[] = [];
  client.connection.onRequest("client/registerCapability", (p: { registrations: unknown[] }) => {
    registrations.push(...p.registrations);
    return null;
  });
  const init = await client.request<InitializeResult>("initialize", {
    processId: process.pid,
    rootUri: root ? pathToFileURL(root).href : null,
    workspaceFolders: root ? [{ uri: pathToFileURL(root).href, name: "ws" }] : null,
    capabilities,
  });
  await client.notify("initialized", {});
  return { client, init, registrations };
}

/** What `dplc check --format json` reports per file (line, column, code), for comparison. */
function cliDiagnostics(root: string): Record<string, string[]> {
  const r = spawnSync(process.execPath, [DPLC, "check", "--format", "json", "."], { cwd: root, encoding: "utf8" });
  const out = JSON.parse(r.stdout) as { diagnostics: { file: string; code: string; line: number; column: number }[] };
  const by: Record<string, string[]> = {};
  for (const d of out.diagnostics) (by[d.file] ??= []).push(`${d.line}:${d.column} ${d.code}`);
  return by;
}

const lspView = (ds: readonly Diagnostic[]): string[] => ds.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${String(d.code)}`);

describe("the workspace model", () => {
  it("publishes for unopened files on initialize, and what an edit in an open file breaks elsewhere, as dplc check does", async () => {
    const p = project({ "main.ds": MAIN, "left.ds": LEFT, "right.ds": RIGHT });
    const { client, registrations } = await start(p.root, { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } });
    // Every file of the folder is checked and published, opened or not, without a version.
    for (const n of ["main.ds", "left.ds", "right.ds"]) {
      const pub = await client.diagnostics((x) => x.uri === p.uri(n));
      expect(pub.diagnostics).toEqual([]);
      expect(pub.version).toBeUndefined();
    }
    expect(registrations).toEqual([expect.objectContaining({ method: "workspace/didChangeWatchedFiles", registerOptions: { watchers: [{ globPattern: "**/*.ds" }, { globPattern: "**/*.md" }] } })]);

    // main.ds and right.ds open; r_base removed from right.ds's buffer: left.ds (not open) breaks.
    await client.open(p.uri("main.ds"), MAIN);
    await client.open(p.uri("right.ds"), RIGHT);
    const before = client.published.length;
    await client.notify("textDocument/didChange", { textDocument: { uri: p.uri("right.ds"), version: 2 }, contentChanges: [{ text: RIGHT_WITHOUT }] });
    const left = await client.diagnostics((x) => x.uri === p.uri("left.ds") && x.diagnostics.length > 0 && client.published.indexOf(x) >= before);
    const main = await client.diagnostics((x) => x.uri === p.uri("main.ds") && x.diagnostics.length > 0);
    writeFileSync(join(p.root, "right.ds"), RIGHT_WITHOUT);
    const cli = cliDiagnostics(p.root);
    expect(lspView(left.diagnostics)).toEqual(cli["left.ds"]);
    expect(lspView(main.diagnostics)).toEqual(cli["main.ds"]);
    expect(lspView(left.diagnostics)).toHaveLength(3);
  });

  it("re-checks on didChangeWatchedFiles: a file changed or deleted on disk", async () => {
    const p = project({ "main.ds": MAIN, "left.ds": LEFT, "right.ds": RIGHT });
    const { client } = await start(p.root);
    await client.diagnostics((x) => x.uri === p.uri("left.ds"));
    writeFileSync(join(p.root, "right.ds"), RIGHT_WITHOUT);
    const mark = client.published.length;
    await client.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: p.uri("right.ds"), type: 2 }] });
    const left = await client.diagnostics((x) => x.uri === p.uri("left.ds") && client.published.indexOf(x) >= mark);
    expect(lspView(left.diagnostics)).toEqual(cliDiagnostics(p.root)["left.ds"]);
    // Deleted: main.ds's `mod right;` has no file any more; right.ds's diagnostics are cleared.
    rmSync(join(p.root, "right.ds"));
    const mark2 = client.published.length;
    await client.notify("workspace/didChangeWatchedFiles", { changes: [{ uri: p.uri("right.ds"), type: 3 }] });
    const main = await client.diagnostics((x) => x.uri === p.uri("main.ds") && client.published.indexOf(x) >= mark2 && x.diagnostics.some((d) => d.message.includes("cannot find the file of module `right`")));
    expect(main.diagnostics.map((d) => d.code)).toContain("DPL2001");
    expect(client.published.slice(mark2).some((x) => x.uri === p.uri("right.ds") && x.diagnostics.length === 0)).toBe(true);
  });

  it("clears a module's stale errors once its importer is opened (no workspace folder)", async () => {
    const p = project({ "main.ds": MAIN, "left.ds": LEFT, "right.ds": RIGHT });
    const { client } = await start(null);
    await client.open(p.uri("left.ds"), LEFT);
    // Alone, left.ds is a root module: `crate::right` does not exist.
    const alone = await client.forVersion(p.uri("left.ds"), 1);
    expect(alone.diagnostics.length).toBeGreaterThan(0);
    const mark = client.published.length;
    await client.open(p.uri("main.ds"), MAIN);
    const again = await client.diagnostics((x) => x.uri === p.uri("left.ds") && client.published.indexOf(x) >= mark);
    expect(again.diagnostics).toEqual([]);
  });

  it("loads Markdown files with DPL blocks, and leaves other Markdown alone", async () => {
    const p = project({ "guide.md": "# Guide\n\n```dpl\nfn f() -> u64 { let x = ; 1 }\n```\n", "notes.md": "# Notes\n\n```sh\nls\n```\n" });
    const { client } = await start(p.root);
    const guide = await client.diagnostics((x) => x.uri === p.uri("guide.md"));
    expect(guide.diagnostics.map((d) => [d.range.start.line, d.code])).toEqual([[3, "DPL1001"]]);
    await client.request("workspace/symbol", { query: "" });
    expect(client.published.some((x) => x.uri === p.uri("notes.md"))).toBe(false);
  });

  it("answers references and workspace symbols over files that are not open", async () => {
    const p = project({ "main.ds": MAIN, "left.ds": LEFT, "right.ds": RIGHT });
    const { client } = await start(p.root);
    const c = withCursor(RIGHT.replace("fn r_base", "fn r_<|>base"));
    await client.open(p.uri("right.ds"), c.text);
    const refs = await client.request<{ uri: string }[]>("textDocument/references", { textDocument: { uri: p.uri("right.ds") }, position: c.position, context: { includeDeclaration: false } });
    expect(refs.map((r) => r.uri.slice(r.uri.lastIndexOf("/") + 1)).sort()).toEqual(["left.ds", "left.ds", "left.ds", "main.ds"]);
    const syms = await client.request<{ name: string }[]>("workspace/symbol", { query: "r_b" });
    expect(syms.map((s) => s.name)).toEqual(["r_base"]);
  });
});

const ASTRAL = `fn main() -> usize {
    let label = "Φ😀"; let n = label.len();
    n + missing
}
`;

describe("position encodings", () => {
  it("negotiates the client's preferred encoding it supports, UTF-16 when none is offered", () => {
    expect(negotiateEncoding(["utf-32", "utf-8"])).toBe("utf-32");
    expect(negotiateEncoding(["latin-1", "utf-8"])).toBe("utf-8");
    expect(negotiateEncoding(undefined)).toBe("utf-16");
    expect(negotiateEncoding([])).toBe("utf-16");
  });

  it("converts columns after Φ (2 bytes, 1 unit) and 😀 (4 bytes, 2 units, 1 code point)", () => {
    const line = `"Φ😀" x`;
    const x16 = line.indexOf("x");
    expect(fromUtf16(line, x16, "utf-8")).toBe(1 + 2 + 4 + 1 + 1);
    expect(fromUtf16(line, x16, "utf-32")).toBe(5);
    for (const enc of ["utf-8", "utf-16", "utf-32"] as const) expect(toUtf16(line, fromUtf16(line, x16, enc), enc)).toBe(x16);
    // Inside a character: snapped to its start.
    expect(toUtf16(line, 3, "utf-8")).toBe(2);
  });

  for (const [encoding, offset] of [
    ["utf-8", (s: string) => Buffer.byteLength(s, "utf8")],
    ["utf-32", (s: string) => [...s].length],
    ["utf-16", (s: string) => s.length],
  ] as const) {
    it(`speaks ${encoding}: diagnostics, hover and edits after astral characters`, async () => {
      const { client, init } = await start(null, { general: { positionEncodings: [encoding] } });
      expect(init.capabilities.positionEncoding).toBe(encoding);
      const u = pathToFileURL(join(tmpdir(), `dplc-enc-${encoding}.ds`)).href;
      await client.open(u, ASTRAL);
      const d = (await client.forVersion(u, 1)).diagnostics.find((x) => x.code === "DPL2001")!;
      const line2 = ASTRAL.split("\n")[2]!;
      expect(d.range.start).toEqual({ line: 2, character: offset(line2.slice(0, line2.indexOf("missing"))) });
      // Hover on `label` after `😀` on line 1: the position counted in the negotiated units.
      const line1 = ASTRAL.split("\n")[1]!;
      const at = line1.indexOf("label.len") + 2;
      const h = await client.request<Hover>("textDocument/hover", { textDocument: { uri: u }, position: { line: 1, character: offset(line1.slice(0, at)) } });
      expect((h.contents as { value: string }).value).toContain("label");
      // An edit after the astral character, in the negotiated units: `missing` becomes `n`.
      const from = { line: 2, character: offset(line2.slice(0, line2.indexOf("missing"))) };
      const to = { line: 2, character: from.character + "missing".length };
      await client.notify("textDocument/didChange", { textDocument: { uri: u, version: 2 }, contentChanges: [{ range: { start: { line: 1, character: offset(line1) }, end: { line: 1, character: offset(line1) } }, text: " " }, { range: { start: from, end: to }, text: "n" }] });
      expect((await client.forVersion(u, 2)).diagnostics).toEqual([]);
    });
  }
});

describe("pull diagnostics, semantic token deltas, cancellation", () => {
  it("answers textDocument/diagnostic with the check's result, unchanged when nothing changed", async () => {
    const { client, init } = await start(null, { textDocument: { diagnostic: { dynamicRegistration: false } } });
    expect(init.capabilities.diagnosticProvider).toMatchObject({ interFileDependencies: true });
    const u = pathToFileURL(join(tmpdir(), "dplc-pull.ds")).href;
    await client.open(u, ASTRAL);
    const full = await client.request<{ kind: string; resultId: string; items: Diagnostic[] }>("textDocument/diagnostic", { textDocument: { uri: u } });
    expect(full.kind).toBe("full");
    expect(full.items.map((d) => d.code)).toEqual(["DPL2001"]);
    const again = await client.request<{ kind: string; resultId: string }>("textDocument/diagnostic", { textDocument: { uri: u }, previousResultId: full.resultId });
    expect(again).toEqual({ kind: "unchanged", resultId: full.resultId });
    // A client that pulls is not pushed the same diagnostics for its open documents.
    expect(client.published.filter((p) => p.uri === u)).toEqual([]);
  });

  it("sends deltas that turn the previous tokens into the new ones, and tokens for a range", async () => {
    const { client, init } = await start(null);
    expect(init.capabilities.semanticTokensProvider).toMatchObject({ full: { delta: true }, range: true });
    const u = pathToFileURL(join(tmpdir(), "dplc-delta.ds")).href;
    const text = "fn add(a: u64, b: u64) -> u64 {\n    a + b\n}\nfn main() -> u64 {\n    add(1, 2)\n}\n";
    await client.open(u, text);
    await client.forVersion(u, 1);
    const first = await client.request<SemanticTokens>("textDocument/semanticTokens/full", { textDocument: { uri: u } });
    expect(first.resultId).toBeDefined();
    const edited = text.replace("    a + b", "    let c = a;\n    c + b");
    await client.notify("textDocument/didChange", { textDocument: { uri: u, version: 2 }, contentChanges: [{ text: edited }] });
    await client.forVersion(u, 2);
    const delta = await client.request<SemanticTokensDelta>("textDocument/semanticTokens/full/delta", { textDocument: { uri: u }, previousResultId: first.resultId });
    const now = await client.request<SemanticTokens>("textDocument/semanticTokens/full", { textDocument: { uri: u } });
    const applied = [...first.data];
    for (const e of [...delta.edits].reverse()) applied.splice(e.start, e.deleteCount, ...(e.data ?? []));
    expect(applied).toEqual(now.data);
    expect(delta.edits.length).toBe(1);
    expect(delta.edits[0]!.data!.length).toBeLessThan(now.data.length);
    // A stale previous id gets the full tokens.
    const stale = await client.request<SemanticTokens>("textDocument/semanticTokens/full/delta", { textDocument: { uri: u }, previousResultId: "nope" });
    expect(stale.data).toEqual(now.data);
    const range = await client.request<SemanticTokens>("textDocument/semanticTokens/range", { textDocument: { uri: u }, range: { start: { line: 4, character: 0 }, end: { line: 6, character: 0 } } });
    expect(range.data.length).toBeGreaterThan(0);
    expect(range.data[0]).toBe(4); // the first token is on line 4 (`fn main`)
  });

  it("computes range tokens and single-edit deltas", () => {
    // Two tokens on line 0 (cols 3 and 10), one on line 2.
    const data = [0, 3, 3, 6, 0, 0, 7, 1, 8, 0, 2, 4, 5, 6, 0];
    expect(tokensInRange(data, { start: { line: 0, character: 8 }, end: { line: 1, character: 0 } })).toEqual([0, 10, 1, 8, 0]);
    expect(tokensInRange(data, { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } })).toEqual([2, 4, 5, 6, 0]);
    expect(tokenEdit([1, 2, 3, 4], [1, 2, 9, 4])).toEqual({ start: 2, deleteCount: 1, data: [9] });
    expect(tokenEdit([1, 2], [1, 2])).toBeNull();
    expect(tokenEdit([1, 2, 2], [1, 2])).toEqual({ start: 2, deleteCount: 1, data: [] });
  });

  it("answers a cancelled request with RequestCancelled", async () => {
    const { client } = await start(null);
    const u = pathToFileURL(join(tmpdir(), "dplc-cancel.ds")).href;
    const c = withCursor("fn f() -> u64 { 1 }\nfn main() -> u64 { <|>f() }\n");
    await client.open(u, c.text);
    // Sent while the first check is still running; cancelled before it ends.
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest("textDocument/references", { textDocument: { uri: u }, position: c.position, context: { includeDeclaration: true } }, source.token);
    source.cancel();
    const error = await pending.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError<unknown>).code).toBe(-32800);
    // The server is still answering.
    const refs = await client.request<unknown[]>("textDocument/references", { textDocument: { uri: u }, position: c.position, context: { includeDeclaration: true } });
    expect(refs).toHaveLength(2);
  });
});
