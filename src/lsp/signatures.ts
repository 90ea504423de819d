/**
 * How the editor shows declarations: an item's signature as DPL source without its body
 * or docs, and the domains that annotations and domain names spell.
 */
import type * as A from "../syntax/ast.js";
import { printItem } from "../syntax/printer.js";

export type Domain = "K" | "Q" | "Φ";

export function domainOfName(name: string): Domain | null {
  return name === "K" ? "K" : name === "Q" ? "Q" : name === "Φ" || name === "Phi" ? "Φ" : null;
}

/** The domain an item's `@domain(...)` annotation declares, if any. */
export function annotatedDomain(anns: readonly A.Annotation[]): Domain | null {
  for (const a of anns) {
    if (a.name.name !== "domain" || !a.args || a.args.length !== 1) continue;
    const e = a.args[0]!;
    if (e.kind === "PathExpr" && e.segments.length === 1) return domainOfName(e.segments[0]!.name.name);
  }
  return null;
}

/** The declaration of an item without body or docs: what hover and completion show. */
export function itemSignature(it: A.Item): string {
  switch (it.kind) {
    case "FnItem":
      return printItem({ ...it, docs: [], body: { kind: "none" } }, "");
    case "ImplItem":
    case "TraitItem":
      return printItem({ ...it, docs: [], items: [] }, "").replace(/ \{\n\}$/, "");
    case "ModItem":
      return `${it.isPub ? "pub " : ""}mod ${it.name.name}`;
    case "EnumItem": {
      const shown = it.variants.slice(0, 16).map((v) => ({ ...v, docs: [] }));
      const text = printItem({ ...it, docs: [], variants: shown }, "");
      return it.variants.length > shown.length ? text.replace(/\}$/, `    // … ${it.variants.length - shown.length} more\n}`) : text;
    }
    case "StructItem":
      if (it.body.kind === "named" || it.body.kind === "tuple") {
        const fields = it.body.fields.map((f) => ({ ...f, docs: [] }));
        return printItem({ ...it, docs: [], body: { ...it.body, fields } }, "");
      }
      return printItem({ ...it, docs: [] }, "");
    default:
      return printItem({ ...it, docs: [] }, "");
  }
}
