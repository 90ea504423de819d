/**
 * XDV-052 §3.2 `syscall(id, args) -> u64`: decodes the argument record of each syscall
 * number and forwards to the named operation, answering the u64 the table in abi.ts
 * promises. Arguments arrive from emitted code as plain records; anything that does not
 * decode is a structured DOMAIN_PANIC, never a thrown TypeError.
 */
import { DOMAINS, SYS, domainTag, ok, type DomainTag, type Err, type HybridAbi, type LifecycleState, type Result } from "#runtime/abi.js";
import { LIFECYCLE_STATES } from "./processes.js";

type Record_ = Readonly<Record<string, unknown>>;

function asRecord(args: unknown): Record_ | undefined {
  return typeof args === "object" && args !== null && !Array.isArray(args) ? (args as Record_) : undefined;
}

function asDomain(v: unknown): DomainTag | undefined {
  return typeof v === "string" ? domainTag(v) : undefined;
}

function map<T>(r: Result<T>, f: (v: T) => bigint): Result<bigint> {
  return r.ok ? ok(f(r.value)) : r;
}

/** `panic(message)` records a malformed-argument fault and returns its Err. */
export function dispatchSyscall(abi: HybridAbi, id: unknown, args: unknown, panic: (message: string, reason?: "syscall-unknown") => Err): Result<bigint> {
  if (typeof id !== "bigint") return panic(`syscall id must be a u64 (bigint), got ${typeof id}`);
  const r = asRecord(args);
  const need = (field: string, kind: "bigint" | "string"): unknown => {
    const v = r?.[field];
    return typeof v === kind ? v : undefined;
  };
  const malformed = (what: string): Err => panic(`syscall ${id}: ${what}`);

  switch (id) {
    case SYS.LOG: {
      const message = typeof args === "string" ? args : need("message", "string");
      if (typeof message !== "string") return malformed("expects a String or { message: String }");
      return abi.kLog(message);
    }
    case SYS.CLOCK_NOW:
      return ok(abi.now());
    case SYS.WAIT_UNTIL: {
      const until = typeof args === "bigint" ? args : need("until", "bigint");
      if (typeof until !== "bigint") return malformed("expects { until: u64 }");
      return abi.waitUntil(until);
    }
    case SYS.PROCESS_SELF:
      return ok(abi.self().pid);
    case SYS.PROCESS_SPAWN:
      return abi.spawnProcess();
    case SYS.PROCESS_SPAWN_GUEST:
      return abi.spawnGuest();
    case SYS.PROCESS_TRANSITION: {
      const pid = need("pid", "bigint");
      const to = r?.["to"];
      const domains = r?.["domains"];
      if (typeof pid !== "bigint" || typeof to !== "string" || !LIFECYCLE_STATES.includes(to as LifecycleState)) {
        return malformed(`expects { pid: u64, to: one of ${LIFECYCLE_STATES.join(" ")} }`);
      }
      let tags: DomainTag[] | undefined;
      if (domains !== undefined) {
        if (!Array.isArray(domains) || !domains.every((d) => asDomain(d) !== undefined)) return malformed(`domains must list ${DOMAINS.join(" ")}`);
        tags = domains.map((d) => asDomain(d) as DomainTag);
      }
      return map(abi.transition(pid, to as LifecycleState, tags), () => 0n);
    }
    case SYS.PROCESS_SWITCH: {
      const pid = typeof args === "bigint" ? args : need("pid", "bigint");
      if (typeof pid !== "bigint") return malformed("expects { pid: u64 }");
      return abi.switchTo(pid);
    }
    case SYS.CAP_REQUEST: {
      const domain = asDomain(typeof args === "string" ? args : r?.["domain"]);
      if (!domain) return malformed("expects { domain: K | Q | Φ }");
      return map(abi.requestCapability(domain), (h) => h.raw_id);
    }
    case SYS.CAP_REVOKE: {
      const cap = typeof args === "bigint" ? args : need("capability", "bigint");
      if (typeof cap !== "bigint") return malformed("expects { capability: u64 }");
      return map(abi.revokeCapability(cap), () => 0n);
    }
    case SYS.CAP_VALIDATE: {
      const cap = need("capability", "bigint");
      const domain = asDomain(r?.["domain"]);
      if (typeof cap !== "bigint" || !domain) return malformed("expects { capability: u64, domain: K | Q | Φ }");
      return map(abi.validateCapability(cap, domain), (h) => h.raw_id);
    }
    case SYS.CONTRACT_Q:
      if (!r) return malformed("expects a QContractRequest record");
      return map(abi.acquireQContract(r as never), (h) => h.id);
    case SYS.CONTRACT_PHI:
      if (!r) return malformed("expects a PhiContractRequest record");
      return map(abi.acquirePhiContract(r as never), (h) => h.id);
    case SYS.CONTRACT_RELEASE: {
      const contract = typeof args === "bigint" ? args : need("contract", "bigint");
      if (typeof contract !== "bigint") return malformed("expects { contract: u64 }");
      return map(abi.releaseContract(contract), () => 0n);
    }
    case SYS.PHI_STABILITY: {
      const contract = need("contract", "bigint");
      const cap = need("capability", "bigint");
      if (typeof contract !== "bigint" || typeof cap !== "bigint") return malformed("expects { contract: u64, capability: u64 }");
      return map(abi.phiStability(contract, cap), (s) => BigInt(s.stability_level));
    }
    case SYS.IPC_SEND:
      if (!r) return malformed("expects an IpcSendRequest record");
      return abi.ipcSend(r as never);
    case SYS.IPC_RECEIVE:
      return map(abi.ipcReceive(), (m) => (m === null ? 0n : m.seq));
    case SYS.RECORD_EVENT:
      if (!r) return malformed("expects a RuntimeEvent record");
      return abi.recordEvent(r as never);
    case SYS.METRIC:
      if (!r) return malformed("expects a MetricRequest record");
      return abi.emitMetric(r as never);
    default:
      return panic(`unknown syscall ${id}`, "syscall-unknown");
  }
}
