/**
 * The workspace-wide part of the server: the workspace model (workspace.ts), its folders
 * as they are added and removed, watched files and files that are not UTF-8, cross-file
 * navigation (references.ts, navigation.ts), semantic tokens by range and delta, pull
 * diagnostics per document and for the workspace, and the position encoding and
 * cancellation that the message boundary applies (encoding.ts, message-boundary.ts).
 * server.ts creates one of these, merges `capabilities()` into its answer to `initialize`
 * and hands it its pipeline.
 */
import { relative, isAbsolute } from "node:path";
import {
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  type WorkspaceDocumentDiagnosticReport,
  type WorkspaceFolder,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  type CancellationToken,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type InitializeParams,
  type SemanticTokens,
  type ServerCapabilities,
} from "vscode-languageserver/node.js";
import type { DocumentPipeline, OpenDocument } from "./documents.js";
import { semanticsOf, type DocumentSemantics } from "./model-semantics.js";
import type { PositionCodec } from "./encoding.js";
import type { MessageBoundary } from "./message-boundary.js";
import { applyFileEvents, readWorkspaceFile, readWorkspaceSource, scanWorkspace, WATCHED_GLOBS, workspaceFolderPaths, type WorkspaceScan } from "./workspace.js";
import type { UndecodableSource } from "../workspace/sources.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { NOT_UTF8 } from "../diagnostics/messages/encoding.js";
import { toLspDiagnostic } from "./diagnostics.js";
import { documentHighlights, references } from "./references.js";
import { implementations, incomingCalls, outgoingCalls, prepareCallHierarchy, typeDefinition, workspaceSymbols } from "./navigation.js";
import { inEncoding, SemanticTokensCache, tokensInRange } from "./semantic-tokens-delta.js";
import { semanticTokens } from "./semantic-tokens.js";
import { internalErrorText } from "./internal-error.js";
import { LineIndex, sourceNameOfUri } from "./positions.js";

/** How many files' reports one `$/progress` of a streamed `workspace/diagnostic` carries. */
export const PARTIAL_RESULT_BATCH = 100;

const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A request whose client went away meanwhile: answered with `RequestCancelled`. */
function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, "request cancelled");
}

export class WorkspaceFeatures {
  private readonly codec: PositionCodec;
  private folders: string[] = [];
  private allBlocks = false;
  private watchDynamically = false;
  private pullClient = false;
  private pullRefresh = false;
  /** The client sends `workspace/didChangeWorkspaceFolders` (it said it supports folders). */
  private folderEvents = false;
  private helpUriBase: string | undefined;
  /**
   * Set by the first `workspace/diagnostic` request: from then on the client pulls every
   * file's diagnostics, so nothing is pushed (a pushed and a pulled copy would show twice).
   */
  private workspacePulling = false;
  /** Files with diagnostics pushed and not cleared since: cleared when the client starts pulling. */
  private readonly pushed = new Set<string>();
  /** Workspace files whose bytes are not UTF-8: their one DPL1006 each, not modules of the pipeline. */
  private readonly undecodable = new Map<string, LspDiagnostic[]>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly tokens = new SemanticTokensCache();
  /** The last diagnostics of each document, with an id that changes when they do (and only then). */
  private readonly diagnostics = new Map<string, { readonly resultId: string; readonly items: LspDiagnostic[] }>();
  private nextResultId = 1;
  /** Set on `initialize`; null before, and in tests that drive the features without a server. */
  pipeline: DocumentPipeline | null = null;

  constructor(
    private readonly connection: Connection,
    boundary: MessageBoundary,
  ) {
    this.codec = boundary.codec;
  }

