import { describe, expect, it } from "vitest";
import { codes, diagnose, errors, only, pins, show } from "./support.js";

function clean(src: string): void {
  const ds = diagnose(src);
  expect(ds, show(ds)).toEqual([]);
}

describe("type mismatches (DPL2003)", () => {
  it("names both types and points at the offending expression", () => {
    const d = only(`fn is_ready(pending: u64) -> bool {\n    pending\n}`, "DPL2003");
    expect(d.message).toBe("mismatched types: expected `bool`, found `u64`");
    expect(d.span.start.line).toBe(2);
    expect(d.span.start.column).toBe(5);
  });

  it("never converts between integer widths", () => {
    const d = only(`fn f(a: u32) -> u64 { a }`, "DPL2003");
    expect(d.help).toBe("convert explicitly: `a as u64`");
    clean(`fn f(a: u32) -> u64 { a as u64 }`);
  });

  it("infers unsuffixed literals from context, including through generics and closures", () => {
    clean(`fn id<T>(x: T) -> T { x }
fn f() -> u8 {
    let a: u8 = 200;
    let b = id(3);
    let c = [1, 2, 3];
    let add = |x: u8, y: u8| x + y;
    add(a, b) + c[0]
}`);
  });

  it("reports the branch of an if or match that disagrees", () => {
    expect(pins(`fn f(c: bool) -> u64 {\n    if c {\n        1\n    } else {\n        true\n    }\n}`)).toEqual(["DPL2003@5"]);
    expect(pins(`fn f(c: Option<u64>) -> u64 {\n    match c {\n        Some(v) => v,\n        None => "none",\n    }\n}`)).toEqual(["DPL2003@4"]);
  });

  it("requires bool conditions and unit for an if without else", () => {
    expect(codes(`fn f(n: u64) { if n { } }`)).toEqual(["DPL2003"]);
    expect(codes(`fn f(c: bool) -> u64 { if c { 5 } 6 }`)).toEqual(["DPL2003"]);
  });

  it("reports a body that returns nothing where a value is expected, with a hint for a stray `;`", () => {
    const d = only(`fn f(x: u64) -> u64 {\n    x + 1;\n}`, "DPL2003");
    expect(d.message).toBe("mismatched types: expected `u64`, found `()`");
    expect(d.help).toContain("remove the `;`");
  });

  it("types `?` on Option and Result, and rejects it where the function cannot return the failure", () => {
    clean(`fn parse(x: u64) -> Result<u64, ErrorCode> {
    if x == 0 { return Err(ErrorCode::CONTRACT_INVALID); }
    Ok(x)
}
fn twice(x: u64) -> Result<u64, ErrorCode> {
    let a = parse(x)?;
    Ok(a * 2)
}
fn first(v: Vec<u64>) -> Option<u64> {
    let x = v.first()?;
    Some(*x)
}`);
    expect(codes(`fn g(r: Result<u64, ErrorCode>) -> u64 { r? }`)).toEqual(["DPL2003"]);
    expect(codes(`fn g(r: Result<u64, String>) -> Result<u64, ErrorCode> { let v = r?; Ok(v) }`)).toEqual(["DPL2003"]);
  });

  it("rejects literals that do not fit their type, and negative unsigned values", () => {
    expect(only(`fn f() -> u8 { 300 }`, "DPL2003").message).toBe("the literal `300` does not fit in `u8`");
    expect(codes(`fn f() -> u64 { let x: u64 = -1; x }`)).toEqual(["DPL2003"]);
    expect(codes(`fn f() -> i8 { -128 }`)).toEqual([]);
    expect(codes(`fn f() -> i8 { 128 }`)).toEqual(["DPL2003"]);
  });

  it("lets a string literal stand for a `&str`", () => {
    clean(`fn greet(name: &str) -> usize { name.len() }\nfn f() -> usize { greet("bolt") }\nfn label() -> &str { "x" }`);
  });

  it("checks casts", () => {
    clean(`enum Level { Low, High }
fn f(b: bool, c: char, l: Level) -> u64 { (b as u64) + (c as u64) + (l as u64) + (3.7 as u64) }`);
    expect(codes(`fn f(s: String) -> u64 { s as u64 }`)).toEqual(["DPL2003"]);
  });

  it("concatenates strings with + and converts with to_string()", () => {
    clean(`fn label(id: u64, ok: bool) -> String { "id " + id.to_string().as_str() + ":" + ok.to_string().as_str() }`);
    expect(codes(`fn f(id: u64) -> String { "id " + id }`)).toEqual(["DPL2003"]);
  });
});

