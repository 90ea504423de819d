/** Options shared by every command that checks code. */
import type { SourceFile } from "../syntax/source.js";
import type { ParseOptions } from "../syntax/parse.js";

export type Profile = "user" | "kernel";

export interface CheckOptions {
  readonly profile: Profile;
  readonly allBlocks: boolean;
  /** A project's path dependencies (Dust.toml): name → root module file, reachable as `name::`. */
  readonly dependencies?: ReadonlyMap<string, string>;
  /**
   * The caller reads the diagnostics only (`dplc check`): no analysis model is made, and
   * the function bodies of large files are parsed when checked and let go after
   * (syntax/lazy-bodies.ts, semantic/release.ts), which bounds the memory of the check.
   */
  readonly diagnosticsOnly?: boolean;
}

/**
 * The size (UTF-16 units) from which a diagnostics-only check defers a file's function
 * bodies: the files it was given and the `mod m;` files it reads. Deferring parses each
 * body twice; below this size the whole tree is small anyway.
 */
export const DEFER_BODIES_FROM = 256 * 1024;

/** How a check with `options` parses `source`. */
export function parseOptionsFor(source: SourceFile, options: CheckOptions | undefined): ParseOptions {
  return { deferBodies: options?.diagnosticsOnly === true && source.text.length >= DEFER_BODIES_FROM };
}
