/**
 * child-guard.ts: a guarded child (an etcd member in the cluster tests) dies with the process
 * that started it, however that process ends. The parent here is a plain Node script over the
 * built dist/ (npm test builds first) that guards a `sleep` and prints its PID.
 */
import { spawn } from "node:child_process";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const REPO_ROOT = join(import.meta.dirname, "..", "..");
const GUARD = join(REPO_ROOT, "dist", "cluster", "child-guard.js");

/** Alive and not a zombie (an orphan may wait a moment for init to reap it). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  try {
    return readFileSync(stat, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return false;
  }
}

async function until(cond: () => boolean, ms = 20_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

/** Starts the parent script; resolves with it and its guarded child's PID once it is running. */
async function parentWithGuardedChild(then: string): Promise<{ parent: ReturnType<typeof spawn>; child: number }> {
  const script = `
    import { spawn } from "node:child_process";
    import { guardChild } from ${JSON.stringify(GUARD)};
    const c = spawn("sleep", ["300"], { stdio: "ignore" });
    guardChild(c);
    process.stdout.write(c.pid + "\\n");
    ${then}
  `;
  const parent = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const child = await new Promise<number>((resolve, reject) => {
    let out = "";
    parent.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(Number(out.trim()));
    });
    parent.once("exit", () => reject(new Error("the parent script exited early")));
  });
  return { parent, child };
}

describe.skipIf(!existsSync(GUARD))("child guard", () => {
  for (const signal of ["SIGTERM", "SIGINT", "SIGKILL"] as const) {
    it(`kills the child when the parent gets ${signal}`, async () => {
      const { parent, child } = await parentWithGuardedChild("setInterval(() => {}, 1000);");
      expect(alive(child)).toBe(true);
      const exited = new Promise<NodeJS.Signals | null>((r) => parent.once("exit", (_code, s) => r(s)));
      parent.kill(signal);
      // The parent still dies of the signal (the guard re-raises it).
      expect(await exited).toBe(signal);
      expect(await until(() => !alive(child))).toBe(true);
    });
  }

  it("kills the child when the parent exits normally", async () => {
    const { parent, child } = await parentWithGuardedChild("setTimeout(() => process.exit(0), 100);");
    const code = await new Promise<number | null>((r) => parent.once("exit", (c) => r(c)));
    expect(code).toBe(0);
    expect(await until(() => !alive(child))).toBe(true);
  });

  it("lets a parent whose child has exited end on its own", async () => {
    const script = `
      import { spawn } from "node:child_process";
      import { guardChild, guardedCount } from ${JSON.stringify(GUARD)};
      const c = spawn("true", [], { stdio: "ignore" });
      guardChild(c);
      c.once("exit", () => setTimeout(() => process.stdout.write("guarded " + guardedCount() + "\\n"), 10));
    `;
    const parent = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    parent.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((r) => parent.once("exit", (c) => r(c)));
    expect(code).toBe(0);
    expect(out.trim()).toBe("guarded 0");
  });
});
