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
 *
 * The program itself runs in a worker thread (run-execute.ts, run-worker.ts) under the
 * run's limits; this side verifies a replayed trace first (signature, format, program
 * hash), opens the outputs as streamed files, and closes them after every ending with a
 * final entry and a signature (docs/security.md, "Traces, replay and the runtime").
 */
import { surfaceOf } from "../syntax/parse.js";
import { CacheError } from "../workspace/cache-error.js";
import { userCacheDir } from "../workspace/user-cache.js";
export { CacheError } from "../workspace/cache-error.js";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { writeFileAtomic } from "./write-file.js";
import { ioReason } from "./sources.js";
import type { SourceFile } from "../syntax/source.js";
import { displayName } from "../workspace/sources.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { CheckedProgram } from "../semantic/program.js";
import type { Profile } from "./options.js";
import { VERSION } from "./version.js";
import { PACKAGE_ROOT } from "./stdlib.js";
import { analyzeSources, frameSources, type FrameSources } from "./analyze.js";
import { AnalysisModel } from "../semantic/model.js";
import { BRIDGE_URL, RUNTIME_DIST, RUNTIME_URL } from "./runtime-package.js";
import { emitUnits, mapFor, stdlibUnits, userUnits, type EmittedModule } from "../emit/program.js";
import type { EmitUnit } from "../emit/symbols.js";
import type { EmitOptions } from "../emit/module-ctx.js";
import { transpile } from "../emit/tree.js";
import { StreamSink, STOP_FLAG } from "#runtime";
import { createReplayKernel, verifyTraceSignature, type EmbeddedKernel, type HybridAbi, type KernelOptions } from "../host/index.js";
import { canonicalJson } from "../host/trace/canonical-json.js";
import { executeJob, stopped, type RunEnd, type RunJob } from "./run-execute.js";
import { finishTrace, StreamedFile } from "./run-output.js";
import { loadTraceKey, traceKeyPath } from "./trace-key.js";

export { mapStack } from "./run-execute.js";

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
  /** Recording runs: replaces the domain oracle (a clustered run, `src/cluster/`); replay ignores it. */
  readonly oracle?: KernelOptions["oracle"];
  /** A project's settings (Dust.toml): its profile and path dependencies. */
  readonly profile?: Profile;
  readonly dependencies?: ReadonlyMap<string, string>;
  /** `--timeout`, `--fuel`, `--max-memory`. */
  readonly limits?: { readonly timeoutSeconds?: number; readonly fuel?: number; readonly maxMemoryMb?: number };
  /** Replay a trace whose signature is missing or not the user's (with a warning). */
  readonly trustUnsigned?: boolean;
  /** The signing key file (`--trace-key`); default: `DPLC_TRACE_KEY`, then the config folder. */
  readonly traceKey?: string;
  /**
   * The other files of the program (`dplc run DIR`: the dustlang files of a folder, whose
   * forges are one namespace each). The entry is then the one file's that has one.
   */
  readonly companions?: readonly SourceFile[];
}

export type RunOutcome =
  | { readonly kind: "diagnostics"; readonly diagnostics: readonly Diagnostic[]; readonly frames: FrameSources }
  | { readonly kind: "usage"; readonly message: string }
  | { readonly kind: "ran"; readonly status: number; readonly diagnostics: readonly Diagnostic[] };

