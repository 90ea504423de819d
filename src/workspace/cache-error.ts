/** A compile cache that cannot be used: the command stops with this one line (exit 2). */
export class CacheError extends Error {}
