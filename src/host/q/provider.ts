/**
 * The embedded Q-hardware provider (XDV-060): compiles OpenQASM 2.0, runs it on the
 * state-vector simulator and reports measurement outcomes only.
 *
 * Gates run as fused passes (plan.ts). Shots share the simulation until a mid-circuit
 * measurement splits them into branches; where only gates and final measurements remain, a
 * branch's shots are drawn from its distribution at once (see `runShots`).
 * Every random draw comes from the stream handed in, so a (seed, job) pair fixes the counts.
 */
import { freemem } from "node:os";
import type { BitstringCount } from "#runtime/abi.js";
import type { Xoshiro128StarStar } from "../random/prng.js";
import { supportedGateNames } from "./gates.js";
import { passQubits, planGates, runPasses, type GateOp, type Pass } from "./plan.js";
import { compileQasm, formatBits, type CompiledCircuit, type Op } from "./qasm-compile.js";
import { QasmError } from "./qasm-lexer.js";
import { BYTES_PER_AMPLITUDE, MAX_SIMULATED_QUBITS, StateVector } from "./statevector.js";

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

/**
 * The widest state that fits in half of `freeBytes` (by default the machine's free memory
 * now), capped at MAX_SIMULATED_QUBITS: 2^n amplitudes of 16 bytes each. The provider takes
 * this as its limit when none is configured, and records it in the trace header, so a replay
 * on another machine runs under the recorded limit.
 */
export function defaultMaxQubits(freeBytes: number = freemem()): number {
  const budget = freeBytes / 2;
  let n = 0;
  while (n < MAX_SIMULATED_QUBITS && 2 ** (n + 1) * BYTES_PER_AMPLITUDE <= budget) n++;
  return n;
}

export const DEFAULT_Q_CONFIG: Omit<QProviderConfig, "maxQubits"> = {
  providerId: "embedded-statevector",
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
    const maxQubits = Math.min(MAX_SIMULATED_QUBITS, config.maxQubits ?? defaultMaxQubits());
    this.config = { ...DEFAULT_Q_CONFIG, ...config, maxQubits };
  }

  /**
   * Why this provider cannot run a compiled circuit at all, or null. A circuit simulated shot
   * by shot (mid-circuit measurement, reset, `if`) holds two states at once, so it may be one
   * qubit narrower than the provider's limit, which is sized for one state.
   */
  capacityProblem(circuit: CompiledCircuit): string | null {
    if (circuit.qubits > this.config.maxQubits) return `circuit needs ${circuit.qubits} qubits, the provider simulates at most ${this.config.maxQubits}`;
    if (!circuit.terminalMeasurement && circuit.qubits > this.config.maxQubits - 1) {
      return `circuit measures, resets or branches mid-circuit, which needs two ${circuit.qubits}-qubit states; the provider holds two states of at most ${this.config.maxQubits - 1} qubits`;
    }
    return null;
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
      // The front end bounds every recursion, so this is a bug; still the program's job fails
      // with a located error rather than the run dying with the host's stack overflow.
      if (e instanceof RangeError && /call stack/i.test(e.message)) {
        return { ok: false, line: 1, column: 1, message: "circuit too deeply nested for the OpenQASM front end", category: "circuit-invalid" };
      }
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
    const outcomes = runShots(circuit, shots, rng);
    const counts = new Map<string, number>();
    for (const bits of outcomes) counts.set(bits, (counts.get(bits) ?? 0) + 1);
    const sorted = [...counts.keys()].sort().map((bitstring) => ({ bitstring, count: counts.get(bitstring) ?? 0 }));
    return { counts: sorted, per_shot: perShot ? outcomes : null };
  }
}

/** Measurement histories `exactDistribution` follows at most; each may hold a copy of the state. */
const MAX_EXACT_BRANCHES = 4096;

/**
 * The exact probability of every classical outcome of a circuit (bitstrings as the counts
 * print them), following both outcomes of every mid-circuit measurement and reset. Used to
 * judge sampled counts and to tell possible outcomes from impossible ones; exponential in
 * the mid-circuit measurements, so it refuses past MAX_EXACT_BRANCHES histories.
 */
