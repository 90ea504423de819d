/**
 * Index arithmetic in JavaScript numbers.
 *
 * `usize` is a number with an exact bigint fallback (the runtime's int-hybrid.ts), and each
 * checked operation tests both forms, so `m[i * n + j]` inside three nested loops is
 * dominated by `usize.mul`/`usize.add` calls. An index,
 * though, is only ever used to look up an element of a sequence whose length is far below
 * 2^53: computing it with numbers gives the same element, and the same fault (index out of
 * bounds, with the same index) for any index a Vec can be asked for.
 *
 * So:
 *  - an index built from `+`, `*`, literals and usize values is computed as a number and
 *    looked up with `Vec.atN`/`setN`;
 *  - the counter of `for i in a..b` over usize whose every use is such an index leaf is a
 *    number itself (no bigint per iteration at all).
 * Subtraction is left to the checked `usize.sub`: `i - 1` at `i == 0` must be Rust's
 * "attempt to subtract with overflow", not an index of -1.
 */
import type * as A from "../syntax/ast.js";
import type { LocalDef } from "../semantic/defs.js";
import { CHAIN_SPILL, type Body } from "./body.js";
import { emitExpr } from "./exprs.js";
import { e, frag, operand, Prec, type E } from "./writer.js";
import { intName, isSequence, peelRefs } from "./repr.js";

const INDEX_INTS = new Set(["usize"]);
const SMALL_UNSIGNED = new Set(["u8", "u16", "u32"]);

/** The children of an expression (blocks' statements and tails included), for parent links. */
export function forEachChild(x: A.Expr, f: (c: A.Expr) => void): void {
  const block = (b: A.Block): void => {
    for (const s of b.stmts) {
      if (s.kind === "ExprStmt") f(s.expr);
      else if (s.kind === "LetStmt") {
        if (s.init) f(s.init);
        if (s.elseBlock) block(s.elseBlock);
      }
    }
    if (b.tail) f(b.tail);
  };
  switch (x.kind) {
    case "UnaryExpr":
    case "RefExpr":
      return f(x.operand);
    case "ParenExpr":
      return f(x.inner);
    case "BinaryExpr":
      f(x.left);
      return f(x.right);
    case "AssignExpr":
      f(x.target);
      return f(x.value);
    case "CallExpr":
      f(x.callee);
      return x.args.forEach(f);
    case "MethodCallExpr":
      f(x.receiver);
      return x.args.forEach(f);
    case "MacroCallExpr":
      return x.args.forEach(f);
    case "FieldExpr":
      return f(x.object);
    case "IndexExpr":
      f(x.object);
      return f(x.index);
    case "CastExpr":
      return f(x.expr);
    case "TryExpr":
      return f(x.expr);
    case "StructLitExpr":
      for (const fi of x.fields) if (fi.value) f(fi.value);
      if (x.base) f(x.base);
      return;
    case "TupleExpr":
    case "ArrayExpr":
      return x.elements.forEach(f);
    case "ArrayRepeatExpr":
      f(x.value);
      return f(x.count);
    case "RangeExpr":
      if (x.start) f(x.start);
      if (x.end) f(x.end);
      return;
    case "BlockExpr":
      return block(x.block);
    case "IfExpr":
      f(x.condition);
      block(x.then);
      if (x.else) {
        if (x.else.kind === "Block") block(x.else);
        else f(x.else);
      }
      return;
    case "LetCondExpr":
      return f(x.value);
    case "MatchExpr":
      f(x.scrutinee);
      for (const a of x.arms) {
        if (a.guard) f(a.guard);
        f(a.body);
      }
      return;
    case "WhileExpr":
      f(x.condition);
      return block(x.body);
    case "LoopExpr":
      return block(x.body);
    case "ForExpr":
      f(x.iterable);
      return block(x.body);
    case "BreakExpr":
    case "ReturnExpr":
      if (x.value) f(x.value);
      return;
    case "ClosureExpr":
      return f(x.body);
    default:
      return;
  }
}

/** Is `x` a tree of `+`, `*`, literals and usize operands (the shape of an index)? */
function isIndexTree(b: Body, x: A.Expr): boolean {
  switch (x.kind) {
    case "ParenExpr":
      return isIndexTree(b, x.inner);
    case "IntLit":
      return true;
    case "BinaryExpr": {
      // Along the chain with a loop; a chain too long for one expression takes the bigint
      // path, which emits it in pieces (body.ts, CHAIN_SPILL).
      let links = 0;
      let y: A.Expr = x;
      while (y.kind === "BinaryExpr") {
        if ((y.op !== "+" && y.op !== "*") || ++links > CHAIN_SPILL || !isIndexTree(b, y.right)) return false;
        y = y.left;
      }
      return isIndexTree(b, y);
    }
    case "CastExpr": {
      const from = intName(peelRefs(b.typeOf(x.expr)));
      return from !== null && (SMALL_UNSIGNED.has(from) || INDEX_INTS.has(from)) && INDEX_INTS.has(intName(b.typeOf(x)) ?? "");
    }
    default:
      return INDEX_INTS.has(intName(peelRefs(b.typeOf(x))) ?? "");
  }
}

/** An index of a sequence computed in numbers, or null when the index is not of that shape. */
export function numberIndex(b: Body, index: A.Expr, object: A.Expr): E | null {
  if (!isSequence(peelRefs(b.typeOf(object)))) return null;
  if (!isIndexTree(b, index)) return null;
  // A lone bigint value gains nothing: `at(i)` converts it once anyway.
  if (index.kind === "PathExpr" && !isNumberLocal(b, index)) return null;
  return emitNumber(b, index);
}

