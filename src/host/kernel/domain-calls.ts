/**
 * `xdv_call` (XDV-052 §5): the boundary between K and the Q and Φ domain managers.
 *
 * The checks run in one fixed order, and the first failure is the answer:
 *   target is Q or Φ → caller Active → source is K → target bound by the caller →
 *   capability (issued, unrevoked, same tenant, same process, same domain) →
 *   descriptor well-formed → contract (exists, owned, same domain, Active, unexpired) →
 *   domain budgets, work and windows → execution.
 * Nothing is executed and no budget moves until every check has passed (XDV-084 §4.2: a
 * rejected call leaves no state mutation), except the faults that by specification consume
 * their contract: decoherence over budget (XDV-060 §7.3) and coherence violations (XDV-061 §4.3).
 */
import { QSimulationFault } from "../q/provider.js";
import { ok, type DomainTag, type Err, type PhiStabilityReport, type PhiTransformDescriptor, type PhiTransformResult, type QJobResult, type Result } from "#runtime/abi.js";
import type { PhiReading } from "../phi/provider.js";
import { canonicalJson, sha256Hex } from "../trace/canonical-json.js";
import { basisPoints, utilisationSeverity } from "../telemetry/telemetry.js";
import type { PhiContract, QContract } from "./contracts.js";
import { windowEnd } from "./contracts.js";
import type { KernelCore } from "./core.js";
import { satAdd } from "./u64.js";
import type { QJobOutcome, RemoteFault } from "./oracle.js";

function isErr(v: unknown): v is Err {
  return typeof v === "object" && v !== null && (v as { ok?: unknown }).ok === false;
}

function isU32(v: unknown, min = 0): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= min && v <= 0xffffffff;
}

/** Guards common to every domain call; returns the capability id once they all pass. */
function boundary(core: KernelCore, source: unknown, target: DomainTag, capabilityId: unknown): bigint | Err {
  const active = core.requireActive("xdv_call", target);
  if (active) return active;
  if (source !== "K") {
    return core.fail("DOMAIN_UNAUTHORIZED", "source-not-k", `xdv_call: cross-domain calls originate in K, not ${String(source)}`, { domain: target });
  }
  const bound = core.requireBound(target, "xdv_call", typeof capabilityId === "bigint" ? capabilityId : null);
  if (bound) return bound;
  const cap = core.requireCapability(capabilityId, target, "xdv_call");
  if (isErr(cap)) return cap;
  return cap.id;
}

/** A Q job with its measurement spec resolved, whichever form the caller used. */
interface QJob {
  readonly contract_id: bigint;
  readonly qubit_count: number;
  readonly circuit: string;
  readonly shots: number;
  readonly per_shot: boolean;
}

/** Reads either form of `QJobDescriptor` (abi.ts); a string says what is malformed. */
function readQJob(d: unknown): QJob | string {
  if (typeof d !== "object" || d === null) return "a Q job descriptor must be a record";
  const r = d as Record<string, unknown>;
  if (typeof r["contract_id"] !== "bigint") return "contract_id must be a u64 (bigint)";
  if (!isU32(r["qubit_count"], 1)) return "qubit_count must be a u32 of at least 1";
  if (typeof r["circuit"] !== "string") return "circuit must be OpenQASM 2.0 text";
  const nested = r["measurement_spec"];
  if (nested !== undefined && ("shots" in r || "per_shot" in r)) return "give shots and per_shot in measurement_spec or at the top level, not both";
  const spec = (nested === undefined ? r : nested) as Record<string, unknown> | null;
  if (typeof spec !== "object" || spec === null) return "measurement_spec must be a record { shots, per_shot }";
  if (!isU32(spec["shots"], 1)) return "shots must be a u32 of at least 1";
  if (spec["per_shot"] !== undefined && typeof spec["per_shot"] !== "boolean") return "per_shot must be a bool";
  return { contract_id: r["contract_id"], qubit_count: r["qubit_count"], circuit: r["circuit"], shots: spec["shots"], per_shot: spec["per_shot"] === true };
}

