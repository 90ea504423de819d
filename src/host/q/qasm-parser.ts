/**
 * OpenQASM 2.0 syntax (Cross et al., "Open Quantum Assembly Language", 2017) to a small
 * AST. Meaning (registers, gate resolution, broadcasting) is checked in qasm-compile.ts;
 * this file only decides what the text says and where.
 */
import { QasmError, tokenize, type Token } from "./qasm-lexer.js";

export interface Pos {
  readonly line: number;
  readonly column: number;
}

export type Expr =
  | { readonly kind: "num"; readonly value: number; readonly pos: Pos }
  | { readonly kind: "pi"; readonly pos: Pos }
  | { readonly kind: "ident"; readonly name: string; readonly pos: Pos }
  | { readonly kind: "neg"; readonly arg: Expr; readonly pos: Pos }
  | { readonly kind: "bin"; readonly op: "+" | "-" | "*" | "/" | "^"; readonly left: Expr; readonly right: Expr; readonly pos: Pos }
  | { readonly kind: "call"; readonly fn: UnaryFn; readonly arg: Expr; readonly pos: Pos };

export type UnaryFn = "sin" | "cos" | "tan" | "exp" | "ln" | "sqrt";
const UNARY_FNS = new Set<string>(["sin", "cos", "tan", "exp", "ln", "sqrt"]);

/** Words with a meaning of their own: they cannot name a register, a gate or a parameter. */
const KEYWORDS = new Set<string>(["OPENQASM", "include", "qreg", "creg", "gate", "opaque", "barrier", "measure", "reset", "if", "pi", "U", "CX", ...UNARY_FNS]);

/**
 * Expressions nest (parentheses, function calls, `^`) at most this deep. The parser and the
 * evaluator would otherwise recurse once per level and overflow the host's stack on a
 * hostile circuit; long flat chains (`1+1+…`, `- - - x`) are not nesting and have no limit.
 */
export const MAX_EXPRESSION_NESTING = 256;

/** `q` (a whole register) or `q[3]`. */
export interface Arg {
  readonly name: string;
  readonly index: number | null;
  readonly pos: Pos;
}

export interface Apply {
  readonly kind: "apply";
  readonly name: string;
  readonly params: readonly Expr[];
  readonly args: readonly Arg[];
  readonly pos: Pos;
}
export interface Measure {
  readonly kind: "measure";
  readonly src: Arg;
  readonly dst: Arg;
  readonly pos: Pos;
}
export interface Reset {
  readonly kind: "reset";
  readonly arg: Arg;
  readonly pos: Pos;
}
export interface Barrier {
  readonly kind: "barrier";
  readonly args: readonly Arg[];
  readonly pos: Pos;
}
export type QuantumOp = Apply | Measure | Reset;

export type Statement =
  | { readonly kind: "include"; readonly file: string; readonly pos: Pos }
  | { readonly kind: "qreg" | "creg"; readonly name: string; readonly size: number; readonly pos: Pos }
  | {
      readonly kind: "gate";
      readonly name: string;
      readonly params: readonly Arg[];
      readonly qubits: readonly Arg[];
      readonly body: readonly (Apply | Barrier)[] | null;
      readonly pos: Pos;
    }
  | QuantumOp
  | Barrier
  | { readonly kind: "if"; readonly creg: string; readonly value: bigint; readonly body: QuantumOp; readonly pos: Pos };

class Parser {
  #i = 0;
  #depth = 0;
  constructor(readonly tokens: readonly Token[]) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.#i + offset, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const t = this.peek();
    if (this.#i < this.tokens.length - 1) this.#i++;
    return t;
  }

  at(text: string): boolean {
    const t = this.peek();
    return (t.kind === "symbol" || t.kind === "id") && t.text === text;
  }

  describe(t: Token): string {
    return t.kind === "eof" ? "end of input" : t.kind === "string" ? `"${t.text}"` : `'${t.text}'`;
  }

  fail(t: Token, message: string): never {
    throw new QasmError(message, t.line, t.column);
  }

  expect(text: string, context: string): Token {
    const t = this.peek();
    if (!this.at(text)) {
      const message = `expected '${text}' ${context}, found ${this.describe(t)}`;
      // A missing terminator belongs to the statement it should end, not to the next line.
      const previous = this.#i > 0 ? (this.tokens[this.#i - 1] as Token) : undefined;
      if (text === ";" && previous) throw new QasmError(message, previous.line, previous.column + tokenLength(previous));
      this.fail(t, message);
    }
    return this.next();
  }

  /** A name the program declares: an identifier that is not a keyword. */
  name(context: string, what: string): Token {
    const t = this.ident(context);
    if (KEYWORDS.has(t.text)) this.fail(t, `'${t.text}' is a keyword and cannot name ${what}`);
    return t;
  }

