/**
 * `dplc lsp --stdio`: the language server. It owns the LSP connection and nothing else:
 * documents and diagnostics go through `DocumentPipeline` (which drives the same compiler
 * API as `dplc check`), meaning through the semantic source, and each request is answered
 * by the feature module named for it.
 */
import type { Readable, Writable } from "node:stream";
import {
  createConnection,
  ProposedFeatures,
  StreamMessageWriter,
  TextDocumentSyncKind,
  CodeActionKind,
  ResponseError,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type InitializeParams,
  type InitializeResult,
} from "vscode-languageserver/node.js";
import type { Profile } from "../workspace/options.js";
import { VERSION } from "../workspace/version.js";
import { DocumentPipeline, type Analyze } from "./documents.js";
import { semanticsOf } from "./model-semantics.js";
import { hover } from "./hover.js";
import { definition } from "./definition.js";
import { documentSymbols } from "./symbols.js";
import { completion } from "./completion.js";
import { LEGEND, semanticTokens } from "./semantic-tokens.js";
import { GuardedMessageReader } from "./transport.js";
import { internalErrorText, withoutStack } from "./internal-error.js";
import { formattingEdits } from "./formatting.js";
import { prepareRename, rename } from "./rename.js";
import { codeActions } from "./code-actions.js";
import { signatureHelp } from "./signature-help.js";
import { inlayHints } from "./inlay-hints.js";
import { foldingRanges } from "./folding.js";
import { selectionRanges } from "./selection-ranges.js";
import { WorkspaceFeatures } from "./workspace-features.js";
import { MessageBoundary } from "./message-boundary.js";
import { PositionCodec } from "./encoding.js";

export interface LspOptions {
  /** Accepted for the editors that pass it; stdio is the only transport. */
  readonly stdio?: boolean;
  readonly profile?: Profile;
  readonly allBlocks?: boolean;
  /** As for `dplc check --help-uri-base`: diagnostics link to `<base><CODE>.md`. */
  readonly helpUriBase?: string;
  readonly debounceMs?: number;
}

/** Editors may override the command line through `initializationOptions`. */
interface InitializationOptions {
  readonly profile?: Profile;
  readonly allBlocks?: boolean;
}

export const DEFAULT_DEBOUNCE_MS = 150;

