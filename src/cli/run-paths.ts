/**
 * The files `dplc run` writes (`--record`, `--telemetry`), checked before anything runs: an
 * output must not be one of the run's inputs (the program, the `--replay` trace) nor the
 * other output, whatever the spelling (`./p.ds`, a symlink, a hard link), and its folder
 * must exist and be writable, so a run never ends by destroying an input or by losing what
 * it recorded (docs/security.md, "Files and the file system").
 */
import { accessSync, constants, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { displayName, ioReason } from "../compiler/sources.js";

export interface RunPaths {
  readonly program: string;
  readonly replay?: string;
  readonly record?: string;
  readonly telemetry?: string;
}

/** One identity per file: device and inode when it exists, else its real folder and name. */
function identity(path: string): string {
  try {
    const st = statSync(path);
    return `inode:${st.dev}:${st.ino}`;
  } catch {
    try {
      return `path:${join(realpathSync(dirname(resolve(path))), basename(path))}`;
    } catch {
      return `path:${resolve(path)}`;
    }
  }
}

/** Why an output cannot be written, or null when it can (as far as can be known before writing). */
function unwritable(path: string): string | null {
  const folder = dirname(resolve(path));
  try {
    if (!statSync(folder).isDirectory()) return `\`${displayName(folder)}\` is not a folder`;
    accessSync(folder, constants.W_OK);
  } catch (e) {
    return `folder \`${displayName(folder)}\`: ${ioReason(e)}`;
  }
  try {
    const st = statSync(path);
    if (!st.isFile()) return "it exists and is not a regular file";
    accessSync(path, constants.W_OK);
  } catch (e) {
    if ((e as { code?: string }).code !== "ENOENT") return ioReason(e);
  }
  return null;
}

/** The first problem with a run's output paths as one line for the user, or null. */
export function runPathsProblem(p: RunPaths): string | null {
  const inputs: [string, string][] = [[`the program \`${displayName(p.program)}\``, identity(p.program)]];
  if (p.replay !== undefined) inputs.push([`the trace given to \`--replay\` (\`${displayName(p.replay)}\`)`, identity(p.replay)]);
  const outputs: [string, string][] = [];
  if (p.record !== undefined) outputs.push(["--record", p.record]);
  if (p.telemetry !== undefined) outputs.push(["--telemetry", p.telemetry]);
  const seen = new Map<string, string>();
  for (const [flag, path] of outputs) {
    const id = identity(path);
    for (const [what, inputId] of inputs) if (id === inputId) return `\`${flag} ${displayName(path)}\` would overwrite ${what}; write it to another file`;
    const other = seen.get(id);
    if (other !== undefined) return `\`${other}\` and \`${flag}\` name the same file \`${displayName(path)}\`; give each its own file`;
    seen.set(id, flag);
    const why = unwritable(path);
    if (why !== null) return `cannot write \`${flag} ${displayName(path)}\`: ${why}`;
  }
  return null;
}
