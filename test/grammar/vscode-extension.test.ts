/**
 * The VS Code extension folder: its manifest agrees with grammar/, the sync script copies and
 * checks, the language configuration's regexes do what they claim, and src/extension.js
 * launches `dplc lsp --stdio` as configured. The extension runs against stand-ins for the
 * `vscode` and `vscode-languageclient/node` modules, which exist only inside VS Code.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { grammarDir, repoRoot } from "./textmate-harness.js";

const extensionDir = resolve(repoRoot, "editors/vscode");
const manifest = JSON.parse(readFileSync(resolve(extensionDir, "package.json"), "utf8"));
const languageConfig = JSON.parse(readFileSync(resolve(extensionDir, "language-configuration.json"), "utf8"));

describe("extension manifest", () => {
  it("declares the dpl language for .ds files with its configuration", () => {
    expect(manifest.name).toBe("dplc-vscode");
    expect(manifest.engines.vscode).toMatch(/^\^1\.\d+\.\d+$/);
    expect(manifest.type).toBe("commonjs");
    expect(readFileSync(resolve(extensionDir, manifest.main), "utf8")).toContain("vscode-languageclient/node");
    const [language] = manifest.contributes.languages;
    expect(language).toMatchObject({ id: "dpl", extensions: [".ds"], configuration: "./language-configuration.json" });
    expect(language.aliases).toContain("DPL");
    expect(manifest.dependencies["vscode-languageclient"]).toBeDefined();
    expect(manifest.contributes.configuration.properties["dplc.path"].default).toBe("dplc");
    expect(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations).toContain("dplc.path");
  });

  it("points every grammar at a copy of a grammar/ file with the same scope name", () => {
    const grammars = manifest.contributes.grammars as { path: string; scopeName: string; language?: string; injectTo?: string[] }[];
    expect(grammars.map((g) => g.scopeName).sort()).toEqual(["markdown.dpl.codeblock", "source.dpl"]);
    for (const g of grammars) {
      expect(g.path).toMatch(/^\.\/syntaxes\//);
      const source = JSON.parse(readFileSync(resolve(grammarDir, basename(g.path)), "utf8"));
      expect(source.scopeName).toBe(g.scopeName);
    }
    expect(grammars.find((g) => g.scopeName === "source.dpl")?.language).toBe("dpl");
    expect(grammars.find((g) => g.scopeName === "markdown.dpl.codeblock")?.injectTo).toEqual(["text.html.markdown"]);
  });
});

describe("sync-grammar script", () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), "dpl-syntaxes-"));
    return () => rmSync(out, { recursive: true, force: true });
  });
  const run = (...args: string[]) => spawnSync(process.execPath, [resolve(extensionDir, "scripts/sync-grammar.mjs"), ...args], { encoding: "utf8" });

  it("copies the grammars byte for byte and then reports them current", () => {
    expect(run("--check", "--out", out).status).toBe(1);
    const copy = run("--out", out);
    expect(copy.status, copy.stderr).toBe(0);
    for (const file of ["dpl.tmLanguage.json", "dpl-markdown-injection.tmLanguage.json"]) {
      expect(readFileSync(join(out, file), "utf8")).toBe(readFileSync(join(grammarDir, file), "utf8"));
    }
    expect(run("--check", "--out", out).status).toBe(0);
  });

  it("notices a stale copy", () => {
    run("--out", out);
    writeFileSync(join(out, "dpl.tmLanguage.json"), "{}");
    const check = run("--check", "--out", out);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain("dpl.tmLanguage.json");
  });
});

describe("language configuration", () => {
  it("treats Φ-bearing identifiers and suffixed numbers as single words", () => {
    const word = new RegExp(languageConfig.wordPattern, "g");
    expect("let ΦEnvelope = coherence_Φ + φ_state;".match(word)).toEqual(["let", "ΦEnvelope", "coherence_Φ", "φ_state"]);
    expect("x: Φ<u64> = 5u64 + 1_000.5;".match(word)).toEqual(["x", "Φ", "u64", "5u64", "1_000.5"]);
    expect("ErrorCode::DOMAIN_PANIC".match(word)).toEqual(["ErrorCode", "DOMAIN_PANIC"]);
  });

  it("declares comments, brackets and pairs, and indents after an open brace", () => {
    expect(languageConfig.comments).toEqual({ lineComment: "//", blockComment: ["/*", "*/"] });
    expect(languageConfig.brackets).toContainEqual(["{", "}"]);
    expect(languageConfig.autoClosingPairs).toContainEqual({ open: '"', close: '"', notIn: ["string", "comment"] });
    expect(languageConfig.surroundingPairs).toContainEqual(["<", ">"]);
    const increase = new RegExp(languageConfig.indentationRules.increaseIndentPattern);
    const decrease = new RegExp(languageConfig.indentationRules.decreaseIndentPattern);
    expect(increase.test("fn f(x: u64) -> u64 {")).toBe(true);
    expect(increase.test("let s = \"{\";")).toBe(false);
    expect(decrease.test("    }")).toBe(true);
    const docLine = languageConfig.onEnterRules.find((r: { action: { appendText?: string } }) => r.action.appendText === "/// ");
    expect(new RegExp(docLine.beforeText).test("    /// Submits a job.")).toBe(true);
  });
});

