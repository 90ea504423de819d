import { describe, expect, it } from "vitest";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import * as runtime from "#runtime";
import {
  FAULT_EXIT_STATUS,
  T,
  Vec,
  arg,
  assert,
  captureOutput,
  clone,
  debugOf,
  eq,
  format,
  formatFault,
  panic,
  println,
  raiseAssertCompare,
  site,
  u64,
  unreachable,
} from "#runtime";
import { isSealed, sealPhi, sealQ, unsealPhi, unsealQ } from "#runtime/domains.js";
import { faultOf } from "./fault-of.js";


describe("fault reports", () => {
  const source = "fn main() {\n    let x: u64 = 18446744073709551615;\n    let y = x + 1;\n}\n";

  it("formats like a Rust panic, pointing into the .ds source", () => {
    const fault = faultOf(() => u64.add(u64.MAX, 1n, site("main.ds", 3, 13, "x + 1")));
    expect(formatFault(fault, { source })).toBe(
      [
        "thread 'main' panicked at main.ds:3:13:",
        "attempt to add with overflow in `x + 1` (u64)",
        "  --> main.ds:3:13",
        "  |",
        "3 |     let y = x + 1;",
        "  |             ^^^^^",
        "",
      ].join("\n"),
    );
    expect(formatFault(fault)).toBe("thread 'main' panicked at main.ds:3:13:\nattempt to add with overflow in `x + 1` (u64)\n  --> main.ds:3:13\n");
    expect(FAULT_EXIT_STATUS).toBe(101);
  });

  it("columns count code points, CRLF and BOM are tolerated", () => {
    const fault = faultOf(() => panic("boom", site("phi.ds", 2, 9, "boom()")));
    const text = formatFault(fault, { source: "\uFEFFfn f() {\r\n    Φ = boom();\r\n}" });
    expect(text).toContain("2 |     Φ = boom();\n  |         ^^^^^^\n");
  });

  it("the macros use Rust's wording", () => {
    expect(faultOf(() => panic()).message).toBe("explicit panic");
    expect(faultOf(() => unreachable()).message).toBe("internal error: entered unreachable code");
    expect(faultOf(() => unreachable("state 3")).message).toBe("internal error: entered unreachable code: state 3");
    const a = faultOf(() => assert(1 > 2, "1 > 2"));
    expect([a.kind, a.message]).toEqual(["assertion", "assertion failed: 1 > 2"]);
    const left = Vec.from([1, 2]);
    const right = Vec.from([1, 3]);
    const ty = T.vec(T.i32);
    const cmpFault = faultOf(() => {
      if (!eq(left, right)) raiseAssertCompare("==", debugOf(left, ty), debugOf(right, ty));
    });
    expect(cmpFault.message).toBe("assertion `left == right` failed\n  left: [1, 2]\n right: [1, 3]");
  });

  it("output before a fault is kept", () => {
    const run = captureOutput(() => {
      println("step {}", arg(1, T.i32));
      Vec.from([1]).at(2n, site("main.ds", 7, 5));
      println("never");
    });
    expect(run.stdout).toBe("step 1\n");
    expect(run.fault?.message).toBe("index out of bounds: the len is 1 but the index is 2");
  });
});

describe("Q and Φ at run time", () => {
  it("sealed state is unreachable from K code and refuses to be copied or shown", () => {
    const q = sealQ({ amplitudes: [0.6, 0.8] });
    const phi = sealPhi({ phase: 1.25 });
    expect(isSealed(q)).toBe(true);
    expect(Object.keys(q)).toEqual([]);
    expect(JSON.stringify({ q: 1 })).toBe('{"q":1}');
    expect(() => JSON.stringify(q)).toThrow("Q state cannot be serialized");
    expect(String(phi)).toBe("[Φ value]");
    expect(faultOf(() => clone(q)).message).toBe("Q state cannot be cloned");
    expect(faultOf(() => eq(phi, sealPhi({ phase: 1.25 }))).kind).toBe("domain_panic");
    const formatted = faultOf(() => format("{:?}", arg(q, T.opaque("Q", "QState"))));
    expect([formatted.kind, formatted.message]).toEqual(["domain_panic", "Q state cannot be formatted (Q<QState>): DPL3003 forbids exposing it"]);
    expect(unsealQ(q)).toEqual({ amplitudes: [0.6, 0.8] });
    expect(unsealPhi(phi)).toEqual({ phase: 1.25 });
    expect(() => unsealQ(phi as never)).toThrow("expected a Q value, got a Φ value");
  });

  it("the public entry does not export the host's construction path", () => {
    const names = Object.keys(runtime);
    for (const hostOnly of ["sealQ", "sealPhi", "unsealQ", "unsealPhi", "Sealed"]) expect(names).not.toContain(hostOnly);
  });
});