/** `analyze`: the compiler's analysis entry, passed in by the command that starts the server. */
export function startLanguageServer(options: LspOptions, analyze: Analyze, io: { input: Readable; output: Writable } = { input: process.stdin, output: process.stdout }): Connection {
  const writer = new StreamMessageWriter(io.output);
  const onFatal = (message: string): void => {
    // The editor shows stderr in its output panel; stdout is the protocol.
    process.stderr.write(`dplc lsp: ${message}; exiting\n`);
    if (io.input === process.stdin) process.exit(1);
  };
  // Positions in the negotiated encoding and cancelled requests are handled at the boundary.
  const boundary = new MessageBoundary(new PositionCodec());
  const connection = createConnection(ProposedFeatures.all, boundary.reader(new GuardedMessageReader(io.input, writer, onFatal)), boundary.writer(writer));
  const features = new WorkspaceFeatures(connection, boundary);
  if (io.output === process.stdout) redirectConsole(connection);

  let pipeline: DocumentPipeline | undefined;
  let snippets = false;
  /** What was last published per document: code actions for clients that drop `data`. */
  const published = new Map<string, LspDiagnostic[]>();

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    const profile: Profile = init.profile === "kernel" || init.profile === "user" ? init.profile : (options.profile ?? "user");
    const allBlocks = typeof init.allBlocks === "boolean" ? init.allBlocks : (options.allBlocks ?? false);
    snippets = params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
    const p = new DocumentPipeline(
      {
        check: { profile, allBlocks },
        analyze,
        debounceMs: options.debounceMs ?? DEFAULT_DEBOUNCE_MS,
        helpUriBase: options.helpUriBase,
        log: (m) => connection.console.error(m),
        readDisk: features.readDisk,
      },
      (uri, version, diagnostics) => {
        published.set(uri, diagnostics);
        features.sink(uri, version, diagnostics);
      },
    );
    pipeline = p;
    features.pipeline = p;
    const workspace = features.initialize(params, allBlocks, options.helpUriBase);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        definitionProvider: true,
        documentSymbolProvider: true,
        completionProvider: { triggerCharacters: [".", "@", ":", "("], resolveProvider: false },
        semanticTokensProvider: { legend: LEGEND, full: { delta: true }, range: true },
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        renameProvider: params.capabilities.textDocument?.rename?.prepareSupport === true ? { prepareProvider: true } : true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        signatureHelpProvider: { triggerCharacters: ["(", ","], retriggerCharacters: [","] },
        inlayHintProvider: true,
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        ...workspace,
      },
      serverInfo: { name: "dplc", version: VERSION },
    };
  });

  connection.onDidOpenTextDocument((p) => pipeline?.open(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text));
  connection.onDidChangeTextDocument((p) => pipeline?.change(p.textDocument.uri, p.textDocument.version, p.contentChanges));
  connection.onDidCloseTextDocument((p) => {
    pipeline?.close(p.textDocument.uri);
    features.closed(p.textDocument.uri);
  });

  /**
   * The open document and its meaning, or null when the editor asks about an unopened file.
   * Answers come from the last analysis that read the document; a document with none yet
   * (a request right after opening it) waits for its first one.
   */
  const context = async (uri: string) => {
    const doc = pipeline?.get(uri);
    if (!doc || !pipeline) return null;
    if (!pipeline.analysis(doc)) await pipeline.flush();
    return { doc, sem: semanticsOf(pipeline, doc) };
  };

  connection.onHover((p) => guarded("hover", async () => {
    const c = await context(p.textDocument.uri);
    return c ? hover(c.doc, c.sem, p.position) : null;
  }));
  connection.onDefinition((p) => guarded("definition", async () => {
    const c = await context(p.textDocument.uri);
    return c && pipeline ? definition(c.doc, c.sem, p.position, pipeline) : null;
  }));
  connection.onDocumentSymbol((p) => guarded("documentSymbol", () => {
    const doc = pipeline?.get(p.textDocument.uri);
    return doc ? documentSymbols(doc) : null;
  }));
  connection.onCompletion((p) => guarded("completion", async () => {
    const c = await context(p.textDocument.uri);
    return c ? completion(c.doc, c.sem, p.position, { snippets }) : null;
  }));
  connection.languages.semanticTokens.on(async (p) => (await guarded("semanticTokens", async () => {
    const c = await context(p.textDocument.uri);
    return c ? features.fullTokens(c.doc.uri, semanticTokens(c.doc, c.sem)) : { data: [] };
  })) ?? { data: [] });

  connection.onDocumentFormatting((p) => guarded("formatting", () => {
    const doc = pipeline?.get(p.textDocument.uri);
    return doc ? formattingEdits(doc) : null;
  }));
  connection.onDocumentRangeFormatting((p) => guarded("rangeFormatting", () => {
    const doc = pipeline?.get(p.textDocument.uri);
    return doc ? formattingEdits(doc, p.range) : null;
  }));

  /** The analysis model a document was last checked with, and the open documents' meanings. */
  const modelOf = async (uri: string) => {
    const c = await context(uri);
    const model = c && pipeline ? pipeline.analysis(c.doc)?.model : undefined;
    return c && model ? { ...c, model } : null;
  };

  // Rename refusals are answers, not bugs: they reach the client as errors with a message.
  connection.onPrepareRename((p) => guarded("prepareRename", async () => {
    const c = await modelOf(p.textDocument.uri);
    return c ? prepareRename(c.model, c.doc, c.sem, p.position) : null;
  }, true));
  connection.onRenameRequest((p) => guarded("rename", async () => {
    const c = await modelOf(p.textDocument.uri);
    return c && pipeline ? rename(c.model, c.doc, c.sem, p.position, p.newName, pipeline) : null;
  }, true));
  connection.onCodeAction((p) => guarded("codeAction", () => codeActions(p, published.get(p.textDocument.uri) ?? [])));
  connection.onSignatureHelp((p) => guarded("signatureHelp", async () => {
    const c = await modelOf(p.textDocument.uri);
    return c ? signatureHelp(c.model, c.doc, c.sem, p.position) : null;
  }));
  connection.languages.inlayHint.on((p) => guarded("inlayHint", async () => {
    const c = await context(p.textDocument.uri);
    return c ? inlayHints(c.doc, c.sem, p.range) : null;
  }));
  connection.onFoldingRanges((p) => guarded("foldingRange", () => {
    const doc = pipeline?.get(p.textDocument.uri);
    return doc ? foldingRanges(doc) : null;
  }));
  connection.onSelectionRanges((p) => guarded("selectionRange", () => {
    const doc = pipeline?.get(p.textDocument.uri);
    return doc ? selectionRanges(doc, p.positions) : null;
  }));

  features.register();
  connection.onShutdown(() => {
    pipeline?.dispose();
    features.dispose();
  });

  /** A bug in one feature answers "nothing here" and is logged; it never takes the server down. */
  async function guarded<T>(what: string, f: () => T | Promise<T>, answersWithErrors = false): Promise<T | null> {
    try {
      return await f();
    } catch (e) {
      // A refusal (rename of a keyword, ...) is the answer: the client shows its message.
      if (answersWithErrors && e instanceof ResponseError) throw e;
      connection.console.error(internalErrorText(what, e));
      return null;
    }
  }

  connection.listen();
  return connection;
}

/** stdout carries the protocol: anything logged goes to the client's log instead. */
function redirectConsole(connection: Connection): void {
  const send = (...args: unknown[]): void => connection.console.log(args.map((a) => (typeof a === "string" ? withoutStack(a) : a instanceof Error ? a.message : JSON.stringify(a))).join(" "));
  console.log = send;
  console.info = send;
  console.debug = send;
  console.warn = send;
  console.error = send;
}
