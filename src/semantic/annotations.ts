/**
 * Item annotations (language.md §2): `@domain(D)`, `@noncopy`, `@deterministic`,
 * `@capability(required)`, `@bounded(N)`, `@audited`, and Rust's `#[derive(...)]`, which
 * the parser reads as `@derive(...)`. Invalid domains are DPL3005; unknown annotations
 * are the warning DPL8001. `@test`, `@should_fail` (`#[should_panic]`) and `@ignore` mark
 * test functions; `dplc test` reads them from the syntax tree.
 */
import { raise } from "../diagnostics/messages/message.js";
import { Warnings } from "../diagnostics/messages/warnings.js";
import { DomainAnnotation } from "../diagnostics/messages/domains.js";
import type * as A from "../syntax/ast.js";
import type { Span } from "../syntax/source.js";
import type { DiagnosticInit } from "../diagnostics/diagnostic.js";
import { emptyAnnotations, type Annotations, type Domain } from "./defs.js";
import { didYouMean } from "./resolve.js";
import { didYouMeanFix } from "./fixes.js";

/** Marks of test functions: read by `dplc test` (compiler/tests.ts), not by the checker. */
export const TEST_ANNOTATIONS: readonly string[] = ["test", "should_fail", "should_panic", "ignore"];

export const KNOWN_ANNOTATIONS: readonly string[] = ["domain", "noncopy", "deterministic", "capability", "bounded", "audited", "derive", ...TEST_ANNOTATIONS];

export type Reporter = (code: string, span: Span, message: string, init?: DiagnosticInit) => void;

/** `K`, `Q`, `Φ` and the ASCII alias `Phi`. */
export function domainFromName(name: string): Domain | null {
  switch (name) {
    case "K":
      return "K";
    case "Q":
      return "Q";
    case "Φ":
    case "Phi":
      return "Φ";
    default:
      return null;
  }
}

function singleName(e: A.Expr): A.Ident | null {
  if (e.kind === "PathExpr" && e.segments.length === 1 && e.segments[0]!.args === null) return e.segments[0]!.name;
  return null;
}

/**
 * What an item without annotations has (most items): one object for all of them, frozen
 * so that nothing can change it for every item at once.
 */
const NO_ANNOTATIONS: Annotations = Object.freeze({ ...emptyAnnotations(), derives: Object.freeze([]) as unknown as string[] });

export function parseAnnotations(anns: readonly A.Annotation[], report: Reporter): Annotations {
  if (anns.length === 0) return NO_ANNOTATIONS;
  const out = emptyAnnotations();
  let domainAt: A.Annotation | null = null;
  for (const a of anns) {
    const name = a.name.name;
    switch (name) {
      case "domain": {
        const args = a.args ?? [];
        const id = args.length === 1 ? singleName(args[0]!) : null;
        const d = id ? domainFromName(id.name) : null;
        if (!d) {
          const shown = args.length === 0 ? "nothing" : id ? `\`${id.name}\`` : "an expression";
          const at = args[0]?.span ?? a.span;
          raise(report, at, DomainAnnotation.invalid(shown, id ? didYouMean(id.name, ["K", "Q", "Φ", "Phi"]) : undefined, id !== null));
          break;
        }
        if (out.domain && out.domain !== d && domainAt) {
          raise(report, a.span, DomainAnnotation.conflicting(out.domain), { related: [{ span: domainAt.span, message: DomainAnnotation.firstDeclared(out.domain) }] });
          break;
        }
        out.domain = d;
        domainAt = a;
        break;
      }
      case "noncopy":
        out.noncopy = true;
        break;
      case "deterministic":
        out.deterministic = true;
        break;
      case "capability":
        out.capabilityRequired = true;
        break;
      case "audited":
        out.audited = true;
        break;
      case "bounded": {
        const arg = a.args?.[0];
        out.bounded = arg && arg.kind === "IntLit" ? Number(arg.value) : 0;
        break;
      }
      case "test":
      case "should_fail":
      case "should_panic":
      case "ignore":
        break;
      case "derive":
        for (const e of a.args ?? []) {
          const id = singleName(e);
          if (id) out.derives.push(id.name);
        }
        break;
      default:
        const similar = didYouMeanFix(name, a.name.span, KNOWN_ANNOTATIONS, (s) => `\`@${s}\``);
        raise(report, a.span, Warnings.unknownAnnotation(name, similar.help, KNOWN_ANNOTATIONS.filter((k) => k !== "derive" && !TEST_ANNOTATIONS.includes(k))), { suggestions: similar.suggestions });
    }
  }
  return out;
}

/** The annotation node for `@derive(Clone)`-style duplication markers, for DPL4001. */
export function findDeriveOf(anns: readonly A.Annotation[], names: readonly string[]): A.Expr | null {
  for (const a of anns) {
    if (a.name.name !== "derive") continue;
    for (const e of a.args ?? []) {
      const id = singleName(e);
      if (id && names.includes(id.name)) return e;
    }
  }
  return null;
}
