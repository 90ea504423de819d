/** An I/O error in the words of a one-line diagnostic. */
export function ioReason(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    case "ENOTDIR":
      return "a part of the path is not a folder";
    case "ELOOP":
      return "too many levels of symbolic links";
    default:
      return (e as Error).message ?? String(e);
  }
}
