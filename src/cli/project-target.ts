/**
 * What a command acts on. With no paths: the project whose `Dust.toml` is found upward
 * from the working folder (its `src/`), or the working folder when there is none. With
 * paths inside that project, its settings (profile, path dependencies) still apply; paths
 * outside it are checked as plain files, as before projects existed.
 */
import { relative, resolve, isAbsolute } from "node:path";
import { allDependencies, findManifest, loadProject, type Project } from "../compiler/project.js";
import type { Profile } from "../compiler/options.js";
import { UsageError } from "./usage-error.js";

export interface Target {
  readonly paths: readonly string[];
  readonly project: Project | null;
  /** Path dependencies for the checker: name → root module file. */
  readonly dependencies: ReadonlyMap<string, string>;
  readonly profile: Profile;
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, resolve(path));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

export function resolveTarget(paths: readonly string[], profile: Profile | undefined, cwd = process.cwd()): Target {
  const manifest = findManifest(cwd);
  let project: Project | null = null;
  if (manifest) {
    const loaded = loadProject(manifest);
    // A broken manifest matters only to a command that would use it.
    const uses = paths.length === 0 || paths.every((p) => inside(resolve(manifest, ".."), p));
    if (!loaded.ok) {
      if (uses) throw new UsageError(loaded.error);
    } else if (uses) project = loaded.project;
  }
  const dependencies = new Map(project ? allDependencies(project).map((d) => [d.name, d.rootFile] as const) : []);
  return {
    paths: paths.length > 0 ? paths : project ? [project.srcDir] : ["."],
    project,
    dependencies,
    profile: profile ?? project?.profile ?? "user",
  };
}
