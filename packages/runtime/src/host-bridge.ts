/**
 * The bridge between emitted DPL code and the Hybrid Runtime ABI (`packages/runtime/src/abi.ts`).
 *
 * Emitted code never names an ABI implementation: `xdv_call`, `syscall` and host-bound
 * functions go through `abiXdvCall`, `abiSyscall` and `hostCall` here, which call whatever
 * `HybridAbi` the runner bound with `bindAbi` (the embedded kernel for `dplc run`, the
 * replay kernel for `--replay`; a remote node, real hardware or a test double for someone
 * else). The compiled program is the same JavaScript whichever is bound: swapping the
 * implementation is one `bindAbi` call, never a recompilation (XDV-081 §2.6, §9.2).
 *
 * Unbound, a small fallback answers: `SYS_LOG` prints, every other domain call is
 * `Err(DOMAIN_PANIC)`. ABI results (`{ ok, value } | { ok: false, code }`) become DPL
 * `Result`s (`Ok(value)`, `Err(ErrorCode::X)`), converted to DPL values (./marshal.ts);
 * ABI failures never surface as exceptions. The one exception that passes through is
 * `HostHalt`, which stops the run (a replay that diverged from its trace).
 */
import { ERROR_CODE_NUMBER, type HybridAbi, type Result as AbiResult } from "./abi.js";
import { type Result, Ok, Err, raiseDomainPanic, type Site } from "./index.js";
import { abiDomain, errorCodeValue, measurementValue, phiResultValue, tag, toAbi } from "./marshal.js";
import { HOST_BINDINGS, VALUE_BINDINGS, type HostArgs } from "./host-bindings.js";

export { HOST_BINDINGS, type HostArgs, type HostImpl } from "./host-bindings.js";

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

const panicCode = (): ErrorCodeValue => tag("DOMAIN_PANIC");

/**
 * An ABI result as a DPL `Result`; the success value is handed over as the host built it.
 * `E` is the program's `ErrorCode` type (the prelude's enum, whose variants are these tags).
 */
export function fromAbi<T, E = ErrorCodeValue>(r: AbiResult<unknown>): Result<T, E> {
  return r.ok ? Ok<T, E>(r.value as T) : Err<E, T>(errorCodeValue(r.code, r.fault) as E);
}

/** `toAbi`, or `undefined` for a value with no ABI form (which the caller answers with DOMAIN_PANIC). */
function marshalled(v: unknown): { readonly value: unknown } | undefined {
  try {
    return { value: toAbi(v) };
  } catch {
    return undefined;
  }
}

/**
 * `xdv_call(source, target, descriptor.ptr(), cap)`. The descriptor goes out as a plain
 * record; what comes back is the DPL record of the target domain's structured result
 * (XDV-052 §5.3): a `MeasurementHandle` from Q, a `PhiTransformResult` from Φ.
 */
export function abiXdvCall<T, E = ErrorCodeValue>(source: { readonly $tag: string }, target: { readonly $tag: string }, descriptor: unknown, capability: bigint): Result<T, E> {
  const d = marshalled(descriptor);
  if (!bound || !d) return Err(panicCode() as E);
  const to = abiDomain(target);
  const r = bound.xdvCall(abiDomain(source), to, d.value as never, capability);
  if (!r.ok) return Err(errorCodeValue(r.code, r.fault) as E);
  const value = to === "Q" ? measurementValue(r.value as never) : to === "Φ" ? phiResultValue(r.value as never) : r.value;
  return Ok(value as T);
}

/** `syscall(SYS_X, args.ptr())`: the u64 channel of XDV-052 §3.2. */
export function abiSyscall<E = ErrorCodeValue>(id: bigint, args: unknown): Result<bigint, E> {
  const a = marshalled(args);
  if (!bound) {
    // The fallback kernel: enough for a program that only logs.
    if (id === 1n && a) {
      const message = typeof a.value === "string" ? a.value : String((a.value as { message?: unknown })?.message ?? "");
      process.stdout.write(message + "\n");
      return Ok(0n);
    }
    return Err(panicCode() as E);
  }
  if (!a) return Err(panicCode() as E);
  return fromAbi<bigint, E>(bound.syscall(id, a.value));
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
  const own = VALUE_BINDINGS.get(name);
  if (own) return own(bound, args) as R;
  const impl = HOST_BINDINGS.get(name);
  if (impl && bound) return impl(bound, args) as R;
  if (returnsResult) return Err(panicCode()) as R;
  const why = impl ? "no ABI implementation is bound to this run" : "the host has no implementation of it";
  return raiseDomainPanic(`the host function \`${name}\` cannot be called: ${why}`, at);
}

export function isHostBound(name: string): boolean {
  return HOST_BINDINGS.has(name);
}
