/**
 * What names resolve to: the definitions of a checked program.
 *
 * Definitions are created when items are collected and filled in lazily (signatures,
 * field types) the first time anything asks, so that declaration order never matters.
 * Definitions of the stdlib are shared between check runs (they are cached per process),
 * so nothing that belongs to one run (use counts, inference variables) is stored on them.
 */
import type * as A from "../syntax/ast.js";
import type { SourceFile, Span } from "../syntax/source.js";
import type { Profile } from "../workspace/options.js";
import type { Ty } from "./types.js";

export type Domain = "K" | "Q" | "Φ";

export type Def =
  | ModuleDef
  | StructDef
  | EnumDef
  | VariantDef
  | FnDef
  | ConstDef
  | TraitDef
  | AliasDef
  | GenericParamDef
  | LocalDef
  | PrimDef;

/** A name bound in a module: an item of its own, or an import resolved on first use. */
export interface Binding {
  readonly def: Def | null;
  readonly isPub: boolean;
  /** Where the name is introduced (the item's name, or the name in the `use` tree). */
  readonly span: Span;
  readonly import?: ImportCell;
}

/** One `use` leaf; shared by the name's type and value bindings. */
export interface ImportCell {
  readonly path: readonly A.Ident[];
  readonly module: ModuleDef;
  readonly span: Span;
  state: "pending" | "resolving" | "done" | "failed";
  type: Def | null;
  value: Def | null;
}

export interface GlobImport {
  readonly path: readonly A.Ident[];
  readonly isPub: boolean;
  readonly span: Span;
  target?: ModuleDef | EnumDef | null;
}

export interface ModuleDef {
  readonly kind: "module";
  readonly name: string;
  /** Full path from the root of its world, e.g. `runtime::domain::q_api`. */
  readonly path: readonly string[];
  readonly parent: ModuleDef | null;
  /** The file-tree root (`crate::`). */
  root: ModuleDef;
  /** The file this module's items come from (inline modules share their parent's). */
  readonly source: SourceFile | null;
  /** Real path of the file, for `mod m;` lookups; null for modules made from text only. */
  readonly filePath: string | null;
  /** Directory where `mod m;` of this module looks for `m.ds` / `m/mod.ds`. */
  readonly dirPath: string | null;
  readonly items: readonly A.Item[];
  readonly types: Map<string, Binding>;
  readonly values: Map<string, Binding>;
  readonly globs: GlobImport[];
  readonly children: Map<string, ModuleDef>;
  /** For the items of a block: the scope around the block, searched before the prelude. */
  readonly outer: ModuleDef | null;
  /** Names every module sees without `use` (language.md §8); null for the prelude itself. */
  prelude: PreludeScope | null;
  readonly profile: Profile;
  readonly isStdlib: boolean;
  /** Stdlib modules under `runtime/`, `abi/`, `kernel/`, ...: allowed to mint capabilities. */
  readonly isTrusted: boolean;
  /** Prelude modules: their functions are domain-neutral library code. */
  readonly isPrelude: boolean;
  readonly nameSpan: Span | null;
  readonly docs: readonly string[];
}

export interface PreludeScope {
  readonly types: ReadonlyMap<string, Def>;
  readonly values: ReadonlyMap<string, Def>;
}

export interface GenericParamDef {
  readonly kind: "generic";
  readonly name: string;
  readonly span: Span;
  readonly ast: A.GenericParam | null;
  /** Filled when the owner's signature is lowered. */
  bounds: TraitRef[];
  readonly index: number;
  /** Distinguishes `Self` in traits, whose bounds are the trait itself. */
  readonly isSelf: boolean;
  /** Set on the one parameter that stands for `dyn Trait` (semantic/dyn.ts). */
  readonly dyn?: TraitDef;
}

export interface TraitRef {
  readonly trait: TraitDef;
  readonly args: readonly Ty[];
}

export interface FieldDef {
  readonly name: string;
  readonly index: number;
  /** The field's type with the struct's domain already applied (language.md §3). */
  readonly ty: Ty;
  readonly isPub: boolean;
  readonly span: Span;
  readonly docs: readonly string[];
}

interface ItemDefBase {
  readonly name: string;
  readonly module: ModuleDef;
  readonly nameSpan: Span;
  readonly isPub: boolean;
  readonly docs: readonly string[];
}

export interface Annotations {
  domain: Domain | null;
  noncopy: boolean;
  deterministic: boolean;
  capabilityRequired: boolean;
  bounded: number | null;
  audited: boolean;
  /** `@derive(Clone)` / `#[derive(Copy)]`. */
  derives: string[];
}

export interface StructDef extends ItemDefBase {
  readonly kind: "struct";
  readonly ast: A.StructItem | null;
  readonly generics: GenericParamDef[];
  readonly shape: "named" | "tuple" | "unit" | "opaque";
  readonly ann: Annotations;
  /** Lowered lazily; `null` until then. */
  fields: FieldDef[] | null;
  fieldMap: Map<string, FieldDef> | null;
  /** Built-in types implemented in TypeScript (`Vec`, ranges, iterators). */
  readonly builtin: string | null;
}

