/**
 * The canonical layout of a parsed module (docs/style.md): the syntax tree, plus the
 * comments of the token stream, → a layout document → text.
 *
 * The tree has no comments, so they are placed by position: a cursor walks the comments
 * in source order while the tree is walked in source order, and every list element (item,
 * statement, match arm, field, argument) first takes the comments that precede it and
 * then the ones that follow it on its own line. A comment inside an expression with no
 * list in between moves to the next such point; it is never dropped, and the placement
 * depends only on positions, so it is deterministic.
 *
 * Types and patterns are short in practice and are printed on one line by the plain
 * printer (src/syntax/printer.ts); expressions and items break at the width.
 */
import type * as A from "./ast.js";
import { isBlockLike } from "./ast.js";
import type { OffsetSpan } from "./source.js";
import { precedenceOf } from "./precedence.js";
import { printExpr, printPattern, strength } from "./printer.js";
import { choice, concat, concatList, group, hardline, hasHardLine, ifBreak, indent, join, layout, line, lineSuffix, raw, softline, type Doc } from "./layout.js";

export interface SourceComment {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** A tree the formatter cannot print (error nodes): callers never pass one, by contract. */
export class FormatRefusal extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** `// BEGIN XDV-…` … `// END …`: the corpus's text, kept byte for byte (stdlib/README.md). */
const VERBATIM_BEGIN = /^\/\/ BEGIN XDV-/;
const VERBATIM_END = /^\/\/ END\b/;

interface Elem {
  readonly start: number;
  readonly end: number;
  readonly doc: () => Doc;
  /** Printed after the element: `,` in lists, `;` nowhere (statements carry their own). */
  readonly sep?: Doc;
  /** Items that are one line by nature keep the source's choice of a blank line between them. */
  readonly oneLiner?: boolean;
}

function off(n: { span: unknown }): number {
  return (n.span as OffsetSpan).startOffset;
}
function end(n: { span: unknown }): number {
  return (n.span as OffsetSpan).endOffset;
}

/** A code token: where it is and its text. */
export interface SourceToken {
  readonly start: number;
  readonly image: string;
}

export function formatModule(module: A.Module, comments: readonly SourceComment[], tokens: readonly SourceToken[], text: string, width: number, newline = "\n"): string {
  const f = new Formatter(comments, tokens, text);
  const body = f.vertical(
    module.items.map((it) => f.itemElem(it, true)),
    0,
    text.length,
    true,
  );
  const out = layout(concat(body), width, newline).replace(/^(?:\r?\n)+/, "");
  return out.length === 0 ? "" : out + newline;
}

class Formatter {
  private ci = 0;

  constructor(
    private readonly comments: readonly SourceComment[],
    private readonly tokens: readonly SourceToken[],
    private readonly text: string,
  ) {}

  // -------------------------------------------------------------------------
  // Source tokens, re-spaced: types, generic lists, self parameters and bounds are printed
  // from their tokens, because the tree drops what DPL ignores there (lifetimes, `const`
  // generics) and a formatter must not.

  private tokenIndex(offset: number): number {
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid]!.start < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The tokens in [start, end), with the style's spacing. */
  private tokensText(start: number, end: number): string {
    let out = "";
    let prev = "";
    for (let i = this.tokenIndex(start); i < this.tokens.length && this.tokens[i]!.start < end; i++) {
      const t = this.tokens[i]!.image;
      if (prev !== "" && spaceBetween(prev, t)) out += " ";
      out += t;
      prev = t;
    }
    return out;
  }

  private implKeywordEnd(it: A.ImplItem): number {
    for (let i = this.tokenIndex(off(it)); i < this.tokens.length; i++) if (this.tokens[i]!.image === "impl") return this.tokens[i]!.start + 4;
    return off(it);
  }

  private type(t: A.Type): string {
    return this.tokensText(off(t), end(t));
  }

  /** `<...>` right after `from` (a name), as written, or "". */
  private genericsAfter(from: number): string {
    const i = this.tokenIndex(from);
    if (this.tokens[i]?.image !== "<") return "";
    let depth = 0;
    for (let j = i; j < this.tokens.length; j++) {
      const im = this.tokens[j]!.image;
      if (im === "<") depth++;
      else if (im === ">" && --depth === 0) return this.tokensText(this.tokens[i]!.start, this.tokens[j]!.start + 1);
    }
    return "";
  }