export function exactDistribution(circuit: CompiledCircuit): Map<string, number> {
  const steps = lower(circuit.ops);
  const terminal = terminalSuffixes(steps);
  const out = new Map<string, number>();
  let branches = 1;
  const add = (bits: Uint8Array, p: number): void => {
    const key = formatBits(bits, circuit.cregs);
    out.set(key, (out.get(key) ?? 0) + p);
  };
  const walk = (sv: StateVector, from: number, bits: Uint8Array, weight: number): void => {
    let k = from;
    while (k < steps.length && !terminal[k]) {
      const s = steps[k] as Step;
      if (s.kind === "passes") {
        runPasses(sv, s.passes);
        k++;
      } else if (s.kind === "cond") {
        k += holds(s, bits) ? 1 : s.skip + 1;
      } else {
        const { p0, p1 } = sv.outcomeProbabilities(s.qubit);
        const settle = (state: StateVector, outcome: 0 | 1, b: Uint8Array): void => {
          state.collapse(s.qubit, outcome, outcome === 1 ? p1 : p0);
          if (s.kind === "measure") b[s.clbit] = outcome;
          else if (outcome === 1) state.flipToZero(s.qubit);
        };
        if (p0 > 0 && p1 > 0) {
          if (++branches > MAX_EXACT_BRANCHES) throw new RangeError(`more than ${MAX_EXACT_BRANCHES} measurement histories`);
          const child = new StateVector(sv.qubits);
          child.copyFrom(sv);
          const b = bits.slice();
          settle(child, 0, b);
          walk(child, k + 1, b, weight * p0);
          settle(sv, 1, bits);
          weight *= p1;
        } else {
          settle(sv, p1 > 0 ? 1 : 0, bits);
        }
        k++;
      }
    }
    const measures: { qubit: number; clbit: number }[] = [];
    for (; k < steps.length; k++) {
      const s = steps[k] as Step;
      if (s.kind === "passes") runPasses(sv, s.passes);
      else if (s.kind === "measure") measures.push(s);
    }
    if (measures.length === 0) {
      add(bits, weight);
      return;
    }
    const probabilities = sv.basisProbabilities();
    probabilities.forEach((p, index) => {
      if (p === 0) return;
      const b = bits.slice();
      for (const m of measures) b[m.clbit] = (index >>> m.qubit) & 1;
      add(b, weight * p);
    });
  };
  walk(new StateVector(circuit.qubits), 0, new Uint8Array(circuit.clbits), 1);
  return out;
}

/**
 * A job whose state stopped being normalised: the simulator (not the circuit) went wrong,
 * and the job fails rather than return outcomes drawn from garbage.
 */
export class QSimulationFault extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QSimulationFault";
  }
}

/** Rounding over a billion amplitudes stays far inside this; a NaN or a lost amplitude does not. */
const NORM_TOLERANCE = 1e-6;

function checkNorm(total: number, where: string): void {
  if (!(Math.abs(total - 1) <= NORM_TOLERANCE)) {
    throw new QSimulationFault(`the simulated state is not normalised ${where} (Σ|a|² = ${total}); the job is refused rather than sampled`);
  }
}

/** The circuit as the executor walks it: fused gate passes, measurements, resets, jumps. */
type Step =
  | { readonly kind: "passes"; readonly passes: readonly Pass[] }
  | { readonly kind: "measure"; readonly qubit: number; readonly clbit: number }
  | { readonly kind: "reset"; readonly qubit: number }
  /** `if`: when the register's bits differ from `expected`, skip the next `skip` steps. */
  | { readonly kind: "cond"; readonly offset: number; readonly expected: Uint8Array; readonly skip: number };

function lower(ops: readonly Op[]): Step[] {
  const steps: Step[] = [];
  let gates: GateOp[] = [];
  const flush = (): void => {
    if (gates.length > 0) steps.push({ kind: "passes", passes: planGates(gates) });
    gates = [];
  };
  for (const op of ops) {
    switch (op.kind) {
      case "gate":
        gates.push(op);
        break;
      case "barrier":
        break;
      case "measure":
        flush();
        steps.push({ kind: "measure", qubit: op.qubit, clbit: op.clbit });
        break;
      case "reset":
        flush();
        steps.push({ kind: "reset", qubit: op.qubit });
        break;
      case "cond": {
        flush();
        const body = lower(op.ops);
        const expected = Uint8Array.from({ length: op.size }, (_, b) => Number((op.value >> BigInt(b)) & 1n));
        steps.push({ kind: "cond", offset: op.offset, expected, skip: body.length }, ...body);
        break;
      }
    }
  }
  flush();
  return steps;
}

function holds(cond: Extract<Step, { kind: "cond" }>, bits: Uint8Array): boolean {
  for (let b = 0; b < cond.expected.length; b++) if (bits[cond.offset + b] !== cond.expected[b]) return false;
  return true;
}

/** terminal[k]: from step k on there are only gates and final measurements, so shots can be sampled. */
function terminalSuffixes(steps: readonly Step[]): boolean[] {
  const out = new Array<boolean>(steps.length + 1).fill(false);
  out[steps.length] = true;
  const measuredLater = new Set<number>();
  for (let k = steps.length - 1; k >= 0; k--) {
    const s = steps[k] as Step;
    if (s.kind === "cond" || s.kind === "reset") break;
    if (s.kind === "measure") {
      if (measuredLater.has(s.qubit)) break;
      measuredLater.add(s.qubit);
    } else if (s.passes.some((p) => passQubits(p).some((q) => measuredLater.has(q)))) {
      break;
    }
    out[k] = true;
  }
  return out;
}


