/**
 * Doc comments attach to the item that follows them (src/syntax/docs.ts), across blank and
 * annotation lines only, whatever the file's line ends: a file saved with `\r` alone (as
 * classic Mac editors did) ends its comments and lines at `\r` in the lexer too.
 */
import { describe, expect, it } from "vitest";
import { parseSource } from "../../src/syntax/parse.js";
import { SourceFile } from "../../src/syntax/source.js";

const TEXT = "/// Doc of a.\n@deterministic\nfn a() {}\n\nfn b() {}\n\n/// Doc of c.\n\n@deterministic\nfn c() {}\n";

function docs(text: string): string[][] {
  return parseSource(new SourceFile("d.ds", text)).module.items.map((it) => it.docs);
}

describe("doc comments", () => {
  it("attach the same way with LF, CRLF and CR line ends", () => {
    const lf = docs(TEXT);
    expect(lf).toEqual([["Doc of a."], [], ["Doc of c."]]);
    expect(docs(TEXT.replace(/\n/g, "\r\n"))).toEqual(lf);
    expect(docs(TEXT.replace(/\n/g, "\r"))).toEqual(lf);
  });
});
