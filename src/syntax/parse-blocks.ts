/** Blocks and statements, and the block-like expressions: `if`, `match`, loops, closures, struct literals and macro calls. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { OtherSurface, Unexpected } from "./messages.js";
import * as T from "./tokens.js";
import { EOF, type IToken } from "./chevrotain.js";
import type * as A from "./ast.js";
import { ANY, K, NS, BLOCK_LIKE_START, ITEM_START, tokEnd, type NoStruct } from "./parser-base.js";
import { isBlockLike } from "./ast.js";
import type { OffsetSpan } from "./source.js";
import { ExprRules } from "./parse-exprs.js";
import { printExpr } from "./printer.js";

/** The v0.1 statement keywords (besides `emit`, `let` and `return`), inside a `proc`. */
const V01_STMT_WORDS = new Set(["constrain", "prove", "observe", "seal"]);

export abstract class BlockRules extends ExprRules {
  override block = this.RULE(
    "block",
    (): A.Block => {
    const start = this.startOf();
    const errorsBefore = this.errors.length + this.issues.length;
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
      // A block that contained a syntax error has no known value: an error tail keeps the
      // checker from reporting a type mismatch that is only a cascade of that error.
      if (!tail && this.errors.length + this.issues.length > errorsBefore) tail = { kind: "ErrorExpr", span: this.from(start) };
      for (const s of stmts) {
        if (s.kind === "ExprStmt" && !s.hasSemi && !isBlockLike(s.expr) && s.expr.kind !== "ErrorExpr") {
          const end = s.span.end.offset;
          this.issue(Unexpected.expectedSemicolon(), end, end);
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


  /**
   * Inside a v0.1 process a statement may end at the end of its line or of its block instead
   * of with `;`, as the v0.1 sketch (CryoLink.ds) writes statements (docs/language.md, "The
   * dustlang surface"). Called before a required `;`, which is then not consumed.
   */
  protected endsWithoutSemi(): boolean {
    if (this.la(1) === T.Semi || !this.endsAtLine()) return false;
    this.lineEnds.push(this.LA(0).startOffset);
    return true;
  }

  /** Inside a v0.1 process, whether the next token starts a new line or closes the block. */
  protected endsAtLine(): boolean {
    if (!this.inProc() || this.isRecording()) return false;
    const next = this.LA(1);
    if (next.tokenType === T.RBrace || next.tokenType === EOF) return true;
    const last = this.LA(0);
    if (!last || Number.isNaN(last.startOffset)) return false;
    return this.src.text.slice(tokEnd(last), next.startOffset).includes("\n");
  }

  /** `stmt`'s alternatives, made once; the call's start offset is in `stmtStart` (see `sepOrCloseAlts`, parser-base.ts). */
  private stmtStart: number = 0;
  private readonly stmtAlts = [
    {
      ALT: () => {
        const start = this.stmtStart;
        this.CONSUME(T.Semi);
        return this.ACTION(() => ({ kind: "EmptyStmt" as const, span: this.from(start) }));
      },
    },
    { GATE: () => this.inProc() && this.la(1) === T.Identifier && V01_STMT_WORDS.has(this.LA(1).image), ALT: () => this.SUBRULE(this.dustV01Stmt) },
    { ALT: () => this.SUBRULE(this.letStmt) },
    { ALT: () => this.SUBRULE(this.mutLetStmt) },
    { GATE: () => this.isWord(1, "emit") && (this.isDust() || this.la(2) === T.StringLit), ALT: () => this.SUBRULE(this.emitStmt) },
    {
      GATE: () => ITEM_START.has(this.la(1)) || (this.la(1) === K.unsafe && this.la(2) === K.fn),
      ALT: () => {
        // An item in a block is no top-level item's part: its bodies are never deferred (deferItem).
        this.itemsInBlocks++;
        let item: A.Item;
        try {
          item = this.SUBRULE(this.item);
        } finally {
          this.itemsInBlocks--;
        }
        return this.ACTION(() => ({ kind: "ItemStmt" as const, item, span: item.span }));
      },
    },
    {
      // Rust's rule: a statement that starts with a block-like expression ends with it.
      GATE: () => BLOCK_LIKE_START.has(this.la(1)) && !(this.la(1) === K.unsafe && this.la(2) === K.fn),
      ALT: () => {
        const start = this.stmtStart;
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
        const start = this.stmtStart;
        const expr = this.SUBRULE(this.expr, ANY);
        let hasSemi = false;
        this.OPTION(() => {
          this.CONSUME2(T.Semi);
          hasSemi = true;
        });
        if (!hasSemi && this.endsWithoutSemi()) hasSemi = true;
        return this.ACTION(() => ({ kind: "ExprStmt" as const, expr, hasSemi, span: this.from(start) }));
      },
    },
  ];

  stmt = this.RULE(
    "stmt",
    (): A.Stmt => {
      const start = this.startOf();
      this.stmtStart = start;
      return this.OR(this.stmtAlts);
    },
  );

  /** The dustlang surface's `mut let x = ..;`, which is `let mut x = ..;`. */
  mutLetStmt = this.RULE("mutLetStmt", (): A.LetStmt => {
    const mut = this.CONSUME(T.MutBeforeLet);
    const stmt = this.SUBRULE(this.letStmt);
    return this.ACTION(() => {
      if (!this.isDust()) this.issue(OtherSurface.mutLet(), mut.startOffset, this.LA(0).startOffset);
      const p = stmt.pattern;
      const pattern = p.kind === "BindingPattern" ? { ...p, isMut: true } : p;
      return { ...stmt, pattern, span: this.from(mut.startOffset) };
    });
  });

  /**
   * `emit "text {x}";` prints a line, with `{x}` interpolated as \`println!\` captures it;
   * `emit value;` prints the value (v0.1). Both are the \`println!\` they mean.
   */
  emitStmt = this.RULE("emitStmt", (): A.Stmt => {
    const start = this.startOf();
    const word = this.CONSUME(T.Identifier);
    const value = this.SUBRULE(this.expr, ANY);
    if (!this.endsWithoutSemi()) this.CONSUME(T.Semi);
    return this.ACTION(() => {
      if (!this.isDust()) this.issue(OtherSurface.emit(), word.startOffset, tokEnd(word));
      const name = { ...this.ident(word), name: "println" };
      // v0.2 interpolates `{x}` in an emitted string; v0.1 (a `proc`) has no interpolation, so
      // its string is printed as it is.
      const v01 = this.inProc();
      const args: A.Expr[] = value.kind === "StrLit" && !v01 ? [value] : [{ kind: "StrLit", value: "{}", raw: '"{}"', span: this.sp(word.startOffset, tokEnd(word)) }, value];
      const expr: A.MacroCallExpr = { kind: "MacroCallExpr", name, delimiter: "(", isRepeat: false, args, span: this.from(start) };
      const stmt: A.ExprStmt = { kind: "ExprStmt" as const, expr, hasSemi: true, span: this.from(start) };
      if (v01) this.procStmts[this.procStmts.length - 1]!.push({ kind: "emit", operand: value, witness: null, lowered: stmt, span: stmt.span });
      return stmt;
    });
  });

  /**
   * v0.1's `constrain e;`, `prove w from e;`, `observe e;` and `seal e;`, lowered to
   * ordinary statements (docs/language.md, the dustlang surface): a constraint is checked
   * where it stands (`assert!`), a witness is a reference to what it was proven from, and
   * `observe`/`seal` evaluate their operand without moving it. The rules on them (which
   * regime may do what) are the dustlang pass's, from the `DustStmt` kept for each.
   */
  dustV01Stmt = this.RULE("dustV01Stmt", (as?: A.DustStmt["kind"]): A.Stmt => {
    const start = this.startOf();
    // `as`: the statement a fragment's word stands for (`constraint e`, `phi require e` are `constrain e`).
    const word = this.CONSUME(T.Identifier);
    let witness: IToken | null = null;
    this.OPTION({
      GATE: () => word.image === "prove",
      DEF: () => {
        witness = this.CONSUME2(T.Identifier);
        const from = this.CONSUME3(T.Identifier);
        this.ACTION(() => {
          if (from.image !== "from") this.issue(Unexpected.expected("`from`", `\`${from.image}\``), from.startOffset, tokEnd(from));
        });
      },
    });
    const operand = this.SUBRULE(this.expr, ANY);
    // The sketch's relational constraints: `constrain field has no_inconsistent_loops`,
    // `constrain field respects boundary("lab_frame")`.
    let relation: IToken | null = null;
    let predicate: A.Expr | null = null;
    this.OPTION2({
      GATE: () => (as ?? word.image) === "constrain" && (this.isWord(1, "has") || this.isWord(1, "respects")),
      DEF: () => {
        relation = this.CONSUME4(T.Identifier);
        predicate = this.SUBRULE2(this.expr, ANY);
      },
    });
    if (!this.endsWithoutSemi()) this.CONSUME(T.Semi);
    return this.ACTION(() => {
      const span = this.from(start);
      const kind = as ?? (word.image as A.DustStmt["kind"]);
      const at = operand.span;
      const ref: A.Expr = { kind: "RefExpr", isMut: false, operand, span: at };
      let lowered: A.Stmt;
      if (kind === "constrain") {
        const rel: IToken | null = relation;
        const pred: A.Expr | null = predicate;
        const condition = rel && pred ? this.relationalConstraint(rel, pred, ref) : operand;
        const text = rel && pred ? `${printExpr(operand)} ${rel.image} ${printExpr(pred)}` : printExpr(operand);
        const message = `constraint \`${text}\` is not satisfied`.replace(/[{}]/g, (b) => b + b);
        const msg: A.StrLit = { kind: "StrLit", value: message, raw: JSON.stringify(message), span: at };
        const expr: A.MacroCallExpr = { kind: "MacroCallExpr", name: { ...this.ident(word), name: "assert" }, delimiter: "(", isRepeat: false, args: [condition, msg], span };
        lowered = { kind: "ExprStmt", expr, hasSemi: true, span };
      } else if (kind === "prove" && witness) {
        const pattern: A.BindingPattern = { ...this.bindingPattern(witness), witness: true };
        lowered = { kind: "LetStmt", pattern, type: null, init: ref, elseBlock: null, span };
      } else {
        lowered = { kind: "LetStmt", pattern: { kind: "WildcardPattern", span: this.ident(word).span }, type: null, init: ref, elseBlock: null, span };
      }
      const w: IToken | null = witness;
      this.procStmts[this.procStmts.length - 1]?.push({ kind, operand, witness: w ? this.ident(w) : null, lowered, span });
      return lowered;
    });
  });

  /**
   * `e has p` is the property `p` of `e`, `p(&e)`; `e respects b(a, ..)` is the bound
   * `b(&e, a, ..)`: the predicate gets the constrained value first (docs/language.md).
   */
  protected relationalConstraint(relation: IToken, predicate: A.Expr, value: A.Expr): A.Expr {
    if (predicate.kind === "PathExpr") return { kind: "CallExpr", callee: predicate, args: [value], span: predicate.span };
    if (predicate.kind === "CallExpr") return { ...predicate, args: [value, ...predicate.args], argNames: predicate.argNames ? [null, ...predicate.argNames] : undefined };
    this.issue(Unexpected.expected(`a predicate (a name, or a call) after \`${relation.image}\``, "an expression"), (predicate.span as OffsetSpan).startOffset, (predicate.span as OffsetSpan).endOffset);
    return { kind: "ErrorExpr", span: predicate.span };
  }

  /**
   * dust-by-example.md's spelling (docs/language.md, "The fragments of dust-by-example"): a
   * file of statements, each marked with its regime or its kind. It is lowered to one
   * process, `main`, whose body is the statements in order; statements end at a line break,
   * as in a v0.1 process, and `observe`, `emit` and ordinary statements are as there.
   */
  fragmentModule = this.RULE("fragmentModule", (): A.Module => {
    const start = this.startOf();
    this.procStmts.push([]);
    const stmts: A.Stmt[] = [];
    let dust: A.DustStmt[] = [];
    try {
      this.MANY({
        GATE: () => this.la(1) !== EOF,
        DEF: () => {
          const s = this.SUBRULE(this.fragmentStmt);
          // A statement that recovery abandoned leaves nothing (or holes) behind.
          this.ACTION(() => {
            for (const x of Array.isArray(s) ? s : [s]) if (x && typeof x === "object" && "kind" in x) stmts.push(x);
          });
        },
      });
    } finally {
      dust = this.procStmts.pop() ?? [];
    }
    this.CONSUME(EOF);
    return this.ACTION(() => {
      const whole = this.sp(0, this.src.text.length);
      const at = this.sp(start, start);
      const proc: A.DustProc = { regime: "K", linear: false, uses: [], stmts: dust, bound: new Set(), fragment: true };
      const main = syntheticMain({ kind: "Block", stmts, tail: null, span: whole }, at, whole, proc);
      return { kind: "Module" as const, file: this.src.name, items: [main], docs: [], span: whole };
    });
  });

  /**
   * One fragment statement: `k let ..` and `q let ..` (in `q let x = f(..)`, a call by a
   * bare name is the QPU operation `q::f(..)`), `k { .. }` (its statements, in the enclosing
   * scope: the guide observes its bindings after it), `q apply G to x` (`q::G(x)`),
   * `phi require e` and `constraint e` (`constrain e`), `within 10ms { .. }` (the block;
   * the bound is not enforced), or an ordinary statement.
   */
  fragmentStmt = this.RULE("fragmentStmt", (): A.Stmt[] => {
    const start = this.startOf();
    return this.OR([
      {
        GATE: () => (this.isWord(1, "k") || this.isWord(1, "q")) && this.la(2) === K.let,
        ALT: () => {
          const word = this.CONSUME(T.Identifier);
          const s = this.SUBRULE(this.letStmt);
          return this.ACTION(() => (s ? [word.image === "q" ? qpuInit(s, this.ident(word)) : s] : []));
        },
      },
      {
        GATE: () => this.isWord(1, "k") && this.la(2) === T.LBrace,
        ALT: () => {
          this.CONSUME2(T.Identifier);
          const b = this.SUBRULE(this.block);
          return this.ACTION(() => (!b ? [] : b.tail ? [...b.stmts, { kind: "ExprStmt" as const, expr: b.tail, hasSemi: true, span: b.tail.span }] : b.stmts));
        },
      },
      {
        GATE: () => this.isWord(1, "q") && this.isWord(2, "apply"),
        ALT: () => {
          const q = this.CONSUME3(T.Identifier);
          this.CONSUME4(T.Identifier);
          const gate = this.CONSUME5(T.Identifier);
          // Without `to`, one message at what stands there, and the targets are still read.
          this.OR2([
            { GATE: () => this.isWord(1, "to"), ALT: () => this.CONSUME6(T.Identifier) },
            {
              ALT: () =>
                this.ACTION(() => {
                  const at = this.LA(1);
                  this.issue(Unexpected.expected("`to`", `\`${at.image}\``), at.startOffset, tokEnd(at));
                }),
            },
          ]);
          const targets: A.Expr[] = [this.SUBRULE(this.expr, ANY)];
          this.MANY2(() => {
            this.CONSUME(T.Comma);
            const t = this.SUBRULE2(this.expr, ANY);
            this.ACTION(() => targets.push(t));
          });
          if (!this.endsWithoutSemi()) this.CONSUME(T.Semi);
          return this.ACTION(() => {
            const span = this.from(start);
            const g = this.ident(gate);
            const callee: A.PathExpr = {
              kind: "PathExpr",
              segments: [
                { kind: "PathExprSegment", name: this.ident(q), args: null, span: this.ident(q).span },
                { kind: "PathExprSegment", name: g, args: null, span: g.span },
              ],
              span: this.sp(q.startOffset, tokEnd(gate)),
            };
            return [{ kind: "ExprStmt" as const, expr: { kind: "CallExpr" as const, callee, args: targets, span }, hasSemi: true, span }];
          });
        },
      },
      {
        GATE: () => this.isWord(1, "phi") && this.isWord(2, "require"),
        ALT: () => {
          this.CONSUME7(T.Identifier);
          return [this.SUBRULE(this.dustV01Stmt, { ARGS: ["constrain"] })];
        },
      },
      { GATE: () => this.isWord(1, "constraint"), ALT: () => [this.SUBRULE2(this.dustV01Stmt, { ARGS: ["constrain"] })] },
      {
        GATE: () => this.isWord(1, "within"),
        ALT: () => {
          this.CONSUME8(T.Identifier);
          this.SUBRULE(this.literal);
          const b = this.SUBRULE2(this.block);
          return this.ACTION(() => {
            const span = this.from(start);
            if (!b) return [];
            return [{ kind: "ExprStmt" as const, expr: { kind: "BlockExpr" as const, block: b, isUnsafe: false, label: null, span }, hasSemi: true, span }];
          });
        },
      },
      { ALT: () => [this.SUBRULE(this.stmt)] },
    ]);
  });

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
      init = this.SUBRULE(this.expr, ANY);
      this.OPTION3(() => {
        this.CONSUME(K.else);
        elseBlock = this.SUBRULE(this.block);
      });
    });
    if (!this.endsWithoutSemi()) this.CONSUME(T.Semi);
    return this.ACTION(() => ({ kind: "LetStmt" as const, pattern, type, init, elseBlock, span: this.from(start) }));
  });


