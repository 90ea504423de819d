/** `dplc trace merge FILES…`: exit 0 with the merged order on stdout, 1 when a chain fails, 2 on I/O. */
import { readFileSync } from "node:fs";
import { mergeTraces } from "./trace-merge.js";

export function runTraceMerge(files: readonly string[]): { status: number } | { usage: string } {
  const inputs = [];
  for (const f of files) {
    try {
      inputs.push({ name: f, text: readFileSync(f, "utf8") });
    } catch {
      return { usage: `cannot read the trace \`${f}\`` };
    }
  }
  const r = mergeTraces(inputs);
  if (!r.ok) {
    process.stderr.write(`error: ${r.message}\n`);
    return { status: 1 };
  }
  process.stdout.write(r.lines.map((l) => l + "\n").join(""));
  for (const h of r.heads) process.stderr.write(`verified ${h.node}: ${h.entries} entries, head ${h.head.slice(0, 16)}\n`);
  return { status: 0 };
}
