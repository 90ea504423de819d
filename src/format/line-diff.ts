/**
 * Line diffs (Myers' O(ND) algorithm): the shortest edit script between two texts' lines.
 * `dplc fmt --diff` prints it as a unified diff; the language server turns it into the
 * few text edits that formatting makes, so an editor keeps its cursor and folds.
 */
export type Op = { readonly kind: " " | "-" | "+"; readonly line: string };

export function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** The shortest edit script from `a` to `b`. */
export function editScript(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!) ? v[max + k + 1]! : v[max + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) break outer;
    }
  }
  // Walk the trace back from the end.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[max + k - 1]! < vd[max + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[max + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) ops.push({ kind: " ", line: a[--x]! }), y--;
    if (d > 0) {
      if (x === prevX) ops.push({ kind: "+", line: b[--y]! });
      else ops.push({ kind: "-", line: a[--x]! });
    }
  }
  while (x > 0 && y > 0) ops.push({ kind: " ", line: a[--x]! }), y--;
  return ops.reverse();
}

/** A run of changed lines: lines [start, end) of `a` become `lines`. */
export interface LineChange {
  readonly start: number;
  readonly end: number;
  readonly lines: readonly string[];
}

export function lineChanges(a: readonly string[], b: readonly string[]): LineChange[] {
  const out: LineChange[] = [];
  let ai = 0;
  let cur: { start: number; end: number; lines: string[] } | null = null;
  for (const op of editScript(a, b)) {
    if (op.kind === " ") {
      if (cur) out.push(cur);
      cur = null;
      ai++;
      continue;
    }
    cur ??= { start: ai, end: ai, lines: [] };
    if (op.kind === "-") {
      ai++;
      cur.end = ai;
    } else cur.lines.push(op.line);
  }
  if (cur) out.push(cur);
  return out;
}