describe("Q and Φ under tsc", () => {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = resolve(here, "../..");
  const virtualPath = join(here, "__domain_mix__.ts");
  // An emitted-style module: it must type-check under --strict, except the six domain mixes.
  const emitted = [
    'import { type Q, type Phi, type Φ, type K, type DomainType, type Option, type Result, type char, type ParseIntError } from "#runtime";',
    'import { f64, i32, u64, usize, Vec, Some, None, Ok, Err, Option as Opt, T, arg, format, site, propagate, caught, absurd, Str } from "#runtime";',
    "declare const q: Q<number>;",
    "declare const phi: Phi<number>;",
    "declare function takesK(x: number): void;",
    "declare function takesQ(x: Q<number>): void;",
    "const ok1: Q<number> = q;",
    "const ok2: Φ<number> = phi;",
    "const ok3: K<number> = 5;",
    "const ok4: DomainType<'Q', number> = q;",
    "const bad1: Phi<number> = q;", // 11: Q where Φ is expected
    "const bad2: number = q;", // 12: Q state read as K
    "const bad3: Q<number> = 5;", // 13: K value as Q
    "takesK(phi);", // 14
    "takesQ(phi);", // 15
    "const bad4 = q + 1;", // 16: arithmetic on Q state
    "export { ok1, ok2, ok3, ok4, bad1, bad2, bad3, bad4 };",
    'const $3_9 = site("shapes.ds", 3, 9, "v[i]");',
    'type Shape = { readonly $tag: "Circle"; readonly _0: f64 } | { readonly $tag: "Rect"; readonly w: f64; readonly h: f64 } | { readonly $tag: "Empty" };',
    "export function area(s: Shape): f64 {",
    "  switch (s.$tag) {",
    '    case "Circle": return f64.mul(f64.PI, f64.powi(s._0, 2));',
    '    case "Rect": return s.w * s.h;',
    '    case "Empty": return 0;',
    "    default: return absurd(s);",
    "  }",
    "}",
    "export function pick(v: Vec<u64>, i: usize): Option<u64> {",
    "  const x: u64 = v.at(i, $3_9);",
    "  return x > 10n ? Some(u64.add(x, 1n, $3_9)) : None;",
    "}",
    "export function parseSum(a: string, b: string): Result<i32, ParseIntError> {",
    "  try { return Ok(i32.add(propagate(i32.parse(a)), propagate(i32.parse(b)), $3_9)); } catch (e) { return caught(e); }",
    "}",
    "export function firstChar(s: string): Option<char> { const c = Str.chars(s).next(); return Opt.map(c, (x) => x); }",
    'export const text: string = format("{} {:?}", arg(area({ $tag: "Empty" }), T.f64), arg(pick(Vec.from([1n]), 0n), T.option(T.u64)));',
    'export const failed: Result<i32, string> = Err("no");',
  ].join("\n");

  it("emitted-style code type-checks, and every domain mix is rejected", () => {
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ["node"],
      typeRoots: [join(root, "node_modules/@types")],
      skipLibCheck: true,
    };
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.fileExists = (f) => f === virtualPath || fileExists.call(host, f);
    host.readFile = (f) => (f === virtualPath ? emitted : readFile.call(host, f));
    host.getSourceFile = (f, lang, ...rest) =>
      f === virtualPath ? ts.createSourceFile(f, emitted, lang) : getSourceFile.call(host, f, lang, ...rest);
    const program = ts.createProgram([virtualPath], options, host);
    const diagnostics = ts.getPreEmitDiagnostics(program);
    const foreign = diagnostics.filter((d) => d.file?.fileName !== virtualPath);
    expect(foreign.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([]);
    const lines = diagnostics
      .filter((d) => d.file?.fileName === virtualPath)
      .map((d) => d.file!.getLineAndCharacterOfPosition(d.start!).line + 1)
      .sort((a, b) => a - b);
    expect([...new Set(lines)]).toEqual([11, 12, 13, 14, 15, 16]);
  }, 60_000);
});
