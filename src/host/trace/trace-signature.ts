/**
 * The anchor of a trace's hash chain: an Ed25519 signature over its head, written as the
 * trace file's last line by the kernel's runner when a recording closes.
 *
 * The chain alone proves that no entry was changed *unless every later hash was recomputed*,
 * which anyone can do. The signature is what a forger cannot recompute: it needs the secret
 * key the user keeps (src/compiler/trace-key.ts), and a replay verifies it against that
 * user's own public key before running anything.
 *
 * Line: {"trace_signature":{"algorithm":"ed25519","chain_head":H,"entries":N,"public_key":P,"signature":S}}
 * Signed bytes: "dplc trace signature v1\n" + N + "\n" + H (UTF-8).
 */
import { ed25519 } from "@noble/curves/ed25519";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils";
import { canonicalJson } from "./canonical-json.js";

export interface TraceSignature {
  readonly algorithm: "ed25519";
  /** Hash of the last entry the signature covers. */
  readonly chain_head: string;
  /** How many entries it covers: all of the trace's. */
  readonly entries: number;
  readonly public_key: string;
  readonly signature: string;
}

const PREFIX = '{"trace_signature":';

function message(head: string, entries: number): Uint8Array {
  return new TextEncoder().encode(`dplc trace signature v1\n${entries}\n${head}`);
}

export function signatureLine(head: string, entries: number, secretKey: Uint8Array): string {
  const sig: TraceSignature = {
    algorithm: "ed25519",
    chain_head: head,
    entries,
    public_key: bytesToHex(ed25519.getPublicKey(secretKey)),
    signature: bytesToHex(ed25519.sign(message(head, entries), secretKey)),
  };
  return canonicalJson({ trace_signature: { ...sig } });
}

export function isSignatureLine(line: string): boolean {
  return line.startsWith(PREFIX);
}

/** The signature record of a signature line, or a one-line reason it is malformed. */
export function parseSignatureLine(line: string): TraceSignature | string {
  let value: unknown;
  try {
    value = (JSON.parse(line) as { trace_signature?: unknown }).trace_signature;
  } catch {
    return "the signature line is not valid JSON";
  }
  const s = value as Record<string, unknown> | undefined;
  const hex = (v: unknown, bytes: number): boolean => typeof v === "string" && new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(v);
  if (!s || s["algorithm"] !== "ed25519" || !hex(s["chain_head"], 32) || !hex(s["public_key"], 32) || !hex(s["signature"], 64) || !Number.isSafeInteger(s["entries"])) {
    return "the signature line does not have the fields algorithm, chain_head, entries, public_key, signature";
  }
  return s as unknown as TraceSignature;
}

export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: "unsigned" | "wrong-key" | "bad-signature"; readonly message: string };

/** Whether `sig` is `publicKey`'s signature over a chain of `entries` entries ending in `head`. */
export function verifyTraceSignature(sig: TraceSignature | null, head: string, entries: number, publicKey: Uint8Array): SignatureCheck {
  if (!sig) return { ok: false, reason: "unsigned", message: "the trace is not signed" };
  const mine = bytesToHex(publicKey);
  if (sig.public_key !== mine) return { ok: false, reason: "wrong-key", message: `the trace is signed by key ${sig.public_key.slice(0, 16)}…, not by your key ${mine.slice(0, 16)}…` };
  if (sig.chain_head !== head || sig.entries !== entries) return { ok: false, reason: "bad-signature", message: "the signature covers another chain than the trace's entries (entries added, removed or rewritten)" };
  let valid = false;
  try {
    valid = ed25519.verify(hexToBytes(sig.signature), message(head, entries), publicKey);
  } catch {
    valid = false;
  }
  return valid ? { ok: true } : { ok: false, reason: "bad-signature", message: "the signature does not verify: the trace was altered after it was signed" };
}