  enter(t: Token): void {
    if (++this.#depth > MAX_EXPRESSION_NESTING) this.fail(t, `expression nested more than ${MAX_EXPRESSION_NESTING} levels deep`);
  }

  leave(): void {
    this.#depth--;
  }

  ident(context: string): Token {
    const t = this.peek();
    if (t.kind !== "id") this.fail(t, `expected an identifier ${context}, found ${this.describe(t)}`);
    return this.next();
  }

  /** A condition value: any size, since a classical register may be wider than 53 bits. */
  bigInt(context: string): bigint {
    const t = this.peek();
    if (t.kind !== "int") this.fail(t, `expected a non-negative integer ${context}, found ${this.describe(t)}`);
    this.next();
    return BigInt(t.text);
  }

  nonNegativeInt(context: string): number {
    const t = this.peek();
    if (t.kind !== "int") this.fail(t, `expected a non-negative integer ${context}, found ${this.describe(t)}`);
    this.next();
    const v = Number(t.text);
    if (!Number.isSafeInteger(v)) this.fail(t, `integer ${t.text} is too large`);
    return v;
  }

  pos(t: Token): Pos {
    return { line: t.line, column: t.column };
  }

  header(): void {
    const t = this.peek();
    if (!(t.kind === "id" && t.text === "OPENQASM")) this.fail(t, "a circuit must begin with 'OPENQASM 2.0;'");
    this.next();
    const v = this.peek();
    if ((v.kind !== "real" && v.kind !== "int") || Number(v.text) !== 2) {
      this.fail(v, `unsupported OpenQASM version ${this.describe(v)}; only 2.0 is accepted`);
    }
    this.next();
    this.expect(";", "after the version");
  }

  program(): Statement[] {
    this.header();
    const out: Statement[] = [];
    while (this.peek().kind !== "eof") out.push(this.statement());
    return out;
  }

  statement(): Statement {
    const t = this.peek();
    if (t.kind !== "id") this.fail(t, `expected a statement, found ${this.describe(t)}`);
    switch (t.text) {
      case "OPENQASM":
        return this.fail(t, "'OPENQASM' may appear only once, as the first statement");
      case "include": {
        this.next();
        const f = this.peek();
        if (f.kind !== "string") this.fail(f, `expected a file name string after 'include', found ${this.describe(f)}`);
        this.next();
        this.expect(";", "after the include");
        return { kind: "include", file: f.text, pos: this.pos(t) };
      }
      case "qreg":
      case "creg": {
        this.next();
        const name = this.name(`after '${t.text}'`, "a register");
        this.expect("[", "before the register size");
        const size = this.nonNegativeInt("as the register size");
        this.expect("]", "after the register size");
        this.expect(";", "after the register declaration");
        return { kind: t.text === "qreg" ? "qreg" : "creg", name: name.text, size, pos: this.pos(t) };
      }
      case "gate":
      case "opaque":
        return this.gateDecl(t);
      case "if": {
        this.next();
        this.expect("(", "after 'if'");
        const creg = this.ident("as the condition's classical register");
        this.expect("==", "in the condition");
        const value = this.bigInt("as the condition value");
        this.expect(")", "after the condition");
        const body = this.quantumOp();
        return { kind: "if", creg: creg.text, value, body, pos: this.pos(t) };
      }
      case "barrier":
        return this.barrier();
      default:
        return this.quantumOp();
    }
  }

  quantumOp(): QuantumOp {
    const t = this.peek();
    if (t.kind === "id" && t.text === "measure") {
      this.next();
      const src = this.arg("as the measured qubit");
      this.expect("->", "between the qubit and the classical bit");
      const dst = this.arg("as the classical bit");
      this.expect(";", "after the measurement");
      return { kind: "measure", src, dst, pos: this.pos(t) };
    }
    if (t.kind === "id" && t.text === "reset") {
      this.next();
      const arg = this.arg("after 'reset'");
      this.expect(";", "after the reset");
      return { kind: "reset", arg, pos: this.pos(t) };
    }
    return this.apply(false);
  }

  apply(inGateBody: boolean): Apply {
    const name = this.ident("as a gate name");
    const params: Expr[] = [];
    if (this.at("(")) {
      this.next();
      if (!this.at(")")) {
        params.push(this.expr());
        while (this.at(",")) {
          this.next();
          params.push(this.expr());
        }
      }
      this.expect(")", "after the gate parameters");
    }
    const args = [inGateBody ? this.formal() : this.arg("as a gate argument")];
    while (this.at(",")) {
      this.next();
      args.push(inGateBody ? this.formal() : this.arg("as a gate argument"));
    }
    this.expect(";", `after the '${name.text}' application`);
    return { kind: "apply", name: name.text, params, args, pos: this.pos(name) };
  }

  barrier(inGateBody = false): Barrier {
    const t = this.next();
    const args = [inGateBody ? this.formal() : this.arg("after 'barrier'")];
    while (this.at(",")) {
      this.next();
      args.push(inGateBody ? this.formal() : this.arg("in the barrier"));
    }
    this.expect(";", "after the barrier");
    return { kind: "barrier", args, pos: this.pos(t) };
  }

  arg(context: string): Arg {
    const name = this.ident(context);
    let index: number | null = null;
    if (this.at("[")) {
      this.next();
      index = this.nonNegativeInt("as an index");
      this.expect("]", "after the index");
    }
    return { name: name.text, index, pos: this.pos(name) };
  }

  /** Inside a gate body, qubits are the gate's formal names and cannot be indexed. */
  formal(): Arg {
    const name = this.ident("as a gate argument");
    if (this.at("[")) this.fail(this.peek(), "qubits inside a gate body are the gate's formal arguments and cannot be indexed");
    return { name: name.text, index: null, pos: this.pos(name) };
  }

  /** A parameter or qubit name in a gate's declaration. */
  declaredFormal(what: string): Arg {
    const t = this.peek();
    if (t.kind === "id" && KEYWORDS.has(t.text)) this.fail(t, `'${t.text}' is a keyword and cannot name ${what}`);
    return this.formal();
  }

  gateDecl(t: Token): Statement {
    this.next();
    const name = this.name(`after '${t.text}'`, "a gate");
    const params: Arg[] = [];
    if (this.at("(")) {
      this.next();
      if (!this.at(")")) {
        params.push(this.declaredFormal("a gate parameter"));
        while (this.at(",")) {
          this.next();
          params.push(this.declaredFormal("a gate parameter"));
        }
      }
      this.expect(")", "after the gate's parameter names");
    }
    const qubits = [this.declaredFormal("a gate qubit")];
    while (this.at(",")) {
      this.next();
      qubits.push(this.declaredFormal("a gate qubit"));
    }
    if (t.text === "opaque") {
      this.expect(";", "after the opaque gate declaration");
      return { kind: "gate", name: name.text, params, qubits, body: null, pos: this.pos(t) };
    }
    this.expect("{", "to open the gate body");
    const body: (Apply | Barrier)[] = [];
    while (!this.at("}")) {
      const s = this.peek();
      if (s.kind === "eof") this.fail(s, `gate '${name.text}' is missing its closing '}'`);
      if (s.kind === "id" && (s.text === "measure" || s.text === "reset" || s.text === "if")) {
        this.fail(s, `'${s.text}' is not allowed inside a gate body; gates are unitary`);
      }
      body.push(s.kind === "id" && s.text === "barrier" ? this.barrier(true) : this.apply(true));
    }
    this.next();
    return { kind: "gate", name: name.text, params, qubits, body, pos: this.pos(t) };
  }

  // expr := term (('+'|'-') term)* ; term := unary (('*'|'/') unary)* ;
  // unary := '-' unary | power ; power := atom ('^' unary)?   (right-associative)
  expr(): Expr {
    let left = this.term();
    while (this.at("+") || this.at("-")) {
      const op = this.next();
      left = { kind: "bin", op: op.text as "+" | "-", left, right: this.term(), pos: this.pos(op) };
    }
    return left;
  }

  term(): Expr {
    let left = this.unary();
    while (this.at("*") || this.at("/")) {
      const op = this.next();
      left = { kind: "bin", op: op.text as "*" | "/", left, right: this.unary(), pos: this.pos(op) };
    }
    return left;
  }

  unary(): Expr {
    // A run of signs is a loop, not recursion: only its parity matters.
    let negate: Token | null = null;
    while (this.at("-") || this.at("+")) {
      const t = this.next();
      if (t.text === "-") negate = negate === null ? t : null;
    }
    let e = this.atom();
    if (this.at("^")) {
      const op = this.next();
      this.enter(op);
      e = { kind: "bin", op: "^", left: e, right: this.unary(), pos: this.pos(op) };
      this.leave();
    }
    return negate === null ? e : { kind: "neg", arg: e, pos: this.pos(negate) };
  }

  atom(): Expr {
    const t = this.peek();
    if (t.kind === "int" || t.kind === "real") {
      this.next();
      return { kind: "num", value: Number(t.text), pos: this.pos(t) };
    }
    if (t.kind === "id") {
      this.next();
      if (t.text === "pi") return { kind: "pi", pos: this.pos(t) };
      if (UNARY_FNS.has(t.text) && this.at("(")) {
        this.enter(this.next());
        const arg = this.expr();
        this.expect(")", `after the argument of '${t.text}'`);
        this.leave();
        return { kind: "call", fn: t.text as UnaryFn, arg, pos: this.pos(t) };
      }
      return { kind: "ident", name: t.text, pos: this.pos(t) };
    }
    if (this.at("(")) {
      this.enter(this.next());
      const inner = this.expr();
      this.expect(")", "to close the parenthesis");
      this.leave();
      return inner;
    }
    return this.fail(t, `expected an expression, found ${this.describe(t)}`);
  }
}

function tokenLength(t: Token): number {
  return t.kind === "string" ? t.text.length + 2 : t.text.length;
}

/** Parses a whole program; throws QasmError at the first syntax error. */
export function parseQasm(source: string): Statement[] {
  return new Parser(tokenize(source)).program();
}
