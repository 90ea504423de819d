/**
 * `npm run bench` figures for distributed execution, on a 3-member etcd started on loopback
 * for the purpose: remote Q and Φ call round trips, contract transaction, an epoch round, and a run's slowdown on a
 * 3-node cluster against the embedded kernel. Figures only; nothing asserts a timing.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../compiler/stdlib.js";
import { Coordinator, type RemotePhiCall } from "./coordinator.js";
import { EtcdKv } from "./etcd-kv.js";
import { etcdAvailable, startEtcd } from "./local-etcd.js";
import { NodeServer } from "./node-server.js";
import { Workload } from "./workload.js";

function pct(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  return `p50 ${pct(s, 50).toFixed(2)} ms, p99 ${pct(s, 99).toFixed(2)} ms (n=${s.length})`;
}

export async function runClusterBench(): Promise<{ what: string; value: string }[]> {
  const missing = etcdAvailable();
  if (missing) return [{ what: "cluster", value: `skipped: ${missing}` }];
  const etcd = await startEtcd();
  const kvs: EtcdKv[] = [];
  const kv = (): EtcdKv => {
    const k = new EtcdKv({ endpoints: etcd.endpoints });
    kvs.push(k);
    return k;
  };
  const nodes: ChildProcess[] = [];
  const rows: { what: string; value: string }[] = [];
  try {
    const server = new NodeServer(new Coordinator(kv(), "bench", "qpu"), { name: "qpu", domains: ["K", "Q", "Φ"], q: { qubits: 24, decoherence_budget: 1e6, shot_budget: 1e6 }, phi: { windows: 4 }, tenant: null }, { ttlSeconds: 5 });
    await server.start();
    const client = new Coordinator(kv(), "bench", "app");
    await client.join({ name: "app", domains: ["K"], q: null, phi: null, tenant: null }, 5, () => {});
    const grants: number[] = [];
    for (let i = 0; i < 320; i++) {
      const t = performance.now();
      const g = await client.grant({ contract: `g${i}`, requesting_node: "app", target_node: "qpu", domain: "Q", qubits: 1, tenant: "1", pid: "1", logical_ts: i });
      if (i >= 20 && g.ok) grants.push(performance.now() - t);
      await client.release("qpu", `g${i}`, "bench");
    }
    rows.push({ what: "cluster: contract grant txn (read member + pool, guarded txn)", value: summary(grants) });
    await client.grant({ contract: "calls", requesting_node: "app", target_node: "qpu", domain: "Q", qubits: 1, tenant: "1", pid: "1", logical_ts: 0 });
    const circuit = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\ncreg c[1];\nh q[0];\nmeasure q -> c;\n';
    const calls: number[] = [];
    for (let i = 0; i < 320; i++) {
      const t = performance.now();
      const call = { call_id: `bench-${process.pid}-${i}`, from: "app", contract: "calls", tenant: "1", qubits: 1, circuit, shots: 16, per_shot: false, stream_seed: String(i) };
      const sent = await client.submitCall("qpu", call);
      const r = await client.awaitResult("qpu", call.call_id, sent.revision, 10_000);
      if (i >= 20 && "result" in r) calls.push(performance.now() - t);
    }
    rows.push({ what: "cluster: remote Q call round trip (create call, serve, result watch)", value: summary(calls) });
    await client.grant({ contract: "phi", requesting_node: "app", target_node: "qpu", domain: "Φ", qubits: 1, tenant: "1", pid: "1", logical_ts: 0 });
    const probes: number[] = [];
    for (let i = 0; i < 320; i++) {
      const t = performance.now();
      const call: RemotePhiCall = {
        domain: "Φ",
        call_id: `bench-phi-${process.pid}-${i}`,
        from: "app",
        contract: "phi",
        tenant: "1",
        envelope: { id: "1", seeds: { init: "1", noise: "2", stability: "3" } },
        op: { kind: "probe", window_start: "0", window_duration: "1000", at: String(i) },
      };
      const sent = await client.submitCall("qpu", call);
      const r = await client.awaitResult("qpu", call.call_id, sent.revision, 10_000);
      if (i >= 20 && "result" in r) probes.push(performance.now() - t);
    }
    rows.push({ what: "cluster: remote Φ probe round trip", value: summary(probes) });
    const workload = new Workload(client, `bench-${process.pid}`, ["app"]);
    const rounds: number[] = [];
    for (let k = 0; k < 120; k++) {
      const t = performance.now();
      await workload.propose(k, { node: "app", pid: "1", seq: k, priority: 0, logical_ts: k, qubits: 1, target: "qpu", domain: "Q", contract: `bench-w-${k}`, tenant: "1" });
      const d = await workload.await(k, 10_000);
      if (k >= 20 && "decision" in d) rounds.push(performance.now() - t);
      await workload.release(k + 1, "qpu", `bench-w-${k}`, "bench");
    }
    rows.push({ what: "cluster: epoch round, one peer (propose, settle, decision)", value: summary(rounds) });
    await server.stop();
    await client.leave();

    // A whole run: 200 remote jobs on a 3-node cluster against the embedded kernel.
    const dplc = join(PACKAGE_ROOT, "bin", "dplc");
    const program = join(PACKAGE_ROOT, "examples", "cluster", "jobs_loop.ds");
    const eps = etcd.cliEndpoints;
    for (const n of ["qpu1", "qpu2", "qpu3"]) {
      const p = spawn(process.execPath, [dplc, "node", "--cluster", eps, "--name", n, "--domains", "K,Q"], { stdio: ["ignore", "pipe", "ignore"] });
      nodes.push(p);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 15_000);
        p.stdout!.on("data", (d: Buffer) => d.toString().includes("joined") && (clearTimeout(t), resolve()));
      });
    }
    const time = (args: readonly string[]): { ms: number; out: string } => {
      const t = performance.now();
      const r = spawnSync(process.execPath, [dplc, "run", program, ...args], { encoding: "utf8", timeout: 120_000 });
      return { ms: performance.now() - t, out: r.stdout };
    };
    time([]); // warm the compile cache
    const embedded = Math.min(time([]).ms, time([]).ms);
    const a = time(["--cluster", eps, "--node", "app"]);
    const b = time(["--cluster", eps, "--node", "app"]);
    const clustered = Math.min(a.ms, b.ms);
    const same = a.out === time([]).out ? "same stdout" : "STDOUT DIFFERS";
    rows.push({ what: "cluster: run of 200 remote Q jobs, 3 nodes, vs embedded", value: `${(clustered / embedded).toFixed(2)}× (${clustered.toFixed(0)} ms vs ${embedded.toFixed(0)} ms, ${same})` });
  } finally {
    for (const p of nodes) p.kill("SIGTERM");
    await Promise.all(nodes.map((p) => (p.exitCode === null ? new Promise((r) => p.once("exit", r)) : null)));
    await Promise.allSettled(kvs.map((k) => k.close()));
    await etcd.stop();
  }
  return rows;
}