const HERE = dirname(new URL(import.meta.url).pathname);


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
  const analysis = analyzeSources([source, ...(options.companions ?? [])], { profile: options.profile ?? "user", allBlocks: false, ...(options.dependencies ? { dependencies: options.dependencies } : {}) });
  const { model, diagnostics } = analysis;
  if (!model || diagnostics.some((d) => d.severity === "error")) return { kind: "diagnostics", diagnostics, frames: frameSources(analysis) };
  let cached: CachedProgram;
  try {
    cached = compileToCache(model.program, model);
  } catch (e) {
    if (e instanceof CacheError) return { kind: "usage", message: e.message };
    throw e;
  }
  const { user, all, texts, jsPath } = cached;
  const realFile = resolve(source.name);
  let entryUnit = user.find((u) => u.root.filePath === realFile) ?? user[0];
  if (options.companions && options.companions.length > 0) {
    // A folder runs the one entry its files have.
    const given = new Set([source, ...options.companions].map((f) => resolve(f.name)));
    const withEntry = user.filter((u) => u.root.parent === null && u.root.filePath !== null && given.has(u.root.filePath) && entryOf(u) !== null);
    if (withEntry.length > 1) {
      return { kind: "usage", message: `several files of this folder have an entry to run: ${withEntry.map((u) => `\`${displayName(u.root.filePath!)}\``).join(", ")}; run one of them, or keep one entry` };
    }
    if (withEntry[0]) entryUnit = withEntry[0];
  }
  if (!entryUnit) return { kind: "usage", message: `\`${source.name}\` has no module to run` };
  const entry = entryOf(entryUnit);
  if (!entry) {
    const dust = surfaceOf(source.text) === "dust";
    return {
      kind: "usage",
      message: dust
        ? `\`${source.name}\` has no entry to run: a dustlang file runs \`K main { .. }\`, \`proc K::main\`, or its one K process without parameters that no other process calls`
        : `\`${source.name}\` has no \`fn main()\` and no \`_entry(argc, argv)\` to run`,
    };
  }
  const programHash = programSha256(all);
  let replay: { text: string; stopAtStep: number | null } | undefined;
  if (options.replay !== undefined) {
    const checkedReplay = checkReplay(options, programHash);
    if ("error" in checkedReplay) {
      process.stderr.write(`error: cannot replay \`${options.replay}\`: ${checkedReplay.error}\n`);
      return { kind: "ran", status: 1, diagnostics };
    }
    replay = checkedReplay;
  }
  const outputs = openOutputs(options);
  if (typeof outputs === "string") return { kind: "usage", message: outputs };
  const job: RunJob = {
    moduleUrl: pathToFileURL(jsPath(entryUnit)).href,
    entry,
    seed: options.seed.toString(),
    args: options.args,
    program: source.name,
    programHash,
    texts: [...texts],
    ...(replay ? { replayText: replay.text } : {}),
    ...(replay?.stopAtStep ? { replayStopStep: replay.stopAtStep } : {}),
    ...(outputs.trace ? { traceFd: outputs.trace.fd } : {}),
    ...(outputs.telemetry ? { telemetryFd: outputs.telemetry.fd } : {}),
    ...(options.limits?.fuel !== undefined ? { fuel: options.limits.fuel } : {}),
    ...(options.limits?.timeoutSeconds !== undefined ? { timeoutSeconds: options.limits.timeoutSeconds } : {}),
    ...(options.limits?.maxMemoryMb !== undefined ? { maxMemoryMb: options.limits.maxMemoryMb } : {}),
  };
  try {
    const end = options.abi
      ? await executeJob(job, { stdout: new StreamSink(process.stdout), stderr: (t) => process.stderr.write(t), abi: options.abi, ...(options.oracle ? { oracle: options.oracle } : {}) })
      : await executeInWorker(job);
    closeOutputs(outputs, end, options);
    return { kind: "ran", status: end.status, diagnostics };
  } catch (e) {
    // Only a dplc bug gets here; the files at the targets stay as they were.
    outputs.trace?.discard();
    outputs.telemetry?.discard();
    throw e;
  }
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
export function compileToCache(checked: CheckedProgram, model: AnalysisModel = new AnalysisModel(checked)): CachedProgram {
  const std = stdlibUnits(model);
  const user = userUnits(model, "display");
  const all = [...std, ...user];
  const base: EmitOptions = { version: VERSION, runtimeSpecifier: () => RUNTIME_URL, bridgeSpecifier: () => BRIDGE_URL };
  let root: string;
  let stdDir: string;
  try {
    root = userCacheDir();
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

/** SHA-256 over every module the program is compiled from, the stdlib included, in a fixed order. */
export function programSha256(units: readonly EmitUnit[]): string {
  const h = createHash("sha256");
  for (const u of [...units].sort((a, b) => (a.outPath < b.outPath ? -1 : a.outPath > b.outPath ? 1 : 0))) h.update(u.outPath).update("\0").update(u.source.text).update("\0");
  return h.digest("hex");
}

/**
 * A trace may be replayed only when it is signed by the user's key (or `--trust-unsigned`
 * says to go on without, with a warning), parses with an intact chain, is of this dplc's
 * format and was recorded from this very program. Returns the text, or why not.
 */
function checkReplay(options: RunOptions, programHash: string): { text: string; stopAtStep: number | null } | { error: string } {
  let text: string;
  try {
    text = readFileSync(options.replay!, "utf8");
  } catch (e) {
    return { error: (e as Error).message };
  }
  const made = createReplayKernel(text);
  if (!made.ok) return { error: made.error.message };
  const key = loadTraceKey(traceKeyPath(options.traceKey), false);
  const check = key.ok ? verifyTraceSignature(made.signature, made.chainHead, made.entries, key.key.publicKey) : { ok: false as const, message: key.message };
  if (!check.ok) {
    if (!options.trustUnsigned) return { error: `${check.message} (refusing to replay it; --trust-unsigned replays it anyway)` };
    process.stderr.write(`warning: replaying \`${options.replay}\` although ${check.message.replace(/^the trace/, "it")}: its recorded results are unverified (--trust-unsigned)\n`);
  }
  if (made.run.program !== programHash) {
    return { error: `trace entry 0: the trace was recorded from another program (program_sha256 ${made.run.program?.slice(0, 16) ?? "absent"}…, this program is ${programHash.slice(0, 16)}…)` };
  }
  return { text, stopAtStep: made.run.stoppedAtStep };
}

interface Outputs {
  readonly trace?: StreamedFile;
  readonly telemetry?: StreamedFile;
}

function openOutputs(options: RunOptions): Outputs | string {
  const opened: StreamedFile[] = [];
  const open = (path: string | undefined): StreamedFile | undefined | string => {
    if (path === undefined) return undefined;
    const f = StreamedFile.open(path);
    if (typeof f !== "string") opened.push(f);
    return f;
  };
  const trace = open(options.record);
  const telemetry = open(options.telemetry);
  for (const f of [trace, telemetry]) {
    if (typeof f === "string") {
      for (const o of opened) o.discard();
      return f;
    }
  }
  return { ...(trace ? { trace: trace as StreamedFile } : {}), ...(telemetry ? { telemetry: telemetry as StreamedFile } : {}) };
}

/**
 * Gives each output its final entry, signs the trace and puts the files in place. A
 * replay that stopped never replaces the trace it was replaying (`--replay T --record T`):
 * its own, shorter trace is dropped and T stays as it was.
 */
function closeOutputs(outputs: Outputs, end: RunEnd, options: RunOptions): void {
  if (outputs.trace) {
    const f = outputs.trace;
    const { warning } = finishTrace(f, { ended: end.ended, status: end.status, steps: end.steps }, options.traceKey);
    if (warning) process.stderr.write(`warning: ${warning}\n`);
    if (end.halted && options.replay !== undefined && sameFile(options.replay, f.target)) {
      f.discard();
      process.stderr.write(`note: \`${f.target}\` was left as it was: the replay of it stopped, so its own trace is not complete\n`);
    } else f.commit();
  }
  if (outputs.telemetry) {
    outputs.telemetry.line(canonicalJson({ kind: "run_end", ended: end.ended, exit_status: end.status }));
    outputs.telemetry.commit();
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    const x = statSync(a);
    const y = statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return resolve(a) === resolve(b);
  }
}

/** Grace given to a stopped program to unwind and close its trace before it is killed. */
const STOP_GRACE_MS = 2000;

/**
 * Runs the job in a worker thread: this thread keeps listening for SIGINT/SIGTERM and the
 * timeout, raises the stop flag the program polls, and kills the worker if it does not stop
 * in time. A worker that dies (out of memory past the flag, killed) gets its end from here.
 */
function executeInWorker(job: RunJob): Promise<RunEnd> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL("./run-worker.js", import.meta.url), {
    workerData: { job, stopFlag: flag },
    stdout: false,
    stderr: false,
    // Twice the program's limit, plus room to report: the program is stopped at its limit by
    // the heap check of its steps; this one only catches an allocation made between two.
    ...(job.maxMemoryMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: job.maxMemoryMb * 2 + 256 } } : {}),
  });
  return new Promise<RunEnd>((resolveEnd, reject) => {
    let end: RunEnd | undefined;
    let stopReason: "timeout" | "interrupted" | "terminated" | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (reason: "timeout" | "interrupted" | "terminated"): void => {
      if (stopReason !== undefined) {
        // A second Ctrl-C: stop now.
        void worker.terminate();
        return;
      }
      stopReason = reason;
      Atomics.store(flag, 0, STOP_FLAG[reason]);
      killTimer = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
    };
    const onInt = (): void => stop("interrupted");
    const onTerm = (): void => stop("terminated");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    const timer = job.timeoutSeconds !== undefined ? setTimeout(() => stop("timeout"), job.timeoutSeconds * 1000) : undefined;
    let failure: Error | undefined;
    worker.on("message", (m: RunEnd) => (end = m));
    worker.on("error", (e) => (failure = e));
    worker.on("exit", () => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      if (timer) clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      if (end) return resolveEnd(end);
      const oom = (failure as NodeJS.ErrnoException | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY";
      if (oom || stopReason !== undefined) {
        const f = stopped(oom ? "out-of-memory" : stopReason!, "", job);
        process.stderr.write(f.report);
        return resolveEnd({ status: f.status, ended: f.ended, steps: 0, halted: false });
      }
      if (failure) return reject(failure);
      reject(new Error("the program's worker thread ended without a result"));
    });
  });
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

