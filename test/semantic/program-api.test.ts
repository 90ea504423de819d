/**
 * The typed result later stages use (the emitter, the language server): a type for every
 * expression and what every path, method call and field access resolved to.
 */
import { describe, expect, it } from "vitest";
import type * as A from "../../src/syntax/ast.js";
import { printTy } from "../../src/semantic/index.js";
import { program } from "./support.js";

function exprs(p: ReturnType<typeof program>): A.Expr[] {
  return [...p.tables.exprTypes.keys()];
}

describe("CheckedProgram tables", () => {
  const p = program(`struct Point { x: i64, y: i64 }
impl Point { fn norm(&self) -> i64 { self.x * self.x + self.y * self.y } }
fn main() -> i64 {
    let pts = vec![Point { x: 1, y: 2 }];
    let first = &pts[0];
    let n = first.norm();
    let total: u8 = 7;
    n + first.y + (total as i64)
}`);

  it("has a resolved type for every expression of the user's bodies", () => {
    const all = exprs(p).filter((e) => e.span.file === "case.ds");
    expect(all.length).toBeGreaterThan(20);
    for (const e of all) expect(printTy(p.tables.exprTypes.get(e)!), e.kind).not.toMatch(/\{integer\}|\{float\}/);
  });

  it("types literals from context and records instantiated generics", () => {
    const lits = exprs(p).filter((e): e is A.IntLit => e.kind === "IntLit" && e.span.file === "case.ds");
    const byValue = new Map(lits.map((l) => [l.raw, printTy(p.tables.exprTypes.get(l)!)]));
    expect(byValue.get("7")).toBe("u8");
    expect(byValue.get("1")).toBe("i64");
    const vecCall = exprs(p).find((e) => e.kind === "MacroCallExpr");
    expect(printTy(p.tables.exprTypes.get(vecCall!)!)).toBe("Vec<Point>");
  });

  it("resolves paths to locals, method calls to their definitions, and fields with auto-deref", () => {
    const method = [...p.tables.methodRes.entries()].find(([e]) => e.method.name === "norm")![1];
    expect(method.kind).toBe("fn");
    expect(method.autoref).toBe("ref");
    if (method.kind === "fn") expect(method.def.name).toBe("norm");
    const field = [...p.tables.fieldRes.entries()].find(([e]) => e.field.name === "y" && e.span.start.line === 8)![1];
    expect(field.field?.name).toBe("y");
    expect(field.derefs).toBe(1);
    const local = [...p.tables.valueRes.entries()].find(([e, r]) => r.kind === "local" && e.segments[0]!.name.name === "first")![1];
    expect(local.kind === "local" && printTy(local.def.ty)).toBe("&Point");
  });

  it("resolves the generic arguments of calls and the types of patterns", () => {
    const q = program(`fn id<T>(x: T) -> T { x }\nfn f(o: Option<u64>) -> u8 {\n    let (a, _b) = (id(5), o);\n    a\n}`);
    const call = [...q.tables.valueRes.entries()].find(([e]) => e.segments[0]!.name.name === "id")![1];
    expect(call.kind === "fn" && call.typeArgs.map(printTy)).toEqual(["u8"]);
    const tuplePat = [...q.tables.patTypes.entries()].find(([p]) => p.kind === "TuplePattern")![1];
    expect(printTy(tuplePat)).toBe("(u8, Option<u64>)");
  });

  it("records the tail-rule statements of ABI calls", () => {
    const q = program(`fn submit(job: QJobDescriptor, cap: CapabilityHandle) -> Result<MeasurementHandle, ErrorCode> {\n    xdv_call(K, Q, job.ptr(), cap.raw());\n}`);
    expect(q.tables.abiTailStmts.size).toBe(1);
    const call = [...q.tables.abiTailStmts][0]!.expr;
    expect(printTy(q.tables.exprTypes.get(call)!)).toBe("Result<MeasurementHandle, ErrorCode>");
    expect(q.diagnostics).toEqual([]);
  });
});
