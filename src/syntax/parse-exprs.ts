/** Operator expressions: assignment, ranges, binary operators by precedence, casts, unary and postfix forms, literals and paths. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { Invalid, Unexpected } from "./messages.js";
import * as T from "./tokens.js";
import type { TokenType } from "./chevrotain.js";
import type * as A from "./ast.js";
import { ANY, K, NS, REGIMES, tokEnd, ASSIGN_OPS, EXPR_START, SIMPLE_BIN_OPS, type NoStruct } from "./parser-base.js";
import { decodeEscapes, decodeFloat, decodeInt, decodeQuantity, quantityUnitList, type DecodedQuantity } from "./literals.js";
import type { IToken } from "./chevrotain.js";
import { precedenceOf, type BinOpInfo } from "./precedence.js";
import type { OffsetSpan } from "./source.js";
import { PatternRules } from "./parse-patterns.js";

/** What `binOpAhead` finds: one shared value per operator, as it runs at every operand. */
interface BinOpAhead {
  readonly op: A.BinaryOp;
  readonly tokens: number;
}
const SIMPLE_BIN_OPS_AHEAD = new Map<TokenType, BinOpAhead>([...SIMPLE_BIN_OPS].map(([t, op]) => [t, { op, tokens: 1 }]));
const SHR_AHEAD: BinOpAhead = { op: ">>", tokens: 2 };
const GT_AHEAD: BinOpAhead = { op: ">", tokens: 1 };

export abstract class ExprRules extends PatternRules {
  override exprList = this.RULE("exprList", (close: TokenType): A.Expr[] => {
    const out: A.Expr[] = [];
    this.MANY({
      GATE: () => this.la(1) !== close,
      DEF: () => {
        const e = this.SUBRULE(this.expr, ANY);
        this.ACTION(() => out.push(e));
        this.SUBRULE9(this.sepOrClose, { ARGS: [close] });
      },
    });
    return out;
  });

  /**
   * A call's arguments; in the dustlang surface an argument may be named (`basis: "phase"`,
   * as the v0.1 sketch writes it). `names` is null when none is.
   */
  callArgs = this.RULE("callArgs", (): { args: A.Expr[]; names: (A.Ident | null)[] | null } => {
    const args: A.Expr[] = [];
    const names: (A.Ident | null)[] = [];
    let named = false;
    this.MANY({
      GATE: () => this.la(1) !== T.RParen,
      DEF: () => {
        let name: IToken | null = null;
        this.OPTION({
          GATE: () => this.isDust() && this.la(1) === T.Identifier && this.la(2) === T.Colon,
          DEF: () => {
            name = this.CONSUME(T.Identifier);
            this.CONSUME(T.Colon);
          },
        });
        const e = this.SUBRULE(this.expr, ANY);
        this.ACTION(() => {
          const n: IToken | null = name;
          args.push(e);
          names.push(n ? this.ident(n) : null);
          if (n) named = true;
        });
        this.SUBRULE(this.sepOrClose, { ARGS: [T.RParen] });
      },
    });
    return { args, names: named ? names : null };
  });

  override expr = this.RULE(
    "expr",
    (ns: NoStruct): A.Expr => {
      this.exprNs = ns;
      this.exprStart = this.startOf();
      return this.OR(this.exprAlts);
    },
  );

