/**
 * Integration on loopback: 3 etcd members and 3 `dplc node` processes started here, every
 * process stopped by PID at the end, every wait bounded in count and time. Skipped, with
 * the reason, when etcd is not installed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Coordinator } from "../../src/cluster/coordinator.js";
import { EtcdKv } from "../../src/cluster/etcd-kv.js";
import { checkRegister, type HistoryOp } from "../../src/cluster/lincheck.js";
import { verifyDecisionChain } from "../../src/cluster/decision-chain.js";
import { Workload } from "../../src/cluster/workload.js";
import { DPLC, REPO_ROOT, runDplc } from "../helpers.js";
import { etcdAvailable, startEtcd, type EtcdCluster } from "../../src/cluster/local-etcd.js";

const missing = etcdAvailable();
const dir = mkdtempSync(join(tmpdir(), "dplc-cluster-it-"));
let etcd: EtcdCluster;
const nodes = new Map<string, ChildProcess>();
const clients: EtcdKv[] = [];

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Runs bin/dplc without blocking the test's event loop; killed after `timeoutMs`. */
function dplc(args: readonly string[], timeoutMs = 90_000): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [DPLC, ...args], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const t = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    p.on("close", (code) => {
      clearTimeout(t);
      resolve({ status: code ?? -1, stdout, stderr });
    });
  });
}

