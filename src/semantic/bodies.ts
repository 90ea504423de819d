/**
 * Checking bodies: every function with a DPL body (free functions, methods, trait default
 * methods, functions declared inside blocks) and every constant initializer, in source
 * order. Each body gets a fresh `BodyChecker` and inference state.
 */
import { raise } from "../diagnostics/messages/message.js";
import { Unresolved } from "../diagnostics/messages/unresolved.js";
import { TypeMismatch } from "../diagnostics/messages/type-mismatch.js";
import type * as A from "../syntax/ast.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { ConstDef, FnDef, ImplDef, LocalDef, ModuleDef } from "./defs.js";
import type { Sema } from "./context.js";
import { BodyChecker, localIdCounter } from "./checker.js";
import { checkBlock } from "./check-flow.js";
import { checkExpect } from "./check-expr.js";
import { flushBounds } from "./check-call.js";
import { bindPattern } from "./patterns.js";
import { constType, fnScope, fnSig, implSelfTy, scopeOf } from "./lower.js";
import { collectItems } from "./collect.js";
import { createModule } from "./world.js";
import { declareWorld } from "./decls.js";
import type { PreludeDefs } from "./intrinsics.js";
import { XDV_CALL, SYSCALL } from "./intrinsics.js";
import { lookupUnqualified } from "./resolve.js";
import { isUnit, printTy, shallow, zonk, UNIT } from "./types.js";
import type { BodyInfo } from "./tables.js";
import { noteMoveFree } from "./ownership.js";

export interface BodyHost {
  readonly prelude: PreludeDefs;
}

const hosts = new WeakMap<Sema, BodyHost>();

/**
 * Check the bodies of a module's items; with `perItem`, the diagnostics each item's bodies
 * raised are kept by item (the editor re-checks one item and keeps the others' share).
 */
export function checkModuleBodies(s: Sema, host: BodyHost, m: ModuleDef, perItem?: Map<A.Item, Diagnostic[]>): void {
  hosts.set(s, host);
  const diags = s.world.diagnostics;
  for (const it of m.items) {
    const from = diags.length;
    checkItemBodies(s, host, it);
    if (perItem && diags.length > from) perItem.set(it, diags.slice(from));
  }
}

export function checkItemBodies(s: Sema, host: BodyHost, it: A.Item): void {
  hosts.set(s, host);
  const d = s.tables.itemDefs.get(it);
  switch (it.kind) {
    case "FnItem":
      if (d && d.kind === "fn") checkFnBody(s, host, d);
      break;
    case "ConstItem":
      if (d && d.kind === "const") checkConstBody(s, host, d);
      break;
    case "ImplItem":
      if (d && d.kind === "impl") {
        for (const f of d.methods.values()) checkFnBody(s, host, f);
        for (const k of d.consts.values()) checkConstBody(s, host, k);
      }
      break;
    case "TraitItem":
      if (d && d.kind === "trait") for (const f of d.methods.values()) checkFnBody(s, host, f);
      break;
    default:
      break;
  }
}

/** The `xdv_call(...);` / `syscall(...);` statement that is the body's result, if the tail rule applies. */
function abiTailOf(s: Sema, m: ModuleDef, block: A.Block, ret: ReturnType<typeof fnSig>["ret"]): A.ExprStmt | null {
  if (block.tail || isUnit(ret)) return null;
  const last = block.stmts[block.stmts.length - 1];
  if (!last || last.kind !== "ExprStmt" || !last.hasSemi) return null;
  const call = last.expr;
  if (call.kind !== "CallExpr" || call.callee.kind !== "PathExpr" || call.callee.segments.length !== 1) return null;
  const d = lookupUnqualified(s.resolver, m, call.callee.segments[0]!.name.name, "value");
  return d === XDV_CALL || d === SYSCALL ? last : null;
}