  /** See `sepOrCloseAlts` (parser-base.ts): the alternatives are made once, with `expr`'s call in these fields. */
  private exprNs: NoStruct = false;
  private exprStart = 0;
  private readonly exprAlts = [
        {
          GATE: () => this.la(1) === T.Or || this.la(1) === T.OrOr || this.la(1) === K.move,
          ALT: () => this.SUBRULE(this.closure, this.exprNs ? NS : ANY),
        },
        {
          ALT: () => {
            const ns = this.exprNs;
            const start = this.exprStart;
            this.CONSUME(K.return);
            let value: A.Expr | null = null;
            this.OPTION({ GATE: () => this.canStartExpr(ns), DEF: () => (value = this.SUBRULE(this.expr, ns ? NS : ANY)) });
            return this.ACTION(() => ({ kind: "ReturnExpr" as const, value, span: this.from(start) }));
          },
        },
        {
          ALT: () => {
            const ns = this.exprNs;
            const start = this.exprStart;
            this.CONSUME(K.break);
            let label: A.Ident | null = null;
            let value: A.Expr | null = null;
            this.OPTION2(() => {
              const l = this.CONSUME(T.Label);
              this.ACTION(() => (label = this.ident(l)));
            });
            this.OPTION3({ GATE: () => this.canStartExpr(ns), DEF: () => (value = this.SUBRULE2(this.expr, ns ? NS : ANY)) });
            return this.ACTION(() => ({ kind: "BreakExpr" as const, label, value, span: this.from(start) }));
          },
        },
        {
          ALT: () => {
            const start = this.exprStart;
            this.CONSUME(K.continue);
            let label: A.Ident | null = null;
            this.OPTION4(() => {
              const l = this.CONSUME2(T.Label);
              this.ACTION(() => (label = this.ident(l)));
            });
            return this.ACTION(() => ({ kind: "ContinueExpr" as const, label, span: this.from(start) }));
          },
        },
        {
          // A range with no start: `..`, `..b`, `..=b`.
          GATE: () => this.la(1) === T.DotDot || this.la(1) === T.DotDotEq,
          ALT: () => this.SUBRULE(this.rangeRest, { ARGS: [null, this.exprStart, this.exprNs] }),
        },
        { ALT: () => this.SUBRULE(this.assignOrRange, this.exprNs ? NS : ANY) },
  ];

  protected canStartExpr(ns: NoStruct): boolean {
    const t = this.la(1);
    if (ns && t === T.LBrace) return false;
    return EXPR_START.has(t);
  }

  assignOrRange = this.RULE("assignOrRange", (ns: NoStruct): A.Expr => {
    const start = this.startOf();
    const left = this.SUBRULE(this.binary, ns ? NS : ANY);
    // Most expressions are neither assignments nor ranges: when both options' gates are
    // false, skipping them is what they would do, without making their closures.
    if (!this.isRecording() && this.assignOpAhead() === null && this.la(1) !== T.DotDot && this.la(1) !== T.DotDotEq) return left;
    let result: A.Expr = left;
    this.OPTION({
      GATE: () => this.assignOpAhead() !== null,
      DEF: () => {
        const op = this.assignOpAhead()!;
        this.OR([
          {
            // `>>=` arrives as `>` followed by `>=`.
            GATE: () => op === ">>=",
            ALT: () => {
              this.CONSUME(T.Gt);
              this.CONSUME(T.GtEq);
            },
          },
          ...this.assignOpAlts,
        ]);
        const value = this.SUBRULE(this.expr, ns ? NS : ANY);
        this.ACTION(() => (result = { kind: "AssignExpr", op, target: left, value, span: this.from(start) }));
      },
    });
    this.OPTION2({
      GATE: () => result === left && (this.la(1) === T.DotDot || this.la(1) === T.DotDotEq),
      DEF: () => (result = this.SUBRULE(this.rangeRest, { ARGS: [left, start, ns] })),
    });
    return result;
  });

  /** `..` or `..=` and an optional end, after an optional start already parsed. */
  rangeRest = this.RULE("rangeRest", (rangeStart: A.Expr | null, start: number, ns: NoStruct): A.RangeExpr => {
    let inclusive = false;
    this.OR([
      { ALT: () => this.CONSUME(T.DotDot) },
      {
        ALT: () => {
          this.CONSUME(T.DotDotEq);
          inclusive = true;
        },
      },
    ]);
    let end: A.Expr | null = null;
    this.OPTION({ GATE: () => this.canStartExpr(ns), DEF: () => (end = this.SUBRULE(this.binary, ns ? NS : ANY)) });
    return this.ACTION(() => ({ kind: "RangeExpr" as const, start: rangeStart, end, inclusive, span: this.from(start) }));
  });

  protected readonly binOpAlts = [...SIMPLE_BIN_OPS.keys(), T.Gt].map((tt) => ({
    ALT: () => {
      this.CONSUME3(tt);
    },
  }));

  protected readonly assignOpAlts = [...ASSIGN_OPS.keys()].map((tt) => ({
    ALT: () => {
      this.CONSUME9(tt);
    },
  }));

