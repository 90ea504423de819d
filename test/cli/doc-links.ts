/** Link checking of a generated documentation folder (shared by the doc tests). */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The ids defined in an HTML page (`id="..."` attributes, entities decoded). */
export function idsOf(html: string): Set<string> {
  return new Set([...html.matchAll(/\sid="([^"]*)"/g)].map((m) => decode(m[1]!)));
}

function decode(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** Every relative `href` of every `.html` page in `dir` whose file or anchor does not exist. */
export function brokenLinks(dir: string): string[] {
  const pages = readdirSync(dir).filter((f) => f.endsWith(".html"));
  const ids = new Map(pages.map((p) => [p, idsOf(readFileSync(join(dir, p), "utf8"))]));
  const broken: string[] = [];
  for (const p of pages) {
    for (const m of readFileSync(join(dir, p), "utf8").matchAll(/\shref="([^"]*)"/g)) {
      const href = decode(m[1]!);
      if (/^[a-z]+:/i.test(href)) continue;
      const [file, anchor] = href.split("#") as [string, string | undefined];
      const target = file === "" ? p : file;
      if (!existsSync(join(dir, target))) broken.push(`${p}: ${href}`);
      else if (anchor !== undefined && target.endsWith(".html") && !ids.get(target)?.has(anchor)) broken.push(`${p}: ${href}`);
    }
  }
  return broken;
}