/** Live copies of the state the branching executor may hold, in bytes. */
const BRANCH_MEMORY = 256 * 2 ** 20;

/**
 * Runs every shot. Shots share the simulation until a measurement (or reset) splits them:
 * each outcome's shots go on from their own collapsed copy, so the work grows with the
 * number of distinct measurement histories, not with the shots. Where only gates and final
 * measurements remain, a branch's shots are drawn from its distribution at once. When the
 * copies would exceed `BRANCH_MEMORY`, a branch's shots are finished one at a time instead.
 * Draws come from `rng` in a fixed depth-first order, so a seed fixes every outcome.
 */
function runShots(circuit: CompiledCircuit, shots: number, rng: Xoshiro128StarStar): string[] {
  const steps = lower(circuit.ops);
  const terminal = terminalSuffixes(steps);
  const out: string[] = new Array<string>(shots);
  const stateBytes = 2 ** circuit.qubits * BYTES_PER_AMPLITUDE;
  // Wide states get no copies: their shots finish one at a time on one scratch state, which
  // keeps a job within the two states `capacityProblem` allows.
  let copiesLeft = Math.floor(BRANCH_MEMORY / stateBytes);
  let scratch: StateVector | null = null;
  const memo = new Map<string, string>();

  const finish = (sv: StateVector, from: number, group: Uint32Array, bits: Uint8Array): void => {
    const measures: { qubit: number; clbit: number }[] = [];
    for (let k = from; k < steps.length; k++) {
      const s = steps[k] as Step;
      if (s.kind === "passes") runPasses(sv, s.passes);
      else if (s.kind === "measure") measures.push(s);
    }
    if (measures.length === 0) {
      checkNorm(sv.normSquared(), "at the end of the circuit");
      const text = formatBits(bits, circuit.cregs);
      for (const shot of group) out[shot] = text;
      return;
    }
    checkNorm(sv.normSquared(), "before sampling");
    const basis = sv.sample(group.length, rng);
    const prefix = bits.join("");
    for (let g = 0; g < group.length; g++) {
      const index = basis[g] as number;
      const key = `${prefix}:${index}`;
      let text = memo.get(key);
      if (text === undefined) {
        const b = bits.slice();
        for (const m of measures) b[m.clbit] = (index >>> m.qubit) & 1;
        text = formatBits(b, circuit.cregs);
        memo.set(key, text);
      }
      out[group[g] as number] = text;
    }
  };

  const walk = (sv: StateVector, from: number, group: Uint32Array, bits: Uint8Array): void => {
    let k = from;
    while (k < steps.length && !terminal[k]) {
      const s = steps[k] as Step;
      if (s.kind === "passes") {
        runPasses(sv, s.passes);
        k++;
        continue;
      }
      if (s.kind === "cond") {
        k += holds(s, bits) ? 1 : s.skip + 1;
        continue;
      }
      const { p0, p1 } = sv.outcomeProbabilities(s.qubit);
      checkNorm(p0 + p1, `at the measurement of qubit ${s.qubit}`);
      const ones: number[] = [];
      const zeros: number[] = [];
      for (const shot of group) (rng.nextDouble() * (p0 + p1) < p1 ? ones : zeros).push(shot);
      const settle = (state: StateVector, outcome: 0 | 1, b: Uint8Array): void => {
        state.collapse(s.qubit, outcome, outcome === 1 ? p1 : p0);
        if (s.kind === "measure") b[s.clbit] = outcome;
        else if (outcome === 1) state.flipToZero(s.qubit);
      };
      if (zeros.length > 0 && ones.length > 0) {
        const zeroGroup = Uint32Array.from(zeros);
        if (copiesLeft > 0) {
          copiesLeft--;
          const child = new StateVector(sv.qubits);
          child.copyFrom(sv);
          const b = bits.slice();
          settle(child, 0, b);
          walk(child, k + 1, zeroGroup, b);
          copiesLeft++;
        } else {
          // Out of copies: finish the zero branch one shot at a time on a single scratch state.
          for (const shot of zeroGroup) {
            scratch ??= new StateVector(sv.qubits);
            scratch.copyFrom(sv);
            const b = bits.slice();
            settle(scratch, 0, b);
            walk(scratch, k + 1, Uint32Array.of(shot), b);
          }
        }
        group = Uint32Array.from(ones);
        settle(sv, 1, bits);
      } else {
        settle(sv, ones.length > 0 ? 1 : 0, bits);
      }
      k++;
    }
    finish(sv, k, group, bits);
  };

  walk(new StateVector(circuit.qubits), 0, Uint32Array.from({ length: shots }, (_, s) => s), new Uint8Array(circuit.clbits));
  return out;
}
