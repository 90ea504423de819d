/**
 * The Hybrid Runtime ABI (XDV-052) as emitted TypeScript sees it.
 *
 * Everything a compiled DPL program can do to the outside world goes through one object
 * implementing `HybridAbi`. `dplc run` hands the program the embedded deterministic kernel
 * (`createKernel` in ./index.ts); `--replay` hands it the replay kernel
 * (`createReplayKernel`); a user may hand it any other implementation (a remote node, real
 * hardware) without recompiling, because emitted code depends on this file only.
 *
 * Binding guide for the emitter and the runtime stdlib (XDV-081 in DPL):
 *
 *  - `xdv_call(K, Q, job.ptr(), cap.raw())` lowers to
 *    `abi.xdvCall("K", "Q", job, cap)` where `job` is the DPL struct value as a plain
 *    record (field names as in DPL, snake_case) and `cap` the raw 64-bit id as `bigint`.
 *    The DPL domain values `K`, `Q`, `Φ`/`Phi` map to the strings "K", "Q", "Φ"
 *    (`domainTag` accepts both spellings). `descriptor.ptr()` is the record itself:
 *    there is no classical address space to point into.
 *  - `syscall(SYS_X, args.ptr())` lowers to `abi.syscall(SYS.X, args)`; the result is the
 *    u64 of XDV-052 §3.2 wrapped in `Result`. Each syscall is also available as a typed
 *    named operation (`SYS.LOG` is `kLog`, and so on, see `SYSCALL_TABLE`); host stubs of
 *    the stdlib (bodiless `fn ... { ... }`) should bind to the named operations.
 *  - DPL `Result<T, ErrorCode>` corresponds to `Result<T>` below: `Ok(v)` is
 *    `{ ok: true, value: v }`, `Err(ErrorCode::X)` is `{ ok: false, code: "X", fault }`,
 *    where `fault` carries the structured reason (never needed to reproduce DPL semantics,
 *    always useful in diagnostics). DPL `Option<T>` is `T | null`; `()` is `undefined`;
 *    `Vec<T>` is an array; a unit enum variant is its name. The bridge
 *    (`packages/runtime/src/marshal.ts`) converts both ways, so an implementation of this
 *    interface sees plain records and never a DPL runtime value.
 *  - u64/i64/u128 values and every id are `bigint`; u32/i32 fields are `number`.
 *  - Domain failures are returned, never thrown. The single exception the ABI throws is
 *    `HostHalt`: the run must stop (a replay diverged from its trace). Emitted code must
 *    not catch it; the runner turns it into a diagnostic and exit status 1.
 *  - The interface is synchronous because DPL has no asynchrony: a remote implementation
 *    must block (a worker thread with `Atomics.wait`) or run the program in a worker.
 *
 * Q results are measurement counts and per-shot bitstrings; Φ results are integer K
 * records. Nothing reachable from this interface holds an amplitude or a phase (XDV-052
 * §4.2, §4.3, §11).
 */

export const ABI_VERSION = 1;

/** Feature flags of XDV-052 §9, reported in the trace header so replays can reject a mismatch. */
export const ABI_FEATURES: readonly string[] = ["q-openqasm2", "phi-windows", "ipc-k", "replay", "telemetry"];

export type DomainTag = "K" | "Q" | "Φ";
export const DOMAINS: readonly DomainTag[] = ["K", "Q", "Φ"];

/** Accepts the DPL spellings of a domain, including the ASCII alias `Phi`. */
export function domainTag(name: string): DomainTag | undefined {
  switch (name) {
    case "K":
      return "K";
    case "Q":
      return "Q";
    case "Φ":
    case "Phi":
      return "Φ";
    default:
      return undefined;
  }
}

