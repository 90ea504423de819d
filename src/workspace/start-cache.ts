/**
 * Entries of the user's cache that make start-up fast (the checked stdlib, the parser's
 * lookahead sets): small files named by a hash of what they depend on, in the folder of
 * user-cache.ts. Reading or writing one never fails a command: a folder that cannot be
 * used, or `DPLC_NO_STARTUP_CACHE` in the environment, just means no cache.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { VERSION } from "./version.js";
import { PACKAGE_ROOT } from "./stdlib.js";
import { userCacheDir } from "./user-cache.js";
import { writeFileAtomic } from "./write-file.js";

const HERE = dirname(fileURLToPath(import.meta.url));

function cacheDir(): string | null {
  if (process.env["DPLC_NO_STARTUP_CACHE"]) return null;
  try {
    return userCacheDir();
  } catch {
    return null;
  }
}

/**
 * This installation (its folder, compiled or run from source) as a short tag: a new build
 * of it replaces its own old entries, never another installation's.
 */
export function installationTag(): string {
  return createHash("sha256").update(PACKAGE_ROOT).update("\0").update(HERE).digest("hex").slice(0, 12);
}

let buildStamp: string | undefined;

/** The dplc version and the compiled front end (size and time of each file), as a hash. */
export function frontEndBuild(): string {
  if (buildStamp !== undefined) return buildStamp;
  const h = createHash("sha256").update(VERSION).update("\0").update(PACKAGE_ROOT).update("\0");
  for (const dir of ["syntax", "diagnostics", "workspace", "semantic"]) {
    const full = join(HERE, "..", dir);
    let names: string[];
    try {
      names = readdirSync(full).sort();
    } catch {
      names = [];
    }
    for (const n of names) {
      // Compiled files, or the sources themselves when run from them (the tests).
      if (!n.endsWith(".js") && !n.endsWith(".ts")) continue;
      const st = statSync(join(full, n), { throwIfNoEntry: false });
      if (st) h.update(`${dir}/${n}:${st.size}:${st.mtimeMs}\0`);
    }
  }
  return (buildStamp = h.digest("hex"));
}

/** A hash of some strings and of the bytes of some files, for naming an entry. */
export function contentKey(parts: readonly string[], files: readonly string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  for (const f of files) h.update(f).update("\0").update(readFileSync(f)).update("\0");
  return h.digest("hex").slice(0, 32);
}

/** The text of entry `name`, or null. */
export function readCacheEntry(name: string): string | null {
  const dir = cacheDir();
  if (!dir) return null;
  try {
    return readFileSync(join(dir, name), "utf8");
  } catch {
    return null;
  }
}

/** The bytes of entry `name`, or null. */
export function readCacheBytes(name: string): Buffer | null {
  const dir = cacheDir();
  if (!dir) return null;
  try {
    return readFileSync(join(dir, name));
  } catch {
    return null;
  }
}

/**
 * Write entry `name` (0600, atomically) and remove the other entries whose names start
 * with `replaces` (the same kind of entry of the same installation). Best effort.
 */
export function writeCacheEntry(name: string, text: string | Uint8Array, replaces?: string): void {
  const dir = cacheDir();
  if (!dir) return;
  try {
    writeFileAtomic(join(dir, name), text, 0o600);
    if (replaces) for (const n of readdirSync(dir)) if (n.startsWith(replaces) && n !== name && !n.startsWith(".")) rmSync(join(dir, n), { force: true });
  } catch {
    // A full disk or a read-only folder: only speed is lost.
  }
}
