/**
 * Programs with long left-associative chains of every kind, and what they print (Rust's
 * semantics, computed here, never by dplc). Shared by test/syntax/chains.test.ts.
 */
export interface ChainKind {
  readonly name: string;
  /** Statements of `main` (indented by 4) that print one line. */
  readonly body: (n: number) => string;
  readonly expect: (n: number) => string;
}

const rep = (s: string, n: number): string => s.repeat(n);

export const CHAIN_KINDS: readonly ChainKind[] = [
  { name: "+", body: (n) => `let x: i64 = 0;\n    println!("{}", x${rep(" + 1", n)});`, expect: (n) => `${n}` },
  { name: "-", body: (n) => `let x: i64 = ${n};\n    println!("{}", x${rep(" - 1", n)});`, expect: () => "0" },
  { name: "*", body: (n) => `let x: i64 = 3;\n    println!("{}", x${rep(" * 1", n)});`, expect: () => "3" },
  { name: "/", body: (n) => `let x: u64 = 1000000;\n    println!("{}", x${rep(" / 1", n)});`, expect: () => "1000000" },
  { name: "%", body: (n) => `let x: i32 = 7;\n    println!("{}", x${rep(" % 10", n)});`, expect: () => "7" },
  { name: "^", body: (n) => `let x: u32 = 5;\n    println!("{}", x${rep(" ^ 1", n)});`, expect: (n) => (n % 2 === 1 ? "4" : "5") },
  { name: "|", body: (n) => `let x: u32 = 5;\n    println!("{}", x${rep(" | 2", n)});`, expect: () => "7" },
  { name: "&", body: (n) => `let x: u8 = 7;\n    println!("{}", x${rep(" & 7", n)});`, expect: () => "7" },
  { name: "<<", body: (n) => `let x: u64 = 1;\n    println!("{}", x${rep(" << 0", n)});`, expect: () => "1" },
  { name: "&&", body: (n) => `let t: bool = true;\n    println!("{}", t${rep(" && t", n)});`, expect: () => "true" },
  { name: "||", body: (n) => `let f: bool = false;\n    println!("{}", f${rep(" || f", n)} || true);`, expect: () => "true" },
  { name: "+ and *", body: (n) => `let x: i64 = 0;\n    println!("{}", x${rep(" + 2 * 3", n)});`, expect: (n) => `${6 * n}` },
  { name: "f64 +", body: (n) => `let x: f64 = 0.5;\n    println!("{}", x${rep(" + 1.0", n)});`, expect: (n) => `${n}.5` },
  { name: "string +", body: (n) => `let s: String = String::new()${rep(' + "a"', n)};\n    println!("{}", s.len());`, expect: (n) => `${n}` },
  { name: "method", body: (n) => `let x: i64 = 0;\n    println!("{}", x${rep(".wrapping_add(1)", n)});`, expect: (n) => `${n}` },
  { name: "clone", body: (n) => `let s: String = String::from("ab");\n    println!("{}", s${rep(".clone()", n)}.len());`, expect: () => "2" },
  { name: "as", body: (n) => `let x: i64 = 7;\n    println!("{}", x${rep(" as i32 as i64", Math.ceil(n / 2))});`, expect: () => "7" },
  { name: "in if", body: (n) => `let x: i64 = 1;\n    let c: bool = x > 0;\n    let v: i64 = if c { x${rep(" + 1", n)} } else { x${rep(" - 1", n)} };\n    println!("{}", v);`, expect: (n) => `${n + 1}` },
  { name: "in while", body: (n) => `let mut i: i64 = 0;\n    while i${rep(" + 0", n)} < 3 {\n        i = i + 1;\n    }\n    println!("{}", i);`, expect: () => "3" },
  { name: "in closure", body: (n) => `let f = |y: i64| y${rep(" + 1", n)};\n    println!("{}", f(1));`, expect: (n) => `${n + 1}` },
  { name: "short-circuit", body: (n) => `let v: Vec<i64> = Vec::new();\n    let ok: bool = v.len() > 0${rep(" && v[0] == 0", n)};\n    println!("{}", ok);`, expect: () => "false" },
];

/** One program with a chain of `n` links of every kind, one line each. */
export function chainsProgram(n: number, kinds: readonly ChainKind[] = CHAIN_KINDS): { text: string; stdout: string } {
  const fns = kinds.map((k, i) => `fn chain${i}() {\n    ${k.body(n)}\n}\n`).join("\n");
  const main = `fn main() {\n${kinds.map((_, i) => `    chain${i}();\n`).join("")}}\n`;
  return { text: `${fns}\n${main}`, stdout: kinds.map((k) => k.expect(n) + "\n").join("") };
}
