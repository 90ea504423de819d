/**
 * Where physical outcomes come from. The kernel makes every orchestration decision itself
 * (validation, budgets, windows, ordering) and asks an oracle only for what hardware would
 * decide: measurement outcomes, stability readings, Φ projections.
 *
 * Recording runs use `LiveOracle` (the providers and the seeded streams); replay uses
 * `ReplayOracle` (trace/replay.ts), which reads the same answers back from the trace. That
 * swap is the whole difference between the two modes (XDV-081 §9.2: no code path changes).
 */
import type { BitstringCount, ErrorCode, FaultReason } from "#runtime/abi.js";
import type { Metadata } from "../trace/trace-chain.js";
import type { PhiProjection, PhiProvider, PhiReading, EnvelopeWindow } from "../phi/provider.js";
import type { QProvider } from "../q/provider.js";
import type { CompiledCircuit } from "../q/qasm-compile.js";
import type { SeedKeys } from "../random/prng.js";

export interface QJobRun {
  readonly job_id: bigint;
  readonly contract_id: bigint;
  /** The OpenQASM text, for an oracle that runs the job elsewhere. */
  readonly source: string;
  readonly circuit: CompiledCircuit;
  readonly shots: number;
  readonly per_shot: boolean;
}

export interface QJobOutcome {
  readonly counts: readonly BitstringCount[];
  readonly per_shot: readonly string[] | null;
  /** Where and at which cluster revision a remote job ran; recorded as `q_result.remote`. */
  readonly remote?: Metadata;
}

/** Why the remote side refused or could not serve; the kernel records it as a fault. */
export interface RemoteFault {
  readonly fault: { readonly code: ErrorCode; readonly reason: FaultReason; readonly message: string; readonly details: Readonly<Record<string, string | number | boolean>> };
}

export interface QContractPlacement {
  readonly contract_id: bigint;
  readonly pid: bigint;
  readonly tenant: bigint;
  readonly qubits: number;
  readonly logical_ts: bigint;
}

export interface PhiContractPlacement {
  readonly contract_id: bigint;
  readonly envelope_id: bigint;
  readonly pid: bigint;
  readonly tenant: bigint;
  readonly logical_ts: bigint;
}

/** A Φ answer, with where it was computed when that was another node (`remote` metadata). */
export type PhiReadingOutcome = PhiReading & { readonly remote?: Metadata };
export type PhiProjectionOutcome = PhiProjection & { readonly remote?: Metadata };

/**
 * The embedded oracles answer locally and implement none of the optional members, so a run
 * without a cluster records exactly what it always did. A cluster oracle places Q contracts
 * on the node that serves them and runs jobs there; the replay oracle reads both back from
 * the trace (`remote` metadata, or the recorded fault), so replay needs no cluster.
 */
export interface DomainOracle {
  /** Before a Q contract is recorded: where it lives (null: here), or why it cannot exist. */
  placeQContract?(request: QContractPlacement): { readonly remote: Metadata | null } | RemoteFault;
  /** Before a Φ contract is recorded and its envelope opened: where the envelope lives. */
  placePhiContract?(request: PhiContractPlacement): { readonly remote: Metadata | null } | RemoteFault;
  /** A contract given back: the remote release, recorded as `contract_release.remote`. */
  releaseContract?(contractId: bigint, cause: string): Metadata | null;
  runQJob(job: QJobRun): QJobOutcome | RemoteFault;
  openEnvelope(envelopeId: bigint): void;
  closeEnvelope(envelopeId: bigint): void;
  probePhi(window: EnvelopeWindow, at: bigint): PhiReadingOutcome | RemoteFault;
  applyPhi(envelopeId: bigint, transformId: number, reading: PhiReading): PhiProjectionOutcome | RemoteFault;
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