// ---- src/extension.js against stand-in modules ------------------------------------------

interface FakeClient {
  id: string;
  serverOptions: { command: string; args: string[]; transport?: unknown; options: { shell: boolean } };
  clientOptions: { documentSelector: { scheme: string; language: string }[] };
  started: boolean;
  stopped: boolean;
}

interface World {
  settings: Record<string, unknown>;
  globalPath?: string;
  trusted: boolean;
  failStart: boolean;
  /** Makes the next LanguageClient constructor throw, as a broken client library would. */
  throwOnConstruct: boolean;
  clients: FakeClient[];
  errors: string[];
  commands: Map<string, () => unknown>;
  configListeners: ((e: { affectsConfiguration(key: string): boolean }) => void)[];
}

let world: World;

function makeVscode() {
  const channel = (name: string) => ({ name, appendLine() {}, show() {}, dispose() {} });
  const disposable = { dispose() {} };
  return {
    window: {
      createOutputChannel: channel,
      showErrorMessage: async (message: string) => {
        world.errors.push(message);
        return undefined;
      },
    },
    commands: {
      registerCommand: (id: string, fn: () => unknown) => (world.commands.set(id, fn), disposable),
      executeCommand: async () => undefined,
    },
    workspace: {
      get isTrusted() {
        return world.trusted;
      },
      workspaceFolders: [{ uri: { fsPath: "/work/project" } }],
      getConfiguration: (section: string) => ({
        get: (key: string, fallback?: unknown) => world.settings[`${section}.${key}`] ?? fallback,
        inspect: () => ({ defaultValue: "dplc", globalValue: world.globalPath, workspaceValue: world.settings["dplc.path"] }),
      }),
      createFileSystemWatcher: () => disposable,
      onDidChangeConfiguration: (fn: World["configListeners"][number]) => (world.configListeners.push(fn), disposable),
      onDidGrantWorkspaceTrust: () => disposable,
    },
  };
}

class LanguageClient implements FakeClient {
  started = false;
  stopped = false;
  constructor(
    public id: string,
    _name: string,
    public serverOptions: FakeClient["serverOptions"],
    public clientOptions: FakeClient["clientOptions"],
  ) {
    if (world.throwOnConstruct) {
      world.throwOnConstruct = false;
      throw new Error("cannot construct client");
    }
    world.clients.push(this);
  }
  async start() {
    if (world.failStart) throw new Error("initialize failed");
    this.started = true;
  }
  async stop() {
    this.stopped = true;
  }
  async dispose() {
    throw new Error("Client is not running and can't be stopped");
  }
}

type ModuleLoad = (request: string, parent: unknown, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: ModuleLoad };
const originalLoad = loader._load;
const extensionPath = resolve(extensionDir, "src/extension.js");
const requireHere = createRequire(import.meta.url);
let fakeDir: string;
let fakeDplc: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function loadExtension(): any {
  delete requireHere.cache[extensionPath];
  return requireHere(extensionPath);
}

beforeAll(() => {
  fakeDir = mkdtempSync(join(tmpdir(), "dpl-fake-dplc-"));
  fakeDplc = join(fakeDir, "dplc");
  writeFileSync(fakeDplc, "#!/bin/sh\nexit 0\n");
  chmodSync(fakeDplc, 0o755);
  const vscode = makeVscode();
  loader._load = function (request, parent, isMain) {
    if (request === "vscode") return vscode;
    if (request === "vscode-languageclient/node") return { LanguageClient };
    return originalLoad.call(this, request, parent, isMain);
  };
});

afterAll(() => {
  loader._load = originalLoad;
  rmSync(fakeDir, { recursive: true, force: true });
});

beforeEach(() => {
  world = { settings: {}, trusted: true, failStart: false, throwOnConstruct: false, clients: [], errors: [], commands: new Map(), configListeners: [] };
});

const context = () => ({ subscriptions: [] as unknown[] });

