/**
 * u64/i64 locals computed on numbers, with an exact bigint fallback.
 *
 * A u64 or i64 is a bigint wherever it crosses a boundary (parameters, returns, fields,
 * the host ABI, generic code), and a bigint operation costs an allocation. A local whose
 * value never leaves the function's arithmetic, though, can be held in the runtime's
 * hybrid form instead (int-hybrid.ts: a safe integer as `number`, anything beyond 2^53 - 1
 * as `bigint`, one canonical form per value), computed with `u64h`/`i64h`, whose number
 * fast path allocates nothing and whose bigint slow path is as exact as before: the same
 * values, the same faults at 2^64 and 2^63, the same messages.
 *
 * Which locals: `let` bindings (a plain name) of type u64/i64 whose every initializer and
 * assignment is a "hybrid expression" and whose every read is an operand of one, or of a
 * comparison with one. Hybrid expressions are literals, such locals, `+ - * / %` of
 * hybrid expressions, `-x`, casts from number-backed or usize/isize values, and plain
 * `if`/`else` with hybrid tails; formatting macros' arguments read either form. Anything
 * else (a call argument, a return, `&x`, a closure) disqualifies the local; that is
 * repeated until nothing changes.
 */
import type * as A from "../syntax/ast.js";
import type { LocalDef } from "../semantic/defs.js";
import { shallow, type Ty } from "../semantic/types.js";
import { needsStmts, type Body } from "./body.js";
import { forEachChild } from "./index-math.js";
import { intName, intReprOf } from "./repr.js";

const ARITH = new Set(["+", "-", "*", "/", "%"]);
const COMPARE = new Set(["==", "!=", "<", "<=", ">", ">="]);
const COMPOUND = new Set(["=", "+=", "-=", "*=", "/=", "%="]);
const FORMAT_MACROS = new Set(["println", "print", "eprintln", "eprint", "format", "panic", "write", "writeln"]);

/** u64 or i64 as a plain primitive (not behind a domain or a reference). */
export function isWordTy(t: Ty): boolean {
  const s = shallow(t);
  return s.k === "prim" && (s.name === "u64" || s.name === "i64");
}

export interface HybridPlan {
  /** Locals declared and held in the hybrid form. */
  readonly locals: ReadonlySet<LocalDef>;
  /** Expressions emitted in the hybrid form (literals, arithmetic, casts, the locals' reads). */
  readonly exprs: ReadonlySet<A.Expr>;
}

export const NO_PLAN: HybridPlan = { locals: new Set(), exprs: new Set() };

