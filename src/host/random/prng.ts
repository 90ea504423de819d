/**
 * Seeded pseudo-random streams for the providers.
 *
 * SplitMix64 (Steele, Lea, Flood 2014) expands a 64-bit seed; xoshiro128** (Blackman,
 * Vigna 2018) is the fast 32-bit generator the simulators draw from. Both are defined by
 * integer arithmetic only, so a seed gives the same stream on every platform. Streams are
 * derived per purpose (one per Q job, one per Φ envelope) with HMAC-SHA256 keyed by the
 * run seed, so adding a job never shifts the draws of another job, and a stream cannot be
 * predicted from the ids it is labelled with.
 */
import { hmac } from "@noble/hashes/hmac";
import { sha256 } from "@noble/hashes/sha2";

const MASK64 = (1n << 64n) - 1n;

/** One SplitMix64 step: the advanced state and the output it yields. */
export function splitmix64(state: bigint): { readonly state: bigint; readonly output: bigint } {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  z = z ^ (z >> 31n);
  return { state: next, output: z };
}

function rotl32(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export class Xoshiro128StarStar {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;

  /** Seeds the four state words from two SplitMix64 outputs, as the authors recommend. */
  constructor(seed: bigint) {
    let state = seed & MASK64;
    const first = splitmix64(state);
    state = first.state;
    const second = splitmix64(state);
    this.#s0 = Number(first.output & 0xffffffffn);
    this.#s1 = Number(first.output >> 32n);
    this.#s2 = Number(second.output & 0xffffffffn);
    this.#s3 = Number(second.output >> 32n);
    // The all-zero state is the generator's one fixed point.
    if ((this.#s0 | this.#s1 | this.#s2 | this.#s3) === 0) this.#s0 = 1;
  }

  nextUint32(): number {
    const s0 = this.#s0;
    const s1 = this.#s1;
    const s2 = this.#s2;
    const s3 = this.#s3;
    const result = Math.imul(rotl32(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    const n2 = (s2 ^ s0) >>> 0;
    const n3 = (s3 ^ s1) >>> 0;
    this.#s1 = (s1 ^ n2) >>> 0;
    this.#s0 = (s0 ^ n3) >>> 0;
    this.#s2 = (n2 ^ t) >>> 0;
    this.#s3 = rotl32(n3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, bound) without modulo bias; bound in 1..2^32. */
  nextBelow(bound: number): number {
    if (!Number.isInteger(bound) || bound < 1 || bound > 0x100000000) {
      throw new RangeError(`nextBelow bound ${bound} out of range`);
    }
    const limit = 0x100000000 - (0x100000000 % bound);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % bound;
    }
  }
}

function u64Bytes(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  let v = value & MASK64;
  for (let i = 7; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Big-endian u64 from the first eight bytes. */
export function bytesToU64(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(bytes[i] ?? 0);
  return v;
}

/**
 * Keyed derivations from the run seed: capability ids, PRNG streams, Φ checksums. The key
 * itself is an HMAC of the seed under a fixed label, so distinct purposes never share one.
 */
export class SeedKeys {
  readonly seed: bigint;
  readonly #key: Uint8Array;

  constructor(seed: bigint) {
    this.seed = seed & MASK64;
    this.#key = hmac(sha256, new TextEncoder().encode("xdv/embedded-kernel/v1"), u64Bytes(this.seed));
  }

  /** HMAC-SHA256(key, label ‖ 0x00 ‖ parts as u64s). */
  mac(label: string, ...parts: readonly bigint[]): Uint8Array {
    const labelBytes = new TextEncoder().encode(label);
    const message = new Uint8Array(labelBytes.length + 1 + parts.length * 8);
    message.set(labelBytes, 0);
    parts.forEach((p, i) => message.set(u64Bytes(p), labelBytes.length + 1 + i * 8));
    return hmac(sha256, this.#key, message);
  }

  u64(label: string, ...parts: readonly bigint[]): bigint {
    return bytesToU64(this.mac(label, ...parts));
  }

  stream(label: string, ...parts: readonly bigint[]): Xoshiro128StarStar {
    return new Xoshiro128StarStar(this.u64(label, ...parts));
  }
}
