/**
 * An output file of `dplc run` (`--record`, `--telemetry`) written as the run goes.
 *
 * Lines go straight to a temporary file beside the target (same folder, so the final
 * rename is atomic), one `write` per line, so whatever the run has produced is on disk
 * when it is interrupted, killed by a limit or runs out of memory. The target is replaced
 * only by `commit`, once the file is complete (final entry written); until then, and for
 * ever if the run's output must not replace it, the old file at the target is untouched.
 */
import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";

export class StreamedFile {
  #open = true;

  private constructor(
    readonly target: string,
    readonly temp: string,
    readonly fd: number,
  ) {}

  /** The file, or why it cannot be written (checked before the run starts). */
  static open(target: string): StreamedFile | string {
    try {
      if (statSync(target).isDirectory() || !statSync(target).isFile()) return `\`${target}\` is not a regular file`;
    } catch {
      // Absent: the usual case.
    }
    const temp = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
    try {
      return new StreamedFile(target, temp, openSync(temp, "wx+", 0o644));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === "ENOENT" ? `the folder \`${dirname(target)}\` does not exist` : code === "EACCES" || code === "EPERM" ? `no permission to write in \`${dirname(target)}\`` : (e as Error).message;
      return `cannot write \`${target}\`: ${why}`;
    }
  }

  line(text: string): void {
    writeFully(this.fd, text + "\n");
  }

  /** The last complete line written so far, if any. */
  lastLine(): string | undefined {
    const size = fstatSync(this.fd).size;
    let end = size;
    let tail = Buffer.alloc(0);
    // Read backwards in chunks until the line before the last newline is whole.
    while (end > 0) {
      const start = Math.max(0, end - 65536);
      const chunk = Buffer.alloc(end - start);
      readSync(this.fd, chunk, 0, chunk.length, start);
      tail = Buffer.concat([chunk, tail]);
      end = start;
      const text = tail.toString("utf8");
      const body = text.endsWith("\n") ? text.slice(0, -1) : text;
      const cut = body.lastIndexOf("\n");
      if (cut >= 0 || end === 0) return body.slice(cut + 1) || undefined;
    }
    return undefined;
  }

  /** Puts the complete file in place of the target. */
  commit(): void {
    if (!this.#open) return;
    this.#open = false;
    fsyncSync(this.fd);
    closeSync(this.fd);
    renameSync(this.temp, this.target);
  }

  /** Drops what was written; the target keeps what it had. */
  discard(): void {
    if (!this.#open) return;
    this.#open = false;
    closeSync(this.fd);
    rmSync(this.temp, { force: true });
  }
}

/** `writeSync` of all of `text`, waiting out EAGAIN on a non-blocking descriptor (a pipe). */
export function writeFully(fd: number, text: string): void {
  let buf = Buffer.from(text, "utf8");
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (buf.length > 0) {
    try {
      const n = writeSync(fd, buf);
      buf = buf.subarray(n);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
}
