'use strict';
/**
 * VS Code client for the DPL language server, `dplc lsp --stdio`.
 *
 * Highlighting comes from the TextMate grammars that package.json contributes and works
 * without the server; everything else (diagnostics, hover, definitions, symbols, completion,
 * semantic domain colouring) comes from dplc. The extension therefore stays useful when dplc
 * is missing: it says so once, with a way to fix the setting, and keeps highlighting.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

/** Also the prefix of the `dplc.trace.server` setting, which the client library reads itself. */
const CLIENT_ID = 'dplc';
const CLIENT_NAME = 'DPL Language Server';
/** Settings that change how the server process is launched or what it is sent. */
const RESTART_SETTINGS = ['dplc.path', 'dplc.markdown.enabled'];

/**
 * Turns the `dplc.path` setting into something spawnable. A bare name stays bare so the OS
 * searches PATH; anything with a separator is a path, relative ones taken from the first
 * workspace folder (so `./node_modules/.bin/dplc` means the project's own copy).
 */
function resolveServerPath(configured, workspaceFolders, home = os.homedir()) {
  let value = typeof configured === 'string' ? configured.trim() : '';
  if (value === '') value = 'dplc';
  if (value === '~' || value.startsWith('~/') || value.startsWith('~\\')) {
    value = path.join(home, value.slice(1));
  }
  if (path.isAbsolute(value) || !/[\\/]/.test(value)) return value;
  const base = workspaceFolders && workspaceFolders.length > 0 ? workspaceFolders[0].uri.fsPath : process.cwd();
  return path.resolve(base, value);
}

/**
 * Where the OS would find `command`, or undefined. Checked before starting so that a missing
 * dplc gets one actionable message instead of the client library's generic connection error.
 */
