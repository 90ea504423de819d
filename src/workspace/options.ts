/** Options shared by every command that checks code. */
export type Profile = "user" | "kernel";

export interface CheckOptions {
  readonly profile: Profile;
  readonly allBlocks: boolean;
}
