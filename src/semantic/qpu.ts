/**
 * A dustlang Q process on the simulated QPU (docs/language.md, "Q and Φ processes on the
 * providers"): inside a v0.1 `proc Q::f` (and the process a file of dust-by-example
 * fragments is lowered to), the path `q::op` names the operation `op` of the
 * stdlib module `std::qpu` when the program defines no `q` of its own, and `observe r;` of
 * a `std::qpu::Register` is the call `std::qpu::observe(r)`, which runs the register's
 * circuit as a job through the hybrid runtime (so it is traced and replayed as an XDV
 * program's job is). The calls are the process's use of its own regime's provider, not a
 * crossing into K, so no `bind` is needed for them.
 */
import type * as A from "../syntax/ast.js";
import type { FnDef, ModuleDef } from "./defs.js";
import type { BodyChecker } from "./checker.js";
import { lookupUnqualified, type Resolver } from "./resolve.js";
import { adt, shallow, type Ty } from "./types.js";
import type { Sema, TypeScope } from "./context.js";

/** The type names a dustlang Q process may use for a register (the sketch's, dust-by-example's). */
const REGISTER_NAMES = new Set(["qbit", "Qubit"]);

/** The first name of a QPU operation in a dustlang Q process. */
const QPU_PREFIX = "q";

/** Whether a process sees the QPU operations: a Q process, or a file of dust-by-example fragments. */
export function usesQpu(proc: A.DustProc): boolean {
  return proc.regime === "Q" || proc.fragment === true;
}

export function qpuModule(r: Resolver): ModuleDef | null {
  return r.stdlibRoots.get("std")?.children.get("qpu") ?? null;
}

export function isQpuModule(m: ModuleDef): boolean {
  return m.isStdlib && m.name === "qpu" && m.parent?.name === "std" && m.parent.parent === null;
}

/**
 * `std::qpu` when `p` is `q::op` in a dustlang Q process whose program defines no `q`
 * (a local, an item, a forge): what `q::` then stands for. Null otherwise.
 */
export function qpuPathModule(c: BodyChecker, p: A.PathExpr): ModuleDef | null {
  const proc = c.fn?.ast?.proc;
  if (!proc || !usesQpu(proc)) return null;
  const segs = p.segments;
  if (segs.length !== 2 || segs[0]!.name.name !== QPU_PREFIX || segs.some((s) => s.args)) return null;
  if (c.lookupLocal(QPU_PREFIX) || lookupUnqualified(c.s.resolver, c.module, QPU_PREFIX, "type") || lookupUnqualified(c.s.resolver, c.module, QPU_PREFIX, "value")) return null;
  return qpuModule(c.s.resolver);
}

/**
 * `std::qpu::observe` when `st` is the lowered `observe r;` of a dustlang Q process and
 * `t` (the type of `&r`) is a reference to a `std::qpu::Register`.
 */
export function qpuObserve(c: BodyChecker, st: A.LetStmt, t: Ty): FnDef | null {
  const proc = c.fn?.ast?.proc;
  if (!proc || !usesQpu(proc) || !proc.stmts.some((s) => s.kind === "observe" && s.lowered === st)) return null;
  let inner = shallow(t);
  if (inner.k === "ref") inner = shallow(inner.inner);
  if (inner.k !== "adt" || inner.def.kind !== "struct" || inner.def.name !== "Register" || !isQpuModule(inner.def.module)) return null;
  const d = inner.def.module.values.get("observe")?.def;
  return d?.kind === "fn" ? d : null;
}

/**
 * `std::qpu::Register` for the type `qbit`, `qbit[N]` or `Qubit` in a dustlang Q process's
 * signature, when the program defines no type of that name (a register holds its own size).
 */
export function qpuRegisterType(s: Sema, sc: TypeScope, t: A.Type): Ty | null {
  if (!sc.qpu || t.kind !== "PathType" || t.segments.length !== 1 || t.segments[0]!.args) return null;
  const name = t.segments[0]!.name.name;
  if (!REGISTER_NAMES.has(name) || lookupUnqualified(s.resolver, sc.module, name, "type")) return null;
  const d = sc.qpu.types.get("Register")?.def;
  return d?.kind === "struct" ? adt(d, []) : null;
}
