/**
 * The `dplc` command line: a thin layer over the compiler API. Exit codes (toolchain.md):
 * 0 no errors, 1 errors in the checked code, 2 usage or I/O problem (one line, no trace).
 */
import { Option, type Command } from "commander";
import { addCheckCommand, newProgram, runProgram } from "./program.js";
import { UsageError } from "./usage-error.js";
import type { BuildCommandOptions } from "./build-command.js";
import type { RunCommandOptions } from "./run-command.js";
import type { FmtCommandOptions } from "./fmt-command.js";
import type { TestCommandOptions } from "./test-command.js";
import type { DocCommandOptions } from "./doc-command.js";
import type { LspOptions } from "../lsp/server.js";

// Each command loads its own code when it runs: `dplc check` never pays for the emitter,
// the runner, the language server or the cluster (and their dependencies) at start-up.

function buildProgram(): Command {
  const program = newProgram();
  addCheckCommand(program);

  program
    .command("build")
    .description("compile .ds modules to TypeScript (.ts + .ts.map; .js + .js.map with --js)")
    .argument("[paths...]", "files or folders to build (default: the project's src/, else the current folder)")
    .option("--out-dir <dir>", "where to write the emitted tree")
    .option("--js", "also write JavaScript, with source maps chained to the .ds files", false)
    .option("--check", "type-check the emitted TypeScript (tsc --strict) after writing it", false)
    .addOption(new Option("--profile <profile>", "language profile (default: the project's, else user)").choices(["user", "kernel"]))
    .option("--no-color", "never use colour (also NO_COLOR, and off when not a terminal)")
    .action(async (paths: string[], opts: BuildCommandOptions) => {
      const { runBuild } = await import("./build-command.js");
      process.exitCode = await runBuild(paths, opts);
    });

  program
    .command("run")
    .description("compile and run a .ds program (its fn main() or _entry)")
    .argument("[file]", "the program's .ds file (default: the project's entry)")
    .argument("[args...]", "arguments for the program (after --)")
    .option("--seed <n>", "the run seed: capability ids, Q sampling and Φ readings (default 0)")
    .option("--record <trace>", "write the run's trace (JSON Lines)")
    .option("--replay <trace>", "run against a recorded trace")
    .option("--telemetry <file>", "write the run's telemetry (JSON Lines)")
    .option("--cluster <endpoints>", "run on a cluster: etcd endpoints host:port,... (with --node)")
    .option("--node <name>", "this run's node name in the cluster")
    .option("--allocation <mode>", "cluster contract grants: immediate (first come) or epoch (deterministic per workload)")
    .option("--workload <name>", "epoch allocation: the workload's name, unique per execution")
    .option("--peers <nodes>", "epoch allocation: the node names of all the workload's runs")
    .option("--barrier-timeout <seconds>", "epoch allocation: longest wait for the other runs (default 30)")
    .option("--timeout <seconds>", "stop the program after this many seconds (exit 124, trace kept)")
    .option("--fuel <steps>", "stop the program after this many steps: function calls and loop iterations (exit 124)")
    .option("--max-memory <MB>", "the program's heap limit; running out is the program's fault (exit 101)")
    .option("--trace-key <file>", "the key that signs recorded traces and verifies replayed ones (also DPLC_TRACE_KEY)")
    .option("--trust-unsigned", "replay a trace that is unsigned or signed by another key (warns)")
    .option("--no-color", "never use colour (also NO_COLOR, and off when not a terminal)")
    .action(async (file: string | undefined, args: string[], opts: RunCommandOptions) => {
      const { runRun } = await import("./run-command.js");
      process.exitCode = await runRun(file, args, opts);
    });

  program
    .command("node")
    .description("join a cluster and serve remote domain calls until SIGINT/SIGTERM")
    .requiredOption("--cluster <endpoints>", "etcd endpoints host:port,...")
    .requiredOption("--name <name>", "this node's name (unique among live members)")
    .option("--domains <list>", "domains served, e.g. K,Q,Φ (K is implied)", "K,Q,Φ")
    .option("--tenant <id>", "serve this tenant only")
    .option("--qubits <n>", "Q capacity advertised (1..24)")
    .option("--windows <n>", "Φ coherence windows it can hold open at once (1..64, default 4)")
    .option("--ttl <seconds>", "membership lease TTL (default 3)")
    .option("--record <log>", "write this node's hash-chained log of cluster events")
    .action(async (opts: import("../cluster/node-command.js").NodeCommandOptions) => {
      const { runNode } = await import("../cluster/node-command.js");
      const r = await runNode(opts);
      if ("usage" in r) throw new UsageError(r.usage);
      process.exitCode = r.status;
    });

  program
    .command("trace")
    .description("work with recorded traces")
    .command("merge")
    .description("verify each node's trace or node log and print the cluster-wide order (JSON Lines)")
    .argument("<traces...>", "run traces (dplc run --record) and node logs (dplc node --record)")
    .action(async (files: string[]) => {
      const { runTraceMerge } = await import("../cluster/trace-merge-command.js");
      const r = runTraceMerge(files);
      if ("usage" in r) throw new UsageError(r.usage);
      process.exitCode = r.status;
    });

  program
    .command("test")
    .description("run the test functions (@test / #[test]), each in a fresh embedded kernel, under one seed or an ensemble")
    .argument("[paths...]", "files or folders (default: the project's src/, else the current folder)")
    .option("--seed <n>", "the seed of every run (default 0)")
    .option("--seeds <k>", "run each test under k seeds derived from --seed and report which failed")
    .option("--filter <s>", "only the tests whose name (module::test) contains s")
    .option("--exact", "with --filter: the test whose name is exactly s", false)
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "junit"]).default("text"))
    .option("--record <dir>", "keep the trace of each failing run in <dir>")
    .addOption(new Option("--profile <profile>", "language profile (default: the project's, else user)").choices(["user", "kernel"]))
    .option("--timeout <s>", "stop a test run after s seconds and count it as failed (default 60)")
    .option("--no-color", "never use colour (also NO_COLOR, and off when not a terminal)")
    .action(async (paths: string[], opts: TestCommandOptions) => {
      const { runTest } = await import("./test-command.js");
      process.exitCode = await runTest(paths, opts);
    });

  program
    .command("doc")
    .description("write documentation from /// and //! comments: one page per module, cross-links, a search index")
    .argument("[paths...]", "files or folders (default: the project's src/, else the current folder)")
    .option("--out-dir <dir>", "the folder to write (dplc owns it: a folder with other files is refused)")
    .addOption(new Option("--format <format>", "output format").choices(["html", "md"]).default("html"))
    .option("--title <title>", "the index page's title (default: the project's name and version)")
    .option("--notice <text>", "a line at the foot of every page (e.g. a copyright notice)")
    .addOption(new Option("--profile <profile>", "language profile (default: the project's, else user)").choices(["user", "kernel"]))
    .option("--no-color", "never use colour (also NO_COLOR, and off when not a terminal)")
    .action(async (paths: string[], opts: DocCommandOptions) => {
      const { runDoc } = await import("./doc-command.js");
      process.exitCode = runDoc(paths, opts);
    });

  program
    .command("new")
    .description("create a project: Dust.toml, src/main.ds with a test, .gitignore (never into an existing folder)")
    .argument("<name>", "the project's folder; its last part is the package name")
    .action(async (name: string) => {
      const { createProject } = await import("../compiler/new-project.js");
      const { displayName } = await import("../workspace/sources.js");
      const { basename } = await import("node:path");
      const r = createProject(name);
      if (!r.ok) throw new UsageError(r.error);
      process.stdout.write(`created project \`${basename(r.dir)}\` in ${displayName(r.dir)}\n`);
      process.exitCode = 0;
    });

  program
    .command("fmt")
    .description("format .ds modules and the DPL blocks of Markdown files in place (docs/style.md)")
    .argument("[paths...]", "files or folders to format (default: the project's src/, else the current folder); with --stdin, the input's name")
    .option("--check", "change nothing: list the files that would change, exit 1 if any", false)
    .option("--diff", "with --check, print a unified diff of each change", false)
    .option("--stdin", "format standard input to standard output", false)
    .option("--width <columns>", "the line width (default 100)")
    .option("--no-color", "never use colour (also NO_COLOR, and off when not a terminal)")
    .action(async (paths: string[], opts: FmtCommandOptions) => {
      const { runFmt } = await import("./fmt-command.js");
      process.exitCode = runFmt(paths, opts);
    });

  program
    .command("explain")
    .description("explain a diagnostic code: the rule, why it exists, a failing and a fixed example")
    .argument("<code>", "a diagnostic code such as DPL3001")
    .action(async (code: string) => {
      const { explain } = await import("../diagnostics/explain.js");
      const r = explain(code);
      if (!r.ok) throw new UsageError(r.error);
      process.stdout.write(r.text.endsWith("\n") ? r.text : r.text + "\n");
      process.exitCode = 0;
    });

  program
    .command("lsp")
    .description("run the language server for editors (LSP over stdin/stdout)")
    .option("--stdio", "talk LSP over stdin/stdout (the only transport)")
    .addOption(new Option("--profile <profile>", "language profile").choices(["user", "kernel"]).default("user"))
    .option("--help-uri-base <url>", "link each diagnostic code to <url><CODE>.md")
    .allowUnknownOption() // clients append their own flags (e.g. --clientProcessId)
    .action(async (opts: LspOptions) => {
      const [{ startLanguageServer }, { analyze }] = await Promise.all([import("../lsp/server.js"), import("../compiler/analyze.js")]);
      void startLanguageServer(opts, analyze);
    });

  return program;
}

await runProgram(buildProgram(), process.argv);
