/** Options shared by every command that checks code. */
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