  protected assignOpAhead(): A.AssignOp | null {
    const t = this.la(1);
    const op = ASSIGN_OPS.get(t);
    if (op) return op;
    if (t === T.Gt && this.la(2) === T.GtEq && this.isAdjacent(this.LA(1), this.LA(2))) return ">>=";
    return null;
  }

  /** The binary operator starting at the next token, if any (shift-right is `>` `>`). */
  protected binOpAhead(): BinOpAhead | null {
    const t = this.la(1);
    const simple = SIMPLE_BIN_OPS_AHEAD.get(t);
    if (simple) return simple;
    if (t === T.Gt) {
      const next = this.LA(2);
      if (next.tokenType === T.Gt && this.isAdjacent(this.LA(1), next)) return SHR_AHEAD;
      if (next.tokenType === T.GtEq && this.isAdjacent(this.LA(1), next)) return null; // `>>=`
      return GT_AHEAD;
    }
    return null;
  }

  binary = this.RULE("binary", (ns: NoStruct): A.Expr => {
    const first = this.SUBRULE(this.cast, ns ? NS : ANY);
    // An operand with no operator after it (most of them): the repetition's gate is false,
    // and skipping it is what it would do, without its closures and the fold's arrays.
    if (!this.isRecording() && this.binOpAhead() === null) return first;
    const operands: A.Expr[] = [];
    const ops: BinOpInfo[] = [];
    this.ACTION(() => operands.push(first));
    this.MANY({
      GATE: () => this.binOpAhead() !== null,
      DEF: () => {
        const ahead = this.binOpAhead();
        if (ahead && ahead.tokens === 2) {
          this.CONSUME(T.Gt);
          this.CONSUME2(T.Gt);
        } else {
          this.OR(this.binOpAlts);
        }
        const rhs = this.SUBRULE2(this.cast, ns ? NS : ANY);
        this.ACTION(() => {
          ops.push(precedenceOf(ahead!.op));
          operands.push(rhs);
        });
      },
    });
    return this.ACTION(() => this.foldBinary(operands, ops));
  });

