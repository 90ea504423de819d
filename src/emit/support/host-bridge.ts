/**
 * The bridge between emitted DPL code and the Hybrid Runtime ABI (`src/host/abi.ts`).
 *
 * Emitted code never names an ABI implementation: `xdv_call`, `syscall` and host-bound
 * functions go through `abiXdvCall`, `abiSyscall` and `hostCall` here, which call whatever
 * `HybridAbi` the runner bound with `bindAbi` (the embedded kernel for `dplc run`; a
 * remote node or real hardware for someone else). Unbound, a small fallback answers:
 * `SYS_LOG` prints, every other domain call is `Err(DOMAIN_PANIC)`.
 *
 * ABI results (`{ ok, value } | { ok: false, code }`) become DPL `Result`s (`Ok(value)`,
 * `Err(ErrorCode::X)`), and ABI failures never surface as exceptions.
 */
import { ERROR_CODE_NUMBER, type HybridAbi, type LifecycleState, type ProcessInfo, type Result as AbiResult } from "../../host/abi.js";
import { type Result, Ok, Err, raiseDomainPanic, type Site, Some, None, Vec } from "../runtime/index.js";

/** The DPL value of `ErrorCode::X`: a unit variant of the prelude enum. */
export interface ErrorCodeValue {
  readonly $tag: string;
}

let bound: HybridAbi | null = null;

/** Installs the ABI implementation a program runs against; returns the previous one. */
export function bindAbi(abi: HybridAbi | null): HybridAbi | null {
  const previous = bound;
  bound = abi;
  return previous;
}

export function currentAbi(): HybridAbi | null {
  return bound;
}

function errorCode(code: string): ErrorCodeValue {
  return Object.freeze({ $tag: code });
}

/**
 * An ABI result as a DPL `Result`; the success value is handed over as the host built it.
 * `E` is the program's `ErrorCode` type (the prelude's enum, whose variants are these tags).
 */
export function fromAbi<T, E = ErrorCodeValue>(r: AbiResult<unknown>): Result<T, E> {
  return r.ok ? Ok<T, E>(r.value as T) : Err<E, T>(errorCode(r.code) as E);
}

const DOMAIN_NAMES: Readonly<Record<string, "K" | "Q" | "Φ">> = { K: "K", Q: "Q", Φ: "Φ", Phi: "Φ" };

/** A DPL `DomainTag` value (`{ $tag: "Q" }`) as the ABI's domain string. */
export function abiDomain(tag: { readonly $tag: string }): "K" | "Q" | "Φ" {
  return DOMAIN_NAMES[tag.$tag] ?? "K";
}

/** `xdv_call(source, target, descriptor.ptr(), cap)`. */
export function abiXdvCall<T, E = ErrorCodeValue>(source: { readonly $tag: string }, target: { readonly $tag: string }, descriptor: unknown, capability: bigint): Result<T, E> {
  if (!bound) return Err(errorCode("DOMAIN_PANIC") as E);
  const r = bound.xdvCall(abiDomain(source), abiDomain(target), descriptor as never, capability);
  return fromAbi<T, E>(r);
}

/** `syscall(SYS_X, args.ptr())`: the u64 channel of XDV-052 §3.2. */
export function abiSyscall<E = ErrorCodeValue>(id: bigint, args: unknown): Result<bigint, E> {
  if (!bound) {
    // The fallback kernel: enough for a program that only logs.
    if (id === 1n) {
      const message = typeof args === "string" ? args : String((args as { message?: unknown })?.message ?? "");
      process.stdout.write(message + "\n");
      return Ok(0n);
    }
    return Err(errorCode("DOMAIN_PANIC") as E);
  }
  return fromAbi<bigint, E>(bound.syscall(id, args));
}

/**
 * `syscall(...)` where DPL wants the plain `u64` of XDV-052 §3.2: the call's value on
 * success, and the error's stable number (`ERROR_CODE_NUMBER`) on failure.
 */
export function abiSyscallRaw(id: bigint, args: unknown): bigint {
  const r = abiSyscall(id, args);
  if (r.$tag === "Ok") return r._0;
  return ERROR_CODE_NUMBER[(r._0 as ErrorCodeValue).$tag as keyof typeof ERROR_CODE_NUMBER] ?? ERROR_CODE_NUMBER.DOMAIN_PANIC;
}

/**
 * A host-bound function (`fn f(...) -> T` with no body, or `{ ... }`). Bound names call
 * their implementation; an unbound one is `Err(DOMAIN_PANIC)` when it returns a Result,
 * and a `domain_panic` fault otherwise.
 */
export function hostCall<R>(name: string, returnsResult: boolean, args: HostArgs, at: Site): R {
  const impl = HOST_BINDINGS.get(name);
  if (impl && bound) return impl(bound, args) as R;
  if (returnsResult) return Err(errorCode("DOMAIN_PANIC")) as R;
  return raiseDomainPanic(`the host function \`${name}\` has no implementation in this runtime`, at);
}

