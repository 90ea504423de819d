/**
 * The state-vector simulator behind the embedded Q provider.
 *
 * Amplitudes live in two private Float64Arrays (real and imaginary parts) and nothing in
 * this class hands them out: there is no getter, no iterator, no toJSON, and the only
 * outputs are classical (a collapsed measurement bit, sampled basis indices, the norm, the
 * overlap of two states). This module is imported by the provider alone; XDV-060 §8 forbids
 * serialising amplitudes, and the cheapest way to honour that is to make it impossible.
 *
 * Basis index bit i is qubit i. Every kernel is one pass over the part of the state it
 * changes: a controlled gate enumerates only the indices its controls select (bits are
 * inserted into a counter rather than tested on every index), a diagonal gate touches only
 * the amplitudes it rescales, and a run of diagonal gates is one pass through a phase table
 * (see `DiagonalRun`). The loops index typed arrays with small integers only, so V8 keeps
 * them on its fast path.
 */
import type { Xoshiro128StarStar } from "../random/prng.js";

/** The largest width the simulator accepts; 2^30 amplitudes take 16 GiB. */
export const MAX_SIMULATED_QUBITS = 30;

/** Bytes of simulator memory per amplitude (a real and an imaginary Float64). */
export const BYTES_PER_AMPLITUDE = 16;

/**
 * A product of phases that depends on a few qubits only: `table[key]` is the factor for the
 * basis states whose bits at `qubits` spell `key`. `key(i)` is found with two lookups (the low
 * and the high half of `i`), so applying the run costs the same whatever its length.
 */
export interface DiagonalRun {
  readonly qubits: readonly number[];
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/** Indices of a gate's subspace: `count` values, each with zeros inserted at `bits` (ascending). */
function insertZeros(k: number, bits: Int32Array): number {
  for (let b = 0; b < bits.length; b++) {
    const bit = bits[b] as number;
    const low = k & ((1 << bit) - 1);
    k = ((k - low) << 1) | low;
  }
  return k;
}

function sortedBits(qubits: readonly number[]): Int32Array {
  return Int32Array.from([...qubits].sort((a, b) => a - b));
}

export class StateVector {
  readonly qubits: number;
  readonly #size: number;
  readonly #re: Float64Array;
  readonly #im: Float64Array;

  constructor(qubits: number) {
    if (!Number.isInteger(qubits) || qubits < 0 || qubits > MAX_SIMULATED_QUBITS) throw new RangeError(`cannot simulate ${qubits} qubits`);
    this.qubits = qubits;
    this.#size = 2 ** qubits;
    this.#re = new Float64Array(this.#size);
    this.#im = new Float64Array(this.#size);
    this.#re[0] = 1;
  }

  /** Overwrites this state with another of the same width (per-shot restarts, branching). */
  copyFrom(other: StateVector): void {
    if (other.qubits !== this.qubits) throw new RangeError("state width mismatch");
    this.#re.set(other.#re);
    this.#im.set(other.#im);
  }

  /** Σ|a_i|²: 1 for every state a unitary circuit can reach, up to rounding. */
  normSquared(): number {
    const re = this.#re;
    const im = this.#im;
    let total = 0;
    for (let i = 0; i < this.#size; i++) {
      const r = re[i] as number;
      const m = im[i] as number;
      total += r * r + m * m;
    }
    return total;
  }

  /** |<this|other>|²: 1 when the states agree up to a global phase. */
  fidelity(other: StateVector): number {
    if (other.qubits !== this.qubits) throw new RangeError("state width mismatch");
    let sr = 0;
    let si = 0;
    for (let i = 0; i < this.#size; i++) {
      const ar = this.#re[i] as number;
      const ai = this.#im[i] as number;
      const br = other.#re[i] as number;
      const bi = other.#im[i] as number;
      sr += ar * br + ai * bi;
      si += ar * bi - ai * br;
    }
    return sr * sr + si * si;
  }

