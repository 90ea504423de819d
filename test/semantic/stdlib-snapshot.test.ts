/**
 * The checked stdlib read back from the user's cache is as good as a freshly checked one:
 * every check fixture gets the same diagnostics and every run fixture the same emitted
 * files (its own modules and the stdlib's) whichever the stdlib came from. A damaged or
 * foreign cache entry is ignored and replaced, and an unusable cache folder only means
 * no cache.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, runDplc } from "../helpers.js";
import { loadSource } from "../../src/compiler/sources.js";
import { checkSources } from "../../src/compiler/check.js";
import { buildProgram } from "../../src/compiler/build.js";
import { resetStdlibCache } from "../../src/semantic/stdlib-world.js";
import { loadStdlibSnapshot } from "../../src/semantic/stdlib-snapshot.js";

function dsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...dsFiles(p));
    else if (n.endsWith(".ds")) out.push(p);
  }
  return out;
}

const CHECK = dsFiles(join(REPO_ROOT, "fixtures", "check"));
const RUN = dsFiles(join(REPO_ROOT, "fixtures", "run")).filter((f) => !f.includes("/modules/") || f.endsWith("main.ds"));

function diagnosticsOf(file: string): string[] {
  const src = loadSource(file);
  if (!src.ok) throw new Error(src.error);
  const r = checkSources([src.source], { profile: "user", allBlocks: false });
  return r.diagnostics.map((d) => `${d.code} ${d.severity} ${d.span.file}:${d.span.start.line}:${d.span.start.column}-${d.span.end.line}:${d.span.end.column} ${d.message}`);
}

async function emittedOf(file: string): Promise<string[]> {
  const src = loadSource(file);
  if (!src.ok) throw new Error(src.error);
  const r = await buildProgram([src.source], { profile: "user", allBlocks: false, js: false, outDir: "/tmp/unused-out" });
  return r.files.map((f) => `${f.path}\n${f.text}`);
}

function snapshotFiles(dir: string): string[] {
  return existsSync(join(dir, "dplc")) ? readdirSync(join(dir, "dplc")).filter((n) => n.startsWith("stdlib-check-")) : [];
}

describe("the checked stdlib in the user's cache", () => {
  const saved = { xdg: process.env["XDG_CACHE_HOME"], off: process.env["DPLC_NO_STARTUP_CACHE"] };
  let cache: string;
  const fresh = new Map<string, string[]>();

  beforeAll(async () => {
    cache = mkdtempSync(join(tmpdir(), "dplc-stdlib-cache-"));
    process.env["XDG_CACHE_HOME"] = cache;
    process.env["DPLC_NO_STARTUP_CACHE"] = "1";
    resetStdlibCache();
    for (const f of CHECK) fresh.set(f, diagnosticsOf(f));
    for (const f of RUN) fresh.set(`emit:${f}`, await emittedOf(f));
    delete process.env["DPLC_NO_STARTUP_CACHE"];
  }, 600_000);

  afterAll(() => {
    if (saved.xdg === undefined) delete process.env["XDG_CACHE_HOME"];
    else process.env["XDG_CACHE_HOME"] = saved.xdg;
    if (saved.off !== undefined) process.env["DPLC_NO_STARTUP_CACHE"] = saved.off;
    resetStdlibCache();
    rmSync(cache, { recursive: true, force: true });
  });

  it("is written once checked and read back in a new run", () => {
    resetStdlibCache();
    diagnosticsOf(CHECK[0]!);
    const names = snapshotFiles(cache);
    expect(names).toHaveLength(1);
    expect(statSync(join(cache, "dplc", names[0]!)).mode & 0o777).toBe(0o600);
    expect(loadStdlibSnapshot(names[0]!)).not.toBeNull();
  });

  it("gives every check fixture the diagnostics of a freshly checked stdlib", () => {
    resetStdlibCache();
    expect(CHECK.length).toBeGreaterThan(100);
    for (const f of CHECK) expect(diagnosticsOf(f), f).toEqual(fresh.get(f));
  }, 600_000);

  it("gives every run fixture the emitted files of a freshly checked stdlib", async () => {
    resetStdlibCache();
    expect(RUN.length).toBeGreaterThan(20);
    for (const f of RUN) expect(await emittedOf(f), f).toEqual(fresh.get(`emit:${f}`));
  }, 600_000);

  it("ignores and replaces a damaged entry", () => {
    const name = snapshotFiles(cache)[0]!;
    const path = join(cache, "dplc", name);
    // Bytes as latin1 text: one character per byte, so the edits below keep the rest intact.
    const good = readFileSync(path, "latin1");
    const flipped = (at: number): string => good.slice(0, at) + String.fromCharCode(good.charCodeAt(at) ^ 0xff) + good.slice(at + 1);
    const damaged = [good.slice(0, good.length / 2), flipped(Math.floor(good.length * 0.75)), "not json\n{}", good.replace(/"sha256":"[0-9a-f]+"/, `"sha256":"${"0".repeat(64)}"`)];
    for (const text of damaged) {
      writeFileSync(path, text, "latin1");
      expect(loadStdlibSnapshot(name)).toBeNull();
      resetStdlibCache();
      expect(diagnosticsOf(CHECK[0]!)).toEqual(fresh.get(CHECK[0]!));
      expect(loadStdlibSnapshot(name)).not.toBeNull();
    }
  });

  it("checks without a cache when the cache folder cannot be used", () => {
    const other = mkdtempSync(join(tmpdir(), "dplc-open-cache-"));
    const example = join(REPO_ROOT, "examples", "bell_pair.ds");
    try {
      const first = runDplc(["check", example], { env: { XDG_CACHE_HOME: other } });
      expect(first.status).toBe(0);
      expect(snapshotFiles(other)).toHaveLength(1);
      // A folder others can write is refused (they could plant an entry): no cache is read
      // or written, and checking goes on as before.
      chmodSync(join(other, "dplc"), 0o777);
      for (const n of snapshotFiles(other)) rmSync(join(other, "dplc", n));
      const r = runDplc(["check", example], { env: { XDG_CACHE_HOME: other } });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(first.stdout.replace(/\(\d+ ms\)/, r.stdout.match(/\(\d+ ms\)/)![0]));
      expect(snapshotFiles(other)).toHaveLength(0);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
