/**
 * TypeScript names for DPL names.
 *
 * DPL identifiers are valid JavaScript identifiers (`Φ` is a letter to both), so a name is
 * kept as written unless TypeScript reserves it; then it gets a trailing `_`. Names the
 * emitter invents itself all contain `$`, which no DPL identifier can, so they never
 * collide with a user's: `Point$area` (a method), `$t3` (a temporary), `$rt` (the runtime).
 *
 * Also here: where emitted files go in a tree and how they name each other (layout), and
 * the runtime names that locals must not shadow.
 */
import { dirname, relative, sep, posix } from "node:path";
import * as runtime from "#runtime";

const RESERVED = new Set([
  // ECMAScript reserved words and strict-mode/future reserved words.
  "arguments", "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do",
  "else", "enum", "eval", "export", "extends", "false", "finally", "for", "function", "if", "implements", "import", "in",
  "instanceof", "interface", "let", "new", "null", "package", "private", "protected", "public", "return", "static",
  "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield",
  // TypeScript names that would shadow something emitted code relies on, or confuse readers.
  "undefined", "NaN", "Infinity", "Object", "Array", "String", "Number", "Boolean", "BigInt", "Symbol", "Math", "Error",
  "JSON", "Map", "Set", "Promise", "globalThis", "any", "unknown", "never", "number", "string", "boolean", "bigint",
  "symbol", "object", "type", "declare", "namespace", "module", "require", "as", "is", "keyof", "readonly", "infer",
]);

/** A DPL value or type name as a TypeScript identifier. */
export function tsName(name: string): string {
  return RESERVED.has(name) ? `${name}_` : name;
}

/** A generic parameter: `T` stays `T`, but must not clash with the emitter's own type names. */
export function tsTypeParam(name: string): string {
  return RESERVED.has(name) ? `${name}_` : name;
}

/** Field names of tuple structs and tuple variants: `_0`, `_1`, ... */
export function tupleField(index: number): string {
  return `_${index}`;
}

/** A named field as a property name (quoted only when it is not an identifier). */
export function fieldName(name: string): string {
  return /^[\p{L}_][\p{L}\p{N}_]*$/u.test(name) ? name : JSON.stringify(name);
}

/**
 * Hands out names that are unique within one scope, deterministically: the first request
 * for `x` gets `x`, the next `x$1`, and so on. Used for shadowed `let`s, which DPL allows
 * in one block and TypeScript does not.
 */
export class NameScope {
  private readonly used: Map<string, number>;

  constructor(readonly parent: NameScope | null = null) {
    this.used = new Map();
  }

  private isUsed(name: string): boolean {
    for (let s: NameScope | null = this; s; s = s.parent) if (s.used.has(name)) return true;
    return false;
  }

  /** Reserve `base` or the first free `base$N`. */
  fresh(base: string): string {
    const b = tsName(base);
    if (!this.isUsed(b)) {
      this.used.set(b, 0);
      return b;
    }
    for (let i = 1; ; i++) {
      const candidate = `${b}$${i}`;
      if (!this.isUsed(candidate)) {
        this.used.set(candidate, 0);
        return candidate;
      }
    }
  }

  /** Mark a name as taken without renaming (module-level items, imports). */
  reserve(name: string): void {
    this.used.set(name, 0);
  }

  child(): NameScope {
    return new NameScope(this);
  }
}

// ---------------------------------------------------------------------------
// Where emitted files go, and how they name each other.
//
// A build's output tree mirrors the `.ds` tree: `src/app/main.ds` given with the other
// inputs under `src/` becomes `app/main.ts` (paths relative to the inputs' common folder,
// never absolute, so the same sources give the same tree wherever they are checked out).
// The compiled stdlib lives under `_dplc/std/` and the runtime package (with the ABI bridge)
// under `_dplc/runtime/`, so a built tree is complete: `tsc` can check it and, with `--js`,
// Node can run it, with nothing outside the tree.
//
// All paths here are POSIX paths relative to the output root.
export const STD_DIR = "_dplc/std";
export const RUNTIME_DIR = "_dplc/runtime";
export const BRIDGE_MODULE = "_dplc/runtime/host-bridge.ts";

/** The emitted file for a `.ds` (or literate `.md`) file, given its path relative to its root. */
export function emittedPath(relativeSourcePath: string, underStd: boolean): string {
  const p = toPosix(relativeSourcePath);
  // `.md` keeps its extension in the name so `spec.md` and `spec.ds` cannot collide.
  const stem = p.endsWith(".ds") ? p.slice(0, -3) : p;
  return underStd ? `${STD_DIR}/${stem}.ts` : `${stem}.ts`;
}

/** The common folder of a set of absolute file paths (the folder itself for one file). */
export function commonRoot(absPaths: readonly string[]): string {
  if (absPaths.length === 0) return ".";
  let parts = dirname(absPaths[0]!).split(sep);
  for (const p of absPaths.slice(1)) {
    const q = dirname(p).split(sep);
    let i = 0;
    while (i < parts.length && i < q.length && parts[i] === q[i]) i++;
    parts = parts.slice(0, i);
  }
  return parts.join(sep) || sep;
}

export function toPosix(p: string): string {
  return p.split(sep).join("/");
}

/** The import specifier that `fromFile` uses for `toFile` (both `.ts` paths in the tree). */
export function importSpecifier(fromFile: string, toFile: string): string {
  let rel = posix.relative(posix.dirname(fromFile), toFile);
  if (!rel.startsWith(".")) rel = `./${rel}`;
  return rel.replace(/\.ts$/, ".js");
}

/** Path of `target` relative to the folder of `fromFile`, for `sources` in source maps. */
export function relativeFrom(fromFileAbs: string, targetAbs: string): string {
  return toPosix(relative(dirname(fromFileAbs), targetAbs));
}

// ---------------------------------------------------------------------------
// Names emitted code imports from the runtime and the ABI bridge. A DPL local with one
// of these names is renamed (`format$1`), so `format(...)` still means the runtime's.
const TYPE_ONLY = ["Option", "Result", "MutRef", "Q", "Phi", "Φ", "K", "DomainType", "Ty", "Site", "FmtArg", "Fmt"];
const BRIDGE = ["abiXdvCall", "abiSyscall", "abiSyscallRaw", "hostCall"];

export const RUNTIME_NAMES: ReadonlySet<string> = new Set([...Object.keys(runtime), ...TYPE_ONLY, ...BRIDGE]);
