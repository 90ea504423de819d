/**
 * Move checking (DPL4002, XDV-051 §4.3): a flow analysis over each checked body.
 *
 * The state is the set of places (a local, or a field path of one) that have been moved
 * out, each with where. Branches join (moved on one path = maybe moved), loop bodies are
 * analysed twice so that a move in one iteration is seen by the next, `break`/`return`
 * end a path, assigning to a place makes it usable again, and every `let` starts a fresh
 * binding. Copy types (language.md §4: primitives, references, tuples/arrays of copy
 * types) never move; `&mut` references are re-borrowed, as in Rust.
 *
 * Closures: a `move` closure moves what it captures when it is created; any closure moves
 * a captured value its body moves. Method calls move a receiver taken by `self`.
 */
import { raise } from "../diagnostics/messages/message.js";
import { Moves } from "../diagnostics/messages/ownership.js";
import type * as A from "../syntax/ast.js";
import { chainLeft } from "../syntax/chains.js";
import type { Span } from "../syntax/source.js";
import type { LocalDef } from "./defs.js";
import type { Sema } from "./context.js";
import type { BodyInfo, Tables } from "./tables.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { isCopyType } from "./impls.js";
import { bodyExpr } from "./rules.js";
import { domainOf, everyTuplePart, printTy, shallow, type Ty } from "./types.js";

type Mode = "move" | "read" | "borrow" | "write";

interface MoveRec {
  readonly span: Span;
  readonly maybe: boolean;
}

type State = Map<string, MoveRec> | null;

interface Place {
  readonly key: string;
  readonly local: LocalDef;
  readonly display: string;
  /** `mayHoldMove` of the local: when false, no place rooted at it moves (no type lookup needed). */
  readonly movable: boolean;
}

interface LoopCtx {
  readonly label: string | null;
  readonly breaks: State[];
  readonly continues: State[];
}

function offsetOf(sp: Span): number {
  return (sp as { startOffset?: number }).startOffset ?? sp.start.offset;
}

/**
 * The state of a path on which nothing has been moved, shared by all such paths (most
 * bodies never move anything, and copying empty maps at every branch was most of the
 * pass's allocation). Never mutated: `recordMove` replaces it before adding a move.
 */
const NOTHING_MOVED: Map<string, MoveRec> = new Map();

function copyState(s: State): State {
  return s === null ? null : s.size === 0 ? NOTHING_MOVED : new Map(s);
}

/** `join`, sharing the empty state. */
function joinStates(a: State, b: State): State {
  if ((a === null || a.size === 0) && (b === null || b.size === 0)) return a === null && b === null ? null : NOTHING_MOVED;
  return join(a, b);
}

const COMPARISONS = new Set<A.BinaryOp>(["==", "!=", "<", "<=", ">", ">="]);

export function join(a: State, b: State): State {
  if (!a) return b ? new Map(b) : null;
  if (!b) return new Map(a);
  const out = new Map<string, MoveRec>();
  for (const [k, r] of a) {
    const o = b.get(k);
    out.set(k, o ? (o.maybe && !r.maybe ? o : r) : { span: r.span, maybe: true });
  }
  for (const [k, r] of b) if (!a.has(k)) out.set(k, { span: r.span, maybe: true });
  return out;
}

class MoveChecker {
  private state: State = NOTHING_MOVED;
  private loops: LoopCtx[] = [];
  private reporting = true;
  private readonly reported = new Set<string>();
  /** The place of each local used as a path: they are looked up at every use. */
  private readonly localPlaces = new Map<LocalDef, Place>();

  constructor(private readonly s: Sema) {}

  run(body: BodyInfo): void {
    this.ev(bodyExpr(body.body), "move");
  }

  // -------------------------------------------------------------------------
  // Places and types

  private typeOf(e: A.Expr): Ty | undefined {
    return this.s.tables.exprTypes.get(e);
  }

  private moves(t: Ty | undefined): boolean {
    if (!t) return false;
    const s = shallow(t);
    if (s.k === "ref" || s.k === "var" || s.k === "param") return s.k === "param";
    return !isCopyType(s);
  }

