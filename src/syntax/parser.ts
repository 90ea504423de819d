/**
 * The parser (tokens → syntax tree): a chevrotain embedded-actions parser that builds our
 * own AST directly. Building a CST first costs about 4× the time and 10× the memory. This
 * file holds the items and the module; the rest of the grammar is in the classes it
 * extends (see parser-base.ts).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { OtherSurface, Unexpected } from "./messages.js";
import * as T from "./tokens.js";
import { EOF, type IToken, type TokenType } from "./chevrotain.js";
import type { Rule } from "chevrotain";
import type * as A from "./ast.js";
import { ANY, K, tokEnd, ITEM_START } from "./parser-base.js";
import { BlockRules, syntheticMain } from "./parse-blocks.js";
import { calleeName, walkNodes } from "./walk.js";
import { hasLookaheadStore, lookaheadStore, type StoredLookahead } from "./lookahead.js";
import { readRecordedGrammar, writeRecordedGrammar } from "./recorded-grammar.js";
import { openEntry, sealEntry } from "./sealed-entry.js";

/** The header format of the recorded grammar's cache entry (sealed-entry.ts). */
const GRAMMAR_ENTRY = "dplc-recorded-grammar";

export type { SyntaxIssue } from "./parser-base.js";

/** The chevrotain fields the constructor sets aside and restores (see there). */
interface RecoveryFields {
  recoveryEnabled: boolean;
  resyncFollows: Record<string, TokenType[]>;
  /** chevrotain keeps the strategy it was given (parser-base.ts) in this field. */
  lookaheadStrategy: StoredLookahead;
}

export class DplParser extends BlockRules {
  /**
   * `computeFollows`: let chevrotain compute the recovery follow sets while building (only
   * for a parser built to obtain them). Otherwise recovery is off during the self-analysis,
   * which skips that third of the build, and the sets come from the lookahead entry of the
   * user's cache: a pure function of the grammar, stored under the grammar's hash. The
   * first build (no entry yet) builds a second parser to obtain them.
   */
  constructor(computeFollows = !hasLookaheadStore()) {
    super();
    const self = this as unknown as RecoveryFields;
    if (computeFollows) {
      this.analyse();
      return;
    }
    self.recoveryEnabled = false;
    this.analyse();
    self.recoveryEnabled = true;
    const strategy = self.lookaheadStrategy;
    let follows = strategy.storedFollows();
    if (follows === null) {
      follows = (new DplParser(true) as unknown as RecoveryFields).resyncFollows;
      strategy.rememberFollows(follows);
    }
    self.resyncFollows = follows;
    strategy.save();
  }

  /**
   * chevrotain's self-analysis, with the grammar recording replayed from the user's cache
   * when the store has this build's (recorded-grammar.ts), and stored when it had not.
   */
  private analyse(): void {
    const store = lookaheadStore();
    const build = store?.build?.();
    if (!store || build === undefined) {
      this.performSelfAnalysis();
      return;
    }
    const entry = `parser-grammar-${store.tag}-${build.slice(0, 32)}.json`;
    const text = store.read(entry);
    const body = text === null ? null : openEntry(GRAMMAR_ENTRY, text);
    const rules = body === null ? null : readRecordedGrammar(body, build, tokensByName());
    const recorder = this as unknown as {
      topLevelRuleRecord?: (name: string, impl: unknown) => Rule;
      enableRecording?: () => void;
      disableRecording?: () => void;
      gastProductionsCache: Record<string, Rule>;
    };
    if (rules !== null && this.definedRuleNames().every((n) => rules.has(n)) && rules.size === this.definedRuleNames().length) {
      // Own properties shadow the recorder's methods. They stay (deleting a property after
      // chevrotain's toFastProperties would turn the parser's properties into a dictionary):
      // recording happens only in this analysis. Nothing runs a rule, so the recording DSL
      // methods (installed on the parser and deleted again, ~80 properties) are not needed.
      recorder.topLevelRuleRecord = (name) => rules.get(name)!;
      recorder.enableRecording = () => undefined;
      recorder.disableRecording = () => undefined;
      this.performSelfAnalysis();
      return;
    }
    this.performSelfAnalysis();
    const recorded = writeRecordedGrammar(build, Object.values(recorder.gastProductionsCache));
    if (recorded !== null) store.write(entry, sealEntry(GRAMMAR_ENTRY, recorded), `parser-grammar-${store.tag}-`);
  }