  // -------------------------------------------------------------------------
  // Comments and blank lines

  private blankBetween(a: number, b: number): boolean {
    let n = 0;
    for (let i = a; i < b; i++) if (this.text.charCodeAt(i) === 10 && ++n >= 2) return true;
    return false;
  }

  private newlineBetween(a: number, b: number): boolean {
    for (let i = a; i < b; i++) if (this.text.charCodeAt(i) === 10) return true;
    return false;
  }

  private isLineComment(c: SourceComment): boolean {
    return c.text.startsWith("//");
  }

  /** The comment as printed: trailing spaces go, a block comment's lines stay as written. */
  private commentText(c: SourceComment): string {
    return this.isLineComment(c) ? c.text.replace(/\s+$/, "") : c.text;
  }

  /** Comments before `offset` that sit inside a horizontal list or expression. */
  private inlineComments(offset: number): Doc {
    const parts: Doc[] = [];
    while (this.ci < this.comments.length && this.comments[this.ci]!.start < offset) {
      const c = this.comments[this.ci++]!;
      parts.push(this.commentText(c));
      const next = this.ci < this.comments.length ? Math.min(this.comments[this.ci]!.start, offset) : offset;
      parts.push(this.isLineComment(c) || this.newlineBetween(c.end, next) ? hardline : " ");
    }
    return concat(...parts);
  }

  /** Comments that start on the line where `after` is, before `limit`: kept at the line's end. */
  private trailing(after: number, limit: number): { doc: Doc; end: number } {
    const parts: Doc[] = [];
    let last = after;
    while (this.ci < this.comments.length) {
      const c = this.comments[this.ci]!;
      if (c.start >= limit || this.newlineBetween(after, c.start)) break;
      if (!this.isLineComment(c) && this.newlineBetween(c.start, c.end)) break;
      this.ci++;
      parts.push(lineSuffix(" " + this.commentText(c)));
      last = c.end;
    }
    return { doc: concat(...parts), end: last };
  }

  /** Where the text before `close` ends, trailing whitespace aside. */
  private contentEnd(close: number): number {
    let i = close;
    while (i > 0 && /\s/.test(this.text[i - 1]!)) i--;
    return i;
  }

  private lineStart(offset: number): number {
    const i = this.text.lastIndexOf("\n", offset - 1);
    return i + 1;
  }

  private isVerbatimBegin(c: SourceComment): boolean {
    return VERBATIM_BEGIN.test(c.text) && /^[ \t]*$/.test(this.text.slice(this.lineStart(c.start), c.start));
  }

  /**
   * Elements one per line: the comments before each, a blank line where the source had
   * one (between items: always, unless both are one-liners), the element, its trailing
   * comment; then what is left before `close`. `open` is where the list's opening brace
   * ends: a comment on that line stays there.
   */
  vertical(elems: readonly Elem[], open: number, close: number, items = false): Doc {
    const parts: Doc[] = [];
    let prevEnd = open;
    let first = true;
    let prevOneLiner = false;
    if (open > 0) {
      const opener = this.trailing(open, elems.length > 0 ? elems[0]!.start : close);
      parts.push(opener.doc);
      prevEnd = opener.end;
    }
    const emitComment = (c: SourceComment, forcedBlank: boolean): void => {
      if (!first) parts.push(hardline);
      if (!first && (forcedBlank || this.blankBetween(prevEnd, c.start))) parts.push(hardline);
      parts.push(this.commentText(c));
      first = false;
      prevEnd = c.end;
    };
    let i = 0;
    // Comments before `limit`, honouring verbatim regions; returns the index of the next
    // element to format (regions swallow whole elements).
    const comments = (limit: number, forcedBlank: boolean): void => {
      let blank = forcedBlank;
      while (this.ci < this.comments.length && this.comments[this.ci]!.start < limit) {
        const c = this.comments[this.ci]!;
        if (this.isVerbatimBegin(c)) {
          this.verbatim(c, elems, i, close, parts, first, blank || this.blankBetween(prevEnd, c.start), (e, consumed) => {
            prevEnd = e;
            i += consumed;
          });
          first = false;
          blank = false;
          // After a region, the next element may already be swallowed: re-aim at it.
          limit = i < elems.length ? elems[i]!.start : close;
          continue;
        }
        this.ci++;
        emitComment(c, blank);
        blank = false;
        // A block comment followed on its line by code stays on that line.
        if (!this.isLineComment(c) && !this.newlineBetween(c.end, this.nextStart(limit))) parts.push(" ");
        else if (this.ci >= this.comments.length || this.comments[this.ci]!.start >= limit) parts.push(hardline);
      }
    };
    while (i < elems.length) {
      const aim = elems[i]!;
      const forced = items && !first && !(prevOneLiner && aim.oneLiner);
      const ciBefore = this.ci;
      comments(aim.start, forced);
      if (i >= elems.length) break;
      const e = elems[i]!; // a verbatim region may have taken `aim` and more
      const hadComments = this.ci !== ciBefore;
      if (!hadComments) {
        if (!first) parts.push(hardline);
        if (!first && (forced || this.blankBetween(prevEnd, e.start))) parts.push(hardline);
      } else if (parts[parts.length - 1] !== " ") {
        if (parts[parts.length - 1] !== hardline) parts.push(hardline);
        if (this.blankBetween(prevEnd, e.start)) parts.push(hardline);
      }
      parts.push(e.doc());
      if (e.sep) parts.push(e.sep);
      const next = i + 1 < elems.length ? elems[i + 1]!.start : close;
      const t = this.trailing(e.end, next);
      parts.push(t.doc);
      prevEnd = Math.max(e.end, t.end);
      prevOneLiner = e.oneLiner ?? false;
      first = false;
      i++;
    }
    // Dangling comments before the closing brace (or the end of the file).
    while (this.ci < this.comments.length && this.comments[this.ci]!.start < close) {
      const c = this.comments[this.ci]!;
      if (this.isVerbatimBegin(c)) {
        this.verbatim(c, elems, elems.length, close, parts, first, this.blankBetween(prevEnd, c.start), (e) => (prevEnd = e));
        first = false;
        continue;
      }
      this.ci++;
      emitComment(c, false);
    }
    return concat(...parts);
  }

