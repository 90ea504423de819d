/**
 * Kernel integers are u64 (XDV-052 §3.2): a sum of two of them saturates instead of
 * becoming a number the program's own types cannot hold.
 */
export const U64_MAX = (1n << 64n) - 1n;

/**
 * The last logical time a wait can reach. The 2^32 ticks above it stay free for the events
 * that follow (each event takes one tick and times strictly increase), so a program that
 * waits "forever" still closes its trace with a valid final entry.
 */
export const CLOCK_HORIZON = U64_MAX - (1n << 32n);

export function satAdd(a: bigint, b: bigint): bigint {
  const sum = a + b;
  return sum > U64_MAX ? U64_MAX : sum;
}
