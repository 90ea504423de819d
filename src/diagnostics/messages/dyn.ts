/** DPL2008, a trait that cannot be used as a trait object (`dyn Trait`). */
import type { Message } from "./message.js";

const CODE = "DPL2008";

export const DynCompat = {
  /** `why` says which method breaks it, phrased after "because". */
  notDynCompatible: (trait: string, why: string) =>
    ({ code: CODE, message: `the trait \`${trait}\` is not dyn compatible`, note: `it cannot be used as \`dyn ${trait}\` because ${why}`, help: `use a generic parameter (\`T: ${trait}\`), or move the method to another trait` }) as Message,
  /** `dyn A + B` where `B` is not an auto trait (`Send`, `Sync`). */
  extraBound: (name: string) =>
    ({ code: CODE, message: `only auto traits can be added to a trait object: \`+ ${name}\``, help: "a trait object has one trait (with its supertraits); declare a trait with both as supertraits" }) as Message,
  /** `dyn Trait<T>` and traits with associated types: not implemented by dplc. */
  unsupported: (trait: string, what: string) =>
    ({ code: CODE, message: `\`dyn ${trait}\` is not supported by dplc: the trait ${what}`, help: `use a generic parameter (\`T: ${trait}\`) or an enum of the types that implement it` }) as Message,
  /** `{}`/`{:?}` of a trait object: dplc cannot format one yet (it would print the wrong thing). */
  formatted: (ty: string) =>
    ({ code: CODE, message: `\`${ty}\` cannot be formatted: dplc does not format trait objects yet`, help: "format through a method of the trait (one that returns a `String`), or format the concrete value before it becomes a trait object" }) as Message,
  /** `==`/`<` on trait objects: no `PartialEq`/`PartialOrd` through a trait object. */
  compared: (op: string, ty: string) =>
    ({ code: CODE, message: `binary operation \`${op}\` cannot be applied to \`${ty}\`: a trait object has no \`PartialEq\` or \`PartialOrd\``, help: "compare through a method of the trait, or compare the concrete values" }) as Message,
} as const;
