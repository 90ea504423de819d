/**
 * A built program run directly (`node main.js`): the entry module of a `dplc build` tree
 * ends with
 *
 *   if (isProgramEntry(import.meta.url)) runProgramEntry("main", main, main$error$ty);
 *
 * so `node` runs `main` (or `_entry(argc, argv)`) as `dplc run` does: `Err` from `main`
 * prints `Error: {:?}` and exits 1, a fault prints its report and exits 101, `_entry`'s
 * value is the exit status. No embedded kernel is bound: host calls (`xdv_call`, Q and Φ
 * work) are a structured DOMAIN_PANIC, so such programs run under `dplc run`.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DplFault, FAULT_EXIT_STATUS, formatFault } from "./fault.js";
import { debugOf } from "./debug-display.js";
import type { Ty } from "./ty.js";
import { Vec } from "./vec.js";
import { setProgramArgs } from "./host-bindings.js";

/**
 * The exit status of a `main` that returned: its value when it returns an integer (`fn
 * main() -> i32 { 3 }` exits 3, as `_entry`'s value does; Rust rejects that signature,
 * DPL keeps C's meaning instead of dropping the value), otherwise 0.
 */
export function mainStatus(result: unknown): number {
  return typeof result === "number" || typeof result === "bigint" ? Number(BigInt.asIntN(32, BigInt(result))) : 0;
}

/** Is the module at `moduleUrl` the script node was started with? (Not when imported, as by `dplc run`.) */
export function isProgramEntry(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

export function runProgramEntry(kind: "main" | "_entry", entry: (...args: never[]) => unknown, errorTy?: Ty): void {
  let status = 0;
  setProgramArgs(process.argv.slice(1));
  try {
    if (kind === "main") {
      const result = (entry as () => unknown)() as { $tag?: string; _0?: unknown } | undefined;
      if (errorTy !== undefined && result?.$tag === "Err") {
        process.stderr.write(`Error: ${debugOf(result._0, errorTy)}\n`);
        status = 1;
      } else status = mainStatus(result);
    } else {
      const argv = process.argv.slice(1);
      status = Number((entry as (argc: number, argv: Vec<string>) => unknown)(argv.length, Vec.from(argv)) ?? 0);
    }
  } catch (e) {
    if (!(e instanceof DplFault)) throw e;
    process.stderr.write(formatFault(e));
    if (e.message.includes("no ABI implementation is bound")) process.stderr.write("note: run directly, a built program has no embedded kernel; run programs that call the host (Q and Φ work, `xdv_call`) with `dplc run`\n");
    status = FAULT_EXIT_STATUS;
  }
  process.exitCode = ((status % 256) + 256) % 256;
}
