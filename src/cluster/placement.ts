/**
 * Placement (XDV-041 §3.3, XDV-043 §4.3): which node serves a domain call that the
 * requesting node cannot serve itself.
 *
 * A pure function of the committed membership (as read at one etcd revision) and the
 * capacities each member advertised when it joined, never of free capacity, arrival order or
 * wall time: every node computes the same answer from the same snapshot, and a replay
 * reproduces it from the trace. Hints from the program (XDV-081 §5.1 "scheduling hints") are
 * advisory: a preferred node is taken only when it is eligible; otherwise the rule decides.
 */

export type ClusterDomain = "K" | "Q" | "Φ";

export interface QCapacity {
  readonly qubits: number;
  readonly decoherence_budget: number;
  readonly shot_budget: number;
}

export interface PhiCapacity {
  /** Coherence windows the node can hold open at once. */
  readonly windows: number;
}

/** What a node advertises under `members/<name>` (attached to its lease). */
export interface MemberRecord {
  readonly name: string;
  readonly domains: readonly ClusterDomain[];
  readonly q: QCapacity | null;
  readonly phi: PhiCapacity | null;
  /** A node bound to one tenant serves only that tenant (XDV-043 §5.4); null: any tenant. */
  readonly tenant: string | null;
}

export interface PlacementRequest {
  readonly domain: "Q" | "Φ";
  readonly qubits: number;
  readonly tenant: string;
  /** The node asking; it is chosen first when it serves the domain itself. */
  readonly from: string;
}

export interface PlacementHint {
  readonly prefer?: string;
}

export type PlacementResult =
  | { readonly ok: true; readonly node: string; readonly why: "local" | "hint" | "rule" }
  | { readonly ok: false; readonly reason: "no-eligible-node" | "cross-tenant"; readonly message: string };

export function eligible(m: MemberRecord, r: PlacementRequest): boolean {
  if (!m.domains.includes(r.domain)) return false;
  if (m.tenant !== null && m.tenant !== r.tenant) return false;
  if (r.domain === "Q") return m.q !== null && m.q.qubits >= r.qubits;
  return m.phi !== null && m.phi.windows >= 1;
}

function capacityOf(m: MemberRecord, domain: "Q" | "Φ"): number {
  return domain === "Q" ? (m.q?.qubits ?? 0) : (m.phi?.windows ?? 0);
}

/** Byte order of the names, the same in every locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Local first (no network when the node serves the domain), then an eligible hinted node,
 * then the eligible node with the largest advertised capacity, ties broken by name.
 */
export function place(members: readonly MemberRecord[], r: PlacementRequest, hint: PlacementHint = {}): PlacementResult {
  const ok = members.filter((m) => eligible(m, r));
  if (ok.some((m) => m.name === r.from)) return { ok: true, node: r.from, why: "local" };
  if (hint.prefer !== undefined) {
    const h = members.find((m) => m.name === hint.prefer);
    if (h && ok.includes(h)) return { ok: true, node: h.name, why: "hint" };
  }
  if (ok.length === 0) {
    const serving = members.filter((m) => m.domains.includes(r.domain));
    const onlyOtherTenants = serving.length > 0 && serving.every((m) => m.tenant !== null && m.tenant !== r.tenant);
    return {
      ok: false,
      reason: onlyOtherTenants ? "cross-tenant" : "no-eligible-node",
      message: `no member serves ${r.domain} with ${r.domain === "Q" ? `${r.qubits} qubits` : "a coherence window"} for tenant ${r.tenant}`,
    };
  }
  const best = [...ok].sort((a, b) => capacityOf(b, r.domain) - capacityOf(a, r.domain) || compareNames(a.name, b.name))[0]!;
  return { ok: true, node: best.name, why: "rule" };
}
