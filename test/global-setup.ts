/**
 * Runs once before any test file: many tests spawn `bin/dplc`, which runs the compiled
 * `dist/`. `npm test` builds first; a developer running `npx vitest run test/x` after an edit
 * gets a build here. Building once, before the workers start, matters: a test file that
 * rebuilt `dist/` itself would rewrite it under the feet of the other files' `bin/dplc`
 * processes (half-written modules, invalidated start-up caches).
 */
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./helpers.js";

/** The newest modification time of the files under `dir` whose names end with `ext`. */
function newest(dir: string, ext: string): number {
  let max = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith(ext)) continue;
    max = Math.max(max, statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return max;
}

export default function setup(): void {
  const sources = Math.max(newest(join(REPO_ROOT, "src"), ".ts"), newest(join(REPO_ROOT, "packages", "runtime", "src"), ".ts"));
  const built = Math.min(newest(join(REPO_ROOT, "dist"), ".js"), newest(join(REPO_ROOT, "packages", "runtime", "dist"), ".js"));
  if (built >= sources) return;
  const r = spawnSync("npm", ["run", "build"], { cwd: REPO_ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm run build failed before the tests:\n${r.stdout}${r.stderr}`);
}
