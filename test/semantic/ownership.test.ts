import { describe, expect, it } from "vitest";
import { codes, diagnose, only, pins, show } from "./support.js";

function clean(src: string): void {
  const ds = diagnose(src);
  expect(ds, show(ds)).toEqual([]);
}

const Q = `@domain(Q)\nstruct QState { ... }\nstruct MeasureScope;\nfn measure(state: QState, cap: Capability<Q, MeasureScope>) -> K<u64>\n`;

describe("duplication of Q and @noncopy values (DPL4001)", () => {
  it("rejects .clone() on Q state and on @noncopy types, but not on K types", () => {
    const d = only(`${Q}fn f(state: QState) -> QState {\n    state.clone()\n}`, "DPL4001");
    expect(d.message).toContain("Q state cannot be cloned");
    expect(codes(`@noncopy\nstruct Token { id: u64 }\nfn f(t: &Token) -> Token { t.clone() }`)).toEqual(["DPL4001"]);
    clean(`struct Config { name: String }\nfn f(c: &Config) -> String { let d = c.name.clone(); d }`);
  });

  it("rejects serializing unmeasured Q state in Q code (formatting it)", () => {
    expect(codes(`@domain(Q)\nfn dump(q: Q<u64>) -> String { format!("{}", q) }`)).toEqual(["DPL4001"]);
    expect(codes(`@domain(Q)\nfn dump(q: Q<u64>) -> String { q.to_string() }`)).toEqual(["DPL4001"]);
  });

  it("rejects Clone/Copy impls and derives on such types, and `[q; n]`", () => {
    expect(codes(`${Q}impl Clone for QState { fn clone(&self) -> QState { ... } }`)).toEqual(["DPL4001"]);
    expect(codes(`@noncopy\n#[derive(Copy, Clone)]\nstruct Token { id: u64 }`)).toEqual(["DPL4001"]);
    expect(codes(`${Q}fn f(q: QState) -> [QState; 2] { [q; 2] }`)).toEqual(["DPL4001"]);
  });
});

describe("use after move (DPL4002)", () => {
  it("reports the use, with the move as a related span, and says Q state cannot be cloned", () => {
    const d = only(`${Q}fn f(state: QState, cap: Capability<Q, MeasureScope>) -> (u64, QState) {
    let outcome = measure(state, cap);
    (outcome, state)
}`, "DPL4002");
    expect(d.message).toBe("use of moved value `state`: Q state cannot be cloned");
    expect(d.span.start.line).toBe(7);
    expect(d.related).toHaveLength(1);
    expect(d.related[0]!.message).toBe("value moved here");
    expect(d.related[0]!.span.start.line).toBe(6);
  });

  it("moves non-copy K values and copies primitives, references and tuples of them", () => {
    expect(only(`fn take(s: String) -> usize { s.len() }\nfn f(s: String) -> usize { let a = take(s); a + s.len() }`, "DPL4002").message).toBe("use of moved value `s`");
    clean(`fn f(n: u64, r: &String, t: (u64, bool)) -> u64 { let a = n; let b = r; let c = t; let d = t; n + a + (b.len() as u64) + r.len() as u64 + c.0 + d.0 }`);
  });

  it("is flow sensitive: one branch means maybe moved, every branch with a break is fine", () => {
    expect(pins(`fn take(s: String) {}\nfn f(s: String, c: bool) -> usize {\n    if c {\n        take(s);\n    }\n    s.len()\n}`)).toEqual(["DPL8002@1", "DPL4002@6"]);
    clean(`fn take(_s: String) {}\nfn f(s: String, c: bool) { if c { take(s); } else { take(s); } }`);
    clean(`fn take(_s: String) {}\nfn f(s: String) { loop { take(s); break; } }`);
  });

  it("sees a move in one loop iteration from the next, unless the value is re-assigned", () => {
    expect(codes(`fn take(s: String) {}\nfn f(s: String) { loop { take(s); } }`).filter((c) => c !== "DPL8002")).toEqual(["DPL4002"]);
    expect(codes(`fn take(s: String) {}\nfn f(s: String, n: u64) { let mut i = 0; while i < n { take(s); i += 1; } }`).filter((c) => c !== "DPL8002")).toEqual(["DPL4002"]);
    clean(`fn take(_s: String) {}\nfn f(mut s: String) { let mut i = 0; while i < 3 { take(s); s = String::new(); i += 1; } }`);
  });

  it("tracks shadowing, partial moves, struct update and match payloads", () => {
    clean(`fn take(_s: String) {}\nfn f(s: String) -> usize { take(s); let s = String::new(); s.len() }`);
    expect(codes(`struct P { name: String, tag: String }\nfn take(_s: String) {}\nfn f(p: P) -> P { take(p.name); p }`)).toEqual(["DPL4002"]);
    clean(`struct P { name: String, tag: String }\nfn take(_s: String) {}\nfn f(p: P) -> String { take(p.name); p.tag }`);
    expect(codes(`fn take(_s: Option<String>) {}\nfn f(o: Option<String>) -> usize { let n = match o { Some(s) => s.len(), None => 0 }; take(o); n }`)).toEqual(["DPL4002"]);
    clean(`fn f(o: &Option<String>) -> usize { match o { Some(s) => s.len(), None => 0 } }`);
  });

  it("moves the receiver of a `self` method and values captured by move closures", () => {
    expect(codes(`struct Job { id: u64 }\nimpl Job { fn submit(self) -> u64 { self.id } }\nfn f(j: Job) -> u64 { let a = j.submit(); a + j.id }`)).toEqual(["DPL4002"]);
    clean(`struct Job { id: u64 }\nimpl Job { fn peek(&self) -> u64 { self.id } }\nfn f(j: Job) -> u64 { j.peek() + j.peek() }`);
    expect(codes(`fn f(s: String) -> usize { let g = move || s.len(); g() + s.len() }`)).toEqual(["DPL4002"]);
    expect(codes(`fn take(_s: String) {}\nfn f(s: String) -> usize { let g = || take(s); g(); s.len() }`)).toEqual(["DPL4002"]);
    clean(`fn f(s: String) -> usize { let g = || s.len(); g() + s.len() }`);
  });

  it("re-borrows &mut references instead of moving them", () => {
    clean(`struct C { n: u64 }\nfn bump(c: &mut C) { c.n += 1; }\nfn twice(c: &mut C) { bump(c); bump(c); }`);
  });
});

