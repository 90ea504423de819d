/**
 * Issue 9, `dplc run` end to end: traces and telemetry survive every way a run can end,
 * a failed run never destroys the file it would replace, a trace must be signed by the
 * user's key and come from the same program, and CI can bound a runaway program.
 */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalJson, sha256Hex } from "../../src/host/trace/canonical-json.js";
import { DPLC, runDplc } from "../helpers.js";

const dir = mkdtempSync(join(tmpdir(), "dplc-trace-safety-"));
const key = join(dir, "keys", "trace-key.json");
const env = { DPLC_TRACE_KEY: key };
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const dplc = (args: string[], extra: Record<string, string> = {}) => runDplc(args, { env: { ...env, ...extra } });
const lines = (path: string): string[] => readFileSync(path, "utf8").trimEnd().split("\n");
const entries = (path: string): Record<string, any>[] => lines(path).filter((l) => !l.startsWith('{"trace_signature"')).map((l) => JSON.parse(l));
const finalEntry = (path: string): Record<string, any> => entries(path).at(-1)!;
const leftovers = (): string[] => readdirSync(dir).filter((f) => f.endsWith(".tmp"));

const hello = file("hello.ds", 'fn main() {\n    println!("hello");\n    k_log(String::from("logged"));\n}\n');
const coin = file(
  "coin.ds",
  'fn main() {\n    let r = random_u64();\n    println!("{}", r);\n    if r % 2 == 0 { println!("heads"); } else { println!("tails"); }\n    println!("{}", wall_clock() > 0);\n}\n',
);
const spin = file("spin.ds", 'fn main() {\n    k_log(String::from("spinning"));\n    let mut i: u64 = 0;\n    loop {\n        i = i % 7 + 1;\n    }\n}\n');
const grow = file("grow.ds", 'fn main() {\n    println!("start");\n    let mut v: Vec<u64> = Vec::new();\n    let mut i: u64 = 0;\n    loop {\n        v.push(i);\n        i = i + 1;\n    }\n}\n');
const huge = file("huge.ds", 'fn main() {\n    println!("before");\n    let n: usize = 1000000000000;\n    let v: Vec<u8> = vec![0; n];\n    println!("{}", v.len());\n}\n');
const fails = file("fails.ds", 'fn main() -> Result<(), String> {\n    println!("trying");\n    Err(String::from("no"))\n}\n');

