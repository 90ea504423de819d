/**
 * Turns a run of gates into the passes the simulator makes over the state, doing less work
 * for the same unitary:
 *
 *  - single-qubit gates on one qubit are multiplied into one matrix until a gate that
 *    touches that qubit otherwise comes (gates on other qubits commute with them);
 *  - consecutive diagonal gates (phases, controlled phases, rz, rzz) become one pass
 *    through a table of phases over the qubits they involve (`DiagonalRun`);
 *  - a controlled X is an exchange of amplitudes, never a multiplication.
 *
 * Fusion reassociates floating-point products, so amplitudes can differ from gate-by-gate
 * application in the last bits; the result is the same unitary.
 */
import type { GateAction, Matrix2 } from "./gates.js";
import type { DiagonalRun, StateVector } from "./statevector.js";

export type Pass =
  | { readonly kind: "unitary"; readonly target: number; readonly mask: number; readonly value: number; readonly matrix: Matrix2 }
  | { readonly kind: "swap"; readonly a: number; readonly b: number; readonly mask: number }
  | { readonly kind: "parity-phase"; readonly a: number; readonly b: number; readonly theta: number }
  | { readonly kind: "xx-rotation"; readonly a: number; readonly b: number; readonly theta: number }
  | { readonly kind: "diagonal-run"; readonly run: DiagonalRun };

export interface GateOp {
  readonly action: GateAction;
  readonly qubits: readonly number[];
}

/** A phase table over this many qubits (2^14 entries, 256 KiB) still sits in the L2 cache. */
const DIAGONAL_TABLE_QUBITS = 14;
/** Fewer diagonal gates than this are cheaper as their own (partial) passes. */
const DIAGONAL_RUN_MIN = 3;

function multiply(a: Matrix2, b: Matrix2): Matrix2 {
  // (a·b) for row-major complex 2×2 matrices.
  const out = new Float64Array(8);
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 2; c++) {
      let re = 0;
      let im = 0;
      for (let k = 0; k < 2; k++) {
        const xr = a[(r * 2 + k) * 2] as number, xi = a[(r * 2 + k) * 2 + 1] as number;
        const yr = b[(k * 2 + c) * 2] as number, yi = b[(k * 2 + c) * 2 + 1] as number;
        re += xr * yr - xi * yi;
        im += xr * yi + xi * yr;
      }
      out[(r * 2 + c) * 2] = re;
      out[(r * 2 + c) * 2 + 1] = im;
    }
  }
  return out;
}

function isDiagonal(m: Matrix2): boolean {
  return m[2] === 0 && m[3] === 0 && m[4] === 0 && m[5] === 0;
}

function isIdentity(m: Matrix2): boolean {
  return isDiagonal(m) && m[0] === 1 && m[1] === 0 && m[6] === 1 && m[7] === 0;
}

function maskOf(qubits: readonly number[]): number {
  let mask = 0;
  for (const q of qubits) mask |= 1 << q;
  return mask;
}

function touched(p: Pass): number[] {
  switch (p.kind) {
    case "unitary":
      return [p.target, ...bitsOf(p.mask)];
    case "swap":
      return [p.a, p.b, ...bitsOf(p.mask)];
    case "parity-phase":
    case "xx-rotation":
      return [p.a, p.b];
    case "diagonal-run":
      return [...p.run.qubits];
  }
}

function bitsOf(mask: number): number[] {
  const out: number[] = [];
  for (let q = 0; mask !== 0; q++, mask >>>= 1) if (mask & 1) out.push(q);
  return out;
}

