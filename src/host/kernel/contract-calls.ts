/**
 * Resource contracts (XDV-023, XDV-081 §6) as the ABI exposes them: acquisition (the
 * kernel's half of `acquire_q_contract` and `request_coherence_window`), release, status.
 *
 * The guards run in a fixed order, each recording its own refusal: caller Active → request
 * is a record → domain bound → capability valid for the domain → terms well-formed →
 * provider capacity / window free → per-process contract limit. Only then is a contract
 * created, recorded, and (for Φ) its envelope opened in the provider. A refused request
 * leaves no contract, no envelope and no budget behind (XDV-084 §4.2 "no state mutation").
 */
import { satAdd } from "./u64.js";
import { ok, type ContractStatus, type DomainTag, type Err, type PhiContractRequest, type QContractRequest, type ResourceContractHandle, type Result } from "#runtime/abi.js";
import { basisPoints } from "../telemetry/telemetry.js";
import { contractStatus, type Contract, type PhiContract, type QContract } from "./contracts.js";
import type { KernelCore } from "./core.js";
import type { ProcessRecord } from "./processes.js";

function isErr(v: unknown): v is Err {
  return typeof v === "object" && v !== null && (v as { ok?: unknown }).ok === false;
}

export function acquireQContract(core: KernelCore, request: QContractRequest): Result<ResourceContractHandle> {
  const guard = contractGuard(core, "Q", request);
  if (isErr(guard)) return guard;
  const r = request as unknown as Record<string, unknown>;
  const qubits = r["qubits"];
  const ctx = { domain: "Q" as const, capability: guard };
  if (typeof qubits !== "number" || !Number.isInteger(qubits) || qubits < 1) return core.panic("acquire_q_contract: qubits must be a u32 of at least 1", ctx);
  for (const key of ["decoherence_budget", "shot_budget", "lifetime"]) {
    const v = r[key];
    if (typeof v !== "bigint" || v < 1n) return core.panic(`acquire_q_contract: ${key} must be a u64 of at least 1`, ctx);
  }
  if (qubits > core.q.config.maxQubits) {
    return core.fail("RESOURCE_EXHAUSTED", "provider-capacity", `contract asks for ${qubits} qubits, the provider has ${core.q.config.maxQubits}`, ctx);
  }
  const limit = contractLimit(core, ctx);
  if (limit) return limit;
  const p = core.current;
  const acquiredAt = core.clock.peek();
  const id = core.contracts.nextId();
  const placed = core.oracle.placeQContract?.({ contract_id: id, pid: p.pid, tenant: p.tenant_id, qubits, logical_ts: acquiredAt }) ?? { remote: null };
  if ("fault" in placed) return core.fail(placed.fault.code, placed.fault.reason, placed.fault.message, { ...ctx, details: placed.fault.details });
  const contract: QContract = {
    id,
    domain: "Q",
    owner: p.pid,
    tenant: p.tenant_id,
    capability: guard,
    acquired_ts: acquiredAt,
    state: "Active",
    qubits,
    decoherence_budget: request.decoherence_budget,
    shot_budget: request.shot_budget,
    valid_until: satAdd(acquiredAt, request.lifetime),
    decoherence_used: 0n,
    shots_used: 0n,
    jobs: 0n,
  };
  core.contracts.add(contract);
  core.record(
    "contract_acquire",
    {
      qubits,
      decoherence_budget: contract.decoherence_budget,
      shot_budget: contract.shot_budget,
      valid_until: contract.valid_until,
      calibration_profile: core.q.config.calibrationProfile,
      ...(placed.remote ? { remote: placed.remote } : {}),
    },
    { ...ctx, contract: contract.id },
  );
  return ok({ id: contract.id, domain: "Q", valid: true });
}

