import { describe, expect, it } from "vitest";
import { parseText } from "../../src/syntax/parse.js";
import { formatText } from "../../src/format/format.js";
import type * as A from "../../src/syntax/ast.js";

function parseOk(text: string): A.Module {
  const r = parseText("t.ds", text);
  expect(r.diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.code} ${d.message}`)).toEqual([]);
  return r.module;
}

function errors(text: string): string[] {
  return parseText("t.ds", text).diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.code}`);
}

function tailOf(text: string): A.Expr {
  const m = parseOk(`fn f() { ${text} }`);
  const fn = m.items[0] as A.FnItem;
  if (fn.body.kind !== "block" || !fn.body.block.tail) throw new Error("no tail");
  return fn.body.block.tail;
}

/** A compact s-expression of an expression tree, to pin precedence. */
function sx(e: A.Expr): string {
  switch (e.kind) {
    case "BinaryExpr":
      return `(${e.op} ${sx(e.left)} ${sx(e.right)})`;
    case "UnaryExpr":
      return `(${e.op} ${sx(e.operand)})`;
    case "CastExpr":
      return `(as ${sx(e.expr)})`;
    case "IntLit":
      return e.raw;
    case "PathExpr":
      return e.segments.map((s) => s.name.name).join("::");
    case "RangeExpr":
      return `(range ${e.start ? sx(e.start) : "_"} ${e.end ? sx(e.end) : "_"})`;
    case "AssignExpr":
      return `(${e.op} ${sx(e.target)} ${sx(e.value)})`;
    case "MethodCallExpr":
      return `(.${e.method.name} ${[e.receiver, ...e.args].map(sx).join(" ")})`;
    case "RefExpr":
      return `(&${e.isMut ? "mut " : ""}${sx(e.operand)})`;
    case "CallExpr":
      return `(call ${[e.callee, ...e.args].map(sx).join(" ")})`;
    case "IndexExpr":
      return `([] ${sx(e.object)} ${sx(e.index)})`;
    case "FieldExpr":
      return `(.${e.field.name} ${sx(e.object)})`;
    case "StructLitExpr":
      return `(struct ${sx(e.path)} ${e.fields.map((f) => `${f.name.name}:${sx(f.value)}`).join(" ")})`;
    case "ArrayExpr":
      return `[${e.elements.map(sx).join(" ")}]`;
    case "TupleExpr":
      return `(tuple ${e.elements.map(sx).join(" ")})`;
    case "TryExpr":
      return `(? ${sx(e.expr)})`;
    case "ParenExpr":
      return sx(e.inner);
    default:
      return e.kind;
  }
}

describe("items", () => {
  it("parses the bodiless forms as declarations", () => {
    const m = parseOk(`struct Capability<D, Scope>
struct QState { ... }
struct Unit;
struct Pair(u64, pub u8);
fn host(x: u64) -> u64
fn also(x: u64) -> u64 { ... }
fn real() -> u64 { 1 }`);
    const bodies = m.items.map((i) => (i.kind === "StructItem" ? i.body.kind + (i.body.kind === "opaque" ? ":" + i.body.form : "") : i.kind === "FnItem" ? i.body.kind : i.kind));
    expect(bodies).toEqual(["opaque:none", "opaque:ellipsis", "unit", "tuple", "none", "ellipsis", "block"]);
  });

  it("parses annotations, generics with bounds, enums, impls and traits", () => {
    const m = parseOk(`@domain(Q)
@noncopy
pub struct QContainer<C: QContract + Clone> { ... }
#[derive(Debug)]
enum E { A, B(u64, u8), C { x: u8 }, D = 4 }
trait T: Clone { fn m(&self) -> u64; fn d(self) -> u64 { 1 } }
impl<T: Clone> T for Vec<T> { fn m(&self) -> u64 { 0 } }
use runtime::domain::{q_api::*, k_api::k_log as log};
mod inner { pub const X: u64 = 1; static mut G: u64 = 0; }
type Alias<T> = Result<T, ErrorCode>;`);
    const s = m.items[0] as A.StructItem;
    expect(s.annotations.map((a) => a.name.name)).toEqual(["domain", "noncopy"]);
    expect(s.generics[0]!.bounds.map((b) => b.segments[0]!.name.name)).toEqual(["QContract", "Clone"]);
    expect((m.items[1] as A.EnumItem).variants.map((v) => v.shape)).toEqual(["unit", "tuple", "struct", "unit"]);
    expect((m.items[1] as A.EnumItem).annotations[0]!.name.name).toBe("derive");
    expect((m.items[3] as A.ImplItem).trait?.segments[0]!.name.name).toBe("T");
    const use = (m.items[4] as A.UseItem).tree;
    expect(use.shape.kind).toBe("group");
  });

  it("accepts Unicode identifiers, a BOM and CRLF line ends", () => {
    const r = parseText("t.ds", "\ufefffn f(Φ: u64) -> Φ<u64> {\r\n    let φ = Φ;\r\n    φ\r\n}\r\n");
    expect(r.diagnostics).toEqual([]);
    const fn = r.module.items[0] as A.FnItem;
    expect(fn.params[0]!.pattern.kind === "BindingPattern" && fn.params[0]!.pattern.name.name).toBe("Φ");
  });

  it("closes nested generics without a `>>` token", () => {
    const m = parseOk("fn f(v: Vec<Vec<u64>>) -> Option<Result<u8, Vec<u8>>> { v }");
    expect((m.items[0] as A.FnItem).params[0]!.type.kind).toBe("PathType");
  });
});

