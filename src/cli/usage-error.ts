/** A problem with how dplc was invoked or with the files it was pointed at: exit 2. */
export class UsageError extends Error {}
