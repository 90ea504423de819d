/**
 * The corpus rule (language.md §1, runtime.md "Layout"): every ```dust block of XDV-080,
 * 081, 082 and 083 stands verbatim in the stdlib module its spec names, between
 * `// BEGIN XDV-0xx §n (verbatim)` and `// END XDV-0xx §n` markers, in a file that carries
 * the Dust LLC copyright header. And the whole stdlib parses without a syntax diagnostic.
 *
 * The block extraction here is deliberately independent of src/syntax/literate.ts: this
 * test checks the stdlib against the spec files, not the compiler against itself.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseText } from "../../src/syntax/parse.js";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const STDLIB = join(REPO_ROOT, "stdlib");
const SPEC_DIR = join(REPO_ROOT, "..", "shared", "xdv-spec");

const SPECS: Readonly<Record<string, string>> = {
  "XDV-080": "XDV-080-Kernel-Reference-Implementation-DPL.md",
  "XDV-081": "XDV-081-Hybrid-Runtime-Reference.md",
  "XDV-082": "XDV-082-Cross-Domain-Scheduler-Reference.md",
  "XDV-083": "XDV-083-Domain-Hypervisor-Reference.md",
};

/** Where each block lives, by the spec's folder tree (XDV-080 §3, XDV-081 §3, XDV-082 §3). */
const HOME: Readonly<Record<string, string>> = {
  "XDV-080 §4.1": "kernel/core/logical_clock.ds",
  "XDV-080 §4.2": "kernel/core/orchestration.ds",
  "XDV-080 §5.1": "kernel/core/scheduler.ds",
  "XDV-080 §5.2": "kernel/core/scheduler.ds",
  "XDV-080 §6.1": "kernel/security/capability.ds",
  "XDV-080 §6.2": "kernel/security/capability.ds",
  "XDV-080 §7.1": "kernel/domain/q_manager.ds",
  "XDV-080 §8.1": "kernel/domain/phi_manager.ds",
  "XDV-080 §9": "kernel/hypervisor/vhm.ds",
  "XDV-080 §10": "kernel/abi/syscall.ds",
  "XDV-081 §4.1": "runtime/process/context.ds",
  "XDV-081 §5.1": "runtime/domain/k_api.ds",
  "XDV-081 §5.2": "runtime/domain/q_api.ds",
  "XDV-081 §5.3": "runtime/domain/phi_api.ds",
  "XDV-081 §6": "runtime/contracts/resource.ds",
  "XDV-081 §7.1": "runtime/capability/capability_handle.ds",
  "XDV-081 §9.1": "runtime/replay/replay_hooks.ds",
  "XDV-082 §4.1": "scheduler/arbitration.ds",
  "XDV-082 §4.2": "scheduler/arbitration.ds",
  "XDV-082 §4.3": "scheduler/logical_clock.ds",
  "XDV-082 §6.1": "scheduler/k_queue.ds",
  "XDV-082 §7.2": "scheduler/resource_budget.ds",
  "XDV-082 §8.1": "scheduler/phi_queue.ds",
  "XDV-083 §3.1": "hypervisor/vhm.ds",
  "XDV-083 §5.1": "hypervisor/binding.ds",
  "XDV-083 §8.1": "hypervisor/resources.ds",
};

const HEADER_PREFIX = "// Copyright © Dust LLC. Reproduced from the XDV specification corpus (";
const HEADER_SUFFIX = ") under the Dust Open Source License; see ../shared/xdv-spec/LICENSE.";

interface CorpusBlock {
  readonly key: string;
  readonly text: string;
  readonly line: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const HEADING = /^#{1,6} +(\d+(?:\.\d+)*)\.?(?:\s|$)/;

/**
 * The ```dust blocks of a spec, each labelled with the number of the section it sits in.
 * Inside a block, any fence of the opening character at least as long closes it, even with
 * text after it: the corpus closes untagged blocks with fences like ``` id="3hbg9x" ```.
 */
function dustBlocks(doc: string, markdown: string): CorpusBlock[] {
  const lines = markdown.split(/\r\n|\n|\r/);
  const blocks: CorpusBlock[] = [];
  let section = "";
  let open: { fence: string; tag: string; line: number; body: string[] } | null = null;
  lines.forEach((line, i) => {
    const fence = FENCE.exec(line);
    if (open) {
      if (fence && fence[1]![0] === open.fence[0] && fence[1]!.length >= open.fence.length) {
        if (open.tag === "dust") blocks.push({ key: `${doc} §${section}`, text: open.body.join("\n"), line: open.line });
        open = null;
      } else open.body.push(line);
      return;
    }
    if (fence) {
      open = { fence: fence[1]!, tag: (fence[2] ?? "").trim().split(/\s+/)[0] ?? "", line: i + 1, body: [] };
      return;
    }
    const h = HEADING.exec(line);
    if (h) section = h[1]!;
  });
  return blocks;
}

/** The text between `// BEGIN <key> (verbatim)` and `// END <key>` lines, if present once. */
function markedText(file: string, key: string): string | null | "duplicate" {
  const begin = `// BEGIN ${key} (verbatim)\n`;
  const end = `\n// END ${key}\n`;
  const at = file.indexOf(begin);
  if (at < 0) return null;
  if (file.indexOf(begin, at + 1) >= 0) return "duplicate";
  const from = at + begin.length;
  const to = file.indexOf(end, from);
  return to < 0 ? null : file.slice(from, to);
}

function stdlibFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith(".ds")) out.push(full);
    }
  };
  walk(STDLIB);
  return out;
}

