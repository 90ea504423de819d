/**
 * `dplc run FILE`: check, emit into a cache (never beside the user's sources), load the
 * JavaScript, and run its entry against the embedded kernel.
 *
 * The cache lives in the user's own cache folder (`$XDG_CACHE_HOME/dplc`, else
 * `~/.cache/dplc`), created 0700 and refused when someone else owns it or others can write
 * it: what is imported from there runs as the user (docs/security.md). Entries are
 * content-addressed (`obj-<sha256 of their files>`), found through a small reference named
 * by what they were compiled from, and their hash is verified before anything in them is
 * imported. The stdlib is compiled once and shared by every program; a program's own
 * modules are transpiled once per content, so running an unchanged program again does not
 * even load the TypeScript compiler.
 *
 * The entry is `fn main()` (exit status 0) or XDV-052's `_entry(argc, argv) -> i32`,
 * whose value is the exit status. A runtime fault prints Rust's panic report with the
 * `.ds` position and exits with 101, the status of a panicking Rust program (a run whose
 * program failed: toolchain.md asks for non-zero, and 101 tells a fault from an
 * `_entry` that returned 1).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { writeFileAtomic } from "./write-file.js";
import { ioReason } from "./sources.js";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { SourceFile } from "../syntax/source.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { CheckedProgram } from "../semantic/program.js";
import type { Profile } from "./options.js";
import { VERSION } from "./version.js";
import { PACKAGE_ROOT } from "./stdlib.js";
import { BRIDGE_URL, RUNTIME_DIST, RUNTIME_URL } from "./runtime-package.js";
import { checkForEmit } from "./build.js";
import { emitUnits, mapFor, stdlibUnits, userUnits, type EmittedModule } from "../emit/program.js";
import { MapChain } from "../emit/writer.js";
import type { EmitUnit } from "../emit/symbols.js";
import type { EmitOptions } from "../emit/module-ctx.js";
import { transpile } from "../emit/tree.js";
import { DplFault, FAULT_EXIT_STATUS, formatFault, BufferedSink, StreamSink, setStdout, setStderr, Vec, debugOf, type Ty } from "#runtime";
import { bindAbi } from "#runtime/host-bridge.js";
import { createKernel, createReplayKernel, HostHalt, type EmbeddedKernel, type HybridAbi } from "../host/index.js";

export interface RunOptions {
  readonly seed: bigint;
  readonly args: readonly string[];
  /** With `replay`, the replayed run's own trace, byte-identical to the input when replay succeeds. */
  readonly record?: string;
  readonly replay?: string;
  readonly telemetry?: string;
  /**
   * The ABI implementation the program talks to, built around the kernel the run prepared
   * (recording or replaying). Default: the kernel itself. The compiled program is the same
   * whatever this returns: a wrapper, a proxy to a remote node, a test double.
   */
  readonly abi?: (kernel: EmbeddedKernel) => HybridAbi;
  /** A project's settings (Dust.toml): its profile and path dependencies. */
  readonly profile?: Profile;
  readonly dependencies?: ReadonlyMap<string, string>;
}

export type RunOutcome =
  | { readonly kind: "diagnostics"; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: "usage"; readonly message: string }
  | { readonly kind: "ran"; readonly status: number; readonly diagnostics: readonly Diagnostic[] };

const HERE = dirname(new URL(import.meta.url).pathname);

/** A compile cache that cannot be used: the command stops with this one line (exit 2). */
export class CacheError extends Error {}

/**
 * The user's compile cache folder, created 0700. Refused when it is not a folder, belongs to
 * another user, or others can write it: any of them could make this user run their code.
 */
function cacheRoot(): string {
  const xdg = process.env["XDG_CACHE_HOME"];
  // XDG Base Directory: a relative value is invalid and ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".cache");
  const dir = join(base, "dplc");
  const refuse = (why: string): CacheError => new CacheError(`cannot use the compile cache \`${dir}\`: ${why} (set XDG_CACHE_HOME to a folder of your own)`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw refuse(ioReason(e));
  }
  const st = statSync(dir);
  if (!st.isDirectory()) throw refuse("not a folder");
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw refuse(`it is owned by user ${st.uid}, not by you (user ${uid})`);
  if (process.platform !== "win32" && (st.mode & 0o022) !== 0) throw refuse(`it is writable by others (mode ${(st.mode & 0o777).toString(8)}); \`chmod 700\` it if it is yours`);
  return dir;
}