describe("expressions", () => {
  it("follows Rust's precedence", () => {
    expect(sx(tailOf("1 + 2 * 3 - 4"))).toBe("(- (+ 1 (* 2 3)) 4)");
    expect(sx(tailOf("a || b && c == d"))).toBe("(|| a (&& b (== c d)))");
    expect(sx(tailOf("a | b ^ c & d << 1 + 2"))).toBe("(| a (^ b (& c (<< d (+ 1 2)))))");
    expect(sx(tailOf("x >> 2 > y"))).toBe("(> (>> x 2) y)");
    expect(sx(tailOf("-x as u64 * 2"))).toBe("(* (as (- x)) 2)");
    expect(sx(tailOf("a.b()? + 1"))).toBe("(+ (? (.b a)) 1)");
    expect(sx(tailOf("0..n + 1"))).toBe("(range 0 (+ n 1))");
  });

  // The parser makes each decision's alternatives once and hands a call's operand and start
  // to them through fields (syntax/parser-base.ts, `sepOrCloseAlts`): a nested expression of
  // the same rule must not take the outer one's.
  it("keeps each nested postfix, path and primary expression's own operand", () => {
    expect(sx(tailOf("a.b(c[d.e(f)?].g)[h as u8]?"))).toBe("(? ([] (.b a (.g ([] c (? (.e d f))))) (as h)))");
    expect(sx(tailOf("-x[i.j(k - -y[z])] * &mut w.0.1"))).toBe("(* (- ([] x (.j i (- k (- ([] y z)))))) (&mut (.1 (.0 w))))");
    expect(sx(tailOf("p::q::<u8>(r::s(t).u, [v.w, x::y][0]) + (m.n, o)"))).toBe("(+ (call p::q (.u (call r::s t)) ([] [(.w v) x::y] 0)) (tuple (.n m) o))");
    expect(sx(tailOf("S { x: a.b(c), y: d[e] }.x"))).toBe("(.x (struct S x:(.b a c) y:([] d e)))");
    expect(sx(tailOf("f(g(h(i)[j])[k])[l].m(n(o).p)"))).toBe("(.m ([] (call f ([] (call g ([] (call h i) j)) k)) l) (.p (call n o)))");
  });

  it("parses compound assignment including `>>=`", () => {
    const m = parseOk("fn f() { x >>= 2; y <<= 1; z += 3; }");
    const stmts = ((m.items[0] as A.FnItem).body as { block: A.Block }).block.stmts;
    expect(stmts.map((s) => (s.kind === "ExprStmt" && s.expr.kind === "AssignExpr" ? s.expr.op : "?"))).toEqual([">>=", "<<=", "+="]);
  });

  it("does not take struct literals in condition position", () => {
    const m = parseOk("fn f() { if x == y { 1 } else { 2 }; while a < b { }; match s { S { a } => a, _ => 0 }; let v = S { a: 1, ..base }; }");
    const stmts = ((m.items[0] as A.FnItem).body as { block: A.Block }).block.stmts;
    expect(stmts.map((s) => (s.kind === "ExprStmt" ? s.expr.kind : s.kind))).toEqual(["IfExpr", "WhileExpr", "MatchExpr", "LetStmt"]);
  });

  it("parses closures, labels, macros, tuple indexes and if-let", () => {
    const m = parseOk(`fn f() {
    let c = |a: u64, b| a + b;
    let d = move || 1;
    'outer: for i in 0..10 { loop { break 'outer; } }
    println!("{}", t.0.1);
    let v = vec![0u8; 4];
    if let Some(x) = opt { x } else { 0 };
    while let Some(y) = it.next() { }
}`);
    expect(m.items).toHaveLength(1);
  });

  it("parses literals with suffixes and radixes", () => {
    const e = tailOf("0xFF_u8 + 0o17 + 0b1010_1010u64 + 1_000i128 + 2.5f32") as A.BinaryExpr;
    expect(e.kind).toBe("BinaryExpr");
    const m = parseOk("fn f() { let a = 5u64; let b = 'Φ'; let c = \"a\\n\\u{3A6}\"; }");
    const lets = ((m.items[0] as A.FnItem).body as { block: A.Block }).block.stmts as A.LetStmt[];
    expect((lets[0]!.init as A.IntLit).suffix).toBe("u64");
    expect((lets[1]!.init as A.CharLit).value).toBe("Φ");
    expect((lets[2]!.init as A.StrLit).value).toBe("a\nΦ");
  });
});

