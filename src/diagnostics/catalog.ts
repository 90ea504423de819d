/**
 * The diagnostic code catalog: the one place that says which codes exist, their
 * severity, their title and the spec section each one enforces. The long explanation of
 * each code (with a failing and a fixed example) lives in `docs/diagnostics/<CODE>.md`,
 * which `dplc explain` prints and the docs link to, so the prose has one home too.
 *
 * Codes are a published contract (language.md §7): a code never changes meaning.
 */

export type Severity = "error" | "warning";

export interface CodeInfo {
  readonly code: string;
  readonly severity: Severity;
  readonly title: string;
  /** The specification section (or brief section) the rule enforces. */
  readonly spec: string;
}

const entries: readonly CodeInfo[] = [
  { code: "DPL1001", severity: "error", title: "unexpected token", spec: "language.md §2" },
  { code: "DPL1002", severity: "error", title: "unterminated literal or comment", spec: "language.md §2" },
  { code: "DPL1003", severity: "error", title: "invalid character or literal", spec: "language.md §2" },
  { code: "DPL1004", severity: "error", title: "nesting too deep", spec: "language.md §2" },
  { code: "DPL1005", severity: "error", title: "source file too large", spec: "language.md §2" },
  { code: "DPL1006", severity: "error", title: "not UTF-8", spec: "language.md §2" },
  { code: "DPL1010", severity: "error", title: "construct of the other surface", spec: "docs/language.md, the dustlang surface" },

  { code: "DPL2001", severity: "error", title: "unresolved name", spec: "language.md §8" },
  { code: "DPL2002", severity: "error", title: "duplicate definition", spec: "language.md §2" },
  { code: "DPL2003", severity: "error", title: "type mismatch", spec: "language.md §2" },
  { code: "DPL2004", severity: "error", title: "wrong number of arguments or generic arguments", spec: "language.md §2" },
  { code: "DPL2005", severity: "error", title: "unknown field or method", spec: "language.md §2" },
  { code: "DPL2006", severity: "error", title: "non-exhaustive match", spec: "language.md §2" },
  { code: "DPL2007", severity: "error", title: "assignment to an immutable binding", spec: "language.md §2" },
  { code: "DPL2008", severity: "error", title: "trait not usable as a trait object", spec: "docs/language.md, trait objects" },

  { code: "DPL3001", severity: "error", title: "implicit domain coercion", spec: "XDV-051 §3.3, §4.2" },
  { code: "DPL3002", severity: "error", title: "implicit domain transition", spec: "XDV-051 §4.1, §6; XDV-052 §5.1" },
  { code: "DPL3003", severity: "error", title: "raw state exposure", spec: "XDV-051 §8; XDV-052 §2, §4.2" },
  { code: "DPL3004", severity: "error", title: "cross-domain reference sharing", spec: "XDV-051 §4.2" },
  { code: "DPL3005", severity: "error", title: "invalid domain annotation", spec: "XDV-051 §3.1" },
  { code: "DPL3010", severity: "error", title: "effect not permitted in this regime", spec: "dustlang v0.1 §4, §6.5" },
  { code: "DPL3011", severity: "error", title: "witness outside a Φ process", spec: "dustlang v0.1 §4.5.3, §7.6" },
  { code: "DPL3012", severity: "error", title: "Φ effect without a proven witness", spec: "dustlang v0.1 §7.7" },
  { code: "DPL3013", severity: "error", title: "Q process not declared linear", spec: "dustlang v0.1 §4.4.3" },

  { code: "DPL4001", severity: "error", title: "duplication of a Q or @noncopy value", spec: "XDV-051 §4.3; XDV-032" },
  { code: "DPL4002", severity: "error", title: "use after move", spec: "XDV-051 §4.3" },
  { code: "DPL4003", severity: "error", title: "Φ mutable aliasing", spec: "XDV-051 §4.4; XDV-033" },
  { code: "DPL4004", severity: "error", title: "Φ mutation outside a transform contract", spec: "XDV-051 §4.4; XDV-033" },
  { code: "DPL4010", severity: "error", title: "linear value never consumed", spec: "dustlang v0.1 §4.4.2" },

  { code: "DPL5001", severity: "error", title: "missing capability parameter", spec: "XDV-051 §5.2; XDV-052 §6" },
  { code: "DPL5002", severity: "error", title: "forged capability", spec: "XDV-052 §6; XDV-081 §7" },
  { code: "DPL5003", severity: "error", title: "capability domain mismatch", spec: "XDV-051 §5.2; XDV-081 §7.1" },
  { code: "DPL5004", severity: "error", title: "operation on a contract-unbound type", spec: "XDV-051 §5.3" },
  { code: "DPL5010", severity: "error", title: "bind contract cannot hold", spec: "dustlang v0.1 §10.5, §10.7" },

  { code: "DPL6001", severity: "error", title: "nondeterminism in deterministic code", spec: "XDV-050 §4" },
  { code: "DPL6002", severity: "error", title: "unbounded recursion in kernel code", spec: "XDV-050; XDV-080 §12" },
  { code: "DPL6003", severity: "error", title: "implicit mutable global state in kernel code", spec: "XDV-050" },
  { code: "DPL6004", severity: "error", title: "unaudited unsafe in kernel code", spec: "XDV-050; XDV-051 §8" },

  { code: "DPL8001", severity: "warning", title: "unknown annotation", spec: "language.md §2" },
  { code: "DPL8002", severity: "warning", title: "unused binding", spec: "language.md §7" },
  { code: "DPL8003", severity: "warning", title: "unreachable code", spec: "language.md §7" },
  { code: "DPL8004", severity: "warning", title: "symbolic link loop", spec: "docs/security.md" },
  { code: "DPL8005", severity: "warning", title: "external operation named like a definition", spec: "docs/language.md, the dustlang surface" },

  { code: "DPL9001", severity: "error", title: "internal compiler error", spec: "language.md §7" },
];

const CATALOG: ReadonlyMap<string, CodeInfo> = new Map(entries.map((e) => [e.code, e]));

export type DiagnosticCode = (typeof entries)[number]["code"];

export function codeInfo(code: string): CodeInfo | undefined {
  return CATALOG.get(code.toUpperCase());
}

export function allCodes(): readonly CodeInfo[] {
  return entries;
}
