/**
 * The rule passes that run once every body of a world is typed: ownership (DPL4002,
 * DPL4003), capabilities (DPL5001), determinism and the kernel profile (DPL6001–6004) and
 * the unused-binding lint (DPL8002, below; unreachable code, DPL8003, is found while
 * typing blocks). Each reads the typed tables and reports; none
 * changes types. The passes share the body walker defined here, which also visits the
 * paths the checker synthesized (captured names in format strings, shorthand fields), so
 * that they see every use of every local.
 */
import { raise } from "../diagnostics/messages/message.js";
import { Warnings } from "../diagnostics/messages/warnings.js";
import type * as A from "../syntax/ast.js";
import type { LocalDef } from "./defs.js";
import type { Sema } from "./context.js";
import type { Tables } from "./tables.js";
import { checkMoves, type MoveDiagnostics } from "./ownership.js";
import { checkPhiAliasing } from "./borrows.js";
import { checkCapabilities } from "./capabilities.js";
import { checkDeterminism } from "./determinism.js";
import { prefixFix } from "./fixes.js";
import { insertAfter } from "../diagnostics/suggestion.js";

export function runRulePasses(s: Sema, stdlibTables: Tables | null, moves?: MoveDiagnostics): void {
  checkMoves(s, moves);
  checkPhiAliasing(s);
  checkCapabilities(s);
  checkDeterminism(s, stdlibTables);
  checkUnused(s);
}

// ---------------------------------------------------------------------------
// Walking checked bodies

/** Direct sub-expressions of `e`, in evaluation order. Blocks are visited through `blockChildren`. */
export function exprChildren(t: Tables, e: A.Expr): A.Expr[] {
  switch (e.kind) {
    case "UnaryExpr":
      return [e.operand];
    case "RefExpr":
      return [e.operand];
    case "BinaryExpr":
      return [e.left, e.right];
    case "AssignExpr":
      return [e.value, e.target];
    case "CallExpr":
      return [e.callee, ...e.args];
    case "MethodCallExpr":
      return [e.receiver, ...e.args];
    case "MacroCallExpr":
      return [...e.args, ...(t.macroCaptures.get(e) ?? [])];
    case "FieldExpr":
      return [e.object];
    case "IndexExpr":
      return [e.object, e.index];
    case "CastExpr":
      return [e.expr];
    case "TryExpr":
      return [e.expr];
    case "StructLitExpr":
      return [...e.fields.map((f) => f.value ?? t.shorthandFields.get(f)).filter((x): x is A.Expr => x !== undefined), ...(e.base ? [e.base] : [])];
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
    case "ClosureExpr":
      return [e.body];
    case "IfExpr":
      return [e.condition, blockExpr(e.then), ...(e.else ? [e.else.kind === "IfExpr" ? e.else : blockExpr(e.else)] : [])];
    case "MatchExpr":
      return [e.scrutinee, ...e.arms.flatMap((a) => [...(a.guard ? [a.guard] : []), a.body])];
    case "WhileExpr":
      return [e.condition, blockExpr(e.body)];
    case "LoopExpr":
      return [blockExpr(e.body)];
    case "ForExpr":
      return [e.iterable, blockExpr(e.body)];
    case "BlockExpr":
      return blockChildren(e.block);
    default:
      return [];
  }
}

const blockExprs = new WeakMap<A.Block, A.BlockExpr>();

/** A block as an expression node, so walkers can treat bodies uniformly (cached, stable identity). */
function blockExpr(b: A.Block): A.BlockExpr {
  let e = blockExprs.get(b);
  if (!e) blockExprs.set(b, (e = { kind: "BlockExpr", block: b, isUnsafe: false, label: null, span: b.span }));
  return e;
}

function blockChildren(b: A.Block): A.Expr[] {
  const out: A.Expr[] = [];
  for (const s of b.stmts) {
    if (s.kind === "LetStmt") {
      if (s.init) out.push(s.init);
      if (s.elseBlock) out.push(blockExpr(s.elseBlock));
    } else if (s.kind === "ExprStmt") out.push(s.expr);
  }
  if (b.tail) out.push(b.tail);
  return out;
}

export function bodyExpr(body: A.Block | A.Expr): A.Expr {
  return "stmts" in body ? blockExpr(body) : body;
}

// ---------------------------------------------------------------------------
// Unused bindings (DPL8002): a parameter, `let` or pattern binding that is never read.
// Names starting with `_` are exempt, as in Rust. (DPL8001, unknown annotations, is reported
// where annotations are read; DPL8003, unreachable code, while blocks are typed.)

/** Some use of `l` reads it: being assigned to (`x = v`, `x += 1`) is not a use. */
function isRead(t: Tables, l: LocalDef): boolean {
  const uses = t.localUses.get(l);
  if (uses === undefined) return false;
  for (let i = 0; i < uses.length; i++) {
    const u = uses[i]!;
    if (u.kind !== "PathExpr" || !t.writeTargets.has(u)) return true;
  }
  return false;
}

function checkUnused(s: Sema): void {
  const t = s.tables;
  // Several nodes can bind one local (`a | a`, field shorthands): each local is judged once.
  // Locals' ids are consecutive within a run, so a flag per id in their range does.
  // forEach, not for-of: an entry array per binding of the program added up.
  let lo = Infinity;
  let hi = -Infinity;
  // Locals a shorthand field pattern `S { x }` binds (their other binding nodes say nothing of it).
  const shorthand = new Set<LocalDef>();
  t.bindings.forEach((l, node) => {
    if (l.id < lo) lo = l.id;
    if (l.id > hi) hi = l.id;
    if ((node as { kind?: string }).kind === "FieldPattern") shorthand.add(l);
  });
  const seen = new Uint8Array(hi >= lo ? hi - lo + 1 : 0);
  t.bindings.forEach((l, pattern) => {
    // A dustlang witness (`prove w from c`) is evidence, kept whether or not it is read.
    if ((pattern as A.Pattern).kind === "BindingPattern" && (pattern as A.BindingPattern).witness) return;
    if (seen[l.id - lo] === 1) return;
    seen[l.id - lo] = 1;
    if (l.name.startsWith("_") || l.origin === "self") return;
    if (isRead(t, l)) return;
    const what = l.origin === "param" || l.origin === "closure-param" ? "parameter" : "binding";
    raise(s.report, l.span, Warnings.unused(what, l.name), {
      // A shorthand field pattern `S { x }` keeps its field: `S { x: _x }`.
      suggestions:
        shorthand.has(l)
          ? [{ message: `prefix with \`_\`: \`${l.name}: _${l.name}\``, edits: [insertAfter(l.span, `: _${l.name}`)], applicability: "machine-applicable" }]
          : prefixFix(l.span, "_", `prefix with \`_\`: \`_${l.name}\``),
    });
  });
}
