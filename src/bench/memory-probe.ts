/**
 * Child process of the memory bench (memory.ts): check one generated file of about
 * `argv[2]` MiB in process and print what the parent needs. Run with `--expose-gc
 * --trace-gc`: the parent reads the peak heap from V8's GC trace, which sees every
 * high-water mark that polling from JavaScript (blocked during a synchronous check) cannot.
 */
import { generateModule } from "./corpus.js";
import { checkSources } from "../compiler/check.js";
import { SourceFile } from "../syntax/source.js";
import { MAX_SOURCE_BYTES } from "../syntax/limits.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("memory-probe needs --expose-gc");

const mib = Number(process.argv[2] ?? 1);
// Just under the size limit (DPL1005) at 8 MiB: the largest file dplc accepts.
const target = Math.min(mib * 1024 * 1024, MAX_SOURCE_BYTES) - 4096;
const parts: string[] = [];
let length = 0;
for (let i = 0; ; i++) {
  const m = generateModule(i, 200);
  if (length + m.length > target) break;
  parts.push(m);
  length += m.length;
}
const text = parts.join("");

// The stdlib is checked (or loaded from its cache) outside the measurement.
checkSources([new SourceFile("warm.ds", "fn main() {}\n")], { profile: "user", allBlocks: false });
gc();
gc();
const base = process.memoryUsage().heapUsed;
process.stdout.write(`BASE ${base}\n`);
const start = performance.now();
const result = checkSources([new SourceFile("big.ds", text)], { profile: "user", allBlocks: false, diagnosticsOnly: true });
const ms = performance.now() - start;
const end = process.memoryUsage().heapUsed;
gc();
gc();
const retained = process.memoryUsage().heapUsed - base;
process.stdout.write(
  `DONE ${JSON.stringify({ bytes: text.length, lines: text.split("\n").length, ms, diagnostics: result.diagnostics.length, endHeap: end - base, retained, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
