/**
 * An object graph (cycles, shared objects, Maps, Sets, instances of a few known classes)
 * as JSON text, and back. The per-user caches keep analysis results this way.
 *
 * Decoding is data only: it creates plain objects, arrays, Maps, Sets and objects whose
 * prototype is one of the classes the caller allows (never running a constructor), and
 * refers to the caller's well-known objects by name. No text from the file is ever
 * evaluated, no property named `__proto__` is accepted, and anything malformed throws a
 * `GraphFormatError`, which callers treat as "no cache entry".
 *
 * The format: `{"shapes": [[key, ...], ...], "recs": [record, ...], "root": value}`, where
 * each record is one object, `[tag, ...]`:
 *   [0, shape, kinds, ...values]          a plain object (keys from `shapes[shape]`)
 *   [1, kinds, ...values]                 an array
 *   [2, kinds, key, value, key, value...] a Map
 *   [3, kinds, ...values]                 a Set
 *   [4, class, shape, kinds, ...values]   an instance of `classes[class]`
 *   [5, name]                             the caller's well-known object `name`
 * `kinds` has one letter per value: `r` a record index, `v` a JSON value (string, finite
 * number, boolean, null), `u` undefined, `b` a bigint (as a decimal string), `n` NaN,
 * `i` Infinity, `j` -Infinity, `z` -0, `p` an instance of the codec's packed class as
 * `[record index, integer, integer]` (no record of its own).
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
   * record each was a third of an entry's text and of its decoding time. Equal triples
   * decode to one instance, so identity is kept for the instances the graph shared.
   */
  readonly packed?: PackedClass;
}

export interface PackedClass {
  readonly proto: object;
  pack(o: object): readonly [object, number, number];
  unpack(owner: object, a: number, b: number): object;
}

type Rec = unknown[];

/**
 * Encode `root`. Throws a `GraphFormatError` for what the format cannot hold faithfully
 * (an instance of an unlisted class, a symbol key, a non-enumerable property, a function
 * other than those in `functions`, which are written as `undefined` for the caller to
 * put back).
 */
