/**
 * `dplc explain`: the catalog entry of a code plus its explanation from
 * `docs/diagnostics/<CODE>.md`, the same text the docs publish.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { codeInfo } from "./catalog.js";
import { fileURLToPath } from "node:url";
import { dirname } from "node:path";

/** The package root (the explanations ship in its `docs/diagnostics/`). */
const PACKAGE_ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

const EXPLANATIONS_DIR = join(PACKAGE_ROOT, "docs", "diagnostics");

export function explanationText(code: string): string | undefined {
  const info = codeInfo(code);
  if (!info) return undefined;
  try {
    return readFileSync(join(EXPLANATIONS_DIR, `${info.code}.md`), "utf8").replace(/\r\n/g, "\n");
  } catch {
    return undefined;
  }
}

export type ExplainResult = { ok: true; text: string } | { ok: false; error: string };

export function explain(code: string): ExplainResult {
  const info = codeInfo(code.trim());
  if (!info) return { ok: false, error: `unknown diagnostic code \`${code}\`; codes look like DPL3001 (see docs/diagnostics/README.md)` };
  const body = explanationText(info.code);
  const header = `${info.code} (${info.severity}): ${info.title}\nEnforces: ${info.spec}\n`;
  if (body === undefined) return { ok: true, text: `${header}\n(no explanation file found for ${info.code})\n` };
  // The file starts with its own `# CODE: title` heading; the header above replaces it.
  return { ok: true, text: `${header}\n${body.replace(/^# .*\n+/, "")}` };
}
