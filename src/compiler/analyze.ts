/**
 * `analyze`: the one entry from parsed modules to diagnostics and the analysis model.
 * `dplc check`, `dplc build`, `dplc run` and the language server all go through it, so a
 * rule about what is reported (which warnings a file with syntax errors keeps, the
 * internal-error diagnostic) holds for all of them alike.
 */
import { diagnosticOf } from "../diagnostics/messages/message.js";
import { Internal } from "../diagnostics/messages/internal.js";
import { Limits } from "../syntax/messages.js";
import type { SourceFile } from "../syntax/source.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { sortAndDedupe } from "../diagnostics/order.js";
import { checkProgram, type CheckedProgram } from "../semantic/program.js";
import { CheckSession, detachRecheckState, recheckItem, textEdit } from "../semantic/recheck.js";
import { AnalysisModel, displayTextsOf } from "../semantic/model.js";
import { parseOptionsFor, type CheckOptions } from "../workspace/options.js";
import { parseModule, type ParsedModule } from "../workspace/files.js";

export { parseModule, type ParsedModule } from "../workspace/files.js";
export { CheckSession } from "../semantic/recheck.js";

export interface Analysis {
  readonly modules: readonly ParsedModule[];
  /** Sorted by file and position, de-duplicated. */
  readonly diagnostics: readonly Diagnostic[];
  /** Null when the checker itself failed (reported as DPL9001), and for a diagnostics-only check. */
  readonly model: AnalysisModel | null;
  /** A diagnostics-only check's texts of the files it loaded, for code frames (the model has them otherwise). */
  readonly loadedTexts?: ReadonlyMap<string, string>;
}

/**
 * Check modules (the language server passes modules it re-parsed only where an edit
 * touched them). Modules with errors still yield a model for everything else.
 *
 * With a session (the language server keeps one), an edit inside one function body whose
 * item's signature is unchanged re-types that item only, reusing the rest of the last
 * check (semantic/recheck.ts); the diagnostics and the model are those of a full check.
 */
export function analyze(modules: readonly ParsedModule[], options: CheckOptions, session?: CheckSession): Analysis {
  const reused = session ? recheck(session, modules, options) : null;
  if (reused) return reused;
  const diags: Diagnostic[] = modules.flatMap((m) => m.syntaxDiagnostics);
  let model: AnalysisModel | null = null;
  let loadedTexts: ReadonlyMap<string, string> | undefined;
  try {
    const program = checkProgram(modules, options);
    diags.push(...program.diagnostics);
    // A diagnostics-only check let go of the bodies' typing as it went (semantic/release.ts).
    if (!options.diagnosticsOnly) model = new AnalysisModel(program);
    else loadedTexts = displayTextsOf(program);
  } catch (e) {
    // A checker bug must never surface as a stack trace (language.md §7, DPL9001). A stack
    // overflow is nesting that the front end's limits do not count (a field chain through
    // thousands of nested struct types): DPL1004, like the parser's own.
    const first = modules[0];
    if (first && e instanceof RangeError && /call stack/i.test(e.message)) {
      diags.push(
        diagnosticOf(first.source.span(0, 0), Limits.checkerStack()),
      );
    } else if (first) {
      diags.push(
        diagnosticOf(first.source.span(0, 0), Internal.checker((e as Error)?.message ?? String(e))),
      );
    }
  }
  if (session) {
    session.program = model && detachRecheckState(model.program) ? model.program : null;
    session.files = modules;
    session.options = options;
    session.lastKind = "full";
    session.fullChecks++;
  }
  return { modules, diagnostics: sortAndDedupe(diags), model, ...(loadedTexts ? { loadedTexts } : {}) };
}

/** The session's last program with one module's edited item re-typed, or null. */
function recheck(session: CheckSession, modules: readonly ParsedModule[], options: CheckOptions): Analysis | null {
  const program = session.program;
  const before = session.files;
  if (!program || session.options !== options || before.length !== modules.length) return null;
  let changed = -1;
  for (let i = 0; i < modules.length; i++) {
    if (modules[i] === before[i]) continue;
    if (changed >= 0) return null;
    changed = i;
  }
  if (changed < 0) return null;
  const oldFile = before[changed]!;
  const newFile = modules[changed]!;
  let next: CheckedProgram | null;
  try {
    next = recheckItem(program, oldFile, newFile, textEdit(oldFile.source.text, newFile.source.text));
  } catch {
    // The last program may be half updated: it is dropped, and the whole program checked.
    session.program = null;
    return null;
  }
  if (!next) return null;
  session.program = next;
  session.files = modules;
  session.lastKind = "item";
  session.itemChecks++;
  return { modules, diagnostics: sortAndDedupe(next.diagnostics), model: new AnalysisModel(next) };
}

export function analyzeSources(sources: readonly SourceFile[], options: CheckOptions): Analysis {
  return analyze(sources.map((s) => parseModule(s, parseOptionsFor(s, options))), options);
}

export interface FrameSources {
  text(file: string): string | undefined;
}

/**
 * The texts code frames show for an analysis: the files given, then every file the check
 * loaded on the way (`mod` children, the stdlib), so a diagnostic located in one of those
 * shows its source line too.
 */
export function frameSources(a: Analysis): FrameSources {
  const given = new Map(a.modules.map((m) => [m.source.name, m.source.displayText]));
  return { text: (f) => given.get(f) ?? a.model?.displayTextOf(f) ?? a.loadedTexts?.get(f) };
}
