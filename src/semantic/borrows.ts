/**
 * Φ mutable aliasing (DPL4003, XDV-051 §4.4, XDV-033): a `&mut` borrow of a Φ value while
 * another borrow of it is live, or a borrow of it while a `&mut` is live.
 *
 * Liveness is lexical, as language.md §4 allows: a borrow that is only an operand (an
 * argument, a receiver) lives until the end of its statement; a borrow stored in a `let`
 * binding lives until the binding's last use. Only Φ places are tracked, so the rule
 * costs nothing elsewhere and cannot misfire on K code.
 */
import { perBody, type ByBody } from "./rules.js";
import { raise } from "../diagnostics/messages/message.js";
import { PhiAliasing } from "../diagnostics/messages/ownership.js";
import type * as A from "../syntax/ast.js";
import type { Span } from "../syntax/source.js";
import type { LocalDef } from "./defs.js";
import type { Sema } from "./context.js";
import type { BodyInfo } from "./tables.js";
import { bodyExpr, exprChildren } from "./rules.js";
import { domainOf, shallow, someNode } from "./types.js";

interface Borrow {
  readonly key: string;
  readonly display: string;
  readonly mut: boolean;
  readonly span: Span;
  /** For borrows held by a binding: where the binding is last used. */
  readonly until: number | null;
  readonly lastUse: Span | null;
}

function offsetOf(sp: Span): number {
  return (sp as { startOffset?: number }).startOffset ?? sp.start.offset;
}

/** Expressions whose value contains their operands. */
const HOLDING_AGGREGATES = new Set<A.Expr["kind"]>(["TupleExpr", "ArrayExpr", "ParenExpr", "StructLitExpr", "MacroCallExpr", "CallExpr"]);

/** Collection methods that store their argument in the receiver. */
const STORING_METHODS = new Set(["push", "insert", "push_back", "push_front"]);

class AliasChecker {
  private held: Borrow[] = [];
  private temps: Borrow[] = [];

  constructor(private readonly s: Sema) {}

  private place(e: A.Expr): { key: string; display: string } | null {
    switch (e.kind) {
      case "ParenExpr":
        return this.place(e.inner);
      case "PathExpr": {
        const r = this.s.tables.valueRes.get(e);
        if (r?.kind === "local") return { key: `#${r.def.id}`, display: r.def.name };
        if (r?.kind === "const") return { key: `static:${r.def.name}`, display: r.def.name };
        return null;
      }
      case "FieldExpr": {
        const b = this.place(e.object);
        return b ? { key: `${b.key}.${e.field.name}`, display: `${b.display}.${e.field.name}` } : null;
      }
      case "UnaryExpr":
        return e.op === "*" ? this.place(e.operand) : null;
      // `&mut envs[0]` borrows the collection, as `IndexMut` does in Rust.
      case "IndexExpr":
        return this.place(e.object);
      default:
        return null;
    }
  }

  private isPhi(e: A.Expr): boolean {
    const t = this.s.tables.exprTypes.get(e);
    if (!t) return false;
    let s = shallow(t);
    while (s.k === "ref") s = shallow(s.inner);
    return domainOf(s) === "Φ";
  }

  private borrow(target: A.Expr, mut: boolean, at: Span, holder: LocalDef | null): void {
    if (!this.isPhi(target)) return;
    const p = this.place(target);
    if (!p) return;
    const now = offsetOf(at);
    const live = [...this.held.filter((b) => b.until !== null && b.until > now), ...this.temps];
    for (const b of live) {
      const overlap = b.key === p.key || b.key.startsWith(p.key + ".") || p.key.startsWith(b.key + ".");
      if (!overlap || (!mut && !b.mut)) continue;
      const related = [{ span: b.span, message: PhiAliasing.borrowedHere(b.display, b.mut) }];
      if (b.lastUse) related.push({ span: b.lastUse, message: PhiAliasing.stillUsedHere() });
      raise(this.s.report, at, PhiAliasing.borrowWhileLive(p.display, mut, b.mut), { related });
      break;
    }
    let until: number | null = null;
    let lastUse: Span | null = null;
    if (holder) {
      for (const u of this.s.tables.localUses.get(holder) ?? []) {
        const o = offsetOf(u.span);
        if (until === null || o > until) {
          until = o;
          lastUse = u.span;
        }
      }
    }
    const b: Borrow = { key: p.key, display: p.display, mut, span: at, until, lastUse };
    if (holder) this.held.push(b);
    else this.temps.push(b);
  }

