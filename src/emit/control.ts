/**
 * Blocks, statements and control flow.
 *
 * `emitInto(x, dest)` emits an expression in statement position with its value going to
 * `dest` (returned, assigned to a temporary, or dropped), which is how `if`, `match` and
 * blocks used as values become statements. Loops become `for (;;)`, `while` and `for..of`
 * with JavaScript labels for labelled `break`/`continue`; `break value` assigns the loop's
 * temporary first. `x?` becomes an early `return` of the `Err`/`None`.
 */
import type * as A from "../syntax/ast.js";
import { shallow, type Ty } from "../semantic/types.js";
import { DISCARD, RETURN, writeToDest, type Body, type Dest, type LoopFrame, needsStmts } from "./body.js";
import { e, frag, fragText, primary, type E } from "./writer.js";
import { emitExpr, emitOwned } from "./exprs.js";
import { alternativesOf, bindPattern, bindsNames, isIrrefutableBinding, patTest } from "./patterns.js";
import { intName, intReprOf, isBoxedMutRef, isNever, isUnitTy, peelDomain, peelRefs, needsCopyOnRead, reprOf, sequenceElem } from "./repr.js";
import { placeOf } from "./places.js";
import { declareShadow, numberCounter } from "./index-math.js";
import { isLeafBody, isLeafExpr } from "./leaf-loops.js";

/** An expression that needs statements, used as a value: statements first, then a temporary. */
export function emitValueViaStmts(b: Body, x: A.Expr): E {
  switch (x.kind) {
    case "ParenExpr":
      return emitValueViaStmts(b, x.inner);
    case "TryExpr":
      return emitTry(b, x);
    case "BinaryExpr":
      if ((x.op === "&&" || x.op === "||") && needsStmts(x.right)) return shortCircuit(b, x);
      break;
    case "BreakExpr":
    case "ContinueExpr":
    case "ReturnExpr":
      emitInto(b, x, DISCARD);
      return e("undefined as never");
    case "BlockExpr":
    case "IfExpr":
    case "MatchExpr":
    case "LoopExpr":
    case "WhileExpr":
    case "ForExpr":
      break;
    default:
      return emitExpr(b, x);
  }
  const t = b.typeOf(x);
  if (isUnitTy(t) || isNever(t)) {
    emitInto(b, x, DISCARD);
    return e(isNever(t) ? "undefined as never" : "undefined");
  }
  const tmp = b.temp();
  b.w.writeLine(`let ${tmp}: ${b.ts(t)};`, x.span);
  emitInto(b, x, { kind: "assign", target: tmp });
  return e(tmp);
}

function shortCircuit(b: Body, x: A.BinaryExpr): E {
  const tmp = b.temp();
  const l = emitExpr(b, x.left);
  b.w.write(`let ${tmp}: boolean = `, x.span).writeFrag(l.f).writeLine(";");
  b.w.writeLine(x.op === "&&" ? `if (${tmp}) {` : `if (!${tmp}) {`);
  b.w.indented(() => emitInto(b, x.right, { kind: "assign", target: tmp }));
  b.w.writeLine("}");
  return e(tmp);
}

/** `x?`: the payload, after an early return of `Err`/`None` from the enclosing function. */
function emitTry(b: Body, x: A.TryExpr): E {
  const v = emitExpr(b, x.expr);
  const tmp = b.spill(v, b.typeOf(x.expr), "r", x.span);
  const t = peelDomain(b.typeOf(x.expr));
  const isOption = t.k === "adt" && t.def.name === "Option";
  b.w.writeLine(`if (${tmp.f}.$tag === ${isOption ? '"None"' : '"Err"'}) return ${tmp.f};`, x.span);
  return e(frag(x.span, `${tmp.f}._0`));
}

// ---------------------------------------------------------------------------
// Statement position

