import { existsSync, readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  allTokens,
  fencedBlocks,
  grammarDir,
  innermost,
  loadGrammars,
  repoRoot,
  scopesOf,
  tokenize,
  tokenizeLines,
  type Grammars,
  type TokenizedLine,
} from "./textmate-harness.js";

let g: Grammars;
beforeAll(async () => {
  g = await loadGrammars();
});

const dpl = (source: string): TokenizedLine[] => tokenize(g.dpl, source);

/** A module in the style of XDV-081, exercising most of the surface syntax at once. */
const sample = `//! Runtime glue for hybrid jobs.
/// Submits a circuit; the result is K metadata.
@domain(K)
@deterministic
pub fn submit(job: QJobDescriptor, cap: CapabilityHandle) -> Result<MeasurementHandle, ErrorCode> {
    let mut budget: u64 = 1_000u64;
    if budget >= 0x10 && !cap.revoked {
        budget -= 2;
    } else {
        return Err(ErrorCode::DOMAIN_UNAUTHORIZED);
    }
    for i in 0..budget { k_log(i.to_string()); }
    syscall(SYS_LOG, "submit\\n".ptr());
    xdv_call(K, Q, job.ptr(), cap.raw());
}

@domain(Q)
@noncopy
struct QState { ... }

@domain(Φ)
struct ΦEnvelope<C: PhiContract> { ... }

fn measure(state: DomainType<Q, QState>, cap: Capability<Q, MeasureScope>) -> K<MeasurementResult>
`;

