/**
 * How the parser decides between alternatives: chevrotain's LL(k) strategy, with two
 * changes that matter for a command-line tool.
 *
 * 1. The lookahead sets are kept in the user's cache between runs. Computing them is the
 *    largest part of building the parser (about a third of a one-line `dplc check` once
 *    the stdlib comes from the cache). They are a pure function of the recorded grammar,
 *    so an entry is named by a hash of the serialized grammar and the token vocabulary: a
 *    changed grammar simply finds no entry. The file is data (token names), checked
 *    against the vocabulary; anything unexpected means "compute them". Where entries are
 *    kept is the workspace stage's business (`setLookaheadStore`); without a store the
 *    sets are computed every time.
 *    The follow sets chevrotain's error recovery resynchronises on are kept in the same
 *    entry (`storedFollows`): computing them was another third of building the parser.
 * 2. The decision functions allocate nothing: chevrotain's version for an alternation
 *    with gates maps the alternatives to an array of gates on every call.
 */
import { createHash } from "node:crypto";
import type { IOrAlt, Rule, TokenType } from "chevrotain";
import { EOF, getLookaheadPaths, LLkLookaheadStrategy, serializeGrammar } from "./chevrotain.js";
import { openEntry, sealEntry } from "./sealed-entry.js";

type Paths = TokenType[][][];
type Named = string[][][];
/** What chevrotain calls a decision function with: `this` is the parser. */
interface Reader {
  LA_FAST(i: number): { tokenTypeIdx: number };
}
type ProdType = "Option" | "Repetition" | "RepetitionMandatory" | "RepetitionMandatoryWithSeparator" | "RepetitionWithSeparator" | "Alternation";

const FORMAT = "dplc-lookahead 2";

/** Where lookahead entries are kept between runs. */
export interface LookaheadStore {
  /** Names this installation's entries apart from another's in the same folder. */
  readonly tag: string;
  read(name: string): string | null;
  /** `replaces`: the prefix of older entries this one makes obsolete. */
  write(name: string, text: string, replaces: string): void;
  /**
   * Names the compiled parser: the recorded grammar is kept under it (parser.ts). Without
   * it the grammar is recorded every time.
   */
  build?(): string;
}

let store: LookaheadStore | null = null;

export function setLookaheadStore(s: LookaheadStore | null): void {
  store = s;
}

export function lookaheadStore(): LookaheadStore | null {
  return store;
}

/** Whether entries are kept between runs (without a store, nothing is worth deferring). */
export function hasLookaheadStore(): boolean {
  return store !== null;
}

function matches(tokenTypeIdx: number, t: TokenType): boolean {
  const tt = t as TokenType & { tokenTypeIdx: number; isParent?: boolean; categoryMatchesMap?: Record<number, boolean> };
  return tokenTypeIdx === tt.tokenTypeIdx || (tt.isParent === true && tt.categoryMatchesMap?.[tokenTypeIdx] === true);
}

/**
 * Token type index → the first alternative it starts (LL(1), every path one token long).
 * The table is dense, one slot per token type, filled with `undefined` up front: assigning
 * scattered indexes into an empty array made it holey (or a dictionary), and this lookup
 * runs at every decision of the parse (it was 7% of parsing in a profile).
 */
function firstTokenTable(alts: Paths): (number | undefined)[] | null {
  let size = 0;
  for (const alt of alts) {
    for (const path of alt) {
      if (path.length !== 1) return null;
      const t = path[0] as TokenType & { tokenTypeIdx: number; categoryMatches?: number[] };
      size = Math.max(size, t.tokenTypeIdx + 1);
      for (const sub of t.categoryMatches ?? []) size = Math.max(size, sub + 1);
    }
  }
  const table = new Array<number | undefined>(Math.max(size, TOKEN_TYPE_SLOTS)).fill(undefined);
  for (let a = 0; a < alts.length; a++) {
    for (const path of alts[a]!) {
      const t = path[0] as TokenType & { tokenTypeIdx: number; categoryMatches?: number[] };
      table[t.tokenTypeIdx] ??= a;
      for (const sub of t.categoryMatches ?? []) table[sub] ??= a;
    }
  }
  return table;
}

/**
 * At least as many slots as there are token types (chevrotain numbers them from 0), so
 * that a lookup never reads past a table's end, which would make the access site
 * polymorphic in-bounds/out-of-bounds.
 */
