/**
 * The entry of `dplc check`'s fast path: only the `check` command, with the same options,
 * help and exit codes as main.ts (both build on program.ts). scripts/bundle.mjs bundles it
 * into one file, dist/check.cjs, which bin/dplc runs for `dplc check`: a check at every save
 * should not pay for resolving and loading ~150 modules one by one.
 */
import { addCheckCommand, newProgram, runProgram } from "./program.js";

const program = newProgram();
addCheckCommand(program);
void runProgram(program, process.argv);
