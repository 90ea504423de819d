/**
 * The one door from user text to emitted code.
 *
 * A `.ds` file's name, its identifiers, string literals, comments and paths are chosen by
 * whoever wrote (or named) the file; emitted TypeScript is executed by `dplc run` and
 * shipped by `dplc build`. So nothing from an input is pasted into emitted code except
 * through these functions, each of which returns text that is exactly one token of the
 * kind its name says (a string literal, an identifier, a property key) or comment content
 * that cannot end its comment. `test/emit/hostile-names.property.test.ts` parses emitted
 * modules with the TypeScript compiler to hold them to that.
 */

/**
 * A string literal for `text`. JSON.stringify escapes quotes, backslashes, control
 * characters and lone surrogates; U+2028/U+2029 are escaped too, because older tools
 * (and source-map consumers) still treat them as line ends.
 */
export function jsString(text: string): string {
  return JSON.stringify(text).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * User text inside a `//` comment: written as a string literal, which holds no line
 * terminator, so the comment ends where the emitter means it to.
 */
export function lineCommentText(text: string): string {
  return jsString(text);
}

/** One line of a `/** … *\/` block: the text cannot close the block or start a new line. */
export function blockCommentLine(text: string): string {
  return text.replace(/\*\//g, "*\\/").replace(/[\r\n\u2028\u2029]/g, " ");
}

/**
 * A path in a `//# sourceMappingURL=` comment: a URL, so percent-encoded (which also
 * leaves no space or line terminator to end the comment early).
 */
export function urlComment(path: string): string {
  return encodeURIComponent(path);
}

const IDENT = /^[\p{ID_Start}_$][\p{ID_Continue}$\u200c\u200d]*$/u;

/** Whether `name` is one JavaScript IdentifierName as written (no escapes). */
export function isIdentifierName(name: string): boolean {
  return IDENT.test(name);
}

/**
 * `name` as an identifier, given that callers have already renamed reserved words. DPL's
 * lexer only makes identifiers of letters, digits and `_`, which JavaScript accepts, but
 * a character JavaScript does not is spelled `$uXXXX` rather than trusted: `$` never
 * occurs in a DPL name, so the spelling cannot collide with another user name.
 */
export function identifier(name: string): string {
  if (IDENT.test(name)) return name;
  let out = "";
  for (const ch of name) {
    const ok = out.length === 0 ? /[\p{ID_Start}_$]/u.test(ch) : /[\p{ID_Continue}$]/u.test(ch);
    out += ok ? ch : `$u${ch.codePointAt(0)!.toString(16)}`;
  }
  return out.length === 0 ? "$empty" : out;
}

/**
 * `__proto__` as an object-literal key (`{ __proto__: v }` or `{ "__proto__": v }`) sets
 * the prototype instead of making a field; a computed key makes an own property.
 */
function isProtoKey(name: string): boolean {
  return name === "__proto__";
}

/** A property name in an object literal, an interface or a class body. */
export function propertyKey(name: string): string {
  if (isProtoKey(name)) return `[${jsString(name)}]`;
  return IDENT.test(name) ? name : jsString(name);
}

/** Reading or writing property `name` of an expression: `.name`, or `["name"]` when it is not an identifier. */
export function member(name: string): string {
  return IDENT.test(name) ? `.${name}` : `[${jsString(name)}]`;
}

/**
 * A property key in a shorthand-capable position: `{ x }` for `{ x: x }`, but never
 * `__proto__` (a shorthand `{ __proto__ }` is an own property, yet it reads as the
 * prototype setter, so the emitter spells it out).
 */
export function shorthandOk(key: string, value: string): boolean {
  return key === value && !isProtoKey(key);
}
