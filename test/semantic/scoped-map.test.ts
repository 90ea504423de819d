/** ScopedMap (src/semantic/scoped-map.ts): a scope's new keys live apart until it closes. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ScopedMap } from "../../src/semantic/scoped-map.js";

describe("ScopedMap", () => {
  it("sees the scope's entries with the map's, and keeps only what the filter accepts on close", () => {
    const m = new ScopedMap<string, number>([["a", 1]]);
    m.open();
    m.set("b", 2).set("c", 3);
    // An existing key is updated in place, not shadowed.
    m.set("a", 10);
    expect(m.get("a")).toBe(10);
    expect(m.get("b")).toBe(2);
    expect(m.has("c")).toBe(true);
    expect(m.size).toBe(3);
    expect([...m]).toEqual([["a", 10], ["b", 2], ["c", 3]]);
    expect([...m.keys()]).toEqual(["a", "b", "c"]);
    expect([...m.values()]).toEqual([10, 2, 3]);
    const seen: string[] = [];
    m.forEach((v, k) => seen.push(`${k}=${v}`));
    expect(seen).toEqual(["a=10", "b=2", "c=3"]);
    expect(m.delete("c")).toBe(true);
    expect(m.has("c")).toBe(false);
    m.close((k) => k !== "b");
    expect([...m]).toEqual([["a", 10]]);
    m.close(() => true); // closing again does nothing
    expect(m.size).toBe(1);
  });

  it("keeps an entry whose key or value the filter accepts, and stores a key with an undefined value", () => {
    const m = new ScopedMap<string, number | undefined>();
    m.open();
    m.set("u", undefined).set("x", 1).set("y", 2);
    expect(m.has("u")).toBe(true);
    expect(m.get("u")).toBeUndefined();
    m.close((_k, v) => v !== 2);
    expect([...m.keys()]).toEqual(["u", "x"]);
  });

  it("behaves as a Map over random operations, a scope closed keeping everything", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("set" as const), k: fc.integer({ min: 0, max: 8 }), v: fc.integer() }),
      fc.record({ kind: fc.constant("delete" as const), k: fc.integer({ min: 0, max: 8 }) }),
      fc.record({ kind: fc.constant("open" as const) }),
      fc.record({ kind: fc.constant("close" as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const m = new ScopedMap<number, number>();
        const ref = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === "set") {
            m.set(o.k, o.v);
            ref.set(o.k, o.v);
          } else if (o.kind === "delete") expect(m.delete(o.k)).toBe(ref.delete(o.k));
          else if (o.kind === "open") m.open();
          else m.close(() => true);
          expect(m.size).toBe(ref.size);
          for (let k = 0; k <= 8; k++) expect(m.get(k)).toBe(ref.get(k));
          expect(new Map(m)).toEqual(ref);
        }
      }),
      { numRuns: 200, seed: 9 },
    );
  });
});
