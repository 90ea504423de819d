/** DPL2007, assignment to (or a mutable borrow of) something that is not mutable. */
import type { Message } from "./message.js";

const CODE = "DPL2007";

export const Mutability = {
  /** `place`: the place as shown (`` `x` ``, `` `p.x` ``); `why`: the reason (`it is not declared `mut``). */
  cannotAssign: (place: string, why: string, help?: string): Message => ({ code: CODE, message: `cannot assign to ${place}: ${why}`, ...(help !== undefined ? { help } : {}) }),
  cannotBorrowMut: (place: string, why: string, help?: string): Message => ({ code: CODE, message: `cannot borrow ${place} as mutable: ${why}`, ...(help !== undefined ? { help } : {}) }),
  receiverBehindRef: (): Message => ({ code: CODE, message: "cannot borrow this value as mutable: it is behind a `&` reference", help: "take a `&mut` reference instead" }),
} as const;
