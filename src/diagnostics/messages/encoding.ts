/** DPL1006, not UTF-8: a file's bytes or a file's name (the workspace reads both). */
import type { Message } from "./message.js";

/** The code, for the places that tell these apart from other diagnostics (the language server's message about names). */
export const NOT_UTF8 = "DPL1006";

export const Encoding = {
  fileBytes: (byte: string, offset: number, looksUtf16: boolean): Message => ({
    code: "DPL1006",
    message: `file is not valid UTF-8: byte 0x${byte} at offset ${offset}`,
    help: looksUtf16 ? "the file looks like UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8" : "save the file as UTF-8 (in a string, any character can also be written as a `\\u{…}` escape)",
  }),
  fileName: (shown: string, byte: string, isFolder: boolean): Message => ({
    code: "DPL1006",
    message: `file name is not valid UTF-8: \`${shown}\` (byte 0x${byte}); it was not checked`,
    help: isFolder ? "rename the folder with a UTF-8 name so that its files can be checked" : "rename the file with a UTF-8 name so that it can be checked",
  }),
} as const;
