/**
 * Values across the ABI boundary: DPL values as emitted code holds them, turned into the
 * plain records of `packages/runtime/src/abi.ts`, and the ABI's answers turned back into DPL values.
 *
 * The two sides spell the same data differently, and the ABI's spelling is the one a
 * non-TypeScript implementation (a remote node, a hardware driver) can also produce:
 *
 *   DPL (emitted code)                       ABI (abi.ts)
 *   `DomainTag::Φ`  { $tag: "Φ" }            "Φ"
 *   `Severity::Info` { $tag: "Info" }        "info"  (XDV-070 severities are lower case)
 *   `Vec<T>`        runtime Vec              T[]
 *   `Option<T>`     { $tag: "Some", _0 }     T | null
 *   structs         objects, DPL field names the same objects, same names
 *
 * Going out, one generic conversion serves every record (`toAbi`): the ABI never needs
 * to know a DPL type. Coming back, the bridge cannot see the DPL type it must build (the
 * emitted stub passes none), and `[]` could be a `Vec` or an `Option<Vec>`, so each record
 * the stdlib receives has its own converter here, building the fields in declaration
 * order as the emitter does (derived `PartialEq` and `Debug` rely on that order).
 */
import type {
  AbiFault,
  BitstringCount,
  CapabilityHandle,
  ContractStatus,
  IpcMessage,
  IpcValue,
  PhiStabilityReport,
  PhiTransformResult,
  ProcessInfo,
  QJobResult,
  ResourceContractHandle,
} from "./abi.js";
import { None, Some, Vec, type Option } from "./index.js";
import { isSealed } from "./domains.js";

/** A unit enum variant as emitted code builds it: frozen, compared by `$tag`. */
export interface Tag {
  readonly $tag: string;
}

const TAGS = new Map<string, Tag>();

export function tag(name: string): Tag {
  let t = TAGS.get(name);
  if (!t) {
    t = Object.freeze({ $tag: name });
    TAGS.set(name, t);
  }
  return t;
}

const FAULT = Symbol("dpl.fault");

/**
 * The DPL `ErrorCode` of a failed ABI call: the unit variant, compared, matched, cloned and
 * printed by its `$tag` alone, which also carries the ABI's account of the failure (the
 * OpenQASM line and column of a bad circuit) under a symbol key, out of sight of `==`,
 * `{:?}` and `clone`, for `ErrorCode::detail` to read.
 */
export function errorCodeValue(code: string, fault: AbiFault | undefined): Tag {
  if (fault === undefined) return tag(code);
  const t = { $tag: code };
  Object.defineProperty(t, FAULT, { value: fault, enumerable: false });
  return Object.freeze(t);
}

/** The failure an `ErrorCode` value came with, if it came from the ABI. */
export function faultOf(v: unknown): AbiFault | undefined {
  return typeof v === "object" && v !== null ? ((v as { [FAULT]?: AbiFault })[FAULT] ?? undefined) : undefined;
}

function isTagged(v: unknown): v is Tag & { readonly _0?: unknown } {
  return typeof v === "object" && v !== null && typeof (v as { $tag?: unknown }).$tag === "string";
}

/** A DPL `DomainTag` as the ABI's domain string; `Phi` is the ASCII spelling of `Φ`. */
export function abiDomain(v: unknown): "K" | "Q" | "Φ" {
  const name = isTagged(v) ? v.$tag : String(v);
  return name === "Q" ? "Q" : name === "Φ" || name === "Phi" ? "Φ" : "K";
}

/**
 * A DPL value as an ABI record. `Option` becomes `T | null` and `Vec` an array, at any
 * depth; a unit variant becomes its name; numbers, bigints, strings and booleans pass as
 * they are. Functions and opaque (Q or Φ) values have no ABI form: they are refused here,
 * so nothing but K data can leave the program, whatever an implementation would accept.
 */
export function toAbi(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case "bigint":
    case "number":
    case "string":
    case "boolean":
      return v;
    case "object":
      break;
    default:
      throw new TypeError(`a ${typeof v} cannot cross the ABI`);
  }
  if (v instanceof Vec) return v.data.map(toAbi);
  if (Array.isArray(v)) return v.map(toAbi);
  if (isTagged(v)) {
    if (v.$tag === "None") return null;
    if (v.$tag === "Some") return toAbi(v._0);
    const keys = Object.keys(v);
    if (keys.length === 1) return v.$tag;
    throw new TypeError(`the enum value ${v.$tag} carries data and has no ABI form`);
  }
  if (isSealed(v)) throw new TypeError("Q and Φ values cannot cross the ABI");
  const out: Record<string, unknown> = {};
  // defineProperty: a field named `__proto__` must stay a field (an assignment sets the prototype).
  for (const [k, field] of Object.entries(v)) Object.defineProperty(out, k, { value: toAbi(field), writable: true, enumerable: true, configurable: true });
  return out;
}

