/** Moved to the workspace stage (src/workspace/options.ts); kept for the commands that import it from here. */
export * from "../workspace/options.js";
