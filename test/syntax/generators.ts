/**
 * fast-check generators of syntactically valid DPL programs, as source text. Parsing the
 * generated text gives the tree the round-trip property starts from.
 */
import fc from "fast-check";

const KEYWORDS = new Set(["as", "break", "const", "continue", "else", "enum", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "dyn"]);

export const ident = fc
  .oneof(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), fc.constantFrom("Φ", "φ_val", "q₀".slice(0, 1), "état"))
  .filter((s) => !KEYWORDS.has(s) && s !== "_");
export const typeName = fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,6}$/).filter((s) => s !== "Self");

const intLit = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String),
  fc.tuple(fc.integer({ min: 0, max: 255 }), fc.constantFrom("u8", "u16", "u32", "u64", "u128", "i8", "i64", "usize")).map(([n, s]) => `${n}${s}`),
  fc.integer({ min: 0, max: 0xffff }).map((n) => `0x${n.toString(16)}`),
  fc.integer({ min: 0, max: 255 }).map((n) => `0b${n.toString(2)}`),
);
const literal = fc.oneof(
  intLit,
  fc.constantFrom("true", "false", "1.5", "2.0e3", "'a'", "'\\n'", "'Φ'"),
  fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s.replace(/[\\"\u0000-\u001f\u007f-\uffff]/g, ""))),
);

export const type: fc.Arbitrary<string> = fc.letrec<{ t: string }>((tie) => ({
  t: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("u8", "u64", "i128", "bool", "String", "()", "_", "Φ<u64>", "K<String>"),
    typeName,
    fc.tuple(typeName, fc.array(tie("t"), { minLength: 1, maxLength: 2 })).map(([n, as]) => `${n}<${as.join(", ")}>`),
    tie("t").map((t) => `&${t}`),
    tie("t").map((t) => `&mut ${t}`),
    fc.array(tie("t"), { minLength: 2, maxLength: 3 }).map((ts) => `(${ts.join(", ")})`),
    tie("t").map((t) => `[${t}; 4]`),
    fc.tuple(tie("t"), tie("t")).map(([a, b]) => `fn(${a}) -> ${b}`),
    fc.tuple(fc.constantFrom("K", "Q", "Φ"), tie("t")).map(([d, t]) => `DomainType<${d}, ${t}>`),
  ),
})).t;

/**
 * Operands that begin with a block-like keyword or a closure are parenthesised, as a
 * Rust programmer must write them (`(match x { .. }) + 1`).
 */
function operand(e: string): string {
  return /^(if|match|while|loop|for|unsafe|move|\{|\||')/.test(e) ? `(${e})` : e;
}

const COMPARISONS = new Set(["==", "!=", "<", ">", "<=", ">="]);

const binop = fc.constantFrom("+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||", "&", "|", "^", "<<", ">>");

const pattern: fc.Arbitrary<string> = fc.letrec<{ p: string }>((tie) => ({
  p: fc.oneof(
    { depthSize: "small" },
    ident,
    fc.constant("_"),
    intLit,
    fc.tuple(typeName, fc.array(tie("p"), { minLength: 1, maxLength: 2 })).map(([n, ps]) => `${n}(${ps.join(", ")})`),
    fc.array(tie("p"), { minLength: 2, maxLength: 3 }).map((ps) => `(${ps.join(", ")})`),
    fc.tuple(typeName, ident, tie("p")).map(([n, f, p]) => `${n} { ${f}: ${p}, .. }`),
    fc.tuple(typeName, typeName).map(([a, b]) => `${a}::${b}`),
  ),
})).p;

export const expr: fc.Arbitrary<string> = fc.letrec<{ e: string; block: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    literal,
    ident,
    fc.tuple(typeName, typeName).map(([a, b]) => `${a}::${b}`),
    fc.tuple(tie("e"), binop, tie("e")).map(([a, op, b]) =>
      // Comparisons do not chain in Rust or DPL: their operands get parentheses.
      COMPARISONS.has(op) ? `(${a}) ${op} (${b})` : `${operand(a)} ${op} ${operand(b)}`,
    ),
    tie("e").map((e) => `(${e})`),
    fc.tuple(fc.constantFrom("-", "!", "*", "&", "&mut "), tie("e")).map(([op, e]) => `${op}(${e})`),
    fc.tuple(ident, fc.array(tie("e"), { maxLength: 3 })).map(([f, as]) => `${f}(${as.join(", ")})`),
    fc.tuple(tie("e"), ident, fc.array(tie("e"), { maxLength: 2 })).map(([r, m, as]) => `(${r}).${m}(${as.join(", ")})`),
    fc.tuple(tie("e"), ident).map(([r, f]) => `(${r}).${f}`),
    fc.tuple(tie("e"), tie("e")).map(([a, i]) => `(${a})[${i}]`),
    fc.tuple(tie("e"), fc.constantFrom("u64", "i32", "u8")).map(([e, t]) => `(${e}) as ${t}`),
    tie("e").map((e) => `(${e})?`),
    fc.tuple(typeName, ident, tie("e")).map(([t, f, v]) => `(${t} { ${f}: ${v} })`),
    fc.array(tie("e"), { maxLength: 3 }).map((es) => `[${es.join(", ")}]`),
    fc.array(tie("e"), { minLength: 2, maxLength: 3 }).map((es) => `(${es.join(", ")})`),
    fc.tuple(tie("e"), tie("e")).map(([a, b]) => `((${a})..(${b}))`),
    fc.tuple(tie("e"), tie("block"), tie("block")).map(([c, t, f]) => `if ${c} ${t} else ${f}`),
    fc.tuple(tie("e"), fc.array(fc.tuple(pattern, tie("e")), { minLength: 1, maxLength: 3 })).map(
      ([s, arms]) => `match ${s} { ${arms.map(([p, b]) => `${p} => ${b},`).join(" ")} }`,
    ),
    fc.tuple(fc.array(ident, { maxLength: 2 }), tie("e")).map(([ps, b]) => `|${ps.join(", ")}| ${b}`),
    // `matches!` takes a pattern as its second argument: not a generic expression macro.
    fc.tuple(ident.filter((m) => m !== "matches"), fc.array(tie("e"), { maxLength: 2 })).map(([m, as]) => `${m}!(${as.join(", ")})`),
    tie("block"),
  ),
  block: fc
    .tuple(
      fc.array(
        fc.oneof(
          fc.tuple(pattern, fc.option(type, { nil: null }), tie("e")).map(([p, t, e]) => `let ${p}${t ? `: ${t}` : ""} = ${e};`),
          tie("e").map((e) => `${e};`),
          fc.tuple(ident, tie("e")).map(([x, e]) => `${x} += ${e};`),
          fc.tuple(tie("e"), tie("block")).map(([c, b]) => `while ${c} ${b}`),
          fc.tuple(ident, tie("e"), tie("block")).map(([x, e, b]) => `for ${x} in ${e} ${b}`),
          tie("block").map((b) => `loop ${b}`),
          fc.constantFrom("break;", "continue;", "return;"),
        ),
        { maxLength: 3 },
      ),
      fc.option(tie("e"), { nil: null }),
    )
    .map(([stmts, tail]) => `{ ${stmts.join(" ")}${tail ? ` ${tail}` : ""} }`),
})).e;

