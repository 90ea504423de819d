import { describe, expect, it } from "vitest";
import { Char, None, Some, Str, cell, escapeDebugStr, site } from "#runtime";
import { faultOf } from "./fault-of.js";


const c = (s: string) => s.codePointAt(0)!;

describe("String", () => {
  it("len counts UTF-8 bytes", () => {
    expect(Str.len("héllo")).toBe(6);
    expect(Str.len("😀")).toBe(4);
    expect(Str.len("€")).toBe(3);
    expect(Str.len("")).toBe(0);
    expect(Str.char_count("héllo😀")).toBe(6);
  });

  it("slices by byte offsets and faults like std", () => {
    expect(Str.slice("héllo", 0, 1)).toBe("h");
    expect(Str.slice("héllo", 1, 3)).toBe("é");
    expect(Str.slice("héllo", 3, undefined)).toBe("llo");
    expect(Str.slice("a😀b", 1, 5)).toBe("😀");
    const at = site("s.ds", 2, 14, "&s[0..2]");
    const inside = faultOf(() => Str.slice("héllo", 0, 2, at));
    expect(inside.kind).toBe("char_boundary");
    expect(inside.message).toBe("byte index 2 is not a char boundary; it is inside 'é' (bytes 1..3) of `héllo`");
    expect(inside.site).toBe(at);
    expect(faultOf(() => Str.slice("héllo", 0, 10)).message).toBe("byte index 10 is out of bounds of `héllo`");
    expect(faultOf(() => Str.slice("hello", 3, 1)).message).toBe("begin <= end (3 <= 1) when slicing `hello`");
    const long = "ab".repeat(200);
    expect(faultOf(() => Str.slice(long, 0, 500)).message).toBe(`byte index 500 is out of bounds of \`${long.slice(0, 256)}\`[...]`);
    expect(Str.get("héllo", 0, 2)).toBe(None);
    expect(Str.get("héllo", 0, 3)).toEqual(Some("hé"));
    expect(Str.is_char_boundary("héllo", 2)).toBe(false);
  });

  it("searching returns byte offsets", () => {
    expect(Str.find("héllo", "l")).toEqual(Some(3));
    expect(Str.rfind("héllo", c("l"))).toEqual(Some(4));
    expect(Str.find("héllo", (ch) => ch > 127)).toEqual(Some(1));
    expect(Str.find("abc", "z")).toBe(None);
    expect(Str.contains("abc", c("b"))).toBe(true);
    expect(Str.starts_with("abc", "ab")).toBe(true);
    expect(Str.strip_prefix("v1.2", c("v"))).toEqual(Some("1.2"));
    expect(Str.split_once("k=v=w", "=")).toEqual(Some(["k", "v=w"]));
  });

  it("splitting, lines and trimming follow std", () => {
    expect(Str.split("a,b,,c", c(",")).collect().data).toEqual(["a", "b", "", "c"]);
    expect(Str.split("", ",").collect().data).toEqual([""]);
    expect(Str.split("abc", "").collect().data).toEqual(["", "a", "b", "c", ""]);
    expect(Str.split("a1b2c", (ch) => Char.is_ascii_digit(ch)).collect().data).toEqual(["a", "b", "c"]);
    expect(Str.splitn("a-b-c-d", 2, "-").collect().data).toEqual(["a", "b-c-d"]);
    expect(Str.split_whitespace(" a  b\tc\u{3000}d ").collect().data).toEqual(["a", "b", "c", "d"]);
    expect(Str.lines("a\r\nb\n").collect().data).toEqual(["a", "b"]);
    expect(Str.lines("a\n\nb").collect().data).toEqual(["a", "", "b"]);
    expect(Str.lines("").count()).toBe(0);
    expect(Str.trim("\u{feff} x \n")).toBe("\u{feff} x");
    expect(Str.trim_start("\u{2003}x ")).toBe("x ");
    expect(Str.replace("aaa", "a", "bb")).toBe("bbbbbb");
    expect(Str.to_ascii_uppercase("straße")).toBe("STRAßE");
    expect(Str.to_uppercase("straße")).toBe("STRASSE");
  });

  it("mutating methods through places", () => {
    const s = cell("héllo😀");
    expect(Str.pop(s)).toEqual(Some(0x1f600));
    expect(Str.remove(s, 1)).toBe(c("é"));
    expect(s.value).toBe("hllo");
    Str.insert(s, 1, c("e"));
    Str.insert_str(s, 0, ">> ");
    expect(s.value).toBe(">> hello");
    Str.truncate(s, 5);
    expect(s.value).toBe(">> he");
    expect(faultOf(() => Str.remove(cell("abc"), 3)).message).toBe("cannot remove a char from the end of a string");
    expect(faultOf(() => Str.remove(cell("é"), 1)).message).toBe("byte index 1 is not a char boundary; it is inside 'é' (bytes 0..2) of `é`");
    expect(faultOf(() => Str.truncate(cell("é"), 1)).message).toBe("assertion failed: self.is_char_boundary(new_len)");
    expect(Str.push("ab", c("c"))).toBe("abc");
    expect(Str.pop(cell(""))).toBe(None);
  });

  it("chars, char_indices and bytes", () => {
    expect(Str.chars("aé😀").rev().collect_string()).toBe("😀éa");
    expect(Str.char_indices("aé😀b").collect().data).toEqual([
      [0, c("a")],
      [1, c("é")],
      [3, 0x1f600],
      [7, c("b")],
    ]);
    expect(Str.bytes("é").collect().data).toEqual([0xc3, 0xa9]);
    expect(Str.from_utf8_lossy(Str.as_bytes("hé"))).toBe("hé");
  });

  it("Debug escaping", () => {
    expect(escapeDebugStr('tab\there "q" \\')).toBe('"tab\\there \\"q\\" \\\\"');
    expect(escapeDebugStr("\u{1b}[0m")).toBe('"\\u{1b}[0m"');
    expect(escapeDebugStr("\u{2028}")).toBe('"\\u{2028}"');
  });
});

describe("char", () => {
  it("classification and conversion", () => {
    expect([Char.is_alphabetic(c("é")), Char.is_alphabetic(c("1")), Char.is_numeric(c("٣"))]).toEqual([true, false, true]);
    expect([Char.is_whitespace(c("\u{a0}")), Char.is_whitespace(c("\u{feff}"))]).toEqual([true, false]);
    expect([Char.is_uppercase(c("É")), Char.is_lowercase(c("ß"))]).toEqual([true, true]);
    expect(Char.is_ascii_whitespace(0x0b)).toBe(false);
    expect(Char.is_ascii_punctuation(c("~"))).toBe(true);
    expect(Char.to_digit(c("f"), 16)).toEqual(Some(15));
    expect(Char.to_digit(c("9"), 8)).toBe(None);
    expect(faultOf(() => Char.to_digit(c("1"), 37)).message).toBe("to_digit: radix is too high (maximum 36)");
    expect(Char.to_uppercase(c("ß")).collect_string()).toBe("SS");
    expect(Char.to_ascii_uppercase(c("é"))).toBe(c("é"));
    expect(Char.len_utf8(0x1f600)).toBe(4);
    expect(Char.to_string(0x1f600)).toBe("😀");
  });
});
