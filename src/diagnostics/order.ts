import { compareSpans } from "../syntax/source.js";
import type { Diagnostic } from "./diagnostic.js";

/**
 * Sort by file and position, then code and message, and drop exact duplicates, so that
 * every renderer prints byte-identical output from run to run.
 */
export function sortAndDedupe(diags: readonly Diagnostic[]): Diagnostic[] {
  const sorted = [...diags].sort(
    (a, b) =>
      compareSpans(a.span, b.span) ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
  const out: Diagnostic[] = [];
  let prevKey = "";
  for (const d of sorted) {
    const key = `${d.span.file}\0${d.span.start.offset}\0${d.span.end.offset}\0${d.code}\0${d.message}`;
    if (key !== prevKey) out.push(d);
    prevKey = key;
  }
  return out;
}
