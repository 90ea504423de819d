/** DPL4001–DPL4004: no-cloning and @noncopy, use after move, Φ aliasing and Φ mutation (XDV-051 §4.3–4.4). */
import type { Message } from "./message.js";

const NO_CLONING = "no-cloning: Q types are move-only (XDV-051 §4.3)";

export const Duplication = {
  /** DPL4001 for `#[derive(Clone)]`/`Copy` on a Q or @noncopy type. */
  derive: (name: string, isQ: boolean): Message => ({
    code: "DPL4001",
    message: `${isQ ? "Q state" : `the \`@noncopy\` type \`${name}\``} cannot be duplicated: \`${name}\` may not derive \`Clone\` or \`Copy\``,
    help: "remove the derive; move the value instead of copying it",
    ...(isQ ? { note: NO_CLONING } : {}),
  }),
  impl: (ty: string, trait: string, isQ: boolean): Message => ({
    code: "DPL4001",
    message: `${isQ ? "Q state" : "a `@noncopy` type"} cannot be duplicated: \`${ty}\` may not implement \`${trait}\``,
    help: "remove the impl; move the value instead of copying it",
    ...(isQ ? { note: NO_CLONING } : {}),
  }),
  clone: (ty: string, isQ: boolean): Message => ({
    code: "DPL4001",
    message: isQ ? `Q state cannot be cloned: \`.clone()\` on \`${ty}\`` : `the \`@noncopy\` value cannot be duplicated: \`.clone()\` on \`${ty}\``,
    help: isQ ? "move the value instead; if you need its outcome twice, measure once and reuse the K result" : "move the value instead of duplicating it",
    ...(isQ ? { note: NO_CLONING } : {}),
  }),
  /** `.clone()` on a value that holds Q state or a `@noncopy` value (`held`) inside it. */
  cloneHolding: (ty: string, held: string, heldQ: boolean): Message => ({
    code: "DPL4001",
    message: `${heldQ ? "Q state cannot be cloned" : "the `@noncopy` value cannot be duplicated"}: \`.clone()\` on \`${ty}\` would duplicate the \`${held}\` it holds`,
    help: "move the value instead, or clone only its K parts into a new value",
    ...(heldQ ? { note: NO_CLONING } : {}),
  }),
  /** `#[derive(Clone)]`/`Copy` on a type whose `field` holds Q state or a `@noncopy` value. */
  derivedCloneOfHolder: (ty: string, field: string, held: string, isQ: boolean): Message => ({
    code: "DPL4001",
    message: `${isQ ? "Q state" : "a `@noncopy` value"} cannot be duplicated: \`${ty}\` may not derive \`Clone\` or \`Copy\`, its field \`${field}\` holds \`${held}\``,
    help: "remove the derive; move the value instead of copying it",
    ...(isQ ? { note: NO_CLONING } : {}),
  }),
  /** The label on the field of `derivedCloneOfHolder`. */
  holdsMoveOnly: (field: string, isQ: boolean): string => `\`${field}\` holds ${isQ ? "Q state" : "a move-only value"}`,
  arrayRepeat: (ty: string, isQ: boolean): Message => ({
    code: "DPL4001",
    message: `${isQ ? "Q state cannot be cloned" : "the `@noncopy` value cannot be duplicated"}: \`[value; n]\` would copy this \`${ty}\``,
    help: "build each element separately, or keep one value and pass it on by move",
  }),
  /** `how`: `` `.to_string()` `` or `` `println!` ``. */
  serialize: (how: string, ty: string): Message => ({
    code: "DPL4001",
    message: `Q state cannot be cloned: ${how} would serialize this \`${ty}\``,
    help: "measure the state and format the K result instead",
    note: "serializing unmeasured Q state is prohibited (XDV-032 §5)",
  }),
} as const;

export const Moves = {
  /** DPL4002 for a dustlang linear value (used exactly once) used a second time. */
  linearReused: (name: string): Message => ({
    code: "DPL4002",
    message: `use of linear value \`${name}\` after it was consumed: a linear value is used exactly once`,
    help: "read what you need once (`let id = q.id;`), or return a new value instead of reusing this one",
  }),
  linearConsumedHere: (name: string): string => `\`${name}\` was consumed here`,
  /** DPL4002; `cloneable`: a plain K value that `.clone()` could copy. */
  useAfterMove: (place: string, ty: string, partial: boolean, isQ: boolean, cloneable: boolean): Message => ({
    code: "DPL4002",
    message: `use of ${partial ? "partially " : ""}moved value \`${place}\`${isQ ? ": Q state cannot be cloned" : ""}`,
    label: `\`${ty}\` is not a copy type`,
    help: isQ
      ? "Q state has exactly one owner: keep the K result of its measurement instead of the state"
      : cloneable
        ? `borrow it (\`&${place}\`) instead of moving it, or clone it before the move (\`${place}.clone()\`)`
        : "use the value before moving it, and move it only once",
  }),
  /** Where the value was moved: `inLoop` (a previous iteration), `maybe` (on one path). */
  movedHere: (inLoop: boolean, maybe: boolean): string =>
    inLoop ? "value moved here, in the previous iteration of the loop" : maybe ? "value moved here, on one path to this use" : "value moved here",
} as const;

export const PhiAliasing = {
  /** DPL4003; `mutably`: the new borrow is `&mut`; `liveMut`: the live one is. */
  borrowWhileLive: (place: string, mutably: boolean, liveMut: boolean): Message => ({
    code: "DPL4003",
    message: `Φ mutable aliasing: \`${place}\` is borrowed${mutably ? " mutably" : ""} while ${liveMut ? "a mutable" : "another"} borrow of it is live`,
    help: "end the first borrow before taking the `&mut`: read what you need into a value first, or take the borrows in separate statements",
    note: "XDV-051 §4.4: Φ values may not be aliased mutably",
  }),
  borrowedHere: (place: string, mut: boolean): string => `${mut ? "mutable" : "shared"} borrow of \`${place}\` here`,
  stillUsedHere: (): string => "that borrow is still used here",
} as const;

export const PhiMutation = {
  /** DPL4004; `inPhi`: the writing function is itself `@domain(Φ)`. */
  outsideContract: (field: string, inPhi: boolean): Message => ({
    code: "DPL4004",
    message: `Φ mutation outside a transform contract: \`${field}\` of a Φ value is written in a function without a transform contract`,
    help: inPhi ? "take the contract as a parameter (`contract: TransformContract`, or a type bounded by `PhiContract`)" : "write Φ fields only in a `@domain(Φ)` function that takes a `TransformContract` parameter",
    note: "XDV-051 §4.4: Φ mutation is restricted to transform contracts",
  }),
} as const;
