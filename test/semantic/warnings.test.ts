import { describe, expect, it } from "vitest";
import { diagnose, only, pins } from "./support.js";

describe("unknown annotations (DPL8001)", () => {
  it("warns with a suggestion and keeps checking", () => {
    const d = only(`@determinstic\nfn f(t: u64) -> u64 { t + 1 }`, "DPL8001");
    expect(d.severity).toBe("warning");
    expect(d.help).toBe("did you mean `@deterministic`?");
  });

  it("knows the documented annotations and Rust's derive", () => {
    expect(diagnose(`@domain(K)\n#[derive(Clone)]\nstruct S { x: u64 }\n@noncopy\nstruct T;\n@deterministic\n@bounded(4)\n@audited\nfn f() {}`)).toEqual([]);
  });
});

describe("unused bindings (DPL8002)", () => {
  it("warns for unused lets, parameters, pattern and for-loop bindings, and bindings only assigned", () => {
    expect(pins(`fn area(w: u64, h: u64) -> u64 {\n    let perimeter = 2 * (w + h);\n    w * h\n}`)).toEqual(["DPL8002@2"]);
    expect(pins(`fn f(x: u64) {}`)).toEqual(["DPL8002@1"]);
    expect(pins(`fn f(o: Option<u64>) -> u64 {\n    match o {\n        Some(v) => 1,\n        None => 0,\n    }\n}`)).toEqual(["DPL8002@3"]);
    expect(pins(`fn f(v: Vec<u64>) -> u64 {\n    let mut n = 0;\n    for x in v {\n        n += 1;\n    }\n    n\n}`)).toEqual(["DPL8002@3"]);
    expect(pins(`fn f() {\n    let mut last = 0;\n    last = 5;\n}`)).toEqual(["DPL8002@2"]);
  });

  it("exempts underscore names", () => {
    expect(diagnose(`fn f(_x: u64) { let _y = 1; let _ = 2; }`)).toEqual([]);
  });
});

describe("warnings in files with syntax errors", () => {
  it("are not reported: recovery may have dropped the code that used a binding", () => {
    expect(diagnose(`@determinstic\nfn in_range(low: u64, x: u64, high: u64) -> bool {\n    low < x < high\n}`).map((d) => d.code)).toEqual(["DPL1001"]);
  });
});

describe("unreachable code (DPL8003)", () => {
  it("warns once, at the first statement after one that always leaves the block", () => {
    expect(pins(`fn f(v: Vec<u64>) -> Option<u64> {\n    for x in v {\n        if x % 2 == 0 {\n            return Some(x);\n            break;\n        }\n    }\n    None\n}`)).toEqual(["DPL8003@5"]);
    expect(pins(`fn f() -> u64 {\n    return 1;\n    let a = 2;\n    a\n}`)).toEqual(["DPL8003@3"]);
    expect(pins(`fn f() -> u64 {\n    panic!("no");\n    5\n}`)).toEqual(["DPL8003@3"]);
    expect(pins(`fn f(c: bool) -> u64 {\n    if c { return 1; } else { return 2; }\n    3\n}`)).toEqual(["DPL8003@3"]);
  });

  it("does not warn after a conditional return", () => {
    expect(diagnose(`fn f(c: bool) -> u64 {\n    if c { return 1; }\n    2\n}`)).toEqual([]);
  });
});
