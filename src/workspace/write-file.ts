/**
 * The one way dplc writes a file a user can see: into a temporary file beside the target,
 * then renamed over it, so a reader (or a crash) sees the old file or the new one, never
 * half of one. And the one way `dplc build` decides where it may write: only into a folder
 * it owns, marked by a file it created there (docs/security.md, "Files and the file
 * system").
 */
import { closeSync, existsSync, fchmodSync, mkdirSync, openSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, isAbsolute, sep } from "node:path";
import { randomBytes } from "node:crypto";

/** Write `text` to `path` atomically: a temporary file in the same folder, then a rename. */
export function writeFileAtomic(path: string, text: string | Uint8Array, mode = 0o666): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
  // A file that is replaced keeps its permission bits (a formatted script stays executable).
  const existing = statSync(path, { throwIfNoEntry: false })?.mode;
  // `wx`: the temporary name must be new, never a file (or link) someone put there.
  const fd = openSync(tmp, "wx", mode);
  try {
    try {
      if (existing !== undefined) fchmodSync(fd, existing & 0o7777);
      // No fsync: the promise is "the old file or the new one" across a crash of dplc, not
      // durability across a power cut, and a build writes hundreds of files.
      writeFileSync(fd, text);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** The file `dplc build` creates in every folder it owns; it lists the files dplc wrote there. */
export const OUT_DIR_MARKER = ".dplc-build";
const MARKER_HEADER = "# written by dplc build: this folder and the files listed below are dplc's output\n";

/** Whether `dir` is a folder `dplc build` created (dplc check skips these). */
export function isOwnedOutDir(dir: string): boolean {
  try {
    return readFileSync(join(dir, OUT_DIR_MARKER), "utf8").startsWith(MARKER_HEADER);
  } catch {
    return false;
  }
}

/** Whether a build may write into an out dir (and which files there are already its own), or why not. */
export type OutDirCheck = { readonly ok: true; readonly owned: ReadonlySet<string> } | { readonly ok: false; readonly error: string };

/** A path with its symlinks resolved as far as it exists (the rest appended as given). */
function realish(path: string): string {
  const abs = resolve(path);
  let head = abs;
  const tail: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(head), ...tail.reverse());
    } catch {
      const parent = dirname(head);
      if (parent === head) return abs;
      tail.push(basename(head));
      head = parent;
    }
  }
}

function isWithin(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/**
 * May a build write into `outDir`, given the source roots it reads (the folders and files
 * named on the command line, the stdlib)? Not when the out dir is a root, holds one, or is
 * inside one; not when it is a non-empty folder without our marker.
 */
export function checkOutDir(outDir: string, sourceRoots: readonly string[], shown: (p: string) => string): OutDirCheck {
  const out = realish(outDir);
  for (const root of sourceRoots) {
    const r = realish(root);
    if (isWithin(r, out) || isWithin(out, r)) {
      const how = out === r ? "is" : isWithin(r, out) ? "contains" : "is inside";
      return { ok: false, error: `the out dir \`${shown(outDir)}\` ${how} the source root \`${shown(root)}\`; build into a folder outside the sources` };
    }
  }
  let entries: string[];
  try {
    if (!statSync(out).isDirectory()) return { ok: false, error: `the out dir \`${shown(outDir)}\` is not a folder` };
    entries = readdirSync(out);
  } catch {
    return { ok: true, owned: new Set() }; // a new folder: ours once created
  }
  if (entries.length === 0) return { ok: true, owned: new Set() };
  if (!isOwnedOutDir(out)) return { ok: false, error: `the out dir \`${shown(outDir)}\` is not empty and was not created by dplc build (no ${OUT_DIR_MARKER} file); choose a new or empty folder` };
  const listed = readFileSync(join(out, OUT_DIR_MARKER), "utf8").split("\n").slice(1).filter((l) => l.length > 0).flatMap(parseListed);
  return { ok: true, owned: new Set(listed) };
}

/** A marker line: one JSON string (a path may hold any character, a newline too). */
function parseListed(line: string): string[] {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === "string" ? [v] : [];
  } catch {
    return [];
  }
}

/**
 * Write a build's files into `outDir` (already accepted by `checkOutDir`): the marker
 * first, so the folder is recognisably ours even if the build is interrupted, then every
 * file atomically. A file that exists and is not in the marker's list was not written by
 * dplc: the build stops before writing anything.
 */
export function writeOwnedTree(outDir: string, owned: ReadonlySet<string>, files: readonly { path: string; text: string }[], shown: (p: string) => string): { ok: true } | { ok: false; error: string } {
  for (const f of files) {
    const target = join(outDir, ...f.path.split("/"));
    if (!owned.has(f.path) && existsSync(target)) return { ok: false, error: `\`${shown(target)}\` was not written by dplc; refusing to overwrite it (move it away or build into a new folder)` };
  }
  mkdirSync(outDir, { recursive: true });
  const all = [...new Set([...owned, ...files.map((f) => f.path)])].sort();
  writeFileAtomic(join(outDir, OUT_DIR_MARKER), MARKER_HEADER + all.map((p) => `${JSON.stringify(p)}\n`).join(""));
  for (const f of files) {
    const target = join(outDir, ...f.path.split("/"));
    mkdirSync(dirname(target), { recursive: true });
    writeFileAtomic(target, f.text);
  }
  return { ok: true };
}
