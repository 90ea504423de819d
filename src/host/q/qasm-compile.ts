/**
 * OpenQASM 2.0 meaning: registers, gate resolution, parameter evaluation, register
 * broadcasting and inlining of user `gate` definitions, down to a flat list of operations on
 * global qubit and classical-bit indices. Also derives what the orchestration needs to know
 * before anything runs: qubit count, circuit depth (the decoherence cost) and whether all
 * measurements are terminal (then shots can be sampled from one simulation).
 *
 * Qubit i of the flat numbering is bit i of a basis-state index; registers are laid out in
 * declaration order.
 */
import { isRedefinable, lookupGate, type GateAction } from "./gates.js";
import { QasmError } from "./qasm-lexer.js";
import { parseQasm, type Apply, type Arg, type Barrier, type Expr, type Pos, type QuantumOp } from "./qasm-parser.js";

export type Op =
  | { readonly kind: "gate"; readonly name: string; readonly action: GateAction; readonly qubits: readonly number[]; readonly line: number }
  | { readonly kind: "measure"; readonly qubit: number; readonly clbit: number; readonly line: number }
  | { readonly kind: "reset"; readonly qubit: number; readonly line: number }
  | { readonly kind: "barrier"; readonly qubits: readonly number[]; readonly line: number }
  /** `if (creg == value)`: evaluated once, then all of `ops` run or none. */
  | { readonly kind: "cond"; readonly offset: number; readonly size: number; readonly value: bigint; readonly ops: readonly Op[]; readonly line: number };

export interface Register {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
}

/** A circuit, classical description only: it never holds simulator state. */
export interface CompiledCircuit {
  readonly qubits: number;
  readonly clbits: number;
  readonly cregs: readonly Register[];
  readonly ops: readonly Op[];
  readonly depth: number;
  readonly gateCount: number;
  readonly measurementCount: number;
  /** No reset, no condition, and no qubit touched after its measurement. */
  readonly terminalMeasurement: boolean;
}

export interface CompileLimits {
  /** Refuse circuits that inline to more operations than this (nested gates grow fast). */
  readonly maxOps: number;
}

/**
 * Registers beyond this many bits in total (per kind) are refused while parsing, before any
 * per-bit array is built. It is far above any simulable width, so a circuit that is merely
 * too wide for the provider still compiles and is refused as a resource question instead.
 */
export const MAX_REGISTER_BITS = 4096;

/** User gates calling user gates: inlining recurses once per level. */
export const MAX_GATE_NESTING = 256;

interface UserGate {
  readonly params: readonly string[];
  readonly qubits: readonly string[];
  readonly body: readonly (Apply | Barrier)[] | null;
}

function fail(pos: Pos, message: string, category: "circuit-invalid" | "gate-unsupported" = "circuit-invalid"): never {
  throw new QasmError(message, pos.line, pos.column, category);
}

/** The operands of an expression node, left to right. */
function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case "neg":
    case "call":
      return [e.arg];
    case "bin":
      return [e.left, e.right];
    default:
      return [];
  }
}

/**
 * Post-order over an expression with an explicit stack: a flat chain of 100,000 additions is
 * a tree that deep, and must not cost the host its call stack.
 */
function fold<T>(root: Expr, leaf: (e: Expr) => T, node: (e: Expr, args: readonly T[]) => T): T {
  const values: T[] = [];
  const stack: { e: Expr; visited: boolean }[] = [{ e: root, visited: false }];
  while (stack.length > 0) {
    const top = stack.pop() as { e: Expr; visited: boolean };
    const kids = children(top.e);
    if (kids.length === 0) {
      values.push(leaf(top.e));
    } else if (!top.visited) {
      stack.push({ e: top.e, visited: true });
      for (let k = kids.length - 1; k >= 0; k--) stack.push({ e: kids[k] as Expr, visited: false });
    } else {
      const args = values.splice(values.length - kids.length, kids.length);
      values.push(node(top.e, args));
    }
  }
  return values[0] as T;
}

