/**
 * The built-in macros: `println! print! eprintln! eprint! format! panic!` (format strings
 * with `{}`, `{:?}`, `{0}` and inline names `{x}`), `assert! assert_eq! assert_ne!`,
 * `vec!`, and `todo! unimplemented! unreachable!`. Formatting a Q or Φ value in K code
 * would expose raw state, so it is DPL3003.
 */
import { dynTraitOf } from "./dyn.js";
import { DynCompat } from "../diagnostics/messages/dyn.js";
import { Duplication } from "../diagnostics/messages/ownership.js";
import { Exposure } from "../diagnostics/messages/domains.js";
import { Unresolved } from "../diagnostics/messages/unresolved.js";
import { Arity } from "../diagnostics/messages/arity.js";
import { TypeMismatch } from "../diagnostics/messages/type-mismatch.js";
import type * as A from "../syntax/ast.js";
import type { Span } from "../syntax/source.js";
import type { BodyChecker } from "./checker.js";
import { checkExpect, checkExpr, reportRepeatDuplication } from "./check-expr.js";
import { coerce } from "./infer.js";
import { checkAfterInference, checkPathExpr } from "./check-call.js";
import { implementsDisplay } from "./impls.js";
import { FormatStringError, parseFormat, type ArgRef, type FmtType } from "#runtime/format-parse.js";
import { vecOf } from "./intrinsics.js";
import { BOOL, ERROR, NEVER, STRING, UNIT, USIZE, adt, domainOf, isFloat, isInt, exposedDomain, isQuiet, prim, printTy, ref, shallow, someNode, zonk, type Ty } from "./types.js";
import type { AdtDef } from "./defs.js";
import { didYouMeanFix } from "./fixes.js";
import { requireMutablePlace } from "./check-place.js";

const FORMATTING = new Set(["println", "print", "eprintln", "eprint", "format", "panic", "todo", "unimplemented", "unreachable", "write", "writeln"]);
const KNOWN_MACROS: readonly string[] = [...FORMATTING, "assert", "assert_eq", "assert_ne", "debug_assert", "vec"];


export function checkMacro(c: BodyChecker, e: A.MacroCallExpr, expected: Ty | null): Ty {
  const name = e.name.name;
  switch (name) {
    case "vec":
      return checkVec(c, e, expected);
    case "assert":
    case "debug_assert": {
      const [cond, ...rest] = e.args;
      if (!cond) {
        c.raise(e.span, Arity.assertNeedsCondition());
        return UNIT;
      }
      checkExpect(c, cond, BOOL, { site: "condition" });
      checkFormatArgs(c, e, rest, name);
      return UNIT;
    }
    case "assert_eq":
    case "assert_ne": {
      const [a, b, ...rest] = e.args;
      if (!a || !b) {
        c.raise(e.span, Arity.assertEqNeedsTwo(name));
        for (const x of e.args) checkExpr(c, x);
        return UNIT;
      }
      const ta = checkExpr(c, a);
      const tb = checkExpr(c, b, ta);
      coerce(c, b.span, tb, ta, { site: "other" });
      exposeCheck(c, a, ta, name);
      exposeCheck(c, b, tb, name);
      checkFormatArgs(c, e, rest, name);
      return UNIT;
    }
    case "write":
    case "writeln":
      return checkWrite(c, e, name);
    default:
      break;
  }
  if (FORMATTING.has(name)) {
    checkFormatArgs(c, e, e.args, name);
    switch (name) {
      case "format":
        return STRING;
      case "panic":
      case "todo":
      case "unimplemented":
      case "unreachable":
        return NEVER;
      default:
        return UNIT;
    }
  }
  const similar = didYouMeanFix(name, e.name.span, KNOWN_MACROS, (s) => `\`${s}!\``);
  c.raise(e.name.span, Unresolved.macroNotFound(name, similar.help, KNOWN_MACROS), { suggestions: similar.suggestions });
  for (const x of e.args) checkExpr(c, x);
  return expected ?? c.fresh();
}

function checkVec(c: BodyChecker, e: A.MacroCallExpr, expected: Ty | null): Ty {
  const h = expected ? shallow(expected) : null;
  const given = h && h.k === "adt" && h.def.kind === "struct" && h.def.builtin === "Vec" ? h.args[0]! : null;
  const elem: Ty = given ?? c.fresh();
  const [value, count] = e.args;
  if (e.isRepeat && value && count) {
    // `vec![value; count]`
    const t = checkExpr(c, value, elem);
    coerce(c, value.span, t, elem, { site: "element" });
    checkExpect(c, count, USIZE, { site: "other" });
    reportRepeatDuplication(c, value, t);
    return vecOf(elem);
  }
  // Unannotated `vec!["a", "bb"]` is a `Vec<&str>`, as in Rust: a literal is `String` only
  // where nothing asks for `&str`, and here nothing asks for anything.
  const strs = !given && e.args.length > 0 && e.args.every((x) => x.kind === "StrLit");
  const el = strs ? ref(prim("str")) : elem;
  for (const x of e.args) checkExpect(c, x, el, { site: "element" });
  return vecOf(el);
}

