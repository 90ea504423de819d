/**
 * dplc as a user installs it: `npm pack` of this checkout, installed into a fresh prefix,
 * then used from a folder that has nothing to do with the repository. What the package
 * needs at run time must be inside it (dist/, the runtime package, the stdlib, the docs
 * `explain` prints, the examples), and nothing may reach back into `src/`.
 *
 * The pack runs with `--ignore-scripts`: `npm test` has just built `dist/`, and `prepack`
 * would only build it again. Dependencies come from npm's cache where `npm ci` left them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Location } from "vscode-languageserver-protocol";
import { REPO_ROOT } from "../helpers.js";
import { LspClient } from "../lsp/lsp-client.js";

const tmp = mkdtempSync(join(tmpdir(), "dplc-install-"));
const prefix = join(tmp, "prefix");
const work = join(tmp, "elsewhere");
const installed = join(prefix, "lib", "node_modules", "dplc");
const dplc = join(prefix, "bin", "dplc");
let packed: string[] = [];
let installError = "";

function npm(args: string[], cwd: string): { status: number; out: string } {
  const r = spawnSync("npm", args, { cwd, encoding: "utf8", timeout: 240_000, env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" } });
  return { status: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` };
}

function run(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(dplc, args, { cwd: work, encoding: "utf8", timeout: 120_000, env: { ...process.env, NO_COLOR: "1", XDG_CACHE_HOME: join(tmp, "cache") } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  mkdirSync(work, { recursive: true });
  const pack = npm(["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], REPO_ROOT);
  if (pack.status !== 0) {
    installError = `npm pack failed:\n${pack.out}`;
    return;
  }
  const info = JSON.parse(pack.out.slice(pack.out.indexOf("["), pack.out.lastIndexOf("]") + 1)) as { filename: string; files: { path: string }[] }[];
  packed = info[0]!.files.map((f) => f.path);
  const tarball = join(tmp, info[0]!.filename);
  const inst = npm(["install", "--global", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", tarball], work);
  if (inst.status !== 0) installError = `npm install of the tarball failed:\n${inst.out}`;
}, 300_000);

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe("the npm package", () => {
  it("holds the built compiler, the runtime package, the stdlib, the docs and the examples, and no TypeScript sources", () => {
    expect(installError).toBe("");
    for (const f of ["bin/dplc", "dist/cli/main.js", "packages/runtime/package.json", "packages/runtime/dist/index.js", "packages/runtime/dist/index.d.ts", "packages/runtime/dist/host-bridge.js", "stdlib/prelude/core.ds", "docs/diagnostics/DPL3001.md", "examples/bell_pair.ds", "README.md", "LICENSE"]) {
      expect(packed, f).toContain(f);
    }
    expect(packed.filter((f) => f.startsWith("src/") || f.startsWith("test/") || f.startsWith("dist/bench/"))).toEqual([]);
  });

  it("checks, explains, builds and runs from an unrelated folder", () => {
    expect(installError).toBe("");
    const version = run(["--version"]);
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toContain(JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).version);

    writeFileSync(join(work, "broken.ds"), "fn main() {\n    let a = ;\n}\n");
    const check = run(["check", "broken.ds"]);
    expect(check.status).toBe(1);
    expect(check.stdout).toContain("error[DPL1001]");
    expect(check.stdout).toContain("broken.ds:2:13");

    const explain = run(["explain", "DPL3001"]);
    expect(explain.status, explain.stderr).toBe(0);
    expect(explain.stdout).toContain("DPL3001");

    const example = join(installed, "examples", "bell_pair.ds");
    const ran = run(["run", example, "--seed", "7"]);
    expect(ran.stderr).toBe("");
    expect(ran.status).toBe(0);
    expect(ran.stdout).toContain("both qubits agree in 1000 of 1000 shots");

    const out = join(work, "out");
    const built = run(["build", example, "--out-dir", out, "--js", "--check"]);
    expect(built.status, built.stderr).toBe(0);
    expect(built.stderr).toMatch(/type-checked/);
    expect(existsSync(join(out, "_dplc", "runtime", "index.js"))).toBe(true);
    expect(readFileSync(join(out, "bell_pair.ts"), "utf8")).toContain('"./_dplc/runtime/index.js"');
  }, 300_000);

  it("answers go-to-definition into the stdlib with a file that exists", async () => {
    expect(installError).toBe("");
    const file = join(work, "uses_std.ds");
    const text = "fn main() {\n    let v: Option<u64> = Some(3);\n    let _w = v.unwrap_or(0);\n}\n";
    writeFileSync(file, text);
    const client = new LspClient([], { dplc, cwd: work });
    try {
      await client.initialize();
      const uri = pathToFileURL(file).href;
      await client.open(uri, text);
      const character = text.split("\n")[2]!.indexOf("unwrap_or") + 2;
      const loc = await client.request<Location | Location[] | null>("textDocument/definition", { textDocument: { uri }, position: { line: 2, character } });
      const first = Array.isArray(loc) ? loc[0] : loc;
      expect(first, "a definition").toBeTruthy();
      const target = fileURLToPath(first!.uri);
      expect(target.startsWith(installed), target).toBe(true);
      expect(existsSync(target), target).toBe(true);
    } finally {
      client.kill();
    }
  }, 120_000);
});
