/**
 * Kernel state and the two primitives every operation ends in: `record` (one trace entry at
 * the next logical tick) and `fail` (a fault entry, a telemetry FaultEvent and the `Err`
 * the program receives, all from one call so they can never disagree).
 *
 * The checks shared by many operations live here too, each one recording its own refusal,
 * so an operation reads as a sequence of guards followed by its effect.
 */
import type { AbiFault, DomainTag, Err, ErrorCode, FaultDetail, FaultReason, Severity } from "#runtime/abi.js";
import type { PhiProvider } from "../phi/provider.js";
import type { QProvider } from "../q/provider.js";
import type { SeedKeys } from "../random/prng.js";
import type { Metadata, TraceChain, TraceEntry, TraceEventType } from "../trace/trace-chain.js";
import type { MetricInput, Telemetry } from "../telemetry/telemetry.js";
import { CapabilityAuthority, type CapabilityRecord } from "./capabilities.js";
import { ContractTable, type Contract } from "./contracts.js";
import { IpcRouter } from "./ipc.js";
import type { DomainOracle } from "./oracle.js";
import { KERNEL_ACTOR, LogicalClock, ProcessTable, type ProcessRecord } from "./processes.js";

export interface KernelLimits {
  /** Active contracts one process may hold at once. */
  readonly contractsPerProcess: number;
  /** Undelivered messages one receiver may have queued. */
  readonly ipcQueue: number;
}

export const DEFAULT_LIMITS: KernelLimits = { contractsPerProcess: 16, ipcQueue: 1024 };

export interface EventContext {
  readonly domain?: DomainTag;
  readonly process?: ProcessRecord;
  readonly capability?: bigint | null;
  readonly contract?: bigint | null;
}

export interface FaultContext extends EventContext {
  readonly details?: Readonly<Record<string, FaultDetail>>;
  readonly severity?: Severity;
}

const CODE_SEVERITY: Readonly<Record<ErrorCode, Severity>> = {
  DOMAIN_UNAUTHORIZED: "error",
  CONTRACT_INVALID: "error",
  RESOURCE_EXHAUSTED: "warning",
  DECOHERENCE_EXCEEDED: "error",
  COHERENCE_VIOLATION: "error",
  DOMAIN_PANIC: "critical",
};

export class KernelCore {
  readonly clock = new LogicalClock();
  readonly processes = new ProcessTable();
  readonly capabilities: CapabilityAuthority;
  readonly contracts = new ContractTable();
  readonly ipc: IpcRouter;
  #current: ProcessRecord = KERNEL_ACTOR;
  /** Events are accepted from run_start to run_end only: before boot the caller would be the kernel itself. */
  #phase: "new" | "running" | "ended" = "new";
  nextJobId = 1n;

  constructor(
    readonly keys: SeedKeys,
    readonly trace: TraceChain,
    readonly telemetry: Telemetry,
    readonly oracle: DomainOracle,
    readonly q: QProvider,
    readonly phi: PhiProvider,
    readonly limits: KernelLimits,
    readonly stdout: (text: string) => void,
  ) {
    this.capabilities = new CapabilityAuthority(keys);
    this.ipc = new IpcRouter(limits.ipcQueue);
  }

  get current(): ProcessRecord {
    return this.#current;
  }

  set current(p: ProcessRecord) {
    this.#current = p;
  }