function checkFnBody(s: Sema, host: BodyHost, f: FnDef): void {
  const ast = f.ast;
  if (!ast || ast.body.kind !== "block") return;
  const sig = fnSig(s, f);
  const base = fnScope(s, f);
  const firstLocal = localIdCounter();
  let checker: BodyChecker | null = null;
  const hole = () => checker!.fresh();
  checker = new BodyChecker(s, f.module, f, null, f.domain, { ...base, hole }, sig.ret, host.prelude);
  const c = checker;
  c.pushScope();
  if (ast.selfParam && sig.selfTy) {
    const id: A.Ident = { kind: "Ident", name: "self", span: ast.selfParam.span };
    c.selfLocal = c.declareLocal(id, sig.selfTy, ast.selfParam.mode === "mutValue", "self", false, ast.selfParam);
  }
  ast.params.forEach((p, i) => {
    const t = sig.params[i]?.ty ?? UNIT;
    c.params.push(...bindPattern(c, p.pattern, t, "param", true));
  });
  const block = ast.body.block;
  const abiTail = abiTailOf(s, f.module, block, sig.ret);
  if (block.tail || abiTail) {
    checkBlock(c, block, sig.ret, { site: "return", origin: ast.returnType?.span, originMessage: "expected because of the return type" }, abiTail);
  } else {
    const t = checkBlock(c, block, null, null);
    if (shallow(t).k !== "never" && c.inf.unify(sig.ret, UNIT) !== null) {
      const last = block.stmts[block.stmts.length - 1];
      const lastTy = last && last.kind === "ExprStmt" ? c.typeOf(last.expr) : null;
      const returnsIt = lastTy !== null && c.inf.probe(sig.ret, lastTy);
      c.raise(ast.returnType?.span ?? ast.name.span, TypeMismatch.missingReturnValue(printTy(zonk(sig.ret)), returnsIt));
    }
  }
  c.popScope();
  c.inf.defaultLiterals();
  flushBounds(c);
  c.finish();
  const info: BodyInfo = { fn: f, const: null, module: f.module, body: block, params: c.params, selfLocal: c.selfLocal, touchesPhi: c.touchesPhi, localIds: [firstLocal, localIdCounter()] };
  s.tables.bodies.push(info);
  if (!c.mayMove) noteMoveFree(s.tables);
}

function checkConstBody(s: Sema, host: BodyHost, k: ConstDef): void {
  const value = k.ast.value;
  if (!value) return;
  const t = constType(s, k);
  const firstLocal = localIdCounter();
  const selfTy = k.owner ? implSelfTy(s, k.owner) : null;
  let checker: BodyChecker | null = null;
  const sc = scopeOf(k.module, k.owner?.generics ?? [], selfTy);
  checker = new BodyChecker(s, k.module, null, k, k.ann.domain ?? "K", { ...sc, hole: () => checker!.fresh() }, t, host.prelude);
  const c = checker;
  c.pushScope();
  checkExpect(c, value, t, { site: "let", origin: k.ast.type?.span, originMessage: "expected because of this type" });
  c.popScope();
  c.inf.defaultLiterals();
  flushBounds(c);
  c.finish();
  const info: BodyInfo = { fn: null, const: k, module: k.module, body: value, params: [] as LocalDef[], selfLocal: null, touchesPhi: c.touchesPhi, localIds: [firstLocal, localIdCounter()] };
  s.tables.bodies.push(info);
  if (!c.mayMove) noteMoveFree(s.tables);
}

/** Items declared inside a block get a module of their own, nested in the enclosing scope. */
export function enterBlockItems(c: BodyChecker, b: A.Block): ModuleDef {
  const s = c.s;
  const outer = c.module;
  const items = b.stmts.filter((x): x is A.ItemStmt => x.kind === "ItemStmt").map((x) => x.item);
  const bm = createModule(s.world, {
    name: outer.name,
    parent: outer.parent ?? null,
    outer,
    source: outer.source,
    filePath: null,
    dirPath: outer.dirPath,
    items,
    profile: outer.profile,
    isStdlib: outer.isStdlib,
    isTrusted: outer.isTrusted,
    isPrelude: outer.isPrelude,
    prelude: outer.prelude,
    nameSpan: null,
    docs: [],
  });
  (bm as { root: ModuleDef }).root = outer.root;
  const impls: ImplDef[] = collectItems(
    {
      world: s.world,
      report: s.report,
      childModule(_parent, item) {
        raise(s.report, item.name.span, Unresolved.moduleInBody());
        return null;
      },
    },
    bm,
    items,
  );
  declareWorld(s, [bm], impls);
  const host = hosts.get(s);
  if (host) checkModuleBodies(s, host, bm);
  return bm;
}