type CacheFile = { readonly path: string; readonly text: string };

/** The hash that names an entry: every file's path and bytes, in path order. */
function contentHash(files: readonly CacheFile[]): string {
  const h = createHash("sha256");
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) h.update(f.path).update("\0").update(f.text).update("\0");
  return h.digest("hex");
}

/** The files an entry holds now, as they would be hashed. */
function entryFiles(dir: string, prefix = ""): CacheFile[] {
  const out: CacheFile[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...entryFiles(join(dir, e.name), rel));
    else out.push({ path: rel, text: readFileSync(join(dir, e.name), "utf8") });
  }
  return out;
}

/** Whether the entry `dir` holds exactly the files whose hash is `hash` (a missing entry does not). */
function entryIntact(dir: string, hash: string): boolean {
  try {
    return contentHash(entryFiles(dir)) === hash;
  } catch {
    return false;
  }
}

/**
 * The folder of a verified cache entry: the one `ref` (named by the entry's inputs) points
 * to when its files still hash to its name, else a new one written from `produce()`.
 */
function cachedEntry(root: string, ref: string, produce: () => CacheFile[]): string {
  const refPath = join(root, ref);
  let known: string | null = null;
  try {
    const text = readFileSync(refPath, "utf8").trim();
    if (/^[0-9a-f]{64}$/.test(text)) known = text;
  } catch {
    // Not compiled yet.
  }
  if (known && entryIntact(join(root, `obj-${known}`), known)) return join(root, `obj-${known}`);
  if (known && existsSync(join(root, `obj-${known}`))) process.stderr.write(`warning: the compile cache entry \`obj-${known}\` does not match its hash; compiling again\n`);
  const files = produce();
  const hash = contentHash(files);
  const dir = join(root, `obj-${hash}`);
  if (!entryIntact(dir, hash)) materialize(dir, files);
  writeFileAtomic(refPath, `${hash}\n`, 0o600);
  return dir;
}

function sha(parts: readonly string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex").slice(0, 20);
}

/** What the emitted stdlib depends on: the compiler build and the stdlib sources. */
function stdlibKey(units: readonly EmitUnit[]): string {
  const parts = [VERSION, PACKAGE_ROOT];
  for (const dir of [join(HERE, "..", "emit"), RUNTIME_DIST]) {
    for (const f of safeList(dir).filter((n) => n.endsWith(".js")).sort()) {
      const st = statSync(join(dir, f));
      parts.push(`${f}:${st.size}:${st.mtimeMs}`);
    }
  }
  for (const u of units) parts.push(u.outPath, u.source.text);
  return sha(parts);
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Write an entry's files into `dir` at once: a private temporary folder, then a rename. */
function materialize(dir: string, files: readonly CacheFile[]): void {
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(6).toString("hex")}`;
  mkdirSync(tmp, { mode: 0o700 });
  try {
    for (const f of files) {
      const target = join(tmp, ...f.path.split("/"));
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      writeFileSync(target, f.text, { flag: "wx", mode: 0o600 });
    }
    if (existsSync(dir)) {
      // Another run may have finished the same entry meanwhile (and be importing from it);
      // only an entry that fails its hash check is replaced.
      if (entryIntact(dir, contentHash(files))) {
        rmSync(tmp, { recursive: true, force: true });
        return;
      }
      rmSync(dir, { recursive: true, force: true });
    }
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    // Another run finished the same entry first: its files are identical.
    if (!entryIntact(dir, contentHash(files))) throw e;
  }
}

/**
 * The JavaScript of emitted modules, with the two maps that lead back to the `.ds`: the
 * `.js → .ts` map of the transpiler and the `.ts → .ds` map of the emitter (chained only
 * when an internal error needs a position, see `mapStack`).
 */
function jsFiles(mods: readonly EmittedModule[]): { path: string; text: string }[] {
  return mods.flatMap((m) => {
    const base = m.unit.outPath.replace(/\.ts$/, "");
    const t = transpile(m.text, `${base.split("/").pop()!}.ts`);
    const tsMap = mapFor(m, (u) => u.siteFile);
    return [
      { path: `${base}.js`, text: t.js },
      { path: `${base}.js.map`, text: JSON.stringify(t.map) },
      { path: `${base}.ts.map`, text: JSON.stringify(tsMap) },
    ];
  });
}

export async function runProgram(source: SourceFile, options: RunOptions): Promise<RunOutcome> {
  const { checked, diagnostics } = checkForEmit([source], { profile: options.profile ?? "user", allBlocks: false, ...(options.dependencies ? { dependencies: options.dependencies } : {}) });
  if (!checked || diagnostics.some((d) => d.severity === "error")) return { kind: "diagnostics", diagnostics };
  let cached: CachedProgram;
  try {
    cached = compileToCache(checked);
  } catch (e) {
    if (e instanceof CacheError) return { kind: "usage", message: e.message };
    throw e;
  }
  const { user, texts, jsPath } = cached;
  const realFile = resolve(source.name);
  const entryUnit = user.find((u) => u.root.filePath === realFile) ?? user[0];
  if (!entryUnit) return { kind: "usage", message: `\`${source.name}\` has no module to run` };
  const entry = entryOf(entryUnit);
  if (!entry) return { kind: "usage", message: `\`${source.name}\` has no \`fn main()\` and no \`_entry(argc, argv)\` to run` };
  const mod = (await import(pathToFileURL(jsPath(entryUnit)).href)) as Record<string, unknown>;
  const status = execute(mod, entry, options, source.name, texts);
  return { kind: "ran", status, diagnostics };
}

