/**
 * The language server's side of the wire: LSP base-protocol frames (`Content-Length`
 * headers, a JSON body) read from a stream, checked before anything else sees them.
 *
 * The stock reader of vscode-jsonrpc stops reading for good after a malformed header and
 * drops a body that is not JSON without a word, so one bad frame left the server deaf
 * while the editor waited. Here every bad frame gets an answer:
 *  - a body that is not JSON, or not a JSON-RPC message: a `-32700`/`-32600` error response
 *    (id `null`), and reading goes on with the next frame (the framing is intact);
 *  - a header without a valid `Content-Length` (or an oversized one): the same parse error,
 *    then `onFatal` — the byte stream cannot be resynchronised, so the server says why and
 *    exits rather than guess where the next frame starts;
 *  - a request before `initialize`: error `-32002` (ServerNotInitialized), as the LSP
 *    specification asks; notifications before it are dropped, except `exit`.
 */
import type { Readable } from "node:stream";
import { AbstractMessageReader, type DataCallback, type Disposable, type Message, type MessageWriter } from "vscode-jsonrpc/node.js";

/** Longest header block accepted (real clients send one or two short lines). */
export const MAX_HEADER_BYTES = 8 * 1024;
/** Largest message body accepted: a document past dplc's source size limit, with room for JSON escaping. */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const SERVER_NOT_INITIALIZED = -32002;

const HEADER_END = Buffer.from("\r\n\r\n", "ascii");

export class GuardedMessageReader extends AbstractMessageReader {
  private buffer: Buffer = Buffer.alloc(0);
  private bodyLength: number | null = null;
  private callback: DataCallback | null = null;
  private initialized = false;
  private dead = false;

  constructor(
    private readonly input: Readable,
    private readonly writer: MessageWriter,
    private readonly onFatal: (message: string) => void,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    const onData = (chunk: Buffer): void => this.receive(chunk);
    const onEnd = (): void => this.fireClose();
    const onError = (e: Error): void => this.fireError(e);
    this.input.on("data", onData);
    this.input.on("end", onEnd);
    this.input.on("close", onEnd);
    this.input.on("error", onError);
    return {
      dispose: () => {
        this.input.off("data", onData);
        this.input.off("end", onEnd);
        this.input.off("close", onEnd);
        this.input.off("error", onError);
      },
    };
  }

  private receive(chunk: Buffer): void {
    if (this.dead) return;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.bodyLength === null) {
        const end = this.buffer.indexOf(HEADER_END);
        if (end < 0) {
          if (this.buffer.length > MAX_HEADER_BYTES) this.fatal(`a message header longer than ${MAX_HEADER_BYTES} bytes`);
          return;
        }
        const header = this.buffer.subarray(0, end).toString("ascii");
        this.buffer = this.buffer.subarray(end + HEADER_END.length);
        const length = contentLength(header);
        if (typeof length === "string") return this.fatal(length);
        this.bodyLength = length;
      }
      if (this.buffer.length < this.bodyLength) return;
      const body = this.buffer.subarray(0, this.bodyLength);
      this.buffer = this.buffer.subarray(this.bodyLength);
      this.bodyLength = null;
      this.deliver(body);
      if (this.dead) return;
    }
  }

  private deliver(body: Buffer): void {
    let value: unknown;
    try {
      value = JSON.parse(body.toString("utf8"));
    } catch {
      void this.reply(null, PARSE_ERROR, "Parse error: the message body is not JSON");
      return;
    }
    if (!isMessage(value)) {
      void this.reply(idOf(value), INVALID_REQUEST, "Invalid Request: not a JSON-RPC 2.0 message");
      return;
    }
    const m = value as { id?: unknown; method?: unknown };
    if (!this.initialized && typeof m.method === "string") {
      if (m.method === "initialize") this.initialized = true;
      else if (m.method !== "exit") {
        if (m.id !== undefined) void this.reply(idOf(value), SERVER_NOT_INITIALIZED, `Server not initialized: \`${m.method}\` before \`initialize\``);
        return;
      }
    }
    this.callback?.(value as Message);
  }

  private reply(id: string | number | null, code: number, message: string): Promise<void> {
    return this.writer.write({ jsonrpc: "2.0", id, error: { code, message } } as Message);
  }

  private fatal(problem: string): void {
    this.dead = true;
    this.buffer = Buffer.alloc(0);
    const message = `malformed message: ${problem}; the stream cannot be resynchronised`;
    void this.reply(null, PARSE_ERROR, `Parse error: ${message}`).finally(() => this.onFatal(message));
  }
}

/** The body length a header block announces, or what is wrong with it. */
function contentLength(header: string): number | string {
  let length: number | string = "a header without Content-Length";
  for (const line of header.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon < 0) return `a header line without \`:\` (${printable(line)})`;
    if (line.slice(0, colon).trim().toLowerCase() !== "content-length") continue;
    const v = line.slice(colon + 1).trim();
    if (!/^\d{1,10}$/.test(v)) return `Content-Length: ${printable(v)} is not a byte count`;
    const n = Number(v);
    if (n > MAX_MESSAGE_BYTES) return `Content-Length: ${n} is over the ${MAX_MESSAGE_BYTES}-byte limit`;
    length = n;
  }
  return length;
}

function printable(s: string): string {
  const t = s.length > 40 ? `${s.slice(0, 40)}…` : s;
  return t.replace(/[^\x20-\x7e…]/g, "?");
}

function isMessage(v: unknown): boolean {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const m = v as Record<string, unknown>;
  if (m.jsonrpc !== "2.0") return false;
  if ("method" in m) return typeof m.method === "string";
  return "id" in m && ("result" in m || "error" in m);
}

function idOf(v: unknown): string | number | null {
  const id = typeof v === "object" && v !== null ? (v as { id?: unknown }).id : undefined;
  return typeof id === "string" || typeof id === "number" ? id : null;
}
