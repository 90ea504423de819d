/**
 * The user's own cache folder for dplc (`$XDG_CACHE_HOME/dplc`, else `~/.cache/dplc`): the
 * compile cache of `dplc run` and the checked stdlib. What is read from there is trusted as
 * much as the user's own files, so the folder must be the user's alone.
 */
import { mkdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { CacheError } from "./cache-error.js";
import { ioReason } from "./io-reason.js";

/**
 * The folder, created 0700. Refused (a `CacheError`) when it is not a folder, belongs to
 * another user, or others can write it: any of them could make this user run their code.
 */
export function userCacheDir(): string {
  const xdg = process.env["XDG_CACHE_HOME"];
  // XDG Base Directory: a relative value is invalid and ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".cache");
  const dir = join(base, "dplc");
  const refuse = (why: string): CacheError => new CacheError(`cannot use the compile cache \`${dir}\`: ${why} (set XDG_CACHE_HOME to a folder of your own)`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw refuse(ioReason(e));
  }
  const st = statSync(dir);
  if (!st.isDirectory()) throw refuse("not a folder");
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw refuse(`it is owned by user ${st.uid}, not by you (user ${uid})`);
  if (process.platform !== "win32" && (st.mode & 0o022) !== 0) throw refuse(`it is writable by others (mode ${(st.mode & 0o777).toString(8)}); \`chmod 700\` it if it is yours`);
  return dir;
}
