/**
 * The compiler API that the CLI and the language server share: sources in, parsed
 * modules and sorted diagnostics out. Nothing here prints or exits.
 */
import type { SourceFile } from "../syntax/source.js";
import type { Module } from "../syntax/ast.js";
import { diagnostic, type Diagnostic } from "../diagnostics/diagnostic.js";
import { sortAndDedupe } from "../diagnostics/order.js";
import { checkProgram, type CheckedProgram } from "../semantic/index.js";
import type { CheckOptions } from "./options.js";
import { parseLoaded } from "./sources.js";

export interface ParsedModule {
  readonly source: SourceFile;
  readonly ast: Module;
  readonly syntaxDiagnostics: readonly Diagnostic[];
}

export interface CheckResult {
  readonly modules: readonly ParsedModule[];
  /** Sorted by file and position, de-duplicated. */
  readonly diagnostics: readonly Diagnostic[];
}

export function parseModule(source: SourceFile): ParsedModule {
  const r = parseLoaded(source);
  return { source, ast: r.module, syntaxDiagnostics: r.diagnostics };
}

export function checkSources(sources: readonly SourceFile[], options: CheckOptions): CheckResult {
  return checkParsed(sources.map(parseModule), options);
}

/**
 * Check modules that are already parsed (the language server re-parses only what an edit
 * touched). The typed program comes back too, for hover, definition and completion.
 */
export function checkParsed(modules: readonly ParsedModule[], options: CheckOptions): CheckResult & { readonly program?: CheckedProgram } {
  const diags: Diagnostic[] = modules.flatMap((m) => m.syntaxDiagnostics);
  let program: CheckedProgram | undefined;
  try {
    program = checkProgram(modules, options);
    diags.push(...program.diagnostics);
  } catch (e) {
    // A checker bug must never surface as a stack trace (language.md §7, DPL9001).
    const first = modules[0];
    if (first) {
      diags.push(
        diagnostic("DPL9001", first.source.span(0, 0), `internal compiler error while checking: ${(e as Error)?.message ?? String(e)}`, {
          help: "please report this with the input that caused it",
        }),
      );
    }
  }
  // Warnings about a module with syntax errors are unreliable (an unused variable may
  // only look unused because the parser dropped the expression that used it): drop them.
  const broken = new Set(modules.filter((m) => m.syntaxDiagnostics.length > 0).map((m) => m.source.name));
  const kept = broken.size === 0 ? diags : diags.filter((d) => d.severity === "error" || !broken.has(d.span.file));
  return { modules, diagnostics: sortAndDedupe(kept), ...(program ? { program } : {}) };
}
