/**
 * Checked integer arithmetic written out inline, with the runtime call as the slow path.
 *
 * `u32.add(a, b, $site)` and `u64h.add(n, 1, $site)` are small functions, but a hot loop
 * pays for the call, for the runtime's shared operations seeing every integer type (their
 * type feedback is polymorphic), and for the hybrid form's type tests. Where both operands
 * are plain names or literals, the operation is emitted as its own number fast path:
 *
 *     (steps + 1 <= 4294967295 ? steps + 1 : u32.add(steps, 1, $49_13))
 *     (typeof n === "number" && 3 * n <= 9007199254740991 && 3 * n + 1 <= 9007199254740991
 *       ? 3 * n + 1 : u64h.add(u64h.mul(3, n, $47_17), 1, $47_17_2))
 *
 * Exactness: the fast path is taken only when every intermediate result is exact and in
 * the type's range. Operands are integers of at most 53 bits (a number-backed type, or
 * the hybrid form's number, which is a safe integer by its canonical form), so a sum,
 * difference or product is rounded only when its exact value is beyond 2^53, and the
 * rounding is monotonic with 2^53 representable: a result that passes `<= 2^53 - 1` (or the
 * type's MAX below it) is exact. Division truncates exactly (`Math.trunc(x / y)` of safe
 * integers is the integer quotient: the rounding error of `x / y` is below `1 / |y|`, the
 * distance to the next integer above). `+ 0` turns a signed `-0` into the canonical 0.
 * Anything else (an overflow, a bigint operand, a zero divisor) recomputes the whole tree
 * through the runtime, whose faults and messages are the ones of the runtime call alone:
 * the fast path evaluates only names and literals, so it has no effect to repeat.
 */
import type { IntName } from "../semantic/types.js";
import type { Span } from "../syntax/source.js";
import { frag, fragText, isNode, Prec, e, type E, type Frag } from "./writer.js";
import { intBits, intReprOf, isSignedName } from "./repr.js";

/** What the parent of an inlined operation needs of it: its number path and its slow path. */
interface Fast {
  /** Conditions under which `num` is the exact result (type tests and range checks). */
  readonly guards: readonly string[];
  /** The result computed on numbers, as JavaScript text. */
  readonly num: string;
  readonly prec: number;
  /** The operation through the runtime only (no fast paths inside). */
  readonly slow: Frag;
}

const fastOf = new WeakMap<E, Fast>();

/** Inlined trees are bounded: the guard list repeats each intermediate result once. */
const MAX_GUARDS = 6;
const MAX_TEXT = 240;

const SAFE = "9007199254740991";
const NAME = /^[A-Za-z_$][\w$]*$/;
const LITERAL = /^-?\d+$/;

/** How a type is held: `hybrid` for usize/isize and u64/i64 locals in the hybrid form. */
export interface IntKind {
  readonly name: IntName;
  readonly repr: "number" | "hybrid";
}

/** The kind of arithmetic on `name` held in `hybrid` form or its own; null: not inlined (bigints). */
export function intKind(name: IntName, hybrid: boolean): IntKind | null {
  if (hybrid) return { name, repr: "hybrid" };
  const r = intReprOf(name);
  return r === "bigint" ? null : { name, repr: r };
}

function leaf(v: E, k: IntKind): Fast | null {
  const known = fastOf.get(v);
  if (known) return known;
  // Only short texts: a name or a literal is one string, maybe tagged with its span.
  if (typeof v.f !== "string" && !(isNode(v.f) && v.f.parts.length === 1 && typeof v.f.parts[0] === "string")) return null;
  const t = fragText(v.f);
  // A literal in the hybrid form's number range is a number (a bigint literal ends in `n`).
  if (LITERAL.test(t)) return { guards: [], num: t, prec: t.startsWith("-") ? Prec.Unary : Prec.Primary, slow: v.f };
  if (NAME.test(t)) return { guards: k.repr === "hybrid" ? [`typeof ${t} === "number"`] : [], num: t, prec: Prec.Primary, slow: v.f };
  return null;
}

