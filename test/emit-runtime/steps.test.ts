import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { RunStopped, setRunLimits, step, stepGive, stepOne, stepSpan, stepTake, stepsUsed } from "#runtime";

/** Run `iterations` loop iterations under `fuel`; where it stopped (iteration, steps used). */
function run(fuel: number, iterations: number, how: "span" | "take" | "step", after = 0): { done: number; steps: number; stopped: boolean } {
  setRunLimits({ fuel });
  let done = 0;
  let stopped = false;
  try {
    step(); // the function's own step
    if (how === "span") {
      for (let i = 0, end = iterations; i < end; ) for (const stop = stepSpan(i, end); i < stop; i++) done++;
    } else if (how === "take") {
      let k = stepTake();
      while (done < iterations) {
        if (k-- === 0) k = stepOne();
        done++;
      }
      stepGive(k);
    } else {
      for (let i = 0; i < iterations; i++) {
        step();
        done++;
      }
    }
    // Steps after the loop land where they would have.
    for (let i = 0; i < after; i++) step();
  } catch (e) {
    if (!(e instanceof RunStopped)) throw e;
    stopped = true;
  }
  const steps = stopped ? -1 : stepsUsed();
  setRunLimits({});
  return { done, steps, stopped };
}

describe("steps in runs (stepSpan)", () => {
  it("counts and stops a loop exactly as a step per iteration does (runs of a counting loop, and a while loop's local run)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300_000 }), fc.integer({ min: 0, max: 300_000 }), fc.integer({ min: 0, max: 70_000 }), (fuel, iterations, after) => {
        const want = run(fuel, iterations, "step", after);
        expect(run(fuel, iterations, "span", after)).toEqual(want);
        expect(run(fuel, iterations, "take", after)).toEqual(want);
      }),
      { numRuns: 60 },
    );
  });

  it("stops on the fuel's last step at the window edges", () => {
    for (const fuel of [1, 2, 65535, 65536, 65537, 131072, 131073]) {
      for (const iterations of [fuel - 2, fuel - 1, fuel, fuel + 1]) {
        if (iterations < 0) continue;
        const want = run(fuel, iterations, "step", 1);
        expect(run(fuel, iterations, "span", 1), `span: fuel ${fuel}, ${iterations} iterations`).toEqual(want);
        expect(run(fuel, iterations, "take", 1), `take: fuel ${fuel}, ${iterations} iterations`).toEqual(want);
      }
    }
  });
});
