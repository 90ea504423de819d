/**
 * Types DPL cannot declare itself: `Vec<T>` (growable, indexable, with the methods of
 * language.md §2), the range type of `a..b`, and the iterator returned by `.iter()`.
 * They are process-wide singletons living in a synthetic `core` module; their methods are
 * in intrinsics.ts.
 */
import type { SourceFile, Span } from "../syntax/source.js";
import { SourceFile as SF } from "../syntax/source.js";
import { emptyAnnotations, type GenericParamDef, type ModuleDef, type StructDef } from "./defs.js";

const coreSource: SourceFile = new SF("<core>", "");
export const CORE_SPAN: Span = coreSource.span(0, 0);

export const CORE_MODULE: ModuleDef = {
  kind: "module",
  name: "core",
  path: ["core"],
  parent: null,
  root: undefined as unknown as ModuleDef,
  source: null,
  filePath: null,
  dirPath: null,
  items: [],
  types: new Map(),
  values: new Map(),
  globs: [],
  children: new Map(),
  outer: null,
  prelude: null,
  profile: "user",
  isStdlib: true,
  isTrusted: true,
  isPrelude: true,
  nameSpan: null,
  docs: [],
};
(CORE_MODULE as { root: ModuleDef }).root = CORE_MODULE;

function param(name: string, index: number): GenericParamDef {
  return { kind: "generic", name, span: CORE_SPAN, ast: null, bounds: [], index, isSelf: false };
}

function builtinStruct(name: string, docs: string, generic = true): StructDef {
  return {
    kind: "struct",
    name,
    module: CORE_MODULE,
    nameSpan: CORE_SPAN,
    isPub: true,
    docs: [docs],
    ast: null,
    generics: generic ? [param("T", 0)] : [],
    shape: "opaque",
    ann: emptyAnnotations(),
    fields: [],
    fieldMap: new Map(),
    builtin: name,
  };
}

export const VEC_DEF = builtinStruct("Vec", "A growable array: `Vec::new()`, `vec![...]`, `push`, `pop`, `len`, indexing.");
export const RANGE_DEF = builtinStruct("Range", "The range `a..b` (or `a..=b`): iterable in `for` loops, usable as a slice index.");
export const ITER_DEF = builtinStruct("Iter", "An iterator over the elements of a `Vec`, array or slice (`.iter()`).");
/** The errors of `str::parse` (the runtime's own values: Display is std's sentence, Debug its record). */
export const PARSE_INT_ERROR_DEF = builtinStruct("ParseIntError", "The error of `str::parse` for an integer type (`{}` prints std's sentence).", false);
export const PARSE_FLOAT_ERROR_DEF = builtinStruct("ParseFloatError", "The error of `str::parse` for `f32`/`f64`.", false);
/** The error of `u8::try_from(x)` and the other checked integer conversions. */
export const TRY_FROM_INT_ERROR_DEF = builtinStruct("TryFromIntError", "The error of `T::try_from(x)` between integer types.", false);