// ---------------------------------------------------------------------------
// ABI records as the DPL records of stdlib/abi/ and stdlib/runtime/.

export function domainValue(d: string): Tag {
  return tag(d === "Phi" ? "Φ" : d);
}

export function option<T, U>(v: T | null | undefined, f: (x: T) => U): Option<U> {
  return v === null || v === undefined ? None : Some(f(v));
}

/** runtime/process/context.ds `ProcessInfo`. */
export function processInfoValue(p: ProcessInfo): unknown {
  return {
    pid: p.pid,
    vhm_id: p.vhm_id,
    tenant_id: p.tenant_id,
    parent: option(p.parent, (x) => x),
    state: tag(p.state),
    domains: Vec.from(p.domains.map(domainValue)),
  };
}

/** XDV-081 §7.1 `CapabilityHandle`. */
export function capabilityValue(h: CapabilityHandle): unknown {
  return { raw_id: h.raw_id, domain: domainValue(h.domain) };
}

/** XDV-081 §6 `ResourceContractHandle`. */
export function contractHandleValue(h: ResourceContractHandle): unknown {
  return { id: h.id, domain: domainValue(h.domain), valid: h.valid };
}

/** abi/contract_abi.ds `ContractStatus`. */
export function contractStatusValue(s: ContractStatus): unknown {
  return {
    id: s.id,
    domain: domainValue(s.domain),
    state: tag(s.state),
    owner: s.owner,
    used: s.used,
    remaining: s.remaining,
    secondary: s.secondary,
    valid_until: s.valid_until,
  };
}

/** abi/q_abi.ds `MeasurementHandle`: the XDV-052 §5.3 handle and result in one record. */
export function measurementValue(r: QJobResult): unknown {
  return {
    job_id: r.job_id,
    contract_id: r.contract_id,
    shots: r.shots,
    counts: Vec.from(r.counts.map((c: BitstringCount) => ({ bitstring: c.bitstring, count: c.count }))),
    per_shot: option(r.per_shot, (shots) => Vec.from([...shots])),
    depth: r.depth,
    decoherence_used: r.decoherence_used,
    decoherence_remaining: r.decoherence_remaining,
    logical_ts: r.logical_ts,
  };
}

/** abi/phi_abi.ds `PhiStabilityReport`. */
export function stabilityValue(s: PhiStabilityReport): unknown {
  return {
    envelope_id: s.envelope_id,
    stability_level: s.stability_level,
    noise_index: s.noise_index,
    tolerance: s.tolerance,
    integrity_checksum: s.integrity_checksum,
    logical_ts: s.logical_ts,
  };
}

/** abi/phi_abi.ds `PhiTransformResult`. */
export function phiResultValue(r: PhiTransformResult): unknown {
  return {
    transform_id: r.transform_id,
    envelope_id: r.envelope_id,
    status: tag(r.status),
    dominant_mode: r.dominant_mode,
    coherence_index: r.coherence_index,
    stability: stabilityValue(r.stability),
    logical_ts: r.logical_ts,
  };
}

/**
 * runtime/ipc/cross_domain_ipc.ds `IpcPayload`. A payload is whatever the sender's `toAbi`
 * made of its `IpcPayload`; one from a sender that is not DPL may lack fields, which read
 * as empty rather than failing a receive that the kernel has already performed.
 */
export function payloadValue(p: IpcValue): unknown {
  const r = typeof p === "object" && p !== null && !Array.isArray(p) ? (p as { readonly [k: string]: IpcValue }) : {};
  const values = Array.isArray(r["values"]) ? (r["values"] as readonly IpcValue[]).filter((x): x is bigint => typeof x === "bigint") : [];
  return {
    topic: typeof r["topic"] === "string" ? r["topic"] : "",
    values: Vec.from([...values]),
    text: typeof r["text"] === "string" ? r["text"] : "",
  };
}

/** runtime/ipc/cross_domain_ipc.ds `IpcMessage`. */
export function ipcMessageValue(m: IpcMessage): unknown {
  return {
    seq: m.seq,
    sender: m.sender,
    receiver: m.receiver,
    source_domain: domainValue(m.source_domain),
    target_domain: domainValue(m.target_domain),
    payload: payloadValue(m.payload),
    logical_ts: m.logical_ts,
  };
}
