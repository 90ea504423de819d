/**
 * What the emitter writes for each construct: exact integers, checked operations with
 * fault sites, tagged enums, places behind `&mut`, typed ABI lowering, branded domains.
 * These pin the shape of the emitted TypeScript (the contract of toolchain.md); the run
 * fixtures pin its behaviour.
 */
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/compiler/build.js";
import { sourceFromText } from "../../src/compiler/sources.js";

async function emit(text: string, name = "t.ds"): Promise<{ ts: string; warnings: string[] }> {
  const r = await buildProgram([sourceFromText(name, text)], { profile: "user", allBlocks: false, js: false, outDir: "out" });
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join("\n"));
  const f = r.files.find((x) => x.path === name.replace(/\.ds$/, ".ts"));
  return { ts: f!.text, warnings: r.hostWarnings.map((w) => w.name) };
}

describe("emitted TypeScript", () => {
  it("keeps 64- and 128-bit integers exact, as bigint literals and checked operations", async () => {
    const { ts } = await emit("fn main() {\n    let x: u64 = 18446744073709551615;\n    let y = x - 1;\n    let z: i128 = -170141183460469231731687303715884105728;\n    let s: i32 = 7 * 6;\n}\n");
    // Locals that only compute are number-or-bigint (hybrid-locals.ts); beyond 2^53 a bigint.
    expect(ts).toContain("const x: number | bigint = 18446744073709551615n;");
    // Operations on names and literals have an inline number fast path, the runtime call as the slow path.
    expect(ts).toContain('const y: number | bigint = (typeof x === "number" && x - 1 >= 0 ? x - 1 : u64h.sub(x, 1, $3_13));');
    expect(ts).toContain('const $3_13 = site("t.ds", 3, 13, "x - 1");');
    expect(ts).toContain("const z: i128 = -170141183460469231731687303715884105728n;");
    expect(ts).toContain("const s: i32 = (7 * 6 >= -2147483648 && 7 * 6 <= 2147483647 ? 7 * 6 + 0 : i32.mul(7, 6, $5_18));");
  });

  it("indexes with the bound checked inline, the runtime reporting a fault with the `[` as its site", async () => {
    const { ts } = await emit("fn main() {\n    let v = vec![1, 2];\n    let mut i: usize = 5;\n    let e = v[i];\n    i += 1;\n}\n");
    expect(ts).toContain("const e: i32 = (i < v.data.length ? v.data[i as number]! : v.at(i, $4_14));");
    expect(ts).toContain('i = (typeof i === "number" && i + 1 <= 9007199254740991 ? i + 1 : usize.add(i, 1, $5_5));');
  });

  it("keeps u64 a bigint where it crosses a boundary, and hybrid where it only computes", async () => {
    const { ts } = await emit("fn f(a: u64) -> u64 {\n    let b = a * 2;\n    let mut c: u64 = 3;\n    c = c * c + 1;\n    println!(\"{}\", c);\n    b\n}\n");
    expect(ts).toContain("const b: u64 = u64.mul(a, 2n, $2_13);");
    expect(ts).toContain("let c: number | bigint = 3;");
    expect(ts).toContain('c = (typeof c === "number" && c * c <= 9007199254740991 && c * c + 1 <= 9007199254740991 ? c * c + 1 : u64h.add(u64h.mul(c, c, $4_9), 1, $4_9_2));');
  });

  it("computes index arithmetic in numbers, with number loop counters where they only index", async () => {
    const { ts } = await emit("fn trace(m: &Vec<f64>, n: usize) -> f64 {\n    let mut t = 0.0;\n    for i in 0..n {\n        t += m[i * n + i];\n    }\n    t\n}\n");
    expect(ts).toContain("const n$n: number = Number(n);");
    // A body that takes no step of its own gets its steps in runs (leaf-loops.ts), and the
    // index, computed from locals only, is repeated in an inline bound check.
    expect(ts).toContain("for (let i: number = 0, $end: number = Number(n); i < $end; ) {\n    for (const $stop: number = stepSpan(i, $end); i < $stop; i++) {");
    expect(ts).toContain("t = t + (i * n$n + i < m.data.length ? m.data[i * n$n + i]! : m.atN(i * n$n + i, $4_15));");
  });

  it("keeps a step per iteration in a loop whose body calls, nests a loop or leaves early", async () => {
    const { ts } = await emit(
      "fn f(x: u32) -> u32 {\n    x\n}\n\nfn g(n: u32) -> u32 {\n    let mut t = 0;\n    for i in 0..n {\n        t += f(i);\n    }\n    for i in 0..n {\n        if i == 3 {\n            break;\n        }\n        t += i;\n    }\n    for i in 0..=n {\n        t += i;\n    }\n    t\n}\n",
    );
    expect(ts.match(/stepSpan\(/g)?.length).toBe(1);
    expect(ts).toContain("for (const $stop: number = stepSpan(i$2, $end$2 + 1); i$2 < $stop; i$2++) {");
    expect(ts).toMatch(/for \(let i: u32 = 0, \$end: u32 = n; i < \$end; i\+\+\) \{\n\s+step\(\);/);
  });

  it("gives a plain while loop its steps in a local run, given back when it ends", async () => {
    const { ts } = await emit(
      "fn f(x: u64) -> u64 {\n    x\n}\n\nfn g(mut n: u64) -> u32 {\n    let mut s: u32 = 0;\n    while n > 1 {\n        n = n / 2;\n        s += 1;\n    }\n    while n < 5 {\n        n = f(n) + 1;\n    }\n    s\n}\n",
    );
    expect(ts).toMatch(/let \$k: number = stepTake\(\);\n\s+while \(n > 1n?\) \{\n\s+if \(\$k-- === 0\) \$k = stepOne\(\);\n[^]*?\}\n\s+stepGive\(\$k\);/);
    expect(ts).toMatch(/while \(n < 5n?\) \{\n\s+step\(\);/);
  });

  it("writes an empty Vec's array where the Vec is made (V8 learns element kinds per allocation site)", async () => {
    const { ts } = await emit("fn f() -> Vec<f64> {\n    let mut v = Vec::new();\n    v.push(1.5);\n    let _w: Vec<bool> = Vec::with_capacity(4);\n    v\n}\n");
    expect(ts).toContain("let v: Vec<f64> = Vec.from<f64>([]);");
    expect(ts).toContain("const _w: Vec<boolean> = Vec.from<boolean>([]);");
  });

  it("emits enums as tagged unions with constructors and a descriptor", async () => {
    const { ts } = await emit("enum Shape {\n    Circle(f64),\n    Rect { w: f64, h: f64 },\n    Empty,\n}\n\nfn area(s: &Shape) -> f64 {\n    match s {\n        Shape::Circle(r) => *r * *r,\n        Shape::Rect { w, h } => w * h,\n        Shape::Empty => 0.0,\n    }\n}\n");
    expect(ts).toContain('| { readonly $tag: "Circle"; readonly _0: f64 }');
    expect(ts).toContain('| { readonly $tag: "Rect"; readonly w: f64; readonly h: f64 }');
    expect(ts).toContain('Circle: (_0: f64): Shape => ({ $tag: "Circle", _0 }),');
    expect(ts).toContain('Empty: Object.freeze({ $tag: "Empty" }) as Shape,');
    expect(ts).toContain('export const Shape$ty: Ty = T.enum("Shape", () => ({ Circle: [T.f64], Rect: { w: T.f64, h: T.f64 }, Empty: null }));');
    expect(ts).toMatch(/if \(s\.\$tag === "Circle"\) \{\n\s+const r: f64 = s\._0;/);
  });

  it("passes a MutRef for `&mut` to a value held immutably in JavaScript, the object for a struct", async () => {
    const { ts } = await emit("struct P { x: i32 }\n\nfn inc(n: &mut i32) {\n    *n += 1;\n}\n\nfn bump(p: &mut P) {\n    p.x += 1;\n}\n\nfn main() {\n    let mut a = 1;\n    inc(&mut a);\n    let mut p = P { x: 0 };\n    bump(&mut p);\n    inc(&mut p.x);\n}\n");
    expect(ts).toContain("export function inc(n: MutRef<i32>): void {");
    expect(ts).toContain("n.value = i32.add(n.value, 1, $4_5);");
    expect(ts).toContain("export function bump(p: P): void {");
    expect(ts).toContain("inc({ get value() { return a; }, set value($v) { a = $v; } });");
    expect(ts).toContain("bump(p);");
    expect(ts).toContain("inc({ get value() { return p.x; }, set value($v$1) { p.x = $v$1; } });");
  });

  it("lowers `?` to an early return of the error", async () => {
    const { ts } = await emit("fn half(x: i32) -> Result<i32, String> {\n    if x % 2 == 0 { Ok(x / 2) } else { Err(String::from(\"odd\")) }\n}\n\nfn quarter(x: i32) -> Result<i32, String> {\n    let h = half(x)?;\n    half(h)\n}\n");
    expect(ts).toContain('const $r: Result<i32, string> = half(x);\n  if ($r.$tag === "Err") return $r;\n  const h: i32 = $r._0;');
  });

  it("lowers xdv_call, syscall and bodiless functions to the typed ABI", async () => {
    const { ts, warnings } = await emit(
      "fn host_frobnicate(x: u64) -> Result<u64, ErrorCode>\n\nfn submit(job: QJobDescriptor, cap: CapabilityHandle) -> Result<MeasurementHandle, ErrorCode> {\n    xdv_call(K, Q, job.ptr(), cap.raw());\n}\n\nfn log(m: String) {\n    syscall(SYS_LOG, m.ptr());\n}\n",
    );
    expect(ts).toContain("return abiXdvCall<$m_q_abi.MeasurementHandle, $m_domains.ErrorCode>($m_domains.K, $m_domains.Q, job, cap.raw_id);");
    expect(ts).toContain("abiSyscallRaw($m_abi.SYS_LOG, m);");
    expect(ts).toContain('return hostCall<Result<u64, $m_domains.ErrorCode>>("host_frobnicate", true, [x], $1_4);');
    expect(warnings).toContain("host_frobnicate");
  });

  it("brands Q and Φ types so TypeScript rejects a domain mix too", async () => {
    const { ts } = await emit("@domain(Q)\nstruct QReg {\n    amps: Vec<f64>,\n    width: K<u32>,\n}\n\n@domain(Q)\nfn prepare(n: u32) -> QReg\n\nfn width(r: &QReg) -> u32 {\n    r.width\n}\n");
    expect(ts).toContain("export interface QReg extends Q<\"QReg\"> {");
    expect(ts).toContain("amps: Q<Vec<f64>>;");
    expect(ts).toContain("width: u32;");
    expect(ts).toContain('export const QReg$ty: Ty = T.opaque("Q", "QReg");');
  });

  it("gives generic functions descriptor and dictionary witnesses", async () => {
    const { ts } = await emit("trait Named {\n    fn name(&self) -> String;\n}\n\nstruct A;\n\nimpl Named for A {\n    fn name(&self) -> String { String::from(\"a\") }\n}\n\nfn greet<T: Named>(x: &T) -> String {\n    format!(\"hi {}\", x.name())\n}\n\nfn main() {\n    println!(\"{}\", greet(&A));\n}\n");
    expect(ts).toContain("export function greet<T>(x: T, $ty_T: Ty, $dict_T_Named: Named$dict<T>): string {");
    expect(ts).toContain("$dict_T_Named.name(x)");
    expect(ts).toContain("greet({}, A$ty, A$Named)");
    expect(ts).toContain("export const A$Named: Named$dict<A> = {");
  });

  it("maps labelled loops and `loop` values onto JavaScript labels and temporaries", async () => {
    const { ts } = await emit("fn main() {\n    let mut n = 0;\n    let r = 'outer: loop {\n        loop {\n            n += 1;\n            if n > 3 { break 'outer n * 2; }\n        }\n    };\n}\n");
    expect(ts).toContain("outer: for (;;) {");
    expect(ts).toContain("break outer;");
  });
});
