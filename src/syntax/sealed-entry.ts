/**
 * The parser's cache entries (lookahead sets, the recorded grammar) steer the parser: a body
 * damaged into other well-formed data (swapped alternatives) made it loop. An entry is a
 * header line with its format and the body's SHA-256, then the body; a body that does not
 * match its header is not used.
 */
import { createHash } from "node:crypto";

const digest = (body: string): string => createHash("sha256").update(body).digest("hex");

/** The text of an entry of `format` holding `body`. */
export function sealEntry(format: string, body: string): string {
  return `${JSON.stringify({ format, sha256: digest(body) })}\n${body}`;
}

/** The body of an entry sealed as `format`, or null when it is not one or was damaged. */
export function openEntry(format: string, text: string): string | null {
  const nl = text.indexOf("\n");
  if (nl < 0) return null;
  try {
    const header = JSON.parse(text.slice(0, nl)) as { format?: unknown; sha256?: unknown };
    const body = text.slice(nl + 1);
    return header.format === format && header.sha256 === digest(body) ? body : null;
  } catch {
    return null;
  }
}
