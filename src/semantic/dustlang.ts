/**
 * The dustlang v0.1 rules (docs/language.md, "The dustlang surface"), on the facts the
 * parser kept for each forge and process (`A.DustForge`, `A.DustProc`): which regime may
 * perform which effect (DPL3010), where witnesses come from (DPL3011, DPL3012), that Q
 * processes are linear (DPL3013), that a linear value is used exactly once (DPL4002 for a
 * second use, DPL4010 for none), that a `bind` names processes that exist (DPL2001), and
 * that its contract can hold (DPL5010). A cross-regime call without a `bind` is DPL3002,
 * reported where calls are checked (check-call.ts).
 */
import type * as A from "../syntax/ast.js";
import type { Span } from "../syntax/source.js";
import { walkNodes } from "../syntax/walk.js";
import type { Reporter } from "./annotations.js";
import { raise } from "../diagnostics/messages/message.js";
import { Dustlang } from "../diagnostics/messages/dustlang.js";
import { Moves } from "../diagnostics/messages/ownership.js";
import { Unresolved } from "../diagnostics/messages/unresolved.js";
import { forgeGroups, forgeProcs } from "./forges.js";

/** v0.1's primitive types (spec §5.3); every other type a process names is a shape. */
const PRIMITIVES = new Set(["i32", "i64", "f32", "f64", "bool", "u8", "u16", "u32", "u64", "i8", "i16", "usize", "isize", "char", "str", "String"]);

export function checkDustlang(modules: readonly A.Module[], report: Reporter): void {
  // A forge's namespace spans the files of its directory checked together (forges.ts).
  for (const forges of forgeGroups(modules)) {
    const procs = forgeProcs(forges);
    for (const f of forges) {
      for (const it of f.items ?? []) if (it.kind === "FnItem" && it.proc) checkProc(it as A.FnItem & { proc: A.DustProc }, procs, report);
    }
    for (const f of forges) for (const b of f.forge?.binds ?? []) checkBind(b, f.name.name, procs, report);
  }
}

// ---------------------------------------------------------------------------
// Processes

function checkProc(fn: A.FnItem & { proc: A.DustProc }, procs: ReadonlyMap<string, A.FnItem & { proc: A.DustProc }>, report: Reporter): void {
  const p = fn.proc;
  if (p.regime === "Q" && !p.linear) {
    raise(report, fn.name.span, Dustlang.qProcessNotLinear(fn.name.name));
  }
  const witnesses = new Set<string>();
  for (const s of p.stmts) {
    if (s.kind === "prove") {
      if (p.regime !== "Φ") {
        raise(report, s.span, Dustlang.proveOutsidePhi(p.regime));
      }
      if (s.witness) witnesses.add(s.witness.name);
      continue;
    }
    if (s.kind === "constrain" || s.kind === "emit" && p.regime === "K") continue;
    const allowed = p.regime === "K" || (p.regime === "Q" && s.kind === "observe") || (p.regime === "Φ" && s.kind === "seal");
    if (!allowed) {
      raise(report, s.span, Dustlang.effectInRegime(s.kind, p.regime));
      continue;
    }
    if (p.regime === "Φ" && s.kind === "seal") {
      const name = singleName(s.operand);
      if (name === null || !witnesses.has(name)) {
        raise(report, s.operand.span, Dustlang.sealOfNonWitness(name));
      }
    }
  }
  if (p.linear && fn.body.kind === "block") checkLinearity(fn, fn.body.block, procs, report);
}

function singleName(e: A.Expr): string | null {
  return e.kind === "PathExpr" && e.segments.length === 1 ? e.segments[0]!.name.name : null;
}

function isShapeType(t: A.Type | null): boolean {
  if (t === null || t.kind !== "PathType") return false;
  const last = t.segments[t.segments.length - 1];
  return last !== undefined && !PRIMITIVES.has(last.name.name);
}

interface Linear {
  readonly name: string;
  readonly at: Span;
  uses: Span[];
  observed: boolean;
}

/**
 * Linear values (spec §4.4.2) in a `linear` process: its shape-typed parameters, and the
 * shapes it builds or receives from processes. Each is used exactly once: a second use is
 * DPL4002, none at all DPL4010. `observe x` is the use that measures `x`: what is read of
 * it afterwards is the classical outcome (q_observe_measurement), not a second use.
 */
function checkLinearity(fn: A.FnItem, body: A.Block, procs: ReadonlyMap<string, A.FnItem & { proc: A.DustProc }>, report: Reporter): void {
  const live = new Map<string, Linear>();
  for (const prm of fn.params) {
    if (prm.pattern.kind === "BindingPattern" && isShapeType(prm.type)) live.set(prm.pattern.name.name, { name: prm.pattern.name.name, at: prm.pattern.name.span, uses: [], observed: false });
  }
  const observes = new Map<A.Stmt, string>();
  for (const s of fn.proc!.stmts) {
    const n = singleName(s.operand);
    if (s.kind === "observe" && n) observes.set(s.lowered, n);
  }
  const countUses = (root: unknown): void => {
    walkNodes(root, (n) => {
      if (n.kind !== "PathExpr") return;
      const name = singleName(n as A.PathExpr);
      const l = name === null ? undefined : live.get(name);
      if (!l || l.observed) return;
      l.uses.push((n as A.PathExpr).span);
    });
  };
  for (const s of body.stmts) {
    if (s.kind === "LetStmt") {
      countUses(s.init);
      const observed = observes.get(s);
      if (observed) {
        const l = live.get(observed);
        if (l) l.observed = true;
        continue;
      }
      if (s.pattern.kind === "BindingPattern" && !s.pattern.witness && s.init && producesShape(s.init, procs)) {
        live.set(s.pattern.name.name, { name: s.pattern.name.name, at: s.pattern.name.span, uses: [], observed: false });
      }
    } else countUses(s);
  }
  if (body.tail) countUses(body.tail);
  for (const l of live.values()) {
    if (l.uses.length === 0) {
      raise(report, l.at, Dustlang.linearNeverConsumed(l.name, fn.name.name));
    }
    for (const extra of l.uses.slice(1)) {
      raise(report, extra, Moves.linearReused(l.name), { related: [{ span: l.uses[0]!, message: Moves.linearConsumedHere(l.name) }] });
    }
  }
}

