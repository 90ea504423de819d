/** `dplc test` as a user runs it: spawn bin/dplc on programs with tests beside their code. */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDplc } from "../helpers.js";
import { parseTrace } from "../../src/host/trace/trace-chain.js";
import { verifyTraceSignature } from "../../src/host/trace/trace-signature.js";
import { loadTraceKey, traceKeyPath } from "../../src/compiler/trace-key.js";

const dir = mkdtempSync(join(tmpdir(), "dplc-test-"));
const write = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return name;
};

const mixed = write(
  "mixed.ds",
  `fn add(a: i32, b: i32) -> i32 {
    a + b
}

fn main() {
    println!("{}", add(1, 2));
}

#[test]
fn adds() {
    assert_eq!(add(1, 2), 3);
}

#[test]
fn wrong_sum() {
    println!("checking the sum");
    assert_eq!(add(1, 1), 3);
}

@test
@should_fail
fn overflow_faults() {
    let x: i32 = 2147483647;
    println!("{}", add(x, 1));
}

#[test]
#[should_panic]
fn never_panics() {
}

#[test]
#[ignore]
fn not_yet() {
    assert!(false);
}

mod tests {
    use super::add;

    #[test]
    fn inner() {
        assert_eq!(add(2, 2), 4);
    }
}
`,
);

const isolated = write(
  "isolated.ds",
  `static mut COUNTER: u32 = 0;

#[test]
fn first() {
    unsafe {
        COUNTER += 1;
        assert_eq!(COUNTER, 1);
    }
}

#[test]
fn second() {
    unsafe {
        COUNTER += 1;
        assert_eq!(COUNTER, 1);
    }
}
`,
);

// One shot of a fair coin on the Q simulator: which way it lands is fixed by the seed.
const coin = write(
  "coin.ds",
  `const COIN: String = "OPENQASM 2.0;\\ninclude \\"qelib1.inc\\";\\nqreg q[1];\\ncreg c[1];\\nh q[0];\\nmeasure q -> c;\\n";

fn flip() -> Result<String, ErrorCode> {
    let mut p = start_process()?;
    let mut domains: Vec<DomainTag> = Vec::new();
    domains.push(DomainTag::Q);
    bring_up(&mut p, domains)?;
    let q_cap = request_capability(&mut p, DomainTag::Q)?;
    let terms = QContractTerms { qubits: 1, decoherence_budget: 30, shot_budget: 10, lifetime: 1000 };
    let contract = acquire_q_contract(&mut p, &q_cap, terms)?;
    let m = run_q_job(&mut p, q_job_per_shot(contract.id, 1, COIN, 1), &q_cap)?;
    terminate(&mut p)?;
    if count_of(&m, "0") == 1 { Ok(String::from("0")) } else { Ok(String::from("1")) }
}

#[test]
fn lands_heads() {
    let r = flip().unwrap();
    println!("coin: {}", r);
    assert_eq!(r, String::from("0"));
}
`,
);

const broken = write("broken.ds", "#[test]\nfn t() {\n    let x: u32 = \"no\";\n}\n");

/** The arguments of the `replay:` line's command, without the leading `dplc`. */
function replayArgs(stdout: string, id: string, seed?: string): string[] {
  const line = stdout.split("\n").find((l) => l.startsWith("replay: ") && l.includes(` ${id} `) && (seed === undefined || l.endsWith(` --seed ${seed}`)));
  expect(line, `a replay line for ${id}`).toBeDefined();
  const words = line!.slice("replay: ".length).split(" ");
  expect(words[0]).toBe("dplc");
  return words.slice(1);
}

