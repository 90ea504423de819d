import { describe, expect, it } from "vitest";
import { codes, diagnose, only, pins, show } from "./support.js";

function clean(src: string, profile: "user" | "kernel" = "user"): void {
  const ds = diagnose(src, profile);
  expect(ds, show(ds)).toEqual([]);
}

const QSTATE = `@domain(Q)\nstruct QState { ... }\nstruct MeasureScope;\n`;

describe("implicit domain coercion (DPL3001)", () => {
  it("rejects XDV-051's must-fail example", () => {
    const d = only(`fn f() {\n    let some_k_value: u64 = 5;\n    let x: DomainType<Q, _> = some_k_value;\n    let _y = x;\n}`, "DPL3001");
    expect(d.span.start.line).toBe(3);
    expect(d.message).toContain("domain Q");
    expect(d.message).toContain("domain K");
    expect(d.related[0]!.message).toBe("expected because of this type");
  });

  it("covers let, assignment, argument, return and field init, and Q to Φ", () => {
    expect(codes(`fn take(_x: Q<u64>) {}\nfn f(v: u64) { take(v); }`)).toEqual(["DPL3001"]);
    expect(codes(`fn f(v: Q<u64>) -> u64 { v }`)).toEqual(["DPL3001"]);
    expect(codes(`fn f(v: u64, mut q: Q<u64>) -> Q<u64> { q = v; q }`)).toEqual(["DPL3001"]);
    expect(codes(`struct Holder { q: Q<u64> }\nfn f(v: u64) -> Holder { Holder { q: v } }`)).toEqual(["DPL3001"]);
    expect(codes(`fn f(v: Q<u64>) -> Φ<u64> { v }`)).toEqual(["DPL3001"]);
    expect(codes(`fn f(v: Vec<Q<u64>>) -> Vec<u64> { v }`)).toEqual(["DPL3001"]);
  });

  it("treats K<T> as T and a Q struct as its own Q type", () => {
    clean(`${QSTATE}fn prepare(seed: u64) -> DomainType<Q, QState>
fn start(seed: K<u64>) -> DomainType<Q, QState> {
    let state: DomainType<Q, _> = prepare(seed);
    state
}
fn id(x: QState) -> Q<QState> { x }`);
  });

  it("materializes literals in the domain of the code that evaluates them", () => {
    clean(`@domain(Φ)\nstruct Env { phases: Vec<u64> }\n@domain(Φ)\nfn reset(env: &mut Env, _t: TransformContract) { env.phases[0] = 0; }\n@domain(Q)\nfn one() -> Q<u64> { 1 }`);
    expect(pins(`fn make() -> Q<u64> {\n    let q: Q<u64> = 5;\n    q\n}`)).toEqual(["DPL3001@2"]);
  });

  it("keeps arithmetic inside a domain, and rejects mixing a Q value with a K variable", () => {
    clean(`@domain(Q)\nfn step(a: Q<u64>, b: Q<u64>) -> Q<u64> { a + b * 2 }`);
    expect(codes(`@domain(Q)\nfn step(a: Q<u64>, k: u64) -> Q<u64> { a + k }`)).toEqual(["DPL3001"]);
  });
});

describe("implicit domain transition (DPL3002)", () => {
  it("rejects a K body calling a Q body, but allows declared projections", () => {
    const d = only(`${QSTATE}@domain(Q)\nfn prepare_bell(s: QState) -> QState { s }\nfn orchestrate(s: QState) -> QState {\n    prepare_bell(s)\n}`, "DPL3002");
    expect(d.span.start.line).toBe(7);
    expect(d.related[0]!.message).toBe("`prepare_bell` runs in domain Q");
    clean(`${QSTATE}fn measure(state: DomainType<Q, QState>, cap: Capability<Q, MeasureScope>) -> DomainType<K, u64>
fn read(state: QState, cap: Capability<Q, MeasureScope>) -> u64 { measure(state, cap) }`);
  });

  it("applies to methods (impl-type domain) and to runtime functions with bodies", () => {
    expect(codes(`${QSTATE}impl QState { fn rotate(self) -> QState { self } }\nfn f(q: QState) -> QState { q.rotate() }`)).toEqual(["DPL3002"]);
    expect(codes(`@domain(Φ)\nfn note() { k_log("phase") }`)).toEqual(["DPL3002"]);
  });

  it("lets any domain use the prelude's library functions", () => {
    clean(`@domain(Q)\nfn pick(o: Option<Q<u64>>, d: Q<u64>) -> Q<u64> { o.unwrap_or(d) }`);
  });
});

