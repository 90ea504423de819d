/**
 * The editor lists compiler-provided methods (`String.len`, `Vec.push`, `u64.pow`) from
 * INTRINSIC_METHOD_NAMES; the checker finds them through the switches of intrinsics.ts.
 * Every method name a switch accepts must be in the list, or completion would miss it.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers.js";
import { INTRINSIC_METHOD_NAMES } from "../../src/semantic/intrinsics.js";

describe("intrinsic method names", () => {
  it("list every name the method switches accept", () => {
    const text = readFileSync(join(REPO_ROOT, "src", "semantic", "intrinsics.ts"), "utf8");
    const start = text.indexOf("function vecMethod");
    const end = text.indexOf("export function isCapabilityDef");
    const cases = new Set([...text.slice(start, end).matchAll(/case "([a-z_0-9]+)":/g)].map((m) => m[1]!));
    // `switch (t.k)` in intrinsicMethod: type kinds, not method names.
    for (const kind of ["adt", "array", "slice", "prim"]) cases.delete(kind);
    expect(cases.size).toBeGreaterThan(50);
    expect([...cases].filter((n) => !INTRINSIC_METHOD_NAMES.includes(n))).toEqual([]);
  });
});
