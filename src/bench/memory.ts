/**
 * Memory of one large file's check (issue 9: under 60 bytes of peak heap per source byte,
 * linear in the size). Each size runs in its own process (memory-probe.ts) so that one
 * size's garbage never counts against the next.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { launcherNodeFlags } from "./launcher-flags.js";

export interface MemoryFigure {
  readonly mib: number;
  readonly bytes: number;
  readonly lines: number;
  readonly ms: number;
  readonly diagnostics: number;
  /** Highest heap in use during the check, over the heap before it, per source byte. */
  readonly peakPerByte: number;
  /** Heap still reachable from the check's result after a full GC, per source byte. */
  readonly retainedPerByte: number;
  readonly maxRssMB: number;
}

const PROBE = fileURLToPath(new URL("./memory-probe.js", import.meta.url));

/** `Scavenge 137.3 (156.8) -> 124.1 (158.0) MB`: the heap in use before that GC, in bytes. */
const GC_LINE = /(?:Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Compact|Mark-Compact \(reduce\))[^\d]*([\d.]+) \([\d.]+\) -> /;

export function measureMemory(mib: number): MemoryFigure | { readonly mib: number; readonly error: string } {
  // The flags `bin/dplc` runs with, plus what the probe needs.
  const r = spawnSync(process.execPath, [...launcherNodeFlags(), "--expose-gc", "--trace-gc", PROBE, String(mib)], { encoding: "utf8", maxBuffer: 1 << 26 });
  const lines = r.stdout.split("\n");
  const baseAt = lines.findIndex((l) => l.startsWith("BASE "));
  const doneLine = lines.find((l) => l.startsWith("DONE "));
  if (baseAt < 0 || !doneLine) return { mib, error: (r.stderr.split("\n")[0] || `exit ${r.status}`).slice(0, 200) };
  const base = Number(lines[baseAt]!.slice(5));
  const done = JSON.parse(doneLine.slice(5)) as { bytes: number; lines: number; ms: number; diagnostics: number; endHeap: number; retained: number; maxRssMB: number };
  let peak = done.endHeap;
  for (const l of lines.slice(baseAt + 1)) {
    if (l.startsWith("DONE ")) break;
    const m = GC_LINE.exec(l);
    if (m) peak = Math.max(peak, Number(m[1]) * 1024 * 1024 - base);
  }
  return {
    mib,
    bytes: done.bytes,
    lines: done.lines,
    ms: done.ms,
    diagnostics: done.diagnostics,
    peakPerByte: peak / done.bytes,
    retainedPerByte: done.retained / done.bytes,
    maxRssMB: done.maxRssMB,
  };
}
