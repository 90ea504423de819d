/**
 * Selection ranges ("expand selection"): from the identifier under the cursor outwards
 * through every syntax node that contains it, then the whole document. Nodes with the same
 * extent are one step.
 */
import type { Position, SelectionRange } from "vscode-languageserver/node.js";
import type { OpenDocument } from "./documents.js";
import { nodesAround } from "./syntax-nodes.js";

export function selectionRanges(doc: OpenDocument, positions: readonly Position[]): SelectionRange[] {
  const parsed = doc.parsed();
  const lines = parsed.lines;
  return positions.map((p) => {
    const offset = lines.offsetAt(p);
    let range: SelectionRange = { range: lines.offsetsToRange(0, lines.text.length) };
    let last = { start: 0, end: lines.text.length };
    for (const n of nodesAround(parsed.module.ast, offset)) {
      if (n.start === last.start && n.end === last.end) continue;
      // Recovery can leave a node outside its parent; a selection range must nest.
      if (n.start < last.start || n.end > last.end) continue;
      range = { range: lines.offsetsToRange(n.start, n.end), parent: range };
      last = n;
    }
    return range;
  });
}
