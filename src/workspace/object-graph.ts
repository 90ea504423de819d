/**
 * An object graph (cycles, shared objects, Maps, Sets, instances of a few known classes)
 * as bytes, and back. The per-user caches keep analysis results this way.
 *
 * Decoding is data only: it creates plain objects, arrays, Maps, Sets and objects whose
 * prototype is one of the classes the caller allows (never running a constructor), and
 * refers to the caller's well-known objects by name. No text from the file is ever
 * evaluated, no property named `__proto__` is accepted, and anything malformed throws a
 * `GraphFormatError`, which callers treat as "no cache entry".
 *
 * The format is binary because decoding is on the start-up path of every `dplc check`: the
 * earlier JSON text of the checked stdlib took ~90 ms in JSON.parse alone. Layout:
 *
 *   "DPLG" u32 version  u32 tableBytes  table (UTF-8 JSON)  u32 records  u8 kind × records
 *   (padding to 4)  i32 words to the end
 *
 * The table is `{"classes": [name...], "shapes": [[key...]...], "strings": [...],
 * "numbers": [...]}`. `kind` of a record is 0 a plain object, 1 an array, 2 a Map, 3 a Set,
 * 8 + i an instance of `classes[i]`. The words hold, record after record, its contents: a
 * plain object its shape index and one value per key of the shape, an instance its shape
 * index and values, an array or Set its length and values, a Map its size and key, value
 * pairs. Then the root value. A value is one word, `tag | payload << 4` (payload signed):
 *   0 record `payload`           1 the integer `payload`     2 `strings[payload]`
 *   3 false  4 true  5 null  6 undefined
 *   7 `numbers[payload]`         8 BigInt(`strings[payload]`)
 *   9 NaN  10 Infinity  11 -Infinity  12 -0
 *   13 an instance of the codec's packed class: owner record `payload`, then two words
 *   14 the caller's well-known object named `strings[payload]`
 */

export class GraphFormatError extends Error {}

export interface GraphCodec {
  /** Class name → prototype, for the class instances a graph may hold. */
  readonly classes: ReadonlyMap<string, object>;
  /** Objects that exist in every process (module constants); kept by name, not copied. */
  readonly known: ReadonlyMap<string, object>;
  /**
   * A small immutable class written inline as an object of the graph and two integers (a
   * source span: its file and offsets). A graph holds tens of thousands of them, and a
   * record each was a third of an entry's size and of its decoding time. Equal triples
   * decode to one instance, so identity is kept for the instances the graph shared.
   */
  readonly packed?: PackedClass;
}

export interface PackedClass {
  readonly proto: object;
  pack(o: object): readonly [object, number, number];
  unpack(owner: object, a: number, b: number): object;
}

const MAGIC = 0x474c5044; // "DPLG", little-endian
const VERSION = 1;
const TAG_BITS = 4;
const PAYLOAD_MAX = 2 ** 27 - 1;
const PAYLOAD_MIN = -(2 ** 27);
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const CLASS_KIND = 8;

const enum Tag {
  Ref = 0,
  Int = 1,
  Str = 2,
  False = 3,
  True = 4,
  Null = 5,
  Undefined = 6,
  Num = 7,
  BigInt = 8,
  NaN = 9,
  Inf = 10,
  NegInf = 11,
  NegZero = 12,
  Packed = 13,
  Known = 14,
}

const word = (tag: Tag, payload: number): number => tag | (payload << TAG_BITS);

/**
 * Encode `root`. Throws a `GraphFormatError` for what the format cannot hold faithfully
 * (an instance of an unlisted class, a symbol key, a non-enumerable property, a function
 * other than those in `functions`, which are written as `undefined` for the caller to
 * put back).
 */
