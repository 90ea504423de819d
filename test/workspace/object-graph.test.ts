/**
 * The object-graph codec of the per-user caches: what it encodes comes back with the same
 * shape, sharing and classes; what it cannot hold faithfully is refused when writing; and
 * any text that is not its own output is refused when reading, with nothing but a
 * `GraphFormatError` and without touching anything outside the objects it creates.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decodeGraph, encodeGraph, GraphFormatError, type GraphCodec } from "../../src/workspace/object-graph.js";

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
  norm(): number {
    return this.x * this.x + this.y * this.y;
  }
}
const ORIGIN = { name: "origin" };
const codec: GraphCodec = { classes: new Map([["Point", Point.prototype]]), known: new Map([["origin", ORIGIN]]) };

describe("object graph codec", () => {
  it("keeps cycles, sharing, Maps, Sets, class instances, special numbers, bigints and known objects", () => {
    const shared = { tag: "shared" };
    const root: Record<string, unknown> = {
      list: [shared, shared, undefined, null, true, "s"],
      map: new Map<unknown, unknown>([[shared, 1], ["k", new Set([shared, 2n ** 127n])]]),
      p: new Point(3, 4),
      nums: [NaN, Infinity, -Infinity, -0, 1.5],
      big: -(2n ** 64n),
      origin: ORIGIN,
    };
    root["self"] = root;
    const back = decodeGraph(encodeGraph(root, codec), codec) as typeof root;
    expect(back["self"]).toBe(back);
    const list = back["list"] as unknown[];
    expect(list[0]).toBe(list[1]);
    expect(list.slice(2)).toEqual([undefined, null, true, "s"]);
    const map = back["map"] as Map<unknown, unknown>;
    expect(map.get(list[0])).toBe(1);
    expect([...(map.get("k") as Set<unknown>)]).toEqual([list[0], 2n ** 127n]);
    expect(back["p"]).toBeInstanceOf(Point);
    expect((back["p"] as Point).norm()).toBe(25);
    const nums = back["nums"] as number[];
    expect(Number.isNaN(nums[0])).toBe(true);
    expect(nums.slice(1, 3)).toEqual([Infinity, -Infinity]);
    expect(Object.is(nums[3], -0)).toBe(true);
    expect(back["big"]).toBe(-(2n ** 64n));
    expect(back["origin"]).toBe(ORIGIN);
  });

  it("writes instances of the packed class inline and gives equal ones back as one instance", () => {
    class Owner {
      constructor(readonly name: string) {}
    }
    class Range {
      constructor(
        readonly owner: Owner,
        readonly from: number,
        readonly to: number,
      ) {}
    }
    const packedCodec: GraphCodec = {
      classes: new Map([["Owner", Owner.prototype]]),
      known: new Map(),
      packed: { proto: Range.prototype, pack: (o) => [(o as Range).owner, (o as Range).from, (o as Range).to], unpack: (owner, a, b) => new Range(owner as Owner, a, b) },
    };
    const a = new Owner("a.ds");
    const shared = new Range(a, 2, 5);
    const root = { x: shared, y: shared, z: new Range(a, 2, 5), w: new Range(a, 0, 2 ** 30), owner: a };
    const text = encodeGraph(root, packedCodec);
    // Two records: the root and the owner; the ranges have none.
    expect((JSON.parse(text) as { recs: unknown[] }).recs).toHaveLength(2);
    const back = decodeGraph(text, packedCodec) as typeof root;
    expect(back.x).toBeInstanceOf(Range);
    expect(back.x).toBe(back.y);
    expect(back.z).toBe(back.x);
    expect(back.x.owner).toBe(back.owner);
    expect([back.x.from, back.x.to, back.w.from, back.w.to]).toEqual([2, 5, 0, 2 ** 30]);
    expect(back.owner.name).toBe("a.ds");
    // Without the packed class, or with a malformed triple, the text is refused.
    expect(() => decodeGraph(text, codec)).toThrow(GraphFormatError);
    for (const bad of ['"p"', "[0,1]", "[9,1,2]", "[1,1.5,2]", '[1,"1",2]']) {
      const forged = text.replace(/\[1,2,5\]/, bad);
      expect(() => decodeGraph(forged, packedCodec)).toThrow(GraphFormatError);
    }
  });

  it("refuses what it cannot hold faithfully", () => {
    class Other {}
    expect(() => encodeGraph({ f: () => 1 }, codec)).toThrow(GraphFormatError);
    expect(() => encodeGraph({ o: new Other() }, codec)).toThrow(GraphFormatError);
    expect(() => encodeGraph({ s: Symbol("x") }, codec)).toThrow(GraphFormatError);
    expect(() => encodeGraph(JSON.parse('{"__proto__": {"polluted": 1}}'), codec)).toThrow(GraphFormatError);
    const hidden = {};
    Object.defineProperty(hidden, "h", { value: 1, enumerable: false });
    expect(() => encodeGraph(hidden, codec)).toThrow(GraphFormatError);
    // A function the caller puts back itself is written as undefined.
    const report = (): void => undefined;
    expect(decodeGraph(encodeGraph({ report }, codec, new Set([report])), codec)).toEqual({ report: undefined });
  });

  it("refuses malformed and hostile texts with a GraphFormatError only", () => {
    const hostile = [
      "",
      "null",
      "[]",
      '{"classes":[],"shapes":[],"recs":[],"root":["r",0]}',
      '{"classes":["Function"],"shapes":[[]],"recs":[[4,0,0,""]],"root":["r",0]}',
      '{"classes":[],"shapes":[["__proto__"]],"recs":[[0,0,"v",1]],"root":["r",0]}',
      '{"classes":[],"shapes":[],"recs":[[5,"constructor"]],"root":["r",0]}',
      '{"classes":[],"shapes":[["a"]],"recs":[[0,0,"r",7]],"root":["r",0]}',
      '{"classes":[],"shapes":[["a"]],"recs":[[0,0,"b","1+1"]],"root":["r",0]}',
      '{"classes":[],"shapes":[["a"]],"recs":[[0,0,"v",{"x":1}]],"root":["r",0]}',
      '{"classes":[],"shapes":[["a"]],"recs":[[0,0,"vv",1]],"root":["r",0]}',
    ];
    for (const text of hostile) expect(() => decodeGraph(text, codec), text).toThrow(GraphFormatError);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("never throws anything but a GraphFormatError for a damaged entry (property)", () => {
    const good = encodeGraph({ a: [1, "x", new Point(1, 2)], m: new Map([["k", ORIGIN]]) }, codec);
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.nat(good.length), fc.string({ maxLength: 8 }), (at, len, insert) => {
        const text = good.slice(0, at) + insert + good.slice(at + (len % 8));
        try {
          decodeGraph(text, codec);
        } catch (e) {
          expect(e).toBeInstanceOf(GraphFormatError);
        }
        expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});
