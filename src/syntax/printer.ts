/**
 * Syntax tree → DPL source. The output re-parses to the same tree (spans aside): the
 * property tests rely on that, and a formatter will build on it. Parentheses are added
 * only where precedence demands them, which for trees that came from the parser is never
 * (their parentheses are `ParenExpr` nodes).
 */
import type * as A from "./ast.js";
import { isBlockLike } from "./ast.js";
import { precedenceOf } from "./precedence.js";
import { chainLeft, chainSpine, isChain, type ChainExpr } from "./chains.js";

const INDENT = "    ";

export function printModule(m: A.Module): string {
  const out: string[] = [];
  for (const d of m.docs) out.push(`//! ${d}`);
  if (m.docs.length > 0) out.push("");
  m.items.forEach((it, i) => {
    if (i > 0) out.push("");
    out.push(printItem(it, ""));
  });
  return out.join("\n") + "\n";
}

function docLines(docs: readonly string[], ind: string): string {
  return docs.map((d) => `${ind}/// ${d}\n`).join("");
}

function annotations(as: readonly A.Annotation[], ind: string): string {
  return as.map((a) => `${ind}@${a.name.name}${a.args ? `(${a.args.map((x) => printExpr(x)).join(", ")})` : ""}\n`).join("");
}

function generics(gs: readonly A.GenericParam[]): string {
  if (gs.length === 0) return "";
  return `<${gs.map((g) => g.name.name + (g.bounds.length ? `: ${g.bounds.map(printType).join(" + ")}` : "")).join(", ")}>`;
}

function fields(fs: readonly A.FieldDecl[], ind: string, named: boolean): string {
  if (!named) return fs.map((f) => `${f.isPub ? "pub " : ""}${printType(f.type)}`).join(", ");
  return fs.map((f) => `${docLines(f.docs, ind + INDENT)}${ind}${INDENT}${f.isPub ? "pub " : ""}${f.name!.name}: ${printType(f.type)},\n`).join("");
}

export function printItem(it: A.Item, ind: string): string {
  const head = docLines(it.docs, ind) + annotations(it.annotations, ind) + ind + (it.isPub ? "pub " : "");
  switch (it.kind) {
    case "UseItem":
      return `${head}use ${printUseTree(it.tree)};`;
    case "ModItem":
      return it.items === null ? `${head}mod ${it.name.name};` : `${head}mod ${it.name.name} {\n${itemsBody(it.items, ind)}${ind}}`;
    case "ConstItem":
      return `${head}${it.storage} ${it.name.name}${it.type ? `: ${printType(it.type)}` : ""}${it.value ? ` = ${printExpr(it.value)}` : ""};`;
    case "StructItem": {
      const sig = `${head}struct ${it.name.name}${generics(it.generics)}`;
      switch (it.body.kind) {
        case "unit":
          return `${sig};`;
        case "tuple":
          return `${sig}(${fields(it.body.fields, ind, false)});`;
        case "named":
          return `${sig} {\n${fields(it.body.fields, ind, true)}${ind}}`;
        case "opaque":
          return it.body.form === "ellipsis" ? `${sig} { ... }` : sig;
      }
      break;
    }
    case "EnumItem": {
      const vs = it.variants
        .map((v) => {
          let s = `${docLines(v.docs, ind + INDENT)}${ind}${INDENT}${v.name.name}`;
          if (v.shape === "tuple") s += `(${fields(v.fields, ind, false)})`;
          if (v.shape === "struct") s += ` {\n${fields(v.fields, ind + INDENT, true)}${ind}${INDENT}}`;
          if (v.discriminant) s += ` = ${printExpr(v.discriminant)}`;
          return s + ",\n";
        })
        .join("");
      return `${head}enum ${it.name.name}${generics(it.generics)} {\n${vs}${ind}}`;
    }
    case "FnItem": {
      const params: string[] = [];
      if (it.selfParam) params.push(printSelfParam(it.selfParam));
      for (const p of it.params) params.push(`${printPattern(p.pattern)}: ${printType(p.type)}`);
      let s = `${head}${it.isUnsafe ? "unsafe " : ""}fn ${it.name.name}${generics(it.generics)}(${params.join(", ")})`;
      if (it.returnType) s += ` -> ${printType(it.returnType)}`;
      if (it.where.length > 0) s += ` where ${it.where.map((w) => `${printType(w.type)}: ${w.bounds.map(printType).join(" + ")}`).join(", ")}`;
      if (it.body.kind === "block") s += " " + printBlock(it.body.block, ind);
      else if (it.body.kind === "ellipsis") s += " { ... }";
      return s;
    }
    case "ImplItem":
      return `${head}impl${generics(it.generics)} ${it.trait ? `${printType(it.trait)} for ` : ""}${printType(it.selfType)} {\n${itemsBody(it.items, ind)}${ind}}`;
    case "TraitItem":
      return `${head}trait ${it.name.name}${generics(it.generics)}${it.supertraits.length ? `: ${it.supertraits.map(printType).join(" + ")}` : ""} {\n${itemsBody(it.items, ind)}${ind}}`;
    case "TypeAliasItem":
      return `${head}type ${it.name.name}${generics(it.generics)}${it.type ? ` = ${printType(it.type)}` : ""};`;
    case "ErrorItem":
      return `${ind}/* error */`;
  }
}

