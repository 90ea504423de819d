/**
 * The object-graph codec of the per-user caches: what it encodes comes back with the same
 * shape, sharing and classes; what it cannot hold faithfully is refused when writing; and
 * any bytes that are not its own output are refused when reading, with nothing but a
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

/** Bytes in the codec's layout from their parts (see object-graph.ts), to forge entries. */
function graphBytes(table: unknown, kinds: readonly number[], words: readonly number[], version = 1): Buffer {
  const t = Buffer.from(JSON.stringify(table), "utf8");
  const head = Buffer.alloc(12);
  head.writeUInt32LE(0x474c5044, 0);
  head.writeUInt32LE(version, 4);
  head.writeUInt32LE(t.length, 8);
  const count = Buffer.alloc(4);
  count.writeUInt32LE(kinds.length, 0);
  const pad = Buffer.alloc((4 - ((12 + t.length + 4 + kinds.length) % 4)) % 4);
  return Buffer.concat([head, t, count, Buffer.from(kinds), pad, Buffer.from(Int32Array.from(words).buffer)]);
}
/** A value word: tag | payload << 4. */
const w = (tag: number, payload = 0): number => tag | (payload << 4);
const TABLE = { classes: [], shapes: [["a"]], strings: ["s", "1+1"], numbers: [] };

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
    const bytes = encodeGraph(root, packedCodec);
    // Two records: the root and the owner; the ranges have none.
    const tableBytes = Buffer.from(bytes).readUInt32LE(8);
    expect(Buffer.from(bytes).readUInt32LE(12 + tableBytes)).toBe(2);
    const back = decodeGraph(bytes, packedCodec) as typeof root;
    expect(back.x).toBeInstanceOf(Range);
    expect(back.x).toBe(back.y);
    expect(back.z).toBe(back.x);
    expect(back.x.owner).toBe(back.owner);
    expect([back.x.from, back.x.to, back.w.from, back.w.to]).toEqual([2, 5, 0, 2 ** 30]);
    expect(back.owner.name).toBe("a.ds");
    // Without the packed class, or with a malformed packed value, the bytes are refused.
    expect(() => decodeGraph(bytes, codec)).toThrow(GraphFormatError);
    const table = { classes: ["Owner"], shapes: [["x"], ["name"]], strings: ["a.ds"], numbers: [] };
    const ok = graphBytes(table, [0, 8], [0, w(13, 1), 2, 5, 1, w(2, 0), w(0, 0)]);
    expect((decodeGraph(ok, packedCodec) as { x: Range }).x.to).toBe(5);
    for (const bad of [
      [0, w(13, 1), 2], // a part missing
      [0, w(13, 9), 2, 5], // an owner that is no record
      [0, w(13, -1), 2, 5],
    ]) {
      expect(() => decodeGraph(graphBytes(table, [0, 8], [...bad, 1, w(2, 0), w(0, 0)]), packedCodec)).toThrow(GraphFormatError);
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

  it("refuses malformed and hostile entries with a GraphFormatError only", () => {
    expect((decodeGraph(graphBytes(TABLE, [0], [0, w(2, 0), w(0, 0)]), codec) as { a: unknown }).a).toBe("s");
    const hostile = [
      Buffer.alloc(0),
      Buffer.from("null"),
      Buffer.from('{"classes":[],"shapes":[],"recs":[],"root":["r",0]}'),
      graphBytes(TABLE, [0], [0, w(2, 0), w(0, 0)], 2), // another version
      graphBytes({ ...TABLE, classes: ["Function"] }, [8], [0, w(5), w(0, 0)]), // a class the codec does not allow
      graphBytes({ ...TABLE, shapes: [["__proto__"]] }, [0], [0, w(1, 1), w(0, 0)]),
      graphBytes({ ...TABLE, strings: ["constructor"] }, [0], [0, w(14, 0), w(0, 0)]), // a known object that is not
      graphBytes(TABLE, [0], [0, w(0, 7), w(0, 0)]), // a reference past the records
      graphBytes(TABLE, [0], [0, w(8, 1), w(0, 0)]), // a bigint that is not a number
      graphBytes(TABLE, [0], [0, w(2, 5), w(0, 0)]), // a string past the table
      graphBytes(TABLE, [0], [0, w(15), w(0, 0)]), // an unknown tag
      graphBytes(TABLE, [7], [0, w(2, 0), w(0, 0)]), // an unknown record kind
      graphBytes(TABLE, [1], [1e9, w(0, 0)]), // a length past the end
      graphBytes(TABLE, [0], [0, w(2, 0)]), // no root
      graphBytes(TABLE, [0], [0, w(2, 0), w(0, 0), 0]), // trailing words
      graphBytes({ ...TABLE, strings: [1] }, [0], [0, w(2, 0), w(0, 0)]),
    ];
    for (const bytes of hostile) expect(() => decodeGraph(bytes, codec), bytes.toString("hex")).toThrow(GraphFormatError);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("never throws anything but a GraphFormatError for a damaged entry (property)", () => {
    const good = Buffer.from(encodeGraph({ a: [1, "x", new Point(1, 2)], m: new Map([["k", ORIGIN]]), n: [2 ** 40, 0.5, -3, 5n] }, codec));
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.nat(good.length), fc.uint8Array({ maxLength: 8 }), (at, len, insert) => {
        const bytes = Buffer.concat([good.subarray(0, at), insert, good.subarray(at + (len % 8))]);
        try {
          decodeGraph(bytes, codec);
        } catch (e) {
          expect(e).toBeInstanceOf(GraphFormatError);
        }
        expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });
});