/** The gates' primitives on global qubits, with single-qubit gates fused per qubit. */
function fuse(gates: readonly GateOp[]): Pass[] {
  const out: Pass[] = [];
  const pending = new Map<number, Matrix2>();
  const flush = (q: number): void => {
    const m = pending.get(q);
    if (m === undefined) return;
    pending.delete(q);
    if (!isIdentity(m)) out.push({ kind: "unitary", target: q, mask: 0, value: 0, matrix: m });
  };
  for (const g of gates) {
    for (const prim of g.action) {
      const at = (position: number): number => g.qubits[position] as number;
      let pass: Pass;
      switch (prim.kind) {
        case "unitary": {
          const target = at(prim.target);
          if (prim.ones.length === 0 && prim.zeros.length === 0) {
            const before = pending.get(target);
            pending.set(target, before === undefined ? prim.matrix : multiply(prim.matrix, before));
            continue;
          }
          const ones = maskOf(prim.ones.map(at));
          pass = { kind: "unitary", target, mask: ones | maskOf(prim.zeros.map(at)), value: ones, matrix: prim.matrix };
          break;
        }
        case "swap":
          pass = { kind: "swap", a: at(prim.a), b: at(prim.b), mask: maskOf(prim.ones.map(at)) };
          break;
        case "parity-phase":
        case "xx-rotation":
          pass = { kind: prim.kind, a: at(prim.a), b: at(prim.b), theta: prim.theta };
          break;
      }
      for (const q of touched(pass)) flush(q);
      out.push(pass);
    }
  }
  for (const q of [...pending.keys()].sort((a, b) => a - b)) flush(q);
  return out;
}

function diagonalQubits(p: Pass): number[] | null {
  if (p.kind === "parity-phase") return [p.a, p.b];
  if (p.kind === "unitary" && isDiagonal(p.matrix)) return [p.target, ...bitsOf(p.mask)];
  return null;
}

function tableOf(qubits: readonly number[], passes: readonly Pass[]): DiagonalRun {
  const size = 1 << qubits.length;
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let key = 0; key < size; key++) {
    let index = 0;
    qubits.forEach((q, position) => {
      if ((key >>> position) & 1) index |= 1 << q;
    });
    let fr = 1;
    let fi = 0;
    const times = (xr: number, xi: number): void => {
      const r = fr * xr - fi * xi;
      fi = fr * xi + fi * xr;
      fr = r;
    };
    for (const p of passes) {
      if (p.kind === "parity-phase") {
        if (((index >>> p.a) & 1) !== ((index >>> p.b) & 1)) times(Math.cos(p.theta), Math.sin(p.theta));
      } else if (p.kind === "unitary" && (index & p.mask) === p.value) {
        const k = (index >>> p.target) & 1 ? 6 : 0;
        times(p.matrix[k] as number, p.matrix[k + 1] as number);
      }
    }
    re[key] = fr;
    im[key] = fi;
  }
  return { qubits, re, im };
}

/** Consecutive diagonal passes become table runs while their qubits fit the table. */
function mergeDiagonals(passes: readonly Pass[]): Pass[] {
  const out: Pass[] = [];
  let group: Pass[] = [];
  let qubits = new Set<number>();
  const close = (): void => {
    if (group.length >= DIAGONAL_RUN_MIN) out.push({ kind: "diagonal-run", run: tableOf([...qubits].sort((a, b) => a - b), group) });
    else out.push(...group);
    group = [];
    qubits = new Set();
  };
  for (const p of passes) {
    const qs = diagonalQubits(p);
    if (qs === null) {
      close();
      out.push(p);
      continue;
    }
    const union = new Set([...qubits, ...qs]);
    if (union.size > DIAGONAL_TABLE_QUBITS) close();
    group.push(p);
    for (const q of qs) qubits.add(q);
  }
  close();
  return out;
}

export function planGates(gates: readonly GateOp[]): Pass[] {
  return mergeDiagonals(fuse(gates));
}

export function runPasses(sv: StateVector, passes: readonly Pass[]): void {
  for (const p of passes) {
    switch (p.kind) {
      case "unitary":
        sv.unitary(p.matrix, p.target, p.mask, p.value);
        break;
      case "swap":
        sv.swap(p.a, p.b, p.mask);
        break;
      case "parity-phase":
        sv.parityPhase(p.a, p.b, p.theta);
        break;
      case "xx-rotation":
        sv.xxRotation(p.a, p.b, p.theta);
        break;
      case "diagonal-run":
        sv.diagonalRun(p.run);
        break;
    }
  }
}
