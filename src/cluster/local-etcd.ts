/**
 * Starts a 3-member etcd cluster on 127.0.0.1 for the tests and the benchmark: free ports picked at random,
 * data in a temp folder, every process stopped by PID (and the folder removed) by `stop()`, and killed
 * by child-guard.ts if this process ends (exits, is interrupted or is killed) before `stop()`.
 * `etcdAvailable()` says why the tests must skip when the binary is missing.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { guardChild } from "./child-guard.js";
import { EtcdKv } from "./etcd-kv.js";

export function etcdAvailable(): string | null {
  const r = spawnSync("etcd", ["--version"], { encoding: "utf8" });
  return r.status === 0 ? null : "etcd is not installed (Debian: apt-get install etcd-server etcd-client; .ci/run does this)";
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

export interface EtcdCluster {
  readonly endpoints: string[];
  /** host:port list for the CLI. */
  readonly cliEndpoints: string;
  readonly members: { name: string; proc: ChildProcess | null; client: number; args: string[] }[];
  kill(i: number): void;
  pause(i: number): void;
  resume(i: number): void;
  restart(i: number): void;
  stop(): Promise<void>;
}

export async function startEtcd(): Promise<EtcdCluster> {
  const dir = mkdtempSync(join(tmpdir(), "dplc-etcd-"));
  const ports: number[] = [];
  while (ports.length < 6) {
    const p = await freePort();
    if (!ports.includes(p)) ports.push(p);
  }
  const names = ["e1", "e2", "e3"];
  const initial = names.map((n, i) => `${n}=http://127.0.0.1:${ports[2 * i + 1]}`).join(",");
  const members = names.map((name, i) => {
    const client = ports[2 * i]!;
    const peer = ports[2 * i + 1]!;
    const args = [
      "--name", name, "--data-dir", join(dir, name),
      "--listen-client-urls", `http://127.0.0.1:${client}`, "--advertise-client-urls", `http://127.0.0.1:${client}`,
      "--listen-peer-urls", `http://127.0.0.1:${peer}`, "--initial-advertise-peer-urls", `http://127.0.0.1:${peer}`,
      "--initial-cluster", initial, "--initial-cluster-state", "new", "--initial-cluster-token", `dplc-test-${ports[0]}`,
      "--heartbeat-interval", "50", "--election-timeout", "500", "--logger", "zap", "--log-outputs", join(dir, `${name}.log`),
    ];
    return { name, client, args, proc: null as ChildProcess | null };
  });
  const launch = (m: (typeof members)[number]): void => {
    m.proc = spawn("etcd", m.args, { stdio: "ignore" });
    // Killed with us if we die first (vitest interrupted or killed): no etcd left running.
    guardChild(m.proc);
  };
  members.forEach(launch);
  const endpoints = members.map((m) => `http://127.0.0.1:${m.client}`);
  const stop = async (): Promise<void> => {
    for (const m of members) {
      if (m.proc?.pid !== undefined && m.proc.exitCode === null) {
        try {
          process.kill(m.proc.pid, "SIGCONT");
        } catch {
          /* already gone */
        }
        m.proc.kill("SIGKILL");
      }
    }
    await Promise.all(members.map((m) => (m.proc && m.proc.exitCode === null && m.proc.signalCode === null ? new Promise((r) => m.proc!.once("exit", r)) : null)));
    rmSync(dir, { recursive: true, force: true });
  };
  // Healthy: a linearizable write and read succeed (at most ~20 s, 100 tries).
  const kv = new EtcdKv({ endpoints, deadlineMs: 1000 });
  let healthy = false;
  for (let i = 0; i < 100 && !healthy; i++) {
    try {
      await kv.txn([], [{ put: "/health", value: "ok" }]);
      healthy = (await kv.get("/health")).entry?.value === "ok";
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await kv.close();
  if (!healthy) {
    await stop();
    throw new Error("the test etcd cluster did not become healthy");
  }
  const signal = (i: number, s: NodeJS.Signals): void => {
    const pid = members[i]!.proc?.pid;
    if (pid !== undefined) process.kill(pid, s);
  };
  return {
    endpoints,
    cliEndpoints: members.map((m) => `127.0.0.1:${m.client}`).join(","),
    members,
    kill: (i) => signal(i, "SIGKILL"),
    pause: (i) => signal(i, "SIGSTOP"),
    resume: (i) => signal(i, "SIGCONT"),
    restart: (i) => {
      const m = members[i]!;
      m.args = m.args.map((a) => (a === "new" ? "existing" : a));
      launch(m);
    },
    stop,
  };
}
