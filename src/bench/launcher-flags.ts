/**
 * The V8 flags `bin/dplc` starts node with (its `#!/usr/bin/env -S node …` line): benches
 * that measure a child process the way a user's `dplc` runs start it with the same.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../compiler/stdlib.js";

export function launcherNodeFlags(): string[] {
  const first = readFileSync(join(PACKAGE_ROOT, "bin", "dplc"), "utf8").split("\n", 1)[0] ?? "";
  const m = /^#!\S*env -S node(.*)$/.exec(first);
  return m ? m[1]!.trim().split(/\s+/).filter((f) => f.startsWith("--")) : [];
}