  /**
   * A 2×2 unitary (row-major re/im pairs) on `target`, on the indices where the qubits of
   * `mask` read `value`.
   */
  unitary(m: Float64Array, target: number, mask: number, value: number): void {
    const ar = m[0] as number, ai = m[1] as number, br = m[2] as number, bi = m[3] as number;
    const cr = m[4] as number, ci = m[5] as number, dr = m[6] as number, di = m[7] as number;
    if (br === 0 && bi === 0 && cr === 0 && ci === 0) {
      this.#diagonal(ar, ai, dr, di, target, mask, value);
      return;
    }
    const re = this.#re;
    const im = this.#im;
    const bit = 1 << target;
    if (mask === 0) {
      for (let base = 0; base < this.#size; base += bit << 1) {
        const end = base + bit;
        for (let i = base; i < end; i++) {
          const j = i + bit;
          const xr = re[i] as number, xi = im[i] as number, yr = re[j] as number, yi = im[j] as number;
          re[i] = ar * xr - ai * xi + br * yr - bi * yi;
          im[i] = ar * xi + ai * xr + br * yi + bi * yr;
          re[j] = cr * xr - ci * xi + dr * yr - di * yi;
          im[j] = cr * xi + ci * xr + dr * yi + di * yr;
        }
      }
      return;
    }
    const bits = sortedBits([target, ...maskQubits(mask)]);
    const count = this.#size >>> bits.length;
    const isX = ar === 0 && ai === 0 && br === 1 && bi === 0 && cr === 1 && ci === 0 && dr === 0 && di === 0;
    for (let k = 0; k < count; k++) {
      const i = insertZeros(k, bits) | value;
      const j = i | bit;
      const xr = re[i] as number, xi = im[i] as number, yr = re[j] as number, yi = im[j] as number;
      if (isX) {
        re[i] = yr;
        im[i] = yi;
        re[j] = xr;
        im[j] = xi;
        continue;
      }
      re[i] = ar * xr - ai * xi + br * yr - bi * yi;
      im[i] = ar * xi + ai * xr + br * yi + bi * yr;
      re[j] = cr * xr - ci * xi + dr * yr - di * yi;
      im[j] = cr * xi + ci * xr + dr * yi + di * yr;
    }
  }

  /** diag(d0, d1) on `target` under the controls; a factor of exactly 1 is not applied. */
  #diagonal(ar: number, ai: number, dr: number, di: number, target: number, mask: number, value: number): void {
    const bit = 1 << target;
    if (!(ar === 1 && ai === 0)) this.#scale(ar, ai, mask | bit, value);
    if (!(dr === 1 && di === 0)) this.#scale(dr, di, mask | bit, value | bit);
  }