describe("dplc test", () => {
  it("runs each test, prints one line per test, the failures with seed and replay command, and the summary; exit 1", () => {
    const r = runDplc(["test", mixed], { cwd: dir });
    expect(r.status).toBe(1);
    const lines = r.stdout.split("\n");
    expect(lines).toContain("test mixed::adds ... ok");
    expect(lines).toContain("test mixed::wrong_sum ... FAILED");
    expect(lines).toContain("test mixed::overflow_faults ... ok (failed as expected)");
    expect(lines).toContain("test mixed::never_panics ... FAILED");
    expect(lines).toContain("test mixed::not_yet ... ignored");
    expect(lines).toContain("test mixed::tests::inner ... ok");
    expect(lines).toContain("3 passed, 2 failed, 1 skipped");
    expect(lines.filter((l) => /^\d+ passed, \d+ failed/.test(l))).toHaveLength(1);
    // The failing test's own output, its fault with the .ds position, and its seed.
    expect(r.stdout).toContain("---- mixed::wrong_sum (mixed.ds:15) seed 0 ----\nchecking the sum\nthread 'main' panicked at mixed.ds:17:5:");
    expect(r.stdout).toContain("expected to fail (@should_fail) but it returned normally");
    expect(r.stdout).toContain("replay: dplc test mixed.ds --exact --filter mixed::wrong_sum --seed 0");
  });

  it("replays a failing test with the command it printed", () => {
    const first = runDplc(["test", mixed], { cwd: dir });
    const again = runDplc(replayArgs(first.stdout, "mixed::wrong_sum"), { cwd: dir });
    expect(again.status).toBe(1);
    expect(again.stdout).toContain("test mixed::wrong_sum ... FAILED");
    expect(again.stdout.split("\n")).toContain("0 passed, 1 failed, 0 skipped");
  });

  it("selects tests with --filter (a substring) and exits 0 when all selected pass", () => {
    const r = runDplc(["test", mixed, "--filter", "add"], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("test mixed::adds ... ok");
    expect(r.stdout.split("\n")).toContain("1 passed, 0 failed, 0 skipped");
  });

  it("gives each test a fresh program: a static mut changed by one test is back to its initial value in the next", () => {
    const r = runDplc(["test", isolated], { cwd: dir });
    expect(r.stdout.split("\n")).toContain("2 passed, 0 failed, 0 skipped");
    expect(r.status).toBe(0);
  });

  it("runs an ensemble with --seeds, names the seeds that failed, and each one replays as reported", () => {
    const json = runDplc(["test", coin, "--seeds", "6", "--format", "json"], { cwd: dir });
    const report = JSON.parse(json.stdout);
    expect(report.seeds).toHaveLength(6);
    expect(report.seeds[0]).toBe("0");
    const t = report.tests[0];
    expect(t.runs).toHaveLength(6);
    const failed: string[] = t.failedSeeds;
    const passed = t.runs.filter((x: { passed: boolean }) => x.passed).map((x: { seed: string }) => x.seed);
    // A fair coin over six seeds: this ensemble has both outcomes (fixed, the seeds are derived deterministically).
    expect(failed.length).toBeGreaterThan(0);
    expect(passed.length).toBeGreaterThan(0);
    expect(json.status).toBe(1);
    const text = runDplc(["test", coin, "--seeds", "6"], { cwd: dir });
    expect(text.stdout).toContain(`test coin::lands_heads ... FAILED (${failed.length} of 6 seeds failed: ${failed.join(", ")})`);
    const bad = runDplc(replayArgs(text.stdout, "coin::lands_heads", failed[0]), { cwd: dir });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain("coin: 1");
    const good = runDplc(["test", coin, "--seed", passed[0]], { cwd: dir });
    expect(good.status).toBe(0);
    expect(good.stdout.split("\n")).toContain("1 passed, 0 failed, 0 skipped");
  });

  it("keeps the trace of each failing run with --record, and only those", () => {
    const rec = mkdtempSync(join(tmpdir(), "dplc-test-rec-"));
    const r = runDplc(["test", mixed, "--record", rec], { cwd: dir });
    expect(r.status).toBe(1);
    expect(readdirSync(rec).sort()).toEqual(["mixed.never_panics.seed-0.trace", "mixed.wrong_sum.seed-0.trace"]);
    const first = JSON.parse(readFileSync(join(rec, "mixed.wrong_sum.seed-0.trace"), "utf8").split("\n")[0]!);
    expect(first).toBeTypeOf("object");
    expect(r.stdout).toContain(`trace: ${join(rec, "mixed.wrong_sum.seed-0.trace")}`);
  });

  it("--record traces are streamed, closed and signed like `dplc run --record`'s (was: written whole, unsigned)", () => {
    const rec = mkdtempSync(join(tmpdir(), "dplc-test-rec-"));
    const r = runDplc(["test", mixed, "--record", rec], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(/not signed/);
    const parsed = parseTrace(readFileSync(join(rec, "mixed.wrong_sum.seed-0.trace"), "utf8"));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const { entries, signature } = parsed.trace;
    expect(entries[0]!.event_type).toBe("run_start");
    expect(entries[0]!.metadata["program_sha256"]).toMatch(/^[0-9a-f]{64}$/);
    const last = entries[entries.length - 1]!;
    expect(last.event_type).toBe("run_end");
    expect(last.metadata["ended"]).toBe("fault");
    // Signed with the user's trace key (vitest.config.ts points DPLC_TRACE_KEY at a test key).
    const key = loadTraceKey(traceKeyPath(), false);
    expect(key.ok).toBe(true);
    if (!key.ok) return;
    expect(verifyTraceSignature(signature, last.hash, entries.length, key.key.publicKey)).toMatchObject({ ok: true });
    // No temporary file is left behind.
    expect(readdirSync(rec).filter((f) => f.startsWith("."))).toEqual([]);
  });

  it("--record: a run stopped by --timeout keeps its trace up to the stop, closed as `timeout` and signed", () => {
    const spin = write("spin.ds", `#[test]\nfn spins() {\n    let mut i: u64 = 0;\n    loop {\n        i = i.wrapping_add(1);\n    }\n}\n`);
    const rec = mkdtempSync(join(tmpdir(), "dplc-test-rec-"));
    const r = runDplc(["test", spin, "--record", rec, "--timeout", "2"], { cwd: dir });
    expect(r.status).toBe(1);
    const parsed = parseTrace(readFileSync(join(rec, "spin.spins.seed-0.trace"), "utf8"));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const entries = parsed.trace.entries;
    expect(entries[0]!.event_type).toBe("run_start");
    expect(entries[entries.length - 1]!.metadata).toMatchObject({ ended: "timeout", exit_status: 124 });
    expect(parsed.trace.signature).not.toBeNull();
  });

  it("--record into a folder that cannot be created is one line, exit 2, before any test runs", () => {
    const notDir = write("not-a-dir.txt", "x");
    const r = runDplc(["test", mixed, "--record", join(notDir, "traces")], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stdout).not.toMatch(/^test /m);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: cannot write traces to/);
  });

  it("writes JSON and JUnit XML reports", () => {
    const j = runDplc(["test", mixed, "--format", "json"], { cwd: dir });
    expect(j.status).toBe(1);
    const report = JSON.parse(j.stdout);
    expect(report.summary).toEqual({ passed: 3, failed: 2, skipped: 1 });
    const wrong = report.tests.find((t: { name: string }) => t.name === "mixed::wrong_sum");
    expect(wrong).toMatchObject({ file: "mixed.ds", line: 15, status: "failed", failedSeeds: ["0"] });
    expect(wrong.runs[0].output).toBe("checking the sum\n");
    expect(wrong.runs[0].replay).toBe("dplc test mixed.ds --exact --filter mixed::wrong_sum --seed 0");
    const x = runDplc(["test", mixed, "--format", "junit"], { cwd: dir });
    expect(x.status).toBe(1);
    expect(x.stdout).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="dplc test" tests="6" failures="2" skipped="1">/);
    expect(x.stdout).toContain('<testcase classname="mixed" name="wrong_sum" file="mixed.ds" line="15">');
    expect(x.stdout).toContain("<skipped/>");
    expect(x.stdout).toMatch(/<failure message="failed under seed 0">[^<]*left: 2/);
    // Quotes in the output are escaped, never raw.
    expect(x.stdout).not.toMatch(/<failure[^>]*>[^<]*"/);
  });

  it("reports check errors and runs nothing (exit 1); bad flags are exit 2", () => {
    const r = runDplc(["test", broken], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error[DPL2003]");
    expect(r.stdout).toBe("");
    for (const args of [["test", mixed, "--seeds", "0"], ["test", mixed, "--seed", "-1"], ["test", mixed, "--format", "tap"]]) {
      const bad = runDplc(args, { cwd: dir });
      expect(bad.status).toBe(2);
      expect(bad.stderr.trimEnd().split("\n")).toHaveLength(1);
    }
  });

  it("leaves tests out of `dplc run` and `dplc build`: they are emitted but never called", () => {
    const r = runDplc(["run", mixed], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("3\n");
    expect(r.stderr).not.toContain("DPL8001");
  });
});
