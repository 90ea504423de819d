/** DPL8001–DPL8005, the warnings. */
import type { Message } from "./message.js";

/** The code of an unused binding or parameter (which a dustlang DPL4010 replaces). */
export const UNUSED_BINDING = "DPL8002";

export const Warnings = {
  /** DPL8001; `suggestion`: a did-you-mean; `known`: the annotations there are. */
  unknownAnnotation: (name: string, suggestion: string | undefined, known: readonly string[]): Message => ({
    code: "DPL8001",
    message: `unknown annotation \`@${name}\``,
    help: suggestion ?? `known annotations: ${known.map((k) => `@${k}`).join(", ")}`,
    note: "the annotation is ignored",
  }),
  /** DPL8002; `what`: `binding` or `parameter`. */
  unused: (what: string, name: string): Message => ({ code: UNUSED_BINDING, message: `unused ${what} \`${name}\``, help: `remove it, or prefix the name with an underscore to keep it: \`_${name}\`` }),
  /** DPL8003; `what`: `statement`, `expression`, ... */
  unreachable: (what: string): Message => ({ code: "DPL8003", message: `unreachable ${what}`, help: "delete the unreachable code, or move it before the statement that leaves the block" }),
  leavesBlock: (): string => "any code following this always leaves the block",
  /** DPL8004; `where` says what the link points back to. */
  symlinkLoop: (link: string, where: string): Message => ({ code: "DPL8004", message: `symbolic link loop: \`${link}\` ${where}; not followed`, help: "each file is checked once, by its real path; remove the link or point it outside the checked folders" }),
  /**
   * DPL8005: a call a dustlang process takes as an operation of its `uses` resources, whose
   * name is one edit from a definition in scope (`written`: the path as written).
   */
  externalNearDefinition: (written: string, name: string, qpu: boolean, proc: string, uses: string, help: string): Message => ({
    code: "DPL8005",
    message: `\`${written}\` is taken as an operation of the resources that \`${proc}\` uses (${uses}), since ${qpu ? "the simulated QPU (`std::qpu`) has no" : "nothing here is named"} \`${name}\`${qpu ? " operation" : ""}; running it stops the run`,
    help,
    note: "an operation of `uses` resources is any call whose first name the program does not define (docs/language.md, the dustlang surface)",
  }),
} as const;
