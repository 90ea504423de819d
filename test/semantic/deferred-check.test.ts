/**
 * A diagnostics-only check with deferred bodies (`dplc check` of a large file:
 * syntax/lazy-bodies.ts, semantic/release.ts) against a normal check of the same text: same
 * diagnostics, and each body parsed again once, one item at a time. Deferring is forced
 * here for small texts, in pieces of one item (as test/fixtures.test.ts does).
 */
import { afterEach, describe, expect, it } from "vitest";
import { analyze, parseModule } from "../../src/compiler/analyze.js";
import { checkSources } from "../../src/compiler/check.js";
import { SourceFile } from "../../src/syntax/source.js";
import { LazyBlockBody } from "../../src/syntax/lazy-bodies.js";
import type * as A from "../../src/syntax/ast.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";

const OPTIONS = { profile: "user" as const, allBlocks: false };

function deferred(name: string, text: string): readonly Diagnostic[] {
  return analyze([parseModule(new SourceFile(name, text), { deferBodies: true, pieceChars: 1 })], { ...OPTIONS, diagnosticsOnly: true }).diagnostics;
}

function normal(name: string, text: string): readonly Diagnostic[] {
  return checkSources([new SourceFile(name, text)], OPTIONS).diagnostics;
}

function shown(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column} ${d.message}`);
}

/**
 * Watch the blocks deferred bodies hand out: a read that gives a block other than the last
 * one is a parse. `live` is how many parsed blocks were held at once at most (a block is
 * held from its parse until the body is released).
 */
function watchParses(): { parses: Map<LazyBlockBody, number>; restore: () => void } {
  const proto = LazyBlockBody.prototype;
  const desc = Object.getOwnPropertyDescriptor(proto, "block")!;
  const last = new WeakMap<LazyBlockBody, A.Block>();
  const parses = new Map<LazyBlockBody, number>();
  Object.defineProperty(proto, "block", {
    configurable: true,
    get(this: LazyBlockBody): A.Block {
      const b = desc.get!.call(this) as A.Block;
      if (last.get(this) !== b) parses.set(this, (parses.get(this) ?? 0) + 1);
      last.set(this, b);
      return b;
    },
  });
  return { parses, restore: () => Object.defineProperty(proto, "block", desc) };
}

let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

describe("diagnostics-only check with deferred bodies", () => {
  it("parses each body of an inline module's items once, when its item is checked", () => {
    const fns = Array.from({ length: 6 }, (_, i) => `    pub fn f${i}(x: i32) -> i32 {\n        let unused${i} = x;\n        x + ${i}\n    }\n`).join("");
    const text = `mod m {\n${fns}    pub struct S;\n    impl S {\n        pub fn g(&self) -> i32 { let s = String::new(); let t = s; let u = s; 1 }\n    }\n}\n\nfn main() {\n    let _ = m::f0(1);\n}\n`;
    const w = watchParses();
    restore = w.restore;
    const got = deferred("m.ds", text);
    restore();
    restore = null;
    expect(shown(got)).toEqual(shown(normal("m.ds", text)));
    expect(w.parses.size).toBe(8);
    // Read once by the check of its item; a second parse is the whole module's bodies parsed at once.
    for (const n of w.parses.values()) expect(n).toBe(1);
  });
});
