/**
 * The VS Code extension packages without a human: `npm ci` from its lockfile, then
 * `vsce package` with the package script's flags and stdin closed (any question vsce asks,
 * about a missing repository, LICENSE or README, would fail the run), in a copy of editors/vscode beside a copy of the
 * grammars its prepublish step syncs. The .vsix must carry the client library, the LICENSE
 * and the grammars. Its size is printed for the release notes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers.js";

const source = join(REPO_ROOT, "editors", "vscode");
const manifest = JSON.parse(readFileSync(join(source, "package.json"), "utf8"));
const tmp = mkdtempSync(join(tmpdir(), "dplc-vsix-"));
const ext = join(tmp, "editors", "vscode");
const vsix = join(tmp, "dplc-vscode.vsix");
let skipped = "";
let packaged: { status: number; out: string } = { status: -1, out: "" };

function run(cmd: string, args: string[], cwd: string): { status: number; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 300_000, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_fund: "false", npm_config_audit: "false", npm_config_update_notifier: "false" } });
  return { status: r.status ?? -1, out: `${r.stdout}\n${r.stderr}${r.error ? `\n${r.error.message}` : ""}` };
}

/** Entry names of a zip file, from its central directory. */
function zipEntries(file: string): string[] {
  const b = readFileSync(file);
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 65_557); i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = b.readUInt16LE(eocd + 10);
  let at = b.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (b.readUInt32LE(at) !== 0x02014b50) throw new Error("corrupt central directory");
    const nameLen = b.readUInt16LE(at + 28);
    const extraLen = b.readUInt16LE(at + 30);
    const commentLen = b.readUInt16LE(at + 32);
    names.push(b.toString("utf8", at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

beforeAll(() => {
  cpSync(source, ext, { recursive: true, filter: (p) => !/[\\/](node_modules|syntaxes)$/.test(p) && !p.endsWith(".vsix") });
  cpSync(join(REPO_ROOT, "grammar"), join(tmp, "grammar"), { recursive: true });
  const ci = run("npm", ["ci"], ext);
  if (ci.status !== 0) {
    // Only an unreachable registry is a reason to skip; any other failure is the test's.
    if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH/.test(ci.out)) skipped = `npm ci could not reach the registry: ${ci.out.trim().split("\n").pop()}`;
    else throw new Error(`npm ci in editors/vscode failed:\n${ci.out}`);
    return;
  }
  // The package script's own flags, with the .vsix written outside the copy.
  const flags = (manifest.scripts.package as string).split(/\s+/).slice(2).filter((a, i, all) => a !== "--out" && all[i - 1] !== "--out");
  packaged = run(process.execPath, [join(ext, "node_modules", "@vscode", "vsce", "vsce"), "package", ...flags, "--out", vsix], ext);
}, 600_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("the VS Code extension's manifest", () => {
  it("has what vsce asks for: repository, LICENSE, README, a lockfile", () => {
    // No public URL exists, so none is invented: the package script tells vsce not to ask
    // (editors/vscode/README.md, "Why the manifest has no repository").
    expect(manifest.repository).toBeUndefined();
    expect(manifest.scripts.package).toContain("--allow-missing-repository");
    // vsce refuses relative README links when it has no repository to resolve them against.
    expect(readFileSync(join(source, "README.md"), "utf8")).not.toMatch(/\]\((?![a-z]+:|#)/);
    expect(readFileSync(join(source, "LICENSE"), "utf8")).toContain("MIT License");
    expect(existsSync(join(source, "package-lock.json"))).toBe(true);
    expect(manifest.devDependencies["@vscode/vsce"]).toBeDefined();
  });

  it("activates on .ds files, workspaces with .ds files and its commands, never on any Markdown file", () => {
    expect(manifest.activationEvents).toEqual(["onLanguage:dpl", "workspaceContains:**/*.ds", "onCommand:dplc.restartServer", "onCommand:dplc.showOutput"]);
    expect(manifest.activationEvents.some((e: string) => e.includes("markdown"))).toBe(false);
  });

  it("lists the server's features in its README", () => {
    const readme = readFileSync(join(source, "README.md"), "utf8");
    for (const feature of ["rename", "quick fixes", "signature help", "inlay hints", "folding", "selection", "formatting"]) expect(readme.toLowerCase()).toContain(feature);
  });
});

describe("vsce package", () => {
  it("produces a .vsix non-interactively with the client library, LICENSE and grammars", (ctx) => {
    if (skipped) {
      console.warn(`skipped: ${skipped}`);
      ctx.skip();
    }
    expect(packaged.status, packaged.out).toBe(0);
    const entries = zipEntries(vsix);
    expect(entries).toEqual(expect.arrayContaining(["extension/package.json", "extension/LICENSE.txt", "extension/src/extension.js", "extension/syntaxes/dpl.tmLanguage.json", "extension/syntaxes/dpl-markdown-injection.tmLanguage.json"]));
    expect(entries.some((e) => e.startsWith("extension/node_modules/vscode-languageclient/"))).toBe(true);
    expect(entries.some((e) => e.startsWith("extension/node_modules/@vscode/vsce"))).toBe(false);
    console.log(`dplc-vscode.vsix: ${statSync(vsix).size} bytes, ${entries.length} entries`);
  });
});
