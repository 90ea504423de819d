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
import { maskQubits, type DiagonalRun, type StateVector } from "./statevector.js";

export type Pass =
  | { readonly kind: "unitary"; readonly target: number; readonly mask: number; readonly value: number; readonly matrix: Matrix2 }
  | { readonly kind: "swap"; readonly a: number; readonly b: number; readonly mask: number }
  | { readonly kind: "parity-phase"; readonly a: number; readonly b: number; readonly theta: number }
  | { readonly kind: "xx-rotation"; readonly a: number; readonly b: number; readonly theta: number }
  /** A 4×4 unitary on (q0, q1), local index b(q0) + 2·b(q1). */
  | { readonly kind: "unitary2"; readonly q0: number; readonly q1: number; readonly matrix: Float64Array }
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

/** Every qubit a pass reads or writes (controls included). */
export function passQubits(p: Pass): number[] {
  switch (p.kind) {
    case "unitary":
      return [p.target, ...maskQubits(p.mask)];
    case "swap":
      return [p.a, p.b, ...maskQubits(p.mask)];
    case "parity-phase":
    case "xx-rotation":
      return [p.a, p.b];
    case "unitary2":
      return [p.q0, p.q1];
    case "diagonal-run":
      return [...p.run.qubits];
  }
}

type Matrix4 = Float64Array;

function identity4(): Matrix4 {
  const m = new Float64Array(32);
  for (let l = 0; l < 4; l++) m[(l * 4 + l) * 2] = 1;
  return m;
}

function multiply4(a: Matrix4, b: Matrix4): Matrix4 {
  const out = new Float64Array(32);
  for (let r = 0; r < 4; r++) {
    for (let c = 0; c < 4; c++) {
      let re = 0;
      let im = 0;
      for (let k = 0; k < 4; k++) {
        const xr = a[(r * 4 + k) * 2] as number, xi = a[(r * 4 + k) * 2 + 1] as number;
        const yr = b[(k * 4 + c) * 2] as number, yi = b[(k * 4 + c) * 2 + 1] as number;
        re += xr * yr - xi * yi;
        im += xr * yi + xi * yr;
      }
      out[(r * 4 + c) * 2] = re;
      out[(r * 4 + c) * 2 + 1] = im;
    }
  }
  return out;
}

/** `m` (2×2) on local bit `which` of a pair, identity on the other. */
function embed(m: Matrix2, which: 0 | 1): Matrix4 {
  const out = new Float64Array(32);
  for (let row = 0; row < 4; row++) {
    for (let col = 0; col < 4; col++) {
      const [r, c, otherR, otherC] = which === 0 ? [row & 1, col & 1, row >> 1, col >> 1] : [row >> 1, col >> 1, row & 1, col & 1];
      if (otherR !== otherC) continue;
      out[(row * 4 + col) * 2] = m[(r * 2 + c) * 2] as number;
      out[(row * 4 + col) * 2 + 1] = m[(r * 2 + c) * 2 + 1] as number;
    }
  }
  return out;
}

/** A two-qubit pass as a 4×4 matrix on (q0, q1), or null when it is not one. */
function asMatrix4(p: Pass, q0: number, q1: number): Matrix4 | null {
  const bitOf = (q: number): 0 | 1 => (q === q0 ? 0 : 1);
  const m = new Float64Array(32);
  const set = (row: number, col: number, re: number, im: number): void => {
    m[(row * 4 + col) * 2] = re;
    m[(row * 4 + col) * 2 + 1] = im;
  };
  const local = (values: Map<number, number>): number => ((values.get(q0) ?? 0) | ((values.get(q1) ?? 0) << 1)) as number;
  switch (p.kind) {
    case "unitary": {
      const controls = maskQubits(p.mask);
      if (controls.length !== 1) return null;
      const c = controls[0] as number;
      const on = (p.value >>> c) & 1;
      for (let cb = 0; cb < 2; cb++) {
        for (let r = 0; r < 2; r++) {
          for (let col = 0; col < 2; col++) {
            const row = local(new Map([[c, cb], [p.target, r]]));
            const column = local(new Map([[c, cb], [p.target, col]]));
            if (cb === on) set(row, column, p.matrix[(r * 2 + col) * 2] as number, p.matrix[(r * 2 + col) * 2 + 1] as number);
            else if (r === col) set(row, column, 1, 0);
          }
        }
      }
      return m;
    }
    case "swap":
      if (p.mask !== 0) return null;
      set(0, 0, 1, 0);
      set(3, 3, 1, 0);
      set(1, 2, 1, 0);
      set(2, 1, 1, 0);
      return m;
    case "parity-phase": {
      const [c, s] = [Math.cos(p.theta), Math.sin(p.theta)];
      set(0, 0, 1, 0);
      set(3, 3, 1, 0);
      set(1, 1, c, s);
      set(2, 2, c, s);
      return m;
    }
    case "xx-rotation": {
      const [c, s] = [Math.cos(p.theta / 2), Math.sin(p.theta / 2)];
      for (let l = 0; l < 4; l++) {
        set(l, l, c, 0);
        set(l, 3 - l, 0, -s);
      }
      void bitOf;
      return m;
    }
    default:
      return null;
  }
}

interface Block {
  readonly q0: number;
  readonly q1: number;
  matrix: Matrix4;
}

/**
 * The gates' primitives on global qubits, fused: single-qubit gates accumulate per qubit;
 * a two-qubit gate opens a block on its pair that absorbs the pending single-qubit gates of
 * both qubits and every later gate on that pair or on one of its qubits alone, until a gate
 * couples one of them elsewhere. A block is then one pass (4 amplitudes per step), or a
 * diagonal pass when it only shifted phases.
 */
