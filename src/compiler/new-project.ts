/**
 * `dplc new NAME`: the files of a fresh project (see project.ts for the manifest). The
 * folder is assembled beside its destination and renamed into place, so an interrupted
 * run leaves no half project, and an existing folder is never written into.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { displayName, ioReason } from "./sources.js";
import { MANIFEST } from "./project.js";

/** The DPL dialect a new project declares (the dustlang grammar version dplc follows). */
export const DPL_VERSION = "0.2";

export function projectFiles(name: string): { path: string; text: string }[] {
  return [
    {
      path: MANIFEST,
      text: `[package]
name = "${name}"
version = "0.1.0"
dpl_version = "${DPL_VERSION}"

# dplc's settings: the language profile ("user" or "kernel") and what \`dplc run\` runs.
[dplc]
profile = "user"
entry = "src/main.ds"

# Other projects this one uses, by path: \`util = { path = "../util" }\` makes \`use util::...\` work.
[dependencies]
`,
    },
    {
      path: "src/main.ds",
      text: `//! \`${name}\`: run it with \`dplc run\`, test it with \`dplc test\`.

/// The sum of the whole numbers from 1 to \`n\`.
fn triangle(n: u64) -> u64 {
    let mut total: u64 = 0;
    for i in 1..=n {
        total += i;
    }
    total
}

fn main() {
    println!("Hello from ${name}: triangle(10) = {}", triangle(10));
}

#[test]
fn triangle_of_four_is_ten() {
    assert_eq!(triangle(4), 10);
}
`,
    },
    { path: ".gitignore", text: "# What dplc writes: builds, generated documentation, recorded traces.\n/build/\n/doc/\n*.trace\n" },
  ];
}

export type NewResult = { readonly ok: true; readonly dir: string } | { readonly ok: false; readonly error: string };

export function createProject(target: string): NewResult {
  const dir = resolve(target);
  const name = basename(dir);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    return { ok: false, error: `\`${name}\` cannot name a DPL package: use letters, digits and \`_\`, starting with a letter (e.g. \`${name.replace(/[^A-Za-z0-9_]/g, "_").replace(/^(?=[0-9])/, "p")}\`)` };
  }
  if (existsSync(dir)) return { ok: false, error: `\`${displayName(target)}\` already exists; dplc new never writes into an existing folder` };
  const tmp = join(dirname(dir), `.${name}.dplc-new-${process.pid}`);
  try {
    for (const f of projectFiles(name)) {
      const path = join(tmp, ...f.path.split("/"));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.text);
    }
    if (existsSync(dir)) throw Object.assign(new Error("already exists"), { code: "EEXIST" });
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    return { ok: false, error: `cannot create \`${displayName(target)}\`: ${ioReason(e)}` };
  }
  return { ok: true, dir };
}