  private nextStart(limit: number): number {
    return this.ci < this.comments.length ? Math.min(this.comments[this.ci]!.start, limit) : limit;
  }

  /**
   * Copy a verbatim region (from its BEGIN line to its END comment) as it stands. Without
   * an END in the same list, the region runs to the list's end; an END inside an element
   * stretches the region over that whole element. Either way nothing in it is touched.
   */
  private verbatim(
    begin: SourceComment,
    elems: readonly Elem[],
    from: number,
    close: number,
    parts: Doc[],
    first: boolean,
    blank: boolean,
    done: (end: number, consumed: number) => void,
  ): void {
    let j = this.ci + 1;
    while (j < this.comments.length && this.comments[j]!.start < close && !VERBATIM_END.test(this.comments[j]!.text)) j++;
    let stop = j < this.comments.length && this.comments[j]!.start < close ? this.comments[j]!.end : this.contentEnd(close);
    let k = from;
    while (k < elems.length && elems[k]!.start < stop) {
      stop = Math.max(stop, elems[k]!.end);
      k++;
    }
    while (this.ci < this.comments.length && this.comments[this.ci]!.start < stop) this.ci++;
    if (!first) parts.push(hardline);
    if (!first && blank) parts.push(hardline);
    parts.push(raw(this.text.slice(this.lineStart(begin.start), stop)));
    done(stop, k - from);
  }

  /** Comments left before `close`, as printed texts. */
  private dangling(close: number): string[] {
    const out: string[] = [];
    while (this.ci < this.comments.length && this.comments[this.ci]!.start < close) out.push(this.commentText(this.comments[this.ci++]!));
    return out;
  }