export interface EnumDef extends ItemDefBase {
  readonly kind: "enum";
  readonly ast: A.EnumItem;
  readonly generics: GenericParamDef[];
  readonly ann: Annotations;
  readonly variants: VariantDef[];
  readonly variantMap: Map<string, VariantDef>;
}

export interface VariantDef {
  readonly kind: "variant";
  readonly name: string;
  readonly enumDef: EnumDef;
  readonly index: number;
  readonly shape: "unit" | "tuple" | "struct";
  readonly ast: A.Variant;
  readonly nameSpan: Span;
  fields: FieldDef[] | null;
  fieldMap: Map<string, FieldDef> | null;
  readonly docs: readonly string[];
}

export type AdtDef = StructDef | EnumDef;

export type SelfMode = "value" | "mutValue" | "ref" | "refMut";

export interface FnSig {
  readonly params: readonly { readonly name: string; readonly ty: Ty; readonly span: Span }[];
  readonly ret: Ty;
  /** The receiver's type (`Self`, `&Self`, `&mut Self`) for methods. */
  readonly selfTy: Ty | null;
}

export interface FnDef extends ItemDefBase {
  readonly kind: "fn";
  readonly ast: A.FnItem | null;
  readonly generics: GenericParamDef[];
  readonly selfMode: SelfMode | null;
  readonly owner: ImplDef | TraitDef | null;
  readonly ann: Annotations;
  /** The body is DPL (a block); otherwise the host implements it. */
  readonly hasBody: boolean;
  sig: FnSig | null;
  /** The function's domain: its annotation, else its impl type's, else K. */
  domain: Domain;
  /** Implemented by the compiler (`xdv_call`, `syscall`), not by DPL or a host stub. */
  readonly intrinsic: string | null;
}

export interface ImplDef {
  readonly kind: "impl";
  readonly module: ModuleDef;
  readonly ast: A.ImplItem;
  readonly generics: GenericParamDef[];
  trait: TraitRef | null;
  /** Lowered in the declaration pass, before any body is checked. */
  selfTy: Ty | null;
  readonly methods: Map<string, FnDef>;
  readonly consts: Map<string, ConstDef>;
  readonly assocTypes: Map<string, A.TypeAliasItem>;
}

export interface TraitDef extends ItemDefBase {
  readonly kind: "trait";
  readonly ast: A.TraitItem | null;
  readonly generics: GenericParamDef[];
  readonly selfParam: GenericParamDef;
  readonly methods: Map<string, FnDef>;
  supertraits: TraitRef[] | null;
  readonly assocTypes: Set<string>;
}

export interface ConstDef extends ItemDefBase {
  readonly kind: "const";
  readonly ast: A.ConstItem;
  readonly storage: A.ConstItem["storage"];
  ty: Ty | null;
  readonly owner: ImplDef | null;
  readonly ann: Annotations;
}

export interface AliasDef extends ItemDefBase {
  readonly kind: "alias";
  readonly ast: A.TypeAliasItem;
  readonly generics: GenericParamDef[];
  ty: Ty | null;
  resolving: boolean;
}

export interface LocalDef {
  readonly kind: "local";
  readonly name: string;
  readonly span: Span;
  readonly mutable: boolean;
  ty: Ty;
  readonly origin: "param" | "let" | "pattern" | "self" | "closure-param";
  /** Bound by reference through a default binding mode (`match &x { Some(v) => .. }`). */
  readonly byRef: boolean;
  readonly id: number;
  /**
   * The local itself: a local is its own value resolution (`{ kind: "local", def }` in the
   * tables, tables.ts ValueRes), so a path that names it needs no record of its own.
   */
  readonly def: LocalDef;
}

/** Primitive types, and the type constructors that DPL cannot declare (`Vec`, `K<T>`...). */
export interface PrimDef {
  readonly kind: "prim";
  readonly name: string;
}

export function defName(d: Def): string {
  switch (d.kind) {
    case "module":
      return d.path.join("::") || d.name;
    case "variant":
      return `${d.enumDef.name}::${d.name}`;
    default:
      return d.name;
  }
}

export function describeDef(d: Def): string {
  switch (d.kind) {
    case "module":
      return "module";
    case "struct":
      return "struct";
    case "enum":
      return "enum";
    case "variant":
      return "variant";
    case "fn":
      return d.owner ? "method" : "function";
    case "const":
      return d.storage === "const" ? "constant" : "static";
    case "trait":
      return "trait";
    case "alias":
      return "type alias";
    case "generic":
      return "type parameter";
    case "local":
      return "local binding";
    case "prim":
      return "builtin type";
  }
}

export function emptyAnnotations(): Annotations {
  return { domain: null, noncopy: false, deterministic: false, capabilityRequired: false, bounded: null, audited: false, derives: [] };
}