/**
 * Formatting is serialization. K code formatting Q/Φ state exposes it (DPL3003); Q code
 * formatting its own state would serialize unmeasured Q state, a duplication (DPL4001,
 * XDV-032 §5).
 */
export function exposeCheck(c: BodyChecker, arg: A.Expr, t: Ty, macro: string): void {
  const d = c.domain === "K" ? exposedDomain(zonk(t)) : domainOf(zonk(t));
  if (d === "K") return;
  if (c.domain !== "K") {
    if (d === "Q") {
      c.raise(arg.span, Duplication.serialize(macro === "to_string" ? "`.to_string()`" : `\`${macro}!\``, printTy(zonk(t))));
    }
    return;
  }
  c.raise(arg.span, Exposure.format(d, macro === "to_string" ? "`.to_string()`" : `\`${macro}!\``, printTy(zonk(t))));
}

/** What one argument of a format string is used as: the value of a `{}`-style placeholder, or a `$`/`*` count. */
type Use = { readonly kind: "value"; readonly type: FmtType } | { readonly kind: "count" };

interface Placeholders {
  /** Highest positional index used + 1 (implicit `{}` count in order). */
  readonly positional: number;
  readonly names: { readonly name: string; readonly offset: number }[];
  /** What each argument (by position, or by name) is used as. */
  readonly uses: Map<number | string, Use[]>;
  readonly error: string | null;
}

/** The runtime's own parser (std::fmt's grammar), so the checker accepts exactly what runs. */
function parsePlaceholders(fmt: string): Placeholders {
  const uses = new Map<number | string, Use[]>();
  const use = (ref: ArgRef, u: Use): void => {
    const key = ref.kind === "index" ? ref.index : ref.name;
    let l = uses.get(key);
    if (!l) uses.set(key, (l = []));
    l.push(u);
  };
  let parsed;
  try {
    parsed = parseFormat(fmt);
  } catch (err) {
    if (!(err instanceof FormatStringError)) throw err;
    return { positional: 0, names: [], uses, error: `${err.message} (write \`{{\` or \`}}\` for a literal brace)` };
  }
  for (const p of parsed.pieces) {
    if (p.kind !== "arg") continue;
    use(p.arg, { kind: "value", type: p.spec.type });
    for (const c of [p.spec.width, p.spec.precision]) if (c?.kind === "ref") use(c.ref, { kind: "count" });
  }
  return { positional: parsed.positional, names: parsed.named.map((name) => ({ name, offset: 0 })), uses, error: null };
}

/**
 * What a placeholder asks of its argument's type, checked once inference is done: `{}`
 * needs Display (the runtime has no fallback, E0277 in rustc), `{:x}` an integer, `{:e}` a
 * number, and a `w$` / `.*` count a `usize`.
 */
function checkUses(c: BodyChecker, arg: A.Expr, t: Ty, uses: readonly Use[]): void {
  // `let w = 8; {:w$}` makes `w` a usize, as in Rust.
  if (uses.some((u) => u.kind === "count") && c.inf.probe(USIZE, stripRefs(t))) c.inf.unify(USIZE, stripRefs(t));
  checkAfterInference(c, () => {
    const z = zonk(t);
    const peeled = stripRefs(z);
    // A K trait object (a Q/Φ one is DPL3003 in K code): its runtime form is not the value.
    if (uses.some((u) => u.kind !== "count") && someNode(z, (x) => x.k === "dom" && x.domain !== "K") === false && someNode(z, (x) => dynTraitOf(x) !== null)) {
      c.raise(arg.span, DynCompat.formatted(printTy(peeled)));
      return;
    }
    for (const u of uses) {
      if (u.kind === "count") {
        if (!notYetKnown(peeled) && !(peeled.k === "prim" && peeled.name === "usize")) {
          c.raise(arg.span, TypeMismatch.formatCountNotUsize(printTy(z)));
        }
        continue;
      }
      if (u.type === "") {
        if (!implementsDisplay(c.s, z)) {
          c.raise(arg.span, TypeMismatch.notDisplay(printTy(peeled)));
        }
      } else if (u.type === "x" || u.type === "X" || u.type === "o" || u.type === "b") {
        if (!notYetKnown(peeled) && !isInt(peeled)) c.raise(arg.span, TypeMismatch.formatWantsInteger(u.type, printTy(z)));
      } else if (u.type === "e" || u.type === "E") {
        if (!notYetKnown(peeled) && !isInt(peeled) && !isFloat(peeled)) c.raise(arg.span, TypeMismatch.formatWantsNumber(u.type, printTy(z)));
      }
    }
  });
}

