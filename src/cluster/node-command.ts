/**
 * `dplc node --cluster ENDPOINTS --name NAME [--domains K,Q,Φ] [--tenant T] [--qubits N]
 * [--windows N] [--record LOG]`: joins the cluster and serves remote calls until SIGINT/SIGTERM, then
 * leaves cleanly (contracts on its pool released and recorded, lease revoked). Exit 0 after a
 * clean leave; 1 when it lost its membership (cut off from the quorum) and stopped serving;
 * 2 when it could not join (one line).
 */
import { Coordinator } from "./coordinator.js";
import { EtcdKv } from "./etcd-kv.js";
import { checkNodeName, parseEndpoints } from "./cluster-run.js";
import { NodeLogFile } from "./node-log.js";
import { NodeServer } from "./node-server.js";
import type { ClusterDomain, MemberRecord } from "./placement.js";

export interface NodeCommandOptions {
  readonly cluster: string;
  readonly name: string;
  readonly domains?: string;
  readonly tenant?: string;
  readonly qubits?: string;
  readonly windows?: string;
  readonly record?: string;
  readonly clusterName?: string;
  readonly ttl?: string;
}

export function parseDomains(text: string): ClusterDomain[] | string {
  const out: ClusterDomain[] = [];
  for (const raw of text.split(",").map((s) => s.trim())) {
    const d = raw === "Phi" ? "Φ" : raw;
    if (d !== "K" && d !== "Q" && d !== "Φ") return `\`${raw}\` is not a domain (K, Q, Φ or Phi)`;
    if (!out.includes(d)) out.push(d);
  }
  if (!out.includes("K")) out.unshift("K");
  return out;
}

function positive(text: string | undefined, fallback: number, what: string, max: number): number | string {
  if (text === undefined) return fallback;
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= 1 && n <= max ? n : `\`${what}\` takes an integer between 1 and ${max}, not \`${text}\``;
}

/** Resolves with the exit status; `usage` is a one-line error for exit 2. */
export async function runNode(o: NodeCommandOptions, signals: NodeJS.EventEmitter = process): Promise<{ status: number } | { usage: string }> {
  const endpoints = parseEndpoints(o.cluster);
  if (typeof endpoints === "string") return { usage: endpoints };
  const bad = checkNodeName(o.name);
  if (bad) return { usage: bad };
  const domains = parseDomains(o.domains ?? "K,Q,Φ");
  if (typeof domains === "string") return { usage: domains };
  const qubits = positive(o.qubits, 24, "--qubits", 24);
  if (typeof qubits === "string") return { usage: qubits };
  const windows = positive(o.windows, 4, "--windows", 64);
  if (typeof windows === "string") return { usage: windows };
  const ttl = positive(o.ttl, 3, "--ttl", 60);
  if (typeof ttl === "string") return { usage: ttl };
  if (o.tenant !== undefined && !/^[0-9]{1,20}$/.test(o.tenant)) return { usage: `\`--tenant\` takes a tenant id (an integer), not \`${o.tenant}\`` };
  const member: MemberRecord = {
    name: o.name,
    domains,
    q: domains.includes("Q") ? { qubits, decoherence_budget: 1_000_000, shot_budget: 1_000_000 } : null,
    phi: domains.includes("Φ") ? { windows } : null,
    tenant: o.tenant ?? null,
  };
  const kv = new EtcdKv({ endpoints, deadlineMs: 3000 });
  const coord = new Coordinator(kv, o.clusterName ?? "default", o.name);
  const log = new NodeLogFile(o.name, o.record);
  let stopped: (status: number) => void = () => {};
  const done = new Promise<number>((resolve) => (stopped = resolve));
  const server = new NodeServer(coord, member, {
    ttlSeconds: ttl,
    log,
    onStopped: (why) => {
      process.stderr.write(`error: ${why}\n`);
      stopped(1);
    },
  });
  let joined;
  try {
    joined = await server.start();
  } catch (e) {
    await kv.close().catch(() => undefined);
    return { usage: `cannot join the cluster at ${endpoints.join(",")}: ${(e as Error).message.split("\n")[0]}` };
  }
  if (!joined.ok) {
    await kv.close().catch(() => undefined);
    return { usage: joined.message };
  }
  process.stdout.write(`node ${o.name} joined at revision ${joined.revision}; serving ${domains.join(",")}${member.tenant ? ` for tenant ${member.tenant}` : ""}\n`);
  const leave = (): void => {
    void server
      .stop()
      .then(() => stopped(0))
      .catch((e: unknown) => {
        process.stderr.write(`error: could not leave cleanly: ${(e as Error).message.split("\n")[0]} (the lease expires on its own)\n`);
        stopped(1);
      });
  };
  signals.once("SIGINT", leave);
  signals.once("SIGTERM", leave);
  const status = await done;
  signals.off("SIGINT", leave);
  signals.off("SIGTERM", leave);
  await kv.close().catch(() => undefined);
  // gRPC may keep retrying a cluster that is gone; the node's work is over either way.
  setTimeout(() => process.exit(status), 1500).unref();
  return { status };
}