const rel = (p: string): string => relative(STDLIB, p).split(sep).join("/");
const specAvailable = existsSync(SPEC_DIR);

describe.skipIf(!specAvailable)(`corpus blocks stand verbatim in the stdlib (needs ${SPEC_DIR}; skipped when the spec corpus is absent)`, () => {
  const corpus = Object.entries(SPECS).flatMap(([doc, file]) => dustBlocks(doc, readFileSync(join(SPEC_DIR, file), "utf8")));

  it("extracts the blocks the stdlib expects, no more and no fewer", () => {
    const keys = corpus.map((b) => b.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(Object.keys(HOME).sort());
  });

  it("closes blocks on fences that carry stray attributes", () => {
    // XDV-081 §3's tree ends in ``` id="3hbg9x"; if that fence did not close it, §4.1's
    // block would be swallowed and the first block found would lie in another section.
    const first081 = corpus.find((b) => b.key.startsWith("XDV-081"));
    expect(first081?.key).toBe("XDV-081 §4.1");
    expect(first081?.text.startsWith("@domain(K)\nstruct HybridProcessContext {")).toBe(true);
  });

  for (const [key, home] of Object.entries(HOME)) {
    it(`${key} stands verbatim in stdlib/${home}`, () => {
      const block = corpus.find((b) => b.key === key);
      expect(block, `${key} not found in the spec`).toBeDefined();
      const path = join(STDLIB, home);
      expect(existsSync(path), `stdlib/${home} is missing`).toBe(true);
      const text = readFileSync(path, "utf8");
      const marked = markedText(text, key);
      expect(marked, `stdlib/${home} has no well-formed BEGIN/END ${key} markers`).not.toBeNull();
      expect(marked, `stdlib/${home} has ${key} twice`).not.toBe("duplicate");
      expect(marked).toBe(block!.text);
    });
  }

  it("has no BEGIN marker for a block the spec does not contain", () => {
    const stale: string[] = [];
    for (const f of stdlibFiles()) {
      for (const m of readFileSync(f, "utf8").matchAll(/^\/\/ BEGIN (XDV-\d+ §[\d.]+) \(verbatim\)$/gm)) {
        if (HOME[m[1]!] !== rel(f)) stale.push(`${rel(f)}: ${m[1]}`);
      }
    }
    expect(stale).toEqual([]);
  });
});

describe("stdlib modules", () => {
  // The prelude has its own owner and conventions; it is only held to the parse check.
  const files = stdlibFiles().filter((f) => !rel(f).startsWith("prelude/"));

  it("cover every module the spec trees name", () => {
    const present = new Set(files.map(rel));
    for (const home of new Set(Object.values(HOME))) expect(present.has(home), home).toBe(true);
    for (const m of ["process/context", "process/lifecycle", "domain/k_api", "domain/q_api", "domain/phi_api", "contracts/resource", "contracts/coherence", "capability/capability_handle", "ipc/cross_domain_ipc", "replay/replay_hooks", "telemetry/metrics"]) {
      expect(present.has(`runtime/${m}.ds`), `runtime/${m}.ds (XDV-081 §3)`).toBe(true);
    }
  });

  it("carry the Dust LLC header wherever they reproduce corpus code", () => {
    const missing: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      if (!text.includes("// BEGIN XDV-")) continue;
      const first = text.split("\n", 1)[0]!;
      if (!first.startsWith(HEADER_PREFIX) || !first.endsWith(HEADER_SUFFIX)) missing.push(rel(f));
    }
    expect(missing).toEqual([]);
  });

  it("use LF line ends only", () => {
    expect(files.filter((f) => readFileSync(f, "utf8").includes("\r")).map(rel)).toEqual([]);
  });

  it("parse with zero syntax diagnostics, the prelude included", () => {
    const problems: string[] = [];
    for (const f of stdlibFiles()) {
      const r = parseText(`stdlib/${rel(f)}`, readFileSync(f, "utf8"));
      for (const d of r.diagnostics) problems.push(`stdlib/${rel(f)}:${d.span.start.line}:${d.span.start.column} ${d.code} ${d.message}`);
    }
    expect(problems).toEqual([]);
  });
});
