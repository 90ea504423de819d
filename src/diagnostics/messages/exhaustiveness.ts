/** DPL2006, non-exhaustive match and refutable patterns where every value must match. */
import type { Message } from "./message.js";

const CODE = "DPL2006";

/** rustc's way of naming missing patterns: `A`, `A` and `B`, `A`, `B` and `C`, `A`, `B`, `C` and 2 more. */
function listPatterns(pats: readonly string[]): string {
  const q = pats.map((p) => `\`${p}\``);
  if (q.length === 1) return q[0]!;
  if (q.length <= 4) return `${q.slice(0, -1).join(", ")} and ${q[q.length - 1]}`;
  return `${q.slice(0, 3).join(", ")} and ${q.length - 3} more`;
}

export const Exhaustiveness = {
  /** `missing`: a pattern per uncovered case; `infinite`: the type has too many values to list. */
  nonExhaustive: (ty: string, missing: readonly string[], infinite: boolean): Message => {
    const what = listPatterns(missing);
    return {
      code: CODE,
      message: `non-exhaustive match: ${what} not covered`,
      label: `\`${ty}\` has values no arm matches`,
      help: infinite ? "add a final `_ => ...` arm: integers, characters and strings have too many values to list" : `add ${missing.length === 1 ? "an arm" : "arms"} for ${what}, or a final \`_ => ...\` arm`,
    };
  },
  /** `where`: `` `let` ``, `a parameter`, ... */
  refutable: (where: string, missing: string): Message => ({
    code: CODE,
    message: `refutable pattern in ${where}: \`${missing}\` not covered`,
    help: where === "`let`" ? "use `if let` or `let ... else { ... }` to handle the other values" : "use a pattern that matches every value",
  }),
} as const;
