/**
 * The built-in macros: `println! print! eprintln! eprint! format! panic!` (format strings
 * with `{}`, `{:?}`, `{0}` and inline names `{x}`), `assert! assert_eq! assert_ne!`,
 * `vec!`, and `todo! unimplemented! unreachable!`. Formatting a Q or Φ value in K code
 * would expose raw state, so it is DPL3003.
 */
import type * as A from "../syntax/ast.js";
import type { Span } from "../syntax/source.js";
import type { BodyChecker } from "./checker.js";
import { checkExpect, checkExpr, reportRepeatDuplication } from "./check-expr.js";
import { coerce } from "./infer.js";
import { checkPathExpr } from "./check-call.js";
import { vecOf } from "./intrinsics.js";
import { BOOL, ERROR, NEVER, STRING, UNIT, USIZE, adt, domainOf, exposedDomain, isQuiet, printTy, shallow, zonk, type Ty } from "./types.js";
import type { AdtDef } from "./defs.js";
import { didYouMeanFix } from "./fixes.js";

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
        c.report("DPL2004", e.span, "`assert!` takes a condition", {});
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
        c.report("DPL2004", e.span, `\`${name}!\` takes two values to compare`, {});
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
  c.report("DPL2001", e.name.span, `cannot find macro \`${name}!\``, {
    help: similar.help ?? `the macros are ${KNOWN_MACROS.map((m) => `\`${m}!\``).join(", ")}`,
    suggestions: similar.suggestions,
  });
  for (const x of e.args) checkExpr(c, x);
  return expected ?? c.fresh();
}

function checkVec(c: BodyChecker, e: A.MacroCallExpr, expected: Ty | null): Ty {
  const h = expected ? shallow(expected) : null;
  const elem: Ty = h && h.k === "adt" && h.def.kind === "struct" && h.def.builtin === "Vec" ? h.args[0]! : c.fresh();
  const [value, count] = e.args;
  if (e.isRepeat && value && count) {
    // `vec![value; count]`
    const t = checkExpr(c, value, elem);
    coerce(c, value.span, t, elem, { site: "element" });
    checkExpect(c, count, USIZE, { site: "other" });
    reportRepeatDuplication(c, value, t);
    return vecOf(elem);
  }
  for (const x of e.args) checkExpect(c, x, elem, { site: "element" });
  return vecOf(elem);
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
      c.report("DPL4001", arg.span, `Q state cannot be cloned: ${macro === "to_string" ? "`.to_string()`" : `\`${macro}!\``} would serialize this \`${printTy(zonk(t))}\``, {
        help: "measure the state and format the K result instead",
        note: "serializing unmeasured Q state is prohibited (XDV-032 §5)",
      });
    }
    return;
  }
  c.report("DPL3003", arg.span, `raw state exposure: K code cannot format a ${d} value (${macro === "to_string" ? "`.to_string()`" : `\`${macro}!\``} would reveal \`${printTy(zonk(t))}\`)`, {
    help: "format a K result obtained through an explicit projection or an `xdv_call` instead",
  });
}

interface Placeholders {
  /** Highest positional index used + 1 (implicit `{}` count in order). */
  readonly positional: number;
  readonly names: { readonly name: string; readonly offset: number }[];
  readonly error: string | null;
}

function parsePlaceholders(fmt: string): Placeholders {
  let next = 0;
  let maxIndex = -1;
  const names: { name: string; offset: number }[] = [];
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch === "}") {
      if (fmt[i + 1] === "}") {
        i++;
        continue;
      }
      return { positional: 0, names, error: "unmatched `}` in the format string (write `}}` for a literal brace)" };
    }
    if (ch !== "{") continue;
    if (fmt[i + 1] === "{") {
      i++;
      continue;
    }
    const close = fmt.indexOf("}", i);
    if (close < 0) return { positional: 0, names, error: "unterminated `{` in the format string (write `{{` for a literal brace)" };
    const inner = fmt.slice(i + 1, close);
    const arg = inner.split(":")[0]!.trim();
    if (arg === "") maxIndex = Math.max(maxIndex, next++);
    else if (/^[0-9]+$/.test(arg)) maxIndex = Math.max(maxIndex, Number(arg));
    else if (/^[\p{L}_][\p{L}\p{N}_]*$/u.test(arg)) names.push({ name: arg, offset: i + 1 });
    else return { positional: 0, names, error: `invalid placeholder \`{${inner}}\`` };
    i = close;
  }
  return { positional: maxIndex + 1, names, error: null };
}

function checkFormatArgs(c: BodyChecker, e: A.MacroCallExpr, args: readonly A.Expr[], macro: string): void {
  if (args.length === 0) return;
  const [fmt, ...rest] = args as [A.Expr, ...A.Expr[]];
  if (fmt.kind !== "StrLit") {
    const t = checkExpr(c, fmt);
    if (macro === "panic" && args.length === 1) return;
    c.report("DPL2003", fmt.span, `\`${macro}!\` needs a string literal as its format string, found \`${printTy(zonk(t))}\``, { help: `write \`${macro}!("{}", value)\`` });
    for (const x of rest) checkExpr(c, x);
    return;
  }
  c.record(fmt, STRING);
  const ph = parsePlaceholders(fmt.value);
  if (ph.error) {
    c.report("DPL2003", fmt.span, ph.error, {});
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
    }
  }
  for (const x of positional) exposeCheck(c, x, checkExpr(c, x), macro);
  if (positional.length !== ph.positional) {
    c.report("DPL2004", e.span, `the format string has ${ph.positional} placeholder${ph.positional === 1 ? "" : "s"} but ${positional.length} argument${positional.length === 1 ? " was" : "s were"} supplied`, {});
  }
  const captures: A.PathExpr[] = [];
  for (const n of ph.names) {
    if (named.has(n.name)) continue;
    const span: Span = fmt.span;
    const p: A.PathExpr = { kind: "PathExpr", segments: [{ kind: "PathExprSegment", name: { kind: "Ident", name: n.name, span }, args: null, span }], span };
    const t = c.record(p, checkPathExpr(c, p, null));
    exposeCheck(c, p, t, macro);
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
    if (!dest) c.report("DPL2004", e.span, `\`${name}!\` takes a destination and a format string: \`${name}!(f, "{}", value)\``, {});
    for (const x of e.args) checkExpr(c, x);
    return ERROR;
  }
  const t = checkExpr(c, dest);
  let s = shallow(t);
  while (s.k === "ref") s = shallow(s.inner);
  if (!(s.k === "adt" && s.def === formatter) && !isQuiet(s)) {
    c.report("DPL2003", dest.span, `\`${name}!\` writes into the \`Formatter\` of a \`Display::fmt\`, found \`${printTy(zonk(t))}\``, {
      help: "to build a `String`, use `s.push_str(&format!(...))` or `let s = format!(...)`",
    });
  }
  if (rest.length === 0 && name === "write") c.report("DPL2004", e.span, "`write!` needs a format string after the destination", {});
  else checkFormatArgs(c, e, rest, name);
  return adt(result, [UNIT, adt(fmtError, [])]);
}

function preludeType(c: BodyChecker, mod: string, name: string): AdtDef | null {
  const m = c.s.resolver.stdlibRoots.get("prelude")?.children.get(mod);
  const d = m?.types.get(name)?.def;
  return d && (d.kind === "struct" || d.kind === "enum") ? d : null;
}