  private localOf(e: A.Expr): LocalDef | null {
    const r = e.kind === "PathExpr" ? this.s.tables.valueRes.get(e) : undefined;
    return r?.kind === "local" ? r.def : null;
  }

  /** `Some(&env)`, `Pair(&env, 1)`: a constructor keeps its arguments. */
  private isConstructor(e: A.CallExpr): boolean {
    if (e.callee.kind !== "PathExpr") return false;
    const r = this.s.tables.valueRes.get(e.callee);
    return r?.kind === "variant" || r?.kind === "struct";
  }

  /** The local a `let` binds directly (`let before = &env;`). */
  private holderOf(st: A.LetStmt): LocalDef | null {
    return st.pattern.kind === "BindingPattern" ? (this.s.tables.bindings.get(st.pattern) ?? null) : null;
  }

  /**
   * Does the value of a call hold a reference? Then it borrows from the call's reference
   * arguments (from the receiver alone, for a method on `&self`/`&mut self`), as Rust's
   * lifetime elision reads `fn first(v: &Vec<T>) -> &T`.
   */
  private returnsBorrow(e: A.Expr): boolean {
    const t = this.s.tables.exprTypes.get(e);
    return t !== undefined && someNode(t, (x) => shallow(x).k === "ref");
  }

  private expr(e: A.Expr, holder: LocalDef | null = null): void {
    if (e.kind === "BlockExpr") return this.block(e.block);
    if (e.kind === "RefExpr") {
      this.expr(e.operand);
      this.borrow(e.operand, e.isMut, e.span, holder);
      return;
    }
    if (e.kind === "MethodCallExpr") {
      const r = this.s.tables.methodRes.get(e);
      const kept = holder !== null && this.returnsBorrow(e) ? holder : null;
      this.expr(e.receiver, kept);
      if (r && r.autoref !== "none" && r.derefs === 0) this.borrow(e.receiver, r.autoref === "refMut", e.receiver.span, kept);
      // `kept.push(&env)`: the collection holds the borrow for as long as it is used.
      const keeper = r?.kind === "intrinsic" && STORING_METHODS.has(e.method.name) ? this.localOf(e.receiver) : null;
      for (const a of e.args) this.expr(a, keeper);
      return;
    }
    // `let f = first(&envs);`: the result holds the borrow of its reference arguments.
    if (holder && e.kind === "CallExpr" && !this.isConstructor(e) && this.returnsBorrow(e)) {
      this.expr(e.callee);
      for (const a of e.args) this.expr(a, holder);
      return;
    }
    // A borrow put into a tuple, array, `vec!`, struct or enum value lives as long as the
    // value does: `let kept = (&env, 1);` holds it until `kept`'s last use.
    if (holder && HOLDING_AGGREGATES.has(e.kind) && (e.kind !== "CallExpr" || this.isConstructor(e)) && (e.kind !== "MacroCallExpr" || e.name.name === "vec")) {
      for (const c of exprChildren(this.s.tables, e)) this.expr(c, holder);
      return;
    }
    for (const c of exprChildren(this.s.tables, e)) this.expr(c);
  }

  block(b: A.Block): void {
    for (const st of b.stmts) {
      const saved = this.temps;
      this.temps = [];
      if (st.kind === "LetStmt") {
        if (st.init) this.expr(st.init, this.holderOf(st));
        if (st.elseBlock) this.block(st.elseBlock);
      } else if (st.kind === "ExprStmt") this.expr(st.expr);
      this.temps = saved;
    }
    if (b.tail) {
      const saved = this.temps;
      this.temps = [];
      this.expr(b.tail);
      this.temps = saved;
    }
  }

  run(body: BodyInfo): void {
    const e = bodyExpr(body.body);
    this.expr(e);
  }
}

/** `cache`: the verdicts of bodies typed before, replayed (rules.ts, `RuleCache`). */
export function checkPhiAliasing(s: Sema, cache?: ByBody, bodies: readonly BodyInfo[] = s.tables.bodies): void {
  perBody(s, bodies.filter((b) => b.touchesPhi), cache, (b) => new AliasChecker(s).run(b));
}
