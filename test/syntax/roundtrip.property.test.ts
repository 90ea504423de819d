import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseText } from "../../src/syntax/parse.js";
import { printModule } from "../../src/syntax/printer.js";
import { literateModule } from "../../src/syntax/literate.js";
import { program } from "./generators.js";
import { HAS_SPEC, NO_SPEC_MESSAGE, readSpec, withoutSpans } from "../helpers.js";

function roundTrip(text: string): void {
  const first = parseText("gen.ds", text);
  expect(first.diagnostics.map((d) => d.message)).toEqual([]);
  const printed = printModule(first.module);
  const second = parseText("gen.ds", printed);
  expect(second.diagnostics.map((d) => d.message)).toEqual([]);
  expect(withoutSpans(second.module)).toEqual(withoutSpans(first.module));
  // Printing is a fixpoint after one round.
  expect(printModule(second.module)).toBe(printed);
}

describe("parse(print(ast)) equals ast, ignoring spans", () => {
  it("over generated programs", () => {
    fc.assert(fc.property(program, (text) => roundTrip(text)), { numRuns: 300 });
  });

  it.skipIf(!HAS_SPEC)(`over the corpus's reference modules${HAS_SPEC ? "" : ` (skipped: ${NO_SPEC_MESSAGE})`}`, () => {
    for (const f of ["XDV-080-Kernel-Reference-Implementation-DPL.md", "XDV-081-Hybrid-Runtime-Reference.md", "XDV-082-Cross-Domain-Scheduler-Reference.md", "XDV-083-Domain-Hypervisor-Reference.md"]) {
      roundTrip(literateModule(readSpec(f)).text);
    }
  });
});
