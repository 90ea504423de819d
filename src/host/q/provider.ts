/**
 * The embedded Q-hardware provider (XDV-060): compiles OpenQASM 2.0, runs it on the
 * state-vector simulator and reports measurement outcomes only.
 *
 * Two execution strategies, chosen per circuit and both exact:
 *  - terminal measurements (the common case): simulate once, then draw every shot from the
 *    final distribution;
 *  - mid-circuit measurement, reset or `if`: simulate the unitary prefix once, then finish
 *    each shot separately from a copy, collapsing as measurements happen.
 * Every random draw comes from the stream handed in, so a (seed, job) pair fixes the counts.
 */
import type { BitstringCount } from "#runtime/abi.js";
import type { Xoshiro128StarStar } from "../random/prng.js";
import { supportedGateNames } from "./gates.js";
import { compileQasm, formatBits, type CompiledCircuit, type Op } from "./qasm-compile.js";
import { QasmError } from "./qasm-lexer.js";
import { StateVector } from "./statevector.js";

export interface QProviderConfig {
  readonly providerId: string;
  readonly maxQubits: number;
  readonly maxShots: number;
  /** Operations after inlining user gates; bounds the size of one circuit. */
  readonly maxOps: number;
  /** Amplitude updates one job may cost (see `estimateWork`); bounds its running time. */
  readonly maxWork: number;
  readonly calibrationProfile: string;
}

export const DEFAULT_Q_CONFIG: QProviderConfig = {
  providerId: "embedded-statevector",
  maxQubits: 24,
  maxShots: 1_000_000,
  maxOps: 1_000_000,
  maxWork: 2 ** 34,
  calibrationProfile: "ideal-v1",
};

/** XDV-060 §3.2 capability declaration; recorded in the trace header. */
export interface QProviderCapabilities {
  readonly provider_id: string;
  readonly max_logical_qubits: number;
  readonly max_shots: number;
  readonly max_ops: number;
  readonly max_work: number;
  readonly supported_gates: readonly string[];
  readonly measurement_modes: readonly string[];
  readonly calibration_profile_id: string;
  readonly decoherence_profile: string;
}

export type CompileOutcome =
  | { readonly ok: true; readonly circuit: CompiledCircuit }
  | { readonly ok: false; readonly line: number; readonly column: number; readonly message: string; readonly category: "circuit-invalid" | "gate-unsupported" };

export interface QOutcome {
  /** Sorted by bitstring. */
  readonly counts: readonly BitstringCount[];
  readonly per_shot: readonly string[] | null;
}

export class QProvider {
  readonly config: QProviderConfig;

  constructor(config: Partial<QProviderConfig> = {}) {
    this.config = { ...DEFAULT_Q_CONFIG, ...config };
  }

  capabilities(): QProviderCapabilities {
    return {
      provider_id: this.config.providerId,
      max_logical_qubits: this.config.maxQubits,
      max_shots: this.config.maxShots,
      max_ops: this.config.maxOps,
      max_work: this.config.maxWork,
      supported_gates: supportedGateNames(),
      measurement_modes: ["counts", "per_shot"],
      calibration_profile_id: this.config.calibrationProfile,
      decoherence_profile: "depth-linear",
    };
  }

  compile(source: string): CompileOutcome {
    try {
      return { ok: true, circuit: compileQasm(source, { maxOps: this.config.maxOps }) };
    } catch (e) {
      if (e instanceof QasmError) return { ok: false, line: e.line, column: e.column, message: e.message, category: e.category };
      throw e;
    }
  }

  /**
   * Amplitude updates a job will cost, known before it runs: one pass over the state per
   * operation, and for circuits that must be simulated shot by shot, one pass per operation
   * after the unitary prefix for every shot. Deterministic, so refusing on it is replayable.
   */
  estimateWork(circuit: CompiledCircuit, shots: number): number {
    const size = 2 ** circuit.qubits;
    const flatten = (ops: readonly Op[]): number => ops.reduce((n, op) => n + (op.kind === "cond" ? flatten(op.ops) : 1), 0);
    if (circuit.terminalMeasurement) return (flatten(circuit.ops) + 1) * size + shots;
    let split = 0;
    while (split < circuit.ops.length && ((circuit.ops[split] as Op).kind === "gate" || (circuit.ops[split] as Op).kind === "barrier")) split++;
    return split * size + flatten(circuit.ops.slice(split)) * size * shots;
  }