// ---------------------------------------------------------------------------
// Host implementations of the stdlib's bodiless functions, by name, on top of the ABI.
//
// `dplc build` warns about every host-bound declaration that has no entry here (it is a
// structured `DOMAIN_PANIC` when called), so the list of warnings is the to-do list of
// the runtime issue. Values cross as DPL values: `DomainTag` as `{ $tag }`, `Result` as
// the runtime's tagged `Ok`/`Err`, records as plain objects with the DPL field names.
export type HostArgs = readonly unknown[];
export type HostImpl = (abi: HybridAbi, args: HostArgs) => unknown;

function tag(t: unknown): "K" | "Q" | "Φ" {
  const s = (t as { $tag?: string })?.$tag;
  return s === "Q" ? "Q" : s === "Φ" || s === "Phi" ? "Φ" : "K";
}

function result(r: AbiResult<unknown>, map: (v: unknown) => unknown = (v) => v): unknown {
  return r.ok ? Ok(map(r.value)) : Err(Object.freeze({ $tag: r.code }));
}

const dplDomain = (d: string): unknown => Object.freeze({ $tag: d });

/** The kernel's ProcessInfo as the DPL record of stdlib/runtime/process/context.ds. */
function processInfo(v: unknown): unknown {
  const p = v as ProcessInfo;
  return {
    pid: p.pid,
    vhm_id: p.vhm_id,
    tenant_id: p.tenant_id,
    parent: p.parent === null ? None : Some(p.parent),
    state: Object.freeze({ $tag: p.state }),
    domains: Vec.from(p.domains.map(dplDomain)),
  };
}

function lifecycle(t: unknown): LifecycleState {
  return ((t as { $tag?: string })?.$tag ?? "Created") as LifecycleState;
}

function handle(v: unknown): unknown {
  const h = v as { raw_id: bigint; domain: string };
  return { raw_id: h.raw_id, domain: dplDomain(h.domain) };
}

export const HOST_BINDINGS: ReadonlyMap<string, HostImpl> = new Map<string, HostImpl>([
  ["host_now", (abi) => abi.now()],
  ["host_wait_until", (abi, [until]) => result(abi.waitUntil(until as bigint))],
  ["host_switch_to", (abi, [pid]) => result(abi.switchTo(pid as bigint))],
  ["host_spawn_process", (abi) => result(abi.spawnProcess())],
  ["host_self", (abi) => processInfo(abi.self())],
  // XDV-081 §9.1 `record_event`: the DPL RuntimeEvent as the ABI's named event with scalar fields.
  ["record_event", (abi, [ev]) => {
    const e = ev as { kind: { $tag: string }; domain: { $tag: string }; process_id: bigint; capability_id: { $tag: string; _0?: bigint }; contract_id: { $tag: string; _0?: bigint }; detail: string; value: bigint };
    const data: Record<string, string | bigint> = { domain: tag(e.domain), process_id: e.process_id, detail: e.detail, value: e.value };
    if (e.capability_id.$tag === "Some") data["capability_id"] = e.capability_id._0!;
    if (e.contract_id.$tag === "Some") data["contract_id"] = e.contract_id._0!;
    abi.recordEvent({ kind: e.kind.$tag, data });
    return undefined;
  }],
  ["host_transition", (abi, [pid, to]) => result(abi.transition(pid as bigint, lifecycle(to)), (st) => Object.freeze({ $tag: st }))],
  ["host_bind_domains", (abi, [pid, domains]) => result(abi.transition(pid as bigint, "DomainBound", (domains as Vec<unknown>).data.map(tag)), (st) => Object.freeze({ $tag: st }))],
  ["host_request_capability", (abi, [d]) => result(abi.requestCapability(tag(d)), handle)],
  ["host_revoke_capability", (abi, [id]) => result(abi.revokeCapability(id as bigint), () => undefined)],
  ["host_validate_capability", (abi, [id, d]) => result(abi.validateCapability(id as bigint, tag(d)), handle)],
  ["host_release_contract", (abi, [id]) => result(abi.releaseContract(id as bigint), () => undefined)],
  // The nondeterministic primitives of the prelude (legal in plain user code only).
  ["wall_clock", () => BigInt(Date.now()) * 1_000_000n],
  ["random_u64", () => BigInt.asUintN(64, BigInt(Math.floor(Math.random() * 2 ** 32)) * 2n ** 32n + BigInt(Math.floor(Math.random() * 2 ** 32)))],
  ["env_var", (_abi, [name]) => {
    const v = process.env[String(name)];
    return v === undefined ? None : Some(v);
  }],
]);

export function isHostBound(name: string): boolean {
  return HOST_BINDINGS.has(name);
}