/** XDV-052 §8, in the order the spec lists them. */
export const ERROR_CODES = [
  "DOMAIN_UNAUTHORIZED",
  "CONTRACT_INVALID",
  "RESOURCE_EXHAUSTED",
  "DECOHERENCE_EXCEEDED",
  "COHERENCE_VIOLATION",
  "DOMAIN_PANIC",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Stable numeric form for channels that carry only a u64 (a DPL `ErrorCode as u64`, or a
 * remote node's wire format). Published once; never renumbered (XDV-052 §8).
 */
export const ERROR_CODE_NUMBER: Readonly<Record<ErrorCode, bigint>> = {
  DOMAIN_UNAUTHORIZED: 1n,
  CONTRACT_INVALID: 2n,
  RESOURCE_EXHAUSTED: 3n,
  DECOHERENCE_EXCEEDED: 4n,
  COHERENCE_VIOLATION: 5n,
  DOMAIN_PANIC: 6n,
};

/**
 * Why a call failed, finer than its ErrorCode. Stable identifiers: tests, telemetry and the
 * trace refer to them. Each reason always comes with the same code:
 *
 *   DOMAIN_UNAUTHORIZED   capability-*, source-not-k, process-not-active, process-unknown,
 *                         process-cross-tenant, domain-not-bound, ipc-route-forbidden,
 *                         node-cross-tenant
 *   CONTRACT_INVALID      contract-*, window-invalid, node-unreachable, remote-refused
 *   RESOURCE_EXHAUSTED    (also) cluster-pool-exhausted, no-eligible-node
 *   RESOURCE_EXHAUSTED    budget-contracts, budget-qubits, budget-shots, budget-transforms,
 *                         provider-capacity, window-unavailable, ipc-receiver-unavailable (queue full)
 *   DECOHERENCE_EXCEEDED  budget-decoherence
 *   COHERENCE_VIOLATION   window-outside, stability-breach
 *   DOMAIN_PANIC          illegal-transition, circuit-invalid, gate-unsupported, simulation-invalid,
 *                         transform-unsupported, descriptor-malformed, syscall-unknown,
 *                         target-not-domain, ipc-receiver-unavailable (terminated receiver)
 */
export type FaultReason =
  | "simulation-invalid"
  | "capability-unknown"
  | "capability-revoked"
  | "capability-wrong-tenant"
  | "capability-wrong-process"
  | "capability-wrong-domain"
  | "source-not-k"
  | "target-not-domain"
  | "process-not-active"
  | "process-unknown"
  | "process-cross-tenant"
  | "domain-not-bound"
  | "illegal-transition"
  | "contract-unknown"
  | "contract-wrong-owner"
  | "contract-wrong-domain"
  | "contract-expired"
  | "contract-invalidated"
  | "contract-released"
  | "budget-contracts"
  | "budget-qubits"
  | "budget-shots"
  | "budget-transforms"
  | "budget-decoherence"
  | "provider-capacity"
  | "window-unavailable"
  | "window-outside"
  | "window-invalid"
  | "stability-breach"
  | "circuit-invalid"
  | "gate-unsupported"
  | "transform-unsupported"
  | "descriptor-malformed"
  | "syscall-unknown"
  | "ipc-route-forbidden"
  | "ipc-receiver-unavailable"
  // Distributed execution (XDV-081 §11): the remote side of a call or a contract.
  | "node-unreachable"
  | "node-cross-tenant"
  | "cluster-pool-exhausted"
  | "no-eligible-node"
  | "remote-refused"
  | "epoch-barrier-timeout";

export type FaultDetail = string | number | boolean | bigint;

export interface AbiFault {
  readonly reason: FaultReason;
  readonly message: string;
  /** Extra structured facts, e.g. `line`/`column` of a bad OpenQASM statement. */
  readonly details: Readonly<Record<string, FaultDetail>>;
  /** The trace entry that recorded this fault. */
  readonly event_id: bigint;
  readonly logical_ts: bigint;
}

export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}
export interface Err {
  readonly ok: false;
  readonly code: ErrorCode;
  readonly fault: AbiFault;
}
export type Result<T> = Ok<T> | Err;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

/** XDV-081 §4.2; Suspended ⇄ Active, and any live state may terminate. */
export type LifecycleState = "Created" | "Initialized" | "DomainBound" | "Active" | "Suspended" | "Terminated";

export interface ProcessInfo {
  readonly pid: bigint;
  readonly vhm_id: bigint;
  readonly tenant_id: bigint;
  readonly parent: bigint | null;
  readonly state: LifecycleState;
  /** Domains the process bound on entering DomainBound; K is always bound. */
  readonly domains: readonly DomainTag[];
}

/** XDV-081 §7.1. */
export interface CapabilityHandle {
  readonly raw_id: bigint;
  readonly domain: DomainTag;
}

/** XDV-081 §6. */
export interface ResourceContractHandle {
  readonly id: bigint;
  readonly domain: DomainTag;
  readonly valid: boolean;
}

export type ContractState = "Active" | "Expired" | "Invalidated" | "Released";

export interface QContractRequest {
  readonly capability: bigint;
  /** Logical qubits reserved; a job may declare at most this many. */
  readonly qubits: number;
  /** Total circuit depth the contract's jobs may spend (XDV-060 Decoherence_Budget). */
  readonly decoherence_budget: bigint;
  /** Total shots across all jobs. */
  readonly shot_budget: bigint;
  /** Logical ticks after acquisition during which jobs are accepted (calibration validity). */
  readonly lifetime: bigint;
}

export interface PhiContractRequest {
  readonly capability: bigint;
  /** Coherence window [window_start, window_start + window_duration) in logical time. */
  readonly window_start: bigint;
  readonly window_duration: bigint;
  /** Minimum stability, in basis points (0..10000), every transform must keep. */
  readonly stability_tolerance: number;
  readonly transform_budget: bigint;
}

export interface ContractStatus {
  readonly id: bigint;
  readonly domain: DomainTag;
  readonly state: ContractState;
  readonly owner: bigint;
  /** Q: decoherence budget spent and left (depth units); Φ: transforms used and left. */
  readonly used: bigint;
  readonly remaining: bigint;
  /** Q: shots spent; Φ: the envelope id. */
  readonly secondary: bigint;
  readonly valid_until: bigint;
}

/** XDV-052 §4.2 `measurement_spec`: how the job's qubits are read out. */
export interface MeasurementSpec {
  /** Circuit executions; each ends in the circuit's own `measure` statements. */
  readonly shots: number;
  /** Also return each shot's bitstring, in shot order (Qiskit's "memory"). */
  readonly per_shot: boolean;
}

interface QJobFields {
  readonly contract_id: bigint;
  readonly qubit_count: number;
  /** XDV-052's `circuit_ptr`: there is no address space to point into, so the text itself. */
  readonly circuit: string;
}

/**
 * XDV-052 §4.2 QJobDescriptor, with the circuit as OpenQASM 2.0 text: the record DPL's
 * `QJobDescriptor` (stdlib/abi/q_abi.ds) is, field for field.
 */
export interface QJobSpecDescriptor extends QJobFields {
  readonly measurement_spec: MeasurementSpec;
}

/**
 * The same job with the measurement spec's fields inlined, for host-side callers (tests,
 * benchmarks, embedders) that build descriptors by hand. A descriptor has one form or the
 * other; one with both is malformed.
 */
export interface QJobCompactDescriptor extends QJobFields {
  readonly shots: number;
  readonly per_shot?: boolean;
}

export type QJobDescriptor = QJobSpecDescriptor | QJobCompactDescriptor;

export interface BitstringCount {
  readonly bitstring: string;
  readonly count: number;
}

/**
 * XDV-052 §5.3: the measurement handle and the measurement result in one record.
 * Bitstrings follow OpenQASM convention: the last declared creg leftmost, each register's
 * highest index leftmost, registers separated by one space.
 */
export interface QJobResult {
  readonly job_id: bigint;
  readonly contract_id: bigint;
  readonly shots: number;
  /** Sorted by bitstring. */
  readonly counts: readonly BitstringCount[];
  readonly per_shot: readonly string[] | null;
  readonly depth: number;
  readonly decoherence_used: bigint;
  readonly decoherence_remaining: bigint;
  readonly logical_ts: bigint;
}

/** XDV-052 §4.3 PhiTransformDescriptor. */
export interface PhiTransformDescriptor {
  readonly contract_id: bigint;
  readonly transform_id: number;
  readonly coherence_start: bigint;
  readonly duration: bigint;
  /** Basis points; the stricter of this and the contract's tolerance applies. */
  readonly stability_tolerance: number;
}

/** XDV-061 §6.2, in integers: levels and indices are basis points. */
export interface PhiStabilityReport {
  readonly envelope_id: bigint;
  readonly stability_level: number;
  readonly noise_index: number;
  readonly tolerance: number;
  /** SHA-256 over the report's fields, hex; lets a consumer detect an altered report. */
  readonly integrity_checksum: string;
  readonly logical_ts: bigint;
}

/** XDV-061 §5.3, the structured output being a classical projection of the envelope. */
export interface PhiTransformResult {
  readonly transform_id: number;
  readonly envelope_id: bigint;
  readonly status: "STABLE";
  /** Index of the envelope mode with the largest projected weight. */
  readonly dominant_mode: number;
  /** Phase-alignment order parameter of the envelope, basis points. */
  readonly coherence_index: number;
  readonly stability: PhiStabilityReport;
  readonly logical_ts: bigint;
}

export type DomainDescriptor = QJobDescriptor | PhiTransformDescriptor;
export type DomainCallResult = QJobResult | PhiTransformResult;

/** K-structured IPC payload: no functions, no class instances, so no Q or Φ handle. */
export type IpcValue = null | boolean | number | bigint | string | readonly IpcValue[] | { readonly [k: string]: IpcValue };

/** XDV-021 §3.1; the sender is the current process. */
export interface IpcSendRequest {
  readonly receiver: bigint;
  readonly source_domain: DomainTag;
  readonly target_domain: DomainTag;
  readonly capability: bigint;
  readonly payload: IpcValue;
}

export interface IpcMessage {
  readonly seq: bigint;
  readonly sender: bigint;
  readonly receiver: bigint;
  readonly source_domain: DomainTag;
  readonly target_domain: DomainTag;
  readonly payload: IpcValue;
  readonly logical_ts: bigint;
}

/**
 * XDV-081 §9.1 RuntimeEvent: a named event with scalar K fields. `domain`, `capability`
 * and `contract` are what the event is about; they fill the trace entry's own columns
 * (XDV-071 §3.2) instead of its metadata, `null` (or absent) meaning none. The entry's
 * process is always the caller: a program cannot write events in another's name.
 */
export interface RuntimeEvent {
  readonly kind: string;
  readonly domain?: DomainTag;
  readonly capability?: bigint | null;
  readonly contract?: bigint | null;
  readonly data: Readonly<Record<string, string | bigint | number | boolean>>;
}

export type Severity = "info" | "warning" | "error" | "critical";

export interface MetricRequest {
  readonly metric: string;
  readonly domain: DomainTag;
  readonly value: bigint;
  readonly unit: string;
  readonly severity?: Severity;
}

/** XDV-052 §3.2 syscall numbers. Stable: published once, never renumbered. */
export const SYS = {
  LOG: 1n,
  CLOCK_NOW: 2n,
  WAIT_UNTIL: 3n,
  PROCESS_SELF: 10n,
  PROCESS_SPAWN: 11n,
  PROCESS_TRANSITION: 12n,
  PROCESS_SWITCH: 13n,
  PROCESS_SPAWN_GUEST: 14n,
  CAP_REQUEST: 20n,
  CAP_REVOKE: 21n,
  CAP_VALIDATE: 22n,
  CONTRACT_Q: 30n,
  CONTRACT_PHI: 31n,
  CONTRACT_RELEASE: 32n,
  PHI_STABILITY: 33n,
  IPC_SEND: 40n,
  IPC_RECEIVE: 41n,
  RECORD_EVENT: 50n,
  METRIC: 60n,
} as const;

/**
 * What each syscall takes and which u64 it answers, for the prelude's `SYS_*` constants and
 * the stdlib authors. `args` is the DPL record passed as `.ptr()`.
 */
export const SYSCALL_TABLE: readonly { readonly name: keyof typeof SYS; readonly op: keyof HybridAbi; readonly args: string; readonly returns: string }[] = [
  { name: "LOG", op: "kLog", args: "String | { message: String }", returns: "trace event id" },
  { name: "CLOCK_NOW", op: "now", args: "()", returns: "logical time" },
  { name: "WAIT_UNTIL", op: "waitUntil", args: "{ until: u64 }", returns: "logical time after the wait" },
  { name: "PROCESS_SELF", op: "self", args: "()", returns: "pid" },
  { name: "PROCESS_SPAWN", op: "spawnProcess", args: "()", returns: "new pid" },
  { name: "PROCESS_TRANSITION", op: "transition", args: "{ pid: u64, to: String, domains?: Vec<DomainTag> }", returns: "0" },
  { name: "PROCESS_SWITCH", op: "switchTo", args: "{ pid: u64 }", returns: "pid" },
  { name: "PROCESS_SPAWN_GUEST", op: "spawnGuest", args: "()", returns: "new pid" },
  { name: "CAP_REQUEST", op: "requestCapability", args: "{ domain: DomainTag }", returns: "capability raw id" },
  { name: "CAP_REVOKE", op: "revokeCapability", args: "{ capability: u64 }", returns: "0" },
  { name: "CAP_VALIDATE", op: "validateCapability", args: "{ capability: u64, domain: DomainTag }", returns: "capability raw id" },
  { name: "CONTRACT_Q", op: "acquireQContract", args: "QContractRequest", returns: "contract id" },
  { name: "CONTRACT_PHI", op: "acquirePhiContract", args: "PhiContractRequest", returns: "contract id" },
  { name: "CONTRACT_RELEASE", op: "releaseContract", args: "{ contract: u64 }", returns: "0" },
  { name: "PHI_STABILITY", op: "phiStability", args: "{ contract: u64, capability: u64 }", returns: "stability level (bp)" },
  { name: "IPC_SEND", op: "ipcSend", args: "IpcSendRequest", returns: "sequence number" },
  { name: "IPC_RECEIVE", op: "ipcReceive", args: "()", returns: "sequence number, 0 when the queue is empty" },
  { name: "RECORD_EVENT", op: "recordEvent", args: "RuntimeEvent", returns: "trace event id" },
  { name: "METRIC", op: "emitMetric", args: "MetricRequest", returns: "metric id" },
];

export interface HybridAbi {
  readonly abiVersion: number;

  /** XDV-052 §5.1: an explicit domain call on behalf of the current process. */
  xdvCall(source: DomainTag, target: "Q", descriptor: QJobDescriptor, capabilityId: bigint): Result<QJobResult>;
  xdvCall(source: DomainTag, target: "Φ", descriptor: PhiTransformDescriptor, capabilityId: bigint): Result<PhiTransformResult>;
  xdvCall(source: DomainTag, target: DomainTag, descriptor: DomainDescriptor, capabilityId: bigint): Result<DomainCallResult>;

  /** XDV-052 §3.2: the u64 channel; dispatches to the named operations below. */
  syscall(id: bigint, args: unknown): Result<bigint>;

  /** `k_log`: writes the message and a newline to the run's stdout; a recorded event. */
  kLog(message: string): Result<bigint>;
  /** Logical time; reading it is not an event. */
  now(): bigint;
  /** Scheduling hint: let logical time reach `until` (coherence windows open in logical time). */
  waitUntil(until: bigint): Result<bigint>;

  /** The current process: the one on whose behalf calls are made. */
  self(): ProcessInfo;
  processInfo(pid: bigint): Result<ProcessInfo>;
  /** A child of the current process, same tenant and VHM, in state Created. */
  spawnProcess(): Result<bigint>;
  /**
   * A child in a VHM and a tenant of its own, in state Created, supervised by the current
   * process (XDV-083 nesting, XDV-043 §5): the supervisor may drive the guest's lifecycle
   * and switch to it, and the guest may switch back to its supervisor. Capabilities,
   * contracts, IPC and domain state never cross between the two tenants.
   */
  spawnGuest(): Result<bigint>;
  /** One lifecycle step; entering DomainBound binds `domains` (K is implied). */
  transition(pid: bigint, to: LifecycleState, domains?: readonly DomainTag[]): Result<LifecycleState>;
  /** Deterministic context switch to another Active process of the same tenant, a guest, or the supervisor. */
  switchTo(pid: bigint): Result<bigint>;

  requestCapability(domain: DomainTag): Result<CapabilityHandle>;
  revokeCapability(capabilityId: bigint): Result<undefined>;
  validateCapability(capabilityId: bigint, domain: DomainTag): Result<CapabilityHandle>;

  acquireQContract(request: QContractRequest): Result<ResourceContractHandle>;
  /** Requests a coherence window: the contract owns one Φ envelope. */
  acquirePhiContract(request: PhiContractRequest): Result<ResourceContractHandle>;
  /** Releases a contract (for Φ, releases its envelope). */
  releaseContract(contractId: bigint): Result<undefined>;
  contractStatus(contractId: bigint): Result<ContractStatus>;
  /** Monitors an envelope: a fresh stability report, no transform applied. */
  phiStability(contractId: bigint, capabilityId: bigint): Result<PhiStabilityReport>;

  ipcSend(request: IpcSendRequest): Result<bigint>;
  /** The oldest message queued for the current process, or null. */
  ipcReceive(): Result<IpcMessage | null>;

  /** XDV-081 §9.1 `record_event`. */
  recordEvent(event: RuntimeEvent): Result<bigint>;
  /** XDV-081 §10: a program-defined metric, stamped with the process, tenant and time. */
  emitMetric(metric: MetricRequest): Result<bigint>;

  /**
   * A value the host provides that is not a function of the seed (`wall_clock()`,
   * `random_u64()`, `env_var(name)`): a recording implementation takes `live()` and records
   * it, a replaying one returns the recorded value, so a replay takes the same branches.
   * `key` tells apart inputs of one primitive (the variable's name). Optional: without it,
   * the bindings use `live()` directly and a replay cannot promise the same output.
   */
  hostInput?(primitive: HostInputPrimitive, key: string, live: () => string | null): string | null;
}

export type HostInputPrimitive = "wall_clock" | "random_u64" | "env_var";

/** Why a run had to stop; carried by `HostHalt`. */
export interface HaltReason {
  /**
   * `replay-*`: replay and record disagree, a recorded result is impossible, or the recorded
   * run ended (or the trace was cut off) before the replayed one; `clock-exhausted`: logical
   * time reached u64::MAX.
   */
  readonly kind: "replay-divergence" | "replay-incomplete" | "replay-invalid-result" | "replay-end-of-trace" | "clock-exhausted";
  /** 0-based index of the trace entry where replay and record disagree (-1: not about an entry). */
  readonly entry_index: number;
  readonly message: string;
  /** Fields that differ, each with the recorded and the replayed value (canonical JSON). */
  readonly differences: readonly { readonly field: string; readonly recorded: string; readonly replayed: string }[];
}

/** The only exception the ABI throws: the run cannot continue. */
export class HostHalt extends Error {
  readonly reason: HaltReason;
  constructor(reason: HaltReason) {
    super(reason.entry_index >= 0 && reason.kind.startsWith("replay") ? `replay stopped at trace entry ${reason.entry_index}: ${reason.message}` : reason.message);
    this.name = "HostHalt";
    this.reason = reason;
  }
}
