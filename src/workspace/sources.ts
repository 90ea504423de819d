/**
 * Reading user files into `SourceFile`s: `.ds` modules as they are, Markdown as literate
 * modules (language.md §1). I/O problems are values, not exceptions, so the CLI can turn
 * them into its one-line usage errors (exit 2).
 */
import { diagnosticOf } from "../diagnostics/messages/message.js";
import { Warnings } from "../diagnostics/messages/warnings.js";
import { Encoding } from "../diagnostics/messages/encoding.js";
import { closeSync, constants, fstatSync, openSync, readFileSync, readdirSync, realpathSync, statSync } from "node:fs";
import { isUtf8 } from "node:buffer";
import { extname, join, relative, isAbsolute, sep } from "node:path";
import { SourceFile, stripBom } from "../syntax/source.js";
import { literateModule } from "../syntax/literate.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { isOwnedOutDir } from "./write-file.js";
import { parseSource, type ParseOptions } from "../syntax/parse.js";
import type { Module } from "../syntax/ast.js";
import { setLookaheadStore } from "../syntax/lookahead.js";
import { frontEndBuild, installationTag, readCacheEntry, writeCacheEntry } from "./start-cache.js";
import { ioReason } from "./io-reason.js";

export { ioReason } from "./io-reason.js";

// The parser keeps its lookahead sets in the user's cache (syntax/lookahead.ts).
setLookaheadStore({ tag: installationTag(), read: readCacheEntry, write: writeCacheEntry, build: frontEndBuild });

export interface LoadOptions {
  /** Check every fenced block of Markdown files, not only those tagged dust/dpl/ds. */
  readonly allBlocks?: boolean;
}

export type LoadResult = { readonly ok: true; readonly source: SourceFile } | { readonly ok: false; readonly error: string };

/** The name shown to users: relative to the working directory when inside it, with `/`. */
export function displayName(path: string, cwd = process.cwd()): string {
  const rel = isAbsolute(path) ? relative(cwd, path) : path;
  const shown = rel.startsWith("..") || isAbsolute(rel) ? path : rel;
  return shown.split(sep).join("/");
}

export function sourceFromText(name: string, raw: string, options: LoadOptions = {}): SourceFile {
  const text = stripBom(raw);
  if (name.toLowerCase().endsWith(".md")) {
    const lm = literateModule(text, options.allBlocks ?? false);
    return new SourceFile(name, lm.text, undefined, text);
  }
  return new SourceFile(name, text);
}

/**
 * A file whose bytes are not UTF-8. Its text (undecodable bytes shown as U+FFFD) is for code
 * frames only: the module is not lexed, so a UTF-16 file or one stray byte is one
 * DPL1006 at the first bad byte, not a cascade of syntax errors.
 */
export class UndecodableSource extends SourceFile {
  constructor(
    name: string,
    text: string,
    /** The first byte that is not part of a valid UTF-8 sequence: its offset in the file and its value. */
    readonly badByte: { readonly offset: number; readonly value: number; readonly textOffset: number },
    readonly looksUtf16: boolean,
  ) {
    super(name, text);
  }

  diagnostic(): Diagnostic {
    const { offset, value, textOffset } = this.badByte;
    const hex = value.toString(16).padStart(2, "0");
    return diagnosticOf(this.span(textOffset, textOffset + 1), Encoding.fileBytes(hex, offset, this.looksUtf16));
  }
}

/** Decode a file's bytes: UTF-8 (a BOM is dropped), or an `UndecodableSource` that says where it is not. */
export function sourceFromBytes(name: string, bytes: Uint8Array, options: LoadOptions = {}): SourceFile {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buf)) return sourceFromText(name, buf.toString("utf8"), options);
  const offset = firstInvalidUtf8(buf);
  const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 1 : 0;
  const textOffset = buf.subarray(0, offset).toString("utf8").length - bom;
  const utf16 = (buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff);
  return new UndecodableSource(name, stripBom(buf.toString("utf8")), { offset, value: buf[offset] ?? 0, textOffset }, utf16);
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence (RFC 3629), or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (n === 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i;
    const c1 = b[i + 1]!;
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f) || (c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f)) return i;
    i += n + 1;
  }
  return -1;
}

/** A name's bytes as text, every byte that is not printable ASCII written `\xNN`. */
export function escapedBytes(name: Uint8Array): string {
  let out = "";
  for (const c of name) out += c >= 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, "0")}`;
  return out;
}

/** The syntax of a loaded source: a file that is not UTF-8 is not lexed, and its one diagnostic says why. */
export function parseLoaded(source: SourceFile, options: ParseOptions = {}): { readonly module: Module; readonly diagnostics: Diagnostic[] } {
  if (source instanceof UndecodableSource) return { module: { kind: "Module", file: source.name, items: [], docs: [], span: source.span(0, source.text.length) }, diagnostics: [source.diagnostic()] };
  const r = parseSource(source, "auto", options);
  return { module: r.module, diagnostics: r.diagnostics };
}

/** Read a source file (named `shownName` in diagnostics): regular files only, decoded as UTF-8 or reported. */
export function loadSource(path: string, options: LoadOptions = {}, shownName: string = displayName(path)): LoadResult {
  let bytes: Buffer;
  try {
    // Non-blocking open: a FIFO or a device must never stall a check; only regular files are read.
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      if (!fstatSync(fd).isFile()) return { ok: false, error: `cannot read \`${displayName(path)}\`: not a regular file` };
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    return { ok: false, error: `cannot read \`${displayName(path)}\`: ${ioReason(e)}` };
  }
  return { ok: true, source: sourceFromBytes(shownName, bytes, options) };
}