const field = fc.tuple(ident, type).map(([n, t]) => `${n}: ${t}`);
const annotation = fc.constantFrom("@domain(K)", "@domain(Q)", "@domain(Φ)", "@domain(Phi)", "@noncopy", "@deterministic", "@bounded(8)", "@audited");

export const item: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.array(annotation, { maxLength: 2 }), typeName, fc.array(field, { maxLength: 3 })).map(([as, n, fs]) => `${as.join("\n")}\nstruct ${n} { ${fs.join(", ")} }`),
  fc.tuple(typeName, fc.constantFrom("<D, Scope>", "<C: QContract>", "")).map(([n, g]) => `struct ${n}${g}`),
  fc.tuple(typeName).map(([n]) => `struct ${n} { ... }`),
  fc.tuple(typeName, fc.array(typeName, { minLength: 1, maxLength: 3 })).map(([n, vs]) => `enum ${n} { ${[...new Set(vs)].map((v, i) => (i % 2 ? `${v}(u64)` : v)).join(", ")} }`),
  fc.tuple(fc.array(annotation, { maxLength: 2 }), ident, fc.array(fc.tuple(ident, type), { maxLength: 3 }), fc.option(type, { nil: null }), expr).map(
    ([as, n, ps, r, body]) => `${as.join("\n")}\nfn ${n}(${ps.map(([p, t]) => `${p}: ${t}`).join(", ")})${r ? ` -> ${r}` : ""} { ${body} }`,
  ),
  fc.tuple(ident, type).map(([n, r]) => `fn ${n}(x: u64) -> ${r}`),
  fc.tuple(ident, type).map(([n, r]) => `fn ${n}() -> ${r} { ... }`),
  fc.tuple(typeName, ident, expr).map(([t, m, b]) => `impl ${t} { pub fn ${m}(&self) -> u64 { ${b} } }`),
  fc.tuple(fc.stringMatching(/^[A-Z][A-Z_]{0,5}$/), intLit).map(([n, v]) => `const ${n}: u64 = ${v};`),
  fc.tuple(ident, ident).map(([a, b]) => `use ${a}::${b}::{${a}, ${b}};`),
);

export const program: fc.Arbitrary<string> = fc.array(item, { minLength: 1, maxLength: 4 }).map((items) => items.join("\n\n") + "\n");
