/** The search index of `dplc doc`: one entry per module and per documented item. */
import type { DocItem, DocSet } from "./model.js";
import { summaryOf } from "./model.js";

export interface SearchEntry {
  readonly name: string;
  readonly path: string;
  readonly kind: string;
  /** Relative to the output folder: `runtime.process.html#fn.start_process`. */
  readonly href: string;
  readonly summary: string;
}

export function searchEntries(set: DocSet, ext: ".html" | ".md"): SearchEntry[] {
  const out: SearchEntry[] = [];
  for (const m of set.modules) {
    out.push({ name: m.path.split("::").pop()!, path: m.path, kind: "module", href: `${m.page}${ext}`, summary: summaryOf(m.docs) });
    const visit = (it: DocItem): void => {
      out.push({ name: it.name, path: it.path, kind: it.kind, href: `${it.ref.page}${ext}#${it.ref.anchor}`, summary: summaryOf(it.docs) });
      it.members.forEach(visit);
    };
    m.items.forEach(visit);
  }
  return out;
}
