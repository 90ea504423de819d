/** DPL2005, unknown field or method: what is not there, and what is. */
import type { Message } from "./message.js";

const CODE = "DPL2005";
const m = (message: string, help?: string): Message => ({ code: CODE, message, ...(help !== undefined ? { help } : {}) });
const quoted = (names: Iterable<string>): string => [...names].map((n) => `\`${n}\``).join(", ");

export const UnknownMember = {
  /** `suggestion`: a did-you-mean, when one is close enough. */
  noMethod: (name: string, ty: string, suggestion?: string) => m(`no method named \`${name}\` found for \`${ty}\``, suggestion),
  fieldCalledAsMethod: (name: string, ty: string) => m(`no method named \`${name}\` found for \`${ty}\``, `\`${name}\` is a field: write \`(value.${name})\` without the call`),
  associatedNotMethod: (name: string, ty: string) => m(`\`${name}\` is an associated function, not a method: call it as \`${ty}::${name}(...)\``),
  noAssociatedItem: (name: string, ty: string) => m(`no function or associated item named \`${name}\` found for \`${ty}\``),
  noBoxAssociatedItem: (name: string) => m(`no function or associated item named \`${name}\` found for \`Box\``, "`Box::new(value)` is the one constructor"),
  noTraitMethod: (trait: string, name: string, suggestion?: string) => m(`trait \`${trait}\` has no method \`${name}\``, suggestion),
  noTupleField: (name: string, ty: string, elements: number) => m(`no field \`${name}\` on tuple type \`${ty}\`: it has ${elements} element${elements === 1 ? "" : "s"}`),
  /** `fields`: the fields the type has, listed when no did-you-mean applies. */
  noField: (name: string, ty: string, suggestion: string | undefined, fields: readonly string[]) =>
    m(`no field \`${name}\` on type \`${ty}\``, suggestion ?? (fields.length > 0 ? `available fields: ${quoted(fields)}` : undefined)),
  noFieldOnEnum: (name: string, ty: string) => m(`no field \`${name}\` on type \`${ty}\``, "enum values have no fields; use `match` to get at a variant's data"),
  noFieldOn: (name: string, ty: string) => m(`no field \`${name}\` on type \`${ty}\``),
  /** `domain`: the opaque type's domain when it is Q or Φ. */
  opaqueFields: (name: string, domain: string | null) =>
    m(`\`${name}\` is opaque: its fields are not visible to DPL code`, domain ? `${domain} state is only reachable through its declared functions` : "use the functions declared for this type"),
  opaqueLiteral: (name: string) => m(`\`${name}\` is opaque: it cannot be built with a struct literal`, "use the functions declared for this type"),
  noNamedField: (owner: string, field: string, suggestion?: string) => m(`\`${owner}\` has no field named \`${field}\``, suggestion),
  notATraitMember: (method: string, trait: string, declared: readonly string[]) =>
    m(`method \`${method}\` is not a member of trait \`${trait}\``, declared.length > 0 ? `the trait declares: ${quoted(declared)}` : `\`${trait}\` declares no methods`),
  traitMethodsMissing: (trait: string, missing: readonly string[]) =>
    m(`not all methods of trait \`${trait}\` are implemented: missing ${quoted(missing)}`, `add ${missing.length === 1 ? "it" : "them"} to this impl`),
  /** The label on each missing method's declaration. */
  declaredHere: (name: string) => `\`${name}\` is declared here`,
} as const;
