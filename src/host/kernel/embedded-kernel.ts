/**
 * The embedded deterministic kernel: the default `HybridAbi` behind `dplc run`.
 *
 * Host side (the runner): `boot` → run the program against this object → `shutdown`, then
 * write `traceJsonl()` / `telemetryJsonl()`. Program side: the `HybridAbi` methods, always
 * on behalf of the current process. Host-only methods (`createProcess`, `schedule`) exist
 * for embedders that set up several tenants; DPL code cannot reach them.
 *
 * No wall clock, no Math.random, no iteration over unordered collections: the logical clock
 * and the seed decide everything, so a run is a pure function of (program, argv, seed).
 */
import {
  ABI_FEATURES,
  ABI_VERSION,
  domainTag,
  ok,
  type CapabilityHandle,
  type ContractStatus,
  type DomainCallResult,
  type DomainTag,
  type Err,
  type HybridAbi,
  type IpcMessage,
  type IpcSendRequest,
  type IpcValue,
  type LifecycleState,
  type MetricRequest,
  type PhiContractRequest,
  type PhiStabilityReport,
  type PhiTransformDescriptor,
  type PhiTransformResult,
  type ProcessInfo,
  type QJobDescriptor,
  type QJobResult,
  type DomainDescriptor,
  type QContractRequest,
  type ResourceContractHandle,
  type Result,
  type RuntimeEvent,
  type Severity,
} from "#runtime/abi.js";
import { TRACE_FORMAT } from "../trace/trace-chain.js";
import type { ReplaySession } from "../trace/replay.js";
import { acquirePhiContract, acquireQContract, contractStatusOf, releaseContract, releaseOne } from "./contract-calls.js";
import type { KernelCore } from "./core.js";
import { invokePhiTransform, probePhiStability, submitQJob } from "./domain-calls.js";
import { payloadDigest, payloadProblem, routeAllowed, routeDomain } from "./ipc.js";
import { KERNEL_ACTOR, canonicalDomains, isLegalTransition, legalSuccessors, processInfo as toProcessInfo, type ProcessRecord } from "./processes.js";
import { dispatchSyscall } from "./syscalls.js";

export interface BootOptions {
  readonly argv?: readonly string[];
  /** Take the root process through the lifecycle to Active with K, Q and Φ bound (default true). */
  readonly autoActivate?: boolean;
}

export interface RunSummary {
  readonly exit_status: number;
  readonly trace_entries: number;
  readonly trace_bytes: number;
  readonly telemetry_records: number;
  /** Hash of the last trace entry; print or store it to detect a trace rewritten wholesale. */
  readonly trace_head: string;
}

const SEVERITIES: readonly Severity[] = ["info", "warning", "error", "critical"];

function isErr(v: unknown): v is Err {
  return typeof v === "object" && v !== null && (v as { ok?: unknown }).ok === false;
}

export class EmbeddedKernel implements HybridAbi {
  readonly abiVersion = ABI_VERSION;
  readonly mode: "record" | "replay";
  readonly #core: KernelCore;
  readonly #replay: ReplaySession | undefined;
  readonly #rootTenant: bigint;
  #booted = false;
  #shutDown = false;

  constructor(core: KernelCore, rootTenant: bigint, replay?: ReplaySession) {
    this.#core = core;
    this.#rootTenant = rootTenant;
    this.#replay = replay;
    this.mode = replay ? "replay" : "record";
  }

  // ---- host side -------------------------------------------------------------------------

