/**
 * Semantic analysis entry point: names, types and the domain rules (language.md §3–§6).
 * The compiler API (`analyze` in compiler/analyze.ts) calls `checkProgram` with every
 * parsed module of a run; the emitter and the language server use its typed result.
 */

export { checkProgram, type CheckedProgram, type CheckedWorld } from "./program.js";
export { resetStdlibCache } from "./stdlib-world.js";
export type { Tables, ValueRes, MethodRes, FieldRes, PatRes, BodyInfo, CallEdge } from "./tables.js";
export type { Ty } from "./types.js";
export { printTy, domainOf } from "./types.js";
export type * from "./defs.js";

