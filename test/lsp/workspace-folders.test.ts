/**
 * The workspace-wide protocol in-process (the server over in-memory streams, no child
 * process): `workspace/didChangeWorkspaceFolders` (a folder added is loaded, checked and
 * published; a folder removed has its diagnostics cleared), `workspace/diagnostic` (every
 * file of the workspace, full or unchanged by result id), and DPL1006 for a workspace file
 * that is not UTF-8, as `dplc check` reports it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { PassThrough } from "node:stream";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CancellationTokenSource, createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node.js";
import type { InitializeResult, PublishDiagnosticsParams, WorkspaceDiagnosticReport, WorkspaceDiagnosticReportPartialResult, WorkspaceFullDocumentDiagnosticReport } from "vscode-languageserver-protocol";
import { startLanguageServer } from "../../src/lsp/server.js";
import type { Analyze } from "../../src/lsp/documents.js";
import { undecodableNamesMessage } from "../../src/lsp/workspace-features.js";
import { analyze } from "../../src/compiler/analyze.js";
import { checkSources } from "../../src/compiler/check.js";
import { loadSource } from "../../src/compiler/sources.js";
import { REPO_ROOT } from "../helpers.js";
import { collectFiles } from "../../src/workspace/sources.js";

/** A server in this process, spoken to over streams as an editor would. */
class InProcessClient {
  private readonly toServer = new PassThrough();
  private readonly fromServer = new PassThrough();
  readonly connection: MessageConnection;
  readonly published: PublishDiagnosticsParams[] = [];
  private waiters: { match: (p: PublishDiagnosticsParams) => boolean; resolve: () => void }[] = [];

  /** Each `window/showMessage`, in order. */
  readonly messages: { type: number; message: string }[] = [];
  /** `progress`: each `$/progress` the server sends, in order. */
  readonly progress: { token: string | number; value: unknown }[] = [];