export function submitQJob(core: KernelCore, source: unknown, descriptor: unknown, capabilityId: unknown): Result<QJobResult> {
  const cap = boundary(core, source, "Q", capabilityId);
  if (isErr(cap)) return cap;
  const job = readQJob(descriptor);
  if (typeof job === "string") return core.panic(`xdv_call(K, Q): ${job}`, { domain: "Q", capability: cap });
  const found = core.requireContract(job.contract_id, "Q", cap);
  if (isErr(found)) return found;
  const contract = found as QContract;
  const ctx = { domain: "Q" as const, capability: cap, contract: contract.id };

  if (job.qubit_count > contract.qubits) {
    return core.fail("RESOURCE_EXHAUSTED", "budget-qubits", `job declares ${job.qubit_count} qubits, contract ${contract.id} reserves ${contract.qubits}`, ctx);
  }
  if (job.shots > core.q.config.maxShots) {
    return core.fail("RESOURCE_EXHAUSTED", "provider-capacity", `job asks for ${job.shots} shots, the provider runs at most ${core.q.config.maxShots}`, ctx);
  }
  if (contract.shots_used + BigInt(job.shots) > contract.shot_budget) {
    const left = contract.shot_budget - contract.shots_used;
    return core.fail("RESOURCE_EXHAUSTED", "budget-shots", `job asks for ${job.shots} shots, contract ${contract.id} has ${left} left`, ctx);
  }
  const compiled = core.q.compile(job.circuit);
  if (!compiled.ok) {
    return core.fail("DOMAIN_PANIC", compiled.category, `OpenQASM line ${compiled.line}, column ${compiled.column}: ${compiled.message}`, {
      ...ctx,
      details: { line: compiled.line, column: compiled.column, provider_code: compiled.category === "gate-unsupported" ? "Q_ERR_GATE_UNSUPPORTED" : "Q_ERR_CIRCUIT_INVALID" },
    });
  }
  const circuit = compiled.circuit;
  if (circuit.qubits > job.qubit_count) {
    return core.fail("RESOURCE_EXHAUSTED", "budget-qubits", `circuit declares ${circuit.qubits} qubits, the job descriptor only ${job.qubit_count}`, ctx);
  }
  const capacity = core.q.capacityProblem(circuit);
  if (capacity !== null) return core.fail("RESOURCE_EXHAUSTED", "provider-capacity", capacity, ctx);
  const work = core.q.estimateWork(circuit, job.shots);
  if (work > core.q.config.maxWork) {
    return core.fail("RESOURCE_EXHAUSTED", "provider-capacity", `job would cost ${work} amplitude updates, the provider runs at most ${core.q.config.maxWork} per job`, ctx);
  }
  const depth = BigInt(circuit.depth);
  if (contract.decoherence_used + depth > contract.decoherence_budget) {
    const left = contract.decoherence_budget - contract.decoherence_used;
    const err = core.fail("DECOHERENCE_EXCEEDED", "budget-decoherence", `circuit depth ${depth} exceeds the ${left} decoherence units left on contract ${contract.id}`, {
      ...ctx,
      details: { depth: circuit.depth, remaining: left, provider_code: "Q_ERR_DECOHERENCE_EXCEEDED" },
    });
    core.invalidate(contract, "decoherence budget exceeded");
    return err;
  }

  const jobId = core.nextJobId++;
  const perShot = job.per_shot;
  core.record(
    "domain_enter",
    {
      source: "K",
      target: "Q",
      job_id: jobId,
      qubit_count: job.qubit_count,
      shots: job.shots,
      per_shot: perShot,
      depth: circuit.depth,
      gate_count: circuit.gateCount,
      circuit_sha256: sha256Hex(job.circuit),
    },
    ctx,
  );
  let outcome: QJobOutcome | RemoteFault;
  try {
    outcome = core.oracle.runQJob({ job_id: jobId, contract_id: contract.id, source: job.circuit, circuit, shots: job.shots, per_shot: perShot });
  } catch (e) {
    // The state stopped being normalised: fail the job (nothing is spent) rather than return
    // counts drawn from garbage.
    if (e instanceof QSimulationFault) {
      return core.fail("DOMAIN_PANIC", "simulation-invalid", e.message, { ...ctx, details: { provider_code: "Q_ERR_SIMULATION_INVALID" } });
    }
    throw e;
  }
  if ("fault" in outcome) {
    // XDV-041 §6.1: the remote job is aborted and its contract can no longer be trusted.
    const f = outcome.fault;
    const err = core.fail(f.code, f.reason, f.message, { ...ctx, details: f.details });
    if (f.code === "CONTRACT_INVALID") core.invalidate(contract, f.message);
    core.record("domain_exit", { source: "Q", target: "K", job_id: jobId, status: f.code }, ctx);
    return err;
  }
  contract.decoherence_used += depth;
  contract.shots_used += BigInt(job.shots);
  contract.jobs += 1n;
  const remaining = contract.decoherence_budget - contract.decoherence_used;
  const counts: Record<string, number> = {};
  for (const c of outcome.counts) counts[c.bitstring] = c.count;
  const entry = core.record(
    "q_result",
    {
      job_id: jobId,
      counts,
      per_shot: outcome.per_shot === null ? null : [...outcome.per_shot],
      depth: circuit.depth,
      decoherence_used: contract.decoherence_used,
      decoherence_remaining: remaining,
      ...(outcome.remote ? { remote: outcome.remote } : {}),
    },
    ctx,
  );
  const utilisation = basisPoints(contract.decoherence_used, contract.decoherence_budget);
  core.metric({ metric: "domain_calls", domain: "Q", source: "kernel", contract: contract.id, value: core.telemetry.countDomainCall("Q"), unit: "count" });
  core.metric({ metric: "q_decoherence_used", domain: "Q", source: "q-provider", contract: contract.id, value: contract.decoherence_used, unit: "depth" });
  core.metric({ metric: "q_contract_utilisation", domain: "Q", source: "kernel", contract: contract.id, value: utilisation, unit: "bp", severity: utilisationSeverity(utilisation) });
  core.metric({ metric: "q_shots", domain: "Q", source: "q-provider", contract: contract.id, value: BigInt(job.shots), unit: "count" });
  core.record("domain_exit", { source: "Q", target: "K", job_id: jobId, status: "OK" }, ctx);
  return ok({
    job_id: jobId,
    contract_id: contract.id,
    shots: job.shots,
    counts: outcome.counts,
    per_shot: outcome.per_shot,
    depth: circuit.depth,
    decoherence_used: contract.decoherence_used,
    decoherence_remaining: remaining,
    logical_ts: BigInt(entry.logical_ts),
  });
}