  private place(e: A.Expr): Place | null {
    switch (e.kind) {
      case "ParenExpr":
        return this.place(e.inner);
      case "PathExpr": {
        const r = this.s.tables.valueRes.get(e);
        if (r?.kind !== "local") return null;
        let p = this.localPlaces.get(r.def);
        if (!p) this.localPlaces.set(r.def, (p = { key: `#${r.def.id}`, local: r.def, display: r.def.name, movable: mayHoldMove(r.def.ty) && !this.s.tables.isLiteralStr(r.def) }));
        return p;
      }
      case "FieldExpr": {
        const fr = this.s.tables.fieldRes.get(e);
        const ot = this.typeOf(e.object);
        if (!fr || fr.derefs > 0 || (ot && shallow(ot).k === "ref")) return null;
        const base = this.place(e.object);
        if (!base) return null;
        return { key: `${base.key}.${e.field.name}`, local: base.local, display: `${base.display}.${e.field.name}`, movable: base.movable };
      }
      default:
        return null;
    }
  }

  // -------------------------------------------------------------------------
  // State changes

  private check(p: Place, at: A.Expr): void {
    const st = this.state;
    if (!st || !this.reporting || st.size === 0) return;
    for (const [k, r] of st) {
      const whole = k === p.key || p.key.startsWith(k + ".");
      const part = k.startsWith(p.key + ".");
      if (!whole && !part) continue;
      const id = `${k}@${offsetOf(r.span)}`;
      if (this.reported.has(id)) return;
      this.reported.add(id);
      this.report(p, at, r, part);
      return;
    }
  }

  private report(p: Place, at: A.Expr, r: MoveRec, partial: boolean): void {
    const t = this.typeOf(at) ?? p.local.ty;
    const isQ = domainOf(t) === "Q" || domainOf(p.local.ty) === "Q";
    const earlier = offsetOf(r.span) > offsetOf(at.span);
    const cloneable = !isQ && !(shallow(t).k === "adt" && (shallow(t) as { def: { ann: { noncopy: boolean } } }).def.ann.noncopy);
    raise(this.s.report, at.span, Moves.useAfterMove(p.display, printTy(t), partial, isQ, cloneable), { related: [{ span: r.span, message: Moves.movedHere(earlier, r.maybe) }] });
  }

  private recordMove(p: Place, at: Span): void {
    if (!this.state) return;
    if (this.state === NOTHING_MOVED) this.state = new Map();
    this.state.set(p.key, { span: at, maybe: false });
  }

  private clear(key: string): void {
    const st = this.state;
    if (!st || st.size === 0) return;
    for (const k of [...st.keys()]) if (k === key || k.startsWith(key + ".")) st.delete(k);
  }

  private clearPattern(p: A.Pattern): void {
    // Only moves are cleared: with none recorded there is nothing to do.
    if (!this.state || this.state.size === 0) return;
    const b = this.s.tables.bindings;
    const walk = (x: A.Pattern): void => {
      const l = b.get(x);
      if (l) this.clear(`#${l.id}`);
      switch (x.kind) {
        case "BindingPattern":
          if (x.subpattern) walk(x.subpattern);
          break;
        case "TuplePattern":
          x.elements.forEach(walk);
          break;
        case "TupleStructPattern":
          x.elements.forEach(walk);
          break;
        case "StructPattern":
          for (const f of x.fields) {
            const fl = b.get(f);
            if (fl) this.clear(`#${fl.id}`);
            if (f.pattern) walk(f.pattern);
          }
          break;
        case "OrPattern":
          x.alternatives.forEach(walk);
          break;
        case "RefPattern":
          walk(x.inner);
          break;
        default:
          break;
      }
    };
    walk(p);
  }

  /** Does matching this pattern move (part of) the scrutinee: a by-value binding of a non-copy type? */
  private patternMoves(x: A.Pattern): boolean {
    const b = this.s.tables.bindings;
    const l = b.get(x);
    if (l && !l.byRef && this.moves(l.ty)) return true;
    switch (x.kind) {
      case "BindingPattern":
        return !!x.subpattern && this.patternMoves(x.subpattern);
      case "TuplePattern":
      case "TupleStructPattern":
        for (const e of x.elements) if (this.patternMoves(e)) return true;
        return false;
      case "StructPattern":
        for (const f of x.fields) {
          const fl = b.get(f);
          if (fl && !fl.byRef && this.moves(fl.ty)) return true;
          if (f.pattern && this.patternMoves(f.pattern)) return true;
        }
        return false;
      case "OrPattern":
        for (const alt of x.alternatives) if (this.patternMoves(alt)) return true;
        return false;
      default:
        return false;
    }
  }

  // -------------------------------------------------------------------------
  // Evaluation

  private evPlace(e: A.Expr, p: Place, mode: Mode): void {
    if (mode === "write") {
      this.clear(p.key);
      return;
    }
    this.check(p, e);
    if (mode === "move" && p.movable && this.moves(this.typeOf(e))) this.recordMove(p, e.span);
  }

