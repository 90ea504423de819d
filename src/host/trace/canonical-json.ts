/**
 * Canonical JSON for everything the host writes: object keys sorted by UTF-16 code unit,
 * no whitespace, `bigint` as a decimal string, keys whose value is `undefined` dropped.
 *
 * Numbers must be safe integers. That is a design rule, not a limitation: the trace and the
 * telemetry carry counts, ids, logical times and basis points only, so a fractional number
 * reaching the encoder can only be a leaked amplitude or phase, and the encoder refuses it
 * (XDV-052 §11, XDV-070 §4). IPC payload digests use the lenient mode, since K data may
 * legitimately hold f64 values and only their digest is recorded.
 */
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex } from "@noble/hashes/utils";

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Thrown on values the trace must never hold; it signals a kernel bug, not a program error. */
export class CanonicalJsonError extends Error {
  constructor(message: string, readonly path: string) {
    super(`${message} at ${path || "<root>"}`);
    this.name = "CanonicalJsonError";
  }
}

export interface CanonicalOptions {
  /** Accept finite non-integer numbers (used only for digests of K payloads). */
  readonly allowFractions?: boolean;
}

export function canonicalJson(value: unknown, options: CanonicalOptions = {}): string {
  const parts: string[] = [];
  write(value, "", parts, options.allowFractions === true);
  return parts.join("");
}

function write(value: unknown, path: string, out: string[], allowFractions: boolean): void {
  switch (typeof value) {
    case "string":
      out.push(JSON.stringify(value));
      return;
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "bigint":
      out.push(`"${value.toString()}"`);
      return;
    case "number":
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`non-finite number ${value}`, path);
      if (!allowFractions && !Number.isSafeInteger(value)) {
        throw new CanonicalJsonError(`non-integer number ${value} (only integers may be recorded)`, path);
      }
      // -0 and 0 must not produce different bytes.
      out.push(Object.is(value, -0) ? "0" : JSON.stringify(value));
      return;
    case "object": {
      if (value === null) {
        out.push("null");
        return;
      }
      if (Array.isArray(value)) {
        out.push("[");
        value.forEach((item, i) => {
          if (i > 0) out.push(",");
          if (item === undefined) throw new CanonicalJsonError("undefined array element", `${path}[${i}]`);
          write(item, `${path}[${i}]`, out, allowFractions);
        });
        out.push("]");
        return;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new CanonicalJsonError("only plain records can be encoded", path);
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort(compareCodeUnits);
      out.push("{");
      keys.forEach((key, i) => {
        if (i > 0) out.push(",");
        out.push(JSON.stringify(key), ":");
        write(record[key], path ? `${path}.${key}` : key, out, allowFractions);
      });
      out.push("}");
      return;
    }
    default:
      throw new CanonicalJsonError(`cannot encode a ${typeof value}`, path);
  }
}

/** Array.prototype.sort's default order, spelled out so no reader wonders about locale. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sha256Hex(text: string): string {
  return bytesToHex(sha256(new TextEncoder().encode(text)));
}
