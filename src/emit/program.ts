/**
 * Emitting a checked program: every file module of the user's world (and, when asked,
 * of the stdlib) becomes one `.ts` file with its `.ts.map`.
 *
 * The stdlib's files depend only on the stdlib, so they can be emitted once and reused
 * (`dplc run` caches them); user files import them by their place in the tree. One file
 * is emitted body first, then its header (imports, sites) goes in front (`emitModule`).
 */
import { relative, posix } from "node:path";
import { jsString, lineCommentText } from "./escape.js";
import { shallow } from "../semantic/types.js";
import type { ModelWorld, ReadonlyModel } from "../semantic/model.js";
import type { ModuleDef, EnumDef, FnDef, ConstDef, ImplDef, StructDef, TraitDef } from "../semantic/defs.js";
import { STDLIB_ROOT } from "../workspace/stdlib.js";
import { commonRoot, emittedPath, toPosix, NameScope, RUNTIME_NAMES } from "./names.js";
import { type EmitOptions, ModuleCtx } from "./module-ctx.js";
import { SymbolTable, type EmitUnit, collectBlockItems } from "./symbols.js";
import { tsSourceMap, type RawSourceMap, TracedWriter, type Mapping } from "./writer.js";
import type * as A from "../syntax/ast.js";
import type { Span } from "../syntax/source.js";
import { emitConst, emitEnum, emitFn, emitImplDict, emitStruct, emitTraitDict } from "./items.js";

export interface EmittedFile {
  /** Path relative to the output root, `/`-separated. */
  readonly path: string;
  readonly text: string;
}

export interface ProgramEmit {
  readonly modules: readonly EmittedModule[];
  readonly units: readonly EmitUnit[];
  /** The user's units, in a stable order. */
  readonly userUnits: readonly EmitUnit[];
}

function fileModules(w: ModelWorld): ModuleDef[] {
  return w.modules.filter((m) => m.filePath !== null && m.source !== null);
}

function makeUnits(model: ReadonlyModel, w: ModelWorld, isStdlib: boolean, root: string, siteFile: (m: ModuleDef, rel: string) => string): EmitUnit[] {
  const out: EmitUnit[] = [];
  const seen = new Set<string>();
  for (const m of fileModules(w)) {
    const file = m.filePath!;
    if (seen.has(file)) continue;
    seen.add(file);
    const rel = toPosix(relative(root, file));
    const ast = astOf(m);
    if (!ast) continue;
    out.push({
      outPath: emittedPath(rel, isStdlib),
      source: m.source!,
      ast,
      root: m,
      tables: w.tables,
      model,
      isStdlib,
      siteFile: siteFile(m, rel),
    });
  }
  return out.sort((a, b) => (a.outPath < b.outPath ? -1 : a.outPath > b.outPath ? 1 : 0));
}

function astOf(m: ModuleDef): import("../syntax/ast.js").Module | null {
  if (!m.source) return null;
  return { kind: "Module", file: m.source.name, items: m.items as import("../syntax/ast.js").Item[], docs: [...m.docs], span: m.source.span(0, m.source.text.length) };
}

export interface ProgramEmitOptions extends EmitOptions {
  /** File names in fault sites: relative to the inputs' common folder (build) or as displayed (run). */
  readonly siteNames?: "relative" | "display";
}

export function stdlibUnits(model: ReadonlyModel): EmitUnit[] {
  return makeUnits(model, model.stdlib, true, STDLIB_ROOT, (_m, rel) => `stdlib/${rel}`);
}

/** `prefix` puts the user's files in a folder of the tree (several programs sharing one `_dplc/`). */
export function userUnits(model: ReadonlyModel, siteNames: "relative" | "display", prefix = ""): EmitUnit[] {
  const files = fileModules(model.user).map((m) => m.filePath!);
  const root = commonRoot(files);
  const units = makeUnits(model, model.user, false, root, (m, rel) => (siteNames === "display" ? m.source!.name : rel));
  return prefix === "" ? units : units.map((u) => ({ ...u, outPath: `${prefix.replace(/\/+$/, "")}/${u.outPath}` }));
}

/**
 * Emit the given units. `symbolsOf` must include every unit the emitted ones refer to
 * (the stdlib's units, for user code), so names resolve across files.
 */
export function emitUnits(units: readonly EmitUnit[], allUnits: readonly EmitUnit[], options: EmitOptions): EmittedModule[] {
  const symbols = new SymbolTable(allUnits);
  return units.map((u) => emitModule(u, symbols, options));
}

/** The `.ts.map` of an emitted module; `sourcePath` names its `.ds` file as the map should. */
export function mapFor(mod: EmittedModule, sourcePath: (unit: EmitUnit) => string): RawSourceMap {
  return tsSourceMap(mod.mappings, {
    file: posix.basename(mod.unit.outPath),
    sourcePath: () => sourcePath(mod.unit),
    sourceText: () => mod.unit.source.displayText,
  });
}