  boot(options: BootOptions = {}): ProcessInfo {
    if (this.#booted) throw new Error("kernel already booted");
    this.#booted = true;
    const core = this.#core;
    core.record(
      "run_start",
      {
        trace_format: TRACE_FORMAT,
        abi_version: ABI_VERSION,
        features: [...ABI_FEATURES],
        seed: core.keys.seed,
        argv: [...(options.argv ?? [])],
        q_provider: { ...core.q.capabilities() },
        phi_provider: { ...core.phi.capabilities() },
        limits: { contracts_per_process: core.limits.contractsPerProcess, ipc_queue: core.limits.ipcQueue },
      },
      { process: KERNEL_ACTOR },
    );
    const root = this.#spawn(1n, this.#rootTenant, null);
    if (options.autoActivate !== false) this.#activate(root, ["K", "Q", "Φ"]);
    core.current = root;
    return toProcessInfo(root);
  }

  /** Terminates every live process (children first), closes the trace, checks a replay is complete. */
  shutdown(exitStatus: number): RunSummary {
    if (!this.#booted || this.#shutDown) throw new Error("kernel is not running");
    this.#shutDown = true;
    const core = this.#core;
    const status = Number.isSafeInteger(exitStatus) ? exitStatus : 1;
    for (const p of [...core.processes.live()].reverse()) this.#terminate(p, "shutdown");
    core.record("run_end", { exit_status: status, processes: core.processes.all().length }, { process: KERNEL_ACTOR });
    this.#replay?.finish(core.trace.length);
    return {
      exit_status: status,
      trace_entries: core.trace.length,
      trace_bytes: core.trace.byteLength,
      telemetry_records: core.telemetry.records().length,
      trace_head: core.trace.head,
    };
  }

  /** A process in another tenant or VHM, optionally taken straight to Active. */
  createProcess(options: { readonly tenant_id: bigint; readonly vhm_id: bigint; readonly activate?: readonly DomainTag[] }): ProcessInfo {
    const p = this.#spawn(options.vhm_id, options.tenant_id, null);
    if (options.activate) this.#activate(p, options.activate);
    return toProcessInfo(p);
  }

  /** Host-level scheduling: switch to any Active process, whatever its tenant. */
  schedule(pid: bigint): Result<bigint> {
    const p = this.#core.processes.get(pid);
    if (!p) return this.#core.fail("DOMAIN_UNAUTHORIZED", "process-unknown", `no process ${pid}`, { process: KERNEL_ACTOR });
    if (p.state !== "Active") return this.#core.fail("DOMAIN_UNAUTHORIZED", "process-not-active", `process ${pid} is ${p.state}`, { process: KERNEL_ACTOR });
    return this.#switch(p, "host");
  }

  traceJsonl(): string {
    return this.#core.trace.toJsonLines();
  }

  telemetryJsonl(): string {
    return this.#core.telemetry.toJsonLines();
  }

  traceLines(): readonly string[] {
    return this.#core.trace.lines();
  }

  telemetryLines(): readonly string[] {
    return this.#core.telemetry.lines();
  }

  // ---- ABI: domain calls and syscalls ---------------------------------------------------

  xdvCall(source: DomainTag, target: "Q", descriptor: QJobDescriptor, capabilityId: bigint): Result<QJobResult>;
  xdvCall(source: DomainTag, target: "Φ", descriptor: PhiTransformDescriptor, capabilityId: bigint): Result<PhiTransformResult>;
  xdvCall(source: DomainTag, target: DomainTag, descriptor: DomainDescriptor, capabilityId: bigint): Result<DomainCallResult>;
  xdvCall(source: unknown, target: unknown, descriptor: unknown, capabilityId: unknown): Result<DomainCallResult> {
    const to = typeof target === "string" ? domainTag(target) : undefined;
    const from = typeof source === "string" ? (domainTag(source) ?? source) : source;
    if (to === "Q") return submitQJob(this.#core, from, descriptor, capabilityId);
    if (to === "Φ") return invokePhiTransform(this.#core, from, descriptor, capabilityId);
    return this.#core.fail("DOMAIN_PANIC", "target-not-domain", `xdv_call: target must be Q or Φ, got ${String(target)}`);
  }

  syscall(id: bigint, args: unknown): Result<bigint> {
    return dispatchSyscall(this, id, args, (message, reason) => this.#core.fail("DOMAIN_PANIC", reason ?? "descriptor-malformed", message));
  }

  // ---- ABI: K services ------------------------------------------------------------------

  kLog(message: string): Result<bigint> {
    if (typeof message !== "string") return this.#core.panic(`k_log expects a String, got ${typeof message}`);
    this.#core.stdout(message + "\n");
    return ok(BigInt(this.#core.record("k_log", { message }).event_id));
  }

  now(): bigint {
    return this.#core.clock.now();
  }

  waitUntil(until: bigint): Result<bigint> {
    if (typeof until !== "bigint" || until < 0n) return this.#core.panic("wait_until expects a u64 logical time");
    this.#core.record("clock_wait", { until }, {}, until);
    return ok(this.#core.clock.now());
  }

  // ---- ABI: processes -------------------------------------------------------------------

  self(): ProcessInfo {
    return toProcessInfo(this.#core.current);
  }

  processInfo(pid: bigint): Result<ProcessInfo> {
    const p = this.#visible(pid, "process_info", "supervise");
    return isErr(p) ? p : ok(toProcessInfo(p));
  }

  spawnProcess(): Result<bigint> {
    const active = this.#core.requireActive("spawn_process");
    if (active) return active;
    const parent = this.#core.current;
    return ok(this.#spawn(parent.vhm_id, parent.tenant_id, parent.pid).pid);
  }

  spawnGuest(): Result<bigint> {
    const core = this.#core;
    const active = core.requireActive("spawn_guest");
    if (active) return active;
    let tenant = 0n;
    let vhm = 0n;
    for (const p of core.processes.all()) {
      if (p.tenant_id > tenant) tenant = p.tenant_id;
      if (p.vhm_id > vhm) vhm = p.vhm_id;
    }
    return ok(this.#spawn(vhm + 1n, tenant + 1n, core.current.pid).pid);
  }

  transition(pid: bigint, to: LifecycleState, domains?: readonly DomainTag[]): Result<LifecycleState> {
    const core = this.#core;
    if (core.current.state === "Terminated") {
      return core.fail("DOMAIN_UNAUTHORIZED", "process-not-active", `transition: the calling process ${core.current.pid} has terminated`);
    }
    const p = this.#visible(pid, "transition", "supervise");
    if (isErr(p)) return p;
    if (!isLegalTransition(p.state, to)) {
      const allowed = legalSuccessors(p.state);
      return core.fail("DOMAIN_PANIC", "illegal-transition", `process ${pid} cannot go from ${p.state} to ${String(to)}; allowed: ${allowed.length ? allowed.join(", ") : "none"}`, {
        process: p,
        details: { from: p.state, to: String(to) },
      });
    }
    if (domains !== undefined && (to !== "DomainBound" || !Array.isArray(domains) || domains.some((d) => domainTag(String(d)) === undefined))) {
      return core.panic("transition: domains may only be given, as K/Q/Φ tags, when entering DomainBound", { process: p });
    }
    if (to === "Terminated") this.#terminate(p, "request");
    else this.#step(p, to, (domains ?? []).map((d) => domainTag(String(d)) as DomainTag));
    return ok(p.state);
  }

  switchTo(pid: bigint): Result<bigint> {
    const p = this.#visible(pid, "switch_to", "schedule");
    if (isErr(p)) return p;
    if (p.state !== "Active") return this.#core.fail("DOMAIN_UNAUTHORIZED", "process-not-active", `switch_to: process ${pid} is ${p.state}, not Active`);
    return this.#switch(p, "program");
  }

  // ---- ABI: capabilities ----------------------------------------------------------------

  requestCapability(domain: DomainTag): Result<CapabilityHandle> {
    const core = this.#core;
    const tag = typeof domain === "string" ? domainTag(domain) : undefined;
    if (!tag) return core.panic(`request_capability: unknown domain ${String(domain)}`);
    const active = core.requireActive("request_capability", tag);
    if (active) return active;
    const bound = core.requireBound(tag, "request_capability");
    if (bound) return bound;
    const p = core.current;
    const cap = core.capabilities.issue(tag, p.pid, p.tenant_id, p.vhm_id);
    core.record("capability_issue", { domain: tag, tenant: p.tenant_id }, { domain: tag, capability: cap.id });
    return ok({ raw_id: cap.id, domain: tag });
  }

  revokeCapability(capabilityId: bigint): Result<undefined> {
    const core = this.#core;
    if (typeof capabilityId !== "bigint") return core.panic("revoke_capability expects a u64 capability id");
    const cap = core.capabilities.get(capabilityId);
    // Checked against the capability's own domain: revocation needs ownership, not scope.
    const checked = core.requireCapability(capabilityId, cap?.domain ?? "K", "revoke_capability");
    if (isErr(checked)) return checked;
    core.capabilities.revoke(checked);
    core.record("capability_revoke", { cause: "request" }, { domain: checked.domain, capability: checked.id });
    return ok(undefined);
  }

  validateCapability(capabilityId: bigint, domain: DomainTag): Result<CapabilityHandle> {
    const core = this.#core;
    const tag = typeof domain === "string" ? domainTag(domain) : undefined;
    if (!tag) return core.panic(`validate_capability: unknown domain ${String(domain)}`);
    const checked = core.requireCapability(capabilityId, tag, "validate_capability");
    if (isErr(checked)) return checked;
    core.record("capability_check", { domain: tag, granted: true }, { domain: tag, capability: checked.id });
    return ok({ raw_id: checked.id, domain: tag });
  }

  // ---- ABI: contracts -------------------------------------------------------------------

  acquireQContract(request: QContractRequest): Result<ResourceContractHandle> {
    return acquireQContract(this.#core, request);
  }

  acquirePhiContract(request: PhiContractRequest): Result<ResourceContractHandle> {
    return acquirePhiContract(this.#core, request);
  }

  releaseContract(contractId: bigint): Result<undefined> {
    return releaseContract(this.#core, contractId);
  }

  contractStatus(contractId: bigint): Result<ContractStatus> {
    return contractStatusOf(this.#core, contractId);
  }

  phiStability(contractId: bigint, capabilityId: bigint): Result<PhiStabilityReport> {
    return probePhiStability(this.#core, contractId, capabilityId);
  }

  // ---- ABI: IPC, replay hooks, telemetry ------------------------------------------------

  ipcSend(request: IpcSendRequest): Result<bigint> {
    const core = this.#core;
    const active = core.requireActive("ipc_send");
    if (active) return active;
    const r = (typeof request === "object" && request !== null ? request : {}) as Record<string, unknown>;
    const source = typeof r["source_domain"] === "string" ? domainTag(r["source_domain"]) : undefined;
    const target = typeof r["target_domain"] === "string" ? domainTag(r["target_domain"]) : undefined;
    if (typeof r["receiver"] !== "bigint" || !source || !target || typeof r["capability"] !== "bigint") {
      return core.panic("ipc_send expects { receiver: u64, source_domain, target_domain, capability: u64, payload }");
    }
    const problem = payloadProblem(r["payload"]);
    if (problem) return core.panic(`ipc_send: ${problem}`);
    if (!routeAllowed(source, target)) {
      return core.fail("DOMAIN_UNAUTHORIZED", "ipc-route-forbidden", `ipc_send: ${source} → ${target} messages are not permitted (XDV-021 §3.2)`, { domain: target });
    }
    const sender = core.current;
    const bound = core.requireBound(source, "ipc_send");
    if (bound) return bound;
    const cap = core.requireCapability(r["capability"], routeDomain(source, target), "ipc_send");
    if (isErr(cap)) return cap;
    const receiver = this.#visible(r["receiver"] as bigint, "ipc_send", "tenant");
    if (isErr(receiver)) return receiver;
    if (receiver.state === "Terminated") {
      return core.fail("DOMAIN_PANIC", "ipc-receiver-unavailable", `ipc_send: process ${receiver.pid} has terminated`, { domain: target, capability: cap.id });
    }
    if (!receiver.domains.includes(target)) {
      return core.fail("DOMAIN_UNAUTHORIZED", "domain-not-bound", `ipc_send: receiver ${receiver.pid} has not bound domain ${target}`, { domain: target, capability: cap.id });
    }
    if (core.ipc.queued(receiver.pid) >= core.ipc.queueLimit) {
      return core.fail("RESOURCE_EXHAUSTED", "ipc-receiver-unavailable", `ipc_send: process ${receiver.pid} already has ${core.ipc.queueLimit} undelivered messages`, { domain: target, capability: cap.id });
    }
    const payload = r["payload"] as IpcValue;
    const digest = payloadDigest(payload);
    const entry = core.record(
      "ipc_send",
      { receiver: receiver.pid, source_domain: source, target_domain: target, payload_sha256: digest.sha256, payload_bytes: digest.bytes },
      { domain: target, capability: cap.id },
    );
    const message = core.ipc.enqueue({ sender: sender.pid, receiver: receiver.pid, source_domain: source, target_domain: target, payload, logical_ts: BigInt(entry.logical_ts) });
    core.metric({ metric: "ipc_messages", domain: "K", source: "kernel", contract: null, value: message.seq, unit: "count" });
    return ok(message.seq);
  }

  ipcReceive(): Result<IpcMessage | null> {
    const core = this.#core;
    const active = core.requireActive("ipc_receive");
    if (active) return active;
    const message = core.ipc.dequeue(core.current.pid);
    if (!message) return ok(null);
    core.record("ipc_receive", { seq: message.seq, sender: message.sender }, { domain: message.target_domain });
    return ok(message);
  }

  recordEvent(event: RuntimeEvent): Result<bigint> {
    const core = this.#core;
    const e = (typeof event === "object" && event !== null ? event : {}) as Record<string, unknown>;
    const data = e["data"];
    const shape = "record_event expects { kind: String, domain?: K | Q | Φ, capability?: u64 | null, contract?: u64 | null, data: { field: scalar, ... } }";
    if (typeof e["kind"] !== "string" || e["kind"] === "" || typeof data !== "object" || data === null || Array.isArray(data)) return core.panic(shape);
    const domain = e["domain"] === undefined ? "K" : typeof e["domain"] === "string" ? domainTag(e["domain"]) : undefined;
    const id = (v: unknown): bigint | null | false => (v === undefined || v === null ? null : typeof v === "bigint" && v >= 0n ? v : false);
    const capability = id(e["capability"]);
    const contract = id(e["contract"]);
    if (!domain || capability === false || contract === false) return core.panic(shape);
    for (const [k, v] of Object.entries(data)) {
      const fine = typeof v === "string" || typeof v === "bigint" || typeof v === "boolean" || (typeof v === "number" && Number.isSafeInteger(v));
      if (!fine) return core.panic(`record_event: field '${k}' must be an integer, String or bool (scale fractions to an integer unit)`);
    }
    // The ids are what the program presented, unchecked: logging a refused or forged
    // capability is the point of some events (XDV-084 §4.2 "logged error").
    const entry = core.record("runtime_event", { kind: e["kind"], data: { ...(data as Record<string, string | bigint | number | boolean>) } }, { domain, capability, contract });
    return ok(BigInt(entry.event_id));
  }

  emitMetric(metric: MetricRequest): Result<bigint> {
    const core = this.#core;
    const m = (typeof metric === "object" && metric !== null ? metric : {}) as Record<string, unknown>;
    const domain = typeof m["domain"] === "string" ? domainTag(m["domain"]) : undefined;
    const severity = m["severity"] ?? "info";
    if (typeof m["metric"] !== "string" || !domain || typeof m["value"] !== "bigint" || typeof m["unit"] !== "string" || !SEVERITIES.includes(severity as Severity)) {
      return core.panic("emit_metric expects { metric: String, domain, value: u64/i64, unit: String, severity? }");
    }
    core.record("metric", { metric: m["metric"], value: m["value"], unit: m["unit"], severity: severity as Severity }, { domain });
    const p = core.current;
    const record = core.telemetry.metric(
      { metric: m["metric"], domain, source: "program", process: p.pid, contract: null, value: m["value"], unit: m["unit"], severity: severity as Severity, tenant: p.tenant_id },
      core.clock.now(),
    );
    return ok(record.metric_id);
  }

  // ---- internals ------------------------------------------------------------------------

  #spawn(vhm: bigint, tenant: bigint, parent: bigint | null): ProcessRecord {
    const p = this.#core.processes.create(vhm, tenant, parent);
    this.#core.record("lifecycle", { from: null, to: "Created", tenant, parent }, { process: p });
    return p;
  }

  #activate(p: ProcessRecord, domains: readonly DomainTag[]): void {
    this.#step(p, "Initialized", []);
    this.#step(p, "DomainBound", domains);
    this.#step(p, "Active", []);
  }

  #step(p: ProcessRecord, to: LifecycleState, domains: readonly DomainTag[]): void {
    const from = p.state;
    p.state = to;
    if (to === "DomainBound") p.domains = canonicalDomains(domains);
    this.#core.record("lifecycle", to === "DomainBound" ? { from, to, domains: [...p.domains] } : { from, to }, { process: p });
  }

  /** Resources go back in a fixed order: contracts by id, capabilities by issue, then the queue. */
  #terminate(p: ProcessRecord, cause: "request" | "shutdown"): void {
    const core = this.#core;
    for (const c of core.contracts.activeOf(p.pid)) releaseOne(this.#core, c, "termination", p);
    for (const cap of core.capabilities.liveOf(p.pid)) {
      core.capabilities.revoke(cap);
      core.record("capability_revoke", { cause: "termination" }, { domain: cap.domain, capability: cap.id, process: p });
    }
    const dropped = core.ipc.drop(p.pid);
    const from = p.state;
    p.state = "Terminated";
    core.record("lifecycle", { from, to: "Terminated", cause, undelivered_messages: dropped }, { process: p });
  }

  #switch(p: ProcessRecord, by: "program" | "host"): Result<bigint> {
    const core = this.#core;
    const from = core.current.pid;
    core.record("context_switch", { from, to: p.pid, by }, { process: p });
    core.current = p;
    return ok(p.pid);
  }

  /**
   * A process the caller may act on. Within a tenant, any process. Across tenants only the
   * supervision link of a guest (XDV-083 nesting, XDV-043 §5): the supervisor may drive its
   * guest's lifecycle and switch to it (`supervise`, `schedule`), and the guest may switch
   * back to its supervisor (`schedule`). IPC (`tenant`) never crosses the line.
   */
  #visible(pid: unknown, operation: string, reach: "tenant" | "supervise" | "schedule"): ProcessRecord | Err {
    const core = this.#core;
    if (typeof pid !== "bigint") return core.panic(`${operation}: pid must be a u64 (bigint)`);
    const p = core.processes.get(pid);
    if (!p) return core.fail("DOMAIN_UNAUTHORIZED", "process-unknown", `${operation}: no process ${pid}`);
    const me = core.current;
    if (p.tenant_id === me.tenant_id) return p;
    const supervised = p.parent === me.pid && reach !== "tenant";
    const supervisor = me.parent === p.pid && reach === "schedule";
    if (supervised || supervisor) return p;
    return core.fail("DOMAIN_UNAUTHORIZED", "process-cross-tenant", `${operation}: process ${pid} belongs to another tenant`);
  }


}