describe("raw state exposure (DPL3003)", () => {
  const REG = `@domain(Q)\nstruct QRegister { amplitude: f64, qubit_count: K<u32> }\n`;
  it("rejects K code reading, writing, indexing, casting and formatting Q/Φ state", () => {
    expect(pins(`${REG}fn peek(r: QRegister) -> Q<f64> {\n    r.amplitude\n}`)).toEqual(["DPL3003@4"]);
    expect(codes(`${REG}fn poke(mut r: QRegister, a: Q<f64>) -> QRegister { r.amplitude = a; r }`)).toEqual(["DPL3003"]);
    expect(codes(`fn idx(v: Φ<Vec<u64>>) -> Φ<u64> { v[0] }`)).toEqual(["DPL3003"]);
    expect(codes(`fn cast(v: Q<u64>) -> u32 { v as u32 }`)).toEqual(["DPL3003"]);
    expect(codes(`fn show(v: Q<u64>) { println!("{}", v); }`)).toEqual(["DPL3003"]);
    expect(codes(`fn show(v: Q<u64>) -> String { v.to_string() }`)).toEqual(["DPL3003"]);
  });

  it("allows K<...> metadata fields and Q code reading its own state", () => {
    clean(`${REG}fn qubits(r: QRegister) -> u32 { r.qubit_count }
@domain(Q)
fn amp(r: QRegister) -> Q<f64> { r.amplitude }`);
  });
});

describe("cross-domain reference sharing (DPL3004)", () => {
  it("rejects storing a reference to a Φ value in a K location", () => {
    const d = only(`@domain(K)\nstruct PhaseMonitor { view: &u64 }\nfn watch(phase: &Φ<u64>) -> PhaseMonitor {\n    PhaseMonitor { view: phase }\n}`, "DPL3004");
    expect(d.span.start.line).toBe(4);
    expect(codes(`fn f(p: &Φ<u64>) { let _v: &u64 = p; }`)).toEqual(["DPL3004"]);
  });

  it("allows references within their domain", () => {
    clean(`@domain(Φ)\nstruct Env { ... }\nstruct Monitor<'a> { env: &Env }\nfn watch(e: &Env) -> Monitor { Monitor { env: e } }`.replace("<'a>", ""));
  });
});

describe("invalid domain annotations (DPL3005)", () => {
  it("rejects unknown domains and conflicting annotations", () => {
    expect(codes(`@domain(X)\nstruct S;`)).toEqual(["DPL3005"]);
    expect(only(`@domain(Phy)\nfn f() {}`, "DPL3005").help).toBe("did you mean `Phi`?");
    expect(codes(`@domain(K) @domain(Φ)\nstruct S;`)).toEqual(["DPL3005"]);
    expect(codes(`fn f(_x: DomainType<u64, u64>) {}`)).toEqual(["DPL3005"]);
    expect(codes(`fn f(_x: DomainType<Qq, u64>) {}`)).toEqual(["DPL2001"]);
  });

  it("accepts Phi as the ASCII alias of Φ everywhere", () => {
    clean(`@domain(Phi)\nstruct Env { ... }\n@domain(Φ)\nfn f(e: Env) -> Phi<Env> { e }\nfn tag() -> DomainTag { DomainTag::Phi }\nfn same(t: DomainTag) -> bool { match t { DomainTag::Φ => true, _ => false } }`);
  });
});
