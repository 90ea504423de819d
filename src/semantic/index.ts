/**
 * Semantic analysis entry point: names, types and the domain rules (language.md §3–§6).
 * The compiler API (`checkSources`) calls `analyze` with every parsed module of a run;
 * the emitter and the language server call `checkProgram` for the typed result.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { ParsedModule } from "../compiler/check.js";
import type { CheckOptions } from "../compiler/options.js";
import { checkProgram } from "./program.js";

export { checkProgram, type CheckedProgram, type CheckedWorld } from "./program.js";
export { resetStdlibCache } from "./stdlib-world.js";
export type { Tables, ValueRes, MethodRes, FieldRes, PatRes, BodyInfo, CallEdge } from "./tables.js";
export type { Ty } from "./types.js";
export { printTy, domainOf } from "./types.js";
export type * from "./defs.js";

export function analyze(modules: readonly ParsedModule[], options: CheckOptions): Diagnostic[] {
  return [...checkProgram(modules, options).diagnostics];
}
