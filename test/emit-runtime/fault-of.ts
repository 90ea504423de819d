import { DplFault } from "#runtime";

/** The `DplFault` that `f` raises; any other outcome fails the test. */
export function faultOf(f: () => unknown): DplFault {
  try {
    f();
  } catch (e) {
    if (e instanceof DplFault) return e;
    throw e;
  }
  throw new Error("expected a DplFault");
}
