/**
 * Each diagnostic code's wording lives in one place (issue 10): the code families of
 * src/diagnostics/messages/ (and src/syntax/messages.ts for the syntax stage, which comes
 * before diagnostics/). Checker, parser, workspace and compiler files raise diagnostics by
 * calling those named constructors and never spell a code next to a message themselves.
 */
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT, tsFilesUnder } from "../helpers.js";
import { allCodes } from "../../src/diagnostics/catalog.js";

const SRC = join(REPO_ROOT, "src");
const FAMILY_DIR = join(SRC, "diagnostics", "messages");
const FAMILY_FILES = [...readdirSync(FAMILY_DIR).filter((f) => f.endsWith(".ts") && f !== "message.ts").map((f) => join(FAMILY_DIR, f)), join(SRC, "syntax", "messages.ts")];
/** Where a code may be written as a string: the catalog (which codes exist) and the families. */
const ALLOWED = new Set([join(SRC, "diagnostics", "catalog.ts"), join(FAMILY_DIR, "message.ts"), ...FAMILY_FILES]);

const files = tsFilesUnder;

/**
 * An argument that serves as every parameter type the constructors take: a string when
 * printed, a list when mapped or joined, a count when compared.
 */
function anyArg(): unknown {
  return Object.assign(["x", "y"], { toString: () => "x" });
}

interface Built {
  readonly family: string;
  readonly name: string;
  readonly code: string;
  readonly message: string;
}

async function constructors(): Promise<Built[]> {
  const out: Built[] = [];
  for (const f of FAMILY_FILES) {
    const mod = (await import(pathToFileURL(f).href)) as Record<string, unknown>;
    for (const [family, value] of Object.entries(mod)) {
      if (typeof value !== "object" || value === null) continue;
      for (const [name, ctor] of Object.entries(value)) {
        if (typeof ctor !== "function") continue;
        const r = (ctor as (...a: unknown[]) => unknown)(...Array.from({ length: Math.max(ctor.length, 6) }, anyArg));
        // Labels of related spans are plain strings; messages carry their code.
        if (typeof r === "object" && r !== null && "code" in r) out.push({ family, name, code: String((r as Built).code), message: String((r as Built).message) });
      }
    }
  }
  return out;
}

describe("diagnostic wording", () => {
  it("every code of the catalog has named constructors, and each constructor builds a catalogued code", async () => {
    const built = await constructors();
    expect(built.length).toBeGreaterThan(150);
    const known = new Set(allCodes().map((c) => c.code));
    for (const b of built) {
      expect(known.has(b.code), `${b.family}.${b.name} builds ${b.code}, which is not in the catalog`).toBe(true);
      expect(b.message.length, `${b.family}.${b.name} builds an empty message`).toBeGreaterThan(0);
    }
    const covered = new Set(built.map((b) => b.code));
    expect(allCodes().map((c) => c.code).filter((c) => !covered.has(c))).toEqual([]);
  });

  it("each code belongs to one family module", async () => {
    const built = await constructors();
    const modulesOf = new Map<string, Set<string>>();
    for (const f of FAMILY_FILES) {
      const text = readFileSync(f, "utf8");
      for (const m of text.matchAll(/"(DPL\d{4})"/g)) {
        const set = modulesOf.get(m[1]!) ?? new Set<string>();
        set.add(relative(SRC, f));
        modulesOf.set(m[1]!, set);
      }
    }
    expect(built.length).toBeGreaterThan(0);
    const spread = [...modulesOf].filter(([, mods]) => mods.size > 1).map(([code, mods]) => `${code}: ${[...mods].join(", ")}`);
    expect(spread).toEqual([]);
  });

  it("no file outside the families spells a code: raising sites call the constructors", () => {
    const offenders: string[] = [];
    let scanned = 0;
    for (const f of files(SRC)) {
      if (ALLOWED.has(f)) continue;
      // The runtime library of emitted programs is a package of its own.
      if (relative(SRC, f).startsWith(join("emit", "runtime") + sep)) continue;
      scanned++;
      const lines = readFileSync(f, "utf8").split("\n");
      lines.forEach((line, i) => {
        if (/["'`]DPL\d{4}["'`]/.test(line)) offenders.push(`${relative(REPO_ROOT, f)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(scanned).toBeGreaterThan(200);
    expect(offenders).toEqual([]);
  });
});