describe("arity (DPL2004)", () => {
  it("checks calls, methods, constructors and generic argument counts", () => {
    expect(codes(`fn scale(v: u64, f: u64) -> u64 { v * f }\nfn g() -> u64 { scale(1) }`)).toEqual(["DPL2004"]);
    expect(codes(`fn g(v: Vec<u64>) -> usize { v.len(1) }`)).toEqual(["DPL2004"]);
    expect(codes(`enum E { Pair(u64, u64) }\nfn g() -> E { E::Pair(1) }`)).toEqual(["DPL2004"]);
    expect(codes(`fn g(r: Result<u64>) {}`)).toContain("DPL2004");
    expect(codes(`struct P { x: u64, y: u64 }\nfn g() -> P { P { x: 1 } }`)).toEqual(["DPL2004"]);
  });

  it("allows generic arguments to be left off (`Vec` means `Vec<_>`)", () => {
    clean(`fn count(v: &Vec) -> usize { v.len() }`);
  });
});

describe("fields and methods (DPL2005)", () => {
  it("reports unknown fields with a suggestion and unknown methods", () => {
    const d = only(`struct Point { x: i64, y: i64 }\nfn h(p: Point) -> i64 { p.yy }`, "DPL2005");
    expect(d.help).toBe("did you mean `y`?");
    expect(codes(`fn h(v: Vec<u64>) -> usize { v.size() }`)).toEqual(["DPL2005"]);
  });

  it("keeps opaque struct fields invisible", () => {
    const d = only(`struct QState { ... }\nfn peek(q: QState) -> u64 { q.amplitude }`, "DPL2005");
    expect(d.message).toContain("opaque");
  });

  it("finds inherent and trait methods through references, with generics and bounds", () => {
    clean(`trait Shape { fn area(&self) -> u64; fn double(&self) -> u64 { self.area() * 2 } }
struct Sq { side: u64 }
impl Sq { fn new(side: u64) -> Sq { Sq { side: side } } fn grow(&mut self) { self.side += 1; } }
impl Shape for Sq { fn area(&self) -> u64 { self.side * self.side } }
struct Wrapper<T> { inner: T }
impl<T: Shape> Wrapper<T> { fn total(&self) -> u64 { self.inner.area() + self.inner.double() } }
fn sum<T: Shape>(items: &Vec<T>) -> u64 {
    let mut t = 0;
    for s in items.iter() { t += s.area(); }
    t
}
fn main() -> u64 {
    let mut s = Sq::new(2);
    s.grow();
    let r = &s;
    let w = Wrapper { inner: Sq::new(1) };
    let v = vec![Sq::new(3)];
    r.area() + w.total() + sum(&v)
}`);
  });

  it("reports a missing or foreign trait method in an impl", () => {
    expect(codes(`trait T { fn a(&self) -> u64; }\nstruct S;\nimpl T for S {}`)).toEqual(["DPL2005"]);
    expect(codes(`trait T { fn a(&self) -> u64; }\nstruct S;\nimpl T for S { fn a(&self) -> u64 { 1 } fn b(&self) {} }`)).toEqual(["DPL2005"]);
  });

  it("checks trait bounds at calls", () => {
    expect(codes(`trait Named { fn name(&self) -> String; }\nfn show<T: Named>(x: T) -> String { x.name() }\nfn g() -> String { show(5u64) }`)).toEqual(["DPL2003"]);
  });
});

describe("matches (DPL2006)", () => {
  it("names the missing case", () => {
    const d = only(`enum Light { Red, Yellow, Green }
fn go(l: Light) -> bool {
    match l {
        Light::Green => true,
        Light::Yellow => false,
    }
}`, "DPL2006");
    expect(d.message).toBe("non-exhaustive match: `Light::Red` not covered");
  });

  it("covers bool, Option, Result, nested tuples and payloads; integers need a wildcard", () => {
    expect(only(`fn f(b: bool) -> u64 { match b { true => 1 } }`, "DPL2006").message).toContain("`false`");
    expect(only(`fn f(o: Option<u64>) -> u64 { match o { Some(v) => v } }`, "DPL2006").message).toContain("`None`");
    expect(only(`fn f(r: Result<u64, ErrorCode>) -> u64 { match r { Ok(v) => v } }`, "DPL2006").message).toContain("`Err(_)`");
    expect(only(`fn f(p: (bool, bool)) -> u64 { match p { (true, _) => 1, (false, true) => 2 } }`, "DPL2006").message).toContain("`(false, false)`");
    expect(only(`fn f(o: Option<Option<u64>>) -> u64 { match o { Some(Some(v)) => v, None => 0 } }`, "DPL2006").message).toContain("`Some(None)`");
    // Literal and range patterns split the integers into intervals: the first one missed is named.
    expect(only(`fn f(n: u64) -> u64 { match n { 0 => 1, 1 => 2 } }`, "DPL2006").message).toContain("`2..` not covered");
    expect(only(`fn f(n: i8) -> u8 { match n { i8::MIN..=-1 => 0, 1..=i8::MAX => 2 } }`, "DPL2006").message).toContain("`0` not covered");
    expect(codes(`fn f(n: i8) -> u8 { match n { i8::MIN..=-1 => 0, 0 => 1, 1.. => 2 } }`)).toEqual([]);
    clean(`fn f(n: u64, o: Option<(bool, u64)>) -> u64 {
    let a = match n { 0 => 1, 1..=9 => 2, _ => 3 };
    let b = match o { Some((true, x)) => x, Some((false, _)) => 0, None => 1 };
    a + b
}`);
  });

  it("does not count guarded arms, and rejects refutable `let` patterns", () => {
    expect(codes(`fn f(o: Option<u64>) -> u64 { match o { Some(v) if v > 1 => v, None => 0 } }`)).toEqual(["DPL2006"]);
    expect(codes(`fn f(o: Option<u64>) -> u64 { let Some(v) = o; v }`)).toEqual(["DPL2006"]);
    clean(`fn f(o: Option<u64>) -> u64 { let Some(v) = o else { return 0; }; v }`);
  });

  it("matches through references with default binding modes", () => {
    clean(`enum Shape { Circle { r: u64 }, Rect(u64, u64) }
fn area(s: &Shape) -> u64 {
    match s {
        Shape::Circle { r } => 3 * *r * *r,
        Shape::Rect(w, h) => *w * *h,
    }
}`);
  });
});

