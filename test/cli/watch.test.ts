/** `dplc check --watch` re-checks when a file changes, until interrupted. */
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DPLC } from "../helpers.js";

describe("dplc check --watch", () => {
  it("re-checks after an edit and stops on SIGINT", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dplc-watch-"));
    const file = join(dir, "w.ds");
    writeFileSync(file, "fn main() {}\n");
    const child = spawn(process.execPath, [DPLC, "check", "--watch", "--no-color", dir], { env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const waitFor = async (pred: () => boolean, what: string): Promise<void> => {
      for (let i = 0; i < 200; i++) {
        if (pred()) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for ${what}; stdout: ${out}; stderr: ${err}`);
    };
    await waitFor(() => err.includes("watching for changes"), "the first check");
    expect(out).toContain("0 errors");
    writeFileSync(file, "fn main() {\n    let x = ;\n}\n");
    await waitFor(() => out.includes("error[DPL1001]"), "the re-check");
    expect(out).toContain("w.ds:2:13");
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  });
});
