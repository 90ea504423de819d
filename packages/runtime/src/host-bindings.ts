/**
 * Host implementations of the stdlib's bodiless functions, by name, on top of `HybridAbi`.
 *
 * This table is the whole of "the host implements it": every row calls one ABI operation
 * and converts the values both ways (./marshal.ts), so any implementation of the ABI (the
 * embedded kernel, its replay twin, a recording wrapper, a remote node) serves every row
 * without a change here. `dplc build` warns about every host-bound declaration that has no
 * row, so a new bodiless function in the stdlib cannot be forgotten silently.
 * stdlib/HOST_FUNCTIONS.md documents each row for implementers of the ABI.
 *
 * Failures are values: an ABI `Err` becomes a DPL `Err(ErrorCode::X)`; the only exception
 * that may pass through is `HostHalt` (a replay that diverged), which ends the run.
 */
import { randomBytes } from "node:crypto";
import type { HostInputPrimitive, HybridAbi, LifecycleState, MetricRequest, Result as AbiResult, RuntimeEvent, Severity } from "./abi.js";
import { Err, None, Ok, Some, Vec, type MutRef } from "./index.js";
import { isSealed } from "./domains.js";
import {
  abiDomain,
  capabilityValue,
  contractHandleValue,
  contractStatusValue,
  errorCodeValue,
  faultOf,
  ipcMessageValue,
  option,
  processInfoValue,
  stabilityValue,
  tag,
  toAbi,
  type Tag,
} from "./marshal.js";

export type HostArgs = readonly unknown[];
export type HostImpl = (abi: HybridAbi, args: HostArgs) => unknown;

/** An ABI result as a DPL `Result`, the success value converted by `map`. */
export function result<T>(r: AbiResult<T>, map: (v: T) => unknown = (v) => v): unknown {
  return r.ok ? Ok(map(r.value)) : Err(errorCodeValue(r.code, r.fault));
}

const unit = (): undefined => undefined;

function lifecycle(v: unknown): LifecycleState {
  return (v as Tag).$tag as LifecycleState;
}

/**
 * XDV-081 §9.1 `RuntimeEvent` (runtime/replay/replay_hooks.ds) as the ABI's event. The
 * event's domain, capability and contract become the trace entry's own fields (XDV-071
 * §3.2 has a column for each); what the entry has no column for travels as data. An
 * absent capability or contract is `null`, which the trace spells the same way.
 */
export function runtimeEvent(v: unknown): RuntimeEvent {
  const e = v as { kind: Tag; domain: Tag; process_id: bigint; capability_id: unknown; contract_id: unknown; detail: string; value: bigint };
  return {
    kind: e.kind.$tag,
    domain: abiDomain(e.domain),
    capability: toAbi(e.capability_id) as bigint | null,
    contract: toAbi(e.contract_id) as bigint | null,
    data: { process_id: e.process_id, detail: e.detail, value: e.value },
  };
}

/** runtime/telemetry/metrics.ds `MetricRequest`; XDV-070 severities are lower case. */
export function metricRequest(v: unknown): MetricRequest {
  const m = v as { metric: string; domain: Tag; value: bigint; unit: string; severity: Tag };
  return { metric: m.metric, domain: abiDomain(m.domain), value: m.value, unit: m.unit, severity: m.severity.$tag.toLowerCase() as Severity };
}

let nextThread = 1n;

const RUNTIME_BINDINGS: readonly (readonly [string, HostImpl])[] = [
  // runtime/process/lifecycle.ds
  ["host_self", (abi) => processInfoValue(abi.self())],
  ["host_process_info", (abi, [pid]) => result(abi.processInfo(pid as bigint), processInfoValue)],
  ["host_transition", (abi, [pid, to]) => result(abi.transition(pid as bigint, lifecycle(to)), tag)],
  ["host_bind_domains", (abi, [pid, domains]) => result(abi.transition(pid as bigint, "DomainBound", (domains as Vec<unknown>).data.map(abiDomain)), tag)],
  ["host_spawn_process", (abi) => result(abi.spawnProcess())],
  ["host_spawn_guest", (abi) => result(abi.spawnGuest())],
  // runtime/domain/k_api.ds
  ["host_now", (abi) => abi.now()],
  ["host_wait_until", (abi, [until]) => result(abi.waitUntil(until as bigint))],
  ["host_switch_to", (abi, [pid]) => result(abi.switchTo(pid as bigint))],
  // runtime/capability/capability_handle.ds
  ["host_request_capability", (abi, [d]) => result(abi.requestCapability(abiDomain(d)), capabilityValue)],
  ["host_revoke_capability", (abi, [id]) => result(abi.revokeCapability(id as bigint), unit)],
  ["host_validate_capability", (abi, [id, d]) => result(abi.validateCapability(id as bigint, abiDomain(d)), capabilityValue)],
  // runtime/contracts/resource.ds
  ["host_release_contract", (abi, [id]) => result(abi.releaseContract(id as bigint), unit)],
  ["host_contract_status", (abi, [id]) => result(abi.contractStatus(id as bigint), contractStatusValue)],
  // runtime/domain/q_api.ds and phi_api.ds
  ["host_acquire_q_contract", (abi, [request]) => result(abi.acquireQContract(toAbi(request) as never), contractHandleValue)],
  ["host_acquire_phi_contract", (abi, [request]) => result(abi.acquirePhiContract(toAbi(request) as never), contractHandleValue)],
  ["host_phi_stability", (abi, [contract, cap]) => result(abi.phiStability(contract as bigint, cap as bigint), stabilityValue)],
  // runtime/ipc/cross_domain_ipc.ds
  ["host_ipc_send", (abi, [request]) => result(abi.ipcSend(toAbi(request) as never))],
  ["host_ipc_receive", (abi) => result(abi.ipcReceive(), (m) => option(m, ipcMessageValue))],
  // runtime/replay/replay_hooks.ds: the DPL signature returns (), so the event id is dropped;
  // a refusal is still a fault entry in the trace.
  ["record_event", (abi, [e]) => {
    abi.recordEvent(runtimeEvent(e));
    return undefined;
  }],
  // runtime/telemetry/metrics.ds
  ["host_emit_metric", (abi, [m]) => result(abi.emitMetric(metricRequest(m)))],
];