function evaluate(root: Expr, env: ReadonlyMap<string, number>): number {
  return fold<number>(
    root,
    (e) => {
      if (e.kind === "num") return e.value;
      if (e.kind === "pi") return Math.PI;
      if (e.kind === "ident") {
        const v = env.get(e.name);
        if (v === undefined) fail(e.pos, `unknown parameter '${e.name}' in expression`);
        return v;
      }
      return fail(e.pos, "unsupported expression");
    },
    (e, [a = 0, b = 0]) => {
      if (e.kind === "neg") return -a;
      if (e.kind === "bin") {
        switch (e.op) {
          case "+":
            return a + b;
          case "-":
            return a - b;
          case "*":
            return a * b;
          case "/":
            if (b === 0) fail(e.pos, "division by zero in a gate parameter");
            return a / b;
          case "^":
            return Math.pow(a, b);
        }
      }
      if (e.kind === "call") {
        switch (e.fn) {
          case "sin":
            return Math.sin(a);
          case "cos":
            return Math.cos(a);
          case "tan":
            return Math.tan(a);
          case "exp":
            return Math.exp(a);
          case "ln":
            if (a <= 0) fail(e.pos, `ln of non-positive value ${a}`);
            return Math.log(a);
          case "sqrt":
            if (a < 0) fail(e.pos, `sqrt of negative value ${a}`);
            return Math.sqrt(a);
        }
      }
      return fail(e.pos, "unsupported expression");
    },
  );
}

/**
 * A gate parameter's value; a NaN or an infinity (exp(1000), 1e400, 0*exp(1000)) would turn
 * the whole state into NaN and every shot into zeros, so it is refused where it is written.
 */
function parameter(e: Expr, env: ReadonlyMap<string, number>): number {
  const v = evaluate(e, env);
  if (!Number.isFinite(v)) fail(startOf(e), `gate parameter evaluates to ${v}, not a finite number`);
  return v;
}

/** Where an expression's text begins (a binary node's own position is its operator). */
function startOf(e: Expr): Pos {
  let at = e;
  while (at.kind === "bin") at = at.left;
  return at.pos;
}

function checkExprNames(root: Expr, allowed: ReadonlySet<string>): void {
  fold<null>(
    root,
    (e) => {
      if (e.kind === "ident" && !allowed.has(e.name)) fail(e.pos, `unknown parameter '${e.name}' in gate body`);
      return null;
    },
    () => null,
  );
}

class Compiler {
  readonly qregs = new Map<string, Register>();
  readonly cregs = new Map<string, Register>();
  readonly cregList: Register[] = [];
  readonly userGates = new Map<string, UserGate>();
  qubitCount = 0;
  clbitCount = 0;
  qelib = false;
  readonly ops: Op[] = [];
  opCount = 0;

  constructor(readonly limits: CompileLimits) {}

  /** Returns the gate's signature, or fails with the reason it cannot be used here. */
  resolve(name: string, pos: Pos): { params: number; qubits: number; user: UserGate | null } {
    const user = this.userGates.get(name);
    if (user) {
      if (user.body === null) fail(pos, `opaque gate '${name}' has no definition the simulator can run`, "gate-unsupported");
      return { params: user.params.length, qubits: user.qubits.length, user };
    }
    const spec = lookupGate(name);
    if (spec && (spec.library === "builtin" || this.qelib)) return { params: spec.params, qubits: spec.qubits, user: null };
    if (spec) fail(pos, `unknown gate '${name}'; it is defined in qelib1.inc, add 'include "qelib1.inc";'`, "gate-unsupported");
    return fail(pos, `unknown gate '${name}'`, "gate-unsupported");
  }

  declare(kind: "qreg" | "creg", name: string, size: number, pos: Pos): void {
    if (this.qregs.has(name) || this.cregs.has(name)) fail(pos, `register '${name}' is already declared`);
    if (size < 1) fail(pos, `register '${name}' must have at least one bit`);
    const total = (kind === "qreg" ? this.qubitCount : this.clbitCount) + size;
    if (total > MAX_REGISTER_BITS) fail(pos, `register '${name}' brings the circuit to ${total} ${kind === "qreg" ? "qubits" : "classical bits"}; at most ${MAX_REGISTER_BITS} can be declared`);
    if (kind === "qreg") {
      this.qregs.set(name, { name, offset: this.qubitCount, size });
      this.qubitCount += size;
    } else {
      const reg = { name, offset: this.clbitCount, size };
      this.cregs.set(name, reg);
      this.cregList.push(reg);
      this.clbitCount += size;
    }
  }

