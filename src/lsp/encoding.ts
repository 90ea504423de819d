/**
 * Position encodings (LSP 3.17 `positionEncoding`): a client may count a line's characters
 * in UTF-8 bytes, UTF-16 code units or code points (UTF-32). The server works in UTF-16
 * throughout (its documents and line indexes are JavaScript strings), so the negotiated
 * encoding is applied at the message boundary, once: positions in what the client sends
 * are converted to UTF-16 before any feature sees them, and positions in what the server
 * sends are converted back. No feature module knows which encoding was chosen, except
 * semantic tokens, whose relative integers are converted where they are computed
 * (semantic-tokens-delta.ts), because deltas between two results cannot be converted after
 * the fact.
 *
 * Converting a column needs the text of its line: open documents are mirrored here from
 * the notifications that carry them; any other file (a workspace file, the stdlib) is read
 * from disk.
 */
import { readFileSync } from "node:fs";
import { TextDocument } from "vscode-languageserver-textdocument";
import { sourceNameOfUri } from "./positions.js";

export type PositionEncoding = "utf-8" | "utf-16" | "utf-32";

const SUPPORTED: readonly PositionEncoding[] = ["utf-8", "utf-16", "utf-32"];

/** The client's most preferred encoding that the server supports; UTF-16 when it offers none. */
export function negotiateEncoding(offered: readonly unknown[] | undefined): PositionEncoding {
  for (const e of offered ?? []) if (SUPPORTED.includes(e as PositionEncoding)) return e as PositionEncoding;
  return "utf-16";
}

/** Units of `encoding` in the first `utf16` UTF-16 units of `line`. */
export function fromUtf16(line: string, utf16: number, encoding: PositionEncoding): number {
  if (encoding === "utf-16") return utf16;
  const end = Math.min(utf16, line.length);
  let units = 0;
  for (let i = 0; i < end; i++) {
    const c = line.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < line.length && isLow(line.charCodeAt(i + 1));
    if (encoding === "utf-32") units += 1;
    else units += c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (pair) i++;
  }
  // Past the end of the line (a position after the last character): keep the excess as is.
  return units + Math.max(0, utf16 - line.length);
}