function itemsBody(items: readonly A.Item[], ind: string): string {
  return items.map((i) => printItem(i, ind + INDENT) + "\n").join("");
}

function printSelfParam(p: A.SelfParam): string {
  const base = p.mode === "ref" ? "&self" : p.mode === "refMut" ? "&mut self" : p.mode === "mutValue" ? "mut self" : "self";
  return p.type ? `${base}: ${printType(p.type)}` : base;
}

function printUseTree(t: A.UseTree): string {
  const path = t.path.map((p) => p.name).join("::");
  switch (t.shape.kind) {
    case "simple":
      return path + (t.shape.alias ? ` as ${t.shape.alias.name}` : "");
    case "glob":
      return `${path}::*`;
    case "group":
      return `${path}::{${t.shape.items.map(printUseTree).join(", ")}}`;
  }
}

// ---------------------------------------------------------------------------

export function printType(t: A.Type): string {
  switch (t.kind) {
    case "PathType":
      return t.segments.map((s) => s.name.name + (s.args ? `<${s.args.map(printType).join(", ")}>` : "")).join("::");
    case "RefType":
      return `&${t.isMut ? "mut " : ""}${printType(t.inner)}`;
    case "TupleType":
      return t.elements.length === 1 ? `(${printType(t.elements[0]!)},)` : `(${t.elements.map(printType).join(", ")})`;
    case "ArrayType":
      return `[${printType(t.element)}; ${printExpr(t.length)}]`;
    case "SliceType":
      return `[${printType(t.element)}]`;
    case "FnType":
      return `fn(${t.params.map(printType).join(", ")})${t.returnType ? ` -> ${printType(t.returnType)}` : ""}`;
    case "DynType":
      return `dyn ${t.bounds.map(printType).join(" + ")}`;
    case "InferType":
      return "_";
    case "ErrorType":
      return "_";
  }
}

export function printPattern(p: A.Pattern): string {
  switch (p.kind) {
    case "WildcardPattern":
      return "_";
    case "BindingPattern":
      return `${p.isRef ? "ref " : ""}${p.isMut ? "mut " : ""}${p.name.name}${p.subpattern ? ` @ ${printPattern(p.subpattern)}` : ""}`;
    case "LiteralPattern":
      return printExpr(p.value);
    case "RangePattern":
      return `${p.start ? printExpr(p.start) : ""}${p.inclusive ? "..=" : ".."}${p.end ? printExpr(p.end) : ""}`;
    case "TuplePattern":
      return p.elements.length === 1 && p.elements[0]!.kind !== "RestPattern" ? `(${printPattern(p.elements[0]!)},)` : `(${p.elements.map(printPattern).join(", ")})`;
    case "PathPattern":
      return printExpr(p.path);
    case "TupleStructPattern":
      return `${printExpr(p.path)}(${p.elements.map(printPattern).join(", ")})`;
    case "StructPattern": {
      const fs = p.fields.map((f) => (f.pattern ? `${f.name.name}: ${printPattern(f.pattern)}` : f.name.name));
      if (p.hasRest) fs.push("..");
      return `${printExpr(p.path)} { ${fs.join(", ")} }`;
    }
    case "OrPattern":
      return p.alternatives.map(printPattern).join(" | ");
    case "RefPattern":
      return `&${p.isMut ? "mut " : ""}${printPattern(p.inner)}`;
    case "RestPattern":
      return "..";
    case "ErrorPattern":
      return "_";
  }
}