  constructor(options: { debounceMs?: number; analyze?: Analyze } = {}) {
    startLanguageServer({ debounceMs: options.debounceMs ?? 0 }, options.analyze ?? analyze, { input: this.toServer, output: this.fromServer });
    this.connection = createMessageConnection(new StreamMessageReader(this.fromServer), new StreamMessageWriter(this.toServer));
    this.connection.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      this.waiters = this.waiters.filter((w) => (w.match(p) ? (w.resolve(), false) : true));
    });
    this.connection.onNotification("window/logMessage", () => undefined);
    this.connection.onNotification("window/showMessage", (p: { type: number; message: string }) => this.messages.push(p));
    this.connection.onNotification("$/progress", (p: { token: string | number; value: unknown }) => this.progress.push(p));
    this.connection.onRequest("client/registerCapability", () => null);
    this.connection.onRequest("workspace/diagnostic/refresh", () => null);
    this.connection.listen();
  }

  async initialize(folders: readonly string[], capabilities: object): Promise<InitializeResult> {
    const r = await this.connection.sendRequest<InitializeResult>("initialize", {
      processId: null,
      rootUri: null,
      workspaceFolders: folders.map((f) => ({ uri: pathToFileURL(f).href, name: f })),
      capabilities,
    });
    await this.connection.sendNotification("initialized", {});
    return r;
  }

  /**
   * The first publication that matches, among those from the `from`-th on (already received
   * or to come); bounded by the test's timeout.
   */
  until(match: (p: PublishDiagnosticsParams) => boolean, from = 0): Promise<void> {
    if (this.published.slice(from).some(match)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** The last diagnostics published for a file, as `CODE@line` (1-based). */
  last(uri: string): string[] | undefined {
    const p = this.published.filter((x) => x.uri === uri).at(-1);
    return p?.diagnostics.map((d) => `${d.code}@${d.range.start.line + 1}`);
  }

  async close(): Promise<void> {
    await this.connection.sendRequest("shutdown");
    this.connection.dispose();
    this.toServer.end();
  }
}

let clients: InProcessClient[] = [];
afterEach(async () => {
  for (const c of clients) await c.close();
  clients = [];
});

function client(options: ConstructorParameters<typeof InProcessClient>[0] = {}): InProcessClient {
  const c = new InProcessClient(options);
  clients.push(c);
  return c;
}

/** Two workspace folders, each a program with one error in a file no editor opens. */
function folders(): { a: string; b: string; uri: (folder: string, name: string) => string } {
  const root = mkdtempSync(join(tmpdir(), "dplc-folders-"));
  const a = join(root, "a");
  const b = join(root, "b");
  mkdirSync(a);
  mkdirSync(b);
  writeFileSync(join(a, "main.ds"), "mod util;\nfn main() -> u64 {\n    util::one()\n}\n");
  writeFileSync(join(a, "util.ds"), "pub fn one() -> u64 {\n    true\n}\n");
  writeFileSync(join(b, "main.ds"), "fn main() -> u64 {\n    let unused = 1;\n    missing()\n}\n");
  return { a, b, uri: (folder, name) => pathToFileURL(join(folder, name)).href };
}

const FOLDER_CAPS = { workspace: { workspaceFolders: true } };

describe("workspace folders", () => {
  it("advertises folder change notifications and loads an added folder, clears a removed one", async () => {
    const f = folders();
    const c = client();
    const init = await c.initialize([f.a], FOLDER_CAPS);
    expect(init.capabilities.workspace?.workspaceFolders).toEqual({ supported: true, changeNotifications: true });
    await c.until((p) => p.uri === f.uri(f.a, "util.ds") && p.diagnostics.length > 0);
    expect(c.last(f.uri(f.a, "util.ds"))).toEqual(["DPL2003@2"]);
    expect(c.published.some((p) => p.uri.startsWith(pathToFileURL(f.b).href))).toBe(false);

    // Added: folder b's file is checked and published, as `dplc check b` reports it.
    await c.connection.sendNotification("workspace/didChangeWorkspaceFolders", { event: { added: [{ uri: pathToFileURL(f.b).href, name: "b" }], removed: [] } });
    await c.until((p) => p.uri === f.uri(f.b, "main.ds"));
    const loaded = loadSource(join(f.b, "main.ds"));
    if (!loaded.ok) throw new Error(loaded.error);
    const cli = checkSources([loaded.source], { profile: "user", allBlocks: false }).diagnostics.map((d) => `${d.code}@${d.span.start.line}`);
    expect(c.last(f.uri(f.b, "main.ds"))).toEqual(cli);
    expect(cli.length).toBeGreaterThan(0);

    // Removed: folder a's files leave the workspace, their diagnostics cleared.
    const removedAt = c.published.length;
    await c.connection.sendNotification("workspace/didChangeWorkspaceFolders", { event: { added: [], removed: [{ uri: pathToFileURL(f.a).href, name: "a" }] } });
    await c.until((p) => p.uri === f.uri(f.a, "util.ds") && p.diagnostics.length === 0, removedAt);
    expect(c.last(f.uri(f.a, "util.ds"))).toEqual([]);
    expect(c.last(f.uri(f.b, "main.ds"))).toEqual(cli);
  });
});

describe("workspace/diagnostic", () => {
  const PULL_CAPS = { textDocument: { diagnostic: {} }, workspace: { diagnostics: { refreshSupport: true }, workspaceFolders: true } };

  it("reports every workspace file, full at first, then unchanged by result id until a file changes", async () => {
    const f = folders();
    const c = client();
    const init = await c.initialize([f.a], PULL_CAPS);
    expect(init.capabilities.diagnosticProvider).toMatchObject({ workspaceDiagnostics: true });
    // Before the first pull the unopened files are pushed.
    await c.until((p) => p.uri === f.uri(f.a, "util.ds") && p.diagnostics.length > 0);
    const first = await c.connection.sendRequest<WorkspaceDiagnosticReport>("workspace/diagnostic", { previousResultIds: [] });
    const full = first.items as WorkspaceFullDocumentDiagnosticReport[];
    expect(full.map((r) => [r.uri, r.kind, r.version, r.items.map((d) => `${d.code}@${d.range.start.line + 1}`)])).toEqual([
      [f.uri(f.a, "main.ds"), "full", null, []],
      [f.uri(f.a, "util.ds"), "full", null, ["DPL2003@2"]],
    ]);
    // From now on the client pulls: what was pushed is cleared, so nothing shows twice.
    await c.until((p) => p.uri === f.uri(f.a, "util.ds") && p.diagnostics.length === 0);

    const ids = full.map((r) => ({ uri: r.uri, value: r.resultId! }));
    const again = await c.connection.sendRequest<WorkspaceDiagnosticReport>("workspace/diagnostic", { previousResultIds: ids });
    expect(again.items.map((r) => [r.uri, r.kind])).toEqual([
      [f.uri(f.a, "main.ds"), "unchanged"],
      [f.uri(f.a, "util.ds"), "unchanged"],
    ]);

    // util.ds fixed in an editor: it is reported in full (with the buffer's version), main.ds unchanged.
    await c.connection.sendNotification("textDocument/didOpen", { textDocument: { uri: f.uri(f.a, "util.ds"), languageId: "dpl", version: 3, text: "pub fn one() -> u64 {\n    1\n}\n" } });
    const after = await c.connection.sendRequest<WorkspaceDiagnosticReport>("workspace/diagnostic", { previousResultIds: ids });
    expect(after.items.map((r) => [r.uri, r.kind, r.version, r.kind === "full" ? r.items.length : "-"])).toEqual([
      [f.uri(f.a, "main.ds"), "unchanged", null, "-"],
      [f.uri(f.a, "util.ds"), "full", 3, 0],
    ]);
    // The per-document pull agrees with the workspace one.
    const doc = await c.connection.sendRequest<{ kind: string; resultId: string }>("textDocument/diagnostic", { textDocument: { uri: f.uri(f.a, "util.ds") } });
    expect(doc.resultId).toBe(after.items[1]!.resultId);
    // No push for a pulling client after its first workspace pull.
    expect(c.published.filter((p) => p.uri === f.uri(f.a, "util.ds")).at(-1)!.diagnostics).toEqual([]);
  });
});

describe("workspace/diagnostic with partial results", () => {
  const PULL_CAPS = { textDocument: { diagnostic: {} }, workspace: { diagnostics: { refreshSupport: true }, workspaceFolders: true } };
  /** Folder a of `folders()` and a module no other file uses (so an edit of util.ds leaves it settled). */
  function threeFiles(): ReturnType<typeof folders> {
    const f = folders();
    writeFileSync(join(f.a, "lone.ds"), "fn lone() {\n    let x = 1;\n}\n");
    return f;
  }
  const show = (r: WorkspaceDiagnosticReportPartialResult["items"][number]): string => `${r.uri.slice(r.uri.lastIndexOf("/") + 1)}:${r.kind}${r.kind === "full" ? `:${r.items.map((d) => d.code).join(",")}` : ""}`;
  const partials = (c: InProcessClient, token: string): string[][] => c.progress.filter((p) => p.token === token).map((p) => (p.value as WorkspaceDiagnosticReportPartialResult).items.map(show));

  it("streams the settled files first, then each file a pending check publishes, and answers empty", async () => {
    const f = threeFiles();
    // A long debounce: the edit below stays pending until the pull runs the check.
    const c = client({ debounceMs: 60_000 });
    await c.initialize([f.a], PULL_CAPS);
    const whole = await c.connection.sendRequest<WorkspaceDiagnosticReport>("workspace/diagnostic", { previousResultIds: [] });
    expect(whole.items.map(show)).toEqual(["lone.ds:full:DPL8002", "main.ds:full:", "util.ds:full:DPL2003"]);
    const ids = whole.items.map((r) => ({ uri: r.uri, value: r.resultId! }));

    // util.ds fixed in the editor; its check (and main.ds's, which uses it) is pending.
    await c.connection.sendNotification("textDocument/didOpen", { textDocument: { uri: f.uri(f.a, "util.ds"), languageId: "dpl", version: 3, text: "pub fn one() -> u64 {\n    1\n}\n" } });
    const final = await c.connection.sendRequest<WorkspaceDiagnosticReport>("workspace/diagnostic", { previousResultIds: ids, partialResultToken: "stream-1" });
    expect(final.items).toEqual([]);
    expect(partials(c, "stream-1")).toEqual([["lone.ds:unchanged"], ["main.ds:unchanged", "util.ds:full:"]]);
    // The streamed reports are what one answer would have said.
    const again = await c.connection.sendRequest<WorkspaceDiagnosticReport>("workspace/diagnostic", { previousResultIds: ids });
    expect(partials(c, "stream-1").flat()).toEqual(again.items.map(show));
  });

  it("stops between batches when the client cancels", async () => {
    const f = threeFiles();
    let onCheck: (() => void) | undefined;
    // The cancellation is sent while the pending check runs, after the first batch went out.
    const c = client({
      debounceMs: 60_000,
      analyze: (modules, options, session) => {
        onCheck?.();
        return analyze(modules, options, session);
      },
    });
    await c.initialize([f.a], PULL_CAPS);
    const whole = await c.connection.sendRequest<WorkspaceDiagnosticReport>("workspace/diagnostic", { previousResultIds: [] });
    await c.connection.sendNotification("textDocument/didOpen", { textDocument: { uri: f.uri(f.a, "util.ds"), languageId: "dpl", version: 3, text: "pub fn one() -> u64 {\n    1\n}\n" } });
    const source = new CancellationTokenSource();
    onCheck = () => source.cancel();
    const answer = c.connection.sendRequest<WorkspaceDiagnosticReport>("workspace/diagnostic", { previousResultIds: whole.items.map((r) => ({ uri: r.uri, value: r.resultId! })), partialResultToken: "stream-2" }, source.token);
    await expect(answer).rejects.toMatchObject({ code: -32800 });
    expect(partials(c, "stream-2")).toEqual([["lone.ds:unchanged"]]);
  });
});

describe("DPL1006 in the workspace", () => {
  it("publishes one DPL1006 for a workspace file that is not UTF-8, as dplc check does, and clears it once the file is fixed", async () => {
    const f = folders();
    // A Latin-1 `é` in a string: byte 0xe9.
    const bytes = Buffer.concat([Buffer.from('pub fn name() -> String {\n    String::from("caf'), Buffer.from([0xe9]), Buffer.from('")\n}\n')]);
    writeFileSync(join(f.a, "cafe.ds"), bytes);
    const loaded = loadSource(join(f.a, "cafe.ds"));
    if (!loaded.ok) throw new Error(loaded.error);
    const cli = checkSources([loaded.source], { profile: "user", allBlocks: false }).diagnostics.map((d) => `${d.code}@${d.span.start.line}:${d.span.start.column}`);
    expect(cli).toEqual(["DPL1006@2:22"]);

    const c = client();
    await c.initialize([f.a], FOLDER_CAPS);
    const uri = f.uri(f.a, "cafe.ds");
    await c.until((p) => p.uri === uri);
    const published = c.published.filter((p) => p.uri === uri).at(-1)!.diagnostics;
    expect(published.map((d) => `${d.code}@${d.range.start.line + 1}:${d.range.start.character + 1}`)).toEqual(cli);
    expect(published[0]!.message).toContain("byte 0xe9 at offset 47");

    // Opened (the editor decoded it its own way) and closed unsaved: back to the DPL1006.
    await c.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "dpl", version: 1, text: 'pub fn name() -> String {\n    String::from("caf\u00e9")\n}\n' } });
    await c.until((p) => p.uri === uri && p.version === 1);
    expect(c.last(uri)).toEqual([]);
    const mark = c.published.length;
    await c.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
    await c.until((p) => p.uri === uri && p.diagnostics.length === 1, mark);
    expect(c.last(uri)).toEqual(["DPL1006@2"]);

    // Saved as UTF-8: the watcher's event replaces the DPL1006 with the module's own check.
    writeFileSync(join(f.a, "cafe.ds"), 'pub fn name() -> String {\n    String::from("caf\u00e9")\n}\n');
    const saved = c.published.length;
    await c.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri, type: 2 }] });
    await c.until((p) => p.uri === uri && p.diagnostics.length === 0, saved);
    expect(c.last(uri)).toEqual([]);
  });

  it("tells the user once, in a message, of file and folder names that are not UTF-8 (no URI can name them)", async () => {
    const f = folders();
    const latin1 = (dir: string, name: string, tail: string): Buffer => Buffer.concat([Buffer.from(`${dir}/${name}`), Buffer.from([0xe9]), Buffer.from(tail)]);
    writeFileSync(latin1(f.a, "caf", ".ds"), "pub fn x() {}\n");
    mkdirSync(latin1(f.a, "d", ""));
    writeFileSync(Buffer.concat([latin1(f.a, "d", ""), Buffer.from("/inner.ds")]), "pub fn y() {}\n");
    // What `dplc check` reports for the same folder.
    const walk = collectFiles([f.a]).diagnostics;
    expect(walk.map((d) => d.code)).toEqual(["DPL1006", "DPL1006"]);

    const c = client();
    await c.initialize([f.a], FOLDER_CAPS);
    await c.until((p) => p.uri === f.uri(f.a, "util.ds") && p.diagnostics.length > 0);
    expect(c.messages).toHaveLength(1);
    const { type, message } = c.messages[0]!;
    expect(type).toBe(1); // MessageType.Error, as the diagnostic's severity
    expect(message).toContain("DPL1006: 2 file or folder names in the workspace are not valid UTF-8");
    for (const d of walk) expect(message).toContain(`\`${d.span.file}\``);
    expect(message).toMatch(/caf\\xe9\.ds`/);
    // The other files are checked as before, and nothing is published for the bad names.
    expect(c.last(f.uri(f.a, "util.ds"))).toEqual(["DPL2003@2"]);
    expect(c.published.filter((p) => !p.uri.endsWith("/main.ds") && !p.uri.endsWith("/util.ds"))).toEqual([]);

    // One name: the message is the diagnostic itself, with where and its help.
    const one = mkdtempSync(join(tmpdir(), "dplc-one-name-"));
    writeFileSync(latin1(one, "caf", ".ds"), "pub fn x() {}\n");
    const [d] = collectFiles([one]).diagnostics;
    expect(undecodableNamesMessage([d!])).toBe(`dplc: DPL1006: ${d!.message} (at \`${d!.span.file}\`); help: rename the file with a UTF-8 name so that it can be checked`);
  });
});

