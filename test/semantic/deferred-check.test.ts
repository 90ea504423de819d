/**
 * A diagnostics-only check with deferred bodies (`dplc check` of a large file:
 * syntax/lazy-bodies.ts, semantic/release.ts) against a normal check of the same text: same
 * diagnostics, and each body parsed again once, one item at a time. Deferring is forced
 * here for small texts, in pieces of one item (as test/fixtures.test.ts does).
 */
import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFER_BODIES_FROM } from "../../src/workspace/options.js";
import fc from "fast-check";
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

  it("judges the bindings of a body after a function declared in it (its locals' ids nest in the body's)", () => {
    // Both methods are one item's bodies, judged together; `r` comes after `inner`'s locals.
    const text = "struct P { a: String }\n\nimpl P {\n    fn take(self) -> String {\n        fn inner(p: i32) -> i32 { p }\n        let q = self;\n        let r = q;\n        q.a\n    }\n    fn look(&self) -> usize {\n        self.a.len()\n    }\n}\n\nfn main() {}\n";
    const expected = shown(normal("n.ds", text));
    expect(expected.filter((d) => d.startsWith("DPL8002 7:13"))).toHaveLength(1);
    expect(shown(deferred("n.ds", text))).toEqual(expected);
  });

  it("defers the bodies of a large `mod m;` file it reads from disk, as of a file it was given", () => {
    const dir = mkdtempSync(join(tmpdir(), "dplc-defer-mod-"));
    const fns = Array.from({ length: 5000 }, (_, i) => `pub fn f${i}(x: u64) -> u64 {\n    let y = x * ${i};\n    y + 1\n}\n`).join("");
    const broken = "pub fn broken() -> u64 {\n    let unused = 1;\n    let s: u64 = true;\n    s\n}\n";
    const big = fns + broken;
    expect(big.length).toBeGreaterThan(DEFER_BODIES_FROM);
    writeFileSync(join(dir, "big.ds"), big);
    const main = "mod big;\n\nfn main() {\n    let _ = big::f1(2);\n}\n";
    writeFileSync(join(dir, "main.ds"), main);
    const src = new SourceFile(join(dir, "main.ds"), main);
    const expected = shown(checkSources([src], OPTIONS).diagnostics);
    expect(expected.map((d) => d.split(" ")[0])).toEqual(["DPL8002", "DPL2003"]);
    const w = watchParses();
    restore = w.restore;
    const got = checkSources([src], { ...OPTIONS, diagnosticsOnly: true }).diagnostics;
    restore();
    restore = null;
    expect(shown(got)).toEqual(expected);
    // Every function of the child file was deferred, and parsed again once when checked.
    expect(w.parses.size).toBe(5001);
    for (const n of w.parses.values()) expect(n).toBe(1);
    rmSync(dir, { recursive: true, force: true });
  });
});

// ---------------------------------------------------------------------------
// Generated programs: what the checker reports (type errors, unused bindings, moves, the
// kernel rules that cross items) must not depend on how the bodies were parsed.

/** A statement of a body; `n` makes its names unique in the body, `k` picks callees. */
const stmt = fc.oneof(
  fc.nat(99).map((n) => `let a${n}: i32 = ${n};\n    let _b${n} = a${n} + 1;`),
  fc.nat(99).map((n) => `let s${n}: String = ${n};`),
  fc.nat(99).map((n) => `let unused${n} = ${n};`),
  fc.nat(99).map((n) => `let v${n} = String::new();\n    let w${n} = v${n};\n    let _x${n} = v${n}.len();`),
  fc.nat(99).map((n) => `let v${n}: Vec<u32> = Vec::new();\n    let _w${n} = v${n};`),
  fc.nat(99).map((n) => `let c${n} = |y: i32| y + ${n};\n    let _r${n} = c${n}(1);`),
  fc.nat(99).map((n) => `let c${n} = |y: i32| y * 2;`),
  fc.nat(99).map((n) => `fn inner${n}(p: i32) -> i32 { "no" }`),
  fc.nat(99).map((n) => `fn inner_ok${n}(p: i32) -> i32 { let q = p; q }\n    let _i${n} = inner_ok${n}(${n});`),
  fc.nat(99).map((n) => `if ${n} > 3 { let t${n} = true; } else { let _u${n}: bool = ${n}; }`),
  fc.nat(5).map((k) => `let _g = f${k}(1);`),
  fc.constant(`unsafe { COUNTER += 1; }`),
  fc.constant(`let _m = unsafe { COUNTER };`),
  fc.constant(`let _r = random_u64();`),
  fc.constant(`return 1;\n    let after = 2;`),
);

