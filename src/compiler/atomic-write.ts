/**
 * Replace a file's content so that a reader (or a crash) sees the old file or the new
 * one, never half of each: write a temporary file beside it, then rename it over. The
 * file keeps its permission bits.
 */
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export function writeFileAtomic(path: string, content: string): void {
  const mode = statSync(path, { throwIfNoEntry: false })?.mode;
  const tmp = join(dirname(path), `.${basename(path)}.dplc-${process.pid}-${Date.now()}.tmp`);
  try {
    const fd = openSync(tmp, "wx");
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (mode !== undefined) chmodSync(tmp, mode & 0o7777);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