  defineGate(name: string, params: readonly Arg[], qubits: readonly Arg[], body: readonly (Apply | Barrier)[] | null, pos: Pos): void {
    const library = lookupGate(name);
    if (this.userGates.has(name) || (library && (library.library === "builtin" || this.qelib) && !isRedefinable(name))) {
      fail(pos, `gate '${name}' is already defined`);
    }
    const paramNames = params.map((p) => p.name);
    const qubitNames = qubits.map((q) => q.name);
    const seen = new Set<string>();
    for (const a of [...params, ...qubits]) {
      if (seen.has(a.name)) fail(a.pos, `'${a.name}' is declared twice in gate '${name}'`);
      seen.add(a.name);
    }
    const paramSet = new Set(paramNames);
    const qubitSet = new Set(qubitNames);
    for (const stmt of body ?? []) {
      for (const a of stmt.args) {
        if (!qubitSet.has(a.name)) fail(a.pos, `'${a.name}' is not a qubit argument of gate '${name}'`);
      }
      if (stmt.kind === "barrier") continue;
      if (stmt.name === name) fail(stmt.pos, `gate '${name}' cannot call itself`);
      const sig = this.resolve(stmt.name, stmt.pos);
      this.checkArity(stmt, sig);
      stmt.params.forEach((p) => checkExprNames(p, paramSet));
      const names = stmt.args.map((a) => a.name);
      if (new Set(names).size !== names.length) fail(stmt.pos, `gate '${stmt.name}' is applied to the same qubit twice`);
    }
    this.userGates.set(name, { params: paramNames, qubits: qubitNames, body });
  }

  checkArity(stmt: Apply, sig: { params: number; qubits: number }): void {
    if (stmt.params.length !== sig.params) {
      fail(stmt.pos, `gate '${stmt.name}' takes ${sig.params} parameter(s), got ${stmt.params.length}`);
    }
    if (stmt.args.length !== sig.qubits) {
      fail(stmt.pos, `gate '${stmt.name}' acts on ${sig.qubits} qubit(s), got ${stmt.args.length}`);
    }
  }

  /** The indices an argument names: one bit, or a whole register for broadcasting. */
  bits(arg: Arg, kind: "qubit" | "clbit"): number[] {
    const reg = (kind === "qubit" ? this.qregs : this.cregs).get(arg.name);
    if (!reg) {
      const other = (kind === "qubit" ? this.cregs : this.qregs).has(arg.name);
      fail(arg.pos, other ? `'${arg.name}' is a ${kind === "qubit" ? "classical" : "quantum"} register, expected a ${kind === "qubit" ? "qreg" : "creg"}` : `unknown register '${arg.name}'`);
    }
    if (arg.index === null) return Array.from({ length: reg.size }, (_, i) => reg.offset + i);
    if (arg.index >= reg.size) fail(arg.pos, `index ${arg.index} is out of range for register '${arg.name}' of size ${reg.size}`);
    return [reg.offset + arg.index];
  }

  /** Expands register arguments elementwise; all registers in one statement must agree in size. */
  broadcast(args: readonly Arg[], kinds: readonly ("qubit" | "clbit")[], pos: Pos): number[][] {
    const resolved = args.map((a, i) => this.bits(a, kinds[i] ?? "qubit"));
    let width = 1;
    args.forEach((a, i) => {
      if (a.index !== null) return;
      const size = (resolved[i] as number[]).length;
      if (width !== 1 && size !== width) fail(pos, `registers of different sizes (${width} and ${size}) in one statement`);
      width = size;
    });
    const rows: number[][] = [];
    for (let k = 0; k < width; k++) {
      rows.push(args.map((a, i) => ((resolved[i] as number[])[a.index === null ? k : 0] as number)));
    }
    return rows;
  }

  push(into: Op[], op: Op, pos: Pos): void {
    if (++this.opCount > this.limits.maxOps) {
      fail(pos, `circuit expands to more than ${this.limits.maxOps} operations`);
    }
    into.push(op);
  }

