/**
 * Conformance with the dustlang surface's own material (`../shared/dust-spec/`): the
 * official compiler's runnable v0.2 examples check clean and print what their headers say;
 * the v0.1 examples check clean, except the one whose header demonstrates a contract
 * violation (DPL5010), the README sketch CryoLink.ds included (its forms are decided in
 * docs/language.md); those with a K entry process run and print what their `emit`s emit;
 * the commented-out examples that "MUST be rejected", uncommented, fail with their rule's code.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { REPO_ROOT, runDplc } from "../helpers.js";
import { checkSources } from "../../src/compiler/check.js";
import { sourceFromText } from "../../src/compiler/sources.js";

const DUST_DIR = resolve(REPO_ROOT, "..", "shared", "dust-spec");
const HAS_DUST = existsSync(DUST_DIR);
const NO_DUST = `the dustlang material is not at ${DUST_DIR} (expected beside the repository as ../shared/dust-spec); its conformance tests are skipped`;
if (!HAS_DUST) console.warn(NO_DUST);

/**
 * What each v0.2 example prints. Where the header states it ("Expected behavior"), this is
 * the header's text; the others state no output, and theirs is what the program computes
 * (factorial, Fibonacci, the loops as written), worked out by hand.
 */
const EXPECTED: Record<string, string> = {
  "k_comment_handling.ds": "Comments OK\n",
  "k_empty_main.ds": "",
  "k_hello_world.ds": "Hello, Dust\n",
  "k_multiple_emits.ds": "First line\nSecond line\nThird line\n",
  "k_functions.ds": "5! = 120\n10 + 20 = 30\nHello, World!\nFibonacci(10) = 55\n",
  "k_variables.ds": "Immutable x = 42\nCounter after increment: 1\nFlag is true\nMessage: Hello, Dust!\nSum of 10 + 20 = 30\n",
  "k_control_flow.ds":
    "x is positive\nFor loop:\n" +
    [0, 1, 2, 3, 4].map((i) => `  iteration ${i}\n`).join("") +
    "While loop:\n" +
    [0, 1, 2].map((i) => `  count = ${i}\n`).join("") +
    "Break example:\n" +
    [0, 1, 2].map((i) => `  i = ${i}\n`).join("") +
    "Control flow demo complete\n",
};

/**
 * What each v0.1 example with a K entry process prints: its `emit`s in order, worked out by
 * hand from the values the header comments state (`54 + 1001 = 1055`). The examples without
 * a K entry (Q and Φ processes only) are libraries: they check, and have nothing to run.
 */
const V01_OUTPUT: Record<string, string> = {
  "K/k_audit_friendly_logging_pattern.ds": "AUDIT:BEGIN\n1001\nINPUT:a\n9\nINPUT:b\n6\nOUTPUT:result\n1055\nAUDIT:END\n",
  "K/k_binding_to_Q_regime.ds": "101\n",
  "K/k_binding_to_Φ_regime.ds": "7\n",
  "K/k_effect free computation.ds": "",
  "K/k_failure before effect.ds": "READY-TO-EMIT\n10\n",
  "K/k_hello_world.ds": "Hello, World\n",
  "K/k_logical time ordering.ds": "100\n101\n102\n",
  "K/k_ordered effects.ds": "EFFECT:1-BEGIN\n37\nEFFECT:3-END\n",
  "K/k_physical_time_constraint_placeholder.d": "TIMING-CONSTRAINTS:DECLARED\n2000\n",
  "Q/q_binding_Q_to_K_measurement_export.ds": "MEASUREMENT:ID\n404\n",
  "Φ/phi_binding_to_K_with_contract.ds": "Φ-VALUE\n12\n",
};

/** The v0.1 examples that are rejected as they stand, with the codes they fail with. */
const V01_REJECTED: Record<string, string[]> = {
  // "A conforming implementation MUST enforce this contract": `latency_us < 1`.
  "K/k_contract violation.ds": ["DPL5010"],
};

/** The commented-out examples ("MUST be rejected"), uncommented: the code of their rule. */
const V01_MUST_REJECT: Record<string, string[]> = {
  "Q/q_failure_on_linearity_violation.ds": ["DPL4010"],
  "Q/q_invalid_copy.ds": ["DPL4002"],
};

/**
 * Each ```dust block of dust-by-example.md ("intentionally incomplete" fragments, in the
 * guide's own spelling): what checking it reports, as `CODE name`. The names the guide leaves
 * undefined are DPL2001; §3 and §11 bind a value nothing reads (the guide's point: "no
 * observation occurs"), which is DPL8002. §5 prepares and measures a qubit on the simulated
 * QPU and checks clean.
 */
