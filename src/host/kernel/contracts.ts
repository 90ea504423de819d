/**
 * Domain resource contracts (XDV-023, XDV-052 §7): the only way to reach Q or Φ.
 *
 * A Q contract reserves logical qubits, a decoherence budget in depth units, a shot budget
 * and a validity period in logical time (standing in for the calibration contract of
 * XDV-060 §4: when it lapses, no new job is accepted). A Φ contract reserves one coherence
 * window and owns the envelope inside it. Contracts move Active → Expired | Invalidated |
 * Released and never back; their terms are immutable once bound, only the usage counters move.
 */
import type { ContractState, ContractStatus, DomainTag, FaultReason } from "#runtime/abi.js";

interface ContractBase {
  readonly id: bigint;
  readonly owner: bigint;
  readonly tenant: bigint;
  readonly capability: bigint;
  readonly acquired_ts: bigint;
  state: ContractState;
}

export interface QContract extends ContractBase {
  readonly domain: "Q";
  readonly qubits: number;
  readonly decoherence_budget: bigint;
  readonly shot_budget: bigint;
  readonly valid_until: bigint;
  decoherence_used: bigint;
  shots_used: bigint;
  jobs: bigint;
}

export interface PhiContract extends ContractBase {
  readonly domain: "Φ";
  readonly envelope_id: bigint;
  readonly window_start: bigint;
  readonly window_duration: bigint;
  readonly stability_tolerance: number;
  readonly transform_budget: bigint;
  transforms_used: bigint;
}

export type Contract = QContract | PhiContract;

export type ContractCheck =
  | { readonly ok: true; readonly contract: Contract }
  | { readonly ok: false; readonly reason: FaultReason; readonly message: string; readonly expired?: Contract };

export function windowEnd(c: PhiContract): bigint {
  return c.window_start + c.window_duration;
}

export class ContractTable {
  readonly #byId = new Map<bigint, Contract>();
  #nextId = 1n;
  #nextEnvelope = 1n;

  nextId(): bigint {
    return this.#nextId++;
  }

  nextEnvelopeId(): bigint {
    return this.#nextEnvelope++;
  }

  add(contract: Contract): void {
    this.#byId.set(contract.id, contract);
  }

  get(id: bigint): Contract | undefined {
    return this.#byId.get(id);
  }

  /** Active contracts of a process in acquisition order: the order they are released in. */
  activeOf(pid: bigint): Contract[] {
    return [...this.#byId.values()].filter((c) => c.owner === pid && c.state === "Active");
  }

  /** Active Φ windows overlapping [start, start + duration). */
  overlappingWindow(start: bigint, duration: bigint): PhiContract | undefined {
    const end = start + duration;
    for (const c of this.#byId.values()) {
      if (c.domain !== "Φ" || c.state !== "Active") continue;
      if (start < windowEnd(c) && c.window_start < end) return c;
    }
    return undefined;
  }

  /**
   * Validation before every domain invocation (XDV-081 §6). A Q contract past its validity
   * is reported with `expired` set so the kernel can log the Active → Expired transition.
   */
  validate(id: bigint, owner: bigint, domain: DomainTag, now: bigint): ContractCheck {
    const c = this.#byId.get(id);
    if (!c) return { ok: false, reason: "contract-unknown", message: `no contract ${id} was ever issued` };
    if (c.owner !== owner) return { ok: false, reason: "contract-wrong-owner", message: `contract ${id} belongs to process ${c.owner}, not process ${owner}` };
    if (c.domain !== domain) return { ok: false, reason: "contract-wrong-domain", message: `contract ${id} is a ${c.domain} contract, not ${domain}` };
    switch (c.state) {
      case "Released":
        return { ok: false, reason: "contract-released", message: `contract ${id} was released` };
      case "Invalidated":
        return { ok: false, reason: "contract-invalidated", message: `contract ${id} was invalidated by an earlier fault` };
      case "Expired":
        return { ok: false, reason: "contract-expired", message: `contract ${id} expired` };
      case "Active":
        break;
    }
    if (c.domain === "Q" && now > c.valid_until) {
      return { ok: false, reason: "contract-expired", message: `contract ${id} expired at logical time ${c.valid_until} (now ${now})`, expired: c };
    }
    return { ok: true, contract: c };
  }
}

export function contractStatus(c: Contract, now: bigint): ContractStatus {
  const lapsed = c.domain === "Q" && c.state === "Active" && now > c.valid_until;
  const state: ContractState = lapsed ? "Expired" : c.state;
  if (c.domain === "Q") {
    return {
      id: c.id,
      domain: "Q",
      state,
      owner: c.owner,
      used: c.decoherence_used,
      remaining: c.decoherence_budget - c.decoherence_used,
      secondary: c.shots_used,
      valid_until: c.valid_until,
    };
  }
  return {
    id: c.id,
    domain: "Φ",
    state,
    owner: c.owner,
    used: c.transforms_used,
    remaining: c.transform_budget - c.transforms_used,
    secondary: c.envelope_id,
    valid_until: windowEnd(c),
  };
}