export function emitInto(b: Body, x: A.Expr, dest: Dest): void {
  const w = b.w;
  switch (x.kind) {
    case "ParenExpr":
      return emitInto(b, x.inner, dest);
    case "BlockExpr":
      return emitBlockExpr(b, x, dest);
    case "IfExpr":
      return emitIf(b, x, dest);
    case "MatchExpr":
      return emitMatch(b, x, dest);
    case "LoopExpr":
      return emitLoop(b, x, dest);
    case "WhileExpr":
      emitWhile(b, x);
      return unitTo(b, dest, x);
    case "ForExpr":
      emitFor(b, x);
      return unitTo(b, dest, x);
    case "ReturnExpr": {
      const frame = b.frame;
      if (x.value && !isUnitTy(frame.retTy)) {
        const v = emitOwned(b, x.value);
        w.write("return ", x.span).writeFrag(v.f).writeLine(";");
      } else {
        if (x.value) emitInto(b, x.value, DISCARD);
        w.writeLine("return;", x.span);
      }
      return;
    }
    case "BreakExpr":
      return emitBreak(b, x);
    case "ContinueExpr": {
      const f = b.findLoop(x.label);
      const label = f?.jsLabel && x.label ? ` ${f.jsLabel}` : "";
      w.writeLine(`continue${label};`, x.span);
      return;
    }
    default: {
      const t = b.typeOf(x);
      const v = dest.kind === "discard" ? emitExpr(b, x) : emitOwned(b, x);
      if (dest.kind === "return" && isUnitTy(b.frame.retTy)) {
        writeToDest(b, DISCARD, v, x.span);
        w.writeLine("return;");
        return;
      }
      if (isNever(t) && dest.kind !== "discard") {
        writeToDest(b, DISCARD, v, x.span);
        return;
      }
      writeToDest(b, dest, v, x.span);
    }
  }
}

/** A unit-valued construct (a loop) in a position that wants a value. */
function unitTo(b: Body, dest: Dest, x: A.Expr): void {
  if (dest.kind === "return") b.w.writeLine("return;", x.span);
  else if (dest.kind === "assign") b.w.writeLine(`${dest.target} = undefined;`);
}

// ---------------------------------------------------------------------------
// Blocks and statements

export function emitBlockBody(b: Body, blk: A.Block, dest: Dest): void {
  for (const s of blk.stmts) emitStmt(b, s);
  if (blk.tail) emitInto(b, blk.tail, dest);
  else if (endsInNever(b, blk)) {
    // The block ends in `return`, `break`, `panic!` or `loop {}`: it has no value to store.
  } else if (dest.kind === "assign") b.w.writeLine(`${dest.target} = undefined;`);
}

function endsInNever(b: Body, blk: A.Block): boolean {
  const last = blk.stmts[blk.stmts.length - 1];
  return last?.kind === "ExprStmt" && isNever(b.typeOf(last.expr));
}

function emitBlockExpr(b: Body, x: A.BlockExpr, dest: Dest): void {
  const w = b.w;
  if (x.label) {
    const result = dest.kind === "assign" ? dest.target : null;
    const frame = newFrame(b, x.label, result, "block");
    const label = frame.jsLabel!;
    b.loops.push(frame);
    w.writeLine(`${label}: {`, x.span);
    w.indented(() => emitBlockBody(b, x.block, dest));
    w.writeLine("}");
    b.loops.pop();
    return;
  }
  if (x.block.stmts.length === 0 && x.block.tail) return emitInto(b, x.block.tail, dest);
  if (x.block.stmts.length === 0 && !x.block.tail) return unitTo(b, dest, x);
  w.writeLine("{", x.span);
  w.indented(() => emitBlockBody(b, x.block, dest));
  w.writeLine("}");
}

function emitStmt(b: Body, s: A.Stmt): void {
  switch (s.kind) {
    case "LetStmt":
      return emitLet(b, s);
    case "ExprStmt":
      if (b.tables.abiTailStmts.has(s) && !isUnitTy(b.frame.retTy)) return emitInto(b, s.expr, RETURN);
      return emitInto(b, s.expr, DISCARD);
    case "ItemStmt":
    case "EmptyStmt":
      return;
  }
}