/**
 * Is a number index (see `numberIndex`) free of effects and faults, so that emitting it
 * more than once reads the same value? Locals, literals, `+`, `*` (computed in numbers,
 * unchecked: see above) and casts of those: an inline bound check may then repeat it
 * instead of holding it in a temporary.
 */
export function isPureIndex(b: Body, x: A.Expr): boolean {
  switch (x.kind) {
    case "ParenExpr":
      return isPureIndex(b, x.inner);
    case "IntLit":
      return true;
    case "BinaryExpr": {
      let y: A.Expr = x;
      while (y.kind === "BinaryExpr") {
        if (!isPureIndex(b, y.right)) return false;
        y = y.left;
      }
      return isPureIndex(b, y);
    }
    case "CastExpr":
      return isPureIndex(b, x.expr);
    case "PathExpr":
      return b.tables.valueRes.get(x)?.kind === "local";
    default:
      return false;
  }
}

function isNumberLocal(b: Body, x: A.PathExpr): boolean {
  const r = b.tables.valueRes.get(x);
  return r?.kind === "local" && (b.numberLocals.has(r.def) || b.numberShadows.has(r.def));
}

/**
 * Immutable usize locals used in index arithmetic get a number twin, declared once with
 * them (`const n$n = Number(n);`), so a loop computing `i * n + j` converts nothing.
 */
export function indexedLocals(b: Body, body: A.Block, span: A.Node["span"]): Set<LocalDef> {
  const out = new Set<LocalDef>();
  // An explicit stack: the body's chains may be of any length.
  const todo: A.Expr[] = [{ kind: "BlockExpr", block: body, isUnsafe: false, label: null, span }];
  const push = (c: A.Expr): void => void todo.push(c);
  while (todo.length > 0) {
    const x = todo.pop()!;
    if (x.kind === "IndexExpr" && isSequence(peelRefs(b.typeOf(x.object))) && isIndexTree(b, x.index)) collectLeaves(b, x.index, out);
    forEachChild(x, push);
  }
  for (const l of [...out]) if (l.mutable || !INDEX_INTS.has(intName(l.ty) ?? "")) out.delete(l);
  return out;
}

function collectLeaves(b: Body, x: A.Expr, out: Set<LocalDef>): void {
  switch (x.kind) {
    case "ParenExpr":
      return collectLeaves(b, x.inner, out);
    case "BinaryExpr":
      collectLeaves(b, x.left, out);
      return collectLeaves(b, x.right, out);
    case "PathExpr": {
      const r = b.tables.valueRes.get(x);
      if (r?.kind === "local") out.add(r.def);
      return;
    }
    default:
      return;
  }
}

/** Declare the number twin of a local right after it (see `indexedLocals`). */
export function declareShadow(b: Body, l: LocalDef, name: string): void {
  if (!b.wantsShadow.has(l) || b.numberShadows.has(l)) return;
  const n = b.names.fresh(`${name}$n`);
  b.numberShadows.set(l, n);
  b.w.writeLine(`const ${n}: number = Number(${name});`);
}

function emitNumber(b: Body, x: A.Expr): E {
  switch (x.kind) {
    case "ParenExpr":
      return emitNumber(b, x.inner);
    case "IntLit":
      return e(frag(x.span, String(x.value)));
    case "BinaryExpr": {
      const p = x.op === "*" ? Prec.Mul : Prec.Add;
      return e(frag(x.span, operand(emitNumber(b, x.left), p), ` ${x.op} `, operand(emitNumber(b, x.right), p + 1)), p);
    }
    case "CastExpr": {
      const from = intName(peelRefs(b.typeOf(x.expr)));
      if (from && SMALL_UNSIGNED.has(from)) return exprOf(b, x.expr, false);
      return emitNumber(b, x.expr);
    }
    case "PathExpr": {
      const r = b.tables.valueRes.get(x);
      const shadow = r?.kind === "local" ? b.numberShadows.get(r.def) : undefined;
      if (shadow) return e(frag(x.span, shadow));
      if (isNumberLocal(b, x)) return exprOf(b, x, false);
      return exprOf(b, x, true);
    }
    default:
      return exprOf(b, x, true);
  }
}

function exprOf(b: Body, x: A.Expr, toNumber: boolean): E {
  const v = emitExpr(b, x);
  return toNumber ? e(frag(null, "Number(", v.f, ")")) : v;
}

/**
 * Can the counter of this `for` loop be a JavaScript number? It must range over usize
 * and be used only as a leaf of index arithmetic.
 */
export function numberCounter(b: Body, x: A.ForExpr, local: LocalDef): boolean {
  if (!INDEX_INTS.has(intName(local.ty) ?? "")) return false;
  const uses = b.tables.localUses.get(local) ?? [];
  if (uses.length === 0) return false;
  const parents = new Map<A.Expr, A.Expr>();
  const walk = (p: A.Expr): void =>
    forEachChild(p, (c) => {
      parents.set(c, p);
      walk(c);
    });
  walk({ kind: "BlockExpr", block: x.body, isUnsafe: false, label: null, span: x.span });
  for (const u of uses) {
    if (!parents.has(u)) return false;
    let node: A.Expr = u;
    let parent = parents.get(node);
    while (parent && (parent.kind === "ParenExpr" || (parent.kind === "BinaryExpr" && (parent.op === "+" || parent.op === "*")))) {
      node = parent;
      parent = parents.get(node);
    }
    if (!parent || parent.kind !== "IndexExpr" || parent.index !== node) return false;
    if (!isSequence(peelRefs(b.typeOf(parent.object))) || !isIndexTree(b, node)) return false;
  }
  return true;
}
