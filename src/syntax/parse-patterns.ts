/** Patterns: bindings, literals and ranges, tuples, enum and struct patterns, `|`. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import * as T from "./tokens.js";
import type * as A from "./ast.js";
import { K } from "./parser-base.js";
import { TypeRules } from "./parse-types.js";

export abstract class PatternRules extends TypeRules {
  pattern = this.RULE(
    "pattern",
    (): A.Pattern => {
      const start = this.startOf();
      const alts: A.Pattern[] = [];
      this.OPTION(() => this.CONSUME(T.Or));
      this.AT_LEAST_ONE_SEP({
        SEP: T.Or,
        DEF: () => {
          const p = this.SUBRULE(this.patternNoOr);
          this.ACTION(() => alts.push(p));
        },
      });
      return this.ACTION(() => (alts.length === 1 ? alts[0]! : { kind: "OrPattern" as const, alternatives: alts, span: this.from(start) }));
    },
  );

  /** `patternNoOr`'s alternatives, made once; the call's start offset is in `patternStart` (see `sepOrCloseAlts`, parser-base.ts). */
  private patternStart: number = 0;
  private readonly patternAlts = [
    {
      GATE: () => this.LA(1).image === "_" && this.la(1) === T.Identifier,
      ALT: () => {
        const start = this.patternStart;
        this.CONSUME(T.Identifier);
        return this.ACTION(() => ({ kind: "WildcardPattern" as const, span: this.from(start) }));
      },
    },
    {
      ALT: () => {
        const start = this.patternStart;
        this.CONSUME(T.DotDot);
        return this.ACTION(() => ({ kind: "RestPattern" as const, span: this.from(start) }));
      },
    },
    {
      ALT: () => {
        const start = this.patternStart;
        this.CONSUME(T.And);
        let isMut = false;
        this.OPTION(() => {
          this.CONSUME(K.mut);
          isMut = true;
        });
        const inner = this.SUBRULE(this.patternNoOr);
        return this.ACTION(() => ({ kind: "RefPattern" as const, isMut, inner, span: this.from(start) }));
      },
    },
    {
      ALT: () => {
        const start = this.patternStart;
        this.CONSUME(T.LParen);
        const elements: A.Pattern[] = [];
        let trailingComma = false;
        this.MANY({
          GATE: () => this.la(1) !== T.RParen,
          DEF: () => {
            const p = this.SUBRULE(this.pattern);
            this.ACTION(() => elements.push(p));
            trailingComma = this.la(1) === T.Comma;
            this.SUBRULE9(this.sepOrClose, { ARGS: [T.RParen] });
          },
        });
        this.CONSUME(T.RParen);
        return this.ACTION(() =>
          elements.length === 1 && !trailingComma && elements[0]!.kind !== "RestPattern"
            ? elements[0]!
            : { kind: "TuplePattern" as const, elements, span: this.from(start) },
        );
      },
    },
    {
      GATE: () => this.isLiteralPatternStart(),
      ALT: () => {
        const start = this.patternStart;
        const lit = this.SUBRULE(this.literalPatternValue);
        let range: { end: A.Expr | null; inclusive: boolean } | null = null;
        this.OPTION3(() => {
          let inclusive = false;
          this.OR2([
            {
              ALT: () => {
                this.CONSUME(T.DotDotEq);
                inclusive = true;
              },
            },
            { ALT: () => this.CONSUME2(T.DotDot) },
          ]);
          let end: A.Expr | null = null;
          this.OPTION4({
            GATE: () => this.isRangeEndStart(),
            DEF: () => (end = this.SUBRULE(this.rangePatternEnd)),
          });
          range = { end, inclusive };
        });
        return this.ACTION(() =>
          range
            ? { kind: "RangePattern" as const, start: lit, end: range.end, inclusive: range.inclusive, span: this.from(start) }
            : { kind: "LiteralPattern" as const, value: lit, span: this.from(start) },
        );
      },
    },
    {
      GATE: () => this.la(1) === K.ref || this.la(1) === K.mut,
      ALT: () => {
        const start = this.patternStart;
        let isRef = false;
        let isMut = false;
        this.OPTION5(() => {
          this.CONSUME(K.ref);
          isRef = true;
        });
        this.OPTION6(() => {
          this.CONSUME2(K.mut);
          isMut = true;
        });
        const name = this.SUBRULE(this.nameToken);
        let sub: A.Pattern | null = null;
        this.OPTION7(() => {
          this.CONSUME(T.At);
          sub = this.SUBRULE3(this.patternNoOr);
        });
        return this.ACTION(() => ({ kind: "BindingPattern" as const, name: this.ident(name), isMut, isRef, subpattern: sub, span: this.from(start) }));
      },
    },
    { ALT: () => this.SUBRULE(this.pathPattern) },
  ];

  patternNoOr = this.RULE("patternNoOr", (): A.Pattern => {
    const start = this.startOf();
    this.patternStart = start;
    return this.OR(this.patternAlts);
  });

  protected isLiteralPatternStart(): boolean {
    const t = this.la(1);
    if (t === T.IntLit || t === T.FloatLit || t === T.StringLit || t === T.CharLit || t === K.true || t === K.false) return true;
    return t === T.Minus && (this.la(2) === T.IntLit || this.la(2) === T.FloatLit);
  }

  /** A range bound: a literal or a path to a constant (`i64::MIN..=-1`, `1..=LIMIT`). */
  protected isRangeEndStart(): boolean {
    return this.isLiteralPatternStart() || this.la(1) === T.Identifier || this.la(1) === T.PathSep;
  }

  rangePatternEnd = this.RULE("rangePatternEnd", (): A.Expr =>
    this.OR([
      { GATE: () => this.isLiteralPatternStart(), ALT: () => this.SUBRULE(this.literalPatternValue) },
      { ALT: () => this.SUBRULE(this.pathExpr) },
    ]),
  );

  literalPatternValue = this.RULE("literalPatternValue", (): A.Expr => {
    const start = this.startOf();
    let negate = false;
    this.OPTION(() => {
      this.CONSUME(T.Minus);
      negate = true;
    });
    const lit = this.SUBRULE(this.literal);
    return this.ACTION(() => (negate ? { kind: "UnaryExpr" as const, op: "-" as const, operand: lit, span: this.from(start) } : lit));
  });

  pathPattern = this.RULE("pathPattern", (): A.Pattern => {
    const start = this.startOf();
    const path = this.SUBRULE(this.pathExpr);
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const elements: A.Pattern[] = [];
          this.MANY({
            GATE: () => this.la(1) !== T.RParen,
            DEF: () => {
              const p = this.SUBRULE(this.pattern);
              this.ACTION(() => elements.push(p));
              this.SUBRULE9(this.sepOrClose, { ARGS: [T.RParen] });
            },
          });
          this.CONSUME(T.RParen);
          return this.ACTION(() => ({ kind: "TupleStructPattern" as const, path, elements, span: this.from(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LBrace);
          const fields: A.FieldPattern[] = [];
          let hasRest = false;
          this.MANY2({
            GATE: () => this.la(1) !== T.RBrace,
            DEF: () => {
              this.OR2([
                {
                  ALT: () => {
                    this.CONSUME(T.DotDot);
                    hasRest = true;
                  },
                },
                {
                  ALT: () => {
                    const fstart = this.startOf();
                    this.OPTION2(() => this.CONSUME(K.ref));
                    this.OPTION3(() => this.CONSUME(K.mut));
                    const name = this.CONSUME(T.Identifier);
                    let pattern: A.Pattern | null = null;
                    this.OPTION4(() => {
                      this.CONSUME(T.Colon);
                      pattern = this.SUBRULE2(this.pattern);
                    });
                    this.ACTION(() => fields.push({ kind: "FieldPattern", name: this.ident(name), pattern, span: this.from(fstart) }));
                  },
                },
              ]);
              this.SUBRULE8(this.sepOrClose, { ARGS: [T.RBrace] });
            },
          });
          this.CONSUME(T.RBrace);
          return this.ACTION(() => ({ kind: "StructPattern" as const, path, fields, hasRest, span: this.from(start) }));
        },
      },
      {
        // `i64::MIN..=-1`, `LOW..HIGH`: a range whose start is a constant's path.
        GATE: () => this.la(1) === T.DotDotEq || this.la(1) === T.DotDot,
        ALT: () => {
          let inclusive = false;
          this.OR3([
            {
              ALT: () => {
                this.CONSUME(T.DotDotEq);
                inclusive = true;
              },
            },
            { ALT: () => this.CONSUME2(T.DotDot) },
          ]);
          let end: A.Expr | null = null;
          this.OPTION5({
            GATE: () => this.isRangeEndStart(),
            DEF: () => (end = this.SUBRULE(this.rangePatternEnd)),
          });
          return this.ACTION((): A.Pattern => ({ kind: "RangePattern", start: path, end, inclusive, span: this.from(start) }));
        },
      },
      {
        ALT: () => {
          let sub: A.Pattern | null = null;
          this.OPTION6(() => {
            this.CONSUME(T.At);
            sub = this.SUBRULE(this.patternNoOr);
          });
          return this.ACTION((): A.Pattern => {
            const only = path.segments.length === 1 && path.segments[0]!.args === null ? path.segments[0]!.name : null;
            if (only && only.name !== "self" && only.name !== "Self") {
              return { kind: "BindingPattern", name: only, isMut: false, isRef: false, subpattern: sub, span: this.from(start) };
            }
            return { kind: "PathPattern", path, span: this.from(start) };
          });
        },
      },
    ]);
  });

}