  /**
   * The left operand of a link of a chain as this pass evaluates it (a field that is a place
   * of its own is no link), or null.
   */
  private linkLeft(e: A.Expr): A.Expr | null {
    if (e.kind === "FieldExpr") return this.place(e) ? null : e.object;
    return chainLeft(e);
  }

  /** The mode a link evaluates its left operand in (before `evRest`). */
  private leftMode(e: A.Expr): Mode {
    switch (e.kind) {
      case "BinaryExpr":
        return COMPARISONS.has(e.op) ? "read" : "move";
      case "MethodCallExpr": {
        const r = this.s.tables.methodRes.get(e);
        return !r || r.autoref !== "none" ? "borrow" : r.derefs > 0 ? "read" : "move";
      }
      case "CastExpr":
      case "TryExpr":
        return "move";
      default:
        return "read"; // FieldExpr, IndexExpr
    }
  }

  /** What a link evaluates after its left operand. */
  private evRest(e: A.Expr): void {
    switch (e.kind) {
      case "BinaryExpr":
        if (e.op === "&&" || e.op === "||") {
          const before = copyState(this.state!);
          this.ev(e.right, "move");
          this.state = joinStates(before, this.state);
          return;
        }
        return this.ev(e.right, COMPARISONS.has(e.op) ? "read" : "move");
      case "MethodCallExpr":
        for (const a of e.args) this.ev(a, "move");
        return;
      case "IndexExpr":
        return this.ev(e.index, "read");
      default:
        return; // FieldExpr, CastExpr, TryExpr
    }
  }

  /**
   * A chain in evaluation order with a loop: its first operand, then each link's rest, so a
   * chain of any length costs the stack of one link.
   */
  private evChain(e: A.Expr, mode: Mode): void {
    const spine: A.Expr[] = [];
    let x: A.Expr = e;
    let m = mode;
    for (let l = this.linkLeft(x); l !== null; l = this.linkLeft(x)) {
      spine.push(x);
      m = this.leftMode(x);
      x = l;
    }
    this.ev(x, m);
    for (let i = spine.length - 1; i >= 0; i--) {
      if (!this.state) return;
      this.evRest(spine[i]!);
    }
  }

  private ev(e: A.Expr, mode: Mode): void {
    if (!this.state) return;
    switch (e.kind) {
      case "PathExpr": {
        const p = this.place(e);
        if (p) return this.evPlace(e, p, mode);
        return;
      }
      case "FieldExpr": {
        const p = this.place(e);
        if (p) return this.evPlace(e, p, mode);
        return this.evChain(e, mode);
      }
      case "ParenExpr":
        return this.ev(e.inner, mode);
      case "IndexExpr":
      case "BinaryExpr":
      case "MethodCallExpr":
      case "CastExpr":
      case "TryExpr":
        return this.evChain(e, mode);
      case "UnaryExpr":
        return this.ev(e.operand, e.op === "*" ? "read" : "move");
      case "RefExpr":
        return this.ev(e.operand, "borrow");
      case "AssignExpr":
        this.ev(e.value, "move");
        if (e.op !== "=") return this.ev(e.target, "read");
        return this.ev(e.target, "write");
      case "CallExpr":
        this.ev(e.callee, "read");
        for (const a of e.args) this.ev(a, "move");
        return;
      case "MacroCallExpr": {
        const argMode: Mode = e.name.name === "vec" ? "move" : "read";
        for (const a of e.args) this.ev(a, argMode);
        for (const p of this.s.tables.macroCaptures.get(e) ?? []) this.ev(p, "read");
        return;
      }
      case "StructLitExpr":
        for (const f of e.fields) {
          const v = f.value ?? this.s.tables.shorthandFields.get(f);
          if (v) this.ev(v, "move");
        }
        if (e.base) this.ev(e.base, "move");
        return;
      case "TupleExpr":
      case "ArrayExpr":
        for (const x of e.elements) this.ev(x, "move");
        return;
      case "ArrayRepeatExpr":
        this.ev(e.value, "move");
        return this.ev(e.count, "read");
      case "RangeExpr":
        if (e.start) this.ev(e.start, "move");
        if (e.end) this.ev(e.end, "move");
        return;
      case "BlockExpr":
        return this.block(e.block, mode);
      case "IfExpr":
        return this.evIf(e, mode);
      case "LetCondExpr":
        this.ev(e.value, this.patternMoves(e.pattern) ? "move" : "read");
        return this.clearPattern(e.pattern);
      case "MatchExpr":
        return this.evMatch(e, mode);
      case "WhileExpr":
        return this.evLoop(e.label, () => this.ev(e.condition, "read"), e.body, true);
      case "LoopExpr":
        return this.evLoop(e.label, null, e.body, false);
      case "ForExpr":
        this.ev(e.iterable, "move");
        return this.evLoop(e.label, () => this.clearPattern(e.pattern), e.body, true);
      case "BreakExpr": {
        if (e.value) this.ev(e.value, "move");
        const l = this.findLoop(e.label);
        if (l) l.breaks.push(this.state);
        this.state = null;
        return;
      }
      case "ContinueExpr": {
        const l = this.findLoop(e.label);
        if (l) l.continues.push(this.state);
        this.state = null;
        return;
      }
      case "ReturnExpr":
        if (e.value) this.ev(e.value, "move");
        this.state = null;
        return;
      case "ClosureExpr":
        return this.evClosure(e);
      default:
        return;
    }
  }

