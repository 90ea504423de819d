/**
 * A `HybridAbi` that forwards every operation to another implementation and keeps a log
 * of the calls: the operation, its arguments and the outcome (the value, or the error code
 * and fault reason). It is the smallest useful second implementation of the ABI, and it
 * shows the property XDV-081 §2.6 asks for: a compiled DPL program runs against it exactly
 * as against the embedded kernel, because emitted code knows the interface and nothing
 * else (`packages/runtime/src/host-bridge.ts`).
 *
 * Uses: auditing what a program asks of its host, comparing two hosts call for call, and
 * as the pattern for a remote implementation (serialise the call, forward, decode).
 * Arguments and results are logged as canonical JSON, so a log is a byte string that two
 * runs can be compared on; nothing Q or Φ can appear in it because nothing Q or Φ crosses
 * the ABI.
 */
import type {
  CapabilityHandle,
  ContractStatus,
  DomainCallResult,
  DomainDescriptor,
  DomainTag,
  HybridAbi,
  IpcMessage,
  IpcSendRequest,
  LifecycleState,
  MetricRequest,
  PhiContractRequest,
  PhiStabilityReport,
  PhiTransformDescriptor,
  PhiTransformResult,
  ProcessInfo,
  QContractRequest,
  QJobDescriptor,
  QJobResult,
  ResourceContractHandle,
  Result,
  RuntimeEvent,
} from "#runtime/abi.js";
import { canonicalJson } from "./trace/canonical-json.js";

export interface AbiCall {
  /** Position in the log, from 0. */
  readonly seq: number;
  readonly op: keyof HybridAbi;
  /** Canonical JSON of the argument list. */
  readonly args: string;
  /** `ok` with the canonical JSON of the value, or the error code and fault reason. */
  readonly outcome: { readonly ok: true; readonly value: string } | { readonly ok: false; readonly code: string; readonly reason: string };
}

function json(value: unknown): string {
  // `undefined` (DPL's unit) has no JSON form; the log spells it null.
  return canonicalJson(value === undefined ? null : value, { allowFractions: true });
}

export class RecordingAbi implements HybridAbi {
  readonly abiVersion: number;
  readonly #inner: HybridAbi;
  readonly #calls: AbiCall[] = [];

  constructor(inner: HybridAbi) {
    this.#inner = inner;
    this.abiVersion = inner.abiVersion;
  }

  /** The calls so far, in the order the program made them. */
  get calls(): readonly AbiCall[] {
    return this.#calls;
  }

  /** One line per call: `seq op args -> outcome`. */
  logText(): string {
    return this.#calls.map((c) => `${c.seq} ${c.op} ${c.args} -> ${c.outcome.ok ? c.outcome.value : `${c.outcome.code} (${c.outcome.reason})`}\n`).join("");
  }

  #result<T>(op: keyof HybridAbi, args: readonly unknown[], r: Result<T>): Result<T> {
    const outcome: AbiCall["outcome"] = r.ok ? { ok: true, value: json(r.value) } : { ok: false, code: r.code, reason: r.fault.reason };
    this.#calls.push({ seq: this.#calls.length, op, args: json(args), outcome });
    return r;
  }

  #plain<T>(op: keyof HybridAbi, args: readonly unknown[], value: T): T {
    this.#calls.push({ seq: this.#calls.length, op, args: json(args), outcome: { ok: true, value: json(value) } });
    return value;
  }

  xdvCall(source: DomainTag, target: "Q", descriptor: QJobDescriptor, capabilityId: bigint): Result<QJobResult>;
  xdvCall(source: DomainTag, target: "Φ", descriptor: PhiTransformDescriptor, capabilityId: bigint): Result<PhiTransformResult>;
  xdvCall(source: DomainTag, target: DomainTag, descriptor: DomainDescriptor, capabilityId: bigint): Result<DomainCallResult>;
  xdvCall(source: DomainTag, target: DomainTag, descriptor: DomainDescriptor, capabilityId: bigint): Result<DomainCallResult> {
    return this.#result("xdvCall", [source, target, descriptor, capabilityId], this.#inner.xdvCall(source, target, descriptor, capabilityId));
  }

  syscall(id: bigint, args: unknown): Result<bigint> {
    return this.#result("syscall", [id, args], this.#inner.syscall(id, args));
  }

  kLog(message: string): Result<bigint> {
    return this.#result("kLog", [message], this.#inner.kLog(message));
  }

  now(): bigint {
    return this.#plain("now", [], this.#inner.now());
  }

  waitUntil(until: bigint): Result<bigint> {
    return this.#result("waitUntil", [until], this.#inner.waitUntil(until));
  }

  self(): ProcessInfo {
    return this.#plain("self", [], this.#inner.self());
  }

  processInfo(pid: bigint): Result<ProcessInfo> {
    return this.#result("processInfo", [pid], this.#inner.processInfo(pid));
  }

  spawnProcess(): Result<bigint> {
    return this.#result("spawnProcess", [], this.#inner.spawnProcess());
  }

  spawnGuest(): Result<bigint> {
    return this.#result("spawnGuest", [], this.#inner.spawnGuest());
  }

  transition(pid: bigint, to: LifecycleState, domains?: readonly DomainTag[]): Result<LifecycleState> {
    const r = domains === undefined ? this.#inner.transition(pid, to) : this.#inner.transition(pid, to, domains);
    return this.#result("transition", domains === undefined ? [pid, to] : [pid, to, domains], r);
  }

  switchTo(pid: bigint): Result<bigint> {
    return this.#result("switchTo", [pid], this.#inner.switchTo(pid));
  }

  requestCapability(domain: DomainTag): Result<CapabilityHandle> {
    return this.#result("requestCapability", [domain], this.#inner.requestCapability(domain));
  }

  revokeCapability(capabilityId: bigint): Result<undefined> {
    return this.#result("revokeCapability", [capabilityId], this.#inner.revokeCapability(capabilityId));
  }

  validateCapability(capabilityId: bigint, domain: DomainTag): Result<CapabilityHandle> {
    return this.#result("validateCapability", [capabilityId, domain], this.#inner.validateCapability(capabilityId, domain));
  }

  acquireQContract(request: QContractRequest): Result<ResourceContractHandle> {
    return this.#result("acquireQContract", [request], this.#inner.acquireQContract(request));
  }

  acquirePhiContract(request: PhiContractRequest): Result<ResourceContractHandle> {
    return this.#result("acquirePhiContract", [request], this.#inner.acquirePhiContract(request));
  }

  releaseContract(contractId: bigint): Result<undefined> {
    return this.#result("releaseContract", [contractId], this.#inner.releaseContract(contractId));
  }

  contractStatus(contractId: bigint): Result<ContractStatus> {
    return this.#result("contractStatus", [contractId], this.#inner.contractStatus(contractId));
  }

  phiStability(contractId: bigint, capabilityId: bigint): Result<PhiStabilityReport> {
    return this.#result("phiStability", [contractId, capabilityId], this.#inner.phiStability(contractId, capabilityId));
  }

  ipcSend(request: IpcSendRequest): Result<bigint> {
    return this.#result("ipcSend", [request], this.#inner.ipcSend(request));
  }

  ipcReceive(): Result<IpcMessage | null> {
    return this.#result("ipcReceive", [], this.#inner.ipcReceive());
  }

  recordEvent(event: RuntimeEvent): Result<bigint> {
    return this.#result("recordEvent", [event], this.#inner.recordEvent(event));
  }

  emitMetric(metric: MetricRequest): Result<bigint> {
    return this.#result("emitMetric", [metric], this.#inner.emitMetric(metric));
  }
}