// ---------------------------------------------------------------------------

export function printBlock(b: A.Block, ind: string): string {
  if (b.stmts.length === 0 && !b.tail) return "{}";
  const inner = ind + INDENT;
  let s = "{\n";
  for (const st of b.stmts) s += inner + printStmt(st, inner) + "\n";
  if (b.tail) s += inner + printExpr(b.tail, inner) + "\n";
  return s + ind + "}";
}

function printStmt(s: A.Stmt, ind: string): string {
  switch (s.kind) {
    case "LetStmt": {
      let out = `let ${printPattern(s.pattern)}`;
      if (s.type) out += `: ${printType(s.type)}`;
      if (s.init) out += ` = ${printExpr(s.init, ind)}`;
      if (s.elseBlock) out += ` else ${printBlock(s.elseBlock, ind)}`;
      return out + ";";
    }
    case "ExprStmt":
      return printExpr(s.expr, ind) + (s.hasSemi || !isBlockLike(s.expr) ? ";" : "");
    case "ItemStmt":
      return printItem(s.item, ind).trimStart();
    case "EmptyStmt":
      return ";";
  }
}

/** Binding strength of an expression's outermost form, for parenthesisation. */
export function strength(e: A.Expr): number {
  switch (e.kind) {
    case "AssignExpr":
    case "ClosureExpr":
    case "ReturnExpr":
    case "BreakExpr":
    case "RangeExpr":
      return 0;
    case "BinaryExpr":
      return precedenceOf(e.op).prec;
    case "CastExpr":
      return 10;
    case "UnaryExpr":
    case "RefExpr":
      return 11;
    default:
      return 12;
  }
}

function wrap(e: A.Expr, min: number, ind: string): string {
  const s = printExpr(e, ind);
  return strength(e) < min ? `(${s})` : s;
}

function args(es: readonly A.Expr[], ind: string): string {
  return es.map((e) => printExpr(e, ind)).join(", ");
}

export function printExpr(e: A.Expr, ind = ""): string {
  if (isChain(e)) return printChain(e, ind);
  return printOne(e, ind);
}

/** A chain left to right with a loop: its first operand, then each link's tail. */
function printChain(e: A.Expr, ind: string): string {
  const spine = chainSpine(e);
  let below: A.Expr = chainLeft(spine[spine.length - 1]!)!;
  let s = printOne(below, ind);
  for (let i = spine.length - 1; i >= 0; i--) {
    const link = spine[i]!;
    if (strength(below) < leftStrength(link)) s = `(${s})`;
    s += linkTail(link, ind);
    below = link;
  }
  return s;
}

/** The binding strength a link needs of its left operand (less is parenthesised). */
function leftStrength(e: ChainExpr): number {
  switch (e.kind) {
    case "BinaryExpr":
      return precedenceOf(e.op).prec;
    case "CastExpr":
      return 10;
    default:
      return 12;
  }
}

/** What a link prints after its left operand. */
function linkTail(e: ChainExpr, ind: string): string {
  switch (e.kind) {
    case "BinaryExpr":
      // Left-associative: the right operand needs parentheses at equal precedence.
      return ` ${e.op} ${wrap(e.right, precedenceOf(e.op).prec + 1, ind)}`;
    case "MethodCallExpr":
      return `.${e.method.name}${e.typeArgs ? `::<${e.typeArgs.map(printType).join(", ")}>` : ""}(${args(e.args, ind)})`;
    case "FieldExpr":
      return `.${e.field.name}`;
    case "IndexExpr":
      return `[${printExpr(e.index, ind)}]`;
    case "CastExpr":
      return ` as ${printType(e.type)}`;
    case "TryExpr":
      return "?";
  }
}