describe("DPL grammar: keywords and declarations", () => {
  it("separates control keywords, declaration keywords and storage modifiers", () => {
    const t = dpl(sample);
    expect(innermost(t, "if")).toBe("keyword.control.conditional.dpl");
    expect(innermost(t, "else")).toBe("keyword.control.conditional.dpl");
    expect(innermost(t, "for")).toBe("keyword.control.loop.dpl");
    expect(innermost(t, "in")).toBe("keyword.control.in.dpl");
    expect(innermost(t, "return")).toBe("keyword.control.flow.dpl");
    expect(innermost(t, "fn")).toBe("keyword.declaration.fn.dpl");
    expect(innermost(t, "let")).toBe("keyword.declaration.let.dpl");
    expect(innermost(t, "struct")).toBe("keyword.declaration.struct.dpl");
    expect(innermost(t, "pub")).toBe("storage.modifier.pub.dpl");
    expect(innermost(t, "mut")).toBe("storage.modifier.mut.dpl");
  });

  it("scopes every remaining keyword of the language", () => {
    const t = dpl(
      "use a::b::*; mod m; impl Trait for S where T: Q {} enum E { A = 1 } trait Tr {} type Al = u8;\n" +
        "const fn f() {} static mut G: u8 = 0; unsafe { loop { while true { break; continue; } } }\n" +
        "match self { Self => false, _ => x as u8 }; move |x| ref y",
    );
    expect(innermost(t, "use")).toBe("keyword.control.import.dpl");
    expect(scopesOf(t, "mod")).toEqual(["keyword.declaration.mod.dpl"]);
    expect(innermost(t, "m")).toBe("entity.name.namespace.dpl");
    expect(innermost(t, "impl")).toBe("keyword.declaration.impl.dpl");
    expect(innermost(t, "where")).toBe("keyword.other.where.dpl");
    expect(innermost(t, "enum")).toBe("keyword.declaration.enum.dpl");
    expect(innermost(t, "E")).toBe("entity.name.type.enum.dpl");
    expect(innermost(t, "Tr")).toBe("entity.name.type.trait.dpl");
    expect(innermost(t, "Al")).toBe("entity.name.type.alias.dpl");
    expect(innermost(t, "const")).toBe("storage.modifier.const.dpl");
    expect(innermost(t, "f")).toBe("entity.name.function.dpl");
    expect(innermost(t, "static")).toBe("storage.modifier.static.dpl");
    expect(innermost(t, "G")).toBe("variable.other.constant.dpl");
    expect(innermost(t, "unsafe")).toBe("storage.modifier.unsafe.dpl");
    expect(innermost(t, "loop")).toBe("keyword.control.loop.dpl");
    expect(innermost(t, "while")).toBe("keyword.control.loop.dpl");
    expect(innermost(t, "break")).toBe("keyword.control.flow.dpl");
    expect(innermost(t, "continue")).toBe("keyword.control.flow.dpl");
    expect(innermost(t, "match")).toBe("keyword.control.conditional.dpl");
    expect(innermost(t, "self")).toBe("variable.language.self.dpl");
    expect(innermost(t, "Self")).toBe("variable.language.self.type.dpl");
    expect(innermost(t, "true")).toBe("constant.language.boolean.true.dpl");
    expect(innermost(t, "false")).toBe("constant.language.boolean.false.dpl");
    expect(innermost(t, "_")).toBe("variable.language.wildcard.dpl");
    expect(innermost(t, "as")).toBe("keyword.operator.cast.dpl");
    expect(innermost(t, "move")).toBe("storage.modifier.move.dpl");
    expect(innermost(t, "ref")).toBe("storage.modifier.ref.dpl");
  });

  it("does not find keywords inside longer identifiers", () => {
    const t = dpl("let format = input_fn + iffy + selfish + letter;");
    for (const name of ["format", "input_fn", "iffy", "selfish", "letter"]) {
      expect(scopesOf(t, name)).toEqual(["variable.other.dpl"]);
    }
  });

  it("names declared functions and types, calls, methods and the bodiless marker", () => {
    const t = dpl(sample);
    expect(innermost(t, "submit")).toBe("entity.name.function.dpl");
    expect(innermost(t, "measure")).toBe("entity.name.function.dpl");
    expect(innermost(t, "QState")).toBe("entity.name.type.struct.dpl");
    expect(innermost(t, "QJobDescriptor")).toBe("entity.name.type.dpl");
    expect(innermost(t, "k_log")).toBe("entity.name.function.call.dpl");
    expect(innermost(t, "to_string")).toBe("entity.name.function.method.dpl");
    expect(innermost(t, "revoked")).toBe("variable.other.property.dpl");
    expect(innermost(t, "...")).toBe("keyword.other.bodiless.dpl");
    expect(innermost(t, "u64")).toBe("support.type.primitive.dpl");
    expect(innermost(t, "Result")).toBe("support.type.std.dpl");
    expect(innermost(t, "ErrorCode")).toBe("support.type.prelude.dpl");
    expect(innermost(t, "Err")).toBe("support.constant.variant.dpl");
  });

  it("marks the ABI intrinsics, SYS_* numbers and error codes as support", () => {
    const t = dpl(sample);
    expect(innermost(t, "syscall")).toBe("support.function.intrinsic.dpl");
    expect(innermost(t, "xdv_call")).toBe("support.function.intrinsic.dpl");
    expect(innermost(t, "SYS_LOG")).toBe("support.constant.syscall.dpl");
    expect(innermost(t, "DOMAIN_UNAUTHORIZED")).toBe("support.constant.error-code.dpl");
    // A module may define its own xdv_call (XDV-080 does): the definition is a function name.
    expect(innermost(dpl("fn xdv_call(source: DomainTag) {}"), "xdv_call")).toBe("entity.name.function.dpl");
    const nd = dpl("let t = wall_clock(); let wall_clock_ms = 0;");
    expect(innermost(nd, "wall_clock")).toBe("support.function.nondeterministic.dpl");
    expect(innermost(nd, "wall_clock_ms")).toBe("variable.other.dpl");
  });
});

