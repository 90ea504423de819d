/**
 * Doc comment text (a small Markdown subset) to HTML. Doc text is untrusted input: every
 * character of it reaches the page escaped, raw HTML in a comment shows as text, and a link
 * is kept only when its target is a relative path, an anchor, or http(s)/mailto (never
 * `javascript:` or `data:`). Supported: paragraphs, `#` headings (shown one level below the
 * item), `-`/`*` lists, fenced code blocks, `code`, **strong**, *emphasis*, [text](url),
 * and intra-doc links [`name`] to documented items.
 */

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Resolves `[`name`]` to an href, or null when nothing documented has that name. */
export type LinkResolver = (name: string) => string | null;

const SAFE_URL = /^(?:https?:\/\/|mailto:|#|\.{0,2}\/|[A-Za-z0-9_][A-Za-z0-9_.\-/]*(?:#[A-Za-z0-9_.\-:]*)?$)/;

export function safeUrl(url: string): string | null {
  const u = url.trim();
  if (/[\u0000-\u001F\s\\]/.test(u)) return null;
  return SAFE_URL.test(u) ? u : null;
}

export function inlineHtml(text: string, resolve: LinkResolver): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "`") {
      const end = text.indexOf("`", i + 1);
      if (end > i) {
        out += `<code>${escapeHtml(text.slice(i + 1, end))}</code>`;
        i = end + 1;
        continue;
      }
    }
    if (c === "[") {
      const m = /^\[([^\]\n]*)\](?:\(((?:[^()\s]|\([^()\s]*\))*)\))?/.exec(text.slice(i));
      if (m) {
        const label = m[1]!;
        const url = m[2];
        if (url !== undefined) {
          const safe = safeUrl(url);
          out += safe ? `<a href="${escapeHtml(safe)}">${inlineHtml(label, resolve)}</a>` : inlineHtml(label, resolve);
          i += m[0].length;
          continue;
        }
        const name = /^`([^`]+)`$/.exec(label)?.[1];
        const href = name ? resolve(name) : null;
        if (href) {
          out += `<a href="${escapeHtml(href)}"><code>${escapeHtml(name!)}</code></a>`;
          i += m[0].length;
          continue;
        }
      }
    }
    if (c === "*" && text[i + 1] === "*") {
      const end = text.indexOf("**", i + 2);
      if (end > i + 2) {
        out += `<strong>${inlineHtml(text.slice(i + 2, end), resolve)}</strong>`;
        i = end + 2;
        continue;
      }
    }
    // `_` inside a word (`start_process`) is not emphasis, as in CommonMark.
    const wordAround = (at: number): boolean => /[A-Za-z0-9]/.test(text[at] ?? "");
    if ((c === "*" || (c === "_" && !wordAround(i - 1))) && text[i + 1] !== c && text[i + 1] !== " ") {
      let end = text.indexOf(c, i + 1);
      while (c === "_" && end > 0 && wordAround(end + 1)) end = text.indexOf(c, end + 1);
      if (end > i + 1 && text[end - 1] !== " ") {
        out += `<em>${inlineHtml(text.slice(i + 1, end), resolve)}</em>`;
        i = end + 1;
        continue;
      }
    }
    out += escapeHtml(c);
    i++;
  }
  return out;
}

export type Block = { kind: "p"; text: string } | { kind: "h"; level: number; text: string } | { kind: "ul"; items: string[] } | { kind: "code"; lang: string; text: string };

export function blocksOf(lines: readonly string[]): Block[] {
  const out: Block[] = [];
  let para: string[] = [];
  let list: string[] | null = null;
  const flush = (): void => {
    if (para.length > 0) out.push({ kind: "p", text: para.join(" ") });
    para = [];
    if (list) out.push({ kind: "ul", items: list });
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*(```+|~~~+)\s*([\w-]*)/.exec(line);
    if (fence) {
      flush();
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trim().startsWith(fence[1]!); i++) body.push(lines[i]!);
      out.push({ kind: "code", lang: fence[2] ?? "", text: body.join("\n") });
      continue;
    }
    if (line.trim() === "") {
      flush();
      continue;
    }
    const h = /^(#{1,6})\s+(.*)$/.exec(line.trim());
    if (h) {
      flush();
      out.push({ kind: "h", level: h[1]!.length, text: h[2]! });
      continue;
    }
    const li = /^\s*[-*]\s+(.*)$/.exec(line);
    if (li) {
      if (para.length > 0) flush();
      (list ??= []).push(li[1]!);
      continue;
    }
    if (list && /^\s+\S/.test(line)) {
      list[list.length - 1] += " " + line.trim();
      continue;
    }
    if (list) flush();
    para.push(line.trim());
  }
  flush();
  return out;
}

/** HTML of a doc comment; headings start at `<h{base}>`. */
export function docHtml(lines: readonly string[], resolve: LinkResolver, base = 4): string {
  return blocksOf(lines)
    .map((b) => {
      switch (b.kind) {
        case "p":
          return `<p>${inlineHtml(b.text, resolve)}</p>`;
        case "h": {
          const l = Math.min(6, base + b.level - 1);
          return `<h${l}>${inlineHtml(b.text, resolve)}</h${l}>`;
        }
        case "ul":
          return `<ul>${b.items.map((x) => `<li>${inlineHtml(x, resolve)}</li>`).join("")}</ul>`;
        case "code":
          return `<pre><code${b.lang ? ` class="language-${escapeHtml(b.lang)}"` : ""}>${escapeHtml(b.text)}</code></pre>`;
      }
    })
    .join("\n");
}
