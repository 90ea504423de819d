/**
 * The parser (tokens → syntax tree): a chevrotain embedded-actions parser that builds our
 * own AST directly. Building a CST first costs about 4× the time and 10× the memory.
 *
 * Conventions: every node is built inside `ACTION` (chevrotain runs rule bodies once in a
 * "recording" phase with placeholder tokens, where actions are skipped). Rules take a
 * `ns` ("no struct literal") flag for the scrutinee of `if`/`while`/`match`/`for`, where
 * `x { ... }` is a condition followed by a block, as in Rust.
 */
import * as T from "./tokens.js";
import { EmbeddedActionsParser, EOF, type IToken, type TokenType } from "./chevrotain.js";
import type { IRuleConfig, ParserMethod } from "chevrotain";
import type * as A from "./ast.js";
import { isBlockLike } from "./ast.js";
import { OffsetSpan, SourceFile } from "./source.js";
import { decodeEscapes, decodeFloat, decodeInt } from "./literals.js";
import { precedenceOf, type BinOpInfo } from "./precedence.js";

const K = T.Keywords;

export interface SyntaxIssue {
  readonly code: "DPL1001" | "DPL1002" | "DPL1003";
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

const ITEM_START = new Set<TokenType>([K.fn, K.struct, K.enum, K.impl, K.trait, K.use, K.mod, K.const, K.static, K.type, K.pub, T.At, T.Pound]);

const EXPR_START = new Set<TokenType>([
  T.IntLit, T.FloatLit, T.StringLit, T.CharLit, K.true, K.false, T.Identifier, K.self, K.Self,
  T.LParen, T.LBracket, T.LBrace, T.Bang, T.Minus, T.Star, T.And, T.AndAnd, T.Or, T.OrOr,
  K.if, K.match, K.while, K.loop, K.for, K.unsafe, K.return, K.break, K.continue, K.move,
  T.Label, T.DotDot, T.DotDotEq,
]);

const BLOCK_LIKE_START = new Set<TokenType>([T.LBrace, K.unsafe, K.if, K.match, K.while, K.loop, K.for, T.Label]);

const ASSIGN_OPS = new Map<TokenType, A.AssignOp>([
  [T.Eq, "="], [T.PlusEq, "+="], [T.MinusEq, "-="], [T.StarEq, "*="], [T.SlashEq, "/="],
  [T.PercentEq, "%="], [T.CaretEq, "^="], [T.AndEq, "&="], [T.OrEq, "|="], [T.ShlEq, "<<="],
]);

const SIMPLE_BIN_OPS = new Map<TokenType, A.BinaryOp>([
  [T.OrOr, "||"], [T.AndAnd, "&&"], [T.EqEq, "=="], [T.NotEq, "!="], [T.Lt, "<"], [T.LtEq, "<="],
  [T.GtEq, ">="], [T.Or, "|"], [T.Caret, "^"], [T.And, "&"], [T.Shl, "<<"], [T.Plus, "+"],
  [T.Minus, "-"], [T.Star, "*"], [T.Slash, "/"], [T.Percent, "%"],
]);

type NoStruct = boolean;

/* eslint-disable @typescript-eslint/no-explicit-any */
export class DplParser extends EmbeddedActionsParser {
  src!: SourceFile;
  issues: SyntaxIssue[] = [];

