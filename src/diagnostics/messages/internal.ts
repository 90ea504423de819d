/** DPL9001, internal errors: a bug of dplc, reported as a diagnostic rather than a stack trace. */
import type { Message } from "./message.js";

export const Internal = {
  checker: (detail: string): Message => ({ code: "DPL9001", message: `internal compiler error while checking: ${detail}`, help: "please report this with the input that caused it" }),
  formatter: (detail: string): Message => ({ code: "DPL9001", message: `internal formatter error: ${detail}` }),
  formatterChangedTokens: (): Message => ({
    code: "DPL9001",
    message: "internal formatter error: the formatted text would not have the same tokens and comments; the file is left as it is",
    help: "please report this with the file",
  }),
} as const;
