/**
 * Makes sure the etcd members started for tests and benchmarks never outlive the process that
 * started them. Three exits are covered:
 *
 * - a normal exit (`process.exit`, the event loop ending, an uncaught error): an `exit` handler
 *   kills every guarded child synchronously;
 * - SIGINT/SIGTERM/SIGHUP (Ctrl-C on vitest, a CI timeout): the same, then the signal is raised
 *   again with the default action, so the process still dies of it as it would have;
 * - SIGKILL, or a crash that runs no handler at all: a small reaper process holds the read end
 *   of a pipe from us; when the pipe closes because we died, it kills the children still listed.
 *
 * Children are forgotten once they have exited, so a recycled PID is never signalled.
 */
import { spawn, type ChildProcess } from "node:child_process";

const guarded = new Set<ChildProcess>();
let reaper: ChildProcess | null = null;
let installed = false;

/**
 * The reaper's program: it reads "+PID" / "-PID" lines and, when its stdin ends (our process is
 * gone, or `releaseReaper` closed it with no child left), SIGKILLs the PIDs still listed.
 */
const REAPER = `
const pids = new Set();
let buf = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf("\\n")) >= 0) {
    const line = buf.slice(0, i);
    buf = buf.slice(i + 1);
    const pid = Number(line.slice(1));
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (line[0] === "+") pids.add(pid);
    else pids.delete(pid);
  }
});
process.stdin.on("end", () => {
  for (const pid of pids) {
    try { process.kill(pid, "SIGCONT"); } catch {}
    try { process.kill(pid, "SIGKILL"); } catch {}
  }
  process.exit(0);
});
process.on("SIGINT", () => {});
process.on("SIGTERM", () => {});
`;

function killAll(): void {
  for (const c of guarded) {
    if (c.pid === undefined || c.exitCode !== null || c.signalCode !== null) continue;
    try {
      process.kill(c.pid, "SIGCONT"); // a paused member must still die
      process.kill(c.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  guarded.clear();
}

const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  // Only ours was listening: die of the signal as the process would have without us.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", killAll);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function tellReaper(line: string): void {
  if (reaper === null) {
    reaper = spawn(process.execPath, ["-e", REAPER], { stdio: ["pipe", "ignore", "ignore"], detached: true });
    reaper.on("error", () => {
      reaper = null; // no reaper: the exit and signal handlers still apply
    });
    reaper.stdin?.on("error", () => {});
    // Neither the reaper nor its pipe may keep our event loop alive.
    reaper.unref();
    (reaper.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  }
  reaper.stdin?.write(line + "\n");
}

/** Kill `child` if this process ends before it does. */
export function guardChild(child: ChildProcess): void {
  if (child.pid === undefined) return;
  install();
  guarded.add(child);
  const pid = child.pid;
  tellReaper(`+${pid}`);
  child.once("exit", () => {
    guarded.delete(child);
    if (reaper !== null) reaper.stdin?.write(`-${pid}\n`);
    if (guarded.size === 0) releaseReaper();
  });
}

/** With no child left to guard, let the reaper go (it exits when its stdin ends). */
function releaseReaper(): void {
  if (reaper === null) return;
  reaper.stdin?.end();
  reaper = null;
}

/** How many children are guarded now (for tests). */
export function guardedCount(): number {
  return guarded.size;
}