  /** Elements side by side, breaking all of them onto their own lines when they do not fit. */
  private hlist(open: string, elems: readonly Elem[], close: string, closeOffset: number | null, opts: { trailingComma?: boolean; spaced?: boolean; hugLast?: boolean } = {}): Doc {
    const edge = opts.spaced ? line : softline;
    if (elems.length === 0) {
      const texts = closeOffset === null ? [] : this.dangling(closeOffset);
      if (texts.length === 0) return open + close;
      const lineEnded = texts.some((t) => t.startsWith("//"));
      return group(open, indent(edge, join(hardline, texts)), lineEnded ? hardline : edge, close);
    }
    const parts: Doc[] = [];
    const docs: Doc[] = [];
    let commented = false;
    elems.forEach((e, i) => {
      const lead = this.inlineComments(e.start);
      const d = e.doc();
      docs.push(d);
      if (!isEmpty(lead)) commented = true;
      parts.push(lead, d);
      const last = i === elems.length - 1;
      parts.push(last ? (opts.trailingComma === false ? "" : ifBreak(",")) : ",");
      const next = last ? (closeOffset ?? e.end) : elems[i + 1]!.start;
      const t = this.trailing(e.end, next).doc;
      if (!isEmpty(t)) commented = true;
      parts.push(t);
      if (!last) parts.push(line);
    });
    const texts = closeOffset === null ? [] : this.dangling(closeOffset);
    if (texts.length > 0) parts.push(hardline, join(hardline, texts));
    const broken = group(open, indent(edge, ...parts), texts.some((t) => t.startsWith("//")) ? hardline : edge, close);
    // rustfmt's overflow: the last argument (a struct literal, a closure with a block, a
    // block or a match) opens on the call's line when everything before it stays flat.
    const head = docs.slice(0, -1);
    if (!opts.hugLast || commented || texts.length > 0 || head.some(hasHardLine)) return broken;
    const hug = concat(open, join(", ", head), head.length > 0 ? ", " : "", docs[docs.length - 1]!, close);
    return choice(broken, hug, broken);
  }

  /** Call arguments: may hug their last argument when it is a struct literal, closure, block or match. */
  private args(open: string, es: readonly A.Expr[], close: string, closeOffset: number): Doc {
    const last = es[es.length - 1];
    return this.hlist(open, this.exprElems(es), close, closeOffset, { hugLast: last !== undefined && overflows(last) });
  }

  private exprElems(es: readonly A.Expr[]): Elem[] {
    return es.map((x) => ({ start: off(x), end: end(x), doc: () => this.expr(x) }));
  }

  // -------------------------------------------------------------------------
  // Items

  itemElem(it: A.Item, _top = false): Elem {
    return { start: off(it), end: end(it), doc: () => this.item(it), oneLiner: isOneLiner(it) };
  }

  private item(it: A.Item): Doc {
    const head: Doc[] = [];
    for (const a of it.annotations) {
      head.push(this.inlineComments(off(a)), this.annotation(a), hardline);
    }
    const nameAt = itemNameOffset(it);
    if (nameAt !== null) head.push(this.inlineComments(nameAt));
    if (it.isPub) head.push(this.visibility(it) + " ");
    return concat(...head, this.itemBody(it));
  }

  private visibility(it: A.Item): string {
    const from = it.annotations.length > 0 ? end(it.annotations[it.annotations.length - 1]!) : off(it);
    const m = /^\s*pub\s*\(\s*([A-Za-z_]+)\s*\)/.exec(this.text.slice(from, from + 64));
    return m ? `pub(${m[1]})` : "pub";
  }

  private annotation(a: A.Annotation): Doc {
    const rust = this.text.charCodeAt(off(a)) === 35; // `#[name]`: the Rust spelling stays
    const args = a.args === null ? "" : this.hlist("(", this.exprElems(a.args), ")", null, { trailingComma: false });
    return rust ? concat("#[", a.name.name, args, "]") : concat("@", a.name.name, args);
  }

  private braced(open: Doc, items: readonly A.Item[], openOffset: number, closeOffset: number): Doc {
    const body = this.vertical(items.map((i) => this.itemElem(i)), openOffset, closeOffset, true);
    if (isEmpty(body)) return concat(open, "{}");
    return concat(open, "{", indent(hardline, body), hardline, "}");
  }