/**
 * The nondeterministic primitives of the prelude (legal in plain user code only, DPL6001).
 * Their values come from outside the deterministic model, so each one goes through the
 * ABI's `hostInput`: the recording kernel stores the value in the trace and the replay
 * kernel hands the recorded one back, which keeps "a replay prints the same output" true.
 */
function hostInput(abi: HybridAbi, primitive: HostInputPrimitive, key: string, live: () => string | null): string | null {
  return abi.hostInput ? abi.hostInput(primitive, key, live) : live();
}

const PRELUDE_BINDINGS: readonly (readonly [string, HostImpl])[] = [
  ["wall_clock", (abi) => BigInt(hostInput(abi, "wall_clock", "", () => String(BigInt(Date.now()) * 1_000_000n)) ?? 0)],
  ["random_u64", (abi) => BigInt(hostInput(abi, "random_u64", "", () => randomBytes(8).readBigUInt64BE().toString()) ?? 0)],
  ["env_var", (abi, [name]) => {
    const key = String(name);
    const v = hostInput(abi, "env_var", key, () => process.env[key] ?? null);
    return v === null ? None : Some(v);
  }],
  // JavaScript gives a program one thread; a thread that runs to completion before its
  // spawner resumes is one of the interleavings a real thread could produce, so that is
  // the schedule used. The id counts spawns from 1.
  ["spawn_thread", (_abi, [task]) => {
    (task as () => void)();
    return nextThread++;
  }],
];

/** A fault detail that is a u32 (`line`, `column`), as a DPL `Option<u32>`. */
function u32Detail(v: unknown): unknown {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff ? Some(v) : None;
}

/**
 * Host functions that read only their arguments: they need no ABI, so they answer the same
 * under any kernel and with none bound (`node main.js`).
 */
export const VALUE_BINDINGS: ReadonlyMap<string, (abi: HybridAbi | null, args: HostArgs) => unknown> = new Map<string, (abi: HybridAbi | null, args: HostArgs) => unknown>([
  // prelude/domains.ds `ErrorCode::detail`: the fields in `ErrorDetail`'s declaration order.
  ["error_detail", (_abi, [code]) => {
    const f = faultOf(code);
    if (f === undefined) return None;
    return Some({ reason: f.reason, message: f.message, line: u32Detail(f.details["line"]), column: u32Detail(f.details["column"]) });
  }],
  // std/mem.ds: the `&mut T` of generic code is a `MutRef` (see moved()).
  ["mem_swap", (_abi, [a, b]) => {
    const x = a as MutRef<unknown>;
    const y = b as MutRef<unknown>;
    const held = moved(x.value);
    x.value = moved(y.value);
    y.value = held;
    return undefined;
  }],
  ["mem_replace", (_abi, [dest, src]) => {
    const d = dest as MutRef<unknown>;
    const old = moved(d.value);
    d.value = src;
    return old;
  }],
  // std/env.ds `args()`: what the runner gave `_entry` as argv (setProgramArgs).
  ["env_args", () => Vec.from([...programArgs])],
]);

let programArgs: readonly string[] = [];

/** The program's arguments, its name first, as `std::env::args()` yields them. */
export function setProgramArgs(argv: readonly string[]): void {
  programArgs = [...argv];
}

/**
 * A value moved out of a `&mut` place. A `MutRef` over an in-place object (a struct or a
 * Vec reached through a `&mut` the caller holds) writes by copying into that object, so
 * the value read before the write must be a copy of the object, not the object itself:
 * the copy is what a Rust move takes (the same fields; a Vec's elements, not a clone of
 * them). Immutable values (numbers, strings, enums, tuples, Q/Φ values) move as they are.
 */
function moved(v: unknown): unknown {
  if (v instanceof Vec) return new Vec(v.data);
  if (typeof v !== "object" || v === null || Array.isArray(v) || Object.isFrozen(v) || isSealed(v) || "$tag" in v) return v;
  return Object.create(Object.getPrototypeOf(v) as object, Object.getOwnPropertyDescriptors(v)) as unknown;
}

export const HOST_BINDINGS: ReadonlyMap<string, HostImpl> = new Map<string, HostImpl>([
  ...RUNTIME_BINDINGS,
  ...PRELUDE_BINDINGS,
  ...VALUE_BINDINGS,
]);