/** UTF-16 units for `units` of `encoding` into `line`; a position inside a character snaps to its start. */
export function toUtf16(line: string, units: number, encoding: PositionEncoding): number {
  if (encoding === "utf-16") return units;
  let seen = 0;
  let i = 0;
  while (i < line.length) {
    const c = line.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < line.length && isLow(line.charCodeAt(i + 1));
    const width = encoding === "utf-32" ? 1 : c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (seen + width > units) return i;
    seen += width;
    i += pair ? 2 : 1;
  }
  return i + (units - seen);
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

interface Position {
  line: number;
  character: number;
}

function isPosition(v: unknown): v is Position {
  return typeof v === "object" && v !== null && typeof (v as Position).line === "number" && typeof (v as Position).character === "number" && Object.keys(v).length === 2;
}

const isUri = (k: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(k);

/**
 * The negotiated encoding and the text needed to apply it. `encoding` is UTF-16 until the
 * `initialize` request has been read, and every conversion is the identity then.
 */
export class PositionCodec {
  encoding: PositionEncoding = "utf-16";
  private readonly open = new Map<string, TextDocument>();
  private readonly disk = new Map<string, string[] | null>();

  get active(): boolean {
    return this.encoding !== "utf-16";
  }

  /** The text of a line as the client sees it, or "" when unknown (ASCII assumed). */
  lineText(uri: string, line: number): string {
    const doc = this.open.get(uri);
    if (doc) return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, "");
    let lines = this.disk.get(uri);
    if (lines === undefined) {
      try {
        lines = readFileSync(sourceNameOfUri(uri), "utf8").replace(/^\uFEFF/, "").split(/\r?\n/);
      } catch {
        lines = null;
      }
      this.disk.set(uri, lines);
    }
    return lines?.[line] ?? "";
  }

  /** A UTF-16 column of a line to the client's encoding. */
  out(uri: string, line: number, character: number): number {
    return this.active ? fromUtf16(this.lineText(uri, line), character, this.encoding) : character;
  }

  /** A column in the client's encoding to UTF-16. */
  in(uri: string, line: number, character: number): number {
    return this.active ? toUtf16(this.lineText(uri, line), character, this.encoding) : character;
  }

  /** Forget what was read from disk (a file changed there). */
  forgetDisk(uri?: string): void {
    if (uri === undefined) this.disk.clear();
    else this.disk.delete(uri);
  }

  // ---------------------------------------------------------------------------
  // Messages

  /** Convert a client message's positions to UTF-16, keeping the open documents' mirror. */
  incoming(method: string, params: unknown): void {
    if (method === "initialize") {
      const p = params as { capabilities?: { general?: { positionEncodings?: unknown[] } } } | undefined;
      this.encoding = negotiateEncoding(p?.capabilities?.general?.positionEncodings);
      return;
    }
    if (typeof params !== "object" || params === null) return;
    const p = params as Record<string, unknown>;
    switch (method) {
      case "textDocument/didOpen": {
        if (!this.active) return; // UTF-16 needs no mirror
        const td = p.textDocument as { uri: string; languageId: string; version: number; text: string };
        this.open.set(td.uri, TextDocument.create(td.uri, td.languageId, td.version, td.text));
        return;
      }
      case "textDocument/didChange": {
        const td = p.textDocument as { uri: string; version: number };
        const doc = this.open.get(td.uri);
        if (!doc) return;
        // Each change applies to the text the previous one left, so convert them in turn.
        const changes = (p.contentChanges ?? []) as { range?: { start: Position; end: Position }; rangeLength?: number; text: string }[];
        let cur = doc;
        for (const c of changes) {
          if (c.range && this.active) {
            for (const pos of [c.range.start, c.range.end]) pos.character = toUtf16(lineOf(cur, pos.line), pos.character, this.encoding);
            delete c.rangeLength;
          }
          cur = TextDocument.update(cur, [c], td.version);
        }
        this.open.set(td.uri, cur);
        return;
      }
      case "textDocument/didClose":
        this.open.delete((p.textDocument as { uri: string }).uri);
        return;
      case "workspace/didChangeWatchedFiles":
        for (const c of (p.changes ?? []) as { uri: string }[]) this.forgetDisk(c.uri);
        return;
      default:
        if (this.active) this.walk(p, requestUri(p), "in");
    }
  }

  /** Convert a server message's positions (a result for `requestUri`'s document, or a notification). */
  outgoing(value: unknown, requestUri: string | null): void {
    if (this.active) this.walk(value, requestUri, "out");
  }

  private walk(v: unknown, uri: string | null, dir: "in" | "out", key = ""): void {
    if (Array.isArray(v)) {
      for (const x of v) this.walk(x, uri, dir, key);
      return;
    }
    if (typeof v !== "object" || v === null) return;
    if (isPosition(v)) {
      if (uri !== null) v.character = dir === "in" ? this.in(uri, v.line, v.character) : this.out(uri, v.line, v.character);
      return;
    }
    const o = v as Record<string, unknown>;
    // A record keyed by URI (a WorkspaceEdit's `changes`, a report's `relatedDocuments`).
    if (key === "changes" || key === "relatedDocuments") {
      for (const [k, x] of Object.entries(o)) this.walk(x, isUri(k) ? k : uri, dir);
      return;
    }
    const own = typeof o.uri === "string" ? o.uri : typeof o.targetUri === "string" ? o.targetUri : typeof (o.textDocument as { uri?: unknown } | undefined)?.uri === "string" ? (o.textDocument as { uri: string }).uri : uri;
    // An incoming call's ranges are in the caller's document, the `from` item's.
    const fromUri = typeof (o.from as { uri?: unknown } | undefined)?.uri === "string" ? (o.from as { uri: string }).uri : null;
    for (const [k, x] of Object.entries(o)) {
      if (k === "semanticTokens" || k === "data") continue;
      const ctx = k === "originSelectionRange" ? uri : k === "fromRanges" && fromUri ? fromUri : own;
      this.walk(x, ctx, dir, k);
    }
  }
}

function lineOf(doc: TextDocument, line: number): string {
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, "");
}

/** The document a request is about, where its positions and most result positions live. */
export function requestUri(params: unknown): string | null {
  if (typeof params !== "object" || params === null) return null;
  const p = params as { textDocument?: { uri?: unknown }; item?: { uri?: unknown }; uri?: unknown };
  const u = p.textDocument?.uri ?? p.item?.uri ?? p.uri;
  return typeof u === "string" ? u : null;
}
