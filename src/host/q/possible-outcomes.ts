/**
 * Which measurement records a circuit can produce at all. Replay uses it to refuse a
 * recorded Q result that no run of the circuit could have given (a Bell pair measuring
 * `01`), whatever the trace's hash chain says.
 *
 * The check follows the circuit's own semantics on the simulator: gates are applied
 * exactly, and at every measurement or reset each outcome whose probability is above
 * rounding noise is explored, on a copy of the state collapsed to that outcome. Branches
 * whose classical bits can no longer end as the recorded bitstring are cut at the last
 * measurement that writes each bit, so a terminal-measurement circuit costs one collapse
 * per measured qubit. Exploration has a work bound; past it the answer is "unknown".
 */
import { formatBits, type CompiledCircuit, type Op, type Register } from "./qasm-compile.js";
import { runPasses, unfusedPasses } from "./plan.js";
import { StateVector } from "./statevector.js";

/** A branch below this probability is floating-point residue of the simulation, not an outcome. */
const EPSILON = 1e-9;

/** Amplitude updates the exploration may spend per job before it answers "unknown". */
const WORK_BOUND = 1 << 26;

export type Possibility = "possible" | "impossible" | "unknown";

/** The classical bits a recorded bitstring stands for, or null when it has the wrong shape. */
export function parseBitstring(text: string, cregs: readonly Register[], clbits: number): Uint8Array | null {
  const parts = text.split(" ");
  if (parts.length !== cregs.length) return null;
  const bits = new Uint8Array(clbits);
  for (let r = 0; r < cregs.length; r++) {
    const reg = cregs[cregs.length - 1 - r] as Register;
    const part = parts[r] as string;
    if (part.length !== reg.size || !/^[01]*$/.test(part)) return null;
    for (let k = 0; k < reg.size; k++) bits[reg.offset + k] = part[reg.size - 1 - k] === "1" ? 1 : 0;
  }
  return formatBits(bits, cregs) === text ? bits : null;
}

interface Step {
  readonly op: Exclude<Op, { kind: "cond" }>;
  readonly cond: { readonly offset: number; readonly size: number; readonly value: bigint } | null;
  /** A measurement no later step overwrites: its outcome must be the recorded bit. */
  readonly final: boolean;
}

function steps(circuit: CompiledCircuit): Step[] {
  const flat: { op: Exclude<Op, { kind: "cond" }>; cond: Step["cond"] }[] = [];
  for (const op of circuit.ops) {
    if (op.kind === "cond") {
      for (const inner of op.ops) if (inner.kind !== "cond") flat.push({ op: inner, cond: { offset: op.offset, size: op.size, value: op.value } });
    } else flat.push({ op, cond: null });
  }
  const written = new Set<number>();
  const out: Step[] = new Array<Step>(flat.length);
  for (let i = flat.length - 1; i >= 0; i--) {
    const s = flat[i]!;
    const final = s.op.kind === "measure" && !written.has(s.op.clbit);
    if (s.op.kind === "measure") written.add(s.op.clbit);
    out[i] = { ...s, final };
  }
  return out;
}

function condHolds(bits: Uint8Array, cond: NonNullable<Step["cond"]>): boolean {
  let value = 0n;
  for (let k = cond.size - 1; k >= 0; k--) value = value * 2n + BigInt(bits[cond.offset + k] as number);
  return value === cond.value;
}

/** Whether `circuit` can end with exactly the classical bits `target`. */
export function outcomePossible(circuit: CompiledCircuit, target: Uint8Array): Possibility {
  if (circuit.qubits > 24) return "unknown";
  const plan = steps(circuit);
  const size = 2 ** circuit.qubits;
  let work = 0;
  let unknown = false;
  const explore = (sv: StateVector, bits: Uint8Array, from: number): boolean => {
    for (let i = from; i < plan.length; i++) {
      const { op, cond, final } = plan[i]!;
      if (cond && !condHolds(bits, cond)) continue;
      if (op.kind === "barrier") continue;
      if (op.kind === "gate") {
        runPasses(sv, unfusedPasses([{ action: op.action, qubits: op.qubits }]));
        work += size;
        continue;
      }
      for (const outcome of [0, 1] as const) {
        if (op.kind === "measure" && final && target[op.clbit] !== outcome) continue;
        work += 3 * size;
        if (work > WORK_BOUND) {
          unknown = true;
          return false;
        }
        const { p0, p1 } = sv.outcomeProbabilities(op.qubit);
        const p = outcome === 1 ? p1 : p0;
        if (!(p > EPSILON)) continue;
        const branch = new StateVector(circuit.qubits);
        branch.copyFrom(sv);
        branch.collapse(op.qubit, outcome, p);
        const next = bits.slice();
        if (op.kind === "measure") next[op.clbit] = outcome;
        else if (outcome === 1) branch.flipToZero(op.qubit);
        if (explore(branch, next, i + 1)) return true;
      }
      return false;
    }
    return bits.every((b, k) => b === target[k]);
  };
  const found = explore(new StateVector(circuit.qubits), new Uint8Array(circuit.clbits), 0);
  return found ? "possible" : unknown ? "unknown" : "impossible";
}
