/**
 * Text from a source file (its lines, names, quoted snippets) must never drive the
 * terminal: an ESC could clear the screen or set the window title, a bidirectional
 * override could show code other than what is compiled. Such characters are shown as DPL
 * escapes (`\u{1b}`) instead, each one display cell per character of the escape, so the
 * caret columns computed over the shown text stay right.
 */

/** C0 and C1 controls, DEL, bidi embeddings/overrides/isolates and marks, line/paragraph separators. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/gu;
/** The same, also escaping the tab and line feed: for text that must stay on one line. */
const UNSAFE_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/gu;
const UNSAFE_CHAR = /^[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]$/u;

function escape(ch: string): string {
  return `\\u{${ch.codePointAt(0)!.toString(16)}}`;
}

/** One character as shown in a code frame (tabs are expanded by the caller). */
export function shownChar(ch: string): string {
  return UNSAFE_CHAR.test(ch) ? escape(ch) : ch;
}

/** Text of a message, label or note: controls escaped, line feeds and tabs kept. */
export function safeText(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** A file name or other text that must stay on one line. */
export function safeLine(text: string): string {
  return text.replace(UNSAFE_ONE_LINE, escape);
}
