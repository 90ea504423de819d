/**
 * A minimal LSP client for tests: spawns `bin/dplc lsp --stdio` and speaks JSON-RPC over
 * the child's stdin/stdout, as an editor does. Also the cursor-marker helper: `<|>` in a
 * source text marks the position a request is about.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node.js";
import type { InitializeResult, Position, PublishDiagnosticsParams } from "vscode-languageserver-protocol";
import { DPLC, REPO_ROOT } from "../helpers.js";

export const CURSOR = "<|>";

/** Remove the `<|>` marker; return the text and the marker's LSP position (UTF-16) and offset. */
export function withCursor(marked: string): { text: string; position: Position; offset: number } {
  const offset = marked.indexOf(CURSOR);
  if (offset < 0 || marked.indexOf(CURSOR, offset + 1) >= 0) throw new Error("expected exactly one <|> marker");
  const text = marked.slice(0, offset) + marked.slice(offset + CURSOR.length);
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  const character = offset - (before.lastIndexOf("\n") + 1);
  return { text, position: { line, character }, offset };
}

export class LspClient {
  readonly child: ChildProcessWithoutNullStreams;
  readonly connection: MessageConnection;
  /** Every publishDiagnostics notification, in arrival order. */
  readonly published: PublishDiagnosticsParams[] = [];
  private waiters: { match: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  stderr = "";

  /** `dplc` and `cwd` default to this checkout's launcher, run from the repository. */
  constructor(args: readonly string[] = [], where: { dplc?: string; cwd?: string } = {}) {
    this.child = spawn(process.execPath, [where.dplc ?? DPLC, "lsp", "--stdio", ...args], { cwd: where.cwd ?? REPO_ROOT, stdio: "pipe" });
    this.child.stderr.on("data", (d: Buffer) => (this.stderr += d.toString("utf8")));
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.connection.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(p)) return true;
        w.resolve(p);
        return false;
      });
    });
    this.connection.onNotification("window/logMessage", () => undefined);
    this.connection.listen();
  }

  async initialize(capabilities: object = {}): Promise<InitializeResult> {
    const r = await this.connection.sendRequest<InitializeResult>("initialize", { processId: process.pid, rootUri: null, capabilities });
    await this.connection.sendNotification("initialized", {});
    return r;
  }

  request<T>(method: string, params: object): Promise<T> {
    return this.connection.sendRequest<T>(method, params);
  }

  notify(method: string, params: object): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  open(uri: string, text: string, languageId = "dpl", version = 1): Promise<void> {
    return this.notify("textDocument/didOpen", { textDocument: { uri, languageId, version, text } });
  }

  /** Resolve with the first (already received or future) publication that matches. */
  diagnostics(match: (p: PublishDiagnosticsParams) => boolean, timeoutMs = 20_000): Promise<PublishDiagnosticsParams> {
    const seen = this.published.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching publishDiagnostics within ${timeoutMs} ms; got ${JSON.stringify(this.published.map((p) => [p.uri, p.version]))}; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  forVersion(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    return this.diagnostics((p) => p.uri === uri && p.version === version);
  }

  /** shutdown, then exit; resolves with the server's exit code. */
  async shutdown(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once("exit", (code) => resolve(code)));
    await this.connection.sendRequest("shutdown");
    await this.connection.sendNotification("exit");
    const code = await exited;
    this.connection.dispose();
    return code;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
    this.connection.dispose();
  }
}