function findExecutable(command, env = process.env, platform = process.platform) {
  const windows = platform === 'win32';
  const pathKey = Object.keys(env).find((key) => key.toUpperCase() === 'PATH');
  const dirs = pathKey ? String(env[pathKey]).split(windows ? ';' : ':').filter(Boolean) : [];
  const candidates = /[\\/]/.test(command) ? [command] : dirs.map((dir) => path.join(dir, command));
  const suffixes = windows ? ['', ...String(env.PATHEXT || '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)] : [''];
  for (const candidate of candidates) {
    for (const suffix of suffixes) {
      const file = candidate + suffix;
      try {
        if (!fs.statSync(file).isFile()) continue;
        if (!windows) fs.accessSync(file, fs.constants.X_OK);
        return file;
      } catch {
        // not here, or not executable: keep looking
      }
    }
  }
  return undefined;
}

/**
 * No `transport` field on purpose: with `TransportKind.stdio` the client library appends its
 * own `--stdio`, and dplc would see the flag twice. Leaving it out still talks over stdio.
 */
function serverOptions(command, platform = process.platform) {
  // npm installs dplc on Windows as dplc.cmd, which Node can only spawn through a shell;
  // the shell then needs the path quoted if it has spaces.
  const shell = platform === 'win32';
  return {
    command: shell && /\s/.test(command) && !command.startsWith('"') ? `"${command}"` : command,
    args: ['lsp', '--stdio'],
    options: { shell },
  };
}

/**
 * `.ds` files in any state (saved or untitled), plus Markdown files on disk, whose
 * ```dust / ```dpl / ```ds blocks the server checks as one literate module.
 */
function documentSelector(includeMarkdown) {
  const selector = [
    { scheme: 'file', language: 'dpl' },
    { scheme: 'untitled', language: 'dpl' },
  ];
  if (includeMarkdown) selector.push({ scheme: 'file', language: 'markdown' });
  return selector;
}

/**
 * In an untrusted workspace a workspace-level `dplc.path` would let an opened folder pick
 * the program we execute, so only the user's own value counts there (package.json also
 * declares the setting as restricted, which VS Code enforces in its UI).
 */
function configuredPath(config) {
  if (vscode.workspace.isTrusted !== false) return config.get('path');
  const inspected = config.inspect('path');
  return (inspected && (inspected.globalValue ?? inspected.defaultValue)) || 'dplc';
}

function describeError(err) {
  if (err && typeof err === 'object' && 'message' in err) return String(err.message);
  return String(err);
}

class DplcExtension {
  constructor(context) {
    this.client = undefined;
    /** Starts and stops run one at a time, so quick successive setting changes cannot race. */
    this.pending = Promise.resolve();
    this.outputChannel = vscode.window.createOutputChannel(CLIENT_NAME);
    this.traceChannel = vscode.window.createOutputChannel(`${CLIENT_NAME} Trace`);
    this.watcher = vscode.workspace.createFileSystemWatcher('**/*.{ds,md}');
    context.subscriptions.push(this.outputChannel, this.traceChannel, this.watcher);
  }

  createClient(command, includeMarkdown) {
    return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions(command), {
      documentSelector: documentSelector(includeMarkdown),
      outputChannel: this.outputChannel,
      traceOutputChannel: this.traceChannel,
      synchronize: { fileEvents: this.watcher },
    });
  }

  async start() {
    const config = vscode.workspace.getConfiguration('dplc');
    const configured = resolveServerPath(configuredPath(config), vscode.workspace.workspaceFolders);
    const command = findExecutable(configured);
    if (!command) {
      this.reportNotFound(configured);
      return;
    }
    const includeMarkdown = config.get('markdown.enabled', true) !== false;
    const client = this.createClient(command, includeMarkdown);
    this.client = client;
    try {
      await client.start();
      this.outputChannel.appendLine(`Started ${command} lsp --stdio`);
    } catch (err) {
      // The client library has already shown its own error for this case; keep the detail.
      this.client = undefined;
      this.outputChannel.appendLine(`Could not start ${command} lsp --stdio: ${describeError(err)}`);
      // A half-started client still holds listeners; disposing one that never ran rejects.
      await Promise.resolve()
        .then(() => client.dispose())
        .catch(() => undefined);
    }
  }

  async stop() {
    const client = this.client;
    this.client = undefined;
    if (client) await client.stop().catch((err) => this.outputChannel.appendLine(`Stopping the server: ${describeError(err)}`));
  }

  /** Queues `task`; a failing task is logged and does not block the ones after it. */
  enqueue(task) {
    this.pending = this.pending.then(task).catch((err) => {
      this.outputChannel.appendLine(`DPL language server: ${describeError(err)}`);
    });
    return this.pending;
  }

  restart() {
    return this.enqueue(async () => {
      await this.stop();
      await this.start();
    });
  }

  reportNotFound(command) {
    const where = /[\\/]/.test(command) ? `"${command}" is not an executable file` : `"${command}" was not found on PATH`;
    const message =
      `The DPL language server is not running: ${where}. ` +
      'Highlighting still works. Install dplc or set "dplc.path", then run "DPL: Restart Language Server".';
    this.outputChannel.appendLine(message);
    // Not awaited: the promise settles only when the user dismisses the notification.
    Promise.resolve(vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output')).then((choice) => {
      if (choice === 'Open Settings') vscode.commands.executeCommand('workbench.action.openSettings', 'dplc.path');
      else if (choice === 'Show Output') this.outputChannel.show(true);
    });
  }
}

/** @type {DplcExtension | undefined} */
let extension;

async function activate(context) {
  extension = new DplcExtension(context);
  const ext = extension;
  context.subscriptions.push(
    vscode.commands.registerCommand('dplc.restartServer', () => ext.restart()),
    vscode.commands.registerCommand('dplc.showOutput', () => ext.outputChannel.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (RESTART_SETTINGS.some((key) => event.affectsConfiguration(key))) ext.restart();
    }),
  );
  if (vscode.workspace.onDidGrantWorkspaceTrust) {
    context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => ext.restart()));
  }
  await ext.enqueue(() => ext.start());
  return ext;
}

async function deactivate() {
  if (!extension) return;
  const ext = extension;
  extension = undefined;
  await ext.pending;
  await ext.stop();
}

module.exports = { activate, deactivate, resolveServerPath, findExecutable, serverOptions, documentSelector };