/** A checked program compiled to JavaScript in the cache, ready to import. */
export interface CachedProgram {
  readonly user: readonly EmitUnit[];
  readonly all: readonly EmitUnit[];
  /** The `.ds` text of every unit by its site file name, for fault reports. */
  readonly texts: Map<string, string>;
  /** The cached `.js` file of a user unit. */
  readonly jsPath: (unit: EmitUnit) => string;
}

/** Emit a checked program into the cache (the stdlib once for every program, see above). */
export function compileToCache(checked: CheckedProgram): CachedProgram {
  const std = stdlibUnits(checked);
  const user = userUnits(checked, "display");
  const all = [...std, ...user];
  const base: EmitOptions = { version: VERSION, runtimeSpecifier: () => RUNTIME_URL, bridgeSpecifier: () => BRIDGE_URL };
  let root: string;
  let stdDir: string;
  try {
    root = cacheRoot();
    stdDir = cachedEntry(root, `std-v${VERSION}-${stdlibKey(std)}.ref`, () => jsFiles(emitUnits(std, all, base)));
  } catch (e) {
    throw new CacheError(cacheProblem(e));
  }
  const userOptions: EmitOptions = {
    ...base,
    moduleSpecifier: (_from, to) => (to.isStdlib ? pathToFileURL(join(stdDir, ...to.outPath.replace(/\.ts$/, ".js").split("/"))).href : undefined),
  };
  const emitted = emitUnits(user, all, userOptions);
  const progKey = sha([stdDir, ...emitted.flatMap((m) => [m.unit.outPath, m.text])]);
  let progDir: string;
  try {
    progDir = cachedEntry(root, `prog-v${VERSION}-${progKey}.ref`, () => jsFiles(emitted));
  } catch (e) {
    throw new CacheError(cacheProblem(e));
  }
  const texts = new Map<string, string>();
  for (const u of all) texts.set(u.siteFile, u.source.displayText);
  return { user, all, texts, jsPath: (u) => join(progDir, ...u.outPath.replace(/\.ts$/, ".js").split("/")) };
}

function cacheProblem(e: unknown): string {
  if (e instanceof CacheError) return e.message;
  return `cannot use the compile cache: ${ioReason(e)}`;
}

function entryOf(u: EmitUnit): { name: string; kind: "main" | "_entry" } | null {
  for (const name of ["main", "_entry"] as const) {
    const b = u.root.values.get(name);
    if (b?.def && b.def.kind === "fn" && b.def.hasBody) return { name, kind: name === "main" ? "main" : "_entry" };
  }
  return null;
}