// ---------------------------------------------------------------------------
// One emitted file: the TypeScript of a `.ds` file (and its inline modules), with its
// source map. Types come first (a constant may build a value of a type declared further
// down), then constants and statics in source order, then functions (hoisted anyway).
export interface EmittedModule {
  readonly unit: EmitUnit;
  readonly text: string;
  readonly mappings: readonly Mapping[];
  /** Host-bound functions without an implementation in this runtime (build warnings). */
  readonly unboundHost: readonly { readonly name: string; readonly span: Span; readonly fn: FnDef }[];
}

interface Collected {
  readonly traits: TraitDef[];
  readonly impls: ImplDef[];
  readonly types: (StructDef | EnumDef)[];
  readonly consts: ConstDef[];
  readonly fns: FnDef[];
}

function collect(unit: EmitUnit): Collected {
  const out: Collected = { traits: [], impls: [], types: [], consts: [], fns: [] };
  const tables = unit.tables;
  const visitItems = (items: readonly A.Item[]): void => {
    for (const it of items) {
      const d = tables.itemDefs.get(it);
      switch (it.kind) {
        case "StructItem":
        case "EnumItem":
          if (d && (d.kind === "struct" || d.kind === "enum")) out.types.push(d);
          break;
        case "ConstItem":
          if (d && d.kind === "const") out.consts.push(d);
          break;
        case "FnItem":
          if (d && d.kind === "fn") {
            out.fns.push(d);
            visitNested(it);
          }
          break;
        case "ImplItem":
          if (d && d.kind === "impl") {
            if (d.trait) out.impls.push(d);
            for (const c of d.consts.values()) out.consts.push(c);
            for (const f of d.methods.values()) {
              out.fns.push(f);
              if (f.ast) visitNested(f.ast);
            }
          }
          break;
        case "TraitItem":
          if (d && d.kind === "trait") {
            out.traits.push(d);
            for (const f of d.methods.values()) {
              if (f.hasBody) {
                out.fns.push(f);
                if (f.ast) visitNested(f.ast);
              }
            }
          }
          break;
        case "ModItem":
          if (it.items !== null) visitItems(it.items);
          break;
        default:
          break;
      }
    }
  };
  const visitNested = (f: A.FnItem): void => {
    if (f.body.kind !== "block") return;
    const found: A.Item[] = [];
    collectBlockItems(f.body.block, found);
    visitItems(found);
  };
  visitItems(unit.root.items as A.Item[]);
  return out;
}

/**
 * The root module of a program ends by running its entry when node starts it (`node
 * main.js`); imported (by `dplc run`, `dplc test`, another module) it does nothing. Last in
 * the module, so every constant the entry uses is initialized.
 */
function emitProgramEntry(m: ModuleCtx, w: TracedWriter, fns: readonly FnDef[]): void {
  if (m.unit.isStdlib || m.unit.root.parent !== null) return;
  const entry = fns.find((f) => f.name === "main" && !f.owner && f.module === m.unit.root) ?? fns.find((f) => f.name === "_entry" && !f.owner && f.module === m.unit.root);
  if (!entry) return;
  const sig = m.unit.model.signature(entry).ret;
  const r = shallow(sig);
  const errTy = entry.name === "main" && r.k === "adt" && r.def.kind === "enum" && r.def.name === "Result" && r.def.module.isPrelude && r.args[1] ? ", main$error$ty" : "";
  w.blankLine();
  w.writeLine("// Run as a program (`node main.js`); imported, as by `dplc run`, this does nothing.");
  w.writeLine(`if (${m.rt("isProgramEntry")}(import.meta.url)) ${m.rt("runProgramEntry")}(${jsString(entry.name === "main" ? "main" : "_entry")}, ${m.ref(entry)}${errTy});`);
}

function emitModule(unit: EmitUnit, symbols: SymbolTable, options: EmitOptions): EmittedModule {
  const m = new ModuleCtx(unit, symbols, options);
  for (const n of symbols.namesIn(unit)) m.ownNames.add(n);
  // Locals never shadow a top-level name or a runtime export that emitted code relies on.
  const moduleNames = new NameScope();
  for (const n of symbols.namesIn(unit)) moduleNames.reserve(n);
  for (const n of RUNTIME_NAMES) moduleNames.reserve(n);
  const body = new TracedWriter();
  const items = collect(unit);
  for (const t of items.types) (t.kind === "struct" ? emitStruct : emitEnum)(m, body, t as never);
  for (const t of items.traits) emitTraitDict(m, body, t);
  for (const c of items.consts) emitConst(m, body, c, moduleNames);
  for (const i of items.impls) emitImplDict(m, body, i);
  for (const f of items.fns) emitFn(m, body, f, moduleNames);
  emitProgramEntry(m, body, items.fns);

  const out = new TracedWriter();
  out.writeLine(`// Emitted by dplc ${options.version} from ${lineCommentText(unit.siteFile)}. Do not edit: edit the .ds file and rebuild.`);
  const header = m.header();
  for (const line of header) out.writeLine(line);
  if (body.toString().length > 0) {
    out.blankLine();
    out.append(body);
  }
  const text = out.toString();
  return { unit, text: text.endsWith("\n") ? text : text + "\n", mappings: out.mappings, unboundHost: m.unboundHost };
}