const CHECKABLE = new Set([".ds", ".md"]);

export interface CollectedFiles {
  readonly files: string[];
  /** Paths that cannot be read at all: usage errors (exit 2). */
  readonly errors: string[];
  /** What the walk found on the way: symlink loops (DPL8004), names that are not UTF-8 (DPL1006). */
  readonly diagnostics: Diagnostic[];
}

/**
 * Expand the user's paths: files as given (any extension the user names explicitly),
 * folders recursively to their `.ds` and `.md` regular files, in a stable sorted order.
 *
 * The walk goes by real path: a folder or file reached through several links is visited
 * once (under the first name met), and a link back to a folder being walked is a loop,
 * reported and not followed. Folders that `dplc build` owns are skipped: their `.ds` are
 * copies of the stdlib. A name that is not UTF-8 cannot be shown or read faithfully, so it
 * is reported rather than dropped.
 */
export function collectFiles(paths: readonly string[]): CollectedFiles {
  const files: string[] = [];
  const errors: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();
  const at = (shown: string) => new SourceFile(shown, "").span(0, 0);
  const addFile = (full: string): void => {
    let real = full;
    try {
      real = realpathSync(full);
    } catch {
      // Keep the given name: reading it will say what is wrong.
    }
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    files.push(full);
  };
  const walk = (dir: string, real: string, ancestors: ReadonlyMap<string, string>): void => {
    seenDirs.add(real);
    let entries: { name: string; bytes: Buffer }[];
    try {
      entries = readdirSync(dir, { encoding: "buffer" })
        .map((bytes) => ({ name: bytes.toString("utf8"), bytes }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : Buffer.compare(a.bytes, b.bytes)));
    } catch (e) {
      errors.push(`cannot read folder \`${displayName(dir)}\`: ${ioReason(e)}`);
      return;
    }
    const inside = new Map(ancestors).set(real, dir);
    for (const { name, bytes } of entries) {
      if (!isUtf8(bytes)) {
        reportUndecodableName(dir, bytes, at, diagnostics);
        continue;
      }
      if (name === "node_modules" || name.startsWith(".")) continue;
      const full = join(dir, name);
      let st;
      try {
        st = statSync(full);
      } catch (e) {
        if ((e as { code?: string }).code === "ELOOP") diagnostics.push(loopDiagnostic(at(displayName(full)), full, null));
        continue; // a dangling link
      }
      if (st.isDirectory()) {
        let realDir: string;
        try {
          realDir = realpathSync(full);
        } catch {
          continue;
        }
        const loopsTo = inside.get(realDir);
        if (loopsTo !== undefined) diagnostics.push(loopDiagnostic(at(displayName(full)), full, loopsTo));
        else if (!seenDirs.has(realDir) && !isOwnedOutDir(full)) walk(full, realDir, inside);
      } else if (st.isFile() && CHECKABLE.has(extname(name).toLowerCase())) addFile(full);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      errors.push(`cannot read \`${displayName(p)}\`: ${ioReason(e)}`);
      continue;
    }
    if (st.isDirectory()) {
      const real = realpathSync(p);
      if (!seenDirs.has(real)) walk(p, real, new Map());
    } else addFile(p);
  }
  return { files, errors, diagnostics };
}

function loopDiagnostic(span: ReturnType<SourceFile["span"]>, link: string, target: string | null): Diagnostic {
  const where = target === null ? "resolves to itself" : `leads back to \`${displayName(target)}\`, a folder being checked`;
  return diagnosticOf(span, Warnings.symlinkLoop(displayName(link), where));
}

function reportUndecodableName(dir: string, name: Buffer, at: (shown: string) => ReturnType<SourceFile["span"]>, out: Diagnostic[]): void {
  const full = Buffer.concat([Buffer.from(dir.endsWith(sep) ? dir : dir + sep), name]);
  let st;
  try {
    st = statSync(full);
  } catch {
    return;
  }
  const ext = extname(name.toString("latin1")).toLowerCase();
  if (!st.isDirectory() && !(st.isFile() && CHECKABLE.has(ext))) return;
  const shown = displayName(join(dir, escapedBytes(name)));
  const bad = name[firstInvalidUtf8(name)] ?? 0;
  out.push(
    diagnosticOf(at(shown), Encoding.fileName(escapedBytes(name), bad.toString(16).padStart(2, "0"), st.isDirectory())),
  );
}
