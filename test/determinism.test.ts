/**
 * The determinism promise (XDV-050 §4, XDV-051 §6): the same input gives byte-identical
 * diagnostics, within a process (warm stdlib cache or not) and across processes.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkSources } from "../src/compiler/check.js";
import { sourceFromText } from "../src/compiler/sources.js";
import { renderJson } from "../src/diagnostics/render/json.js";
import { program } from "./syntax/generators.js";
import { runDplc } from "./helpers.js";

function jsonOf(text: string, profile: "user" | "kernel" = "user"): string {
  const r = checkSources([sourceFromText("gen.ds", text)], { profile, allBlocks: false });
  return renderJson(r.modules.length, r.diagnostics);
}

describe("determinism", () => {
  it("checking the same program twice gives byte-identical JSON", () => {
    fc.assert(
      fc.property(program, fc.constantFrom("user" as const, "kernel" as const), (text, profile) => {
        expect(jsonOf(text, profile)).toBe(jsonOf(text, profile));
      }),
      { numRuns: 150 },
    );
  });

  it("two processes checking the fixtures and the stdlib print identical bytes", () => {
    const a = runDplc(["check", "--format", "json", "fixtures/check", "stdlib"]);
    const b = runDplc(["check", "--format", "json", "fixtures/check", "stdlib"]);
    expect(a.status).toBe(1);
    expect(JSON.parse(a.stdout).diagnostics.length).toBeGreaterThan(100);
    expect(a.stdout).toBe(b.stdout);
  });
});
