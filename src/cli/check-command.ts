/** `dplc check`: collect files, check them through the compiler API, render, pick the exit code. */
import { watch } from "node:fs";
import { checkSources, type CheckResult } from "../compiler/check.js";
import { frameSources } from "../compiler/analyze.js";
import { collectFiles, loadSource } from "../compiler/sources.js";
import type { SourceFile } from "../syntax/source.js";
import type { Profile } from "../compiler/options.js";
import { TextRenderer, renderSummary } from "../diagnostics/render/text.js";
import { VERSION } from "../compiler/version.js";
import { UsageError } from "./usage-error.js";
import { useColor } from "./color.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { sortAndDedupe } from "../diagnostics/order.js";
import { resolveTarget } from "./project-target.js";
import { safeLine } from "../diagnostics/render/escape.js";

export interface CheckCommandOptions {
  readonly format: "text" | "json" | "sarif" | "github";
  readonly profile?: Profile;
  readonly denyWarnings: boolean;
  readonly allBlocks: boolean;
  readonly watch: boolean;
  readonly color: boolean;
  readonly helpUriBase?: string;
}

function loadAll(paths: readonly string[], opts: CheckCommandOptions): { sources: SourceFile[]; walkDiagnostics: readonly Diagnostic[] } {
  const { files, errors, diagnostics } = collectFiles(paths);
  if (errors.length > 0) throw new UsageError(errors[0]!);
  const sources: SourceFile[] = [];
  for (const f of files) {
    const r = loadSource(f, { allBlocks: opts.allBlocks });
    if (!r.ok) throw new UsageError(r.error);
    sources.push(r.source);
  }
  return { sources, walkDiagnostics: diagnostics };
}

// The machine formats are loaded when asked for (SARIF brings a hash library and the
// explanations): the text format is what a check at every save prints.
async function render(result: CheckResult, opts: CheckCommandOptions, ms: number): Promise<string> {
  const diags = result.diagnostics;
  switch (opts.format) {
    case "json":
      return (await import("../diagnostics/render/json.js")).renderJson(result.modules.length, diags);
    case "github":
      return (await import("../diagnostics/render/github.js")).renderGithub(diags);
    case "sarif": {
      const [{ renderSarif }, { explanationText }] = await Promise.all([import("../diagnostics/render/sarif.js"), import("../diagnostics/explain.js")]);
      return renderSarif(diags, { toolVersion: VERSION, explanation: explanationText, helpUriBase: opts.helpUriBase });
    }
    case "text": {
      const color = useColor(opts.color);
      const renderer = new TextRenderer(frameSources(result), { color });
      const errors = diags.filter((d) => d.severity === "error").length;
      return diags.map((d) => renderer.render(d) + "\n").join("") + renderSummary(result.modules.length, errors, diags.length - errors, ms, color);
    }
  }
}

async function runOnce(paths: readonly string[], opts: CheckCommandOptions): Promise<number> {
  const t0 = performance.now();
  const target = resolveTarget(paths, opts.profile);
  const { sources, walkDiagnostics } = loadAll(target.paths, opts);
  const checked = checkSources(sources, { profile: target.profile, allBlocks: opts.allBlocks, dependencies: target.dependencies, diagnosticsOnly: true });
  const result: CheckResult = walkDiagnostics.length === 0 ? checked : { ...checked, diagnostics: sortAndDedupe([...checked.diagnostics, ...walkDiagnostics]) };
  const ms = Math.round(performance.now() - t0);
  process.stdout.write(await render(result, opts, ms));
  const errors = result.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = result.diagnostics.length - errors;
  return errors > 0 || (opts.denyWarnings && warnings > 0) ? 1 : 0;
}

export async function runCheck(paths: readonly string[], opts: CheckCommandOptions): Promise<number> {
  if (!opts.watch) return runOnce(paths, opts);
  return watchLoop(paths, opts);
}

/** Re-check on every change under the given paths until interrupted. */
function watchLoop(paths: readonly string[], opts: CheckCommandOptions): Promise<number> {
  const roots = resolveTarget(paths, opts.profile).paths;
  let timer: NodeJS.Timeout | undefined;
  const rerun = async (): Promise<void> => {
    if (opts.format === "text" && process.stdout.isTTY) process.stdout.write("\x1bc");
    try {
      await runOnce(paths, opts);
    } catch (e) {
      process.stderr.write(`error: ${safeLine((e as Error).message)}\n`);
    }
    process.stderr.write("watching for changes (Ctrl-C to stop)\n");
  };
  void rerun();
  return new Promise<number>((resolve) => {
    const watchers = roots.map((r) =>
      watch(r, { recursive: true }, (_event, name) => {
        if (name && !/\.(ds|md)$/i.test(String(name))) return;
        clearTimeout(timer);
        timer = setTimeout(() => void rerun(), 100);
      }),
    );
    process.once("SIGINT", () => {
      for (const w of watchers) w.close();
      resolve(0);
    });
  });
}
