/**
 * DPL2003, type mismatch: every wording of it. Types arrive printed (`printTy`), names as
 * written; the constructors decide the sentence, the help and the label.
 */
import type { Message } from "./message.js";

const CODE = "DPL2003";
const m = (message: string, help?: string, label?: string): Message => ({ code: CODE, message, ...(help !== undefined ? { help } : {}), ...(label !== undefined ? { label } : {}) });

export const TypeMismatch = {
  /** The general case: an expression of one type where another is expected. */
  /** A value coerced to `dyn Trait` whose type has no impl of the trait. */
  notImplementedForDyn: (trait: string, found: string) =>
    m(`mismatched types: expected \`dyn ${trait}\`, found \`${found}\`: the trait \`${trait}\` is not implemented for \`${found}\``, `add \`impl ${trait} for ${found}\`, or pass a value of a type that implements it`),
  mismatched: (expected: string, found: string, help?: string) => m(`mismatched types: expected \`${expected}\`, found \`${found}\``, help),
  missingReturnValue: (expected: string, returnsLastExpr: boolean) =>
    m(
      `mismatched types: expected \`${expected}\`, found \`()\``,
      returnsLastExpr ? "remove the `;` after the last expression to return its value" : "end the body with an expression of the return type, or `return` a value",
      "the body has no value to return",
    ),
  expectedString: (found: string) => m(`mismatched types: expected a string, found \`${found}\``),
  collectStringFrom: (elem: string) => m(`a \`String\` cannot be collected from elements of type \`${elem}\``, "collect `char`s or strings into a `String`, or collect into a `Vec`"),
  parseTarget: (target: string) => m(`\`parse\` reads integer and float types, not \`${target}\``, "parse into a number type (`s.parse::<i64>()`), or compare the text itself"),
  expectedIterable: (found: string) => m(`expected something to iterate over, found \`${found}\``, "pass a `Vec`, a range or an iterator"),
  expectedConcatString: (found: string) => m(`mismatched types: expected a string to concatenate, found \`${found}\``, "convert it first: `value.to_string()`"),
  expectedDomain: (found: string) => m(`expected a domain (\`K\`, \`Q\` or \`Φ\`), found \`${found}\``),
  /** `what` names the expected operand (`a pointer (`value.ptr()`)`). */
  expectedOperand: (what: string, found: string) => m(`expected ${what}, found \`${found}\``),
  expectedCapabilityId: (found: string) => m(`expected a capability id (\`cap.raw()\`), found \`${found}\``),
  expectedFunction: (found: string) => m(`expected a function, found \`${found}\``),
  expectedTypeFoundVariant: (variant: string, enumName: string) => m(`expected a type, found the enum variant \`${variant}\``, `use the enum type \`${enumName}\``),
  /** `kind` describes the definition (`function`, `module`, ...). */
  expectedTypeFound: (kind: string, name: string) => m(`expected a type, found ${kind} \`${name}\``),
  expectedTraitFound: (kind: string, name: string) => m(`expected a trait, found ${kind} \`${name}\``),

  // Operators and casts
  cannotDeref: (ty: string) => m(`type \`${ty}\` cannot be dereferenced`, "only references (`&T`, `&mut T`) can be dereferenced with `*`"),
  cannotNot: (ty: string) => m(`cannot apply \`!\` to a value of type \`${ty}\``, "`!` negates a `bool` or flips the bits of an integer"),
  cannotNegateUnsigned: (ty: string) => m(`cannot apply unary \`-\` to a value of type \`${ty}\``, "unsigned integers cannot be negative"),
  cannotNegate: (ty: string) => m(`cannot negate a value of type \`${ty}\``),
  cannotApplyOperator: (op: string, ty: string, arithmetic: boolean) => m(`cannot apply \`${op}\` to a value of type \`${ty}\``, arithmetic ? "arithmetic works on integers and floats (and `+` on strings)" : undefined),
  shiftAmountNotInteger: (found: string) => m(`a shift amount must be an integer, found \`${found}\``),
  invalidCast: (from: string, to: string) => m(`invalid cast: \`${from}\` as \`${to}\``, "`as` converts between numeric types, and from `bool`, `char` and field-less enums to integers"),
  literalOutOfRange: (literal: string, ty: string, range: string) => m(`the literal \`${literal}\` does not fit in \`${ty}\``, `the range of \`${ty}\` is ${range}`),
  cannotIndex: (ty: string) => m(`cannot index into a value of type \`${ty}\``, "only `Vec`, arrays and slices can be indexed"),

  // Calls and constructors
  traitBoundNotSatisfied: (ty: string, trait: string) => m(`the trait bound \`${ty}: ${trait}\` is not satisfied`, `implement \`${trait}\` for \`${ty}\``),
  onlyCalledDirectly: (name: string) => m(`\`${name}\` can only be called directly`),
  namedFieldsNeedBraces: (name: string) => m(`\`${name}\` has named fields: build it with \`${name} { ... }\``),
  /** `kind`: `struct` or `variant`. */
  notCallable: (name: string, kind: string) => m(`\`${name}\` is not a function or a tuple ${kind}`),
  notAStruct: (path: string) => m(`\`${path}\` is not a struct or a struct variant`),
  formatStringNotLiteral: (macro: string, found: string) => m(`\`${macro}!\` needs a string literal as its format string, found \`${found}\``, `write \`${macro}!("{}", value)\``),
  /** A format string the runtime's parser rejects; its own words say why. */
  badFormatString: (why: string) => m(why),
  formatCountNotUsize: (found: string) => m(`mismatched types: a width or precision argument must be a \`usize\`, found \`${found}\``, "write the count with a `usize` type, e.g. `let w: usize = 8;`"),
  notDisplay: (ty: string) => m(`\`${ty}\` doesn't implement \`Display\`: \`{}\` cannot format it`, "use `{:?}` (Debug) to print it, or implement `Display` for the type"),
  /** `{:x}` and the other integer radix formats; `spec`: the format type (`x`, `b`, ...). */
  formatWantsInteger: (spec: string, found: string) => m(`\`{:${spec}}\` formats integers, found \`${found}\``),
  /** `{:e}`/`{:E}`. */
  formatWantsNumber: (spec: string, found: string) => m(`\`{:${spec}}\` formats numbers, found \`${found}\``),
  /** `write!`/`writeln!` into something that is not a `Formatter`. */
  writeDestination: (macro: string, found: string) =>
    m(`\`${macro}!\` writes into the \`Formatter\` of a \`Display::fmt\`, found \`${found}\``, "to build a `String`, use `s.push_str(&format!(...))` or `let s = format!(...)`"),

  // Control flow
  letElseMustDiverge: () => m("the `else` block of `let ... else` must leave the enclosing block (`return`, `break`, `continue` or `panic!`)"),
  genericIteratorLoop: (ty: string) => m(`a \`for\` loop over the generic iterator \`${ty}\` is not supported yet`, "call `next()` in a `while let Some(x) = it.next()` loop"),
  /** `#[derive(Default)]` on a struct whose `field` has no structural default. */
  noDerivedDefault: (ty: string, field: string, fieldTy: string) =>
    m(`\`${ty}\` cannot derive \`Default\`: its field \`${field}\` of type \`${fieldTy}\` has no derived default`, "write `impl Default for` the struct by hand, or give the field's type `#[derive(Default)]`"),
  notIterable: (ty: string) => m(`\`${ty}\` is not something a \`for\` loop can iterate over`, "iterate over a range (`0..n`), a `Vec`, an array or `.iter()`"),
  outsideLoop: (keyword: "break" | "continue") => m(`\`${keyword}\` outside of a loop`),
  breakValueOutsideLoop: (loopKind: string) => m(`\`break\` with a value is only allowed in \`loop\`, not in \`${loopKind}\``),
  letConditionMisplaced: () => m("`let` conditions are only allowed directly in `if let` and `while let`"),
  questionOnOptionNeedsOption: (returns: string) => m(`the \`?\` operator on an \`Option\` needs a function that returns \`Option\`, but this one returns \`${returns}\``, "return an `Option`, or handle the `None` case with `match` or `unwrap_or`"),
  questionOnResultNeedsResult: (returns: string) => m(`the \`?\` operator on a \`Result\` needs a function that returns \`Result\`, but this one returns \`${returns}\``, "return a `Result`, or handle the error with `match`"),
  questionOnOther: (ty: string) => m(`the \`?\` operator applies to \`Option\` and \`Result\` values, not to \`${ty}\``),

  // Patterns
  restOutsideTuple: () => m("`..` is only allowed inside tuple and tuple-struct patterns"),
  referencePatternMismatch: (expected: string) => m(`mismatched types: expected \`${expected}\`, found a reference pattern`, "remove the `&`"),
  tuplePatternMismatch: (expected: string) => m(`mismatched types: expected \`${expected}\`, found a tuple pattern`),
  tuplePatternArity: (expected: number, found: number) => m(`mismatched types: expected a tuple with ${expected} element${expected === 1 ? "" : "s"}, found a pattern with ${found}`),
  localInPattern: (name: string) => m(`\`${name}\` is a local binding; a pattern can only compare against constants, variants and literals`),
  /** `kind`: what the path names instead (`function`, `module`, ...). */
  notAPatternPath: (kind: string, path: string) => m(`expected a variant, struct or constant in this pattern, found ${kind} \`${path}\``),
  variantHasFields: (enumName: string, variant: string, tuple: boolean) => m(`\`${enumName}::${variant}\` has fields; match them with \`${variant}${tuple ? "(..)" : " { .. }"}\``),
  /** `kind`: `struct` or `variant`; `unit`: it has no fields at all. */
  notATuplePattern: (path: string, kind: string, unit: boolean) => m(`\`${path}\` is not a tuple ${kind}; ${unit ? "match it without parentheses" : "match its fields with `{ .. }`"}`),
} as const;