const TOKEN_TYPE_SLOTS = 128;

function pathMatches(r: Reader, path: readonly TokenType[]): boolean {
  for (let i = 0; i < path.length; i++) if (!matches(r.LA_FAST(i + 1).tokenTypeIdx, path[i]!)) return false;
  return true;
}

/**
 * Token type index → the alternatives it starts, in order (LL(1)), for alternations with
 * gates: only those alternatives' gates are asked, not every gate before the first match.
 */
function candidateTable(alts: Paths): (readonly number[] | undefined)[] {
  const table = new Array<number[] | undefined>(TOKEN_TYPE_SLOTS).fill(undefined);
  const add = (idx: number, a: number): void => {
    while (table.length <= idx) table.push(undefined);
    const list = (table[idx] ??= []);
    if (list[list.length - 1] !== a) list.push(a);
  };
  for (let a = 0; a < alts.length; a++) {
    for (const path of alts[a]!) {
      const t = path[0] as TokenType & { tokenTypeIdx: number; categoryMatches?: number[] };
      add(t.tokenTypeIdx, a);
      for (const sub of t.categoryMatches ?? []) add(sub, a);
    }
  }
  return table;
}

function alternationFunction(alts: Paths, hasPredicates: boolean): (this: Reader, orAlts?: IOrAlt<unknown>[]) => number | undefined {
  const table = firstTokenTable(alts);
  if (!hasPredicates && table) {
    return function (this: Reader) {
      return table[this.LA_FAST(1).tokenTypeIdx];
    };
  }
  if (table) {
    // The same answer as the general loop below (the first alternative whose gate is not
    // false and whose first token matches), asking only the gates of alternatives that can
    // start with the next token; gates are pure tests of the lookahead.
    const candidates = candidateTable(alts);
    return function (this: Reader, orAlts?: IOrAlt<unknown>[]) {
      const list = candidates[this.LA_FAST(1).tokenTypeIdx];
      if (list === undefined) return undefined;
      for (let i = 0; i < list.length; i++) {
        const a = list[i]!;
        const gate = (orAlts?.[a] as { GATE?: (this: Reader) => boolean } | undefined)?.GATE;
        if (gate !== undefined && gate.call(this) === false) continue;
        return a;
      }
      return undefined;
    };
  }
  return function (this: Reader, orAlts?: IOrAlt<unknown>[]) {
    for (let a = 0; a < alts.length; a++) {
      const gate = (orAlts?.[a] as { GATE?: (this: Reader) => boolean } | undefined)?.GATE;
      if (gate !== undefined && gate.call(this) === false) continue;
      for (const path of alts[a]!) if (pathMatches(this, path)) return a;
    }
    return undefined;
  };
}

function optionalFunction(paths: TokenType[][]): (this: Reader) => boolean {
  const table = firstTokenTable([paths]);
  if (table) {
    return function (this: Reader) {
      return table[this.LA_FAST(1).tokenTypeIdx] === 0;
    };
  }
  return function (this: Reader) {
    for (const path of paths) if (pathMatches(this, path)) return true;
    return false;
  };
}

export class StoredLookahead extends LLkLookaheadStrategy {
  private readonly byName = new Map<string, TokenType>();
  private stored: Map<string, Named> | null = null;
  private readonly computed = new Map<string, Named>();
  private entry: string | null = null;
  private followNames: Record<string, string[]> | null = null;
  private followsComputed = false;

  constructor(vocabulary: readonly TokenType[], maxLookahead: number) {
    super({ maxLookahead });
    for (const t of vocabulary) this.byName.set(t.name, t);
    // The end of input is in follow sets (and may end a lookahead path) without being in the vocabulary.
    this.byName.set(EOF.name, EOF);
  }

  override initialize(options: { rules: Rule[] }): void {
    const h = createHash("sha256").update(FORMAT).update("\0").update(JSON.stringify(serializeGrammar(options.rules)));
    for (const [name, t] of this.byName) h.update(`\0${name}:${(t as { tokenTypeIdx?: number }).tokenTypeIdx}:${(t as { categoryMatches?: number[] }).categoryMatches?.join(",")}`);
    this.entry = `parser-lookahead-${store?.tag ?? ""}-${h.digest("hex").slice(0, 32)}.json`;
    this.stored = this.read(this.entry);
  }