async function startNode(name: string, extra: readonly string[] = []): Promise<ChildProcess> {
  const p = spawn(process.execPath, [DPLC, "node", "--cluster", etcd.cliEndpoints, "--name", name, "--domains", "K,Q", "--record", join(dir, `${name}.log`), ...extra], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  nodes.set(name, p);
  let out = "";
  p.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  p.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  for (let i = 0; i < 200 && !out.includes("joined"); i++) await sleep(100);
  if (!out.includes("joined")) throw new Error(`node ${name} did not join: ${out}`);
  return p;
}

function stopProcess(p: ChildProcess | undefined, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return Promise.resolve(p?.exitCode ?? null);
  return new Promise((resolve) => {
    const t = setTimeout(() => p.kill("SIGKILL"), 8000);
    p.once("exit", (code) => {
      clearTimeout(t);
      resolve(code);
    });
    p.kill(signal);
  });
}

describe.skipIf(missing !== null)(`dplc on a 3-member etcd with 3 nodes${missing ? ` (skipped: ${missing})` : ""}`, () => {
  beforeAll(async () => {
    etcd = await startEtcd();
    await Promise.all([startNode("qpu1"), startNode("qpu2"), startNode("qpu3", ["--tenant", "2"]), startNode("phi1", ["--domains", "K,Φ", "--windows", "2"]), startNode("wpool")]);
  }, 60_000);

  afterAll(async () => {
    await Promise.allSettled([...nodes.values()].map((p) => stopProcess(p)));
    await Promise.allSettled(clients.map((c) => c.close()));
    await etcd?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  const examples: [string, string[]][] = [
    ["examples/bell_pair.ds", ["--seed", "7"]],
    ["examples/ghz_job.ds", []],
    ["examples/cluster/hybrid_remote.ds", ["--seed", "11"]],
  ];

  it.each(examples)("%s: same stdout as the embedded kernel, and its trace replays without a cluster", async (file, seed) => {
    const embedded = runDplc(["run", file, ...seed]);
    expect(embedded.status).toBe(0);
    const trace = join(dir, `${file.replace(/\W/g, "_")}.trace`);
    const telemetry = join(dir, "telemetry.jsonl");
    const clustered = await dplc(["run", file, ...seed, "--cluster", etcd.cliEndpoints, "--node", "app", "--record", trace, "--telemetry", telemetry]);
    expect(clustered.stderr).toBe("");
    expect(clustered.status).toBe(0);
    expect(clustered.stdout).toBe(embedded.stdout);
    const records = readFileSync(telemetry, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(records.length).toBeGreaterThan(0);
    for (const rec of records) expect(rec.node).toBe("app");
    // The Q work ran elsewhere, and the trace says where and at which revision.
    const remote = readFileSync(trace, "utf8").split("\n").filter((l) => l.includes('"event_type":"q_result"')).map((l) => JSON.parse(l).metadata.remote);
    expect(remote.length).toBeGreaterThan(0);
    for (const r of remote) expect(["qpu1", "qpu2"]).toContain(r.node);
    if (file.includes("hybrid_remote")) expect(remote[0].node).toBe("qpu2"); // the program's hint
    const replayed = join(dir, "replayed.trace");
    const replay = runDplc(["run", file, "--replay", trace, "--record", replayed]);
    expect(replay.stderr).toBe("");
    expect(replay.stdout).toBe(embedded.stdout);
    expect(readFileSync(replayed, "utf8")).toBe(readFileSync(trace, "utf8"));
  });

  it("Φ envelopes are served by the node that serves Φ: same stdout as embedded, every reading recorded with its node, replay without a cluster", async () => {
    const file = "examples/phi_window.ds";
    const embedded = runDplc(["run", file, "--seed", "5"]);
    expect(embedded.status).toBe(0);
    const trace = join(dir, "phi.trace");
    const clustered = await dplc(["run", file, "--seed", "5", "--cluster", etcd.cliEndpoints, "--node", "phi-app", "--record", trace]);
    expect(clustered.stderr).toBe("");
    expect(clustered.stdout).toBe(embedded.stdout);
    const entries = readFileSync(trace, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const phi = entries.filter((e) => e.event_type === "phi_stability" || e.event_type === "phi_result");
    expect(phi.length).toBeGreaterThan(0);
    for (const e of phi) expect(e.metadata.remote).toMatchObject({ node: "phi1", from: "phi-app" });
    const acquired = entries.filter((e) => e.event_type === "contract_acquire" && e.domain === "Φ");
    expect(acquired.length).toBe(2);
    for (const e of acquired) expect(e.metadata.remote).toMatchObject({ node: "phi1", placement: "rule" });
    // Both windows were given back to phi1's pool.
    const kv = new EtcdKv({ endpoints: etcd.endpoints, deadlineMs: 3000 });
    clients.push(kv);
    expect((await new Coordinator(kv, "default", "observer").pool("phi1", "Φ")).pool).toEqual({ capacity: 2, free: 2 });
    const replayed = join(dir, "phi-replayed.trace");
    const replay = runDplc(["run", file, "--replay", trace, "--record", replayed]);
    expect(replay.stderr).toBe("");
    expect(replay.stdout).toBe(embedded.stdout);
    expect(readFileSync(replayed, "utf8")).toBe(readFileSync(trace, "utf8"));
  });

  it("epoch allocation: a contended workload of three runs gets the same grants twice, whoever arrives first, and leaves the pool full", async () => {
    const execute = async (workload: string, order: readonly string[]): Promise<Map<string, string>> => {
      const runs = order.map(async (node, i) => {
        await sleep(400 * i);
        const r = await dplc(["run", "examples/cluster/contention.ds", "--cluster", etcd.cliEndpoints, "--node", node, "--allocation", "epoch", "--workload", workload, "--peers", "wa,wb,wc"]);
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        return [node, r.stdout] as const;
      });
      return new Map(await Promise.all(runs));
    };
    const first = await execute("contention-1", ["wc", "wb", "wa"]);
    const second = await execute("contention-2", ["wa", "wb", "wc"]);
    expect(second).toEqual(first);
    // Round 0 goes by the rule (same priority and logical time: node name), not by arrival.
    expect(first.get("wa")).toContain("round 0: granted 10 qubits");
    expect(first.get("wb")).toContain("round 0: granted 10 qubits");
    expect(first.get("wc")).toContain("round 0: RESOURCE_EXHAUSTED");
    for (const out of first.values()) expect(out).toContain("round 1: RESOURCE_EXHAUSTED");
    for (const out of first.values()) expect(out).toContain("round 2: granted 8 qubits");
    const kv = new EtcdKv({ endpoints: etcd.endpoints, deadlineMs: 3000 });
    clients.push(kv);
    const coord = new Coordinator(kv, "default", "observer");
    const chains = await Promise.all(["contention-1", "contention-2"].map((w) => new Workload(coord, w, ["wa", "wb", "wc"]).decisions()));
    expect(chains[0]!.map((d) => d.hash)).toEqual(chains[1]!.map((d) => d.hash));
    expect(verifyDecisionChain(chains[0]!).ok).toBe(true);
    expect((await coord.pool("wpool")).pool).toEqual({ capacity: 24, free: 24 });
  }, 180_000);

  it("merges the run's trace with the nodes' logs into one order by revision, verifying every chain", async () => {
    const trace = join(dir, "merge.trace");
    const r = await dplc(["run", "examples/bell_pair.ds", "--seed", "7", "--cluster", etcd.cliEndpoints, "--node", "merger", "--record", trace]);
    expect(r.status).toBe(0);
    const m = runDplc(["trace", "merge", join(dir, "qpu2.log"), trace, join(dir, "qpu1.log")]);
    expect(m.status).toBe(0);
    const lines = m.stdout.trim().split("\n").map((l) => JSON.parse(l) as { node: string; cluster_rev: number | null; event: string });
    const revs = lines.map((l) => l.cluster_rev).filter((v): v is number => v !== null);
    expect(revs).toEqual([...revs].sort((a, b) => a - b));
    const served = lines.find((l) => l.event === "call_served" && l.cluster_rev === lines.find((x) => x.node === "merger" && x.event === "q_result")!.cluster_rev);
    expect(served).toBeDefined();
    expect(m.stderr).toMatch(/verified merger: \d+ entries/);
    // The order does not depend on the order of the files.
    expect(runDplc(["trace", "merge", trace, join(dir, "qpu1.log"), join(dir, "qpu2.log")]).stdout).toBe(m.stdout);
  });

  it("keeps tenants apart across nodes: a tenant-2 node is never placed for tenant 1 and refuses its calls and grants", async () => {
    const kv = new EtcdKv({ endpoints: etcd.endpoints });
    clients.push(kv);
    const c = new Coordinator(kv, "default", "intruder");
    const grant = await c.grant({ contract: "x1", requesting_node: "intruder", target_node: "qpu3", domain: "Q", qubits: 1, tenant: "1", pid: "1", logical_ts: 0 });
    expect(grant).toMatchObject({ ok: false, reason: "cross-tenant" });
    const call = { call_id: `tenant-probe-${process.pid}`, from: "intruder", contract: "x1", tenant: "1", qubits: 1, circuit: "", shots: 1, per_shot: false, stream_seed: "1" };
    const sent = await c.submitCall("qpu3", call);
    const r = await c.awaitResult("qpu3", call.call_id, sent.revision, 10_000);
    expect(r).toMatchObject({ result: { ok: false, code: "DOMAIN_UNAUTHORIZED", reason: "node-cross-tenant" } });
  });

  it("an unreachable cluster at start is exit 2 with one line", async () => {
    const r = await dplc(["run", "examples/hello.ds", "--cluster", "127.0.0.1:9", "--node", "app"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: cannot join the cluster at http:\/\/127\.0\.0\.1:9/);
  });

  it("a run survives one etcd member of three being killed", async () => {
    etcd.kill(1);
    try {
      const r = await dplc(["run", "examples/bell_pair.ds", "--seed", "7", "--cluster", etcd.cliEndpoints, "--node", "survivor"]);
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe(readFileSync(join(REPO_ROOT, "examples/bell_pair.stdout"), "utf8"));
    } finally {
      etcd.restart(1);
    }
  });

  it("register operations stay linearizable while members are paused and killed", async () => {
    const kvs = Array.from({ length: 3 }, () => new EtcdKv({ endpoints: etcd.endpoints, deadlineMs: 1500 }));
    clients.push(...kvs);
    const key = `/lin/${process.pid}`;
    const history: HistoryOp[] = [];
    const t0 = performance.now();
    const now = (): number => performance.now() - t0;
    let stop = false;
    let unique = 0;
    const client = async (kv: EtcdKv, id: number): Promise<void> => {
      for (let i = 0; i < 400 && !stop; i++) {
        const call = now();
        const pick = (i * 7 + id * 3) % 10;
        try {
          if (pick < 4) {
            const r = await kv.get(key);
            history.push({ call, ret: now(), op: { kind: "read", value: r.entry?.value ?? null, rev: r.entry?.modRevision ?? 0 } });
          } else if (pick < 7) {
            const value = `w${id}-${unique++}`;
            try {
              const r = await kv.txn([], [{ put: key, value }]);
              history.push({ call, ret: now(), op: { kind: "write", value, rev: r.revision } });
            } catch {
              history.push({ call, ret: Infinity, op: { kind: "write", value, rev: null } });
            }
          } else {
            const seen = await kv.get(key);
            const expectRev = seen.entry?.modRevision ?? 0;
            const c2 = now();
            const value = `c${id}-${unique++}`;
            try {
              const r = await kv.txn([{ key, modRevision: expectRev }], [{ put: key, value }]);
              history.push({ call: c2, ret: now(), op: { kind: "cas", expectRev, value, ok: r.succeeded, rev: r.succeeded ? r.revision : null } });
            } catch {
              history.push({ call: c2, ret: Infinity, op: { kind: "cas", expectRev, value, ok: null, rev: null } });
            }
          }
        } catch {
          // A read that failed tells nothing; it is left out.
        }
      }
    };
    const nemesis = (async () => {
      await sleep(400);
      etcd.pause(0);
      await sleep(1200);
      etcd.resume(0);
      await sleep(400);
      etcd.kill(2);
      await sleep(1200);
      etcd.restart(2);
      await sleep(600);
      stop = true;
    })();
    await Promise.all([...kvs.map((kv, i) => client(kv, i)), nemesis]);
    expect(history.filter((h) => Number.isFinite(h.ret)).length).toBeGreaterThan(30);
    const r = checkRegister(history);
    expect(r.exhausted).toBeUndefined();
    expect(r.linearizable).toBe(true);
  }, 60_000);

  it("killing the node that serves a run's Q calls gives the program Err(CONTRACT_INVALID), and the dead node's contract is released and recorded", async () => {
    // Whichever Q node the placement picks (ties go to the lower name, but a node that lost its
    // lease during the fault tests above is not a candidate), the one that serves is killed.
    const trace = join(dir, "killed.trace");
    let finished: { status: number; stderr: string } | undefined;
    const run = dplc(["run", "test/cluster/programs/many_jobs.ds", "--cluster", etcd.cliEndpoints, "--node", "victim-app", "--record", trace], 120_000).then((r) => {
      finished = r;
      return r;
    });
    const candidates = ["qpu1", "qpu2", "wpool"].filter((n) => nodes.get(n)?.exitCode === null && nodes.get(n)?.signalCode === null);
    const served = (name: string): number => {
      try {
        return readFileSync(join(dir, `${name}.log`), "utf8").split("\n").filter((l) => l.includes('"from":"victim-app"')).length;
      } catch {
        return 0;
      }
    };
    const server = (): string | undefined => candidates.find((n) => served(n) >= 3);
    for (let i = 0; i < 600 && server() === undefined && !finished; i++) await sleep(100);
    const victim = server();
    expect(victim, `no node served victim-app's calls; candidates ${candidates.join(",")}; run: ${finished ? `exit ${finished.status}, ${finished.stderr}` : "still running"}`).toBeDefined();
    nodes.get(victim!)!.kill("SIGKILL");
    const r = await run;
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^job \d+: CONTRACT_INVALID\n$/);
    const entries = readFileSync(trace, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const fault = entries.find((e) => e.event_type === "fault" && e.metadata.reason === "node-unreachable");
    // Released on the dead node's pool by the requester, at a recorded revision.
    expect(fault?.metadata).toMatchObject({ code: "CONTRACT_INVALID", node: victim, remote_released: true });
    expect(typeof fault?.metadata.release_rev).toBe("number");
    expect(entries.some((e) => e.event_type === "contract_invalidate")).toBe(true);
    const kv = new EtcdKv({ endpoints: etcd.endpoints });
    clients.push(kv);
    const c = new Coordinator(kv, "default", "observer");
    expect((await c.contractsOn(victim!)).filter((x) => x.requesting_node === "victim-app")).toEqual([]);
    // The replay needs no cluster and reproduces the failure byte for byte.
    const replayed = join(dir, "killed.replayed");
    expect(runDplc(["run", "test/cluster/programs/many_jobs.ds", "--replay", trace, "--record", replayed]).stdout).toBe(r.stdout);
    expect(readFileSync(replayed, "utf8")).toBe(readFileSync(trace, "utf8"));
  }, 150_000);

  it("a node stopped with SIGTERM releases the contracts on its pool, records it, and revokes its lease", async () => {
    const p = await startNode("leaver");
    const kv = new EtcdKv({ endpoints: etcd.endpoints });
    clients.push(kv);
    const c = new Coordinator(kv, "default", "tenant-app");
    expect(await c.grant({ contract: `leave-${process.pid}`, requesting_node: "tenant-app", target_node: "leaver", domain: "Q", qubits: 2, tenant: "1", pid: "1", logical_ts: 0 })).toMatchObject({ ok: true });
    expect(await stopProcess(p)).toBe(0);
    expect(await c.isMember("leaver")).toBeNull();
    expect(await c.contractsOn("leaver")).toEqual([]);
    const log = readFileSync(join(dir, "leaver.log"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(log.map((e) => e.op)).toEqual(["node_join", "contract_released", "node_leave"]);
    expect(log[1].data).toMatchObject({ cause: "server-left", contract: `leave-${process.pid}` });
    expect(runDplc(["trace", "merge", join(dir, "leaver.log")]).status).toBe(0);
  });

  // Last: it takes the quorum away, and every node of the suite stops serving.
  it("a node cut off from the etcd quorum stops serving and exits 1", async () => {
    const p = await startNode("isolated", ["--ttl", "2"]);
    let stderr = "";
    p.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => p.once("exit", (code) => resolve(code)));
    etcd.pause(1);
    etcd.pause(2);
    try {
      const code = await Promise.race([exited, sleep(20_000).then(() => "still running" as const)]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/lost its cluster membership .*cut off from the etcd quorum.*stopped serving/);
    } finally {
      etcd.resume(1);
      etcd.resume(2);
    }
  }, 40_000);
});