function stripRefs(t: Ty): Ty {
  let s = shallow(t);
  while (s.k === "ref" || (s.k === "dom" && s.domain === "K")) s = shallow(s.inner);
  return s;
}

/** Types a format check cannot judge yet (inference variables, generics, domains): no error. */
function notYetKnown(t: Ty): boolean {
  return t.k === "var" || t.k === "error" || t.k === "any" || t.k === "never" || t.k === "param" || t.k === "dom";
}

function checkFormatArgs(c: BodyChecker, e: A.MacroCallExpr, args: readonly A.Expr[], macro: string): void {
  if (args.length === 0) return;
  const [fmt, ...rest] = args as [A.Expr, ...A.Expr[]];
  if (fmt.kind !== "StrLit") {
    const t = checkExpr(c, fmt);
    if (macro === "panic" && args.length === 1) return;
    c.raise(fmt.span, TypeMismatch.formatStringNotLiteral(macro, printTy(zonk(t))));
    for (const x of rest) checkExpr(c, x);
    return;
  }
  c.record(fmt, STRING);
  const ph = parsePlaceholders(fmt.value);
  if (ph.error) {
    c.raise(fmt.span, TypeMismatch.badFormatString(ph.error));
    for (const x of rest) checkExpr(c, x);
    return;
  }
  const positional = rest.filter((x) => !(x.kind === "AssignExpr" && x.op === "=" && x.target.kind === "PathExpr"));
  const named = new Set<string>();
  for (const x of rest) {
    if (x.kind === "AssignExpr" && x.op === "=" && x.target.kind === "PathExpr" && x.target.segments.length === 1) {
      named.add(x.target.segments[0]!.name.name);
      const t = checkExpr(c, x.value);
      c.record(x, UNIT);
      exposeCheck(c, x.value, t, macro);
      checkUses(c, x.value, t, ph.uses.get(x.target.segments[0]!.name.name) ?? []);
    }
  }
  positional.forEach((x, i) => {
    const t = checkExpr(c, x);
    exposeCheck(c, x, t, macro);
    checkUses(c, x, t, ph.uses.get(i) ?? []);
  });
  if (positional.length !== ph.positional) {
    c.raise(e.span, Arity.formatPlaceholders(ph.positional, positional.length));
  }
  const captures: A.PathExpr[] = [];
  for (const n of ph.names) {
    if (named.has(n.name)) continue;
    const span: Span = fmt.span;
    const p: A.PathExpr = { kind: "PathExpr", segments: [{ kind: "PathExprSegment", name: { kind: "Ident", name: n.name, span }, args: null, span }], span };
    const t = c.record(p, checkPathExpr(c, p, null));
    exposeCheck(c, p, t, macro);
    checkUses(c, p, t, ph.uses.get(n.name) ?? []);
    captures.push(p);
  }
  if (captures.length > 0) c.s.tables.macroCaptures.set(e, captures);
}

/**
 * `write!(f, "...", args)` / `writeln!(f, ...)` into the `Formatter` of a `Display::fmt`:
 * the text is appended and the result is `fmt::Result` (always `Ok(())`).
 */
function checkWrite(c: BodyChecker, e: A.MacroCallExpr, name: string): Ty {
  const [dest, ...rest] = e.args;
  const formatter = preludeType(c, "fmt", "Formatter");
  const fmtError = preludeType(c, "fmt", "FmtError");
  const result = c.ictx.prelude.result;
  if (!dest || !formatter || !fmtError || !result) {
    if (!dest) c.raise(e.span, Arity.writeNeedsDestination(name));
    for (const x of e.args) checkExpr(c, x);
    return ERROR;
  }
  const t = checkExpr(c, dest);
  let s = shallow(t);
  let mutRef = false;
  while (s.k === "ref") {
    mutRef = s.mut;
    s = shallow(s.inner);
  }
  // `write!(s, ..)` into a String (Rust's `fmt::Write for String`): a `mut` String or a
  // `&mut String`, as `s.push_str(..)` needs.
  if (s.k === "prim" && s.name === "String") {
    if (!mutRef) requireMutablePlace(c, dest, "borrow");
  } else if (!(s.k === "adt" && s.def === formatter) && !isQuiet(s)) {
    c.raise(dest.span, TypeMismatch.writeDestination(name, printTy(zonk(t))));
  }
  if (rest.length === 0 && name === "write") c.raise(e.span, Arity.writeNeedsFormat());
  else checkFormatArgs(c, e, rest, name);
  return adt(result, [UNIT, adt(fmtError, [])]);
}

function preludeType(c: BodyChecker, mod: string, name: string): AdtDef | null {
  const m = c.s.resolver.stdlibRoots.get("prelude")?.children.get(mod);
  const d = m?.types.get(name)?.def;
  return d && (d.kind === "struct" || d.kind === "enum") ? d : null;
}
