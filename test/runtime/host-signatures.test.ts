/**
 * The host binding table against the stdlib's declarations. A bodiless DPL function is a
 * promise that the host implements it; its row in `packages/runtime/src/host-bindings.ts`
 * must take exactly the declared parameters and give a `Result` exactly when the
 * declaration returns one. A drift between the two would otherwise surface only in a
 * user's run, as a wrong value or a DOMAIN_PANIC.
 *
 * The rows are read with the TypeScript compiler (the table's own source), the
 * declarations with dplc's parser.
 */
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { REPO_ROOT } from "../helpers.js";
import { parseText } from "../../src/syntax/parse.js";
import type * as A from "../../src/syntax/ast.js";

interface Declared {
  readonly where: string;
  readonly arity: number;
  readonly returnsResult: boolean;
}

interface Row {
  readonly name: string;
  readonly arity: number;
  readonly returnsResult: boolean;
}

const STDLIB = join(REPO_ROOT, "stdlib");
const TABLE = join(REPO_ROOT, "packages", "runtime", "src", "host-bindings.ts");

/**
 * The kernel's hardware hooks (XDV-080/082/083): declared for programs that import the
 * reference kernel modules, implemented by no host yet; `dplc build` warns about them.
 */
const UNBOUND_KERNEL_HOOKS = [
  "dal_k_invoke", "dal_load_phi_transform", "dal_load_q_job", "hpi_attest", "phihpi_apply", "phihpi_close",
  "phihpi_open_envelope", "qhpi_bind_job", "qhpi_circuit_depth", "qhpi_execute", "rot_measure_kernel",
];

function dsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? dsFiles(p) : n.endsWith(".ds") ? [p] : [];
  });
}

function isResultType(t: A.Type | null): boolean {
  if (!t || t.kind !== "PathType") return false;
  const segs = (t as A.PathType).segments;
  return segs[segs.length - 1]!.name.name === "Result";
}

/** Every bodiless function outside traits (a trait's `fn f();` is a requirement, not a host call). */
function declarations(): Map<string, Declared[]> {
  const out = new Map<string, Declared[]>();
  const visit = (items: readonly A.Item[], where: string): void => {
    for (const item of items) {
      if (item.kind === "FnItem" && item.body.kind !== "block") {
        const list = out.get(item.name.name) ?? [];
        list.push({ where, arity: item.params.length + (item.selfParam ? 1 : 0), returnsResult: isResultType(item.returnType) });
        out.set(item.name.name, list);
      } else if (item.kind === "ModItem" && item.items) visit(item.items, where);
      else if (item.kind === "ImplItem") visit(item.items, where);
    }
  };
  for (const file of dsFiles(STDLIB)) {
    const parsed = parseText(file, readFileSync(file, "utf8"));
    expect(parsed.diagnostics, file).toEqual([]);
    visit(parsed.module.items, relative(REPO_ROOT, file));
  }
  return out;
}

/** What a row's function gives back: a `result(..)`/`Ok(..)`/`Err(..)` call is a Result. */
function producesResult(fn: ts.ArrowFunction): boolean {
  const isResultCall = (e: ts.Expression | undefined): boolean =>
    !!e && ts.isCallExpression(e) && ts.isIdentifier(e.expression) && ["result", "Ok", "Err"].includes(e.expression.text);
  if (!ts.isBlock(fn.body)) return isResultCall(fn.body);
  const returns: ts.ReturnStatement[] = [];
  const collect = (n: ts.Node): void => {
    if (ts.isReturnStatement(n)) returns.push(n);
    else if (!ts.isFunctionLike(n)) ts.forEachChild(n, collect);
  };
  collect(fn.body);
  return returns.length > 0 && returns.every((r) => isResultCall(r.expression));
}

/** The `[name, (abi, [a, b]) => ...]` rows of the table. */
function rows(): Row[] {
  const text = readFileSync(TABLE, "utf8");
  const sf = ts.createSourceFile(TABLE, text, ts.ScriptTarget.ES2022, true);
  const out: Row[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isArrayLiteralExpression(n) && n.elements.length === 2) {
      const [name, impl] = n.elements;
      if (name && impl && ts.isStringLiteral(name) && ts.isArrowFunction(impl)) {
        const args = impl.parameters[1];
        const arity = args && ts.isArrayBindingPattern(args.name) ? args.name.elements.length : 0;
        out.push({ name: name.text, arity, returnsResult: producesResult(impl) });
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe("the host binding table", () => {
  const declared = declarations();
  const table = rows();

  it("has rows, each for a function the stdlib declares without a body", () => {
    expect(table.length).toBeGreaterThan(20);
    const orphans = table.filter((r) => !declared.has(r.name)).map((r) => r.name);
    expect(orphans).toEqual([]);
  });

  it("takes each declared parameter and gives a Result exactly where the declaration returns one", () => {
    const mismatches: string[] = [];
    for (const row of table) {
      for (const d of declared.get(row.name) ?? []) {
        // A row may ignore trailing parameters it does not need only by naming them all:
        // arity is compared exactly, so a parameter added in DPL fails here.
        if (row.arity !== d.arity) mismatches.push(`${row.name}: ${d.where} declares ${d.arity} parameter(s), the row takes ${row.arity}`);
        if (row.returnsResult !== d.returnsResult) mismatches.push(`${row.name}: ${d.where} ${d.returnsResult ? "returns" : "does not return"} a Result, the row ${row.returnsResult ? "gives" : "does not give"} one`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("leaves unbound only the reference kernel's hardware hooks", () => {
    const bound = new Set(table.map((r) => r.name));
    const unbound = [...declared.keys()].filter((n) => !bound.has(n)).sort();
    expect(unbound).toEqual([...UNBOUND_KERNEL_HOOKS].sort());
  });
});