function describePhiTransform(d: unknown): string | undefined {
  if (typeof d !== "object" || d === null) return "a Φ transform descriptor must be a record";
  const r = d as Record<string, unknown>;
  if (typeof r["contract_id"] !== "bigint") return "contract_id must be a u64 (bigint)";
  if (!isU32(r["transform_id"])) return "transform_id must be a u32";
  if (typeof r["coherence_start"] !== "bigint" || r["coherence_start"] < 0n) return "coherence_start must be a u64 (bigint)";
  if (typeof r["duration"] !== "bigint" || r["duration"] < 1n) return "duration must be a u64 of at least 1";
  if (!isU32(r["stability_tolerance"]) || (r["stability_tolerance"] as number) > 10000) return "stability_tolerance must be basis points, 0..10000";
  return undefined;
}

/** The stability report the program sees, sealed with a checksum over its own fields. */
function stabilityReport(c: PhiContract, reading: PhiReading, tolerance: number, ts: bigint): PhiStabilityReport {
  const body = { envelope_id: c.envelope_id, stability_level: reading.stability_level, noise_index: reading.noise_index, tolerance, logical_ts: ts };
  return { ...body, integrity_checksum: sha256Hex(canonicalJson(body)) };
}

/** Takes a reading, records it, and enforces the tolerance (XDV-061 §6.3 on a breach). */
function measureStability(core: KernelCore, c: PhiContract, tolerance: number, cap: bigint): PhiStabilityReport | Err {
  const ctx = { domain: "Φ" as const, capability: cap, contract: c.id };
  const at = core.clock.peek();
  const reading = core.oracle.probePhi({ envelope_id: c.envelope_id, window_start: c.window_start, window_duration: c.window_duration }, at);
  if ("fault" in reading) return remotePhiFault(core, c, reading, ctx);
  const report = stabilityReport(c, reading, tolerance, at);
  core.record(
    "phi_stability",
    {
      envelope_id: c.envelope_id,
      stability_level: reading.stability_level,
      noise_index: reading.noise_index,
      tolerance,
      integrity_checksum: report.integrity_checksum,
      ...(reading.remote ? { remote: reading.remote } : {}),
    },
    ctx,
  );
  core.metric({ metric: "phi_stability", domain: "Φ", source: "phi-provider", contract: c.id, value: BigInt(reading.stability_level), unit: "bp", severity: reading.stability_level < tolerance ? "error" : "info" });
  if (reading.stability_level < tolerance) {
    const err = core.fail("COHERENCE_VIOLATION", "stability-breach", `envelope ${c.envelope_id} stability ${reading.stability_level} bp fell below the tolerance of ${tolerance} bp`, {
      ...ctx,
      details: { stability_level: reading.stability_level, tolerance, provider_code: "PHI_ERR_STABILITY_BREACH" },
    });
    core.invalidate(c, "stability breach");
    return err;
  }
  return report;
}

/** XDV-041 §6.1: the node serving the envelope refused or is gone; the contract is void. */
function remotePhiFault(core: KernelCore, c: PhiContract, outcome: RemoteFault, ctx: { domain: "Φ"; capability: bigint; contract: bigint }): Err {
  const f = outcome.fault;
  const err = core.fail(f.code, f.reason, f.message, { ...ctx, details: f.details });
  if (f.code === "CONTRACT_INVALID") core.invalidate(c, f.message);
  return err;
}

