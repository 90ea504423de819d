/** Colour only on a terminal, never with NO_COLOR (any value) or `--no-color`. */
export function useColor(flag: boolean, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (!flag) return false;
  if (process.env["NO_COLOR"] !== undefined && process.env["NO_COLOR"] !== "") return false;
  return stream.isTTY === true;
}
