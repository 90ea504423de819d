/** Types, generic parameters and arguments, bounds and `where` clauses. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { Invalid, OtherSurface } from "./messages.js";
import { decodeInt } from "./literals.js";
import * as T from "./tokens.js";
import { EOF } from "./chevrotain.js";
import type * as A from "./ast.js";
import { ANY, K, ParserBase, REGIMES, tokEnd } from "./parser-base.js";

export abstract class TypeRules extends ParserBase {
  genericParams = this.RULE("genericParams", (): A.GenericParam[] => {
    const params: A.GenericParam[] = [];
    this.CONSUME(T.Lt);
    this.MANY(() => {
      this.OR([
        // Lifetimes are accepted and ignored: DPL has no lifetime checking.
        { ALT: () => this.CONSUME(T.Label) },
        {
          ALT: () => {
            this.OPTION(() => this.CONSUME(K.const));
            const start = this.startOf();
            const name = this.CONSUME(T.Identifier);
            let bounds: A.PathType[] = [];
            this.OPTION2(() => {
              this.CONSUME(T.Colon);
              bounds = this.SUBRULE(this.bounds);
            });
            this.ACTION(() => params.push({ kind: "GenericParam", name: this.ident(name), bounds, span: this.from(start) }));
          },
        },
      ]);
      this.SUBRULE9(this.sepOrClose, { ARGS: [T.Gt] });
    });
    this.CONSUME(T.Gt);
    return params;
  });

  bounds = this.RULE("bounds", (): A.PathType[] => {
    const out: A.PathType[] = [];
    this.AT_LEAST_ONE_SEP({
      SEP: T.Plus,
      DEF: () => {
        this.OR([
          { ALT: () => this.CONSUME(T.Label) },
          {
            ALT: () => {
              const p = this.SUBRULE(this.pathType);
              this.ACTION(() => out.push(p));
            },
          },
        ]);
      },
    });
    return out;
  });

  whereClause = this.RULE("whereClause", (): A.WherePredicate[] => {
    const preds: A.WherePredicate[] = [];
    this.CONSUME(K.where);
    this.MANY({
      GATE: () => this.la(1) !== T.LBrace && this.la(1) !== T.Semi && this.la(1) !== EOF,
      DEF: () => {
        const start = this.startOf();
        const type = this.SUBRULE(this.type);
        this.CONSUME(T.Colon);
        const bounds = this.SUBRULE(this.bounds);
        this.ACTION(() => preds.push({ kind: "WherePredicate", type, bounds, span: this.from(start) }));
        this.OPTION(() => this.CONSUME(T.Comma));
      },
    });
    return preds;
  });


  /** `type`'s alternatives, made once; the call's start offset is in `typeStart` (see `sepOrCloseAlts`, parser-base.ts). */
  private typeStart: number = 0;
  private readonly typeAlts = [
    {
      // The dustlang surface's `K[Int]`, `Q[T]`, `Φ[T]`: the regime is the domain.
      GATE: () => this.la(1) === T.Identifier && REGIMES.has(this.LA(1).image) && this.la(2) === T.LBracket,
      ALT: () => {
        const start = this.typeStart;
        const regime = this.CONSUME7(T.Identifier);
        this.CONSUME7(T.LBracket);
        const inner = this.SUBRULE7(this.type);
        this.CONSUME7(T.RBracket);
        return this.ACTION((): A.Type => {
          if (!this.isDust()) this.issue(OtherSurface.dustDomainType(regime.image), regime.startOffset, this.LA(0).startOffset + 1);
          if (regime.image === "K") return inner;
          const name = this.ident(regime);
          return { kind: "PathType", segments: [{ kind: "PathSegment", name, args: [inner], span: this.from(start) }], span: this.from(start) };
        });
      },
    },
    {
      // The dustlang surface's sized types (`qbit[6]`, as the v0.1 sketch writes a
      // register of six qubits): `T[N]` is the array `[T; N]`.
      GATE: () => this.isDust() && this.la(1) === T.Identifier && !REGIMES.has(this.LA(1).image) && this.la(2) === T.LBracket && this.la(3) === T.IntLit,
      ALT: () => {
        const start = this.typeStart;
        const elem = this.CONSUME9(T.Identifier);
        this.CONSUME9(T.LBracket);
        const n = this.CONSUME9(T.IntLit);
        this.CONSUME9(T.RBracket);
        return this.ACTION((): A.Type => {
          const name = this.ident(elem);
          const element: A.Type = DUST_TYPE_NAMES.has(elem.image)
            ? dustType(DUST_TYPE_NAMES.get(elem.image)!, name)
            : { kind: "PathType", segments: [{ kind: "PathSegment", name, args: null, span: name.span }], span: name.span };
          const d = decodeInt(n.image);
          if (d.error) this.issue(Invalid.literal(d.error), n.startOffset, tokEnd(n));
          const length: A.IntLit = { kind: "IntLit", value: d.value, suffix: null, raw: n.image, span: this.sp(n.startOffset, tokEnd(n)) };
          return { kind: "ArrayType", element, length, span: this.from(start) };
        });
      },
    },
    {
      // The dustlang surface's type names (`Int`, `UInt32`, `String`, `Unit`).
      GATE: () => this.isDust() && this.la(1) === T.Identifier && DUST_TYPE_NAMES.has(this.LA(1).image) && this.la(2) !== T.PathSep && this.la(2) !== T.Lt,
      ALT: () => {
        const t = this.CONSUME8(T.Identifier);
        return this.ACTION(() => dustType(DUST_TYPE_NAMES.get(t.image)!, this.ident(t)));
      },
    },
    {
      ALT: () => {
        const start = this.typeStart;
        this.CONSUME(T.And);
        this.OPTION(() => this.CONSUME(T.Label));
        let isMut = false;
        this.OPTION2(() => {
          this.CONSUME(K.mut);
          isMut = true;
        });
        const inner = this.SUBRULE(this.type);
        return this.ACTION(() => ({ kind: "RefType" as const, isMut, inner, span: this.from(start) }));
      },
    },
    {
      ALT: () => {
        const start = this.typeStart;
        // `&&T` is a reference to a reference.
        this.CONSUME(T.AndAnd);
        let isMut = false;
        this.OPTION3(() => {
          this.CONSUME2(K.mut);
          isMut = true;
        });
        const inner = this.SUBRULE2(this.type);
        return this.ACTION(() => {
          const innerRef: A.RefType = { kind: "RefType", isMut, inner, span: this.sp(start + 1, this.from(start).endOffset) };
          return { kind: "RefType" as const, isMut: false, inner: innerRef, span: this.from(start) };
        });
      },
    },
    {
      ALT: () => {
        const start = this.typeStart;
        this.CONSUME(T.LParen);
        const elements: A.Type[] = [];
        let trailingComma = false;
        this.MANY({
          GATE: () => this.la(1) !== T.RParen,
          DEF: () => {
            const t = this.SUBRULE3(this.type);
            this.ACTION(() => elements.push(t));
            trailingComma = this.la(1) === T.Comma;
            this.SUBRULE8(this.sepOrClose, { ARGS: [T.RParen] });
          },
        });
        this.CONSUME(T.RParen);
        return this.ACTION(() =>
          elements.length === 1 && !trailingComma ? elements[0]! : { kind: "TupleType" as const, elements, span: this.from(start) },
        );
      },
    },
    {
      ALT: () => {
        const start = this.typeStart;
        this.CONSUME(T.LBracket);
        const element = this.SUBRULE4(this.type);
        let length: A.Expr | null = null;
        this.OPTION6(() => {
          this.CONSUME(T.Semi);
          length = this.SUBRULE(this.expr, ANY);
        });
        this.CONSUME(T.RBracket);
        return this.ACTION(() =>
          length ? { kind: "ArrayType" as const, element, length, span: this.from(start) } : { kind: "SliceType" as const, element, span: this.from(start) },
        );
      },
    },
    {
      ALT: () => {
        const start = this.typeStart;
        this.CONSUME(K.fn);
        this.CONSUME2(T.LParen);
        const params: A.Type[] = [];
        this.MANY2({
          GATE: () => this.la(1) !== T.RParen,
          DEF: () => {
            const t = this.SUBRULE5(this.type);
            this.ACTION(() => params.push(t));
            this.SUBRULE9(this.sepOrClose, { ARGS: [T.RParen] });
          },
        });
        this.CONSUME2(T.RParen);
        let returnType: A.Type | null = null;
        this.OPTION8(() => {
          this.CONSUME(T.Arrow);
          returnType = this.SUBRULE6(this.type);
        });
        return this.ACTION(() => ({ kind: "FnType" as const, params, returnType, span: this.from(start) }));
      },
    },
    {
      GATE: () => this.LA(1).image === "_",
      ALT: () => {
        const start = this.typeStart;
        this.CONSUME(T.Identifier);
        return this.ACTION(() => ({ kind: "InferType" as const, span: this.from(start) }));
      },
    },
    {
      // A trait object, `dyn Trait` (+ auto traits); object safety is the checker's.
      GATE: () => this.la(1) === T.Identifier && this.LA(1).image === "dyn" && this.la(2) === T.Identifier,
      ALT: () => {
        const start = this.typeStart;
        this.CONSUME9(T.Identifier);
        const first = this.SUBRULE2(this.pathType);
        const bounds = [first];
        this.MANY3(() => {
          this.CONSUME(T.Plus);
          const more = this.SUBRULE3(this.pathType);
          this.ACTION(() => bounds.push(more));
        });
        return this.ACTION((): A.Type => ({ kind: "DynType", bounds, span: this.from(start) }));
      },
    },
    { ALT: () => this.SUBRULE(this.pathType) },
  ];

  type = this.RULE(
    "type",
    (): A.Type => {
      const start = this.startOf();
      this.typeStart = start;
      return this.OR(this.typeAlts);
    },
  );

  pathType = this.RULE("pathType", (): A.PathType => {
    const start = this.startOf();
    const segments: A.PathSegment[] = [];
    const first = this.SUBRULE(this.typePathSegment);
    this.ACTION(() => segments.push(first));
    this.MANY({
      GATE: () => this.la(2) !== T.Lt && this.la(2) !== T.Star && this.la(2) !== T.LBrace,
      DEF: () => {
        this.CONSUME(T.PathSep);
        const seg = this.SUBRULE2(this.typePathSegment);
        this.ACTION(() => segments.push(seg));
      },
    });
    return this.ACTION(() => ({ kind: "PathType" as const, segments, span: this.from(start) }));
  });

  typePathSegment = this.RULE("typePathSegment", (): A.PathSegment => {
    const start = this.startOf();
    const name = this.SUBRULE(this.nameToken);
    let args: A.Type[] | null = null;
    this.OPTION({
      GATE: () => this.la(1) === T.Lt || (this.la(1) === T.PathSep && this.la(2) === T.Lt),
      DEF: () => {
        this.OPTION2(() => this.CONSUME(T.PathSep));
        args = this.SUBRULE(this.genericArgs);
      },
    });
    return this.ACTION(() => ({ kind: "PathSegment" as const, name: this.ident(name), args, span: this.from(start) }));
  });

  genericArgs = this.RULE("genericArgs", (): A.Type[] => {
    const args: A.Type[] = [];
    this.CONSUME(T.Lt);
    this.MANY({
      GATE: () => this.la(1) !== T.Gt,
      DEF: () => {
        this.OR([
          { ALT: () => this.CONSUME(T.Label) },
          {
            ALT: () => {
              const t = this.SUBRULE(this.type);
              this.ACTION(() => args.push(t));
            },
          },
        ]);
        this.SUBRULE9(this.sepOrClose, { ARGS: [T.Gt] });
      },
    });
    this.CONSUME(T.Gt);
    return args;
  });

}

/**
 * The dustlang surface's scalar type names and the XDV types they are. `String` is a string
 * slice: dustlang strings are immutable values, which is what `&str` is (docs/language.md).
 */
const DUST_TYPE_NAMES = new Map<string, string>([
  ["Int", "i64"], ["Int8", "i8"], ["Int16", "i16"], ["Int32", "i32"], ["Int64", "i64"],
  ["UInt", "u64"], ["UInt8", "u8"], ["UInt16", "u16"], ["UInt32", "u32"], ["UInt64", "u64"],
  ["Float", "f64"], ["Float32", "f32"], ["Float64", "f64"], ["Bool", "bool"], ["Char", "char"],
  ["String", "&str"], ["Unit", "()"],
]);

function dustType(xdv: string, at: A.Ident): A.Type {
  const span = at.span;
  if (xdv === "()") return { kind: "TupleType", elements: [], span };
  const path = (name: string): A.PathType => ({ kind: "PathType", segments: [{ kind: "PathSegment", name: { ...at, name }, args: null, span }], span });
  if (xdv.startsWith("&")) return { kind: "RefType", isMut: false, inner: path(xdv.slice(1)), span };
  return path(xdv);
}
