/**
 * The state of emitting one file: the names it imports from the runtime and from other
 * emitted files, the fault sites it declares, and the program-wide symbol table.
 *
 * A file is emitted body first: only then is it known which runtime names and which other
 * modules it uses, and the header (imports, sites) is written in front of the body.
 * Runtime exports are imported by their own names (`u64`, `Vec`) unless the file defines
 * the same name itself, in which case they get a `$` prefix (`$Vec`).
 */
import { dynObjectType } from "./dyn.js";
import { jsString } from "./escape.js";
import type { Span } from "../syntax/source.js";
import type { AdtDef, FnDef, GenericParamDef, ImplDef, TraitDef } from "../semantic/defs.js";
import { originalStart } from "./writer.js";
import { BRIDGE_MODULE, importSpecifier, RUNTIME_DIR, tsTypeParam } from "./names.js";
import type { EmitUnit, NamedDef, SymbolTable } from "./symbols.js";
import type { TypeRefs } from "./ts-types.js";

export interface SiteDecl {
  readonly name: string;
  readonly line: number;
  readonly col: number;
  readonly src: string | undefined;
}

export class ModuleCtx implements TypeRefs {
  private readonly runtimeUsed = new Set<string>();
  private readonly bridgeUsed = new Set<string>();
  private readonly moduleImports = new Map<EmitUnit, string>();
  private readonly importNames = new Set<string>();
  private readonly sites = new Map<string, SiteDecl>();
  private readonly siteNames = new Set<string>();
  /** Top-level names this file declares (so runtime imports can avoid them). */
  readonly ownNames = new Set<string>();
  private readonly typeParams = new Map<GenericParamDef, string>();
  /** Module-level aliases of long type texts (ts-types.ts), by text. */
  private readonly typeAliases = new Map<string, string>();
  /** Module-level functions making long type descriptors once (ts-types.ts), by text. */
  private readonly descriptorAliases = new Map<string, string>();
  /** Host-bound functions declared here that no host implementation answers yet. */
  readonly unboundHost: { readonly name: string; readonly span: Span; readonly fn: FnDef }[] = [];

  constructor(
    readonly unit: EmitUnit,
    readonly symbols: SymbolTable,
    readonly options: EmitOptions,
  ) {}

  // ---------------------------------------------------------------------------
  // Runtime names

  rt(name: string): string {
    this.runtimeUsed.add(name);
    return this.ownNames.has(name) ? `$${name}` : name;
  }

  /** A name exported by the ABI bridge (`abiXdvCall`, `hostCall`). */
  bridge(name: string): string {
    this.bridgeUsed.add(name);
    return name;
  }

  // ---------------------------------------------------------------------------
  // Program names

  /** The TS expression naming a program item, importing its file when it is another one. */
  ref(d: NamedDef): string {
    const sym = this.symbols.symbol(d);
    if (!sym) throw new Error(`internal: no emitted name for ${d.kind} \`${d.name}\``);
    if (sym.unit === this.unit) return sym.name;
    return `${this.moduleAlias(sym.unit)}.${sym.name}`;
  }

  /** The dictionary of a trait impl, importing its file when it is another one. */
  dictRef(impl: ImplDef): string {
    const sym = this.symbols.dict(impl);
    if (!sym) throw new Error(`internal: no dictionary for an impl of \`${impl.trait?.trait.name ?? "?"}\``);
    if (sym.unit === this.unit) return sym.name;
    return `${this.moduleAlias(sym.unit)}.${sym.name}`;
  }

  dynType(trait: TraitDef): string {
    return dynObjectType(this, trait);
  }

  /** The TypeScript type of a trait's dictionaries (`Shape$dict`). */
  dictType(t: TraitDef): string {
    return `${this.ref(t)}$dict`;
  }

  adt(def: AdtDef): string {
    return this.ref(def);
  }

  param(def: GenericParamDef): string {
    return this.typeParams.get(def) ?? tsTypeParam(def.name);
  }

  typeAlias(text: string): string {
    let name = this.typeAliases.get(text);
    if (name === undefined) {
      // `$$`: no other name the emitter makes starts so (module aliases are `$` and a file stem).
      name = `$$T${this.typeAliases.size + 1}`;
      this.typeAliases.set(text, name);
    }
    return name;
  }

  /** A call of a module-level function that makes the descriptor `text` on first use. */
  descriptorAlias(text: string): string {
    let name = this.descriptorAliases.get(text);
    if (name === undefined) {
      name = `$$D${this.descriptorAliases.size + 1}`;
      this.descriptorAliases.set(text, name);
      this.rt("Ty");
    }
    return `${name}()`;
  }

  moduleAlias(u: EmitUnit): string {
    let alias = this.moduleImports.get(u);
    if (alias) return alias;
    const stem = u.outPath.replace(/\.ts$/, "").split("/").pop()!.replace(/[^\p{ID_Continue}]/gu, "_");
    // `$m_`: the emitter's other `$` names are temporaries (`$m`, `$t$1`), descriptor and
    // dictionary parameters (`$ty_T`, `$dict_T_Show`), fault sites (`$12_5`), runtime exports
    // renamed (`$T`) and `$$` aliases; a bare `$stem` was shadowed by those of the same text.
    alias = `$m_${stem}`;
    for (let i = 2; this.importNames.has(alias); i++) alias = `$m_${stem}${i}`;
    this.importNames.add(alias);
    this.moduleImports.set(u, alias);
    return alias;
  }

