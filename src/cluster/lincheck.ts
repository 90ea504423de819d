/**
 * A linearizability checker (Wing & Gong's search with Lowe's memoisation, the algorithm of
 * knossos and porcupine) for one register of the coordination store, as the cluster layer
 * uses it: reads return (value, mod revision); writes return their commit revision; a
 * compare-and-set is guarded on a mod revision read earlier. Operations whose outcome is
 * unknown (the client timed out) may take effect at any point after their call, or never.
 *
 * Used by the fault tests on histories recorded against a real etcd under kills and pauses,
 * and tested on known-bad histories (stale read, two winners of one CAS, lost write).
 */

export type RegisterOp =
  | { readonly kind: "read"; readonly value: string | null; readonly rev: number }
  | { readonly kind: "write"; readonly value: string; readonly rev: number | null }
  | { readonly kind: "cas"; readonly expectRev: number; readonly value: string; readonly ok: boolean | null; readonly rev: number | null };

export interface HistoryOp {
  readonly call: number;
  /** Infinity when the outcome is unknown. */
  readonly ret: number;
  readonly op: RegisterOp;
}

interface State {
  readonly value: string | null;
  /** -1: revision unknown (set by an operation whose answer was lost). */
  readonly rev: number;
}

function step(s: State, op: RegisterOp, determinate: boolean): State | null {
  switch (op.kind) {
    case "read":
      if (!determinate) return s;
      if (s.value !== op.value) return null;
      if (s.rev !== -1 && s.rev !== op.rev) return null;
      return { value: op.value, rev: op.rev };
    case "write":
      return { value: op.value, rev: determinate && op.rev !== null ? op.rev : -1 };
    case "cas": {
      const matches = s.rev === -1 || s.rev === op.expectRev;
      if (!determinate || op.ok === null) return matches ? { value: op.value, rev: -1 } : s;
      if (op.ok) return matches ? { value: op.value, rev: op.rev ?? -1 } : null;
      return s.rev !== -1 && s.rev === op.expectRev ? null : s;
    }
  }
}

export interface LinResult {
  readonly linearizable: boolean;
  /** Search steps taken (bounded by `maxSteps`; over the bound the answer is `undefined`). */
  readonly steps: number;
  readonly exhausted?: boolean;
}

/**
 * `initial` is the register before the history. Unknown-outcome operations may be left out
 * of the linearization (they may never have happened).
 */
export function checkRegister(history: readonly HistoryOp[], initial: State = { value: null, rev: 0 }, maxSteps = 2_000_000): LinResult {
  const ops = [...history].sort((a, b) => a.call - b.call);
  const n = ops.length;
  const required = ops.map((o) => Number.isFinite(o.ret));
  const seen = new Set<string>();
  let steps = 0;
  const done = new Uint8Array(n);
  const key = (s: State): string => `${Array.from(done).join("")}|${s.value}|${s.rev}`;

  const search = (s: State, remainingRequired: number): boolean => {
    if (remainingRequired === 0) return true;
    if (++steps > maxSteps) throw new RangeError("search bound");
    const k = key(s);
    if (seen.has(k)) return false;
    seen.add(k);
    // Candidates: pending ops invoked before the earliest return among pending ops.
    let minRet = Infinity;
    for (let i = 0; i < n; i++) if (!done[i] && ops[i]!.ret < minRet) minRet = ops[i]!.ret;
    for (let i = 0; i < n; i++) {
      if (done[i] || ops[i]!.call > minRet) continue;
      const next = step(s, ops[i]!.op, required[i]!);
      if (next === null) continue;
      done[i] = 1;
      const ok = search(next, remainingRequired - (required[i] ? 1 : 0));
      done[i] = 0;
      if (ok) return true;
    }
    return false;
  };
  try {
    return { linearizable: search(initial, required.filter(Boolean).length), steps };
  } catch (e) {
    if (e instanceof RangeError && e.message === "search bound") return { linearizable: false, steps, exhausted: true };
    throw e;
  }
}
