/** The CLI as a user runs it: spawn bin/dplc, look at stdout, stderr and the exit code. */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import Ajv from "ajv-draft-04";
import { REPO_ROOT, runDplc } from "../helpers.js";

const dir = mkdtempSync(join(tmpdir(), "dplc-cli-"));
const twoErrors = join(dir, "two.ds");
writeFileSync(twoErrors, "fn main() {\n    let a = ;\n}\n\nstruct S { a: u64 b: u64 }\n");
const warned = join(dir, "warned.ds");
writeFileSync(warned, "fn main() {\n    let unused = 1;\n}\n");
const clean = join(dir, "clean.ds");
writeFileSync(clean, "fn add(a: u64, b: u64) -> u64 {\n    a + b\n}\n");

describe("dplc check", () => {
  it("exits 2 with one line for a missing file", () => {
    const r = runDplc(["check", join(dir, "missing.ds")]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: cannot read `.*missing\.ds`: no such file or directory\n$/);
  });

  it("exits 2 with one line for a bad flag value or an unknown flag", () => {
    for (const args of [["check", "--format", "yaml", clean], ["check", "--frobnicate", clean]]) {
      const r = runDplc(args);
      expect(r.status).toBe(2);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: /);
    }
  });

  it("shows both syntax errors with code frames and exits 1", () => {
    const r = runDplc(["check", twoErrors]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("error[DPL1001]: unexpected `;`; expected an expression");
    expect(r.stdout).toContain(`--> ${twoErrors}:2:13`);
    expect(r.stdout).toContain("2 |     let a = ;\n  |             ^");
    expect(r.stdout).toContain("error[DPL1001]: expected `,`, found `b`");
    expect(r.stdout).toContain(`--> ${twoErrors}:5:19`);
    expect(r.stdout).toContain("5 | struct S { a: u64 b: u64 }\n  |                   ^");
    expect(r.stdout).toMatch(/checked 1 file: 2 errors, 0 warnings \(\d+ ms\)\n$/);
    expect(r.stdout).not.toContain("\x1b[");
  });

  it("counts warnings as errors only with --deny-warnings", () => {
    const plain = runDplc(["check", warned]);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toContain("warning[DPL8002]: unused binding `unused`");
    expect(plain.stdout).toMatch(/checked 1 file: 0 errors, 1 warning \(/);
    const denied = runDplc(["check", "--deny-warnings", warned]);
    expect(denied.status).toBe(1);
    const github = runDplc(["check", "--format", "github", warned]);
    expect(github.stdout).toMatch(/^::warning file=.*warned\.ds,line=2,col=9,endLine=2,endColumn=15,title=DPL8002::unused binding `unused`/);
  });

  it("exits 0 on a clean file", () => {
    const r = runDplc(["check", clean]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^checked 1 file: 0 errors, 0 warnings/);
  });

  it("prints the JSON document of toolchain.md, identical from run to run", () => {
    const a = runDplc(["check", "--format", "json", twoErrors, clean]);
    const b = runDplc(["check", "--format", "json", clean, twoErrors]);
    expect(a.status).toBe(1);
    expect(a.stdout).toBe(b.stdout);
    const report = JSON.parse(a.stdout);
    expect(report).toMatchObject({ version: 1, files: 2, errors: 2, warnings: 0 });
    expect(report.diagnostics[0]).toEqual({
      file: twoErrors,
      line: 2,
      column: 13,
      endLine: 2,
      endColumn: 14,
      severity: "error",
      code: "DPL1001",
      message: "unexpected `;`; expected an expression",
      related: [],
    });
  });

  it("prints GitHub workflow commands", () => {
    const r = runDplc(["check", "--format", "github", twoErrors]);
    expect(r.status).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::error file=.*two\.ds,line=2,col=13,endLine=2,endColumn=14,title=DPL1001::unexpected `;`; expected an expression$/);
  });

  it("prints SARIF 2.1.0 that validates against the schema", () => {
    const r = runDplc(["check", "--format", "sarif", twoErrors]);
    expect(r.status).toBe(1);
    const log = JSON.parse(r.stdout);
    const require = createRequire(import.meta.url);
    const schemaPath = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
    const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    expect(validate(log) ? [] : validate.errors).toEqual([]);
    const run = log.runs[0];
    expect(run.results.map((x: { ruleId: string; level: string }) => [x.ruleId, x.level])).toEqual([
      ["DPL1001", "error"],
      ["DPL1001", "error"],
    ]);
    expect(run.tool.driver.rules.some((x: { id: string }) => x.id === "DPL3001")).toBe(true);
    expect(new Set(run.results.map((x: { partialFingerprints: Record<string, string> }) => x.partialFingerprints["dplcDiagnostic/v1"])).size).toBe(2);
  });

  it("uses colour only when asked and allowed", () => {
    const r = runDplc(["check", twoErrors], { env: { FORCE_COLOR: "1" } });
    // Not a TTY: no colour even when chalk would be forced.
    expect(r.stdout).not.toContain("\x1b[");
  });
});

describe("dplc explain and --version", () => {
  it("explains a code with a failing and a fixed example", () => {
    const r = runDplc(["explain", "DPL3001"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^DPL3001 \(error\): implicit domain coercion\nEnforces: XDV-051/);
    expect(r.stdout).toContain("## Example");
    expect(r.stdout).toContain("## Fixed");
  });

  it("exits 2 with one line for an unknown code", () => {
    const r = runDplc(["explain", "DPL0042"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: unknown diagnostic code `DPL0042`.*\n$/);
  });

  it("prints the package version", () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
    const r = runDplc(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });
});
