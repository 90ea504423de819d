/**
 * Scope ranges of one checked file: for every local the checker bound, the stretch of text
 * where its name is visible; for inline modules and blocks with items, the module their
 * names resolve in; and every expression with its offsets, for "what is at this position"
 * questions. Built from the syntax tree and the checker's bindings (no name is looked up
 * here), once per file and on demand.
 */
import type * as A from "../syntax/ast.js";
import { chainLeft, chainSpine, isChain } from "../syntax/chains.js";
import type { Span } from "../syntax/source.js";
import type { LocalDef, ModuleDef } from "./defs.js";
import type { ReadonlyTables } from "./tables.js";

export interface LocalRange {
  readonly local: LocalDef;
  /** Offsets in the file where the name is visible. */
  readonly from: number;
  readonly to: number;
}

export interface ModuleRange {
  readonly from: number;
  readonly to: number;
  readonly module: ModuleDef;
}

export interface ScopeRanges {
  readonly locals: readonly LocalRange[];
  readonly modules: readonly ModuleRange[];
  /** Every expression of the file, children before their parent. */
  readonly exprs: readonly A.Expr[];
}

function offsetsOf(span: Span): { start: number; end: number } {
  const o = span as Span & { startOffset?: number; endOffset?: number };
  return o.startOffset !== undefined && o.endOffset !== undefined ? { start: o.startOffset, end: o.endOffset } : { start: span.start.offset, end: span.end.offset };
}