  /** Runs `shots` shots; the caller has already checked qubit, shot and work limits. */
  execute(circuit: CompiledCircuit, shots: number, rng: Xoshiro128StarStar, perShot: boolean): QOutcome {
    if (circuit.qubits > this.config.maxQubits) throw new RangeError(`circuit needs ${circuit.qubits} qubits, provider has ${this.config.maxQubits}`);
    const outcomes = circuit.terminalMeasurement ? sampleTerminal(circuit, shots, rng) : simulateEachShot(circuit, shots, rng);
    const counts = new Map<string, number>();
    for (const bits of outcomes) counts.set(bits, (counts.get(bits) ?? 0) + 1);
    const sorted = [...counts.keys()].sort().map((bitstring) => ({ bitstring, count: counts.get(bitstring) ?? 0 }));
    return { counts: sorted, per_shot: perShot ? outcomes : null };
  }
}

function sampleTerminal(circuit: CompiledCircuit, shots: number, rng: Xoshiro128StarStar): string[] {
  const sv = new StateVector(circuit.qubits);
  const measures: { qubit: number; clbit: number }[] = [];
  for (const op of circuit.ops) {
    if (op.kind === "gate") sv.apply(op.action, op.qubits);
    else if (op.kind === "measure") measures.push({ qubit: op.qubit, clbit: op.clbit });
  }
  const basis = sv.sample(shots, rng);
  const memo = new Map<number, string>();
  const bits = new Uint8Array(circuit.clbits);
  const out: string[] = new Array<string>(shots);
  for (let s = 0; s < shots; s++) {
    const index = basis[s] as number;
    let text = memo.get(index);
    if (text === undefined) {
      bits.fill(0);
      for (const m of measures) bits[m.clbit] = (index >>> m.qubit) & 1;
      text = formatBits(bits, circuit.cregs);
      memo.set(index, text);
    }
    out[s] = text;
  }
  return out;
}

function simulateEachShot(circuit: CompiledCircuit, shots: number, rng: Xoshiro128StarStar): string[] {
  // The unitary prefix is the same for every shot: simulate it once.
  let split = 0;
  while (split < circuit.ops.length) {
    const kind = (circuit.ops[split] as Op).kind;
    if (kind !== "gate" && kind !== "barrier") break;
    split++;
  }
  const prefix = new StateVector(circuit.qubits);
  for (const op of circuit.ops.slice(0, split)) if (op.kind === "gate") prefix.apply(op.action, op.qubits);
  const rest = circuit.ops.slice(split);
  const sv = new StateVector(circuit.qubits);
  const bits = new Uint8Array(circuit.clbits);
  const out: string[] = new Array<string>(shots);
  for (let s = 0; s < shots; s++) {
    sv.copyFrom(prefix);
    bits.fill(0);
    for (const op of rest) run(op, sv, bits, rng);
    out[s] = formatBits(bits, circuit.cregs);
  }
  return out;
}

function run(op: Op, sv: StateVector, bits: Uint8Array, rng: Xoshiro128StarStar): void {
  switch (op.kind) {
    case "gate":
      sv.apply(op.action, op.qubits);
      return;
    case "measure":
      bits[op.clbit] = sv.measure(op.qubit, rng.nextDouble());
      return;
    case "reset":
      sv.reset(op.qubit, rng.nextDouble());
      return;
    case "barrier":
      return;
    case "cond": {
      let value = 0;
      for (let k = op.size - 1; k >= 0; k--) value = value * 2 + (bits[op.offset + k] as number);
      if (value === op.value) for (const inner of op.ops) run(inner, sv, bits, rng);
      return;
    }
  }
}
