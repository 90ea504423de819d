/**
 * The checked stdlib, kept in the user's cache between runs: a one-line `dplc check` would
 * otherwise parse and check the ~6,500 stdlib lines on every start (most of its time).
 *
 * An entry is named by everything the checked world depends on: the dplc version and
 * package folder, the compiler build (size and time of the front end's compiled files) and
 * the stdlib's text. It holds the whole checked world (modules, syntax trees, signatures,
 * tables, its own diagnostics) as an object graph (workspace/object-graph.ts), behind a
 * header line with its key and the SHA-256 of the graph's bytes. An entry that is unreadable,
 * corrupt, for another build or malformed in any way is ignored (and replaced); decoding
 * creates data only, so a hostile file can never run code. A cache folder that cannot be
 * used just means no cache: checking never fails because of it.
 *
 * The entry is decoded whole (~45-60 ms of a one-line check), not per module on first use:
 * the checked world's tables (semantic/tables.ts: expression types, resolutions, bindings)
 * are single Maps keyed by syntax-tree nodes of every stdlib module, and the impl index and
 * the types refer across modules, so handing out one of them means materializing every key
 * node. Decoding lazily would need those tables split per module (or per body) first.
 */
import { createHash } from "node:crypto";
import { contentKey, frontEndBuild, installationTag, readCacheBytes, writeCacheEntry } from "../workspace/start-cache.js";
import { decodeGraph, encodeGraph, GraphFormatError, type GraphCodec, type PackedClass } from "../workspace/object-graph.js";
import { OffsetSpan, SourceFile } from "../syntax/source.js";
import type { StdlibWorld } from "./stdlib-world.js";
import type { CheckedWorld } from "./program.js";
import { dedupingReporter, worldReporter } from "./context.js";
import { CallTable, Tables } from "./tables.js";
import { ImplIndex } from "./impls.js";
import { localIdCounter, reserveLocalIds } from "./checker.js";
import { PRIM_DEFS } from "./resolve.js";
import { PRIM_NAMES, prim, type PrimName } from "./types.js";
import * as Types from "./types.js";
import * as Builtins from "./builtins.js";
import * as Intrinsics from "./intrinsics.js";

const FORMAT = "dplc-stdlib-check 3";

const fail = (): never => {
  throw new GraphFormatError("a span whose file is not a source file");
};
const PREFIX = "stdlib-check-";

let codecCache: GraphCodec | undefined;

/** The classes in a checked world, and the module constants it shares with this process. */
function codec(): GraphCodec {
  if (codecCache) return codecCache;
  const known = new Map<string, object>();
  for (const [mod, exports] of [
    ["types", Types],
    ["builtins", Builtins],
    ["intrinsics", Intrinsics],
  ] as const) {
    for (const [name, v] of Object.entries(exports)) if (typeof v === "object" && v !== null) known.set(`${mod}.${name}`, v);
  }
  for (const n of PRIM_NAMES) known.set(`prim.${n}`, prim(n as PrimName));
  for (const [n, d] of PRIM_DEFS) known.set(`primdef.${n}`, d);
  const classes = new Map<string, object>([
    ["SourceFile", SourceFile.prototype],
    ["Tables", Tables.prototype],
    ["CallTable", CallTable.prototype],
    ["ImplIndex", ImplIndex.prototype],
  ]);
  const packed: PackedClass = {
    proto: OffsetSpan.prototype,
    pack: (o) => {
      const span = o as OffsetSpan;
      return [span.source, span.startOffset, span.endOffset];
    },
    unpack: (source, start, end) => (source instanceof SourceFile ? new OffsetSpan(source, start, end) : fail()),
  };
  return (codecCache = { classes, known, packed });
}

/** The entry's name: this installation, the front-end build and the stdlib's text. */
export function stdlibSnapshotName(stdlibFiles: readonly string[]): string {
  return `${PREFIX}${installationTag()}-${contentKey([FORMAT, frontEndBuild()], stdlibFiles)}.bin`;
}

interface Snapshot {
  readonly world: StdlibWorld;
  /** The local-id counter after checking the stdlib (see `reserveLocalIds`). */
  readonly nextLocalId: number;
}

/** The checked stdlib stored as `name`, or null when there is none that can be used. */
export function loadStdlibSnapshot(name: string): StdlibWorld | null {
  const bytes = readCacheBytes(name);
  if (bytes === null) return null;
  try {
    const nl = bytes.indexOf(10);
    if (nl < 0) return null;
    const header = JSON.parse(bytes.subarray(0, nl).toString("utf8")) as { format?: unknown; key?: unknown; sha256?: unknown };
    const body = bytes.subarray(nl + 1);
    if (header.format !== FORMAT || header.key !== name) return null;
    if (header.sha256 !== createHash("sha256").update(body).digest("hex")) return null;
    const snap = decodeGraph(body, codec()) as Snapshot;
    const w = snap.world;
    const checked = w.checked as CheckedWorld;
    if (typeof snap.nextLocalId !== "number" || !checked?.sema || !(checked.sema.impls instanceof ImplIndex) || !(checked.tables instanceof Tables)) return null;
    // Functions are not data: the reporters come back as the stdlib builder made them.
    const report = worldReporter(w.world);
    (w.resolver as { report: unknown }).report = report;
    const semaReport = dedupingReporter(checked.world, checked.sema.reported);
    (checked.sema as { report: unknown }).report = semaReport;
    (checked.sema.resolver as { report: unknown }).report = semaReport;
    checked.sema.impls.restoreCopyMarks();
    reserveLocalIds(snap.nextLocalId);
    return w;
  } catch {
    // Corrupt or from an incompatible build: check the stdlib afresh (and overwrite it).
    return null;
  }
}

/** Store a freshly checked stdlib as `name` (best effort: a failure only costs speed). */
export function saveStdlibSnapshot(name: string, w: StdlibWorld): void {
  const checked = w.checked as CheckedWorld;
  let body: Uint8Array;
  checked.tables.callRes.settle();
  try {
    body = encodeGraph({ world: w, nextLocalId: localIdCounter() } satisfies Snapshot, codec(), new Set([w.resolver.report, checked.sema.report, checked.sema.resolver.report]));
  } catch {
    // A graph the format cannot hold: no cache (a test keeps this from happening unnoticed).
    return;
  }
  const header = JSON.stringify({ format: FORMAT, key: name, sha256: createHash("sha256").update(body).digest("hex") });
  // This installation's entries for other builds or stdlib texts are dead weight.
  // Padded so that the graph starts 4-byte aligned in the file: its words are read in place.
  const line = Buffer.from(`${header.padEnd(header.length + ((4 - ((header.length + 1) % 4)) % 4))}\n`, "utf8");
  writeCacheEntry(name, Buffer.concat([line, body]), `${PREFIX}${installationTag()}-`);
}
