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
import { closingEntry, type TraceEntry } from "../host/trace/trace-chain.js";
import { signatureLine } from "../host/trace/trace-signature.js";
import { loadTraceKey, traceKeyPath } from "./trace-key.js";

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

/** A trace sink for the kernel: each entry is on disk as soon as it is made. */
export function lineTo(fd: number): (line: string) => void {
  return (line) => writeFully(fd, line + "\n");
}

/**
 * Ends a streamed trace as every recording ends (`dplc run --record`, `dplc test
 * --record`): a final `run_end` saying how the run ended, unless the kernel wrote one,
 * then the signature of the chain head with the user's trace key. Returns a warning when
 * the trace could not be signed. The caller then commits or discards the file.
 */
export function finishTrace(f: StreamedFile, end: { readonly ended: string; readonly status: number; readonly steps?: number }, traceKey?: string): { last: TraceEntry; warning?: string } {
  const lastLine = f.lastLine();
  let last = lastLine !== undefined ? (JSON.parse(lastLine) as TraceEntry) : undefined;
  if (last?.event_type !== "run_end") {
    const line = closingEntry(last, end.ended, end.status, end.steps !== undefined ? { steps: end.steps } : {});
    f.line(line);
    last = JSON.parse(line) as TraceEntry;
  }
  const key = loadTraceKey(traceKeyPath(traceKey), true);
  if (!key.ok) return { last: last!, warning: `the trace \`${f.target}\` is not signed: ${key.message}` };
  f.line(signatureLine(last!.hash, Number(last!.event_id) + 1, key.key.secretKey));
  return { last: last! };
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