function fuse(gates: readonly GateOp[], fusing = true): Pass[] {
  const out: Pass[] = [];
  const pending = new Map<number, Matrix2>();
  const blocks = new Map<number, Block>();
  const flush = (q: number): void => {
    const block = blocks.get(q);
    if (block !== undefined) {
      blocks.delete(block.q0);
      blocks.delete(block.q1);
      out.push(blockPass(block));
      return;
    }
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
          if (fusing && prim.ones.length === 0 && prim.zeros.length === 0) {
            const block = blocks.get(target);
            if (block !== undefined) {
              block.matrix = multiply4(embed(prim.matrix, target === block.q0 ? 0 : 1), block.matrix);
              continue;
            }
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
      const qs = passQubits(pass);
      if (fusing && qs.length === 2 && !(pass.kind === "unitary" && isDiagonal(pass.matrix) && !blocks.has(qs[0] as number) && !blocks.has(qs[1] as number))) {
        const [a, b] = qs as [number, number];
        let block = blocks.get(a);
        if (block === undefined || blocks.get(b) !== block) {
          flush(a);
          flush(b);
          block = { q0: a, q1: b, matrix: identity4() };
          for (const [q, which] of [[a, 0], [b, 1]] as const) {
            const m = pending.get(q);
            if (m === undefined) continue;
            pending.delete(q);
            block.matrix = multiply4(embed(m, which), block.matrix);
          }
          blocks.set(a, block);
          blocks.set(b, block);
        }
        const g4 = asMatrix4(pass, block.q0, block.q1);
        if (g4 !== null) {
          block.matrix = multiply4(g4, block.matrix);
          continue;
        }
      }
      for (const q of qs) flush(q);
      out.push(pass);
    }
  }
  for (const q of [...new Set([...pending.keys(), ...blocks.keys()])].sort((a, b) => a - b)) flush(q);
  return out;
}

function blockPass(block: Block): Pass {
  const m = block.matrix;
  let diagonal = true;
  for (let r = 0; r < 4 && diagonal; r++) {
    for (let c = 0; c < 4; c++) {
      if (r !== c && (m[(r * 4 + c) * 2] !== 0 || m[(r * 4 + c) * 2 + 1] !== 0)) {
        diagonal = false;
        break;
      }
    }
  }
  if (!diagonal) return { kind: "unitary2", q0: block.q0, q1: block.q1, matrix: m };
  const qubits = [block.q0, block.q1].sort((a, b) => a - b);
  const re = new Float64Array(4);
  const im = new Float64Array(4);
  for (let key = 0; key < 4; key++) {
    // Table keys follow the sorted qubits; the block's local index follows (q0, q1).
    const bit = (q: number): number => (key >>> qubits.indexOf(q)) & 1;
    const l = bit(block.q0) | (bit(block.q1) << 1);
    re[key] = m[(l * 4 + l) * 2] as number;
    im[key] = m[(l * 4 + l) * 2 + 1] as number;
  }
  return { kind: "diagonal-run", run: { qubits, re, im } };
}

function diagonalQubits(p: Pass): number[] | null {
  if (p.kind === "parity-phase") return [p.a, p.b];
  if (p.kind === "diagonal-run") return [...p.run.qubits];
  if (p.kind === "unitary" && isDiagonal(p.matrix)) return [p.target, ...maskQubits(p.mask)];
  return null;
}

function tableOf(qubits: readonly number[], passes: readonly Pass[]): DiagonalRun {
  const size = 1 << qubits.length;
  const re = new Float64Array(size).fill(1);
  const im = new Float64Array(size);
  const position = new Map(qubits.map((q, k) => [q, k]));
  /** A global qubit mask as a mask over table keys. */
  const keyMask = (mask: number): number => maskQubits(mask).reduce((m, q) => m | (1 << (position.get(q) as number)), 0);
  /** Multiplies the entries whose key bits at `mask` read `value` by (fr + i·fi). */
  const scale = (mask: number, value: number, fr: number, fi: number): void => {
    if (fr === 1 && fi === 0) return;
    for (let key = 0; key < size; key++) {
      if ((key & mask) !== value) continue;
      const r = re[key] as number;
      const i = im[key] as number;
      re[key] = r * fr - i * fi;
      im[key] = r * fi + i * fr;
    }
  };
  for (const p of passes) {
    if (p.kind === "parity-phase") {
      const a = keyMask(1 << p.a);
      const b = keyMask(1 << p.b);
      const [c, s] = [Math.cos(p.theta), Math.sin(p.theta)];
      scale(a | b, a, c, s);
      scale(a | b, b, c, s);
    } else if (p.kind === "unitary") {
      const mask = keyMask(p.mask);
      const value = keyMask(p.value);
      const t = keyMask(1 << p.target);
      scale(mask | t, value, p.matrix[0] as number, p.matrix[1] as number);
      scale(mask | t, value | t, p.matrix[6] as number, p.matrix[7] as number);
    } else if (p.kind === "diagonal-run") {
      const sub = p.run.qubits.map((q) => keyMask(1 << q));
      const all = sub.reduce((m, b) => m | b, 0);
      for (let k = 0; k < p.run.re.length; k++) {
        const value = sub.reduce((v, b, j) => ((k >>> j) & 1 ? v | b : v), 0);
        scale(all, value, p.run.re[k] as number, p.run.im[k] as number);
      }
    }
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

/** One pass per gate primitive, nothing merged: what a plain gate-by-gate simulator does. */
export function unfusedPasses(gates: readonly GateOp[]): Pass[] {
  return fuse(gates, false);
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
      case "unitary2":
        sv.unitary2(p.matrix, p.q0, p.q1);
        break;
      case "diagonal-run":
        sv.diagonalRun(p.run);
        break;
    }
  }
}
