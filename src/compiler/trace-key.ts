/**
 * The key that signs the traces a user records (src/host/trace/trace-signature.ts).
 *
 * It lives in the user's own config folder, `$XDG_CONFIG_HOME/dplc/trace-key.json` or
 * `~/.config/dplc/trace-key.json`, unless `--trace-key FILE` or `DPLC_TRACE_KEY` names
 * another file. It is created on first use (folder 0700, file 0600, written to a temporary
 * file and renamed, so a half-written key never exists) and refused when someone else could
 * read or replace it: a key others can read signs their forgeries too.
 */
import { ed25519 } from "@noble/curves/ed25519";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils";
import { closeSync, fsyncSync, lstatSync, mkdirSync, linkSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

export interface TraceKey {
  readonly path: string;
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export type TraceKeyResult = { readonly ok: true; readonly key: TraceKey } | { readonly ok: false; readonly message: string };

export function traceKeyPath(explicit?: string): string {
  if (explicit) return explicit;
  const env = process.env["DPLC_TRACE_KEY"];
  if (env) return env;
  const config = process.env["XDG_CONFIG_HOME"] || join(homedir(), ".config");
  return join(config, "dplc", "trace-key.json");
}

function problemWith(path: string): string | undefined {
  const st = lstatSync(path);
  if (!st.isFile()) return `the trace key \`${path}\` is not a regular file`;
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) return `the trace key \`${path}\` belongs to another user (uid ${st.uid})`;
  if ((st.mode & 0o077) !== 0) return `the trace key \`${path}\` can be read or changed by others (mode ${(st.mode & 0o777).toString(8)}): run \`chmod 600 ${path}\``;
  return undefined;
}

/** The key at `path`; `create` makes one when there is none (recording), replay never does. */
export function loadTraceKey(path: string, create: boolean): TraceKeyResult {
  let text: string;
  try {
    const problem = problemWith(path);
    if (problem) return { ok: false, message: problem };
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") return { ok: false, message: `cannot read the trace key \`${path}\`: ${(e as Error).message}` };
    if (!create) return { ok: false, message: `there is no trace key at \`${path}\` (one is created when you first record a trace)` };
    return createKey(path);
  }
  try {
    const parsed = JSON.parse(text) as { algorithm?: unknown; secret_key?: unknown };
    if (parsed.algorithm !== "ed25519" || typeof parsed.secret_key !== "string" || !/^[0-9a-f]{64}$/.test(parsed.secret_key)) throw new Error();
    const secretKey = hexToBytes(parsed.secret_key);
    return { ok: true, key: { path, secretKey, publicKey: ed25519.getPublicKey(secretKey) } };
  } catch {
    return { ok: false, message: `the trace key \`${path}\` is not a dplc trace key` };
  }
}

function createKey(path: string): TraceKeyResult {
  const secretKey = ed25519.utils.randomPrivateKey();
  const publicKey = ed25519.getPublicKey(secretKey);
  const text = JSON.stringify({ algorithm: "ed25519", public_key: bytesToHex(publicKey), secret_key: bytesToHex(secretKey) }) + "\n";
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const fd = openSync(tmp, "wx", 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // A link, not a rename: when two first runs race, the second keeps the first one's key.
    linkSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return loadTraceKey(path, false);
    return { ok: false, message: `cannot create the trace key \`${path}\`: ${(e as Error).message}` };
  }
  rmSync(tmp, { force: true });
  return { ok: true, key: { path, secretKey, publicKey } };
}
