/**
 * What the client's log gets when a feature of the server fails: the feature and the
 * error's message, never a stack trace (it names the user's install paths and dplc's
 * internals, and tells the editor's user nothing they can act on).
 */
export function internalErrorText(what: string, e: unknown): string {
  const message = e instanceof Error ? e.message : typeof e === "string" ? e : "unknown error";
  return `dplc: ${what} failed: ${withoutStack(message)} (an internal error in dplc; please report it)`;
}

/** Text with any `    at …` stack frames (and what follows the first of them) removed. */
export function withoutStack(text: string): string {
  const i = text.search(/\n\s+at /);
  return i < 0 ? text : text.slice(0, i);
}