  /**
   * Inlines a gate call. Everything that goes wrong while inlining is reported at `top`, the
   * statement in the circuit that made the call; `trail` says which gate bodies lead there
   * (a definition on its own is valid: a parameter's value only exists at a call).
   */
  expand(into: Op[], name: string, params: readonly number[], qubits: readonly number[], top: Pos, line: number, trail: readonly string[] = [], depth = 0): void {
    const sig = this.resolve(name, top);
    if (sig.user === null) {
      const spec = lookupGate(name);
      if (!spec) fail(top, `unknown gate '${name}'`, "gate-unsupported");
      this.push(into, { kind: "gate", name, action: spec.action(params), qubits, line }, top);
      return;
    }
    if (depth >= MAX_GATE_NESTING) fail(top, `gate calls nest more than ${MAX_GATE_NESTING} deep (through gate '${name}')`);
    // Each inlined call counts too: nested gates with empty bodies would otherwise recurse
    // exponentially without ever reaching the operation limit.
    if (++this.opCount > this.limits.maxOps) fail(top, `circuit expands to more than ${this.limits.maxOps} operations`);
    const env = new Map<string, number>();
    sig.user.params.forEach((p, i) => env.set(p, params[i] ?? 0));
    const binding = new Map<string, number>();
    sig.user.qubits.forEach((q, i) => binding.set(q, qubits[i] ?? 0));
    for (const stmt of sig.user.body ?? []) {
      const mapped = stmt.args.map((a) => binding.get(a.name) ?? 0);
      if (stmt.kind === "barrier") {
        this.push(into, { kind: "barrier", qubits: mapped, line }, top);
        continue;
      }
      const here = `in gate '${name}' (its line ${stmt.pos.line}, column ${stmt.pos.column})`;
      let values: number[];
      try {
        values = stmt.params.map((e) => parameter(e, env));
      } catch (e) {
        if (!(e instanceof QasmError)) throw e;
        const inner = `in gate '${name}' (its line ${e.line}, column ${e.column})`;
        fail(top, `${[...trail, inner].join(": ")}: ${e.message}`, e.category);
      }
      this.expand(into, stmt.name, values, mapped, top, line, trail.length < 4 ? [...trail, here] : trail, depth + 1);
    }
  }

  quantum(into: Op[], stmt: QuantumOp): void {
    const line = stmt.pos.line;
    if (stmt.kind === "measure") {
      if ((stmt.src.index === null) !== (stmt.dst.index === null)) {
        fail(stmt.pos, "measure must map a register to a register or a bit to a bit");
      }
      for (const [q, c] of this.broadcast([stmt.src, stmt.dst], ["qubit", "clbit"], stmt.pos)) {
        this.push(into, { kind: "measure", qubit: q as number, clbit: c as number, line }, stmt.pos);
      }
      return;
    }
    if (stmt.kind === "reset") {
      for (const [q] of this.broadcast([stmt.arg], ["qubit"], stmt.pos)) {
        this.push(into, { kind: "reset", qubit: q as number, line }, stmt.pos);
      }
      return;
    }
    const sig = this.resolve(stmt.name, stmt.pos);
    this.checkArity(stmt, sig);
    const params = stmt.params.map((e) => parameter(e, new Map()));
    for (const row of this.broadcast(stmt.args, stmt.args.map(() => "qubit"), stmt.pos)) {
      if (new Set(row).size !== row.length) fail(stmt.pos, `gate '${stmt.name}' is applied to the same qubit twice`);
      this.expand(into, stmt.name, params, row, stmt.pos, line);
    }
  }
}

/** Depth in layers: an op starts after every qubit and classical bit it touches is free. */
function measureDepth(ops: readonly Op[], qubits: number, clbits: number): number {
  const q = new Array<number>(qubits).fill(0);
  const c = new Array<number>(clbits).fill(0);
  let depth = 0;
  const place = (qs: readonly number[], cs: readonly number[]): void => {
    let level = 0;
    for (const i of qs) level = Math.max(level, q[i] ?? 0);
    for (const i of cs) level = Math.max(level, c[i] ?? 0);
    level += 1;
    for (const i of qs) q[i] = level;
    for (const i of cs) c[i] = level;
    depth = Math.max(depth, level);
  };
  const visit = (op: Op, condBits: readonly number[]): void => {
    switch (op.kind) {
      case "gate":
        place(op.qubits, condBits);
        return;
      case "measure":
        place([op.qubit], [op.clbit, ...condBits]);
        return;
      case "reset":
        place([op.qubit], condBits);
        return;
      case "barrier":
        return;
      case "cond": {
        const bits = Array.from({ length: op.size }, (_, k) => op.offset + k);
        for (const inner of op.ops) visit(inner, bits);
        return;
      }
    }
  };
  for (const op of ops) visit(op, []);
  return depth;
}

