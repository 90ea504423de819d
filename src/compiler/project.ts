/**
 * Projects: a folder with a `Dust.toml` manifest (the dustpkg format: `[package] name,
 * version, dpl_version`, `[dependencies]`), plus dplc's own settings in `[dplc]`:
 *
 *   [package]
 *   name = "hello"
 *   version = "0.1.0"
 *   dpl_version = "0.2"
 *
 *   [dplc]
 *   profile = "user"          # or "kernel"
 *   entry = "src/main.ds"     # what `dplc run` runs
 *
 *   [dependencies]
 *   util = { path = "../util" }
 *
 * A command given no paths acts on the project whose manifest is found upward from the
 * working folder: its `src/` folder (`run`: its entry). A path dependency `util` makes
 * `use util::...` resolve to the root module of the other project (its `src/lib.ds`, else
 * its entry). Problems are values carrying the manifest's line and column: the CLI turns
 * them into one-line usage errors (exit 2).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { parse, TomlError } from "smol-toml";
import { displayName, ioReason } from "./sources.js";
import type { Profile } from "./options.js";

export const MANIFEST = "Dust.toml";

export interface Dependency {
  readonly name: string;
  /** The dependency's root module file (absolute). */
  readonly rootFile: string;
  readonly project: Project;
}

export interface Project {
  /** The folder holding `Dust.toml` (absolute). */
  readonly root: string;
  readonly manifestPath: string;
  readonly name: string;
  readonly version: string;
  readonly dplVersion: string;
  readonly profile: Profile | null;
  /** The file `dplc run` runs (absolute). */
  readonly entry: string;
  /** The folder of the project's modules (absolute). */
  readonly srcDir: string;
  readonly dependencies: readonly Dependency[];
}

export type ProjectResult = { readonly ok: true; readonly project: Project } | { readonly ok: false; readonly error: string };

/** The nearest `Dust.toml` in `from` or a folder above it, or null. */
export function findManifest(from: string): string | null {
  let dir = resolve(from);
  for (;;) {
    const cand = join(dir, MANIFEST);
    if (existsSync(cand)) return cand;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** Line (1-based) of the first line of `text` that matches `re`, for messages about a key. */
function lineOf(text: string, re: RegExp): number {
  const lines = text.split(/\r?\n/);
  const i = lines.findIndex((l) => re.test(l));
  return i < 0 ? 1 : i + 1;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function loadProject(manifestPath: string, seen: ReadonlySet<string> = new Set()): ProjectResult {
  const shown = displayName(manifestPath);
  let text: string;
  try {
    text = readFileSync(manifestPath, "utf8");
  } catch (e) {
    return { ok: false, error: `cannot read \`${shown}\`: ${ioReason(e)}` };
  }
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) return { ok: false, error: `${shown}:${e.line}:${e.column}: malformed manifest: ${e.message.split("\n")[0]!.replace(/^Invalid TOML document: /, "")}` };
    return { ok: false, error: `${shown}: malformed manifest: ${(e as Error).message}` };
  }
  const at = (re: RegExp): string => `${shown}:${lineOf(text, re)}`;
  const pkg = doc["package"];
  if (typeof pkg !== "object" || pkg === null || Array.isArray(pkg)) return { ok: false, error: `${shown}:1: the manifest needs a \`[package]\` table with \`name\`, \`version\` and \`dpl_version\`` };
  const p = pkg as Record<string, unknown>;
  for (const key of ["name", "version", "dpl_version"]) {
    if (typeof p[key] !== "string") {
      const where = p[key] === undefined ? at(/^\s*\[package\]/) : at(new RegExp(`^\\s*${key}\\s*=`));
      return { ok: false, error: `${where}: \`package.${key}\` must be a string${p[key] === undefined ? " (it is missing)" : ""}` };
    }
  }
  const name = p["name"] as string;
  if (!NAME.test(name)) return { ok: false, error: `${at(/^\s*name\s*=/)}: \`package.name\` must be a DPL identifier (letters, digits, \`_\`), not \`${name}\`` };
  const root = dirname(resolve(manifestPath));
  const settings = (doc["dplc"] ?? {}) as Record<string, unknown>;
  if (typeof settings !== "object" || Array.isArray(settings)) return { ok: false, error: `${at(/^\s*dplc\s*=/)}: \`dplc\` must be a table` };
  let profile: Profile | null = null;
  if (settings["profile"] !== undefined) {
    if (settings["profile"] !== "user" && settings["profile"] !== "kernel") return { ok: false, error: `${at(/^\s*profile\s*=/)}: \`dplc.profile\` is \`"user"\` or \`"kernel"\`` };
    profile = settings["profile"];
  }
  const entryRel = settings["entry"] ?? "src/main.ds";
  if (typeof entryRel !== "string" || isAbsolute(entryRel)) return { ok: false, error: `${at(/^\s*entry\s*=/)}: \`dplc.entry\` must be a path relative to the project folder` };
  const project: { -readonly [K in keyof Project]: Project[K] } = {
    root,
    manifestPath: resolve(manifestPath),
    name,
    version: p["version"] as string,
    dplVersion: p["dpl_version"] as string,
    profile,
    entry: join(root, entryRel),
    srcDir: join(root, "src"),
    dependencies: [],
  };
  const deps = doc["dependencies"] ?? {};
  if (typeof deps !== "object" || Array.isArray(deps)) return { ok: false, error: `${at(/^\s*\[dependencies\]/)}: \`[dependencies]\` must be a table` };
  const nextSeen = new Set([...seen, project.manifestPath]);
  const out: Dependency[] = [];
  for (const [dep, spec] of Object.entries(deps as Record<string, unknown>)) {
    const where = at(new RegExp(`^\\s*${dep.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*=`));
    if (!NAME.test(dep)) return { ok: false, error: `${where}: a dependency's name must be a DPL identifier, not \`${dep}\`` };
    const path = typeof spec === "object" && spec !== null && !Array.isArray(spec) ? (spec as Record<string, unknown>)["path"] : undefined;
    if (typeof path !== "string") return { ok: false, error: `${where}: dependency \`${dep}\` needs a path: \`${dep} = { path = "../${dep}" }\` (registry dependencies are not supported)` };
    const depRoot = resolve(root, path);
    const depManifest = join(depRoot, MANIFEST);
    if (!isFile(depManifest)) return { ok: false, error: `${where}: dependency \`${dep}\`: no \`${MANIFEST}\` in \`${displayName(depRoot)}\`` };
    if (nextSeen.has(resolve(depManifest))) return { ok: false, error: `${where}: dependency \`${dep}\` depends back on this project (a cycle)` };
    const loaded = loadProject(depManifest, nextSeen);
    if (!loaded.ok) return loaded;
    const lib = join(loaded.project.srcDir, "lib.ds");
    const rootFile = isFile(lib) ? lib : loaded.project.entry;
    if (!isFile(rootFile)) return { ok: false, error: `${where}: dependency \`${dep}\` has neither \`src/lib.ds\` nor its entry \`${displayName(loaded.project.entry)}\`` };
    out.push({ name: dep, rootFile, project: loaded.project });
  }
  project.dependencies = out;
  return { ok: true, project };
}

/** Every dependency of a project, transitively, each once (by name; the nearest wins). */
export function allDependencies(project: Project): Dependency[] {
  const out = new Map<string, Dependency>();
  const visit = (p: Project): void => {
    for (const d of p.dependencies) {
      if (out.has(d.name)) continue;
      out.set(d.name, d);
      visit(d.project);
    }
  };
  visit(project);
  return [...out.values()];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