  override primary = this.RULE("primary", (ns: NoStruct): A.Expr => {
    this.primaryNs = ns;
    this.primaryStart = this.startOf();
    return this.OR(this.primaryAlts);
  });

  /** See `sepOrCloseAlts` (parser-base.ts): `primary`'s call, and the path a path expression continues from. */
  private primaryNs: NoStruct = false;
  private primaryStart = 0;
  private primaryPath: A.PathExpr = undefined as unknown as A.PathExpr;
  private readonly afterPathAlts = [
    {
      GATE: () => !this.primaryNs,
      ALT: (): A.Expr => this.SUBRULE(this.structLitBody, { ARGS: [this.primaryPath, this.primaryStart] }),
    },
    {
      GATE: () => this.primaryPath.segments.length === 1,
      ALT: (): A.Expr => {
        const path = this.primaryPath;
        const start = this.primaryStart;
        this.CONSUME(T.Bang);
        return this.SUBRULE(this.macroArgs, { ARGS: [path, start] });
      },
    },
    { ALT: (): A.Expr => this.primaryPath },
  ];
  private readonly primaryAlts = [
      { ALT: () => this.SUBRULE(this.literal) },
      {
        ALT: () => {
          const ns = this.primaryNs;
          const start = this.primaryStart;
          const path = this.SUBRULE(this.pathExpr);
          this.primaryNs = ns;
          this.primaryStart = start;
          this.primaryPath = path;
          return this.OR2(this.afterPathAlts);
        },
      },
      {
        ALT: () => {
          const start = this.primaryStart;
          this.CONSUME(T.LParen);
          const elements: A.Expr[] = [];
          let trailingComma = false;
          this.MANY({
            GATE: () => this.la(1) !== T.RParen,
            DEF: () => {
              const e = this.SUBRULE(this.expr, ANY);
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
          const start = this.primaryStart;
          this.CONSUME(T.LBracket);
          const elements: A.Expr[] = [];
          let repeat: A.Expr | null = null;
          this.OPTION2({
            GATE: () => this.la(1) !== T.RBracket,
            DEF: () => {
              const first = this.SUBRULE2(this.expr, ANY);
              this.ACTION(() => elements.push(first));
              this.OR3([
                {
                  ALT: () => {
                    this.CONSUME(T.Semi);
                    repeat = this.SUBRULE3(this.expr, ANY);
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
                            const e = this.SUBRULE4(this.expr, ANY);
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
  ];

  /** Expressions that end in a block: as statements they end there and need no `;`. */
  /** `blockLikeExpr`'s alternatives, made once; the call's start offset is in `blockLikeStart` (see `sepOrCloseAlts`, parser-base.ts). */
  private blockLikeStart: number = 0;
  private readonly blockLikeAlts = [
    {
      ALT: () => {
        const start = this.blockLikeStart;
        const block = this.SUBRULE(this.block);
        return this.ACTION(() => ({ kind: "BlockExpr" as const, block, isUnsafe: false, label: null, span: this.from(start) }));
      },
    },
    {
      ALT: () => {
        const start = this.blockLikeStart;
        this.CONSUME(K.unsafe);
        const block = this.SUBRULE2(this.block);
        return this.ACTION(() => ({ kind: "BlockExpr" as const, block, isUnsafe: true, label: null, span: this.from(start) }));
      },
    },
    { ALT: () => this.SUBRULE(this.ifExpr) },
    { ALT: () => this.SUBRULE(this.matchExpr) },
    { ALT: () => this.SUBRULE(this.loopLike, { ARGS: [null, this.blockLikeStart] }) },
    {
      ALT: () => {
        const start = this.blockLikeStart;
        const l = this.CONSUME(T.Label);
        this.CONSUME(T.Colon);
        return this.SUBRULE2(this.loopLike, { ARGS: [l, start] });
      },
    },
  ];

  override blockLikeExpr = this.RULE("blockLikeExpr", (): A.Expr => {
    const start = this.startOf();
    this.blockLikeStart = start;
    return this.OR(this.blockLikeAlts);
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
              base = this.SUBRULE(this.expr, ANY);
            },
          },
          {
            ALT: () => {
              const fstart = this.startOf();
              const name = this.OR2([{ ALT: () => this.SUBRULE(this.nameToken) }, { ALT: () => this.CONSUME(T.IntLit) }]);
              let value: A.Expr | null = null;
              this.OPTION(() => {
                this.CONSUME(T.Colon);
                value = this.SUBRULE2(this.expr, ANY);
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
    let matches: A.MatchExpr | null = null;
    this.OR([
      {
        // `matches!(value, pattern)` / `matches!(value, pattern if guard)`: its second
        // argument is a pattern, so it is parsed (and checked) as the `match` it stands for.
        GATE: () => this.la(1) === T.LParen && path.segments.length === 1 && path.segments[0]!.name.name === "matches",
        ALT: () => {
          this.CONSUME2(T.LParen);
          const scrutinee = this.SUBRULE4(this.expr, ANY);
          this.CONSUME2(T.Comma);
          const astart = this.startOf();
          const pattern = this.SUBRULE(this.pattern);
          let guard: A.Expr | null = null;
          this.OPTION2(() => {
            this.CONSUME(K.if);
            guard = this.SUBRULE5(this.expr, ANY);
          });
          this.OPTION3(() => this.CONSUME3(T.Comma));
          this.CONSUME2(T.RParen);
          this.ACTION(() => {
            const sp = this.from(astart);
            const arms: A.MatchArm[] = [
              { kind: "MatchArm", pattern, guard, body: { kind: "BoolLit", value: true, span: sp }, span: sp },
              { kind: "MatchArm", pattern: { kind: "WildcardPattern", span: sp }, guard: null, body: { kind: "BoolLit", value: false, span: sp }, span: sp },
            ];
            matches = { kind: "MatchExpr", scrutinee, arms, fromMatches: true, span: this.from(start) };
          });
        },
      },
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
                const first = this.SUBRULE(this.expr, ANY);
                this.OR3([
                  {
                    ALT: () => {
                      this.CONSUME(T.Semi);
                      const count = this.SUBRULE2(this.expr, ANY);
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
                            const e = this.SUBRULE3(this.expr, ANY);
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
    return this.ACTION((): A.Expr => matches ?? { kind: "MacroCallExpr" as const, name: path.segments[0]!.name, delimiter, isRepeat, args, span: this.from(start) });
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
          const value = this.SUBRULE(this.expr, NS);
          return this.ACTION(() => ({ kind: "LetCondExpr" as const, pattern, value, span: this.from(start) }));
        },
      },
      { ALT: () => this.SUBRULE2(this.expr, NS) },
    ]);
  });

  matchExpr = this.RULE("matchExpr", (): A.MatchExpr => {
    const start = this.startOf();
    this.CONSUME(K.match);
    const scrutinee = this.SUBRULE(this.expr, NS);
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
          guard = this.SUBRULE2(this.expr, ANY);
        });
        this.CONSUME(T.FatArrow);
        // Rust's rule, as for statements: a block-like body ends the arm, so `0 => {}` followed
        // by the arm `(a, b) => ..` is two arms, not a call of the block.
        const body = this.OR2([
          { GATE: () => BLOCK_LIKE_START.has(this.la(1)) && this.la(1) !== T.Label && !(this.la(1) === K.unsafe && this.la(2) === K.fn), ALT: () => this.SUBRULE(this.blockLikeExpr) },
          { ALT: () => this.SUBRULE3(this.expr, ANY) },
        ]);
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
          const iterable = this.SUBRULE(this.expr, NS);
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

  override closure = this.RULE("closure", (ns: NoStruct): A.ClosureExpr => {
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
      { ALT: () => (body = this.SUBRULE(this.expr, (ns ? NS : ANY))) },
    ]);
    return this.ACTION(() => ({ kind: "ClosureExpr" as const, isMove, params, returnType, body, span: this.from(start) }));
  });
}

/** `q let x = f(..)`: a call by a bare name is the QPU operation `q::f(..)` (semantic/qpu.ts). */
function qpuInit(s: A.LetStmt, q: A.Ident): A.LetStmt {
  const init = s.init;
  if (init?.kind !== "CallExpr" || init.callee.kind !== "PathExpr" || init.callee.segments.length !== 1) return s;
  const callee: A.PathExpr = { ...init.callee, segments: [{ kind: "PathExprSegment", name: q, args: null, span: q.span }, ...init.callee.segments] };
  return { ...s, init: { ...init, callee } };
}

/**
 * A `fn main()` the parser makes for a dustlang file: the call of a v0.1 file's K entry
 * process (parser.ts, `dustEntry`), or the process a file of fragments is (`fragmentModule`).
 */
export function syntheticMain(block: A.Block, at: A.Node["span"], span: A.Node["span"], proc?: A.DustProc): A.FnItem {
  return {
    kind: "FnItem",
    annotations: [],
    isPub: false,
    docs: [],
    name: { kind: "Ident", name: "main", span: at },
    isUnsafe: false,
    generics: [],
    selfParam: null,
    params: [],
    returnType: null,
    where: [],
    body: { kind: "block", block },
    ...(proc ? { proc } : {}),
    synthetic: true,
    span,
  };
}
