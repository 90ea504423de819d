/**
 * The parser's foundation: token sets, span and token helpers, recovery values, and the
 * rules every other part uses (`nameToken`, `sepOrClose`). The grammar is split by
 * concept into a chain of classes, each adding its rules:
 *
 *   ParserBase → TypeRules → PatternRules → ExprRules → BlockRules → DplParser (items)
 *
 * Rules that an earlier class calls but a later class defines are `declare`d here.
 *
 * Conventions: every node is built inside `ACTION` (chevrotain runs rule bodies once in a
 * "recording" phase with placeholder tokens, where actions are skipped). Rules take a
 * `ns` ("no struct literal") flag for the scrutinee of `if`/`while`/`match`/`for`, where
 * `x { ... }` is a condition followed by a block, as in Rust. The grammar is LL(1): every
 * decision that needs more than one token of lookahead says so in a GATE.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { SyntaxCode, SyntaxMessage } from "./messages.js";
import { StoredLookahead } from "./lookahead.js";
import * as T from "./tokens.js";
import { EmbeddedActionsParser, type IToken, type TokenType } from "./chevrotain.js";
import type { IRuleConfig, ParserMethod } from "chevrotain";
import type * as A from "./ast.js";
import { OffsetSpan, SourceFile } from "./source.js";

export const K = T.Keywords;

export interface SyntaxIssue {
  readonly code: SyntaxCode;
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export const ITEM_START = new Set<TokenType>([K.fn, K.struct, K.enum, K.impl, K.trait, K.use, K.mod, K.const, K.static, K.type, K.pub, T.At, T.Pound]);

export const EXPR_START = new Set<TokenType>([
  T.IntLit, T.FloatLit, T.StringLit, T.CharLit, K.true, K.false, T.Identifier, K.self, K.Self,
  T.LParen, T.LBracket, T.LBrace, T.Bang, T.Minus, T.Star, T.And, T.AndAnd, T.Or, T.OrOr,
  K.if, K.match, K.while, K.loop, K.for, K.unsafe, K.return, K.break, K.continue, K.move,
  T.Label, T.DotDot, T.DotDotEq,
]);

export const BLOCK_LIKE_START = new Set<TokenType>([T.LBrace, K.unsafe, K.if, K.match, K.while, K.loop, K.for, T.Label]);

export const ASSIGN_OPS = new Map<TokenType, A.AssignOp>([
  [T.Eq, "="], [T.PlusEq, "+="], [T.MinusEq, "-="], [T.StarEq, "*="], [T.SlashEq, "/="],
  [T.PercentEq, "%="], [T.CaretEq, "^="], [T.AndEq, "&="], [T.OrEq, "|="], [T.ShlEq, "<<="],
]);

export const SIMPLE_BIN_OPS = new Map<TokenType, A.BinaryOp>([
  [T.OrOr, "||"], [T.AndAnd, "&&"], [T.EqEq, "=="], [T.NotEq, "!="], [T.Lt, "<"], [T.LtEq, "<="],
  [T.GtEq, ">="], [T.Or, "|"], [T.Caret, "^"], [T.And, "&"], [T.Shl, "<<"], [T.Plus, "+"],
  [T.Minus, "-"], [T.Star, "*"], [T.Slash, "/"], [T.Percent, "%"],
]);

export type NoStruct = boolean;

/** Shared argument objects for expression rules: allocating them per call showed in profiles. */
export const NS = { ARGS: [true] as [NoStruct] };
export const ANY = { ARGS: [false] as [NoStruct] };

export function tokEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}

/**
 * Which surface of DPL a file is written in: the XDV dialect, or the dustlang surface of the
 * official repositories (`K main { .. }`, `K f(K[Int] n) -> K[Int]`, `emit`, `mut let`).
 * One grammar serves both: the dustlang forms are alternatives gated on this flag, and
 * they build the same syntax tree as their XDV equivalents.
 */
export type Surface = "xdv" | "dust";

/** The regimes of the dustlang surface, which are DPL's domains. */
export const REGIMES = new Set(["K", "Q", "Φ", "Phi"]);

