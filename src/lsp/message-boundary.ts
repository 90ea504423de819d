/**
 * What happens to every message between the transport and the handlers, whatever the
 * request: positions converted to and from the negotiated encoding (encoding.ts), and
 * cancellation honoured. A request the client cancelled is answered with
 * `RequestCancelled` (LSP 3.17: every request gets a response) even if its handler went on
 * to produce a result; handlers that run long (workspace-wide searches) also stop early by
 * watching their cancellation token, and the ones waiting for a check give up when it ends.
 */
import { Emitter, type DataCallback, type Disposable, type Event, type Message, type MessageReader, type MessageWriter, type PartialMessageInfo } from "vscode-jsonrpc/node.js";
import { requestUri, type PositionCodec } from "./encoding.js";

/** JSON-RPC error code of a cancelled request (LSP `ErrorCodes.RequestCancelled`). */
export const REQUEST_CANCELLED = -32800;

type Id = string | number;

interface Pending {
  readonly method: string;
  readonly uri: string | null;
  cancelled: boolean;
}

/** State shared by the reader and the writer of one connection. */
export class MessageBoundary {
  private readonly pending = new Map<Id, Pending>();

  constructor(readonly codec: PositionCodec) {}

  /** The reader the connection listens to: `inner`'s messages, converted. */
  reader(inner: MessageReader): MessageReader {
    return new BoundaryReader(inner, (m) => this.fromClient(m));
  }

  /** The writer the connection writes to: converted, cancelled results replaced, then `inner`. */
  writer(inner: MessageWriter): MessageWriter {
    return new BoundaryWriter(inner, (m) => this.toClient(m));
  }

  /** Whether the client cancelled a request that is still being answered. */
  isCancelled(id: Id): boolean {
    return this.pending.get(id)?.cancelled === true;
  }

  private fromClient(m: Message): void {
    const msg = m as { id?: Id; method?: string; params?: unknown };
    if (typeof msg.method !== "string") return; // a response to a request of the server's
    if (msg.method === "$/cancelRequest") {
      const id = (msg.params as { id?: Id } | undefined)?.id;
      const p = id !== undefined ? this.pending.get(id) : undefined;
      if (p) p.cancelled = true;
      return;
    }
    if (msg.id !== undefined) this.pending.set(msg.id, { method: msg.method, uri: requestUri(msg.params), cancelled: false });
    this.codec.incoming(msg.method, msg.params);
  }

  private toClient(m: Message): Message {
    const msg = m as { id?: Id | null; method?: string; params?: unknown; result?: unknown; error?: unknown };
    if (typeof msg.method === "string") {
      // A notification or a request of the server's (publishDiagnostics, applyEdit, ...).
      this.codec.outgoing(msg.params, requestUri(msg.params));
      return m;
    }
    if (msg.id === undefined || msg.id === null) return m;
    const p = this.pending.get(msg.id);
    if (!p) return m;
    this.pending.delete(msg.id);
    if (p.cancelled && msg.error === undefined) {
      return { jsonrpc: "2.0", id: msg.id, error: { code: REQUEST_CANCELLED, message: `${p.method} cancelled by the client` } } as Message;
    }
    if (msg.result !== undefined && !p.method.startsWith("textDocument/semanticTokens")) this.codec.outgoing(msg.result, p.uri);
    return m;
  }
}

class BoundaryReader implements MessageReader {
  constructor(
    private readonly inner: MessageReader,
    private readonly convert: (m: Message) => void,
  ) {}

  get onError(): Event<Error> {
    return this.inner.onError;
  }

  get onClose(): Event<void> {
    return this.inner.onClose;
  }

  get onPartialMessage(): Event<PartialMessageInfo> {
    return this.inner.onPartialMessage;
  }

  listen(callback: DataCallback): Disposable {
    return this.inner.listen((m) => {
      try {
        this.convert(m);
      } catch {
        // A position that cannot be converted is passed on as it came; the feature clamps it.
      }
      callback(m);
    });
  }

  dispose(): void {
    this.inner.dispose();
  }
}

class BoundaryWriter implements MessageWriter {
  private readonly closed = new Emitter<void>();

  constructor(
    private readonly inner: MessageWriter,
    private readonly convert: (m: Message) => Message,
  ) {}

  get onError(): Event<[Error, Message | undefined, number | undefined]> {
    return this.inner.onError;
  }

  get onClose(): Event<void> {
    return this.inner.onClose ?? this.closed.event;
  }

  write(msg: Message): Promise<void> {
    let out = msg;
    try {
      out = this.convert(msg);
    } catch {
      // Never lose a response over a conversion problem.
    }
    return this.inner.write(out);
  }

  end(): void {
    this.inner.end();
  }

  dispose(): void {
    this.inner.dispose();
    this.closed.dispose();
  }
}