describe("Φ mutable aliasing (DPL4003)", () => {
  const ENV = `@domain(Φ)\nstruct PhiEnvelope { ... }\n@domain(Φ)\nfn apply(env: &mut PhiEnvelope, t: TransformContract)\n@domain(Φ)\nfn stability(env: &PhiEnvelope) -> u32\n`;
  it("rejects a &mut borrow while a shared borrow held in a binding is still used", () => {
    const d = only(`${ENV}@domain(Φ)\nfn retune(mut env: PhiEnvelope, t: TransformContract) -> u32 {\n    let before = &env;\n    apply(&mut env, t);\n    stability(before)\n}`, "DPL4003");
    expect(d.span.start.line).toBe(10);
    expect(d.related[0]!.span.start.line).toBe(9);
  });

  it("rejects two borrows of one Φ value in one call, and allows sequential borrows", () => {
    expect(codes(`${ENV}@domain(Φ)\nfn both(a: &mut PhiEnvelope, b: &PhiEnvelope) -> u32\n@domain(Φ)\nfn f(mut env: PhiEnvelope) -> u32 { both(&mut env, &env) }`)).toEqual(["DPL4003"]);
    clean(`${ENV}@domain(Φ)\nfn f(mut env: PhiEnvelope, t: TransformContract) -> u32 { let s = stability(&env); apply(&mut env, t); s + stability(&env) }`);
  });

  it("does not apply to K values", () => {
    clean(`fn both(a: &mut Vec<u64>, b: &Vec<u64>) -> usize { a.len() + b.len() }\nfn f(mut v: Vec<u64>, w: Vec<u64>) -> usize { let r = &w; both(&mut v, r) + r.len() }`);
  });
});

describe("Φ mutation outside a transform contract (DPL4004)", () => {
  const ENV = `@domain(Φ)\nstruct PhiEnvelope { phase_offset: u64 }\n`;
  it("rejects writing a Φ field without a contract parameter", () => {
    expect(pins(`${ENV}@domain(Φ)\nfn shift(env: &mut PhiEnvelope, d: Φ<u64>) {\n    env.phase_offset += d;\n}`)).toEqual(["DPL4004@5"]);
  });

  it("accepts a TransformContract or a PhiContract-bounded parameter", () => {
    clean(`${ENV}@domain(Φ)\nfn shift(env: &mut PhiEnvelope, d: Φ<u64>, _c: TransformContract) { env.phase_offset += d; }`);
    clean(`${ENV}@domain(Φ)\nfn shift<C: PhiContract>(env: &mut PhiEnvelope, d: Φ<u64>, _c: &C) { env.phase_offset = d; }`);
    expect(codes(`${ENV}@domain(Φ)\nfn shift<C: QContract>(env: &mut PhiEnvelope, d: Φ<u64>, _c: &C) { env.phase_offset = d; }`)).toEqual(["DPL4004"]);
  });
});