  private itemBody(it: A.Item): Doc {
    switch (it.kind) {
      case "UseItem":
        return concat("use ", this.useTree(it.tree), ";");
      case "ModItem":
        if (it.items === null) return `mod ${it.name.name};`;
        return this.braced(`mod ${it.name.name} `, it.items, this.openAfter(end(it.name)), end(it) - 1);
      case "ConstItem": {
        const parts: Doc[] = [`${it.storage} ${it.name.name}`];
        if (it.type) parts.push(": ", this.type(it.type));
        if (it.value) parts.push(" = ", this.expr(it.value));
        return concat(...parts, ";");
      }
      case "StructItem": {
        const sig = `struct ${it.name.name}${this.genericsAfter(end(it.name))}`;
        switch (it.body.kind) {
          case "unit":
            return sig + ";";
          case "tuple":
            return concat(sig, this.hlist("(", this.fieldElems(it.body.fields), ")", null), ";");
          case "named": {
            const open = this.openAfter(it.generics.length > 0 ? end(it.generics[it.generics.length - 1]!) : end(it.name));
            return this.namedFields(sig + " ", it.body.fields, open, end(it) - 1);
          }
          case "opaque":
            return it.body.form === "ellipsis" ? sig + " { ... }" : sig;
        }
        break;
      }
      case "EnumItem": {
        const open = this.openAfter(it.generics.length > 0 ? end(it.generics[it.generics.length - 1]!) : end(it.name));
        const elems: Elem[] = it.variants.map((v) => ({ start: off(v), end: end(v), doc: () => this.variant(v), sep: "," }));
        const body = this.vertical(elems, open, end(it) - 1);
        const sig = `enum ${it.name.name}${this.genericsAfter(end(it.name))} `;
        return isEmpty(body) ? sig + "{}" : concat(sig, "{", indent(hardline, body), hardline, "}");
      }
      case "FnItem":
        return this.fn(it);
      case "ImplItem": {
        const sig = `impl${this.genericsAfter(this.implKeywordEnd(it))} ${it.trait ? `${this.type(it.trait)} for ` : ""}${this.type(it.selfType)} `;
        return this.braced(sig, it.items, this.openAfter(end(it.selfType)), end(it) - 1);
      }
      case "TraitItem": {
        const sup = it.supertraits.length ? `: ${this.tokensText(off(it.supertraits[0]!), end(it.supertraits[it.supertraits.length - 1]!))}` : "";
        const last = it.supertraits.length ? end(it.supertraits[it.supertraits.length - 1]!) : it.generics.length ? end(it.generics[it.generics.length - 1]!) : end(it.name);
        return this.braced(`trait ${it.name.name}${this.genericsAfter(end(it.name))}${sup} `, it.items, this.openAfter(last), end(it) - 1);
      }
      case "TypeAliasItem":
        return `type ${it.name.name}${this.genericsAfter(end(it.name))}${it.type ? ` = ${this.type(it.type)}` : ""};`;
      case "ErrorItem":
        throw new FormatRefusal("the module has syntax errors", off(it));
    }
  }

  /** The offset just after the `{` that follows `from` (comments on its line stay there). */
  private openAfter(from: number): number {
    let i = from;
    while (i < this.text.length && this.text[i] !== "{") {
      // Skip comments between the header and the brace: they are not braces.
      if (this.text.startsWith("//", i)) i = this.text.indexOf("\n", i) < 0 ? this.text.length : this.text.indexOf("\n", i);
      else if (this.text.startsWith("/*", i)) {
        const c = this.comments.find((x) => x.start === i);
        i = c ? c.end : i + 2;
      } else i++;
    }
    return i + 1;
  }

  private namedFields(sig: Doc, fields: readonly A.FieldDecl[], open: number, close: number): Doc {
    const body = this.vertical(this.fieldElems(fields, ","), open, close);
    return isEmpty(body) ? concat(sig, "{}") : concat(sig, "{", indent(hardline, body), hardline, "}");
  }

  private fieldElems(fields: readonly A.FieldDecl[], sep?: string): Elem[] {
    return fields.map((fd) => ({
      start: off(fd),
      end: end(fd),
      doc: () => `${fd.isPub ? "pub " : ""}${fd.name ? `${fd.name.name}: ` : ""}${this.type(fd.type)}`,
      ...(sep ? { sep } : {}),
    }));
  }

  private variant(v: A.Variant): Doc {
    const parts: Doc[] = [v.name.name];
    if (v.shape === "tuple") parts.push(this.hlist("(", this.fieldElems(v.fields), ")", null));
    if (v.shape === "struct") {
      const elems = this.fieldElems(v.fields);
      parts.push(" ", this.hlist("{", elems, "}", end(v) - 1, { spaced: true }));
    }
    if (v.discriminant) parts.push(" = ", this.expr(v.discriminant));
    return concat(...parts);
  }

