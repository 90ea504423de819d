/**
 * HTML output of `dplc doc`: `index.html` (the modules), one `<page>.html` per module, a
 * stylesheet, the search index (`search-index.json`, and the same data as
 * `search-index.js` because browsers do not let a page opened from disk fetch a file) and
 * `search.js`, which builds its results with DOM calls and `textContent` only.
 *
 * Every name and doc text is escaped (doc-text.ts); the index is JSON with `<`, `>`, `&`
 * and the line separators escaped so it cannot end its script early.
 */
import type { DocItem, DocModule, DocSet, Seg, ItemRef } from "./model.js";
import { summaryOf } from "./model.js";
import { docHtml, escapeHtml, inlineHtml, type LinkResolver } from "./doc-text.js";
import { searchEntries } from "./search.js";

export interface OutFile {
  readonly path: string;
  readonly text: string;
}

const KIND_TITLES: Record<string, string> = { struct: "Structs", enum: "Enums", trait: "Traits", fn: "Functions", method: "Methods", const: "Constants", static: "Statics", type: "Type aliases" };
const KIND_ORDER = ["struct", "enum", "trait", "type", "const", "static", "fn", "method"];

function href(from: string, ref: ItemRef): string {
  return ref.page === from ? `#${ref.anchor}` : `${ref.page}.html#${ref.anchor}`;
}

function segsHtml(segs: readonly Seg[], page: string): string {
  return segs.map((s) => (s.link ? `<a class="type" href="${escapeHtml(href(page, s.link))}">${escapeHtml(s.text)}</a>` : escapeHtml(s.text))).join("");
}

/** `[`x`]` in doc text: an item of this module, then any documented path or unique name. */
function resolverFor(set: DocSet, mod: DocModule): LinkResolver {
  const byPath = new Map<string, ItemRef>();
  const byName = new Map<string, ItemRef[]>();
  for (const m of set.modules) {
    byPath.set(m.path, { page: m.page, anchor: "top" });
    const visit = (it: DocItem): void => {
      byPath.set(it.path, it.ref);
      const l = byName.get(it.name) ?? [];
      l.push(it.ref);
      byName.set(it.name, l);
      it.members.forEach(visit);
    };
    m.items.forEach(visit);
  }
  return (name) => {
    const clean = name.replace(/\(\)$/, "");
    const ref = byPath.get(`${mod.path}::${clean}`) ?? byPath.get(clean) ?? (byName.get(clean)?.length === 1 ? byName.get(clean)![0] : undefined);
    return ref ? href(mod.page, ref) : null;
  };
}

function badges(it: DocItem): string {
  const b: string[] = [];
  if (it.domain) b.push(`<span class="badge domain-${it.domain === "Φ" ? "phi" : it.domain.toLowerCase()}" title="${it.kind === "fn" || it.kind === "method" ? "runs in domain" : "domain"} ${escapeHtml(it.domain)}">${escapeHtml(it.domain)}</span>`);
  if (it.deterministic) b.push(`<span class="badge det" title="@deterministic: no nondeterministic primitives, transitively (DPL6001)">@deterministic</span>`);
  if (it.capabilityRequired) b.push(`<span class="badge cap" title="@capability(required): callers pass a capability explicitly (DPL5001)">@capability(required)</span>`);
  if (it.params.some((p) => p.capability)) b.push(`<span class="badge cap" title="takes a capability parameter: authority is passed, never ambient">capability</span>`);
  return b.join(" ");
}

function itemHtml(it: DocItem, page: string, resolve: LinkResolver, depth: number): string {
  const h = depth === 0 ? "h3" : "h4";
  let out = `<section class="item ${it.kind}" id="${escapeHtml(it.ref.anchor)}">\n`;
  out += `<${h}><a class="anchor" href="#${escapeHtml(it.ref.anchor)}">${escapeHtml(it.kind)} ${escapeHtml(it.name)}</a> ${badges(it)}</${h}>\n`;
  const ann = it.annotations.map((a) => `${escapeHtml(a)}\n`).join("");
  out += `<pre class="sig"><code>${ann}${segsHtml(it.signature, page)}</code></pre>\n`;
  if (it.params.length > 0 || it.returns) {
    out += `<table class="params"><thead><tr><th>parameter</th><th>type</th><th>domain</th><th></th></tr></thead><tbody>\n`;
    for (const p of it.params) out += `<tr><td><code>${escapeHtml(p.name)}</code></td><td><code>${segsHtml(p.type, page)}</code></td><td>${escapeHtml(p.domain)}</td><td>${p.capability ? "capability" : ""}</td></tr>\n`;
    if (it.returns) out += `<tr><td><em>returns</em></td><td><code>${segsHtml(it.returns.type, page)}</code></td><td>${escapeHtml(it.returns.domain)}</td><td></td></tr>\n`;
    out += `</tbody></table>\n`;
  }
  if (it.docs.length > 0) out += `<div class="docs">${docHtml(it.docs, resolve, depth === 0 ? 4 : 5)}</div>\n`;
  for (const m of it.members) out += itemHtml(m, page, resolve, depth + 1);
  return out + `</section>\n`;
}

