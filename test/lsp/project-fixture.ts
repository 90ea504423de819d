/**
 * The small project the workspace and navigation tests share: `main.ds` declares `left`
 * and `right`, `left.ds` uses `right::r_base` twice, `main.ds` once, so removing `r_base`
 * from `right.ds` breaks a file that is not open (the case issue 13 was filed about).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

export const MAIN = `mod left;
mod right;
fn main() -> u64 {
    left::l() + right::r_base()
}
`;
export const LEFT = `use crate::right::r_base;
pub fn l() -> u64 {
    r_base() + r_base()
}
`;
export const RIGHT = `pub fn r_base() -> u64 {
    1
}
`;

/** `files` (name → text; names may hold folders) written to a fresh temporary folder. */
export function writeProject(files: Readonly<Record<string, string>>, prefix = "dplc-project-"): { root: string; uri: (name: string) => string } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return { root, uri: (name) => pathToFileURL(join(root, name)).href };
}