const BY_EXAMPLE: readonly string[][] = [
  ["DPL8002 z"],
  ["DPL2001 read_sensor"],
  [],
  ["DPL2001 energy_budget"],
  ["DPL2001 time_deadline", "DPL2001 now", "DPL2001 actuator_signal"],
  ["DPL2001 consistency", "DPL2001 system_state", "DPL2001 admissibility"],
  ["DPL2001 compute_a", "DPL2001 compute_b"],
  ["DPL2001 control_signal"],
  ["DPL8002 internal", "DPL2001 complex_computation"],
];

function dsFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      // One example is named `.d` in the official repository; it is a `.ds` file all the same.
      return statSync(p).isDirectory() ? dsFiles(p) : n.endsWith(".ds") || n.endsWith(".d") ? [p] : [];
    });
}

function codesOf(name: string, text: string): string[] {
  return checkSources([sourceFromText(name, text)], { profile: "user", allBlocks: false }).diagnostics.map((d) => d.code);
}

describe.skipIf(!HAS_DUST)(`the dustlang examples${HAS_DUST ? "" : ` (skipped: ${NO_DUST})`}`, () => {
  const v02 = HAS_DUST ? dsFiles(join(DUST_DIR, "examples-v0.2")) : [];
  const v01 = HAS_DUST ? dsFiles(join(DUST_DIR, "examples-v0.1")) : [];
  const v01Dir = join(DUST_DIR, "examples-v0.1");

  it("knows the output of every v0.2 example", () => {
    expect(v02.map((f) => relative(join(DUST_DIR, "examples-v0.2"), f)).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const file of v02) {
    const name = relative(join(DUST_DIR, "examples-v0.2"), file);
    it(`v0.2 ${name}: checks clean and prints what its header states`, () => {
      const check = runDplc(["check", file]);
      expect(check.stdout).toMatch(/0 errors, 0 warnings/);
      expect(check.status).toBe(0);
      const run = runDplc(["run", file]);
      expect(run.stderr).toBe("");
      expect(run.stdout).toBe(EXPECTED[name]);
      expect(run.status).toBe(0);
    });
  }

  it("v0.1: every example checks clean, except those rejected with their rule's code", () => {
    const results: Record<string, string[]> = {};
    for (const file of v01) {
      const name = relative(v01Dir, file);
      results[name] = codesOf(file, readFileSync(file, "utf8"));
    }
    const expected = Object.fromEntries(Object.keys(results).map((n) => [n, V01_REJECTED[n] ?? []]));
    expect(results).toEqual(expected);
  });

  it("v0.1: the commented-out examples, uncommented, fail with the code of the rule they illustrate", () => {
    for (const [name, codes] of Object.entries(V01_MUST_REJECT)) {
      const text = readFileSync(join(v01Dir, name), "utf8");
      const inner = /\/\*\s*(forge[\s\S]*)\*\/\s*$/.exec(text);
      expect(inner, `${name} keeps its forge in a block comment`).not.toBeNull();
      // The comment's own line breaks are kept, so the codes land on the example's lines.
      const uncommented = text.slice(0, inner!.index).replace(/[^\n]/g, " ") + "  " + inner![1]!;
      expect(codesOf(name, uncommented), name).toEqual(codes);
    }
  });

  it("v0.1: CryoLink.ds, the README's sketch, checks clean", () => {
    // No `;` after statements, named arguments, `constrain x has y`, quantity literals
    // (`1kHz`, `2ms`), `qbit[6]`, and operations of the processes' `uses` resources that no
    // document defines (`sense::position`, `q::register`): docs/language.md, the dustlang surface.
    const file = join(v01Dir, "CryoLink.ds");
    expect(codesOf(file, readFileSync(file, "utf8"))).toEqual([]);
  });

  for (const [name, output] of Object.entries(V01_OUTPUT)) {
    it(`v0.1 ${name}: runs its K entry process and prints its emits`, () => {
      const run = runDplc(["run", join(v01Dir, name)]);
      expect(run.stderr).toBe("");
      expect(run.stdout).toBe(output);
      expect(run.status).toBe(0);
    });
  }

  it("dust-by-example.md: every dust block is read in its own spelling and reports only what it leaves undefined", () => {
    const guide = readFileSync(join(DUST_DIR, "dust-by-example.md"), "utf8");
    const blocks = [...guide.matchAll(/```dust\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(BY_EXAMPLE.length);
    const reports = blocks.map((text, i) =>
      checkSources([sourceFromText(`by-example-${i}.ds`, text)], { profile: "user", allBlocks: false }).diagnostics.map((d) => `${d.code} ${text.slice(d.span.start.offset, d.span.end.offset)}`),
    );
    expect(reports).toEqual(BY_EXAMPLE);
  });

  it("v0.1: a file without a K entry process says so when run", () => {
    const run = runDplc(["run", join(v01Dir, "Q", "q_linear_pass.ds")]);
    expect(run.stderr).toMatch(/no entry to run: a dustlang file runs/);
    expect(run.status).not.toBe(0);
  });
});
