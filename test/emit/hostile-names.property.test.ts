/**
 * Nothing from an input reaches emitted code unescaped (src/emit/escape.ts): file names,
 * identifiers, strings and doc comments chosen by an attacker still give a module that
 * parses to the same shape as the same program with harmless names — the same top-level
 * statements, one header comment line — and a `.ds` file whose name carries JavaScript
 * runs the program, not the name.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ts } from "ts-morph";
import { buildProgram } from "../../src/compiler/build.js";
import { sourceFromText } from "../../src/compiler/sources.js";
import { runDplc } from "../helpers.js";

/** Text that breaks out of a string, a line comment, a block comment or a template. */
const HOSTILE_PIECES = ["\n", "\r", "\u2028", "\u2029", '"', "'", "`", "${", "*/", "/*", "//", "\\", "\\u0041", "</script>", ");", "};", "\nconsole.log(1);\n", "\t", "\u0000".slice(1), "Φ", "é"];

const hostileText = fc.array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ maxLength: 4 })), { maxLength: 8 }).map((a) => a.join(""));
/** File names: anything but `/` and NUL. */
const hostileFileName = hostileText.map((t) => `m${t.replace(/[/\0]/g, "_")}.ds`);

/** Valid DPL identifiers that mean something to JavaScript or TypeScript. */
const JS_MEANINGFUL = [
  "__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "prototype", "__defineGetter__", "eval", "arguments",
  "await", "yield", "new", "delete", "typeof", "var", "function", "class", "this", "undefined", "NaN", "Object", "default",
  "import", "export", "require", "module", "globalThis", "process", "any", "never", "declare", "namespace", "keyof",
];
const letter = fc.constantFrom(..."abzΦφλπжДあ漢_".split(""));
const cont = fc.constantFrom(..."az09_Φéжあ\u0301".split(""));
const randomIdent = fc.tuple(letter, fc.array(cont, { maxLength: 5 })).map(([a, b]) => `x${a}${b.join("")}`);
const hostileIdent = fc.oneof(fc.constantFrom(...JS_MEANINGFUL), randomIdent);

interface Names {
  readonly field1: string;
  readonly field2: string;
  readonly fn: string;
  readonly param: string;
  readonly local: string;
  readonly variant: string;
}

function program(n: Names, str: string, doc: string): string {
  // Doc lines cannot hold a line break (it would end the comment in DPL too).
  const docLine = doc.replace(/[\r\n\u2028\u2029]/g, " ");
  return [
    `/// ${docLine}`,
    "#[derive(Clone, Debug)]",
    `struct S {`,
    `    ${n.field1}: i32,`,
    `    ${n.field2}: i32,`,
    `}`,
    "",
    `enum E {`,
    `    ${n.variant} { ${n.field1}: i32 },`,
    `    Other,`,
    `}`,
    "",
    `/// ${docLine}`,
    `fn ${n.fn}(${n.param}: i32) -> i32 {`,
    `    let ${n.local} = ${n.param} + 1;`,
    `    ${n.local}`,
    `}`,
    "",
    `fn main() {`,
    `    let s = S { ${n.field1}: ${n.fn}(1), ${n.field2}: 2 };`,
    `    let t = s.clone();`,
    `    let e = E::${n.variant} { ${n.field1}: t.${n.field2} };`,
    `    match e {`,
    `        E::${n.variant} { ${n.field1} } => println!("{}", ${n.field1}),`,
    `        E::Other => println!("other"),`,
    `    }`,
    `    println!("{}", ${dplString(str)});`,
    `    println!("{} {:?}", t.${n.field1}, t);`,
    `}`,
    "",
  ].join("\n");
}

/** A DPL string literal (Rust escapes). */
function dplString(text: string): string {
  return `"${[...text].map((c) => (c === "\\" ? "\\\\" : c === '"' ? '\\"' : c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : c.codePointAt(0)! < 0x20 ? `\\u{${c.codePointAt(0)!.toString(16)}}` : c)).join("")}"`;
}

const HARMLESS: Names = { field1: "fa", field2: "fb", fn: "f", param: "p", local: "l", variant: "V" };

async function emitted(fileName: string, text: string): Promise<string> {
  const r = await buildProgram([sourceFromText(fileName, text)], { profile: "user", allBlocks: false, js: false, outDir: "out" });
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`${fileName}: ${errors.map((d) => `${d.code} ${d.message}`).join("\n")}\n${text}`);
  const f = r.files.find((x) => x.path.endsWith(".ts") && !x.path.startsWith("_dplc/"));
  return f!.text;
}