function paren(f: Fast, min: number): string {
  return f.prec < min ? `(${f.num})` : f.num;
}

/** The type's bounds as number text (for the hybrid form, the number range). */
function bounds(k: IntKind): { min: string; max: string } {
  if (k.repr === "hybrid") return { min: isSignedName(k.name) ? `-${SAFE}` : "0", max: SAFE };
  const bits = intBits(k.name);
  return isSignedName(k.name) ? { min: String(-(2 ** (bits - 1))), max: String(2 ** (bits - 1) - 1) } : { min: "0", max: String(2 ** bits - 1) };
}

/** The parts of an operation the runtime would check: a type's operands can leave its range. */
function rangeCheck(k: IntKind, op: string, num: string, prec: number): string | null {
  const { min, max } = bounds(k);
  const x = prec <= Prec.Rel ? `(${num})` : num;
  if (op === "/" || op === "%") return null;
  if (!isSignedName(k.name)) return op === "-" ? `${x} >= 0` : `${x} <= ${max}`;
  return k.repr === "hybrid" ? `Math.abs(${num}) <= ${max}` : `${x} >= ${min} && ${x} <= ${max}`;
}

/**
 * `l op r` (`+ - * / %`) with a number fast path, or null when an operand is not a plain name,
 * a literal or an inlined operation, or the tree would grow too large. `slow` builds the
 * runtime call from the operands' slow forms.
 */
export function inlineArith(k: IntKind, op: string, l: E, r: E, span: Span | null, slow: (l: Frag, r: Frag) => Frag): E | null {
  if (op !== "+" && op !== "-" && op !== "*" && op !== "/" && op !== "%") return null;
  // 8- to 32-bit division faults on MIN / -1 too; a literal divisor is already inline (ops.ts).
  if ((op === "/" || op === "%") && k.repr !== "hybrid") return null;
  const a = leaf(l, k);
  const b = leaf(r, k);
  if (!a || !b) return null;
  const signed = isSignedName(k.name);
  const guards = [...a.guards];
  for (const g of b.guards) if (!guards.includes(g)) guards.push(g);
  if (op === "/" || op === "%") {
    // A zero divisor faults on the slow path.
    if (/^-?0+$/.test(b.num)) return null;
    if (!LITERAL.test(b.num)) guards.push(`${paren(b, Prec.Eq + 1)} !== 0`);
  }
  let num: string;
  let prec: number;
  switch (op) {
    case "+":
    case "-":
      num = `${paren(a, Prec.Add)} ${op} ${paren(b, Prec.Add + 1)}`;
      prec = Prec.Add;
      break;
    case "*":
      num = `${paren(a, Prec.Mul)} * ${paren(b, Prec.Mul + 1)}`;
      prec = Prec.Mul;
      break;
    case "/":
      num = `Math.trunc(${paren(a, Prec.Mul)} / ${paren(b, Prec.Mul + 1)})`;
      prec = Prec.Primary;
      break;
    default:
      num = `${paren(a, Prec.Mul)} % ${paren(b, Prec.Mul + 1)}`;
      prec = Prec.Mul;
      break;
  }
  const check = rangeCheck(k, op, num, prec);
  if (check) guards.push(check);
  // A signed product, quotient or remainder can be -0; the canonical form is 0.
  if (signed && (op === "*" || op === "/" || op === "%")) {
    num = `${num} + 0`;
    prec = Prec.Add;
  }
  if (guards.length > MAX_GUARDS || num.length > MAX_TEXT) return null;
  const slowF = slow(a.slow, b.slow);
  const whole = guards.length === 0 ? e(frag(span, num), prec) : e(frag(span, "(", guards.join(" && "), ` ? ${num} : `, slowF, ")"));
  fastOf.set(whole, { guards, num, prec, slow: slowF });
  return whole;
}