  private fn(it: A.FnItem): Doc {
    const params: Elem[] = [];
    if (it.selfParam) {
      const sp = it.selfParam;
      params.push({ start: off(sp), end: end(sp), doc: () => this.tokensText(off(sp), end(sp)) });
    }
    for (const p of it.params) params.push({ start: off(p), end: end(p), doc: () => `${printPattern(p.pattern)}: ${this.type(p.type)}` });
    const sig: Doc[] = [`${it.isUnsafe ? "unsafe " : ""}fn ${it.name.name}${this.genericsAfter(end(it.name))}`, this.hlist("(", params, ")", null)];
    if (it.returnType) sig.push(" -> ", this.type(it.returnType));
    let brace: Doc = " ";
    if (it.where.length > 0) {
      const preds = it.where.map((w) => this.tokensText(off(w), end(w)));
      sig.push(group(line, "where", indent(line, join(concat(",", line), preds), ifBreak(",")), ifBreak(softline, " ")));
      brace = "";
    }
    const head = group(...sig);
    switch (it.body.kind) {
      case "block":
        return concat(head, brace, this.block(it.body.block));
      case "ellipsis":
        return concat(head, brace, "{ ... }");
      case "none":
        return concat(head, this.text.charCodeAt(end(it) - 1) === 59 ? ";" : "");
    }
  }

  private useTree(t: A.UseTree): Doc {
    const path = t.path.map((p) => p.name).join("::");
    switch (t.shape.kind) {
      case "simple":
        return path + (t.shape.alias ? ` as ${t.shape.alias.name}` : "");
      case "glob":
        return path.length > 0 ? `${path}::*` : "*";
      case "group": {
        const elems: Elem[] = t.shape.items.map((u) => ({ start: off(u), end: end(u), doc: () => this.useTree(u) }));
        // The grammar takes no trailing comma in a use group.
        return concat(path.length > 0 ? `${path}::` : "", this.hlist("{", elems, "}", end(t) - 1, { trailingComma: false }));
      }
    }
  }

  // -------------------------------------------------------------------------
  // Blocks and statements

  private block(b: A.Block): Doc {
    const elems: Elem[] = b.stmts.map((s) => ({ start: off(s), end: end(s), doc: () => this.stmt(s) }));
    if (b.tail) {
      const t = b.tail;
      elems.push({ start: off(t), end: end(t), doc: () => this.expr(t) });
    }
    const body = this.vertical(elems, off(b) + 1, end(b) - 1);
    if (isEmpty(body)) return "{}";
    return concat("{", indent(hardline, body), hardline, "}");
  }

  private stmt(s: A.Stmt): Doc {
    switch (s.kind) {
      case "LetStmt": {
        const parts: Doc[] = ["let ", printPattern(s.pattern)];
        if (s.type) parts.push(": ", this.type(s.type));
        if (s.init) parts.push(" = ", this.expr(s.init));
        if (s.elseBlock) parts.push(" else ", this.block(s.elseBlock));
        return group(...parts, ";");
      }
      case "ExprStmt":
        return concat(this.expr(s.expr), s.hasSemi || !isBlockLike(s.expr) ? ";" : "");
      case "ItemStmt":
        return this.item(s.item);
      case "EmptyStmt":
        return ";";
    }
  }

  // -------------------------------------------------------------------------
  // Expressions

  private wrap(e: A.Expr, min: number): Doc {
    const d = this.expr(e);
    return strength(e) < min ? concat("(", d, ")") : d;
  }