  override buildLookaheadForAlternation(options: { prodOccurrence: number; rule: Rule; maxLookahead: number; hasPredicates: boolean; dynamicTokensEnabled: boolean }): (orAlts?: IOrAlt<unknown>[]) => number | undefined {
    const paths = this.paths(options.rule, options.prodOccurrence, "Alternation", options.maxLookahead);
    return alternationFunction(paths, options.hasPredicates);
  }

  override buildLookaheadForOptional(options: { prodOccurrence: number; prodType: string; rule: Rule; maxLookahead: number; dynamicTokensEnabled: boolean }): () => boolean {
    const paths = this.paths(options.rule, options.prodOccurrence, options.prodType as ProdType, options.maxLookahead);
    return optionalFunction(paths[0] ?? []);
  }

  /** The recovery follow sets stored with this grammar's entry (null when there are none, or one is not in the vocabulary). */
  storedFollows(): Record<string, TokenType[]> | null {
    if (this.followNames === null) return null;
    const out: Record<string, TokenType[]> = {};
    for (const [k, names] of Object.entries(this.followNames)) {
      const types: TokenType[] = [];
      for (const n of names) {
        const t = this.byName.get(n);
        if (!t) return null;
        types.push(t);
      }
      out[k] = types;
    }
    return out;
  }

  /** Follow sets chevrotain computed, to be stored by `save`. */
  rememberFollows(follows: Record<string, TokenType[]>): void {
    const names: Record<string, string[]> = {};
    for (const [k, types] of Object.entries(follows)) names[k] = types.map((t) => t.name);
    this.followNames = names;
    this.followsComputed = true;
  }

  /** Store what was computed (once, after the parser is built). */
  save(): void {
    if (this.entry === null || (this.computed.size === 0 && !this.followsComputed) || !store) return;
    const all: Record<string, Named> = {};
    for (const [k, v] of this.stored ?? []) all[k] = v;
    for (const [k, v] of this.computed) all[k] = v;
    const body = JSON.stringify({ paths: all, follows: this.followNames ?? undefined });
    store.write(this.entry, sealEntry(FORMAT, body), `parser-lookahead-${store.tag}-`);
  }

  private paths(rule: Rule, occurrence: number, prodType: ProdType, maxLookahead: number): Paths {
    const key = `${rule.name}/${prodType}/${occurrence}/${maxLookahead}`;
    const named = this.stored?.get(key);
    if (named) {
      const types = this.types(named);
      if (types) return types;
    }
    const paths = getLookaheadPaths({ occurrence, rule, prodType, maxLookahead }) as Paths;
    this.computed.set(
      key,
      paths.map((alt) => alt.map((path) => path.map((t) => t.name))),
    );
    return paths;
  }

  private types(named: Named): Paths | null {
    const out: Paths = [];
    for (const alt of named) {
      const a: TokenType[][] = [];
      for (const path of alt) {
        const p: TokenType[] = [];
        for (const name of path) {
          const t = this.byName.get(name);
          if (!t) return null;
          p.push(t);
        }
        a.push(p);
      }
      out.push(a);
    }
    return out;
  }

  private read(entry: string): Map<string, Named> | null {
    const text = store?.read(entry) ?? null;
    if (text === null) return null;
    try {
      const body = openEntry(FORMAT, text);
      if (body === null) return null;
      const doc = JSON.parse(body) as { paths?: unknown; follows?: unknown };
      if (typeof doc !== "object" || doc === null || typeof doc.paths !== "object" || doc.paths === null) return null;
      const follows = doc.follows;
      const followsOk =
        typeof follows === "object" && follows !== null && !Array.isArray(follows) && Object.values(follows).every((names) => Array.isArray(names) && names.every((n) => typeof n === "string"));
      this.followNames = followsOk ? (follows as Record<string, string[]>) : null;
      const out = new Map<string, Named>();
      for (const [k, v] of Object.entries(doc.paths)) {
        const ok = Array.isArray(v) && v.every((alt) => Array.isArray(alt) && alt.every((path) => Array.isArray(path) && path.every((n) => typeof n === "string")));
        if (!ok) return null;
        out.set(k, v as Named);
      }
      return out;
    } catch {
      return null;
    }
  }
}