function isTerminal(ops: readonly Op[]): boolean {
  const measured = new Set<number>();
  for (const op of ops) {
    if (op.kind === "reset" || op.kind === "cond") return false;
    if (op.kind === "measure") {
      if (measured.has(op.qubit)) return false;
      measured.add(op.qubit);
    } else if (op.kind === "gate" && op.qubits.some((x) => measured.has(x))) {
      return false;
    }
  }
  return true;
}

/** Parses and compiles OpenQASM 2.0 text; throws QasmError with the offending line. */
export function compileQasm(source: string, limits: CompileLimits = { maxOps: 1_000_000 }): CompiledCircuit {
  const c = new Compiler(limits);
  for (const stmt of parseQasm(source)) {
    switch (stmt.kind) {
      case "include":
        if (stmt.file !== "qelib1.inc") {
          fail(
            stmt.pos,
            `cannot include "${stmt.file}": only "qelib1.inc" is available, because a circuit is text the program submits at run time and the provider reads no files (a replay must not depend on the disk); put the gate definitions in the circuit text`,
          );
        }
        for (const name of c.userGates.keys()) {
          if (lookupGate(name) && !isRedefinable(name)) fail(stmt.pos, `qelib1.inc redefines gate '${name}', which this circuit already defines`);
        }
        c.qelib = true;
        break;
      case "qreg":
      case "creg":
        c.declare(stmt.kind, stmt.name, stmt.size, stmt.pos);
        break;
      case "gate":
        c.defineGate(stmt.name, stmt.params, stmt.qubits, stmt.body, stmt.pos);
        break;
      case "barrier": {
        const qubits = [...new Set(stmt.args.flatMap((a) => c.bits(a, "qubit")))];
        c.push(c.ops, { kind: "barrier", qubits, line: stmt.pos.line }, stmt.pos);
        break;
      }
      case "if": {
        const reg = c.cregs.get(stmt.creg);
        if (!reg) fail(stmt.pos, `'${stmt.creg}' is not a classical register`);
        if (stmt.value >= 1n << BigInt(reg.size)) {
          fail(stmt.pos, `condition value ${stmt.value} does not fit in register '${stmt.creg}' of size ${reg.size}`);
        }
        const inner: Op[] = [];
        c.quantum(inner, stmt.body);
        c.ops.push({ kind: "cond", offset: reg.offset, size: reg.size, value: stmt.value, ops: inner, line: stmt.pos.line });
        break;
      }
      default:
        c.quantum(c.ops, stmt);
    }
  }
  const gateCount = c.ops.reduce((n, op) => n + (op.kind === "gate" ? 1 : op.kind === "cond" ? op.ops.filter((o) => o.kind === "gate").length : 0), 0);
  const measurementCount = c.ops.reduce((n, op) => n + (op.kind === "measure" ? 1 : op.kind === "cond" ? op.ops.filter((o) => o.kind === "measure").length : 0), 0);
  return {
    qubits: c.qubitCount,
    clbits: c.clbitCount,
    cregs: c.cregList,
    ops: c.ops,
    depth: measureDepth(c.ops, c.qubitCount, c.clbitCount),
    gateCount,
    measurementCount,
    terminalMeasurement: isTerminal(c.ops),
  };
}

/**
 * Classical bits as OpenQASM prints them: the last declared register leftmost, each
 * register's highest index leftmost, registers separated by a space.
 */
export function formatBits(bits: Uint8Array, cregs: readonly Register[]): string {
  const parts: string[] = [];
  for (let r = cregs.length - 1; r >= 0; r--) {
    const reg = cregs[r] as Register;
    let s = "";
    for (let k = reg.size - 1; k >= 0; k--) s += bits[reg.offset + k] ? "1" : "0";
    parts.push(s);
  }
  return parts.join(" ");
}
