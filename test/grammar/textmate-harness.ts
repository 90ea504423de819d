/**
 * Loads grammar/*.tmLanguage.json into vscode-textmate (the engine VS Code itself uses) and
 * turns tokenization results into plain `{ text, scopes }` records that tests can query.
 *
 * vscode-textmate and vscode-oniguruma ship as webpack bundles whose named exports Node's
 * ESM loader cannot see, hence the default imports.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import textmate from "vscode-textmate";
import oniguruma from "vscode-oniguruma";
import type { IGrammar, IRawGrammar, StateStack } from "vscode-textmate";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const grammarDir = resolve(repoRoot, "grammar");

export const DPL_SCOPE = "source.dpl";
export const INJECTION_SCOPE = "markdown.dpl.codeblock";
export const MARKDOWN_SCOPE = "text.html.markdown";

/**
 * VS Code's Markdown grammar is not an npm package, so the injection is tested against a
 * small host with the two features that matter: a root scope of `text.html.markdown`, and a
 * generic fenced-code rule that claims every fence (as the real grammar does). The injection
 * must beat that rule for dust/dpl/ds fences and leave all other fences alone.
 */
const markdownHost = {
  scopeName: MARKDOWN_SCOPE,
  patterns: [
    { match: "^#{1,6}[ \\t].*$", name: "markup.heading.markdown" },
    {
      begin: "^([ \\t]*)(`{3,}|~{3,})(.*)$",
      beginCaptures: { 3: { name: "fenced_code.block.language.markdown" } },
      end: "^[ \\t]*\\2[`~]*\\s*$",
      name: "markup.fenced_code.block.markdown",
      contentName: "markup.raw.block.markdown",
    },
    { match: "`[^`]+`", name: "markup.inline.raw.string.markdown" },
  ],
};

let wasmLoaded: Promise<void> | undefined;

function loadOniguruma(): Promise<void> {
  wasmLoaded ??= (async () => {
    const wasm = readFileSync(resolve(repoRoot, "node_modules/vscode-oniguruma/release/onig.wasm"));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  })();
  return wasmLoaded;
}

function readGrammar(file: string): IRawGrammar {
  const path = resolve(grammarDir, file);
  return textmate.parseRawGrammar(readFileSync(path, "utf8"), path);
}

export interface Grammars {
  dpl: IGrammar;
  markdown: IGrammar;
}

export async function loadGrammars(): Promise<Grammars> {
  await loadOniguruma();
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) => {
      if (scopeName === DPL_SCOPE) return readGrammar("dpl.tmLanguage.json");
      if (scopeName === INJECTION_SCOPE) return readGrammar("dpl-markdown-injection.tmLanguage.json");
      if (scopeName === MARKDOWN_SCOPE) return textmate.parseRawGrammar(JSON.stringify(markdownHost), "markdown-host.json");
      return null;
    },
    getInjections: (scopeName: string) => (scopeName === MARKDOWN_SCOPE ? [INJECTION_SCOPE] : undefined),
  });
  const dpl = await registry.loadGrammar(DPL_SCOPE);
  const markdown = await registry.loadGrammar(MARKDOWN_SCOPE);
  if (!dpl || !markdown) throw new Error("grammar failed to load");
  return { dpl, markdown };
}

export interface Token {
  text: string;
  /** Scopes without the grammar's root scope, outermost first. */
  scopes: string[];
}

export interface TokenizedLine {
  text: string;
  tokens: Token[];
  /** Rule-stack depth after the line: 1 means back at the grammar's root. */
  depthAfter: number;
  stateAfter: StateStack;
}

export function tokenizeLines(grammar: IGrammar, lines: readonly string[]): TokenizedLine[] {
  let state: StateStack = textmate.INITIAL;
  return lines.map((text) => {
    const result = grammar.tokenizeLine(text, state);
    state = result.ruleStack;
    return {
      text,
      tokens: result.tokens.map((t) => ({ text: text.slice(t.startIndex, t.endIndex), scopes: t.scopes.slice(1) })),
      depthAfter: state.depth,
      stateAfter: state,
    };
  });
}

export function tokenize(grammar: IGrammar, source: string): TokenizedLine[] {
  return tokenizeLines(grammar, source.split("\n"));
}

/** Every token of the given lines, flattened in source order. */
export function allTokens(lines: readonly TokenizedLine[]): Token[] {
  return lines.flatMap((l) => l.tokens);
}

/**
 * The scopes of the `occurrence`-th token whose text is exactly `text`. Throws with a dump of
 * the tokens when there is no such token, because "expected undefined to contain ..." says
 * nothing about how the grammar actually split the line.
 */
export function scopesOf(lines: readonly TokenizedLine[], text: string, occurrence = 0): string[] {
  const hits = allTokens(lines).filter((t) => t.text === text);
  const hit = hits[occurrence];
  if (!hit) {
    const dump = allTokens(lines)
      .map((t) => `${JSON.stringify(t.text)} ${t.scopes.join(" ")}`)
      .join("\n");
    throw new Error(`no token #${occurrence} with text ${JSON.stringify(text)}; tokens were:\n${dump}`);
  }
  return hit.scopes;
}

/** The innermost scope of a token, the one a theme rule usually keys on. */
export function innermost(lines: readonly TokenizedLine[], text: string, occurrence = 0): string | undefined {
  return scopesOf(lines, text, occurrence).at(-1);
}

export interface FencedBlock {
  info: string;
  /** 1-based line of the first body line in the Markdown file. */
  startLine: number;
  lines: string[];
}

/**
 * Fenced blocks of a Markdown file, lines kept with any trailing `\r` so that CRLF files are
 * tokenized the way a naive client would feed them.
 */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split("\n");
  const blocks: FencedBlock[] = [];
  let open: FencedBlock | undefined;
  let fence = "";
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, "");
    if (!open) {
      const m = /^\s*(`{3,}|~{3,})\s*([^`\s]*)/.exec(line);
      if (m) {
        fence = m[1]!;
        open = { info: m[2]!, startLine: index + 2, lines: [] };
      }
    } else if (new RegExp(`^\\s*\\${fence[0]}{${fence.length},}\\s*$`).test(line)) {
      blocks.push(open);
      open = undefined;
    } else {
      open.lines.push(raw);
    }
  });
  return blocks;
}