describe("mutability (DPL2007)", () => {
  it("rejects assignment to immutable bindings, parameters, and through shared references", () => {
    expect(pins(`fn f(last: u64) -> u64 {\n    let id: u64 = last;\n    id = id + 1;\n    id\n}`)).toEqual(["DPL2007@3"]);
    expect(codes(`fn f(x: u64) -> u64 { x += 1; x }`)).toEqual(["DPL2007"]);
    expect(codes(`struct C { n: u64 }\nfn f(c: &C) { c.n = 1; }`)).toEqual(["DPL2007"]);
    expect(codes(`fn f() -> usize { let v: Vec<u64> = Vec::new(); v.push(1); v.len() }`)).toEqual(["DPL2007"]);
    expect(codes(`fn f() -> u64 { let x = 1; let r = &mut x; *r }`)).toEqual(["DPL2007"]);
  });

  it("allows mutation through `mut` bindings and `&mut` references, and late initialization", () => {
    clean(`struct C { n: u64 }
fn bump(c: &mut C) { c.n += 1; }
fn f() -> u64 {
    let mut c = C { n: 0 };
    bump(&mut c);
    let later;
    later = c.n;
    let mut v = vec![1u64];
    v.push(later);
    v[0] = 5;
    v[0] + v[1]
}`);
  });
});

describe("control flow typing", () => {
  it("types loops with labels and break values", () => {
    clean(`fn find(v: Vec<u64>) -> u64 {
    let mut i = 0;
    let found = 'search: loop {
        while i < v.len() {
            if v[i] > 10 { break 'search v[i]; }
            i += 1;
        }
        break 0;
    };
    for j in 0..3 { if j == 1 { continue; } }
    found
}`);
    expect(codes(`fn f() { while true { break 5; } }`)).toEqual(["DPL2003"]);
  });

  it("types closures from annotations, context and bodies", () => {
    clean(`fn apply(f: fn(u64) -> u64, x: u64) -> u64 { f(x) }
fn main() -> u64 {
    let offset = 3;
    let g = |x| x + offset;
    let mut v = vec![3u64, 1, 2];
    v.sort_by(|a, b| a.cmp(b));
    let doubled: Vec<u64> = v.iter().map(|x| *x * 2).collect();
    apply(g, 1) + doubled[0] + Some(2u64).map(|n| n + 1).unwrap_or(0)
}`);
    expect(codes(`fn apply(f: fn(u64) -> u64) -> u64 { f(1) }\nfn g() -> u64 { apply(|x: bool| 1) }`)).toContain("DPL2003");
  });

  it("checks tuples, arrays, slices, ranges and indexing", () => {
    clean(`fn f(a: [u64; 3], s: &[u64]) -> u64 {
    let (x, y) = (a[0], s[1]);
    let t = (1u8, true);
    let part = &s[0..2];
    x + y + t.0 as u64 + part.len() as u64
}`);
    expect(codes(`fn f(v: Vec<u64>, i: u32) -> u64 { v[i] }`)).toEqual(["DPL2003"]);
  });

  it("reports format string arity", () => {
    expect(codes(`fn f(x: u64) { println!("{} {}", x); }`)).toEqual(["DPL2004"]);
    clean(`fn f(x: u64, name: String) -> String { println!("{x} and {}", name); format!("{:?}", x) }`);
  });

  it("checks the stdlib prelude's Option and Result methods", () => {
    clean(`fn f(o: Option<u64>, r: Result<u64, ErrorCode>) -> u64 {
    let a = o.unwrap_or(0) + o.map(|x| x * 2).unwrap_or(1);
    let b = r.ok().and_then(|x| if x > 0 { Some(x) } else { None }).unwrap_or(0);
    let c = if o.is_some() && r.is_ok() { 1 } else { 0 };
    a + b + c
}`);
  });

  it("gives one diagnostic per mistake (error types do not cascade)", () => {
    expect(errors(`fn f() -> u64 {\n    let x = undefined_thing;\n    let y = x + 1;\n    let z = y.foo().bar;\n    z\n}`).map((d) => d.code)).toEqual(["DPL2001"]);
  });
});