describe("DPL grammar: annotations and domains", () => {
  it("gives each @domain tag its own per-domain scope", () => {
    const t = dpl("@domain(K)\n@domain(Q)\n@domain(Φ)\n@domain(Phi)\n@domain( Q )");
    expect(scopesOf(t, "K")).toEqual(["meta.annotation.domain.dpl", "entity.name.tag.domain.k.dpl"]);
    expect(scopesOf(t, "Q")).toEqual(["meta.annotation.domain.dpl", "entity.name.tag.domain.q.dpl"]);
    expect(scopesOf(t, "Q", 1)).toEqual(["meta.annotation.domain.dpl", "entity.name.tag.domain.q.dpl"]);
    expect(scopesOf(t, "Φ")).toEqual(["meta.annotation.domain.dpl", "entity.name.tag.domain.phi.dpl"]);
    expect(scopesOf(t, "Phi")).toEqual(["meta.annotation.domain.dpl", "entity.name.tag.domain.phi.dpl"]);
    expect(scopesOf(t, "@")).toEqual(["meta.annotation.domain.dpl", "punctuation.definition.annotation.dpl"]);
    expect(innermost(t, "domain")).toBe("storage.type.annotation.domain.dpl");
    expect(t.every((l) => l.depthAfter === 1)).toBe(true);
  });

  it("flags an unknown domain tag, and an unclosed annotation stops at the item", () => {
    const bad = dpl("@domain(X)\nstruct S {}");
    expect(innermost(bad, "X")).toBe("invalid.illegal.domain.dpl");
    const unclosed = dpl("@domain(Q struct S { a: u8 }");
    expect(scopesOf(unclosed, "struct")).toEqual(["keyword.declaration.struct.dpl"]);
    expect(innermost(unclosed, "S")).toBe("entity.name.type.struct.dpl");
  });

  it("scopes the other annotations and their arguments", () => {
    const t = dpl("@noncopy @deterministic @audited\n@capability(required)\n@bounded(64)\n@future_thing");
    for (const name of ["noncopy", "deterministic", "audited", "capability", "bounded", "future_thing"]) {
      expect(scopesOf(t, name)).toEqual(["meta.annotation.dpl", "storage.type.annotation.dpl"]);
    }
    expect(innermost(t, "required")).toBe("variable.parameter.annotation.dpl");
    expect(scopesOf(t, "64")).toEqual(["meta.annotation.dpl", "constant.numeric.integer.decimal.dpl"]);
  });

  it("scopes domain wrapper types and bare domain values per domain", () => {
    const t = dpl("let a: K<u64> = x; let b: Q<QState>; let c: Φ<E>; let d: Phi<E>; let e: DomainType<Q, _>;\nxdv_call(K, Φ, d, c); DomainTag::Phi");
    expect(innermost(t, "K")).toBe("support.type.domain.k.dpl");
    expect(innermost(t, "Q")).toBe("support.type.domain.q.dpl");
    expect(innermost(t, "Φ")).toBe("support.type.domain.phi.dpl");
    expect(innermost(t, "Phi")).toBe("support.type.domain.phi.dpl");
    expect(innermost(t, "DomainType")).toBe("support.type.domain.wrapper.dpl");
    expect(innermost(t, "Q", 1)).toBe("support.constant.domain.q.dpl");
    expect(innermost(t, "K", 1)).toBe("support.constant.domain.k.dpl");
    expect(innermost(t, "Φ", 1)).toBe("support.constant.domain.phi.dpl");
    expect(innermost(t, "Phi", 1)).toBe("support.constant.domain.phi.dpl");
  });

  it("keeps Φ-bearing identifiers and types whole", () => {
    const t = dpl("struct ΦEnvelope {}\nlet φ_state: ΦWindow = coherence_Φ + Φ2;\nfn Φtransform(x: Φ<u8>) {}");
    expect(scopesOf(t, "ΦEnvelope")).toEqual(["entity.name.type.struct.dpl"]);
    expect(scopesOf(t, "φ_state")).toEqual(["variable.other.dpl"]);
    expect(scopesOf(t, "ΦWindow")).toEqual(["entity.name.type.dpl"]);
    expect(scopesOf(t, "coherence_Φ")).toEqual(["variable.other.dpl"]);
    expect(scopesOf(t, "Φ2")).toEqual(["constant.other.caps.dpl"]);
    expect(scopesOf(t, "Φtransform")).toEqual(["entity.name.function.dpl"]);
    expect(scopesOf(t, "Φ")).toEqual(["support.type.domain.phi.dpl"]);
    // No token may be a fragment of a Φ identifier.
    const fragments = allTokens(t).filter((x) => /Φ|φ/.test(x.text));
    expect(fragments.map((x) => x.text)).toEqual(["ΦEnvelope", "φ_state", "ΦWindow", "coherence_Φ", "Φ2", "Φtransform", "Φ"]);
  });
});

