/**
 * The file system as the analysis sees it: module files read for `mod m;` and the stdlib,
 * the stdlib's folders listed. Everything that reads sources from disk goes through here
 * (or sources.ts, for the files a command was given), so the analysis itself touches no
 * file system.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { SourceFile } from "../syntax/source.js";
import type { Module } from "../syntax/ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { loadSource, parseLoaded } from "./sources.js";
import type { ParseOptions } from "../syntax/parse.js";
import { parseOptionsFor, type CheckOptions } from "./options.js";

export interface ParsedModule {
  readonly source: SourceFile;
  readonly ast: Module;
  readonly syntaxDiagnostics: readonly Diagnostic[];
}

export function parseModule(source: SourceFile, options: ParseOptions = {}): ParsedModule {
  const r = parseLoaded(source, options);
  return { source, ast: r.module, syntaxDiagnostics: r.diagnostics };
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Read and parse a module file from disk (for `mod m;` targets the run was not given), as a check with `options` parses. */
export function parseFileFromDisk(path: string, shownName: string, options?: CheckOptions): ParsedModule | null {
  if (!existsSync(path)) return null;
  // The same reading as the CLI's: never blocks on a FIFO, reports bytes that are not UTF-8.
  const loaded = loadSource(path, {}, shownName);
  if (!loaded.ok) return null;
  return parseModule(loaded.source, parseOptionsFor(loaded.source, options));
}

/** The `.ds` files and the folders of a folder, sorted; hidden entries left out. */
export function listDs(dir: string): { files: string[]; dirs: string[] } {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return { files: [], dirs: [] };
  }
  const files: string[] = [];
  const dirs: string[] = [];
  for (const n of names) {
    if (n.startsWith(".")) continue;
    const full = join(dir, n);
    let st;
    try {
      st = statSync(full);
    } catch {
      continue;
    }
    if (st.isDirectory()) dirs.push(full);
    else if (n.endsWith(".ds")) files.push(full);
  }
  return { files, dirs };
}

/** What changes when a file is edited (size and modification time), for caches. */
export function fileStamp(path: string): string {
  const st = statSync(path);
  return `${st.size}:${st.mtimeMs}`;
}