  constructor() {
    // LL(1) plus explicit gates: every decision that needs more than one token of
    // lookahead says so in a GATE, which keeps the grammar predictable and fast.
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 1, skipValidations: true });
    this.performSelfAnalysis();
  }

  /**
   * Every rule gets a recovery value: when chevrotain's re-sync recovery abandons a rule,
   * its caller receives a well-formed `Error*` node (or an empty list) instead of
   * `undefined`, so that building the rest of the tree cannot fail.
   */
  protected override RULE<F extends (...args: any[]) => any>(name: string, impl: F, config?: IRuleConfig<ReturnType<F>>): ParserMethod<Parameters<F>, ReturnType<F>> {
    return super.RULE(name, impl, { recoveryValueFunc: (e: any) => this.recoveryValue(name, e) as ReturnType<F>, ...config });
  }

  private recoveryValue(rule: string, e: any): unknown {
    const off = e?.token?.startOffset;
    const at = typeof off === "number" && !Number.isNaN(off) ? off : (this.src?.text.length ?? 0);
    const span = this.src ? this.sp(at, at) : undefined;
    const ident = { kind: "Ident", name: "", span };
    switch (rule) {
      case "nameToken":
        return { image: "", startOffset: at, tokenType: T.Identifier };
      case "pathExpr":
        return { kind: "PathExpr", segments: [], span };
      case "pathType":
        return { kind: "PathType", segments: [], span };
      case "typePathSegment":
        return { kind: "PathSegment", name: ident, args: null, span };
      case "patternNoOr":
      case "pathPattern":
        return { kind: "ErrorPattern", span };
      case "annotation":
        return { kind: "Annotation", name: ident, args: null, span };
      case "selfParam":
        return { kind: "SelfParam", mode: "value", type: null, span };
      case "useTree":
        return { kind: "UseTree", path: [], shape: { kind: "simple", alias: null }, span };
      case "letStmt":
        return { kind: "LetStmt", pattern: { kind: "ErrorPattern", span }, type: null, init: null, elseBlock: null, span };
      case "genericParams":
      case "bounds":
      case "whereClause":
      case "fieldDecls":
      case "exprList":
      case "genericArgs":
      case "itemBlock":
        return [];
      case "sepOrClose":
        return undefined;
      case "useItem":
      case "modItem":
      case "constItem":
      case "structItem":
      case "enumItem":
      case "fnItem":
      case "implItem":
      case "traitItem":
      case "typeAliasItem":
        return { kind: "ErrorItem", annotations: [], isPub: false, docs: [], span };
      default:
        // Expression-level rules.
        return { kind: "ErrorExpr", span };
    }
  }

  // -------------------------------------------------------------------------
  // Helpers (only called inside ACTION, or on real tokens)

  private sp(start: number, end: number): OffsetSpan {
    return this.src.span(start, end);
  }

  /** Span from a start offset to the end of the last consumed token. */
  private from(start: number): OffsetSpan {
    const last = this.LA(0);
    const end = last && last.image !== undefined && !Number.isNaN(last.startOffset) ? tokEnd(last) : start;
    return this.src.span(start, Math.max(start, end));
  }

  private ident(tok: IToken): A.Ident {
    return { kind: "Ident", name: tok.image, span: this.sp(tok.startOffset, tok.startOffset + tok.image.length) };
  }

  private issue(code: SyntaxIssue["code"], start: number, end: number, message: string): void {
    this.issues.push({ code, start, end, message });
  }

  private isAdjacent(a: IToken, b: IToken): boolean {
    return tokEnd(a) === b.startOffset;
  }

  private la(n: number): TokenType {
    return this.LA(n).tokenType;
  }

  private startOf(): number {
    return this.LA(1).startOffset;
  }

  /** Between list elements: a comma, unless the list closes here. */
  sepOrClose = this.RULE("sepOrClose", (close: TokenType): void => {
    this.OR([
      { GATE: () => this.la(1) === close, ALT: () => undefined },
      {
        ALT: () => {
          this.CONSUME(T.Comma);
        },
      },
    ]);
  });

  // -------------------------------------------------------------------------
  // Module and items

  module = this.RULE("module", (): A.Module => {
    const items: A.Item[] = this.SUBRULE(this.items, { ARGS: [EOF] });
    // Consuming EOF puts it in the follow set of `items`, so recovery can stop there.
    this.CONSUME(EOF);
    return this.ACTION(() => ({
      kind: "Module" as const,
      file: this.src.name,
      items,
      docs: [],
      span: this.sp(0, this.src.text.length),
    }));
  });

  annotation = this.RULE(
    "annotation",
    (): A.Annotation => {
      const start = this.startOf();
      let name!: IToken;
      let args: A.Expr[] | null = null;
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.At);
            name = this.SUBRULE(this.nameToken);
            this.OPTION(() => {
              this.CONSUME(T.LParen);
              args = this.SUBRULE(this.exprList, { ARGS: [T.RParen] });
              this.CONSUME(T.RParen);
            });
          },
        },
        {
          // Rust-style `#[derive(Clone)]`, read as the annotation `@derive(Clone)`.
          ALT: () => {
            this.CONSUME(T.Pound);
            this.CONSUME(T.LBracket);
            name = this.SUBRULE2(this.nameToken);
            this.OPTION2(() => {
              this.CONSUME2(T.LParen);
              args = this.SUBRULE2(this.exprList, { ARGS: [T.RParen] });
              this.CONSUME2(T.RParen);
            });
            this.CONSUME(T.RBracket);
          },
        },
      ]);
      return this.ACTION(() => ({ kind: "Annotation" as const, name: this.ident(name), args, span: this.from(start) }));
    },
  );

  /** A name in a position where keywords like `type`/`self` could also appear as names. */
  nameToken = this.RULE("nameToken", (): IToken => {
    return this.OR([
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(K.self) },
      { ALT: () => this.CONSUME(K.Self) },
      { ALT: () => this.CONSUME(K.type) },
    ]);
  });

  item = this.RULE(
    "item",
    (): A.Item => {
      const start = this.startOf();
      const annotations: A.Annotation[] = [];
      let isPub = false;
      this.MANY(() => {
        const a = this.SUBRULE(this.annotation);
        this.ACTION(() => annotations.push(a));
      });
      this.OPTION(() => {
        this.CONSUME(K.pub);
        isPub = true;
        // `pub(crate)` is accepted and treated as `pub`.
        this.OPTION2({
          GATE: () => this.la(1) === T.LParen,
          DEF: () => {
            this.CONSUME(T.LParen);
            this.SUBRULE(this.nameToken);
            this.CONSUME(T.RParen);
          },
        });
      });
      const base = { annotations, isPub, docs: [] as string[] };
      const it = this.OR2([
        { ALT: () => this.SUBRULE(this.useItem, { ARGS: [start, base] }) },
        { ALT: () => this.SUBRULE(this.modItem, { ARGS: [start, base] }) },
        { ALT: () => this.SUBRULE(this.constItem, { ARGS: [start, base] }) },
        { ALT: () => this.SUBRULE(this.structItem, { ARGS: [start, base] }) },
        { ALT: () => this.SUBRULE(this.enumItem, { ARGS: [start, base] }) },
        { ALT: () => this.SUBRULE(this.fnItem, { ARGS: [start, base] }) },
        { ALT: () => this.SUBRULE(this.implItem, { ARGS: [start, base] }) },
        { ALT: () => this.SUBRULE(this.traitItem, { ARGS: [start, base] }) },
        { ALT: () => this.SUBRULE(this.typeAliasItem, { ARGS: [start, base] }) },
      ]);
      return it;
    },
    {
      recoveryValueFunc: (e: any): A.ErrorItem => {
        const off = e?.token?.startOffset;
        const start = typeof off === "number" && !Number.isNaN(off) ? off : 0;
        return { kind: "ErrorItem", annotations: [], isPub: false, docs: [], span: this.sp(start, start) };
      },
    },
  );

  useItem = this.RULE("useItem", (start: number, base: any): A.UseItem => {
    this.CONSUME(K.use);
    const tree = this.SUBRULE(this.useTree);
    this.CONSUME(T.Semi);
    return this.ACTION(() => ({ kind: "UseItem" as const, ...base, tree, span: this.from(start) }));
  });

  useTree = this.RULE("useTree", (): A.UseTree => {
    const start = this.startOf();
    const path: A.Ident[] = [];
    let shape: A.UseTree["shape"] = { kind: "simple", alias: null };
    const first = this.SUBRULE(this.nameToken);
    this.ACTION(() => path.push(this.ident(first)));
    let done = false;
    this.MANY({
      GATE: () => !done,
      DEF: () => {
        this.CONSUME(T.PathSep);
        this.OR([
          {
            ALT: () => {
              const t = this.SUBRULE2(this.nameToken);
              this.ACTION(() => path.push(this.ident(t)));
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.Star);
              shape = { kind: "glob" };
              done = true;
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.LBrace);
              const items: A.UseTree[] = [];
              this.MANY_SEP({
                SEP: T.Comma,
                DEF: () => {
                  const sub = this.SUBRULE(this.useTree);
                  this.ACTION(() => items.push(sub));
                },
              });
              this.OPTION(() => this.CONSUME2(T.Comma));
              this.CONSUME(T.RBrace);
              shape = { kind: "group", items };
              done = true;
            },
          },
        ]);
      },
    });
    this.OPTION2({
      GATE: () => !done,
      DEF: () => {
        this.CONSUME(K.as);
        const alias = this.CONSUME(T.Identifier);
        this.ACTION(() => (shape = { kind: "simple", alias: this.ident(alias) }));
      },
    });
    return this.ACTION(() => ({ kind: "UseTree" as const, path, shape, span: this.from(start) }));
  });

  modItem = this.RULE("modItem", (start: number, base: any): A.ModItem => {
    this.CONSUME(K.mod);
    const name = this.CONSUME(T.Identifier);
    let items: A.Item[] | null = null;
    this.OR([
      { ALT: () => this.CONSUME(T.Semi) },
      {
        ALT: () => {
          items = this.SUBRULE(this.itemBlock);
        },
      },
    ]);
    return this.ACTION(() => ({ kind: "ModItem" as const, ...base, name: this.ident(name), items, span: this.from(start) }));
  });

  constItem = this.RULE("constItem", (start: number, base: any): A.ConstItem => {
    let storage: A.ConstItem["storage"] = "const";
    this.OR([
      { ALT: () => this.CONSUME(K.const) },
      {
        ALT: () => {
          this.CONSUME(K.static);
          storage = "static";
          this.OPTION(() => {
            this.CONSUME(K.mut);
            storage = "static mut";
          });
        },
      },
    ]);
    const name = this.CONSUME(T.Identifier);
    let type: A.Type | null = null;
    let value: A.Expr | null = null;
    this.OPTION2(() => {
      this.CONSUME(T.Colon);
      type = this.SUBRULE(this.type);
    });
    this.OPTION3(() => {
      this.CONSUME(T.Eq);
      value = this.SUBRULE(this.expr, { ARGS: [false] });
    });
    this.CONSUME(T.Semi);
    return this.ACTION(() => ({ kind: "ConstItem" as const, ...base, name: this.ident(name), storage, type, value, span: this.from(start) }));
  });

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

  fieldDecls = this.RULE("fieldDecls", (named: boolean, close: TokenType): A.FieldDecl[] => {
    const fields: A.FieldDecl[] = [];
    this.MANY({
      GATE: () => this.la(1) !== close,
      DEF: () => {
        const start = this.startOf();
        this.MANY2(() => this.SUBRULE(this.annotation));
        let isPub = false;
        this.OPTION(() => {
          this.CONSUME(K.pub);
          isPub = true;
        });
        let name: A.Ident | null = null;
        this.OPTION2({
          GATE: () => named,
          DEF: () => {
            const n = this.SUBRULE(this.nameToken);
            this.CONSUME(T.Colon);
            this.ACTION(() => (name = this.ident(n)));
          },
        });
        const type = this.SUBRULE(this.type);
        this.ACTION(() => fields.push({ kind: "FieldDecl", isPub, name, type, docs: [], span: this.from(start) }));
        this.SUBRULE9(this.sepOrClose, { ARGS: [close] });
      },
    });
    return fields;
  });

  structItem = this.RULE("structItem", (start: number, base: any): A.StructItem => {
    this.CONSUME(K.struct);
    const name = this.CONSUME(T.Identifier);
    let generics: A.GenericParam[] = [];
    this.OPTION(() => (generics = this.SUBRULE(this.genericParams)));
    let body: A.StructBody = { kind: "opaque", form: "none" };
    this.OPTION2(() => this.SUBRULE(this.whereClause));
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Semi);
          body = { kind: "unit" };
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const fields = this.SUBRULE(this.fieldDecls, { ARGS: [false, T.RParen] });
          this.CONSUME(T.RParen);
          this.OPTION3(() => this.CONSUME2(T.Semi));
          body = { kind: "tuple", fields };
        },
      },
      {
        GATE: () => this.la(2) === T.Ellipsis,
        ALT: () => {
          this.CONSUME(T.LBrace);
          this.CONSUME(T.Ellipsis);
          this.CONSUME(T.RBrace);
          body = { kind: "opaque", form: "ellipsis" };
        },
      },
      {
        ALT: () => {
          this.CONSUME2(T.LBrace);
          const fields = this.SUBRULE2(this.fieldDecls, { ARGS: [true, T.RBrace] });
          this.CONSUME2(T.RBrace);
          body = { kind: "named", fields };
        },
      },
      // No body at all (`struct Capability<D, Scope>`): an opaque declaration.
      { ALT: () => undefined },
    ]);
    return this.ACTION(() => ({ kind: "StructItem" as const, ...base, name: this.ident(name), generics, body, span: this.from(start) }));
  });

  enumItem = this.RULE("enumItem", (start: number, base: any): A.EnumItem => {
    this.CONSUME(K.enum);
    const name = this.CONSUME(T.Identifier);
    let generics: A.GenericParam[] = [];
    this.OPTION(() => (generics = this.SUBRULE(this.genericParams)));
    this.OPTION4(() => this.SUBRULE(this.whereClause));
    const variants: A.Variant[] = [];
    this.CONSUME(T.LBrace);
    this.MANY({
      GATE: () => this.la(1) !== T.RBrace,
      DEF: () => {
        const vstart = this.startOf();
        this.MANY2(() => this.SUBRULE(this.annotation));
        const vname = this.CONSUME2(T.Identifier);
        let shape: A.Variant["shape"] = "unit";
        let fields: A.FieldDecl[] = [];
        let discriminant: A.Expr | null = null;
        this.OPTION2(() => {
          this.OR([
            {
              ALT: () => {
                this.CONSUME(T.LParen);
                fields = this.SUBRULE(this.fieldDecls, { ARGS: [false, T.RParen] });
                this.CONSUME(T.RParen);
                shape = "tuple";
              },
            },
            {
              ALT: () => {
                this.CONSUME2(T.LBrace);
                fields = this.SUBRULE2(this.fieldDecls, { ARGS: [true, T.RBrace] });
                this.CONSUME2(T.RBrace);
                shape = "struct";
              },
            },
            {
              ALT: () => {
                this.CONSUME(T.Eq);
                discriminant = this.SUBRULE(this.expr, { ARGS: [false] });
              },
            },
          ]);
        });
        this.ACTION(() =>
          variants.push({ kind: "Variant", name: this.ident(vname), shape, fields, discriminant, docs: [], span: this.from(vstart) }),
        );
        this.SUBRULE9(this.sepOrClose, { ARGS: [T.RBrace] });
      },
    });
    this.CONSUME(T.RBrace);
    return this.ACTION(() => ({ kind: "EnumItem" as const, ...base, name: this.ident(name), generics, variants, span: this.from(start) }));
  });

  fnItem = this.RULE("fnItem", (start: number, base: any): A.FnItem => {
    let isUnsafe = false;
    this.OPTION(() => {
      this.CONSUME(K.unsafe);
      isUnsafe = true;
    });
    this.CONSUME(K.fn);
    const name = this.SUBRULE(this.nameToken);
    let generics: A.GenericParam[] = [];
    this.OPTION2(() => (generics = this.SUBRULE(this.genericParams)));
    this.CONSUME(T.LParen);
    let selfParam: A.SelfParam | null = null;
    const params: A.Param[] = [];
    this.OPTION3({
      GATE: () => this.isSelfParamStart(),
      DEF: () => {
        selfParam = this.SUBRULE(this.selfParam);
        this.SUBRULE9(this.sepOrClose, { ARGS: [T.RParen] });
      },
    });
    this.MANY({
      GATE: () => this.la(1) !== T.RParen,
      DEF: () => {
        const pstart = this.startOf();
        this.MANY3(() => this.SUBRULE(this.annotation));
        const pattern = this.SUBRULE(this.pattern);
        this.CONSUME(T.Colon);
        const type = this.SUBRULE(this.type);
        this.ACTION(() => params.push({ kind: "Param", pattern, type, span: this.from(pstart) }));
        this.SUBRULE8(this.sepOrClose, { ARGS: [T.RParen] });
      },
    });
    this.CONSUME(T.RParen);
    let returnType: A.Type | null = null;
    this.OPTION6(() => {
      this.CONSUME(T.Arrow);
      returnType = this.SUBRULE2(this.type);
    });
    let where: A.WherePredicate[] = [];
    this.OPTION7(() => (where = this.SUBRULE(this.whereClause)));
    let body: A.FnBody = { kind: "none" };
    this.OR([
      {
        GATE: () => this.la(2) === T.Ellipsis && this.la(3) === T.RBrace,
        ALT: () => {
          const open = this.CONSUME(T.LBrace);
          this.CONSUME(T.Ellipsis);
          this.CONSUME(T.RBrace);
          this.ACTION(() => (body = { kind: "ellipsis", span: this.from(open.startOffset) }));
        },
      },
      {
        ALT: () => {
          const block = this.SUBRULE(this.block);
          this.ACTION(() => (body = { kind: "block", block }));
        },
      },
      { ALT: () => this.CONSUME(T.Semi) },
      // No body and no `;`: a host-implemented declaration, as the corpus writes them.
      { ALT: () => undefined },
    ]);
    return this.ACTION(() => ({
      kind: "FnItem" as const,
      ...base,
      name: this.ident(name),
      isUnsafe,
      generics,
      selfParam,
      params,
      returnType,
      where,
      body,
      span: this.from(start),
    }));
  });

  private isSelfParamStart(): boolean {
    const t1 = this.la(1);
    const t2 = this.la(2);
    const t3 = this.la(3);
    if (t1 === K.self) return true;
    if (t1 === K.mut && t2 === K.self) return true;
    if (t1 === T.And) return t2 === K.self || (t2 === K.mut && t3 === K.self) || (t2 === T.Label && (t3 === K.self || t3 === K.mut));
    return false;
  }

  selfParam = this.RULE("selfParam", (): A.SelfParam => {
    const start = this.startOf();
    let mode: A.SelfParam["mode"] = "value";
    let type: A.Type | null = null;
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.And);
          this.OPTION(() => this.CONSUME(T.Label));
          mode = "ref";
          this.OPTION2(() => {
            this.CONSUME(K.mut);
            mode = "refMut";
          });
          this.CONSUME(K.self);
        },
      },
      {
        ALT: () => {
          this.OPTION3(() => {
            this.CONSUME2(K.mut);
            mode = "mutValue";
          });
          this.CONSUME2(K.self);
          this.OPTION4(() => {
            this.CONSUME(T.Colon);
            type = this.SUBRULE(this.type);
          });
        },
      },
    ]);
    return this.ACTION(() => ({ kind: "SelfParam" as const, mode, type, span: this.from(start) }));
  });

  implItem = this.RULE("implItem", (start: number, base: any): A.ImplItem => {
    this.CONSUME(K.impl);
    let generics: A.GenericParam[] = [];
    this.OPTION(() => (generics = this.SUBRULE(this.genericParams)));
    let first = this.SUBRULE(this.type);
    let trait: A.PathType | null = null;
    this.OPTION2(() => {
      this.CONSUME(K.for);
      const selfType = this.SUBRULE2(this.type);
      this.ACTION(() => {
        if (first.kind === "PathType") trait = first;
        else this.issue("DPL1001", first.span.start.offset, first.span.end.offset, "expected a trait path before `for` in an `impl`");
        first = selfType;
      });
    });
    this.OPTION3(() => this.SUBRULE(this.whereClause));
    const items = this.SUBRULE(this.itemBlock);
    return this.ACTION(() => ({ kind: "ImplItem" as const, ...base, generics, trait, selfType: first, items, span: this.from(start) }));
  });

  itemBlock = this.RULE("itemBlock", (): A.Item[] => {
    this.CONSUME(T.LBrace);
    const items = this.SUBRULE(this.items, { ARGS: [T.RBrace] });
    this.CONSUME(T.RBrace);
    return items;
  });

  /**
   * Items up to `close`. Tokens that cannot start an item are skipped up to the next
   * item keyword, with one diagnostic per skipped run, so that a stray line in the middle
   * of a file does not hide every item after it.
   */
  items = this.RULE(
    "items",
    (close: TokenType): A.Item[] => {
      const items: A.Item[] = [];
      try {
        for (;;) {
          this.MANY({
            GATE: () => this.la(1) !== close,
            DEF: () => {
              const it = this.SUBRULE(this.item);
              this.ACTION(() => items.push(it));
            },
          });
          if (this.isRecording() || this.la(1) === close || this.la(1) === EOF) break;
          this.skipToNextItem(close);
        }
      } finally {
        this.lastPartial = items;
      }
      return items;
    },
    { recoveryValueFunc: () => this.takePartial<A.Item>() },
  );

  /**
   * The elements a list rule had parsed when an error escaped from it: chevrotain's
   * re-sync recovery replaces the rule's value, and without this the items or statements
   * before the error would be lost to the editor and the checker.
   */
  private lastPartial: unknown[] = [];

  private takePartial<E>(): E[] {
    const p = this.lastPartial as E[];
    this.lastPartial = [];
    return p;
  }

  private isRecording(): boolean {
    return (this as unknown as { RECORDING_PHASE: boolean }).RECORDING_PHASE;
  }

  private skipToNextItem(close: TokenType): void {
    const first = this.LA(1);
    let depth = 0;
    while (this.la(1) !== EOF) {
      const t = this.la(1);
      if (depth === 0 && (ITEM_START.has(t) || t === K.unsafe || t === close)) break;
      if (t === T.LBrace || t === T.LParen || t === T.LBracket) depth++;
      if (t === T.RBrace || t === T.RParen || t === T.RBracket) depth = Math.max(0, depth - 1);
      this.SKIP_TOKEN();
    }
    this.issue("DPL1001", first.startOffset, tokEnd(first), `expected an item (fn, struct, enum, impl, trait, use, mod, const, static, type), found \`${first.image}\``);
  }

  traitItem = this.RULE("traitItem", (start: number, base: any): A.TraitItem => {
    this.CONSUME(K.trait);
    const name = this.CONSUME(T.Identifier);
    let generics: A.GenericParam[] = [];
    this.OPTION(() => (generics = this.SUBRULE(this.genericParams)));
    let supertraits: A.PathType[] = [];
    this.OPTION2(() => {
      this.CONSUME(T.Colon);
      supertraits = this.SUBRULE(this.bounds);
    });
    this.OPTION3(() => this.SUBRULE(this.whereClause));
    const items = this.SUBRULE(this.itemBlock);
    return this.ACTION(() => ({ kind: "TraitItem" as const, ...base, name: this.ident(name), generics, supertraits, items, span: this.from(start) }));
  });

  typeAliasItem = this.RULE("typeAliasItem", (start: number, base: any): A.TypeAliasItem => {
    this.CONSUME(K.type);
    const name = this.CONSUME(T.Identifier);
    let generics: A.GenericParam[] = [];
    this.OPTION(() => (generics = this.SUBRULE(this.genericParams)));
    let type: A.Type | null = null;
    this.OPTION2(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.bounds);
    });
    this.OPTION3(() => {
      this.CONSUME(T.Eq);
      type = this.SUBRULE(this.type);
    });
    this.CONSUME(T.Semi);
    return this.ACTION(() => ({ kind: "TypeAliasItem" as const, ...base, name: this.ident(name), generics, type, span: this.from(start) }));
  });

  // -------------------------------------------------------------------------
  // Types

  type = this.RULE(
    "type",
    (): A.Type => {
      const start = this.startOf();
      return this.OR([
        {
          ALT: () => {
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
            this.CONSUME(T.LBracket);
            const element = this.SUBRULE4(this.type);
            let length: A.Expr | null = null;
            this.OPTION6(() => {
              this.CONSUME(T.Semi);
              length = this.SUBRULE(this.expr, { ARGS: [false] });
            });
            this.CONSUME(T.RBracket);
            return this.ACTION(() =>
              length ? { kind: "ArrayType" as const, element, length, span: this.from(start) } : { kind: "SliceType" as const, element, span: this.from(start) },
            );
          },
        },
        {
          ALT: () => {
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
            this.CONSUME(T.Identifier);
            return this.ACTION(() => ({ kind: "InferType" as const, span: this.from(start) }));
          },
        },
        { ALT: () => this.SUBRULE(this.pathType) },
      ]);
    },
    {
      recoveryValueFunc: (e: any): A.ErrorType => {
        const off = e?.token?.startOffset;
        const s = typeof off === "number" && !Number.isNaN(off) ? off : 0;
        return { kind: "ErrorType", span: this.sp(s, s) };
      },
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

  // -------------------------------------------------------------------------
  // Patterns

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
    {
      recoveryValueFunc: (e: any): A.ErrorPattern => {
        const off = e?.token?.startOffset;
        const s = typeof off === "number" && !Number.isNaN(off) ? off : 0;
        return { kind: "ErrorPattern", span: this.sp(s, s) };
      },
    },
  );

  patternNoOr = this.RULE("patternNoOr", (): A.Pattern => {
    const start = this.startOf();
    return this.OR([
      {
        GATE: () => this.LA(1).image === "_" && this.la(1) === T.Identifier,
        ALT: () => {
          this.CONSUME(T.Identifier);
          return this.ACTION(() => ({ kind: "WildcardPattern" as const, span: this.from(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.DotDot);
          return this.ACTION(() => ({ kind: "RestPattern" as const, span: this.from(start) }));
        },
      },
      {
        ALT: () => {
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
              GATE: () => this.isLiteralPatternStart(),
              DEF: () => (end = this.SUBRULE2(this.literalPatternValue)),
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
    ]);
  });

  private isLiteralPatternStart(): boolean {
    const t = this.la(1);
    if (t === T.IntLit || t === T.FloatLit || t === T.StringLit || t === T.CharLit || t === K.true || t === K.false) return true;
    return t === T.Minus && (this.la(2) === T.IntLit || this.la(2) === T.FloatLit);
  }

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

  // -------------------------------------------------------------------------
  // Statements and blocks

  block = this.RULE(
    "block",
    (): A.Block => {
    const start = this.startOf();
    this.CONSUME(T.LBrace);
    const stmts: A.Stmt[] = [];
    try {
      this.MANY({
        GATE: () => this.la(1) !== T.RBrace,
        DEF: () => {
          const s = this.SUBRULE(this.stmt);
          this.ACTION(() => stmts.push(s));
        },
      });
      this.CONSUME(T.RBrace);
    } finally {
      this.lastPartial = stmts;
    }
    return this.ACTION(() => {
      let tail: A.Expr | null = null;
      const last = stmts[stmts.length - 1];
      if (last && last.kind === "ExprStmt" && !last.hasSemi) {
        tail = last.expr;
        stmts.pop();
      }
      for (const s of stmts) {
        if (s.kind === "ExprStmt" && !s.hasSemi && !isBlockLike(s.expr) && s.expr.kind !== "ErrorExpr") {
          const end = s.span.end.offset;
          this.issue("DPL1001", end, end, "expected `;` after this expression statement");
        }
      }
      return { kind: "Block" as const, stmts, tail, span: this.from(start) };
    });
    },
    {
      recoveryValueFunc: (e: any): A.Block => {
        const stmts = this.takePartial<A.Stmt>();
        const off = e?.token?.startOffset;
        const end = typeof off === "number" && !Number.isNaN(off) ? off : this.src.text.length;
        const start = (stmts[0]?.span as OffsetSpan | undefined)?.startOffset ?? end;
        return { kind: "Block", stmts, tail: null, span: this.sp(Math.min(start, end), end) };
      },
    },
  );


  stmt = this.RULE(
    "stmt",
    (): A.Stmt => {
      const start = this.startOf();
      return this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Semi);
            return this.ACTION(() => ({ kind: "EmptyStmt" as const, span: this.from(start) }));
          },
        },
        { ALT: () => this.SUBRULE(this.letStmt) },
        {
          GATE: () => ITEM_START.has(this.la(1)) || (this.la(1) === K.unsafe && this.la(2) === K.fn),
          ALT: () => {
            const item = this.SUBRULE(this.item);
            return this.ACTION(() => ({ kind: "ItemStmt" as const, item, span: item.span }));
          },
        },
        {
          // Rust's rule: a statement that starts with a block-like expression ends with it.
          GATE: () => BLOCK_LIKE_START.has(this.la(1)) && !(this.la(1) === K.unsafe && this.la(2) === K.fn),
          ALT: () => {
            const expr = this.SUBRULE(this.blockLikeExpr);
            let hasSemi = false;
            this.OPTION2(() => {
              this.CONSUME3(T.Semi);
              hasSemi = true;
            });
            return this.ACTION(() => ({ kind: "ExprStmt" as const, expr, hasSemi, span: this.from(start) }));
          },
        },
        {
          ALT: () => {
            const expr = this.SUBRULE(this.expr, { ARGS: [false] });
            let hasSemi = false;
            this.OPTION(() => {
              this.CONSUME2(T.Semi);
              hasSemi = true;
            });
            return this.ACTION(() => ({ kind: "ExprStmt" as const, expr, hasSemi, span: this.from(start) }));
          },
        },
      ]);
    },
    {
      recoveryValueFunc: (e: any): A.ExprStmt => {
        const off = e?.token?.startOffset;
        const s = typeof off === "number" && !Number.isNaN(off) ? off : 0;
        return { kind: "ExprStmt", expr: { kind: "ErrorExpr", span: this.sp(s, s) }, hasSemi: true, span: this.sp(s, s) };
      },
    },
  );

  letStmt = this.RULE("letStmt", (): A.LetStmt => {
    const start = this.startOf();
    this.CONSUME(K.let);
    const pattern = this.SUBRULE(this.pattern);
    let type: A.Type | null = null;
    let init: A.Expr | null = null;
    let elseBlock: A.Block | null = null;
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      type = this.SUBRULE(this.type);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Eq);
      init = this.SUBRULE(this.expr, { ARGS: [false] });
      this.OPTION3(() => {
        this.CONSUME(K.else);
        elseBlock = this.SUBRULE(this.block);
      });
    });
    this.CONSUME(T.Semi);
    return this.ACTION(() => ({ kind: "LetStmt" as const, pattern, type, init, elseBlock, span: this.from(start) }));
  });

  // -------------------------------------------------------------------------
  // Expressions

  exprList = this.RULE("exprList", (close: TokenType): A.Expr[] => {
    const out: A.Expr[] = [];
    this.MANY({
      GATE: () => this.la(1) !== close,
      DEF: () => {
        const e = this.SUBRULE(this.expr, { ARGS: [false] });
        this.ACTION(() => out.push(e));
        this.SUBRULE9(this.sepOrClose, { ARGS: [close] });
      },
    });
    return out;
  });

  expr = this.RULE(
    "expr",
    (ns: NoStruct): A.Expr => {
      const start = this.startOf();
      return this.OR([
        {
          GATE: () => this.la(1) === T.Or || this.la(1) === T.OrOr || this.la(1) === K.move,
          ALT: () => this.SUBRULE(this.closure, { ARGS: [ns] }),
        },
        {
          ALT: () => {
            this.CONSUME(K.return);
            let value: A.Expr | null = null;
            this.OPTION({ GATE: () => this.canStartExpr(ns), DEF: () => (value = this.SUBRULE(this.expr, { ARGS: [ns] })) });
            return this.ACTION(() => ({ kind: "ReturnExpr" as const, value, span: this.from(start) }));
          },
        },
        {
          ALT: () => {
            this.CONSUME(K.break);
            let label: A.Ident | null = null;
            let value: A.Expr | null = null;
            this.OPTION2(() => {
              const l = this.CONSUME(T.Label);
              this.ACTION(() => (label = this.ident(l)));
            });
            this.OPTION3({ GATE: () => this.canStartExpr(ns), DEF: () => (value = this.SUBRULE2(this.expr, { ARGS: [ns] })) });
            return this.ACTION(() => ({ kind: "BreakExpr" as const, label, value, span: this.from(start) }));
          },
        },
        {
          ALT: () => {
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
          ALT: () => {
            let inclusive = false;
            this.OR2([
              { ALT: () => this.CONSUME(T.DotDot) },
              {
                ALT: () => {
                  this.CONSUME(T.DotDotEq);
                  inclusive = true;
                },
              },
            ]);
            let end: A.Expr | null = null;
            this.OPTION5({ GATE: () => this.canStartExpr(ns), DEF: () => (end = this.SUBRULE(this.binary, { ARGS: [ns] })) });
            return this.ACTION(() => ({ kind: "RangeExpr" as const, start: null, end, inclusive, span: this.from(start) }));
          },
        },
        { ALT: () => this.SUBRULE(this.assignOrRange, { ARGS: [ns] }) },
      ]);
    },
    {
      recoveryValueFunc: (e: any): A.ErrorExpr => {
        const off = e?.token?.startOffset;
        const s = typeof off === "number" && !Number.isNaN(off) ? off : 0;
        return { kind: "ErrorExpr", span: this.sp(s, s) };
      },
    },
  );

  private canStartExpr(ns: NoStruct): boolean {
    const t = this.la(1);
    if (ns && t === T.LBrace) return false;
    return EXPR_START.has(t);
  }

  assignOrRange = this.RULE("assignOrRange", (ns: NoStruct): A.Expr => {
    const start = this.startOf();
    const left = this.SUBRULE(this.binary, { ARGS: [ns] });
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
          ...[...ASSIGN_OPS.keys()].map((tt) => ({
            ALT: () => {
              this.CONSUME9(tt);
            },
          })),
        ]);
        const value = this.SUBRULE(this.expr, { ARGS: [ns] });
        this.ACTION(() => (result = { kind: "AssignExpr", op, target: left, value, span: this.from(start) }));
      },
    });
    this.OPTION2({
      GATE: () => result === left && (this.la(1) === T.DotDot || this.la(1) === T.DotDotEq),
      DEF: () => {
        let inclusive = false;
        this.OR2([
          { ALT: () => this.CONSUME(T.DotDot) },
          {
            ALT: () => {
              this.CONSUME(T.DotDotEq);
              inclusive = true;
            },
          },
        ]);
        let end: A.Expr | null = null;
        this.OPTION3({ GATE: () => this.canStartExpr(ns), DEF: () => (end = this.SUBRULE2(this.binary, { ARGS: [ns] })) });
        this.ACTION(() => (result = { kind: "RangeExpr", start: left, end, inclusive, span: this.from(start) }));
      },
    });
    return result;
  });

  private assignOpAhead(): A.AssignOp | null {
    const t = this.la(1);
    const op = ASSIGN_OPS.get(t);
    if (op) return op;
    if (t === T.Gt && this.la(2) === T.GtEq && this.isAdjacent(this.LA(1), this.LA(2))) return ">>=";
    return null;
  }

  /** The binary operator starting at the next token, if any (shift-right is `>` `>`). */
  private binOpAhead(): { op: A.BinaryOp; tokens: number } | null {
    const t = this.la(1);
    const simple = SIMPLE_BIN_OPS.get(t);
    if (simple) return { op: simple, tokens: 1 };
    if (t === T.Gt) {
      const next = this.LA(2);
      if (next.tokenType === T.Gt && this.isAdjacent(this.LA(1), next)) return { op: ">>", tokens: 2 };
      if (next.tokenType === T.GtEq && this.isAdjacent(this.LA(1), next)) return null; // `>>=`
      return { op: ">", tokens: 1 };
    }
    return null;
  }

  binary = this.RULE("binary", (ns: NoStruct): A.Expr => {
    const operands: A.Expr[] = [];
    const ops: BinOpInfo[] = [];
    const first = this.SUBRULE(this.cast, { ARGS: [ns] });
    this.ACTION(() => operands.push(first));
    this.MANY({
      GATE: () => this.binOpAhead() !== null,
      DEF: () => {
        const ahead = this.binOpAhead();
        if (ahead && ahead.tokens === 2) {
          this.CONSUME(T.Gt);
          this.CONSUME2(T.Gt);
        } else {
          this.OR(
            [...SIMPLE_BIN_OPS.keys(), T.Gt].map((tt) => ({
              ALT: () => {
                this.CONSUME3(tt);
              },
            })),
          );
        }
        const rhs = this.SUBRULE2(this.cast, { ARGS: [ns] });
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
  private foldBinary(operands: A.Expr[], ops: BinOpInfo[]): A.Expr {
    const out: A.Expr[] = [operands[0]!];
    const pending: BinOpInfo[] = [];
    const reduce = (): void => {
      const op = pending.pop()!;
      const right = out.pop()!;
      const left = out.pop()!;
      if (op.comparison && left.kind === "BinaryExpr" && precedenceOf(left.op).comparison) {
        this.issue("DPL1001", (left.span as OffsetSpan).startOffset, (right.span as OffsetSpan).endOffset, "comparison operators cannot be chained; use parentheses or `&&`");
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
    let e = this.SUBRULE(this.unary, { ARGS: [ns] });
    this.MANY(() => {
      this.CONSUME(K.as);
      const type = this.SUBRULE(this.type);
      this.ACTION(() => (e = { kind: "CastExpr", expr: e, type, span: this.from(start) }));
    });
    return e;
  });

  unary = this.RULE("unary", (ns: NoStruct): A.Expr => {
    const start = this.startOf();
    return this.OR([
      {
        ALT: () => {
          let op: A.UnaryOp = "!";
          this.OR2([
            { ALT: () => this.CONSUME(T.Bang) },
            {
              ALT: () => {
                this.CONSUME(T.Minus);
                op = "-";
              },
            },
            {
              ALT: () => {
                this.CONSUME(T.Star);
                op = "*";
              },
            },
          ]);
          const operand = this.SUBRULE(this.unary, { ARGS: [ns] });
          return this.ACTION(() => ({ kind: "UnaryExpr" as const, op, operand, span: this.from(start) }));
        },
      },
      {
        ALT: () => {
          let double = false;
          this.OR3([
            { ALT: () => this.CONSUME(T.And) },
            {
              ALT: () => {
                this.CONSUME(T.AndAnd);
                double = true;
              },
            },
          ]);
          let isMut = false;
          this.OPTION(() => {
            this.CONSUME(K.mut);
            isMut = true;
          });
          const operand = this.SUBRULE2(this.unary, { ARGS: [ns] });
          return this.ACTION(() => {
            const inner: A.RefExpr = { kind: "RefExpr", isMut, operand, span: this.from(double ? start + 1 : start) };
            return double ? { kind: "RefExpr" as const, isMut: false, operand: inner, span: this.from(start) } : inner;
          });
        },
      },
      { ALT: () => this.SUBRULE(this.postfix, { ARGS: [ns] }) },
    ]);
  });

  postfix = this.RULE("postfix", (ns: NoStruct): A.Expr => {
    const start = this.startOf();
    let e = this.SUBRULE(this.primary, { ARGS: [ns] });
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Question);
            this.ACTION(() => (e = { kind: "TryExpr", expr: e, span: this.from(start) }));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            const args = this.SUBRULE(this.exprList, { ARGS: [T.RParen] });
            this.CONSUME(T.RParen);
            this.ACTION(() => (e = { kind: "CallExpr", callee: e, args, span: this.from(start) }));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            const index = this.SUBRULE(this.expr, { ARGS: [false] });
            this.CONSUME(T.RBracket);
            this.ACTION(() => (e = { kind: "IndexExpr", object: e, index, span: this.from(start) }));
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            this.OR2([
              {
                ALT: () => {
                  const name = this.SUBRULE(this.nameToken);
                  let typeArgs: A.Type[] | null = null;
                  this.OPTION(() => {
                    this.CONSUME(T.PathSep);
                    typeArgs = this.SUBRULE(this.genericArgs);
                  });
                  this.OR3([
                    {
                      ALT: () => {
                        this.CONSUME2(T.LParen);
                        const args = this.SUBRULE2(this.exprList, { ARGS: [T.RParen] });
                        this.CONSUME2(T.RParen);
                        this.ACTION(() => (e = { kind: "MethodCallExpr", receiver: e, method: this.ident(name), typeArgs, args, span: this.from(start) }));
                      },
                    },
                    {
                      ALT: () => {
                        this.ACTION(() => (e = { kind: "FieldExpr", object: e, field: this.ident(name), span: this.from(start) }));
                      },
                    },
                  ]);
                },
              },
              {
                ALT: () => {
                  const idx = this.CONSUME(T.IntLit);
                  this.ACTION(() => (e = { kind: "FieldExpr", object: e, field: this.ident(idx), span: this.from(start) }));
                },
              },
              {
                // `t.0.1` lexes its indexes as the float `0.1`: split it back into two fields.
                ALT: () => {
                  const f = this.CONSUME(T.FloatLit);
                  this.ACTION(() => {
                    const parts = f.image.split(".");
                    if (parts.length !== 2 || !/^[0-9]+$/.test(parts[0]!) || !/^[0-9]+$/.test(parts[1]!)) {
                      this.issue("DPL1003", f.startOffset, tokEnd(f), `invalid tuple index \`${f.image}\``);
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
                    e = {
                      kind: "FieldExpr",
                      object: inner,
                      field: { kind: "Ident", name: b, span: this.sp(firstEnd + 1, tokEnd(f)) },
                      span: this.from(start),
                    };
                  });
                },
              },
            ]);
          },
        },
      ]);
    });
    return e;
  });

  literal = this.RULE("literal", (): A.Expr => {
    return this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.IntLit);
          return this.ACTION((): A.Expr => {
            const d = decodeInt(t.image);
            const span = this.sp(t.startOffset, tokEnd(t));
            if (d.error) this.issue("DPL1003", t.startOffset, tokEnd(t), d.error);
            if (d.isFloat) return { kind: "FloatLit", value: Number(d.value), suffix: t.image.endsWith("f32") ? "f32" : "f64", raw: t.image, span };
            return { kind: "IntLit", value: d.value, suffix: d.suffix, raw: t.image, span };
          });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.FloatLit);
          return this.ACTION(() => {
            const d = decodeFloat(t.image);
            if (d.error) this.issue("DPL1003", t.startOffset, tokEnd(t), d.error);
            return { kind: "FloatLit" as const, value: d.value, suffix: d.suffix, raw: t.image, span: this.sp(t.startOffset, tokEnd(t)) };
          });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.StringLit);
          return this.ACTION(() => {
            const d = decodeEscapes(t.image.slice(1, -1));
            if (d.error) this.issue("DPL1003", t.startOffset, tokEnd(t), d.error);
            return { kind: "StrLit" as const, value: d.value, raw: t.image, span: this.sp(t.startOffset, tokEnd(t)) };
          });
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.CharLit);
          return this.ACTION(() => {
            const d = decodeEscapes(t.image.slice(1, -1));
            if (d.error) this.issue("DPL1003", t.startOffset, tokEnd(t), d.error);
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
    ]);
  });

  pathExpr = this.RULE("pathExpr", (): A.PathExpr => {
    const start = this.startOf();
    const segments: A.PathExprSegment[] = [];
    const first = this.SUBRULE(this.nameToken);
    this.ACTION(() => segments.push({ kind: "PathExprSegment", name: this.ident(first), args: null, span: this.from(start) }));
    this.MANY(() => {
      this.CONSUME(T.PathSep);
      this.OR([
        {
          ALT: () => {
            const args = this.SUBRULE(this.genericArgs);
            this.ACTION(() => {
              const last = segments[segments.length - 1]!;
              segments[segments.length - 1] = { ...last, args, span: this.from((last.span as OffsetSpan).startOffset) };
            });
          },
        },
        {
          ALT: () => {
            const segStart = this.startOf();
            const name = this.SUBRULE2(this.nameToken);
            this.ACTION(() => segments.push({ kind: "PathExprSegment", name: this.ident(name), args: null, span: this.from(segStart) }));
          },
        },
      ]);
    });
    return this.ACTION(() => ({ kind: "PathExpr" as const, segments, span: this.from(start) }));
  });

  primary = this.RULE("primary", (ns: NoStruct): A.Expr => {
    const start = this.startOf();
    return this.OR([
      { ALT: () => this.SUBRULE(this.literal) },
      {
        ALT: () => {
          const path = this.SUBRULE(this.pathExpr);
          return this.OR2([
            {
              GATE: () => !ns,
              ALT: () => this.SUBRULE(this.structLitBody, { ARGS: [path, start] }),
            },
            {
              GATE: () => path.segments.length === 1,
              ALT: () => {
                this.CONSUME(T.Bang);
                return this.SUBRULE(this.macroArgs, { ARGS: [path, start] });
              },
            },
            { ALT: () => path as A.Expr },
          ]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          const elements: A.Expr[] = [];
          let trailingComma = false;
          this.MANY({
            GATE: () => this.la(1) !== T.RParen,
            DEF: () => {
              const e = this.SUBRULE(this.expr, { ARGS: [false] });
              this.ACTION(() => elements.push(e));
              trailingComma = this.la(1) === T.Comma;
              this.SUBRULE9(this.sepOrClose, { ARGS: [T.RParen] });
            },
          });
          this.CONSUME(T.RParen);
          return this.ACTION(() =>
            elements.length === 1 && !trailingComma
              ? { kind: "ParenExpr" as const, inner: elements[0]!, span: this.from(start) }
              : { kind: "TupleExpr" as const, elements, span: this.from(start) },
          );
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LBracket);
          const elements: A.Expr[] = [];
          let repeat: A.Expr | null = null;
          this.OPTION2({
            GATE: () => this.la(1) !== T.RBracket,
            DEF: () => {
              const first = this.SUBRULE2(this.expr, { ARGS: [false] });
              this.ACTION(() => elements.push(first));
              this.OR3([
                {
                  ALT: () => {
                    this.CONSUME(T.Semi);
                    repeat = this.SUBRULE3(this.expr, { ARGS: [false] });
                  },
                },
                {
                  ALT: () => {
                    this.MANY2({
                      GATE: () => this.la(1) === T.Comma,
                      DEF: () => {
                        this.CONSUME2(T.Comma);
                        this.OPTION3({
                          GATE: () => this.la(1) !== T.RBracket,
                          DEF: () => {
                            const e = this.SUBRULE4(this.expr, { ARGS: [false] });
                            this.ACTION(() => elements.push(e));
                          },
                        });
                      },
                    });
                  },
                },
              ]);
            },
          });
          this.CONSUME(T.RBracket);
          return this.ACTION(() =>
            repeat
              ? { kind: "ArrayRepeatExpr" as const, value: elements[0]!, count: repeat, span: this.from(start) }
              : { kind: "ArrayExpr" as const, elements, span: this.from(start) },
          );
        },
      },
      { ALT: () => this.SUBRULE(this.blockLikeExpr) },
    ]);
  });

  /** Expressions that end in a block: as statements they end there and need no `;`. */
  blockLikeExpr = this.RULE("blockLikeExpr", (): A.Expr => {
    const start = this.startOf();
    return this.OR([
      {
        ALT: () => {
          const block = this.SUBRULE(this.block);
          return this.ACTION(() => ({ kind: "BlockExpr" as const, block, isUnsafe: false, label: null, span: this.from(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.unsafe);
          const block = this.SUBRULE2(this.block);
          return this.ACTION(() => ({ kind: "BlockExpr" as const, block, isUnsafe: true, label: null, span: this.from(start) }));
        },
      },
      { ALT: () => this.SUBRULE(this.ifExpr) },
      { ALT: () => this.SUBRULE(this.matchExpr) },
      { ALT: () => this.SUBRULE(this.loopLike, { ARGS: [null, start] }) },
      {
        ALT: () => {
          const l = this.CONSUME(T.Label);
          this.CONSUME(T.Colon);
          return this.SUBRULE2(this.loopLike, { ARGS: [l, start] });
        },
      },
    ]);
  });

  structLitBody = this.RULE("structLitBody", (path: A.PathExpr, start: number): A.Expr => {
    this.CONSUME(T.LBrace);
    const fields: A.FieldInit[] = [];
    let base: A.Expr | null = null;
    this.MANY({
      GATE: () => this.la(1) !== T.RBrace,
      DEF: () => {
        this.OR([
          {
            ALT: () => {
              this.CONSUME(T.DotDot);
              base = this.SUBRULE(this.expr, { ARGS: [false] });
            },
          },
          {
            ALT: () => {
              const fstart = this.startOf();
              const name = this.OR2([{ ALT: () => this.SUBRULE(this.nameToken) }, { ALT: () => this.CONSUME(T.IntLit) }]);
              let value: A.Expr | null = null;
              this.OPTION(() => {
                this.CONSUME(T.Colon);
                value = this.SUBRULE2(this.expr, { ARGS: [false] });
              });
              this.ACTION(() => fields.push({ kind: "FieldInit", name: this.ident(name), value, span: this.from(fstart) }));
            },
          },
        ]);
        this.SUBRULE9(this.sepOrClose, { ARGS: [T.RBrace] });
      },
    });
    this.CONSUME(T.RBrace);
    return this.ACTION(() => ({ kind: "StructLitExpr" as const, path, fields, base, span: this.from(start) }));
  });

  macroArgs = this.RULE("macroArgs", (path: A.PathExpr, start: number): A.Expr => {
    let delimiter: A.MacroCallExpr["delimiter"] = "(";
    let args: A.Expr[] = [];
    let isRepeat = false;
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          args = this.SUBRULE(this.exprList, { ARGS: [T.RParen] });
          this.CONSUME(T.RParen);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LBracket);
          delimiter = "[";
          this.OR2([
            {
              // `vec![0; n]`: the repeat form, kept as two arguments of a `[` macro.
              GATE: () => this.la(1) !== T.RBracket,
              ALT: () => {
                const first = this.SUBRULE(this.expr, { ARGS: [false] });
                this.OR3([
                  {
                    ALT: () => {
                      this.CONSUME(T.Semi);
                      const count = this.SUBRULE2(this.expr, { ARGS: [false] });
                      this.ACTION(() => {
                        args = [first, count];
                        isRepeat = true;
                      });
                    },
                  },
                  {
                    ALT: () => {
                      this.ACTION(() => (args = [first]));
                      this.MANY(() => {
                        this.CONSUME(T.Comma);
                        this.OPTION({
                          GATE: () => this.la(1) !== T.RBracket,
                          DEF: () => {
                            const e = this.SUBRULE3(this.expr, { ARGS: [false] });
                            this.ACTION(() => args.push(e));
                          },
                        });
                      });
                    },
                  },
                ]);
              },
            },
            { ALT: () => undefined },
          ]);
          this.CONSUME(T.RBracket);
        },
      },
    ]);
    return this.ACTION(() => ({ kind: "MacroCallExpr" as const, name: path.segments[0]!.name, delimiter, isRepeat, args, span: this.from(start) }));
  });

  ifExpr = this.RULE("ifExpr", (): A.IfExpr => {
    const start = this.startOf();
    this.CONSUME(K.if);
    const condition = this.SUBRULE(this.condition);
    const then = this.SUBRULE(this.block);
    let elseBranch: A.Block | A.IfExpr | null = null;
    this.OPTION(() => {
      this.CONSUME(K.else);
      this.OR([
        { ALT: () => (elseBranch = this.SUBRULE(this.ifExpr)) },
        { ALT: () => (elseBranch = this.SUBRULE2(this.block)) },
      ]);
    });
    return this.ACTION(() => ({ kind: "IfExpr" as const, condition, then, else: elseBranch, span: this.from(start) }));
  });

  /** The condition of `if`/`while`: an expression without struct literals, or `let PAT = EXPR`. */
  condition = this.RULE("condition", (): A.Expr => {
    const start = this.startOf();
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(K.let);
          const pattern = this.SUBRULE(this.pattern);
          this.CONSUME(T.Eq);
          const value = this.SUBRULE(this.expr, { ARGS: [true] });
          return this.ACTION(() => ({ kind: "LetCondExpr" as const, pattern, value, span: this.from(start) }));
        },
      },
      { ALT: () => this.SUBRULE2(this.expr, { ARGS: [true] }) },
    ]);
  });

  matchExpr = this.RULE("matchExpr", (): A.MatchExpr => {
    const start = this.startOf();
    this.CONSUME(K.match);
    const scrutinee = this.SUBRULE(this.expr, { ARGS: [true] });
    this.CONSUME(T.LBrace);
    const arms: A.MatchArm[] = [];
    this.MANY({
      GATE: () => this.la(1) !== T.RBrace,
      DEF: () => {
        const astart = this.startOf();
        const pattern = this.SUBRULE(this.pattern);
        let guard: A.Expr | null = null;
        this.OPTION(() => {
          this.CONSUME(K.if);
          guard = this.SUBRULE2(this.expr, { ARGS: [false] });
        });
        this.CONSUME(T.FatArrow);
        const body = this.SUBRULE3(this.expr, { ARGS: [false] });
        this.ACTION(() => arms.push({ kind: "MatchArm", pattern, guard, body, span: this.from(astart) }));
        // A comma is optional after a block-like arm body and before `}`.
        this.OPTION2({ GATE: () => this.la(1) === T.Comma, DEF: () => this.CONSUME(T.Comma) });
      },
    });
    this.CONSUME(T.RBrace);
    return this.ACTION(() => ({ kind: "MatchExpr" as const, scrutinee, arms, span: this.from(start) }));
  });

  loopLike = this.RULE("loopLike", (labelTok: IToken | null, start: number): A.Expr => {
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(K.while);
          const condition = this.SUBRULE(this.condition);
          const body = this.SUBRULE(this.block);
          return this.ACTION(() => ({ kind: "WhileExpr" as const, label: labelTok ? this.ident(labelTok) : null, condition, body, span: this.from(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.loop);
          const body = this.SUBRULE2(this.block);
          return this.ACTION(() => ({ kind: "LoopExpr" as const, label: labelTok ? this.ident(labelTok) : null, body, span: this.from(start) }));
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.for);
          const pattern = this.SUBRULE(this.pattern);
          this.CONSUME(K.in);
          const iterable = this.SUBRULE(this.expr, { ARGS: [true] });
          const body = this.SUBRULE3(this.block);
          return this.ACTION(() => ({
            kind: "ForExpr" as const,
            label: labelTok ? this.ident(labelTok) : null,
            pattern,
            iterable,
            body,
            span: this.from(start),
          }));
        },
      },
      {
        ALT: () => {
          const block = this.SUBRULE4(this.block);
          return this.ACTION(() => ({ kind: "BlockExpr" as const, block, isUnsafe: false, label: labelTok ? this.ident(labelTok) : null, span: this.from(start) }));
        },
      },
    ]);
  });

  closure = this.RULE("closure", (ns: NoStruct): A.ClosureExpr => {
    const start = this.startOf();
    let isMove = false;
    this.OPTION(() => {
      this.CONSUME(K.move);
      isMove = true;
    });
    const params: A.ClosureParam[] = [];
    this.OR([
      { ALT: () => this.CONSUME(T.OrOr) },
      {
        ALT: () => {
          this.CONSUME(T.Or);
          this.MANY({
            GATE: () => this.la(1) !== T.Or,
            DEF: () => {
              const pstart = this.startOf();
              const pattern = this.SUBRULE(this.patternNoOr);
              let type: A.Type | null = null;
              this.OPTION2(() => {
                this.CONSUME(T.Colon);
                type = this.SUBRULE(this.type);
              });
              this.ACTION(() => params.push({ kind: "ClosureParam", pattern, type, span: this.from(pstart) }));
              this.SUBRULE9(this.sepOrClose, { ARGS: [T.Or] });
            },
          });
          this.CONSUME2(T.Or);
        },
      },
    ]);
    let returnType: A.Type | null = null;
    let body!: A.Expr;
    this.OR2([
      {
        ALT: () => {
          this.CONSUME(T.Arrow);
          returnType = this.SUBRULE2(this.type);
          const bstart = this.startOf();
          const block = this.SUBRULE(this.block);
          this.ACTION(() => (body = { kind: "BlockExpr", block, isUnsafe: false, label: null, span: this.from(bstart) }));
        },
      },
      { ALT: () => (body = this.SUBRULE(this.expr, { ARGS: [ns] })) },
    ]);
    return this.ACTION(() => ({ kind: "ClosureExpr" as const, isMove, params, returnType, body, span: this.from(start) }));
  });
}

function tokEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}