function printOne(e: A.Expr, ind: string): string {
  switch (e.kind) {
    case "IntLit":
    case "FloatLit":
    case "StrLit":
    case "CharLit":
      return e.raw;
    case "BoolLit":
      return e.value ? "true" : "false";
    case "PathExpr":
      return e.segments.map((s) => s.name.name + (s.args ? `::<${s.args.map(printType).join(", ")}>` : "")).join("::");
    case "UnaryExpr":
      return e.op + wrap(e.operand, 11, ind);
    case "RefExpr":
      return `&${e.isMut ? "mut " : ""}${wrap(e.operand, 11, ind)}`;
    case "AssignExpr":
      return `${wrap(e.target, 1, ind)} ${e.op} ${printExpr(e.value, ind)}`;
    case "CallExpr":
      return `${wrap(e.callee, 12, ind)}(${args(e.args, ind)})`;
    case "MacroCallExpr": {
      const body = e.isRepeat ? `${printExpr(e.args[0]!, ind)}; ${printExpr(e.args[1]!, ind)}` : args(e.args, ind);
      return e.delimiter === "[" ? `${e.name.name}![${body}]` : `${e.name.name}!(${body})`;
    }
    case "StructLitExpr": {
      const fs = e.fields.map((f) => (f.value ? `${f.name.name}: ${printExpr(f.value, ind)}` : f.name.name));
      if (e.base) fs.push(`..${printExpr(e.base, ind)}`);
      return `${printExpr(e.path)} { ${fs.join(", ")} }`;
    }
    case "TupleExpr":
      return e.elements.length === 1 ? `(${printExpr(e.elements[0]!, ind)},)` : `(${args(e.elements, ind)})`;
    case "ParenExpr":
      return `(${printExpr(e.inner, ind)})`;
    case "ArrayExpr":
      return `[${args(e.elements, ind)}]`;
    case "ArrayRepeatExpr":
      return `[${printExpr(e.value, ind)}; ${printExpr(e.count, ind)}]`;
    case "RangeExpr":
      return `${e.start ? wrap(e.start, 1, ind) : ""}${e.inclusive ? "..=" : ".."}${e.end ? wrap(e.end, 1, ind) : ""}`;
    case "BlockExpr":
      return `${e.label ? `${e.label.name}: ` : ""}${e.isUnsafe ? "unsafe " : ""}${printBlock(e.block, ind)}`;
    case "IfExpr": {
      let s = `if ${printExpr(e.condition, ind)} ${printBlock(e.then, ind)}`;
      if (e.else) s += ` else ${e.else.kind === "IfExpr" ? printExpr(e.else, ind) : printBlock(e.else, ind)}`;
      return s;
    }
    case "LetCondExpr":
      return `let ${printPattern(e.pattern)} = ${printExpr(e.value, ind)}`;
    case "MatchExpr": {
      if (e.fromMatches) {
        const a = e.arms[0]!;
        return `matches!(${printExpr(e.scrutinee, ind)}, ${printPattern(a.pattern)}${a.guard ? ` if ${printExpr(a.guard, ind)}` : ""})`;
      }
      const inner = ind + INDENT;
      const arms = e.arms
        .map((a) => `${inner}${printPattern(a.pattern)}${a.guard ? ` if ${printExpr(a.guard, inner)}` : ""} => ${printExpr(a.body, inner)},\n`)
        .join("");
      return `match ${printExpr(e.scrutinee, ind)} {\n${arms}${ind}}`;
    }
    case "WhileExpr":
      return `${e.label ? `${e.label.name}: ` : ""}while ${printExpr(e.condition, ind)} ${printBlock(e.body, ind)}`;
    case "LoopExpr":
      return `${e.label ? `${e.label.name}: ` : ""}loop ${printBlock(e.body, ind)}`;
    case "ForExpr":
      return `${e.label ? `${e.label.name}: ` : ""}for ${printPattern(e.pattern)} in ${printExpr(e.iterable, ind)} ${printBlock(e.body, ind)}`;
    case "BreakExpr":
      return `break${e.label ? ` ${e.label.name}` : ""}${e.value ? ` ${printExpr(e.value, ind)}` : ""}`;
    case "ContinueExpr":
      return `continue${e.label ? ` ${e.label.name}` : ""}`;
    case "ReturnExpr":
      return `return${e.value ? ` ${printExpr(e.value, ind)}` : ""}`;
    case "ClosureExpr": {
      const ps = e.params.map((p) => printPattern(p.pattern) + (p.type ? `: ${printType(p.type)}` : "")).join(", ");
      const body = e.returnType ? ` -> ${printType(e.returnType)} ${printExpr(e.body, ind)}` : ` ${printExpr(e.body, ind)}`;
      return `${e.isMove ? "move " : ""}|${ps}|${body}`;
    }
    case "ErrorExpr":
      return "()";
    default:
      return printChain(e, ind);
  }
}
