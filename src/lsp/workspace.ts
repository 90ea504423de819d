/**
 * The workspace model: the `.ds` files of the editor's workspace folders (and Markdown
 * files with DPL blocks) are documents of the pipeline even when no editor has them open,
 * so a check after `initialize` reports on all of them, as `dplc check FOLDER` does, and an
 * edit in one file re-publishes the files it breaks. The file system is watched through
 * the client (`workspace/didChangeWatchedFiles`, registered dynamically): a file created,
 * changed or deleted on disk re-checks that module and its dependents only.
 *
 * The folder walk is the CLI's (`collectFiles`): the same skipped folders, the same order;
 * and so is the reading: a file whose bytes are not UTF-8 is one DPL1006, not a module.
 */
import { readFileSync, statSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { FileChangeType, type FileEvent } from "vscode-languageserver/node.js";
import { collectFiles, sourceFromBytes, UndecodableSource } from "../workspace/sources.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { DPL_FENCE_TAGS, findCodeBlocks } from "../syntax/literate.js";
import { stripBom } from "../syntax/source.js";
import { sourceNameOfUri } from "./positions.js";
import type { DocumentPipeline } from "./documents.js";

/** Past this many files the workspace is not loaded (a home folder opened by mistake). */
export const MAX_WORKSPACE_FILES = 5000;
/** Files larger than this are left to the editor (the compiler refuses them anyway). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** The glob patterns the server asks the client to watch. */
export const WATCHED_GLOBS = ["**/*.ds", "**/*.md"] as const;

export interface WorkspaceScan {
  readonly files: { readonly uri: string; readonly text: string }[];
  /** Files whose bytes are not UTF-8: each is one DPL1006, not a module. */
  readonly undecodable: { readonly uri: string; readonly source: UndecodableSource }[];
  /** What the walk itself reports: names that are not UTF-8 (DPL1006), link loops (DPL8004). */
  readonly walkDiagnostics: Diagnostic[];
  /** Why some folders or files were left out (logged to the client). */
  readonly notes: string[];
}

/** Whether a file belongs to the workspace model: `.ds`, or Markdown with DPL blocks. */
export function isWorkspaceSource(path: string, text: string, allBlocks: boolean): boolean {
  if (/\.ds$/i.test(path)) return true;
  if (!/\.md$/i.test(path)) return false;
  return findCodeBlocks(text).some((b) => allBlocks || DPL_FENCE_TAGS.has(b.tag));
}

/**
 * A workspace file on disk: its text, or, when its bytes are not UTF-8, the undecodable
 * source whose one DPL1006 the server publishes instead of checking it (as `dplc check`).
 */
export type DiskSource = { readonly text: string } | { readonly undecodable: UndecodableSource };

/** A workspace file on disk, or null (missing, unreadable, too large, not a source). */
export function readWorkspaceFile(path: string, allBlocks: boolean): DiskSource | null {
  let bytes: Buffer;
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > MAX_FILE_BYTES) return null;
    bytes = readFileSync(path);
  } catch {
    return null;
  }
  const source = sourceFromBytes(path, bytes, { allBlocks });
  if (source instanceof UndecodableSource) return /\.(ds|md)$/i.test(path) ? { undecodable: source } : null;
  const text = stripBom(bytes.toString("utf8"));
  return isWorkspaceSource(path, text, allBlocks) ? { text } : null;
}

/** The text of a workspace source on disk, or null (missing, unreadable, too large, not a source, not UTF-8). */
export function readWorkspaceSource(path: string, allBlocks: boolean): string | null {
  const f = readWorkspaceFile(path, allBlocks);
  return f && "text" in f ? f.text : null;
}

/** Walk the workspace folders (file paths) for their sources. */
export function scanWorkspace(folders: readonly string[], allBlocks: boolean): WorkspaceScan {
  const notes: string[] = [];
  const existing = folders.filter((f) => {
    try {
      return statSync(f).isDirectory();
    } catch {
      notes.push(`workspace folder ${f} cannot be read; left out`);
      return false;
    }
  });
  if (existing.length === 0) return { files: [], undecodable: [], walkDiagnostics: [], notes };
  const walk = collectFiles(existing);
  notes.push(...walk.errors);
  if (walk.files.length > MAX_WORKSPACE_FILES) {
    notes.push(`the workspace has ${walk.files.length} .ds and .md files, more than ${MAX_WORKSPACE_FILES}: only open files are checked`);
    return { files: [], undecodable: [], walkDiagnostics: walk.diagnostics, notes };
  }
  const files: { uri: string; text: string }[] = [];
  const undecodable: { uri: string; source: UndecodableSource }[] = [];
  for (const path of walk.files) {
    const f = readWorkspaceFile(path, allBlocks);
    if (f === null) continue;
    const uri = pathToFileURL(path).href;
    if ("text" in f) files.push({ uri, text: f.text });
    else undecodable.push({ uri, source: f.undecodable });
  }
  return { files, undecodable, walkDiagnostics: walk.diagnostics, notes };
}

/** The workspace folders an `initialize` request names, as file paths. */
export function workspaceFolderPaths(params: { readonly workspaceFolders?: readonly { readonly uri: string }[] | null; readonly rootUri?: string | null; readonly rootPath?: string | null }): string[] {
  const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  const paths = uris.filter((u) => u.startsWith("file:")).map(sourceNameOfUri);
  if (paths.length === 0 && params.rootPath) paths.push(params.rootPath);
  return paths;
}

/**
 * Apply the client's file events: created and changed files are (re)read from disk,
 * deleted ones forgotten. The pipeline re-checks each with its dependents, debounced, so a
 * burst of events (a branch switch) becomes one check. `onUndecodable` hears of each file
 * whose bytes are (or are no longer, with null) not UTF-8.
 */
export function applyFileEvents(pipeline: DocumentPipeline, events: readonly FileEvent[], allBlocks: boolean, onUndecodable: (uri: string, source: UndecodableSource | null) => void): void {
  for (const e of events) {
    const path = sourceNameOfUri(e.uri);
    if (!e.uri.startsWith("file:") || !/\.(ds|md)$/i.test(path)) continue;
    const known = pipeline.get(e.uri);
    if (known && !known.unopened) continue; // the editor's buffer is the truth while open
    const f = e.type === FileChangeType.Deleted ? null : readWorkspaceFile(path, allBlocks);
    onUndecodable(e.uri, f && "undecodable" in f ? f.undecodable : null);
    if (f && "text" in f) pipeline.load(e.uri, f.text);
    else pipeline.unload(e.uri);
  }
}