  /** Multiplies by (fr + i·fi) every amplitude whose qubits of `mask` read `value`. */
  #scale(fr: number, fi: number, mask: number, value: number): void {
    const re = this.#re;
    const im = this.#im;
    const bits = sortedBits(maskQubits(mask));
    const count = this.#size >>> bits.length;
    for (let k = 0; k < count; k++) {
      const i = insertZeros(k, bits) | value;
      const xr = re[i] as number, xi = im[i] as number;
      re[i] = fr * xr - fi * xi;
      im[i] = fr * xi + fi * xr;
    }
  }

  swap(a: number, b: number, mask: number): void {
    const re = this.#re;
    const im = this.#im;
    const ba = 1 << a;
    const bb = 1 << b;
    const bits = sortedBits([a, b, ...maskQubits(mask)]);
    const count = this.#size >>> bits.length;
    for (let k = 0; k < count; k++) {
      const base = insertZeros(k, bits) | mask;
      const i = base | ba;
      const j = base | bb;
      const tr = re[i] as number, ti = im[i] as number;
      re[i] = re[j] as number;
      im[i] = im[j] as number;
      re[j] = tr;
      im[j] = ti;
    }
  }

  /** diag(1, e^{iθ}, e^{iθ}, 1) on qubits a, b. */
  parityPhase(a: number, b: number, theta: number): void {
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    this.#scale(c, s, (1 << a) | (1 << b), 1 << a);
    this.#scale(c, s, (1 << a) | (1 << b), 1 << b);
  }

  /** exp(−iθ/2 X⊗X): mixes |00>↔|11> and |01>↔|10> by [[c, −is], [−is, c]]. */
  xxRotation(a: number, b: number, theta: number): void {
    const c = Math.cos(theta / 2);
    const s = Math.sin(theta / 2);
    const re = this.#re;
    const im = this.#im;
    const ba = 1 << a;
    const bb = 1 << b;
    const bits = sortedBits([a, b]);
    const count = this.#size >>> 2;
    for (let k = 0; k < count; k++) {
      const base = insertZeros(k, bits);
      for (let pair = 0; pair < 2; pair++) {
        const i = pair === 0 ? base : base | ba;
        const j = pair === 0 ? base | ba | bb : base | bb;
        const xr = re[i] as number, xi = im[i] as number, yr = re[j] as number, yi = im[j] as number;
        re[i] = c * xr + s * yi;
        im[i] = c * xi - s * yr;
        re[j] = c * yr + s * xi;
        im[j] = c * yi - s * xr;
      }
    }
  }

  /**
   * A 4×4 unitary (row-major re/im pairs) on qubits q0, q1: local index b(q0) + 2·b(q1).
   * Fused two-qubit blocks (a CX with the rotations around it) run as one pass.
   */
  unitary2(m: Float64Array, q0: number, q1: number): void {
    const re = this.#re;
    const im = this.#im;
    const b0 = 1 << q0;
    const b1 = 1 << q1;
    const bl = Math.min(b0, b1);
    const bh = Math.max(b0, b1);
    // The matrix in locals and three nested strides, so the loop body is straight-line code.
    const r00 = m[0] as number, i00 = m[1] as number;
    const r01 = m[2] as number, i01 = m[3] as number;
    const r02 = m[4] as number, i02 = m[5] as number;
    const r03 = m[6] as number, i03 = m[7] as number;
    const r10 = m[8] as number, i10 = m[9] as number;
    const r11 = m[10] as number, i11 = m[11] as number;
    const r12 = m[12] as number, i12 = m[13] as number;
    const r13 = m[14] as number, i13 = m[15] as number;
    const r20 = m[16] as number, i20 = m[17] as number;
    const r21 = m[18] as number, i21 = m[19] as number;
    const r22 = m[20] as number, i22 = m[21] as number;
    const r23 = m[22] as number, i23 = m[23] as number;
    const r30 = m[24] as number, i30 = m[25] as number;
    const r31 = m[26] as number, i31 = m[27] as number;
    const r32 = m[28] as number, i32 = m[29] as number;
    const r33 = m[30] as number, i33 = m[31] as number;
    const size = this.#size;
    for (let outer = 0; outer < size; outer += bh << 1) {
      for (let middle = outer; middle < outer + bh; middle += bl << 1) {
        const end = middle + bl;
        for (let j0 = middle; j0 < end; j0++) {
          const j1 = j0 + b0;
          const j2 = j0 + b1;
          const j3 = j0 + b0 + b1;
          const a0r = re[j0] as number, a0i = im[j0] as number, a1r = re[j1] as number, a1i = im[j1] as number;
          const a2r = re[j2] as number, a2i = im[j2] as number, a3r = re[j3] as number, a3i = im[j3] as number;
          re[j0] = r00 * a0r - i00 * a0i + r01 * a1r - i01 * a1i + r02 * a2r - i02 * a2i + r03 * a3r - i03 * a3i;
          im[j0] = r00 * a0i + i00 * a0r + r01 * a1i + i01 * a1r + r02 * a2i + i02 * a2r + r03 * a3i + i03 * a3r;
          re[j1] = r10 * a0r - i10 * a0i + r11 * a1r - i11 * a1i + r12 * a2r - i12 * a2i + r13 * a3r - i13 * a3i;
          im[j1] = r10 * a0i + i10 * a0r + r11 * a1i + i11 * a1r + r12 * a2i + i12 * a2r + r13 * a3i + i13 * a3r;
          re[j2] = r20 * a0r - i20 * a0i + r21 * a1r - i21 * a1i + r22 * a2r - i22 * a2i + r23 * a3r - i23 * a3i;
          im[j2] = r20 * a0i + i20 * a0r + r21 * a1i + i21 * a1r + r22 * a2i + i22 * a2r + r23 * a3i + i23 * a3r;
          re[j3] = r30 * a0r - i30 * a0i + r31 * a1r - i31 * a1i + r32 * a2r - i32 * a2i + r33 * a3r - i33 * a3i;
          im[j3] = r30 * a0i + i30 * a0r + r31 * a1i + i31 * a1r + r32 * a2i + i32 * a2r + r33 * a3i + i33 * a3r;
        }
      }
    }
  }

  /** One pass multiplying every amplitude by its entry of the run's phase table. */
  diagonalRun(run: DiagonalRun): void {
    const re = this.#re;
    const im = this.#im;
    const n = this.qubits;
    const lowBits = Math.min(n, 12);
    const highBits = n - lowBits;
    // keyLow[x] / keyHigh[y]: the table-key bits contributed by the low / high part of an index.
    const keyLow = new Int32Array(1 << lowBits);
    const keyHigh = new Int32Array(1 << highBits);
    run.qubits.forEach((q, position) => {
      if (q < lowBits) for (let x = 0; x < keyLow.length; x++) keyLow[x] = (keyLow[x] as number) | (((x >>> q) & 1) << position);
      else for (let y = 0; y < keyHigh.length; y++) keyHigh[y] = (keyHigh[y] as number) | (((y >>> (q - lowBits)) & 1) << position);
    });
    const tr = run.re;
    const ti = run.im;
    const lowSize = 1 << lowBits;
    for (let y = 0; y < keyHigh.length; y++) {
      const high = keyHigh[y] as number;
      const base = y * lowSize;
      for (let x = 0; x < lowSize; x++) {
        const key = high | (keyLow[x] as number);
        const i = base + x;
        const fr = tr[key] as number, fi = ti[key] as number;
        const xr = re[i] as number, xi = im[i] as number;
        re[i] = fr * xr - fi * xi;
        im[i] = fr * xi + fi * xr;
      }
    }
  }

  /** The Born probability of every basis state: classical numbers, as sampling uses them. */
  basisProbabilities(): Float64Array {
    const out = new Float64Array(this.#size);
    for (let i = 0; i < this.#size; i++) out[i] = (this.#re[i] as number) ** 2 + (this.#im[i] as number) ** 2;
    return out;
  }

  /** Probability that `qubit` reads 1 (the state need not be normalised). */
  #split(qubit: number): { p0: number; p1: number } {
    const re = this.#re;
    const im = this.#im;
    const bit = 1 << qubit;
    let p0 = 0;
    let p1 = 0;
    for (let base = 0; base < this.#size; base += bit << 1) {
      for (let i = base; i < base + bit; i++) {
        const j = i + bit;
        p0 += (re[i] as number) ** 2 + (im[i] as number) ** 2;
        p1 += (re[j] as number) ** 2 + (im[j] as number) ** 2;
      }
    }
    return { p0, p1 };
  }

  /** Probabilities of reading 0 and 1 on `qubit`, normalised. */
  outcomeProbabilities(qubit: number): { p0: number; p1: number } {
    const { p0, p1 } = this.#split(qubit);
    const total = p0 + p1;
    return { p0: p0 / total, p1: p1 / total };
  }

  /** Projects `qubit` onto `outcome` and renormalises; `probability` is that outcome's. */
  collapse(qubit: number, outcome: 0 | 1, probability: number): void {
    const re = this.#re;
    const im = this.#im;
    const bit = 1 << qubit;
    const norm = probability > 0 ? 1 / Math.sqrt(probability) : 0;
    for (let base = 0; base < this.#size; base += bit << 1) {
      for (let i = base; i < base + bit; i++) {
        const keep = outcome === 0 ? i : i + bit;
        const drop = outcome === 0 ? i + bit : i;
        re[keep] = (re[keep] as number) * norm;
        im[keep] = (im[keep] as number) * norm;
        re[drop] = 0;
        im[drop] = 0;
      }
    }
  }

  /** Projective measurement of one qubit; `r` uniform in [0,1) picks the outcome. */
  measure(qubit: number, r: number): 0 | 1 {
    const { p0, p1 } = this.#split(qubit);
    const outcome: 0 | 1 = r * (p0 + p1) < p1 ? 1 : 0;
    this.collapse(qubit, outcome, (outcome === 1 ? p1 : p0) / (p0 + p1));
    return outcome;
  }

  /** Flips a qubit known to read 1 back to 0 (the second half of `reset`). */
  flipToZero(qubit: number): void {
    const re = this.#re;
    const im = this.#im;
    const bit = 1 << qubit;
    for (let base = 0; base < this.#size; base += bit << 1) {
      for (let i = base; i < base + bit; i++) {
        const j = i + bit;
        re[i] = re[j] as number;
        im[i] = im[j] as number;
        re[j] = 0;
        im[j] = 0;
      }
    }
  }

  /** OpenQASM `reset`: measure, then flip to |0> if the outcome was 1. */
  reset(qubit: number, r: number): void {
    if (this.measure(qubit, r) === 1) this.flipToZero(qubit);
  }

  /**
   * Draws `shots` basis states from the Born distribution, returned in shot order. The
   * draws are sorted and matched against one cumulative sweep, so no probability table of
   * size 2^n is ever allocated.
   */
  sample(shots: number, rng: Xoshiro128StarStar): Uint32Array {
    const re = this.#re;
    const im = this.#im;
    const draws = new Float64Array(shots);
    for (let s = 0; s < shots; s++) draws[s] = rng.nextDouble();
    const order = Uint32Array.from({ length: shots }, (_, s) => s).sort((a, b) => (draws[a] as number) - (draws[b] as number) || a - b);
    let total = 0;
    let lastNonZero = 0;
    for (let i = 0; i < this.#size; i++) {
      const p = (re[i] as number) ** 2 + (im[i] as number) ** 2;
      total += p;
      if (p > 0) lastNonZero = i;
    }
    const out = new Uint32Array(shots);
    let k = 0;
    let cumulative = 0;
    const prob = (i: number): number => (re[i] as number) ** 2 + (im[i] as number) ** 2;
    for (const shot of order) {
      const target = (draws[shot] as number) * total;
      while (k < this.#size - 1 && cumulative + prob(k) <= target) {
        cumulative += prob(k);
        k++;
      }
      out[shot] = prob(k) > 0 ? k : lastNonZero;
    }
    return out;
  }
}

export function maskQubits(mask: number): number[] {
  const out: number[] = [];
  for (let q = 0; mask !== 0; q++, mask >>>= 1) if (mask & 1) out.push(q);
  return out;
}
