import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkSources } from "../../src/compiler/check.js";
import { loadSource } from "../../src/compiler/sources.js";
import { codes, diagnose, errors, only, pins, show } from "./support.js";

describe("unresolved names (DPL2001)", () => {
  it("reports a misspelled function with a suggestion", () => {
    const d = only(
      `fn square(x: u64) -> u64 { x * x }
fn area(side: u64) -> u64 {
    sqare(side)
}`,
      "DPL2001",
    );
    expect(d.span.start.line).toBe(3);
    expect(d.message).toContain("`sqare`");
    expect(d.help).toBe("did you mean `square`?");
  });

  it("suggests locals for a misspelled variable", () => {
    const d = only(`fn f(count: u64) -> u64 { let total = count; totl }`, "DPL2001");
    expect(d.help).toBe("did you mean `total`?");
  });

  it("reports an unknown type and an unknown macro", () => {
    expect(pins(`fn f(x: Strng) {}\nfn g() { printn!("x"); }`)).toEqual(["DPL8002@1", "DPL2001@1", "DPL2001@2"]);
  });

  it("does not see a `let` binding outside its block", () => {
    expect(pins(`fn f() -> u64 {\n    {\n        let inner = 1;\n    }\n    inner\n}`)).toEqual(["DPL8002@3", "DPL2001@5"]);
  });

  it("reports kernel-prelude names in user code only", () => {
    const src = `fn now() -> u64 { global_now() }`;
    expect(codes(src, "user")).toEqual(["DPL2001"]);
    expect(errors(src, "kernel")).toEqual([]);
  });

  it("rejects an undeclared loop label", () => {
    expect(codes(`fn f() { loop { break 'outer; } }`)).toEqual(["DPL2001"]);
  });
});

describe("duplicate definitions (DPL2002)", () => {
  it("reports the second definition, pointing at the first", () => {
    const d = only(`struct Sensor { id: u64 }\nstruct Sensor { id: u64, label: String }`, "DPL2002");
    expect(d.span.start.line).toBe(2);
    expect(d.related[0]!.span.start.line).toBe(1);
  });

  it("covers fields, variants, parameters, struct/enum pairs and duplicate imports", () => {
    expect(codes(`struct P { x: u64, x: u64 }`)).toEqual(["DPL2002"]);
    expect(codes(`enum E { A, A }`)).toEqual(["DPL2002"]);
    expect(codes(`fn f(a: u64, a: u64) -> u64 { a }`)).toContain("DPL2002");
    expect(codes(`struct Thing;\nenum Thing { A }`)).toEqual(["DPL2002"]);
    expect(codes(`mod m { pub fn f() {} }\nuse m::f;\nuse m::f;\nfn g() { f() }`)).toEqual(["DPL2002"]);
  });

  it("allows a function and a struct of the same name (different namespaces) and let shadowing", () => {
    expect(errors(`struct Reading { v: u64 }\nfn reading(x: u64) -> Reading { let x = x + 1; Reading { v: x } }`)).toEqual([]);
  });
});

