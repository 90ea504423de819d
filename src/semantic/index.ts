/**
 * Semantic analysis entry point: names, types and the domain rules (language.md §3–§6).
 * The syntax stage calls this with every parsed module of a check run.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { ParsedModule } from "../compiler/check.js";
import type { CheckOptions } from "../compiler/options.js";

export function analyze(modules: readonly ParsedModule[], options: CheckOptions): Diagnostic[] {
  void modules;
  void options;
  // The checker (names, types, domain rules) is not implemented yet: only syntax is checked.
  return [];
}
