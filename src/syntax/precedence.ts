/** Binary operator precedence, shared by the parser and the printer (Rust's table). */
import type { BinaryOp } from "./ast.js";

export interface BinOpInfo {
  readonly op: BinaryOp;
  /** Higher binds tighter. */
  readonly prec: number;
  readonly comparison: boolean;
}

const PREC: Record<BinaryOp, number> = {
  "||": 1,
  "&&": 2,
  "==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3,
  "|": 4,
  "^": 5,
  "&": 6,
  "<<": 7, ">>": 7,
  "+": 8, "-": 8,
  "*": 9, "/": 9, "%": 9,
};

const TABLE = new Map<BinaryOp, BinOpInfo>(
  (Object.keys(PREC) as BinaryOp[]).map((op) => [op, { op, prec: PREC[op], comparison: PREC[op] === 3 }]),
);

export function precedenceOf(op: BinaryOp): BinOpInfo {
  return TABLE.get(op)!;
}