function producesShape(e: A.Expr, procs: ReadonlyMap<string, A.FnItem & { proc: A.DustProc }>): boolean {
  if (e.kind === "StructLitExpr") return true;
  if (e.kind === "CallExpr" && e.callee.kind === "PathExpr") {
    const callee = procs.get(e.callee.segments[e.callee.segments.length - 1]?.name.name ?? "");
    return callee !== undefined && isShapeType(callee.returnType);
  }
  return false;
}

// ---------------------------------------------------------------------------
// Bindings and contracts

function checkBind(b: A.DustBind, forge: string, procs: ReadonlyMap<string, A.FnItem & { proc: A.DustProc }>, report: Reporter): void {
  const ends: (A.FnItem & { proc: A.DustProc })[] = [];
  for (const ref of [b.from, b.to]) {
    const fn = procs.get(ref.name.name);
    const shown = `${ref.regime ? `${ref.regime}::` : ""}${ref.name.name}`;
    if (!fn) {
      raise(report, ref.span, Unresolved.noProcessToBind(shown, forge));
    } else if (ref.regime !== null && ref.regime !== fn.proc.regime) {
      raise(report, ref.span, Unresolved.processOfOtherRegime(shown, forge, fn.name.name, fn.proc.regime), { related: [{ span: fn.name.span, message: "declared here" }] });
    } else ends.push(fn);
  }
  if (ends.length !== 2) return;
  const [source, target] = ends as [A.FnItem & { proc: A.DustProc }, A.FnItem & { proc: A.DustProc }];
  for (const c of b.clauses) {
    const value = clauseValue(c.value);
    const clause = `${c.attribute.name} ${c.op} ${c.value.kind === "IntLit" ? c.value.raw : value === null ? "…" : String(value)}`;
    const violated = (why: string, related: { span: Span; message: string }[] = []): void =>
      raise(report, c.span, Dustlang.contractCannotHold(clause, source.name.name, target.name.name, why), { related });
    switch (c.attribute.name) {
      case "latency_us":
      case "latency": {
        // Latency is counted in whole microseconds, and a crossing is never instantaneous: a
        // bound that only 0 µs (or less) satisfies cannot be met by any run. A duration
        // (`2ms`) is in nanoseconds; a plain number bounds `latency_us` in µs, and `latency`
        // in no known unit (not checked).
        const us = latencyMicros(c);
        if (us !== null && ((c.op === "<" && us <= 1) || (c.op === "<=" && us < 1) || ((c.op === "==" || c.op === "=") && us < 1))) {
          violated(Dustlang.crossingTakesTime());
        }
        break;
      }
      case "effects_allowed":
        if (value === false) {
          const effect = target.proc.stmts.find((s) => s.kind === "emit" || s.kind === "observe" || s.kind === "seal");
          if (effect) violated(Dustlang.targetPerformsEffect(target.name.name), [{ span: effect.span, message: Dustlang.effectHere(effect.kind) }]);
        }
        break;
      case "linearity_enforced":
        if (value === true) {
          for (const end of ends) {
            if (end.proc.regime === "Q" && !end.proc.linear) violated(Dustlang.qEndNotLinear(end.name.name), [{ span: end.name.span, message: "declared here" }]);
          }
        }
        break;
      case "witness_transfer":
        if (value === true) {
          // The witness comes from one Φ end (the other may be the Φ process relying on it).
          const phi = ends.filter((end) => end.proc.regime === "Φ");
          if (phi.length > 0 && !phi.some((end) => end.proc.stmts.some((s) => s.kind === "prove"))) {
            violated(Dustlang.noWitnessProven(), phi.map((end) => ({ span: end.name.span, message: Dustlang.noProveIn(end.name.name) })));
          }
        }
        break;
      default:
        // Attributes beyond the standard four are the implementation's to define (spec
        // §10.5.2): dplc records them and checks nothing of them.
        break;
    }
  }
}

/** A latency bound in microseconds: a duration (nanoseconds), or a number bounding `latency_us`. */
function latencyMicros(c: A.DustContractClause): number | null {
  const v = c.value;
  if (v.kind !== "IntLit" || v.suffix !== null) return null;
  if (v.quantity === "ns") return Number(v.value) / 1000;
  if (v.quantity === undefined && c.attribute.name === "latency_us") return Number(v.value);
  return null;
}

function clauseValue(e: A.Expr): number | boolean | string | null {
  switch (e.kind) {
    case "IntLit":
      if (e.quantity !== undefined) return null;
      return e.suffix === null ? Number(e.value) : null;
    case "BoolLit":
      return e.value;
    case "StrLit":
      return e.value;
    default:
      return null;
  }
}
