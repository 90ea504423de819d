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
import type { BodyInfo, Tables } from "./tables.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { checkMoves, type MoveDiagnostics } from "./ownership.js";
import { checkPhiAliasing } from "./borrows.js";
import { checkBodiesCapabilities, checkCapabilities } from "./capabilities.js";
import { checkDeterminism } from "./determinism.js";
import { prefixFix } from "./fixes.js";
import { insertAfter } from "../diagnostics/suggestion.js";

/**
 * What the rule passes found in each body, for the passes whose verdict on a body reads
 * that body's typing only: Φ aliasing, the capability-parameter rule of `xdv_call`, unused
 * bindings (the move pass keeps its own, `MoveDiagnostics`). The editor's re-check of one
 * item (recheck.ts) keeps the entries of the bodies it did not type again, and the passes
 * replay those instead of walking the bodies. The passes whose verdicts cross items (paths
 * to nondeterministic primitives, recursion cycles) and the declaration rules run in full.
 */
export interface RuleCache {
  readonly phi: ByBody;
  readonly capabilities: ByBody;
  readonly unused: ByBody;
}

export type ByBody = Map<BodyInfo, Diagnostic[]>;

export function emptyRuleCache(): RuleCache {
  return { phi: new Map(), capabilities: new Map(), unused: new Map() };
}

/** The cache's per-pass maps. */
export function ruleCacheMaps(c: RuleCache): ByBody[] {
  return [c.phi, c.capabilities, c.unused];
}

export function runRulePasses(s: Sema, stdlibTables: Tables | null, moves?: MoveDiagnostics, cache?: RuleCache): void {
  checkMoves(s, moves);
  checkPhiAliasing(s, cache?.phi);
  checkCapabilities(s, cache?.capabilities);
  checkDeterminism(s, stdlibTables);
  checkUnused(s, cache?.unused);
}

/**
 * Where the per-body lists of the tables stood before an item's bodies were typed: what
 * was added since is those bodies' (`judgeBodiesNow`, release.ts).
 */
export interface BodyMarks {
  readonly bodies: number;
  readonly abiCalls: number;
  readonly calls: number;
  readonly staticMutUses: number;
}

export function bodyMarks(t: Tables): BodyMarks {
  return { bodies: t.bodies.length, abiCalls: t.abiCalls.length, calls: t.calls.length, staticMutUses: t.staticMutUses.length };
}

/**
 * Judge the bodies typed since `marks` now, with the passes whose verdict on a body reads
 * that body's typing only, recording the verdicts in the caches: the passes at the end of
 * the check replay them instead of walking those bodies, which a diagnostics-only check
 * has let go by then (program.ts, release.ts).
 */
export function judgeBodiesNow(s: Sema, marks: BodyMarks, moves: MoveDiagnostics, cache: RuleCache): void {
  const fresh = s.tables.bodies.slice(marks.bodies);
  if (fresh.length === 0) return;
  checkMoves(s, moves, marks.bodies);
  checkPhiAliasing(s, cache.phi, fresh);
  checkBodiesCapabilities(s, fresh, marks.abiCalls, cache.capabilities);
  checkUnused(s, cache.unused, fresh);
}

const NO_DIAGNOSTICS: Diagnostic[] = [];

/** Replay what a body reported before, through the same once-per-place rule as a report. */
export function replay(s: Sema, known: readonly Diagnostic[]): void {
  for (const d of known) s.report(d.code, d.span, d.message, d);
}

/**
 * Run `judge` on each body that `cache` has no entry for, recording what it reports there,
 * and replay the entries of the others. Without a cache every body is judged.
 */
