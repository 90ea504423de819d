/** Options shared by every command that checks code. */
export type Profile = "user" | "kernel";

export interface CheckOptions {
  readonly profile: Profile;
  readonly allBlocks: boolean;
}

export const DEFAULT_CHECK_OPTIONS: CheckOptions = { profile: "user", allBlocks: false };
