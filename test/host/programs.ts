/**
 * Programs written the way emitted code talks to the ABI: through `HybridAbi` only, with
 * control flow that depends on measurement outcomes and Φ readings, so that a replay which
 * re-sampled instead of reading the trace would take a different path.
 */
import type { HybridAbi, PhiTransformDescriptor, QJobResult, Result } from "#runtime/abi.js";
import { BELL, qasm } from "./helpers.js";

/** What a run showed the program: every value the ABI returned, for leak checks. */
export interface ProgramLog {
  readonly results: unknown[];
  readonly exit: number;
}

function keep<T>(log: unknown[], r: Result<T>): Result<T> {
  log.push(r);
  return r;
}

const GHZ5 = qasm(`
qreg q[5];
creg c[5];
h q[0];
cx q[0],q[1];
cx q[1],q[2];
cx q[2],q[3];
cx q[3],q[4];
measure q -> c;
`);

const TELEPORT_LIKE = qasm(`
gate prep(t) a { ry(t) a; }
qreg q[3];
creg m[2];
creg out[1];
prep(pi/3) q[0];
h q[1];
cx q[1],q[2];
cx q[0],q[1];
h q[0];
measure q[0] -> m[0];
measure q[1] -> m[1];
if(m==1) z q[2];
if(m==2) x q[2];
if(m==3) y q[2];
measure q[2] -> out[0];
reset q[0];
`);

export interface ProgramOptions {
  /** Variation points used by divergence tests. */
  readonly logSuffix?: string;
  readonly bellShots?: number;
  readonly stopEarly?: boolean;
}

export function hybridProgram(abi: HybridAbi, options: ProgramOptions = {}): ProgramLog {
  const results: unknown[] = [];
  const me = abi.self();
  abi.kLog(`process ${me.pid} of tenant ${me.tenant_id} starting`);

  const qCap = keep(results, abi.requestCapability("Q"));
  const phiCap = keep(results, abi.requestCapability("Φ"));
  const kCap = keep(results, abi.requestCapability("K"));
  if (!qCap.ok || !phiCap.ok || !kCap.ok) return { results, exit: 2 };

  const qc = keep(results, abi.acquireQContract({ capability: qCap.value.raw_id, qubits: 5, decoherence_budget: 40n, shot_budget: 10_000n, lifetime: 500n }));
  if (!qc.ok) return { results, exit: 3 };

  const bell = keep(results, abi.xdvCall("K", "Q", { contract_id: qc.value.id, qubit_count: 2, circuit: BELL, shots: options.bellShots ?? 500, per_shot: true }, qCap.value.raw_id));
  if (!bell.ok) return { results, exit: 4 };
  const zeros = bell.value.counts.find((c) => c.bitstring === "00")?.count ?? 0;
  abi.kLog(`bell 00=${zeros}${options.logSuffix ?? ""}`);
  if (options.stopEarly) return { results, exit: 0 };

  // Outcome-dependent control flow: which circuit runs next depends on the sample.
  const next = zeros > 250 ? GHZ5 : TELEPORT_LIKE;
  const second = keep(results, abi.xdvCall("K", "Q", { contract_id: qc.value.id, qubit_count: 5, circuit: next, shots: 300 }, qCap.value.raw_id)) as Result<QJobResult>;
  const third = keep(results, abi.xdvCall("K", "Q", { contract_id: qc.value.id, qubit_count: 3, circuit: TELEPORT_LIKE, shots: 200 }, qCap.value.raw_id));
  if (third.ok) abi.kLog(`teleport outcomes ${third.value.counts.length}`);

  // A forged capability and a budget overrun: faults are part of the recorded behaviour.
  keep(results, abi.xdvCall("K", "Q", { contract_id: qc.value.id, qubit_count: 2, circuit: BELL, shots: 10 }, qCap.value.raw_id ^ 0xffn));
  const deep = qasm("qreg q[1];\ncreg c[1];\n" + "h q[0];\n".repeat(60) + "measure q -> c;");
  keep(results, abi.xdvCall("K", "Q", { contract_id: qc.value.id, qubit_count: 1, circuit: deep, shots: 10 }, qCap.value.raw_id));

  // Φ: a window, transforms inside it, monitoring, then one transform asking too much.
  const start = abi.now() + 5n;
  const pc = keep(results, abi.acquirePhiContract({ capability: phiCap.value.raw_id, window_start: start, window_duration: 400n, stability_tolerance: 7000, transform_budget: 20n }));
  if (!pc.ok) return { results, exit: 5 };
  abi.waitUntil(start);
  let modes = 0;
  for (let i = 1; i <= 4; i++) {
    const d: PhiTransformDescriptor = { contract_id: pc.value.id, transform_id: i, coherence_start: start, duration: 400n, stability_tolerance: 7500 };
    const r = keep(results, abi.xdvCall("K", "Φ", d, phiCap.value.raw_id));
    if (r.ok) modes += r.value.dominant_mode;
    // Stability-dependent branch: monitor again only when the last reading was low.
    if (r.ok && r.value.stability.stability_level < 9000) keep(results, abi.phiStability(pc.value.id, phiCap.value.raw_id));
  }
  keep(results, abi.xdvCall("K", "Φ", { contract_id: pc.value.id, transform_id: 5, coherence_start: start, duration: 400n, stability_tolerance: 10000 }, phiCap.value.raw_id));
  abi.kLog(`phi modes ${modes}`);

  // IPC to a child process, which answers.
  const child = keep(results, abi.spawnProcess());
  if (child.ok) {
    abi.transition(child.value, "Initialized");
    abi.transition(child.value, "DomainBound", ["K"]);
    abi.transition(child.value, "Active");
    keep(results, abi.ipcSend({ receiver: child.value, source_domain: "K", target_domain: "K", capability: kCap.value.raw_id, payload: { second_ok: second.ok, zeros: BigInt(zeros), tags: ["a", "b"] } }));
    abi.switchTo(child.value);
    const inbox = keep(results, abi.ipcReceive());
    const childCap = keep(results, abi.requestCapability("K"));
    if (inbox.ok && inbox.value && childCap.ok) {
      keep(results, abi.ipcSend({ receiver: me.pid, source_domain: "K", target_domain: "K", capability: childCap.value.raw_id, payload: { ack: inbox.value.seq } }));
    }
    abi.switchTo(me.pid);
    keep(results, abi.ipcReceive());
    abi.transition(child.value, "Terminated");
  }

  keep(results, abi.recordEvent({ kind: "checkpoint", data: { zeros, stage: "done", ok: true } }));
  keep(results, abi.emitMetric({ metric: "program_zeros", domain: "Q", value: BigInt(zeros), unit: "count" }));
  keep(results, abi.contractStatus(qc.value.id));
  keep(results, abi.releaseContract(pc.value.id));
  abi.kLog("done");
  return { results, exit: zeros % 7 };
}
