/**
 * Function bodies parsed again when they are read, for checks that need no model: the
 * syntax tree of a large file's bodies (about two thirds of it) is never all in memory at
 * once. `dplc check` on such a file (CheckOptions.leanFrom) parses each top-level item as
 * usual, then keeps of a function's body only where it is; the checker reads the body,
 * which parses it again from the same text, types it, and lets it go (`releaseBodies`)
 * before it moves on to the next item.
 *
 * Only bodies the first parse read without a syntax problem are deferred, so the second
 * parse sees the same tokens and builds the same tree: a deferred body never reports
 * anything of its own at parse time. The equivalence of the two paths over every fixture
 * is a test (test/syntax/lazy-bodies.test.ts).
 */
import type * as A from "./ast.js";
import type { SourceFile } from "./source.js";
import { limitNodeDepth } from "./limits.js";

/** Parses `start..end` of `src` (a block's text) as a block whose children sit at `depth` in the tree walk. */
export type BlockParser = (src: SourceFile, start: number, end: number, depth: number) => A.Block;

/**
 * A `{ kind: "block", block }` function body whose block is parsed on first read and kept
 * until released. The fields are private (`#`): tree walks that enumerate a node's keys
 * see `kind` only and never parse the body by accident.
 */
export class LazyBlockBody {
  readonly kind = "block" as const;
  readonly #src: SourceFile;
  readonly #start: number;
  readonly #end: number;
  readonly #depth: number;
  readonly #parse: BlockParser;
  #block: A.Block | null = null;

  constructor(src: SourceFile, block: A.Block, depth: number, parse: BlockParser) {
    const span = block.span as unknown as { startOffset: number; endOffset: number };
    this.#src = src;
    this.#start = span.startOffset;
    this.#end = span.endOffset;
    this.#depth = depth;
    this.#parse = parse;
  }

  /** The file, and the offsets `start..end` of the body's text in it. */
  get source(): SourceFile {
    return this.#src;
  }

  get start(): number {
    return this.#start;
  }

  get end(): number {
    return this.#end;
  }

  get block(): A.Block {
    return (this.#block ??= this.#parse(this.#src, this.#start, this.#end, this.#depth));
  }

  /** Forget the parsed block: the next read parses it again, into new nodes. */
  release(): void {
    this.#block = null;
  }
}

/**
 * Defer the bodies of the functions in `item` (a top-level item, at depth 0 of the tree
 * walk of limits.ts): its own, its methods', those of the items of an inline module.
 * A body the tree-depth limit would cut (DPL1004) stays as parsed, so that the module's
 * walk reports it as before.
 */
export function deferBodies(item: A.Item, src: SourceFile, parse: BlockParser, itemDepth = 0): void {
  switch (item.kind) {
    case "FnItem": {
      const body = item.body;
      if (body.kind !== "block" || body instanceof LazyBlockBody) return;
      // The walk visits the body object at itemDepth + 1, its block at + 2, the block's children at + 3.
      const depth = itemDepth + 3;
      if (limitNodeDepth(body.block, depth, true) !== null) return;
      (item as { body: A.FnBody }).body = new LazyBlockBody(src, body.block, depth, parse);
      return;
    }
    case "ImplItem":
    case "TraitItem":
      for (const it of item.items) deferBodies(it, src, parse, itemDepth + 1);
      return;
    case "ModItem":
      if (item.items) for (const it of item.items) deferBodies(it, src, parse, itemDepth + 1);
      return;
    default:
      return;
  }
}

/** Let go of the parsed bodies of `item`'s functions (see `deferBodies`). */
export function releaseBodies(item: A.Item): void {
  switch (item.kind) {
    case "FnItem":
      if (item.body instanceof LazyBlockBody) item.body.release();
      return;
    case "ImplItem":
    case "TraitItem":
      for (const it of item.items) releaseBodies(it);
      return;
    case "ModItem":
      if (item.items) for (const it of item.items) releaseBodies(it);
      return;
    default:
      return;
  }
}
