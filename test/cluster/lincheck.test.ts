import { describe, expect, it } from "vitest";
import { checkRegister, type HistoryOp } from "../../src/cluster/lincheck.js";

const w = (call: number, ret: number, value: string, rev: number | null): HistoryOp => ({ call, ret, op: { kind: "write", value, rev } });
const r = (call: number, ret: number, value: string | null, rev: number): HistoryOp => ({ call, ret, op: { kind: "read", value, rev } });
const cas = (call: number, ret: number, expectRev: number, value: string, ok: boolean | null, rev: number | null): HistoryOp => ({ call, ret, op: { kind: "cas", expectRev, value, ok, rev } });

describe("linearizability checker", () => {
  it("accepts a sequential history and concurrent operations in a valid order", () => {
    expect(checkRegister([w(0, 1, "a", 5), r(2, 3, "a", 5), w(4, 5, "b", 6), r(6, 7, "b", 6)]).linearizable).toBe(true);
    // The read overlaps the write: it may see either value.
    expect(checkRegister([w(0, 10, "a", 5), r(1, 2, null, 0)]).linearizable).toBe(true);
    expect(checkRegister([w(0, 10, "a", 5), r(1, 2, "a", 5)]).linearizable).toBe(true);
  });

  it("rejects a stale read: a value superseded by a write that completed before the read began", () => {
    expect(checkRegister([w(0, 1, "a", 5), w(2, 3, "b", 6), r(4, 5, "a", 5)]).linearizable).toBe(false);
  });

  it("rejects two winners of one compare-and-set", () => {
    const h = [w(0, 1, "a", 5), cas(2, 6, 5, "x", true, 7), cas(3, 7, 5, "y", true, 8), r(8, 9, "y", 8)];
    expect(checkRegister(h).linearizable).toBe(false);
    // One winner and one loser is fine.
    expect(checkRegister([w(0, 1, "a", 5), cas(2, 6, 5, "x", true, 7), cas(3, 7, 5, "y", false, null), r(8, 9, "x", 7)]).linearizable).toBe(true);
  });

  it("rejects a lost acknowledged write", () => {
    expect(checkRegister([w(0, 1, "a", 5), w(2, 3, "b", 6), r(4, 5, "a", 5)]).linearizable).toBe(false);
    expect(checkRegister([w(0, 1, "a", 5), r(4, 5, null, 0)]).linearizable).toBe(false);
  });

  it("lets an operation with unknown outcome take effect or not", () => {
    expect(checkRegister([w(0, Infinity, "a", null), r(5, 6, "a", 9)]).linearizable).toBe(true);
    expect(checkRegister([w(0, Infinity, "a", null), r(5, 6, null, 0)]).linearizable).toBe(true);
    // ... but not before it was invoked.
    expect(checkRegister([r(0, 1, "a", 9), w(2, Infinity, "a", null)]).linearizable).toBe(false);
  });
});