describe("extension client", () => {
  it("starts the configured dplc with `lsp --stdio` for .ds and Markdown documents", async () => {
    world.settings["dplc.path"] = fakeDplc;
    const ext = loadExtension();
    await ext.activate(context());
    expect(world.clients).toHaveLength(1);
    const [client] = world.clients;
    expect(client!.id).toBe("dplc");
    expect(client!.serverOptions.command).toBe(fakeDplc);
    // The client library would append a second --stdio if a transport were set.
    expect(client!.serverOptions.args).toEqual(["lsp", "--stdio"]);
    expect(client!.serverOptions.transport).toBeUndefined();
    expect(client!.clientOptions.documentSelector).toEqual(
      expect.arrayContaining([
        { scheme: "file", language: "dpl" },
        { scheme: "untitled", language: "dpl" },
        { scheme: "file", language: "markdown" },
      ]),
    );
    expect(client!.started).toBe(true);
    expect([...world.commands.keys()].sort()).toEqual(manifest.contributes.commands.map((c: { command: string }) => c.command).sort());
    await ext.deactivate();
    expect(client!.stopped).toBe(true);
  });

  it("restarts when dplc.path changes, and on the restart command", async () => {
    world.settings["dplc.path"] = fakeDplc;
    const ext = loadExtension();
    await ext.activate(context());
    world.settings["dplc.markdown.enabled"] = false;
    for (const listener of world.configListeners) listener({ affectsConfiguration: (key) => key === "dplc.markdown.enabled" });
    await world.commands.get("dplc.restartServer")!();
    expect(world.clients).toHaveLength(3);
    expect(world.clients.slice(0, 2).every((c) => c.stopped)).toBe(true);
    expect(world.clients[2]!.started && !world.clients[2]!.stopped).toBe(true);
    expect(world.clients[2]!.clientOptions.documentSelector.some((s) => s.language === "markdown")).toBe(false);
    for (const listener of world.configListeners) listener({ affectsConfiguration: (key) => key === "editor.fontSize" });
    await ext.deactivate();
    expect(world.clients).toHaveLength(3);
    expect(world.clients[2]!.stopped).toBe(true);
  });

  it("says how to fix a missing dplc instead of starting a client", async () => {
    world.settings["dplc.path"] = "dplc-not-installed-anywhere";
    const ext = loadExtension();
    await ext.activate(context());
    expect(world.clients).toHaveLength(0);
    expect(world.errors).toHaveLength(1);
    expect(world.errors[0]).toContain('"dplc-not-installed-anywhere" was not found on PATH');
    expect(world.errors[0]).toContain("dplc.path");
    await ext.deactivate();
  });

  it("survives a server that fails to initialize", async () => {
    world.settings["dplc.path"] = fakeDplc;
    world.failStart = true;
    const ext = loadExtension();
    await expect(ext.activate(context())).resolves.toBeDefined();
    expect(world.clients).toHaveLength(1);
    await expect(ext.deactivate()).resolves.toBeUndefined();
  });

  it("keeps serving restarts after an unexpected failure", async () => {
    world.settings["dplc.path"] = fakeDplc;
    world.throwOnConstruct = true;
    const ext = loadExtension();
    await ext.activate(context());
    expect(world.clients).toHaveLength(0);
    await world.commands.get("dplc.restartServer")!();
    expect(world.clients).toHaveLength(1);
    expect(world.clients[0]!.started).toBe(true);
    await ext.deactivate();
  });

  it("ignores a workspace-level dplc.path in an untrusted workspace", async () => {
    world.trusted = false;
    world.settings["dplc.path"] = "/tmp/from-the-workspace/dplc";
    world.globalPath = fakeDplc;
    const ext = loadExtension();
    await ext.activate(context());
    expect(world.clients[0]?.serverOptions.command).toBe(fakeDplc);
    await ext.deactivate();
  });

  it("resolves dplc.path values and finds executables the way a shell would", () => {
    const ext = loadExtension();
    const folders = [{ uri: { fsPath: "/work/project" } }];
    expect(ext.resolveServerPath(undefined, folders)).toBe("dplc");
    expect(ext.resolveServerPath("  ", folders)).toBe("dplc");
    expect(ext.resolveServerPath("dplc-dev", folders)).toBe("dplc-dev");
    expect(ext.resolveServerPath("./node_modules/.bin/dplc", folders)).toBe("/work/project/node_modules/.bin/dplc");
    expect(ext.resolveServerPath("~/bin/dplc", folders, "/home/ada")).toBe("/home/ada/bin/dplc");
    expect(ext.resolveServerPath("/opt/dplc/bin/dplc", folders)).toBe("/opt/dplc/bin/dplc");
    expect(ext.findExecutable("dplc", { PATH: `/nonexistent:${fakeDir}` }, "linux")).toBe(fakeDplc);
    expect(ext.findExecutable("dplc", { PATH: "/nonexistent" }, "linux")).toBeUndefined();
    expect(ext.findExecutable(fakeDplc, {}, "linux")).toBe(fakeDplc);
    const notExecutable = join(fakeDir, "plain");
    writeFileSync(notExecutable, "");
    expect(ext.findExecutable(notExecutable, {}, "linux")).toBeUndefined();
  });

  it("runs dplc through a shell on Windows, where npm installs it as a .cmd", () => {
    const ext = loadExtension();
    expect(ext.serverOptions("C:\\Program Files\\dplc\\dplc.cmd", "win32")).toEqual({
      command: '"C:\\Program Files\\dplc\\dplc.cmd"',
      args: ["lsp", "--stdio"],
      options: { shell: true },
    });
    expect(ext.serverOptions("/usr/bin/dplc", "linux").options.shell).toBe(false);
    expect(ext.documentSelector(false)).toEqual([
      { scheme: "file", language: "dpl" },
      { scheme: "untitled", language: "dpl" },
    ]);
  });
});