export function encodeGraph(root: unknown, codec: GraphCodec, functions: ReadonlySet<unknown> = new Set()): string {
  const knownName = new Map<object, string>();
  for (const [name, o] of codec.known) knownName.set(o, name);
  const packed = codec.packed;
  const className = new Map<object, string>();
  for (const [name, proto] of codec.classes) className.set(proto, name);
  const classIndex = new Map<string, number>();
  const classList: string[] = [];
  const ids = new Map<object, number>();
  const recs: Rec[] = [];
  const shapes: string[][] = [];
  const shapeIndex = new Map<string, number>();
  const queue: object[] = [];

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

  // Returns [kind letter, encoded value].
  const value = (v: unknown): [string, unknown] => {
    switch (typeof v) {
      case "string":
      case "boolean":
        return ["v", v];
      case "number":
        if (Number.isNaN(v)) return ["n", null];
        if (v === Infinity) return ["i", null];
        if (v === -Infinity) return ["j", null];
        if (Object.is(v, -0)) return ["z", null];
        return ["v", v];
      case "undefined":
        return ["u", null];
      case "bigint":
        return ["b", v.toString()];
      case "function":
        if (functions.has(v)) return ["u", null];
        throw new GraphFormatError(`a function (${v.name || "anonymous"}) in the graph`);
      case "symbol":
        throw new GraphFormatError("a symbol in the graph");
      case "object": {
        if (v === null) return ["v", null];
        if (packed !== undefined && Object.getPrototypeOf(v) === packed.proto) {
          const [owner, a, b] = packed.pack(v);
          if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) throw new GraphFormatError("a packed instance with non-integer parts");
          const [ownerKind, ownerRef] = value(owner);
          if (ownerKind !== "r") throw new GraphFormatError("a packed instance whose owner is not an object");
          return ["p", [ownerRef, a, b]];
        }
        let id = ids.get(v);
        if (id === undefined) {
          id = recs.length;
          ids.set(v, id);
          recs.push([]);
          queue.push(v);
        }
        return ["r", id];
      }
    }
    throw new GraphFormatError(`a value of type ${typeof v} in the graph`);
  };

  const fields = (o: object, keys: readonly string[], head: unknown[]): Rec => {
    let kinds = "";
    const vals: unknown[] = [];
    for (const k of keys) {
      const [kind, enc] = value((o as Record<string, unknown>)[k]);
      kinds += kind;
      vals.push(enc);
    }
    return [...head, kinds, ...vals];
  };

  const ownKeys = (o: object): string[] => {
    const keys = Object.keys(o);
    if (Object.getOwnPropertyNames(o).length !== keys.length || Object.getOwnPropertySymbols(o).length > 0) {
      throw new GraphFormatError("an object with hidden or symbol properties in the graph");
    }
    if (keys.includes("__proto__")) throw new GraphFormatError("a property named __proto__ in the graph");
    return keys;
  };

  const record = (o: object): Rec => {
    const known = knownName.get(o);
    if (known !== undefined) return [5, known];
    if (Array.isArray(o)) {
      if (Object.getPrototypeOf(o) !== Array.prototype) throw new GraphFormatError("an array subclass in the graph");
      const keys: string[] = [];
      for (let i = 0; i < o.length; i++) keys.push(String(i));
      return fields(o, keys, [1]);
    }
    const proto = Object.getPrototypeOf(o) as object | null;
    if (proto === Map.prototype) {
      let kinds = "";
      const vals: unknown[] = [];
      for (const [k, v] of o as Map<unknown, unknown>) {
        const a = value(k);
        const b = value(v);
        kinds += a[0] + b[0];
        vals.push(a[1], b[1]);
      }
      return [2, kinds, ...vals];
    }
    if (proto === Set.prototype) {
      let kinds = "";
      const vals: unknown[] = [];
      for (const v of o as Set<unknown>) {
        const a = value(v);
        kinds += a[0];
        vals.push(a[1]);
      }
      return [3, kinds, ...vals];
    }
    const keys = ownKeys(o);
    if (proto === Object.prototype) return fields(o, keys, [0, shapeOf(keys)]);
    const name = proto === null ? undefined : className.get(proto);
    if (name === undefined) throw new GraphFormatError(`an instance of ${(proto as { constructor?: { name?: string } } | null)?.constructor?.name ?? "a null-prototype object"} in the graph`);
    let ci = classIndex.get(name);
    if (ci === undefined) {
      ci = classList.length;
      classList.push(name);
      classIndex.set(name, ci);
    }
    return fields(o, keys, [4, ci, shapeOf(keys)]);
  };

  const rootEnc = value(root);
  for (let i = 0; i < queue.length; i++) recs[i] = record(queue[i]!);
  return JSON.stringify({ classes: classList, shapes, recs, root: rootEnc });
}

const fail = (why: string): never => {
  throw new GraphFormatError(`malformed cache entry: ${why}`);
};