export function acquirePhiContract(core: KernelCore, request: PhiContractRequest): Result<ResourceContractHandle> {
  const guard = contractGuard(core, "Φ", request);
  if (isErr(guard)) return guard;
  const r = request as unknown as Record<string, unknown>;
  const ctx = { domain: "Φ" as const, capability: guard };
  const tolerance = r["stability_tolerance"];
  if (typeof tolerance !== "number" || !Number.isInteger(tolerance) || tolerance < 0 || tolerance > 10000) {
    return core.panic("acquire_phi_contract: stability_tolerance must be basis points, 0..10000", ctx);
  }
  if (typeof r["window_start"] !== "bigint" || (r["window_start"] as bigint) < 0n) return core.panic("acquire_phi_contract: window_start must be a u64", ctx);
  for (const key of ["window_duration", "transform_budget"]) {
    const v = r[key];
    if (typeof v !== "bigint" || v < 1n) return core.panic(`acquire_phi_contract: ${key} must be a u64 of at least 1`, ctx);
  }
  const start = request.window_start;
  const duration = request.window_duration;
  if (start < core.clock.peek()) {
    return core.fail("CONTRACT_INVALID", "window-invalid", `coherence window starts at ${start}, which is already past (now ${core.clock.now()})`, ctx);
  }
  if (duration > core.phi.config.maxCoherenceDuration) {
    return core.fail("RESOURCE_EXHAUSTED", "provider-capacity", `coherence window of ${duration} ticks exceeds the provider's ${core.phi.config.maxCoherenceDuration}`, ctx);
  }
  const overlap = core.contracts.overlappingWindow(start, duration);
  if (overlap) {
    return core.fail("RESOURCE_EXHAUSTED", "window-unavailable", `window [${start}, ${satAdd(start, duration)}) overlaps envelope ${overlap.envelope_id} of contract ${overlap.id}`, ctx);
  }
  const limit = contractLimit(core, ctx);
  if (limit) return limit;
  const p = core.current;
  const id = core.contracts.nextId();
  const envelopeId = core.contracts.nextEnvelopeId();
  const acquiredAt = core.clock.peek();
  const placed = core.oracle.placePhiContract?.({ contract_id: id, envelope_id: envelopeId, pid: p.pid, tenant: p.tenant_id, logical_ts: acquiredAt }) ?? { remote: null };
  if ("fault" in placed) return core.fail(placed.fault.code, placed.fault.reason, placed.fault.message, { ...ctx, details: placed.fault.details });
  const contract: PhiContract = {
    id,
    domain: "Φ",
    owner: p.pid,
    tenant: p.tenant_id,
    capability: guard,
    acquired_ts: acquiredAt,
    state: "Active",
    envelope_id: envelopeId,
    window_start: start,
    window_duration: duration,
    stability_tolerance: tolerance,
    transform_budget: request.transform_budget,
    transforms_used: 0n,
  };
  core.contracts.add(contract);
  core.oracle.openEnvelope(contract.envelope_id);
  core.record(
    "contract_acquire",
    {
      envelope_id: contract.envelope_id,
      window_start: start,
      window_duration: duration,
      stability_tolerance: tolerance,
      transform_budget: contract.transform_budget,
      ...(placed.remote ? { remote: placed.remote } : {}),
    },
    { ...ctx, contract: contract.id },
  );
  return ok({ id: contract.id, domain: "Φ", valid: true });
}

/** Caller Active, domain bound, request a record, capability valid for the domain. */
function contractGuard(core: KernelCore, domain: DomainTag, request: unknown): bigint | Err {
  const op = domain === "Q" ? "acquire_q_contract" : "acquire_phi_contract";
  const active = core.requireActive(op, domain);
  if (active) return active;
  if (typeof request !== "object" || request === null) return core.panic(`${op} expects a request record`, { domain });
  const bound = core.requireBound(domain, op);
  if (bound) return bound;
  const cap = core.requireCapability((request as Record<string, unknown>)["capability"], domain, op);
  return isErr(cap) ? cap : cap.id;
}

function contractLimit(core: KernelCore, ctx: { domain: DomainTag; capability: bigint }): Err | undefined {
  const held = core.contracts.activeOf(core.current.pid).length;
  if (held < core.limits.contractsPerProcess) return undefined;
  return core.fail("RESOURCE_EXHAUSTED", "budget-contracts", `process ${core.current.pid} already holds ${held} active contracts`, ctx);
}

export function releaseContract(core: KernelCore, contractId: unknown): Result<undefined> {
  const c = ownedContract(core, contractId, "release_contract");
  if (isErr(c)) return c;
  if (c.state === "Released") {
    return core.fail("CONTRACT_INVALID", "contract-released", `contract ${c.id} was already released`, { domain: c.domain, contract: c.id });
  }
  releaseOne(core, c, "request");
  return ok(undefined);
}

export function contractStatusOf(core: KernelCore, contractId: unknown): Result<ContractStatus> {
  const c = ownedContract(core, contractId, "contract_status");
  return isErr(c) ? c : ok(contractStatus(c, core.clock.peek()));
}

/**
 * Gives one contract back: by request, or at its owner's termination (XDV-081 §6 "release
 * contracts deterministically"; the kernel releases in contract id order). An envelope's
 * phase state is discarded with it.
 */
export function releaseOne(core: KernelCore, c: Contract, cause: "request" | "termination", owner?: ProcessRecord): void {
  const stateBefore = c.state;
  c.state = "Released";
  core.oracleClose(c);
  const remote = core.oracle.releaseContract?.(c.id, cause) ?? null;
  const used = c.domain === "Q" ? c.decoherence_used : c.transforms_used;
  const budget = c.domain === "Q" ? c.decoherence_budget : c.transform_budget;
  const ctx = { domain: c.domain, contract: c.id, capability: c.capability, ...(owner ? { process: owner } : {}) };
  core.record("contract_release", { cause, state_before: stateBefore, used, budget, ...(remote ? { remote } : {}) }, ctx);
  core.metric({ metric: "contract_utilisation_at_release", domain: c.domain, source: "kernel", contract: c.id, value: basisPoints(used, budget), unit: "bp", ...(owner ? { process: owner } : {}) });
}

/** A contract the caller owns, in any state; the refusal is recorded. */
function ownedContract(core: KernelCore, contractId: unknown, operation: string): Contract | Err {
  if (core.current.state === "Terminated") return core.fail("DOMAIN_UNAUTHORIZED", "process-not-active", `${operation}: the calling process has terminated`);
  if (typeof contractId !== "bigint") return core.panic(`${operation}: contract id must be a u64 (bigint)`);
  const c = core.contracts.get(contractId);
  if (!c) return core.fail("CONTRACT_INVALID", "contract-unknown", `${operation}: no contract ${contractId} was ever issued`, { contract: contractId });
  if (c.owner !== core.current.pid) {
    return core.fail("CONTRACT_INVALID", "contract-wrong-owner", `${operation}: contract ${c.id} belongs to process ${c.owner}`, { domain: c.domain, contract: c.id });
  }
  return c;
}
