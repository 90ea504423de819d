/** DPL5001–DPL5004: capability parameters, forged capabilities, capability domains, contract-bound types. */
import type { Message } from "./message.js";

export const Capabilities = {
  requiredButNone: (fn: string): Message => ({
    code: "DPL5001",
    message: `missing capability parameter: \`${fn}\` is marked \`@capability(required)\` but takes no capability`,
    help: "add a capability parameter, e.g. `cap: CapabilityHandle` or `cap: Capability<Q, Scope>`, and pass it where it is needed",
  }),
  xdvCallWithoutCapability: (fn: string): Message => ({
    code: "DPL5001",
    message: `missing capability parameter: \`${fn}\` calls \`xdv_call\` but takes no capability`,
    help: "take the capability as a parameter (`cap: CapabilityHandle`) and pass it: `xdv_call(K, Q, job.ptr(), cap.raw())`",
  }),
  notFromParameter: (param: string): Message => ({ code: "DPL5001", message: "the capability of this `xdv_call` must be passed explicitly from a capability parameter", help: `pass \`${param}.raw()\`` }),
  parameterLabel: (param: string): string => `capability parameter \`${param}\``,
  declaredHere: (fn: string): string => `\`${fn}\` is declared here`,
  forgedByCast: (ty: string): Message => ({ code: "DPL5002", message: `forged capability: a \`${ty}\` cannot be made by casting a value`, help: "capabilities are issued by the kernel and the runtime; take one as a parameter instead" }),
  forgedLiteral: (ty: string): Message => ({
    code: "DPL5002",
    message: `forged capability: a \`${ty}\` cannot be constructed here`,
    help: "capabilities are issued by the kernel and the runtime; take one as a parameter from whoever holds it",
    note: "capability identifiers must be unforgeable (XDV-052 §6)",
  }),
  domainMismatch: (grants: string, targets: string): Message => ({
    code: "DPL5003",
    message: `capability domain mismatch: this capability grants ${grants}, but the call targets ${targets}`,
    help: `pass a \`Capability<${targets}, _>\` for a call into ${targets}`,
  }),
  targetsHere: (domain: string): string => `the call targets ${domain} here`,
  domainTypeMismatch: (expected: string, found: string): Message => ({
    code: "DPL5003",
    message: `capability domain mismatch: expected \`${expected}\`, found \`${found}\``,
    help: "a capability grants authority over one domain only; request or accept a capability for the domain being called",
  }),
  unboundType: (expected: string, domain: string, found: string): Message => ({
    code: "DPL5004",
    message: `this operation requires a contract-bound \`${expected}\`, found the unbound ${domain} type \`${found}\``,
    help: `bind the state to a contract first, or require the bound type (\`${expected}\`) in this function's own signature`,
  }),
  notContractBound: (ty: string, trait: string): Message => ({ code: "DPL5004", message: `\`${ty}\` is not bound to a contract: it does not implement \`${trait}\``, help: `use a contract type that implements \`${trait}\`` }),
  operationOfBound: (op: string, bound: string, domain: string, ty: string): Message => ({
    code: "DPL5004",
    message: `\`${op}\` is an operation of the contract-bound \`${bound}\`, applied to the unbound ${domain} value \`${ty}\``,
    help: `bind the state to a contract first (\`${bound}<C>\`), or require the bound type in this function's signature`,
  }),
  bindsContract: (bound: string): string => `\`${bound}\` binds a contract`,
} as const;
