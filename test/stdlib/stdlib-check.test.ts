/**
 * The stdlib as a library: its modules check clean under their profiles (runtime and abi as
 * user code, kernel/scheduler/hypervisor under the kernel profile), the README's example
 * program is the fixture and checks clean, and the corpus's reference modules find every
 * name they use but do not define among the stdlib's items (language.md §1).
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkSources, type CheckResult } from "../../src/compiler/check.js";
import { collectFiles, loadSource } from "../../src/compiler/sources.js";
import type { Profile } from "../../src/compiler/options.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const STDLIB = join(REPO_ROOT, "stdlib");
const SPEC_DIR = join(REPO_ROOT, "..", "shared", "xdv-spec");
const EXAMPLE = join(REPO_ROOT, "test", "stdlib", "fixtures", "hybrid_example.ds");

function check(paths: readonly string[], profile: Profile): CheckResult {
  const { files, errors } = collectFiles(paths);
  expect(errors).toEqual([]);
  const sources = files.map((f) => {
    const r = loadSource(f);
    if (!r.ok) throw new Error(r.error);
    return r.source;
  });
  return checkSources(sources, { profile, allBlocks: false });
}

function show(d: Diagnostic): string {
  return `${d.span.file}:${d.span.start.line}:${d.span.start.column} ${d.severity}[${d.code}] ${d.message}`;
}

const errorsOf = (r: CheckResult): string[] => r.diagnostics.filter((d) => d.severity === "error").map(show);

describe("the stdlib checks clean", () => {
  it("runtime and abi modules, as user code", () => {
    expect(errorsOf(check([join(STDLIB, "runtime"), join(STDLIB, "abi")], "user"))).toEqual([]);
  });

  it("kernel, scheduler and hypervisor modules, under the kernel profile", () => {
    const dirs = ["kernel", "scheduler", "hypervisor"].map((d) => join(STDLIB, d));
    expect(errorsOf(check(dirs, "kernel"))).toEqual([]);
  });
});

describe("the README example", () => {
  it("is the fixture, verbatim", () => {
    const readme = readFileSync(join(STDLIB, "README.md"), "utf8");
    const m = /## Example\n[\s\S]*?```dpl\n([\s\S]*?)```\n/.exec(readme);
    expect(m, "README.md has no ```dpl block under ## Example").not.toBeNull();
    expect(m![1]).toBe(readFileSync(EXAMPLE, "utf8"));
  });

  it("checks clean as a user program", () => {
    const r = check([EXAMPLE], "user");
    expect(r.diagnostics.filter((d) => d.code.startsWith("DPL1")).map(show)).toEqual([]);
    expect(errorsOf(r)).toEqual([]);
  });
});

const CORPUS: readonly { readonly file: string; readonly profile: Profile }[] = [
  { file: "XDV-080-Kernel-Reference-Implementation-DPL.md", profile: "kernel" },
  { file: "XDV-081-Hybrid-Runtime-Reference.md", profile: "user" },
  { file: "XDV-082-Cross-Domain-Scheduler-Reference.md", profile: "kernel" },
  { file: "XDV-083-Domain-Hypervisor-Reference.md", profile: "kernel" },
];

describe.skipIf(!existsSync(SPEC_DIR))(`the corpus's reference modules find the names they leave undefined (needs ${SPEC_DIR})`, () => {
  for (const { file, profile } of CORPUS) {
    it(`${file.slice(0, 7)} (${profile} profile) has no unresolved name`, () => {
      const r = check([join(SPEC_DIR, file)], profile);
      expect(r.diagnostics.filter((d) => d.code === "DPL2001").map(show)).toEqual([]);
    });
  }
});
