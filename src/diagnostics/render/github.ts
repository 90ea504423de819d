/**
 * GitHub Actions workflow commands: one `::error`/`::warning` line per diagnostic, which
 * GitHub turns into annotations on the pull request.
 */
import type { Diagnostic } from "../diagnostic.js";
import { safeLine } from "./escape.js";

/**
 * Workflow-command escaping: `%`, CR and LF in the message; also `:` and `,` in properties.
 * Any other control character (an ESC in a file name or a quoted literal) is shown as a DPL
 * escape: the line is printed to a terminal or a CI log, which would act on it.
 */
function escapeData(s: string): string {
  return safeLine(s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A"));
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function renderGithub(diags: readonly Diagnostic[]): string {
  return diags
    .map((d) => {
      const props = [
        `file=${escapeProperty(d.span.file)}`,
        `line=${d.span.start.line}`,
        `col=${d.span.start.column}`,
        `endLine=${d.span.end.line}`,
        `endColumn=${d.span.end.column}`,
        `title=${escapeProperty(d.code)}`,
      ].join(",");
      const message = d.help ? `${d.message} (help: ${d.help})` : d.message;
      return `::${d.severity === "error" ? "error" : "warning"} ${props}::${escapeData(message)}\n`;
    })
    .join("");
}
