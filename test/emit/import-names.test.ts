/**
 * The names a module's imports bind never collide: a runtime export the module also declares
 * is imported as `$Name` (`T as $T` beside the module's own `struct T`), and the namespace
 * import of a sibling file is `$` and its stem (`$T` for `T.ds`). A module holding both bound
 * `$T` twice: `dplc build --check` failed with "Duplicate identifier" and `dplc run` called
 * the other file's functions on the runtime's `T`. Nor do they collide with the emitter's own
 * local names: a temporary (`$m` for a `match` scrutinee) or a descriptor parameter (`$ty_T`)
 * shadowed the import of `m.ds` or `ty_T.ds`, and the call into that file failed at run time.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ts } from "ts-morph";
import { buildProgram } from "../../src/compiler/build.js";
import { loadSource } from "../../src/compiler/sources.js";

/** Build the files of `files` (the first is the program) from a temporary folder; the emitted text of each. */
async function build(files: Record<string, string>): Promise<Map<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), "dplc-import-names-"));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const loaded = loadSource(join(dir, Object.keys(files)[0]!));
    if (!loaded.ok) throw new Error(loaded.error);
    const r = await buildProgram([loaded.source], { profile: "user", allBlocks: false, js: false, outDir: join(dir, "out") });
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    return new Map(r.files.map((f) => [f.path, f.text]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The namespace import names of a module and every identifier its functions bind (parameters, variables). */
function importAndLocalNames(text: string): { imports: string[]; locals: Set<string> } {
  const sf = ts.createSourceFile("m.ts", text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const imports: string[] = [];
  const locals = new Set<string>();
  for (const st of sf.statements) {
    const b = ts.isImportDeclaration(st) ? st.importClause?.namedBindings : undefined;
    if (b && ts.isNamespaceImport(b)) imports.push(b.name.text);
  }
  const visit = (n: ts.Node, inFunction: boolean): void => {
    if (inFunction && (ts.isParameter(n) || ts.isVariableDeclaration(n)) && ts.isIdentifier(n.name)) locals.add(n.name.text);
    ts.forEachChild(n, (c) => visit(c, inFunction || ts.isFunctionLike(n)));
  };
  visit(sf, false);
  return { imports, locals };
}

/** The values bound at the top level of a module's text (imports and declarations; a type may share a value's name), with repeats. */
function topLevelNames(text: string): string[] {
  const sf = ts.createSourceFile("m.ts", text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: string[] = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const b = st.importClause?.namedBindings;
      if (b && ts.isNamespaceImport(b)) out.push(b.name.text);
      if (b && ts.isNamedImports(b)) for (const e of b.elements) out.push(e.name.text);
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) {
      out.push(st.name.text);
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) out.push(d.name.text);
    }
  }
  return out;
}

describe("names bound by a module's imports", () => {
  it("keeps a sibling file's namespace apart from a runtime export renamed for the module's own item", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dplc-import-names-"));
    try {
      writeFileSync(join(dir, "main.ds"), "mod T;\nmod Ty;\nmod a;\n\nfn main() {\n    a::go();\n}\n");
      writeFileSync(join(dir, "T.ds"), "pub fn f() -> (u8, u16) {\n    (1, 2)\n}\n");
      writeFileSync(join(dir, "Ty.ds"), "pub fn g() -> u8 {\n    3\n}\n");
      // `T` and `Ty` are runtime exports (descriptors) that this module also declares.
      const a = "#[derive(Debug, Clone, Copy)]\npub struct T {\n    b: u8,\n}\n\n#[derive(Debug, Clone, Copy)]\npub struct Ty {\n    c: u8,\n}\n\npub fn go() {\n    let x = (T { b: 1 }, Ty { c: crate::Ty::g() }, crate::T::f());\n    println!(\"{:?}\", x);\n}\n";
      writeFileSync(join(dir, "a.ds"), a);
      const loaded = loadSource(join(dir, "main.ds"));
      if (!loaded.ok) throw new Error("could not load main.ds");
      const r = await buildProgram([loaded.source], { profile: "user", allBlocks: false, js: false, outDir: join(dir, "out") });
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const emitted = r.files.find((f) => f.path === "a.ts")!.text;
      const names = topLevelNames(emitted);
      expect(names).toContain("$T");
      expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives a method named `ty` or `discriminant` a name apart from its type's descriptor and discriminant function", async () => {
    // `Point$ty` is Point's descriptor, `Level$discriminant` the C-like enum's discriminant function.
    const out = await build({
      "main.ds": "#[derive(Debug, Clone, Copy)]\nstruct Point {\n    x: u8,\n}\n\nimpl Point {\n    fn ty(&self) -> u8 {\n        self.x\n    }\n}\n\nenum Level {\n    Low = 1,\n    High = 5,\n}\n\nimpl Level {\n    fn discriminant(&self) -> u8 {\n        7\n    }\n}\n\nfn main() {\n    let p = Point { x: 1 };\n    let l = Level::High;\n    println!(\"{:?} {} {} {}\", p, p.ty(), l.discriminant(), l as u8);\n}\n",
    });
    const names = topLevelNames(out.get("main.ts")!);
    expect(names).toContain("Point$ty");
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it("keeps a sibling file's namespace apart from the emitter's temporaries and descriptor parameters", async () => {
    const out = await build({
      "main.ds": "mod m;\nmod ty_T;\n\nfn show<T: Debug>(t: T) {\n    println!(\"{:?} {}\", t, ty_T::h());\n}\n\nfn main() {\n    let a = 1u8;\n    match a + 1 {\n        2 => println!(\"{}\", m::h()),\n        _ => show(a),\n    }\n}\n",
      "m.ds": "pub fn h() -> u8 {\n    3\n}\n",
      "ty_T.ds": "pub fn h() -> u8 {\n    4\n}\n",
    });
    const { imports, locals } = importAndLocalNames(out.get("main.ts")!);
    expect(imports).toHaveLength(2);
    expect(imports.filter((n) => locals.has(n))).toEqual([]);
  });
});
