/**
 * A real client: Neovim's built-in LSP client (nvim --headless, driven by neovim/e2e.lua)
 * against `bin/dplc lsp --stdio` on a three-file project. Diagnostics reach a file no
 * window shows; definition jumps into a stdlib file that exists on disk; rename across
 * files and a quick fix are applied through the standard requests, once the server
 * advertises them (until then those two cases are skipped, saying why).
 *
 * `.ci/run` installs Neovim (Debian package `neovim`) when it is missing; without it the
 * test is skipped with a message.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DPLC } from "../helpers.js";

const NVIM = [process.env["NVIM"], "/usr/bin/nvim", "/usr/local/bin/nvim"].find((p): p is string => p !== undefined && p !== "" && existsSync(p));
if (!NVIM) console.warn("Neovim is not installed (Debian package `neovim`; .ci/run installs it): the Neovim end-to-end test of `dplc lsp` is skipped");

const SCRIPT = join(fileURLToPath(new URL(".", import.meta.url)), "neovim", "e2e.lua");

const MAIN = `mod left;
mod right;
fn main() -> u64 {
    let unused = 1;
    let o: Option<u64> = Some(2);
    left::l() + right::r_base() + o.unwrap()
}
`;
// An error in a file that is never opened: a bool where a u64 is expected.
const LEFT = `use crate::right::r_base;
pub fn l() -> u64 {
    r_base() + r_base() + true
}
`;
const RIGHT = `pub fn r_base() -> u64 {
    1
}
`;

interface Step {
  ok?: boolean;
  skipped?: string;
  error?: string;
  [k: string]: unknown;
}

interface Outcome {
  error?: string;
  capabilities?: Record<string, boolean>;
  steps: Record<string, Step>;
}

let outcome: Outcome;

beforeAll(() => {
  if (!NVIM) return;
  const root = mkdtempSync(join(tmpdir(), "dplc-nvim-"));
  writeFileSync(join(root, "main.ds"), MAIN);
  writeFileSync(join(root, "left.ds"), LEFT);
  writeFileSync(join(root, "right.ds"), RIGHT);
  const out = join(root, "result.json");
  const r = spawnSync(NVIM, ["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", `luafile ${SCRIPT}`], {
    cwd: root,
    encoding: "utf8",
    timeout: 480_000,
    env: { ...process.env, DPLC_NVIM_NODE: process.execPath, DPLC_NVIM_DPLC: DPLC, DPLC_NVIM_ROOT: root, DPLC_NVIM_OUT: out, XDG_STATE_HOME: root, XDG_DATA_HOME: root, XDG_CONFIG_HOME: root },
  });
  if (!existsSync(out)) throw new Error(`nvim wrote no result (exit ${r.status}, signal ${r.signal}): ${r.stderr}${r.stdout}`);
  outcome = JSON.parse(readFileSync(out, "utf8")) as Outcome;
}, 600_000);

describe.skipIf(!NVIM)("Neovim's built-in client against dplc lsp --stdio", () => {
  it("runs the script to the end", () => {
    expect(outcome.error).toBeUndefined();
    expect(outcome.capabilities?.["definition"]).toBe(true);
  });

  it("shows diagnostics in a file that no window has open", () => {
    const s = outcome.steps["unopened"]!;
    expect(s.ok).toBe(true);
    const diags = s["diagnostics"] as { lnum: number; code: string; message: string }[];
    expect(diags.map((d) => [d.lnum, d.code])).toEqual([[2, "DPL2003"]]);
    expect(s["loaded"]).toBe(false);
  });

  it("goes to a definition in the stdlib, opening the file that exists there", () => {
    const s = outcome.steps["definition"]!;
    expect(s.error).toBeUndefined();
    expect(s["readable"]).toBe(true);
    expect(s["file"]).toMatch(/[\\/]stdlib[\\/].+\.ds$/);
    expect(s["line"]).toMatch(/\bSome\b/);
  });

  it("renames across files through textDocument/rename", (ctx) => {
    const s = outcome.steps["rename"]!;
    if (s.skipped) ctx.skip(s.skipped);
    expect(s.error).toBeUndefined();
    expect(s["right"]).toContain("pub fn r_core()");
    expect(s["left"]).toContain("use crate::right::r_core;");
    expect(s["left"]).toContain("r_core() + r_core()");
    expect(s["main"]).toContain("right::r_core()");
    expect(`${String(s["left"])}${String(s["main"])}${String(s["right"])}`).not.toContain("r_base");
  });

  it("applies a quick fix through textDocument/codeAction", (ctx) => {
    const s = outcome.steps["quickfix"]!;
    if (s.skipped) ctx.skip(s.skipped);
    expect(s.error).toBeUndefined();
    expect(s.ok).toBe(true);
    expect(s["main"]).toContain("let _unused = 1;");
  });
});
