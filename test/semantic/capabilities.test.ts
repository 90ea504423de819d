import { describe, expect, it } from "vitest";
import { codes, diagnose, only, show } from "./support.js";

function clean(src: string): void {
  const ds = diagnose(src);
  expect(ds, show(ds)).toEqual([]);
}

describe("missing capability parameter (DPL5001)", () => {
  it("rejects an xdv_call in a function without a capability parameter, at the capability argument", () => {
    const d = only(`fn submit(job: QJobDescriptor, cap_id: u64) -> Result<MeasurementHandle, ErrorCode> {\n    xdv_call(K, Q, job.ptr(), cap_id);\n}`, "DPL5001");
    expect(d.span.start.line).toBe(2);
    expect(d.span.start.column).toBe(31);
  });

  it("rejects a literal id even when a capability parameter exists", () => {
    expect(codes(`fn submit(job: QJobDescriptor, cap: CapabilityHandle) -> Result<MeasurementHandle, ErrorCode> {\n    let _c = cap;\n    xdv_call(K, Q, job.ptr(), 7);\n}`)).toEqual(["DPL5001"]);
  });

  it("accepts the parameter itself, its raw id, and a binding of the raw id", () => {
    clean(`fn a(job: QJobDescriptor, cap: CapabilityHandle) -> Result<MeasurementHandle, ErrorCode> { xdv_call(K, Q, job.ptr(), cap.raw()); }
fn b(job: QJobDescriptor, cap: &CapabilityHandle) -> Result<MeasurementHandle, ErrorCode> { let id = cap.raw(); xdv_call(K, Q, job.ptr(), id); }
fn c(t: PhiTransformDescriptor, cap: Capability<Φ, u8>) -> Result<PhiTransformResult, ErrorCode> { xdv_call(K, Φ, t.ptr(), cap.raw()); }`);
  });

  it("requires a capability parameter on @capability(required) functions, with or without a body", () => {
    expect(codes(`@capability(required)\nfn reset(device: u64) -> u64 { device }`)).toEqual(["DPL5001"]);
    expect(codes(`@capability(required)\nfn reset(device: u64) -> u64`)).toEqual(["DPL5001"]);
    clean(`struct ResetScope;\n@capability(required)\nfn reset(device: u64, _cap: Capability<K, ResetScope>) -> u64 { device }`);
  });

  it("does not apply to a module's own function named xdv_call", () => {
    clean(`fn xdv_call(a: u64, b: u64) -> u64 { a + b }\nfn f() -> u64 { xdv_call(1, 2) }`);
  });
});

describe("forged capabilities (DPL5002)", () => {
  it("rejects struct literals and integer casts of capabilities in user code", () => {
    expect(codes(`fn f() -> CapabilityHandle { CapabilityHandle { raw_id: 7, domain: DomainTag::Q } }`)).toEqual(["DPL5002"]);
    expect(codes(`fn f() -> CapabilityHandle { 7 as CapabilityHandle }`)).toEqual(["DPL5002"]);
    expect(codes(`fn f(v: &mut Vec<CapabilityHandle>) { v.push(CapabilityHandle { raw_id: 1, domain: DomainTag::K }); }`)).toEqual(["DPL5002"]);
  });

  it("lets the stdlib's runtime modules build them (its own code checks clean)", () => {
    clean(`fn f(cap: CapabilityHandle) -> u64 { cap.raw() }`);
  });
});

describe("capability domain mismatch (DPL5003)", () => {
  it("rejects a Capability<Φ, _> where Capability<Q, _> is required", () => {
    const d = only(`struct S;\nfn measure(cap: Capability<Q, S>) -> u64\nfn read(cap: Capability<Φ, S>) -> u64 {\n    measure(cap)\n}`, "DPL5003");
    expect(d.message).toBe("capability domain mismatch: expected `Capability<Q, S>`, found `Capability<Φ, S>`");
    expect(codes(`struct S;\nfn f(cap: Capability<K, S>) -> Capability<Q, S> { cap }`)).toEqual(["DPL5003"]);
  });

  it("rejects an xdv_call whose target differs from the capability's static domain", () => {
    const d = only(`struct S;\nfn f(job: QJobDescriptor, cap: Capability<Φ, S>) -> Result<MeasurementHandle, ErrorCode> {\n    xdv_call(K, Q, job.ptr(), cap.raw());\n}`, "DPL5003");
    expect(d.message).toContain("grants Φ");
  });
});

describe("operations on contract-unbound types (DPL5004)", () => {
  it("rejects unbound Q state where a contract-bound type is required", () => {
    const src = `@domain(Q)
struct QState { ... }
@domain(Q)
struct BoundQState<C: QResourceContract> { ... }
struct RunScope;
fn execute<C: QResourceContract>(state: BoundQState<C>, cap: Capability<Q, RunScope>) -> K<u64>
`;
    expect(codes(`${src}fn run(state: QState, cap: Capability<Q, RunScope>) -> u64 { execute(state, cap) }`)).toEqual(["DPL5004"]);
    clean(`${src}fn run<C: QResourceContract>(state: BoundQState<C>, cap: Capability<Q, RunScope>) -> u64 { execute(state, cap) }`);
  });

  it("rejects calling a contract-bound type's method on unbound state", () => {
    const src = `@domain(Q)\nstruct QState { ... }\n@domain(Q)\nstruct BoundQState<C: QResourceContract> { ... }\nimpl<C: QResourceContract> BoundQState<C> { fn run(self) -> K<u64> { ... } }\n`;
    expect(codes(`${src}fn go(s: QState) -> u64 { s.run() }`)).toEqual(["DPL5004"]);
    clean(`${src}fn go<C: QResourceContract>(s: BoundQState<C>) -> u64 { s.run() }`);
  });

  it("rejects instantiating a contract parameter with a type that is not a contract", () => {
    expect(codes(`@domain(Φ)\nstruct PhiEnvelope<C: PhiContract> { ... }\nfn open<C: PhiContract>(c: C) -> PhiEnvelope<C>\nfn f() -> PhiEnvelope<u64> { open(5u64) }`)).toContain("DPL5004");
  });
});
