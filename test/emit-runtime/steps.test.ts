import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { RunStopped, setRunLimits, step, stepSpan, stepsUsed } from "#runtime";

/** Run `iterations` loop iterations under `fuel`; where it stopped (iteration, steps used). */
function run(fuel: number, iterations: number, spans: boolean): { done: number; steps: number; stopped: boolean } {
  setRunLimits({ fuel });
  let done = 0;
  let stopped = false;
  try {
    step(); // the function's own step
    if (spans) {
      for (let i = 0, end = iterations; i < end; ) for (const stop = stepSpan(i, end); i < stop; i++) done++;
    } else {
      for (let i = 0; i < iterations; i++) {
        step();
        done++;
      }
    }
  } catch (e) {
    if (!(e instanceof RunStopped)) throw e;
    stopped = true;
  }
  const steps = stopped ? -1 : stepsUsed();
  setRunLimits({});
  return { done, steps, stopped };
}

describe("steps in runs (stepSpan)", () => {
  it("counts and stops a counting loop exactly as a step per iteration does", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300_000 }), fc.integer({ min: 0, max: 300_000 }), (fuel, iterations) => {
        expect(run(fuel, iterations, true)).toEqual(run(fuel, iterations, false));
      }),
      { numRuns: 60 },
    );
  });

  it("stops on the fuel's last step at the window edges", () => {
    for (const fuel of [1, 2, 65535, 65536, 65537, 131072, 131073]) {
      for (const iterations of [fuel - 2, fuel - 1, fuel, fuel + 1]) {
        if (iterations >= 0) expect(run(fuel, iterations, true), `fuel ${fuel}, ${iterations} iterations`).toEqual(run(fuel, iterations, false));
      }
    }
  });
});