describe("the trace of every ending", () => {
  it("an orderly run ends its trace with run_end 'returned', signed, and its telemetry with run_end", () => {
    const trace = join(dir, "hello.trace");
    const tele = join(dir, "hello.tele");
    const r = dplc(["run", hello, "--record", trace, "--telemetry", tele]);
    expect(r.status, r.stderr).toBe(0);
    expect(finalEntry(trace)).toMatchObject({ event_type: "run_end", metadata: { ended: "returned", exit_status: 0 } });
    expect(lines(trace).at(-1)).toMatch(/^\{"trace_signature":\{"algorithm":"ed25519"/);
    expect(JSON.parse(lines(tele).at(-1)!)).toEqual({ kind: "run_end", ended: "returned", exit_status: 0 });
    expect(entries(trace)[0]!["metadata"]["program_sha256"]).toMatch(/^[0-9a-f]{64}$/);
    expect(leftovers()).toEqual([]);
  });

  it("creates the signing key on first use, readable by its owner only", () => {
    expect(existsSync(key)).toBe(true);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "keys")).mode & 0o777).toBe(0o700);
  });

  it("Err from main: exit 1, final entry 'error'", () => {
    const trace = join(dir, "fails.trace");
    const r = dplc(["run", fails, "--record", trace]);
    expect(r.status).toBe(1);
    expect(finalEntry(trace)).toMatchObject({ event_type: "run_end", metadata: { ended: "error", exit_status: 1 } });
  });

  it("a runtime fault: exit 101, final entry 'fault'", () => {
    const f = file("fault.ds", "fn main() {\n    let v: Vec<u32> = Vec::new();\n    let x = v[0];\n}\n");
    const trace = join(dir, "fault.trace");
    expect(dplc(["run", f, "--record", trace]).status).toBe(101);
    expect(finalEntry(trace)["metadata"]).toMatchObject({ ended: "fault", exit_status: 101 });
  });

  it("--fuel stops a runaway loop at the .ds line with exit 124, trace and stdout kept", () => {
    const trace = join(dir, "fuel.trace");
    const r = dplc(["run", grow, "--fuel", "100000", "--record", trace]);
    expect(r.status).toBe(124);
    expect(r.stdout).toBe("start\n");
    expect(r.stderr).toBe(`error: the program used up its fuel (--fuel 100000 steps) at ${grow}:5\n`);
    expect(finalEntry(trace)["metadata"]).toEqual({ ended: "fuel", exit_status: 124, steps: 100000 });
  });

  it("--fuel stopping a counting loop whose steps are taken in runs (leaf-loops.ts) still names the loop's .ds line", () => {
    const count = file("count.ds", 'fn main() {\n    let mut t: i32 = 0;\n    for j in 0..1000000 {\n        t = (t + j) % 7;\n    }\n    println!("{}", t);\n}\n');
    const r = dplc(["run", count, "--fuel", "100000"]);
    expect(r.status).toBe(124);
    expect(r.stderr).toBe(`error: the program used up its fuel (--fuel 100000 steps) at ${count}:3\n`);
  });

  it("--timeout stops a program that never calls the host, exit 124, trace kept", () => {
    const trace = join(dir, "timeout.trace");
    const r = dplc(["run", spin, "--timeout", "1", "--record", trace]);
    expect(r.status).toBe(124);
    expect(r.stdout).toBe("spinning\n");
    expect(r.stderr).toMatch(/^error: the program reached its time limit \(--timeout 1 s\)( at \S*spin\.ds:\d+)?\n$/);
    expect(finalEntry(trace)["metadata"]).toMatchObject({ ended: "timeout", exit_status: 124 });
    expect(entries(trace).some((e) => e["event_type"] === "k_log")).toBe(true);
  });

  it("running out of memory is the program's fault: exit 101 with the .ds line, no V8 trace, trace kept", () => {
    const trace = join(dir, "grow.trace");
    const r = dplc(["run", grow, "--max-memory", "64", "--record", trace]);
    expect(r.status).toBe(101);
    expect(r.stdout).toBe("start\n");
    expect(r.stderr).toMatch(/^error: the program ran out of memory \(--max-memory 64 MB\)( at \S*grow\.ds:\d+)?\n$/);
    expect(r.stderr).not.toMatch(/dplc bug|please report|Native stack|FATAL/);
    expect(finalEntry(trace)["metadata"]).toMatchObject({ ended: "out-of-memory", exit_status: 101 });
  });

  it("an allocation no heap can hold (vec![0; 10^12]) is the same out-of-memory fault", () => {
    const trace = join(dir, "huge.trace");
    const r = dplc(["run", huge, "--record", trace]);
    expect(r.status).toBe(101);
    expect(r.stdout).toBe("before\n");
    expect(r.stderr).toMatch(/^error: the program ran out of memory at \S*huge\.ds:4: Invalid array length\n$/);
    expect(r.stderr).not.toMatch(/internal error|please report/);
    expect(finalEntry(trace)["metadata"]).toMatchObject({ ended: "out-of-memory", exit_status: 101 });
  });

  for (const [signal, status, ended] of [["SIGINT", 130, "interrupted"], ["SIGTERM", 143, "terminated"]] as const) {
    it(`${signal}: the trace streamed so far is closed with '${ended}' and replays up to its end, saying it is incomplete`, async () => {
      const trace = join(dir, `${ended}.trace`);
      const tele = join(dir, `${ended}.tele`);
      const child = spawn(process.execPath, [DPLC, "run", spin, "--record", trace, "--telemetry", tele], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      // The trace is on disk while the program runs: wait for its k_log entry, then signal.
      const poll = setInterval(() => {
        const temp = readdirSync(dir).find((f) => f.startsWith(`.${ended}.trace.`) && f.endsWith(".tmp"));
        if (temp && readFileSync(join(dir, temp), "utf8").includes('"k_log"')) {
          clearInterval(poll);
          child.kill(signal);
        }
      }, 50);
      const code = await new Promise<number | null>((done) => child.on("exit", (c) => done(c)));
      clearInterval(poll);
      expect(code, stderr).toBe(status);
      expect(stdout).toBe("spinning\n");
      expect(finalEntry(trace)["metadata"]).toMatchObject({ ended, exit_status: status });
      expect(JSON.parse(lines(tele).at(-1)!)).toMatchObject({ kind: "run_end", ended });
      const replay = dplc(["run", spin, "--replay", trace, "--timeout", "60"]);
      expect(replay.stdout).toBe("spinning\n");
      expect(replay.status).toBe(1);
      expect(replay.stderr).toMatch(/the trace is incomplete/);
    });
  }
});

