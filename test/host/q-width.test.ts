/**
 * The width limit: by default what fits in half the free memory, never more than 30 qubits,
 * enforced as RESOURCE_EXHAUSTED when a contract or a job asks for more, and carried into a
 * replay through the trace header.
 */
import { describe, expect, test } from "vitest";
import { createKernel, createReplayKernel } from "../../src/host/index.js";
import { defaultMaxQubits, QProvider } from "../../src/host/q/provider.js";
import { MAX_SIMULATED_QUBITS } from "../../src/host/q/statevector.js";
import { expectErr, qasm, qSetup, unwrap } from "./helpers.js";

const MiB = 2 ** 20;
const GiB = 2 ** 30;

function ghz(n: number): string {
  return qasm(`qreg q[${n}];\ncreg c[${n}];\nh q[0];\n${Array.from({ length: n - 1 }, (_, i) => `cx q[${i}],q[${i + 1}];`).join("\n")}\nmeasure q -> c;`);
}

function midCircuit(n: number): string {
  return qasm(`qreg q[${n}];\ncreg c[${n}];\nh q[0];\nmeasure q[0] -> c[0];\nif(c==1) x q[${n - 1}];\nmeasure q -> c;`);
}

describe("the default limit follows free memory", () => {
  test("half the free memory holds the state: 2^n × 16 bytes", () => {
    expect(defaultMaxQubits(2 * 16 * MiB)).toBe(20); // 16 MiB = 2^20 amplitudes
    expect(defaultMaxQubits(2 * 16 * MiB - 1)).toBe(19);
    expect(defaultMaxQubits(2 * 16 * GiB)).toBe(30);
    expect(defaultMaxQubits(1024 * GiB)).toBe(MAX_SIMULATED_QUBITS);
    expect(defaultMaxQubits(0)).toBe(0);
  });

  test("a provider without a configured limit takes the memory default; a configured one is capped at 30", () => {
    expect(new QProvider().config.maxQubits).toBe(Math.min(30, defaultMaxQubits()));
    expect(new QProvider({ maxQubits: 40 }).config.maxQubits).toBe(30);
    expect(new QProvider({ maxQubits: 7 }).capabilities().max_logical_qubits).toBe(7);
  });
});

describe("beyond the limit: RESOURCE_EXHAUSTED", () => {
  test("a contract for more qubits than the provider has", () => {
    const kernel = createKernel({ seed: 1n, q: { maxQubits: 12 } });
    kernel.boot({ argv: [] });
    const cap = unwrap(kernel.requestCapability("Q")).raw_id;
    const r = kernel.acquireQContract({ capability: cap, qubits: 13, decoherence_budget: 100n, shot_budget: 100n, lifetime: 100n });
    expectErr(r, "RESOURCE_EXHAUSTED", "provider-capacity");
    if (!r.ok) expect(r.fault.message).toMatch(/contract asks for 13 qubits, the provider has 12/);
    expect(kernel.acquireQContract({ capability: cap, qubits: 12, decoherence_budget: 100n, shot_budget: 100n, lifetime: 100n }).ok).toBe(true);
  });

  test("a circuit at the limit runs when it only measures at the end; one that branches mid-circuit needs a second state", () => {
    const kernel = createKernel({ seed: 1n, q: { maxQubits: 12 } });
    kernel.boot({ argv: [] });
    const { cap, contract } = qSetup(kernel, { qubits: 12 });
    const job = (circuit: string, n: number) => kernel.xdvCall("K", "Q", { contract_id: contract, qubit_count: n, circuit, shots: 100 }, cap);
    const r = unwrap(job(ghz(12), 12));
    expect(r.counts.map((c) => c.bitstring)).toEqual(["0".repeat(12), "1".repeat(12)]);
    const wide = job(midCircuit(12), 12);
    expectErr(wide, "RESOURCE_EXHAUSTED", "provider-capacity");
    if (!wide.ok) expect(wide.fault.message).toMatch(/needs two 12-qubit states; the provider holds two states of at most 11 qubits/);
    expect(job(midCircuit(11), 11).ok).toBe(true);
  });

  test("a replay runs under the limit recorded in the trace header, whatever the machine", () => {
    const kernel = createKernel({ seed: 3n, q: { maxQubits: 9 } });
    kernel.boot({ argv: [] });
    const { cap, contract } = qSetup(kernel, { qubits: 9 });
    unwrap(kernel.xdvCall("K", "Q", { contract_id: contract, qubit_count: 9, circuit: ghz(9), shots: 50 }, cap));
    kernel.shutdown(0);
    const trace = kernel.traceJsonl();
    expect(trace).toContain('"max_logical_qubits":9');
    const made = createReplayKernel(trace);
    if (!made.ok) throw new Error(made.error.message);
    made.kernel.boot({ argv: [] });
    const again = qSetup(made.kernel, { qubits: 9 });
    unwrap(made.kernel.xdvCall("K", "Q", { contract_id: again.contract, qubit_count: 9, circuit: ghz(9), shots: 50 }, again.cap));
    made.kernel.shutdown(0);
    expect(made.kernel.traceJsonl()).toBe(trace);
  });
});