export function hybridPlan(b: Body, body: A.Block, span: A.Node["span"]): HybridPlan {
  const root: A.Expr = { kind: "BlockExpr", block: body, isUnsafe: false, label: null, span };
  const parents = new Map<A.Expr, A.Expr>();
  const inits = new Map<A.Expr, LocalDef>();
  const candidates = new Set<LocalDef>();
  const assigns: [A.AssignExpr, LocalDef][] = [];
  // An explicit stack: bodies may nest deeply.
  const todo: A.Expr[] = [root];
  while (todo.length > 0) {
    const x = todo.pop()!;
    const blocks: A.Block[] = [];
    if (x.kind === "BlockExpr") blocks.push(x.block);
    else if (x.kind === "IfExpr") blocks.push(x.then, ...(x.else?.kind === "Block" ? [x.else] : []));
    else if (x.kind === "WhileExpr" || x.kind === "LoopExpr" || x.kind === "ForExpr") blocks.push(x.body);
    for (const bl of blocks) {
      for (const s of bl.stmts) {
        if (s.kind !== "LetStmt" || !s.init || s.elseBlock || s.pattern.kind !== "BindingPattern" || s.pattern.subpattern !== null) continue;
        const l = b.tables.bindings.get(s.pattern);
        if (l && isWordTy(l.ty)) {
          candidates.add(l);
          inits.set(s.init, l);
        }
      }
    }
    if (x.kind === "AssignExpr" && x.target.kind === "PathExpr") {
      const r = b.tables.valueRes.get(x.target);
      if (r?.kind === "local" && isWordTy(r.def.ty)) assigns.push([x, r.def]);
    }
    forEachChild(x, (c) => {
      parents.set(c, x);
      todo.push(c);
    });
  }
  if (candidates.size === 0) return NO_PLAN;

  const memo = new Map<A.Expr, boolean>();
  const isHybrid = (x: A.Expr): boolean => {
    let r = memo.get(x);
    if (r === undefined) {
      r = !needsStmts(x) && shape(x);
      memo.set(x, r);
    }
    return r;
  };
  const shape = (x: A.Expr): boolean => {
    switch (x.kind) {
      case "ParenExpr":
        return isHybrid(x.inner);
      case "IntLit":
        return isWordTy(b.typeOf(x));
      case "PathExpr": {
        const r = b.tables.valueRes.get(x);
        return r?.kind === "local" && candidates.has(r.def);
      }
      case "BinaryExpr":
        return ARITH.has(x.op) && isWordTy(b.typeOf(x)) && isHybrid(x.left) && isHybrid(x.right);
      case "UnaryExpr":
        return x.op === "-" && isWordTy(b.typeOf(x)) && isHybrid(x.operand);
      case "CastExpr": {
        const from = intName(b.typeOf(x.expr));
        if (!isWordTy(b.typeOf(x)) || shallow(b.typeOf(x.expr)).k !== "prim" || from === null) return false;
        return intReprOf(from) !== "bigint" || (isWordTy(b.typeOf(x.expr)) && isHybrid(x.expr));
      }
      case "IfExpr": {
        if (!isWordTy(b.typeOf(x)) || x.else === null || x.then.stmts.length > 0 || !x.then.tail || !isHybrid(x.then.tail)) return false;
        if (x.else.kind === "Block") return x.else.stmts.length === 0 && x.else.tail !== null && isHybrid(x.else.tail);
        return isHybrid(x.else);
      }
      default:
        return false;
    }
  };
  /** Is a hybrid expression `node` used where a hybrid value is welcome? */
  const welcome = (node0: A.Expr): boolean => {
    let node = node0;
    for (;;) {
      const init = inits.get(node);
      if (init) return candidates.has(init) && insideNoClosure(node);
      const p = parents.get(node);
      if (!p) return false;
      // A cast out of the hybrid form to any other number type reads either form (ops.ts).
      if (p.kind === "CastExpr" && !isWordTy(b.typeOf(p))) {
        const to = shallow(b.typeOf(p));
        return to.k === "prim" && to.name !== "char" && to.name !== "bool" && insideNoClosure(p);
      }
      if (p.kind === "ParenExpr" || p.kind === "BinaryExpr" || p.kind === "UnaryExpr" || p.kind === "IfExpr" || p.kind === "CastExpr") {
        if (p.kind === "IfExpr" && p.condition === node) return false;
        if (p.kind === "BinaryExpr" && COMPARE.has(p.op)) {
          const other = p.left === node ? p.right : p.left;
          return isHybrid(other) && insideNoClosure(p);
        }
        if (!isHybrid(p)) return false;
        node = p;
        continue;
      }
      // Formatting reads either form (the runtime's formatInt); a spilled argument would be
      // declared with its DPL type, so no argument may need statements.
      if (p.kind === "MacroCallExpr" && FORMAT_MACROS.has(p.name.name) && p.args.includes(node)) {
        return p.args.every((a) => !needsStmts(a)) && insideNoClosure(p);
      }
      if (p.kind === "AssignExpr" && COMPOUND.has(p.op) && isTargetLocal(p.target)) {
        return (p.value === node || isHybrid(p.value)) && insideNoClosure(p);
      }
      return false;
    }
  };
  const isTargetLocal = (t: A.Expr): boolean => {
    const r = t.kind === "PathExpr" ? b.tables.valueRes.get(t) : undefined;
    return r?.kind === "local" && candidates.has(r.def);
  };
  const insideNoClosure = (x: A.Expr): boolean => {
    for (let p = parents.get(x); p; p = parents.get(p)) if (p.kind === "ClosureExpr") return false;
    return true;
  };

  for (let changed = true; changed; ) {
    changed = false;
    memo.clear();
    for (const l of [...candidates]) {
      let ok = true;
      for (const [init, owner] of inits) if (owner === l && (!isHybrid(init) || !insideNoClosure(init))) ok = false;
      for (const [x, owner] of assigns) if (owner === l && (!COMPOUND.has(x.op) || !isHybrid(x.value) || !insideNoClosure(x))) ok = false;
      for (const u of b.tables.localUses.get(l) ?? []) if (ok && !welcome(u)) ok = false;
      if (!ok) {
        candidates.delete(l);
        changed = true;
        memo.clear();
      }
    }
  }
  if (candidates.size === 0) return NO_PLAN;

  // Mark every hybrid expression below a welcoming context: the locals' initializers and
  // assignments, and the operands of comparisons with them.
  const exprs = new Set<A.Expr>();
  const mark = (x: A.Expr): void => {
    if (!isHybrid(x) || exprs.has(x)) return;
    exprs.add(x);
    switch (x.kind) {
      case "ParenExpr":
        return mark(x.inner);
      case "BinaryExpr":
        mark(x.left);
        return mark(x.right);
      case "UnaryExpr":
        return mark(x.operand);
      case "CastExpr":
        return mark(x.expr);
      case "IfExpr":
        mark(x.then.tail!);
        if (x.else?.kind === "Block") mark(x.else.tail!);
        else if (x.else) mark(x.else);
        return;
      default:
        return;
    }
  };
  for (const [init, l] of inits) if (candidates.has(l)) mark(init);
  for (const [x, l] of assigns) {
    if (!candidates.has(l)) continue;
    exprs.add(x.target);
    mark(x.value);
  }
  for (const l of candidates) {
    for (const u of b.tables.localUses.get(l) ?? []) {
      // Climb to the outermost hybrid expression around the use, then mark from there.
      let node = u;
      for (let p = parents.get(node); p && p.kind !== "AssignExpr" && !(p.kind === "BinaryExpr" && COMPARE.has(p.op)) && isHybrid(p); p = parents.get(node)) node = p;
      const p = parents.get(node);
      if (p?.kind === "BinaryExpr" && COMPARE.has(p.op)) {
        mark(p.left);
        mark(p.right);
      } else if (p?.kind !== "AssignExpr") mark(node);
    }
  }
  return { locals: candidates, exprs };
}
