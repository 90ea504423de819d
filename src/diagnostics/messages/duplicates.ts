/** DPL2002, duplicate definition: the second one, and a label on the first. */
import type { Message } from "./message.js";

const CODE = "DPL2002";
const m = (message: string, help?: string): Message => ({ code: CODE, message, ...(help !== undefined ? { help } : {}) });

export const Duplicates = {
  /** `what`: the kind of the two definitions (`function`, `struct`, ...). */
  name: (name: string, what: string) => m(`the name \`${name}\` is defined multiple times`, `rename one of the two ${what}s`),
  importClash: (name: string) => m(`the name \`${name}\` is defined multiple times`, "import it under another name: `use ... as other_name;`"),
  importedTwice: (name: string) => m(`the name \`${name}\` is imported multiple times`),
  typeParameter: (name: string) => m(`the type parameter \`${name}\` is declared twice`),
  parameter: (name: string) => m(`the parameter \`${name}\` is bound more than once`),
  variant: (name: string, enumName: string) => m(`the variant \`${name}\` is defined multiple times in \`${enumName}\``),
  traitMethod: (name: string, trait: string) => m(`the method \`${name}\` is declared twice in trait \`${trait}\``),
  /** `forTy`: the type of an inherent impl, when the clash is between impls. */
  definition: (name: string, forTy?: string) => m(forTy === undefined ? `duplicate definitions with name \`${name}\`` : `duplicate definitions with name \`${name}\` for \`${forTy}\``),
  field: (name: string, owner: string) => m(`field \`${name}\` is already declared in \`${owner}\``),
  fieldInitializer: (name: string) => m(`field \`${name}\` is specified more than once`),
  // Labels on the first definition
  previousDefinition: (name?: string) => (name === undefined ? "previous definition here" : `previous definition of \`${name}\` here`),
  previousImport: (name: string) => `previous import of \`${name}\` here`,
  otherDefinition: (name: string) => `other definition of \`${name}\` here`,
  firstDeclared: () => "first declared here",
  firstBound: () => "first bound here",
  firstSpecified: () => "first specified here",
} as const;