describe("DPL grammar: literals", () => {
  it("scopes integer and float literals, their bases and their suffixes", () => {
    const t = dpl("let a = 5u64 + 1_000_000 + 0xFF_u8 + 0o17 + 0b1010_0101i32 + 2.5e-3f64 + 7usize + 3.0 + 1e9;");
    expect(scopesOf(t, "5")).toEqual(["constant.numeric.integer.decimal.dpl"]);
    expect(scopesOf(t, "u64")).toEqual(["constant.numeric.integer.decimal.dpl", "storage.type.numeric.suffix.dpl"]);
    expect(innermost(t, "1_000_000")).toBe("constant.numeric.integer.decimal.dpl");
    expect(innermost(t, "0xFF_")).toBe("constant.numeric.integer.hexadecimal.dpl");
    expect(scopesOf(t, "u8")).toEqual(["constant.numeric.integer.hexadecimal.dpl", "storage.type.numeric.suffix.dpl"]);
    expect(innermost(t, "0o17")).toBe("constant.numeric.integer.octal.dpl");
    expect(innermost(t, "0b1010_0101")).toBe("constant.numeric.integer.binary.dpl");
    expect(scopesOf(t, "i32")).toEqual(["constant.numeric.integer.binary.dpl", "storage.type.numeric.suffix.dpl"]);
    expect(innermost(t, "2.5e-3")).toBe("constant.numeric.float.dpl");
    expect(scopesOf(t, "f64")).toEqual(["constant.numeric.float.dpl", "storage.type.numeric.suffix.dpl"]);
    expect(innermost(t, "usize")).toBe("storage.type.numeric.suffix.dpl");
    expect(innermost(t, "3.0")).toBe("constant.numeric.float.dpl");
    expect(innermost(t, "1e9")).toBe("constant.numeric.float.dpl");
  });

  it("marks a bad suffix invalid and leaves ranges, fields and tuple indices alone", () => {
    const t = dpl("let a = 5u65 + 0x; for i in 0..n {} let b = 1.to_string(); t.0.1");
    expect(innermost(t, "u65")).toBe("invalid.illegal.numeric-suffix.dpl");
    expect(innermost(t, "x")).toBe("invalid.illegal.numeric-suffix.dpl");
    expect(innermost(t, "..")).toBe("keyword.operator.range.dpl");
    expect(innermost(t, "to_string")).toBe("entity.name.function.method.dpl");
    expect(innermost(t, "0", 2)).toBe("constant.numeric.integer.decimal.dpl");
    expect(scopesOf(t, "1", 1)).toEqual(["constant.numeric.integer.decimal.dpl"]);
  });

  it("scopes strings, escapes and invalid escapes, across lines", () => {
    const t = dpl('let s = "tab\\t quote\\" nul\\0 hex\\x41 uni\\u{3A6} bad\\q";\nlet m = "first\nsecond";');
    expect(innermost(t, '"')).toBe("punctuation.definition.string.begin.dpl");
    for (const esc of ["\\t", '\\"', "\\0", "\\x41", "\\u{3A6}"]) {
      expect(scopesOf(t, esc)).toEqual(["string.quoted.double.dpl", "constant.character.escape.dpl"]);
    }
    expect(innermost(t, "\\q")).toBe("invalid.illegal.escape.dpl");
    expect(t[1]!.depthAfter).toBeGreaterThan(1);
    expect(scopesOf(t, "second")).toEqual(["string.quoted.double.dpl"]);
    expect(t[2]!.depthAfter).toBe(1);
    expect(innermost(t, ";", 1)).toBe("punctuation.terminator.statement.dpl");
  });

  it("tells chars from loop labels", () => {
    const t = dpl("let c = 'a'; let e = '\\n'; let p = 'Φ'; 'outer: loop { break 'outer; }");
    expect(scopesOf(t, "a")).toEqual(["string.quoted.single.char.dpl"]);
    expect(scopesOf(t, "\\n")).toEqual(["string.quoted.single.char.dpl", "constant.character.escape.dpl"]);
    expect(scopesOf(t, "Φ")).toEqual(["string.quoted.single.char.dpl"]);
    expect(innermost(t, "outer")).toBe("entity.name.label.dpl");
    expect(innermost(t, "outer", 1)).toBe("entity.name.label.dpl");
    expect(innermost(t, "loop")).toBe("keyword.control.loop.dpl");
  });
});

describe("DPL grammar: comments", () => {
  it("distinguishes line, inner doc and outer doc comments", () => {
    const t = dpl("//! module doc\n/// item doc with `code`\n// plain\nlet x = 1; // trailing fn");
    expect(innermost(t, "//!")).toBe("punctuation.definition.comment.dpl");
    expect(scopesOf(t, " module doc")).toEqual(["comment.line.documentation.inner.dpl"]);
    expect(scopesOf(t, " item doc with ")).toEqual(["comment.line.documentation.outer.dpl"]);
    expect(innermost(t, "`code`")).toBe("markup.inline.raw.dpl");
    expect(scopesOf(t, " plain")).toEqual(["comment.line.double-slash.dpl"]);
    expect(scopesOf(t, " trailing fn")).toEqual(["comment.line.double-slash.dpl"]);
    expect(innermost(t, "let")).toBe("keyword.declaration.let.dpl");
  });

  it("nests block comments across lines", () => {
    const t = dpl("/* outer\n  /* inner */ still outer */ fn after() {}\n/** doc block */ /**/ x");
    expect(t[0]!.depthAfter).toBe(2);
    expect(scopesOf(t, " still outer ")).toEqual(["comment.block.dpl"]);
    expect(scopesOf(t, " inner ")).toEqual(["comment.block.dpl", "comment.block.dpl"]);
    expect(innermost(t, "fn")).toBe("keyword.declaration.fn.dpl");
    expect(innermost(t, "after")).toBe("entity.name.function.dpl");
    expect(t[1]!.depthAfter).toBe(1);
    expect(scopesOf(t, " doc block ")).toEqual(["comment.block.documentation.dpl"]);
    expect(scopesOf(t, "/*")[0]).toBe("comment.block.dpl");
    expect(innermost(t, "x")).toBe("variable.other.dpl");
  });
});

