/**
 * Counting loops whose steps can be taken in runs.
 *
 * Every loop iteration is one step of the run's fuel (packages/runtime/src/steps.ts), and a
 * `step()` per iteration is a read-modify-write of the runtime's counter that an innermost
 * loop pays on every element. For `for i in a..b` whose body takes no step of its own (no
 * call that could reach emitted code, no nested loop), the runtime can hand out a run of
 * iterations at once (`stepSpan`) and the body runs without `step()`: each iteration still
 * counts one step, the fuel, the deadline and the interrupt flag are still looked at on the
 * same steps, and `--fuel N` stops the run on the same iteration as before. The only
 * difference is what a fault reports as steps used: the rest of the run already taken.
 *
 * A `while` loop whose condition is as plain holds its run in a local instead (`stepTake`,
 * `stepOne`, `stepGive`), since its count is not known ahead.
 *
 * The body may not leave the loop early (`break`, `return`, `?`, a labelled `continue`): the
 * run would stay charged, and a labelled jump would skip the counter's increment. A plain
 * `continue` is fine (it increments and stays in the run).
 */
import type * as A from "../syntax/ast.js";
import { shallow, type Ty } from "../semantic/types.js";
import type { Body } from "./body.js";
import { forEachChild } from "./index-math.js";
import { isSequence, peelRefs } from "./repr.js";

/** Runtime methods that never call back into emitted code (no closures, no user traits). */
const PLAIN_METHODS = /^(Vec|array|slice)\.(push|len|is_empty|swap|pop|get|first|last)$/;

function isPrim(t: Ty): boolean {
  return shallow(peelRefs(t)).k === "prim";
}

/** Does evaluating this loop body take no step besides the iteration's own? */
export function isLeafBody(b: Body, body: A.Block, span: A.Node["span"]): boolean {
  return isLeafExpr(b, { kind: "BlockExpr", block: body, isUnsafe: false, label: null, span });
}

/** Does evaluating this expression (a `while` condition) take no step? */
export function isLeafExpr(b: Body, x: A.Expr): boolean {
  const todo: A.Expr[] = [x];
  while (todo.length > 0) {
    const y = todo.pop()!;
    if (!leafNode(b, y)) return false;
    forEachChild(y, (c) => void todo.push(c));
  }
  return true;
}

function leafNode(b: Body, x: A.Expr): boolean {
  switch (x.kind) {
    case "CallExpr":
    case "MacroCallExpr":
    case "ClosureExpr":
    case "WhileExpr":
    case "LoopExpr":
    case "ForExpr":
    case "BreakExpr":
    case "ReturnExpr":
    case "TryExpr":
    case "ArrayRepeatExpr":
      return false;
    case "ContinueExpr":
      return x.label === null;
    case "BlockExpr":
      return x.label === null;
    case "MethodCallExpr": {
      const r = b.tables.methodRes.get(x);
      if (r?.kind !== "intrinsic") return false;
      // A number's own methods (`wrapping_add`, `abs`, `sqrt`) run in the runtime.
      return PLAIN_METHODS.test(r.name) || (isPrim(b.typeOf(x.receiver)) && x.args.every((a) => isPrim(b.typeOf(a))));
    }
    // An operator on a user type calls its `impl Add`/`PartialEq`/... (emitted code).
    case "BinaryExpr":
      return isPrim(b.typeOf(x.left)) && isPrim(b.typeOf(x.right));
    case "UnaryExpr":
      return isPrim(b.typeOf(x.operand));
    case "AssignExpr":
      return x.op === "=" || (isPrim(b.typeOf(x.target)) && isPrim(b.typeOf(x.value)));
    case "IndexExpr":
      return isSequence(peelRefs(b.typeOf(x.object))) || isPrim(b.typeOf(x.object));
    default:
      return true;
  }
}
