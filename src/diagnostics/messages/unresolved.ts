/** DPL2001, unresolved name: what could not be found, and where to look instead. */
import type { Message } from "./message.js";

const CODE = "DPL2001";
const m = (message: string, help?: string): Message => ({ code: CODE, message, ...(help !== undefined ? { help } : {}) });

export const Unresolved = {
  /** `ns`: `value` or `type`; `suggestion`: a did-you-mean. */
  notInScope: (ns: "value" | "type", name: string, suggestion?: string) => m(`cannot find ${ns} \`${name}\` in this scope`, suggestion),
  /** The help when no name is close but `paths` (as a `use` would write them) declare it. */
  declaredElsewhere: (paths: readonly string[]): string =>
    `${paths.length === 1 ? "it is declared" : "it is declared in several places"} elsewhere: ${paths.map((p) => `\`${p}\``).join(", ")}`,
  /**
   * dustlang: a named argument that is not the parameter at its position; `what`: the callee
   * as the arity messages name it; `declaredAt`: that name's position, if it is a parameter.
   */
  namedArgument: (name: string, what: string, position: number, expected: string, declaredAt: number | null) =>
    m(
      `argument #${position} of ${what} is named \`${name}\`, but that parameter is \`${expected}\``,
      declaredAt === null
        ? `${what} has no parameter named \`${name}\`; name the argument \`${expected}\`, or pass it without a name`
        : `\`${name}\` is parameter #${declaredAt}: named arguments come in the order of the parameters`,
    ),
  /** dustlang: a `bind` end that names no process of the forge. */
  noProcessToBind: (shown: string, forge: string) => m(`no process \`${shown}\` in forge \`${forge}\` to bind`, "a `bind` connects two processes declared in the same forge"),
  /** dustlang: a `bind` end whose regime is not the process's (`regime`). */
  processOfOtherRegime: (shown: string, forge: string, proc: string, regime: string) =>
    m(`no process \`${shown}\` in forge \`${forge}\`: \`${proc}\` is a ${regime} process`, `write \`${regime}::${proc}\``),
  traitNotInScope: (name: string, suggestion?: string) => m(`cannot find trait \`${name}\` in this scope`, suggestion),
  typeNotIn: (name: string, container: string) => m(`cannot find type \`${name}\` in \`${container}\``),
  traitNotIn: (name: string, container: string) => m(`cannot find trait \`${name}\` in \`${container}\``),
  notIn: (name: string, container: string, suggestion?: string) => m(`cannot find \`${name}\` in \`${container}\``, suggestion),
  /** `importHint`: a site-specific way to reach it (`mark it \`pub\` …`). */
  privateTo: (name: string, container: string, help?: string) => m(`\`${name}\` is private to \`${container}\``, help),
  macroNotFound: (name: string, suggestion: string | undefined, known: readonly string[]) => m(`cannot find macro \`${name}!\``, suggestion ?? `the macros are ${known.map((k) => `\`${k}!\``).join(", ")}`),
  /** `kind` describes the definition found (`the type`, `struct`, ...). */
  expectedValue: (kind: string, name: string, help?: string) => m(`expected a value, found ${kind} \`${name}\``, help),
  selfValueOutsideMethod: () => m("`self` is only available in methods that take `self`"),
  selfTypeOutsideImpl: () => m("`Self` is only available inside `impl` and `trait` blocks"),
  notATypeOrModule: (name: string, kind: string) => m(`\`${name}\` is a ${kind}, not a type or module`),
  noVariantOrConstant: (name: string, ty: string) => m(`no variant or associated constant named \`${name}\` on \`${ty}\``),
  aliasCycle: (name: string) => m(`the type alias \`${name}\` refers to itself`),
  notBoundInEveryAlternative: (name: string) => m(`variable \`${name}\` is not bound in every alternative of this pattern`),
  undeclaredLabel: (label: string) => m(`use of undeclared label \`${label}\``),
  /** `candidates`: the two file names a `mod name;` may live in, when the module has a folder. */
  moduleFileMissing: (name: string, candidates: readonly string[] | null) =>
    m(`cannot find the file of module \`${name}\``, candidates === null ? undefined : candidates.length > 0 ? `create \`${candidates[0]}\` or \`${candidates[1]}\`` : "declare the module inline: `mod name { ... }`"),
  moduleInBody: () => m("modules cannot be declared inside a function body"),
  // Imports and paths
  globFromNonModule: (kind: string, name: string) => m(`cannot glob-import from ${kind} \`${name}\``, "glob imports take a module or an enum"),
  importCycle: (path: string) => m(`the import of \`${path}\` refers to itself`, "two imports depend on each other in a cycle"),
  unresolvedImportRoot: (name: string) => m(`unresolved import \`${name}\``, "start the path with `crate::`, `self::`, `super::` or a stdlib module such as `runtime::`"),
  unresolvedImport: (name: string, container: string, suggestion?: string) => m(`unresolved import: no \`${name}\` in \`${container}\``, suggestion),
  superAtRoot: () => m("there is no parent module: `super` used at the root"),
  noParentHere: () => m("there is no parent module here"),
  noModuleOrType: (name: string, suggestion?: string) => m(`unresolved path: no module or type named \`${name}\` in scope`, suggestion),
  cannotLookInside: (name: string, kind: string, container: string) => m(`cannot look up \`${name}\` inside ${kind} \`${container}\` here`),
  unresolvedPath: (name: string, container: string, suggestion?: string) => m(`unresolved path: no \`${name}\` in \`${container}\``, suggestion),
} as const;