  private definedRuleNames(): string[] {
    return (this as unknown as { definedRulesNames: string[] }).definedRulesNames;
  }

  module = this.RULE("module", (): A.Module => {
    const items: A.Item[] = this.SUBRULE(this.items, { ARGS: [EOF] });
    // Consuming EOF puts it in the follow set of `items`, so recovery can stop there.
    this.CONSUME(EOF);
    return this.ACTION(() => {
      const entry = this.isDust() ? dustEntry(items, this.fileProcs) : null;
      return { kind: "Module" as const, file: this.src.name, items: entry ? [...items, entry] : items, docs: [], span: this.sp(0, this.src.text.length) };
    });
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

  override item = this.RULE(
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
        { ALT: () => this.SUBRULE(this.regimeFnItem, { ARGS: [start, base] }) },
        { ALT: () => this.SUBRULE(this.dustV01Item, { ARGS: [start, base] }) },
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
      value = this.SUBRULE(this.expr, ANY);
    });
    this.CONSUME(T.Semi);
    return this.ACTION(() => ({ kind: "ConstItem" as const, ...base, name: this.ident(name), storage, type, value, span: this.from(start) }));
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
                discriminant = this.SUBRULE(this.expr, ANY);
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

  protected isSelfParamStart(): boolean {
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
        else this.issue(Unexpected.expectedTraitBeforeFor(), first.span.start.offset, first.span.end.offset);
        first = selfType;
      });
    });
    this.OPTION3(() => this.SUBRULE(this.whereClause));
    const items = this.SUBRULE(this.itemBlock);
    return this.ACTION(() => ({ kind: "ImplItem" as const, ...base, generics, trait, selfType: first, items, span: this.from(start) }));
  });

  itemBlock = this.RULE("itemBlock", (): A.Item[] => {
    this.CONSUME(T.LBrace);
    let items: A.Item[] = [];
    this.itemNesting++;
    try {
      items = this.SUBRULE(this.items, { ARGS: [T.RBrace] });
    } finally {
      this.itemNesting--;
    }
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
              // Only a parse that defers bodies counts problems (chevrotain copies its errors to count them).
              const problems = this.deferItem === null ? 0 : this.problemCount();
              const it = this.SUBRULE(this.item);
              this.ACTION(() => {
                // As soon as it is parsed, also inside a module or an impl: a file whose items
                // all sit in one `mod m { }` would otherwise hold every body's tree at once.
                if (this.deferItem !== null && this.itemsInBlocks === 0 && this.problemCount() === problems) this.deferItem(it, this.itemNesting);
                items.push(it);
              });
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



  protected skipToNextItem(close: TokenType): void {
    const first = this.LA(1);
    let depth = 0;
    while (this.la(1) !== EOF) {
      const t = this.la(1);
      if (depth === 0 && (ITEM_START.has(t) || t === K.unsafe || t === close || t === T.DustRegime || t === T.DustItemWord)) break;
      if (t === T.LBrace || t === T.LParen || t === T.LBracket) depth++;
      if (t === T.RBrace || t === T.RParen || t === T.RBracket) depth = Math.max(0, depth - 1);
      this.SKIP_TOKEN();
    }
    this.issue(Unexpected.expectedItem(`\`${first.image}\``), first.startOffset, tokEnd(first));
  }

  // ---------------------------------------------------------------------------
  // The dustlang surface's items (see `Surface` in parser-base.ts).

  /**
   * v0.2's `K f(K[Int] n) -> K[Int] { .. }` and `K main { .. }`: a function of that regime.
   * Parameters are written type first (`K[Int] n`); v0.1's `n: T` is accepted too.
   */
  regimeFnItem = this.RULE("regimeFnItem", (start: number, base: any): A.FnItem => {
    const regime = this.CONSUME(T.DustRegime);
    const name = this.CONSUME2(T.Identifier);
    const params: A.Param[] = [];
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.MANY({
        GATE: () => this.la(1) !== T.RParen,
        DEF: () => {
          const pstart = this.startOf();
          this.OR([
            {
              GATE: () => this.la(1) === T.Identifier && this.la(2) === T.Colon,
              ALT: () => {
                const n = this.CONSUME3(T.Identifier);
                this.CONSUME(T.Colon);
                const type = this.SUBRULE(this.type);
                this.ACTION(() => params.push({ kind: "Param", pattern: this.bindingPattern(n), type, span: this.from(pstart) }));
              },
            },
            {
              ALT: () => {
                const type = this.SUBRULE2(this.type);
                const n = this.CONSUME4(T.Identifier);
                this.ACTION(() => params.push({ kind: "Param", pattern: this.bindingPattern(n), type, span: this.from(pstart) }));
              },
            },
          ]);
          this.SUBRULE(this.sepOrClose, { ARGS: [T.RParen] });
        },
      });
      this.CONSUME(T.RParen);
    });
    let returnType: A.Type | null = null;
    this.OPTION2(() => {
      this.CONSUME(T.Arrow);
      returnType = this.SUBRULE3(this.type);
    });
    const block = this.SUBRULE(this.block);
    return this.ACTION(() => {
      if (!this.isDust()) {
        const head = name.image === "main" && params.length === 0 ? "`fn main()`" : "`fn name(param: Type) -> Type`";
        this.issue(OtherSurface.dustFunction(regime.image, name.image, head), regime.startOffset, tokEnd(name));
      }
      const annotations: A.Annotation[] = [...base.annotations];
      // K is every function's default domain; the other regimes are written as `@domain`.
      if (regime.image !== "K") {
        const id = this.ident(regime);
        annotations.push({ kind: "Annotation", name: { ...id, name: "domain" }, args: [{ kind: "PathExpr", segments: [{ kind: "PathExprSegment", name: id, args: null, span: id.span }], span: id.span }], span: id.span });
      }
      return {
        kind: "FnItem" as const,
        ...base,
        annotations,
        name: this.ident(name),
        isUnsafe: false,
        generics: [],
        selfParam: null,
        params,
        returnType,
        where: [],
        body: { kind: "block" as const, block },
        span: this.from(start),
      };
    });
  });

  /**
   * The dustlang v0.1 items `forge`, `shape`, `proc` and `bind`. In an XDV file each is one
   * DPL1010 at its keyword and is skipped whole, so a file of the wrong surface gives one
   * clear message and no cascade.
   */
  dustV01Item = this.RULE("dustV01Item", (start: number, base: any): A.Item => {
    return this.OR([
      { GATE: () => this.isDust() && this.LA(1).image === "forge", ALT: () => this.SUBRULE(this.forgeItem, { ARGS: [start, base] }) },
      { GATE: () => this.isDust() && this.LA(1).image === "shape", ALT: () => this.SUBRULE(this.shapeItem, { ARGS: [start, base] }) },
      { GATE: () => this.isDust() && this.LA(1).image === "proc", ALT: () => this.SUBRULE(this.procItem, { ARGS: [start, base] }) },
      { GATE: () => this.isDust() && this.LA(1).image === "bind", ALT: () => this.SUBRULE(this.bindItem, { ARGS: [start, base] }) },
      { ALT: () => this.SUBRULE(this.foreignV01Item, { ARGS: [start, base] }) },
    ]);
  });

  foreignV01Item = this.RULE("foreignV01Item", (start: number, base: any): A.Item => {
    const word = this.CONSUME(T.DustItemWord);
    this.ACTION(() =>
      this.issue(OtherSurface.dustV01Item(word.image), word.startOffset, tokEnd(word)),
    );
    // Skip to the end of the item's first `{ .. }` (the whole forge, shape, process or
    // contract), so the next item starts clean.
    if (!this.isRecording()) {
      let depth = 0;
      while (this.la(1) !== EOF) {
        const t = this.la(1);
        this.SKIP_TOKEN();
        if (t === T.LBrace) depth++;
        else if (t === T.RBrace && --depth <= 0) break;
      }
    }
    return this.ACTION(() => ({ kind: "ErrorItem" as const, ...base, span: this.from(start) }));
  });

  /** `forge Name { .. }`: a namespace, which is a module (`mod Name { .. }`) of public items. */
  forgeItem = this.RULE("forgeItem", (start: number, base: any): A.ModItem => {
    this.CONSUME(T.DustItemWord);
    const name = this.CONSUME(T.Identifier);
    this.forgeBinds.push([]);
    let items: A.Item[] = [];
    try {
      items = this.SUBRULE(this.itemBlock);
    } finally {
      var binds = this.forgeBinds.pop() ?? [];
    }
    return this.ACTION(() => {
      const forge = this.ident(name);
      const kept = items.filter((it) => !(it.kind === "ErrorItem" && (it as { bind?: unknown }).bind));
      // A process may call across regimes those it is bound to, in either direction: the
      // bind's arrow is the direction data flows, and the examples call from either end.
      const procs = new Map<string, A.DustProc>();
      for (const it of kept) if (it.kind === "FnItem" && it.proc) procs.set(it.name.name, it.proc);
      for (const b of binds) {
        procs.get(b.from.name.name)?.bound.add(b.to.name.name);
        procs.get(b.to.name.name)?.bound.add(b.from.name.name);
      }
      for (const it of kept) if (it.kind === "FnItem" && it.proc?.regime === "K") this.fileProcs.push({ forge, fn: it });
      return { kind: "ModItem" as const, ...base, isPub: true, name: forge, items: kept, forge: { binds }, span: this.from(start) };
    });
  });

  /**
   * `{ element; element, .. }`: the braced lists of the v0.1 items (a shape's fields, a
   * contract's clauses), whose elements end with `;` or `,` (the sketches write both), the
   * last one optionally. Not a rule: its steps are the calling rule's, numbered 9 so that
   * they never meet the caller's own.
   */
  protected dustBracedList(element: () => void): void {
    this.CONSUME9(T.LBrace);
    this.MANY9({
      GATE: () => this.la(1) !== T.RBrace,
      DEF: () => {
        element();
        this.OR9([
          { ALT: () => this.CONSUME9(T.Semi) },
          { ALT: () => this.CONSUME9(T.Comma) },
          { GATE: () => this.la(1) === T.RBrace, ALT: () => undefined },
        ]);
      },
    });
    this.CONSUME9(T.RBrace);
  }

  /** `shape Name { field: Type; .. }`: a struct (fields end with `;`, or `,` as in the sketches). */
  shapeItem = this.RULE("shapeItem", (start: number, base: any): A.StructItem => {
    this.CONSUME(T.DustItemWord);
    const name = this.CONSUME(T.Identifier);
    const fields: A.FieldDecl[] = [];
    this.dustBracedList(() => {
      const fstart = this.startOf();
      const f = this.CONSUME2(T.Identifier);
      this.CONSUME(T.Colon);
      const type = this.SUBRULE(this.type);
      this.ACTION(() => fields.push({ kind: "FieldDecl", isPub: true, name: this.ident(f), type, docs: [], span: this.from(fstart) }));
    });
    return this.ACTION(() => ({ kind: "StructItem" as const, ...base, isPub: true, name: this.ident(name), generics: [], body: { kind: "named" as const, fields }, span: this.from(start) }));
  });

  /**
   * `proc R::name(p: T, ..) uses Res(k=v), .. -> T linear { .. }`: a public function of
   * regime R (`@domain(Q)`/`@domain(Φ)` as in v0.2). `uses` may come before or after the
   * return type, as the examples write it.
   */
  procItem = this.RULE("procItem", (start: number, base: any): A.FnItem => {
    this.CONSUME(T.DustItemWord);
    const regime = this.CONSUME(T.Identifier);
    this.CONSUME(T.PathSep);
    const name = this.CONSUME2(T.Identifier);
    const params: A.Param[] = [];
    const uses: A.DustUses[] = [];
    let linear = false;
    this.CONSUME(T.LParen);
    this.MANY({
      GATE: () => this.la(1) !== T.RParen,
      DEF: () => {
        const pstart = this.startOf();
        const n = this.CONSUME3(T.Identifier);
        this.CONSUME(T.Colon);
        const type = this.SUBRULE(this.type);
        this.ACTION(() => params.push({ kind: "Param", pattern: this.bindingPattern(n), type, span: this.from(pstart) }));
        this.SUBRULE(this.sepOrClose, { ARGS: [T.RParen] });
      },
    });
    this.CONSUME(T.RParen);
    this.MANY2({ GATE: () => this.isWord(1, "uses"), DEF: () => this.SUBRULE(this.usesClause, { ARGS: [uses] }) });
    let returnType: A.Type | null = null;
    this.OPTION(() => {
      this.CONSUME(T.Arrow);
      returnType = this.SUBRULE2(this.type);
    });
    this.MANY3({
      GATE: () => this.isWord(1, "uses") || this.isWord(1, "linear"),
      DEF: () => {
        this.OR([
          { GATE: () => this.isWord(1, "uses"), ALT: () => this.SUBRULE2(this.usesClause, { ARGS: [uses] }) },
          {
            ALT: () => {
              this.CONSUME4(T.Identifier);
              linear = true;
            },
          },
        ]);
      },
    });
    this.procStmts.push([]);
    let block!: A.Block;
    try {
      block = this.SUBRULE(this.block);
    } finally {
      var stmts = this.procStmts.pop() ?? [];
    }
    return this.ACTION(() => {
      const r = regime.image === "Phi" ? "Φ" : regime.image;
      if (r !== "K" && r !== "Q" && r !== "Φ") this.issue(Unexpected.expectedRegime(regime.image, name.image), regime.startOffset, tokEnd(regime));
      const annotations: A.Annotation[] = [...base.annotations];
      if (r === "Q" || r === "Φ") {
        const id = this.ident(regime);
        annotations.push({ kind: "Annotation", name: { ...id, name: "domain" }, args: [{ kind: "PathExpr", segments: [{ kind: "PathExprSegment", name: { ...id, name: r }, args: null, span: id.span }], span: id.span }], span: id.span });
      }
      const rt: A.Type | null = returnType;
      const proc: A.DustProc = { regime: r === "Q" || r === "Φ" ? r : "K", linear, uses, stmts, bound: new Set() };
      return {
        kind: "FnItem" as const,
        ...base,
        isPub: true,
        annotations,
        name: this.ident(name),
        isUnsafe: false,
        generics: [],
        selfParam: null,
        params,
        returnType: rt,
        where: [],
        body: { kind: "block" as const, block: rt === null ? discardReturnValues(block) : block },
        proc,
        span: this.from(start),
      };
    });
  });

  /** `uses Name(arg, key = value, ..)`, and more after commas (`uses Timer(..), Console(..)`). */
  usesClause = this.RULE("usesClause", (uses: A.DustUses[]): void => {
    this.CONSUME(T.Identifier);
    this.AT_LEAST_ONE_SEP({
      SEP: T.Comma,
      DEF: () => {
        const ustart = this.startOf();
        const resource = this.CONSUME2(T.Identifier);
        let args: A.Expr[] = [];
        this.OPTION(() => {
          this.CONSUME(T.LParen);
          args = this.SUBRULE(this.exprList, { ARGS: [T.RParen] });
          this.CONSUME(T.RParen);
        });
        this.ACTION(() => uses.push({ resource: this.ident(resource), args, span: this.from(ustart) }));
      },
    });
  });

  /** `bind A -> B contract { attribute op value; .. }`: kept on the forge (`A.DustForge`). */
  bindItem = this.RULE("bindItem", (start: number, base: any): A.Item => {
    const word = this.CONSUME(T.DustItemWord);
    const from = this.SUBRULE(this.procRef);
    this.CONSUME(T.Arrow);
    const to = this.SUBRULE2(this.procRef);
    const kw = this.CONSUME(T.Identifier);
    const clauses: A.DustContractClause[] = [];
    this.dustBracedList(() => {
      const cstart = this.startOf();
      const attribute = this.CONSUME2(T.Identifier);
      const op = this.OR([
        { ALT: () => this.CONSUME(T.EqEq) },
        { ALT: () => this.CONSUME(T.Eq) },
        { ALT: () => this.CONSUME(T.LtEq) },
        { ALT: () => this.CONSUME(T.GtEq) },
        { ALT: () => this.CONSUME(T.Lt) },
        { ALT: () => this.CONSUME(T.Gt) },
      ]);
      const value = this.OR2([{ ALT: () => this.SUBRULE(this.literal) }, { ALT: () => this.SUBRULE(this.pathExpr) }]);
      this.ACTION(() => clauses.push({ attribute: this.ident(attribute), op: op.image as A.DustContractClause["op"], value, span: this.from(cstart) }));
    });
    return this.ACTION(() => {
      if (kw.image !== "contract") this.issue(Unexpected.expected("`contract`", `\`${kw.image}\``), kw.startOffset, tokEnd(kw));
      const bind: A.DustBind = { from, to, clauses, span: this.from(start) };
      const binds = this.forgeBinds[this.forgeBinds.length - 1];
      if (binds) binds.push(bind);
      else this.issue(Unexpected.bindOutsideForge(), word.startOffset, tokEnd(word));
      return { kind: "ErrorItem" as const, ...base, bind, span: this.from(start) } as A.ErrorItem;
    });
  });

  /** `K::name` or `name`. */
  procRef = this.RULE("procRef", (): A.DustProcRef => {
    const start = this.startOf();
    const first = this.CONSUME(T.Identifier);
    let second: IToken | null = null;
    this.OPTION(() => {
      this.CONSUME(T.PathSep);
      second = this.CONSUME2(T.Identifier);
    });
    return this.ACTION(() => {
      const s2: IToken | null = second;
      if (!s2) return { regime: null, name: this.ident(first), span: this.from(start) };
      const r = first.image === "Phi" ? "Φ" : first.image;
      if (r !== "K" && r !== "Q" && r !== "Φ") this.issue(Unexpected.expectedRegime(first.image), first.startOffset, tokEnd(first));
      return { regime: r === "Q" || r === "Φ" ? r : "K", name: this.ident(s2), span: this.from(start) };
    });
  });

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

}

