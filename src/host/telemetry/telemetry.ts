/**
 * XDV-070 telemetry: MetricRecords and FaultEvents as canonical JSON Lines.
 *
 * Telemetry is observational (§1): the kernel calls in here after it has decided, and
 * nothing here feeds back into a decision. Values are integers in named units (counts,
 * depth units, basis points), which is also what keeps raw Q and Φ state out: the
 * canonical encoder rejects fractional numbers outright. Every record carries the tenant of
 * the process it describes (§6.1), so a consumer can filter per tenant.
 */
import type { DomainTag, Severity } from "#runtime/abi.js";
import { canonicalJson } from "../trace/canonical-json.js";

export interface MetricRecord {
  readonly kind: "metric";
  readonly metric_id: bigint;
  readonly metric: string;
  readonly domain: DomainTag;
  /** The component that measured: "kernel", "q-provider", "phi-provider" or "program". */
  readonly source: string;
  readonly process: bigint;
  readonly contract: bigint | null;
  readonly value: bigint;
  readonly unit: string;
  readonly logical_ts: bigint;
  readonly severity: Severity;
  readonly tenant: bigint;
}

export interface FaultEvent {
  readonly kind: "fault";
  readonly fault_id: bigint;
  readonly domain: DomainTag;
  readonly severity: Severity;
  readonly contract: bigint | null;
  readonly code: string;
  readonly reason: string;
  readonly description: string;
  readonly process: bigint;
  readonly logical_ts: bigint;
  readonly tenant: bigint;
  /** The trace entry that recorded the fault, linking telemetry to the audit chain. */
  readonly event_id: bigint;
}

export type TelemetryRecord = MetricRecord | FaultEvent;

export interface MetricInput {
  readonly metric: string;
  readonly domain: DomainTag;
  readonly source: string;
  readonly process: bigint;
  readonly contract: bigint | null;
  readonly value: bigint;
  readonly unit: string;
  readonly severity: Severity;
  readonly tenant: bigint;
}

export type FaultInput = Omit<FaultEvent, "kind" | "fault_id" | "logical_ts">;

/** Basis points of `used` over `total`, rounded down; 0 when nothing was granted. */
export function basisPoints(used: bigint, total: bigint): bigint {
  if (total <= 0n) return 0n;
  return (used * 10000n) / total;
}

/** Utilisation thresholds that raise a metric's severity; fixed so runs compare. */
export function utilisationSeverity(bp: bigint): Severity {
  if (bp >= 10000n) return "error";
  if (bp >= 8000n) return "warning";
  return "info";
}

export class Telemetry {
  readonly #records: TelemetryRecord[] = [];
  readonly #lines: string[] = [];
  #nextMetric = 1n;
  #nextFault = 1n;
  readonly #sink: ((line: string) => void) | undefined;
  /** Per-domain cumulative call counters, reported with every domain call. */
  readonly #domainCalls = new Map<DomainTag, bigint>();

  constructor(sink?: (line: string) => void) {
    this.#sink = sink;
  }

  metric(input: MetricInput, logicalTs: bigint): MetricRecord {
    const record: MetricRecord = { kind: "metric", metric_id: this.#nextMetric++, ...input, logical_ts: logicalTs };
    this.#push(record);
    return record;
  }

  fault(input: FaultInput, logicalTs: bigint): FaultEvent {
    const record: FaultEvent = { kind: "fault", fault_id: this.#nextFault++, ...input, logical_ts: logicalTs };
    this.#push(record);
    return record;
  }

  /** Counts a domain event and returns the running total for that domain. */
  countDomainCall(domain: DomainTag): bigint {
    const next = (this.#domainCalls.get(domain) ?? 0n) + 1n;
    this.#domainCalls.set(domain, next);
    return next;
  }

  #push(record: TelemetryRecord): void {
    const line = canonicalJson(record);
    this.#records.push(record);
    this.#lines.push(line);
    this.#sink?.(line);
  }

  records(): readonly TelemetryRecord[] {
    return this.#records;
  }

  lines(): readonly string[] {
    return this.#lines;
  }

  toJsonLines(): string {
    return this.#lines.length === 0 ? "" : this.#lines.join("\n") + "\n";
  }
}
