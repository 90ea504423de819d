/**
 * Semantic tokens of a dustlang file's sketch forms (docs/language.md): a quantity literal is
 * a `number` followed by its unit as a `keyword`, a named argument a `parameter`; the same
 * text in an XDV file (a string, a struct field) gets neither.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DocumentPipeline } from "../../src/lsp/documents.js";
import { analyze } from "../../src/compiler/analyze.js";
import { semanticsOf } from "../../src/lsp/model-semantics.js";
import { decodeTokens, semanticTokens } from "../../src/lsp/semantic-tokens.js";

const dir = mkdtempSync(join(tmpdir(), "dplc-dust-tokens-"));

async function tokensOf(name: string, text: string) {
  const pipeline = new DocumentPipeline({ check: { profile: "user", allBlocks: false }, debounceMs: 0, analyze }, () => undefined);
  const uri = pathToFileURL(join(dir, name)).href;
  pipeline.open(uri, "dpl", 1, text);
  await pipeline.flush();
  const doc = pipeline.get(uri)!;
  const lines = text.split("\n");
  return decodeTokens(semanticTokens(doc, semanticsOf(pipeline, doc)).data).map((t) => ({ text: lines[t.line]!.slice(t.character, t.character + t.length), type: t.type }));
}

const SKETCH = `forge Lab {
    proc K::stabilize(target: i64) -> i64
        uses clock(1kHz), io(motor_bus)
    {
        let e = target - sense::position(axis: "x")
        return e
    }

    proc Q::estimate() -> i64 linear {
        let r = q::register(2)
        observe r
        return q::value(r)
    }

    bind K::stabilize -> Q::estimate
        contract { latency < 2ms, jitter < 1.5us }
}
`;

describe("semantic tokens of the dustlang sketch's forms", () => {
  it("gives quantity literals a number and a unit, and named arguments the parameter type", async () => {
    const t = await tokensOf("lab.ds", SKETCH);
    const at = (text: string) => t.filter((x) => x.text === text).map((x) => x.type);
    expect(at("1")).toEqual(["number"]);
    expect(at("kHz")).toEqual(["keyword"]);
    expect(at("2")).toContain("number");
    expect(at("ms")).toEqual(["keyword"]);
    expect(at("1.5")).toEqual(["number"]);
    expect(at("us")).toEqual(["keyword"]);
    expect(at("axis")).toEqual(["parameter"]);
    // The identifiers the model resolves keep their tokens around them.
    expect(at("target")).toContain("parameter");
    expect(at("register")).toEqual(["function"]);
  });

  it("gives XDV code no such tokens", async () => {
    const t = await tokensOf("plain.ds", 'struct P { axis: u64 }\nfn main() {\n    let p = P { axis: 2 };\n    let s = "2ms";\n    println!("{} {}", p.axis, s);\n}\n');
    expect(t.filter((x) => x.type === "number" || x.type === "keyword")).toEqual([]);
    expect(t.filter((x) => x.text === "axis").map((x) => x.type)).not.toContain("parameter");
  });
});
