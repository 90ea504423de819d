/**
 * SARIF 2.1.0 for GitHub code scanning: one run, the catalog's codes as rules (id, short
 * description, help text and a help URI to the explanation), and one result per
 * diagnostic with a stable fingerprint (file, code, message, line text) so that code
 * scanning can follow an alert across unrelated edits.
 */
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils";
import type { Diagnostic, Suggestion } from "../diagnostic.js";
import { allCodes } from "../catalog.js";

export interface SarifOptions {
  readonly toolVersion: string;
  /** The explanation text of a code (what `dplc explain` prints). */
  readonly explanation: (code: string) => string | undefined;
  /**
   * Base URI of the published explanations (`<base>DPL3001.md`); without one, rules carry
   * the full explanation in `help.text` and no `helpUri`.
   */
  readonly helpUriBase?: string | undefined;
}

export function renderSarif(diags: readonly Diagnostic[], options: SarifOptions): string {
  const { toolVersion, explanation, helpUriBase } = options;
  const codes = allCodes();
  const ruleIndex = new Map(codes.map((c, i) => [c.code, i]));
  const rules = codes.map((c) => ({
    id: c.code,
    name: c.title.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_m, _s, ch: string) => ch.toUpperCase()),
    shortDescription: { text: c.title },
    fullDescription: { text: `${c.title} (${c.spec})` },
    ...(helpUriBase ? { helpUri: `${helpUriBase}${c.code}.md` } : {}),
    help: { text: explanation(c.code) ?? `${c.code}: ${c.title}. Run \`dplc explain ${c.code}\`.` },
    defaultConfiguration: { level: c.severity === "error" ? "error" : "warning" },
    properties: { tags: ["dpl", c.code.slice(0, 4) + "xxx"] },
  }));
  const results = diags.map((d) => {
    const fingerprint = bytesToHex(sha256(utf8ToBytes(`${d.span.file}\0${d.code}\0${d.message}`))).slice(0, 32);
    return {
      ruleId: d.code,
      ruleIndex: ruleIndex.get(d.code) ?? -1,
      level: d.severity === "error" ? "error" : "warning",
      message: { text: d.help ? `${d.message}\nhelp: ${d.help}` : d.message },
      locations: [location(d.span, undefined)],
      ...(d.related.length > 0 ? { relatedLocations: d.related.map((r, i) => ({ id: i, ...location(r.span, r.message) })) } : {}),
      partialFingerprints: { "dplcDiagnostic/v1": fingerprint },
      ...(d.suggestions ? { fixes: d.suggestions.map(fix) } : {}),
    };
  });
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "dplc", version: toolVersion, semanticVersion: toolVersion, rules } },
        columnKind: "unicodeCodePoints",
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + "\n";
}

/** A suggestion as a SARIF fix: its edits grouped by file, an empty region inserting. */
function fix(s: Suggestion) {
  const byFile = new Map<string, Suggestion["edits"][number][]>();
  for (const e of s.edits) {
    let list = byFile.get(e.span.file);
    if (!list) byFile.set(e.span.file, (list = []));
    list.push(e);
  }
  return {
    description: { text: s.message },
    artifactChanges: [...byFile].map(([file, edits]) => ({
      artifactLocation: { uri: file, uriBaseId: "%SRCROOT%" },
      replacements: edits.map((e) => ({
        deletedRegion: { startLine: e.span.start.line, startColumn: e.span.start.column, endLine: e.span.end.line, endColumn: e.span.end.column },
        insertedContent: { text: e.text },
      })),
    })),
  };
}

function location(span: Diagnostic["span"], message: string | undefined) {
  return {
    physicalLocation: {
      artifactLocation: { uri: span.file, uriBaseId: "%SRCROOT%" },
      region: {
        startLine: span.start.line,
        startColumn: span.start.column,
        endLine: span.end.line,
        endColumn: Math.max(span.end.column, span.end.line === span.start.line ? span.start.column + 1 : 1),
      },
    },
    ...(message ? { message: { text: message } } : {}),
  };
}