/** Decode what `encodeGraph` wrote. Throws a `GraphFormatError` for anything else. */
export function decodeGraph(text: string, codec: GraphCodec): unknown {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return fail("not JSON");
  }
  if (typeof doc !== "object" || doc === null) return fail("not an object");
  const { classes, shapes, recs, root } = doc as Record<string, unknown>;
  if (!Array.isArray(classes) || !Array.isArray(shapes) || !Array.isArray(recs) || !Array.isArray(root) || root.length !== 2) return fail("missing parts");
  const protos: object[] = classes.map((c) => (typeof c === "string" && codec.classes.get(c)) || fail(`unknown class ${String(c)}`));
  for (const s of shapes) {
    if (!Array.isArray(s) || s.some((k) => typeof k !== "string" || k === "__proto__")) fail("bad shape");
  }
  const shapeList = shapes as string[][];

  // First every object, empty; then their contents (records refer to each other freely).
  const objs: unknown[] = new Array(recs.length);
  for (let i = 0; i < recs.length; i++) {
    const r = recs[i];
    if (!Array.isArray(r) || typeof r[0] !== "number") return fail("bad record");
    switch (r[0]) {
      case 0:
        objs[i] = {};
        break;
      case 1:
        objs[i] = [];
        break;
      case 2:
        objs[i] = new Map();
        break;
      case 3:
        objs[i] = new Set();
        break;
      case 4: {
        const proto = protos[r[1] as number];
        if (proto === undefined) return fail("bad class index");
        objs[i] = Object.create(proto);
        break;
      }
      case 5: {
        const o = typeof r[1] === "string" ? codec.known.get(r[1]) : undefined;
        if (o === undefined) return fail(`unknown object ${String(r[1])}`);
        objs[i] = o;
        break;
      }
      default:
        return fail("bad record tag");
    }
  }

  const packed = codec.packed;
  const unpacked = new Map<number, Map<number | string, object>>();
  const val = (kind: number, v: unknown): unknown => {
    switch (kind) {
      case 112: {
        // p
        if (packed === undefined || !Array.isArray(v) || v.length !== 3) return fail("bad packed value");
        const [o, a, b] = v as unknown[];
        if (typeof o !== "number" || !(o >= 0 && o < objs.length) || !Number.isInteger(o) || !Number.isSafeInteger(a) || !Number.isSafeInteger(b)) return fail("bad packed value");
        let byOffsets = unpacked.get(o);
        if (byOffsets === undefined) unpacked.set(o, (byOffsets = new Map()));
        // One number for both (offsets of a file stay far below 2^26), a string past that.
        const key = (a as number) >= 0 && (a as number) < 2 ** 26 && (b as number) >= 0 && (b as number) < 2 ** 26 ? (a as number) * 2 ** 26 + (b as number) : `${a as number} ${b as number}`;
        let x = byOffsets.get(key);
        if (x === undefined) byOffsets.set(key, (x = packed.unpack(objs[o] as object, a as number, b as number)));
        return x;
      }
      case 114: // r
        if (typeof v !== "number" || !(v >= 0 && v < objs.length) || !Number.isInteger(v)) return fail("bad reference");
        return objs[v];
      case 118: // v
        if (typeof v === "object" && v !== null) return fail("bad literal");
        return v;
      case 117: // u
        return undefined;
      case 98: // b
        if (typeof v !== "string" || !/^-?\d+$/.test(v)) return fail("bad bigint");
        return BigInt(v);
      case 110: // n
        return NaN;
      case 105: // i
        return Infinity;
      case 106: // j
        return -Infinity;
      case 122: // z
        return -0;
      default:
        return fail("bad value kind");
    }
  };

  const fill = (o: Record<string, unknown>, keys: readonly string[], r: unknown[], at: number): void => {
    const kinds = r[at];
    if (typeof kinds !== "string" || kinds.length !== keys.length || r.length !== at + 1 + keys.length) fail("bad field list");
    for (let k = 0; k < keys.length; k++) o[keys[k]!] = val((kinds as string).charCodeAt(k), r[at + 1 + k]);
  };

  for (let i = 0; i < recs.length; i++) {
    const r = recs[i] as unknown[];
    const o = objs[i];
    switch (r[0]) {
      case 0: {
        const keys = shapeList[r[1] as number] ?? fail("bad shape index");
        fill(o as Record<string, unknown>, keys, r, 2);
        break;
      }
      case 4: {
        const keys = shapeList[r[2] as number] ?? fail("bad shape index");
        fill(o as Record<string, unknown>, keys, r, 3);
        break;
      }
      case 1:
      case 3: {
        const kinds = r[1];
        if (typeof kinds !== "string" || r.length !== 2 + kinds.length) return fail("bad element list");
        if (r[0] === 1) {
          const a = o as unknown[];
          for (let k = 0; k < kinds.length; k++) a.push(val(kinds.charCodeAt(k), r[2 + k]));
        } else {
          const s = o as Set<unknown>;
          for (let k = 0; k < kinds.length; k++) s.add(val(kinds.charCodeAt(k), r[2 + k]));
        }
        break;
      }
      case 2: {
        const kinds = r[1];
        if (typeof kinds !== "string" || kinds.length % 2 !== 0 || r.length !== 2 + kinds.length) return fail("bad entry list");
        const m = o as Map<unknown, unknown>;
        for (let k = 0; k < kinds.length; k += 2) m.set(val(kinds.charCodeAt(k), r[2 + k]), val(kinds.charCodeAt(k + 1), r[3 + k]));
        break;
      }
    }
  }
  return val(String((root as unknown[])[0]).charCodeAt(0), (root as unknown[])[1]) ?? fail("bad root");
}
