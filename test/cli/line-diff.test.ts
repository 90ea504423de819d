/** The line diff behind `dplc fmt --diff` and the editor's formatting edits reconstructs its target. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { editScript, lineChanges } from "../../src/format/line-diff.js";
import { unifiedDiff } from "../../src/cli/unified-diff.js";

const lines = fc.array(fc.constantFrom("a", "b", "c", "d", "{", "}", ""), { maxLength: 30 });

/** Apply a unified diff's hunks to `before`, as `patch` would. */
function applyUnified(before: string[], diff: string): string[] {
  const out: string[] = [];
  let at = 0;
  for (const hunk of diff.split(/^(?=@@ )/m).slice(1)) {
    const m = /^@@ -(\d+),(\d+) \+\d+,\d+ @@\n/.exec(hunk)!;
    const start = Number(m[2]) === 0 ? Number(m[1]) : Number(m[1]) - 1;
    while (at < start) out.push(before[at++]!);
    for (const l of hunk.slice(m[0].length).split("\n").slice(0, -1)) {
      if (l[0] === " ") {
        expect(before[at]).toBe(l.slice(1));
        out.push(before[at++]!);
      } else if (l[0] === "-") {
        expect(before[at]).toBe(l.slice(1));
        at++;
      } else out.push(l.slice(1));
    }
  }
  while (at < before.length) out.push(before[at++]!);
  return out;
}

describe("line diffs", () => {
  it("the edit script turns a into b and keeps every common line it can", () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const ops = editScript(a, b);
        expect(ops.filter((o) => o.kind !== "+").map((o) => o.line)).toEqual(a);
        expect(ops.filter((o) => o.kind !== "-").map((o) => o.line)).toEqual(b);
        if (JSON.stringify(a) === JSON.stringify(b)) expect(ops.every((o) => o.kind === " ")).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("line changes applied from the bottom up give b", () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const out = [...a];
        for (const c of lineChanges(a, b).reverse()) out.splice(c.start, c.end - c.start, ...c.lines);
        expect(out).toEqual(b);
      }),
      { numRuns: 500 },
    );
  });

  it("a unified diff patches a into b", () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const text = (ls: string[]) => ls.map((l) => l + "\n").join("");
        const d = unifiedDiff("f.ds", text(a), text(b));
        expect(applyUnified(a, d)).toEqual(b);
      }),
      { numRuns: 500 },
    );
  });
});
