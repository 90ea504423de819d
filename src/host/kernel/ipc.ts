/**
 * Cross-domain IPC (XDV-021): structured messages, never shared memory.
 *
 * A payload is deep-copied when sent, so sender and receiver never alias (§4.4), and it must
 * be K-structured: plain records, arrays and scalars. A Q or Φ value in emitted code is an
 * opaque object with a prototype, so it cannot ride along by accident. Delivery is FIFO per
 * receiver with one global sequence counter: the same program sends and receives in the same
 * order, and the sequence numbers in the trace say so.
 */
import type { DomainTag, IpcMessage, IpcValue } from "#runtime/abi.js";
import { canonicalJson, sha256Hex } from "../trace/canonical-json.js";

/** XDV-021 §3.2 categories the embedded kernel delivers; Q ↔ Φ needs hardware it lacks. */
const ROUTES: ReadonlySet<string> = new Set(["K>K", "K>Q", "Q>K", "K>Φ", "Φ>K"]);

export function routeAllowed(source: DomainTag, target: DomainTag): boolean {
  return ROUTES.has(`${source}>${target}`);
}

/** The domain whose capability authorises a route: the non-K end, or K for K → K. */
export function routeDomain(source: DomainTag, target: DomainTag): DomainTag {
  return source !== "K" ? source : target;
}

/** Why a value cannot be a payload, or undefined if it can. */
export function payloadProblem(value: unknown, path = "payload", depth = 0): string | undefined {
  if (depth > 64) return `${path} nests deeper than 64 levels`;
  switch (typeof value) {
    case "string":
    case "boolean":
    case "bigint":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : `${path} is not a finite number`;
    case "object": {
      if (value === null) return undefined;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const p = payloadProblem(value[i], `${path}[${i}]`, depth + 1);
          if (p) return p;
        }
        return undefined;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return `${path} is not a plain K record (domain values cannot be sent)`;
      for (const [k, v] of Object.entries(value)) {
        const p = payloadProblem(v, `${path}.${k}`, depth + 1);
        if (p) return p;
      }
      return undefined;
    }
    default:
      return `${path} is a ${typeof value}, which is not K data`;
  }
}

function deepCopy(value: IpcValue): IpcValue {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return Object.freeze(value.map(deepCopy));
  const out: { [k: string]: IpcValue } = {};
  for (const [k, v] of Object.entries(value)) out[k] = deepCopy(v as IpcValue);
  return Object.freeze(out);
}

/** Digest recorded in place of the payload: the trace proves what was sent without holding it. */
export function payloadDigest(payload: IpcValue): { readonly sha256: string; readonly bytes: number } {
  const text = canonicalJson(payload, { allowFractions: true });
  return { sha256: sha256Hex(text), bytes: Buffer.byteLength(text, "utf8") };
}

export interface PendingMessage extends IpcMessage {}

export class IpcRouter {
  readonly #queues = new Map<bigint, PendingMessage[]>();
  #nextSeq = 1n;

  constructor(readonly queueLimit: number) {}

  queued(receiver: bigint): number {
    return this.#queues.get(receiver)?.length ?? 0;
  }

  enqueue(message: Omit<IpcMessage, "seq" | "payload"> & { readonly payload: IpcValue }): PendingMessage {
    const pending: PendingMessage = { ...message, seq: this.#nextSeq++, payload: deepCopy(message.payload) };
    const queue = this.#queues.get(message.receiver) ?? [];
    queue.push(pending);
    this.#queues.set(message.receiver, queue);
    return pending;
  }

  dequeue(receiver: bigint): PendingMessage | undefined {
    return this.#queues.get(receiver)?.shift();
  }

  /** Drops a terminated receiver's queue; returns how many messages were undeliverable. */
  drop(receiver: bigint): number {
    const n = this.queued(receiver);
    this.#queues.delete(receiver);
    return n;
  }
}
