/**
 * DPL3001–DPL3005, the domain rules (XDV-051): implicit coercions and transitions, raw
 * state exposure, cross-domain references, invalid domain annotations.
 */
import type { Message } from "./message.js";

const PROJECT = "values cross domains only through an explicit projection function (a declared function such as `measure`) or `xdv_call`";

export const Coercion = {
  /** DPL3001 where a typed place expects another domain. */
  expected: (expected: string, expectedDomain: string, found: string, foundDomain: string): Message => ({
    code: "DPL3001",
    message: `implicit domain coercion: expected \`${expected}\` (domain ${expectedDomain}), found \`${found}\` (domain ${foundDomain})`,
    help: PROJECT,
  }),
  /**
   * DPL3001: a value holding Q/Φ state coerced to a trait object of another domain. A
   * trait object's domain is part of its type (`dyn Gate` is K, `Q<dyn Gate>` holds Q).
   */
  traitObject: (expected: string, expectedDomain: string, found: string, heldDomain: string, trait: string): Message => ({
    code: "DPL3001",
    message: `implicit domain coercion: \`${found}\` ${heldDomain === "K" ? "is a K value" : `holds ${heldDomain} state`} and cannot become \`${expected}\` (domain ${expectedDomain})`,
    help: heldDomain === "K" ? "a K value becomes a K trait object: drop the domain wrapper" : `a trait object that holds ${heldDomain} state says so in its type: \`Box<${heldDomain}<dyn ${trait}>>\` or \`&${heldDomain}<dyn ${trait}>\``,
  }),
  /** DPL3001 for an operator whose operands live in different domains. */
  operands: (op: string, leftDomain: string, left: string, rightDomain: string, right: string): Message => ({
    code: "DPL3001",
    message: `implicit domain coercion: \`${op}\` combines a ${leftDomain} value (\`${left}\`) with a ${rightDomain} value (\`${right}\`)`,
    help: "values cross domains only through an explicit projection function or `xdv_call`",
  }),
} as const;

export const Transition = {
  /** DPL3002: a call from one domain into a function of another that has a body. */
  call: (callerDomain: string, callee: string, calleeDomain: string): Message => ({
    code: "DPL3002",
    message: `implicit domain transition: this ${callerDomain} function calls \`${callee}\`, a ${calleeDomain} function with a body`,
    help: `cross into ${calleeDomain} explicitly with \`xdv_call\` (or a runtime API such as \`submit_q_job\`), or call a declared (bodiless) projection function`,
  }),
  runsIn: (callee: string, domain: string): string => `\`${callee}\` runs in domain ${domain}`,
  /** DPL3002 between dustlang processes: a `bind` in the forge would authorize the crossing. */
  procCall: (callerDomain: string, caller: string, callee: string, calleeDomain: string): Message => ({
    code: "DPL3002",
    message: `implicit domain transition: this ${callerDomain} process calls \`${callee}\`, a ${calleeDomain} process, and no \`bind\` connects them`,
    help: `declare the crossing in the forge: \`bind ${callerDomain}::${caller} -> ${calleeDomain}::${callee} contract { .. }\``,
  }),
  runsInRegime: (callee: string, domain: string): string => `\`${callee}\` runs in regime ${domain}`,
} as const;

const FORMAT_K = "format a K result obtained through an explicit projection or an `xdv_call` instead";

export const Exposure = {
  /** DPL3003 for a field of Q or Φ state read or written by K code; `access`: `read`/`write`. */
  field: (access: string, field: string, owner: string): Message => ({
    code: "DPL3003",
    message: `raw state exposure: K code cannot ${access} the field \`${field}\` of a ${owner} value`,
    label: `\`${field}\` is ${owner} state`,
    help:
      owner === "Q"
        ? "get classical information through an explicit projection (a measurement) or an `xdv_call` returning a K result; only `K<...>` metadata fields are visible to K code"
        : "get classical information through an explicit projection or an `xdv_call`; only `K<...>` metadata fields are visible to K code",
  }),
  index: (owner: string): Message => ({ code: "DPL3003", message: `raw state exposure: K code cannot index into a ${owner} value`, help: "get classical information through an explicit projection or an `xdv_call` returning a K result" }),
  compare: (domains: string, op: string): Message => ({ code: "DPL3003", message: `raw state exposure: K code cannot compare ${domains} values with \`${op}\``, help: "compare K results obtained through an explicit projection or an `xdv_call` instead" }),
  cast: (domain: string): Message => ({ code: "DPL3003", message: `raw state exposure: K code cannot cast a ${domain} value`, help: "get a K value through an explicit projection or an `xdv_call`" }),
  /** `how`: `` `.to_string()` `` or `` `println!` ``. */
  format: (domain: string, how: string, ty: string): Message => ({ code: "DPL3003", message: `raw state exposure: K code cannot format a ${domain} value (${how} would reveal \`${ty}\`)`, help: FORMAT_K }),
  formatThroughTrait: (domain: string, ty: string, trait: string): Message => ({ code: "DPL3003", message: `raw state exposure: K code cannot pass a ${domain} value (\`${ty}\`) where \`${trait}\` formats it`, help: FORMAT_K }),
} as const;

export const CrossReference = {
  /** DPL3004: a reference to one domain's value stored where another domain's is expected. */
  stored: (foundDomain: string, expectedDomain: string, found: string, expected: string): Message => ({
    code: "DPL3004",
    message: `cross-domain reference sharing: a reference to a ${foundDomain} value cannot be stored where a ${expectedDomain} reference is expected`,
    label: `\`${found}\` stored into a \`${expected}\` location`,
    help: "keep references within their domain; store a K value obtained through an explicit projection instead",
  }),
} as const;

export const DomainAnnotation = {
  /** DPL3005; `found` is already phrased (`nothing`, `` `X` ``, `an expression`); `suggestion`: a did-you-mean. */
  invalid: (found: string, suggestion: string | undefined, named: boolean): Message => ({
    code: "DPL3005",
    message: `invalid domain annotation: expected \`K\`, \`Q\` or \`Φ\`, found ${found}`,
    help: named ? (suggestion ?? "a domain is one of `K`, `Q`, `Φ` (ASCII alias `Phi`)") : "write `@domain(K)`, `@domain(Q)` or `@domain(Φ)`",
  }),
  conflicting: (domain: string): Message => ({ code: "DPL3005", message: `conflicting domain annotations: this item is already \`@domain(${domain})\``, help: "an item has exactly one domain; keep one `@domain` annotation" }),
  firstDeclared: (domain: string): string => `first declared \`@domain(${domain})\` here`,
  invalidDomainType: (): Message => ({ code: "DPL3005", message: "invalid domain in `DomainType<D, T>`: expected `K`, `Q` or `Φ`", help: "write `DomainType<K, T>`, `DomainType<Q, T>` or `DomainType<Φ, T>`" }),
} as const;
