/**
 * The language server under bad input on the wire (src/lsp/transport.ts): a malformed
 * header is answered and the server exits with a message (it cannot find the next frame);
 * a body that is not JSON is answered and the server keeps serving; a request before
 * `initialize` gets -32002; a failing feature logs its message, never a stack trace.
 * Raw bytes over `bin/dplc lsp --stdio`, as a broken or hostile client sends them.
 */
import { afterEach, describe, expect, it } from "vitest";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fc from "fast-check";
import { DPLC, REPO_ROOT } from "../helpers.js";
import { internalErrorText } from "../../src/lsp/internal-error.js";

interface Received {
  readonly id?: number | string | null;
  readonly method?: string;
  readonly result?: unknown;
  readonly error?: { code: number; message: string };
  readonly params?: { message?: string };
}

class RawServer {
  readonly child: ChildProcessWithoutNullStreams;
  private stdout = Buffer.alloc(0);
  stderr = "";
  readonly messages: Received[] = [];
  exitCode: number | null | undefined = undefined;
  private readonly exited: Promise<number | null>;

  constructor() {
    this.child = spawn(process.execPath, [DPLC, "lsp", "--stdio"], { cwd: REPO_ROOT, stdio: "pipe" });
    this.child.stdout.on("data", (d: Buffer) => {
      this.stdout = Buffer.concat([this.stdout, d]);
      this.parse();
    });
    this.child.stderr.on("data", (d: Buffer) => (this.stderr += d.toString("utf8")));
    this.exited = new Promise((resolve) => this.child.on("exit", (code) => resolve((this.exitCode = code))));
    this.child.stdin.on("error", () => undefined);
  }

  private parse(): void {
    for (;;) {
      const end = this.stdout.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/.exec(this.stdout.subarray(0, end).toString("ascii"))![1]);
      if (this.stdout.length < end + 4 + length) return;
      this.messages.push(JSON.parse(this.stdout.subarray(end + 4, end + 4 + length).toString("utf8")) as Received);
      this.stdout = this.stdout.subarray(end + 4 + length);
    }
  }

  send(raw: string | Buffer): void {
    this.child.stdin.write(raw);
  }

  sendMessage(message: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
    this.send(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]));
  }

  initialize(id = 1): void {
    this.sendMessage({ id, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } });
    this.sendMessage({ method: "initialized", params: {} });
  }

  /** The first message matching `match`, waiting for it (bounded by the test's timeout). */
  async next(match: (m: Received) => boolean): Promise<Received> {
    for (;;) {
      const m = this.messages.find(match);
      if (m) return m;
      if (this.exitCode !== undefined) throw new Error(`the server exited (${this.exitCode}) before answering; stderr: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  exit(): Promise<number | null> {
    return this.exited;
  }

  kill(): void {
    if (this.exitCode === undefined) this.child.kill();
  }
}

let server: RawServer | undefined;
afterEach(() => server?.kill());

describe("the language server on a bad wire", () => {
  it("answers a malformed Content-Length with a parse error and exits with a message, instead of going deaf", async () => {
    server = new RawServer();
    server.send("Content-Length: abc\r\n\r\n{}");
    const reply = await server.next((m) => m.error !== undefined);
    expect(reply.id).toBeNull();
    expect(reply.error!.code).toBe(-32700);
    expect(await server.exit()).toBe(1);
    expect(server.stderr).toMatch(/^dplc lsp: malformed message: Content-Length: abc is not a byte count; .*; exiting\n$/);
  }, 30_000);

  it("answers a body that is not JSON with a parse error and keeps serving", async () => {
    server = new RawServer();
    server.send("Content-Length: 5\r\n\r\n{abc}");
    server.sendMessage({ id: 3, method: 42 });
    server.initialize();
    expect((await server.next((m) => m.error?.code === -32700)).id).toBeNull();
    expect((await server.next((m) => m.error?.code === -32600)).id).toBe(3);
    const init = await server.next((m) => m.id === 1);
    expect(init.result).toHaveProperty("capabilities");
  }, 30_000);

  it("answers a request before `initialize` with -32002, then initializes", async () => {
    server = new RawServer();
    server.sendMessage({ id: 7, method: "textDocument/hover", params: { textDocument: { uri: "file:///x.ds" }, position: { line: 0, character: 0 } } });
    server.initialize(8);
    const early = await server.next((m) => m.id === 7);
    expect(early.error?.code).toBe(-32002);
    expect((await server.next((m) => m.id === 8)).result).toHaveProperty("capabilities");
  }, 30_000);

  it("logs a failing feature's message to the client, without a stack trace", async () => {
    server = new RawServer();
    server.initialize();
    await server.next((m) => m.id === 1);
    server.sendMessage({ method: "textDocument/didOpen", params: { textDocument: { uri: "file:///w.ds", languageId: "dpl", version: 1, text: "fn main() {}\n" } } });
    // Positions and documents that are not: some features throw inside the server.
    server.sendMessage({ id: 2, method: "textDocument/hover", params: { textDocument: { uri: "file:///w.ds" }, position: "nowhere" } });
    server.sendMessage({ id: 3, method: "textDocument/definition", params: { textDocument: { uri: "file:///w.ds" }, position: { line: "x" } } });
    server.sendMessage({ method: "textDocument/didChange", params: { textDocument: { uri: "file:///w.ds", version: 2 }, contentChanges: [{ range: 5, text: 1 }] } });
    server.sendMessage({ id: 4, method: "textDocument/completion", params: { textDocument: { uri: "file:///w.ds" }, position: null } });
    server.sendMessage({ id: 5, method: "textDocument/semanticTokens/full", params: { textDocument: null } });
    server.sendMessage({ id: 6, method: "textDocument/documentSymbol", params: { textDocument: { uri: 7 } } });
    await server.next((m) => m.id === 2);
    await server.next((m) => m.id === 3);
    await server.next((m) => m.id === 6);
    const logs = server.messages.filter((m) => m.method === "window/logMessage").map((m) => m.params!.message!);
    const replies = server.messages.filter((m) => m.error !== undefined).map((m) => m.error!.message);
    expect(logs.filter((l) => /^dplc: (completion|semanticTokens) failed: .*\(an internal error in dplc; please report it\)$/.test(l)).length).toBe(2);
    for (const text of [...logs, ...replies, server.stderr]) expect(text).not.toMatch(/\n\s+at |\.js:\d+:\d+/);
  }, 30_000);

  it("property: random bytes on the wire get answers or a clean exit, never a hang or a stack trace", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        const s = new RawServer();
        try {
          s.send(Buffer.from(bytes));
          // Whatever the bytes did, a well-formed frame after a blank line is either answered
          // or the server has exited saying why.
          s.send("\r\n\r\n");
          s.initialize(99);
          const outcome = await Promise.race([s.next((m) => m.id === 99).then(() => "answered"), s.exit().then(() => "exited")]);
          if (outcome === "exited") {
            expect(s.exitCode).toBe(1);
            expect(s.stderr).toMatch(/^dplc lsp: malformed message: .*; exiting\n$/);
          }
          expect(s.stderr).not.toMatch(/\n\s+at /);
        } finally {
          s.kill();
        }
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});

describe("internal error text", () => {
  it("keeps the message and drops the stack", () => {
    const e = new TypeError("x is undefined");
    expect(e.stack).toMatch(/\n\s+at /);
    expect(internalErrorText("hover", e)).toBe("dplc: hover failed: x is undefined (an internal error in dplc; please report it)");
  });
});