export function encodeGraph(root: unknown, codec: GraphCodec, functions: ReadonlySet<unknown> = new Set()): Uint8Array {
  const knownName = new Map<object, string>();
  for (const [name, o] of codec.known) knownName.set(o, name);
  const packed = codec.packed;
  const className = new Map<object, string>();
  for (const [name, proto] of codec.classes) className.set(proto, name);
  const classIndex = new Map<string, number>();
  const classList: string[] = [];
  const ids = new Map<object, number>();
  const queue: object[] = [];
  const shapes: string[][] = [];
  const shapeIndex = new Map<string, number>();
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const numbers: number[] = [];
  const numberIndex = new Map<number, number>();
  const kinds: number[] = [];
  let words = new Int32Array(1 << 16);
  let n = 0;
  const push = (w: number): void => {
    if (n === words.length) {
      const bigger = new Int32Array(words.length * 2);
      bigger.set(words);
      words = bigger;
    }
    words[n++] = w;
  };
  const index = <K>(table: K[], map: Map<K, number>, k: K): number => {
    let i = map.get(k);
    if (i === undefined) {
      i = table.length;
      table.push(k);
      map.set(k, i);
    }
    if (i > PAYLOAD_MAX) throw new GraphFormatError("a graph too large for the format");
    return i;
  };
  const shapeOf = (keys: string[]): number => {
    const k = keys.join("\u0000");
    let i = shapeIndex.get(k);
    if (i === undefined) {
      i = shapes.length;
      shapes.push(keys);
      shapeIndex.set(k, i);
    }
    return i;
  };
  const ref = (o: object): number => {
    let id = ids.get(o);
    if (id === undefined) {
      id = queue.length;
      if (id > PAYLOAD_MAX) throw new GraphFormatError("a graph too large for the format");
      ids.set(o, id);
      queue.push(o);
    }
    return id;
  };

  const value = (v: unknown): void => {
    switch (typeof v) {
      case "string":
        return push(word(Tag.Str, index(strings, stringIndex, v)));
      case "boolean":
        return push(word(v ? Tag.True : Tag.False, 0));
      case "number":
        if (Number.isNaN(v)) return push(word(Tag.NaN, 0));
        if (v === Infinity) return push(word(Tag.Inf, 0));
        if (v === -Infinity) return push(word(Tag.NegInf, 0));
        if (Object.is(v, -0)) return push(word(Tag.NegZero, 0));
        if (Number.isInteger(v) && v >= PAYLOAD_MIN && v <= PAYLOAD_MAX) return push(word(Tag.Int, v));
        return push(word(Tag.Num, index(numbers, numberIndex, v)));
      case "undefined":
        return push(word(Tag.Undefined, 0));
      case "bigint":
        return push(word(Tag.BigInt, index(strings, stringIndex, v.toString())));
      case "function":
        if (functions.has(v)) return push(word(Tag.Undefined, 0));
        throw new GraphFormatError(`a function (${v.name || "anonymous"}) in the graph`);
      case "symbol":
        throw new GraphFormatError("a symbol in the graph");
      case "object": {
        if (v === null) return push(word(Tag.Null, 0));
        const known = knownName.get(v);
        if (known !== undefined) return push(word(Tag.Known, index(strings, stringIndex, known)));
        if (packed !== undefined && Object.getPrototypeOf(v) === packed.proto) {
          const [owner, a, b] = packed.pack(v);
          if (!Number.isInteger(a) || !Number.isInteger(b) || a < INT32_MIN || a > INT32_MAX || b < INT32_MIN || b > INT32_MAX) {
            throw new GraphFormatError("a packed instance with parts that are not 32-bit integers");
          }
          if (typeof owner !== "object" || owner === null || knownName.has(owner) || Object.getPrototypeOf(owner) === packed.proto) {
            throw new GraphFormatError("a packed instance whose owner is not an object of the graph");
          }
          push(word(Tag.Packed, ref(owner)));
          push(a);
          return push(b);
        }
        return push(word(Tag.Ref, ref(v)));
      }
    }
    throw new GraphFormatError(`a value of type ${typeof v} in the graph`);
  };

  const ownKeys = (o: object): string[] => {
    const keys = Object.keys(o);
    if (Object.getOwnPropertyNames(o).length !== keys.length || Object.getOwnPropertySymbols(o).length > 0) {
      throw new GraphFormatError("an object with hidden or symbol properties in the graph");
    }
    if (keys.includes("__proto__")) throw new GraphFormatError("a property named __proto__ in the graph");
    return keys;
  };
  const fields = (o: object, keys: readonly string[]): void => {
    for (const k of keys) value((o as Record<string, unknown>)[k]);
  };

  const record = (o: object): void => {
    if (Array.isArray(o)) {
      if (Object.getPrototypeOf(o) !== Array.prototype) throw new GraphFormatError("an array subclass in the graph");
      kinds.push(1);
      push(o.length);
      for (let i = 0; i < o.length; i++) value(o[i]);
      return;
    }
    const proto = Object.getPrototypeOf(o) as object | null;
    if (proto === Map.prototype) {
      kinds.push(2);
      push((o as Map<unknown, unknown>).size);
      for (const [k, v] of o as Map<unknown, unknown>) {
        value(k);
        value(v);
      }
      return;
    }
    if (proto === Set.prototype) {
      kinds.push(3);
      push((o as Set<unknown>).size);
      for (const v of o as Set<unknown>) value(v);
      return;
    }
    const keys = ownKeys(o);
    if (proto === Object.prototype) {
      kinds.push(0);
      push(shapeOf(keys));
      return fields(o, keys);
    }
    const name = proto === null ? undefined : className.get(proto);
    if (name === undefined) throw new GraphFormatError(`an instance of ${(proto as { constructor?: { name?: string } } | null)?.constructor?.name ?? "a null-prototype object"} in the graph`);
    const ci = index(classList, classIndex, name);
    if (CLASS_KIND + ci > 255) throw new GraphFormatError("too many classes in the graph");
    kinds.push(CLASS_KIND + ci);
    push(shapeOf(keys));
    fields(o, keys);
  };

  // The root first (its references put the first records in the queue), written last.
  const rootStart = n;
  value(root);
  const rootWords = words.slice(rootStart, n);
  n = rootStart;
  for (let i = 0; i < queue.length; i++) record(queue[i]!);
  for (const w of rootWords) push(w);

  const table = Buffer.from(JSON.stringify({ classes: classList, shapes, strings, numbers }), "utf8");
  const pad = (4 - ((12 + table.length + 4 + kinds.length) % 4)) % 4;
  const out = Buffer.alloc(12 + table.length + 4 + kinds.length + pad + 4 * n);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(VERSION, 4);
  out.writeUInt32LE(table.length, 8);
  table.copy(out, 12);
  let at = 12 + table.length;
  out.writeUInt32LE(kinds.length, at);
  at += 4;
  out.set(kinds, at);
  at += kinds.length + pad;
  Buffer.from(words.buffer, 0, 4 * n).copy(out, at);
  return out;
}

