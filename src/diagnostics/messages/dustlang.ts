/**
 * The dustlang v0.1 rules (semantic/dustlang.ts): regime effects (DPL3010), witnesses
 * (DPL3011, DPL3012), linear Q processes (DPL3013), linear values never consumed (DPL4010)
 * and binding contracts that cannot hold (DPL5010). A linear value used twice is DPL4002
 * (ownership.ts, `Moves`); a `bind` naming no process is DPL2001 (unresolved.ts).
 */
import type { Message } from "./message.js";

/** The code of a linear value never consumed (which is then not also an unused binding). */
export const LINEAR_NEVER_CONSUMED = "DPL4010";

export const Dustlang = {
  /** DPL3010; `effect`: the statement's keyword (`emit`, `seal`, ...); `regime`: `Q` or `Φ`. */
  effectInRegime: (effect: string, regime: string): Message => ({
    code: "DPL3010",
    message: `\`${effect}\` in a ${regime} process: ${regime === "Q" ? "a Q process may only `observe` (measure) its state" : "a Φ process performs no effects except sealing a proven witness"}`,
    help: regime === "Q" ? "return the value, and emit it from the K process bound to this one" : "return the value, and perform the effect in the K process bound to this one",
  }),
  proveOutsidePhi: (regime: string): Message => ({
    code: "DPL3011",
    message: `\`prove\` in a ${regime} process: witnesses are constructed by Φ processes`,
    help: "move the constraint and its witness into a `proc Φ::..` and bind it to this process",
  }),
  /** DPL3012; `name`: the sealed operand when it is a plain name. */
  sealOfNonWitness: (name: string | null): Message => ({
    code: "DPL3012",
    message: `\`seal\` in a Φ process of ${name ? `\`${name}\`, which is not a witness proven before it` : "a value that is not a witness"}`,
    help: "seal the witness of a `prove w from ..;` that comes before the `seal`",
  }),
  qProcessNotLinear: (proc: string): Message => ({
    code: "DPL3013",
    message: `Q process \`${proc}\` is not declared \`linear\``,
    help: "every Q process is linear in v0.1 (spec §4.4.3): add `linear` after its return type",
  }),
  linearNeverConsumed: (name: string, proc: string): Message => ({
    code: LINEAR_NEVER_CONSUMED,
    message: `linear value \`${name}\` is never consumed: it is dropped at the end of \`${proc}\``,
    help: "use it exactly once: return it, pass it to a process, or `observe` it",
  }),
  // DPL5010's reasons (the `why` of `contractCannotHold`) and its related labels.
  crossingTakesTime: (): string => "a crossing takes at least 1 µs",
  targetPerformsEffect: (target: string): string => `the target \`${target}\` performs an effect`,
  effectHere: (effect: string): string => `\`${effect}\` here`,
  qEndNotLinear: (proc: string): string => `\`${proc}\` is not declared \`linear\``,
  noWitnessProven: (): string => "no Φ process of the binding proves a witness",
  noProveIn: (proc: string): string => `\`${proc}\` has no \`prove\``,
  /** DPL5010; `clause` as written (`latency_us < 1`), `why` the reason it cannot hold (one of the above). */
  contractCannotHold: (clause: string, source: string, target: string, why: string): Message => ({
    code: "DPL5010",
    message: `contract clause \`${clause}\` of \`bind ${source} -> ${target}\` cannot hold: ${why}`,
    help: "relax the clause, or change the processes so that it holds",
  }),
} as const;
