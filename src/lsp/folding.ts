/**
 * Folding ranges: every construct that spans lines (items, blocks, match arms, literals,
 * argument lists), runs of `use` items as one "imports" fold, and runs of line comments
 * (doc comments included) as one "comment" fold. A fold ends on the line before a closing
 * bracket that starts its line, so the bracket stays visible, as editors do for C-like text.
 */
import type { FoldingRange } from "vscode-languageserver/node.js";
import { FoldingRangeKind } from "vscode-languageserver/node.js";
import type { OpenDocument } from "./documents.js";
import { spanOffsets } from "./positions.js";
import { forEachNode } from "./syntax-nodes.js";

const FOLDED = new Set([
  "FnItem", "StructItem", "EnumItem", "ImplItem", "TraitItem", "ModItem", "UseItem", "ConstItem",
  "Block", "BlockExpr", "MatchExpr", "MatchArm", "StructLitExpr", "ArrayExpr", "TupleExpr", "CallExpr",
  "MethodCallExpr", "MacroCallExpr", "ClosureExpr", "IfExpr", "WhileExpr", "LoopExpr", "ForExpr", "Variant",
]);

export function foldingRanges(doc: OpenDocument): FoldingRange[] {
  const parsed = doc.parsed();
  const lines = parsed.lines;
  const text = lines.text;
  const byStart = new Map<number, FoldingRange>();
  const add = (startLine: number, endLine: number, kind?: FoldingRangeKind): void => {
    if (endLine <= startLine) return;
    const prev = byStart.get(startLine);
    // One fold per start line (what line-based editors can show): the longest.
    if (prev && prev.endLine >= endLine) return;
    byStart.set(startLine, { startLine, endLine, ...(kind ? { kind } : {}) });
  };
  forEachNode(parsed.module.ast, (n) => {
    if (!FOLDED.has(n.kind) || n.kind === "UseItem") return;
    const { start, end } = spanOffsets(n.span);
    const s = lines.offsetToLsp(start).line;
    const e = lines.offsetToLsp(end).line;
    const closer = text[end - 1];
    const closerStartsLine = (closer === "}" || closer === "]" || closer === ")") && /^[ \t]*$/.test(text.slice(lines.lineStart(e), end - 1));
    add(s, closerStartsLine ? e - 1 : e);
  });
  // Runs of top-level `use` items.
  let run: { from: number; to: number } | null = null;
  const flush = (): void => {
    if (run) add(run.from, run.to, FoldingRangeKind.Imports);
    run = null;
  };
  for (const it of parsed.module.ast.items) {
    if (it.kind !== "UseItem") {
      flush();
      continue;
    }
    const { start, end } = spanOffsets(it.span);
    const s = lines.offsetToLsp(start).line;
    const e = lines.offsetToLsp(end).line;
    if (run && s <= run.to + 1) run.to = e;
    else {
      flush();
      run = { from: s, to: e };
    }
  }
  flush();
  // Runs of line comments.
  let from = -1;
  for (let l = 0; l <= lines.lineCount; l++) {
    const isComment = l < lines.lineCount && /^\s*\/\//.test(text.slice(lines.lineStart(l), lines.lineEnd(l)));
    if (isComment && from < 0) from = l;
    if (!isComment && from >= 0) {
      add(from, l - 1, FoldingRangeKind.Comment);
      from = -1;
    }
  }
  return [...byStart.values()].sort((a, b) => a.startLine - b.startLine);
}