function execute(mod: Record<string, unknown>, entry: { name: string; kind: "main" | "_entry" }, options: RunOptions, program: string, texts: ReadonlyMap<string, string>): number {
  const out = new BufferedSink(new StreamSink(process.stdout));
  const err = new BufferedSink(new StreamSink(process.stderr));
  const prevOut = setStdout(out);
  const prevErr = setStderr(err);
  const stdout = (s: string): void => out.write(s);
  let kernel: EmbeddedKernel;
  let argv = [program, ...options.args];
  if (options.replay) {
    const r = createReplayKernel(readFileSync(options.replay, "utf8"), { stdout });
    if (!r.ok) {
      setStdout(prevOut);
      setStderr(prevErr);
      process.stderr.write(`error: cannot replay \`${options.replay}\`: ${r.error.message}\n`);
      return 1;
    }
    kernel = r.kernel;
    // XDV-071 §4.1: a replay runs on the recorded inputs. Arguments given anyway must be
    // the recorded ones, or the trace's first entry diverges and says so.
    if (options.args.length === 0) argv = [...r.argv];
  } else kernel = createKernel({ seed: options.seed, stdout });
  let status = 0;
  let halted = false;
  const previousAbi = bindAbi(options.abi ? options.abi(kernel) : kernel);
  try {
    // XDV-052 §3.1: the process is not implicitly bound to Q or Φ. It starts Created, and
    // the program declares its domains by walking the lifecycle (`bring_up`).
    kernel.boot({ argv, autoActivate: false });
    const fn = mod[entry.name] as (...a: unknown[]) => unknown;
    if (entry.kind === "main") {
      const result = fn() as { $tag?: string; _0?: unknown } | undefined;
      // `fn main() -> Result<(), E>` returning `Err(e)`: Rust's `Error: {e:?}` and status 1.
      const errTy = mod["main$error$ty"] as Ty | undefined;
      if (errTy && result?.$tag === "Err") {
        out.flush();
        process.stderr.write(`Error: ${debugOf(result._0, errTy)}\n`);
        status = 1;
      }
    } else status = Number(fn(argv.length, Vec.from(argv)) ?? 0);
    status = ((status % 256) + 256) % 256;
  } catch (e) {
    out.flush();
    err.flush();
    halted = e instanceof HostHalt;
    status = reportFailure(e, texts);
  } finally {
    out.flush();
    err.flush();
    setStdout(prevOut);
    setStderr(prevErr);
    bindAbi(previousAbi);
  }
  // A replay that stopped has already said where; shutting down would only diverge again.
  if (!halted) {
    try {
      kernel.shutdown(status);
    } catch (e) {
      if (!(e instanceof HostHalt)) throw e;
      process.stderr.write(`error: ${e.message}\n`);
      status = 1;
    }
  }
  if (options.record) writeFileSync(options.record, kernel.traceJsonl());
  if (options.telemetry) writeFileSync(options.telemetry, kernel.telemetryJsonl());
  return status;
}

const chains = new Map<string, MapChain | null>();

/** The `.ds` positions of a JavaScript stack's frames in emitted modules (through both maps). */
export function mapStack(stack: string): string[] {
  const out: string[] = [];
  for (const m of stack.matchAll(/(file:\/\/[^\s)]+\.js):(\d+):(\d+)/g)) {
    const path = fileURLToPath(m[1]!);
    if (!chains.has(path)) {
      try {
        chains.set(path, new MapChain([JSON.parse(readFileSync(`${path}.map`, "utf8")), JSON.parse(readFileSync(path.replace(/\.js$/, ".ts.map"), "utf8"))]));
      } catch {
        chains.set(path, null);
      }
    }
    const hit = chains.get(path)?.lookup(Number(m[2]), Number(m[3]));
    if (hit) out.push(`${hit.source}:${hit.line}`);
  }
  return out;
}

function reportFailure(e: unknown, texts: ReadonlyMap<string, string>): number {
  if (e instanceof DplFault) {
    const source = texts.get(e.site.file);
    process.stderr.write(formatFault(e, source === undefined ? {} : { source }));
    return FAULT_EXIT_STATUS;
  }
  if (e instanceof HostHalt) {
    process.stderr.write(`error: ${e.message}\n`);
    return 1;
  }
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    // What a Rust program does when its stack runs out: an abort, not a panic.
    process.stderr.write("\nthread 'main' has overflowed its stack\nfatal runtime error: stack overflow\n");
    return 134;
  }
  // Not a DPL fault: a bug in dplc or its runtime. Name the `.ds` positions, not the JavaScript.
  const err = e as Error;
  const where = mapStack(err?.stack ?? "");
  process.stderr.write(`error: internal error in the emitted program: ${err?.message ?? String(e)}\n${where.map((w) => `  at ${w}\n`).join("")}(please report this)\n`);
  return FAULT_EXIT_STATUS;
}
