/**
 * The program's TypeScript names: which emitted file defines each DPL item, and under
 * which name. Names are handed out per file in source order, so they depend only on the
 * file itself: the stdlib's emitted modules are the same whatever program uses them.
 *
 *   fn area                      area
 *   mod shapes { fn area }       shapes$area        (inline modules are flattened)
 *   impl Point { fn norm }       Point$norm
 *   impl Shape for Circle { fn area }  Circle$Shape$area
 *   trait Shape { fn describe() {..} } Shape$describe (a default method)
 *   fn main() { fn helper() }    main$helper        (items inside bodies move to the top)
 */
import type * as A from "../syntax/ast.js";
import type { SourceFile } from "../syntax/source.js";
import type { ConstDef, EnumDef, FnDef, ImplDef, ModuleDef, StructDef, TraitDef } from "../semantic/defs.js";
import type { ReadonlyTables } from "../semantic/tables.js";
import type { ReadonlyModel } from "../semantic/model.js";
import { shallow, type Ty } from "../semantic/types.js";
import { NameScope } from "./names.js";

/** One emitted `.ts` file: a `.ds` file's module and the inline modules inside it. */
export interface EmitUnit {
  /** Output path relative to the output root (`app/main.ts`, `_dplc/std/prelude/core.ts`). */
  readonly outPath: string;
  readonly source: SourceFile;
  readonly ast: A.Module;
  readonly root: ModuleDef;
  readonly tables: ReadonlyTables;
  /** The analysis the unit was checked in: resolutions are read from it, never recomputed. */
  readonly model: ReadonlyModel;
  readonly isStdlib: boolean;
  /** The file name written into fault sites and source maps (relative, `/`-separated). */
  readonly siteFile: string;
}

export type NamedDef = FnDef | StructDef | EnumDef | ConstDef | TraitDef;

export interface Symbol {
  readonly unit: EmitUnit;
  readonly name: string;
}

export class SymbolTable {
  private readonly byModule = new Map<ModuleDef, EmitUnit>();
  private readonly names = new Map<NamedDef, Symbol>();
  private readonly implMethods = new Map<ImplDef, Map<string, string>>();
  private readonly dicts = new Map<ImplDef, Symbol>();
  readonly units: readonly EmitUnit[];

  constructor(units: readonly EmitUnit[]) {
    this.units = units;
    for (const u of units) this.assign(u);
  }

  /** The emitted file a module's items live in (inline and block modules included). */
  unitOfModule(m: ModuleDef): EmitUnit | undefined {
    for (let x: ModuleDef | null = m; x; x = x.outer ?? x.parent) {
      const u = this.byModule.get(x);
      if (u) return u;
    }
    return undefined;
  }

  /** Every top-level name a file declares. */
  namesIn(u: EmitUnit): string[] {
    if (!this.byUnit) {
      this.byUnit = new Map();
      for (const sym of [...this.names.values(), ...this.dicts.values()]) {
        let l = this.byUnit.get(sym.unit);
        if (!l) this.byUnit.set(sym.unit, (l = []));
        l.push(sym.name);
      }
    }
    return this.byUnit.get(u) ?? [];
  }

  private byUnit: Map<EmitUnit, string[]> | null = null;

  /** The exported dictionary of a trait impl (`Circle$Shape`). */
  dict(impl: ImplDef): Symbol | undefined {
    return this.dicts.get(impl);
  }

  symbol(d: NamedDef): Symbol | undefined {
    return this.names.get(d);
  }

  private assign(u: EmitUnit): void {
    const scope = new NameScope();
    const visitModule = (m: ModuleDef, prefix: string): void => {
      this.byModule.set(m, u);
      this.items(u, m.items as A.Item[], prefix, scope, visitModule);
    };
    visitModule(u.root, "");
  }

