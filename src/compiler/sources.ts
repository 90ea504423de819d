/** Moved to the workspace stage (src/workspace/sources.ts); kept for the commands that import it from here. */
export * from "../workspace/sources.js";
