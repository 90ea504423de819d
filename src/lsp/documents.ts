/**
 * The document pipeline: open documents, their parses cached per version, and the
 * debounced, cancellable checks that turn edits into published diagnostics.
 *
 * It knows nothing of the LSP connection (the server feeds it notifications and gives it a
 * sink for diagnostics), so the latency benchmark drives exactly this code in-process.
 *
 * Versions and staleness: every check records the version of each document it read. It
 * yields to the event loop between its phases, so edits queued behind it are processed,
 * and it publishes nothing if any of those documents moved on meanwhile; the edit that
 * made it stale has already scheduled the check that replaces it. Diagnostics for a
 * version are therefore never published once a later version has arrived.
 */
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Diagnostic as LspDiagnostic, TextDocumentContentChangeEvent } from "vscode-languageserver/node.js";
import type { ParsedModule } from "../workspace/files.js";
import type { ReadonlyModel } from "../semantic/model.js";
import { CheckSession } from "../semantic/recheck.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { CheckOptions } from "../workspace/options.js";
import { sourceFromText } from "../workspace/sources.js";
import { literateModule } from "../syntax/literate.js";
import { SourceFile, stripBom } from "../syntax/source.js";
import { LineIndex, sourceNameOfUri, uriOfSourceName } from "./positions.js";
import { diagnosticsByFile, toLspDiagnostic, type ConversionContext } from "./diagnostics.js";
import { parseIncremental, type ParseState } from "./incremental-parse.js";
import { closure, dependencyEdges, moduleNameOfSource, moduleReferences, reverseEdges, type ModuleReferences } from "./dependencies.js";
import { internalErrorText } from "./internal-error.js";

export interface ParsedDocument {
  readonly version: number;
  readonly module: ParsedModule;
  /** Positions in the text the compiler parsed (for Markdown: the literate module text). */
  readonly lines: LineIndex;
  readonly refs: ModuleReferences;
}

export class OpenDocument {
  private cache: ParsedDocument | undefined;
  private parseState: ParseState | undefined;
  /** How many times this document was parsed: the incrementality tests count re-parses. */
  parseCount = 0;
  /** Chunks parsed (not reused) by the last parse. */
  lastParsedChunks = 0;

  constructor(
    readonly uri: string,
    readonly name: string,
    readonly languageId: string,
    public text: TextDocument,
    private readonly allBlocks: boolean,
    /** A workspace file no editor has open: its text is the file on disk (workspace.ts). */
    readonly unopened = false,
  ) {}

  get version(): number {
    return this.text.version;
  }

  get isMarkdown(): boolean {
    return this.languageId === "markdown" || /\.(md|markdown)$/i.test(this.name);
  }

  /** The parse of the current version, computed at most once per version. */
  parsed(): ParsedDocument {
    const version = this.text.version;
    if (this.cache?.version === version) return this.cache;
    const raw = this.text.getText();
    const source = this.toSource(raw);
    const incremental = parseIncremental(source, this.parseState);
    const module = incremental.module;
    this.parseState = incremental.state;
    this.lastParsedChunks = incremental.parsedChunks;
    this.parseCount++;
    this.cache = {
      version,
      module,
      lines: new LineIndex(source.text, raw.charCodeAt(0) === 0xfeff),
      refs: moduleReferences(module.ast, this.name),
    };
    return this.cache;
  }

  /** The last parse, whatever its version: cheap context for requests racing an edit. */
  get lastParsed(): ParsedDocument | undefined {
    return this.cache;
  }

  private toSource(raw: string): SourceFile {
    if (!this.isMarkdown || /\.md$/i.test(this.name)) return sourceFromText(this.name, raw, { allBlocks: this.allBlocks });
    // A Markdown buffer whose name does not say so (an untitled document): same literate rule.
    const text = stripBom(raw);
    return new SourceFile(this.name, literateModule(text, this.allBlocks).text, undefined, text);
  }
}

export type DiagnosticsSink = (uri: string, version: number | undefined, diagnostics: LspDiagnostic[]) => void;

