/**
 * The gate set the simulator executes natively: OpenQASM 2.0's built-ins `U` and `CX`, and
 * the gates of `qelib1.inc` (available only after `include "qelib1.inc";`, as in the
 * language). Each gate is a 2×2 unitary on its last qubit, optionally controlled by the
 * qubits before it, or one of two structured actions (swap, parity phase).
 *
 * Controlled gates carry their exact matrices, because a controlled gate turns the target
 * unitary's global phase into a relative, measurable one. Conventions: u3(θ,φ,λ) =
 * [[cos θ/2, −e^{iλ} sin θ/2], [e^{iφ} sin θ/2, e^{i(φ+λ)} cos θ/2]], u1(λ) = diag(1, e^{iλ}),
 * crz(λ) controls diag(e^{−iλ/2}, e^{iλ/2}); these agree with the qelib1 definitions.
 */

/** Row-major [re00, im00, re01, im01, re10, im10, re11, im11]. */
export type Matrix2 = Float64Array;

export type GateAction =
  | { readonly kind: "unitary"; readonly controls: number; readonly matrix: Matrix2 }
  | { readonly kind: "swap"; readonly controls: number }
  | { readonly kind: "parity-phase"; readonly theta: number }
  | { readonly kind: "identity" };

export interface GateSpec {
  readonly name: string;
  readonly params: number;
  readonly qubits: number;
  /** "builtin" gates exist without any include. */
  readonly library: "builtin" | "qelib1";
  readonly action: (params: readonly number[]) => GateAction;
}

function m(a: readonly [number, number], b: readonly [number, number], c: readonly [number, number], d: readonly [number, number]): Matrix2 {
  return Float64Array.of(a[0], a[1], b[0], b[1], c[0], c[1], d[0], d[1]);
}

function expi(angle: number): [number, number] {
  return [Math.cos(angle), Math.sin(angle)];
}

function scale(z: readonly [number, number], k: number): [number, number] {
  return [z[0] * k, z[1] * k];
}

function u3(theta: number, phi: number, lambda: number): Matrix2 {
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  return m([c, 0], scale(expi(lambda), -s), scale(expi(phi), s), scale(expi(phi + lambda), c));
}

function phase(lambda: number): Matrix2 {
  return m([1, 0], [0, 0], [0, 0], expi(lambda));
}

function rx(theta: number): Matrix2 {
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  return m([c, 0], [0, -s], [0, -s], [c, 0]);
}

function ry(theta: number): Matrix2 {
  const c = Math.cos(theta / 2);
  const s = Math.sin(theta / 2);
  return m([c, 0], [-s, 0], [s, 0], [c, 0]);
}

function rz(theta: number): Matrix2 {
  return m(expi(-theta / 2), [0, 0], [0, 0], expi(theta / 2));
}

const R = Math.SQRT1_2;
const X = m([0, 0], [1, 0], [1, 0], [0, 0]);
const Y = m([0, 0], [0, -1], [0, 1], [0, 0]);
const Z = m([1, 0], [0, 0], [0, 0], [-1, 0]);
const H = m([R, 0], [R, 0], [R, 0], [-R, 0]);
const SX = m([0.5, 0.5], [0.5, -0.5], [0.5, -0.5], [0.5, 0.5]);
const SXDG = m([0.5, -0.5], [0.5, 0.5], [0.5, 0.5], [0.5, -0.5]);

const unitary = (matrix: Matrix2, controls = 0): GateAction => ({ kind: "unitary", controls, matrix });

type P = readonly number[];
const p = (params: P, i: number): number => params[i] ?? 0;

function spec(name: string, params: number, qubits: number, action: (params: P) => GateAction, library: "builtin" | "qelib1" = "qelib1"): GateSpec {
  return { name, params, qubits, library, action };
}

const GATE_LIST: readonly GateSpec[] = [
  spec("U", 3, 1, (a) => unitary(u3(p(a, 0), p(a, 1), p(a, 2))), "builtin"),
  spec("CX", 0, 2, () => unitary(X, 1), "builtin"),
  spec("u3", 3, 1, (a) => unitary(u3(p(a, 0), p(a, 1), p(a, 2)))),
  spec("u2", 2, 1, (a) => unitary(u3(Math.PI / 2, p(a, 0), p(a, 1)))),
  spec("u1", 1, 1, (a) => unitary(phase(p(a, 0)))),
  spec("u", 3, 1, (a) => unitary(u3(p(a, 0), p(a, 1), p(a, 2)))),
  spec("p", 1, 1, (a) => unitary(phase(p(a, 0)))),
  // u0(γ) is an idle of γ single-qubit gate lengths: identity for an ideal simulator.
  spec("u0", 1, 1, () => ({ kind: "identity" })),
  spec("cx", 0, 2, () => unitary(X, 1)),
  spec("id", 0, 1, () => ({ kind: "identity" })),
  spec("x", 0, 1, () => unitary(X)),
  spec("y", 0, 1, () => unitary(Y)),
  spec("z", 0, 1, () => unitary(Z)),
  spec("h", 0, 1, () => unitary(H)),
  spec("s", 0, 1, () => unitary(phase(Math.PI / 2))),
  spec("sdg", 0, 1, () => unitary(phase(-Math.PI / 2))),
  spec("t", 0, 1, () => unitary(phase(Math.PI / 4))),
  spec("tdg", 0, 1, () => unitary(phase(-Math.PI / 4))),
  spec("sx", 0, 1, () => unitary(SX)),
  spec("sxdg", 0, 1, () => unitary(SXDG)),
  spec("rx", 1, 1, (a) => unitary(rx(p(a, 0)))),
  spec("ry", 1, 1, (a) => unitary(ry(p(a, 0)))),
  spec("rz", 1, 1, (a) => unitary(rz(p(a, 0)))),
  spec("cz", 0, 2, () => unitary(Z, 1)),
  spec("cy", 0, 2, () => unitary(Y, 1)),
  spec("ch", 0, 2, () => unitary(H, 1)),
  spec("ccx", 0, 3, () => unitary(X, 2)),
  spec("crx", 1, 2, (a) => unitary(rx(p(a, 0)), 1)),
  spec("cry", 1, 2, (a) => unitary(ry(p(a, 0)), 1)),
  spec("crz", 1, 2, (a) => unitary(rz(p(a, 0)), 1)),
  spec("cu1", 1, 2, (a) => unitary(phase(p(a, 0)), 1)),
  spec("cp", 1, 2, (a) => unitary(phase(p(a, 0)), 1)),
  spec("cu3", 3, 2, (a) => unitary(u3(p(a, 0), p(a, 1), p(a, 2)), 1)),
  spec("swap", 0, 2, () => ({ kind: "swap", controls: 0 })),
  spec("cswap", 0, 3, () => ({ kind: "swap", controls: 1 })),
  spec("rzz", 1, 2, (a) => ({ kind: "parity-phase", theta: p(a, 0) })),
];

const GATES = new Map<string, GateSpec>(GATE_LIST.map((g) => [g.name, g]));

export function lookupGate(name: string): GateSpec | undefined {
  return GATES.get(name);
}

/** Names, sorted, for the provider's capability declaration (XDV-060 §3.2). */
export function supportedGateNames(): readonly string[] {
  return GATE_LIST.map((g) => g.name).sort();
}
