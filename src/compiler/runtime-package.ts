/** Moved to the workspace stage (src/workspace/runtime-package.ts); kept for the commands that import it from here. */
export * from "../workspace/runtime-package.js";
