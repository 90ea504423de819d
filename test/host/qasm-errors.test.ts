import { describe, expect, test } from "vitest";
import { QProvider } from "../../src/host/q/provider.js";
import { compileQasm } from "../../src/host/q/qasm-compile.js";
import { bootedKernel, expectErr, qSetup, simulate } from "./helpers.js";

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
    ["missing semicolon (reported where it belongs, not on the next line)", H + "qreg q[2];\nh q[0]\ncx q[0],q[1];\n", 4, 7, /expected ';' after the 'h' application, found 'cx'/],
    ["missing semicolon after a declaration", H + "qreg q[2]\n\ncreg c[2];\n", 3, 10, /expected ';' after the register declaration, found 'creg'/],
    ["keyword as a register name", H + "qreg measure[2];\n", 3, 6, /'measure' is a keyword and cannot name a register/],
    ["constant as a register name", H + "creg pi[2];\n", 3, 6, /'pi' is a keyword and cannot name a register/],
    ["constant as a gate parameter", H + "gate g(pi) a { rx(pi) a; }\n", 3, 8, /'pi' is a keyword and cannot name a gate parameter/],
    ["function name as a gate qubit", H + "gate g sin { x sin; }\n", 3, 8, /'sin' is a keyword and cannot name a gate qubit/],
    ["keyword as a gate name", H + "gate reset a { x a; }\n", 3, 6, /'reset' is a keyword and cannot name a gate/],
    ["infinite parameter", H + "qreg q[1];\nrx(exp(1000)) q[0];\n", 4, 4, /evaluates to Infinity, not a finite number/],
    ["infinite literal", H + "qreg q[1];\nrz(1e400) q[0];\n", 4, 4, /evaluates to Infinity/],
    ["NaN parameter", H + "qreg q[1];\nu3(0*exp(1000), 0, 0) q[0];\n", 4, 4, /evaluates to NaN/],
    ["non-finite parameter inside a gate, reported at the call", H + "gate g(a) q { rx(exp(a)) q; }\nqreg q[1];\n\ng(1000) q[0];\n", 6, 1, /in gate 'g' \(its line 3, column 18\): gate parameter evaluates to Infinity/],
    ["division by zero inside a gate, reported at the call", H + "gate g(a) q {\n  rx(1/a) q;\n}\nqreg q[1];\ng(0) q[0];\n", 7, 1, /in gate 'g' \(its line 4, column 7\): division by zero/],
    ["error two gates deep, reported at the outer call", H + "gate inner(a) q { rx(ln(a)) q; }\ngate outer(a) q { inner(a - 1) q; }\nqreg q[1];\nouter(1) q[0];\n", 6, 1, /in gate 'outer' .*in gate 'inner' \(its line 3, column 22\): ln of non-positive value 0/],
    ["condition value past the register, above 2^53", H + "qreg q[1];\ncreg c[60];\nif(c==1152921504606846976) x q[0];\n", 5, 1, /does not fit in register 'c' of size 60/],
    ["missing parameter", H + "qreg q[1];\nrx q[0];\n", 4, 1, /takes 1 parameter\(s\), got 0/],
    ["too many qubits", H + "qreg q[3];\nh q[0],q[1];\n", 4, 1, /acts on 1 qubit\(s\), got 2/],
    ["undeclared register", H + "qreg q[1];\nx r[0];\n", 4, 3, /unknown register 'r'/],
    ["classical register as qubit", H + "qreg q[1];\ncreg c[1];\nx c[0];\n", 5, 3, /'c' is a classical register/],
    ["register sizes disagree", H + "qreg a[2];\nqreg b[3];\ncx a, b;\n", 5, 1, /different sizes/],
    ["same qubit twice", H + "qreg q[2];\ncx q[1],q[1];\n", 4, 1, /same qubit twice/],
    ["measure register to bit", H + "qreg q[2];\ncreg c[2];\nmeasure q -> c[0];\n", 5, 1, /register to a register or a bit to a bit/],
    ["other include", 'OPENQASM 2.0;\ninclude "mylib.inc";\n', 2, 1, /only "qelib1.inc" is available, because a circuit is text the program submits at run time and the provider reads no files/],
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