describe("DPL grammar: operators and line ends", () => {
  it("tells generic brackets from comparisons and borrows from bitwise and", () => {
    const t = dpl("let v: Vec<Vec<u64>> = f::<u8>(&mut s, a < b, c >= d, e & m, x >> 2, y -> z => w);");
    expect(innermost(t, "<")).toBe("punctuation.brackets.angle.begin.dpl");
    expect(innermost(t, ">")).toBe("punctuation.brackets.angle.end.dpl");
    expect(innermost(t, ">", 1)).toBe("punctuation.brackets.angle.end.dpl");
    expect(innermost(t, "<", 2)).toBe("punctuation.brackets.angle.begin.dpl");
    expect(innermost(t, "f")).toBe("entity.name.function.call.dpl");
    expect(innermost(t, "&")).toBe("keyword.operator.borrow.dpl");
    expect(innermost(t, "<", 3)).toBe("keyword.operator.comparison.dpl");
    expect(innermost(t, ">=")).toBe("keyword.operator.comparison.dpl");
    expect(innermost(t, "&", 1)).toBe("keyword.operator.bitwise.dpl");
    expect(innermost(t, ">>")).toBe("keyword.operator.bitwise.shift.dpl");
    expect(innermost(t, "->")).toBe("keyword.operator.arrow.skinny.dpl");
    expect(innermost(t, "=>")).toBe("keyword.operator.arrow.fat.dpl");
    const more = dpl("a += 1; b = c?; d::e; f..=g; !h || i && j % k");
    expect(innermost(more, "+=")).toBe("keyword.operator.assignment.compound.dpl");
    expect(innermost(more, "=")).toBe("keyword.operator.assignment.dpl");
    expect(innermost(more, "?")).toBe("keyword.operator.question.dpl");
    expect(innermost(more, "d")).toBe("entity.name.namespace.dpl");
    expect(innermost(more, "::")).toBe("punctuation.separator.namespace.dpl");
    expect(innermost(more, "..=")).toBe("keyword.operator.range.dpl");
    expect(innermost(more, "!")).toBe("keyword.operator.logical.not.dpl");
    expect(innermost(more, "||")).toBe("keyword.operator.logical.dpl");
    expect(innermost(more, "%")).toBe("keyword.operator.arithmetic.dpl");
  });

  it("tells closure parameter lists from bitwise and logical or", () => {
    const t = dpl("let add = |a: u64, mut b| a + b; let none = || 0; v.map(move |x| x | 1); let z = p || q;");
    expect(innermost(t, "|")).toBe("punctuation.definition.parameters.closure.begin.dpl");
    expect(innermost(t, "a")).toBe("variable.parameter.closure.dpl");
    expect(innermost(t, "u64")).toBe("support.type.primitive.dpl");
    expect(innermost(t, "mut")).toBe("storage.modifier.mut.dpl");
    expect(innermost(t, "|", 1)).toBe("punctuation.definition.parameters.closure.end.dpl");
    expect(innermost(t, "||")).toBe("punctuation.definition.parameters.closure.dpl");
    expect(innermost(t, "x")).toBe("variable.parameter.closure.dpl");
    expect(innermost(t, "|", 4)).toBe("keyword.operator.bitwise.dpl");
    expect(innermost(t, "||", 1)).toBe("keyword.operator.logical.dpl");
  });

  it("tokenizes a CRLF line like its LF twin", () => {
    const lines = ['@domain(Q) fn f(x: Q<u64>) -> u64 { let s = "a\\n"; 5u64 } // done', "/* open", "close */ let y = 1;"];
    const lf = tokenizeLines(g.dpl, lines);
    const crlf = tokenizeLines(
      g.dpl,
      lines.map((l) => l + "\r"),
    );
    const visible = (ls: TokenizedLine[]) =>
      allTokens(ls)
        .filter((x) => x.text.trim() !== "")
        .map((x) => ({ text: x.text.replace(/\r$/, ""), scopes: x.scopes }));
    expect(visible(crlf)).toEqual(visible(lf));
    expect(crlf.map((l) => l.depthAfter)).toEqual([1, 2, 1]);
    expect(allTokens(crlf).some((x) => x.scopes.some((s) => s.startsWith("invalid")))).toBe(false);
  });
});

