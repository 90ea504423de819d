/**
 * A unified diff of two texts by lines, as `diff -u` and `git diff` print it, with three
 * lines of context: what `dplc fmt --check --diff` shows.
 */
import { editScript, splitLines } from "../format/line-diff.js";

export function unifiedDiff(name: string, before: string, after: string, context = 3): string {
  const ops = editScript(splitLines(before), splitLines(after));
  const out: string[] = [`--- ${name}`, `+++ ${name} (formatted)`];
  let i = 0;
  while (i < ops.length) {
    if (ops[i]!.kind === " ") {
      i++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last
    // change that is within 2 * context lines of the previous one.
    let start = Math.max(0, i - context);
    let end = i;
    while (end < ops.length) {
      if (ops[end]!.kind !== " ") {
        end++;
        continue;
      }
      let run = 0;
      while (end + run < ops.length && ops[end + run]!.kind === " ") run++;
      if (end + run >= ops.length || run > 2 * context) {
        end = Math.min(ops.length, end + context);
        break;
      }
      end += run;
    }
    let aLine = 1;
    let bLine = 1;
    for (let j = 0; j < start; j++) {
      if (ops[j]!.kind !== "+") aLine++;
      if (ops[j]!.kind !== "-") bLine++;
    }
    const hunk = ops.slice(start, end);
    const aCount = hunk.filter((o) => o.kind !== "+").length;
    const bCount = hunk.filter((o) => o.kind !== "-").length;
    out.push(`@@ -${aCount === 0 ? aLine - 1 : aLine},${aCount} +${bCount === 0 ? bLine - 1 : bLine},${bCount} @@`);
    for (const o of hunk) out.push(o.kind + o.line);
    i = end;
    start = end;
  }
  return out.join("\n") + "\n";
}
