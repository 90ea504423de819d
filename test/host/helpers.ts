/**
 * Shared helpers for the host-layer tests: run a circuit on the provider alone, drive the
 * kernel the way emitted code would, and unwrap ABI results with readable failures.
 */
import { expect } from "vitest";
import type { Result } from "#runtime/abi.js";
import { createKernel, type EmbeddedKernel, type KernelOptions } from "../../src/host/index.js";
import { QProvider, type QOutcome } from "../../src/host/q/provider.js";
import { SeedKeys } from "../../src/host/random/prng.js";

export const HEADER = 'OPENQASM 2.0;\ninclude "qelib1.inc";\n';

export function qasm(body: string): string {
  return HEADER + body.trim() + "\n";
}

export function simulate(source: string, shots: number, seed = 7n, perShot = false): QOutcome {
  const provider = new QProvider();
  const compiled = provider.compile(source);
  if (!compiled.ok) throw new Error(`line ${compiled.line}: ${compiled.message}`);
  return provider.execute(compiled.circuit, shots, new SeedKeys(seed).stream("q-job", 1n), perShot);
}

export function countsOf(outcome: { readonly counts: readonly { bitstring: string; count: number }[] }): Record<string, number> {
  return Object.fromEntries(outcome.counts.map((c) => [c.bitstring, c.count]));
}

export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected Ok, got Err(${r.code}): ${r.fault.reason}: ${r.fault.message}`);
  return r.value;
}

export function expectErr<T>(r: Result<T>, code: string, reason?: string): void {
  expect(r.ok, r.ok ? "expected an Err, got Ok" : "").toBe(false);
  if (r.ok) return;
  expect(r.code).toBe(code);
  if (reason !== undefined) expect(r.fault.reason).toBe(reason);
}

export function bootedKernel(options: Partial<KernelOptions> = {}): EmbeddedKernel {
  const kernel = createKernel({ seed: 1234n, ...options });
  kernel.boot({ argv: [] });
  return kernel;
}

/** A Q capability and an active Q contract for the current process. */
export function qSetup(
  kernel: EmbeddedKernel,
  terms: { qubits?: number; decoherence_budget?: bigint; shot_budget?: bigint; lifetime?: bigint } = {},
): { cap: bigint; contract: bigint } {
  const cap = unwrap(kernel.requestCapability("Q")).raw_id;
  const contract = unwrap(
    kernel.acquireQContract({
      capability: cap,
      qubits: terms.qubits ?? 5,
      decoherence_budget: terms.decoherence_budget ?? 1000n,
      shot_budget: terms.shot_budget ?? 1_000_000n,
      lifetime: terms.lifetime ?? 10_000n,
    }),
  ).id;
  return { cap, contract };
}

/** A Φ capability and a coherence window opening `offset` ticks from now. */
export function phiSetup(
  kernel: EmbeddedKernel,
  terms: { offset?: bigint; duration?: bigint; tolerance?: number; budget?: bigint } = {},
): { cap: bigint; contract: bigint; start: bigint; duration: bigint } {
  const cap = unwrap(kernel.requestCapability("Φ")).raw_id;
  const start = kernel.now() + (terms.offset ?? 10n);
  const duration = terms.duration ?? 1000n;
  const contract = unwrap(
    kernel.acquirePhiContract({ capability: cap, window_start: start, window_duration: duration, stability_tolerance: terms.tolerance ?? 5000, transform_budget: terms.budget ?? 100n }),
  ).id;
  return { cap, contract, start, duration };
}

export const BELL = qasm(`
qreg q[2];
creg c[2];
h q[0];
cx q[0],q[1];
measure q -> c;
`);
