/**
 * `dplc doc [paths...] --out-dir DIR [--format html|md] [--title T] [--notice TEXT]`: check the modules,
 * then write their documentation (one page per module, an index, a search index) into DIR,
 * a folder dplc owns (doc/write.ts). Check errors: rendered on stderr, exit 1, nothing
 * written. Without paths: the project's `src/` (see project-target.ts).
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { analyzeSources, frameSources } from "../compiler/analyze.js";
import { collectFiles, displayName } from "../compiler/sources.js";
import type { Profile } from "../compiler/options.js";
import { TextRenderer } from "../diagnostics/render/text.js";
import { buildDocSet } from "../doc/model.js";
import { htmlFiles } from "../doc/html.js";
import { markdownFiles } from "../doc/markdown.js";
import { writeOwnedFolder } from "../doc/write.js";
import { loadSources } from "./build-command.js";
import { resolveTarget } from "./project-target.js";
import { UsageError } from "./usage-error.js";
import { useColor } from "./color.js";
import { safeLine } from "../diagnostics/render/escape.js";

export interface DocCommandOptions {
  readonly outDir?: string;
  readonly format: "html" | "md";
  readonly title?: string;
  readonly notice?: string;
  readonly profile?: Profile;
  readonly color: boolean;
}

/** Folders give their `.ds` modules (their Markdown is prose, not API); files named explicitly are kept. */
function documentedFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let dir = false;
    try {
      dir = statSync(p).isDirectory();
    } catch {
      // A missing path is reported by loadSources.
    }
    if (!dir) out.push(p);
    else {
      const { files, errors } = collectFiles([p]);
      if (errors.length > 0) throw new UsageError(errors[0]!);
      out.push(...files.filter((f) => f.toLowerCase().endsWith(".ds")));
    }
  }
  return out;
}

export function runDoc(paths: readonly string[], opts: DocCommandOptions): number {
  if (!opts.outDir) throw new UsageError("`dplc doc` needs `--out-dir DIR`");
  const target = resolveTarget(paths, opts.profile);
  const sources = loadSources(documentedFiles(target.paths));
  const analysis = analyzeSources(sources, { profile: target.profile, allBlocks: false, dependencies: target.dependencies });
  const { model, diagnostics } = analysis;
  const checked = model?.program ?? null;
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (!checked || errors.length > 0) {
    const renderer = new TextRenderer(frameSources(analysis), { color: useColor(opts.color, process.stderr) });
    for (const d of errors) process.stderr.write(renderer.render(d));
    process.stderr.write(`error: could not document: ${errors.length} error${errors.length === 1 ? "" : "s"}; nothing was written\n`);
    return 1;
  }
  const given = new Set(sources.map((s) => resolve(s.name)));
  const depRoots = new Set(target.dependencies.values());
  // The stdlib's modules when its files were given; the user's own modules, not those of dependencies.
  const set = buildDocSet(checked, (m) => (m.isStdlib ? given.has(m.root.filePath ?? "") || given.has(m.filePath ?? "") : !depRoots.has(m.root.filePath ?? "")));
  const allStd = set.modules.length > 0 && sources.every((s) => checked.modules.every((m) => m.filePath !== resolve(s.name)));
  const title = opts.title ?? (target.project ? `${target.project.name} ${target.project.version}` : allStd ? "The DPL standard library" : "Documentation");
  const notice = opts.notice ?? null;
  const files = opts.format === "md" ? markdownFiles(set, title, notice) : htmlFiles(set, title, notice);
  const w = writeOwnedFolder(opts.outDir, files);
  if (!w.ok) throw new UsageError(w.error);
  const items = set.modules.reduce((n, m) => n + m.items.length, 0);
  process.stderr.write(`documented ${set.modules.length} module${set.modules.length === 1 ? "" : "s"} (${items} item${items === 1 ? "" : "s"}) into ${safeLine(displayName(opts.outDir))}\n`);
  return 0;
}
