/**
 * Where the runtime package lives: `packages/runtime/` at the package root, built to
 * `dist/` beside its sources by `npm run build`. The runner imports it from there, and
 * `dplc build` copies its `dist/` into every tree, so both run the very same files.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PACKAGE_ROOT } from "./stdlib.js";

export const RUNTIME_PACKAGE = join(PACKAGE_ROOT, "packages", "runtime");
export const RUNTIME_DIST = join(RUNTIME_PACKAGE, "dist");
/** What `dplc run` points emitted modules at: the instance the runner itself imported as `#runtime`. */
export const RUNTIME_URL = pathToFileURL(join(RUNTIME_DIST, "index.js")).href;
export const BRIDGE_URL = pathToFileURL(join(RUNTIME_DIST, "host-bridge.js")).href;
