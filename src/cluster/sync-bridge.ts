/**
 * The DPL program runs synchronously on the main thread (the ABI is synchronous, abi.ts);
 * cluster I/O is asynchronous. The bridge keeps the program where it is and moves the I/O to
 * a worker thread: a request is posted to the worker, the main thread blocks on
 * `Atomics.wait` until the worker flips a shared flag, then takes the answer with
 * `receiveMessageOnPort`. The worker's event loop keeps running meanwhile (lease keep-alive,
 * watches), so a long computation in the program never costs the node its membership.
 *
 * Every wait has a deadline: an answer that does not come is reported, never waited for.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type { JoinReply, BridgeInit, BridgeReply, BridgeRequest } from "./bridge-protocol.js";

export class SyncBridge {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #flag: Int32Array;
  #closed = false;

  private constructor(worker: Worker, port: MessagePort, flag: Int32Array) {
    this.#worker = worker;
    this.#port = port;
    this.#flag = flag;
  }

  /** Starts the worker and joins the cluster; resolves with the join outcome. */
  static async start(init: Omit<BridgeInit, "port" | "flag">): Promise<{ bridge: SyncBridge; join: JoinReply }> {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(new URL("./bridge-worker.js", import.meta.url));
    const bridge = new SyncBridge(worker, port1, flag);
    const join = await new Promise<JoinReply>((resolve) => {
      worker.once("message", (m: JoinReply) => resolve(m));
      worker.once("error", (e) => resolve({ ok: false, message: e.message }));
      worker.postMessage({ ...init, port: port2, flag } satisfies BridgeInit, [port2]);
    });
    return { bridge, join };
  }

  /** Blocks the calling thread until the worker answers or `timeoutMs` passes. */
  request(req: BridgeRequest, timeoutMs: number): BridgeReply {
    if (this.#closed) return { kind: "unreachable", message: "the cluster connection is closed" };
    Atomics.store(this.#flag, 0, 0);
    this.#port.postMessage(req);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return { kind: "unreachable", message: `the cluster did not answer within ${timeoutMs} ms` };
      Atomics.wait(this.#flag, 0, 0, left);
      const m = receiveMessageOnPort(this.#port);
      if (m) return m.message as BridgeReply;
    }
  }

  /** Leaves the cluster (releases, revokes the lease) and stops the worker. */
  async close(timeoutMs = 5000): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      this.#worker.once("message", () => {
        clearTimeout(t);
        resolve();
      });
      this.#worker.postMessage({ close: true });
    });
    this.#port.close();
    await this.#worker.terminate();
  }
}