export function perBody(s: Sema, bodies: Iterable<BodyInfo>, cache: ByBody | undefined, judge: (b: BodyInfo) => void): void {
  const diags = s.world.diagnostics;
  for (const b of bodies) {
    const known = cache?.get(b);
    if (known) {
      replay(s, known);
      continue;
    }
    const from = diags.length;
    judge(b);
    cache?.set(b, diags.length > from ? diags.slice(from) : NO_DIAGNOSTICS);
  }
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

/** With `only`, just those bodies are judged, and nothing is replayed (`judgeBodiesNow`). */
function checkUnused(s: Sema, cache?: ByBody, only?: readonly BodyInfo[]): void {
  const t = s.tables;
  // With a cache, only the bodies it has no entry for are judged (each local belongs to the
  // body it was declared in, and whether it is read depends on that body alone).
  const fresh = only ?? (cache ? t.bodies.filter((b) => !cache.has(b)) : t.bodies);
  if (cache && !only) for (const b of t.bodies) if (cache.has(b)) replay(s, cache.get(b)!);
  const partial = only !== undefined || fresh.length < t.bodies.length;
  // A function declared inside a body is typed while that body is: its locals' ids sit
  // inside the enclosing body's range. The ranges nest (never overlap otherwise), so a
  // local's body is the innermost range around its id: the last range starting at or
  // before it, or the first of that range's enclosing ones that holds it.
  const ranges = [...fresh].sort((a, b) => a.localIds[0] - b.localIds[0] || b.localIds[1] - a.localIds[1]);
  const enclosing: number[] = [];
  const open: number[] = [];
  for (let i = 0; i < ranges.length; i++) {
    const [first] = ranges[i]!.localIds;
    while (open.length > 0 && ranges[open[open.length - 1]!]!.localIds[1] <= first) open.pop();
    enclosing.push(open.length > 0 ? open[open.length - 1]! : -1);
    open.push(i);
  }
  const bodyOf = (id: number): BodyInfo | null => {
    let lo = 0;
    let hi = ranges.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid]!.localIds[0] <= id) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (; at >= 0; at = enclosing[at]!) if (id < ranges[at]!.localIds[1]) return ranges[at]!;
    return null;
  };
  // The bindings to judge, with their body (null: a local outside every body, never cached).
  const todo: { node: object; l: LocalDef; body: BodyInfo | null }[] = [];
  // Locals a shorthand field pattern `S { x }` binds (their other binding nodes say nothing of it).
  const shorthand = new Set<LocalDef>();
  for (const [node, l] of t.bindings) {
    const body = bodyOf(l.id);
    if (body === null && partial) continue; // a local of a body whose verdicts were replayed
    todo.push({ node, l, body });
    if ((node as { kind?: string }).kind === "FieldPattern") shorthand.add(l);
  }
  // Several nodes can bind one local (`a | a`, field shorthands): each local is judged once.
  const seen = new Set<LocalDef>();
  const diags = s.world.diagnostics;
  const found = new Map<BodyInfo, Diagnostic[]>();
  let outside = false;
  for (const { node, l, body } of todo) {
    // A dustlang witness (`prove w from c`) is evidence, kept whether or not it is read.
    if ((node as A.Pattern).kind === "BindingPattern" && (node as A.BindingPattern).witness) continue;
    if (seen.has(l)) continue;
    seen.add(l);
    if (l.name.startsWith("_") || l.origin === "self") continue;
    if (isRead(t, l)) continue;
    const what = l.origin === "param" || l.origin === "closure-param" ? "parameter" : "binding";
    const from = diags.length;
    raise(s.report, l.span, Warnings.unused(what, l.name), {
      // A shorthand field pattern `S { x }` keeps its field: `S { x: _x }`.
      suggestions:
        shorthand.has(l)
          ? [{ message: `prefix with \`_\`: \`${l.name}: _${l.name}\``, edits: [insertAfter(l.span, `: _${l.name}`)], applicability: "machine-applicable" }]
          : prefixFix(l.span, "_", `prefix with \`_\`: \`_${l.name}\``),
    });
    if (diags.length === from) continue;
    if (body === null) outside = true;
    else {
      let list = found.get(body);
      if (!list) found.set(body, (list = []));
      list.push(...diags.slice(from));
    }
  }
  if (!cache) return;
  // A verdict that belongs to no body could not be replayed: nothing is kept, all is judged next time.
  if (outside) cache.clear();
  else for (const b of fresh) cache.set(b, found.get(b) ?? NO_DIAGNOSTICS);
}
