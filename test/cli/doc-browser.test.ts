/**
 * The stdlib's generated documentation in a real browser: headless Chromium (Debian package
 * `chromium`, which .ci/run installs) loads the pages from disk, runs the search script,
 * and the links of the rendered DOM must resolve. Skipped with a message where Chromium is
 * absent.
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { runDplc } from "../helpers.js";
import { idsOf } from "./doc-links.js";

const CHROMIUM = [process.env["CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p): p is string => p !== undefined && p !== "" && existsSync(p));
if (!CHROMIUM) console.warn("Chromium is not installed (Debian package `chromium`; .ci/run installs it): the browser test of `dplc doc` is skipped");

const work = mkdtempSync(join(tmpdir(), "dplc-doc-browser-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The DOM after load, as Chromium serializes it (scripts have run). */
function dumpDom(url: string): string {
  const profile = mkdtempSync(join(work, "profile-"));
  try {
    const r = spawnSync(
      CHROMIUM!,
      ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", `--user-data-dir=${profile}`, "--dump-dom", url],
      { encoding: "utf8", timeout: 120_000 },
    );
    if (r.status !== 0) throw new Error(`chromium exited with ${r.status}: ${r.stderr}`);
    return r.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

function decode(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

describe.skipIf(!CHROMIUM)("dplc doc in headless Chromium", () => {
  const site = join(work, "std");
  const url = (page: string): string => pathToFileURL(join(site, page)).href;

  it("generates the stdlib's pages", () => {
    const r = runDplc(["doc", "stdlib", "--out-dir", site]);
    expect(r.status).toBe(0);
    expect(existsSync(join(site, "runtime.process.lifecycle.html"))).toBe(true);
  });

  it("finds an item with the search box, and the result leads to the item", () => {
    const dom = dumpDom(`${url("index.html")}?q=start_process`);
    const results = /<ol id="search-results"[^>]*>([\s\S]*?)<\/ol>/.exec(dom)?.[1] ?? "";
    const first = /<a href="([^"]+)" class="result">([^<]*)<\/a>/.exec(results);
    expect(first?.[2]).toBe("runtime::process::lifecycle::start_process");
    const [page, anchor] = decode(first![1]!).split("#") as [string, string];
    const target = dumpDom(url(page));
    expect(idsOf(target).has(anchor)).toBe(true);
    expect(target).toContain("<title>runtime::process::lifecycle — dplc doc</title>");
  });

  it("shows a query as text: a hostile query injects nothing", () => {
    const dom = dumpDom(`${url("index.html")}?q=${encodeURIComponent('<img src=x onerror="document.title=1">')}`);
    expect(dom).toContain('<li class="none">No items match.</li>');
    expect(dom).not.toMatch(/<img/i);
  });

  it("resolves every link of a rendered module page", () => {
    const dom = dumpDom(url("runtime.domain.q_api.html"));
    const hrefs = [...new Set([...dom.matchAll(/\shref="([^"]*)"/g)].map((m) => decode(m[1]!)))];
    expect(hrefs.length).toBeGreaterThan(20);
    // Cross-module links to types are there (a Q API names types of other modules).
    expect(hrefs.some((h) => /^(abi|prelude|runtime)\.[\w.]+\.html#(struct|enum)\./.test(h))).toBe(true);
    const broken = hrefs.filter((h) => {
      if (/^[a-z]+:/i.test(h)) return false;
      const [file, anchor] = h.split("#") as [string, string | undefined];
      const target = file === "" ? "runtime.domain.q_api.html" : file;
      if (!existsSync(join(site, target))) return true;
      return anchor !== undefined && target.endsWith(".html") && !idsOf(target === "runtime.domain.q_api.html" ? dom : readFileSync(join(site, target), "utf8")).has(anchor);
    });
    expect(broken).toEqual([]);
  });
});
