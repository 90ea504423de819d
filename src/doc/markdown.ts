/**
 * Markdown output of `dplc doc`: `index.md` and one `<page>.md` per module, with the same
 * anchors as the HTML pages (`<a id="fn.name"></a>`) so links between items work in any
 * viewer that renders Markdown. Doc text is Markdown already and is kept, except that `<`
 * and `&` outside code are escaped: a comment cannot inject HTML into a viewer that would
 * render it. Names in link texts and tables are escaped for Markdown.
 */
import type { DocItem, DocModule, DocSet, ItemRef, Seg } from "./model.js";
import { summaryOf } from "./model.js";
import { escapeHtml, safeUrl } from "./doc-text.js";
import { searchEntries } from "./search.js";
import type { OutFile } from "./html.js";

function href(from: string, ref: ItemRef): string {
  return ref.page === from ? `#${ref.anchor}` : `${ref.page}.md#${ref.anchor}`;
}

/** Text that Markdown must show literally (in link texts, table cells, headings). */
function mdText(s: string): string {
  return s.replace(/[\\`*_[\]<>&|#]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : `\\${c}`));
}

function segsMd(segs: readonly Seg[], page: string): string {
  return segs.map((s) => (s.link ? `[${mdText(s.text)}](${href(page, s.link)})` : mdText(s.text))).join("");
}

function plainSig(segs: readonly Seg[]): string {
  return segs.map((s) => s.text).join("");
}

/** Doc text kept as Markdown, with HTML neutralized outside code and unsafe link targets dropped. */
export function docMarkdown(lines: readonly string[]): string {
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    const f = /^\s*(```+|~~~+)/.exec(line);
    if (f) {
      if (fence === null) fence = f[1]!;
      else if (line.trim().startsWith(fence)) fence = null;
      out.push(line);
      continue;
    }
    if (fence !== null) {
      out.push(line);
      continue;
    }
    // Outside code spans: `<` and `&` escaped; links whose target is not safe lose the target.
    // A target that holds a backtick would be split by the code-span cut below and escape the
    // check: its `](` is escaped first, so it is no link at all.
    const parts = line.replace(/\]\((?=[^)]*`)/g, "]\\(").split(/(`[^`]*`)/);
    out.push(
      parts
        .map((p, i) => {
          if (i % 2 === 1) return p;
          return p.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/\]\(((?:[^()\s]|\([^()\s]*\))*)\)/g, (m, url: string) => (safeUrl(url) ? m : "]"));
        })
        .join(""),
    );
  }
  if (fence !== null) out.push(fence);
  return out.join("\n");
}

function itemMd(it: DocItem, page: string, depth: number): string {
  const hashes = "#".repeat(Math.min(6, 3 + depth));
  const tags = [it.domain ? `domain ${it.domain}` : "", it.deterministic ? "`@deterministic`" : "", it.capabilityRequired ? "`@capability(required)`" : "", it.params.some((p) => p.capability) ? "takes a capability" : ""].filter((x) => x !== "");
  let out = `<a id="${escapeHtml(it.ref.anchor)}"></a>\n\n${hashes} ${mdText(it.kind)} ${mdText(it.name)}\n\n`;
  if (tags.length > 0) out += `*${tags.join(" · ")}*\n\n`;
  out += "```dpl\n" + it.annotations.map((a) => a + "\n").join("") + plainSig(it.signature).replace(/```/g, "`\u200b``") + "\n```\n\n";
  if (it.params.length > 0 || it.returns) {
    out += "| parameter | type | domain | |\n|---|---|---|---|\n";
    for (const p of it.params) out += `| \`${p.name}\` | ${segsMd(p.type, page)} | ${p.domain} |${p.capability ? " capability " : " "}|\n`;
    if (it.returns) out += `| *returns* | ${segsMd(it.returns.type, page)} | ${it.returns.domain} | |\n`;
    out += "\n";
  }
  if (it.docs.length > 0) out += docMarkdown(it.docs) + "\n\n";
  for (const m of it.members) out += itemMd(m, page, depth + 1);
  return out;
}

export function moduleMarkdown(mod: DocModule): string {
  let out = `<a id="top"></a>\n\n# module \`${mod.path}\`\n\n[Modules](index.md) · \`${mod.file.replace(/`/g, "'")}\`\n\n`;
  if (mod.docs.length > 0) out += docMarkdown(mod.docs) + "\n\n";
  if (mod.submodules.length > 0) out += "## Modules\n\n" + mod.submodules.map((s) => `- [${mdText(s.path)}](${s.page}.md) ${docMarkdown([s.summary])}`).join("\n") + "\n\n";
  for (const kind of ["struct", "enum", "trait", "type", "const", "static", "fn", "method"]) {
    const items = mod.items.filter((i) => i.kind === kind);
    if (items.length === 0) continue;
    out += `## ${kind === "fn" ? "Functions" : kind === "type" ? "Type aliases" : kind === "static" ? "Statics" : kind === "const" ? "Constants" : kind[0]!.toUpperCase() + kind.slice(1) + "s"}\n\n`;
    for (const it of items) out += itemMd(it, mod.page, 0);
  }
  return out;
}

export function markdownFiles(set: DocSet, title: string, notice: string | null = null): OutFile[] {
  const foot = notice ? `\n---\n\n${mdText(notice)}\n` : "";
  const index = `# ${mdText(title)}\n\n` + set.modules.map((m) => `- [${mdText(m.path)}](${m.page}.md)${summaryOf(m.docs) ? " — " + docMarkdown([summaryOf(m.docs)]) : ""}`).join("\n") + "\n" + foot;
  return [
    { path: "index.md", text: index },
    ...set.modules.map((m) => ({ path: `${m.page}.md`, text: moduleMarkdown(m).replace(/\n*$/, "\n") + foot })),
    { path: "search-index.json", text: JSON.stringify(searchEntries(set, ".md"), null, 1) + "\n" },
  ];
}