  private expr(e: A.Expr): Doc {
    switch (e.kind) {
      case "IntLit":
      case "FloatLit":
      case "StrLit":
      case "CharLit":
        return e.raw;
      case "BoolLit":
        return e.value ? "true" : "false";
      case "PathExpr":
        return printExpr(e);
      case "UnaryExpr":
        return concat(e.op, this.wrap(e.operand, 11));
      case "RefExpr":
        return concat(e.isMut ? "&mut " : "&", this.wrap(e.operand, 11));
      case "BinaryExpr":
        return this.binary(e);
      case "AssignExpr":
        return concat(this.wrap(e.target, 1), ` ${e.op} `, this.expr(e.value));
      case "CallExpr":
        return concat(this.wrap(e.callee, 12), this.args("(", e.args, ")", end(e) - 1));
      case "MethodCallExpr":
      case "FieldExpr":
      case "TryExpr":
      case "IndexExpr":
        return this.chain(e);
      case "MacroCallExpr": {
        const name = `${e.name.name}!`;
        if (e.isRepeat) return concat(name, "[", this.expr(e.args[0]!), "; ", this.expr(e.args[1]!), "]");
        const open = e.delimiter === "[" ? "[" : "(";
        return concat(name, this.args(open, e.args, open === "[" ? "]" : ")", end(e) - 1));
      }
      case "CastExpr": {
        // `x as A as B …` with a loop, like the other chains.
        const types: A.Type[] = [];
        let root: A.Expr = e;
        while (root.kind === "CastExpr") {
          types.push(root.type);
          root = root.expr;
        }
        return concat(this.wrap(root, 10), concatList(types.reverse().map((t) => concat(" as ", this.type(t)))));
      }
      case "StructLitExpr": {
        const elems: Elem[] = e.fields.map((fi) => ({
          start: off(fi),
          end: end(fi),
          doc: () => (fi.value ? concat(fi.name.name, ": ", this.expr(fi.value)) : fi.name.name),
        }));
        if (e.base) {
          const b = e.base;
          elems.push({ start: off(b) - 2, end: end(b), doc: () => concat("..", this.expr(b)) });
        }
        const path = printExpr(e.path);
        return concat(path, " ", this.hlist("{", elems, "}", end(e) - 1, { trailingComma: e.base === null, spaced: true }));
      }
      case "TupleExpr":
        if (e.elements.length === 1) return concat("(", this.expr(e.elements[0]!), ",)");
        return this.hlist("(", this.exprElems(e.elements), ")", end(e) - 1);
      case "ParenExpr":
        return concat("(", this.expr(e.inner), ")");
      case "ArrayExpr":
        return this.hlist("[", this.exprElems(e.elements), "]", end(e) - 1);
      case "ArrayRepeatExpr":
        return concat("[", this.expr(e.value), "; ", this.expr(e.count), "]");
      case "RangeExpr":
        return concat(e.start ? this.wrap(e.start, 1) : "", e.inclusive ? "..=" : "..", e.end ? this.wrap(e.end, 1) : "");
      case "BlockExpr":
        return concat(e.label ? `${e.label.name}: ` : "", e.isUnsafe ? "unsafe " : "", this.block(e.block));
      case "IfExpr": {
        const parts: Doc[] = ["if ", this.expr(e.condition), " ", this.block(e.then)];
        if (e.else) parts.push(" else ", e.else.kind === "IfExpr" ? this.expr(e.else) : this.block(e.else));
        return concat(...parts);
      }
      case "LetCondExpr":
        return concat("let ", printPattern(e.pattern), " = ", this.expr(e.value));
      case "MatchExpr": {
        if (e.fromMatches) {
          const a = e.arms[0]!;
          return concat("matches!(", this.expr(e.scrutinee), ", ", printPattern(a.pattern), a.guard ? concat(" if ", this.expr(a.guard)) : "", ")");
        }
        const elems: Elem[] = e.arms.map((a) => ({ start: off(a), end: end(a), doc: () => this.arm(a) }));
        const open = this.openAfter(end(e.scrutinee));
        const body = this.vertical(elems, open, end(e) - 1);
        return concat("match ", this.expr(e.scrutinee), " {", indent(hardline, body), hardline, "}");
      }
      case "WhileExpr":
        return concat(e.label ? `${e.label.name}: ` : "", "while ", this.expr(e.condition), " ", this.block(e.body));
      case "LoopExpr":
        return concat(e.label ? `${e.label.name}: ` : "", "loop ", this.block(e.body));
      case "ForExpr":
        return concat(e.label ? `${e.label.name}: ` : "", "for ", printPattern(e.pattern), " in ", this.expr(e.iterable), " ", this.block(e.body));
      case "BreakExpr":
        return concat("break", e.label ? ` ${e.label.name}` : "", e.value ? concat(" ", this.expr(e.value)) : "");
      case "ContinueExpr":
        return `continue${e.label ? ` ${e.label.name}` : ""}`;
      case "ReturnExpr":
        return e.value ? concat("return ", this.expr(e.value)) : "return";
      case "ClosureExpr": {
        const ps = e.params.map((p) => printPattern(p.pattern) + (p.type ? `: ${this.type(p.type)}` : "")).join(", ");
        const ret = e.returnType ? ` -> ${this.type(e.returnType)}` : "";
        return concat(e.isMove ? "move " : "", `|${ps}|${ret} `, this.expr(e.body));
      }
      case "ErrorExpr":
        throw new FormatRefusal("the module has syntax errors", off(e));
    }
  }

  private arm(a: A.MatchArm): Doc {
    const head: Doc[] = [printPattern(a.pattern)];
    if (a.guard) head.push(" if ", this.expr(a.guard));
    // A block body needs no comma (rustfmt's choice); every other body ends with one.
    const plainBlock = a.body.kind === "BlockExpr" && !a.body.label && !a.body.isUnsafe;
    return concat(...head, " => ", this.expr(a.body), plainBlock ? "" : ",");
  }

