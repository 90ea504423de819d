/** DPL2004, wrong number of arguments, generic arguments, fields or placeholders. */
import type { Message } from "./message.js";

const CODE = "DPL2004";
const m = (message: string, help?: string, label?: string): Message => ({ code: CODE, message, ...(help !== undefined ? { help } : {}), ...(label !== undefined ? { label } : {}) });
const supplied = (n: number): string => `${n} ${n === 1 ? "was" : "were"} supplied`;
const args = (n: number, what = "argument"): string => `${n} ${what}${n === 1 ? "" : "s"}`;
const quoted = (names: readonly string[]): string => names.map((n) => `\`${n}\``).join(", ");

export const Arity = {
  /**
   * A call with too few or too many arguments. `callee` is already phrased (`function
   * \`add\``, `\`Some\``); `missing` lists the missing parameters as `#3 (\`c: u64\`)`;
   * extra arguments are marked by the caller's related labels (`extraArgument`).
   */
  callArguments: (callee: string, expected: number, found: number, missing: readonly string[]) =>
    m(
      `${callee} takes ${args(expected)} but ${supplied(found)}`,
      found > expected ? `remove the extra argument${found - expected === 1 ? "" : "s"}` : undefined,
      missing.length === 0 ? undefined : missing.length === 1 ? `argument ${missing[0]} is missing` : `arguments ${missing.slice(0, -1).join(", ")} and ${missing[missing.length - 1]} are missing`,
    ),
  /** The label on each extra argument of a call. */
  extraArgument: (position: number) => `unexpected argument #${position}`,
  methodArguments: (method: string, expected: number, found: number) => m(`method \`${method}\` takes ${args(expected)} but ${supplied(found)}`),
  genericArguments: (what: string, expected: number, found: number) => m(`${what} takes ${args(expected, "generic argument")} but ${supplied(found)}`, expected === 0 ? "remove the generic arguments" : undefined),
  xdvCallArguments: (found: number) =>
    m(`\`xdv_call\` takes 4 arguments (source domain, target domain, descriptor pointer, capability id) but ${supplied(found)}`, "write `xdv_call(K, Q, descriptor.ptr(), cap.raw())`"),
  syscallArguments: (found: number) => m(`\`syscall\` takes 2 arguments (syscall number, argument pointer) but ${supplied(found)}`, "write `syscall(SYS_LOG, message.ptr())`"),
  writeNeedsDestination: (macro: string) => m(`\`${macro}!\` takes a destination and a format string: \`${macro}!(f, "{}", value)\``),
  writeNeedsFormat: () => m("`write!` needs a format string after the destination"),
  assertNeedsCondition: () => m("`assert!` takes a condition"),
  assertEqNeedsTwo: (macro: string) => m(`\`${macro}!\` takes two values to compare`),
  formatPlaceholders: (placeholders: number, found: number) =>
    m(`the format string has ${placeholders} placeholder${placeholders === 1 ? "" : "s"} but ${found} argument${found === 1 ? " was" : "s were"} supplied`),
  tuplePatternFields: (found: number, name: string, expected: number) => m(`this pattern has ${found} field${found === 1 ? "" : "s"}, but \`${name}\` has ${expected}`),
  patternMissesFields: (missing: readonly string[]) => m(`pattern does not mention field${missing.length === 1 ? "" : "s"} ${quoted(missing)}`, "list the missing fields, or ignore them with `..`"),
  structLiteralMissesFields: (missing: readonly string[], name: string) => m(`missing field${missing.length === 1 ? "" : "s"} ${quoted(missing)} in initializer of \`${name}\``),
} as const;