  private findLoop(label: A.Ident | null): LoopCtx | undefined {
    for (let i = this.loops.length - 1; i >= 0; i--) {
      const l = this.loops[i]!;
      if (!label || l.label === label.name) return l;
    }
    return undefined;
  }

  private block(b: A.Block, mode: Mode): void {
    for (const st of b.stmts) {
      if (!this.state) return;
      if (st.kind === "LetStmt") {
        // As in Rust, `let Meters(m) = p.scale;` moves only what the pattern binds by value.
        if (st.init) this.ev(st.init, this.patternMoves(st.pattern) ? "move" : "read");
        if (st.elseBlock) {
          const saved = copyState(this.state);
          this.block(st.elseBlock, "move");
          this.state = saved;
        }
        this.clearPattern(st.pattern);
      } else if (st.kind === "ExprStmt") this.ev(st.expr, "move");
    }
    if (b.tail) this.ev(b.tail, mode);
  }

  private evIf(e: A.IfExpr, mode: Mode): void {
    this.ev(e.condition, "read");
    const saved = copyState(this.state);
    this.block(e.then, mode);
    const afterThen = this.state;
    this.state = saved;
    if (e.else) {
      if (e.else.kind === "IfExpr") this.ev(e.else, mode);
      else this.block(e.else, mode);
    }
    this.state = joinStates(afterThen, this.state);
  }

  private evMatch(e: A.MatchExpr, mode: Mode): void {
    const moves = e.arms.some((a) => this.patternMoves(a.pattern));
    this.ev(e.scrutinee, moves ? "move" : "read");
    const saved = this.state;
    let out: State = null;
    let first = true;
    for (const arm of e.arms) {
      this.state = copyState(saved);
      this.clearPattern(arm.pattern);
      if (arm.guard) this.ev(arm.guard, "read");
      this.ev(arm.body, mode);
      out = first ? this.state : joinStates(out, this.state);
      first = false;
    }
    this.state = first ? saved : out;
  }

  /** Loops run twice: the second pass sees the moves of the first (a move in one iteration, a use in the next). */
  private evLoop(label: A.Ident | null, head: (() => void) | null, body: A.Block, mayExitAtHead: boolean): void {
    const entry = copyState(this.state);
    const reporting = this.reporting;
    this.reporting = false;
    const first: LoopCtx = { label: label?.name ?? null, breaks: [], continues: [] };
    this.loops.push(first);
    if (head) head();
    this.block(body, "move");
    this.loops.pop();
    let back = this.state;
    for (const c of first.continues) back = joinStates(back, c);
    this.reporting = reporting;
    this.state = joinStates(entry, back);
    const second: LoopCtx = { label: label?.name ?? null, breaks: [], continues: [] };
    this.loops.push(second);
    if (head) head();
    const atHead = copyState(this.state);
    this.block(body, "move");
    this.loops.pop();
    let exit: State = mayExitAtHead ? atHead : null;
    for (const b of second.breaks) exit = exit === null ? copyState(b) : joinStates(exit, b);
    this.state = exit;
  }

