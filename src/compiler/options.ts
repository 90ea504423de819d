/** Options shared by every command that checks code. */
export type Profile = "user" | "kernel";

export interface CheckOptions {
  readonly profile: Profile;
  readonly allBlocks: boolean;
  /** A project's path dependencies (Dust.toml): name → root module file, reachable as `name::`. */
  readonly dependencies?: ReadonlyMap<string, string>;
}

export const DEFAULT_CHECK_OPTIONS: CheckOptions = { profile: "user", allBlocks: false };
