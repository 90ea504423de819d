/** Moved to the workspace stage (src/workspace/stdlib.ts); kept for the commands that import it from here. */
export * from "../workspace/stdlib.js";