export abstract class ParserBase extends EmbeddedActionsParser {
  src!: SourceFile;
  issues: SyntaxIssue[] = [];
  surface: Surface = "xdv";
  /**
   * Inside a v0.1 `proc` body (its statements `constrain`, `prove`, `observe`, `seal` are
   * keywords there) and the v0.1 statements seen so far in it; inside a `forge`, its binds.
   * Stacks, as a rule that recovery abandons leaves the counts to `finally`.
   */
  procStmts: A.DustStmt[][] = [];
  /** A file of dust-by-example fragments (`k let x: Int = 2`): parsed by `fragmentModule`. */
  fragment = false;
  forgeBinds: A.DustBind[][] = [];
  /** The top-level `K` processes of a v0.1 file, for its entry (see `dustEntry` in parser.ts). */
  fileProcs: { forge: A.Ident; fn: A.FnItem }[] = [];
  /** Where a v0.1 statement ended at a line break: the start of its last token (for fmt). */
  lineEnds: number[] = [];
  /**
   * Called with each item parsed without a problem (top-level or in the item block of one,
   * at its depth; not one declared in a function body), when the parse defers
   * function bodies (ParseOptions.deferBodies in parse.ts).
   */
  deferItem: ((item: A.Item, depth: number) => void) | null = null;
  /** How many item blocks (`mod m {`, `impl T {`, `trait T {`) enclose the items being parsed: their depth in the tree walk of limits.ts. */
  itemNesting = 0;
  /** How many items declared in blocks enclose the parse: the items in those are never deferred. */
  itemsInBlocks = 0;

  /** Grows with every problem found: equal before and after a rule means the rule found none. */
  protected problemCount(): number {
    return this.issues.length + this.errors.length;
  }

  // Rules defined further down the class chain.
  declare expr: ParserMethod<[NoStruct], A.Expr>;
  declare exprList: ParserMethod<[TokenType], A.Expr[]>;
  declare pathExpr: ParserMethod<[], A.PathExpr>;
  declare literal: ParserMethod<[], A.Expr>;
  declare primary: ParserMethod<[NoStruct], A.Expr>;
  declare closure: ParserMethod<[NoStruct], A.ClosureExpr>;
  declare blockLikeExpr: ParserMethod<[], A.Expr>;
  declare block: ParserMethod<[], A.Block>;
  declare item: ParserMethod<[], A.Item>;

