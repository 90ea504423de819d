/** Where the DPL stdlib lives: `stdlib/` at the package root, next to `dist/`. */
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

export const PACKAGE_ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
export const STDLIB_ROOT = join(PACKAGE_ROOT, "stdlib");
