/**
 * Where physical outcomes come from. The kernel makes every orchestration decision itself
 * (validation, budgets, windows, ordering) and asks an oracle only for what hardware would
 * decide: measurement outcomes, stability readings, Φ projections.
 *
 * Recording runs use `LiveOracle` (the providers and the seeded streams); replay uses
 * `ReplayOracle` (trace/replay.ts), which reads the same answers back from the trace. That
 * swap is the whole difference between the two modes (XDV-081 §9.2: no code path changes).
 */
import type { BitstringCount } from "#runtime/abi.js";
import type { PhiProjection, PhiProvider, PhiReading, EnvelopeWindow } from "../phi/provider.js";
import type { QProvider } from "../q/provider.js";
import type { CompiledCircuit } from "../q/qasm-compile.js";
import type { SeedKeys } from "../random/prng.js";

export interface QJobRun {
  readonly job_id: bigint;
  readonly circuit: CompiledCircuit;
  readonly shots: number;
  readonly per_shot: boolean;
}

export interface QJobOutcome {
  readonly counts: readonly BitstringCount[];
  readonly per_shot: readonly string[] | null;
}

export interface DomainOracle {
  runQJob(job: QJobRun): QJobOutcome;
  openEnvelope(envelopeId: bigint): void;
  closeEnvelope(envelopeId: bigint): void;
  probePhi(window: EnvelopeWindow, at: bigint): PhiReading;
  applyPhi(envelopeId: bigint, transformId: number, reading: PhiReading): PhiProjection;
}

export class LiveOracle implements DomainOracle {
  constructor(
    readonly keys: SeedKeys,
    readonly q: QProvider,
    readonly phi: PhiProvider,
  ) {}

  runQJob(job: QJobRun): QJobOutcome {
    // One stream per job id: a job's counts do not depend on how many shots came before.
    return this.q.execute(job.circuit, job.shots, this.keys.stream("q-job", job.job_id), job.per_shot);
  }

  openEnvelope(envelopeId: bigint): void {
    this.phi.open(envelopeId);
  }

  closeEnvelope(envelopeId: bigint): void {
    this.phi.close(envelopeId);
  }

  probePhi(window: EnvelopeWindow, at: bigint): PhiReading {
    return this.phi.probe(window, at);
  }

  applyPhi(envelopeId: bigint, transformId: number, reading: PhiReading): PhiProjection {
    return this.phi.transform(envelopeId, transformId, reading);
  }
}