  constructor() {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 1, skipValidations: true, lookaheadStrategy: new StoredLookahead(T.allTokens, 1) });
  }


  /**
   * Every rule gets a recovery value: when chevrotain's re-sync recovery abandons a rule,
   * its caller receives a well-formed `Error*` node (or an empty list) instead of
   * `undefined`, so that building the rest of the tree cannot fail.
   */
  protected override RULE<F extends (...args: any[]) => any>(name: string, impl: F, config?: IRuleConfig<ReturnType<F>>): ParserMethod<Parameters<F>, ReturnType<F>> {
    return super.RULE(name, impl, { recoveryValueFunc: (e: any) => this.recoveryValue(name, e) as ReturnType<F>, ...config });
  }

  /**
   * The function a rule runs as when another rule calls it (chevrotain's `coreRule`), without
   * the per-call allocations of chevrotain's own: that one takes its arguments as a rest
   * array (`...args`, then `impl.apply`), one array per rule call, and a parse makes a rule
   * call for every few characters. Rules here take at most three arguments. Everything
   * else is chevrotain's: the rule stack, and recovery through `invokeRuleCatch`.
   */
  protected defineRule(name: string, impl: (...args: any[]) => unknown, config: IRuleConfig<unknown>): unknown {
    const rule = (EmbeddedActionsParser.prototype as any).defineRule.call(this, name, impl, config);
    const shortName: number = (this as any).fullRuleNameToShort[name];
    const resyncEnabled = config.resyncEnabled ?? true;
    const recoveryValueFunc = config.recoveryValueFunc;
    rule.coreRule = function invokeRule(this: any, a: unknown, b: unknown, c: unknown): unknown {
      try {
        this.ruleInvocationStateUpdate(shortName, name, this.subruleIdx);
        return impl.call(this, a, b, c);
      } catch (e) {
        return this.invokeRuleCatch(e, resyncEnabled, recoveryValueFunc);
      } finally {
        this.ruleFinallyStateUpdate();
      }
    };
    return rule;
  }

  /**
   * chevrotain's `OPTION` with a `GATE` wraps the gate and the lookahead in a new closure on
   * every call; this tests them in turn (same order, same result) without one.
   */
  protected optionInternalLogic(def: any, _occurrence: number, key: number): unknown {
    const la = (this as any).getLaFuncFromCache(key);
    if (typeof def === "function") return la.call(this) === true ? def.call(this) : undefined;
    const gate = def.GATE;
    if (gate !== undefined && !gate.call(this)) return undefined;
    return la.call(this) === true ? def.DEF.call(this) : undefined;
  }

  protected recoveryValue(rule: string, e: any): unknown {
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
      case "pattern":
      case "patternNoOr":
      case "pathPattern":
        return { kind: "ErrorPattern", span };
      case "type":
        return { kind: "ErrorType", span };
      case "stmt":
        return { kind: "ExprStmt", expr: { kind: "ErrorExpr", span }, hasSemi: true, span };
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
      case "stmtEnd":
        return undefined;
      case "callArgs":
        return { args: [], names: null };
      case "item":
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

  protected sp(start: number, end: number): OffsetSpan {
    return this.src.span(start, end);
  }

  /** Span from a start offset to the end of the last consumed token. */
  protected from(start: number): OffsetSpan {
    const last = this.LA(0);
    const end = last && last.image !== undefined && !Number.isNaN(last.startOffset) ? tokEnd(last) : start;
    return this.src.span(start, Math.max(start, end));
  }

  protected ident(tok: IToken): A.Ident {
    return { kind: "Ident", name: tok.image, span: this.sp(tok.startOffset, tok.startOffset + tok.image.length) };
  }

  /** Report a message of the syntax family (messages.ts) over `start..end`. */
  protected issue(m: SyntaxMessage, start: number, end: number): void {
    this.issues.push({ code: m.code, message: m.message, start, end });
  }

  protected isAdjacent(a: IToken, b: IToken): boolean {
    return tokEnd(a) === b.startOffset;
  }

  protected la(n: number): TokenType {
    return this.LA(n).tokenType;
  }

  protected startOf(): number {
    return this.LA(1).startOffset;
  }

  /** Whether token `n` ahead is the identifier `word` (the dustlang surface's contextual keywords). */
  protected isWord(n: number, word: string): boolean {
    const t = this.LA(n);
    return t.tokenType === T.Identifier && t.image === word;
  }

  protected bindingPattern(tok: IToken, isMut = false): A.BindingPattern {
    return { kind: "BindingPattern", name: this.ident(tok), isMut, isRef: false, subpattern: null, span: this.ident(tok).span };
  }

  protected isDust(): boolean {
    return this.surface === "dust";
  }

  protected inProc(): boolean {
    return this.procStmts.length > 0;
  }

  /** Between list elements: a comma, unless the list closes here. */
  sepOrClose = this.RULE("sepOrClose", (close: TokenType): void => {
    this.sepClose = close;
    this.OR(this.sepOrCloseAlts);
  });

  /**
   * Alternatives are made once, not on every call (chevrotain's advice for a fast parser:
   * an array literal of closures in `OR` is several objects per decision). What a call's
   * alternatives need from it is put in a field just before `OR`: gates read it there, and an
   * alternative copies it before it parses anything (a nested rule may set it again).
   */
  private sepClose: TokenType = T.Comma;
  private readonly sepOrCloseAlts = [
    { GATE: () => this.la(1) === this.sepClose, ALT: () => undefined },
    {
      ALT: () => {
        this.CONSUME(T.Comma);
      },
    },
  ];

  nameToken = this.RULE("nameToken", (): IToken => {
    return this.OR(this.nameTokenAlts);
  });

  private readonly nameTokenAlts = [
    { ALT: () => this.CONSUME(T.Identifier) },
    { ALT: () => this.CONSUME(K.self) },
    { ALT: () => this.CONSUME(K.Self) },
    { ALT: () => this.CONSUME(K.type) },
  ];

  /**
   * The elements a list rule had parsed when an error escaped from it: chevrotain's
   * re-sync recovery replaces the rule's value, and without this the items or statements
   * before the error would be lost to the editor and the checker.
   */
  protected lastPartial: unknown[] = [];

  protected takePartial<E>(): E[] {
    const p = this.lastPartial as E[];
    this.lastPartial = [];
    return p;
  }

  protected isRecording(): boolean {
    return (this as unknown as { RECORDING_PHASE: boolean }).RECORDING_PHASE;
  }
}