  /** What `initialize` adds to the server's capabilities; reads the client's. */
  initialize(params: InitializeParams, allBlocks: boolean, helpUriBase?: string): ServerCapabilities {
    this.folders = workspaceFolderPaths(params);
    this.allBlocks = allBlocks;
    this.helpUriBase = helpUriBase;
    const caps = params.capabilities;
    this.watchDynamically = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    this.pullClient = caps.textDocument?.diagnostic !== undefined;
    this.pullRefresh = caps.workspace?.diagnostics?.refreshSupport === true;
    this.folderEvents = caps.workspace?.workspaceFolders === true;
    return {
      positionEncoding: this.codec.encoding,
      referencesProvider: true,
      documentHighlightProvider: true,
      workspaceSymbolProvider: true,
      typeDefinitionProvider: true,
      implementationProvider: true,
      callHierarchyProvider: true,
      diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: true },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    };
  }

  /**
   * Where the pipeline publishes. Clients that pull diagnostics get pushes only for files
   * they have not opened (they pull the others), and a refresh request after each check;
   * once they pull the workspace's (`workspace/diagnostic`), no pushes at all.
   */
  readonly sink = (uri: string, version: number | undefined, items: LspDiagnostic[]): void => {
    // A result id names a list of diagnostics: a re-check that finds the same keeps it.
    const before = this.diagnostics.get(uri);
    const same = before !== undefined && JSON.stringify(before.items) === JSON.stringify(items);
    this.diagnostics.set(uri, { resultId: same ? before.resultId : String(this.nextResultId++), items });
    const open = this.pipeline?.get(uri)?.unopened === false;
    if (this.pullClient && (open || this.workspacePulling)) {
      this.scheduleRefresh();
      return;
    }
    if (items.length > 0) this.pushed.add(uri);
    else this.pushed.delete(uri);
    void this.connection.sendDiagnostics({ uri, ...(version !== undefined ? { version } : {}), diagnostics: items });
  };

  /** The text on disk of a file in a workspace folder, for the pipeline to fall back to on close. */
  readonly readDisk = (uri: string): string | null => {
    if (!uri.startsWith("file:")) return null;
    const path = sourceNameOfUri(uri);
    if (!this.folders.some((f) => isInside(f, path))) return null;
    return readWorkspaceSource(path, this.allBlocks);
  };

  /**
   * After the editor closes a document: a workspace file whose bytes on disk are not UTF-8
   * goes back to its DPL1006 (the pipeline, which holds only text, has dropped it).
   */
  closed(uri: string): void {
    if (!uri.startsWith("file:") || this.pipeline?.get(uri)) return;
    const path = sourceNameOfUri(uri);
    if (!this.folders.some((f) => isInside(f, path))) return;
    const f = readWorkspaceFile(path, this.allBlocks);
    if (f && "undecodable" in f) this.onUndecodable(uri, f.undecodable);
  }

  private scheduleRefresh(): void {
    if (!this.pullRefresh || this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.connection.languages.diagnostics.refresh();
    }, 0);
  }

  /** Register the handlers (before `listen`). */
  register(): void {
    const c = this.connection;
    c.onInitialized(() => {
      // The connection listens for folder changes only once the client said it sends them.
      if (this.folderEvents) c.workspace.onDidChangeWorkspaceFolders((e) => this.guard("didChangeWorkspaceFolders", () => this.changeFolders(e.added, e.removed)));
      void this.loadWorkspace();
    });
    c.onDidChangeWatchedFiles((p) => {
      if (this.pipeline) applyFileEvents(this.pipeline, p.changes, this.allBlocks, this.onUndecodable);
    });
    c.onReferences((p, token) => this.answer("references", token, p.textDocument.uri, (doc, sem) => references(this.pipeline!, doc, sem, p.position, p.context.includeDeclaration, token), true));
    c.onDocumentHighlight((p, token) => this.answer("documentHighlight", token, p.textDocument.uri, (doc, sem) => documentHighlights(doc, sem, p.position)));
    c.onTypeDefinition((p, token) => this.answer("typeDefinition", token, p.textDocument.uri, (doc, sem) => typeDefinition(this.pipeline!, doc, sem, p.position), true));
    c.onImplementation((p, token) => this.answer("implementation", token, p.textDocument.uri, (doc, sem) => implementations(this.pipeline!, doc, sem, p.position, token), true));
    c.onWorkspaceSymbol(async (p, token) => {
      const pipeline = this.pipeline;
      if (!pipeline) return [];
      await pipeline.flush();
      if (token.isCancellationRequested) throw cancelled();
      return workspaceSymbols(pipeline, p.query, token);
    });
    c.languages.callHierarchy.onPrepare((p, token) => this.answer("prepareCallHierarchy", token, p.textDocument.uri, (doc, sem) => prepareCallHierarchy(this.pipeline!, doc, sem, p.position), true));
    c.languages.callHierarchy.onIncomingCalls(async (p, token) => {
      if (!(await this.ready(token))) throw cancelled();
      return this.guard("incomingCalls", () => incomingCalls(this.pipeline!, p.item, token));
    });
    c.languages.callHierarchy.onOutgoingCalls(async (p, token) => {
      if (!(await this.ready(token))) throw cancelled();
      return this.guard("outgoingCalls", () => outgoingCalls(this.pipeline!, p.item, token));
    });
    c.languages.semanticTokens.onRange(async (p, token) => {
      const data = await this.answer("semanticTokens/range", token, p.textDocument.uri, (doc, sem) => inEncoding(tokensInRange(semanticTokens(doc, sem).data, p.range), doc.uri, this.codec));
      return { data: data ?? [] };
    });
    c.languages.semanticTokens.onDelta(async (p, token) => {
      const r = await this.answer("semanticTokens/delta", token, p.textDocument.uri, (doc, sem) => this.tokens.delta(doc.uri, p.previousResultId, inEncoding(semanticTokens(doc, sem).data, doc.uri, this.codec)));
      return r ?? { data: [] };
    });
    c.languages.diagnostics.on(async (p, token) => {
      const pipeline = this.pipeline;
      if (pipeline) await pipeline.flush();
      if (token.isCancellationRequested) throw cancelled();
      const last = this.diagnostics.get(p.textDocument.uri);
      const resultId = last?.resultId ?? "0";
      if (p.previousResultId !== undefined && p.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
      return { kind: DocumentDiagnosticReportKind.Full, resultId, items: last?.items ?? [] };
    });
    c.languages.diagnostics.onWorkspace(async (p, token, _work, partial) => {
      const previous = new Map(p.previousResultIds.map((r) => [r.uri, r.value]));
      if (partial) {
        await this.streamWorkspaceReport(previous, (items) => partial.report({ items }), token);
        return { items: [] };
      }
      const pipeline = this.pipeline;
      if (pipeline) await pipeline.flush();
      if (token.isCancellationRequested) throw cancelled();
      return { items: this.workspaceReport(previous) };
    });
  }

  /**
   * `workspace/diagnostic`: every file of the workspace model (open, loaded from disk, not
   * UTF-8), in full or, when the client's result id is still current, as unchanged. A file
   * that left the workspace is reported once more, empty, to the client that still holds
   * its old result. `include`: only the files it accepts.
   */
  workspaceReport(previous: ReadonlyMap<string, string>, include: (uri: string) => boolean = () => true): WorkspaceDocumentDiagnosticReport[] {
    if (!this.workspacePulling) {
      this.workspacePulling = true;
      for (const uri of this.pushed) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      this.pushed.clear();
    }
    const out: WorkspaceDocumentDiagnosticReport[] = [];
    for (const uri of [...this.diagnostics.keys()].sort()) {
      if (!include(uri)) continue;
      const { resultId, items } = this.diagnostics.get(uri)!;
      const doc = this.pipeline?.get(uri);
      const known = doc !== undefined || this.undecodable.has(uri);
      const before = previous.get(uri);
      const version = doc && !doc.unopened ? doc.version : null;
      if (!known) {
        if (before !== undefined && before !== resultId) out.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId, items });
        continue;
      }
      if (before === resultId) out.push({ kind: DocumentDiagnosticReportKind.Unchanged, uri, version, resultId });
      else out.push({ kind: DocumentDiagnosticReportKind.Full, uri, version, resultId, items });
    }
    return out;
  }

  /**
   * `workspace/diagnostic` with a `partialResultToken` (LSP 3.17): the reports go out as
   * partial results, at most `PARTIAL_RESULT_BATCH` per `$/progress`, and the response is
   * empty. First the files no pending check can change (their last diagnostics stand),
   * then, after each check, the files it published; a file is reported again only if its
   * diagnostics changed after it was sent (the client keeps the last report of a file).
   * A cancellation is honoured between batches.
   */
  async streamWorkspaceReport(previous: ReadonlyMap<string, string>, report: (items: WorkspaceDocumentDiagnosticReport[]) => void, token: CancellationToken): Promise<void> {
    const sent = new Map<string, string | undefined>();
    const send = async (include: (uri: string) => boolean): Promise<void> => {
      // What the client holds now is what this stream sent it.
      const held = new Map(previous);
      for (const [uri, id] of sent) if (id !== undefined) held.set(uri, id);
      const items = this.workspaceReport(held, (uri) => include(uri) && (!sent.has(uri) || sent.get(uri) !== this.diagnostics.get(uri)?.resultId));
      for (let i = 0; i < items.length; i += PARTIAL_RESULT_BATCH) {
        if (token.isCancellationRequested) throw cancelled();
        const batch = items.slice(i, i + PARTIAL_RESULT_BATCH);
        for (const r of batch) sent.set(r.uri, r.resultId);
        report(batch);
        // Lets a `$/cancelRequest` that arrived meanwhile be read before the next batch.
        await yieldToEvents();
      }
    };
    const pipeline = this.pipeline;
    const settled = (): ((uri: string) => boolean) => {
      const unsettled = pipeline?.unsettled() ?? new Set<string>();
      return (uri) => !unsettled.has(uri);
    };
    await send(settled());
    while (pipeline && (await pipeline.flushStep())) {
      if (token.isCancellationRequested) throw cancelled();
      await send(settled());
    }
    if (token.isCancellationRequested) throw cancelled();
    await send(() => true);
  }

  /** A workspace file whose bytes are (or, with null, no longer are) not UTF-8: its DPL1006. */
  private readonly onUndecodable = (uri: string, source: UndecodableSource | null): void => {
    if (source) {
      const items = [toLspDiagnostic(source.diagnostic(), new LineIndex(source.text), { openIndex: () => undefined, uriOf: () => uri, helpUriBase: this.helpUriBase })];
      this.undecodable.set(uri, items);
      this.sink(uri, undefined, items);
    } else if (this.undecodable.delete(uri)) this.sink(uri, undefined, []);
  };

  /**
   * `workspace/didChangeWorkspaceFolders`: an added folder's sources are loaded, checked and
   * published; a removed folder's files (unless another folder holds them, or the editor has
   * them open) leave the workspace, their diagnostics cleared and their importers re-checked.
   */
  changeFolders(added: readonly WorkspaceFolder[], removed: readonly WorkspaceFolder[]): void {
    const paths = (fs: readonly WorkspaceFolder[]): string[] => workspaceFolderPaths({ workspaceFolders: fs });
    const gone = paths(removed);
    const fresh = paths(added).filter((f) => !this.folders.includes(f));
    this.folders = [...this.folders.filter((f) => !gone.includes(f)), ...fresh];
    const orphaned = (uri: string): boolean => {
      if (!uri.startsWith("file:")) return false;
      const path = sourceNameOfUri(uri);
      return gone.some((f) => isInside(f, path)) && !this.folders.some((f) => isInside(f, path));
    };
    const pipeline = this.pipeline;
    if (pipeline) for (const d of pipeline.all()) if (d.unopened && orphaned(d.uri)) pipeline.unload(d.uri);
    for (const uri of [...this.undecodable.keys()]) if (orphaned(uri)) this.onUndecodable(uri, null);
    if (fresh.length > 0) this.loadScan(scanWorkspace(fresh, this.allBlocks));
  }

  private loadScan(scan: WorkspaceScan): void {
    for (const n of scan.notes) this.connection.console.warn(n);
    // What the walk reports has no document to publish on: the log says what `dplc check` does.
    for (const d of scan.walkDiagnostics) this.connection.console.warn(`${d.code}: ${d.message}${d.help ? ` (help: ${d.help})` : ""}`);
    // A name that is not UTF-8 hides a file from the whole workspace: the user is told once.
    const names = undecodableNamesMessage(scan.walkDiagnostics);
    if (names) void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message: names });
    for (const u of scan.undecodable) this.onUndecodable(u.uri, u.source);
    this.pipeline?.loadAll(scan.files);
  }

  /** Full semantic tokens, in the client's encoding, remembered for later deltas. */
  fullTokens(uri: string, tokens: SemanticTokens): SemanticTokens {
    return this.tokens.full(uri, inEncoding(tokens.data, uri, this.codec));
  }

  /** Load the workspace folders' sources into the pipeline and ask the client to watch them. */
  async loadWorkspace(): Promise<void> {
    if (this.watchDynamically) {
      try {
        await this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) });
      } catch (e) {
        this.connection.console.error(internalErrorText("registering file watchers", e));
      }
    }
    if (!this.pipeline || this.folders.length === 0) return;
    this.loadScan(scanWorkspace(this.folders, this.allBlocks));
  }

  /** Wait for pending checks (a request about code just typed); false if cancelled meanwhile. */
  private async ready(token: CancellationToken): Promise<boolean> {
    if (!this.pipeline) return false;
    await this.pipeline.flush();
    return !token.isCancellationRequested;
  }

  /**
   * A request about a position in a document: the document (open or a workspace file) and
   * its meaning after the pending check. `workspaceWide`: answers read every document, so
   * every pending check must finish first.
   */
  private async answer<T>(what: string, token: CancellationToken, uri: string, f: (doc: OpenDocument, sem: DocumentSemantics) => T, workspaceWide = false): Promise<T | null> {
    const pipeline = this.pipeline;
    const doc = pipeline?.get(uri);
    if (!pipeline || !doc) return null;
    if (workspaceWide || !pipeline.analysis(doc)?.current) await pipeline.flush();
    if (token.isCancellationRequested) throw cancelled();
    return this.guard(what, () => f(pipeline.get(uri) ?? doc, semanticsOf(pipeline, pipeline.get(uri) ?? doc)));
  }

  /** A bug in one feature answers "nothing here" and is logged; it never takes the server down. */
  private guard<T>(what: string, f: () => T): T | null {
    try {
      return f();
    } catch (e) {
      this.connection.console.error(internalErrorText(what, e));
      return null;
    }
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
  }
}

/** Names shown in full in the one message about undecodable names; the log has every one. */
const NAMES_SHOWN = 3;

/**
 * The one `window/showMessage` for the walk's DPL1006s (file or folder names that are not
 * UTF-8, so no URI can name them and no diagnostic can be published on them), or null.
 */
export function undecodableNamesMessage(walk: readonly Diagnostic[]): string | null {
  const bad = walk.filter((d) => d.code === NOT_UTF8);
  if (bad.length === 0) return null;
  const [one] = bad;
  if (bad.length === 1 && one) return `dplc: ${NOT_UTF8}: ${one.message} (at \`${one.span.file}\`); help: ${one.help ?? "rename it with a UTF-8 name"}`;
  const shown = bad.slice(0, NAMES_SHOWN).map((d) => `\`${d.span.file}\``).join(", ");
  const more = bad.length > NAMES_SHOWN ? ` and ${bad.length - NAMES_SHOWN} more (the log lists each)` : "";
  return `dplc: ${NOT_UTF8}: ${bad.length} file or folder names in the workspace are not valid UTF-8, so they were not checked: ${shown}${more}; help: rename them with UTF-8 names`;
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}