describe("dustlang forges across a folder's files", () => {
  it("an open file sees the processes its siblings declare in the same forge, as `dplc check DIR` does", async () => {
    const root = mkdtempSync(join(tmpdir(), "dplc-forges-"));
    const dir = join(REPO_ROOT, "fixtures", "check", "dustlang", "forge_files_ok");
    for (const name of ["helpers.ds", "main.ds"]) writeFileSync(join(root, name), readFileSync(join(dir, name), "utf8"));
    const c = client();
    await c.initialize([root], FOLDER_CAPS);
    const main = pathToFileURL(join(root, "main.ds")).href;
    const text = readFileSync(join(root, "main.ds"), "utf8");
    await c.connection.sendNotification("textDocument/didOpen", { textDocument: { uri: main, languageId: "dpl", version: 1, text } });
    // An edit re-checks the open file with what it depends on (not the workspace's first check).
    await c.connection.sendNotification("textDocument/didChange", { textDocument: { uri: main, version: 2 }, contentChanges: [{ text: `${text}\n` }] });
    await c.until((p) => p.uri === main && p.version === 2);
    // Without its sibling, main.ds alone has DPL2001s (test/cli/dust-forges.test.ts).
    expect(c.last(main)).toEqual([]);
    // An edit of the sibling re-checks the open file: `double` gone from helpers.ds.
    const helpers = pathToFileURL(join(root, "helpers.ds")).href;
    const h = readFileSync(join(root, "helpers.ds"), "utf8");
    await c.connection.sendNotification("textDocument/didOpen", { textDocument: { uri: helpers, languageId: "dpl", version: 1, text: h } });
    const edited = c.published.length;
    await c.connection.sendNotification("textDocument/didChange", { textDocument: { uri: helpers, version: 2 }, contentChanges: [{ text: h.replace("proc K::double", "proc K::doubled") }] });
    await c.until((p) => p.uri === main && p.diagnostics.length > 0, edited);
    expect(c.last(main)).toEqual(["DPL2001@7"]);
  });
});
