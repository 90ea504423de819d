/**
 * The grammar chevrotain records when the parser is built (its GAST: one `Rule` per rule),
 * as text and back. Recording runs every rule's body in a recording mode, which was the
 * largest part of building the parser (~45 ms of a one-line `dplc check`). The recording is
 * a pure function of the parser's code, so parser.ts keeps it in the user's cache under the
 * compiled front end's build stamp (the key the checked stdlib's entry already trusts) and
 * replays it instead of recording.
 *
 * Every own field of every production is kept (chevrotain's `serializeGrammar` drops
 * `hasPredicates`, `maxLookahead` and `ignoreAmbiguities`, which the lookahead functions
 * use), except `referencedRule`, which chevrotain resolves by name after recording. Reading
 * is data only: productions are objects of the GAST classes with checked fields, and
 * anything unexpected (an unknown class, field, token or value) means "record afresh".
 */
import type { Rule, TokenType } from "chevrotain";
import {
  Alternation,
  Alternative,
  NonTerminal,
  Option,
  Repetition,
  RepetitionMandatory,
  RepetitionMandatoryWithSeparator,
  RepetitionWithSeparator,
  Rule as RuleClass,
  Terminal,
} from "./chevrotain.js";

const FORMAT = "dplc-recorded-grammar 2";

type Production = Record<string, unknown>;

const CLASSES: ReadonlyMap<string, object> = new Map<string, object>(
  [RuleClass, Alternation, Alternative, NonTerminal, Option, Repetition, RepetitionMandatory, RepetitionMandatoryWithSeparator, RepetitionWithSeparator, Terminal].map((c) => [c.name, c.prototype as object]),
);
const CLASS_NAMES: ReadonlyMap<object, string> = new Map([...CLASSES].map(([n, p]) => [p, n]));
/** chevrotain keeps a production's children in `_definition`, behind a `definition` accessor. */
const CHILDREN = "_definition";
/** Fields holding a token type (kept by name). */
const TOKEN_FIELDS = new Set(["terminalType", "separator"]);
/** Fields holding plain values. */
const VALUE_FIELDS = new Set(["name", "orgText", "idx", "label", "nonTerminalName", "maxLookahead", "ignoreAmbiguities", "hasPredicates"]);

class Unrecordable extends Error {}

/** A production: its class and its fields in their order (children as nodes, tokens as `{token}`). */
type Node = [string, Record<string, unknown>];

function write(p: Production): Node {
  const cls = CLASS_NAMES.get(Object.getPrototypeOf(p) as object);
  if (cls === undefined) throw new Unrecordable(`a production of an unknown class`);
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) {
    if (k === CHILDREN) fields[k] = (v as Production[]).map(write);
    else if (k === "referencedRule") continue;
    else if (TOKEN_FIELDS.has(k)) fields[k] = { token: (v as TokenType).name };
    else if (VALUE_FIELDS.has(k) && (v === undefined || typeof v === "string" || typeof v === "number" || typeof v === "boolean")) fields[k] = v === undefined ? { undefined: true } : v;
    else throw new Unrecordable(`field ${k} of a ${cls}`);
  }
  return [cls, fields];
}

/** The recorded rules as the text of a cache entry stamped `key`, or null for a grammar this format cannot hold. */
export function writeRecordedGrammar(key: string, rules: readonly Rule[]): string | null {
  try {
    return JSON.stringify({ format: FORMAT, key, rules: rules.map((r) => write(r as unknown as Production)) });
  } catch (e) {
    if (e instanceof Unrecordable) return null;
    throw e;
  }
}

function bad(): never {
  throw new Unrecordable("malformed");
}

/**
 * A production made from a node: an object of the node's class (no constructor runs:
 * chevrotain's go through lodash's generic `assign`, which made reading slower than
 * recording) with the node's fields set in the recorded order.
 */
function read(n: unknown, tokens: ReadonlyMap<string, TokenType>): Production {
  if (!Array.isArray(n) || n.length !== 2 || typeof n[0] !== "string") return bad();
  const proto = CLASSES.get(n[0]) ?? bad();
  const fields = n[1] as unknown;
  if (typeof fields !== "object" || fields === null || Array.isArray(fields)) return bad();
  const p = Object.create(proto) as Production;
  for (const k in fields) {
    const v = (fields as Record<string, unknown>)[k];
    if (k === CHILDREN) {
      if (!Array.isArray(v)) bad();
      const children = new Array<Production>((v as unknown[]).length);
      for (let i = 0; i < children.length; i++) children[i] = read((v as unknown[])[i], tokens);
      p[k] = children;
    } else if (TOKEN_FIELDS.has(k)) p[k] = tokens.get((v as { token?: unknown })?.token as string) ?? bad();
    else if (!VALUE_FIELDS.has(k)) bad();
    else if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") p[k] = v;
    else if (typeof v === "object" && v !== null && (v as { undefined?: unknown }).undefined === true) p[k] = undefined;
    else bad();
  }
  return p;
}

/** The rules of an entry written by `writeRecordedGrammar` with `key`, or null when it is not one. */
export function readRecordedGrammar(text: string, key: string, tokens: ReadonlyMap<string, TokenType>): Map<string, Rule> | null {
  try {
    const doc = JSON.parse(text) as { format?: unknown; key?: unknown; rules?: unknown };
    if (doc.format !== FORMAT || doc.key !== key || !Array.isArray(doc.rules)) return null;
    const out = new Map<string, Rule>();
    for (const r of doc.rules) {
      const rule = read(r, tokens);
      if (Object.getPrototypeOf(rule) !== RuleClass.prototype || typeof rule["name"] !== "string" || !Array.isArray(rule[CHILDREN])) return null;
      out.set(rule["name"], rule as unknown as Rule);
    }
    return out;
  } catch {
    return null;
  }
}