  private evClosure(e: A.ClosureExpr): void {
    const captures = this.s.tables.closureCaptures.get(e) ?? [];
    // The body on its own: use-after-move inside it, and which captures it moves.
    const outer = this.state;
    const loops = this.loops;
    this.state = NOTHING_MOVED;
    this.loops = [];
    this.ev(e.body, "move");
    const inner = this.state ?? NOTHING_MOVED;
    this.state = outer;
    this.loops = loops;
    for (const l of captures) {
      const key = `#${l.id}`;
      const movedInside = [...inner.keys()].some((k) => k === key || k.startsWith(key + "."));
      const p: Place = { key, local: l, display: l.name, movable: mayHoldMove(l.ty) && !this.s.tables.isLiteralStr(l) };
      // A stand-in for the capture at the closure (not recorded in the tables).
      const at: A.Expr = { kind: "PathExpr", segments: [], span: e.span };
      this.check(p, at);
      if ((e.isMove || movedInside) && p.movable && this.moves(l.ty)) this.recordMove(p, e.span);
    }
  }
}

/**
 * Bodies whose locals all have types that never move, in whole or in part (see
 * `mayHoldMove`), by their index in `tables.bodies`: a flag per body, without hashing
 * every body into a weak set.
 */
const moveFree = new WeakMap<Tables, boolean[]>();

/** The body just added to `tables.bodies` cannot move anything. */
export function noteMoveFree(tables: Tables): void {
  let flags = moveFree.get(tables);
  if (!flags) moveFree.set(tables, (flags = []));
  flags[tables.bodies.length - 1] = true;
}

/**
 * The editor's re-check of one item (recheck.ts): the bodies checked last, from index
 * `from` on, take the place of the item's old bodies (indexes `old`, ascending and
 * contiguous), so that bodies stay in source order with their flags.
 */
export function moveBodies(tables: Tables, old: readonly number[], from: number): void {
  const flags = moveFree.get(tables) ?? [];
  const entries = tables.bodies.map((b, i) => ({ b, free: flags[i] === true }));
  const fresh = entries.slice(from);
  const earlier = entries.slice(0, from);
  const at = old[0] ?? earlier.length;
  const gone = new Set(old);
  const out: typeof entries = [];
  earlier.forEach((e, i) => {
    if (i === at) out.push(...fresh);
    if (!gone.has(i)) out.push(e);
  });
  if (at >= earlier.length) out.push(...fresh);
  tables.bodies.splice(0, tables.bodies.length, ...out.map((e) => e.b));
  const next: boolean[] = [];
  out.forEach((e, i) => {
    if (e.free) next[i] = true;
  });
  moveFree.set(tables, next);
}

/**
 * Could a local of type `t` ever have its value, or a field of it, moved out? Only moves of
 * locals' places are tracked, so a body none of whose locals can is skipped by the pass: it
 * could not report anything. False for references (a reference is re-borrowed, and a place
 * behind one is never moved from) and for types that are copy all the way down; anything
 * else, including unresolved variables, counts as movable.
 */
export function mayHoldMove(t: Ty): boolean {
  const s = shallow(t);
  return s.k !== "ref" && !surelyCopy(s);
}

/** Copy types whose fields are copy types too: a subset of `isCopyType`, decided without definitions. */
function surelyCopy(t: Ty): boolean {
  const s = shallow(t);
  switch (s.k) {
    case "prim":
      return s.name !== "String" && s.name !== "str";
    case "ref":
      return !s.mut;
    case "never":
    case "fn":
      return true;
    case "tuple":
      // Each shared element once (a nested tuple type has exponentially many paths).
      return everyTuplePart(t, surelyCopy);
    case "array":
      return surelyCopy(s.elem);
    default:
      return false;
  }
}

/**
 * The move pass's diagnostics by body. A body's moves depend on its own typing only, so
 * the editor's re-check of one item (recheck.ts) replays the other bodies' diagnostics.
 */
export interface MoveDiagnostics {
  readonly byBody: Map<BodyInfo, Diagnostic[]>;
}

const NO_DIAGNOSTICS: Diagnostic[] = [];

/** With `from`, only the bodies from that index of `tables.bodies` on (`judgeBodiesNow`, rules.ts). */
export function checkMoves(s: Sema, cache?: MoveDiagnostics, from = 0): void {
  const skip = moveFree.get(s.tables);
  const bodies = s.tables.bodies;
  const diags = s.world.diagnostics;
  for (let i = from; i < bodies.length; i++) {
    if (skip?.[i]) continue;
    const body = bodies[i]!;
    const known = cache?.byBody.get(body);
    if (known) {
      // As if reported again: through the same once-per-place rule.
      for (const d of known) s.report(d.code, d.span, d.message, d);
      continue;
    }
    const from = diags.length;
    new MoveChecker(s).run(body);
    if (cache) cache.byBody.set(body, diags.length > from ? diags.slice(from) : NO_DIAGNOSTICS);
  }
}