const fail = (why: string): never => {
  throw new GraphFormatError(`malformed cache entry: ${why}`);
};

const isStringList = (a: unknown): a is string[] => Array.isArray(a) && a.every((s) => typeof s === "string");

/** Decode what `encodeGraph` wrote. Throws a `GraphFormatError` for anything else. */
export function decodeGraph(bytes: Uint8Array, codec: GraphCodec): unknown {
  if (bytes.length < 16) return fail("too short");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== VERSION) return fail("not a graph of this version");
  const tableBytes = view.getUint32(8, true);
  if (12 + tableBytes + 4 > bytes.length) return fail("truncated table");
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 12, tableBytes).toString("utf8"));
  } catch {
    return fail("table not JSON");
  }
  if (typeof doc !== "object" || doc === null) return fail("table not an object");
  const { classes, shapes, strings, numbers } = doc as Record<string, unknown>;
  if (!isStringList(classes) || !Array.isArray(shapes) || !isStringList(strings) || !Array.isArray(numbers)) return fail("missing parts");
  const protos: object[] = classes.map((c) => codec.classes.get(c) ?? fail(`unknown class ${c}`));
  for (const s of shapes) if (!isStringList(s) || s.includes("__proto__")) fail("bad shape");
  for (const x of numbers) if (typeof x !== "number") fail("bad number");
  const shapeList = shapes as string[][];
  const numberList = numbers as number[];

  let at = 12 + tableBytes;
  const count = view.getUint32(at, true);
  at += 4;
  if (at + count > bytes.length) return fail("truncated records");
  const kinds = bytes.subarray(at, at + count);
  at += count;
  at += (4 - (at % 4)) % 4;
  if (at > bytes.length || (bytes.length - at) % 4 !== 0) return fail("bad word area");
  // Aligned words without a copy when the buffer allows it (a file read is a fresh buffer).
  const words =
    (bytes.byteOffset + at) % 4 === 0 ? new Int32Array(bytes.buffer, bytes.byteOffset + at, (bytes.length - at) / 4) : new Int32Array(Uint8Array.prototype.slice.call(bytes, at).buffer);
  const end = words.length;

  // First every object, empty; then their contents (records refer to each other freely).
  const objs: object[] = new Array<object>(count);
  for (let i = 0; i < count; i++) {
    const k = kinds[i]!;
    if (k === 0) objs[i] = {};
    else if (k === 1) objs[i] = [];
    else if (k === 2) objs[i] = new Map();
    else if (k === 3) objs[i] = new Set();
    else if (k >= CLASS_KIND && k - CLASS_KIND < protos.length) objs[i] = Object.create(protos[k - CLASS_KIND]!) as object;
    else return fail("bad record kind");
  }

  const packed = codec.packed;
  const unpacked = new Map<number, Map<number | string, object>>();
  let p = 0;
  const next = (): number => (p < end ? words[p++]! : fail("truncated words"));
  const val = (): unknown => {
    const w = next();
    const payload = w >> TAG_BITS;
    switch (w & 15) {
      case Tag.Ref:
        return payload >= 0 && payload < count ? objs[payload] : fail("bad reference");
      case Tag.Int:
        return payload;
      case Tag.Str:
        return payload >= 0 && payload < strings.length ? strings[payload] : fail("bad string index");
      case Tag.False:
        return false;
      case Tag.True:
        return true;
      case Tag.Null:
        return null;
      case Tag.Undefined:
        return undefined;
      case Tag.Num:
        return payload >= 0 && payload < numberList.length ? numberList[payload] : fail("bad number index");
      case Tag.BigInt: {
        const s = payload >= 0 && payload < strings.length ? strings[payload]! : fail("bad bigint index");
        return /^-?\d+$/.test(s) ? BigInt(s) : fail("bad bigint");
      }
      case Tag.NaN:
        return NaN;
      case Tag.Inf:
        return Infinity;
      case Tag.NegInf:
        return -Infinity;
      case Tag.NegZero:
        return -0;
      case Tag.Packed: {
        if (packed === undefined || payload < 0 || payload >= count) return fail("bad packed value");
        const a = next();
        const b = next();
        let byOffsets = unpacked.get(payload);
        if (byOffsets === undefined) unpacked.set(payload, (byOffsets = new Map()));
        // One number for both (offsets of a file stay far below 2^26), a string past that.
        const key = a >= 0 && a < 2 ** 26 && b >= 0 && b < 2 ** 26 ? a * 2 ** 26 + b : `${a} ${b}`;
        let x = byOffsets.get(key);
        if (x === undefined) byOffsets.set(key, (x = packed.unpack(objs[payload]!, a, b)));
        return x;
      }
      case Tag.Known: {
        const name = payload >= 0 && payload < strings.length ? strings[payload]! : fail("bad known index");
        return codec.known.get(name) ?? fail(`unknown object ${name}`);
      }
      default:
        return fail("bad value tag");
    }
  };
  const length = (): number => {
    const len = next();
    // Every element takes at least one word: a larger length is a damaged entry.
    return len >= 0 && len <= end - p ? len : fail("bad length");
  };
  const fill = (o: Record<string, unknown>): void => {
    const s = next();
    const keys = s >= 0 && s < shapeList.length ? shapeList[s]! : fail("bad shape index");
    for (let k = 0; k < keys.length; k++) o[keys[k]!] = val();
  };

  for (let i = 0; i < count; i++) {
    const o = objs[i]!;
    const k = kinds[i]!;
    if (k === 0 || k >= CLASS_KIND) fill(o as Record<string, unknown>);
    else if (k === 1) {
      const a = o as unknown[];
      for (let len = length(), j = 0; j < len; j++) a.push(val());
    } else if (k === 2) {
      const m = o as Map<unknown, unknown>;
      for (let len = length(), j = 0; j < len; j++) m.set(val(), val());
    } else {
      const s = o as Set<unknown>;
      for (let len = length(), j = 0; j < len; j++) s.add(val());
    }
  }
  const root = val();
  if (p !== end) return fail("trailing words");
  return root;
}
