/** Moved to the workspace stage (src/workspace/write-file.ts); kept for the commands that import it from here. */
export * from "../workspace/write-file.js";