/** The top-level statements of a module, by kind (names left out), and its syntax errors. */
function shape(text: string): { statements: string[]; errors: string[]; leadingComments: number } {
  const sf = ts.createSourceFile("m.ts", text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const errors = ((sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  const statements = sf.statements.map((s) => {
    if (ts.isVariableStatement(s)) return `var:${s.declarationList.declarations.length}`;
    if (ts.isFunctionDeclaration(s)) return `function:${s.parameters.length}:${s.body?.statements.length}`;
    if (ts.isInterfaceDeclaration(s)) return `interface:${s.members.length}`;
    if (ts.isTypeAliasDeclaration(s)) return "type";
    if (ts.isImportDeclaration(s)) return "import";
    return ts.SyntaxKind[s.kind];
  });
  const leadingComments = ts.getLeadingCommentRanges(text, 0)?.length ?? 0;
  return { statements, errors, leadingComments };
}

/** Site constants and imports vary with names (a `println` site per line); the rest must not. */
function itemShape(text: string): string[] {
  return shape(text).statements.filter((s) => s !== "import" && s !== "var:1");
}

describe("hostile names and text in emitted code", () => {
  it("a file name that carries JavaScript is a comment and a string, never code", async () => {
    const benign = await emitted("m.ds", program(HARMLESS, "hi", "doc"));
    const name = 'm\nconsole.log("PWNED");\n*${x}*\u2028`\\.ds';
    const hostile = await emitted(name, program(HARMLESS, "hi", "doc"));
    expect(hostile).not.toMatch(/^console\.log\("PWNED"\);$/m);
    expect(shape(hostile).errors).toEqual([]);
    expect(itemShape(hostile)).toEqual(itemShape(benign));
    expect(hostile.split("\n")[0]).toMatch(/^\/\/ Emitted by dplc .* from "m\\nconsole\.log\(\\"PWNED\\"\);\\n\*\$\{x\}\*\\u2028`\\\\\.ds"\. Do not edit/);
  });

  it("property: hostile file names, identifiers, strings and doc comments give a module of the same shape", async () => {
    const benignShape = itemShape(await emitted("m.ds", program(HARMLESS, "hi", "doc")));
    const names = fc
      .uniqueArray(hostileIdent, { minLength: 6, maxLength: 6 })
      .map(([field1, field2, fn, param, local, variant]) => ({ field1: field1!, field2: field2!, fn: fn!, param: param!, local: local!, variant: variant! }));
    await fc.assert(
      fc.asyncProperty(hostileFileName, names, hostileText, hostileText, async (file, n, str, doc) => {
        const text = await emitted(file, program(n, str, doc));
        const s = shape(text);
        expect(s.errors).toEqual([]);
        expect(s.leadingComments).toBe(1);
        expect(itemShape(text)).toEqual(benignShape);
      }),
      { numRuns: 20 },
    );
  }, 120_000);

  it("`dplc run` and `dplc build` of a file named to inject code run and write only the program", () => {
    const dir = mkdtempSync(join(tmpdir(), "dplc-inject-"));
    const file = join(dir, 'a\nconsole.log("PWNED");\n.ds');
    writeFileSync(file, 'fn main() {\n    println!("hi");\n}\n');
    const run = runDplc(["run", file]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("hi\n");
    const out = join(dir, "out");
    const build = runDplc(["build", file, "--out-dir", out, "--js"]);
    expect(build.status).toBe(0);
    for (const f of readdirSync(out).filter((x) => /\.(ts|js)$/.test(x))) {
      const text = readFileSync(join(out, f), "utf8");
      expect(text).not.toMatch(/^console\.log\("PWNED"\);$/m);
      expect(shape(text).errors).toEqual([]);
    }
  }, 60_000);

  it("a field or variant named `__proto__`, `constructor` or `toString` is a field, through clone, Debug and ==", () => {
    const dir = mkdtempSync(join(tmpdir(), "dplc-proto-"));
    const file = join(dir, "proto.ds");
    writeFileSync(
      file,
      [
        "#[derive(Clone, Debug, PartialEq)]",
        "struct S {",
        "    __proto__: i32,",
        "    constructor: i32,",
        "    toString: i32,",
        "}",
        "",
        "enum E {",
        "    __proto__ { hasOwnProperty: i32 },",
        "    valueOf,",
        "}",
        "",
        "fn main() {",
        "    let mut s = S { __proto__: 1, constructor: 2, toString: 3 };",
        "    s.__proto__ += 10;",
        "    let t = s.clone();",
        '    println!("{} {} {}", t.__proto__, t.constructor, t.toString);',
        '    println!("{:?}", t);',
        '    println!("{}", s == t);',
        "    let e = E::__proto__ { hasOwnProperty: 5 };",
        "    match e {",
        '        E::__proto__ { hasOwnProperty } => println!("{}", hasOwnProperty),',
        '        E::valueOf => println!("v"),',
        "    }",
        "}",
        "",
      ].join("\n"),
    );
    const r = runDplc(["run", file]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("11 2 3\nS { __proto__: 11, constructor: 2, toString: 3 }\ntrue\n5\n");
  }, 60_000);
});
