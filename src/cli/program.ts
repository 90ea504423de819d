/**
 * What every `dplc` entry shares: the program's name, version, help and error conventions,
 * the `check` command's options, and the exit-code policy (toolchain.md: 0 no errors, 1
 * errors in the checked code, 2 usage or I/O problem, one line, no trace). main.ts builds the
 * whole command set on it; check-main.ts, the entry of the pre-bundled `dplc check` fast
 * path (scripts/bundle.mjs), only the `check` command.
 */
import { Command, CommanderError, Option } from "commander";
import { VERSION } from "../workspace/version.js";
import { UsageError } from "./usage-error.js";
import { CacheError } from "../workspace/cache-error.js";
import type { CheckCommandOptions } from "./check-command.js";
import { safeLine, safeText } from "../diagnostics/render/escape.js";

export function newProgram(): Command {
  return new Command()
    .name("dplc")
    .description("The DPL (Dust Programming Language) toolchain")
    .version(VERSION, "-V, --version", "print the dplc version")
    .helpOption("-h, --help", "show help")
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      outputError: (str, write) => write(safeText(str.startsWith("error:") ? str : `error: ${str}`)),
    });
}

export function addCheckCommand(program: Command): void {
  program
    .command("check")
    .description("check .ds modules, folders (recursively) and Markdown specs (literate mode)")
    .argument("[paths...]", "files or folders to check (default: the project's src/, else the current folder)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "sarif", "github"]).default("text"))
    .addOption(new Option("--profile <profile>", "language profile (default: the project's, else user)").choices(["user", "kernel"]))
    .option("--deny-warnings", "treat warnings as errors for the exit code", false)
    .option("--all-blocks", "in Markdown, check every fenced block, not only dust/dpl/ds ones", false)
    .option("--watch", "re-check when files change", false)
    .option("--no-color", "never use colour (also NO_COLOR, and off when not a terminal)")
    .option("--help-uri-base <url>", "SARIF: base URI of the published explanations (e.g. https://host/docs/diagnostics/)")
    .action(async (paths: string[], opts: CheckCommandOptions) => {
      const { runCheck } = await import("./check-command.js");
      process.exitCode = await runCheck(paths, opts);
    });
}

/** Parse `argv` and run the command, turning every failure into its exit code and one line. */
export async function runProgram(program: Command, argv: string[]): Promise<void> {
  // A reader that goes away early (`dplc check | head -1`) is not an error of dplc's: stop
  // quietly, as a Unix filter does, instead of dying on an unhandled EPIPE with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
      throw e;
    });
  }
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (e instanceof UsageError || e instanceof CacheError) {
      process.stderr.write(`error: ${safeLine(e.message)}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`error: internal error in dplc: ${safeLine((e as Error)?.message ?? String(e))} (please report this)\n`);
    process.exitCode = 2;
  }
}
