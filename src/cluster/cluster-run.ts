/**
 * `dplc run FILE --cluster ENDPOINTS --node NAME`: the run joins the cluster as node NAME
 * for its duration (K only), and its Q work goes to the members that serve Q. The only
 * entry point the CLI needs; without `--cluster` none of this is loaded.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { writeFileAtomic } from "../workspace/write-file.js";
import type { EmbeddedKernel, HybridAbi, RuntimeEvent, Result } from "../host/index.js";
import { RecordingAbi } from "../host/index.js";
import type { RunOptions } from "../compiler/run.js";
import { canonicalJson, type JsonValue } from "../host/trace/canonical-json.js";
import type { EpochAllocation } from "./bridge-protocol.js";
import { ClusterOracle } from "./cluster-oracle.js";
import { SyncBridge } from "./sync-bridge.js";

export interface ClusterRunOptions {
  readonly endpoints: string;
  readonly node: string;
  readonly cluster?: string;
  readonly tenant?: string;
  readonly ttlSeconds?: number;
  /** `--allocation epoch --workload W --peers a,b,c`: deterministic grants (workload.ts). */
  readonly allocation?: EpochAllocation;
}

const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/** `a:1,b:2` or `http://a:1,etcd://b:2` → gRPC endpoints; a string says what is wrong. */
export function parseEndpoints(text: string): string[] | string {
  const parts = text.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length === 0) return "`--cluster` needs at least one etcd endpoint (host:port)";
  const out: string[] = [];
  for (const p of parts) {
    const m = /^(?:(?:https?|etcd):\/\/)?([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})\/?$/.exec(p);
    if (!m || Number(m[2]) > 65535) return `\`${p}\` is not an etcd endpoint (host:port, optionally http://)`;
    out.push(`http://${m[1]}:${m[2]}`);
  }
  return out;
}

export function checkNodeName(name: string): string | undefined {
  return NODE_NAME.test(name) ? undefined : `\`${name}\` is not a node name (letters, digits, '.', '_', '-'; at most 63)`;
}

/**
 * Scheduling hints from the program (XDV-081 §5.1): a recorded runtime event whose detail is
 * `prefer-node=NAME` makes NAME the preferred node for the next placements. The event is
 * recorded as usual, so replay sees it; placement stays advisory.
 */
class HintingAbi extends RecordingAbi {
  readonly #oracle: ClusterOracle;
  constructor(inner: HybridAbi, oracle: ClusterOracle) {
    super(inner);
    this.#oracle = oracle;
  }
  override recordEvent(event: RuntimeEvent): Result<bigint> {
    for (const v of Object.values(event?.data ?? {})) {
      const m = typeof v === "string" ? /^prefer-node=([A-Za-z0-9][A-Za-z0-9_.-]{0,62})$/.exec(v) : null;
      if (m) this.#oracle.hint = { prefer: m[1]! };
    }
    return super.recordEvent(event);
  }
}

export interface ClusterSession {
  readonly runOptions: Pick<RunOptions, "oracle" | "abi">;
  /** After the run: names the node in every telemetry record, then leaves the cluster. */
  finish(telemetryFile: string | undefined): Promise<void>;
}

export async function joinForRun(o: ClusterRunOptions): Promise<ClusterSession | string> {
  const endpoints = parseEndpoints(o.endpoints);
  if (typeof endpoints === "string") return endpoints;
  const bad = checkNodeName(o.node);
  if (bad) return bad;
  const ttl = o.ttlSeconds ?? 3;
  if (o.allocation) {
    const w = o.allocation;
    if (!NODE_NAME.test(w.workload)) return `\`${w.workload}\` is not a workload name (letters, digits, '.', '_', '-'; at most 63)`;
    for (const p of w.peers) {
      const badPeer = checkNodeName(p);
      if (badPeer) return badPeer;
    }
    if (!w.peers.includes(o.node)) return `\`--peers\` must list this run's own node \`${o.node}\``;
  }
  const { bridge, join } = await SyncBridge.start({ endpoints, cluster: o.cluster ?? "default", node: o.node, tenant: o.tenant ?? null, ttlSeconds: ttl, deadlineMs: 3000, allocation: o.allocation ?? null });
  if (!join.ok) {
    await bridge.close(1000);
    return `cannot join the cluster at ${endpoints.join(",")} as \`${o.node}\`: ${join.message.split("\n")[0]}`;
  }
  let oracle: ClusterOracle | null = null;
  return {
    runOptions: {
      // A workload's name is unique per execution, and keeps its contract keys reproducible.
      oracle: (live) => (oracle = new ClusterOracle(live, bridge, { node: o.node, runId: o.allocation ? `w-${o.allocation.workload}` : randomBytes(8).toString("hex"), callTimeoutMs: ttl * 1000 + 4000 })),
      abi: (kernel: EmbeddedKernel) => (oracle ? new HintingAbi(kernel, oracle) : kernel),
    },
    async finish(telemetryFile) {
      (oracle as ClusterOracle | null)?.finish();
      await bridge.close();
      if (telemetryFile) nameTheNode(telemetryFile, o.node);
    },
  };
}

/** XDV-070 §5.2: merged telemetry must say which node each record came from. */
function nameTheNode(file: string, node: string): void {
  const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.length > 0);
  const out = lines.map((l) => canonicalJson({ ...(JSON.parse(l) as Record<string, JsonValue>), node })).join("\n");
  writeFileAtomic(file, out.length > 0 ? out + "\n" : "");
}
