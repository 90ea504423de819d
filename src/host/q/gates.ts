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

/**
 * One step of a gate, on positions into the gate's qubit arguments (0 = first argument).
 * `ones` and `zeros` are controls: the step acts only on basis states where those qubits
 * are 1 and 0 respectively (negative controls express the relative phases of rccx, rc3x).
 */
export type Primitive =
  | { readonly kind: "unitary"; readonly target: number; readonly ones: readonly number[]; readonly zeros: readonly number[]; readonly matrix: Matrix2 }
  | { readonly kind: "swap"; readonly a: number; readonly b: number; readonly ones: readonly number[] }
  /** diag(1, e^{iθ}, e^{iθ}, 1) on (a, b): rzz. */
  | { readonly kind: "parity-phase"; readonly a: number; readonly b: number; readonly theta: number }
  /** exp(−iθ/2 X⊗X) on (a, b): rxx. */
  | { readonly kind: "xx-rotation"; readonly a: number; readonly b: number; readonly theta: number };

/** A gate is its primitives applied in order; the identity is the empty list. */
export type GateAction = readonly Primitive[];

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

/** The matrix on the last of `controls + 1` arguments, controlled by the ones before it. */
const unitary = (matrix: Matrix2, controls = 0): GateAction => [
  { kind: "unitary", target: controls, ones: Array.from({ length: controls }, (_, i) => i), zeros: [], matrix },
];

/** e^{iγ}·M: a global phase that becomes relative once the gate is controlled (cu). */
function withPhase(matrix: Matrix2, gamma: number): Matrix2 {
  const [c, s] = expi(gamma);
  const out = new Float64Array(8);
  for (let k = 0; k < 8; k += 2) {
    const re = matrix[k] as number;
    const im = matrix[k + 1] as number;
    out[k] = c * re - s * im;
    out[k + 1] = c * im + s * re;
  }
  return out;
}

type P = readonly number[];
const p = (params: P, i: number): number => params[i] ?? 0;

function spec(name: string, params: number, qubits: number, action: (params: P) => GateAction, library: "builtin" | "qelib1" = "qelib1"): GateSpec {
  return { name, params, qubits, library, action };
}

const IDENTITY: GateAction = [];
// −iY and iZ: the target blocks of rc3x's definition (its relative phases made explicit).
const MINUS_IY = m([0, 0], [1, 0], [-1, 0], [0, 0]);
const IZ = m([0, 1], [0, 0], [0, 0], [0, -1]);

const GATE_LIST: readonly GateSpec[] = [
  spec("U", 3, 1, (a) => unitary(u3(p(a, 0), p(a, 1), p(a, 2))), "builtin"),
  spec("CX", 0, 2, () => unitary(X, 1), "builtin"),
  spec("u3", 3, 1, (a) => unitary(u3(p(a, 0), p(a, 1), p(a, 2)))),
  spec("u2", 2, 1, (a) => unitary(u3(Math.PI / 2, p(a, 0), p(a, 1)))),
  spec("u1", 1, 1, (a) => unitary(phase(p(a, 0)))),
  spec("u", 3, 1, (a) => unitary(u3(p(a, 0), p(a, 1), p(a, 2)))),
  spec("p", 1, 1, (a) => unitary(phase(p(a, 0)))),
  // u0(γ) is an idle of γ single-qubit gate lengths: identity for an ideal simulator.
  spec("u0", 1, 1, () => IDENTITY),
  spec("cx", 0, 2, () => unitary(X, 1)),
  spec("id", 0, 1, () => IDENTITY),
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
  spec("csx", 0, 2, () => unitary(SX, 1)),
  spec("cu", 4, 2, (a) => unitary(withPhase(u3(p(a, 0), p(a, 1), p(a, 2)), p(a, 3)), 1)),
  spec("swap", 0, 2, () => [{ kind: "swap", a: 0, b: 1, ones: [] }]),
  spec("cswap", 0, 3, () => [{ kind: "swap", a: 1, b: 2, ones: [0] }]),
  spec("rzz", 1, 2, (a) => [{ kind: "parity-phase", a: 0, b: 1, theta: p(a, 0) }]),
  spec("rxx", 1, 2, (a) => [{ kind: "xx-rotation", a: 0, b: 1, theta: p(a, 0) }]),
  // qelib1's rccx is Y on the target when both controls are set, and Z when only the first is.
  spec("rccx", 0, 3, () => [
    { kind: "unitary", target: 2, ones: [0, 1], zeros: [], matrix: Y },
    { kind: "unitary", target: 2, ones: [0], zeros: [1], matrix: Z },
  ]),
  // rc3x: −iY when all three controls are set, iZ when the first two are and the third is not.
  spec("rc3x", 0, 4, () => [
    { kind: "unitary", target: 3, ones: [0, 1, 2], zeros: [], matrix: MINUS_IY },
    { kind: "unitary", target: 3, ones: [0, 1], zeros: [2], matrix: IZ },
  ]),
  spec("c3x", 0, 4, () => unitary(X, 3)),
  // Qiskit's qelib1.inc once defined c3sqrtx with its cu1 angles negated (a controlled √X†)
  // and c4x with an H on the wrong qubit; its corrected definitions are exactly C3-√X and
  // C4X, which is what its gate classes and exported programs mean (test/data/qasm/README.md).
  spec("c3sqrtx", 0, 4, () => unitary(SX, 3)),
  spec("c4x", 0, 5, () => unitary(X, 4)),
];

const GATES = new Map<string, GateSpec>(GATE_LIST.map((g) => [g.name, g]));

/** The gates of qelib1.inc as the OpenQASM 2.0 paper published it (Cross et al., 2017). */
const ORIGINAL_QELIB1 = new Set(["u3", "u2", "u1", "cx", "id", "x", "y", "z", "h", "s", "sdg", "t", "tdg", "rx", "ry", "rz", "cz", "cy", "ch", "ccx", "crz", "cu1", "cu3"]);

/**
 * Gates Qiskit added to qelib1.inc later (cu, rxx, c3x, …) may be defined by a circuit, which
 * then uses its own definition: programs written before the addition (the OpenQASM examples
 * define their own `cu`) keep their meaning. The original gates and U/CX cannot be redefined.
 */
export function isRedefinable(name: string): boolean {
  const spec = GATES.get(name);
  return spec !== undefined && spec.library === "qelib1" && !ORIGINAL_QELIB1.has(name);
}

export function lookupGate(name: string): GateSpec | undefined {
  return GATES.get(name);
}

/** Names, sorted, for the provider's capability declaration (XDV-060 §3.2). */
export function supportedGateNames(): readonly string[] {
  return GATE_LIST.map((g) => g.name).sort();
}
