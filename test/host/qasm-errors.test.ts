import { describe, expect, test } from "vitest";
import { QProvider } from "../../src/host/q/provider.js";
import { compileQasm } from "../../src/host/q/qasm-compile.js";
import { bootedKernel, expectErr, qSetup } from "./helpers.js";

function compileError(source: string): { line: number; column: number; message: string; category: string } {
  const r = new QProvider().compile(source);
  if (r.ok) throw new Error("expected a compile error");
  return r;
}

const H = 'OPENQASM 2.0;\ninclude "qelib1.inc";\n';

describe("OpenQASM 2.0 errors carry the line and column of the offending text", () => {
  test.each([
    ["missing header", "qreg q[1];\n", 1, 1, /must begin with 'OPENQASM 2.0;'/],
    ["wrong version", "OPENQASM 3.0;\n", 1, 10, /only 2.0/],
    ["unknown gate", H + "qreg q[1];\nfoo q[0];\n", 4, 1, /unknown gate 'foo'/],
    ["qelib1 gate without include", "OPENQASM 2.0;\nqreg q[1];\nh q[0];\n", 3, 1, /add 'include "qelib1.inc";'/],
    ["index out of range", H + "qreg q[2];\nx q[2];\n", 4, 3, /index 2 is out of range for register 'q' of size 2/],
    ["missing semicolon", H + "qreg q[2];\nh q[0]\ncx q[0],q[1];\n", 5, 1, /expected ';' after the 'h' application, found 'cx'/],
    ["missing parameter", H + "qreg q[1];\nrx q[0];\n", 4, 1, /takes 1 parameter\(s\), got 0/],
    ["too many qubits", H + "qreg q[3];\nh q[0],q[1];\n", 4, 1, /acts on 1 qubit\(s\), got 2/],
    ["undeclared register", H + "qreg q[1];\nx r[0];\n", 4, 3, /unknown register 'r'/],
    ["classical register as qubit", H + "qreg q[1];\ncreg c[1];\nx c[0];\n", 5, 3, /'c' is a classical register/],
    ["register sizes disagree", H + "qreg a[2];\nqreg b[3];\ncx a, b;\n", 5, 1, /different sizes/],
    ["same qubit twice", H + "qreg q[2];\ncx q[1],q[1];\n", 4, 1, /same qubit twice/],
    ["measure register to bit", H + "qreg q[2];\ncreg c[2];\nmeasure q -> c[0];\n", 5, 1, /register to a register or a bit to a bit/],
    ["other include", 'OPENQASM 2.0;\ninclude "mylib.inc";\n', 2, 1, /only "qelib1.inc" is available/],
    ["unterminated comment", H + "qreg q[1];\n/* never closed\nx q[0];\n", 4, 1, /unterminated block comment/],
    ["unexpected character", H + "qreg q[1];\nx q[0]; @\n", 4, 9, /unexpected character '@'/],
    ["redeclared register", H + "qreg q[1];\nqreg q[2];\n", 4, 1, /already declared/],
    ["unknown parameter in gate body", H + "gate g(a) x { rx(b) x; }\n", 3, 18, /unknown parameter 'b'/],
    ["unknown qubit in gate body", H + "gate g a { h b; }\n", 3, 14, /'b' is not a qubit argument of gate 'g'/],
    ["measure inside a gate", H + "gate g a { measure a -> c; }\n", 3, 12, /not allowed inside a gate body/],
    ["opaque gate applied", H + "opaque magic a;\nqreg q[1];\nmagic q[0];\n", 5, 1, /opaque gate 'magic'/],
    ["condition on a quantum register", H + "qreg q[1];\nif(q==1) x q[0];\n", 4, 1, /not a classical register/],
    ["condition value too wide", H + "qreg q[1];\ncreg c[2];\nif(c==4) x q[0];\n", 5, 1, /does not fit/],
    ["division by zero", H + "qreg q[1];\nrx(pi/0) q[0];\n", 4, 6, /division by zero/],
    ["empty register", H + "qreg q[0];\n", 3, 1, /at least one bit/],
  ])("%s", (_name, source, line, column, message) => {
    const e = compileError(source);
    expect(e.message).toMatch(message);
    expect({ line: e.line, column: e.column }).toEqual({ line, column });
  });

  test("unknown and opaque gates are reported as unsupported gates, syntax as invalid circuits", () => {
    expect(compileError(H + "qreg q[1];\nfoo q[0];\n").category).toBe("gate-unsupported");
    expect(compileError(H + "qreg q[1];\nx q[0]\n").category).toBe("circuit-invalid");
  });

  test("expressions follow precedence: unary minus, right-associative ^, functions", () => {
    // -2^2 is -(2^2) and 2^3^2 is 2^9; both must be accepted and evaluate without error.
    const c = compileQasm(H + "qreg q[1];\nrz(-2^2 + 2^3^2 / 512 + sin(pi/2) * cos(0) + sqrt(4) - ln(exp(1)) + tan(0)) q[0];\n");
    expect(c.gateCount).toBe(1);
  });

  test("depth counts layers, not gates, and ignores barriers", () => {
    const c = compileQasm(H + "qreg q[3];\ncreg c[3];\nh q;\nbarrier q;\ncx q[0],q[1];\nx q[2];\nmeasure q -> c;\n");
    // h layer, then cx ∥ x, then measurements: 3 layers.
    expect(c.depth).toBe(3);
    expect(c.terminalMeasurement).toBe(true);
    expect(compileQasm(H + "qreg q[1];\ncreg c[1];\nmeasure q[0] -> c[0];\nx q[0];\n").terminalMeasurement).toBe(false);
  });

  test("absurd register sizes are refused before anything is allocated", () => {
    const e = compileError(H + "qreg q[1000000000];\nh q;\n");
    expect(e).toMatchObject({ line: 3, column: 1 });
    expect(e.message).toMatch(/at most 4096 can be declared/);
  });

  test("nested gates with empty bodies cannot recurse without bound", () => {
    const nest = ["gate g0 a { }"];
    for (let i = 1; i < 60; i++) nest.push(`gate g${i} a { g${i - 1} a; g${i - 1} a; }`);
    expect(() => compileQasm(H + nest.join("\n") + "\nqreg q[1];\ng59 q[0];\n", { maxOps: 10_000 })).toThrow(/more than 10000 operations/);
  });

  test("circuits that inline past the operation limit are refused", () => {
    const nest = ["gate g0 a { x a; x a; }"];
    for (let i = 1; i < 12; i++) nest.push(`gate g${i} a { g${i - 1} a; g${i - 1} a; }`);
    const source = H + nest.join("\n") + "\nqreg q[1];\ng11 q[0];\n";
    expect(() => compileQasm(source, { maxOps: 1000 })).toThrow(/more than 1000 operations/);
  });
});

describe("a bad circuit reaches the program as a structured Err", () => {
  test("xdv_call returns DOMAIN_PANIC with the line, and nothing is spent", () => {
    const kernel = bootedKernel();
    const { cap, contract } = qSetup(kernel, { decoherence_budget: 50n });
    const r = kernel.xdvCall("K", "Q", { contract_id: contract, qubit_count: 2, circuit: H + "qreg q[2];\n\nbogus q[0];\n", shots: 10 }, cap);
    expectErr(r, "DOMAIN_PANIC", "gate-unsupported");
    if (r.ok) return;
    expect(r.fault.details).toMatchObject({ line: 5, column: 1, provider_code: "Q_ERR_GATE_UNSUPPORTED" });
    expect(r.fault.message).toMatch(/OpenQASM line 5, column 1/);
    const status = kernel.contractStatus(contract);
    expect(status.ok && status.value.used).toBe(0n);
    expect(status.ok && status.value.state).toBe("Active");
  });
});
