/** DPL6001–DPL6004: the kernel-code rules of XDV-050. */
import type { Message } from "./message.js";

export const Determinism = {
  /** DPL6001; `why`: why the function must be deterministic; `path`: the call chain. */
  nondeterminism: (why: string, primitive: string, path: readonly string[]): Message => ({
    code: "DPL6001",
    message: `nondeterminism in deterministic code: ${why} but reaches \`${primitive}\` (${path.join(" -> ")})`,
    help: "inject the value explicitly: read it in plain user code and pass it in as a parameter (XDV-050 §4.3), or use the logical clock",
  }),
  isDeterministic: (fn: string): string => `\`${fn}\` is \`@deterministic\``,
  isKernelCode: (fn: string): string => `\`${fn}\` is kernel code`,
  calledHere: (fn: string): string => `\`${fn}\` is called here`,
  selfRecursion: (fn: string): Message => ({
    code: "DPL6002",
    message: `unbounded recursion in kernel code: \`${fn}\` calls itself`,
    help: "rewrite the recursion as a loop, or state the maximum depth with `@bounded(N)`",
  }),
  mutualRecursion: (fn: string, others: readonly string[]): Message => ({
    code: "DPL6002",
    message: `unbounded recursion in kernel code: \`${fn}\` is mutually recursive with ${others.join(", ")}`,
    help: "rewrite the recursion as a loop, or mark every function of the cycle with `@bounded(N)`",
  }),
  noBound: (fn: string): string => `\`${fn}\` has no \`@bounded(N)\``,
  staticMut: (name: string, written: boolean): Message => ({
    code: "DPL6003",
    message: `implicit mutable global state: the \`static mut\` \`${name}\` is ${written ? "written" : "read"} directly in kernel code`,
    help: `borrow it explicitly and pass the borrow on: \`f(&mut ${name})\` with \`fn f(x: &mut T)\``,
  }),
  unauditedBlock: (fn: string | null): Message => ({
    code: "DPL6004",
    message: `unaudited \`unsafe\` in kernel code${fn ? `: \`${fn}\` is not marked \`@audited\`` : ""}`,
    help: "remove the `unsafe` if a safe API does the job; otherwise have it reviewed and mark the function `@audited`",
  }),
  enclosingFunction: (): string => "the enclosing function",
  unauditedFn: (fn: string): Message => ({ code: "DPL6004", message: `unaudited \`unsafe fn\` in kernel code: \`${fn}\` is not marked \`@audited\``, help: "have it reviewed and mark it `@audited`" }),
} as const;