describe("positions", () => {
  it("counts columns in code points and lines across CRLF", () => {
    const r = parseText("t.ds", "fn f() {\r\n    let Φ = ;\r\n}\r\n");
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.span.start).toMatchObject({ line: 2, column: 13 });
  });
});

describe("error recovery", () => {
  it("reports several independent errors, each on its own line", () => {
    const text = `fn a() {
    let x = ;
}
struct S { a: u64 b: u64 }
fn b() -> u64 {
    let s = "never closed;
    1
}
fn c() { let n = 5u65; }
fn d() { g(1 2); }
`;
    const errs = errors(text);
    expect(errs).toContain("2:13 DPL1001");
    expect(errs).toContain("4:19 DPL1001");
    expect(errs).toContain("6:13 DPL1002");
    expect(errs).toContain("9:18 DPL1003");
    expect(errs).toContain("10:14 DPL1001");
  });

  it("keeps the rest of the file as a tree", () => {
    const r = parseText("t.ds", "fn a() { let x = ; }\nfn b() -> u64 { 1 }\nstruct S { a: u64 }\n?? junk\nenum E { A }\n");
    expect(r.module.items.filter((i) => i.kind !== "ErrorItem").map((i) => (i as A.FnItem).name.name)).toEqual(["a", "b", "S", "E"]);
    expect(r.diagnostics.length).toBeGreaterThanOrEqual(2);
  });

  it("reports invalid characters and unterminated comments", () => {
    expect(errors("fn a() { let x = 1 ∩ 2; }")).toContain("1:20 DPL1003");
    expect(errors("fn a() {}\n/* open")).toContain("2:1 DPL1002");
  });
});

describe("match arms", () => {
  // Found by the formatter property (seed -1880092942): `dplc fmt` drops the comma after a
  // block arm, as rustfmt does, so the next arm must not read as a call of the block.
  it("a block-like arm body ends the arm, as in Rust", () => {
    const m = tailOf("match 1 { 0 => {  } (a, b) => 0, _ => 1 }");
    expect(m.kind).toBe("MatchExpr");
    const arms = (m as A.MatchExpr).arms;
    expect(arms.map((a) => a.body.kind)).toEqual(["BlockExpr", "IntLit", "IntLit"]);
    expect(arms[1]!.pattern.kind).toBe("TuplePattern");
  });

  it("and a formatted match with such an arm parses back to the same arms", () => {
    const r = formatText("t.ds", "fn f(p: (i32, i32)) -> i32 { match p { (0, 0) => { 1 }, (a, b) => a + b } }\n");
    expect(r.text).not.toBe("");
    const fn = parseOk(r.text).items[0] as A.FnItem;
    if (fn.body.kind !== "block" || !fn.body.block.tail) throw new Error("no tail");
    expect((fn.body.block.tail as A.MatchExpr).arms).toHaveLength(2);
  });
});