describe("replacing files only when complete", () => {
  it("--replay T --record T keeps T: the same file as input and output is refused before anything runs", () => {
    const trace = join(dir, "keep.trace");
    expect(dplc(["run", hello, "--record", trace]).status).toBe(0);
    const before = readFileSync(trace, "utf8");
    // Other arguments than the recorded ones: were it run, the replay would diverge at entry 0.
    const r = dplc(["run", hello, "--replay", trace, "--record", trace, "--", "other"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/would overwrite the trace given to `--replay`/);
    expect(readFileSync(trace, "utf8")).toBe(before);
    expect(leftovers()).toEqual([]);
  });

  it("a trace into a missing folder is refused before anything runs", () => {
    const r = dplc(["run", hello, "--record", join(dir, "no-such-folder", "t.trace")]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error: cannot write `--record .*`: folder `.*`: no such file or directory\n$/);
  });

  it("a trace cut off before its final entry replays up to its end and says it is incomplete", () => {
    const trace = join(dir, "cut.trace");
    expect(dplc(["run", hello, "--record", trace]).status).toBe(0);
    const cut = join(dir, "cut-short.trace");
    writeFileSync(cut, entries(trace).slice(0, 3).map((e) => canonicalJson(e)).join("\n") + "\n");
    const r = dplc(["run", hello, "--replay", cut, "--trust-unsigned"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/warning: .*--trust-unsigned/);
    expect(r.stderr).toMatch(/the trace is incomplete: it ends after 3 entries without a final entry/);
  });
});

describe("anchored traces", () => {
  const trace = join(dir, "coin.trace");

  it("replay feeds back random_u64 and wall_clock, so the output is the same", () => {
    const rec = dplc(["run", coin, "--record", trace]);
    expect(rec.status, rec.stderr).toBe(0);
    for (let i = 0; i < 3; i++) {
      const again = dplc(["run", coin, "--replay", trace]);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toBe(rec.stdout);
    }
  });

  it("refuses an unsigned trace, and one signed by another key, unless --trust-unsigned", () => {
    const unsigned = join(dir, "unsigned.trace");
    writeFileSync(unsigned, lines(trace).slice(0, -1).join("\n") + "\n");
    const r = dplc(["run", coin, "--replay", unsigned]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`error: cannot replay \`${unsigned}\`: the trace is not signed (refusing to replay it; --trust-unsigned replays it anyway)\n`);
    const trusted = dplc(["run", coin, "--replay", unsigned, "--trust-unsigned"]);
    expect(trusted.status, trusted.stderr).toBe(0);
    expect(trusted.stderr).toMatch(/^warning: replaying `.*` although it is not signed: its recorded results are unverified \(--trust-unsigned\)\n$/);
    const other = dplc(["run", coin, "--replay", trace], { DPLC_TRACE_KEY: join(dir, "other-key", "k.json") });
    expect(other.stderr).toMatch(/there is no trace key|not by your key/);
    expect(other.status).toBe(1);
    mkdirSync(join(dir, "other-key2"));
    const mine = join(dir, "other-key2", "k.json");
    expect(dplc(["run", hello, "--record", join(dir, "other.trace")], { DPLC_TRACE_KEY: mine }).status).toBe(0);
    const wrong = dplc(["run", coin, "--replay", trace], { DPLC_TRACE_KEY: mine });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/signed by key [0-9a-f]{16}…, not by your key/);
  });

  it("refuses a trace edited with its chain recomputed: the signature no longer covers it", () => {
    const forged = join(dir, "forged.trace");
    const all = lines(trace);
    const signature = all.pop()!;
    let prev = "0".repeat(64);
    const out = all.map((line) => {
      const e = JSON.parse(line) as Record<string, any>;
      if (e["event_type"] === "host_input" && e["metadata"]["primitive"] === "random_u64") e["metadata"]["value"] = "12345";
      e["prev_hash"] = prev;
      delete e["hash"];
      prev = sha256Hex(canonicalJson(e));
      return canonicalJson({ ...e, hash: prev });
    });
    writeFileSync(forged, [...out, signature].join("\n") + "\n");
    const r = dplc(["run", coin, "--replay", forged]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/signature covers another chain/);
    expect(r.stdout).toBe("");
  });

  it("refuses a trace of another program at entry 0, before running it", () => {
    const r = dplc(["run", hello, "--replay", trace]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/trace entry 0: the trace was recorded from another program/);
  });

  it("refuses a trace of the previous format with one line", () => {
    const old = join(dir, "old.trace");
    const e = entries(trace)[0]!;
    e["metadata"]["trace_format"] = "xdv-071/1";
    delete e["hash"];
    e["prev_hash"] = "0".repeat(64);
    writeFileSync(old, canonicalJson({ ...e, hash: sha256Hex(canonicalJson(e)) }) + "\n");
    const r = dplc(["run", coin, "--replay", old]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/format xdv-071\/1, this dplc replays xdv-071\/2 only: record the program again/);
  });

  it("refuses a key file others can read", () => {
    const loose = join(dir, "loose", "k.json");
    expect(dplc(["run", hello, "--record", join(dir, "l.trace")], { DPLC_TRACE_KEY: loose }).status).toBe(0);
    chmodSync(loose, 0o644);
    const r = dplc(["run", hello, "--replay", join(dir, "l.trace")], { DPLC_TRACE_KEY: loose });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/can be read or changed by others \(mode 644\)/);
  });
});

describe("limit flags", () => {
  it("are usage errors when malformed", () => {
    for (const args of [["--timeout", "-1"], ["--fuel", "1.5"], ["--max-memory", "lots"], ["--fuel", ""]]) {
      const r = dplc(["run", hello, ...args]);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(/^error: `--(timeout|fuel|max-memory)` takes a positive/);
    }
  });
});