describe("grammar files", () => {
  /** grammar/README.md promises hosts with a JavaScript regex engine (Shiki) can load them. */
  it("use only regex syntax that JavaScript's u-flag RegExp also accepts", () => {
    const regexes: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        for (const [key, value] of Object.entries(node)) {
          if (["match", "begin", "end", "while"].includes(key) && typeof value === "string") regexes.push(value);
          else walk(value);
        }
      }
    };
    for (const file of ["dpl.tmLanguage.json", "dpl-markdown-injection.tmLanguage.json"]) {
      walk(JSON.parse(readFileSync(resolve(grammarDir, file), "utf8")));
    }
    expect(regexes.length).toBeGreaterThan(80);
    // \G is TextMate's "where the last match ended" anchor, which every host emulates; and
    // end patterns may back-reference begin captures, which hosts substitute before compiling.
    const bad = regexes.filter((r) => {
      try {
        new RegExp(r.replace(/\\G/g, "").replace(/\\([1-9])/g, "(?:x)"), "u");
        return false;
      } catch {
        return true;
      }
    });
    expect(bad).toEqual([]);
  });
});

const specDir = resolve(repoRoot, "../shared/xdv-spec");
const haveSpec = existsSync(specDir);
const specFiles = haveSpec ? readdirSync(specDir).filter((f) => /^XDV-08.*\.md$/.test(f)).sort() : [];
const dustBlocks = (file: string) => fencedBlocks(readFileSync(resolve(specDir, file), "utf8")).filter((b) => b.info === "dust");
/** XDV-084 and later have no dust code; a per-file test over zero blocks could not fail. */
const filesWithDust = specFiles.filter((f) => dustBlocks(f).length > 0);
const domainKey = (tag: string) => (tag === "K" ? "k" : tag === "Q" ? "q" : "phi");

describe.skipIf(!haveSpec)(
  haveSpec ? "the XDV corpus" : `the XDV corpus (skipped: ${specDir} not found; the spec corpus is not checked out next to the repo)`,
  () => {
    /** Real corpus code contains no strings or comments, so any such scope means a rule leaked. */
    const leak = (scopes: string[]) => scopes.some((s) => /^(invalid|string|comment)\./.test(s));

    it("has ```dust blocks to check", () => {
      expect(filesWithDust.map((f) => f.slice(0, 7))).toEqual(expect.arrayContaining(["XDV-080", "XDV-081", "XDV-082", "XDV-083"]));
      const count = specFiles.reduce((n, f) => n + dustBlocks(f).length, 0);
      expect(count).toBeGreaterThanOrEqual(20);
    });

    for (const file of filesWithDust) {
      it(`tokenizes every dust block of ${file} back to the root`, () => {
        for (const block of dustBlocks(file)) {
          const where = `${file}:${block.startLine}`;
          const t = tokenizeLines(g.dpl, block.lines);
          expect(t.at(-1)?.depthAfter, `${where}: rule stack not at root at block end`).toBe(1);
          t.forEach((line, i) => {
            const bad = line.tokens.filter((x) => leak(x.scopes));
            expect(bad, `${where}+${i}: ${line.text}`).toEqual([]);
            const m = /@domain\((K|Q|Φ|Phi)\)/.exec(line.text);
            if (m) {
              const tag = line.tokens.find((x) => x.text === m[1]);
              expect(tag?.scopes, `${where}+${i}`).toEqual(["meta.annotation.domain.dpl", `entity.name.tag.domain.${domainKey(m[1]!)}.dpl`]);
            }
            const decl = /\b(fn|struct|enum)\s+([A-Za-z_]\w*)/.exec(line.text);
            if (decl) {
              const name = line.tokens.find((x) => x.text === decl[2]);
              expect(name?.scopes[0], `${where}+${i}`).toMatch(/^entity\.name\.(function|type\.(struct|enum))\.dpl$/);
            }
          });
        }
      });
    }

    it("tokenizes the untagged declarations of XDV-051 and XDV-052", () => {
      const files = readdirSync(specDir).filter((f) => /^XDV-05[12]-.*\.md$/.test(f));
      expect(files).toHaveLength(2);
      let annotated = 0;
      for (const file of files) {
        for (const block of fencedBlocks(readFileSync(resolve(specDir, file), "utf8")).filter((b) => b.info === "")) {
          const t = tokenizeLines(g.dpl, block.lines);
          expect(t.at(-1)?.depthAfter, `${file}:${block.startLine}`).toBe(1);
          for (const x of allTokens(t)) {
            expect(leak(x.scopes), `${file}:${block.startLine} ${x.text}`).toBe(false);
            if (x.scopes.includes("meta.annotation.domain.dpl") && /^(K|Q|Φ|Phi)$/.test(x.text)) annotated++;
          }
        }
      }
      expect(annotated).toBeGreaterThanOrEqual(4);
    });

    it("highlights the dust blocks of XDV-081 when the Markdown file itself is tokenized", () => {
      const file = specFiles.find((f) => f.startsWith("XDV-081"));
      expect(file).toBeDefined();
      const lines = readFileSync(resolve(specDir, file!), "utf8").split("\n");
      const t = tokenizeLines(g.markdown, lines);
      const embedded = t.filter((l) => l.tokens.some((x) => x.scopes.includes("meta.embedded.block.dpl")));
      const dustBodyLines = fencedBlocks(lines.join("\n"))
        .filter((b) => b.info === "dust")
        .reduce((n, b) => n + b.lines.filter((l) => l.trim() !== "").length, 0);
      expect(embedded.length).toBe(dustBodyLines);
      const submit = t.find((l) => l.text.startsWith("fn submit_q_job"));
      expect(submit?.tokens.find((x) => x.text === "submit_q_job")?.scopes.at(-1)).toBe("entity.name.function.dpl");
      expect(t.at(-1)?.depthAfter).toBe(1);
    });
  },
);

