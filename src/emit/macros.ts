/**
 * The built-in macros. Formatting macros keep their template string and pass each
 * argument with its type descriptor (`println("{} {:?}", arg(x, T.i32), arg(v, T.vec(T.str)))`):
 * the runtime parses the template once and formats exactly as Rust does. Inline captures
 * (`{name}`) are passed as named arguments.
 */
import { jsString } from "./escape.js";
import type * as A from "../syntax/ast.js";
import { isStringTy, isUnitTy, peelDomain, peelRefs } from "./repr.js";
import { derefPlace, placeOf } from "./places.js";
import type { Body } from "./body.js";
import { e, frag, joinFrags, primary, Prec, type E, type Frag } from "./writer.js";
import { emitExpr, emitOperands, derefValue, toUsize } from "./exprs.js";
import { tyDescriptor } from "./ts-types.js";
import { sourceText } from "./module-ctx.js";
import { binaryOp } from "./ops.js";

export function emitMacro(b: Body, x: A.MacroCallExpr): E {
  const name = x.name.name;
  const site = (): string => b.m.site(x.span);
  switch (name) {
    case "println":
    case "print":
    case "eprintln":
    case "eprint":
      if (x.args.length === 0) return e(frag(x.span, `${b.m.rt(name)}()`));
      return e(frag(x.span, `${b.m.rt(name)}(`, joinFrags(formatArgs(b, x, x.args), ", "), ")"));
    case "format":
      return e(frag(x.span, `${b.m.rt("format")}(`, joinFrags(formatArgs(b, x, x.args), ", "), ")"));
    case "panic":
      if (x.args.length === 0) return e(frag(x.span, `${b.m.rt("panic")}(undefined, ${site()})`));
      return e(frag(x.span, `${b.m.rt("panic")}(`, message(b, x, x.args), `, ${site()})`));
    case "todo":
    case "unimplemented":
    case "unreachable":
      return e(frag(x.span, `${b.m.rt(name)}(`, x.args.length > 0 ? message(b, x, x.args) : "undefined", `, ${site()})`));
    case "assert":
    case "debug_assert": {
      const [cond, ...rest] = x.args;
      const c = emitExpr(b, cond!);
      const text = jsString(sourceText(cond!.span) ?? "condition");
      const msg: Frag = rest.length > 0 ? message(b, x, rest) : "undefined";
      return e(frag(x.span, `${b.m.rt("assert")}(`, c.f, `, ${text}, `, msg, `, ${site()})`));
    }
    case "assert_eq":
    case "assert_ne":
      return assertCompare(b, x, name === "assert_eq" ? "==" : "!=");
    case "vec":
      return vecMacro(b, x);
    case "write":
    case "writeln": {
      // Into a `Formatter` (the checker allows no other destination): append, then `Ok(())`.
      const [dest, ...rest] = x.args;
      const text: Frag = rest.length > 0 ? frag(null, `${b.m.rt("format")}(`, joinFrags(formatArgs(b, x, rest), ", "), ")") : '""';
      const end = name === "writeln" ? '"\\n"' : '""';
      if (isStringTy(peelRefs(b.typeOf(dest!)))) {
        // Into a String: append to the place (through the `&mut` when given one), then `Ok(())`.
        const dt = peelDomain(b.typeOf(dest!));
        const p = dest!.kind === "RefExpr" ? placeOf(b, dest!.operand, true) : dt.k === "ref" ? derefPlace(b, dt, emitExpr(b, dest!), null) : placeOf(b, dest!, true);
        const grown = e(frag(null, primary(p.read()), " + ", text, ` + ${end}`), Prec.Add);
        return e(frag(x.span, "(", p.write(grown, x.span).f, `, ${b.m.rt("Ok")}(undefined))`));
      }
      const f = emitExpr(b, dest!);
      return e(frag(x.span, `${b.m.rt("writeFmt")}(`, f.f, ", ", text, `, ${end})`));
    }
    default:
      return e(frag(x.span, `${b.m.rt("panic")}(${jsString(`macro \`${name}!\` is not supported`)}, ${site()})`));
  }
}

/** The template and its typed arguments. */
function formatArgs(b: Body, x: A.MacroCallExpr, args: readonly A.Expr[]): Frag[] {
  const [fmt, ...rest] = args;
  if (!fmt) return [];
  const template = fmt.kind === "StrLit" ? jsString(fmt.value) : emitExpr(b, fmt).f;
  const positional = rest.filter((y) => !isNamedArg(y));
  const named = rest.filter(isNamedArg) as A.AssignExpr[];
  const values = emitOperands(b, [...positional, ...named.map((n) => n.value)]);
  const out: Frag[] = [template];
  positional.forEach((p, i) => {
    const t = b.typeOf(p);
    out.push(frag(null, `${b.m.rt("arg")}(`, derefValue(b, values[i]!, t).f, ", ", tyDescriptor(b.m, peelRefs(t), b), ")"));
  });
  named.forEach((n, i) => {
    const t = b.typeOf(n.value);
    const nm = (n.target as A.PathExpr).segments[0]!.name.name;
    out.push(frag(null, `${b.m.rt("named")}(${jsString(nm)}, `, derefValue(b, values[positional.length + i]!, t).f, ", ", tyDescriptor(b.m, peelRefs(t), b), ")"));
  });
  for (const p of b.tables.macroCaptures.get(x) ?? []) {
    const t = b.typeOf(p);
    const v = derefValue(b, emitExpr(b, p), t);
    out.push(frag(null, `${b.m.rt("named")}(${jsString(p.segments[0]!.name.name)}, `, v.f, ", ", tyDescriptor(b.m, peelRefs(t), b), ")"));
  }
  return out;
}

function isNamedArg(y: A.Expr): boolean {
  return y.kind === "AssignExpr" && y.op === "=" && y.target.kind === "PathExpr" && y.target.segments.length === 1;
}

/** A panic message: `panic!("{}", x)` formats, `panic!(s)` with one non-literal argument passes it on. */
function message(b: Body, x: A.MacroCallExpr, args: readonly A.Expr[]): Frag {
  const first = args[0]!;
  if (first.kind !== "StrLit" && args.length === 1) return derefValue(b, emitExpr(b, first), b.typeOf(first)).f;
  if (first.kind === "StrLit" && args.length === 1 && !first.value.includes("{") && !first.value.includes("}") && !b.tables.macroCaptures.get(x)) return jsString(first.value);
  return frag(null, `${b.m.rt("format")}(`, joinFrags(formatArgs(b, x, args), ", "), ")");
}

function assertCompare(b: Body, x: A.MacroCallExpr, op: "==" | "!="): E {
  const [l, r, ...rest] = x.args;
  const [lv, rv] = emitOperands(b, [l!, r!]);
  const lt = b.typeOf(l!);
  const rt = b.typeOf(r!);
  const left = b.spill(derefValue(b, lv!, lt), peelRefs(lt), "left");
  const right = b.spill(derefValue(b, rv!, rt), peelRefs(rt), "right");
  const test = binaryOp(b, op, left, right, peelRefs(lt), peelRefs(rt), { k: "prim", name: "bool" }, x.span);
  const desc = (t: typeof lt): Frag => tyDescriptor(b.m, peelRefs(t), b);
  const msg: Frag = rest.length > 0 ? message(b, x, rest) : "undefined";
  b.w.write("if (!(", x.span).writeFrag(test.f).write(`)) ${b.m.rt("raiseAssertCompare")}(${jsString(op)}, ${b.m.rt("debugOf")}(`).writeFrag(left.f).write(", ").writeFrag(desc(lt)).write(`), ${b.m.rt("debugOf")}(`).writeFrag(right.f).write(", ").writeFrag(desc(rt)).write("), ").writeFrag(msg).writeLine(`, ${b.m.site(x.span)});`);
  return e("undefined");
}

function vecMacro(b: Body, x: A.MacroCallExpr): E {
  const Vec = b.m.rt("Vec");
  const only = x.args[0];
  if (x.args.length === 1 && only && only.kind === "ArrayRepeatExpr") {
    const [v, n] = emitOperands(b, [only.value, only.count], true);
    return e(frag(x.span, `${Vec}.from_elem(`, v!.f, ", ", toUsize(b, n!, b.typeOf(only.count)), ")"));
  }
  if (x.isRepeat && x.args.length === 2) {
    const [v, n] = emitOperands(b, [x.args[0]!, x.args[1]!], true);
    return e(frag(x.span, `${Vec}.from_elem(`, v!.f, ", ", toUsize(b, n!, b.typeOf(x.args[1]!)), ")"));
  }
  const items = emitOperands(b, x.args, true);
  const t = b.typeOf(x);
  return e(frag(x.span, `${Vec}.from<${elemTs(b, t)}>([`, joinFrags(items.map((i) => i.f), ", "), "])"));
}

function elemTs(b: Body, t: import("../semantic/types.js").Ty): string {
  const s = peelRefs(t);
  if (s.k === "adt" && s.args[0] && !isUnitTy(s.args[0])) return b.ts(s.args[0]);
  if (s.k === "adt" && s.args[0]) return "void";
  return "unknown";
}
