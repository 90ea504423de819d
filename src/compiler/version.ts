/** Moved to the workspace stage (src/workspace/version.ts); kept for the commands that import it from here. */
export * from "../workspace/version.js";
