/**
 * `dplc check`'s fast start: run dist/check.cjs (check-main.ts and all it reaches, bundled by
 * scripts/bundle.mjs) from V8's code cache. Node 20 has no compile cache of its own, and
 * loading ~150 modules one by one (resolving, reading, compiling each) was a third of a
 * one-line check.
 *
 * The code cache is an entry of the user's start-up cache (start-cache.ts): named by this
 * installation, the Node version and flags and the SHA-256 of the bundle's text, and
 * holding the SHA-256 of the cached bytes, checked before V8 sees them (V8 itself checks
 * only the source's length). Without the entry, or when V8 rejects it, the bundle is
 * compiled from its text and the entry is written when the process ends, with the
 * functions the check compiled. No bundle, or one older than tsc's output (a `tsc` without
 * the bundling step), means the caller loads dist/ as usual.
 *
 * bin/dplc loads this module bundled too (dist/check-launch.cjs): as CommonJS its `require`s
 * of Node's modules skip the ES-module wrappers that load fs/promises and streams.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Script, constants as vmConstants } from "node:vm";
import { installationTag, readCacheBytes, writeCacheEntry } from "../workspace/start-cache.js";
import { PACKAGE_ROOT } from "../workspace/stdlib.js";

const FORMAT = "dplc-check-code 1";
const HASH_BYTES = 32;

const sha256 = (data: string | Uint8Array): Buffer => createHash("sha256").update(data).digest();

/** Run the bundled check; false when there is no usable bundle (nothing was run then). */
export function runCheckBundle(): boolean {
  const bundle = join(PACKAGE_ROOT, "dist", "check.cjs");
  const bundleStat = statSync(bundle, { throwIfNoEntry: false });
  const entryStat = statSync(join(PACKAGE_ROOT, "dist", "cli", "check-main.js"), { throwIfNoEntry: false });
  if (!bundleStat || !entryStat || bundleStat.mtimeMs < entryStat.mtimeMs) return false;
  const source = readFileSync(bundle, "utf8");

  // Code compiled under other flags or by another Node is of no use (and V8 would refuse it).
  const variant = sha256(`${FORMAT}\0${process.version}\0${process.arch}\0${process.execArgv.join("\0")}`).toString("hex").slice(0, 12);
  const prefix = `check-code-${installationTag()}-${variant}-`;
  const name = `${prefix}${sha256(source).toString("hex").slice(0, 32)}.bin`;
  const stored = readCacheBytes(name);
  let cachedData: Buffer | undefined;
  if (stored && stored.length > HASH_BYTES && sha256(stored.subarray(HASH_BYTES)).equals(stored.subarray(0, HASH_BYTES))) cachedData = stored.subarray(HASH_BYTES);

  // The CommonJS wrapper on the bundle's first line, so its line numbers (and source map) hold.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (!cachedData || script.cachedDataRejected) {
    process.once("exit", () => {
      const code = script.createCachedData();
      writeCacheEntry(name, Buffer.concat([sha256(code), code]), prefix);
    });
  }
  const module = { exports: {} };
  const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return true;
}
