#!/usr/bin/env node
/**
 * Copies the TextMate grammars from the repository's grammar/ folder (their single source of
 * truth) into syntaxes/, where package.json points: VS Code refuses contribution paths that
 * leave the extension folder, and `vsce package` only ships what is inside it.
 *
 *   node scripts/sync-grammar.mjs            copy (run by `npm install` and `vsce package`)
 *   node scripts/sync-grammar.mjs --check    exit 1 if syntaxes/ is missing or stale
 *   node scripts/sync-grammar.mjs --out DIR  copy into DIR instead (used by tests)
 *
 * Each grammar is parsed and its scopeName checked against package.json before anything is
 * written, so a broken grammar fails here rather than as silent lack of colour in the editor.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const extensionDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const sourceDir = resolve(extensionDir, "../../grammar");

function parseArgs(argv) {
  const options = { check: false, out: resolve(extensionDir, "syntaxes") };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--check") options.check = true;
    else if (arg === "--out" && argv[i + 1]) options.out = resolve(argv[++i]);
    else throw new Error(`unknown argument: ${arg}`);
  }
  return options;
}

/** The grammar files package.json contributes, keyed by file name, with their scope names. */
function contributedGrammars() {
  const manifest = JSON.parse(readFileSync(resolve(extensionDir, "package.json"), "utf8"));
  const grammars = manifest.contributes?.grammars ?? [];
  if (grammars.length === 0) throw new Error("package.json contributes no grammars");
  return grammars.map((g) => ({ file: basename(g.path), scopeName: g.scopeName }));
}

function loadChecked({ file, scopeName }) {
  const path = resolve(sourceDir, file);
  if (!existsSync(path)) throw new Error(`${path} does not exist (is this the dplc repository?)`);
  const text = readFileSync(path, "utf8");
  let grammar;
  try {
    grammar = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path} is not valid JSON: ${err.message}`);
  }
  if (grammar.scopeName !== scopeName) {
    throw new Error(`${path} has scopeName ${JSON.stringify(grammar.scopeName)}, package.json expects ${JSON.stringify(scopeName)}`);
  }
  return text;
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const grammars = contributedGrammars().map((g) => ({ ...g, text: loadChecked(g) }));

  if (options.check) {
    const stale = grammars.filter((g) => {
      const target = resolve(options.out, g.file);
      return !existsSync(target) || readFileSync(target, "utf8") !== g.text;
    });
    for (const g of stale) console.error(`stale or missing: ${resolve(options.out, g.file)} (run npm run sync-grammar)`);
    process.exitCode = stale.length === 0 ? 0 : 1;
    return;
  }

  mkdirSync(options.out, { recursive: true });
  for (const g of grammars) {
    const target = resolve(options.out, g.file);
    writeFileSync(target, g.text);
    console.log(`${g.scopeName} -> ${target}`);
  }
}

try {
  main();
} catch (err) {
  console.error(`sync-grammar: ${err.message}`);
  process.exitCode = 1;
}
