/**
 * Signature help: inside the parentheses of a call, the callee's parameters with the one
 * being typed highlighted. The call is found in the text (an unfinished call does not
 * parse), the callee through the analysis: the name's resolution when the model knows it,
 * else a method of the receiver's type or a function in scope by name.
 */
import type { Position, SignatureHelp, SignatureInformation } from "vscode-languageserver/node.js";
import type { ReadonlyModel } from "../semantic/model.js";
import type { FnDef } from "../semantic/defs.js";
import { printTy } from "../semantic/types.js";
import type { OpenDocument } from "./documents.js";
import type { DocumentSemantics, Sym } from "./model-semantics.js";

const IDENT_CHAR = /[\p{L}\p{N}_]/u;

/** The unclosed `(` before `offset` in the same statement, and how many top-level commas follow it. */
export function openCall(text: string, offset: number): { open: number; commas: number } | null {
  let depth = 0;
  let commas = 0;
  for (let i = offset - 1; i >= 0; i--) {
    const ch = text[i]!;
    if (ch === '"') {
      // Skip back over a string literal (escapes are rare enough in argument lists).
      const start = text.lastIndexOf('"', i - 1);
      if (start < 0) return null;
      i = start;
      continue;
    }
    if (ch === ")" || ch === "]" || ch === "}") depth++;
    else if (ch === "(" || ch === "[" || ch === "{") {
      if (depth === 0) return ch === "(" ? { open: i, commas } : null;
      depth--;
    } else if (ch === ";" && depth === 0) return null;
    else if (ch === "," && depth === 0) commas++;
  }
  return null;
}

function fnLabel(model: ReadonlyModel, f: FnDef, asMethod: boolean): { label: string; params: [number, number][] } {
  const sig = model.signature(f);
  let label = `fn ${f.name}(`;
  const params: [number, number][] = [];
  const list: string[] = [];
  if (sig.selfTy && !asMethod) list.push(`self: ${printTy(sig.selfTy)}`);
  for (const p of sig.params) list.push(`${p.name}: ${printTy(p.ty)}`);
  list.forEach((p, i) => {
    if (i > 0) label += ", ";
    params.push([label.length, label.length + p.length]);
    label += p;
  });
  label += `) -> ${printTy(sig.ret)}`;
  return { label, params };
}

export function signatureHelp(model: ReadonlyModel, doc: OpenDocument, sem: DocumentSemantics, position: Position): SignatureHelp | null {
  const lines = doc.parsed().lines;
  const text = lines.text;
  const offset = lines.offsetAt(position);
  const call = openCall(text, offset);
  if (!call) return null;
  let end = call.open;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  let start = end;
  while (start > 0 && IDENT_CHAR.test(text[start - 1]!)) start--;
  if (start === end) return null;
  const name = text.slice(start, end);
  const isMethod = text[start - 1] === ".";

  let sym: Sym | undefined = sem.refAt(start)?.sym;
  if (sym?.name !== name) sym = undefined;
  if (!sym && isMethod) {
    const recv = sem.typeOfExpressionBefore(start - 1);
    sym = recv ? sem.membersOf(recv).find((m) => m.name === name) : undefined;
  }
  if (!sym) sym = sem.scopeAt(offset).find((s) => s.name === name && (s.kind === "function" || s.kind === "variant" || s.kind === "struct"));
  const d = sym?.def;
  if (!sym || !d || !("kind" in d)) return null;

  let info: SignatureInformation;
  if (d.kind === "fn") {
    // `Type::method(x, ..)` passes the receiver as the first argument.
    const { label, params } = fnLabel(model, d, isMethod);
    info = { label, parameters: params.map((p) => ({ label: p })) };
  } else if ((d.kind === "variant" || d.kind === "struct") && d.shape === "tuple") {
    const fields = (d.fields ?? []).map((f) => printTy(f.ty));
    let label = `${d.kind === "variant" ? `${d.enumDef.name}::` : ""}${d.name}(`;
    const params: [number, number][] = [];
    fields.forEach((f, i) => {
      if (i > 0) label += ", ";
      params.push([label.length, label.length + f.length]);
      label += f;
    });
    label += ")";
    info = { label, parameters: params.map((p) => ({ label: p })) };
  } else return null;
  if (sym.docs.length > 0) info.documentation = { kind: "markdown", value: sym.docs.join("\n") };
  const n = info.parameters?.length ?? 0;
  return { signatures: [info], activeSignature: 0, activeParameter: n === 0 ? 0 : Math.min(call.commas, n - 1) };
}