export function scopeRanges(t: ReadonlyTables, items: readonly A.Item[]): ScopeRanges {
  const locals: LocalRange[] = [];
  const modules: ModuleRange[] = [];
  const exprs: A.Expr[] = [];

  const bindAll = (p: A.Node, from: number, to: number): void => {
    const l = t.bindings.get(p);
    if (l) locals.push({ local: l, from, to });
    const q = p as A.Pattern;
    switch (q.kind) {
      case "BindingPattern":
        if (q.subpattern) bindAll(q.subpattern, from, to);
        return;
      case "TuplePattern":
      case "TupleStructPattern":
        for (const e of q.elements) bindAll(e, from, to);
        return;
      case "StructPattern":
        for (const f of q.fields) bindAll(f.pattern ?? f, from, to);
        return;
      case "OrPattern":
        // Every alternative binds the same names: the first one's locals stand for them.
        if (q.alternatives[0]) bindAll(q.alternatives[0], from, to);
        return;
      case "RefPattern":
        bindAll(q.inner, from, to);
        return;
      case "LiteralPattern":
        expr(q.value);
        return;
      default:
        return;
    }
  };

  const item = (it: A.Item): void => {
    switch (it.kind) {
      case "ModItem": {
        const m = t.itemDefs.get(it);
        if (it.items && m && m.kind === "module") {
          const r = offsetsOf(it.span);
          modules.push({ from: r.start, to: r.end, module: m });
        }
        for (const x of it.items ?? []) item(x);
        return;
      }
      case "FnItem": {
        if (it.body.kind !== "block") return;
        const r = offsetsOf(it.span);
        if (it.selfParam) bindAll(it.selfParam, r.start, r.end);
        for (const p of it.params) {
          bindAll(p, r.start, r.end);
          bindAll(p.pattern, r.start, r.end);
        }
        block(it.body.block);
        return;
      }
      case "ImplItem":
      case "TraitItem":
        for (const x of it.items) item(x);
        return;
      case "ConstItem":
        if (it.value) expr(it.value);
        return;
      case "EnumItem":
        for (const v of it.variants) if (v.discriminant) expr(v.discriminant);
        return;
      default:
        return;
    }
  };

  const block = (b: A.Block): void => {
    const r = offsetsOf(b.span);
    const inner = b.stmts.flatMap((s) => (s.kind === "ItemStmt" ? [s.item] : []));
    const first = inner.map((i) => t.itemDefs.get(i)).find((d) => d !== undefined && "module" in d);
    if (first && "module" in first) modules.push({ from: r.start, to: r.end, module: first.module });
    for (const s of b.stmts) {
      if (s.kind === "LetStmt") {
        if (s.init) expr(s.init);
        if (s.elseBlock) block(s.elseBlock);
        bindAll(s.pattern, offsetsOf(s.span).end, r.end);
      } else if (s.kind === "ExprStmt") expr(s.expr);
      else if (s.kind === "ItemStmt") item(s.item);
    }
    if (b.tail) expr(b.tail);
  };

  const condition = (cond: A.Expr, body: A.Block): void => {
    if (cond.kind === "LetCondExpr") {
      expr(cond.value);
      const r = offsetsOf(body.span);
      bindAll(cond.pattern, r.start, r.end);
      exprs.push(cond);
    } else expr(cond);
    block(body);
  };

  const expr = (e: A.Expr): void => {
    if (isChain(e)) {
      // A chain with a loop (any length): its first operand, then each link's other
      // children and the link itself — the same order as the recursion below.
      const spine = chainSpine(e);
      expr(chainLeft(spine[spine.length - 1]!)!);
      for (let i = spine.length - 1; i >= 0; i--) {
        const link = spine[i]!;
        const cs = children(link);
        for (let j = 1; j < cs.length; j++) expr(cs[j]!);
        exprs.push(link);
      }
      return;
    }
    switch (e.kind) {
      case "BlockExpr":
        block(e.block);
        break;
      case "IfExpr":
        condition(e.condition, e.then);
        if (e.else?.kind === "Block") block(e.else);
        else if (e.else) expr(e.else);
        break;
      case "WhileExpr":
        condition(e.condition, e.body);
        break;
      case "LoopExpr":
        block(e.body);
        break;
      case "ForExpr": {
        expr(e.iterable);
        const r = offsetsOf(e.body.span);
        bindAll(e.pattern, r.start, r.end);
        block(e.body);
        break;
      }
      case "MatchExpr":
        expr(e.scrutinee);
        for (const arm of e.arms) {
          const r = offsetsOf(arm.span);
          bindAll(arm.pattern, r.start, r.end);
          if (arm.guard) expr(arm.guard);
          expr(arm.body);
        }
        break;
      case "ClosureExpr": {
        const r = offsetsOf(e.span);
        for (const p of e.params) {
          bindAll(p, r.start, r.end);
          bindAll(p.pattern, r.start, r.end);
        }
        expr(e.body);
        break;
      }
      case "StructLitExpr":
        for (const f of e.fields) if (f.value) expr(f.value);
        if (e.base) expr(e.base);
        break;
      case "MacroCallExpr":
        for (const a of e.args) expr(a);
        break;
      default:
        for (const c of children(e)) expr(c);
    }
    exprs.push(e);
  };

  for (const it of items) item(it);
  return { locals, modules, exprs };
}

function children(e: A.Expr): A.Expr[] {
  switch (e.kind) {
    case "UnaryExpr":
    case "RefExpr":
      return [e.operand];
    case "BinaryExpr":
      return [e.left, e.right];
    case "AssignExpr":
      return [e.target, e.value];
    case "CallExpr":
      return [e.callee, ...e.args];
    case "MethodCallExpr":
      return [e.receiver, ...e.args];
    case "FieldExpr":
      return [e.object];
    case "IndexExpr":
      return [e.object, e.index];
    case "CastExpr":
    case "TryExpr":
      return [e.expr];
    case "TupleExpr":
    case "ArrayExpr":
      return [...e.elements];
    case "ParenExpr":
      return [e.inner];
    case "ArrayRepeatExpr":
      return [e.value, e.count];
    case "RangeExpr":
      return [...(e.start ? [e.start] : []), ...(e.end ? [e.end] : [])];
    case "LetCondExpr":
      return [e.value];
    case "BreakExpr":
    case "ReturnExpr":
      return e.value ? [e.value] : [];
    default:
      return [];
  }
}
