/**
 * Reading user files into `SourceFile`s: `.ds` modules as they are, Markdown as literate
 * modules (language.md §1). I/O problems are values, not exceptions, so the CLI can turn
 * them into its one-line usage errors (exit 2).
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { extname, join, relative, isAbsolute, sep } from "node:path";
import { SourceFile, stripBom } from "../syntax/source.js";
import { literateModule } from "../syntax/literate.js";

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

export function loadSource(path: string, options: LoadOptions = {}): LoadResult {
  let raw: string;
  try {
    raw = readFileSync(path, "utf8");
  } catch (e) {
    return { ok: false, error: `cannot read \`${displayName(path)}\`: ${ioReason(e)}` };
  }
  return { ok: true, source: sourceFromText(displayName(path), raw, options) };
}

export function ioReason(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    default:
      return (e as Error).message ?? String(e);
  }
}

const CHECKABLE = new Set([".ds", ".md"]);

/**
 * Expand the user's paths: files as given (any extension the user names explicitly),
 * folders recursively to their `.ds` and `.md` files, in a stable sorted order.
 */
export function collectFiles(paths: readonly string[]): { files: string[]; errors: string[] } {
  const files: string[] = [];
  const errors: string[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (e) {
      errors.push(`cannot read folder \`${displayName(dir)}\`: ${ioReason(e)}`);
      return;
    }
    for (const name of entries) {
      if (name === "node_modules" || name.startsWith(".")) continue;
      const full = join(dir, name);
      let st;
      try {
        st = statSync(full);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(full);
      else if (CHECKABLE.has(extname(name).toLowerCase())) files.push(full);
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
    if (st.isDirectory()) walk(p);
    else files.push(p);
  }
  return { files: [...new Set(files)], errors };
}