  // ---------------------------------------------------------------------------
  // Fault sites

  /**
   * A module-level constant describing where a faulting operation is, e.g. `$12_17` for
   * line 12, column 17. `src` is the DPL text of the expression, quoted in the fault message.
   */
  site(span: Span, src?: string): string {
    const line = span.start.line;
    const col = span.start.column;
    const text = src ?? sourceText(span);
    const key = `${line}:${col}:${text ?? ""}`;
    const existing = this.sites.get(key);
    if (existing) return existing.name;
    let name = `$${line}_${col}`;
    for (let i = 2; this.siteNames.has(name); i++) name = `$${line}_${col}_${i}`;
    this.siteNames.add(name);
    this.sites.set(key, { name, line, col, src: text });
    return name;
  }

  // ---------------------------------------------------------------------------
  // Header

  /** The import lines and site constants that go in front of the body. */
  header(): string[] {
    const lines: string[] = [];
    const rtNames = [...this.runtimeUsed];
    if (this.sites.size > 0) rtNames.push("site");
    const unique = [...new Set(rtNames)].sort();
    if (unique.length > 0) {
      const spec = importSpecifier(this.unit.outPath, `${RUNTIME_DIR}/index.ts`);
      const runtime = this.options.runtimeSpecifier?.(this.unit.outPath) ?? spec;
      const parts = unique.map((n) => (this.ownNames.has(n) ? `${n} as $${n}` : n));
      lines.push(`import { ${parts.join(", ")} } from ${jsString(runtime)};`);
    }
    if (this.bridgeUsed.size > 0) {
      const spec = this.options.bridgeSpecifier?.(this.unit.outPath) ?? importSpecifier(this.unit.outPath, BRIDGE_MODULE);
      lines.push(`import { ${[...this.bridgeUsed].sort().join(", ")} } from ${jsString(spec)};`);
    }
    const mods = [...this.moduleImports].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    for (const [u, alias] of mods) {
      const spec = this.options.moduleSpecifier?.(this.unit, u) ?? importSpecifier(this.unit.outPath, u.outPath);
      lines.push(`import * as ${alias} from ${jsString(spec)};`);
    }
    if (this.typeAliases.size > 0) {
      lines.push("");
      for (const [text, name] of this.typeAliases) lines.push(`type ${name} = ${text};`);
    }
    if (this.descriptorAliases.size > 0) {
      lines.push("");
      // Made on first use, not when the module loads: a descriptor may name a type declared further down.
      const Ty = this.ownNames.has("Ty") ? "$Ty" : "Ty";
      for (const [text, name] of this.descriptorAliases) {
        lines.push(`let ${name}v: ${Ty} | undefined;`);
        lines.push(`function ${name}(): ${Ty} {`, `  return (${name}v ??= ${text});`, "}");
      }
    }
    if (this.sites.size > 0) {
      lines.push("");
      const file = jsString(this.unit.siteFile);
      const siteFn = this.ownNames.has("site") ? "$site" : "site";
      for (const s of [...this.sites.values()].sort((a, b) => a.line - b.line || a.col - b.col || (a.name < b.name ? -1 : 1))) {
        const args = s.src === undefined ? `${file}, ${s.line}, ${s.col}` : `${file}, ${s.line}, ${s.col}, ${jsString(s.src)}`;
        lines.push(`const ${s.name} = ${siteFn}(${args});`);
      }
    }
    return lines;
  }
}

/** The source text of a span when it fits on one line and is short enough to quote. */
export function sourceText(span: Span): string | undefined {
  const s = span as { source?: { text: string }; startOffset?: number; endOffset?: number };
  if (!s.source || s.startOffset === undefined || s.endOffset === undefined) return undefined;
  const text = s.source.text.slice(s.startOffset, s.endOffset);
  if (text.includes("\n") || text.includes("\r") || text.length > 80) return undefined;
  return text;
}

export function spanKey(span: Span): string {
  const o = originalStart(span);
  return `${o.file}:${o.line}:${o.column}`;
}

// ---------------------------------------------------------------------------
// What differs between emitting for `dplc build` (a self-contained tree) and for `dplc run` (a cache).
export interface EmitOptions {
  /** The compiler version, written into each file's first line. */
  readonly version: string;
  /**
   * The import specifier of the runtime support library for a file at `outPath`; by default
   * the copy inside the output tree (`_dplc/runtime/index.js`, relative).
   */
  readonly runtimeSpecifier?: (outPath: string) => string;
  /** The specifier of the ABI bridge module for a file at `outPath`. */
  readonly bridgeSpecifier?: (outPath: string) => string;
  /** The specifier `from` uses to import `to`; by default the relative path within the tree. */
  readonly moduleSpecifier?: (from: EmitUnit, to: EmitUnit) => string | undefined;
}