describe("Markdown injection", () => {
  const md = [
    "# Title with `fn` in code",
    "",
    "```dust",
    "@domain(Q)",
    'fn f() { let s = "never closed',
    "```",
    "",
    "fn prose() is not code",
    "",
    "~~~DPL {.ignore}",
    "let x: Φ<u8> = 1u8;",
    "~~~",
    "```ds",
    "struct S;",
    "```",
    "```rust",
    "fn rust_code() {}",
    "```",
    "````markdown",
    "```dust",
    "fn quoted() {}",
    "```",
    "````",
    "```dusty",
    "fn not_dust() {}",
    "```",
    "After.",
  ];

  it("embeds source.dpl in dust, dpl and ds fences only", () => {
    const t = tokenizeLines(g.markdown, md);
    const line = (text: string) => t.find((l) => l.text === text)!;
    const tok = (l: TokenizedLine, text: string) => l.tokens.find((x) => x.text === text)?.scopes ?? [];

    expect(tok(line("```dust"), "dust")).toContain("fenced_code.block.language.markdown");
    expect(tok(line("@domain(Q)"), "Q")).toEqual([
      "markup.fenced_code.block.markdown",
      "meta.embedded.block.dpl",
      "meta.annotation.domain.dpl",
      "entity.name.tag.domain.q.dpl",
    ]);
    expect(tok(line("let x: Φ<u8> = 1u8;"), "Φ").at(-1)).toBe("support.type.domain.phi.dpl");
    expect(tok(line("~~~DPL {.ignore}"), " {.ignore}")).toContain("fenced_code.block.language.attributes.markdown");
    expect(tok(line("struct S;"), "struct").at(-1)).toBe("keyword.declaration.struct.dpl");

    for (const other of ["fn rust_code() {}", "fn quoted() {}", "fn not_dust() {}"]) {
      const scopes = line(other).tokens.flatMap((x) => x.scopes);
      expect(scopes.some((s) => s.endsWith(".dpl")), other).toBe(false);
    }
  });

  it("closes a block at its fence even when the DPL inside is unterminated", () => {
    const t = tokenizeLines(g.markdown, md);
    const fenceIndex = md.indexOf("```", 4);
    expect(t[fenceIndex - 1]!.tokens.at(-1)?.scopes).toContain("string.quoted.double.dpl");
    expect(t[fenceIndex]!.tokens.some((x) => x.scopes.includes("meta.embedded.block.dpl"))).toBe(false);
    const prose = t.find((l) => l.text.startsWith("fn prose"))!;
    expect(prose.tokens.flatMap((x) => x.scopes)).toEqual([]);
    expect(t.at(-1)?.depthAfter).toBe(1);
  });

  it("works on CRLF Markdown", () => {
    const t = tokenizeLines(
      g.markdown,
      ["```dust\r", "fn f(x: Q<u64>) {}\r", "```\r", "After.\r"],
    );
    expect(t[1]!.tokens.find((x) => x.text === "Q")?.scopes.at(-1)).toBe("support.type.domain.q.dpl");
    expect(t[3]!.tokens.flatMap((x) => x.scopes)).toEqual([]);
    expect(t.at(-1)?.depthAfter).toBe(1);
  });
});

