/**
 * The compiler API that the CLI and the language server share: sources in, parsed
 * modules and sorted diagnostics out. Nothing here prints or exits.
 */
import type { SourceFile } from "../syntax/source.js";
import { analyzeSources, type Analysis } from "./analyze.js";
import type { CheckOptions } from "./options.js";

export { parseModule, type ParsedModule } from "./analyze.js";

export type CheckResult = Analysis;

export function checkSources(sources: readonly SourceFile[], options: CheckOptions): CheckResult {
  return analyzeSources(sources, options);
}