/**
 * A v0.1 file has no `main`: its entry is a K process, `K::main` if there is one, else the
 * one K process without parameters that no process of the file calls (the examples' one
 * orchestrating process). dplc adds `fn main() { let _ = Forge::entry(); }` for it, which
 * `dplc run` runs; with no such process, or several, the file has no entry.
 */
let tokenNames: Map<string, TokenType> | undefined;

/** The token types a recorded grammar may name. */
function tokensByName(): Map<string, TokenType> {
  if (tokenNames) return tokenNames;
  tokenNames = new Map(T.allTokens.map((t) => [t.name, t]));
  tokenNames.set(EOF.name, EOF);
  return tokenNames;
}

function dustEntry(items: readonly A.Item[], procs: readonly { forge: A.Ident; fn: A.FnItem }[]): A.FnItem | null {
  if (procs.length === 0 || items.some((it) => it.kind === "FnItem" && it.name.name === "main")) return null;
  const called = new Set<string>();
  walkNodes(items, (n) => {
    if (n.kind === "CallExpr") {
      const name = calleeName(n as A.CallExpr);
      if (name) called.add(name);
    }
  });
  const main = procs.filter((p) => p.fn.name.name === "main");
  const roots = main.length > 0 ? main : procs.filter((p) => p.fn.params.length === 0 && !called.has(p.fn.name.name));
  if (roots.length !== 1) return null;
  const { forge, fn } = roots[0]!;
  const at = fn.name.span;
  const callee: A.PathExpr = {
    kind: "PathExpr",
    segments: [
      { kind: "PathExprSegment", name: forge, args: null, span: at },
      { kind: "PathExprSegment", name: fn.name, args: null, span: at },
    ],
    span: at,
  };
  const call: A.CallExpr = { kind: "CallExpr", callee, args: [], span: at };
  const stmt: A.LetStmt = { kind: "LetStmt", pattern: { kind: "WildcardPattern", span: at }, type: null, init: call, elseBlock: null, span: at };
  return syntheticMain({ kind: "Block", stmts: [stmt], tail: null, span: at }, at, at);
}

/**
 * A process without a return type returns no value, yet the examples end with `return 0;`
 * (k_hello_world): the value is evaluated and dropped, and the process returns (see
 * docs/language.md for this decision).
 */
function discardReturnValues(block: A.Block): A.Block {
  const stmts: A.Stmt[] = [];
  for (const s of block.stmts) {
    if (s.kind === "ExprStmt" && s.expr.kind === "ReturnExpr" && s.expr.value) {
      const v = s.expr.value;
      stmts.push({ kind: "LetStmt", pattern: { kind: "WildcardPattern", span: v.span }, type: null, init: v, elseBlock: null, span: v.span });
      stmts.push({ ...s, expr: { ...s.expr, value: null } });
    } else stmts.push(s);
  }
  return { ...block, stmts };
}
