/**
 * Hostile OpenQASM: whatever text a program submits, compiling it either succeeds or gives a
 * located QasmError — never another exception, never a host stack overflow.
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { QProvider } from "../../src/host/q/provider.js";

const HEADER = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\ncreg c[3];\n';

const PIECES = ["(", ")", "-", "+", "*", "/", "^", "pi", "1", "2.5e3", "sin(", "exp(", "ln(", "sqrt(", ",", ";", "x", "q[0]", "gate", "{", "}", "measure", "->", "if", "==", "\n", " ", "1e400", "0"];

/** Deep structures a generic string generator rarely reaches. */
const deep = fc.oneof(
  fc.integer({ min: 1, max: 5000 }).map((n) => `rz(${"(".repeat(n)}1${")".repeat(n)}) q[0];`),
  fc.integer({ min: 1, max: 30000 }).map((n) => `rz(${"-".repeat(n)}pi) q[0];`),
  fc.integer({ min: 1, max: 5000 }).map((n) => `rz(${Array.from({ length: n }, () => "2").join("^")}) q[0];`),
  fc.integer({ min: 1, max: 20000 }).map((n) => `rz(${Array.from({ length: n }, () => "1").join("+")}) q[0];`),
  fc.integer({ min: 1, max: 400 }).map((n) => {
    const defs = ["gate g0 a { x a; }"];
    for (let i = 1; i <= n; i++) defs.push(`gate g${i} a { g${i - 1} a; }`);
    return `${defs.join("\n")}\ng${n} q[0];`;
  }),
);

function compiles(body: string): void {
  const r = new QProvider({ maxQubits: 10 }).compile(HEADER + body);
  if (!r.ok) {
    expect(r.line).toBeGreaterThanOrEqual(1);
    expect(r.column).toBeGreaterThanOrEqual(1);
    expect(r.message.length).toBeGreaterThan(0);
  }
}

describe("hostile circuits compile or fail with a located error", () => {
  test("random token soup", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 200 }), (parts) => compiles(parts.join(""))), { numRuns: 300, seed: 17 });
  });

  test("deep nesting, long chains, deep gate calls", () => {
    fc.assert(fc.property(deep, compiles), { numRuns: 40, seed: 23 });
  });

  test("random bytes", () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), compiles), { numRuns: 300, seed: 29 });
  });
});