export function invokePhiTransform(core: KernelCore, source: unknown, descriptor: unknown, capabilityId: unknown): Result<PhiTransformResult> {
  const cap = boundary(core, source, "Φ", capabilityId);
  if (isErr(cap)) return cap;
  const shapeProblem = describePhiTransform(descriptor);
  if (shapeProblem) return core.panic(`xdv_call(K, Φ): ${shapeProblem}`, { domain: "Φ", capability: cap });
  const t = descriptor as PhiTransformDescriptor;
  const found = core.requireContract(t.contract_id, "Φ", cap);
  if (isErr(found)) return found;
  const c = found as PhiContract;
  const ctx = { domain: "Φ" as const, capability: cap, contract: c.id };

  if (!core.phi.supports(t.transform_id)) {
    return core.fail("DOMAIN_PANIC", "transform-unsupported", `transform ${t.transform_id} is not in the provider's transform set`, {
      ...ctx,
      details: { transform_id: t.transform_id, provider_code: "PHI_ERR_TRANSFORM_UNSUPPORTED" },
    });
  }
  if (c.transforms_used >= c.transform_budget) {
    return core.fail("RESOURCE_EXHAUSTED", "budget-transforms", `contract ${c.id} has used all ${c.transform_budget} transforms`, ctx);
  }
  // The transform executes at the next tick; it and its requested span must lie in the window.
  const at = core.clock.peek();
  const requestedEnd = satAdd(t.coherence_start, t.duration);
  const inEnvelope = t.coherence_start >= c.window_start && requestedEnd <= windowEnd(c);
  const inSpan = at >= t.coherence_start && at < requestedEnd;
  if (!inEnvelope || !inSpan) {
    const why = !inEnvelope
      ? `requested span [${t.coherence_start}, ${requestedEnd}) is not inside envelope ${c.envelope_id}'s window [${c.window_start}, ${windowEnd(c)})`
      : `logical time ${at} is outside the requested span [${t.coherence_start}, ${requestedEnd})`;
    const err = core.fail("COHERENCE_VIOLATION", "window-outside", `transform ${t.transform_id}: ${why}`, {
      ...ctx,
      details: { at, window_start: c.window_start, window_end: windowEnd(c), provider_code: "PHI_ERR_COHERENCE_TIMEOUT" },
    });
    core.invalidate(c, "transform outside coherence window");
    return err;
  }

  const tolerance = Math.max(t.stability_tolerance, c.stability_tolerance);
  core.record(
    "domain_enter",
    { source: "K", target: "Φ", transform_id: t.transform_id, envelope_id: c.envelope_id, coherence_start: t.coherence_start, duration: t.duration, tolerance },
    ctx,
  );
  const report = measureStability(core, c, tolerance, cap);
  if (isErr(report)) {
    core.record("domain_exit", { source: "Φ", target: "K", transform_id: t.transform_id, status: report.code }, ctx);
    return report;
  }
  const projection = core.oracle.applyPhi(c.envelope_id, t.transform_id, { stability_level: report.stability_level, noise_index: report.noise_index });
  if ("fault" in projection) {
    const err = remotePhiFault(core, c, projection, ctx);
    core.record("domain_exit", { source: "Φ", target: "K", transform_id: t.transform_id, status: err.code }, ctx);
    return err;
  }
  c.transforms_used += 1n;
  const entry = core.record(
    "phi_result",
    {
      transform_id: t.transform_id,
      envelope_id: c.envelope_id,
      dominant_mode: projection.dominant_mode,
      coherence_index: projection.coherence_index,
      ...(projection.remote ? { remote: projection.remote } : {}),
    },
    ctx,
  );
  const utilisation = basisPoints(c.transforms_used, c.transform_budget);
  core.metric({ metric: "domain_calls", domain: "Φ", source: "kernel", contract: c.id, value: core.telemetry.countDomainCall("Φ"), unit: "count" });
  core.metric({ metric: "phi_contract_utilisation", domain: "Φ", source: "kernel", contract: c.id, value: utilisation, unit: "bp", severity: utilisationSeverity(utilisation) });
  core.record("domain_exit", { source: "Φ", target: "K", transform_id: t.transform_id, status: "OK" }, ctx);
  return ok({
    transform_id: t.transform_id,
    envelope_id: c.envelope_id,
    status: "STABLE",
    dominant_mode: projection.dominant_mode,
    coherence_index: projection.coherence_index,
    stability: report,
    logical_ts: BigInt(entry.logical_ts),
  });
}

/** Stability monitoring without a transform (XDV-081 §5.3 "Monitor stability"). */
export function probePhiStability(core: KernelCore, contractId: unknown, capabilityId: unknown): Result<PhiStabilityReport> {
  const active = core.requireActive("phi_stability", "Φ");
  if (active) return active;
  const cap = core.requireCapability(capabilityId, "Φ", "phi_stability");
  if (isErr(cap)) return cap;
  const found = core.requireContract(contractId, "Φ", cap.id);
  if (isErr(found)) return found;
  const c = found as PhiContract;
  const report = measureStability(core, c, c.stability_tolerance, cap.id);
  return isErr(report) ? report : ok(report);
}