  private items(u: EmitUnit, items: readonly A.Item[], prefix: string, scope: NameScope, visitModule: (m: ModuleDef, prefix: string) => void): void {
    const tables = u.tables;
    for (const it of items) {
      const d = tables.itemDefs.get(it);
      switch (it.kind) {
        case "FnItem":
          if (d && d.kind === "fn") {
            this.names.set(d, { unit: u, name: freshSymbol(scope, prefix + d.name) });
            this.nested(u, it, `${prefix}${d.name}$`, scope, visitModule);
          }
          break;
        case "StructItem":
        case "EnumItem":
        case "ConstItem":
        case "TraitItem":
          if (d && (d.kind === "struct" || d.kind === "enum" || d.kind === "const" || d.kind === "trait")) {
            this.names.set(d, { unit: u, name: freshSymbol(scope, prefix + d.name) });
            if (d.kind === "trait") {
              for (const f of d.methods.values()) {
                this.names.set(f, { unit: u, name: freshSymbol(scope, `${prefix}${d.name}$${f.name}`) });
                if (f.ast) this.nested(u, f.ast, `${prefix}${d.name}$${f.name}$`, scope, visitModule);
              }
            }
          }
          break;
        case "ImplItem":
          if (d && d.kind === "impl") {
            const head = headName(d.selfTy);
            const trait = d.trait ? `${d.trait.trait.name}$` : "";
            const methods = new Map<string, string>();
            for (const f of d.methods.values()) {
              const name = freshSymbol(scope, `${prefix}${head}$${trait}${f.name}`);
              this.names.set(f, { unit: u, name });
              methods.set(f.name, name);
              if (f.ast) this.nested(u, f.ast, `${name}$`, scope, visitModule);
            }
            for (const c of d.consts.values()) this.names.set(c, { unit: u, name: freshSymbol(scope, `${prefix}${head}$${trait}${c.name}`) });
            this.implMethods.set(d, methods);
            if (d.trait) this.dicts.set(d, { unit: u, name: freshSymbol(scope, `${prefix}${head}$${d.trait.trait.name}`) });
          }
          break;
        case "ModItem":
          if (it.items !== null) {
            const child = findChild(u, it);
            if (child) visitModule(child, `${prefix}${it.name.name}$`);
          }
          break;
        default:
          break;
      }
    }
  }

  /** Items declared inside a function body (`fn main() { fn helper() {} }`). */
  private nested(u: EmitUnit, f: A.FnItem, prefix: string, scope: NameScope, visitModule: (m: ModuleDef, prefix: string) => void): void {
    if (f.body.kind !== "block") return;
    const found: A.Item[] = [];
    collectBlockItems(f.body.block, found);
    if (found.length > 0) this.items(u, found, prefix, scope, visitModule);
  }
}

function findChild(u: EmitUnit, it: A.ModItem): ModuleDef | undefined {
  const search = (m: ModuleDef): ModuleDef | undefined => {
    for (const c of m.children.values()) {
      if (c.nameSpan === it.name.span || (c.items === it.items && it.items !== null)) return c;
      const inner = c.source === u.source ? search(c) : undefined;
      if (inner) return inner;
    }
    return undefined;
  };
  return search(u.root);
}

/** Items in blocks, at any depth except inside other items (those are visited with their own item). */
export function collectBlockItems(b: A.Block, out: A.Item[]): void {
  const visitExpr = (e: A.Expr | null): void => {
    if (!e) return;
    forEachChildBlock(e, (blk) => collectBlockItems(blk, out));
  };
  for (const s of b.stmts) {
    if (s.kind === "ItemStmt") out.push(s.item);
    else if (s.kind === "LetStmt") {
      visitExpr(s.init);
      if (s.elseBlock) collectBlockItems(s.elseBlock, out);
    } else if (s.kind === "ExprStmt") visitExpr(s.expr);
  }
  visitExpr(b.tail);
}

/** The blocks directly inside an expression (not inside nested blocks' own statements). */
function forEachChildBlock(e: A.Expr, f: (b: A.Block) => void): void {
  switch (e.kind) {
    case "BlockExpr":
      f(e.block);
      break;
    case "IfExpr":
      f(e.then);
      if (e.else) {
        if (e.else.kind === "Block") f(e.else);
        else forEachChildBlock(e.else, f);
      }
      break;
    case "WhileExpr":
    case "LoopExpr":
    case "ForExpr":
      f(e.body);
      break;
    case "MatchExpr":
      for (const a of e.arms) if (a.body.kind === "BlockExpr") f(a.body.block);
      break;
    default:
      break;
  }
}

/** A readable name for an impl's self type, used as the prefix of its method names. */
function headName(t: Ty | null): string {
  if (!t) return "impl";
  const s = shallow(t);
  switch (s.k) {
    case "adt":
      return s.def.name;
    case "prim":
      return s.name;
    case "ref":
      return headName(s.inner);
    case "dom":
      return headName(s.inner);
    case "tuple":
      return s.elems.length === 0 ? "unit" : "tuple";
    case "array":
    case "slice":
      return "array";
    case "param":
      return s.def.name;
    default:
      return "impl";
  }
}

/**
 * Names the emitter derives from a symbol's: a type's descriptor (`Point$ty`), a C-like
 * enum's discriminant function (`Level$discriminant`), `main`'s error descriptor
 * (`main$error$ty`). They are never in the scope, so a symbol that would end so (a method
 * `ty` of `Point`) is renamed, whatever the order of the items.
 */
const DERIVED_SUFFIX = /\$(ty|discriminant)$/;

function freshSymbol(scope: NameScope, base: string): string {
  return scope.fresh(DERIVED_SUFFIX.test(base) ? `${base}_` : base);
}