  /**
   * Operator precedence over the flat operand/operator lists (shunting-yard; all binary
   * operators are left-associative). Chained comparisons are rejected, as in Rust.
   */
  protected foldBinary(operands: A.Expr[], ops: BinOpInfo[]): A.Expr {
    const out: A.Expr[] = [operands[0]!];
    const pending: BinOpInfo[] = [];
    const reduce = (): void => {
      const op = pending.pop()!;
      const right = out.pop()!;
      const left = out.pop()!;
      if (op.comparison && left.kind === "BinaryExpr" && precedenceOf(left.op).comparison) {
        const span = this.sp((left.span as OffsetSpan).startOffset, (right.span as OffsetSpan).endOffset);
        this.issue(Unexpected.chainedComparison(), span.startOffset, span.endOffset);
        // The chain has no meaning to check: an error node keeps the checker quiet.
        out.push({ kind: "ErrorExpr", span });
        return;
      }
      out.push({
        kind: "BinaryExpr",
        op: op.op,
        left,
        right,
        span: this.sp((left.span as OffsetSpan).startOffset, (right.span as OffsetSpan).endOffset),
      });
    };
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      while (pending.length > 0 && pending[pending.length - 1]!.prec >= op.prec) reduce();
      pending.push(op);
      out.push(operands[i + 1]!);
    }
    while (pending.length > 0) reduce();
    return out[0]!;
  }

  cast = this.RULE("cast", (ns: NoStruct): A.Expr => {
    const start = this.startOf();
    let e = this.SUBRULE(this.unary, ns ? NS : ANY);
    // No `as` after the operand (nearly always): skipping the repetition is what it would do.
    if (!this.isRecording() && this.la(1) !== K.as) return e;
    this.MANY(() => {
      this.CONSUME(K.as);
      const type = this.SUBRULE(this.type);
      this.ACTION(() => (e = { kind: "CastExpr", expr: e, type, span: this.from(start) }));
    });
    return e;
  });

  unary = this.RULE("unary", (ns: NoStruct): A.Expr => {
    this.unaryNs = ns;
    this.unaryStart = this.startOf();
    return this.OR(this.unaryAlts);
  });

  private unaryNs: NoStruct = false;
  private unaryStart = 0;
  private readonly unaryAlts = [
    {
      ALT: () => {
        const ns = this.unaryNs;
        const start = this.unaryStart;
        const op: A.UnaryOp = this.OR2(this.unaryOpAlts);
        const operand = this.SUBRULE(this.unary, ns ? NS : ANY);
        return this.ACTION(() => ({ kind: "UnaryExpr" as const, op, operand, span: this.from(start) }));
      },
    },
    {
      ALT: () => {
        const ns = this.unaryNs;
        const start = this.unaryStart;
        const double: boolean = this.OR3(this.refOpAlts);
        let isMut = false;
        this.OPTION(() => {
          this.CONSUME(K.mut);
          isMut = true;
        });
        const operand = this.SUBRULE2(this.unary, ns ? NS : ANY);
        return this.ACTION(() => {
          const inner: A.RefExpr = { kind: "RefExpr", isMut, operand, span: this.from(double ? start + 1 : start) };
          return double ? { kind: "RefExpr" as const, isMut: false, operand: inner, span: this.from(start) } : inner;
        });
      },
    },
    { ALT: () => this.SUBRULE(this.postfix, this.unaryNs ? NS : ANY) },
  ];

  private readonly unaryOpAlts = [
    {
      ALT: (): A.UnaryOp => {
        this.CONSUME(T.Bang);
        return "!";
      },
    },
    {
      ALT: (): A.UnaryOp => {
        this.CONSUME(T.Minus);
        return "-";
      },
    },
    {
      ALT: (): A.UnaryOp => {
        this.CONSUME(T.Star);
        return "*";
      },
    },
  ];

  /** Whether the reference is `&&` (a reference to a reference). */
  private readonly refOpAlts = [
    {
      ALT: () => {
        this.CONSUME(T.And);
        return false;
      },
    },
    {
      ALT: () => {
        this.CONSUME(T.AndAnd);
        return true;
      },
    },
  ];

  postfix = this.RULE("postfix", (ns: NoStruct): A.Expr => {
    const start = this.startOf();
    this.postfixOperand = this.SUBRULE(this.primary, ns ? NS : ANY);
    this.postfixStart = start;
    this.MANY(this.postfixStep);
    return this.postfixOperand;
  });

  /**
   * One postfix operator, applied to `postfixOperand`, which it replaces. A nested rule may
   * set both fields again, so this step puts its own values back after the operator.
   */
  private readonly postfixStep = (): void => {
    const start = this.postfixStart;
    const e: A.Expr = this.OR(this.postfixAlts);
    this.postfixOperand = e;
    this.postfixStart = start;
  };

  /** The expression a postfix operator applies to, and where it starts (see `sepOrCloseAlts`). */
  private postfixOperand: A.Expr = undefined as unknown as A.Expr;
  private postfixStart = 0;
  private readonly postfixAlts = [
    {
      ALT: (): A.Expr => {
        const e = this.postfixOperand;
        const start = this.postfixStart;
        this.CONSUME(T.Question);
        return this.ACTION((): A.Expr => ({ kind: "TryExpr", expr: e, span: this.from(start) }));
      },
    },
    {
      ALT: (): A.Expr => {
        const e = this.postfixOperand;
        const start = this.postfixStart;
        this.CONSUME(T.LParen);
        const { args, names } = this.SUBRULE(this.callArgs);
        this.CONSUME(T.RParen);
        return this.ACTION((): A.Expr => (names ? { kind: "CallExpr", callee: e, args, argNames: names, span: this.from(start) } : { kind: "CallExpr", callee: e, args, span: this.from(start) }));
      },
    },
    {
      ALT: (): A.Expr => {
        const e = this.postfixOperand;
        const start = this.postfixStart;
        this.CONSUME(T.LBracket);
        const index = this.SUBRULE(this.expr, ANY);
        this.CONSUME(T.RBracket);
        return this.ACTION((): A.Expr => ({ kind: "IndexExpr", object: e, index, span: this.from(start) }));
      },
    },
    {
      ALT: (): A.Expr => {
        this.CONSUME(T.Dot);
        return this.OR2(this.memberAlts);
      },
    },
  ];

  /** After `.`: a field or method name, or a tuple index (the operand is still in `postfixOperand`). */
  private readonly memberAlts = [
    {
      ALT: (): A.Expr => {
        const e = this.postfixOperand;
        const start = this.postfixStart;
        const name = this.SUBRULE(this.nameToken);
        let typeArgs: A.Type[] | null = null;
        this.OPTION(() => {
          this.CONSUME(T.PathSep);
          typeArgs = this.SUBRULE(this.genericArgs);
        });
        const args: A.Expr[] | null = this.OR3(this.methodArgsAlts);
        return this.ACTION((): A.Expr =>
          args !== null
            ? { kind: "MethodCallExpr", receiver: e, method: this.ident(name), typeArgs, args, span: this.from(start) }
            : { kind: "FieldExpr", object: e, field: this.ident(name), span: this.from(start) },
        );
      },
    },
    {
      ALT: (): A.Expr => {
        const e = this.postfixOperand;
        const start = this.postfixStart;
        const idx = this.CONSUME(T.IntLit);
        return this.ACTION((): A.Expr => ({ kind: "FieldExpr", object: e, field: this.ident(idx), span: this.from(start) }));
      },
    },
    {
      // `t.0.1` lexes its indexes as the float `0.1`: split it back into two fields.
      ALT: (): A.Expr => {
        const e = this.postfixOperand;
        const start = this.postfixStart;
        const f = this.CONSUME(T.FloatLit);
        return this.ACTION((): A.Expr => {
          const parts = f.image.split(".");
          if (parts.length !== 2 || !/^[0-9]+$/.test(parts[0]!) || !/^[0-9]+$/.test(parts[1]!)) {
            this.issue(Invalid.tupleIndex(f.image), f.startOffset, tokEnd(f));
          }
          const a = parts[0] ?? "0";
          const b = parts[1] ?? "0";
          const firstEnd = f.startOffset + a.length;
          const inner: A.FieldExpr = {
            kind: "FieldExpr",
            object: e,
            field: { kind: "Ident", name: a, span: this.sp(f.startOffset, firstEnd) },
            span: this.sp(start, firstEnd),
          };
          return {
            kind: "FieldExpr",
            object: inner,
            field: { kind: "Ident", name: b, span: this.sp(firstEnd + 1, tokEnd(f)) },
            span: this.from(start),
          };
        });
      },
    },
  ];

  /** A method call's arguments, or null for a field access. */
  private readonly methodArgsAlts = [
    {
      ALT: (): A.Expr[] | null => {
        this.CONSUME2(T.LParen);
        const args = this.SUBRULE2(this.exprList, { ARGS: [T.RParen] });
        this.CONSUME2(T.RParen);
        return args;
      },
    },
    { ALT: (): A.Expr[] | null => null },
  ];

  /** A dustlang quantity literal (`2ms`): an integer in its base unit, which it remembers. */
  protected quantity(q: DecodedQuantity, t: IToken, span: A.Node["span"]): A.IntLit {
    if (q.error) this.issue(Invalid.literal(q.error), t.startOffset, tokEnd(t));
    return { kind: "IntLit", value: q.value, suffix: null, raw: t.image, quantity: q.base, span };
  }

  override literal = this.RULE("literal", (): A.Expr => {
    return this.OR(this.literalAlts);
  });

  private readonly literalAlts = [
      {
        ALT: () => {
          const t = this.CONSUME(T.IntLit);
          return this.ACTION((): A.Expr => {
            const span = this.sp(t.startOffset, tokEnd(t));
            const q = this.isDust() ? decodeQuantity(t.image) : null;
            if (q) return this.quantity(q, t, span);
            const d = decodeInt(t.image);
            // In the dustlang surface a suffix may also be a quantity's unit.
            const why = d.error && this.isDust() && d.error.startsWith("invalid suffix") ? `${d.error}, or a unit (${quantityUnitList()})` : d.error;
            if (why) this.issue(Invalid.literal(why), t.startOffset, tokEnd(t));
            if (d.isFloat) return { kind: "FloatLit", value: Number(d.value), suffix: t.image.endsWith("f32") ? "f32" : "f64", raw: t.image, span };
            return { kind: "IntLit", value: d.value, suffix: d.suffix, raw: t.image, span };
          });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.FloatLit);
          return this.ACTION((): A.Expr => {
            const q = this.isDust() ? decodeQuantity(t.image) : null;
            if (q) return this.quantity(q, t, this.sp(t.startOffset, tokEnd(t)));
            const d = decodeFloat(t.image);
            if (d.error) this.issue(Invalid.literal(d.error), t.startOffset, tokEnd(t));
            return { kind: "FloatLit" as const, value: d.value, suffix: d.suffix, raw: t.image, span: this.sp(t.startOffset, tokEnd(t)) };
          });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.StringLit);
          return this.ACTION(() => {
            // `r#"…"#` (parse.ts keeps the raw form in the image): the text as written.
            const rawHashes = t.image.startsWith("r") ? t.image.indexOf('"') - 1 : -1;
            if (rawHashes >= 0) return { kind: "StrLit" as const, value: t.image.slice(rawHashes + 2, t.image.length - rawHashes - 1), raw: t.image, span: this.sp(t.startOffset, tokEnd(t)) };
            const d = decodeEscapes(t.image.slice(1, -1));
            if (d.error) this.issue(Invalid.literal(d.error), t.startOffset, tokEnd(t));
            return { kind: "StrLit" as const, value: d.value, raw: t.image, span: this.sp(t.startOffset, tokEnd(t)) };
          });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.CharLit);
          return this.ACTION(() => {
            const d = decodeEscapes(t.image.slice(1, -1));
            if (d.error) this.issue(Invalid.literal(d.error), t.startOffset, tokEnd(t));
            return { kind: "CharLit" as const, value: d.value, raw: t.image, span: this.sp(t.startOffset, tokEnd(t)) };
          });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(K.true);
          return this.ACTION(() => ({ kind: "BoolLit" as const, value: true, span: this.sp(t.startOffset, tokEnd(t)) }));
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(K.false);
          return this.ACTION(() => ({ kind: "BoolLit" as const, value: false, span: this.sp(t.startOffset, tokEnd(t)) }));
        },
      },
  ];

  /** The segments of the path being parsed (see `sepOrCloseAlts` in parser-base.ts). */
  private pathSegments: A.PathExprSegment[] = [];
  private readonly pathExprAlts = [
    {
      ALT: () => {
        const segments = this.pathSegments;
        const args = this.SUBRULE(this.genericArgs);
        this.ACTION(() => {
          const last = segments[segments.length - 1]!;
          segments[segments.length - 1] = { ...last, args, span: this.from((last.span as OffsetSpan).startOffset) };
        });
      },
    },
    {
      ALT: () => {
        const segments = this.pathSegments;
        const segStart = this.startOf();
        const name = this.SUBRULE2(this.nameToken);
        this.ACTION(() => segments.push({ kind: "PathExprSegment", name: this.ident(name), args: null, span: this.from(segStart) }));
      },
    },
  ];

  /** `::` and a segment or generic arguments; see `postfixStep` for why it sets `pathSegments` again. */
  private readonly pathStep = (): void => {
    const segments = this.pathSegments;
    this.CONSUME(T.PathSep);
    this.OR(this.pathExprAlts);
    this.pathSegments = segments;
  };

  override pathExpr = this.RULE("pathExpr", (): A.PathExpr => {
    const start = this.startOf();
    const segments: A.PathExprSegment[] = [];
    const first = this.SUBRULE(this.nameToken);
    this.ACTION(() => segments.push({ kind: "PathExprSegment", name: this.ident(first), args: null, span: this.from(start) }));
    this.pathSegments = segments;
    this.MANY(this.pathStep);
    return this.ACTION(() => {
      // dustlang's `K::f()` and `Forge::K::f()`: the regime names the process's kind, and
      // the process is the forge's item `f` (a forge is a module, docs/language.md).
      if (this.isDust() && segments.length > 1) {
        const kept = segments.filter((seg, i) => i === segments.length - 1 || seg.args !== null || !REGIMES.has(seg.name.name));
        // `Forge::K::f` names the forge from the file's top (a forge is a top-level module).
        if (kept.length < segments.length && kept.length > 1 && segments[1] !== undefined && REGIMES.has(segments[1].name.name)) {
          const first = segments[0]!;
          kept.unshift({ kind: "PathExprSegment", name: { ...first.name, name: "crate" }, args: null, span: first.span });
        }
        if (kept.length > 0) return { kind: "PathExpr" as const, segments: kept, span: this.from(start) };
      }
      return { kind: "PathExpr" as const, segments, span: this.from(start) };
    });
  });

}
