/**
 * `dplc fmt`: format files in place through the compiler API (src/compiler/format.ts).
 * stdout carries what the user asked for (formatted text with --stdin, the files that
 * would change with --check, diffs with --diff); syntax diagnostics go to stderr.
 * Exit: 0 done, 1 a file has syntax errors or (--check) would change, 2 usage or I/O.
 */
import { readFileSync } from "node:fs";
import { formatText, DEFAULT_WIDTH } from "../format/format.js";
import { collectFiles, displayName, ioReason } from "../compiler/sources.js";
import { writeFileAtomic } from "../workspace/write-file.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../syntax/source.js";
import { TextRenderer } from "../diagnostics/render/text.js";
import { UsageError } from "./usage-error.js";
import { useColor } from "./color.js";
import { unifiedDiff } from "./unified-diff.js";
import { resolveTarget } from "./project-target.js";
import { safeLine } from "../diagnostics/render/escape.js";

export interface FmtCommandOptions {
  readonly check: boolean;
  readonly diff: boolean;
  readonly stdin: boolean;
  readonly width?: string;
  readonly color: boolean;
}

function parseWidth(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_WIDTH;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 20 || n > 1000) throw new UsageError(`--width must be a whole number from 20 to 1000, not \`${raw}\``);
  return n;
}

function reportErrors(diagnostics: readonly Diagnostic[], source: SourceFile, color: boolean): void {
  const renderer = new TextRenderer({ text: (f) => (f === source.name ? source.displayText : undefined) }, { color });
  for (const d of diagnostics) process.stderr.write(renderer.render(d) + "\n");
  process.stderr.write(`${safeLine(source.name)}: not formatted: it has ${diagnostics.length === 1 ? "an error" : `${diagnostics.length} errors`}\n`);
}

function readStdin(): string {
  try {
    return readFileSync(0, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read standard input: ${ioReason(e)}`);
  }
}

export function runFmt(paths: readonly string[], opts: FmtCommandOptions): number {
  const width = parseWidth(opts.width);
  const color = useColor(opts.color) && process.stderr.isTTY === true;
  if (opts.diff && !opts.check) throw new UsageError("--diff goes with --check (dplc fmt --check --diff)");
  if (opts.stdin) {
    // One optional path names the input (its extension picks .ds or Markdown).
    if (paths.length > 1) throw new UsageError("--stdin takes at most one path, the name to report the input under");
    const name = paths[0] ?? "<stdin>";
    const input = readStdin();
    const r = formatText(name, input, { width });
    if (!r.ok) {
      reportErrors(r.diagnostics, r.source, color);
      return 1;
    }
    if (!opts.check) {
      process.stdout.write(r.text);
      return 0;
    }
    if (!r.changed) return 0;
    process.stdout.write(opts.diff ? unifiedDiff(name, input, r.text) : `${name}\n`);
    return 1;
  }

  // No paths: the project's src/ (a Dust.toml upward from here), else the current folder.
  const { files, errors } = collectFiles(resolveTarget(paths, undefined).paths);
  if (errors.length > 0) throw new UsageError(errors[0]!);
  let failed = 0;
  let changed = 0;
  for (const file of files) {
    const name = displayName(file);
    let input: string;
    try {
      input = readFileSync(file, "utf8");
    } catch (e) {
      throw new UsageError(`cannot read \`${name}\`: ${ioReason(e)}`);
    }
    const r = formatText(name, input, { width });
    if (!r.ok) {
      reportErrors(r.diagnostics, r.source, color);
      failed++;
      continue;
    }
    if (!r.changed) continue;
    changed++;
    if (opts.check) {
      process.stdout.write(opts.diff ? unifiedDiff(name, input, r.text) : `${name}\n`);
      continue;
    }
    try {
      writeFileAtomic(file, r.text);
    } catch (e) {
      throw new UsageError(`cannot write \`${name}\`: ${ioReason(e)}`);
    }
  }
  const summary = opts.check
    ? `${changed} of ${files.length} ${files.length === 1 ? "file" : "files"} would be reformatted`
    : `formatted ${files.length} ${files.length === 1 ? "file" : "files"}: ${changed} changed`;
  process.stderr.write(`${summary}${failed > 0 ? `, ${failed} not formatted (errors above)` : ""}\n`);
  return failed > 0 || (opts.check && changed > 0) ? 1 : 0;
}