function layout(title: string, nav: string, main: string, notice: string | null): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="dplc doc">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="style.css">
<script src="search-index.js" defer></script>
<script src="search.js" defer></script>
</head>
<body>
<header>
<a class="home" href="index.html">Modules</a>
<form id="search-form" role="search"><input id="search" type="search" name="q" placeholder="Search items" autocomplete="off" aria-label="Search items"></form>
<ol id="search-results" hidden></ol>
</header>
<div class="page">
<nav>${nav}</nav>
<main id="top">
${main}
</main>
</div>
${notice ? `<footer>${escapeHtml(notice)}</footer>\n` : ""}</body>
</html>
`;
}

function navHtml(set: DocSet, current: string | null): string {
  return `<ul>${set.modules.map((m) => `<li${m.page === current ? ' class="current"' : ""}><a href="${escapeHtml(m.page)}.html">${escapeHtml(m.path)}</a></li>`).join("")}</ul>`;
}

export function modulePage(set: DocSet, mod: DocModule, notice: string | null): string {
  const resolve = resolverFor(set, mod);
  let main = `<h1>module <code>${escapeHtml(mod.path)}</code></h1>\n<p class="file">${escapeHtml(mod.file)}</p>\n`;
  if (mod.docs.length > 0) main += `<div class="docs">${docHtml(mod.docs, resolve, 2)}</div>\n`;
  if (mod.submodules.length > 0) {
    main += `<h2>Modules</h2>\n<ul class="summary">${mod.submodules.map((s) => `<li><a href="${escapeHtml(s.page)}.html">${escapeHtml(s.path)}</a> ${inlineHtml(s.summary, resolve)}</li>`).join("")}</ul>\n`;
  }
  for (const kind of KIND_ORDER) {
    const items = mod.items.filter((i) => i.kind === kind);
    if (items.length === 0) continue;
    main += `<h2>${KIND_TITLES[kind]}</h2>\n`;
    for (const it of items) main += itemHtml(it, mod.page, resolve, 0);
  }
  return layout(`${mod.path} — dplc doc`, navHtml(set, mod.page), main, notice);
}

export function indexPage(set: DocSet, title: string, notice: string | null): string {
  const rows = set.modules.map((m) => `<li><a href="${escapeHtml(m.page)}.html">${escapeHtml(m.path)}</a> ${inlineHtml(summaryOf(m.docs), () => null)}</li>`).join("\n");
  return layout(`${title} — dplc doc`, navHtml(set, null), `<h1>${escapeHtml(title)}</h1>\n<ul class="summary">\n${rows}\n</ul>\n`, notice);
}

/** JSON that is also safe inside a script: no `</script>`, no line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** `notice`: a line shown at the foot of every page (a licence or copyright line). */
export function htmlFiles(set: DocSet, title: string, notice: string | null = null): OutFile[] {
  const entries = searchEntries(set, ".html");
  return [
    { path: "index.html", text: indexPage(set, title, notice) },
    ...set.modules.map((m) => ({ path: `${m.page}.html`, text: modulePage(set, m, notice) })),
    { path: "search-index.json", text: JSON.stringify(entries, null, 1) + "\n" },
    { path: "search-index.js", text: `window.DPLC_SEARCH_INDEX = ${scriptJson(entries)};\n` },
    { path: "search.js", text: SEARCH_JS },
    { path: "style.css", text: STYLE_CSS },
  ];
}

const SEARCH_JS = `// dplc doc search: matches item names and paths; results are built with textContent only.
(function () {
  "use strict";
  var input = document.getElementById("search");
  var list = document.getElementById("search-results");
  if (!input || !list) return;
  function load(done) {
    if (Array.isArray(window.DPLC_SEARCH_INDEX)) return done(window.DPLC_SEARCH_INDEX);
    fetch("search-index.json").then(function (r) { return r.json(); }).then(done, function () { done([]); });
  }
  function score(e, q) {
    var n = e.name.toLowerCase(), p = e.path.toLowerCase();
    if (n === q) return 0;
    if (n.indexOf(q) === 0) return 1;
    if (n.indexOf(q) >= 0) return 2;
    if (p.indexOf(q) >= 0) return 3;
    if (e.summary.toLowerCase().indexOf(q) >= 0) return 4;
    return -1;
  }
  function show(index, query) {
    var q = query.trim().toLowerCase();
    while (list.firstChild) list.removeChild(list.firstChild);
    if (q === "") { list.hidden = true; return; }
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var s = score(index[i], q);
      if (s >= 0) hits.push([s, index[i]]);
    }
    hits.sort(function (a, b) { return a[0] - b[0] || (a[1].path < b[1].path ? -1 : a[1].path > b[1].path ? 1 : 0); });
    hits = hits.slice(0, 50);
    if (hits.length === 0) {
      var none = document.createElement("li");
      none.className = "none";
      none.textContent = "No items match.";
      list.appendChild(none);
    }
    for (var j = 0; j < hits.length; j++) {
      var e = hits[j][1];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.setAttribute("href", e.href);
      a.className = "result";
      a.textContent = e.path;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = e.kind;
      var summary = document.createElement("span");
      summary.className = "summary";
      summary.textContent = e.summary;
      li.appendChild(kind);
      li.appendChild(a);
      li.appendChild(summary);
      list.appendChild(li);
    }
    list.hidden = false;
  }
  load(function (index) {
    var params = new URLSearchParams(window.location.search);
    var q = params.get("q");
    if (q) { input.value = q; show(index, q); }
    input.addEventListener("input", function () { show(index, input.value); });
    document.getElementById("search-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var first = list.querySelector("a.result");
      if (first) window.location.href = first.getAttribute("href");
    });
  });
})();
`;

const STYLE_CSS = `body { margin: 0; font: 15px/1.5 system-ui, sans-serif; color: #1d1d1f; background: #fff; }
header { position: sticky; top: 0; display: flex; gap: 1em; align-items: center; padding: .5em 1em; background: #f3f3f6; border-bottom: 1px solid #ddd; }
header .home { font-weight: 600; text-decoration: none; }
#search { width: 22em; padding: .3em .5em; }
#search-results { position: absolute; top: 2.6em; left: 8em; margin: 0; padding: .5em 1em; list-style: none; background: #fff; border: 1px solid #ccc; max-height: 60vh; overflow: auto; z-index: 2; }
#search-results li { padding: .15em 0; }
#search-results .kind { display: inline-block; min-width: 4.5em; color: #777; font-size: .85em; }
#search-results .summary { margin-left: .8em; color: #555; font-size: .9em; }
.page { display: flex; }
nav { min-width: 14em; padding: 1em; border-right: 1px solid #eee; font-size: .92em; }
nav ul { list-style: none; padding: 0; margin: 0; }
nav li.current a { font-weight: 600; }
main { padding: 1em 2em; max-width: 62em; }
pre { background: #f6f6f9; padding: .6em .8em; overflow-x: auto; }
pre.sig { border-left: 3px solid #6a5acd; }
code { font-family: ui-monospace, monospace; font-size: .93em; }
a.type { color: #2a5db0; }
section.item { margin: 1.2em 0; }
section.item section.item { margin-left: 1.2em; }
.anchor { color: inherit; text-decoration: none; }
.badge { font-size: .75em; padding: .05em .45em; border-radius: .6em; background: #eee; vertical-align: middle; }
.domain-q { background: #e4dcff; } .domain-phi { background: #ffe2c4; } .domain-k { background: #e2efe2; }
.det { background: #d8f0f7; } .cap { background: #fbe0e0; }
table.params { border-collapse: collapse; margin: .4em 0; font-size: .92em; }
table.params th, table.params td { border: 1px solid #e3e3e3; padding: .2em .6em; text-align: left; }
.file { color: #777; font-size: .9em; }
footer { padding: 1em 2em; border-top: 1px solid #eee; color: #666; font-size: .85em; }
`;