describe("modules and use paths", () => {
  it("resolves simple, grouped, aliased and glob imports of inline modules", () => {
    const src = `mod geometry {
    pub struct Point { pub x: i64, pub y: i64 }
    pub fn origin() -> Point { Point { x: 0, y: 0 } }
    pub mod units { pub const SCALE: i64 = 10; }
}
mod shapes {
    pub enum Shape { Dot, Line(i64) }
}
use geometry::{Point, origin as zero, units::SCALE};
use shapes::Shape::*;
use shapes::Shape;
fn scaled(p: Point) -> i64 { p.x * SCALE }
fn classify(s: Shape) -> i64 {
    match s {
        Dot => 0,
        Line(n) => n,
    }
}
fn main() -> i64 { scaled(zero()) + classify(Line(3)) + geometry::units::SCALE }`;
    const ds = diagnose(src);
    expect(ds, show(ds)).toEqual([]);
  });

  it("hides private items from other modules (DPL2001) but not from the module itself", () => {
    const src = `mod vault {
    fn secret() -> u64 { 42 }
    pub fn reveal() -> u64 { secret() }
}
fn main() -> u64 { vault::secret() + vault::reveal() }`;
    const d = only(src, "DPL2001");
    expect(d.message).toContain("private");
    expect(d.span.start.line).toBe(5);
  });

  it("supports `crate::`, `self::` and `super::`", () => {
    const src = `mod a {
    pub fn one() -> u64 { 1 }
    pub mod b {
        pub fn two() -> u64 { super::one() + self::three() + crate::a::one() }
        pub fn three() -> u64 { 3 }
    }
}
fn main() -> u64 { a::b::two() }`;
    expect(diagnose(src)).toEqual([]);
  });

  it("reports an unresolved import with a suggestion", () => {
    const d = only(`mod m { pub fn compute() {} }\nuse m::compte;\nfn main() {}`, "DPL2001");
    expect(d.help).toBe("did you mean `compute`?");
  });

  it("imports from the stdlib by path", () => {
    const src = `use runtime::domain::q_api::submit_q_job;
fn go(job: QJobDescriptor, cap: CapabilityHandle) -> Result<MeasurementHandle, ErrorCode> {
    submit_q_job(job, cap)
}`;
    const ds = diagnose(src);
    expect(ds, show(ds)).toEqual([]);
  });

  it("puts the corpus's runtime items in the prelude although the spec's code has no `pub`", () => {
    const ds = diagnose(`fn log_job(ctx: HybridProcessContext, m: K<String>) -> u64 { k_log(m); ctx.pid }`);
    expect(ds, show(ds)).toEqual([]);
  });

  it("treats a restated prelude type as that type, and a changed one as a type of its own", () => {
    const same = `struct CapabilityHandle {\n    raw_id: u64,\n    domain: DomainTag\n}\nfn go(job: QJobDescriptor, cap: CapabilityHandle) -> Result<MeasurementHandle, ErrorCode> { submit_q_job(job, cap) }`;
    expect(diagnose(same)).toEqual([]);
    const other = `struct CapabilityHandle {\n    raw_id: u64\n}\nfn go(job: QJobDescriptor, cap: CapabilityHandle) -> Result<MeasurementHandle, ErrorCode> { submit_q_job(job, cap) }`;
    expect(codes(other)).toEqual(["DPL2003"]);
    expect(diagnose(`enum DomainTag { K, Q, Phi }\nfn f() -> DomainTag { DomainTag::Phi }\nfn g(t: DomainTag) -> bool { match t { DomainTag::Φ => true, _ => false } }\nfn h() -> bool { g(f()) && g(Φ) }`)).toEqual([]);
  });

  it("reports the same inherent method defined in two impl blocks", () => {
    expect(codes(`struct S;\nimpl S { fn a(&self) {} }\nimpl S { fn a(&self) {} }`)).toEqual(["DPL2002"]);
  });

  it("lets a module's own items shadow prelude items", () => {
    const src = `fn k_log(message: String) -> u64 { message.len() as u64 }
enum ErrorCode { Mine }
fn f() -> u64 { k_log("hi") }
fn g() -> ErrorCode { ErrorCode::Mine }`;
    expect(diagnose(src)).toEqual([]);
  });
});

describe("file modules", () => {
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "dplc-mods-"));
    writeFileSync(join(dir, "main.ds"), `mod geometry;\nmod units;\nuse geometry::area;\nfn main() -> u64 { area(2, 3) + units::scale() }\n`);
    writeFileSync(join(dir, "geometry.ds"), `pub fn area(w: u64, h: u64) -> u64 { w * h }\nfn unused_helper() -> u64 { undefined_name }\n`);
    mkdirSync(join(dir, "units"));
    writeFileSync(join(dir, "units", "mod.ds"), `pub fn scale() -> u64 { 10 }\n`);
    writeFileSync(join(dir, "broken.ds"), `mod missing;\nfn main() {}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function check(...files: string[]) {
    const sources = files.map((f) => {
      const r = loadSource(join(dir, f));
      if (!r.ok) throw new Error(r.error);
      return r.source;
    });
    return checkSources(sources, { profile: "user", allBlocks: false }).diagnostics;
  }

  it("loads `mod m;` from `m.ds` and `m/mod.ds`, and reports errors inside them", () => {
    const ds = check("main.ds");
    expect(ds.map((d) => `${d.code} ${d.span.file.endsWith("geometry.ds")}`)).toEqual(["DPL2001 true"]);
  });

  it("checks a file that is also given as a source only once, as the submodule", () => {
    const ds = check("main.ds", "geometry.ds");
    expect(ds.filter((d) => d.code === "DPL2001")).toHaveLength(1);
  });

  it("reports a missing module file", () => {
    const ds = check("broken.ds");
    expect(ds.map((d) => d.code)).toEqual(["DPL2001"]);
    expect(ds[0]!.help).toContain("missing.ds");
  });
});