/**
 * The documents of a check whose diagnostics it publishes: the targets (the edited modules
 * and their dependents), and any other module of the program that was last published
 * from a check with different `mod` parents and now has all of them: one checked without
 * its parent (opened before its importer) was checked as a root, so its paths may not have
 * resolved; it is corrected as soon as the parent is checked.
 */
function publishable(program: readonly OpenDocument[], targets: ReadonlySet<string>, all: readonly OpenDocument[], parentsAtPublish: ReadonlyMap<string, string>): { name: string; parents: string }[] {
  const inProgram = new Set(program.map((d) => d.name));
  const out: { name: string; parents: string }[] = [];
  for (const d of program) {
    const parents = all.filter((p) => p.parsed().refs.modFiles.has(d.name)).map((p) => p.name);
    const complete = parents.every((p) => inProgram.has(p));
    const key = parents.sort().join("\n");
    if (targets.has(d.name) || (complete && parentsAtPublish.get(d.uri) !== key)) out.push({ name: d.name, parents: key });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The compiler's `analyze` (compiler/analyze.ts), which the server is started with. */
export type Analyze = (modules: readonly ParsedModule[], options: CheckOptions, session?: CheckSession) => { readonly diagnostics: readonly Diagnostic[]; readonly model: ReadonlyModel | null };

export interface PipelineOptions {
  readonly check: CheckOptions;
  readonly analyze: Analyze;
  /** Quiet time after the last edit before checking; the server uses 150 ms. */
  readonly debounceMs: number;
  readonly helpUriBase?: string | undefined;
  /** Called at each point where a check yields to queued edits (tests inject edits here). */
  readonly onYield?: (phase: "parsed" | "checked", versions: ReadonlyMap<string, number>) => void;
  readonly log?: (message: string) => void;
  /** The text on disk of a workspace file (closing it reverts to that); null when not one. */
  readonly readDisk?: (uri: string) => string | null;
}

const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class DocumentPipeline {
  private readonly docs = new Map<string, OpenDocument>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly published = new Map<string, number>();
  /** The `mod` parents each document was last published with (see `publishable`). */
  private readonly parentsAtPublish = new Map<string, string>();
  /** The analysis of the last completed check that read each document, with that version. */
  private readonly models = new Map<string, { readonly version: number; readonly model: ReadonlyModel }>();
  /**
   * The last check's program, which the next one may re-use when an edit stays inside one
   * function body (the compiler decides, semantic/recheck.ts).
   */
  readonly session = new CheckSession();
  /** The documents the running check reads (see `unsettled`). */
  private runningProgram = new Set<string>();
  /** Checks abandoned because an edit overtook them (the cancellation tests read this). */
  cancelledChecks = 0;
  completedChecks = 0;
  /** Where the last published check spent its time (the latency benchmark reports it). */
  lastTimings: { readonly parseMs: number; readonly checkMs: number; readonly publishMs: number } | undefined;

  constructor(
    private readonly options: PipelineOptions,
    private readonly sink: DiagnosticsSink,
  ) {}

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  all(): OpenDocument[] {
    return [...this.docs.values()];
  }

  byName(name: string): OpenDocument | undefined {
    for (const d of this.docs.values()) if (d.name === name) return d;
    return undefined;
  }

  /**
   * The analysis of the last completed check that read the document, possibly of an
   * earlier version (the last good one while a new check runs). Its tables are keyed by
   * syntax node, and the incremental parse keeps the nodes of unchanged code, so what it
   * says about nodes still in the tree holds.
   */
  analysis(doc: OpenDocument): { readonly model: ReadonlyModel; readonly current: boolean } | undefined {
    const p = this.models.get(doc.uri);
    return p ? { model: p.model, current: p.version === doc.version } : undefined;
  }

  open(uri: string, languageId: string, version: number, text: string): OpenDocument {
    const doc = new OpenDocument(uri, sourceNameOfUri(uri), languageId, TextDocument.create(uri, languageId, version, text), this.options.check.allBlocks);
    this.docs.set(uri, doc);
    // Versions restart when a workspace file is opened or goes back to disk, and the last
    // analysis read the other document's syntax tree: requests wait for the next one.
    this.published.delete(uri);
    this.models.delete(uri);
    this.schedule([uri]);
    return doc;
  }

  change(uri: string, version: number, changes: readonly TextDocumentContentChangeEvent[]): void {
    const doc = this.docs.get(uri);
    if (!doc || doc.unopened) return;
    doc.text = TextDocument.update(doc.text, [...changes], version);
    this.schedule([uri]);
  }

  close(uri: string, deleted = false): void {
    const doc = this.docs.get(uri);
    if (!doc || (doc.unopened && !deleted)) return;
    // A workspace file goes back to its text on disk, still checked and published.
    const onDisk = deleted ? null : (this.options.readDisk?.(uri) ?? null);
    if (onDisk !== null) {
      this.docs.delete(uri);
      this.load(uri, onDisk);
      return;
    }
    // Modules that used the closed buffer now read the file from disk (or lose it).
    const stem = moduleNameOfSource(doc.name);
    const dependents = this.all().filter((d) => d !== doc && (d.lastParsed?.refs.modFiles.has(doc.name) || d.lastParsed?.refs.useRoots.has(stem)));
    this.docs.delete(uri);
    this.dirty.delete(uri);
    this.published.delete(uri);
    this.models.delete(uri);
    this.sink(uri, undefined, []);
    if (dependents.length > 0) this.schedule(dependents.map((d) => d.uri));
  }

  /**
   * A workspace file that no editor has open, with its text on disk: checked and published
   * like an open one (without a version). An open buffer of the same file wins until closed.
   */
  load(uri: string, text: string): void {
    const known = this.docs.get(uri);
    if (known && !known.unopened) return;
    if (known && known.text.getText() === text) return;
    const name = sourceNameOfUri(uri);
    const languageId = /\.(md|markdown)$/i.test(name) ? "markdown" : "dpl";
    const version = (known?.version ?? 0) + 1;
    this.docs.set(uri, new OpenDocument(uri, name, languageId, TextDocument.create(uri, languageId, version, text), this.options.check.allBlocks, true));
    this.published.delete(uri);
    this.models.delete(uri);
    this.schedule([uri]);
  }

  /** Load many workspace files and check them as one program, as `dplc check` would. */
  loadAll(files: Iterable<{ readonly uri: string; readonly text: string }>): void {
    for (const f of files) this.load(f.uri, f.text);
  }

  /** A workspace file deleted on disk: forgotten unless it is open; what used it is re-checked. */
  unload(uri: string): void {
    const doc = this.docs.get(uri);
    if (!doc || !doc.unopened) return;
    this.close(uri, true);
  }

  /** Run any pending check now and wait until nothing is pending (tests and the benchmark). */
  async flush(): Promise<void> {
    while (await this.flushStep());
  }

  /**
   * One step of `flush`: start the pending check and wait for the running one (each
   * publishes what it checked); false when nothing was pending. Streaming answers report
   * between steps.
   */
  async flushStep(): Promise<boolean> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.kick();
    }
    if (this.running) await this.running;
    else if (this.dirty.size > 0) this.kick();
    else return false;
    return true;
  }

  /**
   * The documents whose diagnostics a pending or running check may still change: what
   * those checks read (their edited modules, the dependents, the modules those use).
   * Everything else is settled, and its last published diagnostics stand.
   */
  unsettled(): Set<string> {
    const open = this.all();
    const edited = new Set([...this.dirty].filter((u) => this.docs.has(u)));
    const out = new Set(this.runningProgram);
    if (edited.size === 0) return out;
    for (const d of this.programOf([...edited], open).program) out.add(d.uri);
    return out;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.dirty.clear();
  }

  private schedule(uris: readonly string[]): void {
    for (const u of uris) this.dirty.add(u);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), this.options.debounceMs);
  }

  private kick(): void {
    this.timer = undefined;
    if (this.running) return; // the running check kicks again when it ends
    const batch = [...this.dirty].filter((u) => this.docs.has(u));
    this.dirty.clear();
    if (batch.length === 0) return;
    this.running = this.runCheck(batch)
      .catch((e: unknown) => this.options.log?.(internalErrorText("check", e)))
      .finally(() => {
        this.running = undefined;
        if (this.dirty.size > 0 && this.timer === undefined) this.kick();
      });
  }

  /**
   * Check the batch, the open modules that depend on it, and (as context only) the open
   * modules those depend on; publish for the first two groups.
   */
  private async runCheck(batch: readonly string[]): Promise<void> {
    const t0 = performance.now();
    const open = this.all();
    const byName = new Map(open.map((d) => [d.name, d]));
    const { targets, program } = this.programOf(batch, open);
    const ticket = new Map(program.map((d) => [d.uri, d.version] as const));
    this.runningProgram = new Set(ticket.keys());
    try {
      await this.checkProgram(batch, t0, byName, open, targets, program, ticket);
    } finally {
      this.runningProgram = new Set();
    }
  }

  /** What checking `batch` reads: its modules and their dependents (the targets), and the modules those use. */
  private programOf(batch: readonly string[], open: readonly OpenDocument[]): { targets: Set<string>; program: OpenDocument[] } {
    const byName = new Map(open.map((d) => [d.name, d]));
    const edges = dependencyEdges(open.map((d) => ({ name: d.name, refs: d.parsed().refs })));
    const targets = closure(
      batch.map((u) => this.docs.get(u)!.name),
      reverseEdges(edges),
    );
    return { targets, program: [...closure(targets, edges)].sort().map((n) => byName.get(n)!) };
  }

  private async checkProgram(batch: readonly string[], t0: number, byName: ReadonlyMap<string, OpenDocument>, open: readonly OpenDocument[], targets: ReadonlySet<string>, program: readonly OpenDocument[], ticket: ReadonlyMap<string, number>): Promise<void> {
    const t1 = performance.now();
    if (await this.overtaken("parsed", ticket, batch, program)) return;

    const t2 = performance.now();
    const result = this.options.analyze(
      program.map((d) => d.parsed().module),
      this.options.check,
      this.session,
    );
    const t3 = performance.now();
    if (await this.overtaken("checked", ticket, batch, program)) return;

    if (result.model) for (const d of program) this.models.set(d.uri, { version: ticket.get(d.uri)!, model: result.model });
    const byFile = diagnosticsByFile(result.diagnostics);
    const ctx: ConversionContext = {
      openIndex: (name) => byName.get(name)?.lastParsed?.lines,
      uriOf: (name) => byName.get(name)?.uri ?? uriOfSourceName(name),
      helpUriBase: this.options.helpUriBase,
    };
    for (const { name, parents } of publishable(program, targets, open, this.parentsAtPublish)) {
      const doc = byName.get(name)!;
      const version = ticket.get(doc.uri)!;
      if ((this.published.get(doc.uri) ?? -Infinity) > version) continue;
      this.published.set(doc.uri, version);
      this.parentsAtPublish.set(doc.uri, parents);
      const lines = doc.parsed().lines;
      const diagnostics = (byFile.get(name) ?? []).map((d) => toLspDiagnostic(d, lines, ctx));
      this.sink(doc.uri, doc.unopened ? undefined : version, diagnostics);
    }
    this.completedChecks++;
    this.lastTimings = { parseMs: t1 - t0, checkMs: t3 - t2, publishMs: performance.now() - t3 };
  }

  /** Yield to queued edits; true (and the batch re-queued) if any document read has changed. */
  private async overtaken(phase: "parsed" | "checked", ticket: ReadonlyMap<string, number>, batch: readonly string[], read: readonly OpenDocument[]): Promise<boolean> {
    await yieldToEvents();
    this.options.onYield?.(phase, ticket);
    let stale = false;
    for (const [uri, version] of ticket) {
      const doc = this.docs.get(uri);
      if (!doc || doc.version !== version) stale = true;
    }
    // A file opened (or reverted to disk) meanwhile is a new document, whatever its version.
    for (const d of read) if (this.docs.get(d.uri) !== d) stale = true;
    if (!stale) return false;
    this.cancelledChecks++;
    for (const u of batch) if (this.docs.has(u)) this.dirty.add(u);
    return true;
  }
}