  record(type: TraceEventType, metadata: Metadata, ctx: EventContext = {}, atLeast?: bigint): TraceEntry {
    if (this.#phase === "new" && type !== "run_start") throw new Error("the kernel has not booted: call boot() before running the program");
    if (this.#phase === "ended") throw new Error("the kernel has shut down: no event can follow run_end");
    if (type === "run_start") this.#phase = "running";
    if (type === "run_end") this.#phase = "ended";
    const p = ctx.process ?? this.#current;
    const ts = this.clock.tick(atLeast);
    return this.trace.append(
      {
        domain: ctx.domain ?? "K",
        process: p.pid,
        vhm: p.vhm_id,
        capability: ctx.capability ?? null,
        contract: ctx.contract ?? null,
        event_type: type,
        metadata,
      },
      ts,
    );
  }

  fail(code: ErrorCode, reason: FaultReason, message: string, ctx: FaultContext = {}): Err {
    const details = ctx.details ?? {};
    const entry = this.record("fault", { code, reason, message, ...details }, ctx);
    const p = ctx.process ?? this.#current;
    const eventId = BigInt(entry.event_id);
    const ts = BigInt(entry.logical_ts);
    this.telemetry.fault(
      {
        domain: ctx.domain ?? "K",
        severity: ctx.severity ?? CODE_SEVERITY[code],
        contract: ctx.contract ?? null,
        code,
        reason,
        description: message,
        process: p.pid,
        tenant: p.tenant_id,
        event_id: eventId,
      },
      ts,
    );
    const fault: AbiFault = { reason, message, details, event_id: eventId, logical_ts: ts };
    return { ok: false, code, fault };
  }

  metric(input: Omit<MetricInput, "process" | "tenant" | "severity"> & { severity?: Severity; process?: ProcessRecord }): void {
    const p = input.process ?? this.#current;
    this.telemetry.metric(
      {
        metric: input.metric,
        domain: input.domain,
        source: input.source,
        process: p.pid,
        contract: input.contract,
        value: input.value,
        unit: input.unit,
        severity: input.severity ?? "info",
        tenant: p.tenant_id,
      },
      this.clock.now(),
    );
  }

  panic(message: string, ctx: FaultContext = {}): Err {
    return this.fail("DOMAIN_PANIC", "descriptor-malformed", message, ctx);
  }

  /** The caller must be Active to act on domains, capabilities, contracts or IPC. */
  requireActive(operation: string, domain: DomainTag = "K"): Err | undefined {
    const p = this.#current;
    if (p.state === "Active") return undefined;
    return this.fail("DOMAIN_UNAUTHORIZED", "process-not-active", `${operation}: process ${p.pid} is ${p.state}, not Active`, { domain });
  }

  requireBound(domain: DomainTag, operation: string, capability: bigint | null = null): Err | undefined {
    const p = this.#current;
    if (p.domains.includes(domain)) return undefined;
    return this.fail("DOMAIN_UNAUTHORIZED", "domain-not-bound", `${operation}: process ${p.pid} has not bound domain ${domain}`, { domain, capability });
  }

  /** Validates a presented capability for the current process; logs the refusal. */
  requireCapability(id: unknown, domain: DomainTag, operation: string, contract: bigint | null = null): CapabilityRecord | Err {
    if (typeof id !== "bigint") return this.panic(`${operation}: capability id must be a u64 (bigint), got ${typeof id}`, { domain });
    const p = this.#current;
    const check = this.capabilities.check(id, { domain, pid: p.pid, tenant: p.tenant_id });
    if (check.ok) return check.record;
    return this.fail("DOMAIN_UNAUTHORIZED", check.reason, `${operation}: ${check.message}`, { domain, capability: id, contract });
  }

  /** Validates a contract for the current process; records expiry the moment it is noticed. */
  requireContract(id: unknown, domain: DomainTag, capability: bigint): Contract | Err {
    if (typeof id !== "bigint") return this.panic(`contract id must be a u64 (bigint), got ${typeof id}`, { domain, capability });
    const check = this.contracts.validate(id, this.#current.pid, domain, this.clock.peek());
    if (check.ok) return check.contract;
    if (check.expired) {
      check.expired.state = "Expired";
      this.record("contract_expire", { valid_until: check.expired.domain === "Q" ? check.expired.valid_until : null }, { domain, contract: id, capability });
      this.oracleClose(check.expired);
    }
    return this.fail("CONTRACT_INVALID", check.reason, check.message, { domain, capability, contract: id });
  }

  /** Φ envelopes hold provider state; every path out of Active discards it. */
  oracleClose(c: Contract): void {
    if (c.domain === "Φ") this.oracle.closeEnvelope(c.envelope_id);
  }

  invalidate(c: Contract, cause: string): void {
    c.state = "Invalidated";
    this.oracleClose(c);
    this.record("contract_invalidate", { cause }, { domain: c.domain, contract: c.id, capability: c.capability });
  }
}
