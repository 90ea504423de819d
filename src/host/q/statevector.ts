/**
 * The state-vector simulator behind the embedded Q provider.
 *
 * Amplitudes live in two private Float64Arrays (real and imaginary parts) and nothing in
 * this class hands them out: there is no getter, no iterator, no toJSON, and the only
 * outputs are classical (a collapsed measurement bit, sampled basis indices). This module is
 * imported by the provider alone; XDV-060 §8 forbids serialising amplitudes, and the
 * cheapest way to honour that is to make it impossible.
 *
 * Basis index bit i is qubit i. Gates are applied in place in O(2^n) per gate.
 */
import type { GateAction, Matrix2 } from "./gates.js";
import type { Xoshiro128StarStar } from "../random/prng.js";

export class StateVector {
  readonly qubits: number;
  readonly #size: number;
  readonly #re: Float64Array;
  readonly #im: Float64Array;

  constructor(qubits: number) {
    if (!Number.isInteger(qubits) || qubits < 0 || qubits > 30) throw new RangeError(`cannot simulate ${qubits} qubits`);
    this.qubits = qubits;
    this.#size = 2 ** qubits;
    this.#re = new Float64Array(this.#size);
    this.#im = new Float64Array(this.#size);
    this.#re[0] = 1;
  }

  /** Overwrites this state with another of the same width (per-shot restarts). */
  copyFrom(other: StateVector): void {
    if (other.qubits !== this.qubits) throw new RangeError("state width mismatch");
    this.#re.set(other.#re);
    this.#im.set(other.#im);
  }

  /** `qubits` in gate-argument order: controls first, then the target(s). */
  apply(action: GateAction, qubits: readonly number[]): void {
    switch (action.kind) {
      case "identity":
        return;
      case "unitary": {
        const controls = qubits.slice(0, action.controls);
        const target = qubits[action.controls] as number;
        this.#unitary(action.matrix, target, maskOf(controls));
        return;
      }
      case "swap": {
        const controls = qubits.slice(0, action.controls);
        this.#swap(qubits[action.controls] as number, qubits[action.controls + 1] as number, maskOf(controls));
        return;
      }
      case "parity-phase":
        this.#parityPhase(qubits[0] as number, qubits[1] as number, action.theta);
        return;
    }
  }

  #unitary(m: Matrix2, target: number, controlMask: number): void {
    const re = this.#re;
    const im = this.#im;
    const bit = 1 << target;
    const [ar, ai, br, bi, cr, ci, dr, di] = m as unknown as [number, number, number, number, number, number, number, number];
    for (let base = 0; base < this.#size; base += bit << 1) {
      for (let i = base; i < base + bit; i++) {
        if ((i & controlMask) !== controlMask) continue;
        const j = i | bit;
        const xr = re[i] as number;
        const xi = im[i] as number;
        const yr = re[j] as number;
        const yi = im[j] as number;
        re[i] = ar * xr - ai * xi + br * yr - bi * yi;
        im[i] = ar * xi + ai * xr + br * yi + bi * yr;
        re[j] = cr * xr - ci * xi + dr * yr - di * yi;
        im[j] = cr * xi + ci * xr + dr * yi + di * yr;
      }
    }
  }

  #swap(a: number, b: number, controlMask: number): void {
    const re = this.#re;
    const im = this.#im;
    const ba = 1 << a;
    const bb = 1 << b;
    for (let i = 0; i < this.#size; i++) {
      // Visit each exchanged pair once: from the index with a set and b clear.
      if ((i & ba) === 0 || (i & bb) !== 0 || (i & controlMask) !== controlMask) continue;
      const j = (i & ~ba) | bb;
      const tr = re[i] as number;
      const ti = im[i] as number;
      re[i] = re[j] as number;
      im[i] = im[j] as number;
      re[j] = tr;
      im[j] = ti;
    }
  }

  #parityPhase(a: number, b: number, theta: number): void {
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    const re = this.#re;
    const im = this.#im;
    const ba = 1 << a;
    const bb = 1 << b;
    for (let i = 0; i < this.#size; i++) {
      if (((i & ba) !== 0) === ((i & bb) !== 0)) continue;
      const xr = re[i] as number;
      const xi = im[i] as number;
      re[i] = c * xr - s * xi;
      im[i] = c * xi + s * xr;
    }
  }

  /** Projective measurement of one qubit; `r` uniform in [0,1) picks the outcome. */
  measure(qubit: number, r: number): 0 | 1 {
    const re = this.#re;
    const im = this.#im;
    const bit = 1 << qubit;
    let p0 = 0;
    let p1 = 0;
    for (let i = 0; i < this.#size; i++) {
      const p = (re[i] as number) ** 2 + (im[i] as number) ** 2;
      if (i & bit) p1 += p;
      else p0 += p;
    }
    const outcome: 0 | 1 = r * (p0 + p1) < p1 ? 1 : 0;
    const keep = outcome === 1 ? p1 : p0;
    const norm = keep > 0 ? 1 / Math.sqrt(keep) : 0;
    for (let i = 0; i < this.#size; i++) {
      if (((i & bit) !== 0) === (outcome === 1)) {
        re[i] = (re[i] as number) * norm;
        im[i] = (im[i] as number) * norm;
      } else {
        re[i] = 0;
        im[i] = 0;
      }
    }
    return outcome;
  }

  /** OpenQASM `reset`: measure, then flip to |0> if the outcome was 1. */
  reset(qubit: number, r: number): void {
    if (this.measure(qubit, r) === 1) {
      const re = this.#re;
      const im = this.#im;
      const bit = 1 << qubit;
      for (let i = 0; i < this.#size; i++) {
        if ((i & bit) !== 0) continue;
        const j = i | bit;
        re[i] = re[j] as number;
        im[i] = im[j] as number;
        re[j] = 0;
        im[j] = 0;
      }
    }
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
    const order = Array.from({ length: shots }, (_, s) => s).sort((a, b) => (draws[a] as number) - (draws[b] as number) || a - b);
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

function maskOf(qubits: readonly number[]): number {
  let mask = 0;
  for (const q of qubits) mask |= 1 << q;
  return mask;
}