const body = fc.array(stmt, { maxLength: 4 }).map((ss) => ss.map((s) => `    ${s}\n`).join(""));

/** A free function `f<i>`; some call others, so that recursion cycles and paths to primitives cross items. */
const fnItem = (i: number): fc.Arbitrary<string> =>
  fc.tuple(body, fc.boolean(), fc.nat(5), fc.boolean()).map(
    ([b, det, callee, unused]) => `${det ? "@deterministic\n" : ""}fn f${i}(x: i32${unused ? ", spare: u8" : ""}) -> i32 {\n${b}    f${callee}(x) + x\n}\n`,
  );

const implItem = fc.tuple(body, body).map(
  ([b1, b2]) => `struct P { a: String }\n\nimpl P {\n    const K: i32 = { let k = 1; 5 };\n    fn take(self) -> String {\n${b1}        let q = self;\n        let r = q;\n        q.a\n    }\n    fn look(&self) -> usize {\n${b2}        self.a.len()\n    }\n}\n`,
);

const traitItem = body.map((b) => `trait T {\n    fn d(&self) -> i32 {\n${b}        0\n    }\n}\n\nstruct Q;\n\nimpl T for Q {}\n`);

/** `xdv_call`s: the capability rule (DPL5001) reads the calling function's parameters and `let`s. */
const xdvItem = fc.constantFrom(
  "",
  "fn submit(job: QJobDescriptor, _cap: CapabilityHandle) -> Result<MeasurementHandle, ErrorCode> { xdv_call(K, Q, job.ptr(), 42); }\n",
  "fn submit(job: QJobDescriptor, cap: CapabilityHandle) -> Result<MeasurementHandle, ErrorCode> {\n    let id = cap.raw();\n    let spare = 1;\n    xdv_call(K, Q, job.ptr(), id);\n}\n",
);

/** Φ borrows (DPL4003) in one body or none. */
const phiItem = fc.constantFrom(
  "",
  "@domain(Φ)\nstruct PhaseEnvelope { ... }\n\n@domain(Φ)\nfn apply_transform(env: &mut PhaseEnvelope, t: TransformContract)\n\n@domain(Φ)\nfn retune_twice(mut env: PhaseEnvelope, t1: TransformContract, t2: TransformContract) {\n    let first = &mut env;\n    let second = &mut env;\n    apply_transform(first, t1);\n    apply_transform(second, t2);\n}\n",
);

const program = fc
  .tuple(fc.boolean(), fc.tuple(...[0, 1, 2, 3, 4, 5].map(fnItem)), implItem, traitItem, fc.boolean(), fc.nat(5), xdvItem, phiItem)
  .map(([kernel, fns, impl, trait, inMod, split, xdv, phi]) => {
    const [a, b] = [fns.slice(0, split), fns.slice(split)];
    // Part of the functions in an inline module, which reaches the others through `super::`.
    const modded = inMod ? `mod m {\n    use super::*;\n${b.join("\n").replace(/^(?=.)/gm, "    ")}}\n\nuse m::*;\n` : b.join("\n");
    const profile = kernel ? "//@ profile: kernel\n" : "";
    return `${profile}static mut COUNTER: u64 = 0;\n\n${a.join("\n")}\n${modded}\n${impl}\n${trait}\n${xdv}\n${phi}\nfn main() {\n    let _ = f0(1);\n}\n`;
  });

describe("deferred vs normal check over generated programs", () => {
  it("report the same diagnostics", () => {
    fc.assert(
      fc.property(program, (text) => {
        const kernel = text.startsWith("//@ profile: kernel");
        const opts = { ...OPTIONS, profile: kernel ? ("kernel" as const) : ("user" as const) };
        const whole = checkSources([new SourceFile("g.ds", text)], opts).diagnostics;
        const lean = analyze([parseModule(new SourceFile("g.ds", text), { deferBodies: true, pieceChars: 1 })], { ...opts, diagnosticsOnly: true }).diagnostics;
        expect(shown(lean)).toEqual(shown(whole));
        return whole.length > 0;
      }),
      { seed: 9, numRuns: 60 },
    );
  });
});