describe("hostile nesting is a located error, never a host stack overflow", () => {
  const wrap = (expr: string): string => H + `qreg q[1];\n\nrz(${expr}) q[0];\n`;

  test("3,000 nested parentheses are refused on their line", () => {
    const e = compileError(wrap("(".repeat(3000) + "1" + ")".repeat(3000)));
    expect(e.message).toMatch(/nested more than 256 levels deep/);
    expect(e.line).toBe(5);
  });

  test("nested function calls and exponent towers count as nesting", () => {
    expect(compileError(wrap("sin(".repeat(500) + "1" + ")".repeat(500))).message).toMatch(/nested more than 256/);
    expect(compileError(wrap(Array.from({ length: 2000 }, () => "1").join("^"))).message).toMatch(/nested more than 256/);
  });

  test("flat chains are not nesting: 20,000 unary minus signs and 100,000 terms compile and evaluate", () => {
    expect(compileQasm(wrap("-".repeat(20000) + "1")).gateCount).toBe(1);
    expect(compileQasm(wrap("-".repeat(20001) + "pi")).gateCount).toBe(1);
    expect(compileQasm(wrap(Array.from({ length: 100000 }, () => "0.00001").join("+"))).gateCount).toBe(1);
    expect(compileQasm(wrap(Array.from({ length: 50000 }, () => "1").join("*"))).gateCount).toBe(1);
  });

  test("unary minus keeps its meaning when collapsed: an even run cancels", () => {
    // rx(--pi) is rx(pi), a flip; rx(---pi) is rx(-pi), also a flip; rx(--0) stays |0>.
    for (const [expr, bit] of [["--pi", "1"], ["---pi", "1"], ["--0", "0"], ["-+-pi", "1"]] as const) {
      const counts = simulate(H + `qreg q[1];\ncreg c[1];\nrx(${expr}) q[0];\nmeasure q -> c;\n`, 16);
      expect(counts.counts).toEqual([{ bitstring: bit, count: 16 }]);
    }
  });

  test("user gates nested past 256 levels are refused at the call", () => {
    const nest = ["gate g0 a { x a; }"];
    for (let i = 1; i <= 300; i++) nest.push(`gate g${i} a { g${i - 1} a; }`);
    const e = compileError(H + nest.join("\n") + "\nqreg q[1];\ng300 q[0];\n");
    expect(e.message).toMatch(/gate calls nest more than 256 deep/);
    expect(e.line).toBe(3 + 301 + 1);
  });

  test("through the kernel, deep nesting is Err(DOMAIN_PANIC) with the QASM line, recorded as a fault", () => {
    const kernel = bootedKernel();
    const { cap, contract } = qSetup(kernel);
    const r = kernel.xdvCall("K", "Q", { contract_id: contract, qubit_count: 1, circuit: wrap("(".repeat(3000) + "1" + ")".repeat(3000)), shots: 10 }, cap);
    expectErr(r, "DOMAIN_PANIC", "circuit-invalid");
    if (r.ok) return;
    expect(r.fault.message).toMatch(/OpenQASM line 5, column \d+: expression nested more than 256 levels deep/);
    expect(kernel.traceJsonl()).toMatch(/"event_type":"fault".*nested more than 256 levels deep/);
  });
});

describe("the smaller language rules", () => {
  test("a condition value above 2^53 on a wide register is exact", () => {
    // c[59] set makes c == 2^59 exactly; 2^59 + 1 must not match.
    const body = (value: string): string =>
      H + `qreg q[2];\ncreg c[60];\ncreg d[1];\nx q[0];\nmeasure q[0] -> c[59];\nif(c==${value}) x q[1];\nmeasure q[1] -> d[0];\n`;
    expect(simulate(body("576460752303423488"), 8).counts[0]?.bitstring.startsWith("1 ")).toBe(true);
    expect(simulate(body("576460752303423489"), 8).counts[0]?.bitstring.startsWith("0 ")).toBe(true);
  });

  test("gates Qiskit added to qelib1.inc later may be defined by the circuit, which then uses its own", () => {
    // The OpenQASM 2.0 examples define their own `cu`; here it is deliberately not qelib1's.
    const source = H + "gate cu a, b { x b; }\nqreg q[2];\ncreg c[2];\ncu q[0], q[1];\nmeasure q -> c;\n";
    expect(simulate(source, 8).counts).toEqual([{ bitstring: "10", count: 8 }]);
  });

  test("gates of the original qelib1.inc and the built-ins cannot be redefined", () => {
    expect(compileError(H + "gate h a { x a; }\n").message).toMatch(/gate 'h' is already defined/);
    expect(compileError("OPENQASM 2.0;\ngate CX a, b { U(0,0,0) a; }\n").message).toMatch(/keyword|already defined/);
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