describe("DPL grammar: the dustlang surface", () => {
  const source = `K add(K[Int] a, K[Int] b) -> K[Int] {
    a + b
}

K main {
    mut let total: K[Int] = add(1, 2);
    emit "total = {total}";
}

forge Examples {
    shape QState {
        id: i64;
    }
    proc Q::tag(q: QState) -> QState linear {
        return q;
    }
    bind K::request -> Q::tag
    contract {
        latency_us < 5000;
    }
}
`;

  it("scopes regimes, regime functions, forges, shapes, processes and effects", () => {
    const t = dpl(source);
    expect(innermost(t, "K")).toBe("storage.type.regime.dpl");
    expect(innermost(t, "add")).toBe("entity.name.function.dpl");
    expect(innermost(t, "main")).toBe("entity.name.function.dpl");
    expect(innermost(t, "emit")).toBe("keyword.other.effect.dpl");
    expect(innermost(t, "mut")).toBe("storage.modifier.mut.dpl");
    expect(innermost(t, "forge")).toBe("keyword.declaration.dustlang.dpl");
    expect(innermost(t, "QState")).toBe("entity.name.type.dpl");
    expect(innermost(t, "proc")).toBe("keyword.declaration.fn.dpl");
    expect(innermost(t, "tag")).toBe("entity.name.function.dpl");
    expect(innermost(t, "linear")).toBe("storage.modifier.dustlang.dpl");
    expect(innermost(t, "bind")).toBe("keyword.declaration.dustlang.dpl");
    expect(innermost(t, "contract")).toBe("keyword.declaration.dustlang.dpl");
  });

  it("scopes the sketch's quantity literals as numbers with a unit, and no other suffix", () => {
    const t = dpl("bind K::a -> Q::b\n    contract { latency < 2ms, jitter < 1.5us }\nproc K::f() uses clock(1kHz) {\n    let n = 5kg\n}\n");
    for (const [n, unit] of [["2", "ms"], ["1.5", "us"], ["1", "kHz"]] as const) {
      expect(scopesOf(t, n)).toEqual(["constant.numeric.quantity.dpl"]);
      expect(scopesOf(t, unit)).toEqual(["constant.numeric.quantity.dpl", "keyword.other.unit.dpl"]);
    }
    // Not a unit: the lexer's DPL1003, as for any other suffix.
    expect(innermost(t, "kg")).toBe("invalid.illegal.numeric-suffix.dpl");
  });

  it("scopes a named argument of a call, and not a struct literal's field or a parameter", () => {
    const t = dpl('proc Q::f(r: Reg) {\n    q::encode(r, basis: "phase", make(Point { x: 1, y: 2 }), depth: 3)\n    encode(\n        basis: 1,\n    )\n}\nfn g(a: u64, b: u64) {}\n');
    expect(scopesOf(t, "basis")).toContain("variable.parameter.named.dpl");
    expect(scopesOf(t, "depth")).toContain("variable.parameter.named.dpl");
    expect(scopesOf(t, "basis", 1)).toContain("variable.parameter.named.dpl");
    for (const name of ["x", "y", "r", "a", "b"]) expect(scopesOf(t, name), name).not.toContain("variable.parameter.named.dpl");
    expect(innermost(t, "encode")).toBe("entity.name.function.call.dpl");
    expect(t.at(-1)?.depthAfter).toBe(1);
  });

  it("leaves the same words alone where they are ordinary names", () => {
    const t = dpl("fn f(contract: u64, emit: u64) -> u64 {\n    let linear = emit.min(contract);\n    linear\n}\n");
    expect(innermost(t, "emit")).not.toBe("keyword.other.effect.dpl");
    expect(innermost(t, "linear")).not.toBe("storage.modifier.dustlang.dpl");
  });
});
