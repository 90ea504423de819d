import { describe, expect, it } from "vitest";
import { codes, diagnose, errors, only, show } from "./support.js";

describe("nondeterminism in deterministic code (DPL6001)", () => {
  it("names the call path through plain callees, reporting at the deterministic function's call", () => {
    const d = only(`fn jitter() -> u64 {\n    random_u64() % 16\n}\n@deterministic\nfn backoff(n: u64) -> u64 {\n    n * 100 + jitter()\n}`, "DPL6001");
    expect(d.span.start.line).toBe(6);
    expect(d.message).toContain("backoff -> jitter -> random_u64");
    expect(d.related[0]!.span.start.line).toBe(2);
  });

  it("reports direct calls of every primitive", () => {
    expect(codes(`@deterministic\nfn f() -> u64 { wall_clock() }`)).toEqual(["DPL6001"]);
    expect(codes(`@deterministic\nfn f() -> bool { env_var("HOME").is_some() }`)).toEqual(["DPL6001"]);
    expect(codes(`fn work() {}\n@deterministic\nfn f() -> u64 { spawn_thread(work) }`)).toEqual(["DPL6001"]);
  });

  it("applies to every function under the kernel profile, once per mistake", () => {
    const src = `fn stamp() -> u64 { wall_clock() }\nfn log_it() -> u64 { stamp() }`;
    expect(codes(src, "kernel")).toEqual(["DPL6001"]);
    expect(errors(src, "user")).toEqual([]);
  });

  it("ignores a misspelled annotation (DPL8001 only)", () => {
    expect(codes(`@determinstic\nfn f() -> u64 { wall_clock() }`)).toEqual(["DPL8001"]);
  });
});

describe("kernel profile: recursion (DPL6002)", () => {
  it("reports direct and mutual recursion without @bounded, and accepts bounded recursion", () => {
    expect(codes(`fn depth(n: u64) -> u64 { if n == 0 { 0 } else { 1 + depth(n - 1) } }`, "kernel")).toEqual(["DPL6002"]);
    expect(codes(`fn even(n: u64) -> bool { if n == 0 { true } else { odd(n - 1) } }\nfn odd(n: u64) -> bool { if n == 0 { false } else { even(n - 1) } }`, "kernel")).toEqual(["DPL6002", "DPL6002"]);
    expect(diagnose(`@bounded(64)\nfn depth(n: u64) -> u64 { if n == 0 { 0 } else { 1 + depth(n - 1) } }`, "kernel")).toEqual([]);
    expect(diagnose(`fn depth(n: u64) -> u64 { if n == 0 { 0 } else { 1 + depth(n - 1) } }`, "user")).toEqual([]);
  });
});

describe("kernel profile: static mut (DPL6003)", () => {
  it("reports direct reads and writes, and accepts explicit &mut borrows", () => {
    expect(codes(`static mut NEXT: u64 = 0;\nfn alloc() -> u64 { NEXT += 1; NEXT }`, "kernel")).toEqual(["DPL6003", "DPL6003"]);
    const ok = `static mut NEXT: u64 = 0;\nfn bump(c: &mut u64) -> u64 { *c += 1; *c }\nfn alloc() -> u64 { bump(&mut NEXT) }`;
    const ds = diagnose(ok, "kernel");
    expect(ds, show(ds)).toEqual([]);
    expect(diagnose(`static mut NEXT: u64 = 0;\nfn alloc() -> u64 { NEXT += 1; NEXT }`, "user")).toEqual([]);
  });
});

describe("kernel profile: unsafe (DPL6004)", () => {
  it("requires @audited on the function around an unsafe block", () => {
    expect(codes(`fn mmio(a: u64) -> u64\nfn read(b: u64) -> u64 { unsafe { mmio(b + 16) } }`, "kernel")).toEqual(["DPL6004"]);
    expect(diagnose(`fn mmio(a: u64) -> u64\n@audited\nfn read(b: u64) -> u64 { unsafe { mmio(b + 16) } }`, "kernel")).toEqual([]);
  });
});
