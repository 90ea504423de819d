/**
 * The process table and the XDV-081 §4.2 lifecycle, plus the logical clock that orders
 * everything the kernel does (XDV-080 §4.1: the sole ordering authority).
 *
 * Lifecycle: Created → Initialized → DomainBound → Active ⇄ Suspended, and any live state
 * may go to Terminated (a process that fails to bind must still be able to end). Everything
 * else, including a transition to the same state and anything out of Terminated, is illegal.
 * This file only decides; the kernel logs each transition and each refusal.
 */
import type { DomainTag, LifecycleState, ProcessInfo } from "#runtime/abi.js";

export class LogicalClock {
  #current = 0n;

  /** The time of the latest event; reading it is not an event. */
  now(): bigint {
    return this.#current;
  }

  /** Advances to the next event's time: one tick, or straight to `atLeast` if later. */
  tick(atLeast?: bigint): bigint {
    const next = this.#current + 1n;
    this.#current = atLeast !== undefined && atLeast > next ? atLeast : next;
    return this.#current;
  }

  /** The time the next event will get, without taking it. */
  peek(): bigint {
    return this.#current + 1n;
  }
}

const LEGAL: Readonly<Record<LifecycleState, readonly LifecycleState[]>> = {
  Created: ["Initialized", "Terminated"],
  Initialized: ["DomainBound", "Terminated"],
  DomainBound: ["Active", "Terminated"],
  Active: ["Suspended", "Terminated"],
  Suspended: ["Active", "Terminated"],
  Terminated: [],
};

export const LIFECYCLE_STATES: readonly LifecycleState[] = ["Created", "Initialized", "DomainBound", "Active", "Suspended", "Terminated"];

export function isLegalTransition(from: LifecycleState, to: LifecycleState): boolean {
  return LEGAL[from].includes(to);
}

export function legalSuccessors(from: LifecycleState): readonly LifecycleState[] {
  return LEGAL[from];
}

export interface ProcessRecord {
  readonly pid: bigint;
  readonly vhm_id: bigint;
  readonly tenant_id: bigint;
  readonly parent: bigint | null;
  state: LifecycleState;
  /** Bound domains in canonical K, Q, Φ order; K from creation. */
  domains: DomainTag[];
}

/** The kernel itself, as the actor of events no process caused (boot, shutdown). */
export const KERNEL_ACTOR: ProcessRecord = Object.freeze({
  pid: 0n,
  vhm_id: 0n,
  tenant_id: 0n,
  parent: null,
  state: "Active",
  domains: ["K", "Q", "Φ"],
}) as ProcessRecord;

export class ProcessTable {
  readonly #byPid = new Map<bigint, ProcessRecord>();
  #nextPid = 1n;

  create(vhm: bigint, tenant: bigint, parent: bigint | null): ProcessRecord {
    const record: ProcessRecord = { pid: this.#nextPid++, vhm_id: vhm, tenant_id: tenant, parent, state: "Created", domains: ["K"] };
    this.#byPid.set(record.pid, record);
    return record;
  }

  get(pid: bigint): ProcessRecord | undefined {
    return this.#byPid.get(pid);
  }

  /** All processes in pid order (insertion order of an increasing counter). */
  all(): readonly ProcessRecord[] {
    return [...this.#byPid.values()];
  }

  live(): readonly ProcessRecord[] {
    return this.all().filter((p) => p.state !== "Terminated");
  }
}

export function processInfo(p: ProcessRecord): ProcessInfo {
  return { pid: p.pid, vhm_id: p.vhm_id, tenant_id: p.tenant_id, parent: p.parent, state: p.state, domains: [...p.domains] };
}

/** Canonical order so that binding [Φ, K, Q] and [Q, Φ] record identically. */
export function canonicalDomains(domains: readonly DomainTag[]): DomainTag[] {
  const order: DomainTag[] = ["K", "Q", "Φ"];
  return order.filter((d) => d === "K" || domains.includes(d));
}
