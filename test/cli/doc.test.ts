/** `dplc doc` as a user runs it: pages, signatures, links, search index, escaping, the folder it owns. */
import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDplc } from "../helpers.js";
import { brokenLinks } from "./doc-links.js";

const dir = mkdtempSync(join(tmpdir(), "dplc-doc-"));
mkdirSync(join(dir, "src"));
// Doc text is hostile input: markup, script, event handlers and javascript: links must all
// reach the page as text.
writeFileSync(
  join(dir, "src", "shapes.ds"),
  `//! Shapes <script>alert("module")</script> and [a bad link](javascript:alert(1)), [a good one](https://example.com/x).
//!
//! # Usage
//!
//! - call [\`area\`]
//! - see [\`Square\`]

/// A square. <img src=x onerror="alert(1)"> Its side is in [\`Square::side\`].
pub struct Square {
    /// The side's length.
    pub side: u64,
}

/// The area of \`s\`: **side times side**.
@deterministic
pub fn area(s: &Square) -> u64 {
    s.side * s.side
}

/// Runs under a capability the caller passes.
@capability(required)
pub fn guarded(cap: &CapabilityHandle, n: u64) -> Result<u64, ErrorCode> {
    let _c = cap;
    Ok(n)
}

/// A value in the phase domain.
pub fn phase(x: Φ<f64>) -> Φ<f64> {
    x
}

pub mod nested {
    //! Inner helpers.

    /// Uses a type of the parent module.
    pub fn unit() -> super::Square {
        super::Square { side: 1 }
    }
}

#[test]
fn area_of_two() {
    assert_eq!(area(&Square { side: 2 }), 4);
}
`,
);

describe("dplc doc", () => {
  const out = join(dir, "site");
  const r = runDplc(["doc", "src", "--out-dir", out], { cwd: dir });

  it("writes one page per module, an index, the search index and its script", () => {
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^documented 2 modules \(\d+ items\) into site\n$/);
    expect(readdirSync(out).sort()).toEqual([".dplc-doc", "index.html", "search-index.js", "search-index.json", "search.js", "shapes.html", "shapes.nested.html", "style.css"]);
  });

  it("shows signatures with each type's domain, capability parameters and @deterministic", () => {
    const page = readFileSync(join(out, "shapes.html"), "utf8");
    expect(page).toContain('<pre class="sig"><code>@deterministic\npub fn area(s: &amp;<a class="type" href="#struct.Square">Square</a>) -&gt; u64</code></pre>');
    expect(page).toMatch(/id="fn\.area">[\s\S]*?<span class="badge det"[^>]*>@deterministic<\/span>/);
    expect(page).toContain("<tr><td><code>cap</code></td><td><code>&amp;CapabilityHandle</code></td><td>K</td><td>capability</td></tr>");
    expect(page).toMatch(/id="fn\.guarded">[\s\S]*?@capability\(required\)/);
    expect(page).toContain("<tr><td><code>x</code></td><td><code>Φ&lt;f64&gt;</code></td><td>Φ</td><td></td></tr>");
    expect(page).toContain("<tr><td><em>returns</em></td><td><code>Φ&lt;f64&gt;</code></td><td>Φ</td><td></td></tr>");
    // Test functions are not API.
    expect(page).not.toContain("area_of_two");
  });

  it("links items across modules and resolves intra-doc links; every link on every page resolves", () => {
    const nested = readFileSync(join(out, "shapes.nested.html"), "utf8");
    expect(nested).toContain('<a class="type" href="shapes.html#struct.Square">Square</a>');
    const page = readFileSync(join(out, "shapes.html"), "utf8");
    expect(page).toContain('<a href="#fn.area"><code>area</code></a>');
    expect(page).toContain('<a href="#field.Square.side"><code>Square::side</code></a>');
    expect(brokenLinks(out)).toEqual([]);
  });

  it("escapes doc text: no markup, script or javascript: link from a comment reaches the page", () => {
    const page = readFileSync(join(out, "shapes.html"), "utf8");
    expect(page).not.toContain("<script>alert");
    expect(page).not.toContain("<img");
    expect(page).not.toContain("javascript:");
    expect(page).toContain("Shapes &lt;script&gt;alert(&quot;module&quot;)&lt;/script&gt; and a bad link, ");
    expect(page).toContain('<a href="https://example.com/x">a good one</a>');
    expect(page).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    const script = readFileSync(join(out, "search-index.js"), "utf8");
    expect(script).not.toContain("<");
    const index = JSON.parse(readFileSync(join(out, "search-index.json"), "utf8"));
    expect(index).toContainEqual({ name: "area", path: "shapes::area", kind: "fn", href: "shapes.html#fn.area", summary: "The area of `s`: **side times side**." });
    expect(index.find((e: { path: string }) => e.path === "shapes").summary).toContain('<script>alert("module")</script>');
  });

  it("writes Markdown with the same anchors, HTML in doc text neutralized", () => {
    const md = join(dir, "md");
    const m = runDplc(["doc", "src", "--out-dir", md, "--format", "md"], { cwd: dir });
    expect(m.status).toBe(0);
    const page = readFileSync(join(md, "shapes.md"), "utf8");
    expect(page).toContain('<a id="fn.area"></a>\n\n### fn area\n\n*domain K · `@deterministic`*\n\n```dpl\n@deterministic\npub fn area(s: &Square) -> u64\n```');
    expect(page).toContain("| `s` | &amp;[Square](#struct.Square) | K | |");
    expect(page).toContain("&lt;img src=x");
    expect(page).not.toContain("<script>");
    expect(page).not.toContain("javascript:");
    expect(readFileSync(join(md, "shapes.nested.md"), "utf8")).toContain("[Square](shapes.md#struct.Square)");
    expect(readFileSync(join(md, "index.md"), "utf8")).toContain("- [shapes](shapes.md)");
  });

  it("writes only a folder it owns: refuses a folder with other files, replaces its own whole", () => {
    const mine = join(dir, "mine");
    mkdirSync(mine);
    writeFileSync(join(mine, "notes.txt"), "keep me");
    const refused = runDplc(["doc", "src", "--out-dir", mine], { cwd: dir });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe("error: `mine` is not empty and was not written by dplc (no `.dplc-doc` file in it); choose a new or empty folder\n");
    expect(readdirSync(mine)).toEqual(["notes.txt"]);
    // Its own folder is replaced: a stale page of a removed module disappears.
    writeFileSync(join(out, "stale.html"), "old");
    const again = runDplc(["doc", "src", "--out-dir", out], { cwd: dir });
    expect(again.status).toBe(0);
    expect(existsSync(join(out, "stale.html"))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-") || f.includes(".old-"))).toEqual([]);
  });

  it("writes nothing when the code has errors (exit 1), and needs --out-dir (exit 2)", () => {
    const bad = join(dir, "bad");
    mkdirSync(bad);
    writeFileSync(join(bad, "b.ds"), "/// Docs.\npub fn f() -> u64 {\n    true\n}\n");
    const r1 = runDplc(["doc", "bad", "--out-dir", "bad-site"], { cwd: dir });
    expect(r1.status).toBe(1);
    expect(r1.stderr).toContain("error[DPL2003]");
    expect(r1.stderr).toContain("nothing was written");
    expect(existsSync(join(dir, "bad-site"))).toBe(false);
    const r2 = runDplc(["doc", "src"], { cwd: dir });
    expect(r2.status).toBe(2);
    expect(r2.stderr).toBe("error: `dplc doc` needs `--out-dir DIR`\n");
  });
});
