import { describe, expect, it } from "vitest";
import { BufferedSink, T, arg, named, print, println, setStdout, type OutputSink } from "#runtime";
import { formatRuntimeBench, runRuntimeBench } from "../../src/bench/runtime-library.js";

describe("output sinks", () => {
  it("a buffered sink hands text on in large writes, and on flush", () => {
    const writes: string[] = [];
    const target: OutputSink = { write: (t) => writes.push(t) };
    const sink = new BufferedSink(target, 8);
    const previous = setStdout(sink);
    try {
      print("abc");
      expect(writes).toEqual([]);
      println("{x}", named("x", 12345, T.i32));
      expect(writes).toEqual(["abc12345\n"]);
      print("{}", arg(true, T.bool));
      sink.flush();
      sink.flush();
      expect(writes).toEqual(["abc12345\n", "true"]);
    } finally {
      setStdout(previous);
    }
  });
});

describe("runtime micro-benchmark", () => {
  it("runs every workload, checks both sides agree, and reports ratios", () => {
    const report = runRuntimeBench({ scale: 0.02, repeat: 1 });
    expect(report.cases.map((c) => c.name)).toEqual(["collatz u64", "collatz u64", "sieve Vec[usize]", "sieve Vec.atN (narrowed)", "mix i32/u32"]);
    for (const c of report.cases) {
      expect(c.checkedMs).toBeGreaterThan(0);
      expect(c.plainMs).toBeGreaterThan(0);
      expect(c.ratio).toBeCloseTo(c.checkedMs / c.plainMs, 9);
    }
    expect(Number.isFinite(report.geomean)).toBe(true);
    const table = formatRuntimeBench(report);
    expect(table.split("\n")[0]).toMatch(/^runtime workload\s+baseline\s+checked ms\s+plain ms\s+ratio$/);
    expect(table).toContain("geometric mean ratio:");
  });
});
