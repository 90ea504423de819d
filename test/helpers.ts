/** Shared test helpers: where things are, and running the CLI as a user does. */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const SPEC_DIR = resolve(REPO_ROOT, "..", "shared", "xdv-spec");
export const HAS_SPEC = existsSync(SPEC_DIR);
export const NO_SPEC_MESSAGE = `the XDV corpus is not at ${SPEC_DIR} (expected beside the repository as ../shared/xdv-spec); spec conformance tests are skipped`;
export const DPLC = join(REPO_ROOT, "bin", "dplc");

if (!HAS_SPEC) console.warn(NO_SPEC_MESSAGE);

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runDplc(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): RunResult {
  const r = spawnSync(process.execPath, [DPLC, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "0", ...options.env },
    input: options.input ?? "",
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function specFiles(): string[] {
  return readdirSync(SPEC_DIR)
    .filter((f) => /^XDV-\d+.*\.md$/.test(f))
    .sort();
}

export function readSpec(name: string): string {
  return readFileSync(join(SPEC_DIR, name), "utf8");
}

/** Strip spans (and other position-only data) so trees can be compared structurally. */
export function withoutSpans(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (k, v) => (k === "span" ? undefined : typeof v === "bigint" ? `${v}n` : v)),
  );
}

/** Every `.ts` file under `dir`, depth first (the architecture tests read the sources). */
export function tsFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...tsFilesUnder(p));
    else if (n.endsWith(".ts")) out.push(p);
  }
  return out;
}
