/**
 * The checker against the specification corpus, the diagnostic explanations and the
 * stdlib: XDV-081 checks clean as a user module and XDV-080/082/083 under the kernel
 * profile (language.md §1); every explanation's Example triggers its code and its Fixed
 * version checks clean; the stdlib itself has no errors.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { checkSources, parseModule } from "../../src/compiler/check.js";
import { loadSource, sourceFromText } from "../../src/compiler/sources.js";
import { checkProgram } from "../../src/semantic/index.js";
import { HAS_SPEC, REPO_ROOT, SPEC_DIR } from "../helpers.js";
import { show } from "./support.js";

function specFile(prefix: string): string | null {
  if (!HAS_SPEC) return null;
  const f = readdirSync(SPEC_DIR).find((n) => n.startsWith(prefix));
  return f ? join(SPEC_DIR, f) : null;
}

function checkFile(path: string, profile: "user" | "kernel") {
  const r = loadSource(path);
  if (!r.ok) throw new Error(r.error);
  return checkSources([r.source], { profile, allBlocks: false }).diagnostics;
}

describe.skipIf(!HAS_SPEC)("the corpus's reference modules", () => {
  it("XDV-081 checks with zero errors as a user module", () => {
    const ds = checkFile(specFile("XDV-081")!, "user");
    expect(ds.filter((d) => d.severity === "error"), show(ds)).toEqual([]);
  });

  for (const id of ["XDV-080", "XDV-082", "XDV-083"]) {
    it(`${id} checks with zero errors under --profile kernel`, () => {
      const ds = checkFile(specFile(id)!, "kernel");
      expect(ds.filter((d) => d.severity === "error"), show(ds)).toEqual([]);
    });
  }

  it("XDV-081 needs the runtime prelude: under the user profile its names all resolve", () => {
    const ds = checkFile(specFile("XDV-081")!, "user");
    expect(ds.filter((d) => d.code === "DPL2001")).toEqual([]);
  });

  it("XDV-051's must-fail line is DPL3001", () => {
    const text = readFileSync(specFile("XDV-051")!, "utf8");
    const line = text.split(/\r?\n/).find((l) => l.includes("some_k_value"))!.trim();
    expect(line).toBe("let x: DomainType<Q, _> = some_k_value;");
    const src = `fn check() {\n    let some_k_value: u64 = 5;\n    ${line}\n    let _keep = x;\n}\n`;
    const ds = checkSources([sourceFromText("xdv051.ds", src)], { profile: "user", allBlocks: false }).diagnostics;
    expect(ds.map((d) => `${d.code}@${d.span.start.line}`)).toEqual(["DPL3001@3"]);
  });
});

describe("diagnostic explanations (docs/diagnostics)", () => {
  const dir = join(REPO_ROOT, "docs", "diagnostics");
  // DPL8004 is about a folder's links, not a module: its Example is a shell session,
  // pinned by test/cli/safe-input.test.ts (and its page by explanations.test.ts).
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => /^DPL[2-8]\d{3}\.md$/.test(f) && f !== "DPL8004.md").sort() : [];
  const block = (text: string, heading: string): string | null => {
    const at = text.indexOf(`## ${heading}`);
    if (at < 0) return null;
    const m = /```[a-z]*\r?\n([\s\S]*?)```/.exec(text.slice(at));
    return m ? m[1]! : null;
  };
  for (const f of files) {
    const code = f.slice(0, 7);
    const text = readFileSync(join(dir, f), "utf8");
    const run = (src: string) =>
      checkSources([sourceFromText(`${code}.ds`, src)], { profile: /\/\/@ profile: kernel/.test(src) ? "kernel" : "user", allBlocks: false }).diagnostics;
    it(`${code}: the Example triggers it`, () => {
      const src = block(text, "Example");
      expect(src, "no Example block").not.toBeNull();
      const ds = run(src!);
      expect(ds.map((d) => d.code), show(ds)).toContain(code);
    });
    it(`${code}: the Fixed version checks clean`, () => {
      const src = block(text, "Fixed");
      expect(src, "no Fixed block").not.toBeNull();
      const ds = run(src!);
      expect(ds.filter((d) => d.severity === "error" || d.code === code), show(ds)).toEqual([]);
    });
  }
});

describe("the stdlib", () => {
  it("checks with zero errors (prelude, runtime and kernel modules)", () => {
    const p = checkProgram([parseModule(sourceFromText("empty.ds", ""))], { profile: "user", allBlocks: false });
    const errs = p.stdlib.world.diagnostics.filter((d) => d.severity === "error");
    expect(errs, show(errs)).toEqual([]);
    expect(p.stdlib.modules.some((m) => m.path.join("::") === "runtime::domain::q_api")).toBe(true);
  });

  it("is loaded once and reused across checks", () => {
    const a = checkProgram([parseModule(sourceFromText("a.ds", ""))], { profile: "user", allBlocks: false });
    const b = checkProgram([parseModule(sourceFromText("b.ds", ""))], { profile: "kernel", allBlocks: false });
    expect(b.stdlib).toBe(a.stdlib);
  });

  it("reports errors in a stdlib file the run was given, with the text it was given", () => {
    const path = join(REPO_ROOT, "stdlib", "prelude", "nondeterminism.ds");
    const edited = readFileSync(path, "utf8") + "\npub fn broken() -> u64 { missing_name }\n";
    const src = sourceFromText("stdlib/prelude/nondeterminism.ds", edited);
    const ds = checkSources([src], { profile: "user", allBlocks: false }).diagnostics;
    expect(ds.map((d) => d.code)).toEqual(["DPL2001"]);
  });
});

describe("stdlib modules under kernel/", () => {
  it("are checked under the kernel profile even when the run's profile is user", () => {
    const path = join(REPO_ROOT, "stdlib", "kernel", "core", "logical_clock.ds");
    if (!existsSync(path)) return;
    const edited = readFileSync(path, "utf8") + "\npub fn stamp_now() -> u64 { wall_clock() }\n";
    const src = sourceFromText("stdlib/kernel/core/logical_clock.ds", edited);
    const ds = checkSources([src], { profile: "user", allBlocks: false }).diagnostics;
    expect(ds.map((d) => d.code)).toEqual(["DPL6001"]);
  });
});

describe("determinism of the checker", () => {
  it("gives identical diagnostics run to run", () => {
    const src = readFileSync(join(REPO_ROOT, "docs", "diagnostics", "DPL4002.md"), "utf8");
    const once = () => JSON.stringify(checkSources([sourceFromText("x.md", src)], { profile: "user", allBlocks: true }).diagnostics);
    expect(once()).toBe(once());
  });
});
