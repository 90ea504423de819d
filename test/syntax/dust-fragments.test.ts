/**
 * dust-by-example.md's spelling (docs/language.md, "The fragments of dust-by-example"): which
 * files are in it, and that a fragment file cut anywhere parses with diagnostics at their
 * positions — never the parser giving up on the file (which loses the whole tree for the
 * editor) and never an exception.
 */
import { describe, expect, it } from "vitest";
import { lex, parseText, detectSurface, isFragmentFile } from "../../src/syntax/parse.js";
import type * as A from "../../src/syntax/ast.js";

const GUIDE_LIKE = ["k let x: Int = 2", "q let ψ: Qubit = allocate()", "q apply hadamard to ψ", "phi require consistency(s)", "k {\n    let a = 1\n}", "constraint e <= 10", "within 10ms {\n}"];

describe("the fragments' spelling", () => {
  it("is recognised by its first statement, and an XDV or v0.2 file is not", () => {
    for (const text of GUIDE_LIKE) {
      const tokens = lex(text).tokens;
      expect(isFragmentFile(tokens), text).toBe(true);
      expect(detectSurface(tokens), text).toBe("dust");
    }
    for (const text of ["fn main() {}", "K main {\n}", "forge F {\n}", "constraint(1);", "k!(x);", "let x = 1;"]) expect(isFragmentFile(lex(text).tokens), text).toBe(false);
  });

  it("lowers to one process `main` whose body holds the statements in order", () => {
    const r = parseText("f.ds", "k let x: Int = 2\nk {\n    let a = x\n}\nconstraint a > 1\nobserve a\n");
    expect(r.diagnostics).toEqual([]);
    const main = r.module.items[0] as A.FnItem;
    expect(main.name.name).toBe("main");
    expect(main.proc?.fragment).toBe(true);
    const body = main.body.kind === "block" ? main.body.block.stmts.map((s) => s.kind) : [];
    // let x, let a (the group's, in the enclosing scope), the constraint's assert, observe's `let _ = &a`.
    expect(body).toEqual(["LetStmt", "LetStmt", "ExprStmt", "LetStmt"]);
    expect(main.proc?.stmts.map((s) => s.kind)).toEqual(["constrain", "observe"]);
  });

  it("cut at every token, keeps a tree and reports what is missing", () => {
    const text = "k let x: Int = 2\nq let r = register(2)\nq apply cx to r, 0, 1\nphi require x == 2\nk {\n    let a = x * 3\n}\nwithin 10ms {\n    emit a\n}\nobserve r\nconstraint a > 1\n";
    for (const t of lex(text).tokens) {
      const cut = text.slice(0, t.startOffset + t.image.length);
      // `k` alone is not yet a fragment file (nor any file's valid start).
      if (!isFragmentFile(lex(cut).tokens)) continue;
      const r = parseText("cut.ds", cut);
      expect(r.diagnostics.map((d) => d.message), cut).not.toContain("the parser could not recover from the errors in this file");
      for (const d of r.diagnostics) expect(d.code, cut).toBe("DPL1001");
      expect(r.module.items.length, cut).toBe(1);
    }
  });
});
