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
 * Defer the body of `item` if it is a function (the parser calls this with each item it
 * parsed without a problem, outside function bodies, at its depth `itemDepth` in the tree
 * walk of limits.ts: 0 at the top level, one more in each `mod`, `impl` or `trait` block).
 * A body the tree-depth limit would cut (DPL1004) stays as parsed, so that the module's
 * walk reports it as before.
 */
export function deferBody(item: A.Item, src: SourceFile, parse: BlockParser, itemDepth: number): void {
  if (item.kind !== "FnItem") return;
  const body = item.body;
  if (body.kind !== "block" || body instanceof LazyBlockBody) return;
  // The walk visits the body object at itemDepth + 1, its block at + 2, the block's children at + 3.
  const depth = itemDepth + 3;
  if (limitNodeDepth(body.block, depth, true) !== null) return;
  (item as { body: A.FnBody }).body = new LazyBlockBody(src, body.block, depth, parse);
}

/** A function whose body is deferred. */
export type DeferredFn = A.FnItem & { readonly body: LazyBlockBody };

/**
 * The functions of `item` whose bodies are deferred: the item itself, or its methods. An
 * inline module's items are the module's, checked and let go one by one, not the `mod`
 * item's.
 */
export function deferredFunctions(item: A.Item): DeferredFn[] {
  const fns = item.kind === "FnItem" ? [item] : item.kind === "ImplItem" || item.kind === "TraitItem" ? item.items : [];
  return fns.filter((f): f is DeferredFn => f.kind === "FnItem" && f.body instanceof LazyBlockBody);
}

/** Let go of the parsed bodies of `item`'s deferred functions. */
export function releaseBodies(item: A.Item): void {
  for (const f of deferredFunctions(item)) f.body.release();
}