function emitLet(b: Body, s: A.LetStmt): void {
  const w = b.w;
  const observe = b.tables.qpuObserves.get(s);
  if (observe && s.init?.kind === "RefExpr") {
    // `observe r;` of a QPU register in a dustlang Q process: the measurement runs (semantic/qpu.ts).
    const v = emitExpr(b, s.init.operand);
    w.write(`${b.m.ref(observe)}(`, s.span).writeFrag(v.f).writeLine(");");
    return;
  }
  const local = b.tables.bindings.get(s.pattern);
  if (s.elseBlock && s.init) return emitLetElse(b, s);
  if (local && isIrrefutableBinding(s.pattern)) {
    const t = local.ty;
    if (!s.init) {
      const name = b.declare(local);
      w.writeLine(`let ${name}: ${b.ts(t)};`, s.span);
      return;
    }
    let v = emitOwned(b, s.init);
    // `let mut b = a;` of a Copy object: b must not share a's object.
    if (local.mutable && needsCopyOnRead(t) && isPlaceExpr(s.init) && !/^clone\(/.test(String(v.f))) v = e(frag(null, `${b.m.rt("clone")}(`, v.f, ")"));
    const name = b.declare(local);
    const kw = local.mutable ? "let" : "const";
    // The result of an operation of a dustlang process's external resources has no known
    // type (`any`), and its call stops the run: TypeScript infers `never` for it. A u64/i64
    // held as number-or-bigint (hybrid-locals.ts) is declared as such.
    const external = s.init.kind === "CallExpr" && b.tables.externalCalls.has(s.init) && shallow(t).k === "any";
    const declared = external ? "" : `: ${b.hybrid.locals.has(local) ? "number | bigint" : b.ts(t)}`;
    w.write(`${kw} ${name}${declared} = `, s.span).writeFrag(v.f).writeLine(";");
    declareShadow(b, local, name);
    return;
  }
  if (!s.init) {
    for (const l of localsOf(b, s.pattern)) w.writeLine(`let ${b.declare(l)}: ${b.ts(l.ty)};`, s.span);
    return;
  }
  const t = b.typeOf(s.init);
  const v = emitOwned(b, s.init);
  const tmp = isSimpleName(v) ? v : b.spill(v, t, "d", s.span);
  bindPattern(b, s.pattern, tmp, t, "const", null);
}

function emitLetElse(b: Body, s: A.LetStmt): void {
  const t = b.typeOf(s.init!);
  const v = emitOwned(b, s.init!);
  const tmp = b.spill(v, t, "d", s.span);
  const test = patTest(b, s.pattern, { value: tmp, ty: t, place: null });
  if (test) {
    b.w.write("if (!(", s.span).writeFrag(test).writeLine(")) {");
    b.w.indented(() => emitBlockBody(b, s.elseBlock!, DISCARD));
    b.w.writeLine("}");
  }
  bindPattern(b, s.pattern, tmp, t, "const", null);
}

function isSimpleName(v: E): boolean {
  return /^\$?[\p{L}_][\p{L}\p{N}_$]*$/u.test(fragText(v.f));
}

function isPlaceExpr(x: A.Expr): boolean {
  return x.kind === "PathExpr" || x.kind === "FieldExpr" || x.kind === "IndexExpr" || (x.kind === "UnaryExpr" && x.op === "*") || (x.kind === "ParenExpr" && isPlaceExpr(x.inner));
}

function localsOf(b: Body, p: A.Pattern): import("../semantic/defs.js").LocalDef[] {
  const out: import("../semantic/defs.js").LocalDef[] = [];
  const visit = (q: A.Pattern): void => {
    const l = b.tables.bindings.get(q);
    if (l && q.kind === "BindingPattern") out.push(l);
    switch (q.kind) {
      case "BindingPattern":
        if (q.subpattern) visit(q.subpattern);
        break;
      case "TuplePattern":
      case "TupleStructPattern":
        q.elements.forEach(visit);
        break;
      case "StructPattern":
        for (const f of q.fields) {
          if (f.pattern) visit(f.pattern);
          else {
            const fl = b.tables.bindings.get(f);
            if (fl) out.push(fl);
          }
        }
        break;
      case "RefPattern":
        visit(q.inner);
        break;
      case "OrPattern":
        if (q.alternatives[0]) visit(q.alternatives[0]);
        break;
      default:
        break;
    }
  };
  visit(p);
  return out;
}

// ---------------------------------------------------------------------------
// if / if let

function emitIf(b: Body, x: A.IfExpr, dest: Dest): void {
  const w = b.w;
  if (x.condition.kind === "LetCondExpr") return emitIfLet(b, x, x.condition, dest);
  const c = emitExpr(b, x.condition);
  w.write("if (", x.span).writeFrag(c.f).writeLine(") {");
  w.indented(() => emitBlockBody(b, x.then, dest));
  emitElse(b, x, dest);
}

function emitElse(b: Body, x: A.IfExpr, dest: Dest): void {
  const w = b.w;
  if (x.else === null) {
    if (dest.kind === "assign") {
      w.writeLine("} else {");
      w.indented(() => w.writeLine(`${dest.target} = undefined;`));
    }
    w.writeLine("}");
    return;
  }
  if (x.else.kind === "Block") {
    w.writeLine("} else {");
    w.indented(() => emitBlockBody(b, x.else as A.Block, dest));
    w.writeLine("}");
    return;
  }
  const elseIf = x.else;
  if (elseIf.condition.kind !== "LetCondExpr" && !needsStmts(elseIf.condition)) {
    const c = emitExprWithoutHoist(b, elseIf.condition);
    w.write("} else if (", elseIf.span).writeFrag(c.f).writeLine(") {");
    w.indented(() => emitBlockBody(b, elseIf.then, dest));
    emitElse(b, elseIf, dest);
    return;
  }
  w.writeLine("} else {");
  w.indented(() => emitIf(b, elseIf, dest));
  w.writeLine("}");
}

function emitExprWithoutHoist(b: Body, x: A.Expr): E {
  return emitExpr(b, x);
}

function emitIfLet(b: Body, x: A.IfExpr, cond: A.LetCondExpr, dest: Dest): void {
  const w = b.w;
  const { value, place, ty: t } = scrutinee(b, cond.value);
  const test = patTest(b, cond.pattern, { value, ty: t, place });
  w.write("if (", x.span).writeFrag(test ?? "true").writeLine(") {");
  w.indented(() => {
    bindPattern(b, cond.pattern, value, t, "const", place);
    emitBlockBody(b, x.then, dest);
  });
  emitElse(b, x, dest);
}

/** The matched value in a temporary, and its place when writes through `&mut` bindings need it. */
/**
 * The matched value (in a temporary unless it is a name already), its type as held, and
 * its place when `&mut` bindings must write back into it (`if let Some(x) = &mut opt`).
 */
function scrutinee(b: Body, x: A.Expr): { value: E; ty: Ty; place: import("./places.js").Place | null } {
  const t = b.typeOf(x);
  const s = shallow(t);
  if (x.kind === "RefExpr" && x.isMut && reprOf(b.typeOf(x.operand)) !== "inplace") {
    const p = placeOf(b, x.operand, true);
    const inner = b.typeOf(x.operand);
    const v = b.spill(p.read(), inner, "m", x.span);
    return { value: v, ty: inner, place: p };
  }
  if (s.k === "ref" && s.mut && isBoxedMutRef(s)) {
    const v = emitExpr(b, x);
    return { value: isSimpleName(v) ? v : b.spill(v, t, "m", x.span), ty: t, place: null };
  }
  const v = emitExpr(b, x);
  return { value: isSimpleName(v) ? v : b.spill(v, t, "m", x.span), ty: t, place: null };
}

// ---------------------------------------------------------------------------
// match

/**
 * Without guards, a `match` is an `if`/`else if` chain whose last arm is the `else`
 * (the checker proved the match exhaustive). With guards, each arm is an `if` inside a
 * labelled block that the arm leaves with `break` once its body ran, so a failing guard
 * falls through to the next arm, as in DPL.
 */
function emitMatch(b: Body, x: A.MatchExpr, dest: Dest): void {
  const w = b.w;
  const { value, place, ty: t } = scrutinee(b, x.scrutinee);
  const arms: { pattern: A.Pattern; arm: A.MatchArm }[] = [];
  for (const arm of x.arms) {
    if (bindsNames(b, arm.pattern) && arm.pattern.kind === "OrPattern") for (const alt of alternativesOf(arm.pattern)) arms.push({ pattern: alt, arm });
    else arms.push({ pattern: arm.pattern, arm });
  }
  const body = (pattern: A.Pattern, arm: A.MatchArm): void => {
    bindPattern(b, pattern, value, t, "const", place);
    emitInto(b, arm.body, dest);
  };
  if (arms.some((a) => a.arm.guard)) {
    const label = b.names.fresh("$match");
    w.writeLine(`${label}: {`, x.span);
    w.indented(() => {
      for (const { pattern, arm } of arms) {
        const test = patTest(b, pattern, { value, ty: t, place });
        w.write("if (", arm.span).writeFrag(test ?? "true").writeLine(") {");
        w.indented(() => {
          bindPattern(b, pattern, value, t, "const", place);
          const exit = (): void => {
            emitInto(b, arm.body, dest);
            if (!isNever(b.typeOf(arm.body))) w.writeLine(`break ${label};`);
          };
          if (arm.guard) {
            const g = emitExpr(b, arm.guard);
            w.write("if (", arm.guard.span).writeFrag(g.f).writeLine(") {");
            w.indented(exit);
            w.writeLine("}");
          } else exit();
        });
        w.writeLine("}");
      }
      w.writeLine(`${b.m.rt("unreachable")}(undefined, ${b.m.site(x.span)});`);
    });
    w.writeLine("}");
    return;
  }
  arms.forEach(({ pattern, arm }, i) => {
    const last = i === arms.length - 1;
    const test = last ? null : patTest(b, pattern, { value, ty: t, place });
    if (i === 0 && test === null) {
      w.writeLine("{", arm.span);
      w.indented(() => body(pattern, arm));
      w.writeLine("}");
      return;
    }
    if (i > 0 && arms.slice(0, i).some((a) => patTest(b, a.pattern, { value, ty: t, place }) === null)) return;
    if (test === null) {
      w.writeLine(i === 0 ? "{" : "} else {", arm.span);
      w.indented(() => body(pattern, arm));
      w.writeLine("}");
      return;
    }
    w.write(i === 0 ? "if (" : "} else if (", arm.span).writeFrag(test).writeLine(") {");
    w.indented(() => body(pattern, arm));
  });
}

// ---------------------------------------------------------------------------
// Loops

function newFrame(b: Body, label: A.Ident | null, result: string | null, kind: LoopFrame["kind"]): LoopFrame {
  // DPL writes labels with a quote (`'outer`); JavaScript labels are plain identifiers.
  return { label: label?.name ?? null, jsLabel: label ? b.names.fresh(label.name.replace(/^'/, "")) : null, result, kind };
}

/**
 * Every iteration is one step of the run's fuel (`--fuel`, `--timeout`, an interrupt are
 * noticed at steps: packages/runtime/src/steps.ts), so no loop can run past the run's limits.
 */
function loopBody(b: Body, body: A.Block): void {
  b.w.writeLine(`${b.m.rt("step")}();`, body.span);
  emitBlockBody(b, body, DISCARD);
}

function labelPrefix(f: LoopFrame): string {
  return f.jsLabel ? `${f.jsLabel}: ` : "";
}

function emitLoop(b: Body, x: A.LoopExpr, dest: Dest): void {
  const w = b.w;
  const t = b.typeOf(x);
  let result: string | null = null;
  if (!isUnitTy(t) && !isNever(t) && dest.kind !== "discard") {
    result = dest.kind === "assign" ? dest.target : b.temp("b");
    if (dest.kind === "return") w.writeLine(`let ${result}: ${b.ts(t)};`);
  }
  const frame = newFrame(b, x.label, result, "loop");
  w.writeLine(`${labelPrefix(frame)}for (;;) {`, x.span);
  b.loops.push(frame);
  w.indented(() => loopBody(b, x.body));
  b.loops.pop();
  w.writeLine("}");
  if (dest.kind === "return" && result && !isNever(t)) w.writeLine(`return ${result};`);
}

function emitWhile(b: Body, x: A.WhileExpr): void {
  const w = b.w;
  const frame = newFrame(b, x.label, null, "while");
  if (x.condition.kind === "LetCondExpr" || needsStmts(x.condition)) {
    w.writeLine(`${labelPrefix(frame)}for (;;) {`, x.span);
    b.loops.push(frame);
    w.indented(() => {
      if (x.condition.kind === "LetCondExpr") {
        const cond = x.condition;
        const { value, place, ty: t } = scrutinee(b, cond.value);
        const test = patTest(b, cond.pattern, { value, ty: t, place });
        if (test) w.write("if (!(").writeFrag(test).writeLine(")) break;");
        bindPattern(b, cond.pattern, value, t, "const", place);
      } else {
        const c = emitExpr(b, x.condition);
        w.write("if (!(").writeFrag(c.f).writeLine(")) break;");
      }
      loopBody(b, x.body);
    });
    b.loops.pop();
    w.writeLine("}");
    return;
  }
  const c = emitExpr(b, x.condition);
  if (frame.label === null && isLeafExpr(b, x.condition) && isLeafBody(b, x.body, x.span)) {
    // Steps in runs (leaf-loops.ts), held in a local and given back when the loop ends.
    const k = b.temp("k");
    w.writeLine(`let ${k}: number = ${b.m.rt("stepTake")}();`, x.span);
    w.write("while (", x.span).writeFrag(c.f).writeLine(") {");
    b.loops.push(frame);
    w.indented(() => {
      w.writeLine(`if (${k}-- === 0) ${k} = ${b.m.rt("stepOne")}();`, x.body.span);
      emitBlockBody(b, x.body, DISCARD);
    });
    b.loops.pop();
    w.writeLine("}");
    w.writeLine(`${b.m.rt("stepGive")}(${k});`);
    return;
  }
  w.write(`${labelPrefix(frame)}while (`, x.span).writeFrag(c.f).writeLine(") {");
  b.loops.push(frame);
  w.indented(() => loopBody(b, x.body));
  b.loops.pop();
  w.writeLine("}");
}

function emitFor(b: Body, x: A.ForExpr): void {
  const w = b.w;
  const frame = newFrame(b, x.label, null, "for");
  const local = b.tables.bindings.get(x.pattern);
  const simple = local !== undefined && x.pattern.kind === "BindingPattern" && x.pattern.subpattern === null;
  const ignored = x.pattern.kind === "WildcardPattern";
  let iter: A.Expr = x.iterable;
  while (iter.kind === "ParenExpr") iter = iter.inner;
  // `for i in a..b` over integers: a counting loop, no iterator object.
  if (iter.kind === "RangeExpr" && iter.start && iter.end && (simple || ignored)) {
    let [s, t] = [emitExpr(b, iter.start), emitExpr(b, iter.end)];
    const end = b.temp("end");
    const name = simple ? b.declare(local!) : b.temp("i");
    let ty = b.ts(simple ? local!.ty : b.typeOf(iter.start));
    const countOnly = ignored && intName(b.typeOf(iter.start)) !== null && intReprOf(intName(b.typeOf(iter.start))!) !== "number";
    if ((simple && numberCounter(b, x, local!)) || countOnly) {
      // The counter only ever indexes: a number, not a bigint per iteration (index-math.ts).
      if (simple) b.numberLocals.add(local!);
      ty = "number";
      s = asNumber(iter.start, s);
      t = asNumber(iter.end, t);
    }
    const counterTy = b.typeOf(iter.start);
    if (ty === "number" || (intName(counterTy) !== null && intReprOf(intName(counterTy)!) === "number")) {
      if (frame.label === null && isLeafBody(b, x.body, x.span)) {
        // Steps in runs (leaf-loops.ts): the outer loop asks for a run, the inner one runs it.
        const stop = b.temp("stop");
        w.write(`for (let ${name}: ${ty} = `, x.span).writeFrag(s.f).write(`, ${end}: ${ty} = `).writeFrag(t.f);
        w.writeLine(`; ${name} ${iter.inclusive ? "<=" : "<"} ${end}; ) {`);
        w.indented(() => {
          w.writeLine(`for (const ${stop}: number = ${b.m.rt("stepSpan")}(${name}, ${end}${iter.inclusive ? " + 1" : ""}); ${name} < ${stop}; ${name}++) {`);
          b.loops.push(frame);
          w.indented(() => emitBlockBody(b, x.body, DISCARD));
          b.loops.pop();
          w.writeLine("}");
        });
        w.writeLine("}");
        return;
      }
    }
    w.write(`${labelPrefix(frame)}for (let ${name}: ${ty} = `, x.span).writeFrag(s.f).write(`, ${end}: ${ty} = `).writeFrag(t.f);
    w.writeLine(`; ${name} ${iter.inclusive ? "<=" : "<"} ${end}; ${name}++) {`);
  } else {
    const next = b.tables.forIterators.get(x.iterable);
    // Over a type with `impl Iterator`: its `next`, pulled until `None`.
    let src: E;
    if (next) {
      // The iterator is evaluated once, then pulled until `None`.
      const it = b.spill(emitExpr(b, x.iterable), b.typeOf(x.iterable), "it", x.iterable.span);
      // `next` may be declared `-> Option<Self::Item>`, which TypeScript sees as unknown: the loop's element type says what it is.
      const el = b.ts(forElemTy(b, x));
      src = e(frag(null, `${b.m.rt("Iter")}.from_fn<${el}>(() => ${b.m.ref(next)}(`, it.f, `) as ${b.m.rt("Option")}<${el}>)`));
    } else src = iterableSource(b, iter);
    const name = simple ? b.declare(local!) : b.temp("x");
    w.write(`${labelPrefix(frame)}for (const ${name} of `, x.span).writeFrag(src.f).writeLine(") {");
    if (!simple) w.indented(() => bindPattern(b, x.pattern, e(name), forElemTy(b, x), "const", null));
  }
  b.loops.push(frame);
  w.indented(() => loopBody(b, x.body));
  b.loops.pop();
  w.writeLine("}");
}

function asNumber(x: A.Expr, v: E): E {
  if (x.kind === "IntLit") return e(String(x.value));
  return e(frag(null, "Number(", v.f, ")"));
}

/** What `for` iterates: a Vec's elements, an iterator, a range. */
function iterableSource(b: Body, iter: A.Expr): E {
  // `for x in v.iter()` over a sequence: its elements directly, no iterator object. (A
  // `&mut` element of an in-place type is the element itself, so `iter_mut` too.)
  if (iter.kind === "MethodCallExpr" && iter.args.length === 0) {
    const res = b.tables.methodRes.get(iter);
    const elem = sequenceElem(peelRefs(b.typeOf(iter.receiver)));
    const plain = res?.kind === "intrinsic" && /^(Vec|array|slice)\.iter$/.test(res.name);
    const inPlaceMut = res?.kind === "intrinsic" && /^(Vec|array|slice)\.iter_mut$/.test(res.name) && elem !== null && reprOf(elem) === "inplace";
    if (plain || inPlaceMut) return iterableSource(b, iter.receiver);
  }
  const t = peelDomain(b.typeOf(iter));
  const v = emitExpr(b, iter);
  let s: Ty = t;
  let cur = v;
  while (s.k === "ref") {
    if (isBoxedMutRef(s)) cur = e(frag(null, primary(cur), ".value"));
    s = peelDomain(s.inner);
  }
  if (s.k === "array" || s.k === "slice" || (s.k === "adt" && s.def.kind === "struct" && s.def.builtin === "Vec")) return e(frag(null, primary(cur), ".data"));
  return cur;
}

function forElemTy(b: Body, x: A.ForExpr): Ty {
  const l = b.tables.patTypes.get(x.pattern);
  if (l) return l;
  return { k: "any" };
}

function emitBreak(b: Body, x: A.BreakExpr): void {
  const w = b.w;
  const f = b.findLoop(x.label);
  if (x.value && f?.result) {
    const v = emitOwned(b, x.value);
    w.write(`${f.result} = `, x.span).writeFrag(v.f).writeLine(";");
  } else if (x.value) emitInto(b, x.value, DISCARD);
  w.writeLine(`break${x.label && f?.jsLabel ? ` ${f.jsLabel}` : ""};`, x.span);
}

export { RETURN, DISCARD };
