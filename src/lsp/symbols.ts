/**
 * Document symbols: the outline of a module, read from its syntax tree. Items, with the
 * members of impls and traits nested under them, struct fields and enum variants; each
 * with the range of the whole declaration and the range of its name.
 */
import type { DocumentSymbol, Range } from "vscode-languageserver/node.js";
import { SymbolKind } from "vscode-languageserver/node.js";
import type * as A from "../syntax/ast.js";
import { printType } from "../syntax/printer.js";
import type { Span } from "../syntax/source.js";
import type { OpenDocument } from "./documents.js";
import type { LineIndex } from "./positions.js";
import { spanOffsets } from "./positions.js";
import { annotatedDomain } from "./signatures.js";

export function documentSymbols(doc: OpenDocument): DocumentSymbol[] {
  const parsed = doc.parsed();
  return items(parsed.module.ast.items, parsed.lines);
}

function items(list: readonly A.Item[], lines: LineIndex): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const it of list) {
    const s = itemSymbol(it, lines);
    if (s) out.push(s);
  }
  return out;
}

function make(lines: LineIndex, name: string, kind: SymbolKind, whole: Span, nameSpan: Span, detail: string | undefined, children?: DocumentSymbol[]): DocumentSymbol {
  const w = spanOffsets(whole);
  const n = spanOffsets(nameSpan);
  // LSP requires the name's range inside the declaration's; recovery can break that.
  const start = Math.min(w.start, n.start);
  const end = Math.max(w.end, n.end);
  const range: Range = lines.offsetsToRange(start, end);
  return {
    name: name.length > 0 ? name : "_",
    kind,
    range,
    selectionRange: lines.offsetsToRange(n.start, n.end),
    ...(detail ? { detail } : {}),
    ...(children && children.length > 0 ? { children } : {}),
  };
}

function withDomain(detail: string, anns: readonly A.Annotation[]): string {
  const d = annotatedDomain(anns);
  return d ? `${detail} @domain(${d})`.trim() : detail;
}

function fnDetail(f: A.FnItem): string {
  const params: string[] = [];
  if (f.selfParam) params.push(f.selfParam.mode === "ref" ? "&self" : f.selfParam.mode === "refMut" ? "&mut self" : "self");
  for (const p of f.params) params.push(printType(p.type));
  return `fn(${params.join(", ")})${f.returnType ? ` -> ${printType(f.returnType)}` : ""}`;
}

function fieldSymbols(fields: readonly A.FieldDecl[], lines: LineIndex): DocumentSymbol[] {
  return fields.map((f, i) => make(lines, f.name?.name ?? String(i), SymbolKind.Field, f.span, f.name?.span ?? f.type.span, printType(f.type)));
}

function itemSymbol(it: A.Item, lines: LineIndex): DocumentSymbol | null {
  switch (it.kind) {
    case "UseItem":
    case "ErrorItem":
      return null;
    case "ModItem":
      return make(lines, it.name.name, SymbolKind.Module, it.span, it.name.span, undefined, it.items ? items(it.items, lines) : undefined);
    case "ConstItem":
      return make(lines, it.name.name, it.storage === "const" ? SymbolKind.Constant : SymbolKind.Variable, it.span, it.name.span, it.type ? printType(it.type) : undefined);
    case "StructItem": {
      const fields = it.body.kind === "named" || it.body.kind === "tuple" ? fieldSymbols(it.body.fields, lines) : [];
      return make(lines, it.name.name, SymbolKind.Struct, it.span, it.name.span, withDomain(it.body.kind === "opaque" ? "opaque" : "", it.annotations), fields);
    }
    case "EnumItem": {
      const variants = it.variants.map((v) => make(lines, v.name.name, SymbolKind.EnumMember, v.span, v.name.span, undefined, fieldSymbols(v.fields, lines)));
      return make(lines, it.name.name, SymbolKind.Enum, it.span, it.name.span, withDomain("", it.annotations), variants);
    }
    case "FnItem":
      // The `main` dplc adds to run a v0.1 file's entry process is not in the text.
      if (it.synthetic) return null;
      return make(lines, it.name.name, SymbolKind.Function, it.span, it.name.span, withDomain(fnDetail(it), it.annotations));
    case "ImplItem": {
      const name = `impl ${it.trait ? `${printType(it.trait)} for ` : ""}${printType(it.selfType)}`;
      return make(lines, name, SymbolKind.Object, it.span, it.selfType.span, undefined, members(it.items, lines));
    }
    case "TraitItem":
      return make(lines, it.name.name, SymbolKind.Interface, it.span, it.name.span, undefined, members(it.items, lines));
    case "TypeAliasItem":
      return make(lines, it.name.name, SymbolKind.TypeParameter, it.span, it.name.span, it.type ? printType(it.type) : undefined);
  }
}

/** Impl and trait members: functions with `self` are methods. */
function members(list: readonly A.Item[], lines: LineIndex): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const m of list) {
    if (m.kind === "FnItem") out.push(make(lines, m.name.name, m.selfParam ? SymbolKind.Method : SymbolKind.Function, m.span, m.name.span, withDomain(fnDetail(m), m.annotations)));
    else {
      const s = itemSymbol(m, lines);
      if (s) out.push(s);
    }
  }
  return out;
}