  /** `a + b + c` of one precedence level: operands break before their operator, indented. */
  private binary(e: A.BinaryExpr): Doc {
    const p = precedenceOf(e.op).prec;
    const rest: { op: string; right: A.Expr }[] = [];
    let left: A.Expr = e;
    while (left.kind === "BinaryExpr" && precedenceOf(left.op).prec === p) {
      rest.push({ op: left.op, right: left.right });
      left = left.left;
    }
    rest.reverse();
    const first = this.wrap(left, p);
    const tail: Doc[] = [];
    for (const r of rest) {
      const c = this.inlineComments(off(r.right));
      tail.push(line, r.op, " ", c, this.wrap(r.right, p + 1));
    }
    return group(first, indent(concatList(tail)));
  }

  /**
   * `a.b().c()?.d[i]`: with two or more calls, each `.call()` goes on its own line when too
   * long. The links are collected with a loop: a chain may be of any length.
   */
  private chain(e: A.Expr): Doc {
    const links: A.Expr[] = [];
    let root: A.Expr = e;
    while (root.kind === "MethodCallExpr" || root.kind === "FieldExpr" || root.kind === "TryExpr" || root.kind === "IndexExpr") {
      links.push(root);
      root = root.kind === "MethodCallExpr" ? root.receiver : root.kind === "FieldExpr" || root.kind === "IndexExpr" ? root.object : root.expr;
    }
    links.reverse();
    const calls = links.filter((l) => l.kind === "MethodCallExpr").length;
    const parts: Doc[] = [this.wrap(root, 12)];
    const linkParts: Doc[] = [];
    for (const l of links) {
      if (l.kind === "TryExpr") linkParts.push("?");
      else if (l.kind === "IndexExpr") linkParts.push("[", this.expr(l.index), "]");
      else if (l.kind === "FieldExpr") linkParts.push(".", l.field.name);
      else if (l.kind === "MethodCallExpr") {
        const targs = l.typeArgs ? `::<${l.typeArgs.map((x) => this.type(x)).join(", ")}>` : "";
        linkParts.push(calls >= 2 ? softline : "", ".", l.method.name, targs, this.args("(", l.args, ")", end(l) - 1));
      }
    }
    if (calls >= 2) return group(...parts, indent(concatList(linkParts)));
    return concat(...parts, concatList(linkParts));
  }
}

function overflows(e: A.Expr): boolean {
  switch (e.kind) {
    case "StructLitExpr":
      return e.fields.length > 0 || e.base !== null;
    case "ClosureExpr":
      return e.body.kind === "BlockExpr" || e.body.kind === "MatchExpr";
    case "BlockExpr":
    case "MatchExpr":
      return true;
    default:
      return false;
  }
}

function isEmpty(d: Doc): boolean {
  if (typeof d === "string") return d.length === 0;
  if (d.t === "concat") return d.parts.every(isEmpty);
  return false;
}

function isOneLiner(it: A.Item): boolean {
  switch (it.kind) {
    case "UseItem":
    case "ConstItem":
    case "TypeAliasItem":
      return true;
    case "ModItem":
      return it.items === null;
    case "FnItem":
      return it.body.kind !== "block";
    case "StructItem":
      return it.body.kind !== "named";
    default:
      return false;
  }
}

function itemNameOffset(it: A.Item): number | null {
  switch (it.kind) {
    case "UseItem":
      return off(it.tree);
    case "ImplItem":
      return it.generics.length > 0 ? off(it.generics[0]!) : off(it.trait ?? it.selfType);
    case "ErrorItem":
      return null;
    default:
      return off(it.name);
  }
}

/** The style's spacing between two adjacent tokens of a type, bound or generic list. */
function spaceBetween(a: string, b: string): boolean {
  if (b === "," || b === ";" || b === ">" || b === ")" || b === "]" || b === ":" || b === "::") return false;
  if (a === "," || a === ";" || a === ":" || a === "->" || a === "+" || a === "=") return true;
  if (b === "->" || b === "+" || b === "=") return true;
  const word = (t: string): boolean => /^[\p{L}\p{N}_]/u.test(t);
  if (a === "fn" && b === "(") return false;
  if (a.startsWith("'") && (word(b) || b === "&")) return true;
  return word(a) && (word(b) || b === "&" || b.startsWith("'")) ;
}
