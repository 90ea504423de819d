import { afterEach, describe, expect, it } from "vitest";
import { DplParser } from "../../src/syntax/parser.js";
import { setLookaheadStore, type LookaheadStore } from "../../src/syntax/lookahead.js";

/** Every field of every production of the parser's grammar, rules by name, tokens by name. */
function dump(parser: DplParser): unknown {
  const gast = (parser as unknown as { gastProductionsCache: Record<string, object> }).gastProductionsCache;
  const walk = (p: object): unknown => {
    const out: Record<string, unknown> = { class: Object.getPrototypeOf(p).constructor.name };
    for (const [k, v] of Object.entries(p)) {
      if (k === "_definition") out[k] = (v as object[]).map(walk);
      else if (k === "referencedRule") out[k] = (v as { name: string }).name;
      else if (k === "terminalType" || k === "separator") out[k] = (v as { name: string }).name;
      else out[k] = v;
    }
    return out;
  };
  return Object.entries(gast).map(([name, rule]) => [name, walk(rule)]);
}

function memoryStore(build: string): LookaheadStore & { entries: Map<string, string>; reads: string[] } {
  const entries = new Map<string, string>();
  const reads: string[] = [];
  return {
    tag: "test",
    entries,
    reads,
    read: (name) => {
      reads.push(name);
      return entries.get(name) ?? null;
    },
    write: (name, text) => void entries.set(name, text),
    build: () => build,
  };
}

afterEach(() => setLookaheadStore(null));

describe("the parser's recorded grammar, kept in the user's cache", () => {
  it("is replayed by the next build as the very grammar chevrotain records", () => {
    const recorded = dump(new DplParser());
    const store = memoryStore("build-a");
    setLookaheadStore(store);
    const first = new DplParser();
    const grammarEntry = [...store.entries.keys()].find((n) => n.startsWith("parser-grammar-test-"));
    expect(grammarEntry).toBeDefined();
    expect(Object.hasOwn(first, "topLevelRuleRecord")).toBe(false); // recorded
    const second = new DplParser();
    expect(Object.hasOwn(second, "topLevelRuleRecord")).toBe(true); // replayed
    expect(dump(first)).toEqual(recorded);
    expect(dump(second)).toEqual(recorded);
  });

  it("is not used for another build, nor when its entry is malformed", () => {
    const store = memoryStore("build-a");
    setLookaheadStore(store);
    new DplParser();
    const name = [...store.entries.keys()].find((n) => n.startsWith("parser-grammar-test-"))!;
    const text = store.entries.get(name)!;
    // Same entry name, another stamp inside: recorded afresh.
    store.entries.set(name, text.replace('"key":"build-a"', '"key":"build-b"'));
    expect(Object.hasOwn(new DplParser(), "topLevelRuleRecord")).toBe(false);
    for (const bad of [text.replace('"Terminal"', '"Function"'), text.replace('"token":"Identifier"', '"token":"NoSuchToken"'), text.slice(0, text.length / 2), '{"__proto__":1}']) {
      expect(bad).not.toBe(text);
      store.entries.set(name, bad);
      const parser = new DplParser();
      expect(Object.hasOwn(parser, "topLevelRuleRecord")).toBe(false);
      expect(store.entries.get(name)).toBe(text); // and stored again
    }
  });

  it("is not used when damaged into another well-formed grammar (alternatives swapped made dplc check hang)", () => {
    const store = memoryStore("build-a");
    setLookaheadStore(store);
    new DplParser();
    const name = [...store.entries.keys()].find((n) => n.startsWith("parser-grammar-test-"))!;
    const text = store.entries.get(name)!;
    const swapped = text.replace(/\["Alternation",\{"_definition":\[(\["Alternative",\{"_definition":\[\],"ignoreAmbiguities":true\}\]),(\["Alternative",\{"_definition":\[\["Terminal",\{"idx":0,"terminalType":\{"token":"Comma"\}\}\]\],"ignoreAmbiguities":false\}\])\]/, '["Alternation",{"_definition":[$2,$1]');
    expect(swapped).not.toBe(text);
    store.entries.set(name, swapped);
    expect(Object.hasOwn(new DplParser(), "topLevelRuleRecord")).toBe(false); // recorded afresh
    expect(store.entries.get(name)).toBe(text);
  });
});
