/**
 * Helpers for the checker's tests: check inline DPL through the compiler API and look at
 * the diagnostics by code and line.
 */
import { checkSources } from "../../src/compiler/check.js";
import { parseModule } from "../../src/compiler/check.js";
import { sourceFromText } from "../../src/compiler/sources.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { checkProgram, type CheckedProgram } from "../../src/semantic/index.js";

export type Profile = "user" | "kernel";

export function diagnose(src: string, profile: Profile = "user", name = "case.ds"): readonly Diagnostic[] {
  return checkSources([sourceFromText(name, src)], { profile, allBlocks: false }).diagnostics;
}

/** `CODE@line` for every diagnostic, in the compiler's (sorted) order. */
export function pins(src: string, profile: Profile = "user"): string[] {
  return diagnose(src, profile).map((d) => `${d.code}@${d.span.start.line}`);
}

export function codes(src: string, profile: Profile = "user"): string[] {
  return diagnose(src, profile).map((d) => d.code);
}

export function errors(src: string, profile: Profile = "user"): readonly Diagnostic[] {
  return diagnose(src, profile).filter((d) => d.severity === "error");
}

/** The one diagnostic with this code (fails the test if there are none or several). */
export function only(src: string, code: string, profile: Profile = "user"): Diagnostic {
  const ds = diagnose(src, profile);
  const hits = ds.filter((d) => d.code === code);
  if (hits.length !== 1) throw new Error(`expected exactly one ${code}, got: ${ds.map((d) => `${d.code}@${d.span.start.line} ${d.message}`).join("; ") || "none"}`);
  return hits[0]!;
}

export function program(src: string, profile: Profile = "user"): CheckedProgram {
  return checkProgram([parseModule(sourceFromText("case.ds", src))], { profile, allBlocks: false });
}

/** Human-readable dump of diagnostics, for assertion messages. */
export function show(ds: readonly Diagnostic[]): string {
  return ds.map((d) => `${d.code}@${d.span.start.line}:${d.span.start.column} ${d.message}`).join("\n") || "(none)";
}
