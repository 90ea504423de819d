/**
 * Capability authority (XDV-052 §6, XDV-080 §6).
 *
 * An id is the first 64 bits of HMAC-SHA256(run key, issue serial ‖ domain ‖ pid ‖ tenant ‖
 * vhm), the run key being derived from the seed. Ids therefore look random, cannot be
 * guessed without the key, and still repeat exactly when a run is repeated or replayed.
 * Unforgeability does not rest on the MAC alone: an id is valid only if this table issued it,
 * to this process of this tenant, for this domain, and never revoked it. Revocation is
 * permanent; the record stays so that reuse is reported as "revoked", not "unknown".
 */
import type { DomainTag, FaultReason } from "#runtime/abi.js";
import type { SeedKeys } from "../random/prng.js";

export interface CapabilityRecord {
  readonly id: bigint;
  readonly domain: DomainTag;
  readonly pid: bigint;
  readonly tenant: bigint;
  readonly vhm: bigint;
  readonly serial: bigint;
  revoked: boolean;
}

export interface CapabilityRequirement {
  readonly domain: DomainTag;
  readonly pid: bigint;
  readonly tenant: bigint;
}

export type CapabilityCheck =
  | { readonly ok: true; readonly record: CapabilityRecord }
  | { readonly ok: false; readonly reason: FaultReason; readonly message: string };

const DOMAIN_CODE: Readonly<Record<DomainTag, bigint>> = { K: 1n, Q: 2n, Φ: 3n };

export class CapabilityAuthority {
  readonly #keys: SeedKeys;
  readonly #byId = new Map<bigint, CapabilityRecord>();
  #serial = 0n;

  constructor(keys: SeedKeys) {
    this.#keys = keys;
  }

  issue(domain: DomainTag, pid: bigint, tenant: bigint, vhm: bigint): CapabilityRecord {
    for (;;) {
      const serial = ++this.#serial;
      const id = this.#keys.u64("capability", serial, DOMAIN_CODE[domain], pid, tenant, vhm);
      // Zero reads as "no capability" in DPL code; a collision would alias two grants.
      if (id === 0n || this.#byId.has(id)) continue;
      const record: CapabilityRecord = { id, domain, pid, tenant, vhm, serial, revoked: false };
      this.#byId.set(id, record);
      return record;
    }
  }

  /**
   * The order of checks is part of the ABI: unknown, revoked, tenant, process, domain. The
   * first failing check names the fault, so the same misuse always reports the same reason.
   */
  check(id: bigint, need: CapabilityRequirement): CapabilityCheck {
    const record = this.#byId.get(id);
    if (!record) return { ok: false, reason: "capability-unknown", message: `capability ${id} was never issued by this kernel` };
    if (record.revoked) return { ok: false, reason: "capability-revoked", message: `capability ${id} was revoked` };
    if (record.tenant !== need.tenant) {
      return { ok: false, reason: "capability-wrong-tenant", message: `capability ${id} belongs to tenant ${record.tenant}, not tenant ${need.tenant}` };
    }
    if (record.pid !== need.pid) {
      return { ok: false, reason: "capability-wrong-process", message: `capability ${id} was issued to process ${record.pid}, not process ${need.pid}` };
    }
    if (record.domain !== need.domain) {
      return { ok: false, reason: "capability-wrong-domain", message: `capability ${id} is scoped to domain ${record.domain}, not ${need.domain}` };
    }
    return { ok: true, record };
  }

  get(id: bigint): CapabilityRecord | undefined {
    return this.#byId.get(id);
  }

  revoke(record: CapabilityRecord): void {
    record.revoked = true;
  }

  /** Live capabilities of a process, in issue order. */
  liveOf(pid: bigint): CapabilityRecord[] {
    return [...this.#byId.values()].filter((c) => c.pid === pid && !c.revoked).sort((a, b) => (a.serial < b.serial ? -1 : 1));
  }
}
