/**
 * The entry of `dplc check`'s fast path: only the `check` command, the same options, help
 * and exit codes as main.ts. scripts/bundle.mjs bundles it into one file, and bin/dplc runs
 * that file, from V8's code cache when it has one, for `dplc check` (see
 * src/cli/check-bundle.ts): a check at every save should not pay for loading and compiling
 * ~150 modules one by one.
 */
import { addCheckCommand, newProgram, runProgram } from "./program.js";

const program = newProgram();
addCheckCommand(program);
void runProgram(program, process.argv);
