/**
 * The per-job norm check: a state that stops being normalised fails the job with
 * Err(DOMAIN_PANIC, simulation-invalid) instead of returning counts drawn from NaN. Circuits
 * cannot reach such a state any more (non-finite parameters are refused at compile time), so
 * these tests hand the provider a circuit whose gate is not unitary, as a simulator bug would.
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import { createKernel, createReplayKernel } from "../../src/host/index.js";
import type { CompiledCircuit, Op } from "../../src/host/q/qasm-compile.js";
import { compileQasm } from "../../src/host/q/qasm-compile.js";
import { QProvider, QSimulationFault } from "../../src/host/q/provider.js";
import { SeedKeys } from "../../src/host/random/prng.js";
import { BELL, expectErr, qasm, qSetup, unwrap } from "./helpers.js";

function corrupted(source: string, matrix: Float64Array): CompiledCircuit {
  const c = compileQasm(source);
  const bad: Op = { kind: "gate", name: "bad", action: [{ kind: "unitary", target: 0, ones: [], zeros: [], matrix }], qubits: [0], line: 3 };
  return { ...c, ops: [bad, ...c.ops] };
}

const NAN_GATE = Float64Array.of(Number.NaN, 0, 0, 0, 0, 0, 1, 0);
const SHRINKING_GATE = Float64Array.of(0.5, 0, 0, 0, 0, 0, 0.5, 0);
const MID_CIRCUIT = qasm("qreg q[2];\ncreg c[2];\nh q[0];\nmeasure q[0] -> c[0];\nif(c==1) x q[1];\nmeasure q[1] -> c[1];");

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a state that is not normalised fails the job", () => {
  test.each([
    ["NaN amplitudes, terminal measurement", BELL, NAN_GATE],
    ["lost norm, terminal measurement", BELL, SHRINKING_GATE],
    ["NaN amplitudes, mid-circuit measurement", MID_CIRCUIT, NAN_GATE],
    ["lost norm, mid-circuit measurement", MID_CIRCUIT, SHRINKING_GATE],
  ])("%s", (_name, source, matrix) => {
    const run = (): unknown => new QProvider().execute(corrupted(source, matrix), 100, new SeedKeys(1n).stream("q-job", 1n), true);
    expect(run).toThrow(QSimulationFault);
    expect(run).toThrow(/not normalised/);
  });

  test("through the kernel: Err(DOMAIN_PANIC) simulation-invalid, nothing spent, and a replay reproduces it", () => {
    vi.spyOn(QProvider.prototype, "compile").mockImplementation(() => ({ ok: true, circuit: corrupted(BELL, NAN_GATE) }));
    const kernel = createKernel({ seed: 5n });
    kernel.boot({ argv: [] });
    const { cap, contract } = qSetup(kernel);
    const job = { contract_id: contract, qubit_count: 2, circuit: BELL, shots: 10 };
    const r = kernel.xdvCall("K", "Q", job, cap);
    expectErr(r, "DOMAIN_PANIC", "simulation-invalid");
    const status = unwrap(kernel.contractStatus(contract));
    expect(status.used).toBe(0n);
    kernel.shutdown(0);
    const trace = kernel.traceJsonl();
    expect(trace).toMatch(/"reason":"simulation-invalid"/);

    const made = createReplayKernel(trace);
    if (!made.ok) throw new Error(made.error.message);
    made.kernel.boot({ argv: [] });
    const again = qSetup(made.kernel);
    expectErr(made.kernel.xdvCall("K", "Q", { ...job, contract_id: again.contract }, again.cap), "DOMAIN_PANIC", "simulation-invalid");
    made.kernel.shutdown(0);
    expect(made.kernel.traceJsonl()).toBe(trace);
  });
});
